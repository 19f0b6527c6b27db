/* dgroup.h - the kernel's socket destroy messages (sock_diag multicast).
 *
 * The kernel multicasts an inet_diag_msg for every TCP and UDP socket it
 * destroys, to the groups SKNLGRP_INET_TCP_DESTROY, _INET_UDP_, _INET6_TCP_
 * and _INET6_UDP_ of NETLINK_SOCK_DIAG; an unprivileged process may join
 * them. One struct destroy owns one such socket (non-blocking,
 * close-on-exec), joined to the groups of the protocols and families asked
 * for, in the network namespace current at destroy_open(). Unix, raw and
 * the other kinds have no destroy group.
 *
 * Messages are parsed by diag_parse (one record each). A burst larger than
 * the socket's receive buffer loses messages: the next read fails with
 * ENOBUFS, which the caller must treat as a gap (dump again), never as
 * silence.
 *
 * Tests replace the socket with their own receive function
 * (destroy_new_fake), so ENOBUFS and hostile bytes need no kernel. */
#ifndef SOCKVIEW_DGROUP_H
#define SOCKVIEW_DGROUP_H

#include <stddef.h>
#include <sys/types.h>

#include "sock.h"

struct destroy;

/* Receives one datagram into buf without blocking: returns its full length
 * (more than len if it was truncated) and the multicast group it came from
 * in *group (SKNLGRP_*), or -1 with errno (EAGAIN: nothing now; ENOBUFS:
 * messages were lost). */
typedef ssize_t (*destroy_recv_fn)(void *ctx, void *buf, size_t len, unsigned *group);

/* Called for each dying socket read; rec is valid during the call only. */
typedef void (*destroy_sock_fn)(void *ctx, const struct sock *rec);

/* Opens the socket and joins the groups for protos (SP_MASK bits: TCP,
 * UDP; others ignored) and families (SF_* bits). Returns NULL with a
 * reason in err (and errno) if it cannot, e.g. when there is nothing to
 * join (ENOENT). */
struct destroy *destroy_open(unsigned protos, unsigned families, char *err, size_t errlen);
/* A destroy source that reads through fn (tests); never NULL. */
struct destroy *destroy_new_fake(destroy_recv_fn fn, void *ctx);
/* NULL is allowed. */
void destroy_free(struct destroy *d);
/* The fd to poll for POLLIN (-1 for a fake). */
int destroy_fd(const struct destroy *d);

/* Reads up to max datagrams that are pending, calling cb for each socket.
 * Returns the number of sockets reported (0: nothing pending), or -1 with
 * errno: ENOBUFS when messages were lost (the socket stays usable; the
 * sockets already read were reported), another errno on failure. Bad
 * messages (truncated, malformed) are skipped and counted. */
int destroy_read(struct destroy *d, size_t max, destroy_sock_fn cb, void *ctx);
/* Sets the socket's receive buffer to bytes (the kernel rounds it up to
 * its minimum): tests make it small to overflow it. Returns 0 or -1 with
 * errno (EINVAL for a fake). */
int destroy_set_rcvbuf(struct destroy *d, int bytes);
/* Messages skipped as malformed so far. */
size_t destroy_bad(const struct destroy *d);

#endif
