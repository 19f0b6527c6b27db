/* test_explain.c - the queues and timers in words (explain.c), and the
 * one line under the table. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "explain.h"
#include "snapshot.h"
#include "uitest.h"

static struct snapshot snap;

static struct buf b;

static const char *line_of(const struct sock *s, void (*fn)(const struct sock *, struct buf *))
{
	buf_reset(&b);
	fn(s, &b);
	buf_putc(&b, '\0');
	return b.data;
}

static void test_listen(void **state)
{
	struct sock *s = ut_inet(&snap, SP_TCP, SS_LISTEN, "127.0.0.1", 80, "0.0.0.0", 0, 1, 1);

	(void)state;
	s->recv_q = 0;
	s->send_q = 128;
	assert_non_null(strstr(line_of(s, explain_queues), "no connection waits for accept() (backlog 128)"));
	s->recv_q = 3;
	assert_non_null(strstr(line_of(s, explain_queues), "3 connections wait"));
	/* Linux admits backlog + 1: over the backlog is full */
	s->recv_q = 2;
	s->send_q = 1;
	assert_non_null(strstr(line_of(s, explain_queues), "accept queue full"));
	assert_non_null(strstr(line_of(s, explain_line), "LISTEN: waiting for incoming"));
}

static void test_established(void **state)
{
	struct sock *s = ut_inet(&snap, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 80, "127.0.0.1", 9, 2, 2);

	(void)state;
	assert_non_null(strstr(line_of(s, explain_queues), "queues empty"));
	s->recv_q = 3072;
	s->send_q = 4096;
	assert_non_null(strstr(line_of(s, explain_queues), "3072 bytes arrived that the program "
							    "has not read yet; 4096 bytes sent"));
	/* the persist timer of a zero window */
	s->timer = 4;
	assert_non_null(strstr(line_of(s, explain_timer), "persist timer: the peer's window is 0"));
	assert_non_null(strstr(line_of(s, explain_line), "; persist timer"));
	s->timer = 0;
	assert_string_equal(line_of(s, explain_timer), "");
	assert_null(strstr(line_of(s, explain_line), "timer"));
}

static void test_others(void **state)
{
	/* each used before the next is added (snapshot_add may move them) */
	struct sock *tw = ut_inet(&snap, SP_TCP, SS_TIME_WAIT, "127.0.0.1", 80, "127.0.0.1", 9, 3, 0);
	struct sock *syn, *u;

	(void)state;
	tw->timer = 3;
	assert_non_null(strstr(line_of(tw, explain_queues), "no queues"));
	assert_non_null(strstr(line_of(tw, explain_timer), "TIME-WAIT timer"));
	syn = ut_inet(&snap, SP_TCP, SS_SYN_SENT, "127.0.0.1", 9, "127.0.0.1", 80, 4, 4);
	syn->timer = 1;
	assert_non_null(strstr(line_of(syn, explain_timer), "the SYN got no answer"));
	u = ut_unix(&snap, SOCK_DGRAM, SS_CLOSE, "/dev/log", 8, 5, 0);
	u->recv_q = 10;
	u->timer = 1; /* Unix sockets have no timers, whatever the field says */
	assert_non_null(strstr(line_of(u, explain_queues), "10 bytes of datagrams"));
	assert_string_equal(line_of(u, explain_timer), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen),
		cmocka_unit_test(test_established),
		cmocka_unit_test(test_others),
	};
	int r;

	snapshot_init(&snap);
	r = cmocka_run_group_tests(tests, NULL, NULL);
	snapshot_free(&snap);
	buf_free(&b);
	return r;
}
