/* draw.h - the drawing kit of the view model (no curses).
 *
 * The view (view.c) and the screens (core/screen/) build their lines with
 * these: a line builder that appends styled spans and cuts with an
 * ellipsis what does not fit, wrapped label/value lists for the text
 * screens, the text field of prompts, panes and forms, the key hints of
 * the footer. Every function takes safe (escaped) text unless it says it
 * escapes. */
#ifndef SOCKVIEW_DRAW_H
#define SOCKVIEW_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "cell.h"
#include "escape.h"
#include "keys.h"
#include "lineedit.h"
#include "view.h"

/* Builds lines top to bottom; each line's spans are contiguous. */
struct lb {
	struct view *v;
	int y;       /* line being built, -1 before the first */
	size_t x;    /* columns used */
	bool cut;    /* the line is full and ends with an ellipsis */
};

#define LB_INIT(view) { (view), -1, 0, false }

/* Starts line y (outside the screen: the calls that follow do nothing);
 * the rest of the line is filled with style fill. */
void ln_start(struct lb *b, int y, enum view_style fill);
/* Columns left on the line. */
size_t ln_room(const struct lb *b);
/* Adds safe text len bytes long, w columns wide; what does not fit is cut
 * with an ellipsis in the last column, so nothing is lost silently. */
void ln_safe(struct lb *b, const char *s, size_t len, size_t w, enum view_style st);
/* n spaces, cut silently at the edge. */
void ln_space(struct lb *b, size_t n, enum view_style st);
/* Adds any bytes (from outside or translated), escaped on the way. */
void ln_text(struct lb *b, const char *s, size_t len, enum view_style st);
/* The same, in at most w columns: a longer text is cut with an ellipsis in
 * its last column (the line goes on after it). */
void ln_text_w(struct lb *b, const char *s, size_t len, size_t w, enum view_style st);
void ln_puts(struct lb *b, const char *s, enum view_style st);
void ln_printf(struct lb *b, enum view_style st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* n columns of padding; up to column x. */
void ln_pad(struct lb *b, size_t n, enum view_style st);
void ln_to(struct lb *b, size_t x, enum view_style st);
/* An empty line y. */
void ln_blank(struct lb *b, int y);
/* Appends the escaped text of e, scrolled so that the cursor stays within
 * room columns, as one span; returns the cursor's column relative to where
 * the text starts. */
size_t ln_field(struct lb *b, const struct lineedit *e, size_t room, bool focused,
		enum view_style st);

/* "…" in UTF-8, "~" otherwise (*len bytes, one column). */
const char *draw_ellipsis(enum esc_charset cs, size_t *len);
/* Byte offset of the shortest suffix of s that is at most maxw wide (*w). */
size_t draw_suffix_start(const char *s, size_t len, size_t maxw, enum esc_charset cs,
			 size_t *w);
/* Appends safe text t fitted to room to store; sets *off, *len, *w. */
void draw_fit_store(struct buf *store, const struct buf *t, size_t room, enum col_cut cut,
		    enum esc_charset cs, size_t *off, size_t *len, size_t *w);

/* Text screens (help, details): label/value lines, values wrapped. */
struct textline {
	size_t loff, llen; /* label */
	size_t voff, vlen; /* value */
	size_t vind;       /* the value starts (and wraps) this much after the labels */
	enum view_style lst, vst;
};

struct textlines {
	struct textline *l;
	size_t n, cap;
	struct buf t; /* escaped text of all lines */
	enum esc_charset cs;
};

#define TEXTLINES_INIT(charset) { NULL, 0, 0, BUF_INIT, (charset) }

/* Adds a line: label (may be NULL) and value (NUL-terminated, or vlen raw
 * bytes when val_raw), both escaped here. */
void tl_add(struct textlines *tl, const char *label, enum view_style lst,
	    const char *val, size_t vlen, bool val_raw, enum view_style vst);
/* A label and a printf-made value. */
void tl_kv(struct textlines *tl, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A blank line and a section title. */
void tl_section(struct textlines *tl, const char *title);
/* A value without label, starting and wrapping indent columns after the
 * labels' column (less when the window is too narrow for it). val is the
 * program's own text (or its translation), NUL-terminated: escaped here,
 * but its backslashes stay single, for a text that teaches typing them. */
void tl_indented(struct textlines *tl, size_t indent, const char *val, enum view_style vst);
void tl_free(struct textlines *tl);
/* Where the next line of a wrapped value starts: the bytes shown (*plen,
 * *pw wide) and the bytes consumed (returned). */
size_t tl_wrap(const char *vs, size_t vlen, size_t vw, enum esc_charset cs, size_t *plen,
	       size_t *pw);
/* Shows the lines from line scroll on, at y0 in h lines: labels in the
 * first lw columns, values after them, wrapped. A scroll past the end
 * shows the last page. Returns the last useful scroll position. */
size_t tl_render(struct view *v, size_t scroll, const struct textlines *tl, int y0, int h,
		 size_t lw);

/* A key hint of the footer: "F1" "Help", made from the actions it names
 * (keys_hint_text). label is N_() marked. */
struct hint {
	struct key_set keys;
	const char *label;
};

/* Adds the hints that fit whole (a cut one would read as another key); the
 * last one (how to leave the screen) stays when others are dropped. */
void draw_hints(struct lb *b, const struct hint *h, size_t n);

#endif
