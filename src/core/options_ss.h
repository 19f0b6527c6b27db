/* options_ss.h - the command line as ss users type it (issue 13): the
 * trailing filter expression, -F FILE, and the rules between -f, -F, -K,
 * -s and --once. Called by options_parse() once getopt is done. */
#ifndef SOCKVIEW_OPTIONS_SS_H
#define SOCKVIEW_OPTIONS_SS_H

#include <stddef.h>

struct options;

/* Applies the ss-style rules to o after the options: nargs trailing words
 * (args, not copied until joined) become the filter, joined with spaces;
 * -F's file is read; -f, -F and trailing words exclude each other; -K
 * needs a filter; -s and -K imply --once and exclude each other. Returns 0,
 * or -1 with a translated one-line message in err. o->filter_buf is owned
 * by o (options_free). */
int options_ss_finish(struct options *o, int nargs, char **args, char *err, size_t errlen);

/* The check -F makes on a file's bytes b[0..len): line breaks and tabs
 * become spaces in place; another control byte (a binary file) or more
 * than max bytes is refused. Returns 0, or -1 with a translated message
 * naming path in err. Pure: the fuzz target's entry (fuzz_filter_file.c). */
int options_filter_text(char *b, size_t len, size_t max, const char *path, char *err,
			size_t errlen);

#endif
