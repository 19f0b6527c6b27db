/* test_history.c - the per-socket sample rings: slots, rates, counter
 * wraps and resets, sockets that go and come back, the bound. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "history.h"
#include "utext.h"

static struct sock tcp_sock(uint64_t cookie, uint64_t rx, uint64_t tx)
{
	struct sock s;

	memset(&s, 0, sizeof(s));
	s.proto = s.key.proto = SP_TCP;
	s.family = s.key.family = 2;
	s.cookie = s.key.cookie = cookie;
	s.state = SS_ESTABLISHED;
	s.has = SOCK_HAS_TCP | SOCK_HAS_QUEUE;
	ut_ext(&s)->tcp.bytes_received = rx;
	ut_ext(&s)->tcp.bytes_acked = tx;
	ut_ext(&s)->tcp.rtt_us = 100;
	ut_ext(&s)->tcp.snd_cwnd = 10;
	ut_ext(&s)->tcp.snd_wnd = 65536;
	return s;
}

static void round_of(struct history *h, int64_t now, const struct sock *s, size_t n)
{
	history_begin(h, now);
	for (size_t i = 0; i < n; i++)
		history_update(h, &s[i]);
	history_end(h);
}

/* Within 7% (the codes' step). */
static void assert_about(double got, double want)
{
	if (!(fabs(got - want) <= want * 0.07 + 1)) {
		fail_msg("%g is not about %g", got, want);
	}
}

static void test_codes(void **state)
{
	(void)state;
	for (uint64_t v = 0; v < 16; v++)
		assert_true(hist_decode(hist_code(v)) == (double)v);
	for (uint64_t v = 16; v < (1ull << 33); v = v * 5 / 4 + 3)
		assert_about(hist_decode(hist_code(v)), (double)v);
	assert_true(hist_code(UINT64_MAX) == 254);
	assert_true(isnan(hist_decode(HIST_NONE)));
	/* monotonic */
	for (uint64_t v = 1; v < 100000; v++)
		assert_true(hist_code(v) >= hist_code(v - 1));
}

static void test_rates_and_slots(void **state)
{
	struct history *h = history_new();
	struct sock s = tcp_sock(7, 0, 0);
	const struct hist_entry *e;
	double v[HIST_SLOTS];
	size_t n;

	(void)state;
	/* 1 MB/s received, 2 KB/s sent, one reading a second for 12 s */
	for (int t = 0; t <= 12; t++) {
		ut_ext(&s)->tcp.bytes_received = (uint64_t)t * 1000000;
		ut_ext(&s)->tcp.bytes_acked = (uint64_t)t * 2000;
		round_of(h, 1000 + t * 1000, &s, 1);
	}
	e = history_find(h, &s.key);
	assert_non_null(e);
	/* slots opened at 0, 5, 10 s */
	assert_int_equal(e->count, 3);
	n = hist_series(e, HS_RX, v, HIST_SLOTS);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_about(v[i], 1e6);
	assert_about(hist_last(e, HS_TX), 2000);
	assert_about(hist_last(e, HS_RTT), 100);
	assert_true(hist_last(e, HS_CWND) == 10);
	/* a window of n: the newest n */
	assert_int_equal(hist_series(e, HS_RX, v, 2), 2);
	history_free(h);
}

static void test_bounded(void **state)
{
	struct history *h = history_new();
	struct sock s = tcp_sock(9, 0, 0);
	const struct hist_entry *e;
	double v[HIST_SLOTS];

	(void)state;
	for (int t = 0; t < 3 * HIST_SLOTS; t++) {
		/* slot t sends t KB/s */
		ut_ext(&s)->tcp.bytes_acked += (uint64_t)t * 1000 * (HIST_SLOT_MS / 1000);
		round_of(h, (int64_t)t * HIST_SLOT_MS, &s, 1);
	}
	e = history_find(h, &s.key);
	assert_int_equal(e->count, HIST_SLOTS);
	assert_int_equal(hist_series(e, HS_TX, v, HIST_SLOTS), HIST_SLOTS);
	/* oldest first, and only the last HIST_SLOTS slots are kept */
	for (size_t i = 1; i < HIST_SLOTS; i++)
		assert_true(v[i] >= v[i - 1]);
	assert_true(v[0] > 1000.0 * (2 * HIST_SLOTS - 5));
	assert_int_equal(history_entry_bytes(), sizeof(struct hist_entry));
	assert_true(history_entry_bytes() <= 560);
	history_free(h);
}

static void test_wrap(void **state)
{
	struct history *h = history_new();
	struct sock s = tcp_sock(11, UINT64_MAX - 500, UINT64_MAX - 1000);
	const struct hist_entry *e;

	(void)state;
	round_of(h, 0, &s, 1);
	/* the counters pass UINT64_MAX: 1000 and 2000 bytes in one second */
	ut_ext(&s)->tcp.bytes_received = 499;
	ut_ext(&s)->tcp.bytes_acked = 999;
	round_of(h, 1000, &s, 1);
	e = history_find(h, &s.key);
	assert_about(hist_last(e, HS_RX), 1000);
	assert_about(hist_last(e, HS_TX), 2000);
	history_free(h);
}

static void test_reset_and_reappear(void **state)
{
	struct history *h = history_new();
	struct sock s = tcp_sock(13, 5000000, 0), other = tcp_sock(14, 0, 0);
	const struct hist_entry *e;

	(void)state;
	round_of(h, 0, &s, 1);
	/* the counter went back (a different socket behind the key): no rate,
	 * never a huge one */
	ut_ext(&s)->tcp.bytes_received = 10;
	round_of(h, 1000, &s, 1);
	e = history_find(h, &s.key);
	assert_true(isnan(hist_last(e, HS_RX)));
	/* and counting goes on from there */
	ut_ext(&s)->tcp.bytes_received = 10 + 3000;
	round_of(h, 2000, &s, 1);
	e = history_find(h, &s.key);
	assert_about(hist_last(e, HS_RX), 1500);

	/* gone for a round: dropped */
	round_of(h, 3000, &other, 1);
	assert_null(history_find(h, &s.key));
	assert_int_equal(history_count(h), 1);
	/* back: a fresh entry, no rate from the old counters */
	ut_ext(&s)->tcp.bytes_received = 9000000;
	{
		struct sock both[2] = { s, other };

		round_of(h, 4000, both, 2);
	}
	e = history_find(h, &s.key);
	assert_non_null(e);
	assert_int_equal(e->count, 1);
	assert_true(isnan(hist_last(e, HS_RX)));
	history_free(h);
}

static void test_state_age_and_drops(void **state)
{
	struct history *h = history_new();
	struct sock s = tcp_sock(21, 0, 0), u;
	const struct hist_entry *e;

	(void)state;
	round_of(h, 0, &s, 1);
	s.state = SS_CLOSE_WAIT;
	round_of(h, 2000, &s, 1);
	round_of(h, 9000, &s, 1);
	e = history_find(h, &s.key);
	assert_int_equal(history_state_age(h, e), 7000);

	memset(&u, 0, sizeof(u));
	u.proto = u.key.proto = SP_UDP;
	u.key.cookie = 22;
	u.has = SOCK_HAS_DROPS | SOCK_HAS_QUEUE;
	ut_ext(&u)->drops = 100;
	round_of(h, 10000, &u, 1);
	ut_ext(&u)->drops = 130;
	u.recv_q = 4096;
	round_of(h, 11000, &u, 1);
	e = history_find(h, &u.key);
	assert_about(hist_last(e, HS_LOSS), 30);
	assert_about(hist_last(e, HS_RECVQ), 4096);
	history_free(h);
}

static void test_many(void **state)
{
	struct history *h = history_new();
	struct sock *s = calloc(5000, sizeof(*s));

	(void)state;
	for (int i = 0; i < 5000; i++)
		s[i] = tcp_sock((uint64_t)i + 1, 0, 0);
	round_of(h, 0, s, 5000);
	assert_int_equal(history_count(h), 5000);
	/* every other one goes */
	for (int i = 0; i < 2500; i++)
		s[i] = s[2 * i];
	round_of(h, 1000, s, 2500);
	assert_int_equal(history_count(h), 2500);
	for (int i = 0; i < 2500; i++)
		assert_non_null(history_find(h, &s[i].key));
	/* a duplicate in one round counts once */
	history_begin(h, 2000);
	history_update(h, &s[0]);
	history_update(h, &s[0]);
	history_end(h);
	assert_int_equal(history_count(h), 1);
	history_clear(h);
	assert_int_equal(history_count(h), 0);
	assert_null(history_find(h, &s[0].key));
	free(s);
	history_free(h);
}


/* A reference model of the slots: what each closed and the open slot
 * should read back, kept by the test as a plain array. */
static void test_encoding_round_trip(void **state)
{
	struct history *h = history_new();
	struct sock s = tcp_sock(31, 0, 0);
	uint8_t want[3 * HIST_SLOTS][HS_MAX_];
	size_t nw = 0;
	double v[HIST_SLOTS];

	(void)state;
	/* 3 * HIST_SLOTS slots: idle stretches, changes, idle again */
	for (int k = 0; k < 3 * HIST_SLOTS; k++) {
		const struct hist_entry *e;
		bool moving = (k >= 10 && k < 20) || k == 90 || (k >= 100 && k < 103);

		ut_ext(&s)->tcp.rtt_us = moving ? 100 + (uint32_t)k * 37 : 100;
		s.send_q = moving ? (uint32_t)k * 1000 : 0;
		history_begin(h, (int64_t)k * HIST_SLOT_MS);
		e = history_update(h, &s);
		history_end(h);
		memcpy(want[nw++], e->cur, HS_MAX_);
		/* what every slot reads back is the reading that closed it
		 * (the first one is overwritten by the second), the open one
		 * the last reading */
		{
			size_t n = hist_series(e, HS_RTT, v, HIST_SLOTS), first = nw - n;
			double q[HIST_SLOTS];

			assert_int_equal(n, e->count);
			assert_int_equal(hist_series(e, HS_SENDQ, q, HIST_SLOTS), n);
			for (size_t i = 0; i < n; i++) {
				size_t w = first + i + 1 < nw ? first + i + 1 : nw - 1;

				assert_true(v[i] == hist_decode(want[w][HS_RTT]));
				assert_true(q[i] == hist_decode(want[w][HS_SENDQ]));
			}
		}
		/* a ring from the first change on; idle again for a whole
		 * ring (the closed slots r20..r78 alike): given back */
		if (k == 9)
			assert_int_equal(history_rings(h), 0);
		if (k == 11 || k == 77 || k == 90 || k == 160)
			assert_int_equal(history_rings(h), 1);
		if (k == 78 || k == 89 || k == 161 || k == 3 * HIST_SLOTS - 1)
			assert_int_equal(history_rings(h), 0);
	}
	history_free(h);
}

static void test_idle_costs_no_ring(void **state)
{
	struct history *h = history_new();
	struct sock *s = calloc(1000, sizeof(*s));
	size_t idle;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		s[i] = tcp_sock((uint64_t)i + 1, 0, 0);
		if (i % 2) {
			/* other kinds keep the queues and drops only */
			s[i].proto = s[i].key.proto = SP_UNIX;
			s[i].has = SOCK_HAS_QUEUE;
		}
	}
	for (int k = 0; k < HIST_SLOTS + 5; k++)
		round_of(h, (int64_t)k * HIST_SLOT_MS, s, 1000);
	assert_int_equal(history_rings(h), 0);
	idle = history_bytes(h);
	/* an entry each, chunks and index: no ring */
	assert_true(idle <= 1000 * history_entry_bytes() + 1024 * history_entry_bytes() + 64 * 1024);
	/* all moving: a ring each, the bound per socket */
	for (int k = 0; k < HIST_SLOTS + 5; k++) {
		for (int i = 0; i < 1000; i++) {
			s[i].send_q = (uint32_t)(k * 7 + i) % 5000;
			ut_ext(&s[i])->tcp.bytes_acked += (uint64_t)(k % 3) * 100000;
		}
		round_of(h, (int64_t)(HIST_SLOTS + 5 + k) * HIST_SLOT_MS, s, 1000);
	}
	assert_int_equal(history_rings(h), 1000);
	assert_true(history_bytes(h) <= idle + 500 * history_ring_bytes(true) +
						 500 * history_ring_bytes(false) +
						 2 * 256 * history_ring_bytes(true));
	assert_true(history_entry_bytes() + history_ring_bytes(true) <= 600);
	/* and a Unix entry reads back its queues, nothing else */
	{
		const struct hist_entry *e = history_find(h, &s[1].key);
		double v[HIST_SLOTS];

		assert_non_null(e);
		assert_int_equal(hist_series(e, HS_SENDQ, v, HIST_SLOTS), HIST_SLOTS);
		assert_about(v[HIST_SLOTS - 1], (double)s[1].send_q);
		assert_true(isnan(hist_last(e, HS_RTT)));
	}
	free(s);
	history_free(h);
}

/* Sockets come and go at random; the index and the references must keep
 * finding the right entry (an entry freed and reused by another socket
 * is never taken for the old one). */
static void test_churn_and_refs(void **state)
{
	struct history *h = history_new();
	enum { N = 3000 };
	struct sock *s = calloc(N, sizeof(*s));
	uint32_t *ref = calloc(N, sizeof(*ref));
	bool *in = calloc(N, sizeof(*in));
	uint32_t seed = 12345;

	(void)state;
	for (int i = 0; i < N; i++) {
		s[i] = tcp_sock((uint64_t)i + 1, 0, 0);
		s[i].send_q = (uint32_t)i; /* tells them apart when read back */
		ref[i] = HIST_NO_REF;
	}
	for (int k = 0; k < 40; k++) {
		size_t n = 0;

		history_begin(h, (int64_t)k * 1000);
		for (int i = 0; i < N; i++) {
			seed = seed * 1103515245u + 12345u;
			/* a few rounds drop most (a filter change), the
			 * others a few */
			in[i] = (seed >> 16) % 100 >= (k % 10 == 9 ? 80u : 10u);
			if (!in[i])
				continue;
			/* a stale reference: every fifth one points elsewhere */
			if (i % 5 == 0 && ref[i] != HIST_NO_REF)
				ref[(i + 1) % N] = ref[i];
			assert_true(history_update_ref(h, &s[i], &ref[i])->key.cookie == s[i].key.cookie);
			n++;
		}
		history_end(h);
		assert_int_equal(history_count(h), n);
		for (int i = 0; i < N; i++) {
			const struct hist_entry *e = history_find(h, &s[i].key);

			if (!in[i]) {
				assert_null(e);
				continue;
			}
			assert_non_null(e);
			assert_true(sock_key_equal(&e->key, &s[i].key));
			assert_about(hist_last(e, HS_SENDQ), (double)i);
		}
	}
	free(in);
	free(ref);
	free(s);
	history_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_rates_and_slots),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_reset_and_reappear),
		cmocka_unit_test(test_state_age_and_drops),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_encoding_round_trip),
		cmocka_unit_test(test_idle_costs_no_ring),
		cmocka_unit_test(test_churn_and_refs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
