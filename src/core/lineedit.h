/* lineedit.h - a one-line text editor (no curses): the search and filter
 * prompts, the input line of the endpoint panes, the fields of the new
 * endpoint form.
 *
 * The text is UTF-8 with the cursor at a byte offset that is always on a
 * character boundary. Keys are the codes of keys.h. The editor stores what
 * the user typed, raw; whoever shows it escapes it (escape.h). */
#ifndef SOCKVIEW_LINEEDIT_H
#define SOCKVIEW_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

/* Room for the text, NUL included. */
#define LINEEDIT_MAX 512

struct lineedit {
	char text[LINEEDIT_MAX];
	size_t len, cur;
};

/* Replaces the text (cut to fit, on a character boundary) and puts the
 * cursor at its end. */
void lineedit_set(struct lineedit *e, const char *text);
/* Empties the line. */
void lineedit_clear(struct lineedit *e);

/* Applies one key: Left/Right, Home/End (also Ctrl-A/Ctrl-E),
 * Backspace/Delete (also Ctrl-H/Ctrl-D), Ctrl-U (delete to the start),
 * Ctrl-K (delete to the end), Ctrl-W (delete the word before the cursor),
 * and printable characters (inserted). Returns true if the text changed;
 * *handled says whether the key was an editing key at all (a key that is
 * not, like Enter or Up, is left to the caller). */
bool lineedit_key(struct lineedit *e, int key, bool *handled);

#endif
