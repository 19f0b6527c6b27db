/* group.c - sockets grouped by owner (see group.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "service.h"
#include "xalloc.h"

#define GROUP_MAX_OWNERS 64

/* GROUP_SERVICE's labels by key: open addressing, at most half full. */
struct svc_ent {
	int64_t key; /* 0: empty (no hash is 0, see svc_key) */
	uint8_t len, kind;
	char label[GROUP_LABEL_MAX];
};

struct group_svc {
	struct svc_ent *v;
	unsigned bits;
	size_t n;
};

/* FNV-1a of the label, in [1, GROUP_NOSERVICE). */
static int64_t svc_key(const char *l, size_t len)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)l[i];
		h *= 1099511628211ull;
	}
	h &= (uint64_t)INT64_MAX >> 1;
	return (int64_t)(h ? h : 1);
}

static struct svc_ent *svc_find(const struct group_svc *t, int64_t key)
{
	size_t mask = ((size_t)1 << t->bits) - 1;
	size_t i = (size_t)(((uint64_t)key * 0x9e3779b97f4a7c15ull) >> (64 - t->bits));

	while (t->v[i].key && t->v[i].key != key)
		i = (i + 1) & mask;
	return &t->v[i];
}

/* The key of label, adding it to the table if new. */
static int64_t svc_intern(struct group_set *g, const char *l, size_t len, unsigned kind)
{
	struct group_svc *t = g->svc;
	int64_t key;
	struct svc_ent *e;

	if (len >= GROUP_LABEL_MAX)
		len = GROUP_LABEL_MAX - 1;
	key = svc_key(l, len);
	if (!t) {
		t = g->svc = xcalloc(1, sizeof(*t));
		t->bits = 5;
		t->v = xcalloc((size_t)1 << t->bits, sizeof(*t->v));
	}
	e = svc_find(t, key);
	if (e->key)
		return key;
	if ((t->n + 1) * 2 > ((size_t)1 << t->bits)) {
		struct svc_ent *old = t->v;
		size_t nold = (size_t)1 << t->bits;

		t->bits++;
		t->v = xcalloc((size_t)1 << t->bits, sizeof(*t->v));
		for (size_t i = 0; i < nold; i++)
			if (old[i].key)
				*svc_find(t, old[i].key) = old[i];
		free(old);
		e = svc_find(t, key);
	}
	e->key = key;
	e->len = (uint8_t)len;
	e->kind = (uint8_t)kind;
	memcpy(e->label, l, len);
	t->n++;
	return key;
}

static void svc_clear(struct group_svc *t)
{
	if (t && t->n) {
		memset(t->v, 0, ((size_t)1 << t->bits) * sizeof(*t->v));
		t->n = 0;
	}
}

static int cmp_key(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* GROUP_SERVICE's keys of s (see group.h), distinct, into keys[]. */
static size_t service_keys(struct group_set *g, const struct sock *s, const struct procmap *pm,
			   int64_t *keys, size_t max)
{
	struct proc_owner own[GROUP_MAX_OWNERS];
	uint32_t inode = sock_owner_inode(s);
	const char *l;
	size_t len, n = 0, k = 0, j = 0;
	unsigned kind;

	l = service_of_cgroup(s, pm, &len, &kind);
	if (l) {
		keys[0] = svc_intern(g, l, len, kind);
		return 1;
	}
	if (pm && inode)
		n = procmap_owners(pm, inode, own, GROUP_MAX_OWNERS);
	if (n > GROUP_MAX_OWNERS)
		n = GROUP_MAX_OWNERS;
	for (size_t i = 0; i < n && k < max; i++) {
		l = procmap_service(pm, own[i].pid, &len, &kind);
		keys[k++] = l ? svc_intern(g, l, len, kind) : GROUP_NOSERVICE;
	}
	if (k > 1)
		qsort(keys, k, sizeof(*keys), cmp_key);
	for (size_t i = 0; i < k; i++)
		if (!j || keys[j - 1] != keys[i])
			keys[j++] = keys[i];
	return j;
}

void group_init(struct group_set *g)
{
	memset(g, 0, sizeof(*g));
}

void group_free(struct group_set *g)
{
	free(g->rows);
	free(g->members);
	free(g->scratch);
	if (g->svc)
		free(g->svc->v);
	free(g->svc);
	group_init(g);
}

int group_by_parse(const char *s)
{
	if (!strcmp(s, "process"))
		return GROUP_PROCESS;
	if (!strcmp(s, "service"))
		return GROUP_SERVICE;
	return -1;
}

const char *group_by_name(enum group_by by)
{
	switch (by) {
	case GROUP_SERVICE:
		return "service";
	case GROUP_PROCESS:
	default:
		return "process";
	}
}

/* The groups a socket belongs to, into keys[] (distinct); returns how
 * many (at least 1: GROUP_NONE). */
static size_t keys_of(struct group_set *g, enum group_by by, const struct sock *s,
		      const struct procmap *pm, int64_t *keys, size_t max)
{
	struct proc_owner own[GROUP_MAX_OWNERS];
	uint32_t inode = sock_owner_inode(s);
	size_t n = 0, k = 0;

	switch (by) {
	case GROUP_SERVICE:
		k = service_keys(g, s, pm, keys, max);
		break;
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
	svc_clear(g->svc);
	for (size_t i = 0; i < n; i++) {
		size_t k = keys_of(g, by, in[i].s, pm, keys, GROUP_MAX_OWNERS);

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
	if (GROUP_IS_SPECIAL(r->key))
		return 0;
	switch (g->by) {
	case GROUP_SERVICE:
		if (g->svc) {
			const struct svc_ent *e = svc_find(g->svc, r->key);

			if (e->key) {
				comm = e->label;
				clen = e->len;
			}
		}
		break;
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

unsigned group_kind(const struct group_set *g, const struct group_row *r)
{
	const struct svc_ent *e;

	if (g->by != GROUP_SERVICE || !g->svc || GROUP_IS_SPECIAL(r->key))
		return 0;
	e = svc_find(g->svc, r->key);
	return e->key ? e->kind : 0;
}
