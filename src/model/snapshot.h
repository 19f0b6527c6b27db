/* snapshot.h - one consistent(ish) view of the machine's sockets.
 *
 * A snapshot owns an array of records and an index by key. Producers
 * (sources/diag) append records with snapshot_add(); when the dump is over
 * they call snapshot_finish(), which de-duplicates by key (Unix dumps may
 * repeat a socket) and builds the index. Consumers then find by key or walk
 * the array; records stay where they are until the snapshot is freed or
 * cleared. */
#ifndef SOCKVIEW_SNAPSHOT_H
#define SOCKVIEW_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sock.h"

/* Per-protocol result of the last dump. */
enum snap_status {
	SNAP_NOT_ASKED = 0, /* protocol not requested */
	SNAP_OK,
	SNAP_UNAVAILABLE, /* kernel has no diag handler for it (error holds why) */
	SNAP_FAILED,      /* other error (error holds errno) */
};

/* One slot of the index: the record and 32 bits of its key's hash, so that
 * a probe touches a record (hundreds of bytes, likely not in cache) only
 * when the hash bits agree. */
struct snap_slot {
	uint32_t rec; /* record index + 1; 0: empty */
	uint32_t tag; /* high half of sock_key_hash() */
};

struct snapshot {
	struct sock *socks; /* owned; n records */
	size_t n, cap;
	struct snap_slot *index; /* open addressing, at most half full, owned */
	size_t index_cap;  /* power of two, 0 before snapshot_finish() */
	size_t index_cap_alloc; /* slots allocated (kept across clears) */
	bool inconsistent; /* a dump was interrupted too often (NLM_F_DUMP_INTR) */
	enum snap_status status[SP_NPROTO];
	int error[SP_NPROTO];  /* errno for UNAVAILABLE/FAILED */
	/* SP_MASK bits of the protocols read from /proc instead (the kernel
	 * has no diag handler for them: raw); their status is then SNAP_OK */
	unsigned from_proc;
	int64_t taken_ms;      /* clock_now_ms() at finish */
	/* the records' side parts (sock.x), in blocks that never move */
	struct sock_ext **xblocks;
	size_t nxblocks, xused;
};

void snapshot_init(struct snapshot *s);
/* Frees what the snapshot owns (the struct itself is the caller's). */
void snapshot_free(struct snapshot *s);
/* Empties it for a new dump, keeping storage. */
void snapshot_clear(struct snapshot *s);
/* Appends a zeroed record and returns it (valid until the next add). */
struct sock *snapshot_add(struct snapshot *s);
/* The side part of r, a record of s: r->x, made (zeroed) in s's side
 * storage if r has none yet. Valid until the snapshot is cleared or freed. */
struct sock_ext *snapshot_ext(struct snapshot *s, struct sock *r);
/* Appends a copy of src (a record of another snapshot), side part
 * included, and returns it. */
struct sock *snapshot_add_copy(struct snapshot *s, const struct sock *src);
/* Drops the last record added (a parser that finds it malformed). */
void snapshot_drop_last(struct snapshot *s);
/* De-duplicates by key (keeping the last copy), builds the index and links
 * each TCP connection waiting for accept() to its listener (listener_inode,
 * sock.h). */
void snapshot_finish(struct snapshot *s);
/* Finds a record by key after snapshot_finish(); NULL if absent. */
const struct sock *snapshot_find(const struct snapshot *s, const struct sock_key *k);
/* Finds the first record with this inode (and a nonzero inode); NULL if none.
 * Linear; for the occasional peer lookup, not per row. */
const struct sock *snapshot_find_inode(const struct snapshot *s, uint32_t inode);
/* Swaps the contents of two snapshots (the previous/current pair). */
void snapshot_swap(struct snapshot *a, struct snapshot *b);

/* The socket at the other end of s, if it is in snap: the Unix peer by
 * inode, the netlink socket of the port id a netlink socket is connected
 * to, or the TCP/UDP/MPTCP socket with mirrored addresses (an IPv4 address
 * matches its IPv4-mapped IPv6 form). NULL if none. */
const struct sock *snapshot_find_peer(const struct snapshot *snap, const struct sock *s);

#endif
