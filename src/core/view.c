/* view.c - from app state to styled, escaped, fitted lines. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "app.h"
#include "epman.h"
#include "form.h"
#include "i18n.h"
#include "keys.h"
#include "output.h"
#include "view.h"
#include "xalloc.h"

void view_init(struct view *v)
{
	memset(v, 0, sizeof(*v));
	for (int k = 0; k < PANE_SHOWN_MAX; k++)
		pane_text_init(&v->ptext[k]);
	buf_init(&v->text, 0);
	buf_init(&v->scratch, 0);
	buf_init(&v->cellbuf, 0);
	v->colhead_y = -1;
}

void view_free(struct view *v)
{
	free(v->lines);
	free(v->spans);
	buf_free(&v->text);
	buf_free(&v->scratch);
	buf_free(&v->cellbuf);
	for (int k = 0; k < PANE_SHOWN_MAX; k++)
		pane_text_free(&v->ptext[k]);
	memset(v, 0, sizeof(*v));
}

const char *view_span_text(const struct view *v, const struct view_span *sp)
{
	return v->text.data + sp->off;
}

static const char *ellipsis(enum esc_charset cs, size_t *len);

/* ---- line builder ----
 * Lines are built top to bottom; each line's spans are contiguous. */

struct lb {
	struct view *v;
	int y;       /* line being built, -1 before the first */
	size_t x;    /* columns used */
	bool cut;    /* the line is full and ends with an ellipsis */
};

static void ln_start(struct lb *b, int y, enum view_style fill)
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

static size_t ln_room(const struct lb *b)
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
	el = ellipsis(v->cs, &elen);
	span_add(b, el, elen, 1, sp->style);
}

/* Adds safe text of known width. Text that does not fit in the room left
 * is cut with an ellipsis in the last column, so nothing is lost silently. */
static void ln_safe(struct lb *b, const char *s, size_t len, size_t w, enum view_style st)
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
	el = ellipsis(b->v->cs, &elen);
	span_add(b, el, elen, 1, st);
	b->cut = true;
}

/* Whitespace: cut silently at the edge. */
static void ln_space(struct lb *b, size_t n, enum view_style st)
{
	size_t room = ln_room(b);

	if (b->y < 0 || !n || !room)
		return;
	span_add(b, "                                                                ",
		 n < room ? n : room, n < room ? n : room, st);
}

/* Adds any bytes (from outside or translated), escaped on the way. */
static void ln_text(struct lb *b, const char *s, size_t len, enum view_style st)
{
	struct buf *t = &b->v->scratch;
	size_t w;

	buf_reset(t);
	w = esc_display(t, s, len, b->v->cs);
	ln_safe(b, t->data ? t->data : "", t->len, w, st);
}

static void ln_puts(struct lb *b, const char *s, enum view_style st)
{
	ln_text(b, s, strlen(s), st);
}

static void ln_printf(struct lb *b, enum view_style st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void ln_printf(struct lb *b, enum view_style st, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	ln_puts(b, tmp, st);
}

static void ln_pad(struct lb *b, size_t n, enum view_style st)
{
	while (n > 0 && ln_room(b)) {
		size_t k = n < 64 ? n : 64;

		ln_space(b, k, st);
		n -= k;
	}
}

/* Pads with fill style up to column x. */
static void ln_to(struct lb *b, size_t x, enum view_style st)
{
	if (x > b->x)
		ln_pad(b, x - b->x, st);
}

static void ln_blank(struct lb *b, int y)
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

static const char *ellipsis(enum esc_charset cs, size_t *len)
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
static size_t suffix_start(const char *s, size_t len, size_t maxw, enum esc_charset cs,
			   size_t *w)
{
	size_t i = len, best = len;

	*w = 0;
	if (!s || len == 0)
		return 0;
	while (i > 0) {
		size_t j = i - 1, sw;

		while (j > 0 && ((unsigned char)s[j] & 0xc0) == 0x80)
			j--;
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
	const char *el = ellipsis(cs, &elen);

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
	soff = suffix_start(text, len, (maxw - 1) / 2 + ((maxw - 1) % 2), cs, &sw);
	plen = esc_prefix(text, len, maxw - 1 - sw, cs, &pw);
	buf_append(out, text, plen);
	buf_append(out, el, elen);
	if (len > soff)
		buf_append(out, text + soff, len - soff);
	return pw + 1 + sw;
}

/* ---- column layout ---- */

static bool col_flexible(enum col c)
{
	return c == COL_LOCAL || c == COL_PEER || c == COL_PROCESS;
}

int view_layout(unsigned enabled, const size_t natural[COL_MAX_], int width,
		struct view_col out[COL_MAX_])
{
	bool on[COL_MAX_];
	size_t w[COL_MAX_];
	int count = 0, n = 0;
	long total, x;

	if (width <= 0)
		return 0;
	for (int c = 0; c < COL_MAX_; c++) {
		on[c] = (enabled & COL_BIT(c)) != 0;
		count += on[c];
	}
	/* Drop the least important columns: first until every column gets
	 * a comfortable width (Proto and Local stay), then, on very narrow
	 * screens, until the minimum widths fit. */
	for (int stage = 0; stage < 2; stage++) {
		for (;;) {
			long sum = 0;
			int worst = -1;

			for (int c = 0; c < COL_MAX_; c++) {
				const struct col_info *ci = cell_col((enum col)c);
				size_t t = ci->min_w;

				if (!on[c])
					continue;
				if (!stage) {
					t = natural[c] < ci->want_w ? natural[c] : ci->want_w;
					if (t < ci->min_w)
						t = ci->min_w;
				}
				sum += (long)t + (sum ? 1 : 0);
				if (!stage && ci->prio <= 1)
					continue;
				if (worst < 0 || ci->prio > cell_col((enum col)worst)->prio)
					worst = c;
			}
			if (sum <= width || count <= 1 || worst < 0)
				break;
			on[worst] = false;
			count--;
		}
	}
	total = -1;
	for (int c = 0; c < COL_MAX_; c++) {
		const struct col_info *ci = cell_col((enum col)c);

		if (!on[c])
			continue;
		w[c] = natural[c];
		if (w[c] < ci->min_w)
			w[c] = ci->min_w;
		if (w[c] > ci->max_w)
			w[c] = ci->max_w;
		total += (long)w[c] + 1;
	}
	/* too wide: take a column at a time from the widest flexible one */
	while (total > width) {
		int best = -1;

		for (int c = 0; c < COL_MAX_; c++) {
			size_t minw = cell_col((enum col)c)->min_w;

			if (!on[c] || w[c] <= minw || !col_flexible((enum col)c))
				continue;
			if (best < 0 || w[c] > w[best])
				best = c;
		}
		if (best < 0) {
			/* only fixed columns left: shrink any above its minimum */
			for (int c = 0; c < COL_MAX_ && best < 0; c++)
				if (on[c] && w[c] > cell_col((enum col)c)->min_w)
					best = c;
		}
		if (best < 0) {
			/* a single column wider than the screen */
			for (int c = 0; c < COL_MAX_ && best < 0; c++)
				if (on[c] && w[c] > 1)
					best = c;
			if (best < 0)
				break;
		}
		w[best]--;
		total--;
	}
	/* room left: grow the flexible columns that were capped */
	for (int c = 0; c < COL_MAX_ && total < width; c++) {
		if (!on[c] || !col_flexible((enum col)c) || natural[c] <= w[c])
			continue;
		{
			size_t want = natural[c] - w[c], room = (size_t)(width - total);
			size_t add = want < room ? want : room;

			w[c] += add;
			total += (long)add;
		}
	}
	x = 0;
	for (int c = 0; c < COL_MAX_; c++) {
		if (!on[c])
			continue;
		out[n].c = (enum col)c;
		out[n].x = (int)x;
		out[n].w = (int)w[c];
		x += (long)w[c] + 1;
		n++;
	}
	return n;
}

/* ---- header ---- */

static const char *proto_label(unsigned p)
{
	switch (p) {
	case SP_TCP: return "TCP";
	case SP_UDP: return "UDP";
	case SP_RAW: return "Raw";
	default: return "Unix";
	}
}

static void header_totals(struct lb *b, const struct app *a)
{
	const struct snapshot *s = app_snapshot(a);
	static const unsigned order[] = { SP_TCP, SP_UDP, SP_UNIX, SP_RAW };

	if (a->paused)
		ln_puts(b, _("PAUSED "), VS_WARN);
	if (a->have_snap && s->inconsistent)
		ln_puts(b, _("INCONSISTENT "), VS_WARN);
	if (!a->have_snap) {
		ln_puts(b, _("reading sockets..."), VS_HEADER);
		return;
	}
	ln_printf(b, VS_HEADER_KEY, "%zu", a->total);
	ln_puts(b, _(" sockets: "), VS_HEADER);
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		unsigned p = order[k];
		size_t n = 0;
		bool shown = (a->protos & SP_MASK(p)) != 0;

		for (int st = 0; st < SS_MAX_; st++)
			n += a->totals[p][st];
		if (k)
			ln_puts(b, "  ", VS_HEADER);
		if (!shown) {
			ln_printf(b, VS_DIM, _("%s hidden"), proto_label(p));
			continue;
		}
		ln_puts(b, proto_label(p), VS_HEADER);
		ln_puts(b, " ", VS_HEADER);
		if (s->status[p] == SNAP_UNAVAILABLE) {
			ln_puts(b, _("n/a"), VS_DIM);
			continue;
		}
		if (s->status[p] == SNAP_FAILED) {
			ln_puts(b, _("error"), VS_WARN);
			continue;
		}
		ln_printf(b, VS_HEADER_KEY, "%zu", n);
		if (p == SP_TCP && n) {
			/* like ss -s: the states people ask about */
			ln_printf(b, VS_HEADER, _(" (estab %zu, listen %zu, timewait %zu)"),
				  a->totals[p][SS_ESTABLISHED], a->totals[p][SS_LISTEN],
				  a->totals[p][SS_TIME_WAIT]);
		}
	}
}

static void header_status(struct lb *b, const struct app *a)
{
	char tmp[64];

	if (a->delay_ms < 1000)
		snprintf(tmp, sizeof(tmp), "%d ms", a->delay_ms);
	else
		snprintf(tmp, sizeof(tmp), "%g s", a->delay_ms / 1000.0);
	ln_puts(b, _("Refresh "), VS_HEADER);
	ln_puts(b, tmp, VS_HEADER_KEY);
	ln_puts(b, _("  Netns "), VS_HEADER);
	ln_puts(b, a->netns ? a->netns : _("(current)"), VS_HEADER_KEY);
	ln_puts(b, _("  Filter "), VS_HEADER);
	ln_puts(b, a->filter_text[0] ? a->filter_text : _("none"),
		a->filter_text[0] ? VS_HEADER_KEY : VS_DIM);
	if (a->search[0]) {
		ln_puts(b, _("  Search "), VS_HEADER);
		ln_puts(b, a->search, VS_HEADER_KEY);
	}
	if (a->families != SF_ALL) {
		ln_puts(b, "  ", VS_HEADER);
		ln_puts(b, a->families == SF_INET ? _("IPv4 only") : _("IPv6 only"), VS_HEADER_KEY);
	}
	if (a->listening) {
		ln_puts(b, "  ", VS_HEADER);
		ln_puts(b, _("listening only"), VS_HEADER_KEY);
	}
	if (a->have_snap) {
		ln_puts(b, _("  Shown "), VS_HEADER);
		ln_printf(b, VS_HEADER_KEY, "%zu", a->nlive);
	}
	if (epman_count(a->em)) {
		ln_puts(b, _("  Endpoints "), VS_HEADER);
		ln_printf(b, VS_HEADER_KEY, "%zu", epman_count(a->em));
	}
}

static void header_extra(struct lb *b, const struct app *a)
{
	const char *dir = a->sort_reverse ? _("descending") : _("ascending");

	ln_puts(b, _("Sort "), VS_HEADER);
	ln_puts(b, _(cell_col(a->sort_col)->name), VS_HEADER_KEY);
	ln_printf(b, VS_HEADER, " (%s)", dir);
	if (a->no_processes) {
		ln_puts(b, _("  processes not mapped (--no-processes)"), VS_DIM);
	} else if (a->pm && procmap_hidden(a->pm)) {
		size_t h = procmap_hidden(a->pm);

		ln_printf(b, VS_DIM, P_("  %zu process could not be inspected (run as root to see all)",
					"  %zu processes could not be inspected (run as root to see all)",
					h), h);
	}
	if (a->have_snap) {
		const struct snapshot *s = app_snapshot(a);

		for (unsigned p = 0; p < SP_NPROTO; p++) {
			if (s->status[p] == SNAP_UNAVAILABLE && (a->protos & SP_MASK(p)))
				ln_printf(b, VS_DIM, _("  %s: not supported by this kernel"),
					  proto_label(p));
			else if (s->status[p] == SNAP_FAILED && (a->protos & SP_MASK(p)))
				ln_printf(b, VS_WARN, "  %s: %s", proto_label(p), strerror(s->error[p]));
		}
	}
}

/* ---- table ---- */

struct cellref {
	size_t off, len, width;
};

static enum view_style row_style(const struct app *a, const struct app_row *r, bool selected,
				 int64_t now)
{
	if (selected)
		return VS_SELECTED;
	if (r->flags & ROW_GONE)
		return VS_GONE;
	if (app_is_new(r->d, now))
		return VS_NEW;
	if (ownset_find(&a->own, r->s->inode, NULL))
		return VS_OWN;
	return VS_NORMAL;
}

static void build_table(struct view *v, struct app *a, int y0, int h, int64_t now)
{
	struct lb b = { v, -1, 0 };
	struct cell_ctx ctx = { a->pm, a->cs, &a->own };
	size_t natural[COL_MAX_];
	size_t nvis, first;
	struct cellref *cells;
	struct buf *store = &v->cellbuf;
	int rows_h = h - 1;

	if (h < 1)
		return;
	v->colhead_y = y0;
	v->rows_y = y0 + 1;
	v->rows_h = rows_h > 0 ? rows_h : 0;
	app_set_page(a, (size_t)(rows_h > 0 ? rows_h : 1));
	first = a->top;
	v->first_row = first;
	nvis = first < a->nrows ? a->nrows - first : 0;
	if (nvis > (size_t)v->rows_h)
		nvis = (size_t)v->rows_h;

	/* format the visible cells once, measure, lay out, then emit */
	for (int c = 0; c < COL_MAX_; c++) {
		const char *t = _(cell_col((enum col)c)->title);

		natural[c] = esc_width(t, strlen(t), v->cs) + (c == (int)a->sort_col);
	}
	cells = xcalloc(nvis * COL_MAX_ + 1, sizeof(*cells));
	buf_reset(store);
	for (size_t i = 0; i < nvis; i++) {
		const struct app_row *r = &a->rows[first + i];

		for (int c = 0; c < COL_MAX_; c++) {
			struct cellref *cr = &cells[i * COL_MAX_ + (size_t)c];

			if (!(a->columns & COL_BIT(c)))
				continue;
			cr->off = store->len;
			cr->width = cell_format(store, (enum col)c, r->s, r->d, &ctx);
			cr->len = store->len - cr->off;
			if (cr->width > natural[c])
				natural[c] = cr->width;
		}
	}
	v->ncols = view_layout(a->columns, natural, v->width, v->cols);

	/* titles */
	ln_start(&b, y0, VS_COLHEAD);
	for (int k = 0; k < v->ncols; k++) {
		const struct view_col *vc = &v->cols[k];
		const struct col_info *ci = cell_col(vc->c);
		const char *t = _(ci->title);
		bool sorted = vc->c == a->sort_col;
		enum view_style st = sorted ? VS_COLHEAD_SORT : VS_COLHEAD;
		char tmp[128];
		size_t tw, tl;

		snprintf(tmp, sizeof(tmp), "%s%s", t,
			 sorted ? (a->sort_reverse ? (v->cs == ESC_UTF8 ? "\xe2\x96\xbc" : "v")
						   : (v->cs == ESC_UTF8 ? "\xe2\x96\xb2" : "^"))
				: "");
		tl = strlen(tmp);
		tw = esc_width(tmp, tl, v->cs);
		ln_to(&b, (size_t)vc->x, VS_COLHEAD);
		if (ci->right && tw < (size_t)vc->w)
			ln_pad(&b, (size_t)vc->w - tw, st);
		{
			size_t at = store->len, fw;

			fw = view_fit(store, tmp, tl, tw, (size_t)vc->w, CUT_END, v->cs);
			ln_safe(&b, store->data + at, store->len - at, fw, st);
		}
	}

	/* rows */
	for (int i = 0; i < v->rows_h; i++) {
		const struct app_row *r;
		enum view_style st;

		if ((size_t)i >= nvis) {
			ln_blank(&b, v->rows_y + i);
			if (i == 0 && !a->nrows)
				ln_puts(&b, a->have_snap ? _("  no sockets match the current view")
							 : _("  reading sockets..."),
					VS_DIM);
			continue;
		}
		r = &a->rows[first + (size_t)i];
		st = row_style(a, r, first + (size_t)i == a->sel, now);
		ln_start(&b, v->rows_y + i, st);
		for (int k = 0; k < v->ncols; k++) {
			const struct view_col *vc = &v->cols[k];
			const struct col_info *ci = cell_col(vc->c);
			const struct cellref *cr = &cells[(size_t)i * COL_MAX_ + vc->c];
			size_t at = store->len, fw;
			const char *src;

			ln_to(&b, (size_t)vc->x, st);
			/* store may move while appending: copy through an index */
			fw = cr->width;
			if (fw > (size_t)vc->w) {
				char *copy = xmemdup(store->data + cr->off, cr->len);

				fw = view_fit(store, copy, cr->len, cr->width, (size_t)vc->w, ci->cut,
					      v->cs);
				free(copy);
				src = store->data + at;
				if (ci->right && fw < (size_t)vc->w)
					ln_pad(&b, (size_t)vc->w - fw, st);
				ln_safe(&b, src, store->len - at, fw, st);
			} else {
				if (ci->right)
					ln_pad(&b, (size_t)vc->w - fw, st);
				ln_safe(&b, store->data + cr->off, cr->len, fw, st);
			}
		}
	}
	free(cells);
}

/* ---- help ---- */

struct textline {
	size_t loff, llen; /* label */
	size_t voff, vlen; /* value */
	enum view_style lst, vst;
};

struct textlines {
	struct textline *l;
	size_t n, cap;
	struct buf t; /* escaped text of all lines */
	enum esc_charset cs;
};

static void tl_add(struct textlines *tl, const char *label, enum view_style lst,
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
	l->lst = lst;
	l->vst = vst;
}

static void tl_kv(struct textlines *tl, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void tl_kv(struct textlines *tl, const char *label, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	tl_add(tl, label, VS_LABEL, tmp, 0, false, VS_NORMAL);
}

static void tl_section(struct textlines *tl, const char *title)
{
	tl_add(tl, NULL, VS_NORMAL, NULL, 0, false, VS_NORMAL);
	tl_add(tl, title, VS_SECTION, NULL, 0, false, VS_NORMAL);
}

static void tl_free(struct textlines *tl)
{
	free(tl->l);
	buf_free(&tl->t);
}

/* Where the next line of a wrapped value starts: the bytes shown (*plen,
 * *pw wide) and the bytes consumed (returned). Wraps at a space when the
 * line has one, else at the width. */
static size_t tl_wrap(const char *vs, size_t vlen, size_t vw, enum esc_charset cs,
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

/* Shows lines [scroll, scroll + h) at y0: labels in the first lw columns,
 * values after them; a value too long for the line continues on the next
 * ones (nothing is cut in the details). Clamps a->scroll. */
static void tl_render(struct view *v, struct app *a, const struct textlines *tl, int y0, int h,
		      size_t lw)
{
	struct lb b = { v, -1, 0 };
	size_t total = 0, skip, y = 0, vw;

	if (lw + 10 > (size_t)v->width)
		lw = (size_t)v->width / 3;
	vw = (size_t)v->width > lw ? (size_t)v->width - lw : 1;
	for (size_t i = 0; i < tl->n; i++)
		total += tl_wrapped(tl->t.data + tl->l[i].voff, tl->l[i].vlen, vw, v->cs);
	if (h < 1)
		return;
	if (total <= (size_t)h)
		a->scroll = 0;
	else if (a->scroll > total - (size_t)h)
		a->scroll = total - (size_t)h;
	skip = a->scroll;
	for (size_t i = 0; i < tl->n && y < (size_t)h; i++) {
		const struct textline *l = &tl->l[i];
		const char *vs = tl->t.data + l->voff;
		size_t vlen = l->vlen;
		bool first = true;

		do {
			size_t pw = 0, plen = 0;
			size_t adv = vlen ? tl_wrap(vs, vlen, vw, v->cs, &plen, &pw) : 0;

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
					ln_to(&b, lw, VS_NORMAL);
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
}

static void build_help(struct view *v, struct app *a, int y0, int h)
{
	struct textlines tl = { NULL, 0, 0, BUF_INIT, v->cs };
	struct lb b = { v, -1, 0 };
	size_t n;
	const struct key_help *kh = keys_help(&n);

	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, _(" sockview keys (Esc closes, arrows scroll)"), VS_TITLE);
	for (size_t i = 0; i < n; i++) {
		char label[64];

		snprintf(label, sizeof(label), "  %s", _(kh[i].keys));
		tl_add(&tl, label, VS_KEY, _(kh[i].what), 0, false, VS_NORMAL);
	}
	tl_section(&tl, _("  The table"));
	tl_kv(&tl, _("  Recv-Q"), "%s", _("bytes received but not yet read by the program; "
					  "for LISTEN: connections waiting for accept()"));
	tl_kv(&tl, _("  Send-Q"), "%s", _("bytes sent but not yet acknowledged by the peer; "
					  "for LISTEN: the backlog (most connections that may wait)"));
	tl_kv(&tl, _("  Local/Peer"), "%s", _("address:port of each end; for Unix sockets the "
					      "path, @abstract name, or * (unnamed), and the peer's inode"));
	tl_kv(&tl, _("  Process"), "%s", _("command/pid of the process holding the socket "
					   "(+N: more processes share it)"));
	tl_kv(&tl, _("  Colours"), "%s", _("new sockets are highlighted for a few seconds; "
					   "closed ones stay one refresh, dimmed"));
	tl_render(v, a, &tl, y0 + 1, h - 1, 22);
	tl_free(&tl);
}

/* ---- menus ---- */

static void build_menu(struct view *v, struct app *a, int y0, int h)
{
	struct lb b = { v, -1, 0 };
	size_t k = 0, first = 0, n = 0;
	int y = y0 + 1;

	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, a->mode == MODE_SORT
			    ? _(" Sort by (Enter chooses, r reverses, Esc cancels)")
			    : _(" Optional columns (Space or Enter toggles, Esc closes)"),
		VS_TITLE);
	for (int c = 0; c < COL_MAX_; c++)
		n += a->mode == MODE_SORT || cell_col((enum col)c)->optional;
	if (h > 1 && a->menu_cur >= (size_t)(h - 1))
		first = a->menu_cur - (size_t)(h - 1) + 1;
	for (int c = 0; c < COL_MAX_; c++) {
		const struct col_info *ci = cell_col((enum col)c);
		enum view_style st;
		char mark[8];

		if (a->mode == MODE_COLUMNS && !ci->optional)
			continue;
		if (k < first || y >= y0 + h) {
			k++;
			continue;
		}
		st = k == a->menu_cur ? VS_SELECTED : VS_NORMAL;
		ln_start(&b, y++, st);
		if (a->mode == MODE_SORT)
			snprintf(mark, sizeof(mark), " %s ", (enum col)c == a->sort_col ? "*" : " ");
		else
			snprintf(mark, sizeof(mark), " [%s] ", (a->columns & COL_BIT(c)) ? "x" : " ");
		ln_puts(&b, mark, st);
		ln_puts(&b, _(ci->name), st);
		k++;
	}
	(void)n;
	while (y < y0 + h)
		ln_blank(&b, y++);
}

/* ---- details ---- */

const char *view_state_explain(const struct sock *s)
{
	bool stream = s->proto == SP_TCP || s->type == SOCK_STREAM || s->type == SOCK_SEQPACKET;

	switch (s->state) {
	case SS_LISTEN:
		return _("waiting for incoming connections (a server after listen()); "
			 "each accept() takes one from the queue");
	case SS_ESTABLISHED:
		return stream ? _("connected: data can flow both ways")
			      : _("connected to one peer: send() goes there, only its datagrams arrive");
	case SS_SYN_SENT:
		return _("connecting: sent SYN, waiting for the other side to answer");
	case SS_SYN_RECV:
	case SS_NEW_SYN_RECV:
		return _("a connection request arrived; the handshake is not finished yet");
	case SS_FIN_WAIT1:
		return _("this side closed; waiting for the other side to acknowledge");
	case SS_FIN_WAIT2:
		return _("this side closed and it was acknowledged; waiting for the other side "
			 "to close too");
	case SS_TIME_WAIT:
		return _("closed; the kernel keeps it a while (about 60 s) so that late packets "
			 "of the old connection are not mistaken for a new one. No process owns it");
	case SS_CLOSE_WAIT:
		return _("the other side closed; this program has not closed its socket yet "
			 "(if it lasts, the program forgot to close it)");
	case SS_LAST_ACK:
		return _("both sides closed; waiting for the last acknowledgement");
	case SS_CLOSING:
		return _("both sides closed at the same time; waiting for the acknowledgement");
	case SS_CLOSE:
		if (s->proto == SP_TCP)
			return _("closed, or created but neither connected nor listening yet");
		if (s->proto == SP_UNIX && stream)
			return _("not connected (created, or bound but not listening)");
		return _("not connected to one peer: it receives datagrams from anyone who "
			 "sends to its address, and can send anywhere");
	default:
		return _("state unknown to sockview");
	}
}

static const char *timer_name(unsigned t)
{
	switch (t) {
	case 0: return _("none");
	case 1: return _("retransmit");
	case 2: return _("keepalive");
	case 3: return _("TIME-WAIT");
	case 4: return _("zero-window probe");
	default: return _("unknown");
	}
}

static const char *ca_state_name(unsigned st)
{
	switch (st) {
	case 0: return "open";
	case 1: return "disorder";
	case 2: return "cwr";
	case 3: return "recovery";
	case 4: return "loss";
	default: return "?";
	}
}

static void fmt_bits(double bytes_per_s, char *dst, size_t len)
{
	double b = bytes_per_s * 8.0;

	if (b >= 1e9)
		snprintf(dst, len, "%.1f Gbit/s", b / 1e9);
	else if (b >= 1e6)
		snprintf(dst, len, "%.1f Mbit/s", b / 1e6);
	else if (b >= 1e3)
		snprintf(dst, len, "%.1f kbit/s", b / 1e3);
	else
		snprintf(dst, len, "%.0f bit/s", b);
}

static void details_addr(struct textlines *tl, const char *label, const struct sock *s, bool peer)
{
	struct buf t = BUF_INIT;

	output_addr(&t, s, peer, tl->cs);
	/* already escaped: add as a safe value */
	tl_add(tl, label, VS_LABEL, NULL, 0, false, VS_NORMAL);
	buf_append(&tl->t, t.data ? t.data : "", t.len);
	tl->l[tl->n - 1].vlen = t.len;
	buf_free(&t);
}

static void details_processes(struct textlines *tl, const struct app *a, uint32_t inode,
			      const char *label)
{
	struct proc_owner own[16];
	size_t n;

	if (!a->pm) {
		tl_kv(tl, label, "%s", a->no_processes ? _("not mapped (--no-processes)")
						       : _("unknown"));
		return;
	}
	if (!inode) {
		tl_kv(tl, label, "%s", _("none: this socket belongs to the kernel, not to a process"));
		return;
	}
	n = procmap_owners(a->pm, inode, own, 16);
	if (!n) {
		tl_kv(tl, label, "%s", procmap_hidden(a->pm)
				       ? _("none visible (some processes could not be inspected: run as root)")
				       : _("none found (it may be in flight, or its process just exited)"));
		return;
	}
	for (size_t i = 0; i < n && i < 16; i++) {
		size_t clen = 0;
		const char *comm = procmap_comm(a->pm, own[i].pid, &clen);
		long uid = procmap_uid(a->pm, own[i].pid);
		char head[96];
		struct textline *l;

		if (uid >= 0)
			snprintf(head, sizeof(head), _("pid %d, fd %d, uid %ld, command "),
				 (int)own[i].pid, (int)own[i].fd, uid);
		else
			snprintf(head, sizeof(head), _("pid %d, fd %d, command "),
				 (int)own[i].pid, (int)own[i].fd);
		tl_add(tl, i ? "" : label, VS_LABEL, head, 0, false, VS_NORMAL);
		l = &tl->l[tl->n - 1];
		if (comm)
			esc_display(&tl->t, comm, clen, tl->cs);
		l->vlen = tl->t.len - l->voff;
	}
	if (n > 16)
		tl_kv(tl, "", _("... and %zu more"), n - 16);
}

static void details_file(struct textlines *tl, const struct sock *s)
{
	char path[SOCK_NAME_MAX + 1];
	size_t len = s->name_len < SOCK_NAME_MAX ? s->name_len : SOCK_NAME_MAX;
	struct stat st;
	char mode[11];

	if (!(s->has & SOCK_HAS_NAME) || !s->name_len) {
		tl_kv(tl, _("Socket file"), "%s", _("none: an unnamed socket (socketpair() or a "
						   "client that did not bind)"));
		return;
	}
	if (sock_is_abstract(s)) {
		tl_kv(tl, _("Socket file"), "%s", _("none: an abstract name lives only in the "
						   "kernel; anyone in the network namespace can connect "
						   "(no file permissions)"));
		return;
	}
	memcpy(path, s->name, len);
	path[len] = '\0';
	if (memchr(s->name, '\0', len) || lstat(path, &st) < 0) {
		tl_kv(tl, _("Socket file"), "%s", _("not found (deleted, or in another mount namespace)"));
		return;
	}
	mode[0] = S_ISSOCK(st.st_mode) ? 's' : S_ISLNK(st.st_mode) ? 'l' : '-';
	for (int i = 0; i < 9; i++)
		mode[1 + i] = (st.st_mode & (0400u >> i)) ? "rwxrwxrwx"[i] : '-';
	mode[10] = '\0';
	tl_kv(tl, _("Socket file"), _("%s owner %u, group %u"), mode, (unsigned)st.st_uid,
	      (unsigned)st.st_gid);
	tl_kv(tl, "", "%s", _("Unix sockets obey file permissions: connecting needs write "
			      "permission on this file"));
}

static void details_tcp(struct textlines *tl, const struct sock *s, const struct diff_entry *d)
{
	const struct sock_tcp *t = &s->tcp;
	char a1[32], a2[32];

	tl_section(tl, _("TCP (tcp_info)"));
	cell_usec(t->rtt_us, a1, sizeof(a1));
	cell_usec(t->rttvar_us, a2, sizeof(a2));
	tl_kv(tl, _("RTT"), _("%s (variation %s)"), a1, a2);
	if (s->has & SOCK_HAS_CONG)
		tl_add(tl, _("Congestion"), VS_LABEL, s->cong, strnlen(s->cong, sizeof(s->cong)),
		       true, VS_NORMAL);
	if (t->snd_ssthresh >= 0x7fffffffu)
		tl_kv(tl, _("Window"), _("cwnd %u segments, ssthresh infinite, state %s"),
		      t->snd_cwnd, ca_state_name(t->ca_state));
	else
		tl_kv(tl, _("Window"), _("cwnd %u segments, ssthresh %u, state %s"),
		      t->snd_cwnd, t->snd_ssthresh, ca_state_name(t->ca_state));
	tl_kv(tl, _("MSS"), _("send %u, receive %u, path MTU %u"), t->snd_mss, t->rcv_mss, t->pmtu);
	tl_kv(tl, _("Peer window"), _("%u bytes; receive space %u; window scale %u/%u"),
	      t->snd_wnd, t->rcv_space, t->snd_wscale, t->rcv_wscale);
	cell_usec(t->rto_us, a1, sizeof(a1));
	cell_usec(t->ato_us, a2, sizeof(a2));
	tl_kv(tl, _("Timeouts"), _("retransmit %s, delayed ack %s"), a1, a2);
	tl_kv(tl, _("Retransmits"), _("%u now, %u in all; unacked %u, sacked %u, lost %u"),
	      t->retransmits, t->total_retrans, t->unacked, t->sacked, t->lost);
	tl_kv(tl, _("Bytes"), _("sent %llu, acked %llu, received %llu, retransmitted %llu"),
	      (unsigned long long)t->bytes_sent, (unsigned long long)t->bytes_acked,
	      (unsigned long long)t->bytes_received, (unsigned long long)t->bytes_retrans);
	tl_kv(tl, _("Segments"), _("out %u, in %u"), t->segs_out, t->segs_in);
	fmt_bits((double)t->delivery_rate, a1, sizeof(a1));
	fmt_bits((double)t->pacing_rate, a2, sizeof(a2));
	tl_kv(tl, _("Delivery rate"), _("%s (pacing %s)"), a1, a2);
	if (d && (d->flags & DIFF_RATES)) {
		cell_rate(d->rx_rate, a1, sizeof(a1));
		cell_rate(d->tx_rate, a2, sizeof(a2));
		tl_kv(tl, _("Rates"), _("receiving %sB/s, sending %sB/s (since the last refresh)"),
		      a1, a2);
	} else {
		tl_kv(tl, _("Rates"), "%s", _("after the next refresh"));
	}
	tl_kv(tl, _("Last activity"), _("sent %u ms ago, received %u ms ago, ack %u ms ago"),
	      t->last_data_sent_ms, t->last_data_recv_ms, t->last_ack_recv_ms);
}

static void build_details(struct view *v, struct app *a, int y0, int h)
{
	struct textlines tl = { NULL, 0, 0, BUF_INIT, v->cs };
	struct lb b = { v, -1, 0 };
	bool gone;
	const struct sock *s = app_details_sock(a, &gone);
	const struct diff_entry *d;
	const struct sock *peer;

	ln_start(&b, y0, VS_TITLE);
	if (!s) {
		ln_puts(&b, _(" Details: no socket selected (Esc returns)"), VS_TITLE);
		tl_render(v, a, &tl, y0 + 1, h - 1, 16);
		tl_free(&tl);
		return;
	}
	ln_puts(&b, _(" Details of "), VS_TITLE);
	ln_puts(&b, sock_netid(s), VS_TITLE);
	ln_puts(&b, " ", VS_TITLE);
	{
		struct buf t = BUF_INIT;
		size_t w = output_addr(&t, s, false, v->cs);

		ln_safe(&b, t.data ? t.data : "", t.len, w, VS_TITLE);
		buf_free(&t);
	}
	if (gone)
		ln_puts(&b, _("  [closed: last known values]"), VS_TITLE);
	ln_puts(&b, _("  (Esc returns, p peer)"), VS_TITLE);

	d = gone ? NULL : app_diff_of(a, s);
	tl_kv(&tl, _("Protocol"), "%s, %s, %s", sock_netid(s), sock_family_name(s->family),
	      sock_type_name(s->type));
	tl_kv(&tl, _("State"), "%s", sock_state_name(s));
	tl_kv(&tl, "", "%s", view_state_explain(s));
	details_addr(&tl, _("Local"), s, false);
	details_addr(&tl, _("Peer"), s, true);
	if (s->state == SS_LISTEN)
		tl_kv(&tl, _("Queues"), _("%u waiting for accept(), backlog %u"), s->recv_q, s->send_q);
	else
		tl_kv(&tl, _("Queues"), _("%u bytes to read (Recv-Q), %u bytes unacknowledged (Send-Q)"),
		      s->recv_q, s->send_q);
	tl_kv(&tl, _("Inode"), "%u", s->inode);
	tl_kv(&tl, _("Cookie"), "0x%llx", (unsigned long long)s->cookie);
	if (s->has & SOCK_HAS_UID)
		tl_kv(&tl, _("UID"), "%u", s->uid);
	if (s->ifindex)
		tl_kv(&tl, _("Interface"), "%u", s->ifindex);
	if (s->family != AF_UNIX)
		tl_kv(&tl, _("Timer"), _("%s, expires in %u ms, %u retransmits"), timer_name(s->timer),
		      s->expires_ms, s->retrans);
	if (s->has & SOCK_HAS_MEM)
		tl_kv(&tl, _("Memory"), _("receive %u of %u bytes, send %u of %u bytes"),
		      s->rmem_alloc, s->rcvbuf, s->wmem_alloc, s->sndbuf);

	tl_section(&tl, _("Processes"));
	details_processes(&tl, a, s->inode, _("Owner"));

	if (s->proto == SP_UNIX) {
		tl_section(&tl, _("Unix socket"));
		if (!(s->has & SOCK_HAS_NAME) || !s->name_len)
			tl_kv(&tl, _("Name"), "%s", _("unnamed"));
		else if (sock_is_abstract(s))
			details_addr(&tl, _("Abstract name"), s, false);
		else
			details_addr(&tl, _("Path"), s, false);
		details_file(&tl, s);
		if ((s->has & SOCK_HAS_PEER) && s->peer_inode) {
			tl_kv(&tl, _("Peer inode"), "%u", s->peer_inode);
			details_processes(&tl, a, s->peer_inode, _("Peer process"));
		} else {
			tl_kv(&tl, _("Peer inode"), "%s", _("none (not connected)"));
		}
	} else {
		tl_kv(&tl, _("Permissions"), "%s", _("network sockets have no file permissions: "
						    "any local user can connect"));
		peer = gone ? NULL : app_find_peer(a, s);
		if (peer) {
			tl_section(&tl, _("Local peer"));
			tl_kv(&tl, _("Peer socket"), _("inode %u, %s (p jumps to it)"), peer->inode,
			      sock_state_name(peer));
			details_processes(&tl, a, peer->inode, _("Peer process"));
		}
	}
	if (s->proto == SP_TCP && (s->has & SOCK_HAS_TCP))
		details_tcp(&tl, s, d);
	else if (s->proto == SP_TCP)
		tl_kv(&tl, _("tcp_info"), "%s", _("not reported for this socket (listening or "
						 "TIME-WAIT sockets have none)"));
	tl_render(v, a, &tl, y0 + 1, h - 1, 16);
	tl_free(&tl);
}

/* ---- text fields (pane input lines, form fields) ---- */

/* Appends the escaped text of e, scrolled so that the cursor stays within
 * room columns, as one span; returns the cursor's column relative to where
 * the text starts. */
static size_t ln_field(struct lb *b, const struct lineedit *e, size_t room, bool focused,
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

/* ---- panes ---- */

static enum view_style tr_style(enum tr_kind k)
{
	switch (k) {
	case TR_SEND: return VS_TR_SEND;
	case TR_CONNECT:
	case TR_DISCONNECT:
	case TR_INFO: return VS_TR_EVENT;
	case TR_ERROR: return VS_TR_ERROR;
	default: return VS_NORMAL;
	}
}

/* Per shown pane: its title and status (safe, fitted) and whether it has
 * an input line; the transcript lines are in v->ptext[k]. */
struct pane_draw {
	struct pane *p;
	struct pane_rect r;
	bool sep, input, focused, status;
	size_t title_off, title_len, title_w;
	size_t status_off, status_len, status_w;
	int th; /* transcript lines */
};

/* Appends safe text t fitted to room; sets *off, *len, *w. */
static void fit_store(struct buf *store, const struct buf *t, size_t room, enum col_cut cut,
		      enum esc_charset cs, size_t *off, size_t *len, size_t *w)
{
	size_t tw = esc_width(t->data ? t->data : "", t->len, cs);

	*off = store->len;
	*w = view_fit(store, t->data ? t->data : "", t->len, tw, room, cut, cs);
	*len = store->len - *off;
}

/* Title: "[id] kind, transport ADDRESS" (a long address keeps its end: the
 * file name, the port); status: "listening, 2 clients, 5 B in, 5 B out"
 * and the pane's modes. A pane too low for a status line gets a short
 * state in its title. */
static void pane_title(struct view *v, const struct app *a, struct pane_draw *d,
		       struct buf *store)
{
	const struct endpoint *ep = d->p->ep;
	const struct epaddr *ad = endpoint_kind(ep) == EP_CLIENT ? endpoint_remote_addr(ep)
								: endpoint_local_addr(ep);
	struct buf head = BUF_INIT, t = BUF_INIT, st = BUF_INIT, raw = BUF_INIT;
	size_t hw, w, room = (size_t)d->r.w;

	epaddr_format(ad, &raw);
	esc_display(&head, raw.data ? raw.data : "", raw.len, v->cs);
	buf_free(&raw);
	hw = esc_width(head.data ? head.data : "", head.len, v->cs);

	endpoint_state_text(ep, v->cs, &st);
	if (d->p->hex)
		buf_printf(&st, "  [%s]", _("hex"));
	if (!pane_following(d->p))
		buf_printf(&st, "  [%s]", _("scrolled: PgDn"));
	if (d->focused && a->zoom)
		buf_printf(&st, "  [%s]", _("full screen: F11"));

	buf_printf(&t, "[%u] %s, %s ", d->p->id, endpoint_kind_name(endpoint_kind(ep)),
		   endpoint_transport_name(endpoint_transport(ep)));
	if (endpoint_kind(ep) == EP_CLIENT) {
		buf_puts(&t, _("to"));
		buf_putc(&t, ' ');
	}
	w = esc_width(t.data, t.len, v->cs);
	if (w + hw > room && room < w + 16) {
		/* narrow: the address tells the transport well enough */
		buf_reset(&t);
		buf_printf(&t, "[%u] %s ", d->p->id, endpoint_kind_name(endpoint_kind(ep)));
		w = esc_width(t.data, t.len, v->cs);
	}
	if (w + hw > room && room > w + 8) {
		size_t el, sw, off;
		const char *e = ellipsis(v->cs, &el);

		off = suffix_start(head.data, head.len, room - w - 1, v->cs, &sw);
		buf_append(&t, e, el);
		if (head.len > off)
			buf_append(&t, head.data + off, head.len - off);
	} else {
		buf_append(&t, head.data ? head.data : "", head.len);
	}
	if (!d->status) {
		buf_puts(&t, " - ");
		buf_append(&t, st.data ? st.data : "", st.len);
	}
	fit_store(store, &t, room, CUT_END, v->cs, &d->title_off, &d->title_len, &d->title_w);
	if (d->status)
		fit_store(store, &st, room, CUT_END, v->cs, &d->status_off, &d->status_len,
			  &d->status_w);
	buf_free(&head);
	buf_free(&t);
	buf_free(&st);
}

static void pane_emit_line(struct lb *b, struct view *v, struct app *a,
			   const struct pane_draw *d, const struct pane_text *pt,
			   const struct buf *store, int i)
{
	size_t x = (size_t)d->r.x, end = x + (size_t)d->r.w;
	enum view_style fill = VS_NORMAL;
	int first = d->status ? 2 : 1; /* first transcript line */

	if (d->sep) {
		ln_to(b, x - 1, VS_NORMAL);
		if (v->cs == ESC_UTF8)
			ln_safe(b, "\xe2\x94\x82", 3, 1, VS_DIM);
		else
			ln_safe(b, "|", 1, 1, VS_DIM);
	}
	ln_to(b, x, VS_NORMAL);
	if (i == 0) {
		fill = d->focused ? VS_PANE_FOCUS : VS_PANE_TITLE;
		ln_safe(b, store->data + d->title_off, d->title_len, d->title_w, fill);
	} else if (i == 1 && d->status) {
		ln_safe(b, store->data + d->status_off, d->status_len, d->status_w, VS_HEADER_KEY);
	} else if (d->input && i == d->r.h - 1) {
		size_t cx;

		ln_safe(b, "> ", 2, 2, VS_PROMPT);
		cx = ln_field(b, &d->p->in, d->r.w > 3 ? (size_t)d->r.w - 3 : 1, true, VS_NORMAL);
		if (d->focused && a->mode == MODE_TABLE && a->prompt == PROMPT_NONE) {
			v->cursor_on = true;
			v->cursor_y = b->y;
			v->cursor_x = (int)(x + 2 + cx);
			if (v->cursor_x >= d->r.x + d->r.w)
				v->cursor_x = d->r.x + d->r.w - 1;
		}
	} else if (i - first < (int)pt->n && i >= first) {
		const struct pane_line *l = &pt->l[i - first];

		if (!l->blank)
			ln_safe(b, pt->t.data + l->off, l->len, l->width, tr_style(l->kind));
	}
	ln_to(b, end, fill);
}

static void build_panes(struct view *v, struct app *a, const struct pane_layout *lay)
{
	struct pane_draw d[PANE_SHOWN_MAX];
	struct lb b = { v, -1, 0, false };
	struct buf *store = &v->cellbuf;
	int ytop = -1, ybot = -1;

	v->npanes = 0;
	if (!lay->nshown)
		return;
	buf_reset(store);
	for (size_t k = 0; k < lay->nshown; k++) {
		struct pane_draw *pd = &d[k];
		size_t idx = lay->first + k;

		memset(pd, 0, sizeof(*pd));
		pd->p = epman_pane(a->em, idx);
		pd->r = lay->rect[k];
		pd->sep = lay->separator[k];
		pd->focused = a->mode == MODE_TABLE && a->focus == idx;
		pd->input = pane_has_input(pd->p) && pd->r.h >= 2;
		pd->status = pd->r.h >= 5;
		pd->th = pd->r.h - 1 - (pd->status ? 1 : 0) - (pd->input ? 1 : 0);
		if (pd->th < 0)
			pd->th = 0;
		pane_title(v, a, pd, store);
		pane_render(pd->p, pd->r.w, pd->th, v->cs, &v->ptext[k]);
		v->panes[k].x = pd->r.x;
		v->panes[k].y = pd->r.y;
		v->panes[k].w = pd->r.w;
		v->panes[k].h = pd->r.h;
		v->panes[k].index = idx;
		v->npanes++;
		if (ytop < 0 || pd->r.y < ytop)
			ytop = pd->r.y;
		if (pd->r.y + pd->r.h > ybot)
			ybot = pd->r.y + pd->r.h;
	}
	for (int y = ytop; y < ybot; y++) {
		ln_start(&b, y, VS_NORMAL);
		for (size_t k = 0; k < lay->nshown; k++)
			if (y >= d[k].r.y && y < d[k].r.y + d[k].r.h)
				pane_emit_line(&b, v, a, &d[k], &v->ptext[k], store, y - d[k].r.y);
	}
}

/* ---- the new endpoint menu and form ---- */

static void build_kind_menu(struct view *v, struct app *a, int y0, int h)
{
	struct lb b = { v, -1, 0, false };
	int y = y0 + 1;

	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, _(" New endpoint: choose what to open (Enter or 1-5, Esc cancels)"),
		VS_TITLE);
	for (size_t k = 0; k < EP_NKINDS && y < y0 + h; k++) {
		enum view_style st = k == a->kind_cur ? VS_SELECTED : VS_NORMAL;
		const char *name = endpoint_kind_name((enum ep_kind)k);

		ln_start(&b, y++, st);
		ln_printf(&b, st, "  %zu  ", k + 1);
		ln_puts(&b, name, st);
		ln_to(&b, 24, st);
		ln_puts(&b, form_kind_help((enum ep_kind)k), k == a->kind_cur ? st : VS_DIM);
	}
	if (y < y0 + h) {
		ln_blank(&b, y++);
	}
	if (y < y0 + h) {
		ln_start(&b, y++, VS_NORMAL);
		ln_puts(&b, _("  Each endpoint gets a pane below the table; its sockets are marked "
			      "in the table (Process: sockview)."), VS_DIM);
	}
	while (y < y0 + h)
		ln_blank(&b, y++);
}

/* A one-line hint about who can reach the address in the form. */
static const char *form_reach_hint(const struct form *f)
{
	const char *host;

	if (f->transport == EP_UNIX_STREAM || f->transport == EP_UNIX_DGRAM) {
		if (f->field[FF_PATH].text[0] == '@')
			return _("an abstract name: no file, and anyone on this machine can connect");
		return _("a socket file: its permissions say who may connect (sockview makes "
			 "it yours alone, and removes it when it closes)");
	}
	host = f->field[FF_ADDR].text;
	if (f->kind == EP_CLIENT)
		return "";
	if (!host[0] || !strcmp(host, "127.0.0.1") || !strcmp(host, "::1") ||
	    !strcmp(host, "localhost") || !strncmp(host, "127.", 4))
		return _("loopback: only programs on this machine can connect");
	if (!strcmp(host, "*") || !strcmp(host, "0.0.0.0") || !strcmp(host, "::"))
		return _("every address: other machines may be able to connect");
	return _("this address may be reachable from other machines");
}

struct form_row {
	int field;           /* a field, or -1 for a line of text */
	size_t off, len, w;  /* text lines: safe text in the row buffer */
	enum view_style st;
};

#define FORM_ROWS_MAX (FF_MAX_ + 16)

/* Adds raw text as rows, escaped and wrapped to width (at most 4 rows). */
static void form_text(struct form_row *rows, int *n, struct buf *t, const char *text,
		      enum view_style st, size_t width, enum esc_charset cs)
{
	size_t at = t->len, len, pos;

	esc_display(t, text, strlen(text), cs);
	len = t->len - at;
	pos = 0;
	for (int k = 0; k < 4 && *n < FORM_ROWS_MAX; k++) {
		size_t plen = 0, pw = 0, adv;

		adv = tl_wrap(t->data + at + pos, len - pos, width ? width : 1, cs, &plen, &pw);
		rows[*n].field = -1;
		rows[*n].off = at + pos;
		rows[*n].len = plen;
		rows[*n].w = pw;
		rows[*n].st = st;
		(*n)++;
		pos += adv;
		if (pos >= len)
			break;
	}
}

static void build_form(struct view *v, struct app *a, int y0, int h)
{
	const struct form *f = &a->form;
	struct form_row rows[FORM_ROWS_MAX];
	struct lb b = { v, -1, 0, false };
	struct buf t = BUF_INIT;
	int nrows = 0, focus_row = 0, first = 0, y;
	const size_t lw = 14;
	size_t tw = v->width > 4 ? (size_t)v->width - 2 : 1;
	char title[256];

	snprintf(title, sizeof(title), _(" New %s (Enter opens it, Esc cancels)"),
		 endpoint_kind_name(f->kind));
	for (int k = 0; k < FF_MAX_; k++) {
		if (!form_field_shown(f, (enum form_field)k))
			continue;
		if (k == (int)f->focus)
			focus_row = nrows;
		rows[nrows++] = (struct form_row){ k, 0, 0, 0, VS_NORMAL };
	}
	rows[nrows++] = (struct form_row){ -1, 0, 0, 0, VS_NORMAL };
	if (f->err[0]) {
		form_text(rows, &nrows, &t, f->err, VS_ERROR, tw, v->cs);
		if (f->stale_offer)
			form_text(rows, &nrows, &t,
				  _("Enter again replaces the stale socket file; or type another path"),
				  VS_MSG, tw, v->cs);
	} else if (f->note[0]) {
		form_text(rows, &nrows, &t, f->note, VS_WARN, tw, v->cs);
	}
	if (!f->err[0]) {
		const char *hint = form_reach_hint(f);

		if (hint[0])
			form_text(rows, &nrows, &t, hint, VS_DIM, tw, v->cs);
	}
	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, title, VS_TITLE);
	/* keep the focused field in view when the area is short */
	if (h > 1 && focus_row >= h - 1)
		first = focus_row - (h - 2);
	y = y0 + 1;
	for (int r = first; r < nrows && y < y0 + h; r++, y++) {
		const struct form_row *fr = &rows[r];

		ln_start(&b, y, VS_NORMAL);
		if (fr->field < 0) {
			ln_puts(&b, "  ", VS_NORMAL);
			if (fr->len)
				ln_safe(&b, t.data + fr->off, fr->len, fr->w, fr->st);
			continue;
		}
		{
			enum form_field fld = (enum form_field)fr->field;
			bool focused = fld == f->focus;

			ln_puts(&b, focused ? "> " : "  ", VS_KEY);
			ln_puts(&b, form_field_label(fld), focused ? VS_LABEL : VS_NORMAL);
			ln_to(&b, lw, VS_NORMAL);
			if (form_field_is_choice(fld)) {
				size_t cur = form_choice_current(f, fld);

				for (size_t c = 0; c < form_choices(fld); c++)
					ln_printf(&b, c == cur ? VS_CHOICE : VS_NORMAL, c == cur ? "[%s]" : " %s ",
						  form_choice_name(fld, c));
			} else {
				/* wide enough for a path, with room for a hint */
				size_t room = ln_room(&b), fw = room > 76 ? room - 28 : room > 48 ? 48 : room;
				size_t start = b.x, cx;

				cx = ln_field(&b, &f->field[fld], fw ? fw - 1 : 0, focused, VS_FIELD);
				ln_to(&b, start + fw, VS_FIELD);
				if (focused && a->prompt == PROMPT_NONE) {
					v->cursor_on = true;
					v->cursor_y = y;
					v->cursor_x = (int)(start + cx);
					if (v->cursor_x >= v->width)
						v->cursor_x = v->width - 1;
				}
				if (fld == FF_PORT && f->kind != EP_CLIENT && !f->edited[FF_PORT])
					ln_puts(&b, _("  (free right now)"), VS_DIM);
				if (fld == FF_ADDR && f->kind == EP_CLIENT && f->env.have_last &&
				    !f->edited[FF_ADDR])
					ln_puts(&b, _("  (the last server opened)"), VS_DIM);
			}
		}
	}
	for (; y < y0 + h; y++)
		ln_blank(&b, y);
	buf_free(&t);
}

/* ---- footer ---- */

/* The message: escaped here, unless it is safe text already (a filter
 * error, whose token the filter module escaped for UTF-8). */
static void ln_msg(struct lb *b, const struct app *a)
{
	enum view_style st = a->msg_error ? VS_ERROR : VS_MSG;
	size_t len = strlen(a->msg);
	struct buf *t;

	if (!a->msg_escaped) {
		ln_puts(b, a->msg, st);
		return;
	}
	if (b->v->cs == ESC_UTF8) {
		ln_safe(b, a->msg, len, esc_width(a->msg, len, ESC_UTF8), st);
		return;
	}
	/* an ASCII terminal: escape the bytes it cannot show, and only them
	 * (escaping the backslashes again would double them) */
	t = &b->v->scratch;
	buf_reset(t);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)a->msg[i];

		if (c >= 0x80)
			buf_printf(t, "\\x%02x", c);
		else
			buf_putc(t, (char)c);
	}
	ln_safe(b, t->data ? t->data : "", t->len, t->len, st);
}

struct hint {
	const char *key, *label;
};

/* Only whole hints: a cut one would read as a different key. */
static void build_hints(struct lb *b, const struct hint *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *label = _(h[i].label);
		size_t w = esc_width(h[i].key, strlen(h[i].key), b->v->cs) +
			   esc_width(label, strlen(label), b->v->cs) + (i ? 1 : 0);

		if (w > ln_room(b))
			break;
		if (i)
			ln_space(b, 1, VS_NORMAL);
		ln_puts(b, h[i].key, VS_KEY);
		ln_puts(b, label, VS_KEYLABEL);
	}
}

static void build_footer(struct view *v, struct app *a, int y, int64_t now)
{
	struct lb b = { v, -1, 0 };
	static const struct hint table_hints[] = {
		{ "F1", N_("Help") }, { "F2", N_("New") }, { "/", N_("Search") }, { "F4", N_("Filter") },
		{ "F6", N_("Sort") }, { "Enter", N_("Details") }, { "p", N_("Peer") },
		{ "Space", N_("Pause") }, { "t/u/x/w", N_("Protos") }, { "l", N_("Listen") },
		{ "c", N_("Columns") }, { "F10", N_("Quit") },
	};
	static const struct hint details_hints[] = {
		{ "Esc", N_("Back") }, { "p", N_("Peer") }, { "Up/Dn", N_("Scroll") },
		{ "Space", N_("Pause") }, { "F10", N_("Quit") },
	};
	static const struct hint help_hints[] = {
		{ "Esc", N_("Close") }, { "Up/Dn", N_("Scroll") }, { "F10", N_("Quit") },
	};
	static const struct hint menu_hints[] = {
		{ "Up/Dn", N_("Move") }, { "Enter", N_("Choose") }, { "Esc", N_("Close") },
		{ "F10", N_("Quit") },
	};
	static const struct hint kind_hints[] = {
		{ "Up/Dn", N_("Move") }, { "Enter", N_("Choose") }, { "1-5", N_("Kind") },
		{ "Esc", N_("Cancel") }, { "F10", N_("Quit") },
	};
	static const struct hint form_hints[] = {
		{ "Enter", N_("Open") }, { "Up/Dn", N_("Field") }, { "Left/Right", N_("Change") },
		{ "Esc", N_("Cancel") }, { "F10", N_("Quit") },
	};
	static const struct hint input_hints[] = {
		{ "Enter", N_("Send") }, { "Up/Dn", N_("History") }, { "PgUp/Dn", N_("Scroll") },
		{ "F7", N_("InTable") }, { "F8", N_("Close") }, { "Tab", N_("Next") },
		{ "Esc", N_("Table") }, { "^O", N_("Zoom") }, { "^X", N_("Hex") },
		{ "F10", N_("Quit") },
	};
	static const struct hint pane_hints[] = {
		{ "PgUp/Dn", N_("Scroll") }, { "F7", N_("InTable") }, { "F8", N_("Close") },
		{ "Tab", N_("Next") }, { "Esc", N_("Table") }, { "^O", N_("Zoom") },
		{ "^X", N_("Hex") }, { "F10", N_("Quit") },
	};

	if (a->prompt == PROMPT_QUIT) {
		size_t n = epman_live(a->em);

		v->cursor_on = false;
		ln_start(&b, y, VS_WARN);
		ln_printf(&b, VS_WARN, P_("%zu endpoint is open: quit and close it? (y: quit, "
					  "any other key: stay)",
					  "%zu endpoints are open: quit and close them? (y: quit, "
					  "any other key: stay)", n), n);
		return;
	}
	if (a->prompt != PROMPT_NONE) {
		const char *label = a->prompt == PROMPT_SEARCH ? _("Search: ") : _("Filter: ");
		size_t lw, cx;

		ln_start(&b, y, VS_NORMAL);
		ln_puts(&b, label, VS_PROMPT);
		lw = b.x;
		cx = ln_field(&b, &a->edit, ln_room(&b), true, VS_NORMAL);
		v->cursor_on = true;
		v->cursor_y = y;
		v->cursor_x = (int)(lw + cx);
		if (v->cursor_x >= v->width)
			v->cursor_x = v->width - 1;
		return;
	}
	ln_start(&b, y, VS_NORMAL);
	if (a->msg[0] && a->msg_until > now) {
		ln_msg(&b, a);
		return;
	}
	switch (a->mode) {
	case MODE_TABLE: {
		const struct pane *p = app_focused_pane(a);

		if (p && pane_has_input(p))
			build_hints(&b, input_hints, sizeof(input_hints) / sizeof(input_hints[0]));
		else if (p)
			build_hints(&b, pane_hints, sizeof(pane_hints) / sizeof(pane_hints[0]));
		else
			build_hints(&b, table_hints, sizeof(table_hints) / sizeof(table_hints[0]));
		break;
	}
	case MODE_MENU:
		build_hints(&b, kind_hints, sizeof(kind_hints) / sizeof(kind_hints[0]));
		break;
	case MODE_FORM:
		build_hints(&b, form_hints, sizeof(form_hints) / sizeof(form_hints[0]));
		break;
	case MODE_DETAILS:
		build_hints(&b, details_hints, sizeof(details_hints) / sizeof(details_hints[0]));
		break;
	case MODE_HELP:
		build_hints(&b, help_hints, sizeof(help_hints) / sizeof(help_hints[0]));
		break;
	case MODE_SORT:
	case MODE_COLUMNS:
		build_hints(&b, menu_hints, sizeof(menu_hints) / sizeof(menu_hints[0]));
		break;
	}
}

/* ---- the whole screen ---- */

static void build_too_small(struct view *v)
{
	struct lb b = { v, -1, 0 };
	const char *msg = _("terminal too small");
	int y = v->height / 2;

	for (int i = 0; i < v->height; i++) {
		ln_start(&b, i, VS_NORMAL);
		if (i == y)
			ln_puts(&b, msg, VS_WARN);
	}
}

void view_build(struct view *v, struct app *a, int width, int height, int64_t now)
{
	struct lb b = { v, -1, 0 };
	int hh, body_y, body_h, footer_y;

	v->width = width > 0 ? width : 0;
	v->height = height > 0 ? height : 0;
	v->cs = a->cs;
	v->nspans = 0;
	v->colhead_y = -1;
	v->rows_y = 0;
	v->rows_h = 0;
	v->ncols = 0;
	v->npanes = 0;
	v->cursor_on = false;
	buf_reset(&v->text);
	xgrow((void **)&v->lines, &v->lines_cap, (size_t)v->height + 1, sizeof(*v->lines));
	memset(v->lines, 0, ((size_t)v->height + 1) * sizeof(*v->lines));
	v->too_small = v->width < VIEW_MIN_W || v->height < VIEW_MIN_H;
	if (v->too_small) {
		build_too_small(v);
		return;
	}

	hh = v->height >= 20 ? 3 : v->height >= 10 ? 2 : 1;
	footer_y = v->height - 1;
	body_y = hh;
	body_h = footer_y - body_y;
	/* an error message while the prompt is open goes above the prompt */
	if (a->prompt != PROMPT_NONE && a->msg[0] && a->msg_until > now && body_h > 2)
		body_h--;

	ln_start(&b, 0, VS_HEADER);
	header_totals(&b, a);
	if (hh >= 2) {
		ln_start(&b, 1, VS_HEADER);
		header_status(&b, a);
	}
	if (hh >= 3) {
		ln_start(&b, 2, VS_HEADER);
		header_extra(&b, a);
	}

	/* the body: the table (or the screen in its place) above the panes */
	{
		struct pane_layout lay;
		bool table_mode = a->mode == MODE_TABLE;
		size_t focus = table_mode ? a->focus : PANE_NONE;
		int ty, th;

		pane_layout(0, body_y, v->width, body_h, epman_count(a->em), focus,
			    table_mode && a->zoom, a->pane_first, &lay);
		a->pane_first = lay.first;
		ty = lay.table.y;
		th = lay.table.h;
		if (th <= 0) {
			app_set_page(a, 1);
		} else {
			switch (a->mode) {
			case MODE_TABLE:
				build_table(v, a, ty, th, now);
				break;
			case MODE_HELP:
				app_set_page(a, (size_t)(th > 1 ? th - 1 : 1));
				build_help(v, a, ty, th);
				break;
			case MODE_DETAILS:
				app_set_page(a, (size_t)(th > 1 ? th - 1 : 1));
				build_details(v, a, ty, th);
				break;
			case MODE_SORT:
			case MODE_COLUMNS:
				build_menu(v, a, ty, th);
				break;
			case MODE_MENU:
				build_kind_menu(v, a, ty, th);
				break;
			case MODE_FORM:
				build_form(v, a, ty, th);
				break;
			}
		}
		build_panes(v, a, &lay);
	}
	if (body_y + body_h < footer_y) {
		ln_start(&b, footer_y - 1, VS_NORMAL);
		ln_msg(&b, a);
	}
	build_footer(v, a, footer_y, now);
}
