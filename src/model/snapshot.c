/* snapshot.c - a set of socket records with an index by key. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "snapshot.h"
#include "xalloc.h"

void snapshot_init(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
}

void snapshot_free(struct snapshot *s)
{
	free(s->socks);
	free(s->index);
	for (size_t i = 0; i < s->nxblocks; i++)
		free(s->xblocks[i]);
	free(s->xblocks);
	snapshot_init(s);
}

void snapshot_clear(struct snapshot *s)
{
	s->n = 0;
	s->index_cap = 0;
	s->inconsistent = false;
	memset(s->status, 0, sizeof(s->status));
	memset(s->error, 0, sizeof(s->error));
	s->from_proc = 0;
	s->taken_ms = 0;
	s->xused = 0; /* the blocks stay for the next dump */
}

struct sock *snapshot_add(struct snapshot *s)
{
	struct sock *r;

	xgrow((void **)&s->socks, &s->cap, s->n + 1, sizeof(*s->socks));
	r = &s->socks[s->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

/* Side parts per block: about 200 KiB. */
#define SNAP_XBLOCK 1024

struct sock_ext *snapshot_ext(struct snapshot *s, struct sock *r)
{
	size_t b = s->xused / SNAP_XBLOCK;
	struct sock_ext *x;

	if (r->x)
		return r->x;
	if (b >= s->nxblocks) {
		s->xblocks = xreallocarray(s->xblocks, s->nxblocks + 1, sizeof(*s->xblocks));
		s->xblocks[s->nxblocks++] = xmalloc(SNAP_XBLOCK * sizeof(**s->xblocks));
	}
	x = &s->xblocks[b][s->xused++ % SNAP_XBLOCK];
	memset(x, 0, sizeof(*x));
	r->x = x;
	return x;
}

struct sock *snapshot_add_copy(struct snapshot *s, const struct sock *src)
{
	struct sock *r = snapshot_add(s);

	*r = *src;
	r->x = NULL;
	if (src->x)
		*snapshot_ext(s, r) = *src->x;
	return r;
}

void snapshot_drop_last(struct snapshot *s)
{
	const struct sock *r;

	if (!s->n)
		return;
	r = &s->socks[--s->n];
	/* its side part, if it was the last one made, is taken back */
	if (r->x && s->xused &&
	    r->x == &s->xblocks[(s->xused - 1) / SNAP_XBLOCK][(s->xused - 1) % SNAP_XBLOCK])
		s->xused--;
}

/* Inserts record i; returns the slot of an equal record already there, or
 * -1 after inserting. */
static long index_insert(struct snapshot *s, size_t i)
{
	size_t mask = s->index_cap - 1;
	uint64_t hv = sock_key_hash(&s->socks[i].key);
	uint32_t tag = (uint32_t)(hv >> 32);
	size_t h = (size_t)hv & mask;

	while (s->index[h].rec) {
		size_t j = s->index[h].rec - 1;

		if (s->index[h].tag == tag && sock_key_equal(&s->socks[j].key, &s->socks[i].key))
			return (long)h;
		h = (h + 1) & mask;
	}
	s->index[h].rec = (uint32_t)(i + 1);
	s->index[h].tag = tag;
	return -1;
}

static void link_listeners(struct snapshot *s);

void snapshot_finish(struct snapshot *s)
{
	size_t cap = 64, i, out = 0;

	while (cap < s->n * 2)
		cap *= 2;
	if (cap != s->index_cap_alloc) {
		free(s->index);
		/* aligned for 2 MiB pages and zeroed by writing (xalloc.h) */
		s->index = xcalloc_big(cap, sizeof(*s->index));
		s->index_cap_alloc = cap;
	}
	memset(s->index, 0, cap * sizeof(*s->index));
	s->index_cap = cap;
	for (i = 0; i < s->n; i++) {
		long slot;

		if (out != i)
			s->socks[out] = s->socks[i];
		slot = index_insert(s, out);
		if (slot >= 0) {
			/* duplicate: newer data replaces the older copy in place */
			s->socks[s->index[slot].rec - 1] = s->socks[out];
			continue;
		}
		out++;
	}
	s->n = out;
	link_listeners(s);
	s->taken_ms = clock_now_ms();
}

const struct sock *snapshot_find(const struct snapshot *s, const struct sock_key *k)
{
	size_t mask, h;
	uint64_t hv;
	uint32_t tag;

	if (!s->index_cap)
		return NULL;
	mask = s->index_cap - 1;
	hv = sock_key_hash(k);
	tag = (uint32_t)(hv >> 32);
	h = (size_t)hv & mask;
	while (s->index[h].rec) {
		const struct sock *r = &s->socks[s->index[h].rec - 1];

		if (s->index[h].tag == tag && sock_key_equal(&r->key, k))
			return r;
		h = (h + 1) & mask;
	}
	return NULL;
}

const struct sock *snapshot_find_inode(const struct snapshot *s, uint32_t inode)
{
	if (!inode)
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		if (s->socks[i].inode == inode)
			return &s->socks[i];
	return NULL;
}

void snapshot_swap(struct snapshot *a, struct snapshot *b)
{
	struct snapshot t = *a;

	*a = *b;
	*b = t;
}

/* The address as IPv6 (IPv4 as ::ffff:a.b.c.d), so that a dual-stack
 * server's socket matches its IPv4 client. */
static void addr_v6(const struct sock *s, bool peer, uint8_t out[16])
{
	const uint8_t *a = peer ? s->raddr : s->laddr;

	if (s->family == AF_INET) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, a, 4);
	} else {
		memcpy(out, a, 16);
	}
}

const struct sock *snapshot_find_peer(const struct snapshot *snap, const struct sock *s)
{
	uint8_t sl[16], sr[16], rl[16], rr[16];

	if (s->proto == SP_UNIX) {
		if (!(s->has & SOCK_HAS_PEER) || !s->peer_inode)
			return NULL;
		for (size_t i = 0; i < snap->n; i++) {
			const struct sock *r = &snap->socks[i];

			/* inodes are global: a peer may be in another
			 * namespace (a path connects across them) */
			if (r->proto == SP_UNIX && r->inode == s->peer_inode)
				return r;
		}
		return NULL;
	}
	if (s->proto == SP_NETLINK) {
		/* connected: the socket of that port id, same protocol */
		if (!sock_x(s)->nl.connected || !sock_x(s)->nl.dst_portid)
			return NULL;
		for (size_t i = 0; i < snap->n; i++) {
			const struct sock *r = &snap->socks[i];

			if (r != s && r->proto == SP_NETLINK && sock_x(r)->nl.protocol == sock_x(s)->nl.protocol &&
			    sock_x(r)->nl.portid == sock_x(s)->nl.dst_portid)
				return r;
		}
		return NULL;
	}
	/* raw and packet sockets have no peer; an unconnected socket neither */
	if ((s->proto != SP_TCP && s->proto != SP_UDP && s->proto != SP_MPTCP) || !s->rport ||
	    (s->family != AF_INET && s->family != AF_INET6))
		return NULL;
	addr_v6(s, false, sl);
	addr_v6(s, true, sr);
	for (size_t i = 0; i < snap->n; i++) {
		const struct sock *r = &snap->socks[i];

		if (r == s || r->proto != s->proto || r->lport != s->rport ||
		    r->key.netns != s->key.netns ||
		    r->rport != s->lport || (r->family != AF_INET && r->family != AF_INET6))
			continue;
		addr_v6(r, false, rl);
		addr_v6(r, true, rr);
		if (!memcmp(rl, sr, 16) && !memcmp(rr, sl, 16) && !sock_key_equal(&r->key, &s->key))
			return r;
	}
	return NULL;
}

/* ---- accept queues ----
 * A TCP connection that the kernel accepted but the program has not yet
 * (accept()) has no file, so inode 0: its listener, on the same family,
 * port and address (or a wildcard one), says whose it will be. The
 * listeners are sorted by port once per snapshot and each candidate looks
 * its port up: O(n + l log l + c log l) for l listeners, c candidates. */

struct lsn {
	uint16_t port;
	uint32_t rec; /* index into socks */
};

static int lsn_cmp(const void *pa, const void *pb)
{
	const struct lsn *a = pa, *b = pb;

	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return a->rec < b->rec ? -1 : a->rec > b->rec;
}

/* Inode 0 in a state a connection has before accept(): SYN-RECV (in the
 * handshake), ESTAB, or CLOSE-WAIT (the client already closed). An orphan
 * (closed by its program) is never in these states. */
static bool may_await_accept(const struct sock *r)
{
	return r->proto == SP_TCP && !r->inode &&
	       (r->family == AF_INET || r->family == AF_INET6) &&
	       (r->state == SS_ESTABLISHED || r->state == SS_SYN_RECV ||
		r->state == SS_NEW_SYN_RECV || r->state == SS_CLOSE_WAIT);
}

static bool is_wildcard(const struct sock *r)
{
	static const uint8_t zero[16];

	return !memcmp(r->laddr, zero, r->family == AF_INET ? 4 : 16);
}

static void link_listeners(struct snapshot *s)
{
	size_t nl = 0, nc = 0, k = 0;
	struct lsn *l;

	for (size_t i = 0; i < s->n; i++) {
		const struct sock *r = &s->socks[i];

		s->socks[i].listener_inode = 0;
		if (r->proto == SP_TCP && r->state == SS_LISTEN && r->inode)
			nl++;
		else if (may_await_accept(r))
			nc++;
	}
	if (!nl || !nc)
		return;
	l = xcalloc(nl, sizeof(*l));
	for (size_t i = 0; i < s->n; i++) {
		const struct sock *r = &s->socks[i];

		if (r->proto == SP_TCP && r->state == SS_LISTEN && r->inode) {
			l[k].port = r->lport;
			l[k++].rec = (uint32_t)i;
		}
	}
	qsort(l, nl, sizeof(*l), lsn_cmp);
	for (size_t i = 0; i < s->n; i++) {
		struct sock *c = &s->socks[i];
		const struct sock *best = NULL;
		size_t lo = 0, hi = nl;

		if (!may_await_accept(c))
			continue;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (l[mid].port < c->lport)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* the listener on its very address first, else a wildcard
		 * one; several (SO_REUSEPORT): the first in the dump */
		for (; lo < nl && l[lo].port == c->lport; lo++) {
			const struct sock *r = &s->socks[l[lo].rec];

			if (r->family != c->family || r->key.netns != c->key.netns)
				continue;
			if (!memcmp(r->laddr, c->laddr, c->family == AF_INET ? 4 : 16)) {
				best = r;
				break;
			}
			if (!best && is_wildcard(r))
				best = r;
		}
		if (best)
			c->listener_inode = best->inode;
	}
	free(l);
}
