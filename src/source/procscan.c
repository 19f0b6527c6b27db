/* procscan.c - the /proc scanner: fd links -> procmap, incrementally.
 *
 * State: the processes seen at the last call, sorted by pid, each with the
 * signature of its fd/ directory taken when its fds were last read. An
 * update merges the fresh process list into that array (new ones become
 * pending, missing ones are dropped from the map), probes the others, and
 * then reads pending processes and a round-robin slice within the budget.
 * Everything is opened relative to one descriptor of the root, so no path
 * is built per fd and a root given as a relative path keeps working. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "runtime.h"
#include "procread.h"
#include "procscan.h"
#include "xalloc.h"

#define PS_DIRTY 1u  /* fds must be read: new, or probed as changed */
#define PS_HIDDEN 2u /* fd/ not readable (permission) */
#define PS_GONE 4u   /* vanished during this call; compacted at the end */
#define PS_DONE 8u   /* read during this call */

/* Batch mode on several threads: a reader takes this many processes of
 * the list at a time (one process holding many sockets costs a few ms). */
#define FULL_CHUNK 2
/* Wanted inodes beyond this many are ignored (the list comes from a dump,
 * whose size the kernel decides). */
#define WANT_MAX ((size_t)1 << 22)

struct pstate {
	int32_t pid;
	uint32_t flags;
	struct procscan_sig sig;
};

/* Set by a reader (release) once its record is complete (batch mode). */
struct done_flag {
	atomic_uchar v;
};

/* A set of nonzero inodes: open addressing, at most half full. */
struct iset {
	uint32_t *tab;
	unsigned bits; /* 0: no table yet */
	size_t n;
};

struct procscan {
	char *root;
	struct pstate *procs; /* sorted by pid */
	size_t nprocs, procs_cap;
	struct pstate *merge; /* scratch for the merge */
	size_t merge_cap;
	int32_t *pids; /* the listing of the root */
	size_t npids, pids_cap;
	struct procread_buf *bufs; /* one per reader; [0]: the incremental path */
	unsigned nbufs;
	int size_probe; /* -1: not yet known; else bool */
	int32_t self_pid; /* our pid as the root shows it (0: not procfs) */
	int32_t changed_cursor; /* last pid read by each phase */
	int32_t slice_cursor;
	struct iset wanted, wanted_next;
	uint32_t *fresh; /* wanted inodes not seen before, until the next update */
	size_t nfresh, fresh_cap;
	size_t hunt_left; /* processes still to reread for the hunt */
	struct procscan_stats st;
	bool cgroups; /* read /proc/PID/cgroup with the identity */
	struct runtime *rt; /* names containers (runtime.h), not owned; may be NULL */
	/* procscan_full_begin .. _end: the readers' shared work */
	int full_rootfd;
	struct procread_opts full_opts;
	struct procread_rec *recs; /* one per process, in procs' order */
	size_t recs_cap;
	struct procread_fd **fds; /* recs[i]'s socket fds (NULL: none) */
	size_t fds_cap;
	struct done_flag *recs_done; /* recs[i] is complete */
	size_t done_cap;
	atomic_size_t full_next; /* the first process no reader has taken */
	size_t applied;          /* recs applied to the map so far */
};

/* ---- small helpers ---- */

static size_t hash_inode(uint32_t x, unsigned bits)
{
	return (uint32_t)(x * 2654435769u) >> (32 - bits);
}

static bool iset_has(const struct iset *s, uint32_t x)
{
	if (!s->bits || x == 0)
		return false;

	size_t mask = ((size_t)1 << s->bits) - 1;

	for (size_t i = hash_inode(x, s->bits);; i = (i + 1) & mask) {
		if (s->tab[i] == x)
			return true;
		if (s->tab[i] == 0)
			return false;
	}
}

/* Empties s and sizes it for n elements. */
static void iset_reset(struct iset *s, size_t n)
{
	unsigned bits = 4;

	while (((size_t)1 << bits) < n * 2)
		bits++;
	if (bits != s->bits) {
		free(s->tab);
		s->tab = xcalloc((size_t)1 << bits, sizeof *s->tab);
		s->bits = bits;
	} else {
		memset(s->tab, 0, ((size_t)1 << bits) * sizeof *s->tab);
	}
	s->n = 0;
}

/* Adds x (nonzero); the set was sized by iset_reset for all additions. */
static void iset_add(struct iset *s, uint32_t x)
{
	size_t mask = ((size_t)1 << s->bits) - 1;

	for (size_t i = hash_inode(x, s->bits);; i = (i + 1) & mask) {
		if (s->tab[i] == x)
			return;
		if (s->tab[i] == 0) {
			s->tab[i] = x;
			s->n++;
			return;
		}
	}
}

static bool sig_equal(const struct procscan_sig *a, const struct procscan_sig *b)
{
	return a->ino == b->ino && a->mtime_ns == b->mtime_ns &&
	       a->ctime_ns == b->ctime_ns && a->nfds == b->nfds;
}


/* ---- scanner ---- */

struct procscan *procscan_new(const char *proc_root)
{
	struct procscan *ps = xcalloc(1, sizeof *ps);

	ps->root = xstrdup(proc_root);
	ps->bufs = xcalloc(1, sizeof *ps->bufs);
	ps->nbufs = 1;
	procread_buf_init(&ps->bufs[0]);
	ps->size_probe = -1;
	ps->full_rootfd = -1;
	return ps;
}

void procscan_free(struct procscan *ps)
{
	if (!ps)
		return;
	if (ps->full_rootfd >= 0)
		close(ps->full_rootfd);
	free(ps->root);
	free(ps->procs);
	free(ps->merge);
	free(ps->pids);
	for (unsigned i = 0; i < ps->nbufs; i++)
		procread_buf_free(&ps->bufs[i]);
	free(ps->bufs);
	if (ps->fds)
		for (size_t i = 0; i < ps->fds_cap; i++)
			free(ps->fds[i]);
	free(ps->fds);
	free(ps->recs);
	free(ps->recs_done);
	free(ps->wanted.tab);
	free(ps->wanted_next.tab);
	free(ps->fresh);
	free(ps);
}

const struct procscan_stats *procscan_stats(const struct procscan *ps)
{
	return &ps->st;
}

/* Decides whether st_size of fd/ counts open fds: true on a procfs where
 * our own fd/ reports as many fds as it lists (Linux >= 6.2). Also learns
 * our pid as the root shows it. Assumes no other thread opens fds
 * meanwhile; if one does, the answer is merely the slower, safe one. */
static void detect_size_probe(struct procscan *ps, int rootfd)
{
	struct statfs sfs;
	char link[24];
	struct stat st;

	ps->size_probe = 0;
	ps->self_pid = 0;
	if (fstatfs(rootfd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return;

	ssize_t n = readlinkat(rootfd, "self", link, sizeof link - 1);

	if (n > 0) {
		link[n] = '\0';
		if (!procread_parse_id(link, &ps->self_pid))
			ps->self_pid = 0;
	}

	int dfd = openat(rootfd, "self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return;
	if (fstat(dfd, &st) == 0) {
		int64_t cnt = procread_count_entries(dfd);

		ps->size_probe = st.st_size > 0 && cnt == st.st_size;
	}
	close(dfd);
}

static int cmp_pid(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* Lists the numeric directories of the root into ps->pids, sorted and
 * unique. Returns 0, or -1 with errno. */
static int list_pids(struct procscan *ps, int rootfd)
{
	struct dirwalk w;
	const char *name;
	unsigned char type;

	ps->npids = 0;
	dirwalk_init(&w, rootfd, ps->bufs[0].dbuf, PROCREAD_DBUF_LEN);
	while ((name = dirwalk_next(&w, &type))) {
		int32_t pid;

		if (type != DT_DIR && type != DT_UNKNOWN)
			continue;
		if (!procread_parse_id(name, &pid))
			continue;
		xgrow((void **)&ps->pids, &ps->pids_cap, ps->npids + 1, sizeof *ps->pids);
		ps->pids[ps->npids++] = pid;
	}
	if (w.err) {
		errno = w.err;
		return -1;
	}
	if (ps->npids > 1) {
		size_t k = 1;

		qsort(ps->pids, ps->npids, sizeof *ps->pids, cmp_pid);
		for (size_t i = 1; i < ps->npids; i++)
			if (ps->pids[i] != ps->pids[k - 1])
				ps->pids[k++] = ps->pids[i];
		ps->npids = k;
	}
	return 0;
}

static int open_root(struct procscan *ps)
{
	int fd = open(ps->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && ps->size_probe < 0)
		detect_size_probe(ps, fd);
	return fd;
}

static void mark_gone(struct procscan *ps, struct pstate *p, struct procmap *map)
{
	procmap_remove_proc(map, p->pid);
	p->flags = PS_GONE;
	ps->st.gone++;
}

/* Applies the read of p (record r, its r->nfound fds in found) to the state and to
 * map: the single-writer half of reading a process (procread.h). Returns
 * the work done: 1 + links read. */
static size_t apply_proc(struct procscan *ps, struct pstate *p, const struct procread_rec *r,
			 const struct procread_fd *found, struct procmap *map)
{
	p->flags = (p->flags & ~PS_DIRTY) | PS_DONE;
	ps->st.scanned++;
	ps->st.links += r->links;
	if (r->fd_errno)
		ps->st.fd_errno = r->fd_errno;
	p->sig = r->sig;
	if (r->hidden > 0)
		p->flags |= PS_HIDDEN;
	else if (r->hidden == 0)
		p->flags &= ~PS_HIDDEN;
	if (r->dirty)
		p->flags |= PS_DIRTY;
	switch (r->outcome) {
	case PR_GONE:
		mark_gone(ps, p, map);
		break;
	case PR_NOFD:
	case PR_NONE:
		procmap_remove_proc(map, p->pid);
		break;
	case PR_KEEP:
		break;
	case PR_SOCKETS:
		procmap_clear_owners(map, p->pid);
		procmap_set_proc(map, p->pid, r->comm, r->clen, r->uid);
		if (r->has_cg) {
			struct cgroup_info cg = r->cg;

			if (ps->rt && cg.id[0])
				runtime_name(&cg, procmap_uid(map, p->pid), ps->rt);
			procmap_set_service(map, p->pid, cg.label, cg.len, cg.kind);
		}
		if (r->has_netns)
			procmap_set_netns(map, p->pid, r->netns);
		for (size_t i = 0; i < r->nfound; i++)
			procmap_add_owner(map, found[i].inode, p->pid, found[i].fd);
		ps->st.sockets += r->nfound;
		break;
	}
	return 1 + r->links;
}

/* Reads p and applies it at once (the incremental path: one thread). */
static size_t scan_proc(struct procscan *ps, int rootfd, struct pstate *p, struct procmap *map)
{
	struct procread_opts o = { ps->size_probe > 0, ps->cgroups, ps->self_pid };
	struct procread_rec r;

	ps->bufs[0].nfound = 0;
	r.sig = p->sig;
	procread_one(rootfd, p->pid, &o, &ps->bufs[0], &r);
	return apply_proc(ps, p, &r, ps->bufs[0].found + r.first, map);
}

/* Merges the listing into the state: known processes stay, missing ones
 * leave the map, new ones become pending. */
static void merge_listing(struct procscan *ps, struct procmap *map)
{
	size_t i = 0, j = 0, k = 0;

	xgrow((void **)&ps->merge, &ps->merge_cap, ps->npids, sizeof *ps->merge);
	while (i < ps->nprocs || j < ps->npids) {
		if (j == ps->npids || (i < ps->nprocs && ps->procs[i].pid < ps->pids[j])) {
			procmap_remove_proc(map, ps->procs[i].pid);
			ps->st.gone++;
			i++;
		} else if (i == ps->nprocs || ps->pids[j] < ps->procs[i].pid) {
			struct pstate n = { .pid = ps->pids[j], .flags = PS_DIRTY };

			ps->merge[k++] = n;
			j++;
		} else {
			ps->merge[k] = ps->procs[i];
			ps->merge[k++].flags &= ~(PS_DONE | PS_GONE);
			i++;
			j++;
		}
	}

	struct pstate *t = ps->procs;
	size_t tc = ps->procs_cap;

	ps->procs = ps->merge;
	ps->procs_cap = ps->merge_cap;
	ps->nprocs = k;
	ps->merge = t;
	ps->merge_cap = tc;
}

/* Drops the processes that vanished during the call and publishes the
 * hidden count and the totals. */
static void finish_call(struct procscan *ps, struct procmap *map)
{
	size_t k = 0, hidden = 0;

	for (size_t i = 0; i < ps->nprocs; i++) {
		if (ps->procs[i].flags & PS_GONE)
			continue;
		if (ps->procs[i].flags & PS_HIDDEN)
			hidden++;
		if (ps->procs[i].flags & PS_DIRTY)
			ps->st.pending++;
		ps->procs[k++] = ps->procs[i];
	}
	ps->nprocs = k;
	procmap_set_hidden(map, hidden);
	ps->st.procs = k;
	ps->st.hidden = hidden;
	ps->st.hunting = ps->hunt_left > 0;
	ps->st.size_probe = ps->size_probe > 0;
}

/* Index of the first process with pid > cursor (wrapping to 0). */
static size_t index_after(const struct procscan *ps, int32_t cursor)
{
	size_t lo = 0, hi = ps->nprocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps->procs[mid].pid <= cursor)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == ps->nprocs ? 0 : lo;
}

int procscan_full_begin(struct procscan *ps, struct procmap *map, unsigned readers)
{
	procmap_clear(map);
	ps->size_probe = -1; /* re-detect: the kernel may differ after all */
	if (ps->full_rootfd >= 0) {
		close(ps->full_rootfd); /* a begin without its end */
		ps->full_rootfd = -1;
	}

	int rootfd = open_root(ps);

	if (rootfd < 0)
		return -1;
	memset(&ps->st, 0, sizeof ps->st);
	if (list_pids(ps, rootfd) < 0) {
		int e = errno;

		close(rootfd);
		ps->nprocs = 0;
		errno = e;
		return -1;
	}
	ps->nprocs = 0;
	merge_listing(ps, map);
	ps->st.gone = 0;

	if (readers < 1)
		readers = 1;
	if (readers > UINT8_MAX)
		readers = UINT8_MAX;
	if (readers > ps->nbufs) {
		ps->bufs = xreallocarray(ps->bufs, readers, sizeof *ps->bufs);
		for (unsigned i = ps->nbufs; i < readers; i++)
			procread_buf_init(&ps->bufs[i]);
		ps->nbufs = readers;
	}
	for (unsigned i = 0; i < ps->nbufs; i++)
		ps->bufs[i].nfound = 0;
	xgrow((void **)&ps->recs, &ps->recs_cap, ps->nprocs ? ps->nprocs : 1, sizeof *ps->recs);
	xgrow((void **)&ps->recs_done, &ps->done_cap, ps->nprocs ? ps->nprocs : 1,
	      sizeof *ps->recs_done);
	if (ps->fds_cap < ps->nprocs) {
		size_t old = ps->fds_cap;

		xgrow((void **)&ps->fds, &ps->fds_cap, ps->nprocs, sizeof *ps->fds);
		memset(ps->fds + old, 0, (ps->fds_cap - old) * sizeof *ps->fds);
	}
	for (size_t i = 0; i < ps->fds_cap; i++) { /* left by a begin without end */
		free(ps->fds[i]);
		ps->fds[i] = NULL;
	}
	for (size_t i = 0; i < ps->nprocs; i++)
		atomic_store_explicit(&ps->recs_done[i].v, 0, memory_order_relaxed);
	ps->applied = 0;
	ps->full_opts = (struct procread_opts){ ps->size_probe > 0, ps->cgroups, ps->self_pid };
	ps->full_rootfd = rootfd;
	atomic_store(&ps->full_next, 0);
	return 0;
}

/* Applies the records read so far that follow the last applied one
 * without a gap (pid order); with all, every remaining one (all readers
 * have returned). */
static void apply_ready(struct procscan *ps, struct procmap *map, bool all)
{
	for (; ps->applied < ps->nprocs; ps->applied++) {
		size_t i = ps->applied;
		const struct procread_rec *r = &ps->recs[i];

		if (!all && !atomic_load_explicit(&ps->recs_done[i].v, memory_order_acquire))
			break;
		apply_proc(ps, &ps->procs[i], r, ps->fds[i], map);
		free(ps->fds[i]);
		ps->fds[i] = NULL;
		ps->st.changed++;
	}
}

void procscan_full_work(struct procscan *ps, unsigned reader, struct procmap *map)
{
	struct procread_buf *b = &ps->bufs[reader];
	size_t n = ps->nprocs;

	for (;;) {
		size_t i = atomic_fetch_add_explicit(&ps->full_next, FULL_CHUNK,
						     memory_order_relaxed);
		size_t end;

		if (i >= n)
			break;
		end = n - i < FULL_CHUNK ? n : i + FULL_CHUNK;
		for (; i < end; i++) {
			struct procread_rec *r = &ps->recs[i];

			r->sig = ps->procs[i].sig;
			b->nfound = 0;
			procread_one(ps->full_rootfd, ps->procs[i].pid, &ps->full_opts, b, r);
			/* its own copy: b->found moves when it grows, while the
			 * writer may be applying this record */
			ps->fds[i] = r->nfound ? xmemdup(b->found, r->nfound * sizeof *b->found)
					       : NULL;
			atomic_store_explicit(&ps->recs_done[i].v, 1, memory_order_release);
		}
		if (map)
			apply_ready(ps, map, false);
	}
	if (map)
		apply_ready(ps, map, false); /* what the others finished meanwhile */
}

void procscan_full_end(struct procscan *ps, struct procmap *map)
{
	apply_ready(ps, map, true);
	if (ps->full_rootfd >= 0)
		close(ps->full_rootfd);
	ps->full_rootfd = -1;
	ps->changed_cursor = 0;
	ps->slice_cursor = 0;
	ps->hunt_left = 0; /* every wanted inode was just looked for */
	ps->nfresh = 0;
	finish_call(ps, map);
}

int procscan_full(struct procscan *ps, struct procmap *map)
{
	if (procscan_full_begin(ps, map, 1) < 0)
		return -1;
	procscan_full_work(ps, 0, map);
	procscan_full_end(ps, map);
	return 0;
}

/* True once every wanted inode has an owner. */
static bool hunt_satisfied(const struct procscan *ps, const struct procmap *map)
{
	size_t cap = ps->wanted.bits ? (size_t)1 << ps->wanted.bits : 0;

	for (size_t i = 0; i < cap; i++)
		if (ps->wanted.tab[i] && !procmap_is_owned(map, ps->wanted.tab[i]))
			return false;
	return true;
}

int procscan_update(struct procscan *ps, struct procmap *map,
		    const struct procscan_budget *b)
{
	static const struct procscan_budget defaults = PROCSCAN_BUDGET_DEFAULT;

	if (!b)
		b = &defaults;

	int rootfd = open_root(ps);

	if (rootfd < 0)
		return -1;
	if (list_pids(ps, rootfd) < 0) {
		int e = errno;

		close(rootfd);
		errno = e;
		return -1;
	}
	memset(&ps->st, 0, sizeof ps->st);
	merge_listing(ps, map);

	/* Probe: which known processes changed since their fds were read. */
	for (size_t i = 0; i < ps->nprocs; i++) {
		struct pstate *p = &ps->procs[i];
		struct procscan_sig sig;

		if (p->flags & PS_DIRTY)
			continue;
		ps->st.probed++;
		if (procscan_probe(rootfd, p->pid, ps->size_probe > 0, &sig) < 0 ||
		    !sig_equal(&sig, &p->sig))
			p->flags |= PS_DIRTY; /* reading it tells gone from changed */
	}

	/* Changed phase: pending processes, rotating so none starves. */
	size_t n = ps->nprocs, start = index_after(ps, ps->changed_cursor), used = 0;

	for (size_t k = 0; k < n; k++) {
		struct pstate *p = &ps->procs[(start + k) % n];

		if (!(p->flags & PS_DIRTY))
			continue;
		if (b->changed && used >= b->changed)
			break;
		used += scan_proc(ps, rootfd, p, map);
		ps->st.changed++;
		ps->changed_cursor = p->pid;
	}

	/* Fresh wanted inodes that the changed processes did not explain:
	 * some process swapped sockets without changing its fd count. While
	 * new or changed processes wait for a later call (the first scan of
	 * a big machine), they are the likely owners: judge then, rather
	 * than reread the unchanged ones now. */
	bool dirty_left = false;

	for (size_t i = 0; i < n && !dirty_left; i++)
		dirty_left = (ps->procs[i].flags & PS_DIRTY) != 0;
	if (!dirty_left) {
		for (size_t i = 0; i < ps->nfresh; i++) {
			if (!procmap_is_owned(map, ps->fresh[i])) {
				ps->hunt_left = n ? n : 1;
				break;
			}
		}
		ps->nfresh = 0;
	}

	/* Slice phase: unchanged processes, round-robin by pid. */
	if (!b->hunt)
		ps->hunt_left = 0; /* hunting disabled by the caller */

	size_t limit = ps->hunt_left ? b->hunt : b->slice;

	used = 0;
	start = index_after(ps, ps->slice_cursor);
	for (size_t k = 0; limit && k < n; k++) {
		struct pstate *p = &ps->procs[(start + k) % n];

		if (p->flags & (PS_DIRTY | PS_DONE | PS_GONE))
			continue;
		if (used >= limit)
			break;
		used += scan_proc(ps, rootfd, p, map);
		ps->st.sliced++;
		ps->slice_cursor = p->pid;
		if (ps->hunt_left)
			ps->hunt_left--;
	}
	close(rootfd);
	if (ps->hunt_left && hunt_satisfied(ps, map))
		ps->hunt_left = 0;
	finish_call(ps, map);
	return 0;
}

size_t procscan_want_inodes(struct procscan *ps, const uint32_t *inodes, size_t n)
{
	size_t fresh = 0;

	if (n > WANT_MAX)
		n = WANT_MAX;
	iset_reset(&ps->wanted_next, n);
	for (size_t i = 0; i < n; i++) {
		if (inodes[i] == 0 || iset_has(&ps->wanted_next, inodes[i]))
			continue;
		if (!iset_has(&ps->wanted, inodes[i])) {
			xgrow((void **)&ps->fresh, &ps->fresh_cap, ps->nfresh + 1,
			      sizeof *ps->fresh);
			ps->fresh[ps->nfresh++] = inodes[i];
			fresh++;
		}
		iset_add(&ps->wanted_next, inodes[i]);
	}

	struct iset t = ps->wanted;

	ps->wanted = ps->wanted_next;
	ps->wanted_next = t;
	return fresh;
}

void procscan_set_cgroups(struct procscan *ps, bool on)
{
	ps->cgroups = on;
}

void procscan_set_runtime(struct procscan *ps, struct runtime *rt)
{
	ps->rt = rt;
}
