/* cgsvc.h - the service label of a cgroup v2 id (model, no I/O).
 *
 * The kernel tags an inet socket with the cgroup of the process that
 * created it (INET_DIAG_CGROUP_ID: the inode number of the cgroup's
 * directory under the cgroup2 mount). The collector resolves each id it
 * meets once (source/cgpath.h: id -> path, cgroup.h: path -> label) and
 * keeps the answer here, in the process map (procmap_cgsvc), so outputs,
 * the table and the filter find it without I/O. Ids are never reused
 * while the machine runs (64-bit kernfs ids), so answers stay true; the
 * table is bounded (CGSVC_MAX entries; when full it is emptied and the
 * ids are resolved again). An id known to have no service (the root
 * cgroup, a cgroup gone before it was resolved) is kept too, with len 0,
 * so that it is not looked for again.
 *
 * Labels are raw bytes (escape them when shown), at most
 * CGSVC_LABEL_MAX. Not thread-safe. */
#ifndef SOCKVIEW_CGSVC_H
#define SOCKVIEW_CGSVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CGSVC_LABEL_MAX 95
#define CGSVC_MAX 16384

struct cgsvc;

/* An empty table; never NULL. */
struct cgsvc *cgsvc_new(void);
/* NULL is allowed. */
void cgsvc_free(struct cgsvc *t);

/* Sets the label of id (cut to CGSVC_LABEL_MAX; len 0: known to have no
 * service) and its enum cgroup_kind. id 0 is ignored. */
void cgsvc_set(struct cgsvc *t, uint64_t id, const char *label, size_t len, unsigned kind);
/* True if id was set; then label, len and kind are its answer (label NULL
 * when len is 0). Pointers stay valid until the next cgsvc_set. */
bool cgsvc_get(const struct cgsvc *t, uint64_t id, const char **label, size_t *len,
	       unsigned *kind);
/* Number of ids known. */
size_t cgsvc_count(const struct cgsvc *t);

#endif
