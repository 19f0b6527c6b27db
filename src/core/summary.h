/* summary.h - -s: totals like ss -s, counted from the sockets sock_diag
 * listed (sockview never reads /proc/net), with the kernel's definitions:
 *
 *   total      every socket listed but TIME-WAIT and SYN-RECV ones (the
 *              kernel keeps those as mini-sockets, not sockets)
 *   TCP total  every TCP socket, TIME-WAIT included (as ss's TCP line)
 *   estab      ESTAB and CLOSE-WAIT (the kernel's CurrEstab counts both)
 *   closed     TCP sockets in CLOSE (bound or created, not connected)
 *   orphaned   TCP sockets no file holds any more (inode 0) and that still
 *              close their connection: FIN-WAIT, CLOSING, LAST-ACK
 *   timewait   TIME-WAIT
 *   per kind   sockets in use (no TIME-WAIT, no SYN-RECV), IPv4 and IPv6
 *
 * The output states these definitions. */
#ifndef SOCKVIEW_SUMMARY_H
#define SOCKVIEW_SUMMARY_H

#include <stddef.h>

#include "buf.h"
#include "options.h"
#include "snapshot.h"
#include "sock.h"

struct summary {
	size_t total;
	size_t tcp_total, tcp_estab, tcp_closed, tcp_orphaned, tcp_timewait, tcp_synrecv;
	size_t kind[SP_NPROTO][3]; /* in use: [0] all, [1] IPv4, [2] IPv6 */
	enum snap_status status[SP_NPROTO];
};

/* Counts rows (the sockets in scope); status[] comes from snap (NULL: all
 * SNAP_OK). */
void summary_count(struct summary *sm, const struct sock *const *rows, size_t n,
		   const struct snapshot *snap);

/* Appends the summary: FMT_TABLE as text like ss -s, with the
 * definitions; FMT_JSON one object; FMT_CSV rows "kind,total,ipv4,ipv6"
 * (the TCP line's counts as kinds tcp-estab, tcp-timewait...). */
void summary_format(struct buf *out, const struct summary *sm, enum out_format fmt);

#endif
