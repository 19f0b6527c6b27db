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
 *     on each refresh, after the socket dump: [procscan_want_inodes with
 *     the dump's ownerless sockets,] procscan_update; finally
 *     procscan_free. procscan_stats may be read after any call.
 *   - One scanner feeds one map: pass the same procmap to every call, and
 *     do not write to it in between, since the scanner remembers what it
 *     put there. procscan_full clears the map first, so it can be given a
 *     fresh or a reused map.
 *   - The scanner owns its state and copies proc_root; the map stays the
 *     caller's. Each call opens and closes its own descriptors (none stay
 *     open between calls, but the root's from procscan_full_begin to
 *     procscan_full_end) and allocates only when its tables grow.
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

/* Measured on a 2-CPU VM, Linux 6.18 (bench/proc_bench.c): ~5 us per link
 * read (the kernel's readlink on /proc/PID/fd), ~3 us per process probed,
 * ~30 us more per process holding sockets (stat + status). With these
 * limits a call costs at most ~75 ms plus two processes; on a quiet machine
 * with 10^4 socket fds ~3.5 ms (10^5: ~7 ms) instead of ~55 ms (~530 ms)
 * for a full scan. A fd swap invisible to the probe is seen within
 * ceil(all links / 500) calls, or in the next call once the hunt starts. */
#define PROCSCAN_BUDGET_DEFAULT { .changed = 10000, .slice = 500, .hunt = 5000 }

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
	int fd_errno;     /* EMFILE/ENFILE: processes left unread for want of
			   * file descriptors (0: none) */
};

/* A scanner of the tree at proc_root (copied). Never NULL; proc_root is not
 * opened here, so a bad root shows up as an error of the first scan. */
struct procscan *procscan_new(const char *proc_root);
/* Frees the scanner; NULL is allowed. The map is not touched. */
void procscan_free(struct procscan *ps);

/* Clears map and reads every process. Returns 0, or -1 with errno if the
 * root itself cannot be opened or read (the map is then left cleared). */
int procscan_full(struct procscan *ps, struct procmap *map);

/* procscan_full on several threads (batch mode: collect_once), in three
 * steps with the same result (map and stats) as procscan_full:
 *   - procscan_full_begin clears map, opens the root, lists the processes
 *     and readies `readers` readers (at least 1); it returns 0, or -1 with
 *     errno as procscan_full does (then call neither of the others);
 *   - procscan_full_work(ps, i, NULL), for readers i < `readers`, each on
 *     its own thread if wished, at the same time: each takes a couple of
 *     processes at a time from a shared cursor until none is left, and
 *     reads them into its own buffers (system calls only: no map, no
 *     runtime). Reader 0 alone reads everything if the others never run.
 *     The one thread that calls begin and end may pass map instead of
 *     NULL: it then also applies to map, between its reads, the processes
 *     read so far (by any reader) in pid order, so less is left for end;
 *   - once every work call has returned (threads joined),
 *     procscan_full_end applies the rest to map in pid order (with the
 *     container names of procscan_set_runtime) and closes the root.
 * Nothing else may be called on ps between begin and end. */
int procscan_full_begin(struct procscan *ps, struct procmap *map, unsigned readers);
void procscan_full_work(struct procscan *ps, unsigned reader, struct procmap *map);
void procscan_full_end(struct procscan *ps, struct procmap *map);

/* Brings map up to date incrementally (see the top of this file), within
 * budget b (NULL: PROCSCAN_BUDGET_DEFAULT). Returns 0, or -1 with errno if
 * the root cannot be read (map and scanner state are then unchanged). */
int procscan_update(struct procscan *ps, struct procmap *map,
		    const struct procscan_budget *b);

/* Tells the scanner which socket inodes of the latest dump have no owner in
 * the map; call it before procscan_update (inode 0 is ignored; the array is
 * copied). Sockets without owners are normal (kernel sockets, other users'
 * processes, fds in flight), so only "fresh" inodes, which the previous call
 * did not list, count. If one of them is still unowned after an update
 * has reread all the new and changed processes (none left pending for a
 * later call: a process swapped sockets without changing its fd count),
 * a hunt starts: updates reread
 * unchanged processes with the `hunt` budget instead of `slice` until one
 * full round-robin cycle is done or every wanted inode has an owner.
 * Unprivileged callers should leave out sockets of other uids (sock_diag
 * gives each socket's uid): their processes are hidden, so every new one
 * would start a hunt that cannot succeed. Returns the number of fresh
 * inodes. */
size_t procscan_want_inodes(struct procscan *ps, const uint32_t *inodes, size_t n);

/* Whether the processes read from now on also get their service label
 * (/proc/PID/cgroup, cgroup.h; procmap_service), in the same visit as
 * their name. Off by default: only the Service column and the "service"
 * filter term need it. Processes read before it was turned on get theirs
 * when they are next reread. */
void procscan_set_cgroups(struct procscan *ps, bool on);
/* Names the containers of those labels from a runtime's state directory
 * (runtime.h; NULL: ids only). rt is not owned and must outlive ps. */
struct runtime;
void procscan_set_runtime(struct procscan *ps, struct runtime *rt);

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
