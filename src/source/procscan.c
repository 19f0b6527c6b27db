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
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "runtime.h"
#include "procscan.h"
#include "xalloc.h"

#define PS_DIRTY 1u  /* fds must be read: new, or probed as changed */
#define PS_HIDDEN 2u /* fd/ not readable (permission) */
#define PS_GONE 4u   /* vanished during this call; compacted at the end */
#define PS_DONE 8u   /* read during this call */

/* getdents64 buffer: /proc hands out at most a page of entries per call
 * anyway, and big fd tables need a few calls whatever the size. */
#define DBUF_LEN 32768
/* "socket:[4294967295]" is 19 bytes; anything longer is not a socket. */
#define LINK_MAX_LEN 64
/* The name sits in the first bytes of stat and Uid: in the first ~300 of
 * status (after Name:, escaped, at most 64 * 4 bytes). */
#define STAT_READ 512
#define STATUS_READ 1024
/* /proc/PID/cgroup: a dozen v1 lines, or one v2 line (cgroup.h). */
#define CGROUP_READ 8192
/* Wanted inodes beyond this many are ignored (the list comes from a dump,
 * whose size the kernel decides). */
#define WANT_MAX ((size_t)1 << 22)

struct pstate {
	int32_t pid;
	uint32_t flags;
	struct procscan_sig sig;
};

struct sockfd {
	uint32_t inode;
	int32_t fd;
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
	struct sockfd *found; /* socket fds of the process being read */
	size_t nfound, found_cap;
	char *dbuf;
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

/* Parses a canonical decimal (no sign, no leading zero) in 1..INT32_MAX. */
static bool parse_id(const char *s, int32_t *out)
{
	int64_t v = 0;
	size_t i;

	if (s[0] < '1' || s[0] > '9')
		return false;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 10)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v > INT32_MAX)
		return false;
	*out = (int32_t)v;
	return true;
}

/* An fd name: like parse_id but "0" is allowed. */
static bool parse_fd(const char *s, int32_t *out)
{
	if (s[0] == '0' && s[1] == '\0') {
		*out = 0;
		return true;
	}
	return parse_id(s, out);
}

/* The inode of a "socket:[N]" link text, or 0. */
static uint32_t parse_socket_link(const char *l, size_t n)
{
	static const char pfx[] = "socket:[";
	size_t p = sizeof pfx - 1;
	uint64_t v = 0;

	if (n <= p + 1 || n > p + 11 || memcmp(l, pfx, p) != 0 || l[n - 1] != ']')
		return 0;
	for (size_t i = p; i < n - 1; i++) {
		if (l[i] < '0' || l[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(l[i] - '0');
	}
	return v > UINT32_MAX ? 0 : (uint32_t)v;
}

static void pid_path(char *buf, size_t len, int32_t pid, const char *leaf)
{
	if (leaf)
		snprintf(buf, len, "%" PRId32 "/%s", pid, leaf);
	else
		snprintf(buf, len, "%" PRId32, pid);
}

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static void sig_from_stat(struct procscan_sig *sig, const struct stat *st)
{
	sig->ino = st->st_ino;
	sig->mtime_ns = ts_ns(&st->st_mtim);
	sig->ctime_ns = ts_ns(&st->st_ctim);
}

static bool sig_equal(const struct procscan_sig *a, const struct procscan_sig *b)
{
	return a->ino == b->ino && a->mtime_ns == b->mtime_ns &&
	       a->ctime_ns == b->ctime_ns && a->nfds == b->nfds;
}

static bool is_gone_errno(int e)
{
	return e == ENOENT || e == ESRCH;
}

/* Walks a directory with getdents64 into a caller's buffer: no DIR
 * allocation per process, and the entry type comes for free. */
struct dirwalk {
	int fd;
	char *buf;
	size_t cap;
	ssize_t len, off;
	int err; /* errno of a failed read, 0 at a clean end */
};

static void dirwalk_init(struct dirwalk *w, int fd, char *buf, size_t cap)
{
	w->fd = fd;
	w->buf = buf;
	w->cap = cap;
	w->len = w->off = 0;
	w->err = 0;
}

/* The next entry other than "." and "..", with its d_type in *type; NULL at
 * the end or on error (w->err). */
static const char *dirwalk_next(struct dirwalk *w, unsigned char *type)
{
	for (;;) {
		if (w->off >= w->len) {
			ssize_t r = getdents64(w->fd, w->buf, w->cap);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				w->err = r < 0 ? errno : 0;
				return NULL;
			}
			w->len = r;
			w->off = 0;
		}

		const struct dirent64 *d = (const struct dirent64 *)(void *)(w->buf + w->off);

		w->off += d->d_reclen;
		if (d->d_name[0] == '.' && (d->d_name[1] == '\0' ||
		    (d->d_name[1] == '.' && d->d_name[2] == '\0')))
			continue;
		*type = d->d_type;
		return d->d_name;
	}
}

/* Counts the entries of the open directory dfd; -1 with errno on error. */
static int64_t count_entries(int dfd)
{
	char buf[4096] __attribute__((aligned(8)));
	struct dirwalk w;
	unsigned char type;
	int64_t n = 0;

	dirwalk_init(&w, dfd, buf, sizeof buf);
	while (dirwalk_next(&w, &type))
		n++;
	if (w.err) {
		errno = w.err;
		return -1;
	}
	return n;
}

/* Reads up to cap bytes of rootfd/path. Returns the length or -1 with errno.
 * O_NONBLOCK and O_NOFOLLOW: a tree other than /proc must not make the
 * scanner block on a FIFO or follow a link out of it. */
static ssize_t read_small(int rootfd, const char *path, char *buf, size_t cap)
{
	int fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	size_t n = 0;

	if (fd < 0)
		return -1;
	while (n < cap) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0) {
			if (errno == EINTR)
				continue;

			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	return (ssize_t)n;
}

/* ---- public pure helpers ---- */

int procscan_stat_comm(const char *buf, size_t n, const char **name, size_t *len)
{
	const char *open = memchr(buf, '(', n);
	const char *close_p = memrchr(buf, ')', n);

	if (!open || !close_p || close_p < open)
		return -1;
	*name = open + 1;
	*len = (size_t)(close_p - open - 1);
	return 0;
}

int procscan_probe(int rootfd, int32_t pid, bool size_probe, struct procscan_sig *sig)
{
	char path[32];
	struct stat st;

	pid_path(path, sizeof path, pid, "fd");
	if (fstatat(rootfd, path, &st, 0) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			return -1;
		/* No fd/ but the process directory is there: a process
		 * without fds (only fake trees); its signature is the
		 * directory's own. */
		pid_path(path, sizeof path, pid, NULL);
		if (fstatat(rootfd, path, &st, 0) < 0)
			return -1;
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOENT;
			return -1;
		}
		sig_from_stat(sig, &st);
		sig->nfds = -1;
		return 0;
	}
	sig_from_stat(sig, &st);
	if (!S_ISDIR(st.st_mode)) {
		sig->nfds = -1; /* fake trees only: nothing to read */
		return 0;
	}
	if (size_probe) {
		sig->nfds = st.st_size;
		return 0;
	}

	int dfd = openat(rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0) {
		if (errno == EACCES || errno == EPERM) {
			sig->nfds = -1;
			return 0;
		}
		return -1;
	}
	sig->nfds = count_entries(dfd);

	int e = errno;

	close(dfd);
	if (sig->nfds < 0) {
		errno = e;
		return -1;
	}
	return 0;
}

/* ---- scanner ---- */

struct procscan *procscan_new(const char *proc_root)
{
	struct procscan *ps = xcalloc(1, sizeof *ps);

	ps->root = xstrdup(proc_root);
	ps->dbuf = xmalloc(DBUF_LEN);
	ps->size_probe = -1;
	return ps;
}

void procscan_free(struct procscan *ps)
{
	if (!ps)
		return;
	free(ps->root);
	free(ps->procs);
	free(ps->merge);
	free(ps->pids);
	free(ps->found);
	free(ps->dbuf);
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
		if (!parse_id(link, &ps->self_pid))
			ps->self_pid = 0;
	}

	int dfd = openat(rootfd, "self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return;
	if (fstat(dfd, &st) == 0) {
		int64_t cnt = count_entries(dfd);

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
	dirwalk_init(&w, rootfd, ps->dbuf, DBUF_LEN);
	while ((name = dirwalk_next(&w, &type))) {
		int32_t pid;

		if (type != DT_DIR && type != DT_UNKNOWN)
			continue;
		if (!parse_id(name, &pid))
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

/* True if the file could not be read because the process is gone (rather
 * than because this file is missing, which happens only in fake trees). */
static bool vanished(int rootfd, int32_t pid, int err)
{
	char path[16];
	struct stat st;

	if (!is_gone_errno(err))
		return false;
	pid_path(path, sizeof path, pid, NULL);
	return fstatat(rootfd, path, &st, 0) < 0;
}

/* Reads the service label of a process from its cgroup file (cgroup.h):
 * in the same visit as its name, only when asked for. */
static void read_cgroup(const struct procscan *ps, int rootfd, int32_t pid, struct procmap *map)
{
	char path[32], buf[CGROUP_READ];
	struct cgroup_info cg;
	ssize_t n;

	pid_path(path, sizeof path, pid, "cgroup");
	n = read_small(rootfd, path, buf, sizeof buf);
	if (n < 0)
		n = 0;
	cgroup_parse(buf, (size_t)n, &cg);
	if (ps->rt && cg.id[0])
		runtime_name(&cg, procmap_uid(map, pid), ps->rt);
	procmap_set_service(map, pid, cg.label, cg.len, cg.kind);
}

/* Reads the name and real uid of a process; false if it vanished. */
static bool read_identity(int rootfd, int32_t pid, struct procmap *map)
{
	char path[32];
	char buf[STATUS_READ + 1];
	char comm[PROCMAP_COMM_MAX];
	size_t clen = 0;
	long uid = -1;
	ssize_t n;

	pid_path(path, sizeof path, pid, "stat");
	n = read_small(rootfd, path, buf, STAT_READ);
	if (n < 0 && vanished(rootfd, pid, errno))
		return false;
	if (n > 0) {
		const char *name;

		if (procscan_stat_comm(buf, (size_t)n, &name, &clen) == 0) {
			if (clen > sizeof comm)
				clen = sizeof comm;
			memcpy(comm, name, clen);
		}
	}

	pid_path(path, sizeof path, pid, "status");
	n = read_small(rootfd, path, buf, STATUS_READ);
	if (n < 0 && vanished(rootfd, pid, errno))
		return false;
	if (n > 0) {
		buf[n] = '\0';

		const char *u = strstr(buf, "\nUid:");

		if (u) {
			char *end;

			u += 5;
			while (*u == ' ' || *u == '\t')
				u++;
			errno = 0;
			uid = strtol(u, &end, 10);
			if (end == u || errno || uid < 0)
				uid = -1;
		}
	}
	if (uid < 0) {
		/* No status: the owner of the process directory is the
		 * effective uid, the best remaining guess. */
		struct stat st;

		pid_path(path, sizeof path, pid, NULL);
		if (fstatat(rootfd, path, &st, 0) == 0)
			uid = (long)st.st_uid;
	}
	procmap_set_proc(map, pid, comm, clen, uid);
	return true;
}

/* Reads the fds of p into map (its name and uid too when it holds a
 * socket). Returns the work done: 1 + links read. */
static size_t scan_proc(struct procscan *ps, int rootfd, struct pstate *p, struct procmap *map)
{
	char path[32];
	char link[LINK_MAX_LEN];
	struct stat st;
	int64_t entries = 0;
	size_t links = 0;
	int err = 0;

	p->flags = (p->flags & ~PS_DIRTY) | PS_DONE;
	ps->st.scanned++;
	pid_path(path, sizeof path, p->pid, "fd");

	int dfd = openat(rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0) {
		err = errno;
		if (err == EMFILE || err == ENFILE)
			ps->st.fd_errno = err; /* not silent (issue 18 item 8) */
		procmap_remove_proc(map, p->pid);
		if (procscan_probe(rootfd, p->pid, ps->size_probe > 0, &p->sig) < 0) {
			if (is_gone_errno(errno) || is_gone_errno(err))
				mark_gone(ps, p, map);
			else
				p->flags |= PS_DIRTY; /* odd error: try again later */
			return 1;
		}
		if (err == EACCES || err == EPERM)
			p->flags |= PS_HIDDEN;
		else
			p->flags &= ~PS_HIDDEN;
		return 1;
	}
	p->flags &= ~PS_HIDDEN;
	if (fstat(dfd, &st) < 0) {
		err = errno;
		close(dfd);
		if (is_gone_errno(err))
			mark_gone(ps, p, map);
		else
			p->flags |= PS_DIRTY;
		return 1;
	}
	sig_from_stat(&p->sig, &st);

	struct dirwalk w;
	const char *name;
	unsigned char type;

	ps->nfound = 0;
	dirwalk_init(&w, dfd, ps->dbuf, DBUF_LEN);
	while ((name = dirwalk_next(&w, &type))) {
		int32_t fd;

		entries++; /* as count_entries() does, for the same signature */
		if (!parse_fd(name, &fd))
			continue;
		links++;

		ssize_t n = readlinkat(dfd, name, link, sizeof link);
		uint32_t inode;

		if (n <= 0 || (size_t)n >= sizeof link)
			continue; /* closed meanwhile, or a long path */
		inode = parse_socket_link(link, (size_t)n);
		if (!inode)
			continue;
		xgrow((void **)&ps->found, &ps->found_cap, ps->nfound + 1, sizeof *ps->found);
		ps->found[ps->nfound].inode = inode;
		ps->found[ps->nfound].fd = fd;
		ps->nfound++;
	}
	err = w.err;
	close(dfd);
	ps->st.links += links;
	if (err) {
		if (is_gone_errno(err))
			mark_gone(ps, p, map);
		else
			p->flags |= PS_DIRTY; /* keep the old entries; retry */
		return 1 + links;
	}

	if (ps->size_probe > 0) {
		/* Our own fd/ counts the descriptor we just read it with;
		 * the probe, which opens nothing, must see the same number. */
		p->sig.nfds = st.st_size - (p->pid == ps->self_pid);
	} else {
		p->sig.nfds = entries;
	}

	procmap_clear_owners(map, p->pid);
	if (ps->nfound == 0) {
		procmap_remove_proc(map, p->pid);
		return 1 + links;
	}
	if (!read_identity(rootfd, p->pid, map)) {
		mark_gone(ps, p, map);
		return 1 + links;
	}
	if (ps->cgroups)
		read_cgroup(ps, rootfd, p->pid, map);
	{
		/* its network namespace: sockets it holds may be in another */
		char nspath[32];
		struct stat nst;

		pid_path(nspath, sizeof nspath, p->pid, "ns/net");
		if (fstatat(rootfd, nspath, &nst, 0) == 0)
			procmap_set_netns(map, p->pid, (uint32_t)nst.st_ino);
	}
	for (size_t i = 0; i < ps->nfound; i++)
		procmap_add_owner(map, ps->found[i].inode, p->pid, ps->found[i].fd);
	ps->st.sockets += ps->nfound;
	return 1 + links;
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

int procscan_full(struct procscan *ps, struct procmap *map)
{
	procmap_clear(map);
	ps->size_probe = -1; /* re-detect: the kernel may differ after all */

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
	for (size_t i = 0; i < ps->nprocs; i++) {
		scan_proc(ps, rootfd, &ps->procs[i], map);
		ps->st.changed++;
	}
	close(rootfd);
	ps->changed_cursor = 0;
	ps->slice_cursor = 0;
	ps->hunt_left = 0; /* every wanted inode was just looked for */
	ps->nfresh = 0;
	finish_call(ps, map);
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
