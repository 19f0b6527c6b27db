/* service.h - which service or container a socket belongs to (model, no
 * I/O): the one rule the Service column, the JSON "service" key, the
 * "service" filter term and --group=service share.
 *
 * A socket's own cgroup wins: the kernel's INET_DIAG_CGROUP_ID (the
 * cgroup of the process that created the socket, SOCK_HAS_CGROUP), when
 * the collector could name it (cgsvc.h) and it is not the root cgroup.
 * So a TIME-WAIT-less orphan or a socket passed to another process still
 * shows where it was made. Otherwise the services of the processes that
 * hold it (procmap_service, from /proc/PID/cgroup), the first owner's for
 * a single answer. Labels are raw bytes: escape them when shown. */
#ifndef SOCKVIEW_SERVICE_H
#define SOCKVIEW_SERVICE_H

#include <stddef.h>

#include "procmap.h"
#include "sock.h"

/* The socket's own cgroup's label (see above), or NULL. */
const char *service_of_cgroup(const struct sock *s, const struct procmap *pm, size_t *len,
			      unsigned *kind);
/* The socket's service: its own cgroup's, else its first owner's with a
 * label; NULL if none (or pm NULL). kind may be NULL. */
const char *service_of_sock(const struct sock *s, const struct procmap *pm, size_t *len,
			    unsigned *kind);

#endif
