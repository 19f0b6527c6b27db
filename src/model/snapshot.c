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
	snapshot_init(s);
}

void snapshot_clear(struct snapshot *s)
{
	s->n = 0;
	s->index_cap = 0;
	s->inconsistent = false;
	memset(s->status, 0, sizeof(s->status));
	memset(s->error, 0, sizeof(s->error));
	s->taken_ms = 0;
}

struct sock *snapshot_add(struct snapshot *s)
{
	struct sock *r;

	xgrow((void **)&s->socks, &s->cap, s->n + 1, sizeof(*s->socks));
	r = &s->socks[s->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

void snapshot_drop_last(struct snapshot *s)
{
	if (s->n)
		s->n--;
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

void snapshot_finish(struct snapshot *s)
{
	size_t cap = 64, i, out = 0;

	while (cap < s->n * 2)
		cap *= 2;
	if (cap != s->index_cap_alloc) {
		free(s->index);
		s->index = xcalloc(cap, sizeof(*s->index));
		s->index_cap_alloc = cap;
	} else {
		memset(s->index, 0, cap * sizeof(*s->index));
	}
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

			if (r->proto == SP_UNIX && r->inode == s->peer_inode)
				return r;
		}
		return NULL;
	}
	/* raw sockets have no peer; an unconnected socket neither */
	if ((s->proto != SP_TCP && s->proto != SP_UDP) || !s->rport ||
	    (s->family != AF_INET && s->family != AF_INET6))
		return NULL;
	addr_v6(s, false, sl);
	addr_v6(s, true, sr);
	for (size_t i = 0; i < snap->n; i++) {
		const struct sock *r = &snap->socks[i];

		if (r == s || r->proto != s->proto || r->lport != s->rport ||
		    r->rport != s->lport || (r->family != AF_INET && r->family != AF_INET6))
			continue;
		addr_v6(r, false, rl);
		addr_v6(r, true, rr);
		if (!memcmp(rl, sr, 16) && !memcmp(rr, sl, 16) && !sock_key_equal(&r->key, &s->key))
			return r;
	}
	return NULL;
}
