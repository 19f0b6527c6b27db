/* cell.h - the socket table's columns: titles, cell text, sort order.
 *
 * One place knows what each column shows, how it sorts (also as integer
 * keys), how it lays out and what it needs from the kernel, so the view
 * model, the incremental search, the sort and the collector agree. Cell text is
 * escaped (escape.h): whatever bytes a socket name or a command held, the
 * text appended here is safe to draw. */
#ifndef SOCKVIEW_CELL_H
#define SOCKVIEW_CELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diff.h"
#include "history.h"
#include "escape.h"
#include "nstab.h"
#include "ownset.h"
#include "procmap.h"
#include "sock.h"

enum col {
	COL_PROTO,
	COL_STATE,
	COL_RECVQ,
	COL_SENDQ,
	COL_LOCAL,
	COL_PEER,
	COL_PROCESS,
	/* optional, off by default */
	COL_UID,
	COL_INODE,
	COL_RTT,
	COL_CWND,
	COL_RETRANS,
	COL_RX,
	COL_TX,
	COL_SPARK, /* rx+tx history of a TCP socket (history.h) */
	COL_HINT,  /* the diagnosis marker (diagnose.h) */
	/* optional, for ss's -e, -m, -o (issue 13) */
	COL_COOKIE,
	COL_SKMEM,
	COL_TIMER,
	COL_NETNS,   /* --all-netns: the socket's namespace (nstab_label) */
	COL_SERVICE, /* the first owner's service or container (cgroup.h) */
	COL_MAX_
};

#define COL_BIT(c) (1u << (c))
#define COL_DEFAULT_SET (COL_BIT(COL_PROTO) | COL_BIT(COL_STATE) | COL_BIT(COL_RECVQ) | \
			 COL_BIT(COL_SENDQ) | COL_BIT(COL_LOCAL) | COL_BIT(COL_PEER) | \
			 COL_BIT(COL_PROCESS))

/* How a cell that does not fit is shortened (visibly, with an ellipsis). */
enum col_cut {
	CUT_END,    /* keep the start: "python3-very-lo…" */
	CUT_MIDDLE, /* keep both ends: "/run/user/1000/…/bus", "[fe80::…]:22" */
};

struct col_info {
	const char *title;   /* N_() marked: the column heading */
	const char *name;    /* N_() marked: longer name for menus */
	unsigned min_w;      /* narrowest useful width */
	unsigned want_w;     /* comfortable width: narrower, other columns go first */
	unsigned max_w;      /* widest it grows to fit its cells */
	unsigned prio;       /* lower survives longer on narrow screens */
	bool right;          /* numbers: right-aligned */
	bool optional;       /* offered in the columns menu */
	bool flexible;       /* grows and shrinks first in the layout */
	bool tcp_info;       /* made from tcp_info: the dump must ask for it */
	bool rates;          /* made from the diff's rates (tcp_info byte counts) */
	bool meminfo;        /* made from SK_MEMINFO: the dump must ask for it */
	enum col_cut cut;
};

/* Static description of column c (c < COL_MAX_). */
const struct col_info *cell_col(enum col c);

/* COL_BIT set of the columns whose cells need tcp_info from the kernel
 * (their .tcp_info): shown or sorted by, the dump must ask for it. */
unsigned cell_cols_needing_tcp_info(void);
/* COL_BIT set of the columns whose cells need SK_MEMINFO (.meminfo). */
unsigned cell_cols_needing_meminfo(void);
/* COL_BIT set of the columns showing the diff's rates (their .rates). */
unsigned cell_cols_showing_rates(void);

struct cell_ctx {
	const struct procmap *pm; /* NULL: processes are not mapped */
	enum esc_charset cs;
	/* sockets of sockview's own endpoints (NULL: none): their Process
	 * cell says "sockview/PID [N]", N being the pane */
	const struct ownset *own;
	/* the per-socket history (NULL: none; the Traffic column is blank) */
	const struct history *hist;
	/* --all-netns: what to call each namespace (NULL: show the inode) */
	const struct nstab *ns;
};

/* Appends the escaped text of column c for socket s to out and returns its
 * width in terminal columns. d (may be NULL) supplies the rates. */
size_t cell_format(struct buf *out, enum col c, const struct sock *s,
		   const struct diff_entry *d, const struct cell_ctx *ctx);

/* Orders a and b by column c (<0, 0, >0); ties are broken by protocol,
 * addresses and finally the socket key, so the order is total and stable
 * across refreshes. da/db may be NULL. */
int cell_compare(enum col c, const struct sock *a, const struct diff_entry *da,
		 const struct sock *b, const struct diff_entry *db,
		 const struct procmap *pm);

/* The integer form of cell_compare()'s order by column c, before its
 * tie-break: three words w that order sockets (lexicographically, unsigned)
 * as cell_compare(c) does. Returns false if the words are only a prefix (a
 * long Unix name or command): where such words are equal, cell_compare()
 * decides. d may be NULL; pm NULL: processes are not mapped. Sockets in own
 * (may be NULL) sort as their Process cell reads, "sockview" with this pid,
 * even before pm has seen them. No allocation: cheap enough per row. */
bool cell_sortkey(enum col c, const struct sock *s, const struct diff_entry *d,
		  const struct procmap *pm, const struct ownset *own, uint64_t w[3]);
/* cell_compare()'s tie-break as integers: w[0] protocol and type, w[1..3]
 * the local address, w[4..6] the peer, w[7] the cookie. Returns false if
 * the local address words are only a prefix (a long Unix name): where they
 * are equal, cell_compare() decides. */
bool cell_sortkey_ties(const struct sock *s, uint64_t w[8]);

/* The Traffic column's width, and its series: rx + tx of history entry e,
 * oldest first, unknown slots as 0; returns how many (at most max). */
#define CELL_SPARK_W 10
size_t cell_spark_series(const struct hist_entry *e, double *v, size_t max);

/* Human-readable byte rate ("0", "512", "1.5K", "20M") into dst. */
void cell_rate(double bytes_per_s, char *dst, size_t len);
/* Human-readable duration from microseconds ("850us", "12.5ms", "1.2s"). */
void cell_usec(uint32_t us, char *dst, size_t len);

#endif
