/* test_fsprobe.c - lstat() in a helper process (issue 18 item 4): answers
 * come back through a pollable fd; a helper stuck in a stat that never
 * returns is timed out, killed, and replaced for the next request. The
 * stuck stat is a seam (fsprobe_set_stat); tests/e2e/e2e_deadfs.sh does
 * the same with a real dead FUSE mount. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "clock.h"
#include "fsprobe.h"

/* A file system that never answers. */
static int stuck_stat(const char *path, struct stat *st)
{
	(void)path;
	(void)st;
	for (;;)
		pause();
	return -1;
}

/* Waits (bounded) for an answer. */
static int wait_answer(struct fsprobe *p, struct fsprobe_result *r, int ms)
{
	int64_t end = clock_now_ms() + ms;

	while (clock_now_ms() < end) {
		struct pollfd pfd = { fsprobe_fd(p), POLLIN, 0 };

		if (pfd.fd < 0)
			return 0;
		if (poll(&pfd, 1, 50) > 0 && fsprobe_read(p, r, clock_now_ms()) == 1)
			return 1;
	}
	return 0;
}

static size_t count_fds(pid_t pid)
{
	char path[64];
	DIR *d;
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 2; /* . and .. */
}

static void test_answers(void **state)
{
	struct fsprobe *p = fsprobe_new();
	struct fsprobe_result r;
	struct stat st;
	int64_t end;

	(void)state;
	assert_int_equal(fsprobe_fd(p), -1); /* no helper before a request */
	assert_int_equal(fsprobe_request(p, "/", 7, clock_now_ms()), 0);
	assert_true(fsprobe_fd(p) >= 0);
	assert_true(fsprobe_deadline(p) > 0);
	assert_int_equal(wait_answer(p, &r, 10000), 1);
	assert_int_equal(lstat("/", &st), 0);
	assert_int_equal(r.token, 7);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.mode, (unsigned)st.st_mode);
	assert_int_equal(r.uid, (unsigned)st.st_uid);
	assert_int_equal(fsprobe_deadline(p), -1);
	/* the helper holds its channel and /dev/null, nothing of ours */
	end = clock_now_ms() + 5000;
	while (count_fds(fsprobe_pid(p)) != 4 && clock_now_ms() < end)
		usleep(10000);
	assert_int_equal(count_fds(fsprobe_pid(p)), 4);
	/* errors come back as errno */
	assert_int_equal(fsprobe_request(p, "/nonexistent/x.sock", 8, clock_now_ms()), 0);
	assert_int_equal(wait_answer(p, &r, 10000), 1);
	assert_int_equal(r.token, 8);
	assert_int_equal(r.err, ENOENT);
	fsprobe_free(p);
}

/* The helper pid was killed: fsprobe reaps it itself when it is already
 * gone (WNOHANG), so either we reap it now, dead of SIGKILL, or it has
 * been reaped (ECHILD). */
static void assert_killed(pid_t pid)
{
	int status;
	pid_t w = waitpid(pid, &status, 0);

	if (w == pid)
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	else
		assert_int_equal(errno, ECHILD);
}

static void test_stuck_helper(void **state)
{
	struct fsprobe *p = fsprobe_new();
	struct fsprobe_result r;
	int64_t now = clock_now_ms();
	pid_t pid;

	(void)state;
	fsprobe_set_stat(p, stuck_stat);
	assert_int_equal(fsprobe_request(p, "/", 1, now), 0);
	pid = fsprobe_pid(p);
	assert_true(pid > 0);
	/* nothing comes, and the caller was never blocked */
	assert_int_equal(wait_answer(p, &r, 200), 0);
	assert_false(fsprobe_expire(p, now + FSPROBE_TIMEOUT_MS - 1, &r));
	/* a second request waits behind the stuck one */
	assert_int_equal(fsprobe_request(p, "/tmp", 2, now), 0);
	assert_true(fsprobe_expire(p, now + FSPROBE_TIMEOUT_MS, &r));
	assert_int_equal(r.token, 1);
	assert_int_equal(r.err, ETIMEDOUT);
	/* the stuck helper was killed */
	assert_killed(pid);
	/* the waiting request went to a new helper (stuck as well: same
	 * seam), with a deadline of its own */
	assert_true(fsprobe_pid(p) > 0 && fsprobe_pid(p) != pid);
	assert_true(fsprobe_deadline(p) >= now + FSPROBE_TIMEOUT_MS);
	pid = fsprobe_pid(p);
	assert_true(fsprobe_expire(p, now + 3 * FSPROBE_TIMEOUT_MS, &r));
	assert_int_equal(r.token, 2);
	assert_killed(pid);
	/* a working stat again: a fresh helper answers */
	fsprobe_set_stat(p, NULL);
	assert_int_equal(fsprobe_request(p, "/", 3, clock_now_ms()), 0);
	assert_int_equal(wait_answer(p, &r, 10000), 1);
	assert_int_equal(r.token, 3);
	assert_int_equal(r.err, 0);
	/* freeing never waits for the helper */
	fsprobe_set_stat(p, stuck_stat);
	fsprobe_free(p);
}

/* A helper that dies answers its request with EIO. */
static void test_helper_dies(void **state)
{
	struct fsprobe *p = fsprobe_new();
	struct fsprobe_result r;

	(void)state;
	fsprobe_set_stat(p, stuck_stat);
	assert_int_equal(fsprobe_request(p, "/", 5, clock_now_ms()), 0);
	kill(fsprobe_pid(p), SIGKILL);
	waitpid(fsprobe_pid(p), NULL, 0);
	fsprobe_reaped(p, fsprobe_pid(p));
	assert_int_equal(wait_answer(p, &r, 10000), 1);
	assert_int_equal(r.token, 5);
	assert_int_equal(r.err, EIO);
	assert_int_equal(fsprobe_fd(p), -1);
	fsprobe_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_stuck_helper),
		cmocka_unit_test(test_helper_dies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
