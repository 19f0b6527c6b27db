/* test_pane.c - endpoint panes without a terminal: the line editor, the
 * marks of our own sockets, the pane layout, rendering and scrolling of a
 * transcript, the input line with its history, and the endpoint manager
 * driving real loopback and Unix sockets through the poll loop. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "epman.h"
#include "keys.h"
#include "lineedit.h"
#include "loop.h"
#include "ownset.h"
#include "pane.h"

/* ---- line editor ---- */

static void keys_in(struct lineedit *e, const char *s)
{
	bool h;

	for (; *s; s++)
		lineedit_key(e, (unsigned char)*s, &h);
}

static void test_lineedit(void **state)
{
	struct lineedit e;
	bool h;
	char big[LINEEDIT_MAX + 10];

	(void)state;
	lineedit_clear(&e);
	keys_in(&e, "hello world");
	assert_string_equal(e.text, "hello world");
	assert_int_equal(e.cur, 11);
	/* Ctrl-W deletes the word before the cursor */
	assert_true(lineedit_key(&e, KC_CTRL('w'), &h));
	assert_string_equal(e.text, "hello ");
	/* Home, Delete, End, Backspace */
	lineedit_key(&e, KC_HOME, &h);
	assert_int_equal(e.cur, 0);
	lineedit_key(&e, KC_DELETE, &h);
	assert_string_equal(e.text, "ello ");
	lineedit_key(&e, KC_END, &h);
	lineedit_key(&e, KC_BACKSPACE, &h);
	assert_string_equal(e.text, "ello");
	/* Left then insert in the middle */
	lineedit_key(&e, KC_LEFT, &h);
	lineedit_key(&e, KC_LEFT, &h);
	lineedit_key(&e, 'X', &h);
	assert_string_equal(e.text, "elXlo");
	lineedit_key(&e, KC_RIGHT, &h);
	assert_int_equal(e.cur, 4);
	/* Ctrl-U deletes to the start, Ctrl-K to the end */
	assert_true(lineedit_key(&e, KC_CTRL('u'), &h));
	assert_string_equal(e.text, "o");
	lineedit_key(&e, KC_HOME, &h);
	assert_true(lineedit_key(&e, KC_CTRL('k'), &h));
	assert_string_equal(e.text, "");
	/* a multibyte character is one step */
	lineedit_key(&e, 0x4e2d, &h);
	assert_int_equal(e.len, 3);
	lineedit_key(&e, KC_LEFT, &h);
	assert_int_equal(e.cur, 0);
	lineedit_key(&e, KC_DELETE, &h);
	assert_int_equal(e.len, 0);
	/* control characters and special keys are not text */
	assert_false(lineedit_key(&e, 0x1b, &h));
	assert_false(h);
	assert_false(lineedit_key(&e, KC_UP, &h));
	assert_false(h);
	assert_false(lineedit_key(&e, KC_ENTER, &h));
	assert_false(h);
	/* a long text is cut to fit, on a character boundary */
	memset(big, 'a', sizeof(big));
	memcpy(big + LINEEDIT_MAX - 3, "\xe4\xb8\xad", 3);
	big[sizeof(big) - 1] = '\0';
	lineedit_set(&e, big);
	assert_int_equal(e.len, LINEEDIT_MAX - 3);
	assert_int_equal(e.cur, e.len);
	assert_true(lineedit_over(&e));
	/* full: typing more changes nothing */
	lineedit_key(&e, 'a', &h);
	lineedit_key(&e, 'a', &h);
	assert_true(e.len < LINEEDIT_MAX);
}

/* Issue 12: one limit (LINEEDIT_TEXT_MAX, what -f takes), and input past
 * it refused visibly (lineedit_over), never cut and taken as typed. */
static void test_lineedit_limit(void **state)
{
	static struct lineedit e;
	char want[LINEEDIT_TEXT_MAX + 1];
	size_t n;
	bool h;

	(void)state;
	assert_int_equal(LINEEDIT_TEXT_MAX, 4096);
	/* a 600-byte filter ending in "port 2200" is taken whole */
	lineedit_clear(&e);
	memset(want, 0, sizeof(want));
	for (n = 0; n + 10 < 600; n += 10)
		memcpy(want + n, "tcp and   ", 10);
	snprintf(want + n, sizeof(want) - n, "port 2200");
	keys_in(&e, want);
	assert_string_equal(e.text, want);
	assert_false(lineedit_over(&e));
	/* up to the limit exactly, in characters of every length */
	lineedit_clear(&e);
	while (e.len + 4 <= LINEEDIT_TEXT_MAX)
		assert_true(lineedit_key(&e, 0x1f600, &h));
	assert_int_equal(e.len, LINEEDIT_TEXT_MAX);
	assert_false(lineedit_over(&e));
	/* one more is refused: the text stays, the line says so */
	assert_false(lineedit_key(&e, 'x', &h));
	assert_true(h);
	assert_int_equal(e.len, LINEEDIT_TEXT_MAX);
	assert_true(lineedit_over(&e));
	/* a shorter character after a refused one is refused too (no text
	 * with a hole in it), until the text gets shorter */
	lineedit_key(&e, KC_BACKSPACE, &h);
	assert_false(lineedit_over(&e));
	assert_true(lineedit_key(&e, 0x107, &h)); /* ć fits in the 4 bytes freed */
	assert_true(lineedit_key(&e, 0x107, &h));
	assert_false(lineedit_key(&e, 0x2713, &h)); /* ✓ does not */
	assert_true(lineedit_over(&e));
	assert_false(lineedit_key(&e, 'a', &h));
	assert_int_equal(e.len, LINEEDIT_TEXT_MAX);
	/* lineedit_set with a text that fits clears it; one that does not
	 * sets it */
	lineedit_set(&e, "port 2200");
	assert_false(lineedit_over(&e));
	memset(want, 'a', sizeof(want));
	want[sizeof(want) - 1] = '\0';
	lineedit_set(&e, want);
	assert_false(lineedit_over(&e));
	assert_int_equal(e.len, LINEEDIT_TEXT_MAX);
	lineedit_clear(&e);
	assert_false(lineedit_over(&e));
}

/* ---- own socket marks ---- */

static void test_ownset(void **state)
{
	struct ownset s, t;
	unsigned tag = 0;

	(void)state;
	ownset_init(&s);
	ownset_init(&t);
	assert_false(ownset_find(&s, 5, &tag));
	ownset_add(&s, 300, 2);
	ownset_add(&s, 100, 1);
	ownset_add(&s, 0, 9); /* inode 0: nobody's */
	ownset_add(&s, 200, 1);
	ownset_add(&s, 100, 3); /* duplicate: the smaller tag stays */
	ownset_finish(&s);
	assert_int_equal(s.n, 3);
	assert_true(ownset_find(&s, 100, &tag));
	assert_int_equal(tag, 1);
	assert_true(ownset_find(&s, 300, &tag));
	assert_int_equal(tag, 2);
	assert_true(ownset_find(&s, 200, NULL));
	assert_false(ownset_find(&s, 0, &tag));
	assert_false(ownset_find(&s, 150, &tag));
	assert_false(ownset_equal(&s, &t));
	ownset_copy(&t, &s);
	assert_true(ownset_equal(&s, &t));
	ownset_clear(&t);
	ownset_add(&t, 100, 1);
	ownset_finish(&t);
	assert_false(ownset_equal(&s, &t));
	ownset_free(&s);
	ownset_free(&t);
}

/* ---- layout ---- */

static bool overlap(const struct pane_rect *a, const struct pane_rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
	       b->y < a->y + a->h;
}

/* Panes that hold little give their lines back to the table (issue 12
 * item 4); rows stay contiguous and end at the bottom of the body. */
static void test_layout_fit(void **state)
{
	struct pane_layout l;

	(void)state;
	pane_layout(0, 3, 120, 36, 1, 0, false, PANE_NONE, &l);
	pane_layout_fit(&l, 6);
	assert_int_equal(l.rect[0].h, 6);
	assert_int_equal(l.table.h, 30);
	assert_int_equal(l.rect[0].y, 3 + 30);
	/* wanting more than the share changes nothing */
	pane_layout(0, 3, 120, 36, 1, 0, false, PANE_NONE, &l);
	pane_layout_fit(&l, 100);
	assert_int_equal(l.rect[0].h, 21);
	assert_int_equal(l.table.h, 15);
	/* never lower than a pane can be */
	pane_layout(0, 3, 120, 36, 1, 0, false, PANE_NONE, &l);
	pane_layout_fit(&l, 1);
	assert_int_equal(l.rect[0].h, PANE_MIN_H);
	/* two rows: each gets want_h, the second right below the first */
	pane_layout(0, 3, 80, 20, 3, PANE_NONE, false, PANE_NONE, &l);
	pane_layout_fit(&l, 4);
	assert_int_equal(l.rect[0].h, 4);
	assert_int_equal(l.rect[2].h, 4);
	assert_int_equal(l.rect[0].y, l.rect[1].y);
	assert_int_equal(l.rect[2].y, l.rect[0].y + 4);
	assert_int_equal(l.rect[2].y + 4, 3 + 20);
	assert_int_equal(l.table.h, 20 - 8);
	/* zoomed: untouched */
	pane_layout(0, 3, 80, 20, 3, 1, true, PANE_NONE, &l);
	pane_layout_fit(&l, 4);
	assert_int_equal(l.rect[0].h, 20);
}

static void test_layout_cases(void **state)
{
	struct pane_layout l;

	(void)state;
	/* no pane: the table has the body */
	pane_layout(0, 3, 120, 36, 0, PANE_NONE, false, PANE_NONE, &l);
	assert_int_equal(l.table.h, 36);
	assert_int_equal(l.nshown, 0);

	/* one pane: below the table, which keeps two fifths */
	pane_layout(0, 3, 120, 36, 1, 0, false, PANE_NONE, &l);
	assert_int_equal(l.table.y, 3);
	assert_int_equal(l.table.h, 15);
	assert_int_equal(l.nshown, 1);
	assert_int_equal(l.rect[0].x, 0);
	assert_int_equal(l.rect[0].y, 18);
	assert_int_equal(l.rect[0].w, 120);
	assert_int_equal(l.rect[0].h, 21);
	assert_false(l.separator[0]);

	/* two panes side by side, a separator column between them */
	pane_layout(0, 3, 120, 36, 2, PANE_NONE, false, PANE_NONE, &l);
	assert_int_equal(l.nshown, 2);
	assert_int_equal(l.rect[0].w + l.rect[1].w + 1, 120);
	assert_int_equal(l.rect[1].x, l.rect[0].w + 1);
	assert_true(l.separator[1]);
	assert_int_equal(l.rect[0].y, l.rect[1].y);

	/* three at 80x20: two columns, the third on a row of its own */
	pane_layout(0, 3, 80, 20, 3, 2, false, PANE_NONE, &l);
	assert_int_equal(l.nshown, 3);
	assert_int_equal(l.table.h, 8);
	assert_int_equal(l.rect[0].y, l.rect[1].y);
	assert_true(l.rect[2].y > l.rect[0].y);
	assert_int_equal(l.rect[2].w, 80);
	assert_int_equal(l.rect[0].h + l.rect[2].h, 12);

	/* zoom: the focused pane has the whole body */
	pane_layout(0, 3, 80, 20, 3, 1, true, PANE_NONE, &l);
	assert_int_equal(l.table.h, 0);
	assert_int_equal(l.nshown, 1);
	assert_int_equal(l.first, 1);
	assert_int_equal(l.rect[0].h, 20);
	assert_int_equal(l.rect[0].w, 80);
	/* zoom without a focused pane does nothing */
	pane_layout(0, 3, 80, 20, 3, PANE_NONE, true, PANE_NONE, &l);
	assert_int_equal(l.nshown, 3);

	/* too low for panes: the table only, or the focused pane alone */
	pane_layout(0, 1, 40, 4, 2, PANE_NONE, false, PANE_NONE, &l);
	assert_int_equal(l.nshown, 0);
	assert_int_equal(l.table.h, 4);
	pane_layout(0, 1, 40, 4, 2, 1, false, PANE_NONE, &l);
	assert_int_equal(l.nshown, 1);
	assert_int_equal(l.first, 1);
	assert_int_equal(l.table.h, 0);

	/* many panes: a window that holds the focused one */
	pane_layout(0, 3, 80, 20, 20, 17, false, PANE_NONE, &l);
	assert_true(l.nshown < 20);
	assert_true(l.first <= 17 && 17 < l.first + l.nshown);
	{
		size_t first = l.first;

		/* the window stays put while the focus stays inside it */
		pane_layout(0, 3, 80, 20, 20, first, false, first, &l);
		assert_int_equal(l.first, first);
		/* the table focused: the window kept as it was */
		pane_layout(0, 3, 80, 20, 20, PANE_NONE, false, first, &l);
		assert_int_equal(l.first, first);
	}
	/* degenerate sizes */
	pane_layout(0, 0, 0, 0, 3, 0, false, PANE_NONE, &l);
	assert_int_equal(l.nshown, 0);
	pane_layout(0, 0, -5, -5, 3, 7, true, PANE_NONE, &l);
	assert_int_equal(l.nshown, 0);
}

/* Whatever the size and count: every rect inside the body, none
 * overlapping another or the table, the focused pane always shown. */
static void test_layout_invariants(void **state)
{
	(void)state;
	for (int w = 1; w <= 200; w += 7) {
		for (int h = 1; h <= 60; h += 3) {
			for (size_t n = 1; n <= 20; n += 3) {
				for (int zf = 0; zf < 3; zf++) {
					struct pane_layout l;
					size_t focus = zf == 0 ? PANE_NONE : n - 1;
					bool zoom = zf == 2;

					pane_layout(2, 5, w, h, n, focus, zoom, 0, &l);
					assert_true(l.table.h >= 0 && l.table.h <= h);
					assert_true(l.nshown <= n && l.nshown <= PANE_SHOWN_MAX);
					assert_true(l.first + l.nshown <= n);
					if (focus != PANE_NONE)
						assert_true(l.first <= focus && focus < l.first + l.nshown);
					for (size_t k = 0; k < l.nshown; k++) {
						const struct pane_rect *r = &l.rect[k];

						assert_true(r->w >= 1 && r->h >= 1);
						assert_true(r->x >= 2 && r->x + r->w <= 2 + w);
						assert_true(r->y >= 5 && r->y + r->h <= 5 + h);
						if (l.table.h)
							assert_false(overlap(r, &l.table));
						for (size_t j = 0; j < k; j++)
							assert_false(overlap(r, &l.rect[j]));
					}
				}
			}
		}
	}
}

/* ---- rendering and scrolling ---- */

/* A sink server on an ephemeral loopback port, with no loop: its
 * transcript is filled by hand. */
static struct endpoint *quiet_endpoint(enum ep_kind kind)
{
	struct endpoint_config cfg;
	char err[256];
	struct endpoint *ep;

	endpoint_config_init(&cfg, kind, EP_TCP);
	epaddr_loopback(&cfg.addr, AF_INET, 0);
	ep = endpoint_new(&cfg, err, sizeof(err));
	if (!ep)
		fail_msg("endpoint_new: %s", err);
	return ep;
}

static const char *line_text(const struct pane_text *pt, size_t i, char *out, size_t len)
{
	snprintf(out, len, "%.*s", (int)pt->l[i].len, pt->t.data + pt->l[i].off);
	return out;
}

static void test_render(void **state)
{
	struct endpoint *ep = quiet_endpoint(EP_SINK);
	struct pane *p = pane_new(ep, 1);
	struct transcript *tr = endpoint_transcript(ep);
	struct pane_text pt;
	char line[256];

	(void)state;
	pane_text_init(&pt);
	transcript_clear(tr);
	transcript_add(tr, TR_RECV, "peer", 4, "abc\x1b\n", 5);
	pane_render(p, 60, 4, ESC_UTF8, &pt);
	assert_int_equal(pt.n, 4);
	/* the entry first, blank lines below a short transcript */
	assert_false(pt.l[0].blank);
	assert_true(pt.l[1].blank && pt.l[3].blank);
	assert_int_equal(pt.l[0].kind, TR_RECV);
	line_text(&pt, 0, line, sizeof(line));
	/* escaped: the control bytes are visible, nothing raw */
	assert_non_null(strstr(line, "< peer  abc\\x1b\\n"));
	assert_null(strchr(line, '\x1b'));
	assert_int_equal(pt.l[0].width, strlen(line));

	/* a long entry wraps, continuation lines indented; no line too wide */
	transcript_add(tr, TR_SEND, NULL, 0,
		       "0123456789 0123456789 0123456789 0123456789 0123456789", 54);
	pane_render(p, 20, 10, ESC_UTF8, &pt);
	assert_int_equal(pt.n, 10);
	for (size_t i = 0; i < pt.n; i++)
		assert_true(pt.l[i].width <= 20);
	{
		size_t sends = 0;

		for (size_t i = 0; i < pt.n; i++)
			if (!pt.l[i].blank && pt.l[i].kind == TR_SEND) {
				line_text(&pt, i, line, sizeof(line));
				if (sends++)
					assert_memory_equal(line, "  ", 2);
			}
		assert_true(sends >= 3);
	}

	/* hex view of the data entries */
	transcript_clear(tr);
	transcript_add(tr, TR_RECV, "peer", 4, "abc\x1b\n", 5);
	p->hex = true;
	pane_render(p, 80, 6, ESC_UTF8, &pt);
	assert_non_null(strstr(line_text(&pt, 0, line, sizeof(line)), "< peer  (5 bytes)"));
	line_text(&pt, 1, line, sizeof(line));
	assert_memory_equal(line, "0000  61 62 63 1b 0a   ", 23);
	assert_non_null(strstr(line, "  |abc..|"));
	assert_true(pt.l[2].blank);
	p->hex = false;

	/* 1 column, 0 lines: no crash */
	pane_render(p, 1, 3, ESC_ASCII, &pt);
	assert_int_equal(pt.n, 3);
	for (size_t i = 0; i < pt.n; i++)
		assert_true(pt.l[i].width <= 1 || pt.l[i].len <= 4);
	pane_render(p, 5, 0, ESC_ASCII, &pt);
	assert_int_equal(pt.n, 0);

	pane_text_free(&pt);
	pane_free(p);
}

static void test_scroll(void **state)
{
	struct endpoint *ep = quiet_endpoint(EP_SINK);
	struct pane *p = pane_new(ep, 1);
	struct transcript *tr = endpoint_transcript(ep);
	struct pane_text pt;
	char line[256], msg[32];

	(void)state;
	pane_text_init(&pt);
	transcript_clear(tr);
	for (int i = 0; i < 30; i++) {
		snprintf(msg, sizeof(msg), "line-%02d", i);
		transcript_add(tr, TR_INFO, NULL, 0, msg, strlen(msg));
	}
	pane_render(p, 40, 5, ESC_UTF8, &pt);
	assert_true(pane_following(p));
	assert_non_null(strstr(line_text(&pt, 4, line, sizeof(line)), "line-29"));
	assert_non_null(strstr(line_text(&pt, 0, line, sizeof(line)), "line-25"));
	/* PgUp: a page back (h - 1 lines) */
	assert_true(pane_key(p, KC_PGUP) & PANE_HANDLED);
	assert_false(pane_following(p));
	pane_render(p, 40, 5, ESC_UTF8, &pt);
	assert_non_null(strstr(line_text(&pt, 4, line, sizeof(line)), "line-25"));
	/* new entries do not move what is shown */
	transcript_add(tr, TR_INFO, NULL, 0, "line-30", 7);
	pane_render(p, 40, 5, ESC_UTF8, &pt);
	assert_non_null(strstr(line_text(&pt, 4, line, sizeof(line)), "line-25"));
	/* Home: the oldest; Up at the top stays there */
	pane_scroll_home(p);
	pane_render(p, 40, 5, ESC_UTF8, &pt);
	assert_non_null(strstr(line_text(&pt, 0, line, sizeof(line)), "line-00"));
	pane_scroll(p, -3);
	pane_render(p, 40, 5, ESC_UTF8, &pt);
	assert_non_null(strstr(line_text(&pt, 0, line, sizeof(line)), "line-00"));
	/* Down twice, then PgDn to the end: following again */
	pane_key(p, KC_DOWN);
	pane_key(p, KC_DOWN);
	pane_render(p, 40, 5, ESC_UTF8, &pt);
	assert_non_null(strstr(line_text(&pt, 0, line, sizeof(line)), "line-02"));
	for (int i = 0; i < 20; i++)
		pane_key(p, KC_PGDN);
	assert_true(pane_following(p));
	/* End in a pane without input jumps to the end */
	pane_scroll(p, -4);
	assert_false(pane_following(p));
	pane_key(p, KC_END);
	assert_true(pane_following(p));
	/* a transcript that fits never scrolls */
	transcript_clear(tr);
	transcript_add(tr, TR_INFO, NULL, 0, "one", 3);
	pane_render(p, 40, 5, ESC_UTF8, &pt);
	pane_scroll(p, -2);
	assert_true(pane_following(p));
	/* letters are not for a pane without input */
	assert_int_equal(pane_key(p, 'q'), 0);
	pane_text_free(&pt);
	pane_free(p);
}

/* ---- the endpoint manager in a real loop ---- */

/* Runs loop passes until cond(ctx) or about 5 s. */
static bool run_until(struct loop *l, bool (*cond)(void *), void *ctx)
{
	int64_t end = clock_now_ms() + 5000;

	for (int i = 0; i < 10000 && clock_now_ms() < end; i++) {
		if (cond(ctx))
			return true;
		loop_run_once(l, 20);
	}
	return cond(ctx);
}

static bool is_ready(void *ctx)
{
	return endpoint_state(((struct pane *)ctx)->ep) == EP_STATE_READY;
}

struct want {
	struct pane *p;
	enum tr_kind kind;
	const char *text;
};

static bool has_entry(void *ctx)
{
	struct want *w = ctx;
	struct transcript *tr = endpoint_transcript(w->p->ep);

	for (size_t i = 0; i < transcript_count(tr); i++) {
		const struct tr_entry *e = transcript_get(tr, i);

		if (e->kind == w->kind && e->len >= strlen(w->text) &&
		    !memcmp(e->data, w->text, strlen(w->text)))
			return true;
	}
	return false;
}

static void type_in(struct pane *p, const char *s)
{
	for (; *s; s++)
		pane_key(p, (unsigned char)*s);
}

static void test_epman_echo(void **state)
{
	struct loop *l = loop_new();
	struct epman *m = epman_new(l);
	struct endpoint_config cfg;
	struct epman_server last;
	struct pane *srv, *cli;
	struct ownset own;
	char err[256];
	unsigned tag;
	struct want w;

	(void)state;
	ownset_init(&own);
	assert_false(epman_last_server(m, &last));
	endpoint_config_init(&cfg, EP_ECHO, EP_TCP);
	epaddr_loopback(&cfg.addr, AF_INET, 0);
	srv = epman_open(m, &cfg, err, sizeof(err));
	assert_non_null(srv);
	assert_int_equal(srv->id, 1);
	assert_true(epman_take_dirty(m));
	assert_false(epman_take_dirty(m));
	assert_true(epman_last_server(m, &last));
	assert_int_equal(last.kind, EP_ECHO);
	assert_true(epaddr_port(&last.addr) > 0);

	endpoint_config_init(&cfg, EP_CLIENT, EP_TCP);
	cfg.addr = last.addr;
	cli = epman_open(m, &cfg, err, sizeof(err));
	assert_non_null(cli);
	assert_int_equal(cli->id, 2);
	assert_int_equal(epman_count(m), 2);
	assert_true(run_until(l, is_ready, cli));
	assert_int_equal(epman_live(m), 2);
	assert_true(pane_has_input(cli));
	assert_false(pane_has_input(srv));

	/* type a line: it goes out and comes back */
	type_in(cli, "hi there");
	assert_string_equal(cli->in.text, "hi there");
	assert_true(pane_key(cli, KC_ENTER) & PANE_SENT);
	assert_string_equal(cli->in.text, "");
	w.p = cli;
	w.kind = TR_RECV;
	w.text = "hi there\n";
	assert_true(run_until(l, has_entry, &w));
	w.p = srv;
	assert_true(run_until(l, has_entry, &w));
	/* the history brings it back */
	pane_key(cli, KC_UP);
	assert_string_equal(cli->in.text, "hi there");
	pane_key(cli, KC_DOWN);
	assert_string_equal(cli->in.text, "");
	/* letters are text in an input line; function keys are not */
	assert_true(pane_key(cli, 'q') & PANE_HANDLED);
	assert_int_equal(pane_key(cli, KC_F8), 0);

	/* our sockets: the listener, the accepted one, the client's */
	epman_collect(m, &own);
	assert_int_equal(own.n, 3);
	{
		uint32_t ino[4];
		size_t n = endpoint_inodes(srv->ep, ino, 4);

		assert_int_equal(n, 2);
		assert_true(ownset_find(&own, ino[0], &tag));
		assert_int_equal(tag, 1);
		n = endpoint_inodes(cli->ep, ino, 4);
		assert_int_equal(n, 1);
		assert_true(ownset_find(&own, ino[0], &tag));
		assert_int_equal(tag, 2);
	}
	assert_int_equal(epman_find(m, 2), 1);
	assert_int_equal(epman_find(m, 9), PANE_NONE);

	/* closing the server: the client sees it, the marks shrink */
	epman_close(m, 0);
	assert_int_equal(epman_count(m), 1);
	w.p = cli;
	w.kind = TR_DISCONNECT;
	w.text = "";
	assert_true(run_until(l, has_entry, &w));
	/* its input line stays (Enter offers to connect again, issue 12
	 * item 3), though nothing can be sent */
	assert_true(pane_has_input(cli));
	assert_false(endpoint_accepts_input(cli->ep));
	assert_true(endpoint_can_reconnect(cli->ep));
	assert_true(pane_key(cli, KC_ENTER) & PANE_RECONNECT);
	assert_int_equal(epman_live(m), 0);
	/* a closed server is no client's target any more (issue 12) */
	assert_false(epman_last_server(m, &last));
	epman_collect(m, &own);
	assert_int_equal(own.n, 0);
	/* the number 1 is free again */
	endpoint_config_init(&cfg, EP_SINK, EP_UDP);
	epaddr_loopback(&cfg.addr, AF_INET, 0);
	srv = epman_open(m, &cfg, err, sizeof(err));
	assert_non_null(srv);
	assert_int_equal(srv->id, 1);

	ownset_free(&own);
	epman_free(m);
	loop_free(l);
}

static void test_epman_errors(void **state)
{
	struct loop *l = loop_new();
	struct epman *m = epman_new(l);
	struct endpoint_config cfg;
	struct epman_server last;
	struct pane *p;
	char err[256];
	int e;

	(void)state;
	endpoint_config_init(&cfg, EP_ECHO, EP_TCP);
	epaddr_loopback(&cfg.addr, AF_INET, 0);
	p = epman_open(m, &cfg, err, sizeof(err));
	assert_non_null(p);
	assert_true(epman_last_server(m, &last));
	/* the same address again: in use, nothing added */
	endpoint_config_init(&cfg, EP_ECHO, EP_TCP);
	cfg.addr = last.addr;
	assert_null(epman_open(m, &cfg, err, sizeof(err)));
	e = errno;
	assert_int_equal(e, EADDRINUSE);
	assert_non_null(strstr(err, "already in use"));
	assert_int_equal(epman_count(m), 1);
	assert_null(epman_pane(m, 1));
	epman_free(m);
	loop_free(l);
	epman_free(NULL);
}

/* Unix endpoints: the private directory under $XDG_RUNTIME_DIR, the socket
 * file removed with the endpoint, the directory when empty, a stranger's
 * file left alone. */
static void test_epman_unix_cleanup(void **state)
{
	char tmpl[] = "/tmp/sv-test-pane.XXXXXX", other[128], path[200], err[256];
	const char *dir, *old = getenv("XDG_RUNTIME_DIR");
	char *saved = old ? strdup(old) : NULL;
	struct loop *l = loop_new();
	struct epman *m = epman_new(l);
	struct endpoint_config cfg;
	struct stat st;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	setenv("XDG_RUNTIME_DIR", tmpl, 1);
	snprintf(other, sizeof(other), "%s/not-ours.sock", tmpl);
	fp = fopen(other, "w");
	assert_non_null(fp);
	fclose(fp);

	dir = epman_private_dir(m, err, sizeof(err));
	assert_non_null(dir);
	assert_memory_equal(dir, tmpl, strlen(tmpl));
	assert_int_equal(lstat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	/* asked again: the same one */
	assert_string_equal(epman_private_dir(m, err, sizeof(err)), dir);

	assert_int_equal(epaddr_suggest_path(dir, "echo", path, sizeof(path)), 0);
	endpoint_config_init(&cfg, EP_ECHO, EP_UNIX_STREAM);
	assert_int_equal(epaddr_parse(&cfg.addr, path, AF_UNIX, err, sizeof(err)), 0);
	assert_non_null(epman_open(m, &cfg, err, sizeof(err)));
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));

	snprintf(other, sizeof(other), "%s", dir);
	epman_free(m);
	loop_free(l);
	assert_int_equal(lstat(path, &st), -1);
	assert_int_equal(lstat(other, &st), -1); /* the private directory */
	snprintf(other, sizeof(other), "%s/not-ours.sock", tmpl);
	assert_int_equal(lstat(other, &st), 0);
	unlink(other);
	rmdir(tmpl);
	if (saved)
		setenv("XDG_RUNTIME_DIR", saved, 1);
	else
		unsetenv("XDG_RUNTIME_DIR");
	free(saved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lineedit),
		cmocka_unit_test(test_lineedit_limit),
		cmocka_unit_test(test_ownset),
		cmocka_unit_test(test_layout_cases),
		cmocka_unit_test(test_layout_fit),
		cmocka_unit_test(test_layout_invariants),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_epman_echo),
		cmocka_unit_test(test_epman_errors),
		cmocka_unit_test(test_epman_unix_cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
