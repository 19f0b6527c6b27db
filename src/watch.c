/* watch.c - sockview --watch: the loop, the collector, the destroy
 * messages and the event tracker, wired to standard output. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "collect.h"
#include "dgroup.h"
#include "escape.h"
#include "events.h"
#include "evout.h"
#include "i18n.h"
#include "loop.h"
#include "watch.h"

/* Least time between the end of one dump and the start of the next. */
#define WATCH_MIN_GAP_MS 50
/* Destroy datagrams read per pass, so a flood cannot starve the rest. */
#define WATCH_DESTROY_BATCH 512

struct watch {
	const struct options *o;
	const struct filter *f;
	struct sock_scope scope;
	struct loop *loop;
	struct collect *col;
	struct destroy *ds;
	struct ev_tracker *tr;
	struct snapshot snaps[2];
	int cur;           /* snaps[cur]: the last finished dump */
	int nl_fd;
	unsigned tick;
	int64_t dump_started;
	bool redump;       /* dump again as soon as this one ends (a gap) */
	int64_t wall_off;  /* real clock minus clock_now_ms(), in ms */
	enum esc_charset cs;
	struct buf out;
	int werr;          /* the write error that ends the run, 0: none */
	bool warned_destroy;
};

static void start_dump(struct watch *w);

static void on_tick(struct loop *l, unsigned id, void *ctx)
{
	struct watch *w = ctx;

	(void)l;
	(void)id;
	w->tick = 0;
	start_dump(w);
}

static void schedule(struct watch *w)
{
	int64_t now = clock_now_ms(), due = w->dump_started + w->o->delay_ms;

	if (due < now + WATCH_MIN_GAP_MS)
		due = now + WATCH_MIN_GAP_MS;
	loop_cancel_timer(w->loop, w->tick);
	w->tick = loop_add_timer(w->loop, due, on_tick, w);
}

/* One event: printed if the toggles and the filter select it. */
static void on_event(void *ctx, const struct ev_event *e)
{
	struct watch *w = ctx;
	const struct procmap *pm = collect_procmap(w->col);
	int64_t wall = e->t_ms + w->wall_off;

	if (w->werr)
		return;
	if (e->kind != EV_GAP) {
		if (!sock_in_scope(&w->scope, &e->sock))
			return;
		if (w->f && !filter_matches(w->f, &e->sock, pm))
			return;
	}
	buf_reset(&w->out);
	if (w->o->format == FMT_TABLE)
		evout_line(&w->out, e, wall, w->cs);
	else
		evout_json(&w->out, e, wall, pm);
	buf_putc(&w->out, '\n');
	errno = 0;
	if (fwrite(w->out.data, 1, w->out.len, stdout) != w->out.len || fflush(stdout) == EOF) {
		w->werr = errno ? errno : EIO;
		loop_quit(w->loop, 1);
	}
}

static void on_dying(void *ctx, const struct sock *rec)
{
	struct watch *w = ctx;

	ev_tracker_destroyed(w->tr, rec, clock_now_ms());
}

/* Reads the destroy messages that are pending. */
static void read_destroy(struct watch *w)
{
	if (!w->ds)
		return;
	if (destroy_read(w->ds, WATCH_DESTROY_BATCH, on_dying, w) >= 0)
		return;
	if (errno == ENOBUFS) {
		/* lost messages: say so, and look again now */
		ev_tracker_gap(w->tr, clock_now_ms());
		if (collect_busy(w->col))
			w->redump = true;
		else
			start_dump(w);
		return;
	}
	fprintf(stderr, _("sockview: destroy messages: %s; deaths now come from the dumps only\n"),
		strerror(errno));
	loop_del_fd(w->loop, destroy_fd(w->ds));
	destroy_free(w->ds);
	w->ds = NULL;
	ev_tracker_set_destroy(w->tr, false);
}

static void on_destroy_fd(struct loop *l, int fd, short revents, void *ctx)
{
	(void)l;
	(void)fd;
	(void)revents;
	read_destroy(ctx);
}

static void on_netlink(struct loop *l, int fd, short revents, void *ctx);

static void nl_sync(struct watch *w)
{
	int fd = collect_busy(w->col) ? collect_fd(w->col) : -1;

	if (fd == w->nl_fd)
		return;
	if (w->nl_fd >= 0)
		loop_del_fd(w->loop, w->nl_fd);
	w->nl_fd = -1;
	if (fd >= 0 && loop_add_fd(w->loop, fd, POLLIN, on_netlink, w) == 0)
		w->nl_fd = fd;
}

static void finish_dump(struct watch *w, int r, int err)
{
	int64_t now;

	nl_sync(w);
	if (r < 0) {
		fprintf(stderr, _("sockview: cannot read the sockets: %s\n"), strerror(err));
	} else {
		/* deaths that came before the dump ended go first */
		read_destroy(w);
		now = clock_now_ms();
		w->cur = 1 - w->cur;
		ev_tracker_dump(w->tr, &w->snaps[w->cur], &w->scope, collect_procmap(w->col),
				w->dump_started, now);
	}
	if (w->redump) {
		w->redump = false;
		start_dump(w);
	} else {
		schedule(w);
	}
}

static void on_netlink(struct loop *l, int fd, short revents, void *ctx)
{
	struct watch *w = ctx;
	int r;

	(void)l;
	(void)fd;
	(void)revents;
	r = collect_step(w->col);
	if (r == 1) {
		nl_sync(w);
		return;
	}
	finish_dump(w, r, errno);
}

static void start_dump(struct watch *w)
{
	loop_cancel_timer(w->loop, w->tick);
	w->tick = 0;
	if (collect_busy(w->col)) {
		w->redump = true;
		return;
	}
	w->dump_started = clock_now_ms();
	/* the spare snapshot; the tracker keeps a pointer to the other */
	if (collect_start(w->col, &w->snaps[1 - w->cur]) < 0) {
		fprintf(stderr, _("sockview: cannot read the sockets: %s\n"), strerror(errno));
		schedule(w);
		return;
	}
	nl_sync(w);
}

static void on_signal(struct loop *l, int signo, void *ctx)
{
	(void)ctx;
	if (signo == SIGCHLD) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		return;
	}
	loop_quit(l, 0);
}

static int64_t wall_offset(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - clock_now_ms();
}

int watch_run(const struct options *o, const struct filter *f)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
	struct watch w;
	struct collect_config cfg;
	char err[512];
	int status;

	memset(&w, 0, sizeof(w));
	w.o = o;
	w.f = f;
	w.scope.protos = o->protos;
	w.scope.families = o->families;
	w.scope.listening = o->listening;
	w.nl_fd = -1;
	w.cs = esc_charset_from_locale();
	buf_init(&w.out, 0);
	snapshot_init(&w.snaps[0]);
	snapshot_init(&w.snaps[1]);
	options_collect_config(o, &cfg);
	cfg.live = true;
	/* The filter is applied to events, never given to the kernel: a
	 * socket that stops matching a prefilter would look dead. */
	w.col = collect_new(&cfg, err, sizeof(err));
	if (!w.col) {
		fprintf(stderr, "sockview: %s\n", err);
		buf_free(&w.out);
		return EXIT_FAILURE;
	}
	w.loop = loop_new();
	if (loop_add_signals(w.loop, sigs, sizeof(sigs) / sizeof(sigs[0]), on_signal, &w) < 0) {
		fprintf(stderr, "sockview: %s: %s\n", _("cannot set up signal handling"),
			strerror(errno));
		status = EXIT_FAILURE;
		goto out;
	}
	w.tr = ev_tracker_new(NULL, on_event, &w);
	if (o->protos & (SP_MASK(SP_TCP) | SP_MASK(SP_UDP))) {
		const char *rcvbuf = getenv("SOCKVIEW_TEST_DESTROY_RCVBUF");

		w.ds = destroy_open(o->protos, o->families, err, sizeof(err));
		if (!w.ds)
			fprintf(stderr, _("sockview: %s; deaths come from the dumps only\n"), err);
		else if (rcvbuf)
			/* tests: a tiny buffer, to overflow it (ENOBUFS) */
			(void)destroy_set_rcvbuf(w.ds, (int)strtol(rcvbuf, NULL, 10));
		if (w.ds && loop_add_fd(w.loop, destroy_fd(w.ds), POLLIN, on_destroy_fd, &w) < 0) {
			destroy_free(w.ds);
			w.ds = NULL;
		}
	}
	ev_tracker_set_destroy(w.tr, w.ds != NULL);
	w.wall_off = wall_offset();
	start_dump(&w);
	status = loop_run(w.loop);
	if (status < 0) {
		fprintf(stderr, "sockview: poll: %s\n", strerror(errno));
		status = EXIT_FAILURE;
	}
	if (w.werr) {
		fprintf(stderr, _("sockview: write error: %s\n"), strerror(w.werr));
		status = EXIT_FAILURE;
	}
out:
	if (collect_busy(w.col))
		collect_cancel(w.col);
	ev_tracker_free(w.tr);
	destroy_free(w.ds);
	collect_free(w.col);
	loop_free(w.loop);
	snapshot_free(&w.snaps[0]);
	snapshot_free(&w.snaps[1]);
	buf_free(&w.out);
	return status;
}
