/* options.c - command-line parsing (SPEC §3). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "collect.h"
#include "filter.h"
#include "group.h"
#include "lineedit.h"
#include "options.h"
#include "options_ss.h"

/* -f is shown and edited in the filter prompt: one limit for both, and the
 * filter language takes it all. */
_Static_assert(LINEEDIT_TEXT_MAX <= FILTER_MAX_LEN, "a filter that fits a field must compile");
#include "sock.h"
#include "utf8.h"

#define DELAY_MIN_MS 100
#define DELAY_MAX_MS 3600000

enum {
	OPT_FORMAT = 256,
	OPT_NO_PROCESSES,
	OPT_NO_COLOR,
	OPT_RECORD,
	OPT_NO_CONFIG,
	OPT_NETLINK,
	OPT_GROUP,
	OPT_RATE,
	OPT_WATCH,
	OPT_ALL_NETNS,
	OPT_TOUR,
};

static const struct option long_opts[] = {
	{ "tcp", no_argument, NULL, 't' },
	{ "udp", no_argument, NULL, 'u' },
	{ "unix", no_argument, NULL, 'x' },
	{ "raw", no_argument, NULL, 'w' },
	{ "packet", no_argument, NULL, '0' },
	{ "netlink", no_argument, NULL, OPT_NETLINK },
	{ "mptcp", no_argument, NULL, 'M' },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "listening", no_argument, NULL, 'l' },
	{ "filter", required_argument, NULL, 'f' },
	{ "delay", required_argument, NULL, 'd' },
	{ "netns", required_argument, NULL, 'N' },
	{ "once", no_argument, NULL, '1' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "no-processes", no_argument, NULL, OPT_NO_PROCESSES },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "no-colour", no_argument, NULL, OPT_NO_COLOR },
	{ "record-dump", required_argument, NULL, OPT_RECORD },
	{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "rate", required_argument, NULL, OPT_RATE },
	/* ss habits (issue 13) */
	{ "all", no_argument, NULL, 'a' },
	{ "numeric", no_argument, NULL, 'n' },
	{ "processes", no_argument, NULL, 'p' },
	{ "extended", no_argument, NULL, 'e' },
	{ "info", no_argument, NULL, 'i' },
	{ "memory", no_argument, NULL, 'm' },
	{ "options", no_argument, NULL, 'o' },
	{ "summary", no_argument, NULL, 's' },
	{ "no-header", no_argument, NULL, 'H' },
	{ "filter-file", required_argument, NULL, 'F' },
	{ "kill", no_argument, NULL, 'K' },
	{ "watch", no_argument, NULL, OPT_WATCH },
	{ "interval", required_argument, NULL, 'd' },
	{ "all-netns", no_argument, NULL, OPT_ALL_NETNS },
	{ "tour", no_argument, NULL, OPT_TOUR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The events' options, a paragraph of their own: the main text keeps its
 * translations. */
static const char *help_events(void)
{
	return _("\n"
		 "Events (sockets over time):\n"
		 "      --watch          print socket events (births, deaths, changes)\n"
		 "                       as they happen, until interrupted, no terminal UI\n"
		 "      --format=FMT     with --watch: ndjson (default), table\n"
		 "      --interval=SECS  the same as -d (with --watch: the dump period)\n");
}

/* The kinds of issue 13, a paragraph of their own (the first one keeps
 * its translations). */
static const char *help_kinds(void)
{
	return _("\n"
		 "More socket kinds (as ss names them):\n"
		 "  -0, --packet         packet (AF_PACKET) sockets\n"
		 "      --netlink        netlink sockets\n"
		 "  -M, --mptcp          MPTCP sockets\n"
		 "Without a kind option (-t -u -x -w -0 --netlink -M) every kind but netlink\n"
		 "is shown; -4/-6 keep Unix, packet and netlink sockets unless only inet\n"
		 "kinds were chosen. Raw sockets come from /proc/net/raw when the kernel has\n"
		 "no raw_diag, as with ss. A kind that cannot be seen is reported.\n");
}

static const char *help_settings(void)
{
	return _("\n"
		 "Settings (the live view's columns, sort, refresh and toggles):\n"
		 "      --no-config      neither read nor save ~/.config/sockview/sockviewrc\n"
		 "                       (see FILES in sockview(1))\n");
}

static const char *help_main(void)
{
	return _("Usage: sockview [OPTION]...\n"
		 "Show the machine's sockets live, and open test endpoints to play with them.\n"
		 "\n"
		 "  -t, --tcp            TCP sockets\n"
		 "  -u, --udp            UDP sockets\n"
		 "  -x, --unix           Unix domain sockets\n"
		 "  -w, --raw            raw sockets\n"
		 "                       (no protocol option: all protocols)\n"
		 "  -4, --ipv4           only IPv4 (Unix sockets stay unless -t/-u/-w alone)\n"
		 "  -6, --ipv6           only IPv6\n"
		 "  -l, --listening      only listening (and unconnected bound) sockets\n"
		 "  -f, --filter=EXPR    start with this filter expression\n"
		 "  -d, --delay=SECS     refresh interval, 0.1..3600 (default 1); it grows\n"
		 "                       by itself while a refresh costs over a fifth of it\n"
		 "  -N, --netns=NAME     look inside network namespace NAME (/run/netns/NAME)\n"
		 "  -1, --once           print one snapshot to standard output and exit\n"
		 "      --format=FMT     with --once: table (default), json, csv\n"
		 "      --no-processes   do not map sockets to processes\n"
		 "      --no-color       monochrome (also when NO_COLOR is set)\n"
		 "  -h, --help           show this help and exit\n"
		 "  -V, --version        show the version and exit\n");
}

/* The main help with the lines of --all-netns after the -N line: a message
 * of its own, so that the translations of the rest stay valid. */
static const char *help_base(void)
{
	static char text[4096];
	const char *base = help_main();
	const char *extra = _("      --all-netns, -N all\n"
			      "                       every network namespace at once (Netns column)\n");
	const char *at = strstr(base, "\n  -1, ");
	size_t head, elen = strlen(extra), blen = strlen(base);

	if (!at || blen + elen >= sizeof(text))
		return base;
	head = (size_t)(at + 1 - base);
	memcpy(text, base, head);
	memcpy(text + head, extra, elen);
	memcpy(text + head + elen, base + head, blen - head);
	text[blen + elen] = '\0';
	return text;
}

const char *options_help(void)
{
	static char text[8192];

	snprintf(text, sizeof(text), "%s%s%s%s", help_base(), help_kinds(), help_events(),
		 help_settings());
	return text;
}

const char *options_help_traffic(void)
{
	return _("\n"
		 "Traffic and diagnosis:\n"
		 "      --group=process  one row per process: sockets per kind and state,\n"
		 "                       summed TCP rates (live: start in the grouped view, g)\n"
		 "      --group=service  the same per service or container (the Service\n"
		 "                       column's; live: start grouped by service, S)\n"
		 "      --rate=SECS      with --once: two dumps SECS apart (0.1..3600), byte\n"
		 "                       rates from their difference (TCP only: the kernel keeps\n"
		 "                       no byte counts for UDP, raw or Unix sockets)\n");
}

const char *options_help_ss(void)
{
	/* a msgid of its own, so that the translations of the text above stay */
	return _("\n"
		 "For ss users (see FOR SS USERS in sockview(1)):\n"
		 "  -a, -n, -p           accepted and ignored: sockview always shows every\n"
		 "                       state, numeric addresses and the processes\n"
		 "  -e, --extended       add uid, inode and cookie columns\n"
		 "  -i, --info           add TCP information columns (rtt, cwnd, retrans...)\n"
		 "  -m, --memory         add socket memory columns (skmem)\n"
		 "  -o, --options        add the timer column\n"
		 "  -s, --summary        print totals like ss -s and exit\n"
		 "  -H, --no-header      table without its heading line\n"
		 "  -F, --filter-file=FILE  read the filter expression from FILE ('-': stdin)\n"
		 "  -K, --kill           destroy every socket the filter selects (SOCK_DESTROY;\n"
		 "                       needs a filter and CAP_NET_ADMIN); prints each one\n"
		 "  [FILTER]             a filter expression after the options, as ss takes it\n"
		 "                       (not together with -f or -F)\n"
		 "  Unlike ss, -t and -u show sockets in every state, listening ones\n"
		 "  included (ss without -a or -l leaves out LISTEN, CLOSE, TIME-WAIT and\n"
		 "  SYN-RECV): add 'state connected and not state bucket' for what ss shows.\n");
}

const char *options_help_learning(void)
{
	/* a text of its own, so that the translations of the main one stay */
	return _("\nLearning (live view only):\n"
		 "      --tour           start in the guided tour of the tutorials' experiments\n"
		 "                       (T in the live view; n then 6: the state lab)\n");
}

const char *options_help_end(void)
{
	/* last, after every block of options */
	return _("\nExit status: 0 success, 1 runtime failure, 2 bad usage.\n");
}

/* Parses SECS (decimal, optional fraction) into milliseconds. */
int options_parse_delay(const char *s, int *ms)
{
	char *end;
	double v;

	if (!*s || strspn(s, "0123456789.") != strlen(s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	v *= 1000.0;
	if (v < DELAY_MIN_MS - 0.5 || v > DELAY_MAX_MS + 0.5)
		return -1;
	*ms = (int)(v + 0.5);
	return 0;
}

/* A netns NAME is a file name under /run/netns: no '/', not "." or "..". */
static int valid_netns_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..") &&
	       strlen(s) < 256;
}

/* How much of what the user typed a message quotes: enough to recognise,
 * short enough that every message fits the caller's buffer whole. */
#define QUOTE_MAX 64

/* Copies at most QUOTE_MAX bytes of s into q (QUOTE_MAX + 4 bytes), cut at a
 * character boundary and marked "..." when cut; returns q. */
static const char *quote(char q[QUOTE_MAX + 4], const char *s)
{
	size_t n = strlen(s);

	if (n <= QUOTE_MAX) {
		memcpy(q, s, n + 1);
		return q;
	}
	n = utf8_floor(s, QUOTE_MAX);
	snprintf(q, QUOTE_MAX + 4, "%.*s...", (int)n, s);
	return q;
}

/* The long option that the element arg ("--name" or "--name=value",
 * abbreviations included) names, when getopt_long stopped on it for the
 * option value val (0: none known); NULL when arg is not a long option or
 * names another option (then the error is about a short option). */
static const struct option *long_opt_of(const char *arg, int val)
{
	size_t n;

	if (strncmp(arg, "--", 2) || !arg[2])
		return NULL;
	arg += 2;
	n = strcspn(arg, "=");
	for (const struct option *lo = long_opts; lo->name; lo++)
		if (lo->val == val && !strncmp(lo->name, arg, n) &&
		    (strlen(lo->name) == n || val != 0))
			return lo;
	return NULL;
}

/* Fills err for a getopt_long error (c is ':' or '?') on the element arg,
 * naming a long option by its name ("--format"), never by its internal
 * value (issue 18 item 9: "option '-" and "'-\x01'" before). */
static void option_error(char *err, size_t errlen, int c, const char *arg)
{
	const struct option *lo = arg ? long_opt_of(arg, optopt) : NULL;
	char q[QUOTE_MAX + 4];

	if (lo && c == ':') {
		snprintf(err, errlen, _("option '--%s' needs a value"), lo->name);
	} else if (lo && optopt) {
		/* known, but "--name=value" for an option without a value */
		snprintf(err, errlen, _("option '--%s' takes no value"), lo->name);
	} else if (arg && !strncmp(arg, "--", 2) && arg[2] && !optopt) {
		size_t n = strcspn(arg, "="), hits = 0;
		size_t k = n > QUOTE_MAX ? utf8_floor(arg, QUOTE_MAX) : n;

		for (const struct option *o = long_opts; o->name && n > 2; o++)
			hits += !strncmp(o->name, arg + 2, n - 2);

		/* only the part before '=' is the option's name */
		snprintf(q, sizeof(q), "%.*s%s", (int)k, arg, k < n ? "..." : "");
		if (hits > 1)
			snprintf(err, errlen, _("option '%s' is ambiguous"), q);
		else
			snprintf(err, errlen, _("unknown option '%s'"), q);
	} else if (c == ':') {
		snprintf(err, errlen, _("option '-%c' needs a value"), optopt);
	} else if (optopt > 0x20 && optopt < 0x7f) {
		snprintf(err, errlen, _("unknown option '-%c'"), optopt);
	} else {
		snprintf(err, errlen, _("unknown option '%s'"), arg ? quote(q, arg) : "?");
	}
}

/* A message that still did not fit (a translation, say) is cut at a
 * character boundary, never inside a UTF-8 sequence. */
static void fit_message(char *err, size_t errlen)
{
	size_t n = strlen(err), last;
	unsigned char c;

	if (!errlen || n + 1 < errlen || !n)
		return;
	/* the last character: complete, or cut by snprintf? */
	last = utf8_prev(err, n);
	c = (unsigned char)err[last];
	if (last + (c >= 0xf0 ? 4u : c >= 0xe0 ? 3u : c >= 0xc0 ? 2u : 1u) > n)
		err[last] = '\0';
}

static enum options_action parse(struct options *o, int argc, char **argv,
				 char *err, size_t errlen);

enum options_action options_parse(struct options *o, int argc, char **argv,
				  char *err, size_t errlen)
{
	enum options_action r = parse(o, argc, argv, err, errlen);

	fit_message(err, errlen);
	return r;
}

static enum options_action parse(struct options *o, int argc, char **argv,
				 char *err, size_t errlen)
{
	char q[QUOTE_MAX + 4];
	unsigned protos = 0;
	const char *nc;
	int c;

	memset(o, 0, sizeof(*o));
	o->families = SF_ALL;
	o->delay_ms = 1000;
	o->format = FMT_TABLE;
	nc = getenv("NO_COLOR");
	o->no_color = nc && *nc;
	err[0] = '\0';

	optind = 0; /* full re-initialisation (GNU) so tests can call us again */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":tuxw0M46lf:d:N:1hVanpeimosHF:K", long_opts, NULL)) != -1) {
		switch (c) {
		case 't': protos |= SP_MASK(SP_TCP); break;
		case 'u': protos |= SP_MASK(SP_UDP); break;
		case 'x': protos |= SP_MASK(SP_UNIX); break;
		case 'w': protos |= SP_MASK(SP_RAW); break;
		case '0': protos |= SP_MASK(SP_PACKET); break;
		case OPT_NETLINK: protos |= SP_MASK(SP_NETLINK); break;
		case 'M': protos |= SP_MASK(SP_MPTCP); break;
		case '4': o->families = SF_INET; o->families_given = true; break;
		case '6': o->families = SF_INET6; o->families_given = true; break;
		case 'l': o->listening = true; break;
		case 'f':
			if (strlen(optarg) > LINEEDIT_TEXT_MAX) {
				snprintf(err, errlen,
					 _("filter expression too long: %zu bytes, at most %d"),
					 strlen(optarg), LINEEDIT_TEXT_MAX);
				return OPT_USAGE;
			}
			o->filter = optarg;
			break;
		case 'd':
			o->delay_given = true;
			if (options_parse_delay(optarg, &o->delay_ms) < 0) {
				snprintf(err, errlen,
					 _("invalid refresh interval '%s': expected seconds between 0.1 and 3600"),
					 quote(q, optarg));
				return OPT_USAGE;
			}
			break;
		case OPT_ALL_NETNS: o->all_netns = true; break;
		case 'N':
			if (!strcmp(optarg, "all")) {
				o->all_netns = true;
				break;
			}
			if (!valid_netns_name(optarg)) {
				snprintf(err, errlen,
					 _("invalid namespace name '%s': expected a name from /run/netns"),
					 quote(q, optarg));
				return OPT_USAGE;
			}
			o->netns = optarg;
			break;
		case '1': o->once = true; break;
		case OPT_FORMAT:
			o->format_given = true;
			if (!strcmp(optarg, "table")) {
				o->format = FMT_TABLE;
			} else if (!strcmp(optarg, "json")) {
				o->format = FMT_JSON;
			} else if (!strcmp(optarg, "csv")) {
				o->format = FMT_CSV;
			} else if (!strcmp(optarg, "ndjson")) {
				o->format = FMT_NDJSON;
			} else {
				snprintf(err, errlen,
					 _("invalid format '%s': expected table, json, csv or ndjson"), quote(q, optarg));
				return OPT_USAGE;
			}
			break;
		case OPT_NO_PROCESSES: o->no_processes = true; break;
		case OPT_NO_COLOR: o->no_color = true; break;
		case OPT_RECORD: o->record_dir = optarg; break;
		case OPT_NO_CONFIG: o->no_config = true; break;
		case OPT_GROUP:
			o->group_by = group_by_parse(optarg);
			if (o->group_by < 0) {
				snprintf(err, errlen,
					 _("invalid grouping '%s': expected process or service"),
					 quote(q, optarg));
				return OPT_USAGE;
			}
			o->group_given = true;
			break;
		case OPT_RATE:
			if (options_parse_delay(optarg, &o->rate_ms) < 0) {
				snprintf(err, errlen,
					 _("invalid rate interval '%s': expected seconds between 0.1 and 3600"),
					 optarg);
				return OPT_USAGE;
			}
			break;
		/* ss habits (issue 13) */
		case 'a': case 'n': case 'p': break; /* always so */
		case 'e': o->extra |= OPT_X_EXTENDED; break;
		case 'i': o->extra |= OPT_X_INFO; break;
		case 'm': o->extra |= OPT_X_MEMORY; break;
		case 'o': o->extra |= OPT_X_TIMERS; break;
		case 's': o->summary = true; break;
		case 'H': o->no_header = true; break;
		case 'F': o->filter_file = optarg; break;
		case 'K': o->kill = true; break;
		case OPT_WATCH: o->watch = true; break;
		case OPT_TOUR: o->tour = true; break;
		case 'h': return OPT_HELP;
		case 'V': return OPT_VERSION;
		case ':':
		default:
			option_error(err, errlen, c,
				     optind > 0 && optind <= argc ? argv[optind - 1] : NULL);
			return OPT_USAGE;
		}
	}
	if (options_ss_finish(o, argc - optind, argv + optind, err, errlen) < 0)
		return OPT_USAGE;
	if (o->watch && o->once) {
		snprintf(err, errlen, _("--watch and --once exclude each other"));
		return OPT_USAGE;
	}
	if (o->tour && o->once) {
		snprintf(err, errlen, _("--tour needs the live view: not with --once"));
		return OPT_USAGE;
	}
	if (o->all_netns && o->netns) {
		snprintf(err, errlen, _("--netns=NAME and --all-netns exclude each other"));
		return OPT_USAGE;
	}
	if (o->format_given && !o->once && !o->watch) {
		snprintf(err, errlen, _("--format applies only with --once or --watch"));
		return OPT_USAGE;
	}
	if (o->watch && !o->format_given)
		o->format = FMT_NDJSON;
	if (o->watch && o->format != FMT_NDJSON && o->format != FMT_TABLE) {
		snprintf(err, errlen, _("--watch prints ndjson or table"));
		return OPT_USAGE;
	}
	if (o->once && o->format == FMT_NDJSON) {
		snprintf(err, errlen, _("--format=ndjson applies only with --watch"));
		return OPT_USAGE;
	}
	if (o->rate_ms && !o->once) {
		snprintf(err, errlen, _("--rate applies only with --once (the live view shows "
					"rates by itself)"));
		return OPT_USAGE;
	}
	o->protos = protos ? protos : SP_MASK_DEFAULT;
	o->protos_given = protos != 0;
	return OPT_RUN;
}

void options_collect_config(const struct options *o, struct collect_config *out)
{
	memset(out, 0, sizeof(*out));
	out->protos = o->protos;
	out->families = o->families;
	out->listening = o->listening;
	out->no_processes = o->no_processes;
	out->live = !o->once;
	/* rates come from tcp_info's byte counters; --watch prints what a
	 * dump gives without tcp_info: every dump of a busy machine would
	 * cost a third more for it */
	out->tcp_info = (!o->once && !o->watch) ||
			(o->once && (o->format == FMT_JSON || o->rate_ms || o->group_given ||
				     (o->extra & OPT_X_INFO)));
	out->meminfo = (o->extra & OPT_X_MEMORY) != 0;
	out->record_dir = o->record_dir;
	out->all_netns = o->all_netns;
	/* batch JSON has the "service" key; the live view turns it on with
	 * the Service column */
	out->cgroups = o->once && (o->format == FMT_JSON ||
				   (o->group_given && o->group_by == GROUP_SERVICE));
}
