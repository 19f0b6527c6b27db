/* procnet.h - raw sockets from /proc/net/raw and /proc/net/raw6.
 *
 * This kernel (and many) has no raw_diag handler: a sock_diag request for
 * raw sockets ends with ENOENT. ss then reads /proc/net/raw{,6}; so do we,
 * only for raw and only when sock_diag said it cannot (collect.c decides).
 *
 * procnet_raw_parse() is a pure function over a buffer: the text of one of
 * those files, as the kernel writes it (a header line, then one line per
 * socket: "sl: local rem st tx:rx tr:when retrnsmt uid timeout inode ref
 * pointer drops", addresses in hex as the kernel's 32-bit words print).
 * The buffer need not be NUL-terminated and may hold anything: a line that
 * is not exactly of that form (bad hex, missing fields, too long, control
 * bytes) is skipped and counted, never half-used. */
#ifndef SOCKVIEW_PROCNET_H
#define SOCKVIEW_PROCNET_H

#include <stddef.h>

#include "snapshot.h"

/* Lines longer than this are not the kernel's: skipped. */
#define PROCNET_LINE_MAX 512
/* procnet_raw_read() reads at most this much of a file (about 10^5
 * sockets); more is left unread and reported with EFBIG. */
#define PROCNET_READ_MAX (16u << 20)

struct procnet_stats {
	size_t records; /* records appended */
	size_t skipped; /* lines that were not a socket (the header aside) */
};

/* Appends one SP_RAW record of family (AF_INET for raw, AF_INET6 for raw6)
 * per socket line of buf[0, len) to snap, with source SOCK_SRC_PROC, the
 * protocol number as the local port (as ss shows it), the queues, uid,
 * inode and drops. Adds to *st (may be NULL). Returns the records added. */
size_t procnet_raw_parse(const char *buf, size_t len, int family, struct snapshot *snap,
			 struct procnet_stats *st);

/* Reads the file at path (at most PROCNET_READ_MAX bytes) and parses it as
 * above. Returns 0, or -1 with errno (nothing appended then, but for
 * EFBIG: the part read was parsed). */
int procnet_raw_read(const char *path, int family, struct snapshot *snap,
		     struct procnet_stats *st);

#endif
