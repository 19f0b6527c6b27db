/* options.h - the command line (SPEC §3), parsed without side effects. */
#ifndef SOCKVIEW_OPTIONS_H
#define SOCKVIEW_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

struct collect_config;

enum out_format {
	FMT_TABLE,
	FMT_JSON,
	FMT_CSV,
	FMT_NDJSON, /* --watch: one JSON object per line */
};

enum options_action {
	OPT_RUN,     /* go on: UI or batch */
	OPT_HELP,    /* print help, exit 0 */
	OPT_VERSION, /* print version, exit 0 */
	OPT_USAGE,   /* bad usage: print err, exit 2 */
};

struct options {
	unsigned protos;       /* SP_MASK() bits; SP_MASK_DEFAULT without a kind option */
	unsigned families;     /* SF_* bits; SF_ALL unless -4/-6 */
	bool listening;        /* -l */
	const char *filter;    /* -f EXPR, or NULL (points into argv) */
	int delay_ms;          /* -d, 100..3600000, default 1000 */
	const char *netns;     /* -N NAME, or NULL (points into argv) */
	bool all_netns;        /* --all-netns or -N all */
	bool once;             /* -1/--once */
	enum out_format format; /* --format */
	bool format_given;     /* --format appeared (only valid with --once) */
	bool no_processes;     /* --no-processes */
	bool no_color;         /* --no-color or NO_COLOR set */
	bool no_config;        /* --no-config: no settings file read or written */
	bool protos_given;     /* -t/-u/-x/-w appeared */
	bool families_given;   /* -4/-6 appeared */
	bool delay_given;      /* -d appeared */
	/* --group=BY (enum group_by) and --rate=SECS (issue 15) */
	bool group_given;
	int group_by;
	int rate_ms;           /* 0: one dump */
	bool watch;            /* --watch: stream events, no terminal UI */
	/* Hidden, for tests and tools: record raw dumps into this directory. */
	const char *record_dir;

	/* ss habits (issue 13); -a, -n and -p are accepted and ignored */
	unsigned extra;          /* OPT_X_* bits: -e, -i, -m, -o */
	bool summary;            /* -s: totals like ss -s (implies --once) */
	bool no_header;          /* -H: no heading line in the table */
	bool kill;               /* -K: destroy what the filter selects (implies --once) */
	const char *filter_file; /* -F FILE (its text, read, is in filter) */
	char *filter_buf;        /* owned: -F's text or the trailing words */
	bool tour;             /* --tour: start in the guided tour (live only) */
};

/* -e, -i, -m, -o: what the table and CSV add (and the live view's columns) */
#define OPT_X_EXTENDED 0x1u /* -e: uid, inode, cookie */
#define OPT_X_INFO 0x2u     /* -i: tcp_info */
#define OPT_X_MEMORY 0x4u   /* -m: socket memory (SK_MEMINFO) */
#define OPT_X_TIMERS 0x8u   /* -o: the socket's timer */

/* Fills o from argv. Returns the action; for OPT_USAGE err holds a one-line,
 * translated message naming the bad value. Reads NO_COLOR from the
 * environment. Uses getopt_long (resets optind). */
enum options_action options_parse(struct options *o, int argc, char **argv,
				  char *err, size_t errlen);

/* Frees what options_parse() allocated (o->filter_buf); o stays
 * readable but o->filter may dangle afterwards. */
void options_free(struct options *o);

/* Reads a filter expression from path ("-": standard input) into a new
 * string (lines joined with spaces). Returns it, or NULL with a translated
 * message in err: unreadable, not a text file (a NUL or another control
 * byte), or longer than max bytes. */
char *options_read_filter_file(const char *path, size_t max, char *err, size_t errlen);

/* The collector's configuration for this command line (out is
 * overwritten). Batch tables and CSV show no tcp_info, so only the live
 * view and JSON ask the kernel for it: it would cost about a third of the
 * TCP dump for nothing. */
void options_collect_config(const struct options *o, struct collect_config *out);

/* Parses a refresh interval in seconds ("1", "0.5"; 0.1 to 3600) into
 * milliseconds. Returns 0, or -1 if s is not one. */
int options_parse_delay(const char *s, int *ms);

/* The --help text (translated). */
const char *options_help(void);
/* Its part on --group and --rate, printed after it (translated). */
const char *options_help_traffic(void);
/* What --help adds after it for ss users (translated, a text of its own). */
const char *options_help_ss(void);
/* The --help lines of the learning aids (--tour), printed after it. */
const char *options_help_learning(void);
/* The help's last lines: the exit status. */
const char *options_help_end(void);

#endif
