/* test_procscan.c - the /proc scanner, on a fake tree and on the real /proc. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "procmap.h"
#include "procscan.h"

/* ---- the fake tree ---- */

struct fake {
	char root[256];
};

static void pathf(char *buf, size_t len, const struct fake *f, int32_t pid, const char *leaf)
{
	if (leaf)
		snprintf(buf, len, "%s/%d/%s", f->root, (int)pid, leaf);
	else
		snprintf(buf, len, "%s/%d", f->root, (int)pid);
}

static void write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
}

/* A process directory with stat (name given raw) and status (uid); with
 * an empty fd/ when with_fd. name NULL: no stat and no status. */
static void fake_proc(const struct fake *f, int32_t pid, const char *name, size_t nlen,
		      long uid, bool with_fd)
{
	char path[512], buf[512];
	int n;

	pathf(path, sizeof path, f, pid, NULL);
	assert_int_equal(mkdir(path, 0755), 0);
	if (name) {
		n = snprintf(buf, sizeof buf, "%d (", (int)pid);
		memcpy(buf + n, name, nlen);
		n += (int)nlen;
		n += snprintf(buf + n, sizeof buf - (size_t)n,
			      ") S 1 %d %d 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 100 1000 10\n",
			      (int)pid, (int)pid);
		pathf(path, sizeof path, f, pid, "stat");
		write_file(path, buf, (size_t)n);
		n = snprintf(buf, sizeof buf,
			     "Name:\tfake\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t%d\n"
			     "Ngid:\t0\nPid:\t%d\nPPid:\t1\nTracerPid:\t0\n"
			     "Uid:\t%ld\t%ld\t%ld\t%ld\nGid:\t0\t0\t0\t0\n",
			     (int)pid, (int)pid, uid, uid + 1, uid + 2, uid + 3);
		pathf(path, sizeof path, f, pid, "status");
		write_file(path, buf, (size_t)n);
	}
	if (with_fd) {
		pathf(path, sizeof path, f, pid, "fd");
		assert_int_equal(mkdir(path, 0755), 0);
	}
}

static void fake_fd(const struct fake *f, int32_t pid, int fd, const char *target)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%d/fd/%d", f->root, (int)pid, fd);
	assert_int_equal(symlink(target, path), 0);
}

static void fake_sock(const struct fake *f, int32_t pid, int fd, uint32_t inode)
{
	char target[32];

	snprintf(target, sizeof target, "socket:[%u]", (unsigned)inode);
	fake_fd(f, pid, fd, target);
}

static void fake_close(const struct fake *f, int32_t pid, int fd)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%d/fd/%d", f->root, (int)pid, fd);
	assert_int_equal(unlink(path), 0);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void rm_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void fake_exit(const struct fake *f, int32_t pid)
{
	char path[512];

	pathf(path, sizeof path, f, pid, NULL);
	rm_tree(path);
	assert_int_equal(access(path, F_OK), -1);
}

static int fake_setup(void **state)
{
	struct fake *f = calloc(1, sizeof *f);
	const char *tmp = getenv("TMPDIR");

	if (!f)
		return -1;
	snprintf(f->root, sizeof f->root, "%s/procscan-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->root)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int fake_teardown(void **state)
{
	struct fake *f = *state;

	rm_tree(f->root);
	free(f);
	return 0;
}

static size_t owners(const struct procmap *m, uint32_t inode, struct proc_owner *o)
{
	return procmap_owners(m, inode, o, 8);
}

/* ---- pure helpers ---- */

static void test_stat_comm(void **state)
{
	(void)state;
	const char *name;
	size_t len;
	static const char s1[] = "42 (a) S 1 1 (b) c) S 1 2 3";

	assert_int_equal(procscan_stat_comm(s1, sizeof s1 - 1, &name, &len), 0);
	assert_int_equal(len, strlen("a) S 1 1 (b) c"));
	assert_memory_equal(name, "a) S 1 1 (b) c", len);

	static const char s2[] = "7 (\x1b\n\xff ) R";

	assert_int_equal(procscan_stat_comm(s2, sizeof s2 - 1, &name, &len), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(name, "\x1b\n\xff ", 4);

	static const char s3[] = "7 () R";

	assert_int_equal(procscan_stat_comm(s3, sizeof s3 - 1, &name, &len), 0);
	assert_int_equal(len, 0);

	assert_int_equal(procscan_stat_comm("7 (abc", 6, &name, &len), -1);
	assert_int_equal(procscan_stat_comm("7 ) (", 5, &name, &len), -1);
	assert_int_equal(procscan_stat_comm("", 0, &name, &len), -1);
	/* The length bounds the search: the ')' past n does not count. */
	assert_int_equal(procscan_stat_comm("7 (ab)", 5, &name, &len), -1);
}

/* ---- full scan of a fake tree ---- */

static void test_fake_full(void **state)
{
	struct fake *f = *state;
	static const char evil[] = "w) S 1 1 (\x1b]0;";
	struct proc_owner o[8];
	char path[512];
	size_t len;

	fake_proc(f, 100, evil, sizeof evil - 1, 1000, true);
	fake_fd(f, 100, 0, "/dev/null");
	fake_fd(f, 100, 1, "pipe:[5]");
	fake_sock(f, 100, 3, 123);
	fake_sock(f, 100, 4, 124);
	fake_sock(f, 100, 7, 123); /* dup() of fd 3 */
	fake_fd(f, 100, 9, "socket:[0]");
	fake_fd(f, 100, 10, "socket:[abc]");
	fake_fd(f, 100, 11, "socket:[99999999999]");
	fake_fd(f, 100, 12, "socket:[125");
	fake_fd(f, 100, 13, "anon_inode:[eventpoll]");

	fake_proc(f, 200, "db", 2, 0, true);
	fake_sock(f, 200, 5, 124); /* shared with 100 (fork) */
	fake_sock(f, 200, 6, 300);

	fake_proc(f, 300, "idle", 4, 7, true); /* no sockets */
	fake_fd(f, 300, 0, "/dev/null");

	fake_proc(f, 400, "nofd", 4, 7, false); /* no fd/ directory */

	fake_proc(f, 600, NULL, 0, 0, true); /* no stat, no status */
	fake_sock(f, 600, 3, 600);

	/* Not processes. */
	snprintf(path, sizeof path, "%s/net", f->root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/0123", f->root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/0123/fd", f->root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/0123/fd/3", f->root);
	assert_int_equal(symlink("socket:[555]", path), 0);
	snprintf(path, sizeof path, "%s/500", f->root);
	write_file(path, "x", 1);
	snprintf(path, sizeof path, "%s/99999999999", f->root);
	assert_int_equal(mkdir(path, 0755), 0);

	struct procscan *ps = procscan_new(f->root);
	struct procmap *m = procmap_new();

	procmap_add_owner(m, 9999, 1, 1); /* stale: full clears the map */
	assert_int_equal(procscan_full(ps, m), 0);
	assert_false(procmap_is_owned(m, 9999));

	assert_int_equal(owners(m, 123, o), 2);
	assert_int_equal(o[0].pid, 100);
	assert_int_equal(o[0].fd, 3);
	assert_int_equal(o[1].pid, 100);
	assert_int_equal(o[1].fd, 7);
	assert_int_equal(owners(m, 124, o), 2);
	assert_int_equal(o[0].pid, 100);
	assert_int_equal(o[0].fd, 4);
	assert_int_equal(o[1].pid, 200);
	assert_int_equal(o[1].fd, 5);
	assert_int_equal(owners(m, 300, o), 1);
	assert_int_equal(o[0].pid, 200);
	assert_int_equal(o[0].fd, 6);
	assert_int_equal(owners(m, 0, o), 0);
	assert_int_equal(owners(m, 125, o), 0);
	assert_int_equal(owners(m, 555, o), 0);
	assert_int_equal(owners(m, 5, o), 0); /* the pipe */
	assert_int_equal(procmap_nowners(m), 6);

	const char *c = procmap_comm(m, 100, &len);

	assert_non_null(c);
	assert_int_equal(len, sizeof evil - 1);
	assert_memory_equal(c, evil, len);
	assert_int_equal(procmap_uid(m, 100), 1000); /* the real uid, first */
	c = procmap_comm(m, 200, &len);
	assert_int_equal(len, 2);
	assert_memory_equal(c, "db", 2);
	assert_int_equal(procmap_uid(m, 200), 0);

	/* Processes without sockets are not in the map. */
	assert_null(procmap_comm(m, 300, &len));
	assert_null(procmap_comm(m, 400, &len));
	/* No stat: an empty name; no status: the directory's owner. */
	assert_int_equal(owners(m, 600, o), 1);
	c = procmap_comm(m, 600, &len);
	assert_non_null(c);
	assert_int_equal(len, 0);
	assert_int_equal(procmap_uid(m, 600), (long)getuid());
	assert_int_equal(procmap_nprocs(m), 3);
	assert_int_equal(procmap_hidden(m), 0);

	const struct procscan_stats *st = procscan_stats(ps);

	assert_int_equal(st->procs, 5); /* 100 200 300 400 600 */
	assert_int_equal(st->scanned, 5);
	assert_int_equal(st->sockets, 6);
	assert_int_equal(st->links, 10 + 2 + 1 + 1);
	assert_int_equal(st->hidden, 0);
	assert_int_equal(st->pending, 0);
	assert_false(st->size_probe); /* not a procfs */

	/* Nothing changed: an update reads no fds at all. */
	struct procscan_budget quiet = { .changed = 0, .slice = 0, .hunt = 0 };

	assert_int_equal(procscan_update(ps, m, &quiet), 0);
	assert_int_equal(st->procs, 5);
	assert_int_equal(st->probed, 5);
	assert_int_equal(st->scanned, 0);
	assert_int_equal(st->links, 0);
	assert_int_equal(st->gone, 0);
	assert_int_equal(owners(m, 124, o), 2);

	procmap_free(m);
	procscan_free(ps);
	procscan_free(NULL);
}

static void test_root_errors(void **state)
{
	struct fake *f = *state;
	char path[512];
	struct procmap *m = procmap_new();

	snprintf(path, sizeof path, "%s/nosuch", f->root);

	struct procscan *ps = procscan_new(path);

	errno = 0;
	assert_int_equal(procscan_full(ps, m), -1);
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_int_equal(procscan_update(ps, m, NULL), -1);
	assert_int_equal(errno, ENOENT);
	procscan_free(ps);

	snprintf(path, sizeof path, "%s/file", f->root);
	write_file(path, "x", 1);
	ps = procscan_new(path);
	errno = 0;
	assert_int_equal(procscan_full(ps, m), -1);
	assert_int_equal(errno, ENOTDIR);
	procscan_free(ps);

	/* An empty root is fine. */
	ps = procscan_new(f->root);
	unlink(path);
	assert_int_equal(procscan_full(ps, m), 0);
	assert_int_equal(procscan_stats(ps)->procs, 0);
	procscan_free(ps);
	procmap_free(m);
}

/* The probe: what the scanner records equals what it probes later, and a
 * different fd count shows. */
static void test_probe(void **state)
{
	struct fake *f = *state;
	struct procscan_sig a, b;

	fake_proc(f, 10, "x", 1, 0, true);
	fake_sock(f, 10, 3, 1);
	fake_sock(f, 10, 4, 2);
	fake_proc(f, 11, "y", 1, 0, false);

	int rootfd = open(f->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(rootfd >= 0);
	assert_int_equal(procscan_probe(rootfd, 10, false, &a), 0);
	assert_int_equal(a.nfds, 2);
	assert_int_equal(procscan_probe(rootfd, 10, false, &b), 0);
	assert_memory_equal(&a, &b, sizeof a);
	fake_sock(f, 10, 5, 3);
	assert_int_equal(procscan_probe(rootfd, 10, false, &b), 0);
	assert_int_equal(b.nfds, 3);

	/* No fd/: a stable signature without a count. */
	assert_int_equal(procscan_probe(rootfd, 11, false, &a), 0);
	assert_int_equal(a.nfds, -1);
	assert_int_equal(procscan_probe(rootfd, 11, false, &b), 0);
	assert_memory_equal(&a, &b, sizeof a);

	errno = 0;
	assert_int_equal(procscan_probe(rootfd, 12, false, &a), -1);
	assert_int_equal(errno, ENOENT);
	close(rootfd);
}

/* Incremental updates: a new socket fd, a process that exits, a new one. */
static void test_fake_update(void **state)
{
	struct fake *f = *state;
	struct proc_owner o[8];
	struct procscan_budget b = { .changed = 0, .slice = 0, .hunt = 0 };
	size_t len;

	fake_proc(f, 10, "ten", 3, 1, true);
	fake_sock(f, 10, 3, 1010);
	fake_proc(f, 20, "twenty", 6, 2, true);
	fake_sock(f, 20, 3, 2020);
	fake_sock(f, 20, 4, 2021);
	fake_proc(f, 30, "thirty", 6, 3, true);
	fake_fd(f, 30, 0, "/dev/null");

	struct procscan *ps = procscan_new(f->root);
	struct procmap *m = procmap_new();
	const struct procscan_stats *st = procscan_stats(ps);

	assert_int_equal(procscan_full(ps, m), 0);
	assert_int_equal(procmap_nowners(m), 3);

	/* A new socket in 10: its fd count changes, only 10 is reread. */
	fake_sock(f, 10, 4, 1011);
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->probed, 3);
	assert_int_equal(st->changed, 1);
	assert_int_equal(st->scanned, 1);
	assert_int_equal(st->links, 2);
	assert_int_equal(owners(m, 1011, o), 1);
	assert_int_equal(o[0].pid, 10);
	assert_int_equal(o[0].fd, 4);
	assert_int_equal(owners(m, 1010, o), 1);

	/* A socket appears in 30, which had none: it enters the map. */
	fake_sock(f, 30, 1, 3030);
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->changed, 1);
	assert_int_equal(owners(m, 3030, o), 1);
	assert_non_null(procmap_comm(m, 30, &len));
	assert_int_equal(procmap_uid(m, 30), 3);

	/* 20 exits: it and its sockets leave the map, nothing is read. */
	fake_exit(f, 20);
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->gone, 1);
	assert_int_equal(st->scanned, 0);
	assert_int_equal(st->procs, 2);
	assert_false(procmap_is_owned(m, 2020));
	assert_false(procmap_is_owned(m, 2021));
	assert_null(procmap_comm(m, 20, &len));

	/* 40 starts: read as new. */
	fake_proc(f, 40, "forty", 5, 4, true);
	fake_sock(f, 40, 7, 4040);
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->changed, 1);
	assert_int_equal(st->procs, 3);
	assert_int_equal(owners(m, 4040, o), 1);
	assert_int_equal(o[0].pid, 40);
	assert_int_equal(o[0].fd, 7);

	/* 10 closes its sockets: they and its name leave the map. */
	fake_close(f, 10, 3);
	fake_close(f, 10, 4);
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->changed, 1);
	assert_false(procmap_is_owned(m, 1010));
	assert_false(procmap_is_owned(m, 1011));
	assert_null(procmap_comm(m, 10, &len));

	/* Quiet again. */
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->scanned, 0);

	procmap_free(m);
	procscan_free(ps);
}

enum { NSLICE = 50 };

/* 50 processes, pid 1000 + i, two sockets each (inodes 10000 + 2i, +1). */
static void fake_many(const struct fake *f)
{
	for (int i = 0; i < NSLICE; i++) {
		fake_proc(f, 1000 + i, "p", 1, 0, true);
		fake_sock(f, 1000 + i, 3, (uint32_t)(10000 + 2 * i));
		fake_sock(f, 1000 + i, 4, (uint32_t)(10000 + 2 * i + 1));
	}
}

static size_t count_owned_procs(const struct procmap *m)
{
	size_t n = 0;

	for (int i = 0; i < NSLICE; i++)
		n += procmap_is_owned(m, (uint32_t)(10000 + 2 * i));
	return n;
}

/* The round-robin slice rereads unchanged processes within its budget and
 * covers all of them in ceil(n / per call) calls. Each process costs 3
 * (open + 2 links), so a slice of 15 rereads 5 processes. */
static void test_fake_slice(void **state)
{
	struct fake *f = *state;
	struct procscan_budget b = { .changed = 0, .slice = 15, .hunt = 0 };
	struct procscan *ps = procscan_new(f->root);
	struct procmap *m = procmap_new();
	const struct procscan_stats *st = procscan_stats(ps);

	fake_many(f);
	assert_int_equal(procscan_full(ps, m), 0);
	assert_int_equal(count_owned_procs(m), NSLICE);

	/* Wipe the map behind the scanner's back: only rereads restore it,
	 * which shows exactly which processes each call reread. */
	procmap_clear(m);
	for (int call = 1; call <= NSLICE / 5; call++) {
		assert_int_equal(procscan_update(ps, m, &b), 0);
		assert_int_equal(st->changed, 0);
		assert_int_equal(st->sliced, 5);
		assert_int_equal(st->scanned, 5);
		assert_int_equal(st->links, 10);
		assert_int_equal(count_owned_procs(m), (size_t)call * 5);
	}
	/* The next cycle starts over. */
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->sliced, 5);

	/* A close followed by an open keeps the fd count: found within one
	 * cycle, whatever the probe makes of the directory's times. */
	fake_close(f, 1017, 4);
	fake_sock(f, 1017, 4, 77777);
	int calls = 0;

	while (!procmap_is_owned(m, 77777) && calls < NSLICE / 5) {
		assert_int_equal(procscan_update(ps, m, &b), 0);
		calls++;
	}
	assert_true(procmap_is_owned(m, 77777));
	assert_false(procmap_is_owned(m, 10000 + 2 * 17 + 1));

	/* A process bigger than the slice is still read whole. */
	for (int fd = 10; fd < 40; fd++)
		fake_sock(f, 1003, fd, (uint32_t)(20000 + fd));
	b.slice = 2;
	assert_int_equal(procscan_update(ps, m, &b), 0); /* reads 1003 as changed */
	assert_int_equal(st->changed, 1);
	assert_int_equal(st->sliced, 1);
	assert_true(procmap_is_owned(m, 20039));

	procmap_free(m);
	procscan_free(ps);
}

/* New processes beyond the changed budget stay pending for later calls. */
static void test_fake_changed_budget(void **state)
{
	struct fake *f = *state;
	struct procscan_budget b = { .changed = 9, .slice = 0, .hunt = 0 };
	struct procscan *ps = procscan_new(f->root);
	struct procmap *m = procmap_new();
	const struct procscan_stats *st = procscan_stats(ps);

	assert_int_equal(procscan_full(ps, m), 0);
	assert_int_equal(st->procs, 0);
	fake_many(f); /* 50 new processes, 3 units each */

	size_t done = 0;
	int calls = 0;

	do {
		assert_int_equal(procscan_update(ps, m, &b), 0);
		calls++;
		assert_true(st->changed <= 3);
		assert_true(st->changed >= 1);
		done += st->changed;
		assert_int_equal(st->pending, NSLICE - done);
		assert_int_equal(count_owned_procs(m), done);
	} while (st->pending && calls < NSLICE);
	assert_int_equal(calls, (NSLICE + 2) / 3);
	assert_int_equal(count_owned_procs(m), NSLICE);

	/* An unlimited budget reads everything pending at once. */
	fake_exit(f, 1000);
	for (int i = 0; i < 10; i++)
		fake_proc(f, 2000 + i, "q", 1, 0, true);
	b.changed = 0;
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->changed, 10);
	assert_int_equal(st->gone, 1);
	assert_int_equal(st->pending, 0);

	procmap_free(m);
	procscan_free(ps);
}

/* Wanted inodes widen the slice until they are found or a cycle is over;
 * inodes already hunted for do not start another hunt. */
static void test_fake_hunt(void **state)
{
	struct fake *f = *state;
	struct procscan_budget b = { .changed = 0, .slice = 3, .hunt = 30 };
	struct procscan *ps = procscan_new(f->root);
	struct procmap *m = procmap_new();
	const struct procscan_stats *st = procscan_stats(ps);
	uint32_t want[2 * NSLICE + 1];

	fake_many(f);
	assert_int_equal(procscan_full(ps, m), 0);
	for (int i = 0; i < 2 * NSLICE; i++)
		want[i] = (uint32_t)(10000 + i);
	want[2 * NSLICE] = 0; /* ignored */

	/* Normal slice: one process per call. */
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->sliced, 1);
	assert_false(st->hunting);

	procmap_clear(m); /* as if all these sockets had just appeared */
	assert_int_equal(procscan_want_inodes(ps, want, 2 * NSLICE + 1), 2 * NSLICE);
	for (int call = 1; call <= NSLICE / 10; call++) {
		assert_int_equal(procscan_update(ps, m, &b), 0);
		assert_int_equal(st->sliced, 10);
		assert_int_equal(count_owned_procs(m), (size_t)call * 10);
		assert_int_equal(st->hunting, call < NSLICE / 10);
	}
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->sliced, 1);

	/* Told again about the same inodes: nothing new, no hunt. */
	assert_int_equal(procscan_want_inodes(ps, want, 2 * NSLICE), 0);
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->sliced, 1);

	/* A new socket whose process changed its fd count is found by the
	 * changed phase: no hunt. */
	uint32_t newsock = 88888;

	fake_sock(f, 1005, 9, newsock);
	assert_int_equal(procscan_want_inodes(ps, &newsock, 1), 1);
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->changed, 1);
	assert_true(procmap_is_owned(m, newsock));
	assert_false(st->hunting);
	assert_int_equal(st->sliced, 1);

	/* An inode nobody holds: one widened cycle, then back to normal. */
	uint32_t ghost = 424242;

	assert_int_equal(procscan_want_inodes(ps, &ghost, 1), 1);
	for (int call = 1; call <= NSLICE / 10; call++) {
		assert_int_equal(procscan_update(ps, m, &b), 0);
		assert_int_equal(st->sliced, 10);
	}
	assert_false(st->hunting);
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->sliced, 1);
	assert_int_equal(procscan_want_inodes(ps, &ghost, 1), 0);
	assert_int_equal(procscan_update(ps, m, &b), 0);
	assert_int_equal(st->sliced, 1);

	procmap_free(m);
	procscan_free(ps);
}

/* ---- the real /proc ---- */

static void read_self_comm(char *buf, size_t cap, size_t *len)
{
	int fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, cap);
	close(fd);
	assert_true(n > 0);
	if (buf[n - 1] == '\n')
		n--;
	*len = (size_t)n;
}

static uint32_t sock_inode(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	return (uint32_t)st.st_ino;
}

static bool owned_by(const struct procmap *m, uint32_t inode, int32_t pid, int fd)
{
	struct proc_owner o[16];
	size_t n = procmap_owners(m, inode, o, 16);

	for (size_t i = 0; i < n && i < 16; i++)
		if (o[i].pid == pid && o[i].fd == fd)
			return true;
	return false;
}

static void test_real_proc(void **state)
{
	(void)state;
	int s1 = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char comm[64];
	size_t clen, len;

	assert_true(s1 >= 0);

	uint32_t ino1 = sock_inode(s1);
	struct procscan *ps = procscan_new("/proc");
	struct procmap *m = procmap_new();
	const struct procscan_stats *st = procscan_stats(ps);

	assert_int_equal(procscan_full(ps, m), 0);
	assert_true(owned_by(m, ino1, getpid(), s1));

	const char *c = procmap_comm(m, getpid(), &len);

	read_self_comm(comm, sizeof comm, &clen);
	assert_non_null(c);
	assert_int_equal(len, clen);
	assert_memory_equal(c, comm, len);
	assert_int_equal(procmap_uid(m, getpid()), (long)getuid());
	assert_true(st->procs >= 1);
	assert_true(st->links >= 1);

	/* Nothing read when nothing changed: our own process probes equal
	 * although the scan itself holds extra descriptors. */
	struct procscan_budget none = { .changed = 0, .slice = 0, .hunt = 0 };
	struct procscan_budget hunt = { .changed = 0, .slice = 0, .hunt = 1u << 30 };

	/* A new socket changes the fd count: found by the probe alone. */
	int s2 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(s2 >= 0);

	uint32_t ino2 = sock_inode(s2);

	assert_int_equal(procscan_update(ps, m, &none), 0);
	assert_true(owned_by(m, ino2, getpid(), s2));
	assert_true(owned_by(m, ino1, getpid(), s1));
	assert_true(st->changed >= 1);

	/* Closing one changes it again. */
	close(s2);
	assert_int_equal(procscan_update(ps, m, &none), 0);
	assert_false(procmap_is_owned(m, ino2));
	assert_true(owned_by(m, ino1, getpid(), s1));

	/* Close and reopen on the same fd number: the count and the
	 * directory are unchanged, so the probe cannot see it; the hunt for
	 * the new, ownerless inode finds it. */
	close(s1);

	int s3 = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_int_equal(s3, s1);

	uint32_t ino3 = sock_inode(s3);

	assert_int_equal(procscan_update(ps, m, &none), 0);
	if (st->size_probe) /* /proc timestamps never move, st_size did not */
		assert_false(procmap_is_owned(m, ino3));
	assert_int_equal(procscan_want_inodes(ps, &ino3, 1), 1);
	assert_int_equal(procscan_update(ps, m, &hunt), 0);
	assert_true(owned_by(m, ino3, getpid(), s3));
	assert_false(procmap_is_owned(m, ino1));
	assert_true(st->sliced >= 1);

	close(s3);
	procmap_free(m);
	procscan_free(ps);
}

/* Unprivileged mode (tests/integration/procscan_unpriv.sh): running as a user who
 * cannot read another user's fds, next to a root-owned holder process. */
static void test_unprivileged(void **state)
{
	(void)state;
	const char *env = getenv("PROCSCAN_UNPRIV_HOLDER");
	char *end;
	long holder = strtol(env, &end, 10);
	size_t len;

	assert_true(*env && *end == '\0' && holder > 1);
	assert_true(geteuid() != 0);
	/* The holder is alive and not ours. */
	errno = 0;
	assert_int_equal(kill((pid_t)holder, 0), -1);
	assert_int_equal(errno, EPERM);

	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(s >= 0);

	uint32_t ino = sock_inode(s);
	struct procscan *ps = procscan_new("/proc");
	struct procmap *m = procmap_new();
	const struct procscan_stats *st = procscan_stats(ps);

	assert_int_equal(procscan_full(ps, m), 0);
	assert_true(owned_by(m, ino, getpid(), s));
	assert_non_null(procmap_comm(m, getpid(), &len));
	assert_int_equal(procmap_uid(m, getpid()), (long)getuid());
	assert_true(st->hidden >= 1);
	assert_int_equal(procmap_hidden(m), st->hidden);
	assert_null(procmap_comm(m, (int32_t)holder, &len));

	/* The batch path on two readers counts them too (reader 1 takes
	 * everything here; test_procscan_mt compares the maps). Root's
	 * processes come and go meanwhile: no exact count. */
	assert_int_equal(procscan_full_begin(ps, m, 2), 0);
	procscan_full_work(ps, 1, NULL);
	procscan_full_work(ps, 0, m);
	procscan_full_end(ps, m);
	assert_true(st->hidden >= 1);
	assert_int_equal(procmap_hidden(m), st->hidden);
	assert_true(owned_by(m, ino, getpid(), s));

	/* Updates keep counting the hidden processes. */
	assert_int_equal(procscan_update(ps, m, NULL), 0);
	assert_true(st->hidden >= 1);
	assert_int_equal(procmap_hidden(m), st->hidden);
	assert_true(owned_by(m, ino, getpid(), s));

	close(s);
	procmap_free(m);
	procscan_free(ps);
}

int main(void)
{
	if (getenv("PROCSCAN_UNPRIV_HOLDER")) {
		const struct CMUnitTest unpriv[] = {
			cmocka_unit_test(test_unprivileged),
		};

		return cmocka_run_group_tests(unpriv, NULL, NULL);
	}

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_comm),
		cmocka_unit_test_setup_teardown(test_fake_full, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_root_errors, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_probe, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_fake_update, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_fake_slice, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_fake_changed_budget, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_fake_hunt, fake_setup, fake_teardown),
		cmocka_unit_test(test_real_proc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
