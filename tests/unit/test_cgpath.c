/* test_cgpath.c - a socket's cgroup id -> path -> service (source/cgpath.h,
 * model/cgsvc.h, model/service.h), on a fake cgroup tree made under the
 * test's temporary directory: the ids are the directories' inode numbers,
 * as they are under the cgroup2 mount. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgpath.h"
#include "cgsvc.h"
#include "procmap.h"
#include "service.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define POD "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"

struct fx {
	char root[64];
};

static void mkdirs(const char *root, const char *rel)
{
	char path[4096], *p;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(path, 0700);
		*p = '/';
	}
	assert_int_equal(mkdir(path, 0700), 0);
}

static uint64_t ino_of(const char *root, const char *rel)
{
	char path[4096];
	struct stat sb;

	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	assert_int_equal(lstat(path, &sb), 0);
	return (uint64_t)sb.st_ino;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	if (!f)
		return -1;
	snprintf(f->root, sizeof(f->root), "%s/cgpathXXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(f->root)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static struct sock mksock(uint32_t inode, uint64_t cgid)
{
	struct sock s;

	memset(&s, 0, sizeof(s));
	s.proto = s.key.proto = SP_TCP;
	s.state = SS_ESTABLISHED;
	s.inode = s.key.inode = inode;
	s.key.cookie = inode + 1000;
	if (cgid) {
		s.has |= SOCK_HAS_CGROUP;
		s.cgroup_id = cgid;
	}
	return s;
}

/* id -> path: every directory, the root as "/", nothing else; one walk
 * per refresh at most, and a new refresh sees new directories. */
static void test_lookup(void **state)
{
	struct fx *f = *state;
	struct cgpath *c = cgpath_new(f->root);
	struct cgpath_stats st;
	char out[CGPATH_PATH_MAX], small[8], file[4096];
	size_t len;
	FILE *fp;

	mkdirs(f->root, "system.slice/nginx.service");
	mkdirs(f->root, "system.slice/docker-" ID ".scope");
	snprintf(file, sizeof(file), "%s/system.slice/cgroup.procs", f->root);
	fp = fopen(file, "w");
	assert_non_null(fp);
	if (fp)
		fclose(fp);
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, "system.slice/nginx.service"), out,
				       sizeof(out), &len), 0);
	assert_string_equal(out, "/system.slice/nginx.service");
	assert_int_equal(len, strlen(out));
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, ""), out, sizeof(out), &len), 0);
	assert_string_equal(out, "/");
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, "system.slice"), out, sizeof(out), &len),
			 0);
	assert_string_equal(out, "/system.slice");
	/* a file is no cgroup */
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, "system.slice/cgroup.procs"), out,
				       sizeof(out), &len), -1);
	/* too small a buffer */
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, "system.slice/nginx.service"), small,
				       sizeof(small), &len), -1);
	cgpath_stats(c, &st);
	assert_int_equal(st.walks, 1);
	assert_int_equal(st.known, 4);
	/* made after the walk: not seen until the next refresh */
	mkdirs(f->root, "system.slice/late.service");
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, "system.slice/late.service"), out,
				       sizeof(out), &len), -1);
	cgpath_stats(c, &st);
	assert_int_equal(st.walks, 1);
	cgpath_refresh(c);
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, "system.slice/late.service"), out,
				       sizeof(out), &len), 0);
	assert_string_equal(out, "/system.slice/late.service");
	/* known ids cost no walk */
	cgpath_refresh(c);
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, "system.slice/nginx.service"), out,
				       sizeof(out), &len), 0);
	cgpath_stats(c, &st);
	assert_int_equal(st.walks, 2);
	assert_int_equal(cgpath_lookup(c, 0, out, sizeof(out), &len), -1);
	cgpath_free(c);
}

/* Symlinks are not followed, paths past CGPATH_PATH_MAX are skipped, a
 * missing root answers nothing. */
static void test_hostile_tree(void **state)
{
	struct fx *f = *state;
	struct cgpath *c = cgpath_new(f->root);
	char out[CGPATH_PATH_MAX], name[250], rel[2048], link[4096], missing[128];
	size_t len, at = 0;

	mkdirs(f->root, "real.service");
	snprintf(link, sizeof(link), "%s/link.service", f->root);
	assert_int_equal(symlink("/", link), 0);
	memset(name, 'd', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	for (int i = 0; i < 5; i++)
		at += (size_t)snprintf(rel + at, sizeof(rel) - at, "%s%s", i ? "/" : "", name);
	mkdirs(f->root, rel);
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, "real.service"), out, sizeof(out), &len),
			 0);
	/* the symlink's target (/) is not walked: its directories are unknown */
	assert_int_equal(cgpath_lookup(c, ino_of("/", "usr"), out, sizeof(out), &len), -1);
	/* the fifth level would pass CGPATH_PATH_MAX: skipped; the fourth is there */
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, rel), out, sizeof(out), &len), -1);
	rel[4 * 250 - 1] = '\0';
	cgpath_refresh(c);
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, rel), out, sizeof(out), &len), 0);
	assert_int_equal(len, 1 + strlen(rel));
	cgpath_free(c);

	snprintf(missing, sizeof(missing), "%s/none", f->root);
	c = cgpath_new(missing);
	assert_int_equal(cgpath_lookup(c, ino_of(f->root, "real.service"), out, sizeof(out), &len),
			 -1);
	cgpath_free(c);
}

static int named;

/* A namer as runtime.h's: names every container "web". */
static void namer(struct cgroup_info *cg, long uid, void *ctx)
{
	(void)ctx;
	(void)uid;
	named++;
	cgroup_label_named(cg, "web", 3);
}

/* cgpath_fill: ids -> labels in the service table; the socket's own cgroup
 * wins over its holder's, the root cgroup does not; an unknown id is kept
 * as having none, after one walk. */
static void test_fill(void **state)
{
	struct fx *f = *state;
	struct cgpath *c = cgpath_new(f->root);
	struct procmap *pm = procmap_new();
	struct cgpath_stats st;
	struct sock s[6];
	const char *l;
	size_t len;
	unsigned kind;

	mkdirs(f->root, "system.slice/cron.service");
	mkdirs(f->root, "system.slice/docker-" ID ".scope");
	mkdirs(f->root, "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
			"1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice/cri-containerd-" ID ".scope");
	procmap_set_proc(pm, 10, "nginx", 5, 0);
	procmap_set_service(pm, 10, "nginx.service", 13, CG_SYSTEMD);
	procmap_add_owner(pm, 1, 10, 3);
	procmap_add_owner(pm, 2, 10, 4);
	procmap_add_owner(pm, 6, 10, 5);
	s[0] = mksock(1, ino_of(f->root, "system.slice/cron.service")); /* made in cron */
	s[1] = mksock(2, ino_of(f->root, ""));                           /* root: the holder's */
	s[2] = mksock(0, ino_of(f->root, "system.slice/docker-" ID ".scope")); /* an orphan */
	s[3] = mksock(0, ino_of(f->root, "kubepods.slice/kubepods-burstable.slice/"
					 "kubepods-burstable-pod1a2b3c4d_5e6f_7a8b_9c0d_"
					 "1e2f3a4b5c6d.slice/cri-containerd-" ID ".scope"));
	s[4] = mksock(0, 0xfffffffffull); /* a cgroup gone */
	s[5] = mksock(6, 0);              /* no cgroup id: the holder's */
	named = 0;
	cgpath_refresh(c);
	assert_int_equal(cgpath_fill(c, procmap_cgsvc(pm), s, 6, namer, NULL), 4);
	assert_int_equal(named, 2);
	cgpath_stats(c, &st);
	assert_int_equal(st.walks, 1);

	l = service_of_sock(&s[0], pm, &len, &kind);
	assert_non_null(l);
	assert_memory_equal(l, "cron.service", len);
	assert_int_equal(kind, CG_SYSTEMD);
	l = service_of_sock(&s[1], pm, &len, &kind);
	assert_non_null(l);
	assert_memory_equal(l, "nginx.service", len);
	l = service_of_sock(&s[2], pm, &len, &kind);
	assert_non_null(l);
	assert_int_equal(len, strlen("docker:web (0123456789ab)"));
	assert_memory_equal(l, "docker:web (0123456789ab)", len);
	assert_int_equal(kind, CG_DOCKER);
	l = service_of_sock(&s[3], pm, &len, &kind);
	assert_non_null(l);
	assert_int_equal(kind, CG_K8S);
	assert_memory_equal(l, "pod:web (0123456789ab)", len);
	assert_null(service_of_sock(&s[4], pm, &len, &kind));
	assert_true(cgsvc_get(procmap_cgsvc_get(pm), 0xfffffffffull, &l, &len, &kind));
	assert_int_equal(len, 0);
	l = service_of_sock(&s[5], pm, &len, NULL);
	assert_non_null(l);
	assert_memory_equal(l, "nginx.service", len);
	/* the next refresh: all known, no walk, nothing added */
	cgpath_refresh(c);
	assert_int_equal(cgpath_fill(c, procmap_cgsvc(pm), s, 6, namer, NULL), 0);
	cgpath_stats(c, &st);
	assert_int_equal(st.walks, 1);
	procmap_free(pm);
	cgpath_free(c);
}

/* The service table: bounded, ids set twice keep the last answer. */
static void test_cgsvc(void **state)
{
	struct cgsvc *t = cgsvc_new();
	const char *l;
	size_t len;
	unsigned kind;
	char big[300];

	(void)state;
	memset(big, 'a', sizeof(big));
	cgsvc_set(t, 5, big, sizeof(big), CG_OTHER);
	assert_true(cgsvc_get(t, 5, &l, &len, &kind));
	assert_int_equal(len, CGSVC_LABEL_MAX);
	cgsvc_set(t, 5, "x", 1, CG_SYSTEMD);
	assert_true(cgsvc_get(t, 5, &l, &len, &kind));
	assert_int_equal(len, 1);
	assert_int_equal(kind, CG_SYSTEMD);
	cgsvc_set(t, 0, "x", 1, CG_SYSTEMD);
	assert_false(cgsvc_get(t, 0, &l, &len, &kind));
	for (uint64_t id = 1; id <= CGSVC_MAX + 10; id++)
		cgsvc_set(t, id, "s", 1, CG_SYSTEMD);
	assert_true(cgsvc_count(t) <= CGSVC_MAX);
	assert_true(cgsvc_get(t, CGSVC_MAX + 10, &l, &len, &kind));
	cgsvc_free(t);
	cgsvc_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill, setup, teardown),
		cmocka_unit_test(test_cgsvc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
