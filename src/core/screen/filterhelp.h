/* filterhelp.h - the text of the filter language's help page (no curses).
 *
 * The lines are made at build time from doc/filter.man, the FILTERS
 * section of the man page, by mk/filterhelp.awk (mk/core.am's rule), into
 * filterhelp_text.c in the build tree: the page and the man page cannot
 * drift apart. Font changes and troff escapes are gone; the strings are
 * N_() marked, to be shown with _(). screen_filterhelp.c lays them out. */
#ifndef SOCKVIEW_FILTERHELP_H
#define SOCKVIEW_FILTERHELP_H

#include <stddef.h>

enum fh_kind {
	FH_HEADING,    /* .SH: text */
	FH_SUBHEADING, /* .SS: text */
	FH_PARA,       /* a filled paragraph: text */
	FH_TERM,       /* .TP: the term (label) and its paragraph (text, may be NULL) */
	FH_PRE,        /* one line of a .nf block, as written (text NULL: blank) */
};

struct fh_line {
	enum fh_kind kind;
	const char *label; /* NULL but for FH_TERM */
	const char *text;
};

/* The page, in the man page's order. */
extern const struct fh_line filterhelp_lines[];
extern const size_t filterhelp_nlines;

#endif
