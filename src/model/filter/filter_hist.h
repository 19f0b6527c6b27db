/* filter_hist.h - the model behind the filter prompt (f / F4): applying an
 * expression while keeping the previous filter on error, and the history
 * of expressions typed, browsed with Up and Down. No curses here: the UI
 * draws the line and passes keys in as calls.
 *
 * Typical use on Enter:
 *     filter_hist_add(h, line);              also lines with mistakes, so
 *                                            Up brings them back to fix
 *     if (filter_apply(&active, line, &err) < 0)
 *             show err.msg under the prompt  (active is unchanged)
 *     else
 *             refilter; header shows filter_text(active) or nothing */
#ifndef SOCKVIEW_FILTER_HIST_H
#define SOCKVIEW_FILTER_HIST_H

#include <stddef.h>

#include "filter.h"

/* Replaces *active by the filter of text. An empty or blank text clears it
 * (*active becomes NULL). Returns 0, or -1 with err filled in and *active
 * left as it was. */
int filter_apply(struct filter **active, const char *text, struct filter_error *err);

struct filter_hist;

/* A history that keeps the max newest entries (max >= 1). */
struct filter_hist *filter_hist_new(size_t max);
/* Frees h; NULL is allowed. */
void filter_hist_free(struct filter_hist *h);

/* Adds text as the newest entry (copied). Blank texts are ignored; a text
 * already present moves to the newest place instead of repeating. Ends any
 * browsing. */
void filter_hist_add(struct filter_hist *h, const char *text);
size_t filter_hist_len(const struct filter_hist *h);
/* Entry i, 0 being the newest; NULL if out of range. Valid until the
 * history is next changed. */
const char *filter_hist_get(const struct filter_hist *h, size_t i);

/* Browsing (Up/Down on the prompt). Up: returns the next older entry; on
 * the first Up the line being edited (draft) is saved. At the oldest entry
 * it stays there. NULL if the history is empty. */
const char *filter_hist_up(struct filter_hist *h, const char *draft);
/* Down: the next newer entry, or the saved draft after the newest one;
 * NULL when not browsing. */
const char *filter_hist_down(struct filter_hist *h);
/* Forgets the browsing position and the draft (the prompt was closed). */
void filter_hist_reset(struct filter_hist *h);

#endif
