/* test_app.c - the live view's state and actions, without a terminal. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "app.h"
#include "traffic.h"
#include "clock.h"
#include "epman.h"
#include "loop.h"
#include "pane.h"
#include "procmap.h"
#include "uitest.h"
#include "utext.h"

#define NOW 100000

/* Types s into the app key by key. */
static void type(struct app *a, const char *s)
{
	for (; *s; s++)
		app_key(a, (unsigned char)*s, NOW);
}

static bool has_row(const struct app *a, uint64_t cookie)
{
	for (size_t i = 0; i < a->table.nrows; i++)
		if (a->table.rows[i].s->key.cookie == cookie)
			return true;
	return false;
}

static const struct table_row *find_row(const struct app *a, uint64_t cookie)
{
	for (size_t i = 0; i < a->table.nrows; i++)
		if (a->table.rows[i].s->key.cookie == cookie)
			return &a->table.rows[i];
	return NULL;
}

/* The row of the socket with this cookie; fails the test if there is none. */
static const struct table_row *row_of(const struct app *a, uint64_t cookie)
{
	static const struct diff_entry none;
	static const struct sock nosock;
	static const struct table_row missing = { &nosock, &none, 0 };
	const struct table_row *r = find_row(a, cookie);

	if (!r) {
		fail_msg("no row for cookie %llu", (unsigned long long)cookie);
		return &missing;
	}
	return r;
}

/* The diff entry of a row that must have one. */
static const struct diff_entry *entry_of(const struct table_row *r)
{
	static const struct diff_entry none;

	if (!r->d) {
		fail_msg("row has no diff entry");
		return &none;
	}
	return r->d;
}

static uint64_t sel_cookie(const struct app *a)
{
	const struct table_row *r = app_selected(a);

	return r ? r->s->key.cookie : 0;
}

/* A small machine: a TCP listener on 8080, an established loopback pair on
 * it, a TIME-WAIT, a UDP socket on v6, a Unix listener and a Unix pair. */
static void fill_basic(struct snapshot *s)
{
	ut_inet(s, SP_TCP, SS_LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0, 1, 101);
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40000, 2, 102);
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 40000, "127.0.0.1", 8080, 3, 103);
	ut_inet(s, SP_TCP, SS_TIME_WAIT, "127.0.0.1", 40001, "127.0.0.1", 8080, 4, 0);
	ut_inet(s, SP_UDP, SS_CLOSE, "::1", 5353, "::", 0, 5, 105);
	ut_unix(s, SOCK_STREAM, SS_LISTEN, "/run/test.sock", 14, 201, 0);
	ut_unix(s, SOCK_STREAM, SS_ESTABLISHED, "", 0, 202, 203);
	ut_unix(s, SOCK_STREAM, SS_ESTABLISHED, "/run/test.sock", 14, 203, 202);
}

struct fixture {
	struct app *a;
	struct procmap *pm;
};

static struct app *new_app(void)
{
	struct options o;

	ut_options(&o);
	return app_new(&o, ESC_UTF8);
}

static void commit_basic(struct app *a, const struct procmap *pm, int64_t when)
{
	struct snapshot *s = app_spare_snapshot(a);

	fill_basic(s);
	ut_finish(s, when);
	app_commit_snapshot(a, pm, when);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->a = new_app();
	f->pm = procmap_new();
	procmap_set_proc(f->pm, 4242, "server", 6, 1000);
	procmap_add_owner(f->pm, 101, 4242, 3);
	procmap_add_owner(f->pm, 102, 4242, 4);
	procmap_set_proc(f->pm, 4343, "client", 6, 1000);
	procmap_add_owner(f->pm, 103, 4343, 3);
	app_set_page(f->a, 5);
	commit_basic(f->a, f->pm, NOW);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	app_free(f->a);
	procmap_free(f->pm);
	free(f);
	return 0;
}

static void test_first_snapshot(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;

	assert_true(a->table.have_snap);
	assert_int_equal(a->table.nrows, 8);
	assert_int_equal(a->table.total, 8);
	assert_int_equal(a->table.totals[SP_TCP][SS_ESTABLISHED], 2);
	assert_int_equal(a->table.totals[SP_TCP][SS_LISTEN], 1);
	assert_int_equal(a->table.totals[SP_UNIX][SS_ESTABLISHED], 2);
	/* nothing is "new" in the first snapshot */
	for (size_t i = 0; i < a->table.nrows; i++)
		assert_false(app_is_new(a->table.rows[i].d, NOW));
	/* default order: by protocol, TCP first */
	assert_int_equal(a->table.rows[0].s->proto, SP_TCP);
	assert_int_equal(a->table.rows[a->table.nrows - 1].s->proto, SP_UNIX);
}

/* The first paint (live.c): the first snapshot is committed before the
 * first /proc scan ends, with its history round deferred; when the scan
 * ends, app_procs_updated sorts by the owners now known and takes the
 * history's round. */
static void test_first_paint_then_procs(void **state)
{
	struct app *a = new_app();
	struct procmap *pm = procmap_new();
	const struct table_row *r;

	(void)state;
	app_set_page(a, 10);
	table_sort_by(&a->table, COL_PROCESS);
	a->table.hist_defer = true;
	commit_basic(a, pm, NOW);
	assert_true(a->table.have_snap);
	assert_int_equal(a->table.nrows, 8);
	r = row_of(a, 2);
	/* no round yet: no socket has a history */
	assert_null(traffic_history(&a->table, r->s));
	/* the scan ends: owners known, the order follows them */
	procmap_set_proc(pm, 4343, "aaa-client", 10, 1000);
	procmap_add_owner(pm, 103, 4343, 3);
	procmap_set_proc(pm, 4242, "zzz-server", 10, 1000);
	procmap_add_owner(pm, 102, 4242, 4);
	app_procs_updated(a);
	assert_false(a->table.hist_defer);
	assert_int_equal(a->table.nrows, 8);
	assert_int_equal(a->table.rows[0].s->key.cookie, 3);
	assert_int_equal(a->table.rows[1].s->key.cookie, 2);
	r = row_of(a, 2);
	assert_non_null(traffic_history(&a->table, r->s));
	/* a second call has nothing deferred: no second round */
	app_procs_updated(a);
	assert_non_null(traffic_history(&a->table, row_of(a, 2)->s));
	app_free(a);
	procmap_free(pm);
}

static void test_toggles(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;
	unsigned fx;

	fx = app_key(a, 't', NOW);
	assert_true(fx & APP_RESCOPE);
	assert_true(fx & APP_REDRAW);
	assert_false(has_row(a, 1));
	assert_int_equal(a->table.nrows, 4);
	assert_non_null(strstr(a->msg, "TCP"));
	app_key(a, 't', NOW);
	assert_true(has_row(a, 1));
	assert_int_equal(a->table.nrows, 8);

	app_key(a, 'u', NOW);
	assert_false(has_row(a, 5));
	assert_int_equal(a->table.nrows, 7);
	app_key(a, 'u', NOW);
	app_key(a, 'x', NOW);
	assert_int_equal(a->table.nrows, 5);
	assert_false(has_row(a, 201));
	app_key(a, 'x', NOW);
	assert_int_equal(a->table.nrows, 8);
	app_key(a, 'w', NOW);
	assert_false(a->table.protos & SP_MASK(SP_RAW));
	assert_int_equal(a->table.nrows, 8);
	app_key(a, 'w', NOW);

	/* the kinds beyond the four: '0' packet, 'L' netlink, 'M' MPTCP */
	fx = app_key(a, '0', NOW);
	assert_true(fx & APP_RESCOPE);
	assert_false(a->table.protos & SP_MASK(SP_PACKET));
	assert_non_null(strstr(a->msg, "packet"));
	app_key(a, 'L', NOW);
	assert_false(a->table.protos & SP_MASK(SP_NETLINK));
	app_key(a, 'M', NOW);
	assert_false(a->table.protos & SP_MASK(SP_MPTCP));
	assert_non_null(strstr(a->msg, "MPTCP"));

	/* the last protocol cannot be hidden */
	app_key(a, 't', NOW);
	app_key(a, 'u', NOW);
	app_key(a, 'w', NOW);
	fx = app_key(a, 'x', NOW);
	assert_false(fx & APP_RESCOPE);
	assert_true(a->msg_error);
	assert_int_equal(a->table.protos, SP_MASK(SP_UNIX));
}

static void test_families_listening(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;

	app_key(a, '4', NOW);
	assert_int_equal(a->table.families, SF_INET);
	assert_false(has_row(a, 5)); /* the IPv6 UDP socket */
	assert_true(has_row(a, 201)); /* Unix stays */
	app_key(a, '6', NOW);
	assert_int_equal(a->table.families, SF_INET6);
	assert_true(has_row(a, 5));
	assert_false(has_row(a, 1));
	app_key(a, '6', NOW);
	assert_int_equal(a->table.families, SF_ALL);
	assert_int_equal(a->table.nrows, 8);

	assert_true(app_key(a, 'l', NOW) & APP_RESCOPE);
	assert_true(a->table.listening);
	/* TCP LISTEN, the unconnected UDP socket, the Unix listener */
	assert_int_equal(a->table.nrows, 3);
	assert_true(has_row(a, 1));
	assert_true(has_row(a, 5));
	assert_true(has_row(a, 201));
	app_key(a, 'l', NOW);
	assert_int_equal(a->table.nrows, 8);
}

static void test_search(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;

	app_key(a, '/', NOW);
	assert_int_equal(a->prompt, PROMPT_SEARCH);
	type(a, "4000");
	/* the two sockets with port 40000 in an address, and 40001 */
	assert_int_equal(a->table.nrows, 3);
	assert_string_equal(a->table.search, "4000");
	type(a, "1");
	assert_int_equal(a->table.nrows, 1);
	assert_true(has_row(a, 4));
	/* backspace widens again */
	app_key(a, KC_BACKSPACE, NOW);
	assert_int_equal(a->table.nrows, 3);
	/* process names match too, case-insensitively */
	app_key(a, KC_CTRL('u'), NOW);
	type(a, "CLIENT");
	assert_int_equal(a->table.nrows, 1);
	assert_true(has_row(a, 3));
	/* Enter keeps the search, letters are then keys again */
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->prompt, PROMPT_NONE);
	assert_int_equal(a->table.nrows, 1);
	/* the search survives a refresh */
	commit_basic(a, f->pm, NOW + 1000);
	assert_int_equal(a->table.nrows, 1);
	/* Esc clears it */
	app_key(a, KC_ESC, NOW);
	assert_string_equal(a->table.search, "");
	assert_int_equal(a->table.nrows, 8);
	/* Esc inside the prompt clears too */
	app_key(a, '/', NOW);
	type(a, "unix-nothing-matches");
	assert_int_equal(a->table.nrows, 0);
	assert_null(app_selected(a));
	app_key(a, KC_ESC, NOW);
	assert_int_equal(a->table.nrows, 8);
	assert_int_equal(a->prompt, PROMPT_NONE);
}

static void test_search_letters_are_text(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;

	app_key(a, '/', NOW);
	/* q and t would quit / toggle outside the prompt */
	assert_int_equal(app_key(a, 'q', NOW) & APP_QUIT, 0);
	app_key(a, 't', NOW);
	assert_true(a->table.protos & SP_MASK(SP_TCP));
	assert_string_equal(a->edit.text, "qt");
	/* F10 still quits from the prompt */
	assert_true(app_key(a, KC_F10, NOW) & APP_QUIT);
}

static void test_sort(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;

	/* sort by local address via the menu */
	app_key(a, 's', NOW);
	assert_int_equal(a->mode, MODE_SORT);
	assert_int_equal(a->menu_cur, COL_PROTO);
	for (int i = 0; i < COL_LOCAL - COL_PROTO; i++)
		app_key(a, KC_DOWN, NOW);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	assert_int_equal(a->table.sort_col, COL_LOCAL);
	/* IPv4 first: 0.0.0.0:8080 */
	assert_int_equal(a->table.rows[0].s->key.cookie, 1);
	/* Unix last, by name: "" < "/run/test.sock" */
	assert_int_equal(a->table.rows[5].s->key.cookie, 202);
	app_key(a, 'r', NOW);
	assert_true(a->table.sort_reverse);
	assert_int_equal(a->table.rows[a->table.nrows - 1].s->key.cookie, 1);
	/* the header click: same column reverses, another one sorts */
	app_sort_by(a, COL_LOCAL);
	assert_false(a->table.sort_reverse);
	app_sort_by(a, COL_PROCESS);
	assert_int_equal(a->table.sort_col, COL_PROCESS);
	/* "client" < "server"; sockets without a process last */
	assert_int_equal(a->table.rows[0].s->key.cookie, 3);
	assert_int_equal(a->table.rows[1].s->key.cookie, 1);
	assert_int_equal(a->table.rows[2].s->key.cookie, 2);
	/* the menu: Esc cancels */
	app_key(a, KC_F6, NOW);
	app_key(a, KC_DOWN, NOW);
	app_key(a, KC_ESC, NOW);
	assert_int_equal(a->table.sort_col, COL_PROCESS);
	assert_int_equal(a->mode, MODE_TABLE);
}

static void test_navigation(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;

	app_set_page(a, 3);
	assert_int_equal(a->table.sel, 0);
	app_key(a, KC_DOWN, NOW);
	app_key(a, 'j', NOW);
	assert_int_equal(a->table.sel, 2);
	assert_int_equal(a->table.top, 0);
	app_key(a, KC_DOWN, NOW);
	assert_int_equal(a->table.sel, 3);
	assert_int_equal(a->table.top, 1);
	app_key(a, KC_END, NOW);
	assert_int_equal(a->table.sel, 7);
	assert_int_equal(a->table.top, 5);
	app_key(a, KC_DOWN, NOW); /* stays at the end */
	assert_int_equal(a->table.sel, 7);
	app_key(a, KC_PGUP, NOW);
	assert_int_equal(a->table.sel, 4);
	app_key(a, 'k', NOW);
	assert_int_equal(a->table.sel, 3);
	app_key(a, KC_HOME, NOW);
	assert_int_equal(a->table.sel, 0);
	assert_int_equal(a->table.top, 0);
	app_key(a, KC_PGDN, NOW);
	assert_int_equal(a->table.sel, 3);
	assert_int_equal(app_select_row(a, 6), APP_REDRAW);
	assert_int_equal(a->table.sel, 6);
	assert_int_equal(app_select_row(a, 99), 0);
	assert_int_equal(a->table.sel, 6);
}

static void test_selection_by_key(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;
	struct snapshot *s;
	uint64_t want;
	size_t before;

	app_select_row(a, 2);
	want = sel_cookie(a);
	before = a->table.sel;
	/* a new snapshot where two sockets sort before the selected one */
	s = app_spare_snapshot(a);
	ut_inet(s, SP_TCP, SS_LISTEN, "0.0.0.0", 22, "0.0.0.0", 0, 50, 150);
	ut_inet(s, SP_TCP, SS_LISTEN, "0.0.0.0", 23, "0.0.0.0", 0, 51, 151);
	fill_basic(s);
	ut_finish(s, NOW + 1000);
	app_commit_snapshot(a, f->pm, NOW + 1000);
	assert_int_equal(sel_cookie(a), want);
	assert_int_equal(a->table.sel, before + 2);
	/* the new ones are new, the old ones are not */
	assert_true(app_is_new(row_of(a, 50)->d, NOW + 1000));
	assert_false(app_is_new(row_of(a, 1)->d, NOW + 1000));
	/* highlight fades after APP_NEW_MS */
	assert_false(app_is_new(row_of(a, 50)->d, NOW + 1000 + APP_NEW_MS));
	assert_int_equal(app_next_change(a, NOW + 1000), NOW + 1000 + APP_NEW_MS);
	/* ... and stays faded in the next snapshot (first-seen carries over) */
	s = app_spare_snapshot(a);
	ut_inet(s, SP_TCP, SS_LISTEN, "0.0.0.0", 22, "0.0.0.0", 0, 50, 150);
	fill_basic(s);
	ut_finish(s, NOW + 2000);
	app_commit_snapshot(a, f->pm, NOW + 2000);
	assert_true(app_is_new(row_of(a, 50)->d, NOW + 2000));
	assert_false(app_is_new(row_of(a, 50)->d, NOW + 5000));
	/* the one that went is still a row, dimmed, for one refresh */
	assert_true(row_of(a, 51)->flags & ROW_GONE);
	assert_null(row_of(a, 51)->d);
	assert_int_equal(sel_cookie(a), want);
	commit_basic(a, f->pm, NOW + 3000);
	assert_null(find_row(a, 51));
	assert_int_equal(sel_cookie(a), want);
}

static void test_selection_gone(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;
	struct snapshot *s;

	/* select the last Unix socket, then it disappears */
	app_key(a, KC_END, NOW);
	assert_int_equal(sel_cookie(a), 203);
	s = app_spare_snapshot(a);
	ut_inet(s, SP_TCP, SS_LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0, 1, 101);
	ut_unix(s, SOCK_STREAM, SS_LISTEN, "/run/test.sock", 14, 201, 0);
	ut_finish(s, NOW + 1000);
	app_commit_snapshot(a, f->pm, NOW + 1000);
	/* still selected while it is shown as gone */
	assert_int_equal(sel_cookie(a), 203);
	assert_true(app_selected(a)->flags & ROW_GONE);
	/* then the selection moves to a neighbour, never out of range */
	s = app_spare_snapshot(a);
	ut_inet(s, SP_TCP, SS_LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0, 1, 101);
	ut_finish(s, NOW + 2000);
	app_commit_snapshot(a, f->pm, NOW + 2000);
	assert_non_null(app_selected(a));
	assert_true(a->table.sel < a->table.nrows);
}

/* accept(): the selected connection waited in the accept queue (inode 0)
 * and now has a file. It is the same socket (cookie): the selection stays
 * on it, and there is no dimmed ghost of it nor a "new" row. */
static void test_selection_follows_accept(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;
	struct snapshot *s;
	const struct table_row *r;

	s = app_spare_snapshot(a);
	fill_basic(s);
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40002, 60, 0);
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 40002, "127.0.0.1", 8080, 61, 161);
	ut_finish(s, NOW + 1000);
	app_commit_snapshot(a, f->pm, NOW + 1000);
	for (size_t i = 0; i < a->table.nrows; i++)
		if (a->table.rows[i].s->key.cookie == 60)
			app_select_row(a, i);
	assert_int_equal(sel_cookie(a), 60);
	assert_int_equal(app_selected(a)->s->inode, 0);

	procmap_add_owner(f->pm, 160, 4242, 5);
	s = app_spare_snapshot(a);
	fill_basic(s);
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40002, 60, 160);
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 40002, "127.0.0.1", 8080, 61, 161);
	ut_finish(s, NOW + 2000);
	app_commit_snapshot(a, f->pm, NOW + 2000);
	assert_int_equal(a->table.nrows, 10);
	assert_int_equal(a->table.nlive, 10);
	for (size_t i = 0; i < a->table.nrows; i++)
		assert_false(a->table.rows[i].flags & ROW_GONE);
	r = app_selected(a);
	assert_int_equal(r->s->key.cookie, 60);
	assert_int_equal(r->s->inode, 160);
	/* seen since it arrived in the queue, not since accept() */
	assert_false(entry_of(r)->flags & DIFF_NEW);
	assert_true(entry_of(r)->first_seen_ms == NOW + 1000);
	assert_true(entry_of(r)->flags & DIFF_CHANGED);
	assert_int_equal(a->table.sel_key.inode, 160);
}

static void test_scope_not_new(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;
	struct snapshot *s;

	/* hide TCP: the next dump does not ask for it */
	app_key(a, 't', NOW);
	s = app_spare_snapshot(a);
	assert_false(a->table.scope_asked.protos & SP_MASK(SP_TCP));
	fill_basic(s);
	for (size_t i = 0; i < s->n;)
		if (s->socks[i].proto == SP_TCP)
			s->socks[i] = s->socks[--s->n];
		else
			i++;
	ut_finish(s, NOW + 1000);
	app_commit_snapshot(a, f->pm, NOW + 1000);
	/* hidden is not gone */
	for (size_t i = 0; i < a->table.nrows; i++)
		assert_false(a->table.rows[i].flags & ROW_GONE);
	/* shown again: TCP sockets are back but not "new" */
	app_key(a, 't', NOW);
	commit_basic(a, f->pm, NOW + 2000);
	assert_false(app_is_new(row_of(a, 1)->d, NOW + 2000));
}

static void test_rates(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;
	struct snapshot *s;
	struct sock *r;
	const struct table_row *row;

	s = app_spare_snapshot(a);
	r = ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 1, "127.0.0.1", 2, 900, 9000);
	r->has |= SOCK_HAS_TCP;
	ut_ext(r)->tcp.bytes_received = 1000;
	ut_ext(r)->tcp.bytes_acked = 500;
	ut_finish(s, NOW + 1000);
	app_commit_snapshot(a, f->pm, NOW + 1000);
	s = app_spare_snapshot(a);
	r = ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 1, "127.0.0.1", 2, 900, 9000);
	r->has |= SOCK_HAS_TCP;
	ut_ext(r)->tcp.bytes_received = 3000;
	ut_ext(r)->tcp.bytes_acked = 1500;
	ut_finish(s, NOW + 1500);
	app_commit_snapshot(a, f->pm, NOW + 1500);
	row = row_of(a, 900);
	assert_true(entry_of(row)->flags & DIFF_RATES);
	assert_true(entry_of(row)->flags & DIFF_CHANGED);
	/* 2000 bytes in 500 ms, 1000 bytes in 500 ms */
	assert_true(entry_of(row)->rx_rate > 3999.0f && entry_of(row)->rx_rate < 4001.0f);
	assert_true(entry_of(row)->tx_rate > 1999.0f && entry_of(row)->tx_rate < 2001.0f);
	assert_ptr_equal(app_diff_of(a, row->s), row->d);
}

static void test_peer(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;

	/* TCP: 127.0.0.1:8080 <-> 127.0.0.1:40000 */
	assert_true(app_select_key(a, &row_of(a, 2)->s->key));
	app_key(a, 'p', NOW);
	assert_int_equal(sel_cookie(a), 3);
	assert_false(a->msg_error);
	app_key(a, 'p', NOW);
	assert_int_equal(sel_cookie(a), 2);
	/* the listener has no peer, and the message says why (not "the other
	 * end is not on this machine") */
	app_select_key(a, &row_of(a, 1)->s->key);
	app_key(a, 'p', NOW);
	assert_int_equal(sel_cookie(a), 1);
	assert_true(a->msg_error);
	assert_non_null(strstr(a->msg, "a listening socket has no peer"));
	/* a dual-stack server: IPv4 client, IPv6 (mapped) server side */
	{
		struct snapshot *sp = app_spare_snapshot(a);

		fill_basic(sp);
		ut_inet(sp, SP_TCP, SS_ESTABLISHED, "::ffff:127.0.0.1", 9000, "::ffff:127.0.0.1",
			41000, 60, 160);
		ut_inet(sp, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 41000, "127.0.0.1", 9000, 61, 161);
		ut_finish(sp, NOW + 500);
		app_commit_snapshot(a, f->pm, NOW + 500);
	}
	app_select_key(a, &row_of(a, 61)->s->key);
	app_key(a, 'p', NOW);
	assert_int_equal(sel_cookie(a), 60);
	app_key(a, 'p', NOW);
	assert_int_equal(sel_cookie(a), 61);
	/* Unix by peer inode */
	app_select_key(a, &row_of(a, 202)->s->key);
	app_key(a, 'p', NOW);
	assert_int_equal(sel_cookie(a), 203);
	/* a peer hidden by the search: the selection stays, a message says why */
	app_key(a, '/', NOW);
	type(a, "test.sock");
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(sel_cookie(a), 203);
	app_key(a, 'p', NOW);
	assert_int_equal(sel_cookie(a), 203);
	assert_true(a->msg_error);
	assert_non_null(strstr(a->msg, "hidden"));
}

static void test_details(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;
	const struct sock *s;
	bool gone;

	app_select_key(a, &row_of(a, 2)->s->key);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_DETAILS);
	s = app_details_sock(a, &gone);
	assert_non_null(s);
	assert_false(gone);
	assert_int_equal(s->key.cookie, 2);
	/* arrows scroll the details, not the table */
	app_key(a, KC_DOWN, NOW);
	assert_int_equal(a->scroll, 1);
	assert_int_equal(sel_cookie(a), 2);
	/* p in the details follows the peer */
	app_key(a, 'p', NOW);
	s = app_details_sock(a, &gone);
	assert_non_null(s);
	assert_int_equal(s ? s->key.cookie : 0, 3);
	assert_int_equal(a->scroll, 0);
	/* the socket closes: the details keep its last values */
	{
		struct snapshot *sp = app_spare_snapshot(a);

		ut_inet(sp, SP_TCP, SS_LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0, 1, 101);
		ut_finish(sp, NOW + 1000);
		app_commit_snapshot(a, f->pm, NOW + 1000);
	}
	s = app_details_sock(a, &gone);
	assert_non_null(s);
	assert_true(gone);
	assert_int_equal(s->key.cookie, 3);
	app_key(a, KC_ESC, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
}

static void test_help_and_columns(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;

	app_key(a, '?', NOW);
	assert_int_equal(a->mode, MODE_HELP);
	app_key(a, KC_ESC, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	app_key(a, KC_F1, NOW);
	assert_int_equal(a->mode, MODE_HELP);
	/* another key leaves the help and acts */
	app_key(a, 't', NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	assert_false(a->table.protos & SP_MASK(SP_TCP));

	assert_false(a->table.columns & COL_BIT(COL_UID));
	app_key(a, 'c', NOW);
	assert_int_equal(a->mode, MODE_COLUMNS);
	app_key(a, ' ', NOW); /* the first optional column: UID */
	assert_true(a->table.columns & COL_BIT(COL_UID));
	app_key(a, KC_DOWN, NOW);
	app_key(a, KC_ENTER, NOW);
	assert_true(a->table.columns & COL_BIT(COL_INODE));
	app_key(a, ' ', NOW);
	assert_false(a->table.columns & COL_BIT(COL_INODE));
	app_key(a, KC_ESC, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	/* optional columns are searchable once shown */
	app_key(a, '/', NOW);
	type(a, "1000");
	/* TCP is hidden: of the uid-1000 inet sockets only the UDP one */
	assert_int_equal(a->table.nrows, 1);
	assert_true(has_row(a, 5));
	app_key(a, KC_ESC, NOW);
}

static void test_pause_delay_quit(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;
	unsigned fx;

	fx = app_key(a, ' ', NOW);
	assert_true(a->paused);
	assert_true(fx & APP_TIMING);
	fx = app_key(a, ' ', NOW);
	assert_false(a->paused);
	assert_true(fx & APP_REFRESH);

	fx = app_key(a, '+', NOW);
	assert_true(fx & APP_TIMING);
	assert_int_equal(a->delay_ms, 500);
	app_key(a, '-', NOW);
	app_key(a, '-', NOW);
	assert_int_equal(a->delay_ms, 2000);
	assert_int_equal(app_delay_step(100, true), 100);
	assert_int_equal(app_delay_step(1500, true), 1000);
	assert_int_equal(app_delay_step(1500, false), 2000);
	assert_int_equal(app_delay_step(3600000, false), 3600000);

	assert_true(app_key(a, 'q', NOW) & APP_QUIT);
	assert_true(app_key(a, KC_F10, NOW) & APP_QUIT);
}

/* Ctrl-L redraws and refreshes now, on every screen, and a paused view
 * stays paused (issue 12 item 5). */
static void test_ctrl_l_refreshes(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;
	static const int open_keys[] = { 0, '?', KC_ENTER, 's', 'c' };

	app_key(a, ' ', NOW);
	assert_true(a->paused);
	for (size_t i = 0; i < sizeof(open_keys) / sizeof(open_keys[0]); i++) {
		unsigned fx;

		if (open_keys[i])
			app_key(a, open_keys[i], NOW);
		fx = app_key(a, KC_CTRL('l'), NOW);
		assert_true(fx & APP_REDRAW);
		assert_true(fx & APP_REFRESH);
		assert_true(a->paused);
		app_key(a, KC_ESC, NOW);
		assert_int_equal(a->mode, MODE_TABLE);
	}
}

static void test_endpoint_keys(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;

	/* without an endpoint manager (tests, or none could be made) */
	app_key(a, 'n', NOW);
	assert_string_equal(a->msg, "test endpoints are not available here");
	assert_int_equal(a->mode, MODE_TABLE);
	app_key(a, KC_F2, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	app_key(a, KC_TAB, NOW);
	assert_string_equal(a->msg, "no endpoints");
	app_key(a, KC_BTAB, NOW);
	assert_int_equal(a->panes.focus, PANE_NONE);
	app_key(a, KC_F8, NOW);
	assert_non_null(strstr(a->msg, "no pane to close"));
	app_key(a, KC_F7, NOW);
	assert_true(a->msg_error);
	app_key(a, KC_CTRL('o'), NOW);
	assert_true(a->msg_error);
	assert_false(a->panes.zoom);
	app_key(a, KC_F9, NOW);
	assert_true(a->msg_error);
	/* the message lasts until the next key */
	app_key(a, 'j', NOW);
	assert_string_equal(a->msg, "");
	/* no endpoint open: q quits at once */
	assert_true(app_key(a, 'q', NOW) & APP_QUIT);
}

/* ---- with real endpoints: a loop and an endpoint manager ---- */

struct epfix {
	struct app *a;
	struct procmap *pm;
	struct loop *l;
	struct epman *em;
	/* for the fake holder probe */
	uint16_t probe_port;
	uint32_t probe_inode;
	int probes;
};

static int ep_setup(void **state)
{
	struct epfix *f = calloc(1, sizeof(*f));

	f->a = new_app();
	f->pm = procmap_new();
	f->l = loop_new();
	f->em = epman_new(f->l);
	app_set_epman(f->a, f->em);
	app_set_page(f->a, 5);
	commit_basic(f->a, f->pm, NOW);
	*state = f;
	return 0;
}

static int ep_teardown(void **state)
{
	struct epfix *f = *state;

	epman_free(f->em);
	app_free(f->a);
	loop_free(f->l);
	procmap_free(f->pm);
	free(f);
	return 0;
}

/* Runs loop passes until cond or about 5 s. */
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

static bool pane_ready(void *ctx)
{
	return endpoint_state(((struct pane *)ctx)->ep) == EP_STATE_READY;
}

static bool pane_ended(void *ctx)
{
	enum ep_state st = endpoint_state(((struct pane *)ctx)->ep);

	return st == EP_STATE_CLOSED || st == EP_STATE_FAILED;
}

static bool pane_got_echo(void *ctx)
{
	struct transcript *tr = endpoint_transcript(((struct pane *)ctx)->ep);

	for (size_t i = 0; i < transcript_count(tr); i++) {
		const struct tr_entry *e = transcript_get(tr, i);

		if (e->kind == TR_RECV && e->len == 4 && !memcmp(e->data, "qtx\n", 4))
			return true;
	}
	return false;
}

/* A snapshot with the basic sockets and one more of the given inode. */
static void commit_with(struct app *a, const struct procmap *pm, uint32_t inode, int64_t when)
{
	struct snapshot *s = app_spare_snapshot(a);

	fill_basic(s);
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 45678, "127.0.0.1", 5000, 900, inode);
	ut_finish(s, when);
	app_commit_snapshot(a, pm, when);
}

static void test_endpoints_flow(void **state)
{
	struct epfix *f = *state;
	struct app *a = f->a;
	struct pane *srv, *cli;
	unsigned fx;
	uint32_t ino[4];
	char port[16];

	/* n: the menu; Up/Down move; Enter: the form of that kind */
	assert_true(app_key(a, 'n', NOW) & APP_REDRAW);
	assert_int_equal(a->mode, MODE_MENU);
	app_key(a, KC_DOWN, NOW);
	assert_int_equal(a->panes.kind_cur, 1);
	app_key(a, KC_UP, NOW);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_FORM);
	assert_int_equal(a->panes.form.kind, EP_ECHO);
	/* Enter with the defaults opens it; a server is to watch, so the
	 * keys stay with the table (issue 12 item 3) */
	fx = app_key(a, KC_ENTER, NOW);
	assert_true(fx & APP_REFRESH);
	assert_int_equal(a->mode, MODE_TABLE);
	assert_int_equal(epman_count(f->em), 1);
	assert_int_equal(a->panes.focus, PANE_NONE);
	srv = epman_pane(f->em, 0);
	assert_non_null(srv);
	assert_memory_equal(a->msg, "opened [1] echo server, TCP 127.0.0.1:", 38);
	/* its listener is marked as ours */
	assert_int_equal(endpoint_inodes(srv->ep, ino, 4), 1);
	assert_true(ownset_find(&a->table.own, ino[0], NULL));
	snprintf(port, sizeof(port), "%u", (unsigned)epaddr_port(endpoint_local_addr(srv->ep)));

	/* q with an endpoint open asks; anything but y stays */
	fx = app_key(a, 'q', NOW);
	assert_false(fx & APP_QUIT);
	assert_int_equal(a->prompt, PROMPT_QUIT);
	fx = app_key(a, 'x', NOW);
	assert_false(fx & APP_QUIT);
	assert_int_equal(a->prompt, PROMPT_NONE);
	assert_true(a->table.protos & SP_MASK(SP_UNIX)); /* the x was the answer */
	app_key(a, KC_F10, NOW);
	assert_int_equal(a->prompt, PROMPT_QUIT);
	assert_true(app_key(a, 'y', NOW) & APP_QUIT);

	/* Tab cycles: the pane, the table, the pane; Esc back to the table */
	app_key(a, KC_TAB, NOW);
	assert_int_equal(a->panes.focus, 0);
	app_key(a, KC_TAB, NOW);
	assert_int_equal(a->panes.focus, PANE_NONE);
	app_key(a, KC_BTAB, NOW);
	assert_int_equal(a->panes.focus, 0);
	/* a pane without an input line: letters are not table commands
	 * ("quit" typed there neither quits nor asks) */
	fx = app_key(a, 'q', NOW);
	assert_false(fx & APP_QUIT);
	assert_int_equal(a->prompt, PROMPT_NONE);
	assert_true(a->msg_error);
	assert_non_null(strstr(a->msg, "takes no input"));
	app_key(a, 'x', NOW);
	assert_true(a->table.protos & SP_MASK(SP_UNIX));
	app_key(a, KC_ESC, NOW);
	assert_int_equal(a->panes.focus, PANE_NONE);

	/* a client: the form targets the last server */
	app_key(a, KC_F2, NOW);
	app_key(a, '5', NOW);
	assert_int_equal(a->mode, MODE_FORM);
	assert_int_equal(a->panes.form.kind, EP_CLIENT);
	assert_string_equal(a->panes.form.field[FF_PORT].text, port);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->panes.focus, 1);
	cli = app_focused_pane(a);
	assert_non_null(cli);
	assert_true(run_until(f->l, pane_ready, cli));

	/* letters go to its input line: q does not quit, x toggles nothing */
	assert_false(app_key(a, 'q', NOW) & APP_QUIT);
	app_key(a, 't', NOW);
	app_key(a, 'x', NOW);
	assert_int_equal(a->table.protos, SP_MASK_ALL);
	assert_string_equal(cli->in.text, "qtx");
	assert_int_equal(a->prompt, PROMPT_NONE);
	app_key(a, KC_ENTER, NOW);
	assert_string_equal(cli->in.text, "");
	assert_true(run_until(f->l, pane_got_echo, cli));
	/* function keys still act: F3 opens the search prompt */
	app_key(a, KC_F3, NOW);
	assert_int_equal(a->prompt, PROMPT_SEARCH);
	app_key(a, KC_ESC, NOW);

	/* F7: its socket is not in the table yet; selected after a refresh */
	app_sync_endpoints(a);
	assert_int_equal(endpoint_inodes(cli->ep, ino, 4), 1);
	fx = app_key(a, KC_F7, NOW);
	assert_true(fx & APP_REFRESH);
	assert_int_equal(a->panes.pending_inode, ino[0]);
	commit_with(a, f->pm, ino[0], NOW + 1000);
	assert_int_equal(a->panes.pending_inode, 0);
	assert_int_equal(app_selected(a)->s->inode, ino[0]);
	/* a client has one socket: no "F7 again selects the next one" */
	assert_non_null(strstr(a->msg, "selected the socket of pane [2]"));
	assert_null(strstr(a->msg, "F7 again"));
	/* the Process cell names sockview and the pane */
	{
		struct buf b = BUF_INIT;
		struct cell_ctx ctx = { f->pm, ESC_UTF8, &a->table.own };
		char want[64];

		cell_format(&b, COL_PROCESS, app_selected(a)->s, NULL, &ctx);
		snprintf(want, sizeof(want), "sockview/%d [2]", (int)getpid());
		assert_string_equal(b.data, want);
		buf_free(&b);
	}
	/* F7 again, once it is in the table: selected at once */
	app_select_row(a, 0);
	assert_int_not_equal(app_selected(a)->s->inode, ino[0]);
	fx = app_key(a, KC_F7, NOW);
	assert_false(fx & APP_REFRESH);
	assert_int_equal(app_selected(a)->s->inode, ino[0]);

	/* Ctrl-O: full screen; Ctrl-X: hex */
	app_key(a, KC_CTRL('o'), NOW);
	assert_true(a->panes.zoom);
	app_key(a, KC_CTRL('x'), NOW);
	assert_true(cli->hex);
	app_key(a, KC_F12, NOW);
	assert_false(cli->hex);

	/* F8 closes the focused pane; the focus moves to the one left */
	fx = app_key(a, KC_F8, NOW);
	assert_true(fx & APP_REFRESH);
	assert_int_equal(epman_count(f->em), 1);
	assert_int_equal(a->panes.focus, 0);
	assert_false(a->panes.zoom);
	assert_string_equal(a->msg, "closed pane [2] and its sockets");
	app_key(a, KC_F8, NOW);
	assert_int_equal(epman_count(f->em), 0);
	assert_int_equal(a->panes.focus, PANE_NONE);
	assert_int_equal(a->table.own.n, 0);
	/* nothing open: q quits without asking */
	assert_true(app_key(a, 'q', NOW) & APP_QUIT);
}

static int fake_probe(void *ctx, enum ep_transport t, const struct epaddr *want,
		      struct snapshot *snap)
{
	struct epfix *f = ctx;

	(void)t;
	(void)want;
	f->probes++;
	snapshot_clear(snap);
	ut_inet(snap, SP_TCP, SS_LISTEN, "127.0.0.1", f->probe_port, "0.0.0.0", 0, 77,
		f->probe_inode);
	ut_finish(snap, NOW);
	return 0;
}

/* Opens the form of menu item key ('1' echo ... '5' client) set to a
 * transport, with the path (Unix) typed in place of the default. */
static void form_unix(struct app *a, int key, enum ep_transport t, const char *path)
{
	app_key(a, KC_F2, NOW);
	app_key(a, key, NOW);
	assert_int_equal(a->mode, MODE_FORM);
	for (int i = 0; i < 4 && a->panes.form.transport != t; i++)
		app_key(a, KC_RIGHT, NOW);
	assert_int_equal(a->panes.form.transport, t);
	for (int i = 0; i < 8 && a->panes.form.focus != FF_PATH; i++)
		app_key(a, KC_DOWN, NOW);
	assert_int_equal(a->panes.form.focus, FF_PATH);
	app_key(a, KC_CTRL('u'), NOW);
	type(a, path);
}

/* A Unix socket file nothing listens on (bound, then closed). */
static void make_stale(const char *path, int type)
{
	struct sockaddr_un su;
	int fd = socket(AF_UNIX, type, 0);

	assert_true(fd >= 0);
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	snprintf(su.sun_path, sizeof(su.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&su, sizeof(su)), 0);
	close(fd);
}

/* Issue 12 item 11: the client's default target is the newest server
 * still open, never one closed since (F8). */
static void test_client_target_after_close(void **state)
{
	struct epfix *f = *state;
	struct app *a = f->a;
	char port1[16], port2[16];

	app_key(a, KC_F2, NOW);
	app_key(a, '1', NOW);
	app_key(a, KC_ENTER, NOW);
	app_key(a, KC_F2, NOW);
	app_key(a, '4', NOW);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(epman_count(f->em), 2);
	snprintf(port1, sizeof(port1), "%u",
		 (unsigned)epaddr_port(endpoint_local_addr(epman_pane(f->em, 0)->ep)));
	snprintf(port2, sizeof(port2), "%u",
		 (unsigned)epaddr_port(endpoint_local_addr(epman_pane(f->em, 1)->ep)));
	assert_string_not_equal(port1, port2);
	app_key(a, KC_F2, NOW);
	app_key(a, '5', NOW);
	assert_string_equal(a->panes.form.field[FF_PORT].text, port2);
	app_key(a, KC_ESC, NOW);
	/* F8 on the newest: the one before it is the target */
	app_focus(a, 1);
	app_key(a, KC_F8, NOW);
	assert_int_equal(epman_count(f->em), 1);
	app_key(a, KC_F2, NOW);
	app_key(a, '5', NOW);
	assert_string_equal(a->panes.form.field[FF_PORT].text, port1);
	assert_true(form_targets_last(&a->panes.form, FF_ADDR));
	app_key(a, KC_ESC, NOW);
	/* none left: no target, nothing suggested */
	app_focus(a, 0);
	app_key(a, KC_F8, NOW);
	assert_int_equal(epman_count(f->em), 0);
	app_key(a, KC_F2, NOW);
	app_key(a, '5', NOW);
	assert_false(a->panes.form.env.have_last);
	assert_string_equal(a->panes.form.field[FF_PORT].text, "");
	assert_false(form_targets_last(&a->panes.form, FF_ADDR));
	app_key(a, KC_ESC, NOW);
}

/* Issue 12 item 11: a Unix client to a path with no server keeps the form
 * with the reason (as a port in use does); no dead pane opens. */
static void test_unix_client_no_server(void **state)
{
	struct epfix *f = *state;
	struct app *a = f->a;
	char dir[] = "/tmp/sv-test-cli-XXXXXX", path[128];
	unsigned fx;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/none.sock", dir);
	form_unix(a, '5', EP_UNIX_STREAM, path);
	fx = app_key(a, KC_ENTER, NOW);
	assert_false(fx & APP_REFRESH);
	assert_int_equal(a->mode, MODE_FORM);
	assert_int_equal(epman_count(f->em), 0);
	assert_non_null(strstr(a->panes.form.err, "does not exist"));
	assert_int_equal(a->panes.form.focus, FF_PATH);
	assert_false(a->panes.holder_pending);
	app_key(a, KC_ESC, NOW);
	/* a datagram client too */
	form_unix(a, '5', EP_UNIX_DGRAM, path);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_FORM);
	assert_int_equal(epman_count(f->em), 0);
	assert_non_null(strstr(a->panes.form.err, "does not exist"));
	app_key(a, KC_ESC, NOW);
	/* a stale file: refused */
	make_stale(path, SOCK_STREAM);
	form_unix(a, '5', EP_UNIX_STREAM, path);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_FORM);
	assert_int_equal(epman_count(f->em), 0);
	assert_non_null(strstr(a->panes.form.err, "connection refused"));
	assert_false(a->panes.form.stale_offer);
	app_key(a, KC_ESC, NOW);
	unlink(path);
	rmdir(dir);
}

/* Issue 12 item 12: a server at the path of one of ours is refused
 * without a check connection (it showed as clients of our server); at a
 * stranger's stale file the form says a check connection was made. */
static void test_own_unix_path_not_probed(void **state)
{
	struct epfix *f = *state;
	struct app *a = f->a;
	char dir[] = "/tmp/sv-test-own-XXXXXX", path[128], stale[128];
	struct pane *srv;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/own.sock", dir);
	form_unix(a, '1', EP_UNIX_STREAM, path);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	assert_int_equal(epman_count(f->em), 1);
	srv = epman_pane(f->em, 0);
	/* the same path again, stream or datagram */
	for (int k = 0; k < 2; k++) {
		form_unix(a, '4', k ? EP_UNIX_DGRAM : EP_UNIX_STREAM, path);
		app_key(a, KC_ENTER, NOW);
		assert_int_equal(a->mode, MODE_FORM);
		assert_int_equal(epman_count(f->em), 1);
		assert_non_null(strstr(a->panes.form.err, "is already in use"));
		assert_int_equal(a->panes.form.focus, FF_PATH);
		assert_false(a->panes.form.stale_offer);
		app_key(a, KC_ESC, NOW);
	}
	/* our server saw nobody */
	for (int i = 0; i < 10; i++)
		loop_run_once(f->l, 10);
	assert_int_equal(endpoint_stats(srv->ep)->clients_total, 0);
	/* a client to it is a real one, of course */
	form_unix(a, '5', EP_UNIX_STREAM, path);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(epman_count(f->em), 2);

	/* a stranger's stale file: the one check connection is said */
	snprintf(stale, sizeof(stale), "%s/old.sock", dir);
	make_stale(stale, SOCK_STREAM);
	form_unix(a, '1', EP_UNIX_STREAM, stale);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_FORM);
	assert_true(a->panes.form.stale_offer);
	assert_non_null(strstr(a->panes.form.err, "a check connection to it was refused"));
	/* Enter again replaces it */
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	assert_int_equal(epman_count(f->em), 3);
	/* closing removes our files: the directory empties */
	epman_close(f->em, 2);
	epman_close(f->em, 1);
	epman_close(f->em, 0);
	app_sync_endpoints(a);
	assert_int_equal(rmdir(dir), 0);
}

/* A port in use: the error names the holder, from the table or, when the
 * view hides it, from the probe; the menu and form keys. */
/* A client whose server went away keeps its input line: letters stay
 * text, Enter offers to connect again, and again connects and sends the
 * line kept (issue 12 item 3). */
static void test_client_reconnects(void **state)
{
	struct epfix *f = *state;
	struct app *a = f->a;
	struct pane *srv, *cli;
	struct sockaddr_in sin;
	int one = 1, lfd, cfd;
	char got[16];
	ssize_t n = 0;
	uint16_t port;

	app_key(a, 'n', NOW);
	app_key(a, '1', NOW);
	app_key(a, KC_ENTER, NOW);
	srv = epman_pane(f->em, 0);
	assert_non_null(srv);
	port = epaddr_port(endpoint_local_addr(srv->ep));
	app_key(a, 'n', NOW);
	app_key(a, '5', NOW);
	app_key(a, KC_ENTER, NOW);
	cli = app_focused_pane(a);
	assert_non_null(cli);
	assert_true(run_until(f->l, pane_ready, cli));
	/* the server goes: F8 on its pane (Tab: the table, then pane 0) */
	app_key(a, KC_TAB, NOW);
	app_key(a, KC_TAB, NOW);
	assert_ptr_equal(app_focused_pane(a), srv);
	app_key(a, KC_F8, NOW);
	cli = epman_pane(f->em, 0);
	assert_true(run_until(f->l, pane_ended, cli));
	assert_ptr_equal(app_focused_pane(a), cli); /* the focus moved to it */
	/* the line stays an input line: q is text */
	assert_true(pane_has_input(cli));
	assert_false(app_key(a, 'q', NOW) & APP_QUIT);
	assert_string_equal(cli->in.text, "q");
	/* Enter: an offer, the text kept */
	app_key(a, KC_ENTER, NOW);
	assert_non_null(strstr(a->msg, "Enter again connects again"));
	assert_string_equal(cli->in.text, "q");
	/* a new server on the same port, then Enter again */
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	app_key(a, KC_ENTER, NOW);
	assert_non_null(strstr(a->msg, "connecting again"));
	assert_true(run_until(f->l, pane_ready, cli));
	cfd = accept(lfd, NULL, NULL);
	assert_true(cfd >= 0);
	for (int i = 0; i < 100 && n < 2; i++) {
		ssize_t r;

		loop_run_once(f->l, 20);
		r = recv(cfd, got + n, sizeof(got) - (size_t)n, MSG_DONTWAIT);
		if (r > 0)
			n += r;
	}
	assert_int_equal(n, 2);
	assert_memory_equal(got, "q\n", 2);
	close(cfd);
	close(lfd);
}

/* A Unix server path that is a regular file has no holder to wait for:
 * the form says what the path is, at once (issue 12 item 10). */
static void test_unix_path_is_a_file(void **state)
{
	struct epfix *f = *state;
	struct app *a = f->a;
	char path[] = "/tmp/sv-test-file-XXXXXX";
	int fd = mkstemp(path);
	unsigned fx;

	assert_true(fd >= 0);
	close(fd);
	app_key(a, 'n', NOW);
	app_key(a, '1', NOW);
	assert_int_equal(a->mode, MODE_FORM);
	for (int i = 0; i < 4 && a->panes.form.transport != EP_UNIX_STREAM; i++)
		app_key(a, KC_RIGHT, NOW);
	assert_int_equal(a->panes.form.transport, EP_UNIX_STREAM);
	for (int i = 0; i < 8 && a->panes.form.focus != FF_PATH; i++)
		app_key(a, KC_DOWN, NOW);
	assert_int_equal(a->panes.form.focus, FF_PATH);
	app_key(a, KC_CTRL('u'), NOW);
	type(a, path);
	fx = app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_FORM);
	assert_non_null(strstr(a->panes.form.err, "is not a socket"));
	assert_null(strstr(a->panes.form.err, "refreshing"));
	assert_false(a->panes.holder_pending);
	assert_false(fx & APP_REFRESH);
	assert_int_equal(epman_count(f->em), 0);
	app_key(a, KC_ESC, NOW);
	unlink(path);
}

static void test_port_in_use(void **state)
{
	struct epfix *f = *state;
	struct app *a = f->a;
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct stat st;
	char port[16];
	unsigned fx;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	assert_int_equal(fstat(fd, &st), 0);
	f->probe_port = ntohs(sin.sin_port);
	f->probe_inode = (uint32_t)st.st_ino;
	snprintf(port, sizeof(port), "%u", (unsigned)f->probe_port);
	procmap_set_proc(f->pm, 777, "holder", 6, 0);
	procmap_add_owner(f->pm, f->probe_inode, 777, 5);

	/* the menu: a digit opens a form; Esc leaves the menu */
	app_key(a, 'n', NOW);
	app_key(a, KC_ESC, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	app_key(a, 'n', NOW);
	app_key(a, '1', NOW);
	assert_int_equal(a->mode, MODE_FORM);
	/* letters are text in the form, q included */
	app_key(a, KC_DOWN, NOW);
	app_key(a, KC_DOWN, NOW);
	app_key(a, KC_DOWN, NOW);
	assert_int_equal(a->panes.form.focus, FF_PORT);
	app_key(a, KC_CTRL('u'), NOW);
	assert_false(app_key(a, 'q', NOW) & APP_QUIT);
	app_key(a, KC_BACKSPACE, NOW);
	type(a, port);

	/* no probe, not in the table: the error says so and asks a refresh */
	fx = app_key(a, KC_ENTER, NOW);
	assert_true(fx & APP_REFRESH);
	assert_int_equal(a->mode, MODE_FORM);
	assert_non_null(strstr(a->panes.form.err, "is already in use: its holder is not in the table yet"));
	assert_true(a->panes.holder_pending);
	/* the refresh brings it: the error names the process */
	{
		struct snapshot *s = app_spare_snapshot(a);

		fill_basic(s);
		ut_inet(s, SP_TCP, SS_LISTEN, "127.0.0.1", f->probe_port, "0.0.0.0", 0, 77,
			f->probe_inode);
		ut_finish(s, NOW + 1000);
		app_commit_snapshot(a, f->pm, NOW + 1000);
	}
	assert_non_null(strstr(a->panes.form.err, "is already in use: held by holder (pid 777)"));
	assert_false(a->panes.holder_pending);

	/* with a filter hiding it, the probe finds it */
	commit_basic(a, f->pm, NOW + 2000);
	app_set_probe(a, fake_probe, f);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(f->probes, 1);
	assert_non_null(strstr(a->panes.form.err, "held by holder (pid 777)"));
	assert_int_equal(epman_count(f->em), 0);

	/* Esc cancels the form */
	app_key(a, KC_ESC, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	close(fd);
}

/* Issue 12: a filter is applied whole up to the one limit
 * (LINEEDIT_TEXT_MAX); past it the prompt refuses the rest with a message,
 * and Enter does not apply the cut text. */
static void test_filter_limit(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;
	static char text[LINEEDIT_TEXT_MAX + 64];
	size_t n = 0;
	unsigned fx;

	/* 512 bytes ending in "port 2200" (it was applied as "port 220") */
	while (n < 500)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "port 1 or ");
	snprintf(text + n, sizeof(text) - n, "   port 2200");
	assert_int_equal(strlen(text), 512);
	app_key(a, 'f', NOW);
	type(a, text);
	assert_false(a->msg_error);
	fx = app_key(a, KC_ENTER, NOW);
	assert_true(fx & APP_FILTER);
	assert_int_equal(a->prompt, PROMPT_NONE);
	assert_string_equal(a->table.filter_text, text);

	/* past the limit: refused with a message, never applied cut */
	n = 0;
	while (n + 10 <= LINEEDIT_TEXT_MAX)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "port 1 or ");
	snprintf(text + n, sizeof(text) - n, "port 2200");
	assert_true(strlen(text) > LINEEDIT_TEXT_MAX);
	app_key(a, 'f', NOW);
	app_key(a, KC_CTRL('u'), NOW);
	type(a, text);
	assert_int_equal(a->edit.len, LINEEDIT_TEXT_MAX);
	assert_true(a->msg_error);
	assert_non_null(strstr(a->msg, "too long"));
	fx = app_key(a, KC_ENTER, NOW);
	assert_false(fx & APP_FILTER);
	assert_int_equal(a->prompt, PROMPT_FILTER);
	assert_true(a->msg_error);
	assert_non_null(strstr(a->msg, "too long"));
	assert_true(strlen(a->table.filter_text) == 512);
	/* shortened by the user, it applies */
	app_key(a, KC_CTRL('w'), NOW);
	app_key(a, KC_CTRL('w'), NOW);
	app_key(a, KC_CTRL('w'), NOW);
	fx = app_key(a, KC_ENTER, NOW);
	assert_true(fx & APP_FILTER);
	assert_int_equal(a->prompt, PROMPT_NONE);
}

static void test_filter(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;
	unsigned fx;

	app_key(a, 'f', NOW);
	assert_int_equal(a->prompt, PROMPT_FILTER);
	type(a, "tcp and state listen");
	fx = app_key(a, KC_ENTER, NOW);
	assert_true(fx & APP_FILTER);
	assert_int_equal(a->prompt, PROMPT_NONE);
	assert_string_equal(a->table.filter_text, "tcp and state listen");
	assert_int_equal(a->table.nrows, 1);
	assert_true(has_row(a, 1));

	/* a bad expression: message, prompt stays, old filter stays */
	app_key(a, KC_F4, NOW);
	assert_string_equal(a->edit.text, "tcp and state listen");
	app_key(a, KC_CTRL('u'), NOW);
	type(a, "port ) 22");
	fx = app_key(a, KC_ENTER, NOW);
	assert_false(fx & APP_FILTER);
	assert_int_equal(a->prompt, PROMPT_FILTER);
	assert_true(a->msg_error);
	assert_true(a->msg[0] != '\0');
	assert_string_equal(a->table.filter_text, "tcp and state listen");
	assert_int_equal(a->table.nrows, 1);
	/* Esc cancels */
	app_key(a, KC_ESC, NOW);
	assert_int_equal(a->prompt, PROMPT_NONE);

	/* history: Up recalls earlier expressions, the wrong one too */
	app_key(a, 'f', NOW);
	app_key(a, KC_CTRL('u'), NOW);
	type(a, "unix");
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->table.nrows, 3);
	app_key(a, 'f', NOW);
	assert_string_equal(a->edit.text, "unix");
	app_key(a, KC_UP, NOW);
	assert_string_equal(a->edit.text, "unix");
	app_key(a, KC_UP, NOW);
	assert_string_equal(a->edit.text, "port ) 22");
	app_key(a, KC_UP, NOW);
	assert_string_equal(a->edit.text, "tcp and state listen");
	app_key(a, KC_DOWN, NOW);
	assert_string_equal(a->edit.text, "port ) 22");
	app_key(a, KC_CTRL('u'), NOW);
	/* empty clears the filter */
	fx = app_key(a, KC_ENTER, NOW);
	assert_true(fx & APP_FILTER);
	assert_string_equal(a->table.filter_text, "");
	assert_null(a->table.filter);
	assert_int_equal(a->table.nrows, 8);
}

static void test_line_editor(void **state)
{
	struct fixture *f = *state;
	struct app *a = f->a;

	app_key(a, '/', NOW);
	type(a, "ab");
	app_key(a, 0xe9, NOW);   /* é: two bytes */
	app_key(a, 0x4e2d, NOW); /* 中: three bytes */
	assert_string_equal(a->edit.text, "ab\xc3\xa9\xe4\xb8\xad");
	app_key(a, KC_LEFT, NOW);
	assert_int_equal(a->edit.cur, 4);
	app_key(a, KC_BACKSPACE, NOW);
	assert_string_equal(a->edit.text, "ab\xe4\xb8\xad");
	app_key(a, KC_HOME, NOW);
	app_key(a, KC_DELETE, NOW);
	assert_string_equal(a->edit.text, "b\xe4\xb8\xad");
	app_key(a, KC_END, NOW);
	type(a, " cd");
	app_key(a, KC_CTRL('w'), NOW);
	assert_string_equal(a->edit.text, "b\xe4\xb8\xad ");
	/* control characters are not inserted */
	app_key(a, 0x1b, NOW);
	app_key(a, 0x9b, NOW);
	assert_string_equal(a->edit.text, "b\xe4\xb8\xad ");
	app_key(a, KC_ESC, NOW);
}

/* The sort goes through encoded keys: its order must be cell_compare's,
 * for every column, both ways, also where the keys only hold a prefix. */
static void test_sort_matches_compare(void **state)
{
	struct app *a = new_app();
	struct procmap *pm = procmap_new();
	struct snapshot *s = app_spare_snapshot(a);
	const char *names[] = {
		"/run/a", "/run/a\0", "/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
		"/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2", "\0abstract", "", "/run/b",
		"/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
	};
	const size_t lens[] = { 6, 7, 36, 36, 9, 0, 6, 36 };
	uint64_t cookie = 1000;

	(void)state;
	procmap_set_proc(pm, 10, "averyverylongcomm", 16, 0);
	procmap_set_proc(pm, 11, "averyverylongcomz", 16, 0);
	procmap_set_proc(pm, 12, "short", 5, 0);
	procmap_set_proc(pm, 13, "averyverylongcomm", 16, 0);
	for (int i = 0; i < 40; i++) {
		char l[64], r[64];
		struct sock *x;

		snprintf(l, sizeof(l), i % 2 ? "10.0.%d.%d" : "fe80::%x:%x", i % 3, i % 5);
		snprintf(r, sizeof(r), i % 2 ? "10.1.0.%d" : "::%x", i % 4);
		x = ut_inet(s, i % 3 ? SP_TCP : SP_UDP, (unsigned)(1 + i % 11), l,
			    (unsigned)(1000 + i % 7), r, (unsigned)(i % 3 * 80), cookie++,
			    (uint32_t)(5000 + i));
		x->recv_q = (uint32_t)(i % 4);
		x->send_q = (uint32_t)(i % 6);
		x->uid = (uint32_t)(i % 2);
		if (i % 4) {
			x->has |= SOCK_HAS_TCP;
			ut_ext(x)->tcp.rtt_us = (uint32_t)(i % 5 * 100);
			ut_ext(x)->tcp.snd_cwnd = (uint32_t)(i % 3);
			ut_ext(x)->tcp.total_retrans = (uint32_t)(i % 2);
			ut_ext(x)->tcp.bytes_received = (uint64_t)i * 10;
		}
		if (i % 5)
			procmap_add_owner(pm, (uint32_t)(5000 + i), 10 + i % 4, 3);
	}
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct sock *x = ut_unix(s, i % 2 ? SOCK_DGRAM : SOCK_STREAM,
					 i % 2 ? SS_CLOSE : SS_LISTEN, names[i], lens[i],
					 (uint32_t)(7000 + i), i % 3 ? (uint32_t)(7100 + i) : 0);

		if (i % 2)
			procmap_add_owner(pm, x->inode, 11, 4);
	}
	ut_finish(s, NOW);
	app_commit_snapshot(a, pm, NOW);
	/* a second snapshot, so that rates exist */
	s = app_spare_snapshot(a);
	for (size_t i = 0; i < a->table.snaps[1 - a->table.cur].n; i++) {
		struct sock *x = snapshot_add(s);

		*x = a->table.snaps[1 - a->table.cur].socks[i];
		ut_ext(x)->tcp.bytes_received *= 3;
	}
	ut_finish(s, NOW + 1000);
	app_commit_snapshot(a, pm, NOW + 1000);

	for (int c = 0; c < COL_MAX_; c++) {
		for (int rev = 0; rev < 2; rev++) {
			if (a->table.sort_col != (enum col)c)
				app_sort_by(a, (enum col)c);
			if (a->table.sort_reverse != rev)
				app_key(a, 'r', NOW);
			assert_int_equal(a->table.sort_col, c);
			assert_int_equal(a->table.sort_reverse, rev);
			for (size_t i = 1; i < a->table.nrows; i++) {
				const struct table_row *x = &a->table.rows[i - 1], *y = &a->table.rows[i];
				int r = cell_compare((enum col)c, x->s, x->d, y->s, y->d, pm);

				if (rev ? r < 0 : r > 0)
					fail_msg("column %d%s: rows %zu and %zu out of order", c,
						 rev ? " reversed" : "", i - 1, i);
			}
		}
	}
	app_free(a);
	procmap_free(pm);
}

static uint32_t rnd_next(uint32_t *st)
{
	*st = *st * 1103515245u + 12345u;
	return *st >> 8;
}

static void check_sorted(const struct app *a, const struct procmap *pm, size_t want)
{
	assert_int_equal(a->table.nall, want);
	for (size_t i = 1; i < a->table.nall; i++) {
		const struct table_row *x = &a->table.all[i - 1], *y = &a->table.all[i];
		int r = cell_compare(a->table.sort_col, x->s, x->d, y->s, y->d, pm);

		if (a->table.sort_reverse ? r <= 0 : r >= 0)
			fail_msg("column %d%s: rows %zu and %zu out of order", a->table.sort_col,
				 a->table.sort_reverse ? " reversed" : "", i - 1, i);
	}
}

/* Refresh after refresh the sort starts from the previous order: with
 * sockets coming, going and changing their sort value, every refresh must
 * still give exactly the sorted rows. */
static void test_sort_across_refreshes(void **state)
{
	struct app *a = new_app();
	struct procmap *pm = procmap_new();
	uint32_t seed = 12345;
	uint64_t cookie = 1;
	const enum col cols[] = { COL_RECVQ, COL_PROTO, COL_LOCAL, COL_SENDQ };

	(void)state;
	for (int round = 0; round < 60; round++) {
		const struct snapshot *prev = a->table.have_snap ? &a->table.snaps[a->table.cur] : NULL;
		struct snapshot *s;
		size_t kept = 0;
		int moved = round % 3 == 0 ? 300 : 3; /* sometimes many sort values move */
		bool still = round % 10 == 1;         /* and sometimes nothing at all */

		if (round % 15 == 14) {
			app_sort_by(a, cols[(round / 15) % 4]);
			if (round % 2)
				app_key(a, 'r', NOW);
		}
		/* the previous records (the other snapshot: not the spare),
		 * minus a few, some with new queues */
		s = app_spare_snapshot(a);
		for (size_t i = 0; prev && i < prev->n; i++) {
			struct sock *x;

			if (!still && rnd_next(&seed) % 50 == 0)
				continue; /* gone */
			x = snapshot_add(s);
			*x = prev->socks[i];
			if (!still && (int)(rnd_next(&seed) % 500) < moved)
				x->recv_q = rnd_next(&seed) % 20;
			kept++;
		}
		/* and some new ones */
		for (size_t i = 0; !still && kept + i < 500 && i < (round ? 8u : 400u); i++) {
			char l[32];
			struct sock *x;

			snprintf(l, sizeof(l), "127.0.%u.%u", rnd_next(&seed) % 4, rnd_next(&seed) % 9);
			x = ut_inet(s, rnd_next(&seed) % 3 ? SP_TCP : SP_UDP, 1 + rnd_next(&seed) % 10,
				    l, 1000 + rnd_next(&seed) % 50, "127.0.0.1", 80, cookie,
				    (uint32_t)(100000 + cookie));
			cookie++;
			x->recv_q = rnd_next(&seed) % 20;
			x->send_q = rnd_next(&seed) % 7;
		}
		ut_finish(s, NOW + round * 1000);
		app_commit_snapshot(a, pm, NOW + round * 1000);
		check_sorted(a, pm, a->table.snaps[a->table.cur].n + a->table.diffs[a->table.cur].ngone);
		assert_true(a->table.rank_ok[a->table.cur]);
	}
	app_free(a);
	procmap_free(pm);
}

/* Random inet rows, as a bench holds them (the first paint's test). */
static void fill_random(struct snapshot *s, uint32_t *seed, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char l[32];
		struct sock *x;

		snprintf(l, sizeof(l), "127.0.%u.%u", rnd_next(seed) % 4, rnd_next(seed) % 9);
		x = ut_inet(s, rnd_next(seed) % 3 ? SP_TCP : SP_UDP, 1 + rnd_next(seed) % 10, l,
			    1000 + rnd_next(seed) % 50, "127.0.0.1", 80, i + 1, (uint32_t)(1000 + i));
		x->recv_q = rnd_next(seed) % 20;
	}
}

/* The first paint sorts only the rows a first page shows (sort_defer): they
 * must be exactly the first rows of the full sort, among those the toggles
 * let through; app_finish_sort() then orders everything, and the next
 * refresh starts from that order. */
static void test_first_page_sort(void **state)
{
	struct app *a = new_app(), *full = new_app();
	struct procmap *pm = procmap_new();
	uint32_t seed = 777, seed2 = 777;
	size_t sorts;
	const struct snapshot *prev;
	struct snapshot *s;

	(void)state;
	for (int k = 0; k < 2; k++) {
		struct app *x = k ? full : a;

		app_sort_by(x, COL_RECVQ);
		app_key(x, 'u', NOW); /* UDP off: the page is of TCP rows only */
		x->table.page = 30;
	}
	s = app_spare_snapshot(a);
	fill_random(s, &seed, 2000);
	ut_finish(s, NOW);
	a->table.sort_defer = true;
	app_commit_snapshot(a, pm, NOW);
	s = app_spare_snapshot(full);
	fill_random(s, &seed2, 2000);
	ut_finish(s, NOW);
	app_commit_snapshot(full, pm, NOW);

	assert_true(a->table.sort_pending);
	assert_false(a->table.rank_ok[a->table.cur]);
	assert_false(full->table.sort_pending);
	assert_int_equal(a->table.nrows, full->table.nrows);
	assert_true(a->table.nrows > TABLE_FIRST_ROWS);
	for (size_t i = 0; i < TABLE_FIRST_ROWS; i++) {
		assert_int_equal(a->table.rows[i].s->cookie, full->table.rows[i].s->cookie);
		assert_int_equal(a->table.rows[i].s->proto, SP_TCP);
	}
	/* the rest is not in order yet (2000 random rows: some pair is not) */
	{
		bool unordered = false;

		for (size_t i = TABLE_FIRST_ROWS + 1; i < a->table.nrows; i++)
			if (cell_compare(COL_RECVQ, a->table.rows[i - 1].s, a->table.rows[i - 1].d,
					 a->table.rows[i].s, a->table.rows[i].d, pm) > 0)
				unordered = true;
		assert_true(unordered);
	}
	assert_true(app_finish_sort(a));
	assert_false(a->table.sort_pending);
	assert_false(app_finish_sort(a));
	check_sorted(a, pm, full->table.nall);
	assert_true(a->table.rank_ok[a->table.cur]);
	/* a second snapshot: sorted, from the previous order */
	prev = &a->table.snaps[a->table.cur];
	s = app_spare_snapshot(a);
	for (size_t i = 0; i < prev->n; i++) {
		struct sock *x = snapshot_add(s);

		*x = prev->socks[i];
		if (i % 100 == 0)
			x->recv_q = (x->recv_q + (uint32_t)i) % 20; /* a few move */
	}
	ut_finish(s, NOW + 1000);
	sorts = a->table.full_sorts;
	app_commit_snapshot(a, pm, NOW + 1000);
	assert_false(a->table.sort_pending);
	check_sorted(a, pm, full->table.nall);
	/* from the last order (the fingerprints were kept by record, though
	 * the full sort found the rows in the first page's order) */
	assert_int_equal(a->table.full_sorts, sorts);
	app_free(a);
	app_free(full);
	procmap_free(pm);
}

static void test_empty_app(void **state)
{
	struct app *a = new_app();

	(void)state;
	/* keys before any snapshot do not crash */
	assert_null(app_selected(a));
	app_key(a, KC_DOWN, NOW);
	app_key(a, KC_END, NOW);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	app_key(a, 'p', NOW);
	app_key(a, 'r', NOW);
	app_key(a, '/', NOW);
	type(a, "x");
	app_key(a, KC_ESC, NOW);
	assert_int_equal(app_next_change(a, NOW), -1);
	app_free(a);
	app_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_snapshot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toggles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_families_listening, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_letters_are_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctrl_l_refreshes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_navigation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection_by_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection_follows_accept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scope_not_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_details, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_and_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pause_delay_quit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endpoint_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endpoints_flow, ep_setup, ep_teardown),
		cmocka_unit_test_setup_teardown(test_port_in_use, ep_setup, ep_teardown),
		cmocka_unit_test_setup_teardown(test_unix_path_is_a_file, ep_setup, ep_teardown),
		cmocka_unit_test_setup_teardown(test_client_reconnects, ep_setup, ep_teardown),
		cmocka_unit_test_setup_teardown(test_client_target_after_close, ep_setup, ep_teardown),
		cmocka_unit_test_setup_teardown(test_unix_client_no_server, ep_setup, ep_teardown),
		cmocka_unit_test_setup_teardown(test_own_unix_path_not_probed, ep_setup, ep_teardown),
		cmocka_unit_test_setup_teardown(test_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_editor, setup, teardown),
		cmocka_unit_test(test_sort_matches_compare),
		cmocka_unit_test(test_sort_across_refreshes),
		cmocka_unit_test(test_first_page_sort),
		cmocka_unit_test(test_empty_app),
		cmocka_unit_test(test_first_paint_then_procs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
