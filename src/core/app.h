/* app.h - the live view's state and what the keys do to it (no curses).
 *
 * The app is three models and a screen: the table (table.h: snapshots,
 * rows, search, filter, sort, selection), the endpoints' panes (struct
 * app_panes, app_endpoints.c), the one-line message, and the screen shown
 * (mode) with its overlays. The state has three dimensions:
 *
 *   mode    which screen fills the body: the table, the help, the details,
 *           a menu, the form (one file each in core/screen/, see screen.h);
 *   prompt  an overlay on the footer (search, filter, "quit?") that takes
 *           the keys first, whatever the mode;
 *   focus   in the table mode, the table or one of the panes.
 *
 * Input arrives as key codes (keys.h) or actions; each handler returns
 * APP_* flags saying what the caller must do next (redraw, re-scope the
 * collector, refresh now, quit), in the manner of htop's handlers.
 *
 * The fields are public so that the view can read them; only app_*()
 * functions and the screens change them. The view never writes here: the
 * caller computes the layout (view_geometry), gives it to the app
 * (app_set_geometry), then builds the view from a const app. */
#ifndef SOCKVIEW_APP_H
#define SOCKVIEW_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cell.h"
#include "destroy.h"
#include "escape.h"
#include "events.h"
#include "form.h"
#include "keys.h"
#include "lineedit.h"
#include "options.h"
#include "pace.h"
#include "tour.h"
#include "pane.h"
#include "snapshot.h"
#include "table.h"

struct epman;
struct view;
struct filter_hist;
struct app_groups;

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
#define APP_NEW_MS TABLE_NEW_MS
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
	MODE_FILTER_HELP, /* the filter language (F1 on the filter prompt) */
	MODE_GROUP,   /* the table grouped by process (screen_group.c) */
	MODE_EVENTS,  /* the event log (screen_events.c) */
	MODE_NETNS,   /* choosing the network namespace shown (N) */
	MODE_LAB,     /* the state lab's presets (screen_lab.c) */
	MODE_TOUR,    /* the guided tour (screen_tour.c) */
	MODE_MAX_
};

enum app_prompt {
	PROMPT_NONE,
	PROMPT_SEARCH,
	PROMPT_FILTER,
	PROMPT_QUIT,  /* "panes are open: quit?" */
	PROMPT_DESTROY, /* F9: "destroy this socket?" (app_destroy.c) */
	PROMPT_EXPORT, /* the file name of the session export (export.c) */
};

#define APP_TEXT_MAX TABLE_TEXT_MAX
#define APP_HISTORY 32

/* The test endpoints and their panes (SPEC §7), app_endpoints.c. */
struct app_panes {
	struct epman *em;     /* not owned; NULL: endpoints unavailable */
	size_t focus;         /* focused pane (index), or PANE_NONE: the table */
	bool zoom;            /* the focused pane on the whole body */
	bool hidden;          /* P: the panes are hidden, the table has the body */
	int max_h;            /* lines a row of panes takes at most (settings); 0: as needed */
	size_t first;         /* first pane shown when not all fit (geometry) */
	size_t kind_cur;      /* cursor in the new endpoint menu */
	size_t lab_cur;       /* cursor in the state lab's menu */
	struct form form;
	uint64_t own_fp;      /* epman_collect_fp() when the table's own was filled */
	bool own_fp_ok;
	uint32_t pending_inode; /* F7: select this socket once it shows up */
	size_t pending_nsocks;  /* how many sockets its pane has */
	unsigned pending_waits; /* refreshes waited without the socket */
	unsigned reconnect_offer; /* pane id offered to connect again (0: none) */
	app_probe_fn probe;   /* who holds an address, beyond the table */
	void *probe_ctx;
	struct snapshot probe_snap;
	bool holder_pending;  /* the form's "in use" error awaits a refresh */
	unsigned holder_tries;
	char holder_base[512];
	struct epaddr holder_addr;
	bool netns_scan;      /* the form may look for namespaces (app_epns.h) */
};

/* What the layout gives the app before a redraw (view_geometry). */
struct app_geom {
	size_t page;       /* table rows that fit (text lines, on text screens) */
	size_t pane_first; /* first pane shown */
};

/* The socket file of the Unix socket the details show (screen_details.c). */
struct app_sockfile {
	bool valid;          /* looked up for key at generation */
	struct sock_key key;
	uint64_t generation; /* table.generation then */
	bool found;          /* lstat() succeeded */
	unsigned mode, uid, gid;
	/* lstat() runs in fsprobe's helper (issue 18 item 4) */
	bool pending;        /* asked, no answer yet */
	int err;             /* ETIMEDOUT: the file system did not answer */
	uint64_t token;      /* of the request in flight */
};

struct app {
	/* configuration */
	enum esc_charset cs;
	const char *netns;  /* NULL: the current namespace */
	bool all_netns;     /* every namespace is dumped (--all-netns, or N) */
	uint32_t self_netns; /* inode of the namespace sockview dumps alone (0: unknown) */
	bool no_processes;
	int proc_errno;     /* the last refresh could not read /proc (0: it could) */
	bool procs_reading; /* the table is shown before the first /proc scan ended */

	struct table table;
	struct app_panes panes;

	/* the screen and its overlays */
	enum app_mode mode;
	enum app_prompt prompt;
	struct lineedit edit;       /* the prompt's text */
	struct filter_hist *hist;   /* expressions typed at the filter prompt */
	size_t filter_err_col;      /* byte offset of a filter error, for the cursor */
	bool filter_help_from_prompt; /* leaving the filter help reopens the filter prompt */
	size_t scroll;      /* first line of help/details */
	size_t scroll_max;  /* the last first line there (from the last build) */
	size_t menu_cur;    /* cursor in the sort/columns menus */
	struct app_sockfile sockfile; /* for the details */
	struct app_groups *groups;    /* the grouped view's state (screen_group.c) */
	struct fsprobe *fsprobe;      /* lstat() off the loop (live.c); NULL: inline */

	/* the guided tour (tour.h) */
	struct tour tour;

	/* live refresh */
	bool paused;
	int delay_ms;
	struct pace pace; /* the interval in force (pace.h; live.c feeds it) */

	/* F9 (app_destroy.c): who destroys, and the socket asked about */
	destroy_fn destroy;   /* NULL: not available */
	void *destroy_ctx;
	struct sock destroy_sock; /* a copy: the snapshot may change meanwhile */
	struct sock_ext destroy_x; /* its side part (destroy_sock.x points here) */
	char destroy_desc[512];   /* escaped: how the prompt names it */

	/* one-line message in the footer */
	char msg[256];
	bool msg_error;
	bool msg_escaped; /* msg is safe text already (a filter error) */
	int64_t msg_until;

	/* sockets over time (events.h): the log the tracker fills from the
	 * dumps (app_commit_snapshot) and the destroy messages (live.c) */
	struct ev_log events;
	struct ev_tracker *evt;
	int64_t ev_started;  /* when the dump being filled began */
	uint64_t ev_sel;     /* event log screen: the selected event's seq, 0: the newest */
	int64_t wall_off;    /* real clock minus clock_now_ms(), for times shown */
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
/* The process map given at the last commit has learnt the owners of more
 * sockets (the first /proc scan ended after the first paint): sorts,
 * filters and groups again. */
void app_procs_updated(struct app *a);
/* After the first paint, which sorted only the first page (the table's
 * sort_defer): sorts the rest. True if there was something to do. */
bool app_finish_sort(struct app *a);

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
/* Applies the layout computed for the next redraw (view_geometry). */
void app_set_geometry(struct app *a, const struct app_geom *g);
/* A redraw: computes the layout for width x height, applies it, builds v
 * from the app and keeps what the build measured (the order the live loop
 * and the tests use). */
void app_draw(struct app *a, struct view *v, int width, int height, int64_t now);
/* After a redraw: the last first line of the help or details screen, to
 * which the scroll position is clamped. */
void app_set_scroll_max(struct app *a, size_t max);

/* The selected row, or NULL if there are no rows. */
const struct table_row *app_selected(const struct app *a);
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
const struct sock *app_details_sock(const struct app *a, bool *gone);

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

/* F9 (app_destroy.c): who destroys sockets (NULL: F9 says it is not
 * available); asking about the selected socket; the answer's key. */
void app_set_destroyer(struct app *a, destroy_fn fn, void *ctx);
unsigned app_destroy_ask(struct app *a, int64_t now);
unsigned app_destroy_key(struct app *a, int key, int64_t now);

/* The faster/slower steps for +/- (exposed for tests). */
int app_delay_step(int delay_ms, bool faster);

/* For the screens (core/screen/): */
/* "Endpoints are open: quit?" when endpoints are live, else APP_QUIT. */
unsigned app_ask_quit(struct app *a);
/* Switches to screen mode m (its scroll or cursor starts at the top). */
unsigned app_set_mode(struct app *a, enum app_mode m);
/* The handlers of the endpoint keys (app_endpoints.c). */
unsigned app_show_socket(struct app *a, int64_t now);
unsigned app_close_pane(struct app *a, int64_t now);
unsigned app_move_focus(struct app *a, bool next, int64_t now);
unsigned app_pane_toggle(struct app *a, enum action act, int64_t now);
unsigned app_open_form(struct app *a, enum ep_kind kind);
/* Opens a state lab preset in a new, focused pane (screen_lab.c). */
unsigned app_open_lab(struct app *a, enum ep_lab_preset p, int64_t now);
/* The tour: moves past the steps the live state shows done and says so
 * (after each key and snapshot); starts or resumes it on its page. */
unsigned app_tour_check(struct app *a, int64_t now);
unsigned app_tour_start(struct app *a);
unsigned app_submit_form(struct app *a, int64_t now);
/* Keys while pane p has the focus (in the table mode). */
unsigned app_pane_key(struct app *a, struct pane *p, int key, int64_t now);
/* Pending selections and form errors that waited for a new snapshot. */
void app_endpoints_after_refresh(struct app *a, int64_t now);
/* P: hides all the panes (the table gets the whole body), or shows them. */
unsigned app_hide_panes(struct app *a, int64_t now);
/* E: opens the export prompt with the default file name; Enter there
 * writes the file (export.c). */
unsigned app_export_prompt(struct app *a, int64_t now);
unsigned app_export_submit(struct app *a, int64_t now);
/* Focus: the pane at index i, or the table (PANE_NONE); from the mouse. */
unsigned app_focus(struct app *a, size_t i);

/* The answer of fsprobe for the details' socket file (screen_details.c):
 * fills a->sockfile if it is still the one asked for; true if so (redraw). */
struct fsprobe_result;
bool app_sockfile_result(struct app *a, const struct fsprobe_result *r);

#endif
