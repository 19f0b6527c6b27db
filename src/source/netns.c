/* netns.c - network namespaces by name. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "netns.h"
#include "nsopen.h"
#include "nsrun.h"
#include "nstab.h"
#include "xalloc.h"

#define NETNS_DIR "/run/netns"

int netns_enter(const char *name, char *err, size_t errlen)
{
	char path[4096], why[256];
	int fd, saved;

	if (snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, name) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		snprintf(err, errlen, _("network namespace '%s': name too long"), name);
		return -1;
	}
	fd = nsopen(path, why, sizeof(why));
	if (fd < 0) {
		saved = errno;
		if (saved == EINVAL) /* not a namespace: say what it is */
			snprintf(err, errlen, _("network namespace '%s': %s: %s"), name, path, why);
		else if (saved == ENOENT)
			snprintf(err, errlen,
				 _("network namespace '%s' not found (no %s; see 'ip netns list')"),
				 name, path);
		else
			snprintf(err, errlen, _("network namespace '%s': %s"), name, strerror(saved));
		errno = saved;
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		saved = errno;
		snprintf(err, errlen,
			 saved == EPERM ? _("network namespace '%s': permission denied (entering a namespace needs CAP_SYS_ADMIN)")
			 : saved == EINVAL ? _("network namespace '%s': a namespace file, but not of a network namespace")
					   : _("network namespace '%s': cannot enter it"),
			 name);
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

/* ---- every namespace at once ---- */

#define SELF_NS "/proc/thread-self/ns/net"

struct lent {
	struct nstab_ent e;
	int fd;
};

struct netns_list {
	char *proc, *run;
	struct nstab tab;
	int *fds;
	size_t fds_cap;
	struct lent *tmp; /* the refresh being built */
	size_t ntmp, tmp_cap;
};

int netns_current(uint64_t *dev, uint32_t *ino)
{
	struct stat st;

	if (stat(SELF_NS, &st) < 0)
		return -1;
	*dev = (uint64_t)st.st_dev;
	*ino = (uint32_t)st.st_ino;
	return 0;
}

int netns_run_in(int nsfd, int (*fn)(void *arg), void *arg)
{
	return ns_run_in(nsfd, fn, arg);
}

/* Opens entry e's namespace again (by name, else through its process) and
 * checks it is the same one (a name or pid may have been reused). */
int netns_open_entry(const struct nstab_ent *e)
{
	char path[4096];
	struct stat st;
	int fd;

	if (e->name_len)
		snprintf(path, sizeof(path), "%s/%.*s", NETNS_DIR, (int)e->name_len, e->name);
	else if (e->pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)e->pid);
	else
		return errno = ENOENT, -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || (uint32_t)st.st_ino != e->ino) {
		close(fd);
		errno = ENOENT;
		return -1;
	}
	return fd;
}

struct netns_list *netns_list_new(const char *proc_root, const char *run_dir)
{
	struct netns_list *l = xcalloc(1, sizeof(*l));

	l->proc = xstrdup(proc_root);
	l->run = xstrdup(run_dir);
	nstab_init(&l->tab);
	return l;
}

void netns_list_free(struct netns_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->tab.n; i++)
		if (l->fds[i] >= 0)
			close(l->fds[i]);
	nstab_free(&l->tab);
	free(l->fds);
	free(l->tmp);
	free(l->proc);
	free(l->run);
	free(l);
}

const struct nstab *netns_list_table(const struct netns_list *l)
{
	return &l->tab;
}

int netns_list_fd(const struct netns_list *l, size_t i)
{
	return i < l->tab.n ? l->fds[i] : -1;
}

static struct lent *tmp_find(struct netns_list *l, uint64_t dev, uint32_t ino)
{
	for (size_t i = 0; i < l->ntmp; i++)
		if (l->tmp[i].e.dev == dev && l->tmp[i].e.ino == ino)
			return &l->tmp[i];
	return NULL;
}

/* A new entry for (dev, ino): its descriptor is the previous refresh's if
 * the namespace was known (taken over: not closed), else path opened. */
static struct lent *tmp_add(struct netns_list *l, uint64_t dev, uint32_t ino, const char *path)
{
	struct lent *t;

	xgrow((void **)&l->tmp, &l->tmp_cap, l->ntmp + 1, sizeof(*l->tmp));
	t = &l->tmp[l->ntmp++];
	memset(t, 0, sizeof(*t));
	t->e.dev = dev;
	t->e.ino = ino;
	t->fd = -1;
	for (size_t i = 0; i < l->tab.n; i++) {
		if (l->tab.v[i].dev == dev && l->tab.v[i].ino == ino && l->fds[i] >= 0) {
			t->fd = l->fds[i];
			l->fds[i] = -1;
			return t;
		}
	}
	if (path)
		t->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (path && t->fd < 0)
		t->e.denied = true;
	return t;
}

static void add_names(struct netns_list *l)
{
	DIR *d = opendir(l->run);
	struct dirent *de;
	char path[4096];

	if (!d)
		return; /* no /run/netns: no names, which is normal */
	while ((de = readdir(d))) {
		struct stat st;
		struct lent *t;
		size_t n;

		if (de->d_name[0] == '.' &&
		    (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", l->run, de->d_name) >= (int)sizeof(path))
			continue;
		/* an `ip netns add` still being made is a plain empty file:
		 * its inode is not a namespace's (nsfs is its own device) */
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size != 0)
			continue;
		t = tmp_find(l, (uint64_t)st.st_dev, (uint32_t)st.st_ino);
		if (!t)
			t = tmp_add(l, (uint64_t)st.st_dev, (uint32_t)st.st_ino, path);
		if (t->e.name_len)
			continue; /* two names: the first one read */
		n = strlen(de->d_name);
		if (n > NSTAB_NAME_MAX)
			n = NSTAB_NAME_MAX;
		memcpy(t->e.name, de->d_name, n);
		t->e.name_len = (uint8_t)n;
	}
	closedir(d);
}

static bool is_pid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void read_comm(struct netns_list *l, struct lent *t)
{
	char path[64], buf[NSTAB_COMM_MAX + 1];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%.40s/%d/comm", l->proc, (int)t->e.pid);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return;
	if (buf[n - 1] == '\n')
		n--;
	if (n > NSTAB_COMM_MAX)
		n = NSTAB_COMM_MAX;
	memcpy(t->e.comm, buf, (size_t)n);
	t->e.comm_len = (uint8_t)n;
}

static void add_procs(struct netns_list *l)
{
	DIR *d = opendir(l->proc);
	struct dirent *de;
	char path[4096];

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;
		struct lent *t;
		long pid;

		if (!is_pid(de->d_name))
			continue;
		pid = strtol(de->d_name, NULL, 10);
		if (pid <= 0 || pid > INT32_MAX)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/ns/net", l->proc, de->d_name) >=
		    (int)sizeof(path))
			continue;
		/* ENOENT: exited; EACCES: another user's, unprivileged */
		if (stat(path, &st) < 0)
			continue;
		t = tmp_find(l, (uint64_t)st.st_dev, (uint32_t)st.st_ino);
		if (!t)
			t = tmp_add(l, (uint64_t)st.st_dev, (uint32_t)st.st_ino, path);
		if (!t->e.pid || pid < t->e.pid)
			t->e.pid = (int32_t)pid;
	}
	closedir(d);
}

static int lent_cmp(const void *pa, const void *pb)
{
	const struct lent *a = pa, *b = pb;
	size_t n;
	int r;

	if (a->e.current != b->e.current)
		return a->e.current ? -1 : 1;
	if (!a->e.name_len != !b->e.name_len)
		return a->e.name_len ? -1 : 1;
	if (a->e.name_len) {
		n = a->e.name_len < b->e.name_len ? a->e.name_len : b->e.name_len;
		r = memcmp(a->e.name, b->e.name, n);
		if (r)
			return r;
		return a->e.name_len < b->e.name_len ? -1 : a->e.name_len > b->e.name_len;
	}
	return a->e.pid < b->e.pid ? -1 : a->e.pid > b->e.pid;
}

int netns_list_refresh(struct netns_list *l)
{
	uint64_t dev;
	uint32_t ino;
	struct lent *cur;

	l->ntmp = 0;
	if (netns_current(&dev, &ino) < 0) {
		int e = errno;

		for (size_t i = 0; i < l->tab.n; i++)
			if (l->fds[i] >= 0)
				close(l->fds[i]);
		nstab_clear(&l->tab);
		errno = e;
		return -1;
	}
	/* the current namespace: its diag socket is opened where we are */
	cur = tmp_add(l, dev, ino, NULL);
	cur->e.current = true;
	cur->e.denied = false;
	add_names(l);
	add_procs(l);
	qsort(l->tmp, l->ntmp, sizeof(*l->tmp), lent_cmp);
	/* descriptors of namespaces gone since the last refresh */
	for (size_t i = 0; i < l->tab.n; i++)
		if (l->fds[i] >= 0)
			close(l->fds[i]);
	nstab_clear(&l->tab);
	xgrow((void **)&l->fds, &l->fds_cap, l->ntmp, sizeof(*l->fds));
	for (size_t i = 0; i < l->ntmp; i++) {
		struct nstab_ent *e = nstab_add(&l->tab);

		if (l->tmp[i].e.pid && !l->tmp[i].e.name_len)
			read_comm(l, &l->tmp[i]);
		*e = l->tmp[i].e;
		l->fds[i] = l->tmp[i].fd;
		if (e->denied)
			l->tab.denied++;
	}
	return 0;
}

void netns_list_deny(struct netns_list *l, size_t i)
{
	if (i >= l->tab.n || l->tab.v[i].denied)
		return;
	l->tab.v[i].denied = true;
	l->tab.denied++;
}
