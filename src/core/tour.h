/* tour.h - the guided tour of the tutorials' experiments (T, --tour; no
 * curses). A fixed sequence of steps; each says what a socket tutorial
 * teaches, what to press, and is done when the live state shows it: the
 * snapshot (rows of the table, whatever its filter, marked as sockview's
 * by the panes' sockets) and the panes' endpoints. Nothing is assumed from
 * the keys pressed.
 *
 * The app keeps a struct tour; tour_update() runs after each key and each
 * new snapshot and moves on past every step that is done. Leaving (Esc)
 * keeps the step: T resumes there. */
#ifndef SOCKVIEW_TOUR_H
#define SOCKVIEW_TOUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;

struct tour {
	bool active;     /* the tour's box is shown, steps are checked */
	size_t step;     /* the current step (TOUR_STEPS: finished) */
	size_t last_done; /* 1 + the step confirmed last (0: none yet) */
};

/* The steps' texts (translated). */
struct tour_step {
	const char *title;   /* "What a socket is" */
	const char *text;    /* what the tutorial teaches, two or three lines */
	const char *todo;    /* what to press */
	const char *confirm; /* said when the table shows it */
};

size_t tour_count(void);
/* Step i (0-based) with translated texts; i < tour_count(). */
void tour_step(size_t i, struct tour_step *out);
/* True if the live state shows what step i asks for. */
bool tour_step_done(const struct app *a, size_t i);
/* Moves past the steps that are done; true if the step changed. */
bool tour_update(struct app *a);
/* Starts the tour, or resumes it where it was left. */
void tour_start(struct app *a);

#endif
