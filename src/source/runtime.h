/* runtime.h - container names from a local runtime's state directory.
 *
 * The cgroup path names a container by its id only (cgroup.h). The
 * runtimes keep each container's name in small JSON files on the local
 * disk, so the name is read there, without asking any daemon:
 *   - Docker: var/lib/docker/containers/ID/config.v2.json, "Name": "/web"
 *     (rootless: HOME/.local/share/docker/containers/...);
 *   - Podman: containers.json under var/lib/containers/storage/
 *     overlay-containers/ (also run/containers/storage/..., rootless
 *     HOME/.local/share/containers/storage/... and run/user/UID/
 *     containers/...): [{"id": ID, "names": ["web"]}, ...];
 *   - containerd (nerdctl, Kubernetes' CRI): run/containerd/
 *     io.containerd.runtime.v2.task/NAMESPACE/ID/config.json (also k3s's
 *     run/k3s/containerd/...), the OCI spec whose "annotations" hold
 *     "nerdctl/name", or "io.kubernetes.cri.sandbox-namespace",
 *     "io.kubernetes.cri.sandbox-name" and "io.kubernetes.cri.container-name";
 *   - CRI-O: run/containers/storage/overlay-containers/ID/userdata/
 *     config.json, annotations "io.kubernetes.pod.namespace",
 *     "io.kubernetes.pod.name", "io.kubernetes.container.name".
 * A pod's container is named "NAMESPACE/POD/CONTAINER" (its sandbox
 * "NAMESPACE/POD"). HOME comes from ROOT/etc/passwd (read by us, not
 * through NSS, which could ask the network).
 *
 * The files are hostile input (whoever starts a container writes its name
 * and labels): a file that is not regular, a symlink, or larger than
 * RUNTIME_FILE_MAX (RUNTIME_LIST_MAX for Podman's list) is refused; the
 * JSON is read by jsonx.h; names are raw bytes (escape them when shown),
 * a name holding a NUL byte is refused, a name longer than
 * RUNTIME_NAME_MAX - 1 is cut.
 *
 * Cost: each (kind, id) is looked up once, hit or miss, and remembered (at
 * most RUNTIME_CACHE_MAX ids; the cache is emptied when full): a few small
 * local files per new container, never a daemon call. All paths are
 * under root ("/" in the program; tests give a directory of their own). */
#ifndef SOCKVIEW_RUNTIME_H
#define SOCKVIEW_RUNTIME_H

#include <stddef.h>

#include "cgroup.h"

#define RUNTIME_FILE_MAX (1u << 20)
#define RUNTIME_LIST_MAX (8u << 20)
#define RUNTIME_NAME_MAX 128
#define RUNTIME_CACHE_MAX 1024

struct runtime;

/* Reads nothing yet; never NULL. */
struct runtime *runtime_new(const char *root);
void runtime_free(struct runtime *rt);

/* The name of container id (64 hex digits) of enum cgroup_kind kind
 * (CG_DOCKER, CG_PODMAN, CG_CONTAINERD, CG_CRIO, CG_K8S: containerd then
 * CRI-O) into out (NUL-terminated); uid is its owner's (for rootless
 * runtimes), or -1. Returns the name's length, 0 if none is known. */
size_t runtime_lookup(struct runtime *rt, unsigned kind, const char *id, long uid, char *out,
		      size_t size);

/* cgpath.h's namer (ctx: the struct runtime): puts the name of cg's
 * container, if known, into cg's label (cgroup_label_named). */
void runtime_name(struct cgroup_info *cg, long uid, void *ctx);

/* How many files were read so far (tests, bench). */
size_t runtime_reads(const struct runtime *rt);

#endif
