/* cgpath.c - cgroup v2 id -> path, walking the cgroup2 mount (see cgpath.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgpath.h"
#include "xalloc.h"

struct ent {
	uint64_t id; /* 0: empty */
	uint32_t off, len; /* the path in the pool */
};

struct cgpath {
	char *root;      /* NULL: find the mount at the first lookup */
	bool root_known;
	bool walked;     /* in this refresh */
	struct ent *v;   /* id -> path: open addressing, at most half full */
	unsigned bits;
	size_t n;
	char *pool;
	size_t pool_len, pool_cap;
	struct cgpath_stats st;
};

static size_t slot_of(uint64_t id, unsigned bits)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

static struct ent *find(const struct cgpath *c, uint64_t id)
{
	size_t mask = ((size_t)1 << c->bits) - 1, i = slot_of(id, c->bits);

	while (c->v[i].id && c->v[i].id != id)
		i = (i + 1) & mask;
	return &c->v[i];
}

static void add(struct cgpath *c, uint64_t id, const char *path, size_t len)
{
	struct ent *e;

	if (!id)
		return;
	if ((c->n + 1) * 2 > ((size_t)1 << c->bits)) {
		struct ent *old = c->v;
		size_t nold = (size_t)1 << c->bits;

		c->bits++;
		c->v = xcalloc((size_t)1 << c->bits, sizeof(*c->v));
		for (size_t i = 0; i < nold; i++)
			if (old[i].id)
				*find(c, old[i].id) = old[i];
		free(old);
	}
	e = find(c, id);
	if (e->id)
		return; /* the first path seen wins */
	if (c->pool_len + len > c->pool_cap) {
		c->pool_cap = (c->pool_len + len) * 2;
		c->pool = xreallocarray(c->pool, c->pool_cap, 1);
	}
	memcpy(c->pool + c->pool_len, path, len);
	e->id = id;
	e->off = (uint32_t)c->pool_len;
	e->len = (uint32_t)len;
	c->pool_len += len;
	c->n++;
}

struct cgpath *cgpath_new(const char *root)
{
	struct cgpath *c = xcalloc(1, sizeof(*c));

	if (root) {
		c->root = xstrdup(root);
		c->root_known = true;
	}
	c->bits = 6;
	c->v = xcalloc((size_t)1 << c->bits, sizeof(*c->v));
	return c;
}

void cgpath_free(struct cgpath *c)
{
	if (!c)
		return;
	free(c->root);
	free(c->v);
	free(c->pool);
	free(c);
}

void cgpath_refresh(struct cgpath *c)
{
	c->walked = false;
}

/* The cgroup2 mount point from /proc/self/mounts (a path with an octal
 * escape, "\040" for a space, is skipped), or NULL. */
static char *find_mount(void)
{
	FILE *f = fopen("/proc/self/mounts", "re");
	char line[4096];
	char *found = NULL;

	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		char dev[256], dir[2048], type[64];

		if (sscanf(line, "%255s %2047s %63s", dev, dir, type) == 3 &&
		    !strcmp(type, "cgroup2") && !strchr(dir, '\\'))
			found = xstrdup(dir);
	}
	fclose(f);
	return found;
}

/* Walks the directory dfd (whose path below the root is path[0..len),
 * "" for the root), adding its subdirectories; closes dfd. */
static void walk(struct cgpath *c, int dfd, char *path, size_t len, unsigned depth)
{
	DIR *d = fdopendir(dfd);
	const struct dirent *de;

	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t nl;
		int sub;

		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (c->st.dirs >= CGPATH_DIRS_MAX)
			break;
		nl = strlen(de->d_name);
		if (len + 1 + nl >= CGPATH_PATH_MAX)
			continue;
		if (de->d_type == DT_UNKNOWN) {
			struct stat sb;

			if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
			    !S_ISDIR(sb.st_mode))
				continue;
		}
		path[len] = '/';
		memcpy(path + len + 1, de->d_name, nl);
		c->st.dirs++;
		add(c, (uint64_t)de->d_ino, path, len + 1 + nl);
		if (depth + 1 >= CGPATH_DEPTH_MAX)
			continue;
		sub = openat(dirfd(d), de->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
		if (sub >= 0)
			walk(c, sub, path, len + 1 + nl, depth + 1);
	}
	closedir(d);
}

/* Forgets what the last walk found and walks the tree again. */
static void walk_all(struct cgpath *c)
{
	char path[CGPATH_PATH_MAX];
	struct stat sb;
	int fd;

	c->walked = true;
	c->st.walks++;
	c->st.dirs = 0;
	if (!c->root_known) {
		c->root = find_mount();
		c->root_known = true;
	}
	if (!c->root)
		return;
	fd = open(c->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return;
	memset(c->v, 0, ((size_t)1 << c->bits) * sizeof(*c->v));
	c->n = 0;
	c->pool_len = 0;
	if (fstat(fd, &sb) == 0)
		add(c, (uint64_t)sb.st_ino, "/", 1);
	walk(c, fd, path, 0, 0);
}

int cgpath_lookup(struct cgpath *c, uint64_t id, char *out, size_t size, size_t *len)
{
	const struct ent *e = id ? find(c, id) : NULL;

	if (!e || !e->id) {
		if (!id || c->walked) {
			errno = id ? EAGAIN : ENOENT;
			return -1;
		}
		walk_all(c);
		e = find(c, id);
		if (!e->id) {
			errno = ENOENT;
			return -1;
		}
	}
	if (e->len + 1 > size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(out, c->pool + e->off, e->len);
	out[e->len] = '\0';
	*len = e->len;
	return 0;
}

size_t cgpath_fill(struct cgpath *c, struct cgsvc *t, const struct sock *socks, size_t n,
		   cgpath_namer namer, void *ctx)
{
	uint64_t last = 0; /* sockets of one cgroup tend to come together */
	size_t added = 0;

	for (size_t i = 0; i < n; i++) {
		const struct sock *s = &socks[i];
		char path[CGPATH_PATH_MAX];
		struct cgroup_info cg;
		const char *l;
		size_t len;

		if (!(s->has & SOCK_HAS_CGROUP) || !s->cgroup_id || s->cgroup_id == last)
			continue;
		last = s->cgroup_id;
		if (cgsvc_get(t, s->cgroup_id, &l, &len, NULL))
			continue;
		if (cgpath_lookup(c, s->cgroup_id, path, sizeof(path), &len) < 0) {
			/* not there at a walk made after the dump: gone (its
			 * id never comes back) or out of our sight */
			if (c->walked)
				cgsvc_set(t, s->cgroup_id, "", 0, CG_NONE);
			continue;
		}
		cgroup_parse_path(path, len, &cg);
		if (namer && cg.id[0])
			namer(&cg, (s->has & SOCK_HAS_UID) ? (long)s->uid : -1, ctx);
		cgsvc_set(t, s->cgroup_id, cg.label, cg.len, cg.kind);
		added++;
	}
	return added;
}

void cgpath_stats(const struct cgpath *c, struct cgpath_stats *st)
{
	*st = c->st;
	st->known = c->n;
}
