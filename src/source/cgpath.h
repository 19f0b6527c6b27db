/* cgpath.h - the path of a cgroup v2 id, by walking the cgroup2 mount.
 *
 * The kernel reports an inet socket's cgroup as an id (INET_DIAG_CGROUP_ID,
 * sock.h's cgroup_id): the inode number of the cgroup's directory under the
 * cgroup2 mount (64-bit kernfs ids, never reused while the machine runs).
 * There is no call from id to path, so a miss walks the tree once
 * (readdir's d_ino of every directory; files are skipped) and keeps every
 * id -> path it saw. A walk happens at most once per refresh
 * (cgpath_refresh), only when an id is missing, so a refresh that meets
 * only known ids costs one hash lookup per socket. The walk is bounded:
 * CGPATH_DEPTH_MAX levels, CGPATH_DIRS_MAX directories, paths up to
 * CGPATH_PATH_MAX bytes; it never follows symlinks.
 *
 * cgpath_fill() is the collector's step: every socket's cgroup id that the
 * service table (cgsvc.h) does not know yet gets its label there
 * (cgroup_parse_path, then the namer for container names, runtime.h).
 *
 * The root is a parameter so that tests walk a fake tree (any directory
 * tree: the ids are then its inode numbers). Not thread-safe. */
#ifndef SOCKVIEW_CGPATH_H
#define SOCKVIEW_CGPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"
#include "cgsvc.h"
#include "sock.h"

#define CGPATH_DEPTH_MAX 32
#define CGPATH_DIRS_MAX 65536
#define CGPATH_PATH_MAX 1024

struct cgpath;

/* root: the cgroup2 mount (NULL: the one /proc/self/mounts names; if there
 * is none every lookup fails). Never NULL; nothing is read until a lookup. */
struct cgpath *cgpath_new(const char *root);
void cgpath_free(struct cgpath *c);

/* A new refresh: the next miss may walk the tree again. */
void cgpath_refresh(struct cgpath *c);

/* The path of id relative to the root ("/system.slice/x.service"; "/" for
 * the root itself) into out (NUL-terminated), its length in *len. 0, or -1
 * with errno: ENOENT (not there at the walk of this refresh: gone, or out
 * of our sight), EAGAIN (unknown, and this refresh's walk is spent),
 * ENAMETOOLONG (out too small). */
int cgpath_lookup(struct cgpath *c, uint64_t id, char *out, size_t size, size_t *len);

/* Names a container in a cgroup_info (runtime.h's runtime_name fits);
 * uid is the socket's owner uid or -1. */
typedef void (*cgpath_namer)(struct cgroup_info *cg, long uid, void *ctx);

/* Gives every socket of socks[0..n) with a cgroup id that t does not know
 * yet its label in t: the path's service (cgroup.h), named by namer (may
 * be NULL). An id not found after this refresh's walk is stored as known
 * to have none. Returns how many ids were added. */
size_t cgpath_fill(struct cgpath *c, struct cgsvc *t, const struct sock *socks, size_t n,
		   cgpath_namer namer, void *ctx);

/* What the walks cost so far (bench, tests). */
struct cgpath_stats {
	size_t walks;  /* whole-tree walks */
	size_t dirs;   /* directories seen by the last walk */
	size_t known;  /* ids known now */
};
void cgpath_stats(const struct cgpath *c, struct cgpath_stats *st);

#endif
