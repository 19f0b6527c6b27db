/* test_events.c - events from two snapshots (birth, death, change,
 * accept() as one socket), the merge of destroy messages with dump deaths
 * (no double death, time order, lifetimes), gaps, and the bounded log. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "events.h"
#include "procmap.h"
#include "snapshot.h"

#define MAXEV 64

struct got {
	struct ev_event ev[MAXEV];
	size_t n;
};

static void collect(void *ctx, const struct ev_event *e)
{
	struct got *g = ctx;

	assert_true(g->n < MAXEV);
	g->ev[g->n++] = *e;
}

static struct sock *add(struct snapshot *s, uint64_t cookie, uint32_t inode, unsigned proto,
			unsigned state)
{
	struct sock *r = snapshot_add(s);

	r->proto = (uint8_t)proto;
	r->family = proto == SP_UNIX ? AF_UNIX : AF_INET;
	r->type = proto == SP_UDP ? SOCK_DGRAM : SOCK_STREAM;
	r->state = (uint8_t)state;
	r->cookie = cookie;
	r->inode = inode;
	r->key.cookie = cookie;
	r->key.inode = inode;
	r->key.proto = r->proto;
	r->key.family = r->family;
	return r;
}

/* Two snapshots, swapped like the callers do. */
struct pair {
	struct snapshot s[2];
	int cur;
};

static struct snapshot *fresh(struct pair *p)
{
	p->cur = 1 - p->cur;
	snapshot_clear(&p->s[p->cur]);
	return &p->s[p->cur];
}

static void pair_init(struct pair *p)
{
	snapshot_init(&p->s[0]);
	snapshot_init(&p->s[1]);
	p->cur = 0;
}

static void pair_free(struct pair *p)
{
	snapshot_free(&p->s[0]);
	snapshot_free(&p->s[1]);
}

static void dump(struct ev_tracker *t, struct snapshot *s, int64_t start, int64_t now)
{
	snapshot_finish(s);
	s->taken_ms = now;
	ev_tracker_dump(t, s, NULL, NULL, start, now);
}

static void test_derivation(void **state)
{
	struct got g = { .n = 0 };
	struct ev_log log;
	struct ev_tracker *t;
	struct pair p;
	struct snapshot *s;

	(void)state;
	pair_init(&p);
	ev_log_init(&log, 100, 0);
	t = ev_tracker_new(&log, collect, &g);

	s = fresh(&p);
	add(s, 1, 10, SP_TCP, SS_LISTEN);
	add(s, 2, 20, SP_TCP, SS_SYN_SENT);
	add(s, 3, 30, SP_UNIX, SS_ESTABLISHED);
	add(s, 4, 0, SP_TCP, SS_ESTABLISHED); /* waits for accept() */
	add(s, 5, 50, SP_TCP, SS_ESTABLISHED);
	dump(t, s, 0, 1000);
	assert_int_equal(g.n, 0); /* the first dump: the world as it was */

	s = fresh(&p);
	add(s, 1, 10, SP_TCP, SS_LISTEN);
	add(s, 2, 20, SP_TCP, SS_ESTABLISHED); /* state change */
	add(s, 4, 44, SP_TCP, SS_ESTABLISHED); /* accept(): an inode, same cookie */
	add(s, 5, 50, SP_TCP, SS_ESTABLISHED)->recv_q = 100; /* queue */
	add(s, 6, 60, SP_UNIX, SS_ESTABLISHED); /* born */
	dump(t, s, 1900, 2000);
	/* changes and births in dump order, then the Unix death */
	assert_int_equal(g.n, 5);
	assert_int_equal(g.ev[0].kind, EV_CHANGE);
	assert_int_equal(g.ev[0].sock.cookie, 2);
	assert_true(g.ev[0].flags & EVF_STATE);
	assert_int_equal(g.ev[0].old_state, SS_SYN_SENT);
	assert_int_equal(g.ev[1].kind, EV_CHANGE);
	assert_int_equal(g.ev[1].sock.cookie, 4);
	assert_true(g.ev[1].flags & EVF_ACCEPT);
	assert_false(g.ev[1].flags & EVF_STATE);
	assert_int_equal(g.ev[2].kind, EV_CHANGE);
	assert_true(g.ev[2].flags & EVF_QUEUE);
	assert_int_equal(g.ev[3].kind, EV_BORN);
	assert_int_equal(g.ev[3].sock.cookie, 6);
	assert_int_equal(g.ev[4].kind, EV_GONE);
	assert_int_equal(g.ev[4].sock.cookie, 3);
	assert_int_equal(g.ev[4].source, EVS_DUMP);
	assert_true(g.ev[4].flags & EVF_NO_DESTROY);
	assert_int_equal(g.ev[4].life, EVL_AT_LEAST); /* there from the start */
	assert_int_equal(g.ev[4].life_ms, 1000);
	for (size_t i = 0; i < g.n; i++)
		assert_int_equal(g.ev[i].seq, i + 1);

	/* the newborn dies: an exact lifetime */
	g.n = 0;
	s = fresh(&p);
	add(s, 1, 10, SP_TCP, SS_LISTEN);
	add(s, 2, 20, SP_TCP, SS_ESTABLISHED);
	add(s, 4, 44, SP_TCP, SS_ESTABLISHED);
	add(s, 5, 50, SP_TCP, SS_ESTABLISHED)->recv_q = 200; /* not a crossing */
	dump(t, s, 2900, 3500);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.ev[0].kind, EV_GONE);
	assert_int_equal(g.ev[0].sock.cookie, 6);
	assert_int_equal(g.ev[0].life, EVL_EXACT);
	assert_int_equal(g.ev[0].life_ms, 1500);
	assert_int_equal(log.n, 6);
	assert_int_equal(log.total[EV_BORN], 1);
	assert_int_equal(log.total[EV_GONE], 2);

	ev_tracker_free(t);
	ev_log_free(&log);
	pair_free(&p);
}

static void test_destroy_merge(void **state)
{
	struct got g = { .n = 0 };
	struct ev_tracker *t;
	struct pair p;
	struct snapshot *s;
	struct sock dying;

	(void)state;
	pair_init(&p);
	t = ev_tracker_new(NULL, collect, &g);
	ev_tracker_set_destroy(t, true);

	s = fresh(&p);
	add(s, 1, 10, SP_TCP, SS_ESTABLISHED);
	add(s, 2, 20, SP_UDP, SS_CLOSE);
	add(s, 3, 30, SP_TCP, SS_ESTABLISHED);
	dump(t, s, 0, 1000);

	/* socket 1 dies: the destroy message first, the record has no inode */
	memset(&dying, 0, sizeof(dying));
	dying = s->socks[0];
	dying.inode = 0;
	dying.state = SS_CLOSE;
	ev_tracker_destroyed(t, &dying, 1200);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.ev[0].kind, EV_GONE);
	assert_int_equal(g.ev[0].source, EVS_DESTROY);
	assert_int_equal(g.ev[0].t_ms, 1200); /* timed to the message */
	assert_int_equal(g.ev[0].sock.inode, 10); /* from the dump */
	assert_int_equal(g.ev[0].life, EVL_AT_LEAST);
	assert_int_equal(g.ev[0].life_ms, 200);
	/* the same message twice: one death */
	ev_tracker_destroyed(t, &dying, 1250);
	assert_int_equal(g.n, 1);

	/* a socket born and dead between two dumps */
	memset(&dying, 0, sizeof(dying));
	dying.proto = SP_TCP;
	dying.family = AF_INET;
	dying.cookie = 77;
	dying.key.cookie = 77;
	dying.key.proto = SP_TCP;
	dying.key.family = AF_INET;
	dying.state = SS_CLOSE;
	ev_tracker_destroyed(t, &dying, 1400);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.ev[1].kind, EV_BORN);
	assert_true(g.ev[1].flags & EVF_INFERRED);
	assert_int_equal(g.ev[2].kind, EV_GONE);
	assert_int_equal(g.ev[2].life, EVL_AT_MOST);
	assert_int_equal(g.ev[2].life_ms, 1400); /* since the last dump began */

	/* the next dump: 1 lingers in TIME-WAIT (same cookie: silent), 3 is
	 * missing without a message yet (waits a dump), 2 is there */
	s = fresh(&p);
	add(s, 1, 0, SP_TCP, SS_TIME_WAIT);
	add(s, 2, 20, SP_UDP, SS_CLOSE);
	dump(t, s, 1900, 2000);
	assert_int_equal(g.n, 3);
	/* its message comes after the dump: one death, from the message */
	memset(&dying, 0, sizeof(dying));
	dying = p.s[1 - p.cur].socks[2];
	assert_int_equal(dying.cookie, 3);
	ev_tracker_destroyed(t, &dying, 2100);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.ev[3].kind, EV_GONE);
	assert_int_equal(g.ev[3].sock.cookie, 3);
	assert_int_equal(g.ev[3].source, EVS_DESTROY);

	/* UDP 2 vanishes and no message ever comes: the dump after next says so */
	s = fresh(&p);
	add(s, 1, 0, SP_TCP, SS_TIME_WAIT);
	dump(t, s, 2900, 3000);
	assert_int_equal(g.n, 4);
	s = fresh(&p);
	dump(t, s, 3900, 4000); /* the TIME-WAIT remnant expires silently */
	assert_int_equal(g.n, 5);
	assert_int_equal(g.ev[4].kind, EV_GONE);
	assert_int_equal(g.ev[4].sock.cookie, 2);
	assert_int_equal(g.ev[4].source, EVS_DUMP);
	assert_false(g.ev[4].flags & EVF_NO_DESTROY);
	/* time order, each death once */
	for (size_t i = 1; i < g.n; i++)
		assert_true(g.ev[i].t_ms >= g.ev[i - 1].t_ms);
	{
		int deaths[100] = { 0 };

		for (size_t i = 0; i < g.n; i++)
			if (g.ev[i].kind == EV_GONE)
				assert_int_equal(++deaths[g.ev[i].sock.cookie], 1);
	}
	ev_tracker_free(t);
	pair_free(&p);
}

/* The kernel gives a dead connection's TIME-WAIT remnant a new cookie: it
 * is known by its addresses and stays silent, born and gone. */
/* The holder named at a death: found at once when it appears, and
 * followed within EV_OWNER_EVERY dumps when the socket changes hands. */
static void test_owner_follow(void **state)
{
	struct got g = { .n = 0 };
	struct procmap *pm = procmap_new();
	struct ev_log log;
	struct ev_tracker *t;
	struct pair p;
	struct snapshot *s;
	int64_t now = 1000;

	(void)state;
	pair_init(&p);
	ev_log_init(&log, 100, 0);
	t = ev_tracker_new(&log, collect, &g);

	s = fresh(&p);
	add(s, 1, 10, SP_TCP, SS_ESTABLISHED);
	add(s, 2, 20, SP_TCP, SS_ESTABLISHED);
	snapshot_finish(s);
	ev_tracker_dump(t, s, NULL, pm, now - 100, now);
	/* 20's holder shows up one dump later: looked up at once */
	procmap_set_proc(pm, 100, "first", 5, 0);
	procmap_add_owner(pm, 10, 100, 3);
	procmap_set_proc(pm, 300, "late", 4, 0);
	procmap_add_owner(pm, 20, 300, 4);
	for (int i = 0; i < 2; i++) {
		now += 1000;
		s = fresh(&p);
		add(s, 1, 10, SP_TCP, SS_ESTABLISHED);
		add(s, 2, 20, SP_TCP, SS_ESTABLISHED);
		snapshot_finish(s);
		ev_tracker_dump(t, s, NULL, pm, now - 100, now);
		if (i == 0) {
			/* 10 passes from 100 to 200 (fd passing, a fork) */
			procmap_remove_proc(pm, 100);
			procmap_set_proc(pm, 200, "second", 6, 0);
			procmap_add_owner(pm, 10, 200, 5);
		}
	}
	for (int i = 0; i < EV_OWNER_EVERY; i++) {
		now += 1000;
		s = fresh(&p);
		add(s, 1, 10, SP_TCP, SS_ESTABLISHED);
		add(s, 2, 20, SP_TCP, SS_ESTABLISHED);
		snapshot_finish(s);
		ev_tracker_dump(t, s, NULL, pm, now - 100, now);
	}
	assert_int_equal(g.n, 0);
	now += 1000;
	s = fresh(&p);
	snapshot_finish(s);
	ev_tracker_dump(t, s, NULL, pm, now - 100, now);
	assert_int_equal(g.n, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(g.ev[i].kind, EV_GONE);
		if (g.ev[i].sock.cookie == 1) {
			assert_int_equal(g.ev[i].pid, 200);
			assert_memory_equal(g.ev[i].comm, "second", 6);
		} else {
			assert_int_equal(g.ev[i].pid, 300);
			assert_memory_equal(g.ev[i].comm, "late", 4);
		}
	}
	ev_tracker_free(t);
	ev_log_free(&log);
	pair_free(&p);
	procmap_free(pm);
}

static void test_timewait_remnant(void **state)
{
	struct got g = { .n = 0 };
	struct ev_tracker *t;
	struct pair p;
	struct snapshot *s;
	struct sock dying;

	(void)state;
	pair_init(&p);
	t = ev_tracker_new(NULL, collect, &g);
	ev_tracker_set_destroy(t, true);
	s = fresh(&p);
	add(s, 1, 10, SP_TCP, SS_ESTABLISHED)->lport = 5000;
	dump(t, s, 0, 1000);
	dying = s->socks[0];
	dying.state = SS_CLOSE;
	ev_tracker_destroyed(t, &dying, 1100);
	assert_int_equal(g.n, 1);
	s = fresh(&p);
	add(s, 99, 0, SP_TCP, SS_TIME_WAIT)->lport = 5000;
	add(s, 98, 0, SP_TCP, SS_TIME_WAIT)->lport = 5001; /* another one */
	dump(t, s, 1900, 2000);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.ev[1].kind, EV_BORN);
	assert_int_equal(g.ev[1].sock.cookie, 98);
	s = fresh(&p);
	add(s, 99, 0, SP_TCP, SS_TIME_WAIT)->lport = 5000;
	dump(t, s, 2900, 3000);
	s = fresh(&p);
	dump(t, s, 3900, 4000);
	s = fresh(&p);
	dump(t, s, 4900, 5000);
	/* 98 goes by the dump (after waiting for a message); 99 is silent */
	assert_int_equal(g.n, 3);
	assert_int_equal(g.ev[2].kind, EV_GONE);
	assert_int_equal(g.ev[2].sock.cookie, 98);
	ev_tracker_free(t);
	pair_free(&p);
}

/* Sockets that come into view because the toggles widened are not born;
 * those that leave it are not dead. */
static void test_scope(void **state)
{
	struct got g = { .n = 0 };
	struct ev_tracker *t = ev_tracker_new(NULL, collect, &g);
	struct sock_scope tcp = { SP_MASK(SP_TCP), SF_ALL, false };
	struct sock_scope all = { SP_MASK_ALL, SF_ALL, false };
	struct pair p;
	struct snapshot *s;

	(void)state;
	pair_init(&p);
	s = fresh(&p);
	add(s, 1, 10, SP_TCP, SS_LISTEN);
	snapshot_finish(s);
	ev_tracker_dump(t, s, &tcp, NULL, 0, 1000);
	s = fresh(&p);
	add(s, 1, 10, SP_TCP, SS_LISTEN);
	add(s, 2, 20, SP_UNIX, SS_ESTABLISHED); /* there all along */
	snapshot_finish(s);
	ev_tracker_dump(t, s, &all, NULL, 1900, 2000);
	assert_int_equal(g.n, 0);
	s = fresh(&p);
	add(s, 1, 10, SP_TCP, SS_LISTEN);
	add(s, 3, 30, SP_UNIX, SS_ESTABLISHED); /* really new */
	snapshot_finish(s);
	ev_tracker_dump(t, s, &all, NULL, 2900, 3000);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.ev[0].kind, EV_BORN);
	assert_int_equal(g.ev[0].sock.cookie, 3);
	assert_int_equal(g.ev[1].kind, EV_GONE);
	assert_int_equal(g.ev[1].sock.cookie, 2);
	assert_int_equal(g.ev[1].life, EVL_AT_LEAST);
	s = fresh(&p);
	add(s, 1, 10, SP_TCP, SS_LISTEN);
	snapshot_finish(s);
	ev_tracker_dump(t, s, &tcp, NULL, 3900, 4000); /* Unix hidden: not dead */
	assert_int_equal(g.n, 2);
	ev_tracker_free(t);
	pair_free(&p);
}

static void test_gap(void **state)
{
	struct got g = { .n = 0 };
	struct ev_tracker *t = ev_tracker_new(NULL, collect, &g);

	(void)state;
	ev_tracker_gap(t, 5);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.ev[0].kind, EV_GAP);
	assert_int_equal(g.ev[0].t_ms, 5);
	assert_string_equal(ev_kind_name(EV_GAP), "gap");
	ev_tracker_free(t);
}

static void test_log_bound(void **state)
{
	struct ev_log log;
	struct ev_event e;
	double b, d;

	(void)state;
	ev_log_init(&log, 3, 0);
	memset(&e, 0, sizeof(e));
	for (int i = 0; i < 5; i++) {
		e.seq = (uint64_t)i + 1;
		e.t_ms = 1000 * i;
		e.kind = i % 2 ? EV_GONE : EV_BORN;
		ev_log_push(&log, &e);
	}
	assert_int_equal(log.n, 3);
	assert_int_equal(log.dropped, 2);
	assert_int_equal(ev_log_at(&log, 0)->seq, 3);
	assert_int_equal(ev_log_at(&log, 2)->seq, 5);
	assert_null(ev_log_at(&log, 3));
	ev_log_rates(&log, 4000, 2000, &b, &d);
	/* events at 2000 (born), 3000 (gone), 4000 (born) within 2 s */
	assert_true(b > 0.99 && b < 1.01);
	assert_true(d > 0.49 && d < 0.51);
	ev_log_free(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derivation),
		cmocka_unit_test(test_destroy_merge),
		cmocka_unit_test(test_owner_follow),
		cmocka_unit_test(test_timewait_remnant),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_log_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
