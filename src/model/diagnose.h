/* diagnose.h - plain-words diagnosis of a socket (model, no I/O).
 *
 * Each rule is a pure function over one socket's current record and its
 * history (history.h), with what the snapshot as a whole says about it
 * (TIME-WAIT sockets to the same peer): it fires or it does not. The first
 * rule that fires, in the order of enum diag_rule, is the socket's
 * diagnosis: a short marker for the table's Hint column and a sentence
 * saying what it means and what to check next (both translated). A healthy
 * socket fires none. */
#ifndef SOCKVIEW_DIAGNOSE_H
#define SOCKVIEW_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "snapshot.h"
#include "sock.h"

enum diag_rule {
	DR_NONE = 0,
	DR_ZERO_WINDOW,   /* the peer's window is 0, zero-window probes */
	DR_LOSS,          /* Send-Q growing with retransmits or a backoff */
	DR_ACCEPT_FULL,   /* TCP listener: accept queue at the backlog */
	DR_UNIX_BACKLOG,  /* Unix listener: backlog full */
	DR_CLOSE_WAIT,    /* CLOSE-WAIT for more than a few seconds */
	DR_SYN_SENT,      /* SYN-SENT, retrying */
	DR_ORPHAN_FIN,    /* FIN-WAIT with no process, lasting */
	DR_UDP_DROPS,     /* UDP/raw: Recv-Q growing, or drops */
	DR_TIME_WAIT_PEER, /* many TIME-WAIT sockets to one peer */
	DR_MAX_
};

/* How long a state must last before its rule fires. */
#define DIAG_CLOSE_WAIT_MS 5000
#define DIAG_ORPHAN_MS 10000
/* TIME-WAIT sockets to one peer address that count as many. */
#define DIAG_TW_MANY 100
/* The end of tcpi_snd_wnd in struct tcp_info (kernels that send less do
 * not report the peer's window). */
#define DIAG_SNDWND_END 232

/* What a rule looks at. */
struct diag_in {
	const struct sock *s;
	const struct hist_entry *h; /* NULL: no history (one snapshot) */
	int64_t state_age_ms;       /* time in the current state; -1: unknown */
	unsigned tw_to_peer;        /* TIME-WAIT sockets to s's peer address */
};

/* The rules, each on its own (for the tests). */
bool diag_zero_window(const struct diag_in *in);
bool diag_loss(const struct diag_in *in);
bool diag_accept_full(const struct diag_in *in);
bool diag_unix_backlog(const struct diag_in *in);
bool diag_close_wait(const struct diag_in *in);
bool diag_syn_sent(const struct diag_in *in);
bool diag_orphan_fin(const struct diag_in *in);
bool diag_udp_drops(const struct diag_in *in);
bool diag_time_wait_peer(const struct diag_in *in);

/* The first rule that fires, or DR_NONE. */
enum diag_rule diagnose(const struct diag_in *in);
/* True when no rule can fire on s, whatever its history, state age and
 * peers say (most sockets: an idle connection, a Unix socket): the live
 * table then skips the rest for it. Pure, and never true where
 * diagnose() could answer something else (test_diagnose checks it). */
static inline bool diag_quiet(const struct sock *s)
{
	switch (s->proto) {
	case SP_TCP:
		switch (s->state) {
		case SS_LISTEN:
		case SS_CLOSE_WAIT:
		case SS_SYN_SENT:
		case SS_FIN_WAIT1:
		case SS_FIN_WAIT2:
		case SS_TIME_WAIT:
			return false;
		default:
			/* zero window and loss need data waiting or the
			 * persist timer or probes */
			return !s->send_q && s->timer != 4 &&
			       !((s->has & SOCK_HAS_TCP) && sock_x(s)->tcp.probes);
		}
	case SP_UNIX:
		return s->state != SS_LISTEN;
	case SP_UDP:
	case SP_RAW:
		return false;
	default:
		return true;
	}
}


/* The Hint column's marker ("zero-win"), translated; "" for DR_NONE. */
const char *diag_marker(enum diag_rule r);
/* The sentence: what it means and what to check next, translated. */
const char *diag_sentence(enum diag_rule r);
/* A stable name for JSON ("zero_window"); "" for DR_NONE. */
const char *diag_name(enum diag_rule r);

/* TIME-WAIT sockets per peer address of a snapshot. */
struct diag_peers {
	uint64_t *h; /* sorted hashes of the peer addresses, one per socket */
	size_t n, cap;
};

/* Counts the TIME-WAIT sockets of snap per peer address (p is reused). */
void diag_peers_build(struct diag_peers *p, const struct snapshot *snap);
/* TIME-WAIT sockets of the last build to s's peer address. */
unsigned diag_peers_count(const struct diag_peers *p, const struct sock *s);
void diag_peers_free(struct diag_peers *p);

#endif
