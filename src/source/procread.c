/* procread.c - reading one process of a /proc tree: its fd links, and the
 * name, uid, namespace and cgroup of those holding sockets (procread.h).
 * System calls and parsing only: no state outside the caller's buffer and
 * record, so readers on several threads need no lock. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procread.h"
#include "xalloc.h"

/* "socket:[4294967295]" is 19 bytes; anything longer is not a socket. */
#define LINK_MAX_LEN 64
/* The name sits in the first bytes of stat and Uid: in the first ~300 of
 * status (after Name:, escaped, at most 64 * 4 bytes). */
#define STAT_READ 512
#define STATUS_READ 1024
/* /proc/PID/cgroup: a dozen v1 lines, or one v2 line (cgroup.h). */
#define CGROUP_READ 8192

bool procread_parse_id(const char *s, int32_t *out)
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
	return procread_parse_id(s, out);
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


static bool is_gone_errno(int e)
{
	return e == ENOENT || e == ESRCH;
}

void dirwalk_init(struct dirwalk *w, int fd, char *buf, size_t cap)
{
	w->fd = fd;
	w->buf = buf;
	w->cap = cap;
	w->len = w->off = 0;
	w->err = 0;
}

const char *dirwalk_next(struct dirwalk *w, unsigned char *type)
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

int64_t procread_count_entries(int dfd)
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
	sig->nfds = procread_count_entries(dfd);

	int e = errno;

	close(dfd);
	if (sig->nfds < 0) {
		errno = e;
		return -1;
	}
	return 0;
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
 * in the same visit as its name, only when asked for. The runtime's name
 * of a container is added when the record is applied (runtime.h keeps a
 * cache: one thread). */
static void read_cgroup(int rootfd, int32_t pid, struct procread_rec *r)
{
	char path[32], buf[CGROUP_READ];
	ssize_t n;

	pid_path(path, sizeof path, pid, "cgroup");
	n = read_small(rootfd, path, buf, sizeof buf);
	if (n < 0)
		n = 0;
	cgroup_parse(buf, (size_t)n, &r->cg);
	r->has_cg = true;
}

/* Reads the name and real uid of a process; false if it vanished. */
static bool read_identity(int rootfd, int32_t pid, struct procread_rec *r)
{
	char path[32];
	char buf[STATUS_READ + 1];
	long uid = -1;
	ssize_t n;

	r->clen = 0;
	pid_path(path, sizeof path, pid, "stat");
	n = read_small(rootfd, path, buf, STAT_READ);
	if (n < 0 && vanished(rootfd, pid, errno))
		return false;
	if (n > 0) {
		const char *name;
		size_t clen;

		if (procscan_stat_comm(buf, (size_t)n, &name, &clen) == 0) {
			if (clen > sizeof r->comm)
				clen = sizeof r->comm;
			memcpy(r->comm, name, clen);
			r->clen = clen;
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
	r->uid = uid;
	return true;
}

/* fd/ could not be opened (errno err): hidden, gone or an odd error. */
static size_t read_nofd(int rootfd, int32_t pid, int err, const struct procread_opts *o,
			struct procread_rec *r)
{
	if (err == EMFILE || err == ENFILE)
		r->fd_errno = err; /* not silent (issue 18 item 8) */
	r->outcome = PR_NOFD;
	if (procscan_probe(rootfd, pid, o->size_probe, &r->sig) < 0) {
		if (is_gone_errno(errno) || is_gone_errno(err))
			r->outcome = PR_GONE;
		else
			r->dirty = true; /* odd error: try again later */
		return 1;
	}
	r->hidden = err == EACCES || err == EPERM;
	return 1;
}

size_t procread_one(int rootfd, int32_t pid, const struct procread_opts *o,
		    struct procread_buf *b, struct procread_rec *r)
{
	char path[32];
	char link[LINK_MAX_LEN];
	struct stat st;
	int64_t entries = 0;
	size_t links = 0;
	int err;

	r->hidden = -1;
	r->dirty = false;
	r->has_netns = false;
	r->has_cg = false;
	r->fd_errno = 0;
	r->links = 0;
	r->first = b->nfound;
	r->nfound = 0;
	pid_path(path, sizeof path, pid, "fd");

	int dfd = openat(rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return read_nofd(rootfd, pid, errno, o, r);
	r->hidden = 0;
	if (fstat(dfd, &st) < 0) {
		err = errno;
		close(dfd);
		r->outcome = is_gone_errno(err) ? PR_GONE : PR_KEEP;
		r->dirty = r->outcome == PR_KEEP;
		return 1;
	}
	sig_from_stat(&r->sig, &st);

	struct dirwalk w;
	const char *name;
	unsigned char type;

	dirwalk_init(&w, dfd, b->dbuf, PROCREAD_DBUF_LEN);
	while ((name = dirwalk_next(&w, &type))) {
		int32_t fd;

		entries++; /* as procread_count_entries() does, for the same signature */
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
		xgrow((void **)&b->found, &b->found_cap, b->nfound + 1, sizeof *b->found);
		b->found[b->nfound].inode = inode;
		b->found[b->nfound].fd = fd;
		b->nfound++;
	}
	err = w.err;
	close(dfd);
	r->links = links;
	r->nfound = b->nfound - r->first;
	if (err) {
		b->nfound = r->first;
		r->nfound = 0;
		r->outcome = is_gone_errno(err) ? PR_GONE : PR_KEEP;
		r->dirty = r->outcome == PR_KEEP; /* keep the old entries; retry */
		return 1 + links;
	}

	if (o->size_probe) {
		/* Our own fd/ counts the descriptor we just read it with;
		 * the probe, which opens nothing, must see the same number.
		 * (With readers on other threads, their descriptors of the
		 * moment count too: only batch mode has them, and it never
		 * probes afterwards.) */
		r->sig.nfds = st.st_size - (pid == o->self_pid);
	} else {
		r->sig.nfds = entries;
	}

	r->outcome = r->nfound ? PR_SOCKETS : PR_NONE;
	if (!r->nfound)
		return 1 + links;
	if (!read_identity(rootfd, pid, r)) {
		b->nfound = r->first;
		r->nfound = 0;
		r->outcome = PR_GONE;
		return 1 + links;
	}
	if (o->cgroups)
		read_cgroup(rootfd, pid, r);
	{
		/* its network namespace: sockets it holds may be in another */
		char nspath[32];
		struct stat nst;

		pid_path(nspath, sizeof nspath, pid, "ns/net");
		if (fstatat(rootfd, nspath, &nst, 0) == 0) {
			r->netns = (uint32_t)nst.st_ino;
			r->has_netns = true;
		}
	}
	return 1 + links;
}

void procread_buf_init(struct procread_buf *b)
{
	memset(b, 0, sizeof *b);
	b->dbuf = xmalloc(PROCREAD_DBUF_LEN);
}

void procread_buf_free(struct procread_buf *b)
{
	free(b->dbuf);
	free(b->found);
	memset(b, 0, sizeof *b);
}
