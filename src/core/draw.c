/* draw.c - the drawing kit of the view: lines of spans, fitted text,
 * wrapped label/value lists, text fields, key hints. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "i18n.h"
#include "utf8.h"
#include "xalloc.h"


void ln_start(struct lb *b, int y, enum view_style fill)
{
	struct view_line *l;

	if (y < 0 || y >= b->v->height) {
		b->y = -1;
		return;
	}
	b->y = y;
	b->x = 0;
	b->cut = false;
	l = &b->v->lines[y];
	l->first = b->v->nspans;
	l->n = 0;
	l->fill = fill;
}

size_t ln_room(const struct lb *b)
{
	if (b->y < 0)
		return 0;
	return (size_t)b->v->width > b->x ? (size_t)b->v->width - b->x : 0;
}

static void span_add(struct lb *b, const char *s, size_t len, size_t w, enum view_style st)
{
	struct view *v = b->v;
	struct view_span *sp;

	xgrow((void **)&v->spans, &v->spans_cap, v->nspans + 1, sizeof(*v->spans));
	sp = &v->spans[v->nspans++];
	sp->off = v->text.len;
	sp->len = len;
	sp->width = w;
	sp->style = st;
	buf_append(&v->text, s, len);
	v->lines[b->y].n++;
	b->x += w;
}

/* Text arrived for a line that is already full: its last column becomes
 * an ellipsis, so nothing is lost silently. The last span of the line is the
 * last text appended, so it can be shortened in place. */
static void ln_mark_cut(struct lb *b)
{
	struct view *v = b->v;
	struct view_line *l = &v->lines[b->y];
	struct view_span *sp;
	size_t w = 0, n, elen;
	const char *el;

	if (b->cut || !l->n)
		return;
	b->cut = true;
	sp = &v->spans[l->first + l->n - 1];
	if (!sp->width)
		return;
	n = esc_prefix(v->text.data + sp->off, sp->len, sp->width - 1, v->cs, &w);
	v->text.len = sp->off + n;
	b->x -= sp->width - w;
	sp->len = n;
	sp->width = w;
	el = draw_ellipsis(v->cs, &elen);
	span_add(b, el, elen, 1, sp->style);
}

/* Adds safe text of known width. Text that does not fit in the room left
 * is cut with an ellipsis in the last column, so nothing is lost silently. */
void ln_safe(struct lb *b, const char *s, size_t len, size_t w, enum view_style st)
{
	size_t room = ln_room(b), elen;
	const char *el;

	if (b->y < 0 || !len || b->cut)
		return;
	if (!room) {
		ln_mark_cut(b);
		return;
	}
	if (w <= room) {
		span_add(b, s, len, w, st);
		return;
	}
	len = esc_prefix(s, len, room - 1, b->v->cs, &w);
	if (len)
		span_add(b, s, len, w, st);
	el = draw_ellipsis(b->v->cs, &elen);
	span_add(b, el, elen, 1, st);
	b->cut = true;
}

/* Whitespace: cut silently at the edge. */
void ln_space(struct lb *b, size_t n, enum view_style st)
{
	size_t room = ln_room(b);

	if (b->y < 0 || !n || !room)
		return;
	span_add(b, "                                                                ",
		 n < room ? n : room, n < room ? n : room, st);
}

/* Adds any bytes (from outside or translated), escaped on the way. */
void ln_text(struct lb *b, const char *s, size_t len, enum view_style st)
{
	struct buf *t = &b->v->scratch;
	size_t w;

	buf_reset(t);
	w = esc_display(t, s, len, b->v->cs);
	ln_safe(b, t->data ? t->data : "", t->len, w, st);
}

void ln_text_w(struct lb *b, const char *s, size_t len, size_t w, enum view_style st)
{
	struct buf *t = &b->v->scratch;
	size_t tw, pw, plen, elen;
	const char *el;

	if (!w)
		return;
	buf_reset(t);
	tw = esc_display(t, s, len, b->v->cs);
	if (tw <= w) {
		ln_safe(b, t->data ? t->data : "", t->len, tw, st);
		return;
	}
	plen = esc_prefix(t->data, t->len, w - 1, b->v->cs, &pw);
	ln_safe(b, t->data, plen, pw, st);
	el = draw_ellipsis(b->v->cs, &elen);
	ln_safe(b, el, elen, 1, st);
}

void ln_puts(struct lb *b, const char *s, enum view_style st)
{
	ln_text(b, s, strlen(s), st);
}

void ln_printf(struct lb *b, enum view_style st, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	ln_puts(b, tmp, st);
}

void ln_pad(struct lb *b, size_t n, enum view_style st)
{
	while (n > 0 && ln_room(b)) {
		size_t k = n < 64 ? n : 64;

		ln_space(b, k, st);
		n -= k;
	}
}

/* Pads with fill style up to column x. */
void ln_to(struct lb *b, size_t x, enum view_style st)
{
	if (x > b->x)
		ln_pad(b, x - b->x, st);
}

void ln_blank(struct lb *b, int y)
{
	ln_start(b, y, VS_NORMAL);
}

void view_line_text(const struct view *v, int y, struct buf *out)
{
	size_t x = 0;

	buf_reset(out);
	if (y >= 0 && y < v->height && v->lines) {
		const struct view_line *l = &v->lines[y];

		for (size_t i = 0; i < l->n; i++) {
			const struct view_span *sp = &v->spans[l->first + i];

			buf_append(out, v->text.data + sp->off, sp->len);
			x += sp->width;
		}
	}
	while (x++ < (size_t)v->width)
		buf_putc(out, ' ');
	buf_putc(out, '\0');
	out->len--;
}

/* ---- fitting ---- */

const char *draw_ellipsis(enum esc_charset cs, size_t *len)
{
	if (cs == ESC_UTF8) {
		*len = 3;
		return "\xe2\x80\xa6";
	}
	*len = 1;
	return "~";
}

/* Byte offset of the shortest suffix of s that is at most maxw wide. s may
 * be NULL when len is 0 (an empty buf): no pointer arithmetic on it then,
 * since even NULL + 0 is undefined. */
size_t draw_suffix_start(const char *s, size_t len, size_t maxw, enum esc_charset cs,
			   size_t *w)
{
	size_t i = len, best = len;

	*w = 0;
	if (!s || len == 0)
		return 0;
	while (i > 0) {
		size_t j = utf8_prev(s, i), sw;

		sw = esc_width(s + j, len - j, cs);
		if (sw > maxw)
			break;
		best = j;
		*w = sw;
		i = j;
	}
	return best;
}

size_t view_fit(struct buf *out, const char *text, size_t len, size_t w, size_t maxw,
		enum col_cut cut, enum esc_charset cs)
{
	size_t elen, pw, sw, plen, soff;
	const char *el = draw_ellipsis(cs, &elen);

	if (w <= maxw) {
		buf_append(out, text, len);
		return w;
	}
	if (!maxw)
		return 0;
	if (maxw == 1) {
		buf_append(out, el, elen);
		return 1;
	}
	if (cut == CUT_END || maxw < 5) {
		plen = esc_prefix(text, len, maxw - 1, cs, &pw);
		buf_append(out, text, plen);
		buf_append(out, el, elen);
		return pw + 1;
	}
	/* middle: keep the end (the port, the file name) a little longer */
	soff = draw_suffix_start(text, len, (maxw - 1) / 2 + ((maxw - 1) % 2), cs, &sw);
	plen = esc_prefix(text, len, maxw - 1 - sw, cs, &pw);
	buf_append(out, text, plen);
	buf_append(out, el, elen);
	if (len > soff)
		buf_append(out, text + soff, len - soff);
	return pw + 1 + sw;
}



void tl_add(struct textlines *tl, const char *label, enum view_style lst,
		   const char *val, size_t vlen, bool val_raw, enum view_style vst)
{
	struct textline *l;

	xgrow((void **)&tl->l, &tl->cap, tl->n + 1, sizeof(*tl->l));
	l = &tl->l[tl->n++];
	l->loff = tl->t.len;
	if (label)
		esc_display(&tl->t, label, strlen(label), tl->cs);
	l->llen = tl->t.len - l->loff;
	l->voff = tl->t.len;
	if (val) {
		if (val_raw)
			esc_display(&tl->t, val, vlen, tl->cs);
		else
			esc_display(&tl->t, val, strlen(val), tl->cs);
	}
	l->vlen = tl->t.len - l->voff;
	l->vind = 0;
	l->lst = lst;
	l->vst = vst;
}

void tl_kv(struct textlines *tl, const char *label, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	tl_add(tl, label, VS_LABEL, tmp, 0, false, VS_NORMAL);
}

void tl_section(struct textlines *tl, const char *title)
{
	tl_add(tl, NULL, VS_NORMAL, NULL, 0, false, VS_NORMAL);
	tl_add(tl, title, VS_SECTION, NULL, 0, false, VS_NORMAL);
}

void tl_indented(struct textlines *tl, size_t indent, const char *val, enum view_style vst)
{
	struct textline *l;

	tl_add(tl, NULL, VS_NORMAL, NULL, 0, false, vst);
	l = &tl->l[tl->n - 1];
	/* a backslash is printable: only outside bytes need it doubled, to
	 * tell it from the escapes made of them */
	for (const char *bs; (bs = strchr(val, '\\')); val = bs + 1) {
		esc_display(&tl->t, val, (size_t)(bs - val), tl->cs);
		buf_putc(&tl->t, '\\');
	}
	esc_display(&tl->t, val, strlen(val), tl->cs);
	l->vlen = tl->t.len - l->voff;
	l->vind = indent;
}

void tl_free(struct textlines *tl)
{
	free(tl->l);
	buf_free(&tl->t);
}

/* Where the next line of a wrapped value starts: the bytes shown (*plen,
 * *pw wide) and the bytes consumed (returned). Wraps at a space when the
 * line has one, else at the width. */
size_t tl_wrap(const char *vs, size_t vlen, size_t vw, enum esc_charset cs,
		      size_t *plen, size_t *pw)
{
	size_t n = esc_prefix(vs, vlen, vw, cs, pw), sp;

	if (vlen && !n) {
		/* a character wider than the column: show it anyway */
		*plen = vlen;
		*pw = esc_width(vs, vlen, cs);
		return vlen;
	}
	*plen = n;
	if (n >= vlen)
		return n;
	for (sp = n; sp > 0 && vs[sp - 1] != ' '; sp--)
		;
	if (!sp)
		return n;
	*plen = sp - 1;
	*pw = esc_width(vs, sp - 1, cs);
	return sp;
}

/* Number of screen lines a value takes. */
static size_t tl_wrapped(const char *vs, size_t vlen, size_t vw, enum esc_charset cs)
{
	size_t lines = 0, plen, pw;

	do {
		size_t adv = tl_wrap(vs, vlen, vw, cs, &plen, &pw);

		vs += adv;
		vlen -= adv;
		lines++;
	} while (vlen > 0);
	return lines;
}

/* The indent of l's value where values are vw wide: none when it would
 * leave the value fewer than 20 columns. */
static size_t tl_vind(const struct textline *l, size_t vw)
{
	return l->vind + 20 <= vw ? l->vind : 0;
}

/* Shows lines [scroll, scroll + h) at y0: labels in the first lw columns,
 * values after them; a value too long for the line continues on the next
 * ones (nothing is cut in the details). A scroll past the end shows the
 * last page. Returns the last useful scroll position. */
size_t tl_render(struct view *v, size_t scroll, const struct textlines *tl, int y0, int h,
		 size_t lw)
{
	struct lb b = { v, -1, 0 };
	size_t total = 0, skip, y = 0, vw, max;

	if (lw + 10 > (size_t)v->width)
		lw = (size_t)v->width / 3;
	vw = (size_t)v->width > lw ? (size_t)v->width - lw : 1;
	for (size_t i = 0; i < tl->n; i++)
		total += tl_wrapped(tl->t.data + tl->l[i].voff, tl->l[i].vlen,
				    vw - tl_vind(&tl->l[i], vw), v->cs);
	max = total > (size_t)h && h > 0 ? total - (size_t)h : 0;
	if (h < 1)
		return max;
	skip = scroll < max ? scroll : max;
	for (size_t i = 0; i < tl->n && y < (size_t)h; i++) {
		const struct textline *l = &tl->l[i];
		const char *vs = tl->t.data + l->voff;
		size_t vlen = l->vlen, ind = tl_vind(l, vw);
		bool first = true;

		do {
			size_t pw = 0, plen = 0;
			size_t adv = vlen ? tl_wrap(vs, vlen, vw - ind, v->cs, &plen, &pw) : 0;

			if (skip) {
				skip--;
			} else if (y < (size_t)h) {
				ln_start(&b, y0 + (int)y, VS_NORMAL);
				if (first && l->llen)
					ln_safe(&b, tl->t.data + l->loff, l->llen,
						esc_width(tl->t.data + l->loff, l->llen, v->cs), l->lst);
				if (plen) {
					if (b.x >= lw && b.x)
						ln_pad(&b, 1, VS_NORMAL);
					ln_to(&b, lw + ind, VS_NORMAL);
					ln_safe(&b, vs, plen, pw, l->vst);
				}
				y++;
			}
			vs += adv;
			vlen -= adv;
			first = false;
		} while (vlen > 0);
	}
	for (; y < (size_t)h; y++)
		ln_blank(&b, y0 + (int)y);
	return max;
}

/* ---- text fields (pane input lines, form fields) ---- */

/* Appends the escaped text of e, scrolled so that the cursor stays within
 * room columns, as one span; returns the cursor's column relative to where
 * the text starts. */
size_t ln_field(struct lb *b, const struct lineedit *e, size_t room, bool focused,
		       enum view_style st)
{
	struct view *v = b->v;
	struct buf *t = &v->scratch;
	size_t cw, at = 0, skipw = 0, shown, sw;

	buf_reset(t);
	/* without the focus, the start of the text is what matters */
	cw = focused ? esc_display(t, e->text, e->cur, v->cs) : 0;
	buf_reset(t);
	esc_display(t, e->text, e->len, v->cs);
	if (room && cw >= room) {
		/* hide characters on the left until the cursor fits */
		size_t want = cw - room + 1;

		at = esc_prefix(t->data, t->len, want, v->cs, &skipw);
		if (skipw < want && at < t->len) {
			size_t w1 = 0, n1 = esc_prefix(t->data + at, t->len - at, 2, v->cs, &w1);

			at += n1;
			skipw += w1;
		}
	}
	shown = esc_prefix(t->data ? t->data + at : "", t->len - at, room, v->cs, &sw);
	if (shown)
		ln_safe(b, t->data + at, shown, sw, st);
	return cw - skipw;
}

/* Appends safe text t fitted to room; sets *off, *len, *w. */
void draw_fit_store(struct buf *store, const struct buf *t, size_t room, enum col_cut cut,
		      enum esc_charset cs, size_t *off, size_t *len, size_t *w)
{
	size_t tw = esc_width(t->data ? t->data : "", t->len, cs);

	*off = store->len;
	*w = view_fit(store, t->data ? t->data : "", t->len, tw, room, cut, cs);
	*len = store->len - *off;
}


/* Only whole hints: a cut one would read as a different key. */
/* The width of hint h (key and label), and its key text into key. */
static size_t hint_width(const struct lb *b, const struct hint *h, char *key, size_t keylen)
{
	const char *label = _(h->label);

	keys_hint_text(&h->keys, key, keylen);
	return esc_width(key, strlen(key), b->v->cs) + esc_width(label, strlen(label), b->v->cs);
}

static void hint_put(struct lb *b, const struct hint *h, const char *key, bool space)
{
	if (space)
		ln_space(b, 1, VS_NORMAL);
	ln_puts(b, key, VS_KEY);
	ln_puts(b, _(h->label), VS_KEYLABEL);
}

void draw_hints(struct lb *b, const struct hint *h, size_t n)
{
	char key[32], last_key[32];
	size_t last_w, shown = 0;

	if (!n)
		return;
	/* the last hint is how to leave (F10 Quit, Esc Cancel): it stays
	 * when narrowing drops the others */
	last_w = hint_width(b, &h[n - 1], last_key, sizeof(last_key));
	for (size_t i = 0; i + 1 < n; i++) {
		size_t w = hint_width(b, &h[i], key, sizeof(key)) + (shown ? 1 : 0);

		if (w + 1 + last_w > ln_room(b))
			break;
		hint_put(b, &h[i], key, shown > 0);
		shown++;
	}
	if (last_w + (shown ? 1 : 0) <= ln_room(b))
		hint_put(b, &h[n - 1], last_key, shown > 0);
}
