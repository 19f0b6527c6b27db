/* procmap.h - which processes hold which sockets (model, no I/O).
 *
 * Maps a socket inode to its owners (pid, fd) and a pid to its command name.
 * Filled by the /proc scanner (procscan.h); read by outputs and the UI.
 * A socket may have many owners (fork, SCM_RIGHTS) or none; inode 0 never
 * has owners.
 *
 * Costs: lookups are O(1) expected plus the number of owners returned, and
 * never allocate; adding an owner is O(1) expected when pids arrive in
 * ascending order (as the scanner adds them), else O(owners of that inode);
 * removing a process is O(its sockets). Storage grows with the contents and
 * is kept by procmap_clear() for the next scan.
 *
 * Ownership: the map owns everything it stores; pointers it returns
 * (procmap_comm) are valid until the next writer call. Not thread-safe. */
#ifndef SOCKVIEW_PROCMAP_H
#define SOCKVIEW_PROCMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc_owner {
	int32_t pid;
	int32_t fd;
};

struct procmap;
struct cgsvc;

/* The longest command name kept (longer names are truncated). */
#define PROCMAP_COMM_MAX 16

/* An empty map; never NULL (allocation failure is fatal, see xalloc.h). */
struct procmap *procmap_new(void);
/* Frees the map; NULL is allowed. */
void procmap_free(struct procmap *m);

/* Copies up to max owners of inode into out (sorted by pid, then fd) and
 * returns how many there are in all (may exceed max). */
size_t procmap_owners(const struct procmap *m, uint32_t inode,
		      struct proc_owner *out, size_t max);
/* The raw command name of pid (up to 16 bytes, may hold any byte except
 * NUL), with its length in *len; NULL if pid is unknown or has no name yet.
 * Not NUL-terminated. Valid until the map is next modified. */
const char *procmap_comm(const struct procmap *m, int32_t pid, size_t *len);
/* The real uid of pid, or -1 if unknown. */
long procmap_uid(const struct procmap *m, int32_t pid);

/* Number of processes the last scan could not inspect (permission denied),
 * so the UI can say why some sockets show no process. */
size_t procmap_hidden(const struct procmap *m);

/* The longest service label kept (cgroup.h's labels, cut to this). */
#define PROCMAP_SERVICE_MAX 95
/* The service label of pid (raw bytes, cgroup.h), with its length in *len
 * and its enum cgroup_kind in *kind (kind may be NULL); NULL if none was
 * read (cgroups are read only when something shows them). Valid until the
 * map is next modified. */
const char *procmap_service(const struct procmap *m, int32_t pid, size_t *len,
			    unsigned *kind);
/* The inode of pid's network namespace (/proc/PID/ns/net), 0 if unknown:
 * a process may hold sockets of namespaces other than its own. */
uint32_t procmap_netns(const struct procmap *m, int32_t pid);
void procmap_set_netns(struct procmap *m, int32_t pid, uint32_t netns);
/* Writer: sets the service label of pid (creating it if needed). */
void procmap_set_service(struct procmap *m, int32_t pid, const char *label, size_t len,
			 unsigned kind);

/* Writers (the scanner and tests): */
/* Sets or replaces the name (raw bytes, truncated to PROCMAP_COMM_MAX) and
 * uid of pid, creating it if needed. pid <= 0 is ignored. */
void procmap_set_proc(struct procmap *m, int32_t pid, const char *comm, size_t len, long uid);
/* Records that pid holds inode as fd (duplicates are ignored; so are inode 0,
 * pid <= 0 and fd < 0). Creates pid without a name if unknown. */
void procmap_add_owner(struct procmap *m, uint32_t inode, int32_t pid, int32_t fd);
/* Forgets pid and every socket fd it held. */
void procmap_remove_proc(struct procmap *m, int32_t pid);
void procmap_set_hidden(struct procmap *m, size_t n);

/* Extensions used by the scanner: */
/* Forgets every socket fd of pid but keeps its name and uid. */
void procmap_clear_owners(struct procmap *m, int32_t pid);
/* Forgets everything (processes, owners, hidden count); keeps the storage. */
void procmap_clear(struct procmap *m);
/* True if inode has at least one owner; O(1) expected. */
bool procmap_is_owned(const struct procmap *m, uint32_t inode);
/* Number of processes known, and of (inode, pid, fd) owner entries. */
size_t procmap_nprocs(const struct procmap *m);
size_t procmap_nowners(const struct procmap *m);

/* Makes room for this many more owner entries (of as many inodes) at once,
 * rather than growing the tables step by step (batch mode: the dump's
 * socket count). Changes nothing visible. */
void procmap_reserve(struct procmap *m, size_t owners);

/* The cgroup id -> service table (cgsvc.h) that travels with the map:
 * the collector writes it, readers find a socket's own cgroup there
 * (service.h). procmap_clear keeps it (cgroup ids are never reused). */
struct cgsvc *procmap_cgsvc(struct procmap *m);
/* The same for readers; NULL if m is NULL. */
const struct cgsvc *procmap_cgsvc_get(const struct procmap *m);

#endif
