/* runtime.c - container names from runtimes' state directories (see
 * runtime.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "jsonx.h"
#include "runtime.h"
#include "safefile.h"
#include "xalloc.h"

#define NS_MAX 64          /* containerd namespaces looked into */
#define PASSWD_MAX (4u << 20)

struct cache_ent {
	char id[65];
	uint8_t kind;
	uint8_t len; /* 0: no name */
	char name[RUNTIME_NAME_MAX];
};

struct runtime {
	char *root;
	struct cache_ent *v;
	size_t n;
	size_t reads;
};

struct runtime *runtime_new(const char *root)
{
	struct runtime *rt = xcalloc(1, sizeof(*rt));
	size_t n = strlen(root);

	/* "/" and "/tmp/x/" both end without the slash: paths add their own */
	while (n > 0 && root[n - 1] == '/')
		n--;
	rt->root = xcalloc(1, n + 1);
	memcpy(rt->root, root, n);
	return rt;
}

void runtime_free(struct runtime *rt)
{
	if (!rt)
		return;
	free(rt->root);
	free(rt->v);
	free(rt);
}

size_t runtime_reads(const struct runtime *rt)
{
	return rt->reads;
}

/* Reads ROOT + path (bounded) into b; -1 if absent, refused or too big. */
static int read_file(struct runtime *rt, const char *path, size_t max, struct buf *b)
{
	char full[4096];

	if (snprintf(full, sizeof(full), "%s%s", rt->root, path) >= (int)sizeof(full))
		return -1;
	buf_reset(b);
	rt->reads++;
	return safefile_read(full, max, b);
}

/* A decoded string into out, cut to fit; false if missing, not a string,
 * empty, longer than NAME_READ_MAX or holding a NUL. */
#define NAME_READ_MAX 4096
static bool get_str(struct jsonx v, const char *const *path, size_t npath, char *out,
		    size_t size, size_t *len)
{
	char tmp[NAME_READ_MAX];

	*len = 0;
	out[0] = '\0';
	if (jsonx_path_string(v, path, npath, tmp, sizeof(tmp), len) < 0 || !*len ||
	    memchr(tmp, '\0', *len)) {
		*len = 0;
		return false;
	}
	if (*len >= size)
		*len = size - 1;
	memcpy(out, tmp, *len);
	out[*len] = '\0';
	return true;
}

/* Appends s[0..n) to out (size bytes, NUL-terminated), cut to fit. */
static void cat(char *out, size_t size, size_t *at, const char *s, size_t n)
{
	if (*at + 1 >= size)
		return;
	if (n > size - 1 - *at)
		n = size - 1 - *at;
	memcpy(out + *at, s, n);
	*at += n;
	out[*at] = '\0';
}

/* A name from an OCI spec's annotations (containerd, CRI-O). */
static size_t name_of_spec(struct jsonx doc, char *out, size_t size)
{
	static const char *const ctr_keys[] = { "io.kubernetes.cri.container-name",
						"io.kubernetes.container.name" };
	static const char *const pod_keys[] = { "io.kubernetes.cri.sandbox-name",
						"io.kubernetes.pod.name" };
	static const char *const ns_keys[] = { "io.kubernetes.cri.sandbox-namespace",
					       "io.kubernetes.pod.namespace" };
	char ctr[RUNTIME_NAME_MAX], pod[RUNTIME_NAME_MAX], ns[RUNTIME_NAME_MAX];
	size_t lc = 0, lp = 0, ln = 0, at = 0;
	struct jsonx ann;
	const char *path[1];

	out[0] = '\0';
	if (jsonx_member(doc, "annotations", &ann) < 0)
		return 0;
	for (size_t i = 0; i < 2 && !lc; i++) {
		path[0] = ctr_keys[i];
		if (!get_str(ann, path, 1, ctr, sizeof(ctr), &lc))
			lc = 0;
	}
	for (size_t i = 0; i < 2 && !lp; i++) {
		path[0] = pod_keys[i];
		if (!get_str(ann, path, 1, pod, sizeof(pod), &lp))
			lp = 0;
	}
	for (size_t i = 0; i < 2 && !ln; i++) {
		path[0] = ns_keys[i];
		if (!get_str(ann, path, 1, ns, sizeof(ns), &ln))
			ln = 0;
	}
	if (lp) {
		if (ln) {
			cat(out, size, &at, ns, ln);
			cat(out, size, &at, "/", 1);
		}
		cat(out, size, &at, pod, lp);
		if (lc) {
			cat(out, size, &at, "/", 1);
			cat(out, size, &at, ctr, lc);
		}
		return at;
	}
	path[0] = "nerdctl/name";
	if (get_str(ann, path, 1, out, size, &at))
		return at;
	if (lc) {
		at = 0;
		cat(out, size, &at, ctr, lc);
		return at;
	}
	out[0] = '\0';
	return 0;
}

/* The home directory of uid from ROOT/etc/passwd into home; false if none. */
static bool home_of(struct runtime *rt, long uid, char *home, size_t size)
{
	struct buf b = BUF_INIT;
	bool found = false;

	if (uid < 0 || read_file(rt, "/etc/passwd", PASSWD_MAX, &b) < 0) {
		buf_free(&b);
		return false;
	}
	for (size_t at = 0; at < b.len && !found;) {
		const char *line = b.data + at, *nl = memchr(line, '\n', b.len - at);
		size_t ll = nl ? (size_t)(nl - line) : b.len - at;
		const char *f[7];
		size_t nf = 0;

		f[nf++] = line;
		for (size_t i = 0; i < ll && nf < 7; i++)
			if (line[i] == ':')
				f[nf++] = line + i + 1;
		if (nf == 7) {
			char *end;
			long u = strtol(f[2], &end, 10);
			size_t hl = (size_t)(f[6] - 1 - f[5]);

			if (end > f[2] && *end == ':' && u == uid && hl > 1 && hl < size &&
			    f[5][0] == '/' && !memchr(f[5], '\0', hl)) {
				memcpy(home, f[5], hl);
				home[hl] = '\0';
				found = true;
			}
		}
		at += ll + 1;
	}
	buf_free(&b);
	return found;
}

static size_t docker_name(struct runtime *rt, const char *id, long uid, char *out, size_t size,
			  struct buf *b)
{
	static const char *const key[] = { "Name" };
	char path[4096], home[1024];
	size_t len = 0;

	snprintf(path, sizeof(path), "/var/lib/docker/containers/%s/config.v2.json", id);
	if (read_file(rt, path, RUNTIME_FILE_MAX, b) < 0) {
		if (uid <= 0 || !home_of(rt, uid, home, sizeof(home)))
			return 0;
		snprintf(path, sizeof(path), "%s/.local/share/docker/containers/%s/config.v2.json",
			 home, id);
		if (read_file(rt, path, RUNTIME_FILE_MAX, b) < 0)
			return 0;
	}
	if (!get_str(jsonx_doc(b->data, b->len), key, 1, out, size, &len))
		return 0;
	if (out[0] == '/') { /* Docker's names start with "/" */
		memmove(out, out + 1, len);
		len--;
	}
	return len;
}

/* Podman's containers.json at path: the first name of container id. */
static size_t podman_list(struct runtime *rt, const char *path, const char *id, char *out,
			  size_t size, struct buf *b)
{
	struct jsonx doc, el, names, first;
	size_t pos = 0, len;
	char got[80];

	if (read_file(rt, path, RUNTIME_LIST_MAX, b) < 0)
		return 0;
	doc = jsonx_doc(b->data, b->len);
	while (jsonx_next(doc, &pos, &el) == 0) {
		struct jsonx idv;
		size_t npos = 0;

		if (jsonx_member(el, "id", &idv) < 0 ||
		    jsonx_string(idv, got, sizeof(got), &len) < 0 || strcmp(got, id))
			continue;
		if (jsonx_member(el, "names", &names) < 0 || jsonx_next(names, &npos, &first) < 0 ||
		    jsonx_string(first, out, size, &len) < 0 || !len || memchr(out, '\0', len))
			return 0;
		return len;
	}
	return 0;
}

static size_t podman_name(struct runtime *rt, const char *id, long uid, char *out, size_t size,
			  struct buf *b)
{
	static const char *const lists[] = {
		"/var/lib/containers/storage/overlay-containers/containers.json",
		"/run/containers/storage/overlay-containers/containers.json",
	};
	char path[4096], home[1024];
	size_t len;

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if ((len = podman_list(rt, lists[i], id, out, size, b)) > 0)
			return len;
	if (uid <= 0)
		return 0;
	if (home_of(rt, uid, home, sizeof(home))) {
		snprintf(path, sizeof(path),
			 "%s/.local/share/containers/storage/overlay-containers/containers.json",
			 home);
		if ((len = podman_list(rt, path, id, out, size, b)) > 0)
			return len;
	}
	snprintf(path, sizeof(path), "/run/user/%ld/containers/overlay-containers/containers.json",
		 uid);
	return podman_list(rt, path, id, out, size, b);
}

/* containerd: the spec of id in whichever namespace holds it. */
static size_t containerd_name(struct runtime *rt, const char *id, char *out, size_t size,
			      struct buf *b)
{
	static const char *const bases[] = {
		"/run/containerd/io.containerd.runtime.v2.task",
		"/run/k3s/containerd/io.containerd.runtime.v2.task",
	};

	for (size_t k = 0; k < sizeof(bases) / sizeof(bases[0]); k++) {
		char dir[4096], path[4096];
		const struct dirent *de;
		size_t nns = 0, len = 0;
		bool found = false;
		DIR *d;
		int fd;

		if (snprintf(dir, sizeof(dir), "%s%s", rt->root, bases[k]) >= (int)sizeof(dir))
			continue;
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		d = fdopendir(fd);
		if (!d) {
			close(fd);
			continue;
		}
		while (!found && nns < NS_MAX && (de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' || strlen(de->d_name) > 255)
				continue;
			nns++;
			snprintf(path, sizeof(path), "%s/%s/%s/config.json", bases[k], de->d_name, id);
			if (read_file(rt, path, RUNTIME_FILE_MAX, b) < 0)
				continue;
			found = true;
			len = name_of_spec(jsonx_doc(b->data, b->len), out, size);
		}
		closedir(d);
		if (found)
			return len;
	}
	return 0;
}

static size_t crio_name(struct runtime *rt, const char *id, char *out, size_t size,
			struct buf *b)
{
	static const char *const bases[] = {
		"/run/containers/storage/overlay-containers",
		"/var/lib/containers/storage/overlay-containers",
	};
	char path[4096];

	for (size_t k = 0; k < sizeof(bases) / sizeof(bases[0]); k++) {
		snprintf(path, sizeof(path), "%s/%s/userdata/config.json", bases[k], id);
		if (read_file(rt, path, RUNTIME_FILE_MAX, b) == 0)
			return name_of_spec(jsonx_doc(b->data, b->len), out, size);
	}
	return 0;
}

static bool valid_id(const char *id)
{
	size_t n = strlen(id);

	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return false;
	return true;
}

size_t runtime_lookup(struct runtime *rt, unsigned kind, const char *id, long uid, char *out,
		      size_t size)
{
	char name[RUNTIME_NAME_MAX];
	struct buf b = BUF_INIT;
	struct cache_ent *e;
	size_t len = 0;

	if (!size)
		return 0;
	out[0] = '\0';
	/* the id goes into paths: 64 hex digits and nothing else */
	if (!valid_id(id))
		return 0;
	for (size_t i = 0; i < rt->n; i++) {
		e = &rt->v[i];
		if (e->kind == kind && !strcmp(e->id, id)) {
			len = e->len < size ? e->len : size - 1;
			memcpy(out, e->name, len);
			out[len] = '\0';
			return len;
		}
	}
	switch (kind) {
	case CG_DOCKER: len = docker_name(rt, id, uid, name, sizeof(name), &b); break;
	case CG_PODMAN: len = podman_name(rt, id, uid, name, sizeof(name), &b); break;
	case CG_CONTAINERD: len = containerd_name(rt, id, name, sizeof(name), &b); break;
	case CG_CRIO: len = crio_name(rt, id, name, sizeof(name), &b); break;
	case CG_K8S:
		len = containerd_name(rt, id, name, sizeof(name), &b);
		if (!len)
			len = crio_name(rt, id, name, sizeof(name), &b);
		break;
	default: break;
	}
	buf_free(&b);
	if (len >= sizeof(name))
		len = sizeof(name) - 1;
	if (rt->n == RUNTIME_CACHE_MAX)
		rt->n = 0; /* bounded: start over */
	if (!rt->v)
		rt->v = xcalloc(RUNTIME_CACHE_MAX, sizeof(*rt->v));
	e = &rt->v[rt->n++];
	memcpy(e->id, id, 65);
	e->kind = (uint8_t)kind;
	e->len = (uint8_t)len;
	memcpy(e->name, name, len);
	len = len < size ? len : size - 1;
	memcpy(out, name, len);
	out[len] = '\0';
	return len;
}

void runtime_name(struct cgroup_info *cg, long uid, void *ctx)
{
	struct runtime *rt = ctx;
	char name[RUNTIME_NAME_MAX];
	size_t len;

	if (!rt || !cg->id[0])
		return;
	len = runtime_lookup(rt, cg->kind, cg->id, uid, name, sizeof(name));
	if (len)
		cgroup_label_named(cg, name, len);
}
