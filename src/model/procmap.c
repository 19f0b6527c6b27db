/* procmap.c - inode -> owning processes, pid -> name and uid.
 *
 * Three structures:
 * - an owner entry pool: one entry per (inode, pid, fd), recycled through a
 *   free list and addressed by 32-bit index so the tables stay small;
 * - the inode table: open addressing (linear probing, at most half full)
 *   from inode to the first entry of a circular doubly linked list of that
 *   inode's owners, kept sorted by (pid, fd) so readers just walk it;
 * - the process table: open addressing from pid to a record holding the
 *   name, the uid and a singly linked list of the process's entries, so a
 *   process and all its sockets go away in O(its sockets).
 * Deletions shift later entries back instead of leaving tombstones, so a
 * long-running live view that sees processes come and go never degrades. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cgsvc.h"
#include "procmap.h"
#include "xalloc.h"

#define NIL UINT32_MAX
#define MIN_BITS 6

struct owner_ent {
	uint32_t inode; /* 0 while on the free list */
	int32_t pid;
	int32_t fd;
	uint32_t iprev; /* circular list of the inode's owners */
	uint32_t inext;
	uint32_t pnext; /* next entry of the same process, or next free entry */
};

struct islot {
	uint32_t inode; /* 0: empty slot */
	uint32_t head;  /* the owner with the smallest (pid, fd) */
};

struct proc_rec {
	int32_t pid;    /* 0: empty slot */
	uint32_t first; /* the process's owner entries, NIL if none */
	long uid;
	bool has_comm;
	uint8_t comm_len;
	char comm[PROCMAP_COMM_MAX];
	uint32_t netns;  /* its network namespace's inode, 0: unknown */
	uint8_t svc_len; /* the service label (procmap_set_service) */
	uint8_t svc_kind;
	char svc[PROCMAP_SERVICE_MAX];
};

struct procmap {
	struct islot *itab;
	unsigned ibits;
	size_t icount;
	struct proc_rec *ptab;
	unsigned pbits;
	size_t pcount;
	struct owner_ent *ents;
	size_t ecap, eused; /* eused: high-water mark of the pool */
	uint32_t efree;
	size_t nowners;
	size_t hidden;
	struct cgsvc *cg; /* cgroup id -> service (cgsvc.h), kept by procmap_clear */
};

/* Fibonacci hashing: inodes and pids are mostly sequential, and the
 * multiplication spreads them over the top bits. */
static size_t hash32(uint32_t x, unsigned bits)
{
	return (uint32_t)(x * 2654435769u) >> (32 - bits);
}

static size_t mask_of(unsigned bits)
{
	return ((size_t)1 << bits) - 1;
}

/* True if slot j must move back to the hole at i: its home h is not in the
 * cyclic interval (i, j]. */
static bool must_shift(size_t i, size_t j, size_t h)
{
	if (i <= j)
		return h <= i || h > j;
	return h <= i && h > j;
}

/* ---- inode table ---- */

static size_t islot_find(const struct procmap *m, uint32_t inode)
{
	size_t mask = mask_of(m->ibits);
	size_t i = hash32(inode, m->ibits);

	for (;;) {
		if (m->itab[i].inode == inode)
			return i;
		if (m->itab[i].inode == 0)
			return SIZE_MAX;
		i = (i + 1) & mask;
	}
}

static void islot_place(struct islot *tab, unsigned bits, struct islot s)
{
	size_t mask = mask_of(bits);
	size_t i = hash32(s.inode, bits);

	while (tab[i].inode != 0)
		i = (i + 1) & mask;
	tab[i] = s;
}

static void itab_grow(struct procmap *m)
{
	unsigned nbits = m->ibits + 1;
	struct islot *ntab = xcalloc_big((size_t)1 << nbits, sizeof *ntab);
	size_t n = (size_t)1 << m->ibits;

	for (size_t i = 0; i < n; i++)
		if (m->itab[i].inode)
			islot_place(ntab, nbits, m->itab[i]);
	free(m->itab);
	m->itab = ntab;
	m->ibits = nbits;
}

/* Inserts inode (absent) with head and returns its slot. */
static size_t islot_insert(struct procmap *m, uint32_t inode, uint32_t head)
{
	if ((m->icount + 1) * 2 > ((size_t)1 << m->ibits))
		itab_grow(m);
	size_t mask = mask_of(m->ibits);
	size_t i = hash32(inode, m->ibits);

	while (m->itab[i].inode != 0)
		i = (i + 1) & mask;
	m->itab[i].inode = inode;
	m->itab[i].head = head;
	m->icount++;
	return i;
}

static void islot_delete(struct procmap *m, size_t i)
{
	size_t mask = mask_of(m->ibits);
	size_t j = i;

	for (;;) {
		j = (j + 1) & mask;
		if (m->itab[j].inode == 0)
			break;
		size_t h = hash32(m->itab[j].inode, m->ibits);

		if (must_shift(i, j, h)) {
			m->itab[i] = m->itab[j];
			i = j;
		}
	}
	m->itab[i].inode = 0;
	m->icount--;
}

/* ---- process table ---- */

static size_t proc_find(const struct procmap *m, int32_t pid)
{
	size_t mask = mask_of(m->pbits);
	size_t i = hash32((uint32_t)pid, m->pbits);

	for (;;) {
		if (m->ptab[i].pid == pid)
			return i;
		if (m->ptab[i].pid == 0)
			return SIZE_MAX;
		i = (i + 1) & mask;
	}
}

static void proc_place(struct proc_rec *tab, unsigned bits, const struct proc_rec *r)
{
	size_t mask = mask_of(bits);
	size_t i = hash32((uint32_t)r->pid, bits);

	while (tab[i].pid != 0)
		i = (i + 1) & mask;
	tab[i] = *r;
}

static void ptab_grow(struct procmap *m)
{
	unsigned nbits = m->pbits + 1;
	struct proc_rec *ntab = xcalloc_big((size_t)1 << nbits, sizeof *ntab);
	size_t n = (size_t)1 << m->pbits;

	for (size_t i = 0; i < n; i++)
		if (m->ptab[i].pid)
			proc_place(ntab, nbits, &m->ptab[i]);
	free(m->ptab);
	m->ptab = ntab;
	m->pbits = nbits;
}

/* The slot of pid, created (nameless, uid -1) if absent. The index is valid
 * until the process table next changes. */
static size_t proc_get(struct procmap *m, int32_t pid)
{
	size_t i = proc_find(m, pid);

	if (i != SIZE_MAX)
		return i;
	if ((m->pcount + 1) * 2 > ((size_t)1 << m->pbits))
		ptab_grow(m);

	struct proc_rec r = { .pid = pid, .first = NIL, .uid = -1 };
	size_t mask = mask_of(m->pbits);

	i = hash32((uint32_t)pid, m->pbits);
	while (m->ptab[i].pid != 0)
		i = (i + 1) & mask;
	m->ptab[i] = r;
	m->pcount++;
	return i;
}

static void proc_delete(struct procmap *m, size_t i)
{
	size_t mask = mask_of(m->pbits);
	size_t j = i;

	for (;;) {
		j = (j + 1) & mask;
		if (m->ptab[j].pid == 0)
			break;
		size_t h = hash32((uint32_t)m->ptab[j].pid, m->pbits);

		if (must_shift(i, j, h)) {
			m->ptab[i] = m->ptab[j];
			i = j;
		}
	}
	m->ptab[i].pid = 0;
	m->pcount--;
}

/* ---- owner entries ---- */

static uint32_t ent_alloc(struct procmap *m)
{
	uint32_t e;

	if (m->efree != NIL) {
		e = m->efree;
		m->efree = m->ents[e].pnext;
		return e;
	}
	if (m->eused >= NIL - 1)
		return NIL; /* four billion owners: refuse rather than wrap */
	xgrow((void **)&m->ents, &m->ecap, m->eused + 1, sizeof *m->ents);
	return (uint32_t)m->eused++;
}

static void ent_release(struct procmap *m, uint32_t e)
{
	m->ents[e].inode = 0;
	m->ents[e].pnext = m->efree;
	m->efree = e;
}

/* Orders owners by pid, then fd. */
static int owner_cmp(const struct owner_ent *a, int32_t pid, int32_t fd)
{
	if (a->pid != pid)
		return a->pid < pid ? -1 : 1;
	if (a->fd != fd)
		return a->fd < fd ? -1 : 1;
	return 0;
}

/* Takes entry e out of its inode's list, dropping the inode when it was the
 * last owner. Leaves the process list alone. */
static void ent_unlink_inode(struct procmap *m, uint32_t e)
{
	struct owner_ent *x = &m->ents[e];
	size_t s = islot_find(m, x->inode);

	if (s == SIZE_MAX)
		return; /* cannot happen: every live entry has its inode slot */
	if (x->inext == e) {
		islot_delete(m, s);
		return;
	}
	m->ents[x->iprev].inext = x->inext;
	m->ents[x->inext].iprev = x->iprev;
	if (m->itab[s].head == e)
		m->itab[s].head = x->inext;
}

/* Frees every owner entry of the process in slot pi. */
static void proc_drop_owners(struct procmap *m, size_t pi)
{
	uint32_t e = m->ptab[pi].first;

	while (e != NIL) {
		uint32_t next = m->ents[e].pnext;

		ent_unlink_inode(m, e);
		ent_release(m, e);
		m->nowners--;
		e = next;
	}
	m->ptab[pi].first = NIL;
}

/* ---- public ---- */

struct procmap *procmap_new(void)
{
	struct procmap *m = xcalloc(1, sizeof *m);

	m->ibits = MIN_BITS;
	m->itab = xcalloc((size_t)1 << m->ibits, sizeof *m->itab);
	m->pbits = MIN_BITS;
	m->ptab = xcalloc((size_t)1 << m->pbits, sizeof *m->ptab);
	m->efree = NIL;
	m->cg = cgsvc_new();
	return m;
}

void procmap_free(struct procmap *m)
{
	if (!m)
		return;
	free(m->itab);
	free(m->ptab);
	free(m->ents);
	cgsvc_free(m->cg);
	free(m);
}

void procmap_clear(struct procmap *m)
{
	memset(m->itab, 0, ((size_t)1 << m->ibits) * sizeof *m->itab);
	memset(m->ptab, 0, ((size_t)1 << m->pbits) * sizeof *m->ptab);
	m->icount = 0;
	m->pcount = 0;
	m->eused = 0;
	m->efree = NIL;
	m->nowners = 0;
	m->hidden = 0;
}

size_t procmap_owners(const struct procmap *m, uint32_t inode,
		      struct proc_owner *out, size_t max)
{
	if (inode == 0)
		return 0;
	size_t s = islot_find(m, inode);

	if (s == SIZE_MAX)
		return 0;

	uint32_t head = m->itab[s].head;
	uint32_t e = head;
	size_t n = 0;

	do {
		if (n < max) {
			out[n].pid = m->ents[e].pid;
			out[n].fd = m->ents[e].fd;
		}
		n++;
		e = m->ents[e].inext;
	} while (e != head);
	return n;
}

bool procmap_is_owned(const struct procmap *m, uint32_t inode)
{
	return inode != 0 && islot_find(m, inode) != SIZE_MAX;
}

const char *procmap_comm(const struct procmap *m, int32_t pid, size_t *len)
{
	size_t i = pid > 0 ? proc_find(m, pid) : SIZE_MAX;

	if (i == SIZE_MAX || !m->ptab[i].has_comm) {
		*len = 0;
		return NULL;
	}
	*len = m->ptab[i].comm_len;
	return m->ptab[i].comm;
}

long procmap_uid(const struct procmap *m, int32_t pid)
{
	size_t i = pid > 0 ? proc_find(m, pid) : SIZE_MAX;

	return i == SIZE_MAX ? -1 : m->ptab[i].uid;
}

size_t procmap_hidden(const struct procmap *m)
{
	return m->hidden;
}

void procmap_set_hidden(struct procmap *m, size_t n)
{
	m->hidden = n;
}

size_t procmap_nprocs(const struct procmap *m)
{
	return m->pcount;
}

size_t procmap_nowners(const struct procmap *m)
{
	return m->nowners;
}

void procmap_set_proc(struct procmap *m, int32_t pid, const char *comm, size_t len, long uid)
{
	if (pid <= 0)
		return;
	if (len > PROCMAP_COMM_MAX)
		len = PROCMAP_COMM_MAX;

	size_t i = proc_get(m, pid); /* may move the table: index first */
	struct proc_rec *r = &m->ptab[i];

	if (len)
		memcpy(r->comm, comm, len);
	r->comm_len = (uint8_t)len;
	r->has_comm = true;
	r->uid = uid;
}

void procmap_set_service(struct procmap *m, int32_t pid, const char *label, size_t len,
			 unsigned kind)
{
	if (pid <= 0)
		return;
	if (len > PROCMAP_SERVICE_MAX)
		len = PROCMAP_SERVICE_MAX;

	size_t i = proc_get(m, pid);
	struct proc_rec *r = &m->ptab[i];

	if (len)
		memcpy(r->svc, label, len);
	r->svc_len = (uint8_t)len;
	r->svc_kind = (uint8_t)kind;
}

const char *procmap_service(const struct procmap *m, int32_t pid, size_t *len,
			    unsigned *kind)
{
	size_t i = pid > 0 ? proc_find(m, pid) : SIZE_MAX;

	if (kind)
		*kind = i == SIZE_MAX ? 0 : m->ptab[i].svc_kind;
	if (i == SIZE_MAX || !m->ptab[i].svc_len) {
		*len = 0;
		return NULL;
	}
	*len = m->ptab[i].svc_len;
	return m->ptab[i].svc;
}

void procmap_set_netns(struct procmap *m, int32_t pid, uint32_t netns)
{
	if (pid > 0)
		m->ptab[proc_get(m, pid)].netns = netns;
}

uint32_t procmap_netns(const struct procmap *m, int32_t pid)
{
	size_t i = pid > 0 ? proc_find(m, pid) : SIZE_MAX;

	return i == SIZE_MAX ? 0 : m->ptab[i].netns;
}

void procmap_add_owner(struct procmap *m, uint32_t inode, int32_t pid, int32_t fd)
{
	if (inode == 0 || pid <= 0 || fd < 0)
		return;

	size_t pi = proc_get(m, pid);
	size_t s = islot_find(m, inode);
	uint32_t before = NIL; /* insert before this entry (NIL: new inode) */
	bool new_head = false;

	if (s != SIZE_MAX) {
		uint32_t head = m->itab[s].head;
		uint32_t tail = m->ents[head].iprev;
		int c = owner_cmp(&m->ents[tail], pid, fd);

		if (c == 0)
			return;
		if (c < 0) {
			before = head; /* append: the list is circular */
		} else {
			uint32_t e = head;

			for (;;) {
				c = owner_cmp(&m->ents[e], pid, fd);
				if (c == 0)
					return;
				if (c > 0)
					break;
				e = m->ents[e].inext;
			}
			before = e;
			new_head = e == head;
		}
	}

	uint32_t n = ent_alloc(m);

	if (n == NIL)
		return;

	struct owner_ent *x = &m->ents[n];

	x->inode = inode;
	x->pid = pid;
	x->fd = fd;
	if (before == NIL) {
		x->iprev = x->inext = n;
		islot_insert(m, inode, n);
	} else {
		x->inext = before;
		x->iprev = m->ents[before].iprev;
		m->ents[x->iprev].inext = n;
		m->ents[before].iprev = n;
		if (new_head)
			m->itab[s].head = n;
	}
	x->pnext = m->ptab[pi].first;
	m->ptab[pi].first = n;
	m->nowners++;
}

void procmap_clear_owners(struct procmap *m, int32_t pid)
{
	size_t pi = pid > 0 ? proc_find(m, pid) : SIZE_MAX;

	if (pi != SIZE_MAX)
		proc_drop_owners(m, pi);
}

void procmap_remove_proc(struct procmap *m, int32_t pid)
{
	size_t pi = pid > 0 ? proc_find(m, pid) : SIZE_MAX;

	if (pi == SIZE_MAX)
		return;
	proc_drop_owners(m, pi);
	proc_delete(m, pi);
}

struct cgsvc *procmap_cgsvc(struct procmap *m)
{
	return m->cg;
}

const struct cgsvc *procmap_cgsvc_get(const struct procmap *m)
{
	return m ? m->cg : NULL;
}

/* ---- room ahead (batch mode) ---- */

void procmap_reserve(struct procmap *m, size_t owners)
{
	size_t want = m->icount + owners;
	unsigned bits = m->ibits;

	if (owners == 0 || want > NIL / 2)
		return;
	while ((want + 1) * 2 > ((size_t)1 << bits))
		bits++;
	if (bits != m->ibits) {
		/* zeroed by writing, not calloc (xcalloc_big): a fresh page
		 * that is read first maps the zero page, and the first write
		 * then costs a second fault and a TLB flush on every CPU
		 * running one of our threads (batch mode's /proc reader) */
		struct islot *ntab = xcalloc_big((size_t)1 << bits, sizeof *ntab);
		size_t n = (size_t)1 << m->ibits;

		for (size_t i = 0; i < n; i++)
			if (m->itab[i].inode)
				islot_place(ntab, bits, m->itab[i]);
		free(m->itab);
		m->itab = ntab;
		m->ibits = bits;
	}
	xgrow((void **)&m->ents, &m->ecap, m->eused + owners, sizeof *m->ents);
}
