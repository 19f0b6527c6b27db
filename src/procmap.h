/* procmap.h - which processes hold which sockets (model, no I/O).
 *
 * Maps a socket inode to its owners (pid, fd) and a pid to its command name.
 * Filled by the /proc scanner (procscan.h); read by outputs and the UI.
 * A socket may have many owners (fork, SCM_RIGHTS) or none; inode 0 never
 * has owners. */
#ifndef SOCKVIEW_PROCMAP_H
#define SOCKVIEW_PROCMAP_H

#include <stddef.h>
#include <stdint.h>

struct proc_owner {
	int32_t pid;
	int32_t fd;
};

struct procmap;

struct procmap *procmap_new(void);
/* Frees the map; NULL is allowed. */
void procmap_free(struct procmap *m);

/* Copies up to max owners of inode into out (sorted by pid, then fd) and
 * returns how many there are in all (may exceed max). */
size_t procmap_owners(const struct procmap *m, uint32_t inode,
		      struct proc_owner *out, size_t max);
/* The raw command name of pid (up to 16 bytes, may hold any byte except
 * NUL), with its length in *len; NULL if pid is unknown. Valid until the map
 * is next modified. */
const char *procmap_comm(const struct procmap *m, int32_t pid, size_t *len);
/* The real uid of pid, or -1 if unknown. */
long procmap_uid(const struct procmap *m, int32_t pid);

/* Number of processes the last scan could not inspect (permission denied),
 * so the UI can say why some sockets show no process. */
size_t procmap_hidden(const struct procmap *m);

/* Writers (the scanner and tests): */
/* Sets or replaces the name and uid of pid, creating it if needed. */
void procmap_set_proc(struct procmap *m, int32_t pid, const char *comm, size_t len, long uid);
/* Records that pid holds inode as fd (duplicates are ignored). */
void procmap_add_owner(struct procmap *m, uint32_t inode, int32_t pid, int32_t fd);
/* Forgets pid and every socket fd it held. */
void procmap_remove_proc(struct procmap *m, int32_t pid);
void procmap_set_hidden(struct procmap *m, size_t n);

#endif
