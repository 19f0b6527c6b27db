/* loop.h - the one poll() loop: file descriptors, timers and signals.
 *
 * Everything sockview waits for goes through one loop: the keyboard, a
 * signalfd, the netlink socket while a dump is in flight, the endpoint
 * sockets, and timers on the monotonic clock (clock.h, so tests can fake
 * it). Callbacks run one after another in the loop's thread; they may add,
 * change or remove any fd or timer, including their own. Nothing here draws:
 * the caller's pass hook (loop_set_pass_hook) runs once after each pass,
 * which is where the UI redraws if something changed.
 *
 * Call order: loop_new, loop_add_signals (before anything forks or starts
 * threads: it blocks the signals for the process), loop_add_fd/timer, then
 * loop_run (or loop_run_once in tests) until loop_quit, then loop_free,
 * which restores the signal mask. */
#ifndef SOCKVIEW_LOOP_H
#define SOCKVIEW_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;

/* revents as poll() reported them (POLLIN, POLLOUT, POLLHUP, POLLERR...). */
typedef void (*loop_fd_fn)(struct loop *l, int fd, short revents, void *ctx);
typedef void (*loop_timer_fn)(struct loop *l, unsigned id, void *ctx);
typedef void (*loop_signal_fn)(struct loop *l, int signo, void *ctx);
typedef void (*loop_pass_fn)(struct loop *l, void *ctx);

/* A new, empty loop; never NULL (allocation failure is fatal). */
struct loop *loop_new(void);
/* Closes the signalfd, restores the signal mask and frees the loop (the
 * registered fds are the callers' to close). NULL is allowed. */
void loop_free(struct loop *l);

/* Watches fd for events (POLLIN, POLLOUT...). One registration per fd:
 * returns 0, or -1 with errno EEXIST (already watched) or EBADF (fd < 0). */
int loop_add_fd(struct loop *l, int fd, short events, loop_fd_fn cb, void *ctx);
/* Changes the events of a watched fd (0 pauses it); -1/ENOENT if unknown. */
int loop_mod_fd(struct loop *l, int fd, short events);
/* Stops watching fd (it is not closed); -1/ENOENT if unknown. Safe inside
 * any callback: a removed fd gets no further callback in the same pass. */
int loop_del_fd(struct loop *l, int fd);
/* True if fd is watched. */
bool loop_has_fd(const struct loop *l, int fd);

/* Calls cb once at clock_now_ms() >= due_ms. Returns the timer's id (never
 * 0), for loop_cancel_timer. */
unsigned loop_add_timer(struct loop *l, int64_t due_ms, loop_timer_fn cb, void *ctx);
/* Same, due in ms milliseconds from now. */
unsigned loop_add_timer_in(struct loop *l, int64_t ms, loop_timer_fn cb, void *ctx);
/* Cancels a pending timer; 0 and ids that already fired are ignored. */
void loop_cancel_timer(struct loop *l, unsigned id);
/* Milliseconds until the next timer (0 if one is due), or -1 if none. */
int64_t loop_next_timeout(const struct loop *l);

/* Blocks the n signals for the whole process and delivers them through a
 * signalfd watched by this loop: cb runs once per signal received. Call at
 * most once. Returns 0 or -1 with errno (the mask is then unchanged). */
int loop_add_signals(struct loop *l, const int *signals, size_t n,
		     loop_signal_fn cb, void *ctx);
/* The signal mask in force before loop_add_signals: a child process must
 * set it (sigprocmask) before exec, or it would start with signals blocked. */
const sigset_t *loop_orig_sigmask(const struct loop *l);

/* Runs cb after every pass (after all callbacks of that pass). */
void loop_set_pass_hook(struct loop *l, loop_pass_fn cb, void *ctx);

/* One pass: waits at most max_wait_ms (-1: until an event or the next
 * timer; 0: not at all) for fds, then runs the fd callbacks, the signal
 * callbacks, the due timers, and the pass hook. Returns the number of
 * callbacks run (excluding the hook), or -1 with errno if poll() failed
 * (EINTR is not an error: 0). */
int loop_run_once(struct loop *l, int max_wait_ms);
/* Runs passes until loop_quit; returns the status given to loop_quit, or -1
 * if poll() failed. */
int loop_run(struct loop *l);
/* Makes loop_run return status after the current pass. */
void loop_quit(struct loop *l, int status);
/* True once loop_quit was called. */
bool loop_quitting(const struct loop *l);

#endif
