/* view.h - the view model: the whole screen as lines of styled text.
 *
 * view_build() turns the app state into what the terminal shows, for a
 * given size: the header, the column titles, the visible table rows (only
 * those: at 10^5 sockets nothing else is formatted), the help, details or
 * menu screens, and the footer with key hints, a message or the prompt.
 * Every string is escaped and fitted to its column here, so the curses
 * layer only paints spans: it never measures, cuts or escapes anything.
 *
 * A line is a run of spans; each span is safe text with a style and its
 * width in terminal columns. After the last span the line is filled with
 * the line's fill style. Spans and text stay valid until the next
 * view_build or view_free. */
#ifndef SOCKVIEW_VIEW_H
#define SOCKVIEW_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cell.h"
#include "pane.h"

struct app;
struct app_geom;

enum view_style {
	VS_NORMAL,
	VS_HEADER,      /* header text */
	VS_HEADER_KEY,  /* numbers and names in the header */
	VS_WARN,        /* PAUSED, INCONSISTENT, errors in the header */
	VS_COLHEAD,     /* column titles */
	VS_COLHEAD_SORT,/* the title of the sort column */
	VS_SELECTED,    /* the selected row */
	VS_NEW,         /* a socket seen for the first time a moment ago */
	VS_GONE,        /* a socket that disappeared in the last refresh */
	VS_DIM,         /* hidden protocols, hints, "—" */
	VS_KEY,         /* a key in the footer hints */
	VS_KEYLABEL,    /* what the key does */
	VS_MSG,         /* a message */
	VS_ERROR,       /* an error message */
	VS_TITLE,       /* title of the help/details/menu screens */
	VS_LABEL,       /* a label in the details ("RTT") */
	VS_SECTION,     /* a section heading in the details */
	VS_PROMPT,      /* the "Search:" / "Filter:" label */
	VS_OWN,         /* a socket of sockview's own endpoints */
	VS_PANE_TITLE,  /* a pane's title bar */
	VS_PANE_FOCUS,  /* the focused pane's title bar */
	VS_TR_SEND,     /* a transcript line: bytes sent */
	VS_TR_EVENT,    /* a transcript line: connect, disconnect, info */
	VS_TR_ERROR,    /* a transcript line: an error */
	VS_FIELD,       /* a text field of the form */
	VS_CHOICE,      /* the chosen value of a choice field */
	VS_MAX_
};

struct view_span {
	size_t off, len;      /* bytes in view.text */
	size_t width;         /* terminal columns */
	enum view_style style;
};

struct view_line {
	size_t first, n;      /* spans */
	enum view_style fill; /* style of the rest of the line */
};

/* Where each table column is, for mouse clicks on the titles. */
struct view_col {
	enum col c;
	int x, w;
};

/* Fixed layout limits. */
#define VIEW_MIN_W 20
#define VIEW_MIN_H 6
/* From this refresh interval on, the header warns that the table is slow
 * to change and says how to refresh at once. */
#define VIEW_LONG_DELAY_MS 10000

struct view {
	int width, height;
	bool too_small;
	enum esc_charset cs;

	struct view_line *lines; /* height lines, top to bottom */
	size_t lines_cap;
	struct view_span *spans;
	size_t nspans, spans_cap;
	struct buf text;

	/* geometry of the table, for the mouse */
	int colhead_y;      /* -1 when no table is shown */
	int rows_y, rows_h; /* first data line and how many lines */
	size_t first_row;   /* app row shown at rows_y */
	struct view_col cols[COL_MAX_];
	int ncols;

	/* text screens: the last useful scroll position (app_set_scroll_max) */
	size_t scroll_max;

	/* the text cursor of the prompt, if one is open */
	bool cursor_on;
	int cursor_x, cursor_y;

	/* where the panes are, for the mouse */
	struct view_pane {
		int x, y, w, h;
		size_t index;      /* in the endpoint manager */
	} panes[PANE_SHOWN_MAX];
	int npanes;
	struct pane_text ptext[PANE_SHOWN_MAX]; /* their transcripts */

	struct buf scratch;  /* escaping one string at a time */
	struct buf cellbuf;  /* the table's cells, the prompt's text */
};

void view_init(struct view *v);
void view_free(struct view *v);

/* The layout of a screen of size width x height for the app at time now:
 * how many table rows (or text lines) fit, which pane comes first. The app
 * applies it (app_set_geometry) before the view is built; app_draw does
 * both. */
void view_geometry(const struct app *a, int width, int height, int64_t now,
		   struct app_geom *g);
/* Builds the screen for the app at size width x height at time now. The
 * app is not changed: what the build measured that the app keeps (the
 * last scroll position of a text screen) is left in v->scroll_max. */
void view_build(struct view *v, const struct app *a, int width, int height, int64_t now);

/* The text of span i (not NUL-terminated; see span.len). */
const char *view_span_text(const struct view *v, const struct view_span *sp);

/* Renders line y as plain text (spans and padding, no styles), for tests
 * and debugging; the result is NUL-terminated in out (reset first). */
void view_line_text(const struct view *v, int y, struct buf *out);

/* Column layout: which of the enabled columns fit in width, where they go.
 * natural[c] is the width column c would like (title and cell contents);
 * columns are dropped by priority until the rest fit, then the flexible
 * ones shrink towards their minimum. Returns the number of columns placed
 * in out (in table order). Exposed for tests. */
int view_layout(unsigned enabled, const size_t natural[COL_MAX_], int width,
		struct view_col out[COL_MAX_]);

/* Appends text (safe, already escaped; len bytes, width w) to out shortened
 * to at most maxw columns, cutting at the end or in the middle with an
 * ellipsis ("…" in UTF-8, "~" otherwise). Returns the width appended. */
size_t view_fit(struct buf *out, const char *text, size_t len, size_t w, size_t maxw,
		enum col_cut cut, enum esc_charset cs);

/* A plain-words explanation of a socket's state (translated). */
const char *view_state_explain(const struct sock *s);

#endif
