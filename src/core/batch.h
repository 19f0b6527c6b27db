/* batch.h - what --once adds to a dump (issue 15): the rates over
 * --rate's interval, each socket's diagnosis, and the document grouped by
 * process (--group). No I/O but the FILE the grouped writer is given. */
#ifndef SOCKVIEW_BATCH_H
#define SOCKVIEW_BATCH_H

#include <stdio.h>

#include "group.h"
#include "output.h"
#include "snapshot.h"

/* Fills extra[0..n) for rows (records of cur): rates from the TCP byte
 * counters of prev (NULL: one dump, no rates) and cur, over their
 * taken_ms; the diagnosis from both dumps' history. scope is what both
 * dumps were asked for. */
void batch_extras(const struct snapshot *cur, const struct snapshot *prev,
		  const struct sock_scope *scope, const struct sock *const *rows, size_t n,
		  struct output_extra *extra);

/* Appends the grouped document for rows (with ctx->extra, may be NULL) to
 * out: a table (one line per group, then the totals), a JSON object
 * {"group_by", "groups": [{..., "sockets": [the socket objects of
 * --format=json]}], "totals"} or CSV (one row per group). Groups by socket
 * count, largest first; "no process" last. */
void batch_format_groups(struct buf *out, const struct output_ctx *ctx, enum group_by by,
			 const struct sock *const *rows, size_t n);

#endif
