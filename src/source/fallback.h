/* fallback.h - what a sock_diag dump leaves to be filled in from elsewhere.
 *
 * After a dump (diag.h) has finished a snapshot, fallback_complete():
 *  - reads raw sockets from /proc/net/raw{,6} (procnet.h) when raw sockets
 *    were asked for and sock_diag said it has no handler for them
 *    (SNAP_UNAVAILABLE) -- never for a kind sock_diag can dump. Those
 *    records carry source SOCK_SRC_PROC, the protocol's bit is set in
 *    snap->from_proc and its status becomes SNAP_OK; if /proc cannot be
 *    read either, the status stays SNAP_UNAVAILABLE.
 *  - names the interfaces of packet sockets (pkt.ifname, SOCK_HAS_IFNAME),
 *    in the network namespace the process is in.
 * The snapshot is finished again when records were added. */
#ifndef SOCKVIEW_FALLBACK_H
#define SOCKVIEW_FALLBACK_H

#include "snapshot.h"

/* procnet_dir: where raw and raw6 are ("/proc/self/net"; tests pass
 * another directory). protos, families: what the dump was asked for. */
void fallback_complete(struct snapshot *snap, unsigned protos, unsigned families,
		       const char *procnet_dir);

#endif
