/* test_summary.c - -s: the counting rules of ss -s (the kernel's
 * definitions) on a fake snapshot, and the three formats. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "summary.h"
#include "uitest.h"

struct fx {
	struct snapshot snap;
	const struct sock *rows[32];
	size_t n;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct snapshot *s = &f->snap;
	struct sock *r;

	snapshot_init(s);
	ut_inet(s, SP_TCP, SS_LISTEN, "0.0.0.0", 22, "0.0.0.0", 0, 1, 11);
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 22, "127.0.0.1", 5000, 2, 12);
	ut_inet(s, SP_TCP, SS_CLOSE_WAIT, "::1", 80, "::1", 5001, 3, 13);
	ut_inet(s, SP_TCP, SS_TIME_WAIT, "127.0.0.1", 22, "127.0.0.1", 5002, 4, 0);
	ut_inet(s, SP_TCP, SS_TIME_WAIT, "::1", 22, "::1", 5003, 5, 0);
	ut_inet(s, SP_TCP, SS_NEW_SYN_RECV, "127.0.0.1", 22, "127.0.0.1", 5004, 6, 0);
	/* closing, no file: orphaned */
	ut_inet(s, SP_TCP, SS_FIN_WAIT1, "127.0.0.1", 22, "127.0.0.1", 5005, 7, 0);
	ut_inet(s, SP_TCP, SS_LAST_ACK, "127.0.0.1", 22, "127.0.0.1", 5006, 8, 0);
	/* closing, still held: not orphaned */
	ut_inet(s, SP_TCP, SS_FIN_WAIT2, "127.0.0.1", 22, "127.0.0.1", 5007, 9, 19);
	ut_inet(s, SP_TCP, SS_CLOSE, "0.0.0.0", 0, "0.0.0.0", 0, 10, 20);
	/* waiting for accept(): inode 0 but not orphaned */
	r = ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 22, "127.0.0.1", 5008, 11, 0);
	r->listener_inode = 11;
	ut_inet(s, SP_UDP, SS_CLOSE, "0.0.0.0", 53, "0.0.0.0", 0, 20, 30);
	ut_inet(s, SP_UDP, SS_CLOSE, "::", 53, "::", 0, 21, 31);
	ut_inet(s, SP_UDP, SS_ESTABLISHED, "::1", 4000, "::1", 4001, 22, 32);
	ut_unix(s, SOCK_STREAM, SS_LISTEN, "/run/a", 6, 40, 0);
	ut_unix(s, SOCK_STREAM, SS_ESTABLISHED, "", 0, 41, 42);
	ut_finish(s, 0);
	s->status[SP_RAW] = SNAP_UNAVAILABLE;
	for (size_t i = 0; i < s->n; i++)
		f->rows[f->n++] = &s->socks[i];
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

static void test_counts(void **state)
{
	struct fx *f = *state;
	struct summary sm;

	summary_count(&sm, f->rows, f->n, &f->snap);
	/* TCP: every one, TIME-WAIT included (as ss's TCP line) */
	assert_int_equal(sm.tcp_total, 11);
	/* estab: ESTAB and CLOSE-WAIT (the kernel's CurrEstab) */
	assert_int_equal(sm.tcp_estab, 3);
	assert_int_equal(sm.tcp_timewait, 2);
	assert_int_equal(sm.tcp_synrecv, 1);
	assert_int_equal(sm.tcp_closed, 1);
	assert_int_equal(sm.tcp_orphaned, 2);
	/* in use: no TIME-WAIT, no SYN-RECV */
	assert_int_equal(sm.kind[SP_TCP][0], 8);
	assert_int_equal(sm.kind[SP_TCP][1], 7);
	assert_int_equal(sm.kind[SP_TCP][2], 1);
	assert_int_equal(sm.kind[SP_UDP][0], 3);
	assert_int_equal(sm.kind[SP_UDP][1], 1);
	assert_int_equal(sm.kind[SP_UDP][2], 2);
	assert_int_equal(sm.kind[SP_UNIX][0], 2);
	/* the total leaves TIME-WAIT and SYN-RECV out */
	assert_int_equal(sm.total, 13);
	assert_int_equal(sm.status[SP_RAW], SNAP_UNAVAILABLE);
}

static void test_formats(void **state)
{
	struct fx *f = *state;
	struct summary sm;
	struct buf b = BUF_INIT;

	summary_count(&sm, f->rows, f->n, &f->snap);
	summary_format(&b, &sm, FMT_TABLE);
	assert_non_null(strstr(b.data, "Total: 13 ("));
	assert_non_null(strstr(b.data, "TIME-WAIT"));
	assert_non_null(strstr(b.data, "TCP:   11 (estab 3, closed 1, orphaned 2, timewait 2)"));
	assert_non_null(strstr(b.data, "ESTAB and CLOSE-WAIT"));
	assert_non_null(strstr(b.data, "Transport Total     IP        IPv6\n"));
	assert_non_null(strstr(b.data, "TCP       8         7         1\n"));
	assert_non_null(strstr(b.data, "UDP       3         1         2\n"));
	assert_non_null(strstr(b.data, "INET      11        8         3\n"));
	assert_non_null(strstr(b.data, "RAW       -"));
	assert_non_null(strstr(b.data, "not supported by this kernel"));
	assert_non_null(strstr(b.data, "UNIX      2 "));
	buf_reset(&b);
	summary_format(&b, &sm, FMT_JSON);
	buf_putc(&b, '\0');
	assert_non_null(strstr(b.data, "{\"total\": 13,"));
	assert_non_null(strstr(b.data, "\"tcp\": {\"total\": 11, \"estab\": 3, \"closed\": 1, "
				       "\"orphaned\": 2, \"timewait\": 2, \"synrecv\": 1}"));
	assert_non_null(strstr(b.data, "{\"proto\": \"tcp\", \"total\": 8, \"inet\": 7, \"inet6\": 1"));
	assert_non_null(strstr(b.data, "{\"proto\": \"raw\", \"total\": null, \"available\": false}"));
	assert_non_null(strstr(b.data, "\"definitions\""));
	buf_reset(&b);
	summary_format(&b, &sm, FMT_CSV);
	buf_putc(&b, '\0');
	assert_non_null(strstr(b.data, "kind,total,inet,inet6\n"));
	assert_non_null(strstr(b.data, "tcp-estab,3,,\n"));
	assert_non_null(strstr(b.data, "tcp,8,7,1\n"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_formats, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
