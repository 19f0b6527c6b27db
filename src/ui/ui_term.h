/* ui_term.h - the terminal: set-up, teardown, input, painting (curses).
 *
 * The only module (with its ui_*.c siblings) that talks to curses. It turns
 * the terminal's input into key codes of keys.h and mouse events, and paints
 * a view model (view.h) span by span. It measures, cuts and escapes
 * nothing: the view model did that. */
#ifndef SOCKVIEW_UI_TERM_H
#define SOCKVIEW_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "view.h"

struct ui_term;

/* Mouse events, for ui_event.mouse. */
enum ui_mouse {
	UI_MOUSE_NONE,
	UI_MOUSE_CLICK,
	UI_MOUSE_DOUBLE,
	UI_MOUSE_WHEEL_UP,
	UI_MOUSE_WHEEL_DOWN,
};

struct ui_event {
	int key;             /* keys.h code; KC_MOUSE for mouse events */
	enum ui_mouse mouse; /* with KC_MOUSE */
	int x, y;            /* with KC_MOUSE: the cell */
};

/* Takes over the terminal on stdin/stdout (newterm, never initscr: an
 * unknown TERM must not exit the process). color: use colours if the
 * terminal has them. Returns NULL with a translated reason in err. */
struct ui_term *ui_term_open(bool color, char *err, size_t errlen);
/* Gives the terminal back (endwin) and frees t; NULL is allowed. */
void ui_term_close(struct ui_term *t);
/* Ends curses mode if it is on, for paths that cannot clean up otherwise
 * (the allocation-failure hook). Safe to call at any time. */
void ui_term_emergency(void);

/* Reads the window size from the terminal (TIOCGWINSZ) and resizes curses:
 * SIGWINCH goes to our signalfd, so curses never sees it. */
void ui_term_resize(struct ui_term *t);
/* Ctrl-Z (whole_group: stops the whole job, as the terminal would) or
 * SIGTSTP (only this process: the sender chose whom to stop): gives the
 * terminal back to the shell (endwin) and stops; returns once continued.
 * The next ui_term_draw takes the screen again, redrawn whole. */
void ui_term_suspend(struct ui_term *t, bool whole_group);
/* SIGCONT (also after a SIGSTOP, which cannot be caught): the next
 * ui_term_draw sets the terminal up again and repaints every cell. */
void ui_term_continued(struct ui_term *t);
/* If this process group is not the terminal's foreground job (bg, or
 * kill -CONT after a stop), stops it with SIGTTOU like a background job that
 * wants the terminal, until fg. Returns whether it is the foreground job now
 * (false only if the kernel would not stop it: an orphaned job).
 * ui_term_draw calls it first, so nothing is written over the shell's. */
bool ui_term_wait_foreground(struct ui_term *t);
/* Current size in cells. */
void ui_term_size(const struct ui_term *t, int *width, int *height);

/* The next input event, without blocking (but for a lone Esc, which waits
 * a moment for the rest of a sequence); false if none. Events come from
 * the bytes already read; may_read: read more from stdin when those are
 * used up (false: only drain them, so that a pass of the loop ends with
 * nothing decodable left behind). */
bool ui_term_read(struct ui_term *t, struct ui_event *ev, bool may_read);

/* Paints the view and updates the physical screen once. */
void ui_term_draw(struct ui_term *t, const struct view *v);
/* Forces a full repaint on the next draw (Ctrl-L). */
void ui_term_clear(struct ui_term *t);

#endif
