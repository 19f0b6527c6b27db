/* diff.h - what changed between two snapshots (model, no I/O).
 *
 * For every record of the current snapshot, a diff entry says since when
 * the socket has been seen, whether it is new or changed since the previous
 * snapshot, and its byte rates computed from the TCP counters and the time
 * between the two snapshots. Sockets of the previous snapshot that are gone
 * are kept as copies, so the UI can show them one more refresh, dimmed.
 *
 * Entries are parallel to cur->socks (entry i describes cur->socks[i]) and
 * stay valid until the next diff_compute on the same struct diff. The
 * caller keeps two diffs next to its two snapshots and swaps them together,
 * so first-seen times carry over from one snapshot to the next. */
#ifndef SOCKVIEW_DIFF_H
#define SOCKVIEW_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

/* first_seen_ms of sockets that were there from the start: never "new". */
#define DIFF_SEEN_ALWAYS INT64_MIN

#define DIFF_NEW 0x1u     /* not in the previous snapshot (nor out of scope) */
#define DIFF_CHANGED 0x2u /* state, queues or byte counters moved */
#define DIFF_RATES 0x4u   /* rx_rate/tx_rate valid */
#define DIFF_ASK 0x8u     /* a diagnosis rule may fire (!diag_quiet, diagnose.h) */
#define DIFF_STATE 0x10u  /* in prev, in another state */
/* Bits 24..31 of flags: the socket's diagnosis (enum diag_rule,
 * diagnose.h), set by the live table after the diff; 0: none. With ask
 * (struct diff), diff_compute() leaves there what the rules say from the
 * record alone (no history, no peers), read while the record is in cache. */
#define DIFF_HINT_SHIFT 24
#define DIFF_HINT(flags) (((flags) >> DIFF_HINT_SHIFT) & 0xffu)
/* Bits 16..23: what the history's rules said at its last round (carried
 * from one snapshot to the next by the table). */
#define DIFF_HHINT_SHIFT 16
#define DIFF_HHINT(flags) (((flags) >> DIFF_HHINT_SHIFT) & 0xffu)

#define DIFF_NO_PREV UINT32_MAX

/* 24 bytes: there is one per socket in each of two diffs. */
struct diff_entry {
	int64_t first_seen_ms; /* DIFF_SEEN_ALWAYS if present since the start */
	uint32_t prev;         /* index of the same socket in prev, or DIFF_NO_PREV */
	unsigned flags;        /* DIFF_* */
	float rx_rate;         /* bytes per second received (TCP bytes_received) */
	float tx_rate;         /* bytes per second sent (TCP bytes_acked) */
};

struct diff {
	struct diff_entry *e; /* parallel to the current snapshot */
	size_t n, cap;
	struct sock *gone;    /* copies of the records that disappeared */
	size_t ngone, gone_cap;
	struct sock_ext *gone_x; /* their side parts (gone[k].x: &gone_x[k] or NULL) */
	size_t gone_x_cap;
	size_t nnew, nchanged;
	uint64_t *matched;    /* scratch: bit per record of prev, found in cur */
	size_t matched_cap;
	bool ask;             /* set DIFF_ASK (the caller diagnoses); false after init */
};

void diff_init(struct diff *d);
/* Frees what the diff owns (not the struct). */
void diff_free(struct diff *d);
/* Empties the diff (no entries, nothing gone). */
void diff_clear(struct diff *d);

/* Fills d for cur (finished) against prev and prev's diff pd. prev == NULL
 * means there is no previous snapshot: nothing is new, nothing gone, no
 * rates. cur_scope and prev_scope (NULL: everything) say what each dump was
 * asked for (sock.h): a socket is new only if prev's scope covered it (one
 * outside it just came into view when the user widened it), gone only if
 * cur's does. now is the time that counts as "first seen" for new sockets;
 * rates use the snapshots' taken_ms. */
void diff_compute(struct diff *d, const struct snapshot *cur,
		  const struct sock_scope *cur_scope, const struct snapshot *prev,
		  const struct diff *pd, const struct sock_scope *prev_scope, int64_t now);

#endif
