/* test_diagnose.c - every diagnosis rule fires on its sample series and
 * not on the others; no rule fires on a healthy socket. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "diagnose.h"
#include "utext.h"

static struct sock mk(unsigned proto, unsigned state, uint64_t cookie)
{
	struct sock s;

	memset(&s, 0, sizeof(s));
	s.proto = s.key.proto = (uint8_t)proto;
	s.family = s.key.family = proto == SP_UNIX ? 1 : 2;
	s.cookie = s.key.cookie = cookie;
	s.state = (uint8_t)state;
	s.inode = 1000 + (uint32_t)cookie;
	s.has = SOCK_HAS_QUEUE;
	if (proto == SP_TCP && state != SS_LISTEN && state != SS_TIME_WAIT) {
		s.has |= SOCK_HAS_TCP;
		ut_ext(&s)->tcp.info_len = 240;
		ut_ext(&s)->tcp.snd_wnd = 65535;
		ut_ext(&s)->tcp.snd_cwnd = 10;
		ut_ext(&s)->tcp.rtt_us = 50;
	}
	return s;
}

/* Feeds series of readings one second apart (n readings, each through
 * step(s, i)) and returns the diagnosis of the last one. */
struct run {
	struct history *h;
	struct diag_in in;
	const struct hist_entry *e;
};

static enum diag_rule run(struct run *r, struct sock *s, int n, void (*step)(struct sock *, int))
{
	for (int i = 0; i < n; i++) {
		if (step)
			step(s, i);
		history_begin(r->h, (int64_t)i * 1000);
		history_update(r->h, s);
		history_end(r->h);
	}
	r->e = history_find(r->h, &s->key);
	r->in.s = s;
	r->in.h = r->e;
	r->in.state_age_ms = history_state_age(r->h, r->e);
	return diagnose(&r->in);
}

static int setup(void **state)
{
	struct run *r = calloc(1, sizeof(*r));

	r->h = history_new();
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	struct run *r = *state;

	history_free(r->h);
	free(r);
	return 0;
}

/* ---- healthy ---- */

static void bulk(struct sock *s, int i)
{
	/* a busy, healthy transfer: bytes move, queues come and go */
	ut_ext(s)->tcp.bytes_acked = (uint64_t)i * 1000000;
	ut_ext(s)->tcp.bytes_received = (uint64_t)i * 1000;
	s->send_q = (uint32_t)(i % 3) * 40000;
	s->timer = 1; /* the retransmit timer is armed while data is in flight */
}

static void test_healthy(void **state)
{
	struct run *r = *state;
	struct sock tcp = mk(SP_TCP, SS_ESTABLISHED, 1), lis = mk(SP_TCP, SS_LISTEN, 2);
	struct sock udp = mk(SP_UDP, SS_CLOSE, 3), ux = mk(SP_UNIX, SS_LISTEN, 4);
	struct sock tw = mk(SP_TCP, SS_TIME_WAIT, 5), syn = mk(SP_TCP, SS_SYN_SENT, 6);
	struct sock cw = mk(SP_TCP, SS_CLOSE_WAIT, 7), fin = mk(SP_TCP, SS_FIN_WAIT2, 8);

	assert_int_equal(run(r, &tcp, 30, bulk), DR_NONE);
	lis.send_q = 128;
	lis.recv_q = 3;
	assert_int_equal(run(r, &lis, 3, NULL), DR_NONE);
	udp.has |= SOCK_HAS_DROPS;
	ut_ext(&udp)->drops = 5; /* old drops, none new */
	udp.recv_q = 512;
	assert_int_equal(run(r, &udp, 20, NULL), DR_NONE);
	ux.send_q = 16;
	ux.recv_q = 2;
	assert_int_equal(run(r, &ux, 3, NULL), DR_NONE);
	r->in.tw_to_peer = 3;
	assert_int_equal(run(r, &tw, 3, NULL), DR_NONE);
	r->in.tw_to_peer = 0;
	/* a connect() just started, nothing retried yet */
	assert_int_equal(run(r, &syn, 2, NULL), DR_NONE);
	/* CLOSE-WAIT for a moment is how every close begins */
	assert_int_equal(run(r, &cw, 3, NULL), DR_NONE);
	/* FIN-WAIT-2 with a process still owning it: a half-closed socket */
	assert_int_equal(run(r, &fin, 30, NULL), DR_NONE);
	for (int k = DR_NONE + 1; k < DR_MAX_; k++) {
		assert_true(diag_marker((enum diag_rule)k)[0]);
		assert_true(strlen(diag_sentence((enum diag_rule)k)) > 40);
		assert_true(diag_name((enum diag_rule)k)[0]);
	}
	assert_string_equal(diag_marker(DR_NONE), "");
}

/* ---- each rule ---- */

static void stuck_receiver(struct sock *s, int i)
{
	s->send_q = 2000000 + (uint32_t)i;
	if (i >= 3) {
		ut_ext(s)->tcp.snd_wnd = 0;
		s->timer = 4;
		ut_ext(s)->tcp.probes = (uint8_t)(i - 2);
		ut_ext(s)->tcp.backoff = (uint8_t)(i - 2);
	}
}

static void test_zero_window(void **state)
{
	struct run *r = *state;
	struct sock s = mk(SP_TCP, SS_ESTABLISHED, 10);

	assert_int_equal(run(r, &s, 6, stuck_receiver), DR_ZERO_WINDOW);
	assert_true(diag_zero_window(&r->in));
	/* window 0 known from tcp_info alone, with a backoff */
	s.timer = 0;
	ut_ext(&s)->tcp.probes = 0;
	assert_true(diag_zero_window(&r->in));
	/* a kernel too old to report the window says nothing */
	ut_ext(&s)->tcp.info_len = 200;
	assert_false(diag_zero_window(&r->in));
	/* no tcp_info: no rule */
	s.has &= ~SOCK_HAS_TCP;
	s.timer = 4;
	assert_false(diag_zero_window(&r->in));
}

static void lossy(struct sock *s, int i)
{
	/* Send-Q grows by 10 KB a second, a segment retransmitted each */
	s->send_q = 10000u * (uint32_t)(i + 1);
	ut_ext(s)->tcp.total_retrans = (uint32_t)i;
	s->timer = 1;
}

static void test_loss(void **state)
{
	struct run *r = *state;
	struct sock s = mk(SP_TCP, SS_ESTABLISHED, 11), t = mk(SP_TCP, SS_ESTABLISHED, 12);

	/* three slots of growth */
	assert_int_equal(run(r, &s, 16, lossy), DR_LOSS);
	/* or at once: the retransmit timer backing off */
	t.send_q = 1000;
	t.timer = 1;
	ut_ext(&t)->tcp.backoff = 3;
	assert_int_equal(run(r, &t, 1, NULL), DR_LOSS);
	/* retransmits without a growing queue or a backoff: not yet */
	ut_ext(&t)->tcp.backoff = 0;
	ut_ext(&t)->tcp.retransmits = 1;
	assert_false(diag_loss(&r->in));
	/* nothing to send: nothing lost */
	t.send_q = 0;
	ut_ext(&t)->tcp.backoff = 3;
	assert_false(diag_loss(&r->in));
}

static void test_accept_full(void **state)
{
	struct run *r = *state;
	struct sock s = mk(SP_TCP, SS_LISTEN, 13);

	s.send_q = 4;
	s.recv_q = 5;
	assert_int_equal(run(r, &s, 1, NULL), DR_ACCEPT_FULL);
	s.recv_q = 4;
	assert_true(diag_accept_full(&r->in));
	s.recv_q = 3;
	assert_false(diag_accept_full(&r->in));
	/* empty queue, backlog 0 */
	s.recv_q = s.send_q = 0;
	assert_false(diag_accept_full(&r->in));
	/* the Unix rule is its own */
	assert_false(diag_unix_backlog(&r->in));
}

static void test_unix_backlog(void **state)
{
	struct run *r = *state;
	struct sock s = mk(SP_UNIX, SS_LISTEN, 14);

	s.send_q = 2;
	s.recv_q = 3;
	assert_int_equal(run(r, &s, 1, NULL), DR_UNIX_BACKLOG);
	s.recv_q = 1;
	assert_false(diag_unix_backlog(&r->in));
	assert_false(diag_accept_full(&r->in));
}

static void test_close_wait(void **state)
{
	struct run *r = *state;
	struct sock s = mk(SP_TCP, SS_ESTABLISHED, 15);

	run(r, &s, 2, NULL);
	s.state = SS_CLOSE_WAIT;
	/* readings at 2..5 s: in CLOSE-WAIT for 3 s */
	history_begin(r->h, 2000);
	history_update(r->h, &s);
	history_end(r->h);
	history_begin(r->h, 5000);
	history_update(r->h, &s);
	history_end(r->h);
	r->in.h = history_find(r->h, &s.key);
	r->in.state_age_ms = history_state_age(r->h, r->in.h);
	assert_false(diag_close_wait(&r->in));
	history_begin(r->h, 8000);
	history_update(r->h, &s);
	history_end(r->h);
	r->in.state_age_ms = history_state_age(r->h, history_find(r->h, &s.key));
	assert_int_equal(r->in.state_age_ms, 6000);
	assert_true(diag_close_wait(&r->in));
	assert_int_equal(diagnose(&r->in), DR_CLOSE_WAIT);
	/* unknown age (one snapshot): not said */
	r->in.state_age_ms = -1;
	assert_false(diag_close_wait(&r->in));
}

static void test_syn_sent(void **state)
{
	struct run *r = *state;
	struct sock s = mk(SP_TCP, SS_SYN_SENT, 16);

	s.retrans = 2;
	s.timer = 1;
	assert_int_equal(run(r, &s, 1, NULL), DR_SYN_SENT);
	s.retrans = 0;
	ut_ext(&s)->tcp.backoff = 1;
	assert_true(diag_syn_sent(&r->in));
	ut_ext(&s)->tcp.backoff = 0;
	assert_false(diag_syn_sent(&r->in));
}

static void test_orphan_fin(void **state)
{
	struct run *r = *state;
	struct sock s = mk(SP_TCP, SS_FIN_WAIT2, 17);

	s.inode = 0;
	assert_int_equal(run(r, &s, 8, NULL), DR_NONE);
	assert_int_equal(run(r, &s, 12, NULL), DR_ORPHAN_FIN);
	s.state = SS_FIN_WAIT1;
	assert_true(diag_orphan_fin(&r->in));
	s.inode = 5;
	assert_false(diag_orphan_fin(&r->in));
}

static void flooded(struct sock *s, int i)
{
	ut_ext(s)->drops = (uint32_t)i * 7;
}

static void filling(struct sock *s, int i)
{
	s->recv_q = 1000u * (uint32_t)(i + 1);
}

static void test_udp(void **state)
{
	struct run *r = *state;
	struct sock s = mk(SP_UDP, SS_CLOSE, 18), t = mk(SP_UDP, SS_CLOSE, 19);

	s.has |= SOCK_HAS_DROPS;
	assert_int_equal(run(r, &s, 3, flooded), DR_UDP_DROPS);
	/* Recv-Q growing over three slots, no drops counted */
	assert_int_equal(run(r, &t, 16, filling), DR_UDP_DROPS);
	/* a steady queue is not growing */
	assert_int_equal(run(r, &t, 16, NULL), DR_NONE);
}

static void test_time_wait_peer(void **state)
{
	struct run *r = *state;
	struct snapshot snap;
	struct diag_peers p = { 0 };
	struct sock *a;

	snapshot_init(&snap);
	for (int i = 0; i < DIAG_TW_MANY + 5; i++) {
		struct sock *s = snapshot_add(&snap);

		*s = mk(SP_TCP, SS_TIME_WAIT, 100 + (uint64_t)i);
		s->inode = 0;
		s->raddr[0] = 10;
		s->raddr[3] = i < DIAG_TW_MANY ? 1 : 2; /* 10.0.0.1 many, 10.0.0.2 five */
		s->rport = 80;
		s->lport = (uint16_t)(40000 + i);
	}
	snapshot_finish(&snap);
	diag_peers_build(&p, &snap);
	a = &snap.socks[0];
	assert_int_equal(diag_peers_count(&p, a), DIAG_TW_MANY);
	r->in.s = a;
	r->in.h = NULL;
	r->in.state_age_ms = -1;
	r->in.tw_to_peer = diag_peers_count(&p, a);
	assert_int_equal(diagnose(&r->in), DR_TIME_WAIT_PEER);
	a = &snap.socks[DIAG_TW_MANY + 1];
	r->in.s = a;
	r->in.tw_to_peer = diag_peers_count(&p, a);
	assert_int_equal(r->in.tw_to_peer, 5);
	assert_int_equal(diagnose(&r->in), DR_NONE);
	r->in.tw_to_peer = 0;
	diag_peers_free(&p);
	snapshot_free(&snap);
}


/* diag_quiet() is a shortcut: where it says no rule can fire, none does,
 * whatever the history (a growing Send-Q/Recv-Q with losses), the state's
 * age and the TIME-WAIT peers say. And it is not always true. */
static void grow(struct sock *s, int i)
{
	s->send_q = (uint32_t)(i + 1) * 1000;
	s->recv_q = (uint32_t)(i + 1) * 1000;
	ut_ext(s)->drops = (uint32_t)i * 10;
	ut_ext(s)->tcp.total_retrans = (uint32_t)i;
}

static void test_quiet(void **state)
{
	struct run *r = *state;
	unsigned quiet = 0, loud = 0;

	for (unsigned p = 0; p < SP_NPROTO; p++)
		for (unsigned st = 0; st < SS_MAX_; st++)
			for (unsigned v = 0; v < 16; v++) {
				struct sock s = mk(p, st, 1000 + p * 1000 + st * 16 + v);
				struct sock last;

				s.has |= SOCK_HAS_DROPS;
				s.timer = (uint8_t)((v & 3) == 3 ? 4 : v & 3);
				ut_ext(&s)->tcp.probes = (uint8_t)(v >> 2 & 1);
				ut_ext(&s)->tcp.backoff = (uint8_t)(v >> 3 & 1);
				s.inode = v & 1 ? 0 : s.inode;
				if (!diag_quiet(&s)) {
					loud++;
					continue;
				}
				quiet++;
				/* a record whose history grows: the rules on it with
				 * everything that could make them fire */
				run(r, &s, 12, grow);
				last = s;
				r->in.s = &last;
				r->in.state_age_ms = 3600000;
				r->in.tw_to_peer = 10 * DIAG_TW_MANY;
				/* the queues as the quiet record had them */
				last.send_q = 0;
				last.recv_q = 0;
				if (diag_quiet(&last))
					assert_int_equal(diagnose(&r->in), DR_NONE);
			}
	assert_true(quiet > 0 && loud > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_healthy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unix_backlog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orphan_fin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_wait_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quiet, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
