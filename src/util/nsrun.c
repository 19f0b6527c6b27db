/* nsrun.c - run a function inside another network namespace. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "nsrun.h"

int ns_run_in(int nsfd, int (*fn)(void *arg), void *arg)
{
	int orig, r, e;

	if (nsfd < 0)
		return fn(arg);
	/* the namespace to come back to, held open while away */
	orig = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig < 0)
		return -1;
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		e = errno;
		close(orig);
		errno = e;
		return -1;
	}
	r = fn(arg);
	e = errno;
	if (setns(orig, CLONE_NEWNET) < 0) {
		e = errno;
		r = -1;
	}
	close(orig);
	errno = e;
	return r;
}
