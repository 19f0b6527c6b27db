/* pane.h - the model of an endpoint pane and the layout of the panes (no
 * curses).
 *
 * A pane shows one endpoint (endpoint.h): a title, its transcript wrapped to
 * the pane's width (as text with the bytes escaped, or as a hex dump), and,
 * when the endpoint takes input (a client, a chat server), an input line
 * with the usual editing keys and a history of the lines sent.
 *
 * Scrolling. By default a pane follows the end of its transcript. Scrolled
 * back, it remembers the entry shown at its bottom line by sequence number
 * (transcript.h), so what the user reads stays put while new entries
 * arrive. The line counts depend on the width: the pane remembers the
 * geometry of its last render and scrolls by that.
 *
 * Rendering produces safe text (escaped, no line wider than asked), so the
 * view only places it. */
#ifndef SOCKVIEW_PANE_H
#define SOCKVIEW_PANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "endpoint.h"
#include "escape.h"
#include "lineedit.h"
#include "transcript.h"

struct filter_hist;

/* Lines of input remembered per pane (Up/Down). */
#define PANE_HISTORY 50

struct pane {
	struct endpoint *ep;      /* owned: freed with the pane */
	unsigned id;              /* the number shown: [1], [2]... */
	struct lineedit in;       /* the input line */
	struct filter_hist *hist; /* lines sent, newest first */
	bool hex;                 /* data entries as a hex dump */
	bool lines;               /* data entries as text lines (not hex) */
	uint64_t anchor;          /* seq of the entry at the bottom; 0: the end */
	size_t anchor_skip;       /* lines of that entry below the bottom */
	int last_w, last_h;       /* transcript area of the last render */
	enum esc_charset last_cs;
	size_t sock_cursor;       /* which socket F7 selects next */
	/* the network namespace its sockets are in, raw (a name or "pid N
	 * (comm)": escape it), when not sockview's own or under -N NAME;
	 * netns_len 0: none to say (app_epns.h) */
	char netns[96];
	size_t netns_len;
	uint32_t netns_ino;       /* that namespace's inode; 0: sockview's own */
	struct buf scratch;
};

/* A pane for ep, which it then owns; never NULL. */
struct pane *pane_new(struct endpoint *ep, unsigned id);
/* Frees the endpoint (closing its sockets, removing its socket file) and
 * the pane; NULL is allowed. */
void pane_free(struct pane *p);

/* True when the pane shows an input line (endpoint_accepts_input). */
bool pane_has_input(const struct pane *p);
/* True while the pane follows the end of its transcript. */
bool pane_following(const struct pane *p);

/* Effects of pane_key (a bit set; 0: the key was not for the pane). */
#define PANE_HANDLED 0x1u /* the key was used (redraw) */
#define PANE_SENT 0x2u    /* a line was sent (or its failure noted) */
#define PANE_OVER 0x4u    /* the input line is over its limit (lineedit_over):
			   * the text was refused, or Enter did not send it */
#define PANE_RECONNECT 0x8u /* Enter on a client whose connection ended: the
			     * line was kept, connecting again is up to the caller */

/* Handles a key while the pane has the focus: editing keys and printable
 * characters edit the input line, Enter sends it (endpoint_send_line; the
 * transcript says what happened; not while lineedit_over: PANE_OVER), Up/Down
 * browse the history, PgUp/PgDn
 * scroll (and Up/Down/Home/End too when there is no input line). Function
 * keys and keys the pane does not use return 0. */
unsigned pane_key(struct pane *p, int key);

/* Scrolls by n lines (negative: back to older entries), clamped, at the
 * geometry of the last render. */
void pane_scroll(struct pane *p, long n);
/* Back to following the end. */
void pane_scroll_end(struct pane *p);
/* To the oldest entry kept. */
void pane_scroll_home(struct pane *p);

/* One rendered line: safe text in pane_text.t, its width, what it shows. */
struct pane_line {
	size_t off, len, width;
	enum tr_kind kind;
	bool blank; /* padding below a short transcript */
};

struct pane_text {
	struct pane_line *l;
	size_t n, cap;
	struct buf t;
};

void pane_text_init(struct pane_text *pt);
void pane_text_free(struct pane_text *pt);

/* Renders exactly h lines (h >= 0) of the transcript, w columns wide at
 * most (w >= 1), ending at the scroll position; a transcript shorter than
 * h starts at the top (blank lines below it). Remembers w, h and cs for scrolling.
 * Long entries wrap (continuation lines indented by two columns). */
void pane_render(struct pane *p, int w, int h, enum esc_charset cs, struct pane_text *out);

/* ---- layout ---- */

/* Narrowest and lowest a pane is laid out (title, one transcript line and
 * the input line). */
#define PANE_MIN_W 36
#define PANE_MIN_H 3
/* Lines the table keeps, at least, while panes are shown (its title and
 * some rows), unless the screen is smaller. */
#define PANE_TABLE_MIN 6
/* Most panes shown at once; the others are reached with Tab. */
#define PANE_SHOWN_MAX 16
#define PANE_NONE ((size_t)-1)

struct pane_rect {
	int x, y, w, h;
};

struct pane_layout {
	struct pane_rect table;   /* h == 0: the table is not shown */
	size_t first, nshown;     /* panes first .. first + nshown - 1 shown */
	struct pane_rect rect[PANE_SHOWN_MAX];
	bool separator[PANE_SHOWN_MAX]; /* a column separator left of rect[i] */
};

/* Lays out the body (x, y, w, h) for npanes panes: the table on top, the
 * panes below it in a grid (side by side when the width allows). focus is
 * the focused pane or PANE_NONE; zoom gives the focused pane the whole
 * body. When not all panes fit, a window of them is shown that contains
 * the focused one, starting at prev_first when possible. */
void pane_layout(int x, int y, int w, int h, size_t npanes, size_t focus, bool zoom,
		 size_t prev_first, struct pane_layout *out);
/* Panes that hold little need not take their share of the body: lowers
 * each row of panes of l to want_h lines (PANE_MIN_H at least) when it is
 * taller, and gives the lines saved to the table above them. Nothing
 * changes for a zoomed pane or a layout without a table. */
void pane_layout_fit(struct pane_layout *l, int want_h);

#endif
