/* ui.c - the live view: wires the loop, the collector, the app and the
 * terminal together. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "clock.h"
#include "collect.h"
#include "dgroup.h"
#include "diag.h"
#include "epman.h"
#include "fsprobe.h"
#include "filter.h"
#include "filter_bc.h"
#include "escape.h"
#include "i18n.h"
#include "keys.h"
#include "histfile.h"
#include "settings.h"
#include "loop.h"
#include "screen.h"
#include "live.h"
#include "ui_term.h"
#include "view.h"
#include "xalloc.h"

/* A dump that takes longer than this is abandoned (and retried later). */
#define UI_DUMP_TIMEOUT_MS 15000
/* Least time between the end of one dump and the start of the next, so a
 * slow dump at a short interval cannot keep the CPU busy. */
#define UI_MIN_GAP_MS 50
/* A refresh soon after our endpoints' sockets changed, so the table
 * shows them while the user looks. */
#define UI_SOON_MS 150
/* Least time between two redraws caused by endpoint traffic alone. */
#define UI_EP_FRAME_MS 40
/* Input events read per pass (the bytes already read are then drained), so
 * a paste cannot starve the rest. */
#define UI_MAX_KEYS 256

struct ui {
	bool tcp_info_on; /* the cycle in flight (or last) asked for tcp_info */
	const struct options *o;
	struct loop *loop;
	struct app *app;
	struct collect *col;
	struct ui_term *term;
	struct view view;
	struct epman *em;      /* the test endpoints (freed before the loop) */
	struct diag *probe;    /* for "who holds this port", opened on demand */
	struct fsprobe *fsp;   /* lstat() off the loop (the details) */
	int fsp_fd;            /* its fd being watched, or -1 */
	unsigned fsp_timer;    /* its deadline */
	int64_t fsp_due;
	struct destroy *ds;    /* the destroy messages (NULL: deaths from dumps only) */

	int nl_fd;             /* netlink fd being watched, or -1 */
	unsigned tick;         /* next refresh */
	int64_t tick_due;
	unsigned wake;         /* next self-induced redraw (highlight, message) */
	unsigned watchdog;     /* dump timeout */
	int64_t dump_started;
	bool pending;          /* a refresh was asked for while one ran */
	bool early;            /* this cycle's snapshot is shown already (first paint) */
	bool scope_dirty;      /* the collector's settings must change ... */
	bool dirty;            /* redraw at the end of this pass */
	bool ep_dirty;         /* a pane changed: redraw, at a bounded rate */
	int64_t last_draw;
	int empty_reads;
	char why[256];         /* printed on stderr once the terminal is back */
	struct settings_session settings; /* sockviewrc */
};

/* The allocation-failure hook: the terminal must be usable afterwards. */
static void ui_fatal(const char *what)
{
	ui_term_emergency();
	fprintf(stderr, "sockview: %s (%s)\n", _("out of memory"), what);
	exit(1);
}

static void quit(struct ui *u, int status, const char *why)
{
	if (why && !u->why[0])
		snprintf(u->why, sizeof(u->why), "%s", why);
	loop_quit(u->loop, status);
}

static void start_refresh(struct ui *u);

static void on_tick(struct loop *l, unsigned id, void *ctx)
{
	struct ui *u = ctx;

	(void)l;
	(void)id;
	u->tick = 0;
	start_refresh(u);
}

/* Arms the next automatic refresh, one interval after the last one began. */
static void schedule_tick(struct ui *u)
{
	int64_t now = clock_now_ms(), due;

	loop_cancel_timer(u->loop, u->tick);
	u->tick = 0;
	if (u->app->paused)
		return;
	/* the interval grows by itself while refreshes are dear (pace.h) */
	pace_set_user(&u->app->pace, u->app->delay_ms);
	due = u->dump_started + pace_interval(&u->app->pace);
	if (due < now + UI_MIN_GAP_MS)
		due = now + UI_MIN_GAP_MS;
	u->tick = loop_add_timer(u->loop, due, on_tick, u);
	u->tick_due = due;
}

static void on_netlink(struct loop *l, int fd, short revents, void *ctx);

/* Watches the collector's fd while a dump runs (it may change between
 * steps: a broken dump reopens the socket). */
static void nl_sync(struct ui *u)
{
	int fd = collect_busy(u->col) ? collect_fd(u->col) : -1;

	if (fd == u->nl_fd)
		return;
	if (u->nl_fd >= 0)
		loop_del_fd(u->loop, u->nl_fd);
	u->nl_fd = -1;
	if (fd >= 0 && loop_add_fd(u->loop, fd, POLLIN, on_netlink, u) == 0)
		u->nl_fd = fd;
}

static void on_dying(void *ctx, const struct sock *rec)
{
	struct ui *u = ctx;

	ev_tracker_destroyed(u->app->evt, rec, clock_now_ms());
}

/* Reads the pending destroy messages into the event log. Lost messages
 * (ENOBUFS) are a gap, and a dump now says what is left. */
static void read_destroy(struct ui *u)
{
	if (!u->ds)
		return;
	if (destroy_read(u->ds, 512, on_dying, u) >= 0)
		return;
	if (errno == ENOBUFS) {
		ev_tracker_gap(u->app->evt, clock_now_ms());
		u->dirty = true;
		if (collect_busy(u->col))
			u->pending = true;
		else
			start_refresh(u);
		return;
	}
	loop_del_fd(u->loop, destroy_fd(u->ds));
	destroy_free(u->ds);
	u->ds = NULL;
	ev_tracker_set_destroy(u->app->evt, false);
}

static void on_destroy_fd(struct loop *l, int fd, short revents, void *ctx)
{
	struct ui *u = ctx;

	(void)l;
	(void)fd;
	(void)revents;
	read_destroy(u);
	if (screen_of(u->app->mode) == &screen_events)
		u->dirty = true;
}

static void finish_refresh(struct ui *u, int r, int err)
{
	int64_t now;

	/* deaths that came before the dump ended go first */
	if (r == 0)
		read_destroy(u);
	now = clock_now_ms();

	loop_cancel_timer(u->loop, u->watchdog);
	u->watchdog = 0;
	nl_sync(u);
	if (u->early) {
		/* the snapshot went up before the process phase: only what
		 * depends on processes is redone */
		u->early = false;
		u->app->procs_reading = false;
		u->app->proc_errno = collect_proc_error(u->col);
		app_procs_updated(u->app);
		if (r < 0)
			app_message(u->app, true, now, _("cannot read the processes: %s"),
				    strerror(err));
	} else if (r == 0) {
		/* say in the header when /proc could not be read (issue 18
		 * item 8: out of file descriptors, not a silent empty column) */
		u->app->proc_errno = collect_proc_error(u->col);
		u->app->table.ns = collect_netns(u->col);
		app_commit_snapshot(u->app, collect_procmap(u->col), now);
		pace_set_user(&u->app->pace, u->app->delay_ms);
		pace_refresh(&u->app->pace, clock_now_ms() - u->dump_started);
	} else
		app_message(u->app, true, now, _("cannot read the sockets: %s"), strerror(err));
	u->dirty = true;
	if (u->pending) {
		u->pending = false;
		start_refresh(u);
	} else {
		schedule_tick(u);
	}
}

static void on_netlink(struct loop *l, int fd, short revents, void *ctx)
{
	struct ui *u = ctx;
	int r;

	(void)l;
	(void)fd;
	(void)revents;
	r = collect_step(u->col);
	if (r == 1) {
		/* First paint: the first snapshot is shown as soon as the dump
		 * is over; the first scan of /proc (~0.5 s at 10^5 sockets)
		 * fills the Process column when it ends. Later cycles commit
		 * once, with their owners known (events name them). */
		if (!u->early && !u->app->table.have_snap && collect_dumped(u->col)) {
			read_destroy(u);
			u->early = true;
			u->app->procs_reading = !collect_procs_complete(u->col);
			u->app->table.ns = collect_netns(u->col);
			/* the history's first round waits for the processes */
			u->app->table.hist_defer = true;
			/* and only the first page is sorted before it is shown */
			u->app->table.sort_defer = true;
			app_commit_snapshot(u->app, collect_procmap(u->col), clock_now_ms());
			u->dirty = true;
		}
		nl_sync(u);
		return;
	}
	finish_refresh(u, r, errno);
}

static void on_watchdog(struct loop *l, unsigned id, void *ctx)
{
	struct ui *u = ctx;

	(void)l;
	(void)id;
	u->watchdog = 0;
	pace_timed_out(&u->app->pace); /* the next one gets longer */
	collect_cancel(u->col);
	finish_refresh(u, -1, ETIMEDOUT);
}

/* tcp_info costs the kernel about as much as the rest of a TCP record: ask
 * for it only while a column, the sort order or the details view uses it. */
static bool needs_tcp_info(const struct app *a)
{
	unsigned tcp_cols = cell_cols_needing_tcp_info();

	return (a->table.columns & tcp_cols) || (COL_BIT(a->table.sort_col) & tcp_cols) ||
	       screen_of(a->mode)->wants_tcp_info;
}

static void start_refresh(struct ui *u)
{
	struct snapshot *snap;

	loop_cancel_timer(u->loop, u->tick);
	u->tick = 0;
	if (collect_busy(u->col)) {
		u->pending = true;
		return;
	}
	/* the collector takes new settings between cycles only */
	if (u->scope_dirty) {
		collect_set_scope(u->col, u->app->table.protos, u->app->table.families);
		collect_set_listening(u->col, u->app->table.listening);
		u->scope_dirty = false;
	}
	u->tcp_info_on = needs_tcp_info(u->app);
	collect_set_tcp_info(u->col, u->tcp_info_on);
	/* the Skmem column (-m) asks for SK_MEMINFO of every kind */
	collect_set_meminfo(u->col, ((u->app->table.columns | COL_BIT(u->app->table.sort_col)) &
				     cell_cols_needing_meminfo()) != 0);
	/* N turned every namespace on; the Service column or a "service"
	 * term needs each owner's cgroup */
	if (u->app->all_netns != collect_all_netns(u->col))
		collect_set_all_netns(u->col, u->app->all_netns);
	collect_set_cgroups(u->col, (u->app->table.columns & COL_BIT(COL_SERVICE)) ||
					    filter_uses_service(u->app->table.filter) ||
					    screen_group_wants_services(u->app));
	u->dump_started = clock_now_ms();
	snap = app_spare_snapshot(u->app);
	if (collect_start(u->col, snap) < 0) {
		app_message(u->app, true, u->dump_started, _("cannot read the sockets: %s"),
			    strerror(errno));
		u->dirty = true;
		schedule_tick(u);
		return;
	}
	nl_sync(u);
	u->watchdog = loop_add_timer_in(u->loop, pace_watchdog_ms(&u->app->pace, UI_DUMP_TIMEOUT_MS),
					on_watchdog, u);
}

/* Keeps the filter history for the next run (no history if it cannot). */
static void save_history(const struct ui *u)
{
	char path[4096];

	if (u->app && histfile_path(path, sizeof(path)))
		histfile_save(u->app->hist, path);
}

/* Does what an app handler asked for. */
static void apply(struct ui *u, unsigned fx)
{
	if (fx & APP_REDRAW)
		u->dirty = true;
	if (fx & APP_QUIT) {
		quit(u, 0, NULL);
		return;
	}
	if (fx & APP_RESCOPE)
		u->scope_dirty = true;
	if (fx & APP_FILTER)
		save_history(u);
	/* new settings need data now, even while paused */
	/* details or a tcp_info column just opened: fetch it at once rather
	 * than at the next tick (which may be an hour away with -d 3600) */
	if (!u->tcp_info_on && needs_tcp_info(u->app))
		fx |= APP_REFRESH;
	if (fx & (APP_RESCOPE | APP_FILTER | APP_REFRESH)) {
		start_refresh(u);
		return;
	}
	if ((fx & APP_TIMING) && !collect_busy(u->col))
		schedule_tick(u);
}

static void handle_mouse(struct ui *u, const struct ui_event *ev)
{
	struct app *a = u->app;
	const struct view *v = &u->view;
	int64_t now = clock_now_ms();

	if (ev->mouse == UI_MOUSE_WHEEL_UP || ev->mouse == UI_MOUSE_WHEEL_DOWN) {
		for (int i = 0; i < 3; i++)
			apply(u, app_do(a, ev->mouse == UI_MOUSE_WHEEL_UP ? ACT_UP : ACT_DOWN, now));
		return;
	}
	if (ev->mouse == UI_MOUSE_NONE || !screen_of(a->mode)->with_table || a->prompt != PROMPT_NONE ||
	    v->too_small)
		return;
	for (int k = 0; k < v->npanes; k++) {
		const struct view_pane *vp = &v->panes[k];

		if (ev->x >= vp->x && ev->x < vp->x + vp->w && ev->y >= vp->y &&
		    ev->y < vp->y + vp->h) {
			apply(u, app_focus(a, vp->index));
			return;
		}
	}
	if (ev->y == v->colhead_y) {
		for (int k = 0; k < v->ncols; k++) {
			if (ev->x >= v->cols[k].x && ev->x <= v->cols[k].x + v->cols[k].w) {
				apply(u, app_sort_by(a, v->cols[k].c));
				return;
			}
		}
		return;
	}
	if (ev->y >= v->rows_y && ev->y < v->rows_y + v->rows_h) {
		size_t i = v->first_row + (size_t)(ev->y - v->rows_y);

		apply(u, app_focus(a, PANE_NONE));
		apply(u, app_select_row(a, i));
		if (ev->mouse == UI_MOUSE_DOUBLE && i < a->table.nrows)
			apply(u, app_do(a, ACT_DETAILS, now));
	}
}

static void on_stdin(struct loop *l, int fd, short revents, void *ctx)
{
	struct ui *u = ctx;
	struct ui_event ev;
	int n = 0;

	(void)l;
	/* input meant for the shell while we were put in the background: not
	 * ours to read (nor "end of input"); we wait, stopped, for fg. A job
	 * that cannot be stopped (orphaned: its shell is gone) will never be
	 * brought back, and poll() would report the input forever. */
	if (!ui_term_wait_foreground(u->term)) {
		quit(u, 1, _("lost the terminal: in the background with no shell to bring it back"));
		return;
	}
	/* Reads until UI_MAX_KEYS keys, then only drains the bytes already
	 * read: none may stay behind, poll() would not wake up for them. */
	while (!loop_quitting(u->loop) && ui_term_read(u->term, &ev, n < UI_MAX_KEYS)) {
		n++;
		if (ev.key == KC_MOUSE) {
			handle_mouse(u, &ev);
			continue;
		}
		if (ev.key == KC_NONE)
			continue;
		if (ev.key == KC_CTRL('z')) {
			ui_term_suspend(u->term, true);
			u->dirty = true;
			continue;
		}
		if (ev.key == KC_CTRL('l'))
			ui_term_clear(u->term);
		apply(u, app_key(u->app, ev.key, clock_now_ms()));
	}
	if (n) {
		u->empty_reads = 0;
		return;
	}
	/* Readable with nothing to read is the end of the input: without
	 * this, poll() would report it forever (a busy loop). */
	if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		quit(u, 1, _("the terminal went away (end of input)"));
		return;
	}
	{
		int avail = 0;

		if (ioctl(fd, FIONREAD, &avail) == 0 && avail == 0 && ++u->empty_reads >= 3)
			quit(u, 1, _("end of input: the terminal was closed"));
	}
}

static void on_signal(struct loop *l, int signo, void *ctx)
{
	struct ui *u = ctx;

	(void)l;
	switch (signo) {
	case SIGWINCH:
		ui_term_resize(u->term);
		u->dirty = true;
		break;
	case SIGINT:
	case SIGTERM:
	case SIGHUP:
		quit(u, 0, NULL);
		break;
	case SIGTSTP:
		/* kill -TSTP, or Ctrl-Z while the terminal was in cooked mode */
		ui_term_suspend(u->term, false);
		u->dirty = true;
		break;
	case SIGCONT:
		ui_term_continued(u->term);
		u->dirty = true;
		break;
	case SIGCHLD: {
		/* never leave zombies; fsprobe's helper must know it is gone */
		pid_t pid;

		while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
			fsprobe_reaped(u->fsp, pid);
		break;
	}
	default:
		break;
	}
}

/* Brings the next refresh forward to a short while from now (unless
 * paused): a burst of endpoint events costs one dump, not one each. */
static void refresh_soon(struct ui *u)
{
	int64_t now = clock_now_ms(), due = now + UI_SOON_MS;

	if (u->app->paused || collect_busy(u->col))
		return;
	if (due < u->dump_started + UI_MIN_GAP_MS)
		due = u->dump_started + UI_MIN_GAP_MS;
	if (u->tick && due >= u->tick_due)
		return;
	loop_cancel_timer(u->loop, u->tick);
	u->tick = loop_add_timer(u->loop, due, on_tick, u);
	u->tick_due = due;
}

static void on_wake(struct loop *l, unsigned id, void *ctx)
{
	struct ui *u = ctx;

	(void)l;
	(void)id;
	u->wake = 0;
	u->dirty = true;
}

static void fsp_sync(struct ui *u);

/* fsprobe's helper answered (the details' socket file). */
static void on_fsprobe(struct loop *l, int fd, short revents, void *ctx)
{
	struct ui *u = ctx;
	struct fsprobe_result r;

	(void)l;
	(void)fd;
	(void)revents;
	while (fsprobe_read(u->fsp, &r, clock_now_ms()) == 1)
		if (app_sockfile_result(u->app, &r))
			u->dirty = true;
	fsp_sync(u);
}

/* fsprobe's helper did not answer in time: "not available", and on. */
static void on_fsprobe_timer(struct loop *l, unsigned id, void *ctx)
{
	struct ui *u = ctx;
	struct fsprobe_result r;

	(void)l;
	(void)id;
	u->fsp_timer = 0;
	if (fsprobe_expire(u->fsp, clock_now_ms(), &r) && app_sockfile_result(u->app, &r))
		u->dirty = true;
	fsp_sync(u);
}

/* Watches fsprobe's fd (a new helper, or none) and arms its deadline. */
static void fsp_sync(struct ui *u)
{
	int fd = fsprobe_fd(u->fsp);
	int64_t due = fsprobe_deadline(u->fsp);

	if (fd != u->fsp_fd) {
		if (u->fsp_fd >= 0)
			loop_del_fd(u->loop, u->fsp_fd);
		u->fsp_fd = -1;
		if (fd >= 0 && loop_add_fd(u->loop, fd, POLLIN, on_fsprobe, u) == 0)
			u->fsp_fd = fd;
	}
	if (due == u->fsp_due && (due < 0 || u->fsp_timer))
		return;
	loop_cancel_timer(u->loop, u->fsp_timer);
	u->fsp_timer = due >= 0 ? loop_add_timer(u->loop, due, on_fsprobe_timer, u) : 0;
	u->fsp_due = due;
}

/* Once per loop pass: one redraw, only if something changed. */
static void on_pass(struct loop *l, void *ctx)
{
	struct ui *u = ctx;
	int64_t now, next;
	int w, h;

	if (loop_quitting(l))
		return;
	/* a key or a refresh may have asked fsprobe something */
	fsp_sync(u);
	if (epman_take_dirty(u->em))
		u->ep_dirty = true;
	/* sockets of our endpoints came or went: mark them, and show the
	 * table's view of them soon rather than at the next tick */
	if (app_sync_endpoints(u->app)) {
		u->dirty = true;
		refresh_soon(u);
	}
	epman_sync(u->em);
	now = clock_now_ms();
	if (!u->dirty && u->ep_dirty && now - u->last_draw < UI_EP_FRAME_MS) {
		/* a busy peer: its pane is redrawn at a bounded rate, not
		 * once per packet */
		if (!u->wake)
			u->wake = loop_add_timer(l, u->last_draw + UI_EP_FRAME_MS, on_wake, u);
		return;
	}
	if (!u->dirty && !u->ep_dirty)
		return;
	ui_term_size(u->term, &w, &h);
	app_draw(u->app, &u->view, w, h, now);
	ui_term_draw(u->term, &u->view);
	u->dirty = false;
	u->ep_dirty = false;
	u->last_draw = now;
	loop_cancel_timer(l, u->wake);
	u->wake = 0;
	/* the first paint is on the screen: sort the rows below it (what
	 * was shown stays; a key pressed meanwhile is read after this) */
	if (app_finish_sort(u->app)) {
		u->wake = loop_add_timer(l, now, on_wake, u);
		return;
	}
	next = app_next_change(u->app, now);
	if (next > now)
		u->wake = loop_add_timer(l, next, on_wake, u);
}

/* The app's holder probe: one small blocking dump of the sockets on the
 * port (the kernel filters them), or of the Unix sockets. Runs only when
 * the user's new endpoint met EADDRINUSE or EEXIST. */
static int holder_probe(void *ctx, enum ep_transport t, const struct epaddr *want,
			struct snapshot *snap)
{
	struct ui *u = ctx;
	unsigned proto = t == EP_TCP ? SP_TCP : t == EP_UDP ? SP_UDP : SP_UNIX;
	unsigned fam = want->family == AF_INET6 ? SF_INET6 : SF_INET;
	uint32_t states = 0;
	void *bc = NULL;
	size_t len = 0;
	int r;

	if (!u->probe && !(u->probe = diag_open()))
		return -1;
	if (proto != SP_UNIX) {
		char text[32];
		struct filter *f;

		snprintf(text, sizeof(text), "sport = %u", (unsigned)epaddr_port(want));
		f = filter_parse(text, NULL);
		if (f)
			filter_kernel_for(f, SP_MASK(proto), want->family, &states, &bc, &len, NULL);
		filter_free(f);
	}
	diag_set_inet_filter(u->probe, states, bc, len);
	free(bc);
	r = diag_dump(u->probe, SP_MASK(proto), fam, snap);
	/* the next probe may be of another kind */
	diag_set_inet_filter(u->probe, 0, NULL, 0);
	return r;
}

static void ui_cleanup(struct ui *u)
{
	if (u->col && collect_busy(u->col))
		collect_cancel(u->col);
	collect_free(u->col);
	/* closes every endpoint: removes the Unix socket files we made */
	epman_free(u->em);
	u->em = NULL;
	diag_free(u->probe);
	/* kills a helper stuck on a dead mount; never waits for it */
	fsprobe_free(u->fsp);
	u->fsp = NULL;
	destroy_free(u->ds);
	u->ds = NULL;
	app_free(u->app);
	view_free(&u->view);
	loop_free(u->loop);
}

/* F9's act: SOCK_DESTROY in this process's namespace (the table's). */
static int live_destroy(void *ctx, const struct sock *s)
{
	(void)ctx;
	return diag_destroy(s);
}

int ui_run(const struct options *o)
{
	/* SIGTSTP and SIGCONT come through the loop too, so that suspending
	 * and resuming happen between two draws, never inside one; SIGTTIN and
	 * SIGTTOU keep their default action: a background job that touches
	 * the terminal stops (ui_term_draw checks first). */
	static const int sigs[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGTSTP,
				    SIGCONT };
	struct ui u;
	struct collect_config cfg;
	char err[512], warn[512];
	int status;

	memset(&u, 0, sizeof(u));
	u.o = o;
	u.nl_fd = -1;
	view_init(&u.view);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "sockview: %s\n",
			_("the live view needs a terminal on standard input and output "
			  "(use --once for a one-shot listing)"));
		return 1;
	}
	options_collect_config(o, &cfg);
	u.col = collect_new(&cfg, err, sizeof(err));
	if (!u.col) {
		fprintf(stderr, "sockview: %s\n", err);
		view_free(&u.view);
		return 1;
	}
	u.app = app_new(o, esc_charset_from_locale());
	u.fsp = fsprobe_new();
	u.fsp_fd = -1;
	u.fsp_due = -1;
	u.app->fsprobe = u.fsp;
	{
		char path[4096];

		if (histfile_path(path, sizeof(path)))
			histfile_load(u.app->hist, path);
	}
	if (o->filter && app_set_filter(u.app, o->filter, err, sizeof(err)) < 0) {
		fprintf(stderr, "sockview: %s\n", err);
		ui_cleanup(&u);
		return 2;
	}
	settings_session_open(&u.settings, u.app, o, warn, sizeof(warn));
	collect_set_scope(u.col, u.app->table.protos, u.app->table.families);
	collect_set_listening(u.col, u.app->table.listening);
	/* The live view asks the kernel for every socket in scope and
	 * filters them itself (the table does, as it already must): the
	 * header then counts the machine's sockets, not only those that
	 * match. Batch mode gives the collector the filter, to dump less. */

	u.loop = loop_new();
	if (loop_add_signals(u.loop, sigs, sizeof(sigs) / sizeof(sigs[0]), on_signal, &u) < 0) {
		fprintf(stderr, "sockview: %s: %s\n", _("cannot set up signal handling"),
			strerror(errno));
		ui_cleanup(&u);
		return 1;
	}
	u.em = epman_new(u.loop);
	app_set_epman(u.app, u.em);
	app_set_probe(u.app, holder_probe, &u);
	u.app->panes.netns_scan = true; /* the form offers the namespaces */
	app_set_destroyer(u.app, live_destroy, NULL);
	if (o->tour)
		app_tour_start(u.app);
	xalloc_set_fatal(ui_fatal);
	u.term = ui_term_open(u.settings.color, err, sizeof(err));
	if (!u.term) {
		xalloc_set_fatal(NULL);
		fprintf(stderr, "sockview: %s\n", err);
		ui_cleanup(&u);
		return 1;
	}
	if (loop_add_fd(u.loop, STDIN_FILENO, POLLIN, on_stdin, &u) < 0) {
		ui_term_close(u.term);
		xalloc_set_fatal(NULL);
		fprintf(stderr, "sockview: %s\n", strerror(errno));
		ui_cleanup(&u);
		return 1;
	}
	/* deaths as they happen (TCP, UDP); without them, from the dumps */
	u.ds = destroy_open(SP_MASK(SP_TCP) | SP_MASK(SP_UDP), SF_ALL, err, sizeof(err));
	if (u.ds && loop_add_fd(u.loop, destroy_fd(u.ds), POLLIN, on_destroy_fd, &u) < 0) {
		destroy_free(u.ds);
		u.ds = NULL;
	}
	ev_tracker_set_destroy(u.app->evt, u.ds != NULL);
	loop_set_pass_hook(u.loop, on_pass, &u);
	u.dirty = true;
	if (warn[0])
		app_message(u.app, true, clock_now_ms(), "%s", warn);
	start_refresh(&u);
	/* the first screen ("reading sockets...") before any event */
	on_pass(u.loop, &u);

	status = loop_run(u.loop);
	if (status < 0) {
		snprintf(u.why, sizeof(u.why), "poll: %s", strerror(errno));
		status = 1;
	}
	ui_term_close(u.term);
	xalloc_set_fatal(NULL);
	save_history(&u);
	if (settings_session_close(&u.settings, u.app) < 0)
		fprintf(stderr, "sockview: %s %s: %s\n", _("settings not saved to"),
			u.settings.path, strerror(errno));
	ui_cleanup(&u);
	if (u.why[0])
		fprintf(stderr, "sockview: %s\n", u.why);
	return status;
}
