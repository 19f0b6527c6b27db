/* collect.h - one snapshot of sockets with their processes.
 *
 * Ties the sock_diag source (diag.h) to the /proc scanner (procscan.h): a
 * collection cycle dumps the requested protocols into a snapshot and then
 * brings the process map up to date. Batch mode calls collect_once(); the
 * live view drives the same cycle from its poll loop with collect_start()
 * and collect_step(), so a slow dump never blocks the keyboard.
 *
 * A live cycle has two phases, both stepwise: the dump (collect_fd() is
 * the netlink socket, readable as replies arrive), then the process map
 * (collect_fd() is an fd that stays readable; each step is one bounded
 * incremental /proc update, ~10 ms at most, so keys are answered between
 * steps even while a machine with 10^5 sockets is first scanned). Batch
 * mode reads every process once after the dump.
 *
 * Call order: collect_new, [collect_set_*], then repeatedly either
 * collect_once or collect_start + collect_step until it returns 0, then
 * collect_free. The snapshot passed to collect_start belongs to the caller
 * and must stay alive until the cycle ends or collect_cancel is called. */
#ifndef SOCKVIEW_COLLECT_H
#define SOCKVIEW_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmap.h"
#include "snapshot.h"

struct collect;
struct filter;
struct nstab;

/* What a collector is asked to do: its caller (batch mode, the live view)
 * fills this from the command line. */
struct collect_config {
	unsigned protos;        /* SP_MASK bits to dump */
	unsigned families;      /* SF_* bits */
	bool listening;         /* -l: listening/unconnected sockets only */
	bool no_processes;      /* no /proc scan, no process map */
	bool live;              /* stepped from a poll loop (collect_start/step) */
	bool tcp_info;          /* ask for tcp_info at first (collect_set_tcp_info) */
	bool meminfo;           /* SK_MEMINFO for every inet and Unix socket (-m) */
	const char *record_dir; /* --record-dump: save each raw dump (NULL: no) */
	bool all_netns;         /* --all-netns: every network namespace */
	bool cgroups;           /* read each owner's service (procscan_set_cgroups) */
};

/* Opens the netlink socket (in the current network namespace: enter the
 * namespace first) and, unless cfg->no_processes, the /proc scanner.
 * Returns NULL with a translated reason in err. */
struct collect *collect_new(const struct collect_config *cfg, char *err, size_t errlen);
void collect_free(struct collect *c);

/* Changes which protocols (SP_MASK bits) and families (SF_*) are dumped. */
void collect_set_scope(struct collect *c, unsigned protos, unsigned families);
/* Whether TCP records carry tcp_info, congestion control and meminfo
 * (SOCK_HAS_TCP, _CONG, _MEM), from the next cycle on (the first cycle
 * follows cfg->tcp_info). The
 * kernel fills tcp_info at a cost close to the rest of the record, so a
 * view that shows no tcp_info column, sorts by none and has no details
 * open should turn it off. */
void collect_set_tcp_info(struct collect *c, bool on);
/* Whether every record carries SK_MEMINFO (SOCK_HAS_MEM), from the next
 * cycle on (the first follows cfg->meminfo). */
void collect_set_meminfo(struct collect *c, bool on);
/* Only listening/unconnected sockets (-l): lets the kernel drop the rest. */
void collect_set_listening(struct collect *c, bool listening);
/* A kernel-side prefilter derived from f (may be NULL): a superset of what f
 * matches, so the caller must still apply filter_matches(). */
void collect_set_filter(struct collect *c, const struct filter *f);

/* Blocking: a whole cycle into snap (cleared first). The /proc walk runs
 * in a second thread meanwhile (all signals blocked there), joined before
 * the return. Returns 0, or -1 with errno if nothing could be dumped;
 * per-protocol failures are in snap. */
int collect_once(struct collect *c, struct snapshot *snap);

/* Non-blocking cycle: start, then call step whenever collect_fd() is
 * readable. step returns 1 while in flight, 0 when snap is finished and the
 * process map updated, -1 with errno on failure (the cycle is over). */
int collect_start(struct collect *c, struct snapshot *snap);
int collect_step(struct collect *c);
bool collect_busy(const struct collect *c);
/* True while the cycle in flight has finished its dump (the snapshot is
 * complete and finished) and is bringing the process map up to date: a
 * view may show the snapshot now, with the map as it is, and update what
 * depends on processes when the cycle ends. */
bool collect_dumped(const struct collect *c);
/* Whether the process map has seen every process at least once (true
 * with --no-processes, where there is no map). */
bool collect_procs_complete(const struct collect *c);
void collect_cancel(struct collect *c);
/* The fd to poll for POLLIN while busy (it changes between the phases:
 * read it again after each step). */
int collect_fd(const struct collect *c);

/* --all-netns: dump every network namespace (netns.h's netns_list), each
 * through its own sock_diag socket opened inside it, into the one
 * snapshot; every record's key.netns is the nsfs inode of its namespace.
 * Takes effect at the next cycle (one in flight is cancelled). Namespaces
 * that cannot be entered are skipped and counted (collect_netns()'s
 * denied); one that vanishes mid-dump gives what it had. */
void collect_set_all_netns(struct collect *c, bool on);
bool collect_all_netns(const struct collect *c);
/* The namespaces of the last cycle, with their socket counts (NULL unless
 * all_netns); valid until the next cycle starts. */
const struct nstab *collect_netns(const struct collect *c);
/* Whether processes read from now on get their service (cgroup) label. */
void collect_set_cgroups(struct collect *c, bool on);

/* The process map (NULL with --no-processes); valid until collect_free and
 * updated at the end of each cycle. */
const struct procmap *collect_procmap(const struct collect *c);
/* Why the process map of the last refresh is incomplete beyond what
 * permissions hide: the errno of /proc that could not be read (EMFILE when
 * out of file descriptors), 0 when nothing went wrong. */
int collect_proc_error(const struct collect *c);
/* The first errno that --record-dump met writing its files (0: none):
 * ELOOP for a symlink in the way, EEXIST for a file not ours. */
int collect_record_error(const struct collect *c);

#endif
