/* pane.c - endpoint panes: input line, scrolling, rendering, layout. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "filter_hist.h"
#include "keys.h"
#include "pane.h"
#include "utf8.h"
#include "xalloc.h"

struct pane *pane_new(struct endpoint *ep, unsigned id)
{
	struct pane *p = xcalloc(1, sizeof(*p));

	p->ep = ep;
	p->id = id;
	p->hist = filter_hist_new(PANE_HISTORY);
	p->last_cs = ESC_ASCII;
	buf_init(&p->scratch, 0);
	lineedit_clear(&p->in);
	return p;
}

void pane_free(struct pane *p)
{
	if (!p)
		return;
	endpoint_free(p->ep);
	filter_hist_free(p->hist);
	buf_free(&p->scratch);
	free(p);
}

bool pane_has_input(const struct pane *p)
{
	/* a client keeps its line when its connection ends: what is typed
	 * there is still text, and Enter offers to connect again */
	return p->ep && (endpoint_accepts_input(p->ep) || endpoint_can_reconnect(p->ep));
}

bool pane_following(const struct pane *p)
{
	return p->anchor == 0;
}

/* ---- formatting and wrapping ---- */

static bool entry_is_data(const struct tr_entry *e)
{
	return e->kind == TR_RECV || e->kind == TR_SEND;
}

/* The safe text of an entry: one line, or (hex) several ending in '\n'. */
static void format_entry(const struct pane *p, const struct tr_entry *e, enum esc_charset cs,
			 struct buf *out)
{
	buf_reset(out);
	if (p->hex && entry_is_data(e))
		transcript_format_hex(e, cs, out);
	else if (p->lines && entry_is_data(e))
		transcript_format_lines(e, cs, out);
	else
		transcript_format_text(e, cs, out);
}

static void text_add(struct pane_text *pt, const char *s, size_t len, size_t w, size_t indent,
		     enum tr_kind kind, bool blank)
{
	struct pane_line *l;

	xgrow((void **)&pt->l, &pt->cap, pt->n + 1, sizeof(*pt->l));
	l = &pt->l[pt->n++];
	l->off = pt->t.len;
	for (size_t i = 0; i < indent; i++)
		buf_putc(&pt->t, ' ');
	buf_append(&pt->t, s, len);
	l->len = pt->t.len - l->off;
	l->width = w + indent;
	l->kind = kind;
	l->blank = blank;
}

/* Splits the safe text s into lines of at most w columns (continuations
 * indented); emits lines [skip_top, total - skip_bottom) into out when it
 * is not NULL. Returns the number of lines in all. */
static size_t wrap_text(const char *s, size_t len, int w, enum esc_charset cs,
			enum tr_kind kind, struct pane_text *out, size_t skip_top,
			size_t skip_bottom, size_t total_hint)
{
	size_t lines = 0, pos = 0;
	size_t indent = w > 8 ? 2 : 0;

	while (pos < len || (!lines && !len)) {
		size_t eol = pos, seg_end, n, pw;
		bool first_piece = true;

		while (eol < len && s[eol] != '\n')
			eol++;
		seg_end = eol;
		do {
			size_t room = (size_t)w - (first_piece ? 0 : indent);

			n = esc_prefix(s + pos, seg_end - pos, room, cs, &pw);
			if (!n && pos < seg_end) {
				/* a character wider than the pane: show it anyway */
				n = utf8_next(s, seg_end, pos) - pos;
				pw = esc_width(s + pos, n, cs);
			} else if (n > 1 && pos + n < seg_end && s[pos + n] != ' ') {
				/* break after a space when one is not too far back */
				size_t sp = n;

				while (sp > n / 2 && s[pos + sp - 1] != ' ')
					sp--;
				if (sp > n / 2) {
					n = sp;
					pw = esc_width(s + pos, n, cs);
				}
			}
			if (out && lines >= skip_top &&
			    (total_hint == 0 || lines + skip_bottom < total_hint))
				text_add(out, s + pos, n, pw, first_piece ? 0 : indent, kind, false);
			lines++;
			pos += n;
			first_piece = false;
			/* the space a line broke at is not shown on the next */
			if (pos < seg_end && s[pos] == ' ' && n)
				pos++;
		} while (pos < seg_end);
		if (eol < len)
			pos = eol + 1; /* past the '\n' */
		if (pos >= len)
			break;
	}
	return lines;
}

/* Lines entry e takes at width w. */
static size_t entry_lines(struct pane *p, const struct tr_entry *e, int w, enum esc_charset cs)
{
	format_entry(p, e, cs, &p->scratch);
	if (!p->scratch.data)
		return wrap_text("", 0, w, cs, e->kind, NULL, 0, 0, 0);
	return wrap_text(p->scratch.data, p->scratch.len, w, cs, e->kind, NULL, 0, 0, 0);
}

/* Emits the lines of e except skip_top at the top and skip_bottom at the
 * bottom. */
static void entry_emit(struct pane *p, const struct tr_entry *e, int w, enum esc_charset cs,
		       struct pane_text *out, size_t skip_top, size_t skip_bottom)
{
	size_t total;
	const char *t;
	size_t len;

	format_entry(p, e, cs, &p->scratch);
	t = p->scratch.data ? p->scratch.data : "";
	len = p->scratch.data ? p->scratch.len : 0;
	total = wrap_text(t, len, w, cs, e->kind, NULL, 0, 0, 0);
	wrap_text(t, len, w, cs, e->kind, out, skip_top, skip_bottom, total);
}

/* ---- scrolling ---- */

/* The bottom entry's index and the lines of it hidden below, clamped to
 * the transcript as it is now; false if the transcript is empty. */
static bool bottom_pos(struct pane *p, size_t *idx, size_t *skip)
{
	struct transcript *tr = endpoint_transcript(p->ep);
	size_t count = transcript_count(tr);
	uint64_t first = transcript_first_seq(tr);

	if (!count)
		return false;
	if (!p->anchor || p->anchor - first >= count || p->anchor < first) {
		if (p->anchor && p->anchor < first) {
			/* the entry was evicted: stay at the oldest one */
			*idx = 0;
			*skip = 0;
			return true;
		}
		*idx = count - 1;
		*skip = 0;
		return true;
	}
	*idx = (size_t)(p->anchor - first);
	*skip = p->anchor_skip;
	return true;
}

void pane_scroll(struct pane *p, long n)
{
	struct transcript *tr = endpoint_transcript(p->ep);
	size_t count = transcript_count(tr), *cnt, total = 0, idx = 0, skip = 0, h, bottom, at;
	int w = p->last_w;

	if (w <= 0 || p->last_h <= 0 || !count) {
		p->anchor = 0;
		p->anchor_skip = 0;
		return;
	}
	h = (size_t)p->last_h;
	cnt = xcalloc(count, sizeof(*cnt));
	for (size_t i = 0; i < count; i++) {
		cnt[i] = entry_lines(p, transcript_get(tr, i), w, p->last_cs);
		total += cnt[i];
	}
	if (total <= h) {
		free(cnt);
		p->anchor = 0;
		p->anchor_skip = 0;
		return;
	}
	if (!bottom_pos(p, &idx, &skip) || idx >= count) {
		free(cnt);
		return;
	}
	if (skip >= cnt[idx])
		skip = cnt[idx] - 1;
	at = 0;
	for (size_t i = 0; i < idx; i++)
		at += cnt[i];
	bottom = at + cnt[idx] - 1 - skip;
	if (n < 0)
		bottom = (size_t)-n > bottom ? 0 : bottom - (size_t)-n;
	else
		bottom = (size_t)n > total ? total : bottom + (size_t)n;
	if (bottom < h - 1)
		bottom = h - 1;
	if (bottom >= total - 1) {
		p->anchor = 0;
		p->anchor_skip = 0;
		free(cnt);
		return;
	}
	at = 0;
	for (idx = 0; idx < count; idx++) {
		if (bottom < at + cnt[idx])
			break;
		at += cnt[idx];
	}
	p->anchor = transcript_first_seq(tr) + idx;
	p->anchor_skip = at + cnt[idx] - 1 - bottom;
	free(cnt);
}

void pane_scroll_end(struct pane *p)
{
	p->anchor = 0;
	p->anchor_skip = 0;
}

void pane_scroll_home(struct pane *p)
{
	pane_scroll(p, -(long)((size_t)-1 / 4));
}

/* ---- keys ---- */

static unsigned send_line(struct pane *p)
{
	filter_hist_add(p->hist, p->in.text);
	filter_hist_reset(p->hist);
	/* errors are told in the transcript by the endpoint */
	endpoint_send_line(p->ep, p->in.text, p->in.len);
	lineedit_clear(&p->in);
	pane_scroll_end(p);
	return PANE_HANDLED | PANE_SENT;
}

unsigned pane_key(struct pane *p, int key)
{
	long page = p->last_h > 1 ? p->last_h - 1 : 1;
	bool handled = false;

	switch (key) {
	case KC_PGUP:
		pane_scroll(p, -page);
		return PANE_HANDLED;
	case KC_PGDN:
		pane_scroll(p, page);
		return PANE_HANDLED;
	default:
		break;
	}
	if (!pane_has_input(p)) {
		switch (key) {
		case KC_UP:
			pane_scroll(p, -1);
			return PANE_HANDLED;
		case KC_DOWN:
			pane_scroll(p, 1);
			return PANE_HANDLED;
		case KC_HOME:
			pane_scroll_home(p);
			return PANE_HANDLED;
		case KC_END:
			pane_scroll_end(p);
			return PANE_HANDLED;
		default:
			return 0;
		}
	}
	switch (key) {
	case KC_ENTER:
		/* never sent cut: the end of what was typed is missing */
		if (lineedit_over(&p->in))
			return PANE_HANDLED | PANE_OVER;
		/* the connection ended: the caller offers to connect again,
		 * the line stays */
		if (!endpoint_accepts_input(p->ep))
			return PANE_HANDLED | PANE_RECONNECT;
		return send_line(p);
	case KC_UP: {
		const char *t = filter_hist_up(p->hist, p->in.text);

		if (t)
			lineedit_set(&p->in, t);
		return PANE_HANDLED;
	}
	case KC_DOWN: {
		const char *t = filter_hist_down(p->hist);

		if (t)
			lineedit_set(&p->in, t);
		return PANE_HANDLED;
	}
	default:
		break;
	}
	if (key >= KC_F1 && key <= KC_F12)
		return 0;
	lineedit_key(&p->in, key, &handled);
	if (!handled)
		return 0;
	return PANE_HANDLED | (lineedit_over(&p->in) ? PANE_OVER : 0);
}

/* ---- rendering ---- */

void pane_text_init(struct pane_text *pt)
{
	memset(pt, 0, sizeof(*pt));
	buf_init(&pt->t, 0);
}

void pane_text_free(struct pane_text *pt)
{
	free(pt->l);
	buf_free(&pt->t);
	memset(pt, 0, sizeof(*pt));
}

void pane_render(struct pane *p, int w, int h, enum esc_charset cs, struct pane_text *out)
{
	struct transcript *tr = endpoint_transcript(p->ep);
	size_t idx, skip, start, total = 0, top_skip, n_idx = 0;

	out->n = 0;
	buf_reset(&out->t);
	if (w < 1)
		w = 1;
	if (h < 0)
		h = 0;
	p->last_w = w;
	p->last_h = h;
	p->last_cs = cs;
	if (!h)
		return;
	if (!bottom_pos(p, &idx, &skip)) {
		for (int i = 0; i < h; i++)
			text_add(out, "", 0, 0, 0, TR_INFO, true);
		return;
	}
	/* backwards: which entries fill the h lines */
	start = idx;
	for (size_t i = idx + 1; i-- > 0;) {
		size_t n = entry_lines(p, transcript_get(tr, i), w, cs);

		if (i == idx) {
			if (skip >= n)
				skip = n - 1;
			n_idx = n;
			n -= skip;
		}
		total += n;
		start = i;
		if (total >= (size_t)h)
			break;
	}
	(void)n_idx;
	top_skip = total > (size_t)h ? total - (size_t)h : 0;
	for (size_t i = start; i <= idx; i++)
		entry_emit(p, transcript_get(tr, i), w, cs, out, i == start ? top_skip : 0,
			   i == idx ? skip : 0);
	/* a short transcript starts at the top, as a terminal fills */
	for (size_t i = total; i < (size_t)h; i++)
		text_add(out, "", 0, 0, 0, TR_INFO, true);
}

/* ---- layout ---- */

/* Splits total into n parts as even as possible (the first ones larger). */
static int share(int total, int n, int i)
{
	return total / n + (i < total % n ? 1 : 0);
}

static int share_at(int total, int n, int i)
{
	int at = 0;

	for (int k = 0; k < i; k++)
		at += share(total, n, k);
	return at;
}

void pane_layout_fit(struct pane_layout *l, int want_h)
{
	int ys[PANE_SHOWN_MAX], rows = 0, top, bottom, shift, minh;

	if (!l->nshown || l->table.h <= 0 || want_h <= 0)
		return;
	if (want_h < PANE_MIN_H)
		want_h = PANE_MIN_H;
	top = l->rect[0].y;
	bottom = top;
	minh = l->rect[0].h;
	for (size_t k = 0; k < l->nshown; k++) {
		const struct pane_rect *r = &l->rect[k];

		if (!rows || ys[rows - 1] != r->y)
			ys[rows++] = r->y;
		if (r->y + r->h > bottom)
			bottom = r->y + r->h;
		if (r->h < minh)
			minh = r->h;
	}
	if (want_h >= minh)
		return;
	shift = (bottom - top) - rows * want_h;
	if (shift <= 0)
		return;
	l->table.h += shift;
	for (size_t k = 0; k < l->nshown; k++) {
		struct pane_rect *r = &l->rect[k];
		int row = 0;

		while (row < rows && ys[row] != r->y)
			row++;
		r->y = top + shift + row * want_h;
		r->h = want_h;
	}
}

void pane_layout(int x, int y, int w, int h, size_t npanes, size_t focus, bool zoom,
		 size_t prev_first, struct pane_layout *out)
{
	int th, ph, maxcols, maxrows, rows, cols;
	size_t cap, shown;

	memset(out, 0, sizeof(*out));
	if (w < 0)
		w = 0;
	if (h < 0)
		h = 0;
	out->table.x = x;
	out->table.y = y;
	out->table.w = w;
	out->table.h = h;
	if (!npanes || !w || !h)
		return;
	if (focus != PANE_NONE && focus >= npanes)
		focus = PANE_NONE;

	/* the table keeps about two fifths, and a few lines at least */
	th = (2 * h + 4) / 5;
	if (th < PANE_TABLE_MIN)
		th = h < PANE_TABLE_MIN ? h : PANE_TABLE_MIN;
	ph = h - th;
	if (ph < PANE_MIN_H) {
		if (h - PANE_MIN_H >= 2) {
			ph = PANE_MIN_H;
			th = h - ph;
		} else {
			ph = 0;
		}
	}
	if (focus != PANE_NONE && (zoom || ph == 0)) {
		/* the focused pane alone, on the whole body */
		out->table.h = 0;
		out->first = focus;
		out->nshown = 1;
		out->rect[0].x = x;
		out->rect[0].y = y;
		out->rect[0].w = w;
		out->rect[0].h = h;
		return;
	}
	if (!ph)
		return;
	out->table.h = th;

	maxcols = (w + 1) / (PANE_MIN_W + 1);
	if (maxcols < 1)
		maxcols = 1;
	maxrows = ph / PANE_MIN_H;
	if (maxrows < 1)
		maxrows = 1;
	cap = (size_t)maxcols * (size_t)maxrows;
	if (cap > PANE_SHOWN_MAX)
		cap = PANE_SHOWN_MAX;
	shown = npanes < cap ? npanes : cap;
	/* side by side first; rows only when the columns are used up */
	cols = (int)(shown < (size_t)maxcols ? shown : (size_t)maxcols);
	rows = (int)((shown + (size_t)cols - 1) / (size_t)cols);

	/* the window of panes shown: keep prev_first if the focus is in it */
	if (npanes <= shown) {
		out->first = 0;
	} else {
		size_t first = prev_first;

		if (first == PANE_NONE || first > npanes - shown)
			first = npanes - shown;
		if (focus != PANE_NONE) {
			if (focus < first)
				first = focus;
			else if (focus >= first + shown)
				first = focus - shown + 1;
		}
		out->first = first;
	}
	out->nshown = shown;

	for (int r = 0, k = 0; r < rows; r++) {
		int in_row = (int)shown - r * cols < cols ? (int)shown - r * cols : cols;
		int ry = y + th + share_at(ph, rows, r), rh = share(ph, rows, r);
		int usable = w - (in_row - 1);

		for (int c = 0; c < in_row; c++, k++) {
			struct pane_rect *pr = &out->rect[k];

			pr->x = x + share_at(usable, in_row, c) + c;
			pr->w = share(usable, in_row, c);
			pr->y = ry;
			pr->h = rh;
			out->separator[k] = c > 0;
		}
	}
}
