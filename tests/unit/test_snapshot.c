/* test_snapshot.c - records, keys, de-duplication and lookup; the scope
 * test; the diff between two snapshots. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "diff.h"
#include "snapshot.h"

static struct sock *add(struct snapshot *s, uint64_t cookie, uint32_t inode, unsigned proto)
{
	struct sock *r = snapshot_add(s);

	r->proto = (uint8_t)proto;
	r->family = proto == SP_UNIX ? AF_UNIX : AF_INET;
	r->cookie = cookie;
	r->inode = inode;
	r->key.cookie = cookie;
	r->key.inode = inode;
	r->key.proto = r->proto;
	r->key.family = r->family;
	return r;
}

static void test_find_and_dedup(void **state)
{
	struct snapshot s;
	struct sock_key k = { .cookie = 7, .inode = 70, .proto = SP_UNIX, .family = AF_UNIX };

	(void)state;
	snapshot_init(&s);
	add(&s, 5, 50, SP_TCP);
	add(&s, 7, 70, SP_UNIX)->recv_q = 1;
	add(&s, 9, 0, SP_TCP); /* TIME-WAIT: inode 0 */
	add(&s, 7, 70, SP_UNIX)->recv_q = 2; /* a Unix dump repeated it */
	snapshot_finish(&s);
	assert_int_equal(s.n, 3);
	assert_non_null(snapshot_find(&s, &k));
	assert_int_equal(snapshot_find(&s, &k)->recv_q, 2);
	k.proto = SP_TCP;
	assert_null(snapshot_find(&s, &k));
	assert_null(snapshot_find_inode(&s, 0));
	assert_int_equal(snapshot_find_inode(&s, 50)->cookie, 5);
	snapshot_free(&s);
}

static void test_many(void **state)
{
	struct snapshot s;

	(void)state;
	snapshot_init(&s);
	for (uint32_t i = 1; i <= 100000; i++)
		add(&s, i, i + 1000, SP_TCP);
	snapshot_finish(&s);
	assert_int_equal(s.n, 100000);
	for (uint32_t i = 1; i <= 100000; i += 997) {
		struct sock_key k = { .cookie = i, .inode = i + 1000, .proto = SP_TCP, .family = AF_INET };

		assert_non_null(snapshot_find(&s, &k));
	}
	snapshot_clear(&s);
	assert_int_equal(s.n, 0);
	snapshot_free(&s);
}

static void test_names(void **state)
{
	struct sock r = { 0 };

	(void)state;
	r.proto = SP_UDP;
	r.state = SS_CLOSE;
	r.type = SOCK_DGRAM;
	assert_string_equal(sock_state_name(&r), "UNCONN");
	assert_true(sock_is_listening(&r));
	r.proto = SP_TCP;
	r.type = SOCK_STREAM;
	assert_string_equal(sock_state_name(&r), "CLOSE");
	assert_false(sock_is_listening(&r));
	r.state = SS_LISTEN;
	assert_true(sock_is_listening(&r));
	r.state = SS_TIME_WAIT;
	assert_string_equal(sock_state_name(&r), "TIME-WAIT");
	assert_string_equal(sock_netid(&r), "tcp");
	r.proto = SP_UNIX;
	r.type = SOCK_SEQPACKET;
	assert_string_equal(sock_netid(&r), "u_seq");
	r.type = SOCK_DGRAM;
	assert_string_equal(sock_netid(&r), "u_dgr");
	assert_int_equal(sock_proto_parse("unix"), SP_UNIX);
	assert_int_equal(sock_proto_parse("sctp"), -1);
}

/* Two snapshots in different orders: the diff links every socket to its
 * previous record whether or not it sits where the dump order suggests,
 * says which are new, which changed, which are gone, and carries the
 * first-seen times over. */
static void test_diff(void **state)
{
	struct snapshot prev, cur;
	struct diff pd, d;
	const uint64_t before[] = { 1, 2, 3, 4, 5, 6 };
	const uint64_t after[] = { 2, 1, 4, 5, 7, 6 }; /* 3 gone, 7 new */

	(void)state;
	snapshot_init(&prev);
	snapshot_init(&cur);
	diff_init(&pd);
	diff_init(&d);
	for (size_t i = 0; i < 6; i++)
		add(&prev, before[i], (uint32_t)(100 + before[i]), SP_TCP)->recv_q = 1;
	snapshot_finish(&prev);
	prev.taken_ms = 1000;
	diff_compute(&pd, &prev, NULL, NULL, NULL, NULL, 1000);
	assert_int_equal(pd.n, 6);
	assert_int_equal(pd.e[0].prev, DIFF_NO_PREV);
	assert_true(pd.e[0].first_seen_ms == DIFF_SEEN_ALWAYS);
	pd.e[3].first_seen_ms = 500; /* socket 4 was new once */

	for (size_t i = 0; i < 6; i++)
		add(&cur, after[i], (uint32_t)(100 + after[i]), SP_TCP)->recv_q = after[i] == 5 ? 9 : 1;
	snapshot_finish(&cur);
	cur.taken_ms = 2000;
	diff_compute(&d, &cur, NULL, &prev, &pd, NULL, 2000);
	assert_int_equal(d.n, 6);
	for (size_t i = 0; i < 6; i++) {
		const struct diff_entry *e = &d.e[i];

		if (after[i] == 7) {
			assert_int_equal(e->prev, DIFF_NO_PREV);
			assert_true(e->flags & DIFF_NEW);
			assert_true(e->first_seen_ms == 2000);
			continue;
		}
		assert_int_equal(prev.socks[e->prev].cookie, after[i]);
		assert_false(e->flags & DIFF_NEW);
		assert_int_equal(!!(e->flags & DIFF_CHANGED), after[i] == 5);
		assert_true(e->first_seen_ms == (after[i] == 4 ? 500 : DIFF_SEEN_ALWAYS));
	}
	assert_int_equal(d.nnew, 1);
	assert_int_equal(d.nchanged, 1);
	assert_int_equal(d.ngone, 1);
	assert_int_equal(d.gone[0].cookie, 3);

	/* the same snapshot against itself: nothing new, nothing gone */
	diff_compute(&pd, &cur, NULL, &cur, &d, NULL, 3000);
	assert_int_equal(pd.nnew, 0);
	assert_int_equal(pd.ngone, 0);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(pd.e[i].prev, i);
	diff_free(&pd);
	diff_free(&d);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

/* A socket's identity is its cookie: the inode appearing at accept() does
 * not make it another socket. Without a cookie, the inode still counts. */
static void test_key_cookie_identity(void **state)
{
	struct sock_key a = { .cookie = 42, .inode = 0, .proto = SP_TCP, .family = AF_INET };
	struct sock_key b = a, c = a;

	(void)state;
	b.inode = 4711;
	assert_true(sock_key_equal(&a, &b));
	assert_true(sock_key_hash(&a) == sock_key_hash(&b));
	c.cookie = 43;
	assert_false(sock_key_equal(&a, &c));
	c = a;
	c.family = AF_INET6;
	assert_false(sock_key_equal(&a, &c));
	/* no cookie: the inode tells them apart */
	a.cookie = b.cookie = 0;
	assert_false(sock_key_equal(&a, &b));
	b.inode = 0;
	assert_true(sock_key_equal(&a, &b));
	assert_true(sock_key_hash(&a) == sock_key_hash(&b));
}

/* accept(): the connection waited with inode 0 and now has one, same
 * cookie. The diff says "changed", not "gone" plus "new", and first-seen
 * carries over; the new snapshot finds it by the old key. */
static void test_diff_accept(void **state)
{
	struct snapshot prev, cur;
	struct diff pd, d;
	struct sock_key old;

	(void)state;
	snapshot_init(&prev);
	snapshot_init(&cur);
	diff_init(&pd);
	diff_init(&d);
	add(&prev, 1, 100, SP_TCP);
	add(&prev, 2, 0, SP_TCP)->state = SS_ESTABLISHED; /* in the accept queue */
	add(&prev, 3, 300, SP_TCP);
	snapshot_finish(&prev);
	old = prev.socks[1].key;
	diff_compute(&pd, &prev, NULL, NULL, NULL, NULL, 1000);
	pd.e[1].first_seen_ms = 900;

	add(&cur, 1, 100, SP_TCP);
	add(&cur, 2, 200, SP_TCP)->state = SS_ESTABLISHED; /* accept()ed */
	add(&cur, 3, 300, SP_TCP);
	snapshot_finish(&cur);
	diff_compute(&d, &cur, NULL, &prev, &pd, NULL, 2000);
	assert_int_equal(d.nnew, 0);
	assert_int_equal(d.ngone, 0);
	assert_int_equal(d.nchanged, 1);
	assert_int_equal(d.e[1].prev, 1);
	assert_false(d.e[1].flags & DIFF_NEW);
	assert_true(d.e[1].flags & DIFF_CHANGED);
	assert_true(d.e[1].first_seen_ms == 900);
	assert_non_null(snapshot_find(&cur, &old));
	assert_int_equal(snapshot_find(&cur, &old)->inode, 200);

	/* a Unix dump that saw the socket before and after: one record */
	add(&cur, 2, 0, SP_TCP);
	add(&cur, 2, 200, SP_TCP);
	snapshot_finish(&cur);
	assert_int_equal(cur.n, 3);
	diff_free(&pd);
	diff_free(&d);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

static struct sock *add_tcp(struct snapshot *s, uint64_t cookie, uint32_t inode, unsigned state,
			    const char *laddr, unsigned lport)
{
	struct sock *r = add(s, cookie, inode, SP_TCP);
	int fam = strchr(laddr, ':') ? AF_INET6 : AF_INET;

	r->family = r->key.family = (uint8_t)fam;
	r->state = (uint8_t)state;
	r->lport = (uint16_t)lport;
	r->rport = lport == 0 ? 0 : 40000;
	inet_pton(fam, laddr, r->laddr);
	return r;
}

/* snapshot_finish() links connections waiting for accept() to the
 * listener that will hand them out: same family and port, its very
 * address before a wildcard; TIME-WAIT, orphans and owned sockets not. */
static void test_accept_queue_link(void **state)
{
	struct snapshot s;

	(void)state;
	snapshot_init(&s);
	add_tcp(&s, 1, 10, SS_LISTEN, "0.0.0.0", 80);
	add_tcp(&s, 2, 20, SS_LISTEN, "127.0.0.2", 80);
	add_tcp(&s, 3, 30, SS_LISTEN, "::", 80);
	add_tcp(&s, 4, 40, SS_LISTEN, "127.0.0.1", 8080);
	add_tcp(&s, 11, 0, SS_ESTABLISHED, "127.0.0.1", 80);  /* -> 10 (wildcard) */
	add_tcp(&s, 12, 0, SS_ESTABLISHED, "127.0.0.2", 80);  /* -> 20 (exact) */
	add_tcp(&s, 13, 0, SS_CLOSE_WAIT, "::ffff:127.0.0.1", 80); /* -> 30 */
	add_tcp(&s, 14, 0, SS_SYN_RECV, "127.0.0.1", 8080);   /* -> 40 */
	add_tcp(&s, 15, 0, SS_TIME_WAIT, "127.0.0.1", 80);    /* kernel's */
	add_tcp(&s, 16, 0, SS_FIN_WAIT1, "127.0.0.1", 80);    /* orphan */
	add_tcp(&s, 17, 70, SS_ESTABLISHED, "127.0.0.1", 80); /* accepted */
	add_tcp(&s, 18, 0, SS_ESTABLISHED, "127.0.0.1", 9);   /* no listener */
	snapshot_finish(&s);
	assert_int_equal(s.n, 12);
	for (size_t i = 0; i < s.n; i++) {
		const struct sock *r = &s.socks[i];
		const uint32_t want[] = { [11] = 10, [12] = 20, [13] = 30, [14] = 40 };
		uint32_t w = r->cookie < 15 && r->cookie > 10 ? want[r->cookie] : 0;

		assert_int_equal(r->listener_inode, w);
		assert_int_equal(sock_awaits_accept(r), w != 0);
		assert_int_equal(sock_owner_inode(r), w ? w : r->inode);
	}
	snapshot_free(&s);
}

/* The one scope test (batch output and the diff both use it). */
static void test_scope(void **state)
{
	struct sock s = { 0 };
	struct sock_scope all = { SP_MASK_ALL, SF_ALL, false };
	struct sock_scope sc;

	(void)state;
	/* a TCP socket over IPv4, established */
	s.proto = SP_TCP;
	s.family = AF_INET;
	s.type = SOCK_STREAM;
	s.state = SS_ESTABLISHED;
	assert_true(sock_in_scope(&all, &s));

	/* protocols */
	sc = all;
	sc.protos = SP_MASK(SP_UDP) | SP_MASK(SP_UNIX);
	assert_false(sock_in_scope(&sc, &s));
	sc.protos |= SP_MASK(SP_TCP);
	assert_true(sock_in_scope(&sc, &s));
	sc.protos = 0;
	assert_false(sock_in_scope(&sc, &s));
	/* a protocol past the known ones is in no scope, even with every bit set */
	sc.protos = ~0u;
	s.proto = SP_NPROTO;
	assert_false(sock_in_scope(&sc, &s));
	s.proto = 200;
	assert_false(sock_in_scope(&sc, &s));
	s.proto = SP_TCP;

	/* families: IPv4 and IPv6 look at them... */
	sc = all;
	sc.families = SF_INET6;
	assert_false(sock_in_scope(&sc, &s));
	s.family = AF_INET6;
	assert_true(sock_in_scope(&sc, &s));
	sc.families = SF_INET;
	assert_false(sock_in_scope(&sc, &s));
	/* ...Unix sockets do not */
	sc.families = 0;
	s.proto = SP_UNIX;
	s.family = AF_UNIX;
	assert_true(sock_in_scope(&sc, &s));
	sc.protos = SP_MASK(SP_TCP);
	assert_false(sock_in_scope(&sc, &s));

	/* listening: LISTEN, or an unconnected datagram/raw socket */
	sc = all;
	sc.listening = true;
	s.proto = SP_TCP;
	s.family = AF_INET;
	s.state = SS_ESTABLISHED;
	assert_false(sock_in_scope(&sc, &s));
	s.state = SS_LISTEN;
	assert_true(sock_in_scope(&sc, &s));
	s.state = SS_CLOSE; /* a closed TCP socket does not listen */
	assert_false(sock_in_scope(&sc, &s));
	s.proto = SP_UDP;
	s.type = SOCK_DGRAM;
	assert_true(sock_in_scope(&sc, &s));
	s.state = SS_ESTABLISHED; /* a connected UDP socket */
	assert_false(sock_in_scope(&sc, &s));
	sc.listening = false;
	assert_true(sock_in_scope(&sc, &s));
	/* all three at once */
	sc.protos = SP_MASK(SP_UDP);
	sc.families = SF_INET;
	sc.listening = true;
	s.state = SS_CLOSE;
	assert_true(sock_in_scope(&sc, &s));
	s.family = AF_INET6;
	assert_false(sock_in_scope(&sc, &s));
}

/* The diff uses each dump's scope: a socket the previous dump was not asked
 * for is not new, one the current dump was not asked for is not gone. */
static void test_diff_scope(void **state)
{
	struct snapshot prev, cur;
	struct diff pd, d;
	const struct sock_scope tcp = { SP_MASK(SP_TCP), SF_ALL, false };
	const struct sock_scope tcp_udp = { SP_MASK(SP_TCP) | SP_MASK(SP_UDP), SF_ALL, false };

	(void)state;
	snapshot_init(&prev);
	snapshot_init(&cur);
	diff_init(&pd);
	diff_init(&d);
	add(&prev, 1, 101, SP_TCP);
	add(&prev, 2, 102, SP_UDP); /* outside the current scope */
	snapshot_finish(&prev);
	diff_compute(&pd, &prev, &tcp_udp, NULL, NULL, NULL, 1000);

	add(&cur, 1, 101, SP_TCP);
	add(&cur, 3, 103, SP_TCP); /* new */
	add(&cur, 4, 104, SP_UDP); /* outside the previous scope */
	snapshot_finish(&cur);
	/* the view narrowed to TCP, then widened again to TCP and UDP */
	diff_compute(&d, &cur, &tcp, &prev, &pd, &tcp, 2000);
	assert_int_equal(d.nnew, 1);
	assert_int_equal(d.ngone, 0); /* socket 2 is out of scope, not gone */
	diff_compute(&d, &cur, &tcp_udp, &prev, &pd, &tcp, 2000);
	assert_int_equal(d.nnew, 1); /* socket 4 is newly shown, not new */
	assert_int_equal(d.ngone, 1);
	assert_int_equal(d.gone[0].cookie, 2);
	for (size_t i = 0; i < cur.n; i++)
		assert_int_equal(!!(d.e[i].flags & DIFF_NEW), cur.socks[i].cookie == 3);
	/* without scopes, everything counts */
	diff_compute(&d, &cur, NULL, &prev, &pd, NULL, 2000);
	assert_int_equal(d.nnew, 2);
	assert_int_equal(d.ngone, 1);
	diff_free(&pd);
	diff_free(&d);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_and_dedup),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_key_cookie_identity),
		cmocka_unit_test(test_diff_accept),
		cmocka_unit_test(test_accept_queue_link),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_diff_scope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
