/* testns.h - run a test in a network namespace of its own. */
#ifndef SOCKVIEW_TESTNS_H
#define SOCKVIEW_TESTNS_H

/* Moves the process into a new, empty network namespace with loopback up,
 * so that what a dump returns is exactly what the test opened (no sockets
 * of other tests running at the same time). Root uses CLONE_NEWNET; others
 * a user namespace too. Returns 0, or -1 with errno. */
int testns_enter(void);

#endif
