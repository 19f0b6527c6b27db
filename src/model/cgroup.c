/* cgroup.c - /proc/PID/cgroup text -> a service or container label. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "cgroup.h"

struct span {
	const char *p;
	size_t n;
};

static bool has_prefix(struct span s, const char *pre)
{
	size_t k = strlen(pre);

	return s.n >= k && !memcmp(s.p, pre, k);
}

static bool has_suffix(struct span s, const char *suf)
{
	size_t k = strlen(suf);

	return s.n >= k && !memcmp(s.p + s.n - k, suf, k);
}

static bool span_is(struct span s, const char *w)
{
	return s.n == strlen(w) && !memcmp(s.p, w, s.n);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool all_hex(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_hex(p[i]))
			return false;
	return n > 0;
}

/* The container runtime named by one path component ("docker-ID.scope",
 * a bare ID under "docker"...), with the id copied into id; CG_NONE if the
 * component is not a container's. */
static int container_of(struct span c, struct span parent, char id[65])
{
	static const struct {
		const char *pre;
		int kind;
	} forms[] = {
		{ "docker-", CG_DOCKER },
		{ "libpod-conmon-", CG_PODMAN },
		{ "libpod-", CG_PODMAN },
		{ "cri-containerd-", CG_CONTAINERD },
		{ "crio-conmon-", CG_CRIO },
		{ "crio-", CG_CRIO },
	};
	struct span body = c;
	int kind = CG_NONE;

	if (has_suffix(body, ".scope"))
		body.n -= strlen(".scope");
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t k = strlen(forms[i].pre);

		if (has_prefix(body, forms[i].pre)) {
			body.p += k;
			body.n -= k;
			kind = forms[i].kind;
			break;
		}
	}
	if (kind == CG_NONE) {
		if (c.n != 64)
			return CG_NONE;
		body = c;
		/* a bare id: Docker's cgroupfs driver ("/docker/ID"), Podman's
		 * ("/libpod_parent/libpod-..." is above), else containerd's
		 * "/NAMESPACE/ID" (a pod's container says the same) */
		kind = span_is(parent, "docker") ? CG_DOCKER : CG_CONTAINERD;
	}
	if (body.n != 64 || !all_hex(body.p, body.n))
		return CG_NONE;
	memcpy(id, body.p, 64);
	id[64] = '\0';
	return kind;
}

/* The pod UID of a kubepods component, into pod (NUL-terminated): the
 * cgroupfs form "podUID", the systemd form "kubepods-QOS-podUID.slice"
 * with '_' for '-'. Returns true if c names a pod. */
static bool pod_of(struct span c, char pod[65])
{
	struct span u;
	size_t k = 0;

	if (has_prefix(c, "kubepods") && has_suffix(c, ".slice")) {
		const char *q = NULL;

		for (size_t i = 0; i + 4 <= c.n; i++)
			if (!memcmp(c.p + i, "-pod", 4))
				q = c.p + i + 4;
		if (!q)
			return false;
		u.p = q;
		u.n = (size_t)(c.p + c.n - strlen(".slice") - q);
	} else if (has_prefix(c, "pod")) {
		u.p = c.p + 3;
		u.n = c.n - 3;
	} else {
		return false;
	}
	if (!u.n || u.n > 64)
		return false;
	for (size_t i = 0; i < u.n; i++) {
		char ch = u.p[i];

		if (ch == '_')
			ch = '-';
		if (!is_hex(ch) && ch != '-')
			return false;
		pod[k++] = ch;
	}
	pod[k] = '\0';
	return true;
}

static void label_add(struct cgroup_info *out, const char *p, size_t n)
{
	size_t room = CGROUP_LABEL_MAX - 1 - out->len;

	if (n > room)
		n = room;
	memcpy(out->label + out->len, p, n);
	out->len = (uint8_t)(out->len + n);
	out->label[out->len] = '\0';
}

static void label_str(struct cgroup_info *out, const char *s)
{
	label_add(out, s, strlen(s));
}

static const char *const runtime_prefix[] = {
	[CG_DOCKER] = "docker:",
	[CG_PODMAN] = "podman:",
	[CG_CONTAINERD] = "containerd:",
	[CG_CRIO] = "cri-o:",
};

/* Reads one cgroup path. */
static int parse_path(struct span path, struct cgroup_info *out)
{
	struct span parent = { "", 0 }, unit = { NULL, 0 };
	const char *user = NULL; /* start of "user@UID.service" */
	const char *end = path.p + path.n;
	char pod[65] = "";
	int ckind = CG_NONE;
	bool k8s = false;

	for (const char *p = path.p; p < end;) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		struct span c = { p, (size_t)((slash ? slash : end) - p) };
		char id[65];
		int k;

		p = slash ? slash + 1 : end;
		if (!c.n)
			continue;
		if (has_prefix(c, "kubepods"))
			k8s = true;
		if (k8s && pod_of(c, pod)) {
			parent = c;
			continue;
		}
		k = container_of(c, parent, id);
		if (k != CG_NONE) {
			ckind = k;
			memcpy(out->id, id, sizeof(id));
		} else if (has_suffix(c, ".service") || has_suffix(c, ".scope")) {
			if (has_prefix(c, "user@") && has_suffix(c, ".service"))
				user = c.p;
			unit = c;
		}
		parent = c;
	}
	if (pod[0]) {
		label_str(out, "pod:");
		label_str(out, pod);
		if (ckind != CG_NONE) {
			label_str(out, "/");
			label_str(out, runtime_prefix[ckind]);
			label_add(out, out->id, CGROUP_ID_SHORT);
		}
		return CG_K8S;
	}
	if (ckind != CG_NONE) {
		label_str(out, runtime_prefix[ckind]);
		label_add(out, out->id, CGROUP_ID_SHORT);
		return ckind;
	}
	if (unit.p) {
		if (user && user <= unit.p)
			label_add(out, user, (size_t)(unit.p + unit.n - user));
		else
			label_add(out, unit.p, unit.n);
		return CG_SYSTEMD;
	}
	label_add(out, path.p, path.n);
	return CG_OTHER;
}

static bool is_root(struct span path)
{
	return path.n == 0 || (path.n == 1 && path.p[0] == '/');
}

int cgroup_parse(const char *buf, size_t len, struct cgroup_info *out)
{
	struct span v2 = { NULL, 0 }, sd = { NULL, 0 }, v1 = { NULL, 0 }, *pick;
	const char *end = buf + len;

	memset(out, 0, sizeof(*out));
	for (const char *p = buf; p && p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *c1, *c2;
		struct span ctrl, path;

		if ((size_t)(le - p) > CGROUP_LINE_MAX)
			goto next;
		c1 = memchr(p, ':', (size_t)(le - p));
		c2 = c1 ? memchr(c1 + 1, ':', (size_t)(le - c1 - 1)) : NULL;
		if (!c2)
			goto next;
		ctrl = (struct span){ c1 + 1, (size_t)(c2 - c1 - 1) };
		path = (struct span){ c2 + 1, (size_t)(le - c2 - 1) };
		if (is_root(path))
			goto next;
		if (c1 - p == 1 && p[0] == '0' && ctrl.n == 0) {
			if (!v2.p)
				v2 = path;
		} else if (span_is(ctrl, "name=systemd")) {
			if (!sd.p)
				sd = path;
		} else if (!v1.p) {
			v1 = path;
		}
next:
		p = nl ? nl + 1 : NULL;
	}
	pick = v2.p ? &v2 : sd.p ? &sd : v1.p ? &v1 : NULL;
	out->kind = pick ? (uint8_t)parse_path(*pick, out) : CG_NONE;
	return out->kind;
}

const char *cgroup_kind_name(unsigned kind)
{
	static const char *const names[] = {
		[CG_NONE] = "",
		[CG_OTHER] = "cgroup",
		[CG_SYSTEMD] = "systemd",
		[CG_DOCKER] = "docker",
		[CG_PODMAN] = "podman",
		[CG_CONTAINERD] = "containerd",
		[CG_CRIO] = "cri-o",
		[CG_K8S] = "kubernetes",
	};

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "";
}

int cgroup_parse_path(const char *path, size_t len, struct cgroup_info *out)
{
	struct span p = { path, len };

	memset(out, 0, sizeof(*out));
	if (len > CGROUP_LINE_MAX || is_root(p) || memchr(path, '\n', len))
		return CG_NONE;
	out->kind = (uint8_t)parse_path(p, out);
	return out->kind;
}

void cgroup_label_named(struct cgroup_info *cg, const char *name, size_t len)
{
	size_t room;

	if (!len || !cg->id[0] || cg->kind < CG_DOCKER || cg->kind > CG_K8S)
		return;
	cg->len = 0;
	cg->label[0] = '\0';
	label_str(cg, cg->kind == CG_K8S ? "pod:" : runtime_prefix[cg->kind]);
	/* the short id always fits: the name gives way */
	room = CGROUP_LABEL_MAX - 1 - cg->len - (2 + CGROUP_ID_SHORT + 1);
	label_add(cg, name, len < room ? len : room);
	label_str(cg, " (");
	label_add(cg, cg->id, CGROUP_ID_SHORT);
	label_str(cg, ")");
}
