/* traffic.h - the live table's history and diagnosis (no curses, no I/O).
 *
 * After each diff, traffic_commit() records every socket of the current
 * snapshot that the table's filter keeps in the table's history (one
 * round: the others' entries are dropped) and sets each record's
 * diagnosis in its diff entry (DIFF_HINT, diff.h), so that the Hint column
 * shows, sorts and searches like any other. The queries below serve the
 * details, the header and the grouped view.
 *
 * What a refresh costs at 10^5 sockets (bench/history_bench): the samples
 * are taken once per HIST_SLOT_MS (a round), the entries found through a
 * reference per record carried along the diff (table.h hist_ref), not by
 * hashing; the diff (struct diff .ask) runs the rules on the record alone
 * while the record is in cache and flags with DIFF_ASK the few sockets a
 * rule may fire on: for the others a refresh reads no record here. */
#ifndef SOCKVIEW_TRAFFIC_H
#define SOCKVIEW_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnose.h"
#include "history.h"
#include "table.h"

/* Called by table_commit() between the diff and the rows. */
void traffic_commit(struct table *t, int64_t now);
/* With t->hist_defer set at a commit, that commit leaves the history as
 * it is (the first paint of a big machine shows the table sooner); this
 * takes the round it skipped, and clears hist_defer. */
void traffic_round(struct table *t);

/* The diagnosis of s (a record of the current snapshot, or a gone copy:
 * then without history). */
enum diag_rule traffic_diagnose(const struct table *t, const struct sock *s);

/* The history entry of s, or NULL. */
const struct hist_entry *traffic_history(const struct table *t, const struct sock *s);

/* The summed rx/tx rates of the shown TCP rows whose rates are known;
 * returns how many rows had rates (0: no rates, e.g. tcp_info not asked). */
size_t traffic_totals(const struct table *t, double *rx, double *tx);

/* The diagnosis of s for a batch run: h may be NULL (one snapshot), peers
 * built from the same snapshot. */
enum diag_rule traffic_diagnose_with(const struct history *h, const struct diag_peers *peers,
				     const struct sock *s);

#endif
