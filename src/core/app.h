/* app.h - the live view's state and what the keys do to it (no curses).
 *
 * The app owns the current and previous snapshots with their diffs, the
 * quick toggles, the search text, the filter, the sort order, the selection
 * (remembered by socket key, never by row index or pointer) and the screen
 * mode. Input arrives as key codes (keys.h) or actions; each handler returns
 * APP_* flags saying what the caller must do next (redraw, re-scope the
 * collector, refresh now, quit), in the manner of htop's handlers.
 *
 * Rows: every socket of the current snapshot that passes the toggles, the
 * filter and the search, plus the sockets that disappeared in the last
 * refresh (dimmed), in sort order. The row array is rebuilt when the
 * snapshot, a toggle, the search or the filter changes; it is re-sorted
 * only when the snapshot or the sort order changes.
 *
 * The fields are public so the view model can read them; only app_*()
 * functions change them. */
#ifndef SOCKVIEW_APP_H
#define SOCKVIEW_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cell.h"
#include "diff.h"
#include "escape.h"
#include "form.h"
#include "keys.h"
#include "lineedit.h"
#include "options.h"
#include "ownset.h"
#include "procmap.h"
#include "snapshot.h"

struct epman;
struct filter;

/* Finds the sockets bound where want points (its port over transport t, or
 * its Unix path) whatever the table's filter and toggles hide, into snap
 * (cleared first). Returns 0, or -1 with errno. The live view gives one
 * that asks the kernel; tests may give their own. */
typedef int (*app_probe_fn)(void *ctx, enum ep_transport t, const struct epaddr *want,
			    struct snapshot *snap);

/* Effects returned by the handlers (a bit set). */
#define APP_REDRAW 0x01u  /* the screen must be redrawn */
#define APP_QUIT 0x02u    /* leave the program */
#define APP_RESCOPE 0x04u /* protocols/families/-l changed: tell the collector, refresh */
#define APP_REFRESH 0x08u /* start a refresh now (or as soon as the current one ends) */
#define APP_TIMING 0x10u  /* delay or pause changed: re-arm the refresh timer */
#define APP_FILTER 0x20u  /* the filter changed: give the collector its prefilter */

/* How long a new socket stays highlighted, and a message stays shown. */
#define APP_NEW_MS 3000
#define APP_MSG_MS 5000

#define APP_DELAY_MIN 100
#define APP_DELAY_MAX 3600000

enum app_mode {
	MODE_TABLE,
	MODE_HELP,
	MODE_DETAILS,
	MODE_SORT,    /* choosing the sort column */
	MODE_COLUMNS, /* choosing the optional columns */
	MODE_MENU,    /* choosing the kind of a new endpoint */
	MODE_FORM,    /* the new endpoint form */
};

enum app_prompt {
	PROMPT_NONE,
	PROMPT_SEARCH,
	PROMPT_FILTER,
	PROMPT_QUIT,  /* "endpoints are open: quit?" */
};

#define ROW_GONE 0x1u /* from the previous snapshot: shown dimmed */

struct app_row {
	const struct sock *s;          /* into the current snapshot or the gone list */
	const struct diff_entry *d;    /* NULL for gone rows */
	unsigned flags;                /* ROW_* */
	uint8_t scope;                 /* ROW_SCOPE_* bits, what the toggles look at */
};

/* The search texts of one snapshot (one per record), see app.c. */
struct stext {
	uint64_t *fp;    /* fingerprint of what the text was made from */
	size_t *off, *len;
	size_t n, cap;
	struct buf text;
	unsigned columns; /* the columns the texts were made for */
	bool valid;
};

#define APP_TEXT_MAX LINEEDIT_MAX
#define APP_HISTORY 32

struct app {
	/* configuration */
	enum esc_charset cs;
	const char *netns;  /* NULL: the current namespace */
	bool no_processes;

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
	const struct procmap *pm;
	size_t totals[SP_NPROTO][SS_MAX_]; /* per protocol and state, whole snapshot */
	size_t total;

	/* rows */
	struct app_row *all;  /* every row of snapshot + gone, sorted */
	size_t nall, all_cap;
	struct app_row *rows; /* those that pass toggles, filter and search */
	size_t nrows, rows_cap;
	size_t nlive;         /* rows that are not gone sockets */
	enum col sort_col;
	bool sort_reverse;
	void *sortbuf;        /* scratch for sorting, kept between sorts */
	size_t sortbuf_cap;
	uint32_t *sortidx;    /* index scratch for sorting, kept too */
	size_t sortidx_cap;
	/* Where each record of snaps[i] ended up in the sorted rows (rank_n
	 * rows then) and a fingerprint of its sort key, so that the next sort
	 * starts from that order: see sort_adaptive() in app.c. Valid for the
	 * sort column and direction they were made with. */
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
	size_t page; /* rows that fit (set by the view) */

	/* search and filter */
	enum app_prompt prompt;
	struct lineedit edit;
	char search[APP_TEXT_MAX]; /* active search text ("" = none) */
	char search_lc[APP_TEXT_MAX]; /* the same in lower case */
	size_t search_lc_len;
	struct stext stext[2];     /* parallel to snaps */
	struct filter *filter;
	char filter_text[APP_TEXT_MAX];
	struct filter_hist *hist; /* expressions typed at the filter prompt */
	size_t filter_err_col; /* byte offset of a filter error, for the cursor */

	/* screens */
	enum app_mode mode;
	size_t scroll;      /* first line of help/details */
	size_t menu_cur;    /* cursor in the sort/columns menus */
	struct sock details_last; /* last seen record of the details socket */
	bool details_have;
	bool details_gone;

	/* live refresh */
	bool paused;
	int delay_ms;

	/* one-line message in the footer */
	char msg[256];
	bool msg_error;
	bool msg_escaped; /* msg is safe text already (a filter error) */
	int64_t msg_until;

	/* the test endpoints and their panes (SPEC §7) */
	struct epman *em;     /* not owned; NULL: endpoints unavailable */
	size_t focus;         /* focused pane (index), or PANE_NONE: the table */
	bool zoom;            /* the focused pane on the whole body */
	size_t pane_first;    /* first pane shown when not all fit (view) */
	size_t kind_cur;      /* cursor in the new endpoint menu */
	struct form form;
	struct ownset own;    /* inodes of the endpoints' sockets -> pane */
	uint64_t own_fp;      /* epman_collect_fp() when own was filled */
	bool own_fp_ok;
	uint32_t pending_inode; /* F7: select this socket once it shows up */
	app_probe_fn probe;   /* who holds an address, beyond the table */
	void *probe_ctx;
	struct snapshot probe_snap;
	bool holder_pending;  /* the form's "in use" error awaits a refresh */
	unsigned holder_tries;
	char holder_base[512];
	struct epaddr holder_addr;

	struct buf scratch;
};

/* A new app configured from the command line. cs is how to escape text for
 * this terminal. The initial filter text (o->filter) is not parsed here:
 * call app_set_filter. Never NULL. */
struct app *app_new(const struct options *o, enum esc_charset cs);
/* Frees the app and everything it owns; NULL is allowed. */
void app_free(struct app *a);

/* The snapshot to fill next (cleared); it stays owned by the app. Records
 * the current scope as the scope of that dump. */
struct snapshot *app_spare_snapshot(struct app *a);
/* The spare snapshot is complete: make it current, diff it against the one
 * before, rebuild and sort the rows and find the selection again by key.
 * pm is the process map (NULL allowed) valid until the next commit. */
void app_commit_snapshot(struct app *a, const struct procmap *pm, int64_t now);

/* Parses and installs a filter expression ("" clears it). Returns 0, or -1
 * with a translated message in err (the previous filter stays). */
int app_set_filter(struct app *a, const char *text, char *err, size_t errlen);

/* Handles one key code (keys.h) at time now; returns APP_* flags. */
unsigned app_key(struct app *a, int key, int64_t now);
/* Performs an action as if its key was pressed; returns APP_* flags. */
unsigned app_do(struct app *a, enum action act, int64_t now);
/* Selects row i (a mouse click); returns APP_* flags. */
unsigned app_select_row(struct app *a, size_t i);
/* Sorts by column c, or reverses if it already is the sort column. */
unsigned app_sort_by(struct app *a, enum col c);
/* Selects the socket with key k if it is a row; returns true if found. */
bool app_select_key(struct app *a, const struct sock_key *k);

/* Shows a message in the footer until now + APP_MSG_MS or the next key. */
void app_message(struct app *a, bool error, int64_t now, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Tells the app how many table rows fit (keeps the selection visible). */
void app_set_page(struct app *a, size_t rows);

/* The selected row, or NULL if there are no rows. */
const struct app_row *app_selected(const struct app *a);
/* The current snapshot (empty before the first one arrived). */
const struct snapshot *app_snapshot(const struct app *a);
/* The diff entry of a record of the current snapshot (NULL otherwise). */
const struct diff_entry *app_diff_of(const struct app *a, const struct sock *s);
/* The socket at the other end of s, if it is in the current snapshot: the
 * Unix peer by inode, or the TCP/UDP socket with mirrored addresses. */
const struct sock *app_find_peer(const struct app *a, const struct sock *s);
/* The socket the details screen shows: by the selection's key in the
 * current snapshot, else the last copy seen (then *gone is true); NULL if
 * none. */
const struct sock *app_details_sock(struct app *a, bool *gone);

/* True while s (with diff entry d) counts as new at time now. */
bool app_is_new(const struct diff_entry *d, int64_t now);
/* The next time something on screen changes by itself (a highlight fades, a
 * message expires), or -1. */
int64_t app_next_change(const struct app *a, int64_t now);

/* Gives the app the endpoint manager (not owned; it must outlive the app's
 * use of it). Without one, n/F2 says endpoints are unavailable. */
void app_set_epman(struct app *a, struct epman *em);
/* Sets the probe used when a port or path is in use and the table does
 * not show its holder (NULL: the table only). */
void app_set_probe(struct app *a, app_probe_fn fn, void *ctx);
/* Refills the marks of the endpoints' own sockets (the table shows them as
 * sockview's); returns true if they changed. Call when endpoints may have
 * opened or closed sockets. */
bool app_sync_endpoints(struct app *a);
/* The focused pane, or NULL when the table has the focus. */
struct pane *app_focused_pane(const struct app *a);

/* The faster/slower steps for +/- (exposed for tests). */
int app_delay_step(int delay_ms, bool faster);

#endif
