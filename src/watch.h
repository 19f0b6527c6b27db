/* watch.h - sockview --watch: socket events on standard output. */
#ifndef SOCKVIEW_WATCH_H
#define SOCKVIEW_WATCH_H

#include "filter.h"
#include "options.h"

/* Dumps every o->delay_ms, listens to the destroy messages, and prints
 * each event (births, deaths, changes, gaps) that the toggles and f (NULL:
 * none) select, one per line, flushed per line, until SIGINT or SIGTERM
 * (exit status 0) or a write error (EPIPE, ENOSPC: a message, status 1). */
int watch_run(const struct options *o, const struct filter *f);

#endif
