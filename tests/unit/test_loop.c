/* test_loop.c - the poll loop: fds, timers, signals, removal during dispatch. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "loop.h"

struct rec {
	int calls;
	int last_fd;
	short last_revents;
	int sig[8];
	int nsig;
	unsigned fired[8];
	int nfired;
	int passes;
	/* for removal tests */
	int other_fd;
	struct loop *l;
};

static void on_fd(struct loop *l, int fd, short revents, void *ctx)
{
	struct rec *r = ctx;
	char buf[16];

	(void)l;
	r->calls++;
	r->last_fd = fd;
	r->last_revents = revents;
	if (revents & POLLIN)
		(void)!read(fd, buf, sizeof(buf));
}

static void test_fd_readable(void **state)
{
	struct loop *l = loop_new();
	struct rec r = { 0 };
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_add_fd(l, p[0], POLLIN, on_fd, &r), 0);
	assert_true(loop_has_fd(l, p[0]));
	/* nothing to read: no callback */
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(r.calls, 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(loop_run_once(l, 1000), 1);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.last_fd, p[0]);
	assert_true(r.last_revents & POLLIN);
	/* duplicates and bad fds are refused */
	assert_int_equal(loop_add_fd(l, p[0], POLLIN, on_fd, &r), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(loop_add_fd(l, -1, POLLIN, on_fd, &r), -1);
	assert_int_equal(errno, EBADF);
	/* events 0: not woken for data */
	assert_int_equal(loop_mod_fd(l, p[0], 0), 0);
	assert_int_equal(write(p[1], "y", 1), 1);
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(r.calls, 1);
	assert_int_equal(loop_mod_fd(l, p[0], POLLIN), 0);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(r.calls, 2);
	/* removed: no more callbacks */
	assert_int_equal(loop_del_fd(l, p[0]), 0);
	assert_false(loop_has_fd(l, p[0]));
	assert_int_equal(loop_del_fd(l, p[0]), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(loop_mod_fd(l, p[0], POLLIN), -1);
	assert_int_equal(write(p[1], "z", 1), 1);
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(r.calls, 2);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

static void test_fd_hangup(void **state)
{
	struct loop *l = loop_new();
	struct rec r = { 0 };
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_add_fd(l, p[0], POLLIN, on_fd, &r), 0);
	close(p[1]);
	assert_int_equal(loop_run_once(l, 1000), 1);
	assert_true(r.last_revents & POLLHUP);
	loop_del_fd(l, p[0]);
	close(p[0]);
	loop_free(l);
}

/* A callback that removes another fd which is also ready in this pass: the
 * removed one must not be called. */
static void on_fd_remove_other(struct loop *l, int fd, short revents, void *ctx)
{
	struct rec *r = ctx;

	(void)revents;
	(void)fd;
	r->calls++;
	loop_del_fd(l, r->other_fd);
}

static void test_remove_during_dispatch(void **state)
{
	struct loop *l = loop_new();
	struct rec r1 = { 0 }, r2 = { 0 };
	int a[2], b[2];

	(void)state;
	assert_int_equal(pipe(a), 0);
	assert_int_equal(pipe(b), 0);
	r1.other_fd = b[0];
	assert_int_equal(loop_add_fd(l, a[0], POLLIN, on_fd_remove_other, &r1), 0);
	assert_int_equal(loop_add_fd(l, b[0], POLLIN, on_fd, &r2), 0);
	assert_int_equal(write(a[1], "x", 1), 1);
	assert_int_equal(write(b[1], "x", 1), 1);
	loop_run_once(l, 1000);
	assert_int_equal(r1.calls, 1);
	assert_int_equal(r2.calls, 0);
	assert_false(loop_has_fd(l, b[0]));
	assert_true(loop_has_fd(l, a[0]));
	loop_del_fd(l, a[0]);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
	loop_free(l);
}

/* A callback that removes itself and registers a new fd reusing the number:
 * the new registration gets no stale revents in the same pass. */
struct reuse {
	int calls_old, calls_new;
	int fd;
};

static void on_new(struct loop *l, int fd, short revents, void *ctx)
{
	struct reuse *u = ctx;

	(void)l;
	(void)fd;
	(void)revents;
	u->calls_new++;
}

static void on_old(struct loop *l, int fd, short revents, void *ctx)
{
	struct reuse *u = ctx;

	(void)revents;
	u->calls_old++;
	loop_del_fd(l, fd);
	assert_int_equal(loop_add_fd(l, fd, POLLIN, on_new, u), 0);
}

static void test_reuse_in_pass(void **state)
{
	struct loop *l = loop_new();
	struct reuse u = { 0, 0, -1 };
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(loop_add_fd(l, p[0], POLLIN, on_old, &u), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(loop_run_once(l, 1000), 1);
	assert_int_equal(u.calls_old, 1);
	assert_int_equal(u.calls_new, 0);
	/* next pass: the new registration sees the (unread) byte */
	assert_int_equal(loop_run_once(l, 1000), 1);
	assert_int_equal(u.calls_new, 1);
	loop_del_fd(l, p[0]);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

static void on_timer(struct loop *l, unsigned id, void *ctx)
{
	struct rec *r = ctx;

	(void)l;
	if (r->nfired < 8)
		r->fired[r->nfired++] = id;
}

static void test_timers(void **state)
{
	struct loop *l = loop_new();
	struct rec r = { 0 };
	int64_t now = 1000;
	unsigned t1, t2, t3;

	(void)state;
	clock_set_fake(&now);
	assert_int_equal(loop_next_timeout(l), -1);
	t1 = loop_add_timer(l, 1500, on_timer, &r);
	t2 = loop_add_timer_in(l, 200, on_timer, &r); /* due 1200 */
	t3 = loop_add_timer(l, 1300, on_timer, &r);
	assert_true(t1 && t2 && t3 && t1 != t2 && t2 != t3);
	assert_int_equal(loop_next_timeout(l), 200);
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(r.nfired, 0);

	now = 1250;
	assert_int_equal(loop_next_timeout(l), 0);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(r.nfired, 1);
	assert_int_equal(r.fired[0], t2);

	loop_cancel_timer(l, t3);
	loop_cancel_timer(l, 0);      /* ignored */
	loop_cancel_timer(l, t2);     /* already fired: ignored */
	now = 1400;
	assert_int_equal(loop_run_once(l, 0), 0);
	assert_int_equal(loop_next_timeout(l), 100);
	now = 2000;
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(r.fired[1], t1);
	assert_int_equal(loop_next_timeout(l), -1);
	clock_set_fake(NULL);
	loop_free(l);
}

/* A timer that re-arms itself for "now" runs once per pass, not forever. */
static void on_rearm(struct loop *l, unsigned id, void *ctx)
{
	struct rec *r = ctx;

	(void)id;
	r->calls++;
	loop_add_timer(l, clock_now_ms(), on_rearm, r);
}

static void test_timer_rearm(void **state)
{
	struct loop *l = loop_new();
	struct rec r = { 0 };
	int64_t now = 50;

	(void)state;
	clock_set_fake(&now);
	loop_add_timer(l, 50, on_rearm, &r);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(r.calls, 1);
	assert_int_equal(loop_run_once(l, 0), 1);
	assert_int_equal(r.calls, 2);
	clock_set_fake(NULL);
	loop_free(l);
}

/* The real clock: poll waits for the timer, not longer. */
static void test_timer_wakes_poll(void **state)
{
	struct loop *l = loop_new();
	struct rec r = { 0 };
	int64_t t0 = clock_now_ms();
	int passes = 0;

	(void)state;
	loop_add_timer_in(l, 30, on_timer, &r);
	/* bounded: a few passes at most (poll may wake a millisecond early) */
	while (!r.nfired && passes++ < 100)
		loop_run_once(l, -1);
	assert_int_equal(r.nfired, 1);
	assert_true(clock_now_ms() - t0 >= 30);
	loop_free(l);
}

static void on_signal(struct loop *l, int signo, void *ctx)
{
	struct rec *r = ctx;

	if (r->nsig < 8)
		r->sig[r->nsig++] = signo;
	if (signo == SIGTERM)
		loop_quit(l, 7);
}

static void on_pass(struct loop *l, void *ctx)
{
	struct rec *r = ctx;

	(void)l;
	r->passes++;
}

static void test_signals(void **state)
{
	struct loop *l = loop_new();
	struct rec r = { 0 };
	const int sigs[] = { SIGUSR1, SIGUSR2, SIGTERM };
	sigset_t cur;

	(void)state;
	assert_int_equal(loop_add_signals(l, sigs, 3, on_signal, &r), 0);
	/* a second call is refused */
	assert_int_equal(loop_add_signals(l, sigs, 1, on_signal, &r), -1);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	assert_true(sigismember(&cur, SIGUSR1));
	assert_false(sigismember(loop_orig_sigmask(l), SIGUSR1));
	loop_set_pass_hook(l, on_pass, &r);

	raise(SIGUSR1);
	raise(SIGUSR2);
	assert_int_equal(loop_run_once(l, 1000), 2);
	assert_int_equal(r.nsig, 2);
	assert_int_equal(r.sig[0], SIGUSR1);
	assert_int_equal(r.sig[1], SIGUSR2);
	assert_int_equal(r.passes, 1);

	/* SIGTERM makes the callback quit: loop_run returns its status */
	raise(SIGTERM);
	assert_int_equal(loop_run(l), 7);
	assert_true(loop_quitting(l));
	assert_int_equal(r.sig[2], SIGTERM);

	/* a pending blocked signal is discarded by loop_free, and the mask
	 * comes back */
	raise(SIGUSR1);
	loop_free(l);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	assert_false(sigismember(&cur, SIGUSR1));
}

static void test_free_null(void **state)
{
	(void)state;
	loop_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd_readable),
		cmocka_unit_test(test_fd_hangup),
		cmocka_unit_test(test_remove_during_dispatch),
		cmocka_unit_test(test_reuse_in_pass),
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_timer_rearm),
		cmocka_unit_test(test_timer_wakes_poll),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
