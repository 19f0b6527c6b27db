/* procscan.h - fills a procmap from /proc/PID/fd (source layer).
 *
 * The root directory is a parameter ("/proc" in the program; tests build a
 * fake tree with the same layout: numeric PID directories holding fd/ with
 * symlinks such as "socket:[123]", a stat file and a status file).
 *
 * Why it is incremental: reading a link costs a system call per fd, so
 * rereading every fd of every process on each refresh (what `ss -p` does)
 * costs more than the socket dump itself. procscan_update() reads instead
 *   - the process list (one directory read of the root),
 *   - one cheap probe per known process: the change signature of its fd/
 *     directory (procscan_probe: inode, times and the number of open fds),
 *   - the fds of new processes and of those whose signature changed,
 *   - and a bounded round-robin slice of the unchanged ones, because a
 *     close() followed by an open() leaves the fd count unchanged. Every
 *     process is reread at least once per ceil(work of all processes /
 *     slice) calls while the machine is quiet.
 * The work of a call is bounded by struct procscan_budget.
 *
 * What a scan records: for each process with at least one socket fd, its
 * name (raw bytes from /proc/PID/stat, between the first '(' and the LAST
 * ')'), its real uid (/proc/PID/status "Uid:"), and one owner entry per
 * socket fd. Processes without sockets are tracked by the scanner but not
 * put in the map. Processes whose fd/ cannot be read (EACCES: another
 * user's, when running unprivileged) are counted in procmap_hidden().
 * Processes that vanish mid-scan are dropped silently. Names are refreshed
 * whenever a process's fds are reread, so a name change (exec, prctl) with
 * the same fds shows within one round-robin cycle.
 *
 * Contract:
 *   - Call order: procscan_new, then procscan_full once (or let the first
 *     procscan_update calls do the initial scan within their budget), then
 *     procscan_update on each refresh, [procscan_want_inodes after a socket
 *     dump], procscan_free.
 *   - One scanner feeds one map: pass the same procmap to every call, and
 *     do not write to it in between, since the scanner remembers what it
 *     put there. procscan_full clears the map first, so it can be given a
 *     fresh or a reused map.
 *   - The scanner owns its state and copies proc_root; the map stays the
 *     caller's. Each call opens and closes its own descriptors (none stay
 *     open between calls) and allocates only when its tables grow.
 *   - Nothing is printed; errors are -1 with errno. */
#ifndef SOCKVIEW_PROCSCAN_H
#define SOCKVIEW_PROCSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmap.h"

struct procscan;

/* Limits on the work of one procscan_update call, in units of one per
 * process whose fd/ is opened plus one per fd link read. A process is
 * always read whole, so a phase may overrun its limit by one process; the
 * changed phase always reads at least one pending process, and a nonzero
 * slice at least one unchanged process, so progress never stops. */
struct procscan_budget {
	size_t changed; /* for new and changed processes (0: no limit); the
			 * rest stays pending for the next calls */
	size_t slice;   /* for rereading unchanged processes (0: none) */
	size_t hunt;    /* replaces slice while hunting (procscan_want_inodes) */
};

/* Measured on a 2-CPU VM (bench/proc_bench.c): ~1 us per link read, ~10 us
 * per process opened; a call with this budget costs at most ~30 ms, and
 * ~3 ms on a quiet machine. */
#define PROCSCAN_BUDGET_DEFAULT { .changed = 30000, .slice = 2000, .hunt = 20000 }

/* What the last call did; valid until the next call. */
struct procscan_stats {
	size_t procs;     /* processes known (listed) after the call */
	size_t hidden;    /* of which fd/ could not be read */
	size_t gone;      /* processes dropped (exited, or vanished mid-scan) */
	size_t probed;    /* fd/ signatures taken by the probe */
	size_t changed;   /* processes read because they were new or changed */
	size_t sliced;    /* unchanged processes reread by the round-robin */
	size_t scanned;   /* changed + sliced (procscan_full: every process) */
	size_t links;     /* fd links read */
	size_t sockets;   /* socket fds found in the processes read */
	size_t pending;   /* new or changed processes left for a later call */
	bool hunting;     /* wanted inodes still being hunted */
	bool size_probe;  /* st_size of fd/ counts open fds (Linux >= 6.2) */
};

/* A scanner of the tree at proc_root (copied). Never NULL; proc_root is not
 * opened here, so a bad root shows up as an error of the first scan. */
struct procscan *procscan_new(const char *proc_root);
/* Frees the scanner; NULL is allowed. The map is not touched. */
void procscan_free(struct procscan *ps);

/* Clears map and reads every process. Returns 0, or -1 with errno if the
 * root itself cannot be opened or read (the map is then left cleared). */
int procscan_full(struct procscan *ps, struct procmap *map);

/* Brings map up to date incrementally (see the top of this file), within
 * budget b (NULL: PROCSCAN_BUDGET_DEFAULT). Returns 0, or -1 with errno if
 * the root cannot be read (map and scanner state are then unchanged). */
int procscan_update(struct procscan *ps, struct procmap *map,
		    const struct procscan_budget *b);

/* Tells the scanner which socket inodes of the latest dump have no owner in
 * the map (inode 0 is ignored; the caller's array is not kept). Sockets
 * without owners are normal (kernel sockets, other users' processes, fds in
 * flight), so only inodes it has not been told about before start a hunt:
 * the following updates reread unchanged processes with the larger `hunt`
 * budget until one full round-robin cycle is done or every wanted inode has
 * an owner. Returns the number of inodes new to the scanner. */
size_t procscan_want_inodes(struct procscan *ps, const uint32_t *inodes, size_t n);

/* The statistics of the last procscan_full or procscan_update. */
const struct procscan_stats *procscan_stats(const struct procscan *ps);

/* The change signature of a process's fd/ directory. */
struct procscan_sig {
	uint64_t ino;
	int64_t mtime_ns;
	int64_t ctime_ns;
	int64_t nfds; /* open fds; -1 if they cannot be counted (EACCES) */
};

/* Takes the signature of "PID/fd" under the directory rootfd. With
 * size_probe (real procfs, Linux >= 6.2) nfds is st_size: one stat call.
 * Otherwise (older kernels, fake trees on a disk) nfds comes from counting
 * the entries, and a changed entry with the same count still changes
 * mtime/ctime on ordinary filesystems (at their timestamp granularity).
 * The scanner takes the same signature when it reads the fds, so an
 * unchanged process probes equal. Returns 0, or -1 with errno (ENOENT:
 * gone). */
int procscan_probe(int rootfd, int32_t pid, bool size_probe, struct procscan_sig *sig);

/* Finds the command name in the text of /proc/PID/stat ("PID (name) S
 * ..."): between the first '(' and the last ')', as the name itself may hold
 * ')', spaces or any other byte. Sets *name (pointing into buf) and *len;
 * returns 0, or -1 if the text has no such pair. */
int procscan_stat_comm(const char *buf, size_t n, const char **name, size_t *len);

#endif
