/* live.h - the live terminal UI (SPEC §5): sockview without --once.
 *
 * main calls ui_run() after setlocale/bindtextdomain and after entering the
 * network namespace. ui_run owns everything of the live view: the poll
 * loop, the collector, the app state and the terminal, and gives the
 * terminal back on every way out (q, F10, SIGINT, SIGTERM, SIGHUP, end of
 * input, allocation failure). */
#ifndef SOCKVIEW_LIVE_H
#define SOCKVIEW_LIVE_H

#include "options.h"

/* Runs the live view until the user quits. Returns the process exit
 * status: 0 after a quit (also on SIGINT/SIGTERM/SIGHUP), 1 if the UI
 * cannot start (not a terminal, unknown TERM, netlink unavailable) or the
 * terminal went away, 2 for a bad --filter expression; the reason is
 * printed on stderr, after the terminal was restored. */
int ui_run(const struct options *o);

#endif
