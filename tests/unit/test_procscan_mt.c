/* test_procscan_mt.c - procscan_full on several readers (batch mode's
 * threads, procscan_full_begin/_work/_end) gives the same map and stats as
 * on one, on a fake /proc tree: sockets, processes without sockets or fd/,
 * names and uids, cgroups, processes that vanish between the listing and
 * the read. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "procmap.h"
#include "procscan.h"

#define PID0 2000
#define NPROC 61
#define INO0 50000

static char root[256];

static void put(const char *rel, const char *text)
{
	char path[512];
	int fd;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* Makes ROOT/PID, or ROOT/PID/LEAF. */
static void dir(int32_t pid, const char *leaf)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%d%s%s", root, (int)pid, leaf ? "/" : "",
		 leaf ? leaf : "");
	assert_int_equal(mkdir(path, 0755), 0);
}

static void link_fd(int32_t pid, int fd, const char *target)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%d/fd/%d", root, (int)pid, fd);
	assert_int_equal(symlink(target, path), 0);
}

static void sock_fd(int32_t pid, int fd, uint32_t inode)
{
	char target[32];

	snprintf(target, sizeof target, "socket:[%u]", (unsigned)inode);
	link_fd(pid, fd, target);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void rm_pid(int32_t pid)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%d", root, (int)pid);
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Process PID0 + i, shaped by i: most hold sockets (some shared with the
 * previous process, some dup()ed), others none, no fd/, fd/ as a file, no
 * stat; a cgroup file for some. */
static void make_tree(void)
{
	char rel[64], text[256];

	for (int i = 0; i < NPROC; i++) {
		int32_t pid = PID0 + i;
		uint32_t ino = INO0 + 10 * (uint32_t)i;

		dir(pid, NULL);
		if (i % 9 != 4) {
			snprintf(rel, sizeof rel, "%d/stat", (int)pid);
			snprintf(text, sizeof text, "%d (p%d) x) S 1 1 1 0\n", (int)pid, i);
			put(rel, text);
			snprintf(rel, sizeof rel, "%d/status", (int)pid);
			snprintf(text, sizeof text, "Name:\tp\nUid:\t%d\t0\t0\t0\n", 1000 + i);
			put(rel, text);
		}
		if (i % 4 == 1) {
			snprintf(rel, sizeof rel, "%d/cgroup", (int)pid);
			snprintf(text, sizeof text, "0::/system.slice/s%d.service\n", i);
			put(rel, text);
		}
		if (i % 7 == 5)
			continue; /* no fd/ */
		if (i % 11 == 6) {
			snprintf(rel, sizeof rel, "%d/fd", (int)pid);
			put(rel, "not a directory");
			continue;
		}
		dir(pid, "fd");
		link_fd(pid, 0, "/dev/null");
		if (i % 5 == 0)
			continue; /* no sockets */
		for (int k = 0; k < 1 + i % 6; k++)
			sock_fd(pid, 3 + k, ino + (uint32_t)k);
		/* ever more fds late in the list: the readers' buffers grow
		 * while the writer applies what they read before */
		for (int k = 0; i % 13 == 12 && k < 4 * i; k++)
			sock_fd(pid, 100 + k, 900000 + (uint32_t)(1000 * i + k));
		sock_fd(pid, 20, ino); /* dup() */
		if (i > 0)
			sock_fd(pid, 21, ino - 10); /* shared with the previous (fork) */
		link_fd(pid, 22, "socket:[12x]");
	}
	dir(7, NULL); /* an empty process directory */
	put("42", "a file with a pid's name");
}

static void same_stats(const struct procscan_stats *a, const struct procscan_stats *b)
{
	assert_int_equal(a->procs, b->procs);
	assert_int_equal(a->hidden, b->hidden);
	assert_int_equal(a->gone, b->gone);
	assert_int_equal(a->changed, b->changed);
	assert_int_equal(a->scanned, b->scanned);
	assert_int_equal(a->links, b->links);
	assert_int_equal(a->sockets, b->sockets);
	assert_int_equal(a->pending, b->pending);
	assert_int_equal(a->fd_errno, b->fd_errno);
	assert_int_equal(a->size_probe, b->size_probe);
}

/* Every process and socket of the tree is the same in a and b. */
static void same_maps(const struct procmap *a, const struct procmap *b)
{
	assert_int_equal(procmap_nprocs(a), procmap_nprocs(b));
	assert_int_equal(procmap_nowners(a), procmap_nowners(b));
	assert_int_equal(procmap_hidden(a), procmap_hidden(b));
	for (int32_t pid = 1; pid < PID0 + NPROC; pid++) {
		size_t la = 0, lb = 0;
		unsigned ka = 0, kb = 0;
		const char *ca = procmap_comm(a, pid, &la), *cb = procmap_comm(b, pid, &lb);

		assert_int_equal(ca != NULL, cb != NULL);
		assert_int_equal(la, lb);
		if (ca)
			assert_memory_equal(ca, cb, la);
		assert_int_equal(procmap_uid(a, pid), procmap_uid(b, pid));
		assert_int_equal(procmap_netns(a, pid), procmap_netns(b, pid));
		ca = procmap_service(a, pid, &la, &ka);
		cb = procmap_service(b, pid, &lb, &kb);
		assert_int_equal(ca != NULL, cb != NULL);
		if (ca) {
			assert_int_equal(la, lb);
			assert_int_equal(ka, kb);
			assert_memory_equal(ca, cb, la);
		}
	}
	for (uint32_t ino = INO0 - 10; ino < INO0 + 10 * NPROC + 10; ino++) {
		struct proc_owner oa[8], ob[8];
		size_t na = procmap_owners(a, ino, oa, 8), nb = procmap_owners(b, ino, ob, 8);

		assert_int_equal(na, nb);
		for (size_t i = 0; i < na && i < 8; i++) {
			assert_int_equal(oa[i].pid, ob[i].pid);
			assert_int_equal(oa[i].fd, ob[i].fd);
		}
	}
}

static void *reader(void *arg)
{
	procscan_full_work(arg, 1, NULL);
	return NULL;
}

/* The batch path: readers 0 and 1 on two threads (with_thread), reader 0
 * applying as it goes as collect_once's does; or readers declared but
 * only reader 0 run, applying nothing before the end (a thread that could
 * not be made). vanish: pids to remove between the listing and the
 * reads. */
static void scan_split(struct procscan *ps, struct procmap *m, unsigned readers,
		       bool with_thread, const int32_t *vanish, size_t nvanish)
{
	pthread_t th;

	assert_int_equal(procscan_full_begin(ps, m, readers), 0);
	for (size_t i = 0; i < nvanish; i++)
		rm_pid(vanish[i]);
	if (with_thread)
		assert_int_equal(pthread_create(&th, NULL, reader, ps), 0);
	procscan_full_work(ps, 0, with_thread ? m : NULL);
	if (with_thread)
		assert_int_equal(pthread_join(th, NULL), 0);
	procscan_full_end(ps, m);
}

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(root, sizeof root, "%s/procscan-mt-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		return -1;
	make_tree();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static void test_same_as_one(void **state)
{
	struct procscan *one = procscan_new(root), *two = procscan_new(root),
			*lone = procscan_new(root);
	struct procmap *m1 = procmap_new(), *m2 = procmap_new(), *m3 = procmap_new();
	struct proc_owner o[8];

	(void)state;
	procscan_set_cgroups(one, true);
	procscan_set_cgroups(two, true);
	procscan_set_cgroups(lone, true);
	procmap_add_owner(m2, 9999, 1, 1); /* stale: begin clears the map */
	assert_int_equal(procscan_full(one, m1), 0);
	scan_split(two, m2, 2, true, NULL, 0);
	scan_split(lone, m3, 3, false, NULL, 0);
	same_maps(m1, m2);
	same_maps(m1, m3);
	same_stats(procscan_stats(one), procscan_stats(two));
	same_stats(procscan_stats(one), procscan_stats(lone));

	/* What the tree holds, so that "the same" is not "both empty". */
	assert_false(procmap_is_owned(m2, 9999));
	assert_int_equal(procscan_stats(two)->procs, NPROC + 1);
	/* 2001 fd 3 and its dup() fd 20, 2002 fd 21 */
	assert_int_equal(procmap_owners(m2, INO0 + 10, o, 8), 3);
	assert_int_equal(o[0].pid, PID0 + 1);
	assert_int_equal(o[1].fd, 20);
	assert_int_equal(o[2].pid, PID0 + 2);
	assert_int_equal(o[2].fd, 21);
	assert_int_equal(procmap_uid(m2, PID0 + 3), 1003);
	assert_null(procmap_comm(m2, PID0 + 5, &(size_t){ 0 })); /* no sockets */
	assert_non_null(procmap_service(m2, PID0 + 1, &(size_t){ 0 }, NULL));

	/* The scanners go on incrementally after a split scan as after a
	 * full one: nothing changed, nothing is read. */
	struct procscan_budget quiet = { 0 };

	assert_int_equal(procscan_update(two, m2, &quiet), 0);
	assert_int_equal(procscan_stats(two)->scanned, 0);
	assert_int_equal(procscan_stats(two)->pending, 0);
	same_maps(m1, m2);

	procmap_free(m1);
	procmap_free(m2);
	procmap_free(m3);
	procscan_free(one);
	procscan_free(two);
	procscan_free(lone);
}

/* Processes listed by begin but gone when read are dropped and counted
 * alike on one reader and on two. */
static void test_vanished(void **state)
{
	static const int32_t gone1[] = { PID0 + 2, PID0 + 5, PID0 + 12 };
	static const int32_t gone2[] = { PID0 + 3, PID0 + 9, PID0 + 13 };
	struct procscan *a = procscan_new(root), *b = procscan_new(root);
	struct procmap *ma = procmap_new(), *mb = procmap_new();

	(void)state;
	/* Same listing, then the same processes vanish before each read. */
	scan_split(a, ma, 1, false, gone1, 1);
	scan_split(b, mb, 2, true, gone1 + 1, 2);
	/* a saw 2005 and 2012 (gone only for b): take them out of a too */
	assert_int_equal(procscan_full(a, ma), 0);
	same_maps(ma, mb);
	assert_int_equal(procscan_stats(b)->gone, 2);
	assert_int_equal(procscan_stats(b)->procs, NPROC + 1 - 3);

	/* The other way round: both lose the same processes mid-scan. */
	assert_int_equal(procscan_full_begin(a, ma, 1), 0);
	scan_split(b, mb, 2, true, gone2, 3);
	procscan_full_work(a, 0, ma);
	procscan_full_end(a, ma);
	same_maps(ma, mb);
	same_stats(procscan_stats(a), procscan_stats(b));
	assert_int_equal(procscan_stats(b)->gone, 3);
	assert_null(procmap_comm(mb, PID0 + 3, &(size_t){ 0 }));
	assert_non_null(procmap_comm(mb, PID0 + 4, &(size_t){ 0 }));

	procmap_free(ma);
	procmap_free(mb);
	procscan_free(a);
	procscan_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_as_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vanished, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
