/* test_faults.c - the sock_diag source under random faults (issue 6, item 4).
 *
 * tests/integration/test_diag.c scripts one fault at a time through the transport seam
 * (diag_set_transport). Here a "chaos" transport answers every request
 * like the kernel would, but, from a seeded generator, interrupts receives
 * (EINTR), drops datagrams (ENOBUFS), says "nothing yet" (EAGAIN),
 * truncates datagrams, flags messages NLM_F_DUMP_INTR, ends dumps with
 * ENOENT/EBUSY/EPERM, slips in datagrams of an old dump or broken ones, and
 * fails resets - at any point of any request, through the blocking
 * diag_dump() and the non-blocking diag_start()/diag_step() the live view
 * uses, for thousands of cycles on one struct diag. After every cycle:
 *  - it ended (bounded steps), nothing is busy, the snapshot is finished;
 *  - each protocol asked for has a status, each other one none;
 *  - a protocol reported OK holds exactly the sockets of the last attempt
 *    of each of its requests: nothing from an abandoned attempt, nothing
 *    from an old dump, nothing lost;
 *  - a cycle without faults is complete and consistent.
 * ASan (sanitizer build) watches the memory side. A failure names the seed
 * of the cycle, so it can be replayed. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "diag.h"
#include "snapshot.h"

/* The four kinds the fake kernels here know (TCP, UDP, raw, Unix); the
 * kinds of issue 13 have tests of their own (test_diag_kinds, kinds.sh). */
#define SV_CLASSIC (SP_MASK(SP_TCP) | SP_MASK(SP_UDP) | SP_MASK(SP_RAW) | SP_MASK(SP_UNIX))

#define DG_WORDS 2048 /* 8 KiB per datagram */
#define Q_MAX 32
#define SOCKS_MAX 24  /* sockets per answer */
#define MSGS_PER_DG 5
#define NREQ 7        /* (tcp, udp, raw) x (inet, inet6), unix */
#define CYCLES 3000
#define STEP_LIMIT 10000

struct dgram {
	int err;    /* recv fails with this (0: deliver the datagram) */
	bool trunc; /* report more bytes than the buffer holds */
	size_t len;
	uint32_t data[DG_WORDS];
};

struct chaos {
	uint32_t rng;
	unsigned fault_pct; /* chance in % of a fault at each decision */
	struct dgram q[Q_MAX];
	size_t head, tail;
	bool faulted;       /* a fault was injected during this cycle */
	uint32_t next_inode;
	uint32_t old_seq;   /* the sequence number of the previous request */
	/* The inodes of the last attempt of each request, by request slot. */
	uint32_t last[NREQ][SOCKS_MAX];
	size_t nlast[NREQ];
	/* Answers flagged NLM_F_DUMP_INTR during this cycle, by slot. */
	unsigned nintr[NREQ];
};

static uint32_t rnd(struct chaos *c)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 17;
	c->rng ^= c->rng << 5;
	return c->rng;
}

/* True (and counted as a fault) with probability fault_pct %. */
static bool fault(struct chaos *c)
{
	if (rnd(c) % 100 >= c->fault_pct)
		return false;
	c->faulted = true;
	return true;
}

static unsigned slot_of(unsigned proto, int family)
{
	if (proto == SP_UNIX)
		return NREQ - 1;
	return proto * 2 + (family == AF_INET6);
}

static struct dgram *push(struct chaos *c)
{
	struct dgram *d;

	assert_true(c->tail < Q_MAX);
	d = &c->q[c->tail++];
	d->err = 0;
	d->trunc = false;
	d->len = 0;
	return d;
}

static struct nlmsghdr *put_msg(struct dgram *d, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh;

	assert_true(d->len + 512 < sizeof(d->data));
	nlh = mnl_nlmsg_put_header((char *)d->data + d->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	return nlh;
}

static void end_msg(struct dgram *d, const struct nlmsghdr *nlh)
{
	d->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void put_sock(struct dgram *d, unsigned proto, int family, uint32_t seq, uint32_t inode,
		     uint16_t flags)
{
	struct nlmsghdr *nlh = put_msg(d, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI | flags, seq);

	if (proto == SP_UNIX) {
		struct unix_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

		m->udiag_family = AF_UNIX;
		m->udiag_type = SOCK_STREAM;
		m->udiag_state = SS_LISTEN;
		m->udiag_ino = inode;
		m->udiag_cookie[0] = inode;
	} else {
		struct inet_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

		m->idiag_family = (uint8_t)family;
		m->idiag_state = SS_LISTEN;
		m->id.idiag_sport = htons((uint16_t)(inode & 0xffff));
		m->id.idiag_cookie[0] = inode;
		m->idiag_inode = inode;
	}
	end_msg(d, nlh);
}

static void put_end(struct dgram *d, uint16_t type, uint32_t seq, int32_t err, uint16_t flags)
{
	struct nlmsghdr *nlh = put_msg(d, type, NLM_F_MULTI | flags, seq);

	if (type == NLMSG_ERROR) {
		struct nlmsgerr *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

		m->error = err;
	} else {
		int32_t *v = mnl_nlmsg_put_extra_header(nlh, sizeof(*v));

		*v = err;
	}
	end_msg(d, nlh);
}

/* The kernel's answer to one request, with faults decided now. */
static void answer(struct chaos *c, unsigned proto, int family, uint32_t seq)
{
	unsigned slot = slot_of(proto, family);
	size_t n = rnd(c) % (SOCKS_MAX + 1);
	uint16_t intr = 0;
	struct dgram *d = NULL;

	c->tail = c->head = 0;
	if (fault(c)) /* a datagram of the old dump still on the socket */
		put_sock(push(c), proto, family, c->old_seq, 999999999u, 0);
	if (fault(c)) { /* the kernel has no handler for this protocol */
		c->nlast[slot] = 0;
		if (rnd(c) % 2)
			put_end(push(c), NLMSG_DONE, seq, -ENOENT, 0);
		else
			put_end(push(c), NLMSG_ERROR, seq, -ENOENT, 0);
		return;
	}
	c->nlast[slot] = n;
	for (size_t i = 0; i < n; i++) {
		uint32_t ino = c->next_inode++;

		if (i % MSGS_PER_DG == 0)
			d = push(c);
		if (!intr && fault(c)) /* the tables changed under the dump */
			intr = NLM_F_DUMP_INTR;
		c->last[slot][i] = ino;
		put_sock(d, proto, family, seq, ino, intr);
	}
	if (!intr && fault(c))
		intr = NLM_F_DUMP_INTR;
	if (intr)
		c->nintr[slot]++;
	d = push(c);
	if (fault(c)) {
		static const int32_t errs[] = { -EBUSY, -EPERM, -EOPNOTSUPP, -EINVAL };

		put_end(d, rnd(c) % 2 ? NLMSG_ERROR : NLMSG_DONE, seq, errs[rnd(c) % 4], intr);
	} else {
		put_end(d, NLMSG_DONE, seq, 0, intr);
	}
}

static ssize_t chaos_send(void *ctx, const void *buf, size_t len)
{
	struct chaos *c = ctx;
	const struct nlmsghdr *nlh = buf;
	const uint8_t *req = mnl_nlmsg_get_payload(nlh);
	unsigned proto;
	int family;

	assert_true(len >= sizeof(*nlh) + 2 && nlh->nlmsg_len == len);
	assert_int_equal(nlh->nlmsg_type, SOCK_DIAG_BY_FAMILY);
	assert_int_not_equal(nlh->nlmsg_seq, 0);
	if (fault(c) && rnd(c) % 4 == 0) {
		errno = ENOBUFS; /* the send itself fails */
		return -1;
	}
	family = req[0];
	switch (req[1]) {
	case IPPROTO_TCP: proto = SP_TCP; break;
	case IPPROTO_UDP: proto = SP_UDP; break;
	case IPPROTO_RAW: proto = SP_RAW; break;
	default: proto = SP_UNIX; break;
	}
	if (family == AF_UNIX)
		proto = SP_UNIX;
	answer(c, proto, family, nlh->nlmsg_seq);
	c->old_seq = nlh->nlmsg_seq;
	return (ssize_t)len;
}

static ssize_t chaos_recv(void *ctx, void *buf, size_t len)
{
	struct chaos *c = ctx;
	struct dgram *d;

	if (c->head == c->tail) {
		errno = EAGAIN;
		return -1;
	}
	if (fault(c)) {
		switch (rnd(c) % 6) {
		case 0:
			errno = EINTR;
			return -1;
		case 1:
			errno = EAGAIN; /* nothing yet: the data comes later */
			return -1;
		case 2:
			c->head++; /* this datagram is lost */
			errno = ENOBUFS;
			return -1;
		case 3: { /* a broken datagram: nlmsg_len past its end */
			uint32_t w[4] = { 4096, SOCK_DIAG_BY_FAMILY, 0, 0 };

			memcpy(buf, w, sizeof(w));
			return (ssize_t)sizeof(w);
		}
		case 4:
			c->head++; /* longer than the buffer: truncated */
			return (ssize_t)len + 1;
		default:
			break; /* a fault that turned out harmless */
		}
	}
	d = &c->q[c->head++];
	if (d->err) {
		errno = d->err;
		return -1;
	}
	assert_true(d->len <= len);
	memcpy(buf, d->data, d->len);
	return d->trunc ? (ssize_t)len + 1 : (ssize_t)d->len;
}

static int chaos_reset(void *ctx)
{
	struct chaos *c = ctx;

	c->head = c->tail = 0;
	if (fault(c) && rnd(c) % 4 == 0) {
		errno = EMFILE; /* the socket cannot be reopened */
		return -1;
	}
	return 0;
}

static const struct diag_transport_ops chaos_ops = { chaos_send, chaos_recv, chaos_reset };

static bool has_inode(const uint32_t *v, size_t n, uint32_t ino)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == ino)
			return true;
	return false;
}

/* The checks after one cycle; seed names it in messages. */
static void check_cycle(const struct chaos *c, const struct diag *d, const struct snapshot *snap,
			unsigned protos, unsigned families, uint32_t seed)
{
	size_t count[NREQ] = { 0 };

	if (diag_busy(d))
		fail_msg("seed %u: still busy after the cycle", seed);
	if (!snap->index_cap)
		fail_msg("seed %u: snapshot not finished", seed);
	for (unsigned p = 0; p < SP_NPROTO; p++) {
		bool asked = (protos & SP_MASK(p)) && (p == SP_UNIX || (families & SF_ALL));
		enum snap_status st = snap->status[p];

		if (asked && st != SNAP_OK && st != SNAP_UNAVAILABLE && st != SNAP_FAILED)
			fail_msg("seed %u: protocol %u asked for but status %d", seed, p, st);
		if (!asked && st != SNAP_NOT_ASKED)
			fail_msg("seed %u: protocol %u not asked for but status %d", seed, p, st);
		if (st == SNAP_OK && snap->error[p])
			fail_msg("seed %u: protocol %u OK with error %d", seed, p, snap->error[p]);
		if (!c->faulted && asked && st != SNAP_OK)
			fail_msg("seed %u: no fault, yet protocol %u has status %d", seed, p, st);
	}
	if (snap->inconsistent) {
		bool retried_enough = false;

		/* Only a request interrupted more than the retries allow. */
		for (unsigned i = 0; i < NREQ; i++)
			retried_enough |= c->nintr[i] > DIAG_MAX_INTR_RETRIES;
		if (!retried_enough)
			fail_msg("seed %u: inconsistent without enough interrupted dumps", seed);
	}
	for (size_t i = 0; i < snap->n; i++) {
		const struct sock *s = &snap->socks[i];
		unsigned slot = slot_of(s->proto, s->family);

		if (!(protos & SP_MASK(s->proto)))
			fail_msg("seed %u: a record of protocol %u, not asked for", seed, s->proto);
		if (s->inode == 999999999u)
			fail_msg("seed %u: a record of an old dump was kept", seed);
		if (snap->status[s->proto] != SNAP_OK)
			continue;
		if (!has_inode(c->last[slot], c->nlast[slot], s->inode))
			fail_msg("seed %u: inode %u of proto %u family %u is not from the last attempt",
				 seed, s->inode, s->proto, s->family);
		count[slot]++;
	}
	for (unsigned p = 0; p < SP_NPROTO; p++) {
		if (snap->status[p] != SNAP_OK)
			continue;
		for (unsigned f = 0; f < 2; f++) {
			unsigned slot = p == SP_UNIX ? NREQ - 1 : slot_of(p, f ? AF_INET6 : AF_INET);

			if (p != SP_UNIX && !(families & (f ? SF_INET6 : SF_INET)))
				continue;
			if (count[slot] != c->nlast[slot])
				fail_msg("seed %u: proto %u slot %u: %zu records, the last attempt had %zu",
					 seed, p, slot, count[slot], c->nlast[slot]);
			if (p == SP_UNIX)
				break;
		}
	}
}

static void run_cycles(bool blocking, unsigned fault_pct)
{
	struct chaos *c = calloc(1, sizeof(*c));
	struct diag *d = diag_open();
	struct snapshot snap;
	size_t faulted = 0, clean = 0;

	assert_non_null(c);
	assert_non_null(d);
	diag_set_transport(d, &chaos_ops, c);
	snapshot_init(&snap);
	c->next_inode = 1000;
	for (uint32_t cycle = 0; cycle < CYCLES; cycle++) {
		uint32_t seed = cycle * 2654435761u + (blocking ? 1 : 2) + fault_pct;
		unsigned protos, families;
		int r;

		c->rng = seed ? seed : 1;
		c->fault_pct = fault_pct;
		c->faulted = false;
		memset(c->nlast, 0, sizeof(c->nlast));
		memset(c->nintr, 0, sizeof(c->nintr));
		protos = rnd(c) % (SV_CLASSIC + 1);
		families = rnd(c) % 4;
		if (!protos)
			protos = SV_CLASSIC;
		if (blocking) {
			errno = 0;
			r = diag_dump(d, protos, families, &snap);
			if (r != 0 && !(r == -1 && errno != 0 && c->faulted))
				fail_msg("seed %u: diag_dump returned %d (errno %d)", seed, r, errno);
		} else {
			int steps = 0;

			r = diag_start(d, protos, families, &snap);
			if (r != 0 && !(r == -1 && c->faulted))
				fail_msg("seed %u: diag_start returned %d", seed, r);
			while (r == 0 && diag_busy(d)) {
				int s = diag_step(d);

				if (s < 0) {
					if (!c->faulted || !errno)
						fail_msg("seed %u: diag_step failed without a fault", seed);
					break;
				}
				if (s == 0)
					break;
				if (++steps > STEP_LIMIT)
					fail_msg("seed %u: the cycle never ends", seed);
			}
		}
		check_cycle(c, d, &snap, protos, families, seed);
		if (c->faulted)
			faulted++;
		else
			clean++;
	}
	/* Both kinds of cycle really happened. */
	assert_true(faulted > CYCLES / 10);
	assert_true(clean > 0 || fault_pct >= 20);
	snapshot_free(&snap);
	diag_free(d);
	free(c);
}

static void test_blocking_rare_faults(void **state)
{
	(void)state;
	run_cycles(true, 2);
}

static void test_blocking_many_faults(void **state)
{
	(void)state;
	run_cycles(true, 25);
}

static void test_nonblocking_rare_faults(void **state)
{
	(void)state;
	run_cycles(false, 2);
}

static void test_nonblocking_many_faults(void **state)
{
	(void)state;
	run_cycles(false, 25);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocking_rare_faults),
		cmocka_unit_test(test_blocking_many_faults),
		cmocka_unit_test(test_nonblocking_rare_faults),
		cmocka_unit_test(test_nonblocking_many_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
