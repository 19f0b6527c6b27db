/* test_cell.c - the column table and the integer sort keys against
 * cell_compare(). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "cell.h"
#include "uitest.h"
#include "utext.h"

#define NOW 1000000

/* Every column describes itself fully, and the masks follow the flags. */
static void test_columns_described(void **state)
{
	unsigned tcp = cell_cols_needing_tcp_info(), rates = cell_cols_showing_rates();
	int flexible = 0;

	(void)state;
	for (int c = 0; c < COL_MAX_; c++) {
		const struct col_info *ci = cell_col((enum col)c);

		if (!ci->title || !ci->title[0] || !ci->name || !ci->name[0])
			fail_msg("column %d: no title or name", c);
		if (ci->min_w < 1 || ci->min_w > ci->want_w || ci->want_w > ci->max_w)
			fail_msg("column %d (%s): widths %u <= %u <= %u do not hold", c,
				 ci->title, ci->min_w, ci->want_w, ci->max_w);
		assert_int_equal(!!(tcp & COL_BIT(c)), ci->tcp_info);
		assert_int_equal(!!(rates & COL_BIT(c)), ci->rates);
		/* rates come from tcp_info's byte counters */
		if (ci->rates)
			assert_true(ci->tcp_info);
		flexible += ci->flexible;
	}
	assert_true(flexible > 0);
	assert_int_equal(tcp & ~((1u << COL_MAX_) - 1), 0);
}

struct fixture {
	struct snapshot snap;
	struct diff_entry *d; /* parallel to snap.socks; some NULL in use */
	struct procmap *pm;
};

static int sign(int r)
{
	return r < 0 ? -1 : r > 0;
}

static int cmp_words(const uint64_t *x, const uint64_t *y, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/* Orders a and b by their keys as the table's sort does: the primary
 * words, then the tie-break words, each only as far as both are exact.
 * 0: the keys cannot tell, cell_compare() decides. */
static int key_order(enum col c, const struct sock *a, const struct diff_entry *da,
		     const struct sock *b, const struct diff_entry *db,
		     const struct procmap *pm, const struct ownset *own)
{
	uint64_t ka[3], kb[3], ta[8], tb[8];
	bool ea = cell_sortkey(c, a, da, pm, own, ka), eb = cell_sortkey(c, b, db, pm, own, kb);
	int r;

	if ((r = cmp_words(ka, kb, 3)) || !(ea && eb))
		return r;
	ea = cell_sortkey_ties(a, ta);
	eb = cell_sortkey_ties(b, tb);
	if ((r = cmp_words(ta, tb, 4)) || !(ea && eb))
		return r;
	return cmp_words(ta + 4, tb + 4, 4);
}

static struct sock *inet(struct fixture *fx, unsigned proto, unsigned state, const char *l,
			 unsigned lport, const char *r, unsigned rport, uint32_t inode)
{
	return ut_inet(&fx->snap, proto, state, l, lport, r, rport, 100000u + inode, inode);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	static const char *const names[] = {
		"/run/a", "/run/a\0", "/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
		"/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2", "\0abstract", "", "/run/b",
		"/run/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", "/run/aaaaaaaaaaaaaaaa",
		"/run/aaaaaaaaaaaaaaaab", "\xff\xfe", "/run/aaaaaaa",
		/* the longest names the keys hold whole, and one byte longer */
		"/run/aaaaaaaaaaaaaaaac", "/run/aaaaaaaaaaaaaaaaay", "/run/aaaaaaaaaaaaaaaaax",
	};
	static const size_t lens[] = { 6, 7, 36, 36, 9, 0, 6, 36, 21, 22, 2, 12, 22, 23, 23 };
	static const float rates[] = { 0, 0.25f, 1, 1, 1500, 1e9f, 3.5f };
	static const char *const comms[] = {
		"averyverylongcomm", "averyverylongcomz", "short", "averyverylongcomm",
		"sockview", "", "averyverylongc", "averyverylongcX",
		/* the longest commands the keys hold whole, and one byte longer */
		"averyverylongcY", "averyverylongcoX", "averyverylongcoY",
	};
	uint32_t inode = 5000;
	struct sock *x;
	size_t n;

	assert_non_null(fx);
	snapshot_init(&fx->snap);
	fx->pm = procmap_new();
	for (size_t i = 0; i < sizeof(comms) / sizeof(comms[0]); i++)
		procmap_set_proc(fx->pm, (int32_t)(10 + i), comms[i], strlen(comms[i]), 0);
	procmap_set_proc(fx->pm, 30, "short", 5, 0); /* same name, other pid */

	for (int i = 0; i < 60; i++) {
		char l[64], r[64];

		snprintf(l, sizeof(l), i % 2 ? "10.0.%d.%d" : "fe80::%x:%x", i % 3, i % 5);
		snprintf(r, sizeof(r), i % 2 ? "10.1.0.%d" : "::%x", i % 4);
		x = inet(fx, i % 3 ? SP_TCP : i % 6 ? SP_UDP : SP_RAW, (unsigned)(i % SS_MAX_),
			 l, (unsigned)(1000 + i % 7), r, (unsigned)(i % 3 * 80), inode++);
		x->recv_q = (uint32_t)(i % 4);
		x->send_q = (uint32_t)(i % 6 * 1000);
		x->uid = (uint32_t)(i % 3 ? 1000 : 0);
		if (i % 4) {
			x->has |= SOCK_HAS_TCP;
			ut_ext(x)->tcp.rtt_us = (uint32_t)(i % 5 * 100);
			ut_ext(x)->tcp.snd_cwnd = (uint32_t)(i % 3 * 10);
			ut_ext(x)->tcp.total_retrans = (uint32_t)(i % 2 ? UINT32_MAX : 0);
		}
	}
	/* states past the known ones, a v4 socket with a v6-like high byte */
	x = inet(fx, SP_TCP, SS_MAX_ + 3, "255.255.255.255", 65535, "0.0.0.0", 0, inode++);
	x = inet(fx, SP_TCP, SS_CLOSE, "::ffff:1.2.3.4", 1, "::", 0, inode++);
	/* a listener and connections waiting for accept() (inode 0): they
	 * sort by process as their cell reads, the listener's owner */
	inet(fx, SP_TCP, SS_LISTEN, "10.9.0.1", 7000, "0.0.0.0", 0, inode++);
	for (unsigned i = 0; i < 3; i++)
		ut_inet(&fx->snap, SP_TCP, i ? SS_ESTABLISHED : SS_SYN_RECV, "10.9.0.1", 7000,
			"10.9.0.2", 40000 + i, 900000u + i, 0);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		ut_unix(&fx->snap, i % 3 ? SOCK_DGRAM : i % 2 ? SOCK_SEQPACKET : SOCK_STREAM,
			i % 2 ? SS_CLOSE : SS_LISTEN, names[i], lens[i], inode++,
			i % 3 ? (uint32_t)(7100 + i % 4) : 0);
	/* a family neither inet nor Unix */
	x = snapshot_add(&fx->snap);
	x->proto = SP_RAW;
	x->family = AF_PACKET;
	x->type = SOCK_RAW;
	x->inode = inode++;
	x->key.inode = x->inode;
	x->key.family = AF_PACKET;
	x->key.proto = SP_RAW;
	ut_finish(&fx->snap, NOW);

	n = fx->snap.n;
	fx->d = calloc(n, sizeof(*fx->d));
	assert_non_null(fx->d);
	for (size_t i = 0; i < n; i++) {
		const struct sock *s = &fx->snap.socks[i];

		int32_t pid = (int32_t)(i % 12 == 11 ? 30 : 10 + i % 12);

		if (i % 5)
			procmap_add_owner(fx->pm, s->inode, pid, 3);
		if (i % 3) {
			fx->d[i].flags = DIFF_RATES;
			fx->d[i].rx_rate = rates[i % 7];
			fx->d[i].tx_rate = rates[(i / 2) % 7];
		}
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	snapshot_free(&fx->snap);
	procmap_free(fx->pm);
	free(fx->d);
	free(fx);
	return 0;
}

/* The diff entry of socket i, none for every seventh. */
static const struct diff_entry *entry(const struct fixture *fx, size_t i)
{
	return i % 7 == 3 ? NULL : &fx->d[i];
}

/* Every pair, every column, with and without a process map: where the
 * keys tell, they order as cell_compare() does. */
static void test_sortkey_matches_compare(void **state)
{
	struct fixture *fx = *state;
	const struct snapshot *s = &fx->snap;
	size_t decided = 0, left = 0;

	for (int m = 0; m < 2 * COL_MAX_; m++) {
		const struct procmap *pm = m % 2 ? fx->pm : NULL;
		enum col c = (enum col)(m / 2);

		for (size_t i = 0; i < s->n; i++)
			for (size_t j = 0; j < s->n; j++) {
				const struct sock *a = &s->socks[i], *b = &s->socks[j];
				const struct diff_entry *da = entry(fx, i), *db = entry(fx, j);
				int k = key_order(c, a, da, b, db, pm, NULL);
				int r = cell_compare(c, a, da, b, db, pm);

				if (!k) {
					left++;
					continue;
				}
				decided++;
				if (sign(k) != sign(r))
					fail_msg("column %d (%s), pm %d: sockets %zu and %zu: "
						 "keys say %d, cell_compare %d", c,
						 cell_col(c)->title, m % 2, i, j, k, r);
			}
	}
	/* the keys must decide nearly everything, or the sort is slow */
	assert_true(decided > 20 * left);
}

/* Equal exact primary words mean equal for cell_compare()'s column: its
 * order is then its tie-break's. */
static void test_sortkey_exact_ties(void **state)
{
	struct fixture *fx = *state;
	const struct snapshot *s = &fx->snap;

	for (size_t n = 0; n < COL_MAX_ * s->n * s->n; n++) {
		enum col c = (enum col)(n / (s->n * s->n));
		size_t i = n / s->n % s->n, j = n % s->n;
		const struct sock *a = &s->socks[i], *b = &s->socks[j];
		const struct diff_entry *da = entry(fx, i), *db = entry(fx, j);
		uint64_t ka[3], kb[3];
		bool ea = cell_sortkey(c, a, da, fx->pm, NULL, ka);
		bool eb = cell_sortkey(c, b, db, fx->pm, NULL, kb);
		int r, t;

		if (!ea || !eb || cmp_words(ka, kb, 3))
			continue;
		/* equal exact primaries: the order is the tie-break's, which
		 * is the whole order by Proto */
		r = cell_compare(c, a, da, b, db, fx->pm);
		t = cell_compare(COL_PROTO, a, NULL, b, NULL, NULL);
		if (sign(r) != sign(t))
			fail_msg("column %d (%s): sockets %zu and %zu equal by key, not by "
				 "cell_compare", c, cell_col(c)->title, i, j);
	}
}

/* Sockview's own sockets sort as the process map would show them once it
 * has seen them: "sockview" with this pid. */
static void test_sortkey_own(void **state)
{
	struct fixture *fx = *state;
	const struct snapshot *s = &fx->snap;
	struct procmap *seen = procmap_new();
	struct ownset own;
	int32_t me = (int32_t)getpid();

	ownset_init(&own);
	procmap_set_proc(seen, me, "sockview", 8, 0);
	for (size_t i = 0; i < s->n; i += 4) {
		if (!s->socks[i].inode)
			continue;
		ownset_add(&own, s->socks[i].inode, (unsigned)i);
		procmap_add_owner(seen, s->socks[i].inode, me, 3);
	}
	ownset_finish(&own);
	/* ours: our sockets, and connections waiting for our accept() */
	for (size_t i = 0; i < s->n; i++) {
		uint64_t ko[3], kp[3];
		bool eo = cell_sortkey(COL_PROCESS, &s->socks[i], NULL, fx->pm, &own, ko);
		bool ep = cell_sortkey(COL_PROCESS, &s->socks[i], NULL, seen, NULL, kp);

		if (!ownset_find(&own, sock_owner_inode(&s->socks[i]), NULL))
			continue;
		assert_true(eo);
		assert_int_equal(eo, ep);
		assert_memory_equal(ko, kp, sizeof(ko));
	}
	ownset_free(&own);
	procmap_free(seen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_described),
		cmocka_unit_test_setup_teardown(test_sortkey_matches_compare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sortkey_exact_ties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sortkey_own, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
