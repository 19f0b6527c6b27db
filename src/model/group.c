/* group.c - sockets grouped by owner (see group.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "xalloc.h"

#define GROUP_MAX_OWNERS 64

void group_init(struct group_set *g)
{
	memset(g, 0, sizeof(*g));
}

void group_free(struct group_set *g)
{
	free(g->rows);
	free(g->members);
	free(g->scratch);
	group_init(g);
}

int group_by_parse(const char *s)
{
	if (!strcmp(s, "process"))
		return GROUP_PROCESS;
	return -1;
}

const char *group_by_name(enum group_by by)
{
	switch (by) {
	case GROUP_PROCESS:
	default:
		return "process";
	}
}

/* The groups a socket belongs to, into keys[] (distinct); returns how
 * many (at least 1: GROUP_NONE). */
static size_t keys_of(enum group_by by, const struct sock *s, const struct procmap *pm,
		      int64_t *keys, size_t max)
{
	struct proc_owner own[GROUP_MAX_OWNERS];
	uint32_t inode = sock_owner_inode(s);
	size_t n = 0, k = 0;

	switch (by) {
	case GROUP_PROCESS:
	default:
		if (pm && inode)
			n = procmap_owners(pm, inode, own, GROUP_MAX_OWNERS);
		if (n > GROUP_MAX_OWNERS)
			n = GROUP_MAX_OWNERS;
		/* sorted by pid: one key per distinct pid */
		for (size_t i = 0; i < n && k < max; i++)
			if (!k || keys[k - 1] != own[i].pid)
				keys[k++] = own[i].pid;
		break;
	}
	if (!k)
		keys[k++] = GROUP_NONE;
	return k;
}

struct pair {
	int64_t key;
	uint32_t i;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void group_build(struct group_set *g, enum group_by by, const struct group_input *in, size_t n,
		 const struct procmap *pm)
{
	struct pair *p = NULL;
	size_t np = 0, pcap = 0;
	int64_t keys[GROUP_MAX_OWNERS];

	g->by = by;
	g->n = 0;
	g->nmembers = 0;
	g->total_rx = g->total_tx = 0;
	g->nsocks = n;
	g->shared = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = keys_of(by, in[i].s, pm, keys, GROUP_MAX_OWNERS);

		if (k > 1)
			g->shared++;
		if (in[i].rates) {
			g->total_rx += (double)in[i].rx;
			g->total_tx += (double)in[i].tx;
		}
		if (np + k > pcap) {
			pcap = (np + k) * 2;
			p = xreallocarray(p, pcap, sizeof(*p));
		}
		for (size_t j = 0; j < k; j++) {
			p[np].key = keys[j];
			p[np].i = (uint32_t)i;
			np++;
		}
	}
	if (np > 1)
		qsort(p, np, sizeof(*p), cmp_pair);
	if (np > g->mcap) {
		g->mcap = np;
		g->members = xreallocarray(g->members, g->mcap, sizeof(*g->members));
	}
	for (size_t j = 0; j < np; j++) {
		const struct group_input *x = &in[p[j].i];
		struct group_row *r;

		if (!g->n || g->rows[g->n - 1].key != p[j].key) {
			if (g->n == g->cap) {
				g->cap = g->cap ? g->cap * 2 : 32;
				g->rows = xreallocarray(g->rows, g->cap, sizeof(*g->rows));
			}
			r = &g->rows[g->n++];
			memset(r, 0, sizeof(*r));
			r->key = p[j].key;
			r->first = (uint32_t)j;
		}
		r = &g->rows[g->n - 1];
		r->n++;
		r->nsocks++;
		if (x->s->proto < SP_NPROTO)
			r->kind[x->s->proto]++;
		if (x->s->state < SS_MAX_)
			r->state[x->s->state]++;
		if (x->rates) {
			r->rx += (double)x->rx;
			r->tx += (double)x->tx;
			r->nrates++;
		}
		g->members[j] = p[j].i;
	}
	g->nmembers = np;
	free(p);
}

size_t group_label(const struct group_set *g, const struct group_row *r, const struct procmap *pm,
		   char *dst, size_t len)
{
	const char *comm = NULL;
	size_t clen = 0;

	if (!len)
		return 0;
	dst[0] = '\0';
	if (r->key == GROUP_NONE)
		return 0;
	switch (g->by) {
	case GROUP_PROCESS:
	default:
		if (pm)
			comm = procmap_comm(pm, (int32_t)r->key, &clen);
		break;
	}
	if (!comm)
		return 0;
	if (clen >= len)
		clen = len - 1;
	memcpy(dst, comm, clen);
	dst[clen] = '\0';
	return clen;
}
