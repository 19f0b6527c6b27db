/* netns.h - entering a named network namespace. */
#ifndef SOCKVIEW_NETNS_H
#define SOCKVIEW_NETNS_H

#include <stddef.h>

/* Moves the calling thread into /run/netns/NAME (as made by `ip netns add`).
 * Must run before any netlink socket is opened: a dump sees only the
 * namespace its socket was created in. Returns 0, or -1 with errno and a
 * translated one-line reason in err. */
int netns_enter(const char *name, char *err, size_t errlen);

#endif
