/* fsprobe.h - lstat() in a helper process, so that the loop never blocks
 * on a dead file system (issue 18 item 4).
 *
 * A path may cross an unresponsive NFS or FUSE mount: lstat() then sleeps
 * in the kernel, where neither Ctrl-C nor SIGTERM (both read through the
 * loop's signalfd) can reach it, and the whole live view freezes. The one
 * thread must never call it. A thread would not do: a thread stuck in
 * lstat() cannot be cancelled and keeps the process from exiting cleanly.
 * A helper process can be killed (those sleeps are killable) and forgotten:
 * it is forked on the first request, answers requests over a SEQPACKET
 * socketpair that the loop polls, and a request that gets no answer within
 * FSPROBE_TIMEOUT_MS is answered ETIMEDOUT here, the helper is killed and
 * the next request forks a new one. The helper closes every other fd
 * (sockets, the terminal), restores default signals and dies with its
 * parent (PR_SET_PDEATHSIG), so a stuck one holds nothing of ours.
 *
 * Call order: fsprobe_new; fsprobe_request (any time); poll fsprobe_fd()
 * (it changes when a helper is forked or killed) for POLLIN and call
 * fsprobe_read until it returns 0; at fsprobe_deadline() call
 * fsprobe_expire; fsprobe_free. One request is in flight at a time; a new
 * one while another runs replaces any waiting one (only the latest path
 * matters to the details). */
#ifndef SOCKVIEW_FSPROBE_H
#define SOCKVIEW_FSPROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#define FSPROBE_TIMEOUT_MS 2000
#define FSPROBE_PATH_MAX 4096

struct fsprobe;

struct fsprobe_result {
	uint64_t token; /* the caller's, from fsprobe_request */
	int err;        /* 0, lstat's errno, or ETIMEDOUT (no answer in time) */
	unsigned mode, uid, gid;
};

/* What the helper calls (test seam; lstat by default). */
typedef int (*fsprobe_stat_fn)(const char *path, struct stat *st);

/* A probe with no helper yet. Never NULL. */
struct fsprobe *fsprobe_new(void);
/* Kills the helper (SIGKILL) and frees; NULL is allowed. Never waits. */
void fsprobe_free(struct fsprobe *p);
/* Replaces the stat function for helpers forked from now on. */
void fsprobe_set_stat(struct fsprobe *p, fsprobe_stat_fn fn);

/* Asks for lstat(path) (NUL-terminated, < FSPROBE_PATH_MAX); the answer
 * comes back with token. Returns 0, or -1 with errno (the helper could not
 * be forked: the caller shows "not available"). */
int fsprobe_request(struct fsprobe *p, const char *path, uint64_t token, int64_t now);
/* The fd to poll for POLLIN, or -1 when no helper runs. */
int fsprobe_fd(const struct fsprobe *p);
/* Reads one answer into r: 1, or 0 when there is none now. */
int fsprobe_read(struct fsprobe *p, struct fsprobe_result *r, int64_t now);
/* When the request in flight times out (ms, clock_now_ms()), or -1. */
int64_t fsprobe_deadline(const struct fsprobe *p);
/* At or after the deadline: kills the helper and fills r with ETIMEDOUT
 * for the request that got no answer; returns true then. */
bool fsprobe_expire(struct fsprobe *p, int64_t now, struct fsprobe_result *r);
/* Tells the probe that the loop's SIGCHLD handler reaped pid: if it was the
 * helper, its pid is never signalled again (it could be reused). */
void fsprobe_reaped(struct fsprobe *p, int pid);
/* The helper's pid, or -1 (for tests). */
int fsprobe_pid(const struct fsprobe *p);

#endif
