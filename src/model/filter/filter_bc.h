/* filter_bc.h - a kernel-side prefilter for sock_diag dumps, derived from a
 * filter (model: pure, no I/O).
 *
 * The kernel can drop sockets before they are sent if the request carries
 * a states bitmap (idiag_states, 1u << TCP_xxx) and, for inet requests,
 * INET_DIAG_REQ_BYTECODE: a small program of port and address tests. Both
 * are derived here as a CONSERVATIVE SUPERSET of filter_matches(): every
 * socket the user-space evaluator would keep is still sent; whatever the
 * kernel cannot test (process, user, inode, text, path...) counts as "may
 * match" (or, under "not", as "may not match"). The caller must still run
 * filter_matches() over what arrives; the results are then identical with
 * and without the kernel filter.
 *
 * The bytecode passes the kernel's audit (jumps forward, 4-byte aligned,
 * landing on an instruction, the end, or the "reject" slot just past it)
 * and uses only instructions every kernel since 2.6 knows (port >= / <=,
 * address conditions, jumps). */
#ifndef SOCKVIEW_FILTER_BC_H
#define SOCKVIEW_FILTER_BC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter.h"

/* Bytecode longer than this is not produced (the filter then runs in user
 * space only); far below what a netlink attribute can carry. */
#define FILTER_BC_MAX 8192

/* The prefilter for one dump cycle of any protocol and family.
 * *states: bitmap valid for the inet requests and, as udiag_states, for
 * Unix ones (0: no socket at all can match). *bytecode: malloc'ed program
 * for inet requests (caller frees), or NULL with *len 0 when the kernel
 * would gain nothing. Returns 0 (-1 is reserved for failures; none now). */
int filter_kernel(const struct filter *f, uint32_t *states, void **bytecode, size_t *len);

/* The same for one request: protos are the SP_MASK() bits the request can
 * return (a Unix request: SP_MASK(SP_UNIX), whose bytecode is not used),
 * family AF_INET, AF_INET6 or 0 (any). Knowing them lets terms such as
 * "tcp" or "inet6" fold away. *exact (may be NULL) is set when the kernel's
 * answer is exactly the set filter_matches() keeps, so tests can tell an
 * approximation from a mistake. */
int filter_kernel_for(const struct filter *f, unsigned protos, int family, uint32_t *states,
		      void **bytecode, size_t *len, bool *exact);

#endif
