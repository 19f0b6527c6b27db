/* cgpath_bench.c - the cost of naming sockets' cgroups (issue 17): a
 * refresh's cgpath_fill() over 10^5 records, first (the walk of the tree
 * and one label per id) and steady (every id known: one lookup per
 * record), and service_of_sock() over them (what the Service column, the
 * JSON key and --group=service pay per socket).
 *
 * usage: cgpath_bench [ROOT] [NDIRS]
 *   ROOT: a cgroup2 mount to walk as it is (default: a fake tree of NDIRS
 *   unit directories, default 500, made under $TMPDIR and removed).
 * Run by hand: its figures depend on the machine. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgpath.h"
#include "cgsvc.h"
#include "procmap.h"
#include "service.h"
#include "sock.h"

#define NREC 100000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	char root[256], path[512];
	int ndirs = argc > 2 ? atoi(argv[2]) : 500;
	uint64_t *ids = calloc((size_t)(ndirs > 0 ? ndirs : 1), sizeof(*ids));
	struct sock *s = calloc(NREC, sizeof(*s));
	struct procmap *pm = procmap_new();
	struct cgpath *c;
	struct cgpath_stats st;
	double t0, t1, t2, t3;
	size_t added, named = 0, len;
	int nid = 0;

	if (!ids || !s || ndirs <= 0)
		goto fail;
	if (argc > 1) {
		snprintf(root, sizeof(root), "%s", argv[1]);
	} else {
		snprintf(root, sizeof(root), "%s/cgbenchXXXXXX", tmp ? tmp : "/tmp");
		if (!mkdtemp(root))
			goto fail;
		snprintf(path, sizeof(path), "%s/system.slice", root);
		mkdir(path, 0700);
		for (int i = 0; i < ndirs; i++) {
			struct stat sb;

			snprintf(path, sizeof(path), "%s/system.slice/unit-%d.service", root, i);
			if (mkdir(path, 0700) == 0 && stat(path, &sb) == 0)
				ids[nid++] = (uint64_t)sb.st_ino;
		}
	}
	c = cgpath_new(root);
	if (!nid) {
		/* a real mount: its ids, found by one walk */
		struct stat sb;

		if (stat(root, &sb) < 0) {
			cgpath_free(c);
			goto fail;
		}
		ids[nid++] = (uint64_t)sb.st_ino;
	}
	srand(1);
	for (size_t i = 0; i < NREC; i++) {
		s[i].proto = SP_TCP;
		s[i].inode = (uint32_t)(i + 1);
		s[i].has = SOCK_HAS_CGROUP;
		s[i].cgroup_id = ids[(size_t)rand() % (size_t)(nid > 0 ? nid : 1)]; /* the worst order */
	}
	t0 = now_ms();
	cgpath_refresh(c);
	added = cgpath_fill(c, procmap_cgsvc(pm), s, NREC, NULL, NULL);
	t1 = now_ms();
	cgpath_refresh(c);
	(void)cgpath_fill(c, procmap_cgsvc(pm), s, NREC, NULL, NULL);
	t2 = now_ms();
	for (size_t i = 0; i < NREC; i++)
		if (service_of_sock(&s[i], pm, &len, NULL))
			named++;
	t3 = now_ms();
	cgpath_stats(c, &st);
	printf("records %d, cgroup ids %d, tree: %zu directories, %zu walk(s)\n", NREC, nid, st.dirs,
	       st.walks);
	printf("first refresh (walk + %zu labels): %.2f ms\n", added, t1 - t0);
	printf("steady refresh (all known):        %.2f ms (%.1f ns per record)\n", t2 - t1,
	       (t2 - t1) * 1e6 / NREC);
	printf("service_of_sock over all:          %.2f ms (%.1f ns per record, %zu named)\n",
	       t3 - t2, (t3 - t2) * 1e6 / NREC, named);
	cgpath_free(c);
	procmap_free(pm);
	free(s);
	free(ids);
	if (argc <= 1) {
		snprintf(path, sizeof(path), "rm -rf '%s'", root);
		if (system(path) != 0)
			return 1;
	}
	return 0;
fail:
	procmap_free(pm);
	free(s);
	free(ids);
	return 1;
}
