/* test_view.c - the view model: cell text, escaping, layout, screens. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app.h"
#include "cell.h"
#include "epman.h"
#include "filterhelp.h"
#include "loop.h"
#include "cgroup.h"
#include "procmap.h"
#include "uitest.h"
#include "view.h"
#include "utext.h"

#define NOW 500000

struct fx {
	struct app *a;
	struct procmap *pm;
	struct view v;
	struct buf line;
};

static void fill(struct snapshot *s)
{
	struct sock *r;

	/* the kernel sends a tcp_info of zeros for listeners */
	r = ut_inet(s, SP_TCP, SS_LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0, 1, 101);
	r->has |= SOCK_HAS_TCP;
	r = ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40000, 2, 102);
	r->has |= SOCK_HAS_TCP | SOCK_HAS_CONG;
	ut_ext(r)->tcp.rtt_us = 1250;
	ut_ext(r)->tcp.rttvar_us = 500;
	ut_ext(r)->tcp.snd_cwnd = 10;
	ut_ext(r)->tcp.snd_ssthresh = 0x7fffffff;
	ut_ext(r)->tcp.snd_mss = 32768;
	ut_ext(r)->tcp.bytes_acked = 12345;
	ut_ext(r)->tcp.bytes_received = 678;
	ut_ext(r)->tcp.total_retrans = 3;
	strcpy(ut_ext(r)->cong, "cubic");
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 40000, "127.0.0.1", 8080, 3, 103);
	ut_inet(s, SP_UDP, SS_CLOSE, "fe80::1234:5678:9abc:def0", 5353, "::", 0, 5, 105);
	/* an abstract name with an escape sequence and a newline in it */
	ut_unix(s, SOCK_STREAM, SS_LISTEN, "\0evil\x1b]0;pwned\x07\nname", 20, 201, 0);
	/* a long path */
	ut_unix(s, SOCK_DGRAM, SS_CLOSE,
		"/run/user/1000/some/very/deep/directory/structure/for/testing/app.sock", 71, 202, 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct options o;
	struct snapshot *s;

	ut_options(&o);
	f->a = app_new(&o, ESC_UTF8);
	f->pm = procmap_new();
	procmap_set_proc(f->pm, 77, "srv\x1b[31m", 8, 0);
	procmap_add_owner(f->pm, 101, 77, 3);
	procmap_add_owner(f->pm, 102, 77, 4);
	procmap_set_proc(f->pm, 78, "other", 5, 0);
	procmap_add_owner(f->pm, 102, 78, 5);
	s = app_spare_snapshot(f->a);
	fill(s);
	ut_finish(s, NOW);
	app_commit_snapshot(f->a, f->pm, NOW);
	view_init(&f->v);
	buf_init(&f->line, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	view_free(&f->v);
	buf_free(&f->line);
	app_free(f->a);
	procmap_free(f->pm);
	free(f);
	return 0;
}

/* Checks every line of the screen: no control bytes, no wider than the
 * screen; returns the whole screen as one string (lines joined by '\n'). */
static const char *screen(struct fx *f, struct buf *all)
{
	buf_reset(all);
	for (int y = 0; y < f->v.height; y++) {
		const struct view_line *l = &f->v.lines[y];
		size_t w = 0;

		for (size_t i = 0; i < l->n; i++) {
			const struct view_span *sp = &f->v.spans[l->first + i];
			const unsigned char *t = (const unsigned char *)view_span_text(&f->v, sp);

			for (size_t k = 0; k < sp->len; k++)
				assert_true(t[k] >= 0x20 && t[k] != 0x7f);
			assert_int_equal(esc_width((const char *)t, sp->len, f->v.cs), sp->width);
			w += sp->width;
		}
		assert_true(w <= (size_t)f->v.width);
		view_line_text(&f->v, y, &f->line);
		buf_puts(all, f->line.data);
		buf_putc(all, '\n');
	}
	buf_putc(all, '\0');
	return all->data;
}

static int find_line(struct fx *f, const char *needle)
{
	for (int y = 0; y < f->v.height; y++) {
		view_line_text(&f->v, y, &f->line);
		if (strstr(f->line.data, needle))
			return y;
	}
	return -1;
}

static void test_cells(void **state)
{
	struct fx *f = *state;
	const struct snapshot *s = app_snapshot(f->a);
	struct cell_ctx ctx = { f->pm, ESC_UTF8, NULL };
	struct buf b = BUF_INIT;
	const struct sock *listener = NULL, *est = NULL, *abs = NULL, *v6 = NULL;
	char tmp[32];

	for (size_t i = 0; i < s->n; i++) {
		switch (s->socks[i].key.cookie) {
		case 1: listener = &s->socks[i]; break;
		case 2: est = &s->socks[i]; break;
		case 201: abs = &s->socks[i]; break;
		case 5: v6 = &s->socks[i]; break;
		}
	}
	assert_int_equal(cell_format(&b, COL_PROTO, listener, NULL, &ctx), 3);
	assert_string_equal(b.data, "tcp");
	buf_reset(&b);
	cell_format(&b, COL_LOCAL, listener, NULL, &ctx);
	assert_string_equal(b.data, "0.0.0.0:8080");
	buf_reset(&b);
	cell_format(&b, COL_PEER, listener, NULL, &ctx);
	assert_string_equal(b.data, "*:*");
	buf_reset(&b);
	cell_format(&b, COL_LOCAL, v6, NULL, &ctx);
	assert_string_equal(b.data, "[fe80::1234:5678:9abc:def0]:5353");
	buf_reset(&b);
	cell_format(&b, COL_STATE, v6, NULL, &ctx);
	assert_string_equal(b.data, "UNCONN");
	buf_reset(&b);
	/* the escape sequence in the name becomes visible text */
	cell_format(&b, COL_LOCAL, abs, NULL, &ctx);
	assert_string_equal(b.data, "@evil\\x1b]0;pwned\\x07\\nname");
	buf_reset(&b);
	cell_format(&b, COL_PROTO, abs, NULL, &ctx);
	assert_string_equal(b.data, "u_str");
	buf_reset(&b);
	/* the process: escaped command, pid, and how many more */
	cell_format(&b, COL_PROCESS, est, NULL, &ctx);
	assert_string_equal(b.data, "srv\\x1b[31m/77,+1");
	buf_reset(&b);
	cell_format(&b, COL_PROCESS, v6, NULL, &ctx);
	assert_string_equal(b.data, "");
	buf_reset(&b);
	cell_format(&b, COL_RTT, est, NULL, &ctx);
	assert_string_equal(b.data, "1.2ms");
	buf_reset(&b);
	cell_format(&b, COL_RTT, listener, NULL, &ctx);
	assert_string_equal(b.data, "");
	buf_reset(&b);
	cell_format(&b, COL_RETRANS, est, NULL, &ctx);
	assert_string_equal(b.data, "3");
	buf_reset(&b);
	cell_format(&b, COL_UID, est, NULL, &ctx);
	assert_string_equal(b.data, "1000");
	buf_reset(&b);
	{
		struct diff_entry d = { .rx_rate = 1536.0, .tx_rate = 3.0 * 1024 * 1024,
					 .flags = DIFF_RATES };

		cell_format(&b, COL_RX, est, &d, &ctx);
		assert_string_equal(b.data, "1.5K");
		buf_reset(&b);
		cell_format(&b, COL_TX, est, &d, &ctx);
		assert_string_equal(b.data, "3.0M");
		buf_reset(&b);
	}
	cell_rate(0.2, tmp, sizeof(tmp));
	assert_string_equal(tmp, "0");
	cell_rate(999, tmp, sizeof(tmp));
	assert_string_equal(tmp, "999");
	cell_usec(850, tmp, sizeof(tmp));
	assert_string_equal(tmp, "850us");
	cell_usec(2500000, tmp, sizeof(tmp));
	assert_string_equal(tmp, "2500ms");
	cell_usec(25000000, tmp, sizeof(tmp));
	assert_string_equal(tmp, "25.0s");
	buf_free(&b);
}

static void test_fit(void **state)
{
	struct buf b = BUF_INIT;
	const char *path = "/run/user/1000/bus";
	size_t w;

	(void)state;
	w = view_fit(&b, path, strlen(path), strlen(path), 30, CUT_MIDDLE, ESC_UTF8);
	assert_int_equal(w, strlen(path));
	assert_string_equal(b.data, path);
	buf_reset(&b);
	/* middle: both ends stay, an ellipsis shows the cut */
	w = view_fit(&b, path, strlen(path), strlen(path), 11, CUT_MIDDLE, ESC_UTF8);
	assert_int_equal(w, 11);
	assert_string_equal(b.data, "/run/\xe2\x80\xa6" "0/bus");
	buf_reset(&b);
	w = view_fit(&b, "[::1]:5000", 10, 10, 8, CUT_MIDDLE, ESC_ASCII);
	assert_int_equal(w, 8);
	assert_string_equal(b.data, "[::~5000");
	buf_reset(&b);
	w = view_fit(&b, "python3-server", 14, 14, 8, CUT_END, ESC_UTF8);
	assert_int_equal(w, 8);
	assert_string_equal(b.data, "python3\xe2\x80\xa6");
	buf_reset(&b);
	/* wide characters are never split */
	w = view_fit(&b, "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 9, 6, 4, CUT_END, ESC_UTF8);
	assert_true(w <= 4);
	assert_string_equal(b.data, "\xe4\xb8\xad\xe2\x80\xa6");
	buf_reset(&b);
	assert_int_equal(view_fit(&b, "abc", 3, 3, 1, CUT_END, ESC_UTF8), 1);
	assert_int_equal(view_fit(&b, "abc", 3, 3, 0, CUT_END, ESC_UTF8), 0);
	buf_free(&b);
}

static void check_layout(const struct view_col *c, int n, int width)
{
	for (int i = 0; i < n; i++) {
		assert_true(c[i].w >= 1);
		assert_true(c[i].x + c[i].w <= width);
		if (i)
			assert_true(c[i].x > c[i - 1].x + c[i - 1].w - 1);
	}
}

static bool placed(const struct view_col *c, int n, enum col col)
{
	for (int i = 0; i < n; i++)
		if (c[i].c == col)
			return true;
	return false;
}

static void test_layout(void **state)
{
	size_t nat[COL_MAX_];
	struct view_col c[COL_MAX_];
	int n;

	(void)state;
	for (int i = 0; i < COL_MAX_; i++)
		nat[i] = cell_col((enum col)i)->min_w;
	nat[COL_LOCAL] = 40;
	nat[COL_PEER] = 30;
	nat[COL_PROCESS] = 20;

	/* wide: everything at its natural width */
	n = view_layout(COL_DEFAULT_SET, nat, 200, c);
	assert_int_equal(n, 7);
	check_layout(c, n, 200);
	assert_int_equal(c[0].c, COL_PROTO);
	assert_int_equal(c[0].x, 0);
	assert_int_equal(c[4].c, COL_LOCAL);
	assert_int_equal(c[4].w, 40);

	/* 80: all seven, the flexible ones shrunk to share the width */
	n = view_layout(COL_DEFAULT_SET, nat, 80, c);
	assert_int_equal(n, 7);
	check_layout(c, n, 80);
	assert_int_equal(c[n - 1].x + c[n - 1].w, 80);
	assert_true(c[4].w < 40);

	/* 60: the least important column gives way first */
	n = view_layout(COL_DEFAULT_SET, nat, 60, c);
	check_layout(c, n, 60);
	assert_false(placed(c, n, COL_SENDQ));
	assert_true(placed(c, n, COL_PEER));

	/* 40: the least important columns give way */
	n = view_layout(COL_DEFAULT_SET, nat, 40, c);
	check_layout(c, n, 40);
	assert_true(placed(c, n, COL_LOCAL));
	assert_true(placed(c, n, COL_PROTO));
	assert_false(placed(c, n, COL_SENDQ));

	/* 20: protocol and local address */
	n = view_layout(COL_DEFAULT_SET, nat, 20, c);
	check_layout(c, n, 20);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].c, COL_PROTO);
	assert_int_equal(c[1].c, COL_LOCAL);

	/* optional columns come before nothing else but go first */
	n = view_layout(COL_DEFAULT_SET | COL_BIT(COL_UID) | COL_BIT(COL_RTT), nat, 120, c);
	check_layout(c, n, 120);
	assert_true(placed(c, n, COL_UID));
	n = view_layout(COL_DEFAULT_SET | COL_BIT(COL_UID) | COL_BIT(COL_RTT), nat, 70, c);
	check_layout(c, n, 70);
	assert_false(placed(c, n, COL_RTT));
	assert_true(placed(c, n, COL_PEER));

	/* tiny and absurd widths */
	n = view_layout(COL_DEFAULT_SET, nat, 3, c);
	assert_int_equal(n, 1);
	assert_true(c[0].w <= 3);
	assert_int_equal(view_layout(COL_DEFAULT_SET, nat, 0, c), 0);
}

static void test_screen_120(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	const char *txt;
	int y;

	app_draw(f->a, &f->v, 120, 40, NOW);
	assert_false(f->v.too_small);
	txt = screen(f, &all);
	/* header: totals, refresh, filter */
	assert_non_null(strstr(txt, "6 sockets"));
	assert_non_null(strstr(txt, "TCP 3 (estab 2, listen 1, timewait 0)"));
	assert_non_null(strstr(txt, "Refresh 1 s"));
	assert_null(strstr(txt, "Ctrl-L refreshes now"));
	assert_non_null(strstr(txt, "Filter none"));
	/* titles, with the sort mark on Proto */
	y = find_line(f, "Recv-Q");
	assert_int_equal(y, f->v.colhead_y);
	assert_non_null(strstr(f->line.data, "Proto\xe2\x96\xb2"));
	assert_non_null(strstr(f->line.data, "Local"));
	assert_non_null(strstr(f->line.data, "Process"));
	/* rows: the first is the selected listener */
	view_line_text(&f->v, f->v.rows_y, &f->line);
	assert_non_null(strstr(f->line.data, "tcp"));
	assert_non_null(strstr(f->line.data, "LISTEN"));
	assert_non_null(strstr(f->line.data, "0.0.0.0:8080"));
	assert_int_equal(f->v.lines[f->v.rows_y].fill, VS_SELECTED);
	/* escaped names, whole at this width */
	assert_non_null(strstr(txt, "@evil\\x1b]0;pwned\\x07\\nname"));
	assert_non_null(strstr(txt, "srv\\x1b[31m/77,+1"));
	/* footer */
	view_line_text(&f->v, 39, &f->line);
	assert_non_null(strstr(f->line.data, "F1Help"));
	assert_non_null(strstr(f->line.data, "F10Quit"));
	/* the page size went to the app */
	assert_int_equal(f->a->table.page, (size_t)f->v.rows_h);
	/* header 3, titles 1, the selected row in words 1, footer 1 */
	assert_int_equal(f->v.rows_h, 40 - 3 - 1 - 1 - 1);
	view_line_text(&f->v, 38, &f->line);
	assert_non_null(strstr(f->line.data, ": "));
	assert_non_null(strstr(f->line.data, "queue"));
	buf_free(&all);
}

static void test_screen_80_shortens(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	const char *txt;

	app_draw(f->a, &f->v, 60, 24, NOW);
	txt = screen(f, &all);
	/* the long path is shortened visibly, keeping its file name */
	assert_null(strstr(txt, "/run/user/1000/some/very/deep/directory/structure/for/testing/app.sock"));
	assert_non_null(strstr(txt, "\xe2\x80\xa6"));
	assert_non_null(strstr(txt, "app.sock"));
	buf_free(&all);
}

/* Narrowing drops on purpose (issue 12 item 13): the footer keeps how to
 * quit, a narrow table keeps State, and a cut Process keeps its end (the
 * pid, or the pane marker of sockview's own sockets). */
static void test_narrow_keeps_what_matters(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	struct view_col out[COL_MAX_];
	size_t natural[COL_MAX_];
	int n;
	bool state_shown = false;

	for (int w = 40; w <= 80; w += 20) {
		app_draw(f->a, &f->v, w, 24, NOW);
		view_line_text(&f->v, 23, &f->line);
		assert_non_null(strstr(f->line.data, "F10Quit"));
		assert_non_null(strstr(f->line.data, "F1Help"));
	}
	for (int c = 0; c < COL_MAX_; c++)
		natural[c] = cell_col((enum col)c)->want_w;
	natural[COL_LOCAL] = 20;
	n = view_layout(COL_DEFAULT_SET, natural, 30, out);
	for (int k = 0; k < n; k++)
		state_shown |= out[k].c == COL_STATE;
	assert_true(state_shown);
	buf_reset(&all);
	assert_int_equal(view_fit(&all, "sockview/123456 [12]", 20, 20, 16,
				  cell_col(COL_PROCESS)->cut, ESC_UTF8), 16);
	buf_putc(&all, '\0');
	assert_non_null(strstr(all.data, "[12]"));
	buf_free(&all);
}

static void test_screen_small(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	const char *txt;

	/* 20x6: header, titles, three rows, footer */
	app_draw(f->a, &f->v, 20, 6, NOW);
	assert_false(f->v.too_small);
	txt = screen(f, &all);
	assert_int_equal(f->v.colhead_y, 1);
	assert_int_equal(f->v.rows_h, 3);
	assert_non_null(strstr(txt, "Proto"));
	assert_non_null(strstr(txt, "tcp"));
	assert_int_equal(f->a->table.page, 3);
	/* smaller: a notice, never a crash */
	app_draw(f->a, &f->v, 19, 6, NOW);
	assert_true(f->v.too_small);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "terminal too"));
	app_draw(f->a, &f->v, 20, 5, NOW);
	assert_true(f->v.too_small);
	app_draw(f->a, &f->v, 1, 1, NOW);
	screen(f, &all);
	app_draw(f->a, &f->v, 0, 0, NOW);
	screen(f, &all);
	/* and back */
	app_draw(f->a, &f->v, 80, 24, NOW);
	assert_false(f->v.too_small);
	screen(f, &all);
	buf_free(&all);
}

static void test_screen_ascii(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	const char *txt;
	struct options o;
	struct app *a;
	struct snapshot *s;

	(void)f;
	ut_options(&o);
	a = app_new(&o, ESC_ASCII);
	s = app_spare_snapshot(a);
	ut_unix(s, SOCK_STREAM, SS_LISTEN, "/tmp/caf\xc3\xa9.sock", 15, 9, 0);
	ut_finish(s, NOW);
	app_commit_snapshot(a, NULL, NOW);
	f->a->cs = ESC_ASCII;
	app_draw(a, &f->v, 80, 24, NOW);
	txt = screen(f, &all);
	for (const char *p = txt; *p; p++)
		assert_true((unsigned char)*p < 0x80);
	assert_non_null(strstr(txt, "/tmp/caf\\xc3\\xa9.sock"));
	assert_non_null(strstr(txt, "Proto^"));
	app_free(a);
	buf_free(&all);
}

static void test_new_and_gone_styles(void **state)
{
	struct fx *f = *state;
	struct snapshot *s;
	int ynew = -1, ygone = -1;

	s = app_spare_snapshot(f->a);
	fill(s);
	ut_inet(s, SP_TCP, SS_LISTEN, "0.0.0.0", 9999, "0.0.0.0", 0, 99, 199);
	/* drop the UDP socket: it will show as gone */
	for (size_t i = 0; i < s->n; i++)
		if (s->socks[i].key.cookie == 5)
			s->socks[i] = s->socks[--s->n];
	ut_finish(s, NOW + 1000);
	app_commit_snapshot(f->a, f->pm, NOW + 1000);
	app_draw(f->a, &f->v, 120, 40, NOW + 1000);
	ynew = find_line(f, "0.0.0.0:9999");
	ygone = find_line(f, "5353");
	assert_true(ynew > 0 && ygone > 0);
	assert_int_equal(f->v.lines[ynew].fill, VS_NEW);
	assert_int_equal(f->v.lines[ygone].fill, VS_GONE);
	/* a few seconds later: no longer highlighted */
	app_draw(f->a, &f->v, 120, 40, NOW + 1000 + APP_NEW_MS);
	assert_int_equal(f->v.lines[find_line(f, "0.0.0.0:9999")].fill, VS_NORMAL);
}

static void test_details_screen(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	const char *txt;

	/* the established TCP socket with tcp_info */
	for (size_t i = 0; i < f->a->table.nrows; i++)
		if (f->a->table.rows[i].s->key.cookie == 2)
			app_select_row(f->a, i);
	app_key(f->a, KC_ENTER, NOW);
	app_draw(f->a, &f->v, 120, 40, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "Details of tcp 127.0.0.1:8080"));
	assert_non_null(strstr(txt, "connected: data can flow both ways"));
	assert_non_null(strstr(txt, "RTT"));
	assert_non_null(strstr(txt, "1.2ms (variation 500us)"));
	assert_non_null(strstr(txt, "cubic"));
	assert_non_null(strstr(txt, "cwnd 10 segments, ssthresh infinite"));
	assert_non_null(strstr(txt, "acked 12345, received 678"));
	assert_non_null(strstr(txt, "pid 77, fd 4, uid 0, command srv\\x1b[31m"));
	assert_non_null(strstr(txt, "pid 78, fd 5"));
	/* a connection belongs to its two ends: not "any local user can
	 * connect"; no timer runs: not "none, expires in 0 ms" */
	assert_null(strstr(txt, "no file permissions"));
	assert_non_null(strstr(txt, "none running"));
	assert_null(strstr(txt, "expires in 0 ms"));
	/* its local peer is in the snapshot */
	assert_non_null(strstr(txt, "inode 103, ESTAB (p jumps to it)"));
	/* a small screen still works, and scrolling is clamped */
	f->a->scroll = 1000;
	app_draw(f->a, &f->v, 20, 6, NOW);
	screen(f, &all);
	assert_true(f->a->scroll < 1000);
	app_key(f->a, KC_ESC, NOW);

	/* the TCP listener: reachable by anyone; no tcp_info block of zeros */
	for (size_t i = 0; i < f->a->table.nrows; i++)
		if (f->a->table.rows[i].s->key.cookie == 1)
			app_select_row(f->a, i);
	app_key(f->a, KC_ENTER, NOW);
	app_draw(f->a, &f->v, 120, 40, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "any local user can connect"));
	assert_non_null(strstr(txt, "a listening socket has no connection of its own"));
	assert_null(strstr(txt, "cwnd 0 segments"));
	app_key(f->a, KC_ESC, NOW);

	/* the abstract Unix listener */
	for (size_t i = 0; i < f->a->table.nrows; i++)
		if (f->a->table.rows[i].s->key.cookie == 201)
			app_select_row(f->a, i);
	app_key(f->a, KC_ENTER, NOW);
	app_draw(f->a, &f->v, 120, 40, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "waiting for incoming connections"));
	assert_non_null(strstr(txt, "Abstract name"));
	assert_non_null(strstr(txt, "anyone in the network namespace can connect"));
	assert_non_null(strstr(txt, "none (not connected)"));
	buf_free(&all);
}

/* Selects the row of the socket with this cookie and opens its details. */
static const char *details_of(struct fx *f, uint64_t cookie, struct buf *all, int64_t now)
{
	for (size_t i = 0; i < f->a->table.nrows; i++)
		if (f->a->table.rows[i].s->key.cookie == cookie)
			app_select_row(f->a, i);
	assert_int_equal(app_selected(f->a)->s->key.cookie, cookie);
	app_key(f->a, KC_ENTER, now);
	app_draw(f->a, &f->v, 160, 50, now);
	return screen(f, all);
}

/* A connection in the listener's accept queue has no file (inode 0) and
 * no process yet: its Process cell names the listener's owner, marked as
 * waiting, and its details say it waits for accept() by that process, not
 * that it belongs to the kernel. TIME-WAIT still does. */
static void test_accept_queue_process(void **state)
{
	struct fx *f = *state;
	struct snapshot *s = app_spare_snapshot(f->a);
	const struct snapshot *cs;
	struct cell_ctx ctx = { f->pm, ESC_UTF8, NULL };
	struct buf b = BUF_INIT, all = BUF_INIT;
	const char *txt;

	fill(s);
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40002, 60, 0);
	ut_inet(s, SP_TCP, SS_SYN_RECV, "127.0.0.1", 8080, "127.0.0.1", 40003, 61, 0);
	ut_inet(s, SP_TCP, SS_TIME_WAIT, "127.0.0.1", 8080, "127.0.0.1", 40004, 62, 0);
	ut_unix(s, SOCK_STREAM, SS_ESTABLISHED, "", 0, 250, 0)->has |= SOCK_HAS_PEER;
	ut_finish(s, NOW + 1000);
	app_commit_snapshot(f->a, f->pm, NOW + 1000);
	cs = app_snapshot(f->a);
	for (size_t i = 0; i < cs->n; i++) {
		const struct sock *r = &cs->socks[i];

		buf_reset(&b);
		cell_format(&b, COL_PROCESS, r, NULL, &ctx);
		if (r->cookie == 60)
			assert_string_equal(b.data, "srv\\x1b[31m/77 (accept queue)");
		else if (r->cookie == 61)
			assert_string_equal(b.data, "srv\\x1b[31m/77 (handshake)");
		else if (r->cookie == 62)
			assert_string_equal(b.data ? b.data : "", "");
	}
	/* not mapped (--no-processes): nothing to say there */
	ctx.pm = NULL;
	for (size_t i = 0; i < cs->n; i++) {
		if (cs->socks[i].cookie != 60)
			continue;
		buf_reset(&b);
		assert_int_equal(cell_format(&b, COL_PROCESS, &cs->socks[i], NULL, &ctx), 0);
	}

	txt = details_of(f, 60, &all, NOW + 1000);
	assert_null(strstr(txt, "belongs to the kernel"));
	assert_non_null(strstr(txt, "waits in the listener's accept queue for accept() by the "
				    "process that owns the listener"));
	assert_non_null(strstr(txt, "inode 101"));
	assert_non_null(strstr(txt, "pid 77, fd 3, uid 0, command srv"));
	app_key(f->a, KC_ESC, NOW + 1000);
	txt = details_of(f, 61, &all, NOW + 1000);
	assert_non_null(strstr(txt, "the handshake is not finished"));
	assert_non_null(strstr(txt, "pid 77, fd 3"));
	app_key(f->a, KC_ESC, NOW + 1000);
	txt = details_of(f, 62, &all, NOW + 1000);
	assert_non_null(strstr(txt, "belongs to the kernel"));
	app_key(f->a, KC_ESC, NOW + 1000);
	/* a Unix client whose connection waits for accept(): the kernel lists
	 * no socket for the other end, and its peer inode reads 0 */
	txt = details_of(f, 250, &all, NOW + 1000);
	assert_null(strstr(txt, "not connected"));
	assert_non_null(strstr(txt, "waits in the listener's queue for accept()"));
	buf_free(&b);
	buf_free(&all);
}

/* The Memory line agrees with Send-Q: a TCP sender's queue is
 * wmem_queued (ss -m's w), not wmem_alloc (t); drops are shown. */
static void test_details_memory(void **state)
{
	struct fx *f = *state;
	struct snapshot *s = app_spare_snapshot(f->a);
	struct buf all = BUF_INIT;
	const char *txt;

	fill(s);
	for (size_t i = 0; i < s->n; i++) {
		struct sock *r = &s->socks[i];

		if (r->cookie != 3)
			continue;
		r->send_q = 3600000;
		r->has |= SOCK_HAS_MEM | SOCK_HAS_MEMBUF | SOCK_HAS_MEMQ | SOCK_HAS_DROPS;
		ut_ext(r)->rmem_alloc = 0;
		ut_ext(r)->rcvbuf = 131072;
		ut_ext(r)->wmem_alloc = 0;
		ut_ext(r)->wmem_queued = 3847872;
		ut_ext(r)->sndbuf = 4194304;
		ut_ext(r)->drops = 2;
	}
	ut_finish(s, NOW + 1000);
	app_commit_snapshot(f->a, f->pm, NOW + 1000);
	txt = details_of(f, 3, &all, NOW + 1000);
	assert_non_null(strstr(txt, "receive queue 0 of 131072 bytes, "
				    "send queue 3847872 of 4194304 bytes"));
	assert_null(strstr(txt, "send 0 of"));
	assert_non_null(strstr(txt, "2 packets dropped on receive"));
	buf_free(&all);
}

static void test_help_screen(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	const char *txt;

	app_key(f->a, '?', NOW);
	app_draw(f->a, &f->v, 100, 40, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "sockview keys"));
	assert_non_null(strstr(txt, "show/hide TCP, UDP, Unix, raw sockets"));
	assert_non_null(strstr(txt, "jump to the local peer socket"));
	/* the glossary, further down: every column and state, the lab */
	app_key(f->a, KC_END, NOW);
	app_draw(f->a, &f->v, 100, 40, NOW);
	app_key(f->a, KC_END, NOW);
	app_draw(f->a, &f->v, 100, 40, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "CLOSE-WAIT"));
	assert_non_null(strstr(txt, "TIME-WAIT"));
	assert_non_null(strstr(txt, "UNCONN"));
	assert_non_null(strstr(txt, "The state lab (n, then 6)"));
	assert_non_null(strstr(txt, "zero window: a receiver stops reading"));
	assert_non_null(strstr(txt, "life of a connection"));
	app_draw(f->a, &f->v, 20, 6, NOW);
	screen(f, &all);
	buf_free(&all);
}

/* The event log (e): newest first, births and deaths in their styles, the
 * header's rates; Enter on a living socket's event selects it, on a dead
 * one says so. */
static void test_events_screen(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	const char *txt;
	struct snapshot *s = app_spare_snapshot(f->a);
	int yb = -1, yg = -1;

	fill(s);
	/* the established connection (cookie 2) is gone, a listener is born */
	for (size_t i = 0; i < s->n; i++)
		if (s->socks[i].cookie == 2)
			s->socks[i].cookie = s->socks[i].key.cookie = 0, s->socks[i].state = SS_CLOSE;
	ut_inet(s, SP_TCP, SS_LISTEN, "127.0.0.1", 9999, "0.0.0.0", 0, 99, 199);
	ut_finish(s, NOW + 1000);
	app_commit_snapshot(f->a, f->pm, NOW + 1000);
	assert_int_equal(f->a->events.total[EV_BORN], 2);
	assert_true(f->a->events.total[EV_GONE] >= 1);

	app_draw(f->a, &f->v, 140, 30, NOW + 1000);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "Events +"));
	app_key(f->a, 'e', NOW + 1000);
	assert_int_equal(f->a->mode, MODE_EVENTS);
	app_draw(f->a, &f->v, 140, 30, NOW + 1000);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "Events, newest first"));
	for (int y = 0; y < 30; y++) {
		const char *l;

		view_line_text(&f->v, y, &f->line);
		l = f->line.data ? f->line.data : "";
		if (strstr(l, "born") && strstr(l, "127.0.0.1:9999"))
			yb = y;
		if (strstr(l, "gone") && strstr(l, "127.0.0.1:8080 127.0.0.1:40000"))
			yg = y;
	}
	assert_true(yb > 0 && yg > 0);
	assert_true(yg < yb); /* newest first: the death came after the birth */
	/* the newest (a death): Enter says it is gone */
	app_key(f->a, KC_ENTER, NOW + 1000);
	assert_int_equal(f->a->mode, MODE_EVENTS);
	assert_non_null(strstr(f->a->msg, "gone"));
	/* down to the birth of 9999: Enter selects it in the table */
	for (int k = 0; k < 20 && f->a->mode == MODE_EVENTS; k++) {
		const struct ev_event *e = NULL;

		app_key(f->a, KC_DOWN, NOW + 1000);
		for (size_t i = 0; i < f->a->events.n; i++) {
			const struct ev_event *x = ev_log_at(&f->a->events, i);

			if (x && x->seq == f->a->ev_sel)
				e = x;
		}
		if (!e)
			fail_msg("the selection is no event");
		else if (e->kind == EV_BORN && e->sock.lport == 9999)
			app_key(f->a, KC_ENTER, NOW + 1000);
	}
	assert_int_equal(f->a->mode, MODE_TABLE);
	assert_int_equal(app_selected(f->a)->s->cookie, 99);
	buf_free(&all);
}

/* The filter language's page is the man page's FILTERS section, made at
 * build time (mk/filterhelp.awk): the grammar, the terms, the examples, no
 * troff left in it (issue 12 item 14). */
static void test_filterhelp_text(void **state)
{
	bool grammar = false, state_term = false, sport = false, comm = false, example = false;

	(void)state;
	assert_true(filterhelp_nlines > 20);
	assert_int_equal(filterhelp_lines[0].kind, FH_HEADING);
	assert_string_equal(filterhelp_lines[0].text, "FILTERS");
	for (size_t i = 0; i < filterhelp_nlines; i++) {
		const struct fh_line *l = &filterhelp_lines[i];
		const char *parts[2] = { l->label, l->text };

		assert_true(l->kind == FH_TERM || l->label == NULL);
		for (int k = 0; k < 2; k++) {
			const char *t = parts[k];

			if (!t)
				continue;
			/* no font changes, escapes, requests or line ends */
			assert_null(strstr(t, "\\f"));
			assert_null(strstr(t, "\\-"));
			assert_null(strstr(t, "\\e"));
			assert_null(strstr(t, "\\(em"));
			assert_null(strchr(t, '\n'));
			assert_true(t[0] != '.' && t[0] != '\'');
			assert_true(t[0] != '\0');
		}
		if (l->kind == FH_PRE && strstr(l->text, "expr") && strstr(l->text, ":="))
			grammar = true;
		if (l->kind == FH_TERM && !strcmp(l->label, "state STATE, exclude STATE"))
			state_term = strstr(l->text, "established (estab)") != NULL;
		if (l->kind == FH_TERM && !strncmp(l->label, "sport [OP] PORT", 15))
			sport = true;
		if (l->kind == FH_TERM && !strcmp(l->label, "comm [= | !=] GLOB"))
			comm = strstr(l->text, "command name") != NULL;
		if (l->kind == FH_TERM && !strcmp(l->label, "tcp and state listening"))
			example = !strcmp(l->text, "TCP servers.");
	}
	assert_true(grammar);
	assert_true(state_term);
	assert_true(sport);
	assert_true(comm);
	assert_true(example);
}

/* F1 on the filter prompt opens the page, which scrolls; Esc comes back
 * to the prompt with the text typed so far. */
static void test_filterhelp_screen(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	const char *txt;
	char first[256];
	size_t max;

	app_key(f->a, 'f', NOW);
	assert_int_equal(f->a->prompt, PROMPT_FILTER);
	for (const char *p = "tcp and "; *p; p++)
		app_key(f->a, (unsigned char)*p, NOW);
	app_key(f->a, KC_F1, NOW);
	assert_int_equal(f->a->mode, MODE_FILTER_HELP);
	assert_int_equal(f->a->prompt, PROMPT_NONE);

	/* all of it, on a tall window */
	app_draw(f->a, &f->v, 100, 300, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "The filter language"));
	assert_non_null(strstr(txt, "Grammar"));
	assert_non_null(strstr(txt, "expr    := and { (or | || | |) and }"));
	assert_non_null(strstr(txt, "state STATE, exclude STATE"));
	assert_non_null(strstr(txt, "sport [OP] PORT"));
	assert_non_null(strstr(txt, "comm [= | !=] GLOB"));
	assert_non_null(strstr(txt, "syn-sent"));
	assert_non_null(strstr(txt, "Kernel-side filtering"));
	assert_null(strstr(txt, "\\f"));
	assert_null(strstr(txt, "\\-"));
	/* what it teaches to type is shown as typed: one backslash */
	assert_non_null(strstr(txt, " (\\() "));
	assert_non_null(strstr(txt, " \\xHH "));
	assert_null(strstr(txt, "\\\\"));
	assert_int_equal(f->a->scroll_max, 0);
	/* a term's paragraph is indented under the term */
	{
		int y = find_line(f, "tcp, udp, raw, unix");

		assert_true(y > 0);
		view_line_text(&f->v, y + 1, &f->line);
		assert_non_null(strstr(f->line.data, "        Sockets of that protocol."));
	}

	/* a usual window: it scrolls, PgDn and End too */
	app_draw(f->a, &f->v, 80, 24, NOW);
	screen(f, &all);
	max = f->a->scroll_max;
	assert_true(max > 20);
	view_line_text(&f->v, 5, &f->line); /* the title, then the text from line 4 */
	snprintf(first, sizeof(first), "%s", f->line.data);
	view_line_text(&f->v, 23, &f->line);
	assert_non_null(strstr(f->line.data, "EscBack"));
	app_key(f->a, KC_DOWN, NOW);
	assert_int_equal(f->a->scroll, 1);
	app_draw(f->a, &f->v, 80, 24, NOW);
	view_line_text(&f->v, 4, &f->line);
	assert_string_equal(f->line.data, first);
	app_key(f->a, KC_PGDN, NOW);
	assert_true(f->a->scroll > 10);
	app_key(f->a, KC_END, NOW);
	assert_int_equal(f->a->scroll, max);
	app_draw(f->a, &f->v, 80, 24, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "the result is the same either way."));
	/* letters are not table commands here: the prompt's text waits */
	{
		unsigned protos = f->a->table.protos;

		app_key(f->a, 't', NOW);
		assert_int_equal(f->a->mode, MODE_FILTER_HELP);
		assert_int_equal(f->a->table.protos, protos);
	}

	/* Esc: the prompt again, with its text and cursor */
	app_key(f->a, KC_ESC, NOW);
	assert_int_equal(f->a->mode, MODE_TABLE);
	assert_int_equal(f->a->prompt, PROMPT_FILTER);
	assert_string_equal(f->a->edit.text, "tcp and ");
	assert_int_equal(f->a->edit.cur, 8);
	app_draw(f->a, &f->v, 80, 24, NOW);
	view_line_text(&f->v, 23, &f->line);
	assert_non_null(strstr(f->line.data, "Filter: tcp and"));
	assert_true(f->v.cursor_on);
	/* and it can be finished and applied */
	for (const char *p = "port 8080"; *p; p++)
		app_key(f->a, (unsigned char)*p, NOW);
	app_key(f->a, KC_ENTER, NOW);
	assert_int_equal(f->a->prompt, PROMPT_NONE);
	assert_string_equal(f->a->table.filter_text, "tcp and port 8080");

	/* F1 on the search prompt is still the keys' help, which names the
	 * filter prompt's F1 */
	app_key(f->a, '/', NOW);
	app_key(f->a, KC_F1, NOW);
	assert_int_equal(f->a->mode, MODE_HELP);
	app_draw(f->a, &f->v, 120, 60, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "on the filter prompt: the filter language"));
	buf_free(&all);
}

static void test_prompt_cursor(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;

	app_key(f->a, '/', NOW);
	app_key(f->a, '8', NOW);
	app_key(f->a, '0', NOW);
	app_draw(f->a, &f->v, 80, 24, NOW);
	screen(f, &all);
	view_line_text(&f->v, 23, &f->line);
	assert_non_null(strstr(f->line.data, "Search: 80"));
	assert_true(f->v.cursor_on);
	assert_int_equal(f->v.cursor_y, 23);
	assert_int_equal(f->v.cursor_x, 10);
	/* a long text scrolls so the cursor stays on screen */
	for (int i = 0; i < 40; i++)
		app_key(f->a, 'z', NOW);
	app_draw(f->a, &f->v, 20, 6, NOW);
	screen(f, &all);
	assert_true(f->v.cursor_x < 20);
	assert_true(f->v.cursor_x > 8);
	app_key(f->a, KC_ESC, NOW);

	/* an empty filter prompt shows examples, the cursor stays at the
	 * start; typing replaces them (issue 12 item 14) */
	app_key(f->a, 'f', NOW);
	app_draw(f->a, &f->v, 120, 24, NOW);
	view_line_text(&f->v, 23, &f->line);
	assert_non_null(strstr(f->line.data, "Filter:  F1: syntax, Up: history | e.g. tcp and port 22"));
	assert_int_equal(f->v.cursor_x, 8);
	app_key(f->a, 't', NOW);
	app_draw(f->a, &f->v, 120, 24, NOW);
	view_line_text(&f->v, 23, &f->line);
	assert_null(strstr(f->line.data, "e.g."));
	buf_free(&all);
}

static void test_sort_menu_screen(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	const char *txt;

	app_key(f->a, 's', NOW);
	app_draw(f->a, &f->v, 80, 24, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "Sort by"));
	assert_non_null(strstr(txt, " * Protocol"));
	assert_non_null(strstr(txt, "Local address"));
	app_key(f->a, KC_ESC, NOW);
	app_key(f->a, 'c', NOW);
	app_draw(f->a, &f->v, 80, 24, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "[ ] User id"));
	app_key(f->a, ' ', NOW);
	app_draw(f->a, &f->v, 80, 24, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "[x] User id"));
	app_key(f->a, KC_ESC, NOW);
	app_draw(f->a, &f->v, 120, 24, NOW);
	assert_true(find_line(f, "UID") == f->v.colhead_y);
	buf_free(&all);
}

static void test_state_explain(void **state)
{
	struct sock s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.proto = SP_TCP;
	s.state = SS_TIME_WAIT;
	assert_non_null(strstr(view_state_explain(&s), "late packets"));
	s.state = SS_CLOSE_WAIT;
	assert_non_null(strstr(view_state_explain(&s), "not closed its socket"));
	s.state = SS_LISTEN;
	assert_non_null(strstr(view_state_explain(&s), "incoming connections"));
	s.proto = SP_UDP;
	s.type = SOCK_DGRAM;
	s.state = SS_CLOSE;
	assert_non_null(strstr(view_state_explain(&s), "datagrams"));
}

/* ---- panes, the menu, the form, the quit question ---- */

struct epfx {
	struct fx f;
	struct loop *l;
	struct epman *em;
};

static int ep_setup(void **state)
{
	struct epfx *e;

	if (setup(state) < 0)
		return -1;
	e = calloc(1, sizeof(*e));
	e->f = *(struct fx *)*state;
	free(*state);
	e->l = loop_new();
	e->em = epman_new(e->l);
	app_set_epman(e->f.a, e->em);
	*state = e;
	return 0;
}

static int ep_teardown(void **state)
{
	struct epfx *e = *state;

	epman_free(e->em);
	loop_free(e->l);
	view_free(&e->f.v);
	buf_free(&e->f.line);
	app_free(e->f.a);
	procmap_free(e->f.pm);
	free(e);
	return 0;
}

static void keys(struct app *a, const char *s)
{
	for (; *s; s++)
		app_key(a, (unsigned char)*s, NOW);
}

/* The style of the first span on line y. */
static enum view_style style_at(const struct view *v, int y)
{
	const struct view_line *l = &v->lines[y];

	return l->n ? v->spans[l->first].style : l->fill;
}

static void test_panes_screen(void **state)
{
	struct epfx *e = *state;
	struct fx *f = &e->f;
	struct app *a = f->a;
	struct buf all = BUF_INIT;
	const char *txt;
	int y, ys;
	uint32_t ino[2];

	/* the menu, then an echo server and a sink with the defaults */
	app_key(a, 'n', NOW);
	app_draw(a, &f->v, 120, 40, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "New endpoint: choose what to open"));
	assert_non_null(strstr(txt, "  1  echo server        sends back every byte it receives"));
	assert_non_null(strstr(txt, "  5  client"));
	assert_non_null(strstr(txt, "1-6Kind"));
	assert_non_null(strstr(txt, "  6  state lab"));
	app_key(a, '1', NOW);
	app_draw(a, &f->v, 120, 40, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, " New echo server (Enter opens it, Esc cancels)"));
	assert_non_null(strstr(txt, "> Transport   [TCP] UDP  Unix stream  Unix datagram"));
	assert_non_null(strstr(txt, "  Address     127.0.0.1"));
	assert_non_null(strstr(txt, "(free right now)"));
	assert_non_null(strstr(txt, "loopback: only programs on this machine can connect"));
	/* the cursor goes to a text field when it has the focus */
	assert_false(f->v.cursor_on);
	app_key(a, KC_DOWN, NOW);
	app_key(a, KC_DOWN, NOW);
	app_draw(a, &f->v, 120, 40, NOW);
	assert_true(f->v.cursor_on);
	y = find_line(f, "> Address");
	assert_int_equal(f->v.cursor_y, y);
	assert_int_equal(f->v.cursor_x, 14 + 9);
	app_key(a, KC_ENTER, NOW);
	app_key(a, KC_F2, NOW);
	app_key(a, '4', NOW);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(epman_count(e->em), 2);
	/* a server does not take the focus: Shift-Tab gives it */
	assert_int_equal(a->panes.focus, PANE_NONE);
	app_key(a, KC_BTAB, NOW);
	assert_int_equal(a->panes.focus, 1);

	/* 120x40: the table on top, two panes side by side below it */
	app_draw(a, &f->v, 120, 40, NOW);
	txt = screen(f, &all);
	assert_true(f->v.colhead_y >= 0);
	assert_int_equal(f->v.npanes, 2);
	y = find_line(f, "[1] echo server, TCP 127.0.0.1:");
	assert_true(y > f->v.colhead_y);
	assert_int_equal(y, find_line(f, "[2] sink server, TCP 127.0.0.1:"));
	view_line_text(&f->v, y, &f->line);
	/* the focused pane says so in words, not only in colour */
	assert_non_null(strstr(f->line.data, "\xe2\x94\x82\xe2\x96\xb6 [2] sink server"));
	/* the status line under the titles */
	view_line_text(&f->v, y + 1, &f->line);
	assert_non_null(strstr(f->line.data, "listening, 0 clients, 0 B in, 0 B out"));
	/* the focused pane's title stands out */
	assert_int_equal(style_at(&f->v, y), VS_PANE_TITLE);
	assert_int_equal(f->v.spans[f->v.lines[y].first + f->v.lines[y].n - 1].style, VS_PANE_FOCUS);
	assert_non_null(strstr(txt, "echo server listening on 127.0.0.1:"));
	assert_non_null(strstr(txt, "[2] sink server"));
	assert_non_null(strstr(txt, "Endpoints 2"));

	/* our socket in the table: Process says sockview, the row is marked */
	assert_int_equal(endpoint_inodes(epman_pane(e->em, 0)->ep, ino, 2), 1);
	{
		struct snapshot *s = app_spare_snapshot(a);

		fill(s);
		ut_inet(s, SP_TCP, SS_LISTEN, "127.0.0.1", 5000, "0.0.0.0", 0, 99, ino[0]);
		ut_finish(s, NOW);
		app_commit_snapshot(a, f->pm, NOW);
	}
	app_draw(a, &f->v, 120, 40, NOW + 10 * APP_NEW_MS);
	txt = screen(f, &all);
	/* the message gone, the hints of a pane without input line */
	assert_non_null(strstr(txt, "PgUp/DnScroll F7InTable F8Close"));
	ys = find_line(f, "sockview/");
	assert_true(ys > f->v.colhead_y && ys < y);
	view_line_text(&f->v, ys, &f->line);
	assert_non_null(strstr(f->line.data, "127.0.0.1:5000"));
	assert_non_null(strstr(f->line.data, "[1]"));
	assert_true(style_at(&f->v, ys) == VS_OWN || style_at(&f->v, ys) == VS_SELECTED);

	/* 80x24 and 20x6: whatever fits, nothing wider than the screen */
	app_draw(a, &f->v, 80, 24, NOW);
	txt = screen(f, &all);
	assert_true(f->v.colhead_y >= 0);
	assert_int_equal(f->v.npanes, 2);
	assert_non_null(strstr(txt, "[1] echo server"));
	app_draw(a, &f->v, 20, 6, NOW);
	screen(f, &all);
	app_draw(a, &f->v, 36, 8, NOW);
	screen(f, &all);

	/* help and details take the whole body: no panes under them, and the
	 * details show more than the table's share (issue 12 item 4) */
	app_key(a, KC_ESC, NOW);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_DETAILS);
	app_draw(a, &f->v, 120, 40, NOW);
	assert_int_equal(f->v.npanes, 0);
	txt = screen(f, &all);
	assert_null(strstr(txt, "[2] sink server"));
	app_key(a, KC_ESC, NOW);
	/* P hides every pane, the table gets the body; P shows them again */
	app_key(a, 'P', NOW);
	assert_true(a->panes.hidden);
	assert_int_equal(a->panes.focus, PANE_NONE);
	app_draw(a, &f->v, 120, 40, NOW);
	assert_int_equal(f->v.npanes, 0);
	assert_int_equal(f->v.rows_h, 40 - 3 - 1 - 1 - 1);
	app_key(a, 'P', NOW);
	assert_false(a->panes.hidden);
	app_draw(a, &f->v, 120, 40, NOW);
	assert_int_equal(f->v.npanes, 2);
	/* two quiet servers need a few lines, not three fifths of the body */
	assert_true(f->v.rows_h > 20);
	app_key(a, KC_BTAB, NOW);

	/* full screen: the focused pane alone, no table */
	app_key(a, KC_CTRL('o'), NOW);
	app_draw(a, &f->v, 80, 24, NOW);
	txt = screen(f, &all);
	assert_int_equal(f->v.colhead_y, -1);
	assert_int_equal(f->v.npanes, 1);
	assert_non_null(strstr(txt, "[2] sink server"));
	assert_null(strstr(txt, "[1] echo server"));
	assert_non_null(strstr(txt, "full screen: F11"));
	app_key(a, KC_CTRL('o'), NOW);

	/* the quit question in the footer (F10: q in a pane is not a
	 * command) */
	app_key(a, KC_F10, NOW);
	app_draw(a, &f->v, 120, 40, NOW);
	view_line_text(&f->v, 39, &f->line);
	assert_non_null(strstr(f->line.data,
			       "2 panes are open: quit and close them? (y: quit, any other key: stay)"));
	assert_int_equal(style_at(&f->v, 39), VS_WARN);
	app_key(a, 'n', NOW);
	buf_free(&all);
}

/* A client pane: its input line with the cursor; a long line scrolls. */
static void test_input_line(void **state)
{
	struct epfx *e = *state;
	struct fx *f = &e->f;
	struct app *a = f->a;
	struct buf all = BUF_INIT;
	int y;

	app_key(a, 'n', NOW);
	app_key(a, '2', NOW); /* a chat server: it takes input */
	app_key(a, KC_ENTER, NOW);
	app_key(a, KC_TAB, NOW); /* servers do not take the focus */
	keys(a, "hello");
	app_draw(a, &f->v, 80, 24, NOW);
	screen(f, &all);
	y = find_line(f, "> hello");
	assert_true(y > 0);
	assert_true(f->v.cursor_on);
	assert_int_equal(f->v.cursor_y, y);
	assert_int_equal(f->v.cursor_x, 7);
	assert_non_null(strstr(all.data, "EnterSend"));
	for (int i = 0; i < 100; i++)
		app_key(a, 'x', NOW);
	app_draw(a, &f->v, 80, 24, NOW);
	screen(f, &all);
	assert_true(f->v.cursor_x < 80);
	assert_true(f->v.cursor_x > 60);
	/* Esc: the table has the focus, no cursor */
	app_key(a, KC_ESC, NOW);
	app_draw(a, &f->v, 80, 24, NOW);
	assert_false(f->v.cursor_on);
	buf_free(&all);
}

/* A filter error is escaped once, by the filter module: the view must not
 * escape its backslashes again. */
static void test_filter_error_escaped_once(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	int y;

	app_key(f->a, 'f', NOW);
	keys(f->a, "port \\x");
	app_key(f->a, KC_ENTER, NOW);
	assert_true(f->a->msg_error);
	assert_non_null(strstr(f->a->msg, "'\\\\x'"));
	app_draw(f->a, &f->v, 120, 40, NOW);
	screen(f, &all);
	y = find_line(f, "bad port");
	assert_true(y >= 0);
	view_line_text(&f->v, y, &f->line);
	assert_non_null(strstr(f->line.data, "bad port '\\\\x' at column 6"));
	assert_null(strstr(f->line.data, "\\\\\\\\"));
	/* the same on an ASCII terminal */
	f->a->cs = ESC_ASCII;
	app_draw(f->a, &f->v, 120, 40, NOW);
	y = find_line(f, "bad port");
	view_line_text(&f->v, y, &f->line);
	assert_non_null(strstr(f->line.data, "bad port '\\\\x' at column 6"));
	buf_free(&all);
}

/* With a filter, the totals stay the machine's and the header says how
 * many of them match (issue 12 item 8). */
static void test_filter_totals(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	char err[256];

	app_draw(f->a, &f->v, 120, 40, NOW);
	assert_non_null(strstr(screen(f, &all), "Shown 6  "));
	assert_null(strstr(all.data, " of 6"));
	assert_int_equal(app_set_filter(f->a, "tcp", err, sizeof(err)), 0);
	app_draw(f->a, &f->v, 120, 40, NOW);
	screen(f, &all);
	assert_non_null(strstr(all.data, "6 sockets: TCP 3"));
	assert_non_null(strstr(all.data, "Shown 3 of 6"));
	buf_free(&all);
}

/* /proc that could not be read (out of file descriptors) is said in the
 * header, not left as an empty process column (issue 18 item 8). */
static void test_header_proc_error(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;

	app_draw(f->a, &f->v, 120, 40, NOW);
	assert_null(strstr(screen(f, &all), "not mapped"));
	f->a->proc_errno = EMFILE;
	app_draw(f->a, &f->v, 120, 40, NOW);
	assert_non_null(strstr(screen(f, &all), "some processes not mapped: Too many open files"));
	f->a->proc_errno = 0;
	app_draw(f->a, &f->v, 120, 40, NOW);
	assert_null(strstr(screen(f, &all), "not mapped"));
	buf_free(&all);
}

/* One socket is "1 socket", not "1 sockets" (issue 12 item 10). */
static void test_header_plural(void **state)
{
	struct options o;
	struct snapshot *s;
	struct buf all = BUF_INIT;
	struct fx f;

	(void)state;
	memset(&f, 0, sizeof(f));
	ut_options(&o);
	f.a = app_new(&o, ESC_UTF8);
	s = app_spare_snapshot(f.a);
	ut_inet(s, SP_TCP, SS_LISTEN, "127.0.0.1", 80, "0.0.0.0", 0, 1, 101);
	ut_finish(s, NOW);
	app_commit_snapshot(f.a, NULL, NOW);
	view_init(&f.v);
	buf_init(&f.line, 0);
	app_draw(f.a, &f.v, 120, 40, NOW);
	assert_non_null(strstr(screen(&f, &all), "1 socket: "));
	assert_null(strstr(all.data, "1 sockets"));
	buf_free(&all);
	buf_free(&f.line);
	view_free(&f.v);
	app_free(f.a);
}

/* The kinds of issue 13 in the header: a kind that cannot be seen says so
 * (never a silent 0), raw sockets read from /proc are marked, hidden kinds
 * say hidden. */
static void test_header_kinds(void **state)
{
	struct options o;
	struct snapshot *s;
	struct buf all = BUF_INIT;
	struct fx f;
	struct sock *r;

	(void)state;
	memset(&f, 0, sizeof(f));
	ut_options(&o);
	o.protos = SP_MASK_DEFAULT;
	f.a = app_new(&o, ESC_UTF8);
	s = app_spare_snapshot(f.a);
	ut_inet(s, SP_TCP, SS_LISTEN, "127.0.0.1", 80, "0.0.0.0", 0, 1, 101);
	r = ut_inet(s, SP_RAW, SS_CLOSE, "0.0.0.0", 1, "0.0.0.0", 0, 0, 102);
	r->source = SOCK_SRC_PROC;
	ut_finish(s, NOW);
	s->from_proc = SP_MASK(SP_RAW);
	s->status[SP_MPTCP] = SNAP_UNAVAILABLE;
	s->error[SP_MPTCP] = ENOENT;
	app_commit_snapshot(f.a, NULL, NOW);
	view_init(&f.v);
	buf_init(&f.line, 0);
	app_draw(f.a, &f.v, 200, 40, NOW);
	screen(&f, &all);
	assert_non_null(strstr(all.data, "Raw 1 (from /proc)"));
	assert_non_null(strstr(all.data, "MPTCP n/a"));
	assert_non_null(strstr(all.data, "MPTCP: cannot be seen (not supported by this kernel)"));
	assert_non_null(strstr(all.data, "Packet 0"));
	assert_non_null(strstr(all.data, "Netlink hidden"));
	buf_free(&all);
	buf_free(&f.line);
	view_free(&f.v);
	app_free(f.a);
}

/* A long refresh interval is said plainly, with the key that refreshes
 * at once (issue 12 item 5). */
static void test_long_interval(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	static const struct {
		int ms;
		const char *shown;
	} cases[] = {
		{ 5000, "Refresh 5 s  " },
		{ 30000, "Refresh 30 s (Ctrl-L refreshes now)" },
		{ 300000, "Refresh 5 min (Ctrl-L refreshes now)" },
		{ 3600000, "Refresh 1 h (Ctrl-L refreshes now)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f->a->delay_ms = cases[i].ms;
		app_draw(f->a, &f->v, 120, 40, NOW);
		assert_non_null(strstr(screen(f, &all), cases[i].shown));
	}
	buf_free(&all);
}

/* Issue 12 item 11: on a narrow screen the transport choices wrap under
 * their label instead of being cut; the client's hints are a client's. */
static void test_form_narrow(void **state)
{
	struct epfx *e = *state;
	struct fx *f = &e->f;
	struct app *a = f->a;
	struct buf all = BUF_INIT;
	const char *txt;
	int y;

	app_key(a, 'n', NOW);
	app_key(a, '1', NOW);
	app_draw(a, &f->v, 40, 24, NOW);
	txt = screen(f, &all);
	y = find_line(f, "> Transport   [TCP] UDP  Unix stream");
	assert_true(y >= 0);
	view_line_text(&f->v, y + 1, &f->line);
	assert_memory_equal(f->line.data, "               Unix datagram ", 29);
	/* every choice is there whole, the next field below them */
	assert_non_null(strstr(txt, "Unix datagram"));
	assert_non_null(strstr(txt, "Unix seqpacket"));
	assert_int_equal(find_line(f, "  IP version  [IPv4] IPv6"), y + 3);
	/* the focus moves by field, not by row */
	app_key(a, KC_DOWN, NOW);
	assert_int_equal(a->panes.form.focus, FF_FAMILY);
	app_key(a, KC_ESC, NOW);

	/* a Unix client: the hint is about the server's file, not ours */
	app_key(a, KC_F2, NOW);
	app_key(a, '5', NOW);
	app_key(a, KC_RIGHT, NOW);
	app_key(a, KC_RIGHT, NOW);
	app_draw(a, &f->v, 120, 24, NOW);
	txt = screen(f, &all);
	assert_null(strstr(txt, "sockview makes it yours alone"));
	assert_non_null(strstr(txt, "the server's socket file"));
	app_key(a, KC_ESC, NOW);
	/* a client's Port takes a service name and shows its number */
	app_key(a, KC_F2, NOW);
	app_key(a, '5', NOW);
	a->panes.form.focus = FF_PORT;
	app_key(a, KC_CTRL('u'), NOW);
	keys(a, "nosuchsvc");
	app_draw(a, &f->v, 120, 24, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "(no such service name)"));
	app_key(a, KC_ESC, NOW);
	buf_free(&all);
}

/* Issue 19: the interval grew by itself: the header says so, and why. */
static void test_header_pace(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	const char *txt;

	pace_refresh(&f->a->pace, 900);
	app_draw(f->a, &f->v, 160, 40, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "Refresh 1 s \xe2\x86\x92 4.5 s (a refresh takes 900 ms)"));
	/* the user chose another interval: no stale note until the next tick */
	f->a->delay_ms = 2000;
	app_draw(f->a, &f->v, 160, 40, NOW);
	txt = screen(f, &all);
	assert_null(strstr(txt, "a refresh takes"));
	/* cheap again: back to the user's interval, no note */
	f->a->delay_ms = 1000;
	for (int i = 0; i < 4 * PACE_CHEAP_RUNS; i++)
		pace_refresh(&f->a->pace, 10);
	app_draw(f->a, &f->v, 160, 40, NOW);
	txt = screen(f, &all);
	assert_non_null(strstr(txt, "Refresh 1 s  "));
	assert_null(strstr(txt, "a refresh takes"));
	buf_free(&all);
}

/* The grouped view by service: a long label (a cgroup path) is cut with an
 * ellipsis inside its column; the counts stay in theirs. */
static void test_group_service_label_cut(void **state)
{
	struct fx *f = *state;
	struct buf all = BUF_INIT;
	static const char longlab[] = "/process_api/7db6ec72abf3cdef30839d4b6ce3154a10";
	int y, yh;
	const char *at, *head;
	size_t col, hcol;

	procmap_set_service(f->pm, 77, longlab, sizeof(longlab) - 1, CG_OTHER);
	app_key(f->a, 'S', NOW);
	view_build(&f->v, f->a, 120, 40, NOW);
	screen(f, &all);
	y = find_line(f, "/process_api/7db6");
	assert_true(y >= 0);
	view_line_text(&f->v, y, &f->line);
	assert_null(strstr(f->line.data, longlab));
	at = strstr(f->line.data, "\xe2\x80\xa6") ? strstr(f->line.data, "\xe2\x80\xa6") : NULL;
	assert_non_null(at);
	/* the ellipsis ends the Service column: the Socks count is under
	 * its title */
	col = (size_t)(at - f->line.data);
	yh = find_line(f, "Socks");
	assert_true(yh >= 0);
	view_line_text(&f->v, yh, &f->line);
	head = strstr(f->line.data, "Socks");
	hcol = (size_t)(head - f->line.data);
	assert_true(col < hcol);
	buf_free(&all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cells, setup, teardown),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_layout),
		cmocka_unit_test_setup_teardown(test_screen_120, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_interval, setup, teardown),
		cmocka_unit_test(test_header_plural),
		cmocka_unit_test(test_header_kinds),
		cmocka_unit_test_setup_teardown(test_header_proc_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_totals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_narrow_keeps_what_matters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_screen_80_shortens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_screen_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_screen_ascii, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_and_gone_styles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_details_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_queue_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_details_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prompt_cursor, setup, teardown),
		cmocka_unit_test(test_filterhelp_text),
		cmocka_unit_test_setup_teardown(test_filterhelp_screen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_menu_screen, setup, teardown),
		cmocka_unit_test(test_state_explain),
		cmocka_unit_test_setup_teardown(test_panes_screen, ep_setup, ep_teardown),
		cmocka_unit_test_setup_teardown(test_form_narrow, ep_setup, ep_teardown),
		cmocka_unit_test_setup_teardown(test_input_line, ep_setup, ep_teardown),
		cmocka_unit_test_setup_teardown(test_filter_error_escaped_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_pace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_service_label_cut, setup, teardown),
	};

	/* display widths of non-ASCII text come from the locale */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "C.utf8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
