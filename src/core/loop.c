/* loop.c - one poll() over fds, a signalfd and timers. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "clock.h"
#include "loop.h"
#include "xalloc.h"

struct loop_fd {
	int fd;         /* -1 once removed (compacted after the pass) */
	short events;
	loop_fd_fn cb;
	void *ctx;
};

struct loop_timer {
	unsigned id;
	int64_t due;
	loop_timer_fn cb;
	void *ctx;
};

struct loop {
	struct loop_fd *fds;
	size_t nfds, fds_cap;
	bool dispatching; /* removals are deferred while callbacks run */
	bool has_dead;

	struct loop_timer *timers;
	size_t ntimers, timers_cap;
	unsigned next_timer_id;

	int sigfd;
	sigset_t sigs, orig_mask;
	bool sigs_set;
	loop_signal_fn sig_cb;
	void *sig_ctx;

	loop_pass_fn pass_cb;
	void *pass_ctx;

	struct pollfd *pfds;
	size_t pfds_cap;

	bool quit;
	int status;
};

struct loop *loop_new(void)
{
	struct loop *l = xcalloc(1, sizeof(*l));

	l->sigfd = -1;
	l->next_timer_id = 1;
	sigemptyset(&l->sigs);
	sigemptyset(&l->orig_mask);
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	if (l->sigfd >= 0)
		close(l->sigfd);
	if (l->sigs_set) {
		/* Signals that arrived while blocked are dropped, not delivered
		 * to their default action when the mask is restored. */
		struct timespec zero = { 0, 0 };

		while (sigtimedwait(&l->sigs, NULL, &zero) > 0)
			;
		sigprocmask(SIG_SETMASK, &l->orig_mask, NULL);
	}
	free(l->fds);
	free(l->timers);
	free(l->pfds);
	free(l);
}

static struct loop_fd *find_fd(const struct loop *l, int fd)
{
	if (fd < 0)
		return NULL;
	for (size_t i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd)
			return &l->fds[i];
	return NULL;
}

int loop_add_fd(struct loop *l, int fd, short events, loop_fd_fn cb, void *ctx)
{
	struct loop_fd *e;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (find_fd(l, fd) || fd == l->sigfd) {
		errno = EEXIST;
		return -1;
	}
	xgrow((void **)&l->fds, &l->fds_cap, l->nfds + 1, sizeof(*l->fds));
	e = &l->fds[l->nfds++];
	e->fd = fd;
	e->events = events;
	e->cb = cb;
	e->ctx = ctx;
	return 0;
}

int loop_mod_fd(struct loop *l, int fd, short events)
{
	struct loop_fd *e = find_fd(l, fd);

	if (!e) {
		errno = ENOENT;
		return -1;
	}
	e->events = events;
	return 0;
}

static void compact_fds(struct loop *l)
{
	size_t out = 0;

	for (size_t i = 0; i < l->nfds; i++)
		if (l->fds[i].fd >= 0)
			l->fds[out++] = l->fds[i];
	l->nfds = out;
	l->has_dead = false;
}

int loop_del_fd(struct loop *l, int fd)
{
	struct loop_fd *e = find_fd(l, fd);

	if (!e) {
		errno = ENOENT;
		return -1;
	}
	/* While dispatching, the pollfd array still maps index to entry:
	 * mark the entry dead and compact after the pass. */
	e->fd = -1;
	l->has_dead = true;
	if (!l->dispatching)
		compact_fds(l);
	return 0;
}

bool loop_has_fd(const struct loop *l, int fd)
{
	return find_fd(l, fd) != NULL;
}

unsigned loop_add_timer(struct loop *l, int64_t due_ms, loop_timer_fn cb, void *ctx)
{
	struct loop_timer *t;

	xgrow((void **)&l->timers, &l->timers_cap, l->ntimers + 1, sizeof(*l->timers));
	t = &l->timers[l->ntimers++];
	t->id = l->next_timer_id++;
	if (!l->next_timer_id) /* wrapped: 0 means "no timer" */
		l->next_timer_id = 1;
	t->due = due_ms;
	t->cb = cb;
	t->ctx = ctx;
	return t->id;
}

unsigned loop_add_timer_in(struct loop *l, int64_t ms, loop_timer_fn cb, void *ctx)
{
	return loop_add_timer(l, clock_now_ms() + ms, cb, ctx);
}

void loop_cancel_timer(struct loop *l, unsigned id)
{
	if (!id)
		return;
	for (size_t i = 0; i < l->ntimers; i++) {
		if (l->timers[i].id == id) {
			l->timers[i] = l->timers[--l->ntimers];
			return;
		}
	}
}

int64_t loop_next_timeout(const struct loop *l)
{
	int64_t now, best = -1;

	if (!l->ntimers)
		return -1;
	now = clock_now_ms();
	for (size_t i = 0; i < l->ntimers; i++) {
		int64_t d = l->timers[i].due - now;

		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	return best;
}

int loop_add_signals(struct loop *l, const int *signals, size_t n,
		     loop_signal_fn cb, void *ctx)
{
	sigset_t set, old;
	int fd;

	if (l->sigs_set) {
		errno = EBUSY;
		return -1;
	}
	sigemptyset(&set);
	for (size_t i = 0; i < n; i++)
		if (sigaddset(&set, signals[i]) < 0)
			return -1;
	if (sigprocmask(SIG_BLOCK, &set, &old) < 0)
		return -1;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		sigprocmask(SIG_SETMASK, &old, NULL);
		errno = e;
		return -1;
	}
	l->sigfd = fd;
	l->sigs = set;
	l->orig_mask = old;
	l->sigs_set = true;
	l->sig_cb = cb;
	l->sig_ctx = ctx;
	return 0;
}

const sigset_t *loop_orig_sigmask(const struct loop *l)
{
	return &l->orig_mask;
}

void loop_set_pass_hook(struct loop *l, loop_pass_fn cb, void *ctx)
{
	l->pass_cb = cb;
	l->pass_ctx = ctx;
}

/* Reads every pending signal from the signalfd; returns callbacks run. */
static int read_signals(struct loop *l)
{
	struct signalfd_siginfo si;
	int n = 0;

	/* Bounded: a signal storm cannot keep us here forever. */
	for (int i = 0; i < 64; i++) {
		ssize_t r = read(l->sigfd, &si, sizeof(si));

		if (r != (ssize_t)sizeof(si))
			break;
		if (l->sig_cb)
			l->sig_cb(l, (int)si.ssi_signo, l->sig_ctx);
		n++;
	}
	return n;
}

/* Runs the timers due now. A timer added by a callback runs at the earliest
 * in the next pass, so a timer re-arming itself for "now" cannot spin. */
static int run_timers(struct loop *l)
{
	int64_t now = clock_now_ms();
	unsigned limit = l->next_timer_id;
	int n = 0;
	size_t i = 0;

	while (i < l->ntimers) {
		struct loop_timer t = l->timers[i];

		/* ids issued during this pass are >= limit (modulo wrap) */
		if (t.due > now || (t.id >= limit && limit > 1)) {
			i++;
			continue;
		}
		l->timers[i] = l->timers[--l->ntimers];
		t.cb(l, t.id, t.ctx);
		n++;
		/* callbacks may have reordered the array: restart the scan;
		 * each restart follows a removal, so this ends */
		i = 0;
	}
	return n;
}

int loop_run_once(struct loop *l, int max_wait_ms)
{
	size_t np = 0, base;
	int64_t tmo = loop_next_timeout(l);
	int timeout, r, n = 0;

	if (max_wait_ms >= 0 && (tmo < 0 || tmo > max_wait_ms))
		tmo = max_wait_ms;
	timeout = tmo > INT_MAX ? INT_MAX : (int)tmo;

	xgrow((void **)&l->pfds, &l->pfds_cap, l->nfds + 1, sizeof(*l->pfds));
	if (l->sigfd >= 0) {
		l->pfds[np].fd = l->sigfd;
		l->pfds[np].events = POLLIN;
		l->pfds[np].revents = 0;
		np++;
	}
	base = np;
	for (size_t i = 0; i < l->nfds; i++, np++) {
		/* An fd with no events still reports HUP/ERR (its owner must
		 * handle them); a removed one (-1) is skipped by poll(). */
		l->pfds[np].fd = l->fds[i].fd;
		l->pfds[np].events = l->fds[i].events;
		l->pfds[np].revents = 0;
	}

	r = poll(l->pfds, (nfds_t)np, timeout);
	if (r < 0) {
		if (errno != EINTR)
			return -1;
		r = 0;
	}

	l->dispatching = true;
	if (r > 0 && l->sigfd >= 0 && l->pfds[0].revents)
		n += read_signals(l);
	/* Entries appended by callbacks sit past np and are not looked at. */
	for (size_t i = base; r > 0 && i < np; i++) {
		struct loop_fd *e = &l->fds[i - base];
		short rev = l->pfds[i].revents;

		if (!rev || e->fd < 0 || e->fd != l->pfds[i].fd)
			continue;
		e->cb(l, e->fd, rev, e->ctx);
		n++;
	}
	l->dispatching = false;
	if (l->has_dead)
		compact_fds(l);

	n += run_timers(l);
	if (l->pass_cb)
		l->pass_cb(l, l->pass_ctx);
	return n;
}

int loop_run(struct loop *l)
{
	while (!l->quit)
		if (loop_run_once(l, -1) < 0)
			return -1;
	return l->status;
}

void loop_quit(struct loop *l, int status)
{
	l->quit = true;
	l->status = status;
}

bool loop_quitting(const struct loop *l)
{
	return l->quit;
}
