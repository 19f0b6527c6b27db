/* cgroup.h - which service or container a process belongs to, from the
 * text of its /proc/PID/cgroup (model: parses bytes, no I/O).
 *
 * The file has one line per hierarchy, "ID:CONTROLLERS:PATH": cgroup v2
 * has the single line "0::PATH"; v1 has one line per controller
 * ("4:memory:/docker/ID", "1:name=systemd:/system.slice/x.service"). The
 * v2 path is used when it says anything (not "/"), else the name=systemd
 * line, else the first v1 path that is not "/".
 *
 * From the path's components (the innermost kind wins in this order):
 *  - a Kubernetes pod: "kubepods" with "pod<UID>" (cgroupfs driver) or
 *    "kubepods-...-pod<UID_WITH_UNDERSCORES>.slice" (systemd driver);
 *    the label is "pod:UID" with "/" and the container's label if any;
 *  - a container: "docker-ID.scope", "libpod-ID.scope" (Podman),
 *    "cri-containerd-ID.scope", "crio-ID.scope", or a bare 64-hex-digit
 *    component (under "docker": Docker; else containerd's "/NS/ID");
 *    the label is "docker:SHORTID" (12 hex digits), "podman:",
 *    "containerd:", "cri-o:";
 *  - a systemd unit: the last component ending in ".service" or ".scope";
 *    under "user@UID.service", the path from there ("user@1000.service/
 *    app.slice/app-x.scope");
 *  - otherwise the path itself (a cgroup someone made by hand).
 *
 * Labels are raw bytes (a path may hold any byte but NUL and '\n'):
 * escape them when shown. Every input is accepted; lines longer than
 * CGROUP_LINE_MAX are ignored, labels are cut at CGROUP_LABEL_MAX - 1. */
#ifndef SOCKVIEW_CGROUP_H
#define SOCKVIEW_CGROUP_H

#include <stddef.h>
#include <stdint.h>

#define CGROUP_LABEL_MAX 96
#define CGROUP_LINE_MAX 4096
#define CGROUP_ID_SHORT 12

enum cgroup_kind {
	CG_NONE,       /* the root cgroup, or nothing readable */
	CG_OTHER,      /* a path without a known shape */
	CG_SYSTEMD,    /* a systemd unit */
	CG_DOCKER,
	CG_PODMAN,
	CG_CONTAINERD,
	CG_CRIO,
	CG_K8S,        /* a Kubernetes pod (container label inside) */
};

struct cgroup_info {
	uint8_t kind;  /* enum cgroup_kind */
	uint8_t len;   /* bytes of label */
	char label[CGROUP_LABEL_MAX]; /* NUL-terminated too (len bytes before) */
	/* the container's full id (hex, NUL-terminated; empty if none), for
	 * a runtime's state directory */
	char id[65];
};

/* Parses len bytes of /proc/PID/cgroup into *out (always filled; kind
 * CG_NONE when nothing is said). Returns out->kind. */
int cgroup_parse(const char *buf, size_t len, struct cgroup_info *out);

/* The same for one cgroup path ("/system.slice/nginx.service", as a v2
 * line's PATH; the path of a socket's cgroup id, cgpath.h). "/" and ""
 * are CG_NONE, so are paths over CGROUP_LINE_MAX or with a newline. */
int cgroup_parse_path(const char *path, size_t len, struct cgroup_info *out);

/* A container's label with its name (from a runtime's state directory,
 * runtime.h): "docker:NAME (SHORTID)", "podman:", "containerd:",
 * "cri-o:"; a pod's "pod:NAME (SHORTID)" (the runtime's NAME says
 * namespace, pod and container). Does nothing for other kinds, without an
 * id or with an empty name. The name is raw bytes, cut so that the id
 * stays whole. */
void cgroup_label_named(struct cgroup_info *cg, const char *name, size_t len);

/* "systemd", "docker", "podman", "containerd", "cri-o", "kubernetes",
 * "cgroup", "" (CG_NONE). */
const char *cgroup_kind_name(unsigned kind);

#endif
