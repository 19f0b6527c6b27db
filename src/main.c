/* main.c - sockview: locale, options, batch mode or the terminal UI. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "buf.h"
#include "collect.h"
#include "destroy.h"
#include "diag.h"
#include "escape.h"
#include "filter.h"
#include "i18n.h"
#include "netns.h"
#include "nstab.h"
#include "options.h"
#include "output.h"
#include "snapshot.h"
#include "summary.h"
#include "sock.h"
#include "live.h"
#include "watch.h"
#include "xalloc.h"

#define EXIT_USAGE 2

/* Prints "sockview: MSG" on stderr. Option and namespace messages quote
 * what was typed, bytes and all (ESC, OSC...), so they are escaped here;
 * the filter's messages come with their token already escaped. */
static void print_error(const char *msg, bool escaped)
{
	struct buf b = BUF_INIT;

	if (!escaped) {
		esc_display(&b, msg, strlen(msg), esc_charset_from_locale());
		msg = b.data ? b.data : "";
	}
	fprintf(stderr, "sockview: %s\n", msg);
	buf_free(&b);
}

static void die_usage(const char *msg, bool escaped)
{
	print_error(msg, escaped);
	fprintf(stderr, _("Try 'sockview --help' for more information.\n"));
	exit(EXIT_USAGE);
}

/* Whether s belongs in the batch output (the kernel may send a superset). */
static bool keep(const struct sock_scope *sc, const struct filter *f,
		 const struct procmap *pm, const struct sock *s)
{
	return sock_in_scope(sc, s) && (!f || filter_matches(f, s, pm));
}

/* Says on stderr which requested protocols could not be listed. */
static void report_status(const struct options *o, const struct snapshot *snap)
{
	for (unsigned p = 0; p < SP_NPROTO; p++) {
		if (!(o->protos & SP_MASK(p)))
			continue;
		if (snap->status[p] == SNAP_UNAVAILABLE) {
			/* never silently out of the list, asked for by name or
			 * by default */
			fprintf(stderr, _("sockview: %s sockets cannot be seen: not supported by this kernel (it has no sock_diag handler for them)\n"),
				sock_proto_name(p));
		} else if (snap->status[p] == SNAP_FAILED) {
			fprintf(stderr, _("sockview: %s sockets: %s\n"), sock_proto_name(p),
				strerror(snap->error[p]));
		}
	}
	if (snap->inconsistent)
		fprintf(stderr, _("sockview: the socket list changed during the dump; this snapshot may be inconsistent\n"));
}

/* Occupies closed standard descriptors with /dev/null, so that no socket
 * opened later becomes "standard output"; returns a bit per closed one. */
static unsigned guard_std_fds(void)
{
	unsigned closed = 0;

	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			closed |= 1u << fd;
			if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
				exit(EXIT_FAILURE);
		}
	}
	return closed;
}

/* Sleeps ms milliseconds (a signal does not cut it short). */
static int sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* -K: destroys each row (ss -K); prints those destroyed in the chosen
 * format and every one that was not on stderr. Returns the exit status:
 * 1 if any selected socket was not destroyed (TIME-WAIT ones, closed
 * already, are only noted). */
static int run_kill(const struct output_ctx *ctx, const struct sock **rows, size_t n)
{
	const struct sock **done = xcalloc(n ? n : 1, sizeof(*done));
	struct buf b = BUF_INIT;
	size_t nd = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		const struct sock *s = rows[i];
		const char *why = destroy_refusal(s);

		if (!why && diag_destroy(s) < 0)
			why = destroy_strerror(errno);
		if (!why) {
			done[nd++] = s;
			continue;
		}
		buf_reset(&b);
		destroy_describe(&b, s, ctx->pm, ctx->cs);
		fprintf(stderr, _("sockview: not destroyed: %s: %s\n"), b.data ? b.data : "", why);
		if (!(s->proto == SP_TCP && s->state == SS_TIME_WAIT))
			rc = EXIT_FAILURE;
	}
	buf_free(&b);
	if (output_write(stdout, ctx, done, nd) < 0) {
		if (errno != EPIPE)
			fprintf(stderr, _("sockview: write error: %s\n"), strerror(errno));
		rc = EXIT_FAILURE;
	}
	free(done);
	return rc;
}

/* -s: the totals of the rows (summary.h). */
static int run_summary(const struct output_ctx *ctx, const struct sock **rows, size_t n,
		       const struct snapshot *snap)
{
	struct summary sm;
	struct buf b = BUF_INIT;
	int rc = 0;

	summary_count(&sm, rows, n, snap);
	summary_format(&b, &sm, ctx->format);
	if (output_flush(stdout, &b) < 0) {
		if (errno != EPIPE)
			fprintf(stderr, _("sockview: write error: %s\n"), strerror(errno));
		rc = EXIT_FAILURE;
	}
	buf_free(&b);
	return rc;
}

static int run_once(const struct options *o, const struct filter *f)
{
	struct snapshot snap, first;
	struct output_extra *extra;
	struct collect_config cfg;
	struct collect *c;
	char err[512];
	const struct sock **rows;
	struct output_ctx ctx;
	const struct sock_scope scope = { o->protos, o->families, o->listening };
	size_t n = 0;
	int rc = 0;

	options_collect_config(o, &cfg);
	c = collect_new(&cfg, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "sockview: %s\n", err);
		return EXIT_FAILURE;
	}
	if (f)
		collect_set_filter(c, f);
	if (f && filter_uses_service(f))
		collect_set_cgroups(c, true);
	snapshot_init(&snap);
	snapshot_init(&first);
	/* --rate: a first dump, the interval, then the one printed */
	if (o->rate_ms && (collect_once(c, &first) < 0 || sleep_ms(o->rate_ms) < 0)) {
		fprintf(stderr, _("sockview: cannot list sockets: %s\n"), strerror(errno));
		snapshot_free(&first);
		snapshot_free(&snap);
		collect_free(c);
		return EXIT_FAILURE;
	}
	if (collect_once(c, &snap) < 0) {
		fprintf(stderr, _("sockview: cannot list sockets: %s\n"), strerror(errno));
		snapshot_free(&first);
		snapshot_free(&snap);
		collect_free(c);
		return EXIT_FAILURE;
	}
	rows = xcalloc(snap.n ? snap.n : 1, sizeof(*rows));
	memset(&ctx, 0, sizeof(ctx));
	ctx.format = o->format;
	ctx.cs = esc_charset_from_locale();
	ctx.pm = collect_procmap(c);
	ctx.xcols = o->extra;
	ctx.no_header = o->no_header;
	ctx.ns = collect_netns(c);
	if (ctx.ns && ctx.ns->denied)
		fprintf(stderr,
			P_("sockview: %zu network namespace not shown: entering it needs CAP_SYS_ADMIN\n",
			   "sockview: %zu network namespaces not shown: entering them needs CAP_SYS_ADMIN\n",
			   ctx.ns->denied),
			ctx.ns->denied);
	for (size_t i = 0; i < snap.n; i++)
		if (keep(&scope, f, ctx.pm, &snap.socks[i]))
			rows[n++] = &snap.socks[i];
	extra = xcalloc(n ? n : 1, sizeof(*extra));
	batch_extras(&snap, o->rate_ms ? &first : NULL, &scope, rows, n, extra);
	ctx.extra = extra;
	ctx.rates = o->rate_ms > 0;
	if (o->kill || o->summary) {
		rc = o->kill ? run_kill(&ctx, rows, n) : run_summary(&ctx, rows, n, &snap);
	} else if (o->group_given) {
		struct buf b = BUF_INIT;

		batch_format_groups(&b, &ctx, (enum group_by)o->group_by, rows, n);
		if (output_flush(stdout, &b) < 0) {
			if (errno != EPIPE)
				fprintf(stderr, _("sockview: write error: %s\n"), strerror(errno));
			rc = EXIT_FAILURE;
		}
		buf_free(&b);
	} else if (output_write(stdout, &ctx, rows, n) < 0) {
		if (errno != EPIPE)
			fprintf(stderr, _("sockview: write error: %s\n"), strerror(errno));
		rc = EXIT_FAILURE;
	}
	report_status(o, &snap);
	if (collect_proc_error(c))
		fprintf(stderr, _("sockview: processes: some sockets were not mapped to their processes: %s\n"),
			strerror(collect_proc_error(c)));
	if (o->record_dir && collect_record_error(c))
		fprintf(stderr, _("sockview: --record-dump: some dumps were not recorded: %s\n"),
			strerror(collect_record_error(c)));
	free(rows);
	free(extra);
	snapshot_free(&first);
	snapshot_free(&snap);
	collect_free(c);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	struct filter *f = NULL;
	char err[512];
	unsigned closed_fds;
	int rc;

	closed_fds = guard_std_fds();
	setlocale(LC_ALL, "");
	/* Numbers keep the C form in every language: -d 0.5 parses, and JSON,
	 * CSV and the help text agree ("0.1..3600"). */
	setlocale(LC_NUMERIC, "C");
#ifdef ENABLE_NLS
	{
		/* SOCKVIEW_LOCALEDIR replaces the configured catalog directory:
		 * for relocated installs, and to test a build not installed. */
		const char *ld = getenv("SOCKVIEW_LOCALEDIR");

		bindtextdomain(PACKAGE, ld && *ld ? ld : LOCALEDIR);
	}
	textdomain(PACKAGE);
#endif
	/* Peers that reset must never kill us: writes report EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);

	switch (options_parse(&o, argc, argv, err, sizeof(err))) {
	case OPT_HELP:
		fputs(options_help(), stdout);
		fputs(options_help_traffic(), stdout);
		fputs(options_help_ss(), stdout);
		fputs(options_help_learning(), stdout);
		fputs(options_help_end(), stdout);
		return fflush(stdout) == EOF ? EXIT_FAILURE : EXIT_SUCCESS;
	case OPT_VERSION:
		printf("sockview %s\n", PACKAGE_VERSION);
		return fflush(stdout) == EOF ? EXIT_FAILURE : EXIT_SUCCESS;
	case OPT_USAGE:
		die_usage(err, false);
		break;
	case OPT_RUN:
		break;
	}

	if (o.once && (closed_fds & 2u)) {
		fprintf(stderr, _("sockview: standard output is closed: nowhere to print the snapshot\n"));
		return EXIT_FAILURE;
	}
	if (o.filter) {
		struct filter_error ferr;

		f = filter_parse(o.filter, &ferr);
		if (!f)
			die_usage(ferr.msg, true);
	}
	/* A filter only netlink sockets can match (-f netlink) shows them
	 * without --netlink, which the default set leaves out. */
	if (f && o.protos == SP_MASK_DEFAULT && filter_protos(f) &&
	    !(filter_protos(f) & SP_MASK_DEFAULT))
		o.protos |= filter_protos(f);
	if (o.netns && netns_enter(o.netns, err, sizeof(err)) < 0) {
		int code = errno == ENOENT ? EXIT_USAGE : EXIT_FAILURE;

		print_error(err, false);
		filter_free(f);
		options_free(&o);
		return code;
	}
	if (o.watch && (closed_fds & 2u)) {
		fprintf(stderr, _("sockview: standard output is closed: nowhere to print the events\n"));
		filter_free(f);
		return EXIT_FAILURE;
	}
	rc = o.once ? run_once(&o, f) : o.watch ? watch_run(&o, f) : ui_run(&o);
	filter_free(f);
	options_free(&o);
	return rc;
}
