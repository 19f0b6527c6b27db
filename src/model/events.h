/* events.h - sockets over time: births, deaths and changes (model, no I/O).
 *
 * Two sources feed one tracker:
 *  - the periodic dumps (ev_tracker_dump): a socket seen for the first time
 *    is born, one no longer dumped is gone, a state change, an inode that
 *    appears (accept() took a queued connection: the same cookie, so the
 *    same socket) or a TCP queue going from empty to non-empty is a change;
 *  - the kernel's destroy multicast groups (ev_tracker_destroyed): a TCP or
 *    UDP socket's death as it happens, with the record of the dying socket.
 *    One that lived between two dumps is reported born (inferred) and dead.
 * A death is reported once: a socket the destroy groups reported is not
 * reported again by a dump (its TIME-WAIT remnant keeps the cookie and is
 * silent), and while the destroy groups are listened to, a TCP/UDP socket
 * missing from a dump waits one more dump for its destroy message (the
 * kernel sends it from a work queue, after the fact) before the dump's
 * death is reported. ev_tracker_gap() records that destroy messages were
 * lost (ENOBUFS): the caller dumps again; nothing is invented.
 *
 * Events go, in time order, to the log (a bounded ring, oldest dropped and
 * counted) and to an optional callback (--watch writes each one out).
 * Identity is the socket's key (sock.h: the cookie). Times are the caller's
 * clock (clock_now_ms), never read here.
 *
 * Ownership: the tracker keeps a pointer to the last snapshot given to
 * ev_tracker_dump; that snapshot must stay alive and unchanged until the
 * next ev_tracker_dump (or ev_tracker_free). */
#ifndef SOCKVIEW_EVENTS_H
#define SOCKVIEW_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmap.h"
#include "snapshot.h"

enum ev_kind {
	EV_BORN,   /* first seen */
	EV_GONE,   /* died */
	EV_CHANGE, /* state, accept() or queue */
	EV_GAP,    /* events may have been lost here (destroy messages dropped) */
	EV_KIND_MAX_
};

enum ev_source {
	EVS_DUMP,    /* seen (or no longer seen) in a periodic dump */
	EVS_DESTROY, /* the kernel's destroy multicast message */
};

/* How exact a death's lifetime is. */
enum ev_life {
	EVL_NONE,     /* not a death */
	EVL_EXACT,    /* birth seen in a dump: death - birth (to the dump period) */
	EVL_AT_LEAST, /* the socket was there when the log started */
	EVL_AT_MOST,  /* lived between two dumps: at most the time since the last */
};

/* flags */
#define EVF_INFERRED 0x01u /* born: known only from its death message */
#define EVF_STATE 0x02u    /* change: the state changed (old_state) */
#define EVF_ACCEPT 0x04u   /* change: accept() gave it an inode */
#define EVF_QUEUE 0x08u    /* change: a TCP queue went from empty to non-empty */
#define EVF_NO_DESTROY 0x10u /* gone: a kind without destroy messages (dump only) */

/* One event: a fixed size (sizeof(struct ev_event), 360 bytes on x86-64),
 * the socket record included, so the log at its bound costs cap times that. */
/* The holder a death event names is the last one known: looked up at
 * once for a socket without one, and again at least every this many dumps
 * for the others (ev_tracker_dump). */
#define EV_OWNER_EVERY 8

struct ev_event {
	int64_t t_ms;     /* when (caller's clock) */
	int64_t life_ms;  /* deaths: lifetime, see life */
	uint64_t seq;     /* 1, 2, ... in the order events were made */
	uint8_t kind;     /* enum ev_kind */
	uint8_t source;   /* enum ev_source */
	uint8_t life;     /* enum ev_life */
	uint8_t old_state;/* EVF_STATE: the state before */
	uint8_t flags;    /* EVF_* */
	uint8_t comm_len; /* bytes of comm (raw, may hold any byte) */
	int32_t pid;      /* the process as last known, 0: none */
	char comm[PROCMAP_COMM_MAX];
	struct sock sock; /* the socket as last known (zeroed for a gap) */
};

/* A bounded ring of events, oldest first. */
struct ev_log {
	struct ev_event *ring;
	size_t cap;       /* the bound (events kept) */
	size_t head;      /* index of the oldest */
	size_t n;         /* events kept */
	uint64_t dropped; /* old events dropped to stay within cap */
	uint64_t total[EV_KIND_MAX_]; /* events made, per kind, since the start */
	int64_t started_ms;
};

#define EV_LOG_DEFAULT_CAP 100000

/* cap events at most (at least 1); the storage is allocated on first use. */
void ev_log_init(struct ev_log *l, size_t cap, int64_t now);
void ev_log_free(struct ev_log *l);
/* Appends a copy of e (dropping the oldest if full). */
void ev_log_push(struct ev_log *l, const struct ev_event *e);
/* The i-th kept event, 0 the oldest; NULL past the end. */
const struct ev_event *ev_log_at(const struct ev_log *l, size_t i);
/* Births and deaths per second over the last window_ms before now. */
void ev_log_rates(const struct ev_log *l, int64_t now, int64_t window_ms,
		  double *births, double *deaths);

/* "born", "gone", "change", "gap". */
const char *ev_kind_name(unsigned kind);
/* "dump", "destroy". */
const char *ev_source_name(unsigned source);
/* "exact", "at_least", "at_most", or NULL for EVL_NONE. */
const char *ev_life_name(unsigned life);

typedef void (*ev_emit_fn)(void *ctx, const struct ev_event *e);

struct ev_tracker;

/* A tracker that appends to log (may be NULL) and calls emit (may be NULL)
 * for each event. Never NULL. */
struct ev_tracker *ev_tracker_new(struct ev_log *log, ev_emit_fn emit, void *ctx);
void ev_tracker_free(struct ev_tracker *t);
/* Whether destroy messages are being received (then TCP/UDP deaths wait for
 * them one dump longer, see above). */
void ev_tracker_set_destroy(struct ev_tracker *t, bool on);

/* A finished dump cur (scope: what it was asked for, NULL: everything),
 * started at started_ms, done at now; pm (NULL allowed) names the
 * processes. The first dump makes no events: its sockets were there at the
 * start (their lifetimes are "at least"). */
void ev_tracker_dump(struct ev_tracker *t, const struct snapshot *cur,
		     const struct sock_scope *scope, const struct procmap *pm,
		     int64_t started_ms, int64_t now);
/* A destroy message: rec is the record of the dying socket (its inode is
 * usually 0 by then; the last dump's copy supplies it and the process). */
void ev_tracker_destroyed(struct ev_tracker *t, const struct sock *rec, int64_t now);
/* Destroy messages were lost: a gap event; the caller dumps again. */
void ev_tracker_gap(struct ev_tracker *t, int64_t now);
/* Events made so far. */
uint64_t ev_tracker_count(const struct ev_tracker *t);

#endif
