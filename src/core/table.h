/* table.h - the table model of the live view (no curses, no I/O).
 *
 * The table owns the current and previous snapshots with their diffs, the
 * quick toggles (protocols, families, -l), the search text, the filter,
 * the sort order and the selection (remembered by socket key, never by row
 * index or pointer).
 *
 * Rows: every socket of the current snapshot that passes the toggles, the
 * filter and the search, plus the sockets that disappeared in the last
 * refresh (dimmed), in sort order. The row array is rebuilt when the
 * snapshot, a toggle, the search or the filter changes; it is re-sorted
 * only when the snapshot or the sort order changes (from the previous
 * order: see sort_adaptive() in table.c).
 *
 * The fields are public so that the view and the screens can read them;
 * only table_*() functions change them. Call order: table_init, then any
 * number of table_spare_snapshot + (fill it) + table_commit, with queries
 * and changes in between, then table_free. */
#ifndef SOCKVIEW_TABLE_H
#define SOCKVIEW_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cell.h"
#include "diagnose.h"
#include "diff.h"
#include "history.h"
#include "escape.h"
#include "lineedit.h"
#include "ownset.h"
#include "procmap.h"
#include "snapshot.h"

struct filter;
struct filter_error;

/* How long a new socket stays highlighted. */
#define TABLE_NEW_MS 3000

/* The first paint sorts at least this many rows (sort_defer). */
#define TABLE_FIRST_ROWS 256
#define ROW_GONE 0x1u /* from the previous snapshot: shown dimmed */

struct table_row {
	const struct sock *s;          /* into the current snapshot or the gone list */
	const struct diff_entry *d;    /* NULL for gone rows */
	unsigned flags;                /* ROW_* */
	uint8_t scope;                 /* ROW_SCOPE_* bits, what the toggles look at */
};

/* The search texts of one snapshot (one per record), see table.c. */
struct stext {
	uint64_t *fp;    /* fingerprint of what the text was made from */
	size_t *off, *len;
	size_t n, cap;
	struct buf text;
	unsigned columns; /* the columns the texts were made for */
	bool valid;
};

#define TABLE_TEXT_MAX LINEEDIT_MAX

struct table {
	enum esc_charset cs; /* how the search texts are made */

	/* quick toggles (SPEC §5) */
	unsigned protos;   /* SP_MASK bits shown */
	unsigned families; /* SF_* bits shown (inet sockets; Unix always stays) */
	bool listening;
	struct sock_scope scope_asked; /* scope of the dump in flight/last started */
	struct sock_scope scope_cur;   /* scope the current snapshot was taken with */

	/* data */
	struct snapshot snaps[2]; /* [cur], [1 - cur] = previous, then spare */
	struct diff diffs[2];
	int cur;
	bool have_snap;  /* a first snapshot arrived */
	bool have_prev;  /* snaps[1 - cur] holds the previous one */
	uint64_t generation; /* snapshots committed so far */
	const struct procmap *pm;
	size_t totals[SP_NPROTO][SS_MAX_]; /* per protocol and state, whole snapshot */
	size_t total;
	struct ownset own; /* inodes of sockview's own endpoints -> pane */

	/* rows */
	struct table_row *all;  /* every row of snapshot + gone, sorted */
	size_t nall, all_cap;
	struct table_row *rows; /* those that pass toggles, filter and search */
	size_t nrows, rows_cap;
	size_t nlive;           /* rows that are not gone sockets */
	enum col sort_col;
	bool sort_reverse;
	void *sortbuf;          /* scratch for sorting, kept between sorts */
	size_t sortbuf_cap;
	uint32_t *sortidx;      /* index scratch for sorting, kept too */
	size_t sortidx_cap;
	/* Where each record of snaps[i] ended up in the sorted rows (rank_n
	 * rows then) and a fingerprint of its sort key, so that the next sort
	 * starts from that order: see sort_adaptive() in table.c. Valid for
	 * the sort column and direction they were made with. */
	uint32_t *rank[2];
	uint64_t *sortfp[2];
	size_t rank_cap[2], sortfp_cap[2], rank_n[2];
	bool rank_ok[2];
	enum col rank_col[2];
	bool rank_rev[2];
	unsigned columns; /* COL_BIT set of columns shown */

	/* selection and scrolling */
	struct sock_key sel_key;
	bool sel_valid;
	size_t sel;  /* row index, valid when nrows > 0 */
	size_t top;  /* first row shown */
	size_t page; /* rows that fit (table_set_page) */
	struct sock last_sel; /* the selected socket as the last snapshot had it */
	struct sock_ext last_sel_x; /* its side part (last_sel.x points here) */
	bool have_last_sel;

	/* search and filter */
	char search[TABLE_TEXT_MAX];    /* active search text ("" = none) */
	char search_lc[TABLE_TEXT_MAX]; /* the same in lower case */
	size_t search_lc_len;
	struct stext stext[2];          /* parallel to snaps */
	struct filter *filter;
	char filter_text[TABLE_TEXT_MAX];

	struct buf scratch;

	/* history and diagnosis (traffic.h) */
	struct history *hist;     /* samples of every socket the filter keeps */
	int64_t hist_round_ms;    /* when the history last took a round */
	uint64_t hist_rounds;
	bool hist_defer;          /* the next commit skips its history round (traffic_round) */
	/* The next commit sorts only what a first page shows (the first
	 * paint); sort_pending: the rows after those are not in order yet,
	 * until table_finish_sort(). */
	bool sort_defer, sort_pending;
	size_t full_sorts; /* sorts of every row with a key each (tests, benches) */
	bool no_history;          /* keep none, no hints (the benchmark's baseline) */
	/* parallel to snaps: each record's history entry reference
	 * (history_update_ref), carried along the diff every refresh */
	uint32_t *hist_ref[2];
	size_t hist_ref_cap[2], hist_ref_n[2];
	struct diag_peers peers;  /* TIME-WAIT sockets per peer, for the hints */
	/* --all-netns: the namespaces of the current snapshot (the
	 * collector's, NULL: one namespace), and the one N chose (0: all) */
	const struct nstab *ns;
	uint32_t netns_only;
};

/* An empty table showing protos/families (0: all) and -l. */
void table_init(struct table *t, enum esc_charset cs, unsigned protos, unsigned families,
		bool listening);
/* Frees what the table owns (t itself is the caller's). */
void table_free(struct table *t);

/* The snapshot to fill next (cleared); it stays owned by the table. Records
 * the current toggles as the scope of that dump. */
struct snapshot *table_spare_snapshot(struct table *t);
/* The spare snapshot is complete: make it current, diff it against the one
 * before, rebuild and sort the rows and find the selection again by key.
 * pm is the process map (NULL allowed) valid until the next commit. */
void table_commit(struct table *t, const struct procmap *pm, int64_t now);

/* Rebuilds the rows after a toggle, the filter or the columns changed.
 * With narrow, only the rows shown now are looked at (the search text
 * grew, so fewer can match). */
void table_refilter(struct table *t, bool narrow);
/* Sets the search text (the caller refilters). */
void table_set_search(struct table *t, const char *text);
/* Parses and installs a filter expression ("" clears it) and refilters.
 * Returns 0, or -1 with the error in fe (the previous filter stays). */
int table_set_filter(struct table *t, const char *text, struct filter_error *fe);
/* The process map (t->pm) learnt more about the current snapshot's
 * sockets (the first /proc scan ended after the snapshot was shown): sorts
 * and filters again, without a new diff. */
void table_procs_changed(struct table *t);
/* The endpoints' own sockets (t->own) changed: their texts are stale. */
void table_own_changed(struct table *t);

/* Sorts again by the current column and direction. */
void table_resort(struct table *t);
/* Ends the first paint's partial sort (sort_defer): sorts every row. True
 * if there was one to end (the rows may have moved below the first page). */
bool table_finish_sort(struct table *t);
/* Sorts by column c, or reverses if it already is the sort column. */
void table_sort_by(struct table *t, enum col c);
/* The other direction, without sorting again where possible. */
void table_reverse(struct table *t);

/* Selects row i (clamped to the rows), keeping it in view. */
void table_select_index(struct table *t, size_t i);
/* Selects the socket with key k if it is a row; returns true if found. */
bool table_select_key(struct table *t, const struct sock_key *k);
/* A row (not a gone one) whose socket has this inode, into *at. */
bool table_find_inode_row(const struct table *t, uint32_t inode, size_t *at);
/* How many rows fit on the screen (keeps the selection visible). */
void table_set_page(struct table *t, size_t rows);

/* The selected row, or NULL if there are no rows. */
const struct table_row *table_selected(const struct table *t);
/* The current snapshot (empty before the first one arrived). */
const struct snapshot *table_snapshot(const struct table *t);
/* The diff entry of a record of the current snapshot (NULL otherwise). */
const struct diff_entry *table_diff_of(const struct table *t, const struct sock *s);
/* The selected socket: by key in the current snapshot, else the last copy
 * seen (then *gone is true); NULL if none. */
const struct sock *table_details_sock(const struct table *t, bool *gone);
/* True while a socket with diff entry d counts as new at time now. */
bool table_is_new(const struct diff_entry *d, int64_t now);
/* When the next "new" highlight fades (after now), or -1. */
int64_t table_next_change(const struct table *t, int64_t now);

#endif
