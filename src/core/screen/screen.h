/* screen.h - the screens of the live view, one file each (no curses).
 *
 * A screen fills the body of the window between the header and the panes:
 * the table, the help, the details, the sort and columns menus, the new
 * endpoint menu, the form, the filter language's help. Each file in core/screen/ gives one struct
 * screen: how it handles keys and actions, how it draws itself into the
 * view model, which key hints the footer shows, what it needs from the
 * collector. The app (app.c), the view (view.c) and the live loop look a
 * screen up with screen_of(mode), the one place that knows the list; so a
 * new screen is a new file, a new enum app_mode value and one line in
 * screen.c (HACKING has a worked example).
 *
 * The prompt overlays (search, filter, "quit?") take keys before any
 * screen (app.c); in the table screen, a focused pane takes keys before
 * the table (app_pane_key). */
#ifndef SOCKVIEW_SCREEN_H
#define SOCKVIEW_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "draw.h"
#include "keys.h"
#include "view.h"

struct screen {
	const char *name; /* for tests and debugging */
	/* Called when the app switches to this screen (NULL: nothing). */
	void (*enter)(struct app *a);
	/* Gathers what .build needs from outside the app (a file's metadata):
	 * called after each key and each new snapshot while shown, never
	 * while drawing (NULL: nothing). */
	void (*sync)(struct app *a);
	/* A key while this screen is shown and no prompt is open; returns
	 * APP_* flags. NULL: the key's action from the key table, given to
	 * .action. */
	unsigned (*key)(struct app *a, int key, int64_t now);
	/* An action (a key's, or the mouse wheel's); returns APP_* flags. */
	unsigned (*action)(struct app *a, enum action act, int64_t now);
	/* Draws the screen into lines [y, y + h) of v, from a const app: the
	 * view never changes the app. Text screens set v->scroll_max. */
	void (*build)(struct view *v, const struct app *a, int y, int h, int64_t now);
	/* The footer's key hints while this screen is shown. */
	const struct hint *(*hints)(const struct app *a, size_t *n);
	/* How the page size (PgUp/PgDn) is measured: table rows, or lines of
	 * a scrolled text (both the body height less a title line); a menu
	 * or form leaves the table's page as it is. */
	bool pages_rows;
	bool pages_text;
	/* Shown with the table: panes may take the focus and the mouse. */
	bool with_table;
	/* Needs tcp_info from the kernel while shown (the details). */
	bool wants_tcp_info;
};

/* The screen of mode m (the table for an unknown mode). */
const struct screen *screen_of(enum app_mode m);

/* The screens, one per file. */
extern const struct screen screen_table;
extern const struct screen screen_help;
extern const struct screen screen_details;
extern const struct screen screen_sort;
extern const struct screen screen_columns;
extern const struct screen screen_newep;
extern const struct screen screen_form;
extern const struct screen screen_filterhelp;
extern const struct screen screen_group;
/* Frees the grouped view's state (NULL allowed). */
void screen_group_free(struct app_groups *g);
/* What the grouped view groups by (enum group_by: --group=BY, g, S). */
void screen_group_set_by(struct app *a, int by);
/* True while the grouped view is shown grouped by service: the collector
 * must read each owner's cgroup. */
bool screen_group_wants_services(const struct app *a);
extern const struct screen screen_events;
extern const struct screen screen_netns;
/* N: turns --all-netns on (the Netns column with it) and opens the
 * namespace chooser (screen_netns.c). */
unsigned screen_netns_open(struct app *a);
extern const struct screen screen_lab;
extern const struct screen screen_tour;

/* Helpers shared by the screens (screen.c). */
/* The table's actions, for screens that pass on what they do not handle. */
unsigned screen_table_action(struct app *a, enum action act, int64_t now);
/* Scrolling keys of a text screen: moves a->scroll; false if act is not
 * one. */
bool screen_scroll(struct app *a, enum action act);
/* Moves the cursor *cur of a menu of n entries; false if act is not a
 * move. */
bool screen_menu_move(size_t *cur, size_t n, enum action act);
/* The keys of the sort and columns menus on a->menu_cur over n entries:
 * moves, Enter/Space call choose, Esc (or s, c) closes, q quits. */
unsigned screen_menu_action(struct app *a, enum action act, size_t n,
			    unsigned (*choose)(struct app *a, int64_t now), int64_t now);
/* Draws a menu: a title line, then n entries (label(k) with a mark),
 * the entry cur highlighted and kept in view. */
void screen_menu_build(struct view *v, int y0, int h, const char *title, size_t n, size_t cur,
		       void (*entry)(const struct app *a, size_t k, char *mark, size_t marklen,
				     const char **label),
		       const struct app *a);

/* The footer hints of the sort and columns menus. */
const struct hint *screen_menu_hints(const struct app *a, size_t *n);

#define SCREEN_HINTS(arr, n) (*(n) = sizeof(arr) / sizeof((arr)[0]), (arr))

#endif
