/* test_procmap.c - the inode -> process map (model). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "procmap.h"

/* Deterministic pseudo-random numbers (xorshift32). */
static uint32_t rnd(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static void test_empty(void **state)
{
	(void)state;
	struct procmap *m = procmap_new();
	struct proc_owner o[2];
	size_t len = 99;

	assert_int_equal(procmap_owners(m, 123, o, 2), 0);
	assert_false(procmap_is_owned(m, 123));
	assert_null(procmap_comm(m, 1, &len));
	assert_int_equal(len, 0);
	assert_int_equal(procmap_uid(m, 1), -1);
	assert_int_equal(procmap_hidden(m), 0);
	assert_int_equal(procmap_nprocs(m), 0);
	assert_int_equal(procmap_nowners(m), 0);
	procmap_remove_proc(m, 1);    /* unknown: no effect */
	procmap_clear_owners(m, 1);
	procmap_free(m);
	procmap_free(NULL);
}

static void test_add_lookup(void **state)
{
	(void)state;
	struct procmap *m = procmap_new();
	struct proc_owner o[4];
	size_t len;

	procmap_set_proc(m, 42, "nginx", 5, 33);
	procmap_add_owner(m, 1001, 42, 7);
	procmap_add_owner(m, 1002, 42, 8);

	assert_int_equal(procmap_owners(m, 1001, o, 4), 1);
	assert_int_equal(o[0].pid, 42);
	assert_int_equal(o[0].fd, 7);
	assert_int_equal(procmap_owners(m, 1002, o, 4), 1);
	assert_int_equal(o[0].fd, 8);
	assert_int_equal(procmap_owners(m, 1003, o, 4), 0);
	assert_true(procmap_is_owned(m, 1001));

	const char *c = procmap_comm(m, 42, &len);

	assert_non_null(c);
	assert_int_equal(len, 5);
	assert_memory_equal(c, "nginx", 5);
	assert_int_equal(procmap_uid(m, 42), 33);

	/* Replacing the name and uid keeps the sockets. */
	procmap_set_proc(m, 42, "worker", 6, 1000);
	c = procmap_comm(m, 42, &len);
	assert_int_equal(len, 6);
	assert_memory_equal(c, "worker", 6);
	assert_int_equal(procmap_uid(m, 42), 1000);
	assert_int_equal(procmap_owners(m, 1001, o, 4), 1);

	/* An owner for an unnamed process creates it without a name. */
	procmap_add_owner(m, 1001, 50, 3);
	assert_null(procmap_comm(m, 50, &len));
	assert_int_equal(procmap_uid(m, 50), -1);
	assert_int_equal(procmap_nprocs(m), 2);
	assert_int_equal(procmap_nowners(m), 3);

	/* Duplicates are ignored. */
	procmap_add_owner(m, 1001, 42, 7);
	procmap_add_owner(m, 1001, 50, 3);
	assert_int_equal(procmap_owners(m, 1001, o, 4), 2);
	assert_int_equal(procmap_nowners(m), 3);

	/* The same process may hold the same socket twice (dup). */
	procmap_add_owner(m, 1001, 42, 9);
	assert_int_equal(procmap_owners(m, 1001, o, 4), 3);
	assert_int_equal(o[0].pid, 42);
	assert_int_equal(o[0].fd, 7);
	assert_int_equal(o[1].pid, 42);
	assert_int_equal(o[1].fd, 9);
	assert_int_equal(o[2].pid, 50);
	procmap_free(m);
}

static void test_inode0_and_bad_ids(void **state)
{
	(void)state;
	struct procmap *m = procmap_new();
	struct proc_owner o[2];
	size_t len;

	procmap_add_owner(m, 0, 42, 3);
	assert_int_equal(procmap_owners(m, 0, o, 2), 0);
	assert_false(procmap_is_owned(m, 0));
	procmap_add_owner(m, 5, 0, 3);
	procmap_add_owner(m, 5, -4, 3);
	procmap_add_owner(m, 5, 42, -1);
	assert_int_equal(procmap_owners(m, 5, o, 2), 0);
	procmap_set_proc(m, 0, "x", 1, 0);
	procmap_set_proc(m, -1, "x", 1, 0);
	assert_null(procmap_comm(m, 0, &len));
	assert_null(procmap_comm(m, -1, &len));
	assert_int_equal(procmap_uid(m, -1), -1);
	/* The pid created for inode 0 is not: nothing was recorded at all. */
	assert_int_equal(procmap_nprocs(m), 0);
	assert_int_equal(procmap_nowners(m), 0);
	procmap_free(m);
}

/* Many owners, added in shuffled order, come out sorted by pid then fd;
 * max truncates the copy but not the count. */
static void test_many_owners_sorted(void **state)
{
	(void)state;
	enum { NP = 40, NF = 5, N = NP * NF };
	struct procmap *m = procmap_new();
	struct proc_owner all[N], o[N + 1];
	uint32_t seed = 12345;

	for (int p = 0; p < NP; p++)
		for (int f = 0; f < NF; f++) {
			all[p * NF + f].pid = 1000 - p * 7; /* descending pids */
			all[p * NF + f].fd = 3 + f * 11;
		}
	for (int i = N - 1; i > 0; i--) {
		int j = (int)(rnd(&seed) % (uint32_t)(i + 1));
		struct proc_owner t = all[i];

		all[i] = all[j];
		all[j] = t;
	}
	for (int i = 0; i < N; i++) {
		procmap_add_owner(m, 777, all[i].pid, all[i].fd);
		procmap_add_owner(m, 778, all[i].pid, all[i].fd); /* another socket */
	}
	assert_int_equal(procmap_owners(m, 777, o, N + 1), N);
	for (int i = 1; i < N; i++) {
		bool ordered = o[i - 1].pid < o[i].pid ||
			       (o[i - 1].pid == o[i].pid && o[i - 1].fd < o[i].fd);

		assert_true(ordered);
	}
	assert_int_equal(o[0].pid, 1000 - (NP - 1) * 7);
	assert_int_equal(o[0].fd, 3);
	assert_int_equal(o[N - 1].pid, 1000);
	assert_int_equal(o[N - 1].fd, 3 + (NF - 1) * 11);

	struct proc_owner few[3] = { { -9, -9 }, { -9, -9 }, { -9, -9 } };

	assert_int_equal(procmap_owners(m, 777, few, 2), N);
	assert_int_equal(few[0].pid, o[0].pid);
	assert_int_equal(few[1].fd, o[1].fd);
	assert_int_equal(few[2].pid, -9); /* not written past max */
	assert_int_equal(procmap_owners(m, 777, NULL, 0), N);
	procmap_free(m);
}

static void test_remove_proc(void **state)
{
	(void)state;
	struct procmap *m = procmap_new();
	struct proc_owner o[4];
	size_t len;

	procmap_set_proc(m, 10, "a", 1, 0);
	procmap_set_proc(m, 20, "b", 1, 0);
	procmap_add_owner(m, 500, 10, 3);
	procmap_add_owner(m, 500, 20, 4); /* shared (fork) */
	procmap_add_owner(m, 501, 10, 5);
	procmap_add_owner(m, 502, 20, 6);

	procmap_remove_proc(m, 10);
	assert_null(procmap_comm(m, 10, &len));
	assert_int_equal(procmap_owners(m, 500, o, 4), 1);
	assert_int_equal(o[0].pid, 20);
	assert_false(procmap_is_owned(m, 501));
	assert_int_equal(procmap_owners(m, 502, o, 4), 1);
	assert_int_equal(procmap_nowners(m), 2);
	assert_int_equal(procmap_nprocs(m), 1);

	/* clear_owners keeps the name. */
	procmap_clear_owners(m, 20);
	assert_false(procmap_is_owned(m, 500));
	assert_false(procmap_is_owned(m, 502));
	assert_non_null(procmap_comm(m, 20, &len));
	assert_int_equal(procmap_nowners(m), 0);

	/* Freed entries are reused. */
	procmap_add_owner(m, 600, 20, 1);
	assert_int_equal(procmap_owners(m, 600, o, 4), 1);

	procmap_remove_proc(m, 20);
	assert_int_equal(procmap_nprocs(m), 0);
	assert_false(procmap_is_owned(m, 600));
	procmap_free(m);
}

/* 10^5 sockets over 1000 processes (plus sharing), then half of the
 * processes go away: the tables grow and shrink back correctly. */
static void test_growth(void **state)
{
	(void)state;
	enum { NPROC = 1000, PER = 100 };
	struct procmap *m = procmap_new();
	struct proc_owner o[4];
	char name[PROCMAP_COMM_MAX];
	size_t len;

	for (int p = 1; p <= NPROC; p++) {
		int n = snprintf(name, sizeof name, "p%d", p);

		procmap_set_proc(m, p * 3, name, (size_t)n, p);
		for (int f = 0; f < PER; f++)
			procmap_add_owner(m, (uint32_t)(100000 + (p - 1) * PER + f), p * 3, f);
	}
	/* Process 3 also holds the first socket of every process. */
	for (int p = 2; p <= NPROC; p++)
		procmap_add_owner(m, (uint32_t)(100000 + (p - 1) * PER), 3, 1000 + p);
	assert_int_equal(procmap_nprocs(m), NPROC);
	assert_int_equal(procmap_nowners(m), NPROC * PER + NPROC - 1);

	for (int p = 1; p <= NPROC; p++) {
		for (int f = 0; f < PER; f++) {
			uint32_t ino = (uint32_t)(100000 + (p - 1) * PER + f);
			size_t n = procmap_owners(m, ino, o, 4);

			if (f == 0 && p > 1) {
				assert_int_equal(n, 2);
				assert_int_equal(o[0].pid, 3);
				assert_int_equal(o[0].fd, 1000 + p);
				assert_int_equal(o[1].pid, p * 3);
			} else {
				assert_int_equal(n, 1);
				assert_int_equal(o[0].pid, p * 3);
				assert_int_equal(o[0].fd, f);
			}
		}
		const char *c = procmap_comm(m, p * 3, &len);
		int n = snprintf(name, sizeof name, "p%d", p);

		assert_int_equal(len, (size_t)n);
		assert_memory_equal(c, name, len);
		assert_int_equal(procmap_uid(m, p * 3), p);
	}

	for (int p = 2; p <= NPROC; p += 2)
		procmap_remove_proc(m, p * 3);
	assert_int_equal(procmap_nprocs(m), NPROC / 2);
	for (int p = 1; p <= NPROC; p++) {
		uint32_t ino = (uint32_t)(100000 + (p - 1) * PER + 5);

		if (p % 2 == 0) {
			assert_false(procmap_is_owned(m, ino));
			assert_null(procmap_comm(m, p * 3, &len));
			/* Its first socket still has process 3. */
			assert_int_equal(procmap_owners(m, ino - 5, o, 4), 1);
			assert_int_equal(o[0].pid, 3);
		} else {
			assert_int_equal(procmap_owners(m, ino, o, 4), 1);
			assert_int_equal(o[0].pid, p * 3);
			assert_non_null(procmap_comm(m, p * 3, &len));
		}
	}

	procmap_clear(m);
	assert_int_equal(procmap_nprocs(m), 0);
	assert_int_equal(procmap_nowners(m), 0);
	assert_false(procmap_is_owned(m, 100000));
	procmap_add_owner(m, 100000, 7, 1);
	assert_true(procmap_is_owned(m, 100000));
	procmap_free(m);
}

/* Random adds and removals against a brute-force model: exercises the
 * deletions that shift hash entries back. */
static void test_random_vs_model(void **state)
{
	(void)state;
	enum { NP = 60, NF = 12, NI = 300, OPS = 20000 };
	static uint32_t model[NP + 1][NF]; /* inode held by (pid, fd), 0: none */
	struct procmap *m = procmap_new();
	struct proc_owner o[NP * NF];
	uint32_t seed = 99;

	memset(model, 0, sizeof model);
	for (int op = 0; op < OPS; op++) {
		uint32_t r = rnd(&seed) % 100;
		int pid = 1 + (int)(rnd(&seed) % NP);

		if (r < 85) {
			int fd = (int)(rnd(&seed) % NF);
			uint32_t ino = 1 + rnd(&seed) % NI;

			if (model[pid][fd] == 0) { /* an fd holds one socket */
				model[pid][fd] = ino;
				procmap_add_owner(m, ino, pid, fd);
			}
		} else if (r < 95) {
			memset(model[pid], 0, sizeof model[pid]);
			procmap_remove_proc(m, pid);
		} else {
			memset(model[pid], 0, sizeof model[pid]);
			procmap_clear_owners(m, pid);
		}
		if (op % 1000 != 999)
			continue;
		size_t total = 0;

		for (uint32_t ino = 1; ino <= NI; ino++) {
			size_t k = 0;
			size_t n = procmap_owners(m, ino, o, NP * NF);

			for (int p = 1; p <= NP; p++)
				for (int f = 0; f < NF; f++) {
					if (model[p][f] != ino)
						continue;
					assert_true(k < n);
					assert_int_equal(o[k].pid, p);
					assert_int_equal(o[k].fd, f);
					k++;
				}
			assert_int_equal(n, k);
			assert_int_equal(procmap_is_owned(m, ino), k > 0);
			total += k;
		}
		assert_int_equal(procmap_nowners(m), total);
	}
	procmap_free(m);
}

static void test_comm_raw(void **state)
{
	(void)state;
	struct procmap *m = procmap_new();
	const char raw[] = "\x1b[2J\n) S 1 1 (\xff\x80";
	size_t rawlen = sizeof raw - 1; /* 16 bytes */
	size_t len;

	assert_int_equal(rawlen, 16);
	procmap_set_proc(m, 9, raw, rawlen, 0);

	const char *c = procmap_comm(m, 9, &len);

	assert_int_equal(len, rawlen);
	assert_memory_equal(c, raw, rawlen);

	/* Longer names are cut at PROCMAP_COMM_MAX bytes. */
	procmap_set_proc(m, 9, "kworker/u8:2-events_unbound", 27, 0);
	c = procmap_comm(m, 9, &len);
	assert_int_equal(len, PROCMAP_COMM_MAX);
	assert_memory_equal(c, "kworker/u8:2-eve", PROCMAP_COMM_MAX);

	/* An empty name is a name. */
	procmap_set_proc(m, 9, "", 0, 5);
	c = procmap_comm(m, 9, &len);
	assert_non_null(c);
	assert_int_equal(len, 0);
	procmap_free(m);
}

static void test_hidden(void **state)
{
	(void)state;
	struct procmap *m = procmap_new();

	procmap_set_hidden(m, 17);
	assert_int_equal(procmap_hidden(m), 17);
	procmap_clear(m);
	assert_int_equal(procmap_hidden(m), 0);
	procmap_free(m);
}

/* Room made ahead changes nothing visible: what was there stays, what is
 * added after is found, before and beyond the reserved amount. */
static void test_reserve(void **state)
{
	(void)state;
	struct procmap *m = procmap_new();
	struct proc_owner o[2];

	for (uint32_t i = 1; i <= 100; i++)
		procmap_add_owner(m, i, (int32_t)(i % 7 + 1), (int32_t)i);
	procmap_reserve(m, 0);
	procmap_reserve(m, 5000);
	for (uint32_t i = 1; i <= 100; i++) {
		assert_int_equal(procmap_owners(m, i, o, 2), 1);
		assert_int_equal(o[0].pid, (int32_t)(i % 7 + 1));
		assert_int_equal(o[0].fd, (int32_t)i);
	}
	for (uint32_t i = 101; i <= 9000; i++)
		procmap_add_owner(m, i, 3, (int32_t)i);
	assert_int_equal(procmap_nowners(m), 9000);
	assert_int_equal(procmap_owners(m, 8999, o, 2), 1);
	assert_int_equal(o[0].fd, 8999);
	procmap_remove_proc(m, 3);
	assert_false(procmap_is_owned(m, 8999));
	assert_true(procmap_is_owned(m, 1));
	procmap_clear(m);
	procmap_reserve(m, 10);
	assert_int_equal(procmap_nowners(m), 0);
	procmap_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_add_lookup),
		cmocka_unit_test(test_inode0_and_bad_ids),
		cmocka_unit_test(test_many_owners_sorted),
		cmocka_unit_test(test_remove_proc),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_random_vs_model),
		cmocka_unit_test(test_comm_raw),
		cmocka_unit_test(test_hidden),
		cmocka_unit_test(test_reserve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
