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
#include "lineedit.h"
#include "options.h"

/* -f is shown and edited in the filter prompt: one limit for both, and the
 * filter language takes it all. */
_Static_assert(LINEEDIT_TEXT_MAX <= FILTER_MAX_LEN, "a filter that fits a field must compile");
#include "sock.h"

#define DELAY_MIN_MS 100
#define DELAY_MAX_MS 3600000

enum {
	OPT_FORMAT = 256,
	OPT_NO_PROCESSES,
	OPT_NO_COLOR,
	OPT_RECORD,
	OPT_TOUR,
};

static const struct option long_opts[] = {
	{ "tcp", no_argument, NULL, 't' },
	{ "udp", no_argument, NULL, 'u' },
	{ "unix", no_argument, NULL, 'x' },
	{ "raw", no_argument, NULL, 'w' },
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
	{ "tour", no_argument, NULL, OPT_TOUR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

const char *options_help(void)
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
		 "  -d, --delay=SECS     refresh interval, 0.1..3600 (default 1)\n"
		 "  -N, --netns=NAME     look inside network namespace NAME (/run/netns/NAME)\n"
		 "  -1, --once           print one snapshot to standard output and exit\n"
		 "      --format=FMT     with --once: table (default), json, csv\n"
		 "      --no-processes   do not map sockets to processes\n"
		 "      --no-color       monochrome (also when NO_COLOR is set)\n"
		 "  -h, --help           show this help and exit\n"
		 "  -V, --version        show the version and exit\n"
		 "\n"
		 "Exit status: 0 success, 1 runtime failure, 2 bad usage.\n");
}

const char *options_help_learning(void)
{
	/* a text of its own, so that the translations of the main one stay */
	return _("\nLearning (live view only):\n"
		 "      --tour           start in the guided tour of the tutorials' experiments\n"
		 "                       (T in the live view; n then 6: the state lab)\n");
}

/* Parses SECS (decimal, optional fraction) into milliseconds. */
static int parse_delay(const char *s, int *ms)
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

enum options_action options_parse(struct options *o, int argc, char **argv,
				  char *err, size_t errlen)
{
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
	while ((c = getopt_long(argc, argv, ":tuxw46lf:d:N:1hV", long_opts, NULL)) != -1) {
		switch (c) {
		case 't': protos |= SP_MASK(SP_TCP); break;
		case 'u': protos |= SP_MASK(SP_UDP); break;
		case 'x': protos |= SP_MASK(SP_UNIX); break;
		case 'w': protos |= SP_MASK(SP_RAW); break;
		case '4': o->families = SF_INET; break;
		case '6': o->families = SF_INET6; break;
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
			if (parse_delay(optarg, &o->delay_ms) < 0) {
				snprintf(err, errlen,
					 _("invalid refresh interval '%s': expected seconds between 0.1 and 3600"),
					 optarg);
				return OPT_USAGE;
			}
			break;
		case 'N':
			if (!valid_netns_name(optarg)) {
				snprintf(err, errlen,
					 _("invalid namespace name '%s': expected a name from /run/netns"),
					 optarg);
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
			} else {
				snprintf(err, errlen,
					 _("invalid format '%s': expected table, json or csv"), optarg);
				return OPT_USAGE;
			}
			break;
		case OPT_NO_PROCESSES: o->no_processes = true; break;
		case OPT_NO_COLOR: o->no_color = true; break;
		case OPT_RECORD: o->record_dir = optarg; break;
		case OPT_TOUR: o->tour = true; break;
		case 'h': return OPT_HELP;
		case 'V': return OPT_VERSION;
		case ':':
			if (optopt)
				snprintf(err, errlen, _("option '-%c' needs a value"), optopt);
			else
				snprintf(err, errlen, _("option '%s' needs a value"), argv[optind - 1]);
			return OPT_USAGE;
		default:
			if (optopt)
				snprintf(err, errlen, _("unknown option '-%c'"), optopt);
			else
				snprintf(err, errlen, _("unknown option '%s'"), argv[optind - 1]);
			return OPT_USAGE;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, _("unexpected argument '%s'"), argv[optind]);
		return OPT_USAGE;
	}
	if (o->tour && o->once) {
		snprintf(err, errlen, _("--tour needs the live view: not with --once"));
		return OPT_USAGE;
	}
	if (o->format_given && !o->once) {
		snprintf(err, errlen, _("--format applies only with --once"));
		return OPT_USAGE;
	}
	o->protos = protos ? protos : SP_MASK_ALL;
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
	out->tcp_info = !o->once || o->format == FMT_JSON;
	out->record_dir = o->record_dir;
}
