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
};

enum options_action {
	OPT_RUN,     /* go on: UI or batch */
	OPT_HELP,    /* print help, exit 0 */
	OPT_VERSION, /* print version, exit 0 */
	OPT_USAGE,   /* bad usage: print err, exit 2 */
};

struct options {
	unsigned protos;       /* SP_MASK() bits; all if no -t/-u/-x/-w */
	unsigned families;     /* SF_* bits; SF_ALL unless -4/-6 */
	bool listening;        /* -l */
	const char *filter;    /* -f EXPR, or NULL (points into argv) */
	int delay_ms;          /* -d, 100..3600000, default 1000 */
	const char *netns;     /* -N NAME, or NULL (points into argv) */
	bool once;             /* -1/--once */
	enum out_format format; /* --format */
	bool format_given;     /* --format appeared (only valid with --once) */
	bool no_processes;     /* --no-processes */
	bool no_color;         /* --no-color or NO_COLOR set */
	/* Hidden, for tests and tools: record raw dumps into this directory. */
	const char *record_dir;
	bool tour;             /* --tour: start in the guided tour (live only) */
};

/* Fills o from argv. Returns the action; for OPT_USAGE err holds a one-line,
 * translated message naming the bad value. Reads NO_COLOR from the
 * environment. Uses getopt_long (resets optind). */
enum options_action options_parse(struct options *o, int argc, char **argv,
				  char *err, size_t errlen);

/* The collector's configuration for this command line (out is
 * overwritten). Batch tables and CSV show no tcp_info, so only the live
 * view and JSON ask the kernel for it: it would cost about a third of the
 * TCP dump for nothing. */
void options_collect_config(const struct options *o, struct collect_config *out);

/* The --help text (translated). */
const char *options_help(void);
/* The --help lines of the learning aids (--tour), printed after it. */
const char *options_help_learning(void);

#endif
