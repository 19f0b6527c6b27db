/* history.h - per-socket history: a bounded ring of compact samples for
 * each shown socket (model, no I/O).
 *
 * Each socket the caller shows gets an entry keyed by its identity
 * (struct sock_key: the kernel's cookie). An entry holds HIST_SLOTS slots
 * of HIST_SLOT_MS each (5 minutes), oldest first; a slot keeps one byte per
 * series, a logarithmic code (hist_code: exact below 16, then 8 steps per
 * doubling, so a value read back is within about 6%); slots that repeat
 * the one before cost nothing (struct hist_entry). Every refresh updates
 * the newest slot: rates are the counter deltas since the slot opened
 * (bytes_received, bytes_acked: TCP only), gauges the last value, losses
 * the count since the slot opened. So an entry is at most a fixed size
 * (history_entry_bytes + history_ring_bytes) whatever the refresh interval.
 *
 * Call order, once per snapshot: history_begin(now), history_update() for
 * each shown socket, history_end() (drops the entries of sockets not
 * updated: they are gone or no longer shown; one that comes back starts
 * afresh). Entries found with history_find() stay valid until the next
 * history_end(). */
#ifndef SOCKVIEW_HISTORY_H
#define SOCKVIEW_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sock.h"

#define HIST_SLOTS 60
#define HIST_SLOT_MS 5000
#define HIST_NONE 255 /* a slot's code when the value is unknown */

enum hist_series {
	HS_RX,    /* bytes/s received (TCP, tcp_info bytes_received) */
	HS_TX,    /* bytes/s sent and acknowledged (TCP, bytes_acked) */
	HS_RTT,   /* round-trip time, microseconds (TCP) */
	HS_CWND,  /* congestion window, segments (TCP) */
	HS_LOSS,  /* TCP: segments retransmitted; others: packets dropped on receive */
	HS_SENDQ, /* Send-Q (for a listener: the backlog) */
	HS_RECVQ, /* Recv-Q (for a listener: the accept queue) */
	HS_WND,   /* the peer's receive window, bytes (TCP) */
	HS_MAX_
};

/* What the history knows of one socket: 88 bytes, and a ring block only
 * while its samples differ ("unchanged since" encoding). The newest slot is
 * open (cur: a refresh in it overwrites it); the closed slots before it are
 * either all equal to flat (ring NULL: an idle socket, the common case,
 * costs this header alone) or in a ring block of the history's slab: for a
 * TCP socket all HS_MAX_ series, for others only the queues and drops
 * (HIST_QSERIES). A ring whose closed slots have all become equal again is
 * given back. Read it with hist_series()/hist_last(), not the fields. */
struct hist_entry {
	struct sock_key key;
	uint64_t rx_base, tx_base; /* counters when the newest slot opened */
	uint32_t loss_base;        /* total_retrans or drops then */
	uint32_t slot_t;           /* when the newest slot opened (ms, history clock) */
	uint32_t state_t;          /* since when the socket is in `state` (ms) */
	uint8_t *ring;             /* closed slots, oldest overwritten; NULL: all flat */
	uint8_t head;              /* ring index of the newest closed slot */
	uint8_t count;             /* slots filled (1..HIST_SLOTS), the open one too */
	uint8_t same;              /* newest closed slots equal to each other (1..) */
	uint8_t state;             /* state at the last update */
	uint8_t flags;             /* HE_* */
	uint8_t cur[HS_MAX_];      /* the open slot's codes */
	uint8_t flat[HS_MAX_];     /* every closed slot's codes while ring is NULL */
};

#define HE_BASES 0x1u /* rx_base/tx_base valid (a TCP reading with tcp_info) */
#define HE_LOSS 0x2u  /* loss_base valid */
#define HE_TCP 0x4u   /* a TCP socket: its ring keeps every series */
#define HE_LIVE 0x8u  /* in use (else on the free list) */

/* Closed slots a ring keeps, and the series of a non-TCP ring. */
#define HIST_RING (HIST_SLOTS - 1)
#define HIST_QSERIES 3 /* HS_LOSS, HS_SENDQ, HS_RECVQ */

struct history;

/* An empty history. Never NULL (allocation failure is fatal, xalloc.h). */
struct history *history_new(void);
/* Frees it; NULL is allowed. */
void history_free(struct history *h);

/* Starts an update round at time now (ms, any monotonic clock). */
void history_begin(struct history *h, int64_t now);
/* Records socket s in this round (at most once per socket per round) and
 * returns its entry (valid until the next history_end()). */
const struct hist_entry *history_update(struct history *h, const struct sock *s);
/* The same, with a hint: *ref is what an earlier call stored there for
 * the same socket (or HIST_NO_REF); when it still names s's entry the
 * index is not looked at. The entry's reference is stored back. The live
 * table keeps one per record and carries them from snapshot to snapshot
 * with the diff, so a round costs no hashing. */
#define HIST_NO_REF UINT32_MAX
const struct hist_entry *history_update_ref(struct history *h, const struct sock *s,
					    uint32_t *ref);
/* Ends the round: entries not updated in it are dropped. */
void history_end(struct history *h);
/* A round in parts, so that its cost is spread over refreshes: part p of
 * k (0 <= p < k) is meant for the entries whose reference (the number
 * history_update_ref stores) is p modulo k, and new sockets; ending it
 * drops the entries of that part not updated since its last end. An
 * entry updated in another part meanwhile counts as seen. */
void history_end_part(struct history *h, unsigned p, unsigned k);
/* Drops every entry. */
void history_clear(struct history *h);

/* The entry of the socket with key k, or NULL. */
const struct hist_entry *history_find(const struct history *h, const struct sock_key *k);
/* Entries kept. */
size_t history_count(const struct history *h);
/* Bytes the history has allocated (entries, ring blocks, index, free
 * space in its chunks included), for the benchmark. */
size_t history_bytes(const struct history *h);
/* Bytes of one entry (without a ring), and of a TCP / other ring block. */
size_t history_entry_bytes(void);
size_t history_ring_bytes(bool tcp);
/* Entries that have a ring block now. */
size_t history_rings(const struct history *h);

/* How long (ms) the socket has been in its current state, as far as the
 * history saw (since it was first seen), at time now of the last round. */
int64_t history_state_age(const struct history *h, const struct hist_entry *e);

/* The series s of e, oldest slot first, into out[0..max): decoded values,
 * NaN where unknown. Returns the number of slots written. */
size_t hist_series(const struct hist_entry *e, enum hist_series s, double *out, size_t max);
/* The newest value of series s, or NaN. */
double hist_last(const struct hist_entry *e, enum hist_series s);

/* The 8-bit code of v (0..254), and back (the middle of its step). */
uint8_t hist_code(uint64_t v);
double hist_decode(uint8_t code);
/* The difference cur - base of a 64-bit counter: a counter that passed
 * UINT64_MAX wraps (the small difference it made), one that went back
 * otherwise was reset (a different socket behind the same key): false. */
bool hist_counter_delta(uint64_t cur, uint64_t base, uint64_t *delta);

#endif
