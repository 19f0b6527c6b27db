/* nsrun.h - run a function inside another network namespace (libc only).
 *
 * The sock_diag sockets of --all-netns (source/netns.h) and the test
 * endpoints of a namespace chosen in the live view (endpoint.h) are
 * created inside their namespace: the thread enters it with setns(),
 * creates the socket (which stays in that namespace for its life) and
 * goes back at once, so the thread never stays elsewhere. */
#ifndef SOCKVIEW_NSRUN_H
#define SOCKVIEW_NSRUN_H

/* Runs fn(arg) with the calling thread inside the network namespace
 * nsfd, then moves it back to the namespace it was in (always, also when
 * fn fails; errno is fn's then). nsfd < 0: fn runs where the thread is.
 * Returns fn's result, or -1 with errno if the namespace cannot be
 * entered (EPERM without CAP_SYS_ADMIN, EINVAL if nsfd is not a network
 * namespace) or left again. */
int ns_run_in(int nsfd, int (*fn)(void *arg), void *arg);

#endif
