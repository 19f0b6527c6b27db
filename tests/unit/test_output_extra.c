/* test_output_extra.c - -e -i -m -o in the table, CSV and JSON; -H; the
 * ss -o timer format. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cell.h"
#include "options.h"
#include "output.h"
#include "output_extra.h"
#include "uitest.h"
#include "utext.h"

static void assert_has(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

struct fx {
	struct snapshot snap;
	const struct sock *rows[4];
	size_t n;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sock *r;

	snapshot_init(&f->snap);
	r = ut_inet(&f->snap, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 22, "127.0.0.1", 5000, 77, 1001);
	r->has |= SOCK_HAS_TCP | SOCK_HAS_CONG | SOCK_HAS_MEM;
	ut_ext(r)->tcp.rtt_us = 1500;
	ut_ext(r)->tcp.rttvar_us = 750;
	ut_ext(r)->tcp.snd_cwnd = 10;
	ut_ext(r)->tcp.retrans = 1;
	ut_ext(r)->tcp.total_retrans = 4;
	memcpy(ut_ext(r)->cong, "cu,b\x1b", 6);
	ut_ext(r)->rmem_alloc = 1;
	ut_ext(r)->rcvbuf = 2;
	ut_ext(r)->wmem_alloc = 3;
	ut_ext(r)->sndbuf = 4;
	ut_ext(r)->fwd_alloc = 5;
	ut_ext(r)->wmem_queued = 6;
	ut_ext(r)->optmem = 7;
	ut_ext(r)->backlog = 8;
	ut_ext(r)->drops = 9;
	r->timer = 2;
	r->expires_ms = 119 * 60000 + 5000;
	r->retrans = 0;
	ut_unix(&f->snap, SOCK_STREAM, SS_LISTEN, "/run/a", 6, 1002, 0);
	ut_finish(&f->snap, 0);
	for (size_t i = 0; i < f->snap.n; i++)
		f->rows[f->n++] = &f->snap.socks[i];
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	snapshot_free(&f->snap);
	free(f);
	return 0;
}

static char *render(struct fx *f, enum out_format fmt, unsigned extra, bool no_header)
{
	struct buf b = BUF_INIT;
	struct output_ctx ctx = { .format = fmt, .cs = ESC_UTF8, .xcols = extra, .no_header = no_header };

	output_format(&b, &ctx, f->rows, f->n);
	return buf_steal(&b);
}

static void test_table(void **state)
{
	unsigned all = OPT_X_EXTENDED | OPT_X_INFO | OPT_X_MEMORY | OPT_X_TIMERS;
	char *t = render(*state, FMT_TABLE, all, false);

	assert_has(t, "Peer Address:Port Timer");
	assert_has(t, "UID Inode Cookie Skmem");
	assert_has(t, "RTT/var(ms) Cwnd");
	assert_has(t, "(keepalive,119min,0)");
	assert_has(t, " 1000 ");   /* uid */
	assert_has(t, " 1001 ");   /* inode */
	assert_has(t, " 77 ");     /* cookie */
	assert_has(t, "(r1,rb2,t3,tb4,f5,w6,o7,bl8,d9)");
	assert_has(t, "cu,b\\x1b");
	assert_has(t, "1.500/0.750");
	assert_has(t, "1/4");
	assert_null(strchr(t, '\x1b'));
	free(t);
	/* -H: no heading line */
	t = render(*state, FMT_TABLE, 0, true);
	assert_null(strstr(t, "Netid"));
	assert_int_equal(strncmp(t, "tcp ", 4), 0);
	free(t);
	/* without extras, as before */
	t = render(*state, FMT_TABLE, 0, false);
	assert_null(strstr(t, "Timer"));
	assert_null(strstr(t, "Skmem"));
	free(t);
}

static void test_csv(void **state)
{
	char *c = render(*state, FMT_CSV, OPT_X_INFO | OPT_X_MEMORY | OPT_X_TIMERS, false);

	assert_has(c, ",owners,cookie,listener_inode,rtt_us,rttvar_us,cwnd,");
	assert_has(c, ",congestion,rmem_alloc,rcvbuf,wmem_alloc,sndbuf,fwd_alloc,wmem_queued,"
		      "optmem,backlog,drops,timer,timer_expires_ms,timer_retrans\n");
	assert_has(c, ",77,,1500,750,10,");
	assert_has(c, "\"cu,b\\x1b\",1,2,3,4,5,6,7,8,9,keepalive,7145000,0\n");
	/* the Unix socket: no tcp_info, memory or timer: empty fields */
	assert_has(c, ",1002,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n");
	free(c);
	c = render(*state, FMT_CSV, 0, true);
	assert_null(strstr(c, "proto,"));
	free(c);
}

static void test_json(void **state)
{
	char *j = render(*state, FMT_JSON, OPT_X_MEMORY | OPT_X_TIMERS, false);

	assert_has(j, "\"memory\": {\"rmem_alloc\": 1, \"rcvbuf\": 2, \"wmem_alloc\": 3, "
		      "\"sndbuf\": 4, \"fwd_alloc\": 5, \"wmem_queued\": 6, \"optmem\": 7, "
		      "\"backlog\": 8, \"drops\": 9}");
	assert_has(j, "\"timer\": {\"name\": \"keepalive\", \"expires_ms\": 7145000, \"retrans\": 0}");
	free(j);
	/* without -m/-o: the keys of before only */
	j = render(*state, FMT_JSON, 0, false);
	assert_null(strstr(j, "\"memory\""));
	assert_null(strstr(j, "\"timer\""));
	free(j);
}

static void test_ms_timer(void **state)
{
	static const struct {
		uint32_t ms;
		const char *want;
	} cases[] = {
		{ 0, "" },
		{ 200, "200ms" },
		{ 1500, "1.500sec" },
		{ 12000, "12sec" },
		{ 12345, "12sec" },
		{ 65000, "1min5sec" },
		{ 600000, "10min" },
		{ 7145000, "119min" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;

		output_ms_timer(&b, cases[i].ms);
		assert_string_equal(b.data ? b.data : "", cases[i].want);
		buf_free(&b);
	}
	assert_string_equal(output_timer_name(4), "persist");
	assert_string_equal(output_timer_name(99), "unknown");
}

/* The live view's columns for -e, -m and -o show the same as the batch
 * table, and sort as they read. */
static void test_live_columns(void **state)
{
	struct fx *f = *state;
	struct cell_ctx ctx = { NULL, ESC_UTF8, NULL };
	struct buf b = BUF_INIT;
	uint64_t w1[3], w2[3];

	cell_format(&b, COL_COOKIE, f->rows[0], NULL, &ctx);
	assert_string_equal(b.data, "77");
	buf_reset(&b);
	cell_format(&b, COL_SKMEM, f->rows[0], NULL, &ctx);
	assert_string_equal(b.data, "(r1,rb2,t3,tb4,f5,w6,o7,bl8,d9)");
	buf_reset(&b);
	cell_format(&b, COL_TIMER, f->rows[0], NULL, &ctx);
	assert_string_equal(b.data, "(keepalive,119min,0)");
	buf_reset(&b);
	cell_format(&b, COL_TIMER, f->rows[1], NULL, &ctx);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	assert_true(cell_cols_needing_meminfo() & COL_BIT(COL_SKMEM));
	assert_true(cell_col(COL_TIMER)->optional);
	for (int c = COL_COOKIE; c <= COL_TIMER; c++) {
		cell_sortkey((enum col)c, f->rows[0], NULL, NULL, NULL, w1);
		cell_sortkey((enum col)c, f->rows[1], NULL, NULL, NULL, w2);
		assert_int_equal(cell_compare((enum col)c, f->rows[1], NULL, f->rows[0], NULL, NULL) < 0,
				 w2[0] < w1[0]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test(test_ms_timer),
		cmocka_unit_test_setup_teardown(test_live_columns, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
