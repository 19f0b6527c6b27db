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

/* The longest text of any field, in bytes: the prompts (so the table's
 * search and filter, TABLE_TEXT_MAX), the panes' input lines, the form's
 * fields, and the -f option (options.c). The filter language takes as much
 * (FILTER_MAX_LEN). Input past it is refused (lineedit_over), never cut. */
#define LINEEDIT_TEXT_MAX 4096
/* Room for the text, NUL included. */
#define LINEEDIT_MAX (LINEEDIT_TEXT_MAX + 1)

struct lineedit {
	char text[LINEEDIT_MAX];
	size_t len, cur;
	/* input was refused (no room) since the text last got shorter: what
	 * the field holds is not all that was typed or pasted */
	bool over;
};

/* Replaces the text and puts the cursor at its end. A text longer than
 * LINEEDIT_TEXT_MAX is cut on a character boundary and marks the line
 * lineedit_over. */
void lineedit_set(struct lineedit *e, const char *text);
/* Empties the line. */
void lineedit_clear(struct lineedit *e);

/* Applies one key: Left/Right, Home/End (also Ctrl-A/Ctrl-E),
 * Backspace/Delete (also Ctrl-H/Ctrl-D), Ctrl-U (delete to the start),
 * Ctrl-K (delete to the end), Ctrl-W (delete the word before the cursor),
 * and printable characters (inserted; one that does not fit is refused and
 * marks the line lineedit_over). Returns true if the text changed;
 * *handled says whether the key was an editing key at all (a key that is
 * not, like Enter or Up, is left to the caller). */
bool lineedit_key(struct lineedit *e, int key, bool *handled);

/* True when input was refused for want of room since the text last got
 * shorter: the caller tells the user, and must not apply or send the text
 * as if it were what was typed. */
bool lineedit_over(const struct lineedit *e);

#endif
