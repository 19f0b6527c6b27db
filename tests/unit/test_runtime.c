/* test_runtime.c - container names from recorded runtime state trees
 * (source/runtime.h), made under the test's temporary directory: Docker,
 * Podman (rootful, rootless), containerd (nerdctl, CRI), CRI-O; hostile
 * files (truncated, huge, control bytes, wrong types, symlinks, FIFOs);
 * the cache (one read per id). */
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

#include "cgroup.h"
#include "runtime.h"

#define ID1 "1111111111111111111111111111111111111111111111111111111111111111"
#define ID2 "2222222222222222222222222222222222222222222222222222222222222222"
#define ID3 "3333333333333333333333333333333333333333333333333333333333333333"
#define ID4 "4444444444444444444444444444444444444444444444444444444444444444"
#define ID5 "5555555555555555555555555555555555555555555555555555555555555555"

struct fx {
	char root[64];
};

/* Writes len bytes at ROOT/rel, making the directories. */
static void put(const struct fx *f, const char *rel, const char *data, size_t len)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->root, rel);
	for (char *p = path + strlen(f->root) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(path, 0700);
			*p = '/';
		}
	}
	fp = fopen(path, "w");
	assert_non_null(fp);
	if (!fp)
		return;
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

static void puts_(const struct fx *f, const char *rel, const char *s)
{
	put(f, rel, s, strlen(s));
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	if (!f)
		return -1;
	snprintf(f->root, sizeof(f->root), "%s/rtXXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
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

static const char *name(struct runtime *rt, unsigned kind, const char *id, long uid)
{
	static char out[RUNTIME_NAME_MAX];
	size_t n = runtime_lookup(rt, kind, id, uid, out, sizeof(out));

	assert_int_equal(strlen(out), n);
	return out;
}

static void test_docker_podman(void **state)
{
	struct fx *f = *state;
	struct runtime *rt = runtime_new(f->root);
	size_t reads;

	puts_(f, "var/lib/docker/containers/" ID1 "/config.v2.json",
	      "{\"StreamConfig\":{},\"State\":{\"Running\":true,\"Pid\":4242},\"ID\":\"" ID1 "\","
	      "\"Config\":{\"Hostname\":\"1111\",\"Labels\":{\"Name\":\"no\"}},"
	      "\"Name\":\"/web\",\"MountPoints\":{\"/data\":{\"Name\":\"vol\"}}}");
	puts_(f, "var/lib/containers/storage/overlay-containers/containers.json",
	      "[{\"id\":\"" ID3 "\",\"names\":[\"other\"]},"
	      "{\"id\":\"" ID2 "\",\"names\":[\"db\",\"alias\"],\"image\":\"x\","
	      "\"metadata\":\"{\\\"image-name\\\":\\\"postgres\\\"}\"}]");
	/* rootless Podman: HOME from ROOT/etc/passwd */
	puts_(f, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nbroken line\n"
			       "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n");
	puts_(f, "home/alice/.local/share/containers/storage/overlay-containers/containers.json",
	      "[{\"id\":\"" ID4 "\",\"names\":[\"mine\"]}]");
	/* rootless Docker */
	puts_(f, "home/alice/.local/share/docker/containers/" ID5 "/config.v2.json",
	      "{\"Name\":\"/rootless\"}");

	assert_string_equal(name(rt, CG_DOCKER, ID1, -1), "web");
	assert_string_equal(name(rt, CG_PODMAN, ID2, -1), "db");
	assert_string_equal(name(rt, CG_PODMAN, ID3, 0), "other");
	assert_string_equal(name(rt, CG_PODMAN, ID4, -1), ""); /* whose home? */
	runtime_free(rt);
	rt = runtime_new(f->root); /* the miss above is remembered per id */
	assert_string_equal(name(rt, CG_PODMAN, ID4, 1000), "mine");
	assert_string_equal(name(rt, CG_DOCKER, ID5, 1000), "rootless");
	assert_string_equal(name(rt, CG_DOCKER, ID2, -1), ""); /* not Docker's */
	/* cached: hits and misses read nothing again */
	reads = runtime_reads(rt);
	assert_string_equal(name(rt, CG_DOCKER, ID5, 1000), "rootless");
	assert_string_equal(name(rt, CG_DOCKER, ID2, -1), "");
	assert_string_equal(name(rt, CG_PODMAN, ID4, 1000), "mine");
	assert_int_equal(runtime_reads(rt), reads);
	/* ids go into paths: only 64 hex digits are looked up */
	assert_string_equal(name(rt, CG_DOCKER, "../../../etc", -1), "");
	assert_string_equal(name(rt, CG_DOCKER, "1111", -1), "");
	assert_int_equal(runtime_reads(rt), reads);
	runtime_free(rt);
	runtime_free(NULL);
}

static void test_containerd_crio(void **state)
{
	struct fx *f = *state;
	struct runtime *rt = runtime_new(f->root);
	struct cgroup_info cg;
	static const char pod_cg[] =
		"0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
		"1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice/cri-containerd-" ID1 ".scope\n";

	/* CRI in containerd's k8s.io namespace */
	puts_(f, "run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID1 "/config.json",
	      "{\"ociVersion\":\"1.1.0\",\"process\":{\"args\":[\"nginx\"]},\"annotations\":{"
	      "\"io.kubernetes.cri.container-type\":\"container\","
	      "\"io.kubernetes.cri.container-name\":\"web\","
	      "\"io.kubernetes.cri.sandbox-name\":\"nginx-7d9f\","
	      "\"io.kubernetes.cri.sandbox-namespace\":\"shop\"}}");
	/* the pod's sandbox: no container name */
	puts_(f, "run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID2 "/config.json",
	      "{\"annotations\":{\"io.kubernetes.cri.sandbox-name\":\"nginx-7d9f\","
	      "\"io.kubernetes.cri.sandbox-namespace\":\"shop\"}}");
	/* nerdctl in the default namespace */
	puts_(f, "run/containerd/io.containerd.runtime.v2.task/default/" ID3 "/config.json",
	      "{\"annotations\":{\"nerdctl/name\":\"cache\",\"nerdctl/platform\":\"linux/amd64\"}}");
	/* CRI-O */
	puts_(f, "run/containers/storage/overlay-containers/" ID4 "/userdata/config.json",
	      "{\"annotations\":{\"io.kubernetes.container.name\":\"api\","
	      "\"io.kubernetes.pod.name\":\"api-5c\",\"io.kubernetes.pod.namespace\":\"prod\"}}");

	assert_string_equal(name(rt, CG_K8S, ID1, -1), "shop/nginx-7d9f/web");
	assert_string_equal(name(rt, CG_CONTAINERD, ID2, -1), "shop/nginx-7d9f");
	assert_string_equal(name(rt, CG_CONTAINERD, ID3, -1), "cache");
	assert_string_equal(name(rt, CG_CRIO, ID4, -1), "prod/api-5c/api");
	assert_string_equal(name(rt, CG_K8S, ID4, -1), "prod/api-5c/api");
	assert_string_equal(name(rt, CG_SYSTEMD, ID4, -1), "");

	/* the label a pod's container gets */
	cgroup_parse(pod_cg, strlen(pod_cg), &cg);
	assert_int_equal(cg.kind, CG_K8S);
	runtime_name(&cg, -1, rt);
	assert_string_equal(cg.label, "pod:shop/nginx-7d9f/web (111111111111)");
	assert_int_equal(cg.len, strlen(cg.label));
	/* a container whose name is unknown keeps its id label */
	cgroup_parse("0::/system.slice/docker-" ID5 ".scope\n",
		     strlen("0::/system.slice/docker-" ID5 ".scope\n"), &cg);
	assert_int_equal(cg.kind, CG_DOCKER);
	runtime_name(&cg, -1, rt);
	assert_string_equal(cg.label, "docker:555555555555");
	runtime_free(rt);
}

static void test_hostile(void **state)
{
	struct fx *f = *state;
	struct runtime *rt = runtime_new(f->root);
	struct cgroup_info cg;
	char *big, path[4096], target[4096];
	size_t bigsz = RUNTIME_FILE_MAX + 10;
	char longname[400];

	/* control bytes: kept raw (the output escapes them) */
	puts_(f, "var/lib/docker/containers/" ID1 "/config.v2.json",
	      "{\"Name\":\"/\\u001b]0;owned\\u0007\\n\x01x\"}");
	assert_string_equal(name(rt, CG_DOCKER, ID1, -1), "\x1b]0;owned\x07\n\x01x");
	/* truncated */
	puts_(f, "var/lib/docker/containers/" ID2 "/config.v2.json", "{\"ID\":\"2\",\"Name\":\"/tr");
	assert_string_equal(name(rt, CG_DOCKER, ID2, -1), "");
	/* wrong type */
	puts_(f, "var/lib/docker/containers/" ID3 "/config.v2.json", "{\"Name\":[\"/x\"]}");
	assert_string_equal(name(rt, CG_DOCKER, ID3, -1), "");
	/* a NUL inside the name: refused */
	puts_(f, "var/lib/docker/containers/" ID4 "/config.v2.json", "{\"Name\":\"/a\\u0000b\"}");
	assert_string_equal(name(rt, CG_DOCKER, ID4, -1), "");
	/* huge: refused unread, even with a valid name first */
	big = malloc(bigsz);
	assert_non_null(big);
	if (!big)
		return;
	memset(big, ' ', bigsz);
	memcpy(big, "{\"Name\":\"/big\"}", 15);
	put(f, "var/lib/docker/containers/" ID5 "/config.v2.json", big, bigsz);
	free(big);
	assert_string_equal(name(rt, CG_DOCKER, ID5, -1), "");
	runtime_free(rt);

	rt = runtime_new(f->root);
	/* a symlink to a file with a name: not followed */
	puts_(f, "elsewhere.json", "{\"Name\":\"/linked\"}");
	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/" ID1 "/config.v2.json",
		 f->root);
	unlink(path);
	snprintf(target, sizeof(target), "%s/elsewhere.json", f->root);
	assert_int_equal(symlink(target, path), 0);
	assert_string_equal(name(rt, CG_DOCKER, ID1, -1), "");
	/* a FIFO: refused without blocking */
	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/" ID2 "/config.v2.json",
		 f->root);
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_string_equal(name(rt, CG_DOCKER, ID2, -1), "");
	/* a long name: cut, and the label keeps the whole short id */
	memset(longname, 'n', sizeof(longname));
	snprintf(path, sizeof(path), "{\"Name\":\"/%.*s\"}", 300, longname);
	puts_(f, "var/lib/docker/containers/" ID3 "/config.v2.json", path);
	/* cut to RUNTIME_NAME_MAX - 1 with its "/", which Docker names drop */
	assert_int_equal(strlen(name(rt, CG_DOCKER, ID3, -1)), RUNTIME_NAME_MAX - 2);
	cgroup_parse("0::/docker/" ID3 "\n", strlen("0::/docker/" ID3 "\n"), &cg);
	assert_int_equal(cg.kind, CG_DOCKER);
	runtime_name(&cg, -1, rt);
	assert_true(cg.len < CGROUP_LABEL_MAX);
	assert_int_equal(cg.label[cg.len], '\0');
	assert_non_null(strstr(cg.label, " (333333333333)"));
	assert_memory_equal(cg.label, "docker:nnnn", 11);
	/* Podman lists: broken, wrong types, no names */
	puts_(f, "var/lib/containers/storage/overlay-containers/containers.json",
	      "[{\"id\":\"" ID4 "\",\"names\":\"notalist\"},{\"id\":\"" ID5 "\",\"names\":[]},"
	      "{\"id\":42},{\"id\":\"" ID1 "\",\"names\":[\"late\"]}");
	assert_string_equal(name(rt, CG_PODMAN, ID4, -1), "");
	assert_string_equal(name(rt, CG_PODMAN, ID5, -1), "");
	/* the list is truncated after the last element began: nothing */
	assert_string_equal(name(rt, CG_PODMAN, ID1, -1), "");
	/* a passwd line with a huge uid or a relative home: no home */
	puts_(f, "etc/passwd", "bob:x:99999999999999999999:1:b:/home/bob:/bin/sh\n"
			       "eve:x:1001:1:e:home/eve:/bin/sh\n");
	puts_(f, "home/eve/.local/share/docker/containers/" ID2 "/config.v2.json",
	      "{\"Name\":\"/eve\"}");
	assert_string_equal(name(rt, CG_DOCKER, ID2, 1001), "");
	runtime_free(rt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_docker_podman, setup, teardown),
		cmocka_unit_test_setup_teardown(test_containerd_crio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
