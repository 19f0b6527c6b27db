/* fsprobe.c - lstat() in a helper process (fsprobe.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsprobe.h"
#include "xalloc.h"

struct req {
	uint64_t token;
	char path[FSPROBE_PATH_MAX];
};

struct fsprobe {
	fsprobe_stat_fn stat;
	pid_t pid;          /* the helper, -1: none */
	int fd;             /* our end of the socketpair, -1: none */
	bool busy;          /* a request is in flight */
	uint64_t busy_token;
	int64_t deadline;
	bool waiting;       /* a request waits for the one in flight */
	struct req next;
};

static int default_stat(const char *path, struct stat *st)
{
	return lstat(path, st);
}

struct fsprobe *fsprobe_new(void)
{
	struct fsprobe *p = xcalloc(1, sizeof(*p));

	p->stat = default_stat;
	p->pid = -1;
	p->fd = -1;
	p->deadline = -1;
	return p;
}

void fsprobe_set_stat(struct fsprobe *p, fsprobe_stat_fn fn)
{
	p->stat = fn ? fn : default_stat;
}

/* Drops the helper: SIGKILL (a killable sleep in lstat ends with it), and
 * a reap that does not wait (a helper not dead yet becomes init's once we
 * exit; a later call reaps it). */
static void kill_helper(struct fsprobe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, WNOHANG);
	}
	p->pid = -1;
	p->busy = false;
	p->deadline = -1;
}

void fsprobe_free(struct fsprobe *p)
{
	if (!p)
		return;
	kill_helper(p);
	free(p);
}

/* The helper: answers requests until its socket closes. */
static void helper_main(int fd, fsprobe_stat_fn fn)
{
	static struct req r;
	struct fsprobe_result a;
	struct stat st;
	ssize_t n;

	for (;;) {
		n = recv(fd, &r, sizeof(r), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= (ssize_t)sizeof(r.token))
			_exit(0);
		r.path[sizeof(r.path) - 1] = '\0';
		memset(&a, 0, sizeof(a));
		a.token = r.token;
		if (fn(r.path, &st) < 0) {
			a.err = errno ? errno : EIO;
		} else {
			a.mode = (unsigned)st.st_mode;
			a.uid = (unsigned)st.st_uid;
			a.gid = (unsigned)st.st_gid;
		}
		if (send(fd, &a, sizeof(a), MSG_NOSIGNAL) < 0)
			_exit(0);
	}
}

static int start_helper(struct fsprobe *p)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(sv[0]);
		close(sv[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		/* hold nothing of the parent's: its sockets, the terminal */
		if (dup2(sv[1], 3) < 0)
			_exit(1);
#ifdef SYS_close_range
		if (syscall(SYS_close_range, 4u, ~0u, 0u) < 0)
#endif
			for (int fd = 4; fd < 1024; fd++)
				close(fd);
		for (int fd = 0; fd < 3; fd++) {
			int nul = open("/dev/null", O_RDWR);

			if (nul >= 0 && nul != fd) {
				dup2(nul, fd);
				close(nul);
			}
		}
		/* the loop blocks signals for its signalfd: undo that here */
		for (int s = 1; s < NSIG; s++)
			signal(s, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);
		helper_main(3, p->stat);
		_exit(0);
	}
	close(sv[1]);
	p->fd = sv[0];
	p->pid = pid;
	return 0;
}

static int send_req(struct fsprobe *p, const struct req *r, int64_t now)
{
	size_t len = offsetof(struct req, path) + strlen(r->path) + 1;

	if (p->fd < 0 && start_helper(p) < 0)
		return -1;
	if (send(p->fd, r, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
		int e = errno;

		kill_helper(p);
		errno = e;
		return -1;
	}
	p->busy = true;
	p->busy_token = r->token;
	p->deadline = now + FSPROBE_TIMEOUT_MS;
	return 0;
}

int fsprobe_request(struct fsprobe *p, const char *path, uint64_t token, int64_t now)
{
	size_t n = strlen(path);

	if (n >= FSPROBE_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	p->next.token = token;
	memcpy(p->next.path, path, n + 1);
	if (p->busy) {
		p->waiting = true;
		return 0;
	}
	p->waiting = false;
	return send_req(p, &p->next, now);
}

int fsprobe_fd(const struct fsprobe *p)
{
	return p->fd;
}

int fsprobe_read(struct fsprobe *p, struct fsprobe_result *r, int64_t now)
{
	ssize_t n;

	if (p->fd < 0)
		return 0;
	n = recv(p->fd, r, sizeof(*r), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n != (ssize_t)sizeof(*r)) {
		/* the helper died: answer the request in flight with EIO */
		bool busy = p->busy;
		uint64_t token = p->busy_token;

		kill_helper(p);
		if (!busy)
			return 0;
		memset(r, 0, sizeof(*r));
		r->token = token;
		r->err = EIO;
	} else {
		p->busy = false;
		p->deadline = -1;
	}
	if (p->waiting) {
		p->waiting = false;
		if (send_req(p, &p->next, now) < 0) {
			/* not sent: nothing else will answer it */
			p->busy = false;
		}
	}
	return 1;
}

int64_t fsprobe_deadline(const struct fsprobe *p)
{
	return p->busy ? p->deadline : -1;
}

bool fsprobe_expire(struct fsprobe *p, int64_t now, struct fsprobe_result *r)
{
	if (!p->busy || now < p->deadline)
		return false;
	memset(r, 0, sizeof(*r));
	r->token = p->busy_token;
	r->err = ETIMEDOUT;
	kill_helper(p);
	if (p->waiting) {
		/* the next path may well cross the same dead mount: it gets a
		 * helper and a deadline of its own */
		p->waiting = false;
		send_req(p, &p->next, now);
	}
	return true;
}

void fsprobe_reaped(struct fsprobe *p, int pid)
{
	if (p && pid > 0 && pid == p->pid)
		p->pid = -1; /* its socket reads EOF next: fsprobe_read */
}

int fsprobe_pid(const struct fsprobe *p)
{
	return p->pid;
}
