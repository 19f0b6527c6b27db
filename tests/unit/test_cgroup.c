/* test_cgroup.c - /proc/PID/cgroup -> service labels (model/cgroup.h), on
 * recorded contents of each kind (cgroup v1 and v2) and hostile input;
 * the netns table's labels (model/nstab.h); the "service" and "netns"
 * filter terms. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgroup.h"
#include "filter.h"
#include "nstab.h"
#include "procmap.h"
#include "xalloc.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SHORT "0123456789ab"
#define POD "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"

static void expect(const char *text, int kind, const char *label)
{
	struct cgroup_info cg;

	assert_int_equal(cgroup_parse(text, strlen(text), &cg), kind);
	assert_int_equal(cg.kind, kind);
	assert_string_equal(cg.label, label);
	assert_int_equal(cg.len, strlen(label));
}

static void test_systemd(void **state)
{
	(void)state;
	/* v2 (unified) */
	expect("0::/system.slice/nginx.service\n", CG_SYSTEMD, "nginx.service");
	expect("0::/init.scope\n", CG_SYSTEMD, "init.scope");
	expect("0::/user.slice/user-1000.slice/session-3.scope\n", CG_SYSTEMD, "session-3.scope");
	expect("0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
	       "app-org.gnome.Terminal.slice/vte-spawn-1.scope\n",
	       CG_SYSTEMD,
	       "user@1000.service/app.slice/app-org.gnome.Terminal.slice/vte-spawn-1.scope");
	expect("0::/user.slice/user-1000.slice/user@1000.service/init.scope\n", CG_SYSTEMD,
	       "user@1000.service/init.scope");
	/* v1 (legacy/hybrid: the unified line says "/") */
	expect("12:pids:/system.slice/sshd.service\n11:memory:/system.slice/sshd.service\n"
	       "1:name=systemd:/system.slice/sshd.service\n0::/\n",
	       CG_SYSTEMD, "sshd.service");
	/* the name=systemd line wins over the other v1 lines */
	expect("4:memory:/foo\n1:name=systemd:/system.slice/cron.service\n", CG_SYSTEMD,
	       "cron.service");
	/* no trailing newline */
	expect("0::/system.slice/a.service", CG_SYSTEMD, "a.service");
}

static void test_containers(void **state)
{
	(void)state;
	/* Docker: v2 with the systemd driver, v1 with cgroupfs */
	expect("0::/system.slice/docker-" ID ".scope\n", CG_DOCKER, "docker:" SHORT);
	expect("12:pids:/docker/" ID "\n11:memory:/docker/" ID "\n1:name=systemd:/docker/" ID
	       "\n0::/\n",
	       CG_DOCKER, "docker:" SHORT);
	/* Podman: v2 (rootful and rootless), v1 */
	expect("0::/machine.slice/libpod-" ID ".scope/container\n", CG_PODMAN, "podman:" SHORT);
	expect("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID
	       ".scope/container\n",
	       CG_PODMAN, "podman:" SHORT);
	expect("1:name=systemd:/libpod_parent/libpod-" ID "\n", CG_PODMAN, "podman:" SHORT);
	/* containerd: v2 systemd driver, v1 "/NAMESPACE/ID" */
	expect("0::/system.slice/cri-containerd-" ID ".scope\n", CG_CONTAINERD,
	       "containerd:" SHORT);
	expect("1:name=systemd:/default/" ID "\n", CG_CONTAINERD, "containerd:" SHORT);
	/* CRI-O */
	expect("0::/machine.slice/crio-" ID ".scope\n", CG_CRIO, "cri-o:" SHORT);
}

static void test_kubernetes(void **state)
{
	struct cgroup_info cg;
	const char *v2 = "0::/kubepods.slice/kubepods-burstable.slice/"
			 "kubepods-burstable-pod1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice/"
			 "cri-containerd-" ID ".scope\n";

	(void)state;
	expect(v2, CG_K8S, "pod:" POD "/containerd:" SHORT);
	assert_int_equal(cgroup_parse(v2, strlen(v2), &cg), CG_K8S);
	assert_string_equal(cg.id, ID);
	/* v1, cgroupfs driver: a bare id under the pod */
	expect("4:memory:/kubepods/besteffort/pod" POD "/" ID "\n"
	       "1:name=systemd:/kubepods/besteffort/pod" POD "/" ID "\n",
	       CG_K8S, "pod:" POD "/containerd:" SHORT);
	/* the guaranteed class has no QoS level in the path */
	expect("0::/kubepods/pod" POD "/crio-" ID ".scope\n", CG_K8S, "pod:" POD "/cri-o:" SHORT);
	/* the pod's own cgroup (the pause process's parent) */
	expect("0::/kubepods.slice/kubepods-pod1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice\n",
	       CG_K8S, "pod:" POD);
}

static void test_other_and_none(void **state)
{
	(void)state;
	expect("0::/\n", CG_NONE, "");
	expect("", CG_NONE, "");
	expect("12:pids:/\n1:name=systemd:/\n0::/\n", CG_NONE, "");
	/* a hand-made cgroup: its path */
	expect("0::/process_api/52fa2f79\n", CG_OTHER, "/process_api/52fa2f79");
	expect("4:memory:/process_api/52fa\n3:cpuset:/\n0::/\n", CG_OTHER, "/process_api/52fa");
	/* an id that is not 64 hex digits is no container */
	expect("0::/system.slice/docker-0123.scope\n", CG_SYSTEMD, "docker-0123.scope");
	expect("0::/docker/" "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\n",
	       CG_OTHER, "/docker/0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef");
	assert_string_equal(cgroup_kind_name(CG_DOCKER), "docker");
	assert_string_equal(cgroup_kind_name(999), "");
}

static void test_hostile(void **state)
{
	struct cgroup_info cg;
	char *big;
	size_t n;

	(void)state;
	/* control bytes stay raw in the label (escaped when shown) */
	expect("0::/evil\x1b]0;t\x07.service\n", CG_SYSTEMD, "evil\x1b]0;t\x07.service");
	/* malformed lines are skipped */
	expect("garbage\n0:\n::\n0::/system.slice/x.service\n", CG_SYSTEMD, "x.service");
	/* NUL bytes inside do not stop the parser */
	assert_int_equal(cgroup_parse("0::/a\0b.service\n", 16, &cg), CG_SYSTEMD);
	assert_int_equal(cg.len, 11); /* a, NUL, b.service */
	/* a 4 KiB+ line is ignored, a long path's label is cut */
	n = CGROUP_LINE_MAX + 100;
	big = xmalloc(n + 64);
	memcpy(big, "0::/", 4);
	memset(big + 4, 'a', n - 4);
	memcpy(big + n, "\n1:name=systemd:/y.service\n", 28);
	assert_int_equal(cgroup_parse(big, strlen(big), &cg), CG_SYSTEMD);
	assert_string_equal(cg.label, "y.service");
	memcpy(big, "0::/", 4);
	memset(big + 4, 'b', 3000);
	big[3004] = '\0';
	assert_int_equal(cgroup_parse(big, strlen(big), &cg), CG_OTHER);
	assert_int_equal(cg.len, CGROUP_LABEL_MAX - 1);
	assert_int_equal(strlen(cg.label), CGROUP_LABEL_MAX - 1);
	/* many components, deep nesting */
	for (size_t i = 0; i + 2 < 3000; i += 2)
		memcpy(big + 4 + i, "a/", 2);
	assert_int_equal(cgroup_parse(big, strlen(big), &cg), CG_OTHER);
	free(big);
	/* truncated input at every length of a real file */
	{
		const char *t = "12:pids:/docker/" ID "\n1:name=systemd:/docker/" ID "\n";

		for (size_t k = 0; k <= strlen(t); k++) {
			cgroup_parse(t, k, &cg);
			assert_true(cg.len < CGROUP_LABEL_MAX);
			assert_int_equal(cg.label[cg.len], '\0');
		}
	}
}

static void test_nstab(void **state)
{
	struct nstab t;
	struct nstab_ent *e;
	char buf[64];

	(void)state;
	nstab_init(&t);
	e = nstab_add(&t);
	e->ino = 100;
	memcpy(e->name, "blue", 4);
	e->name_len = 4;
	e = nstab_add(&t);
	e->ino = 200;
	e->pid = 42;
	memcpy(e->comm, "nginx", 5);
	e->comm_len = 5;
	e = nstab_add(&t);
	e->ino = 300;
	assert_int_equal(nstab_label(nstab_find(&t, 100), buf, sizeof(buf)), 4);
	assert_string_equal(buf, "blue");
	nstab_label(nstab_find(&t, 200), buf, sizeof(buf));
	assert_string_equal(buf, "pid 42 (nginx)");
	nstab_label(nstab_find(&t, 300), buf, sizeof(buf));
	assert_string_equal(buf, "netns:[300]");
	assert_int_equal(nstab_label(nstab_find(&t, 200), buf, 5), 4);
	assert_string_equal(buf, "pid ");
	assert_null(nstab_find(&t, 7));
	assert_non_null(nstab_find_name(&t, "blue", 4));
	assert_null(nstab_find_name(&t, "blu", 3));
	nstab_free(&t);
}

static uint32_t fake_netns(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "blue") ? 4026532001u : 0;
}

static void test_filter_terms(void **state)
{
	struct filter_names names = { .netns = fake_netns };
	struct filter_error err;
	struct procmap *pm = procmap_new();
	struct sock s;
	struct filter *f;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.proto = s.key.proto = SP_TCP;
	s.family = s.key.family = 2; /* AF_INET */
	s.inode = s.key.inode = 77;
	s.key.netns = 4026532001u;
	procmap_set_proc(pm, 10, "nginx", 5, 0);
	procmap_add_owner(pm, 77, 10, 3);
	procmap_set_service(pm, 10, "nginx.service", 13, CG_SYSTEMD);

	f = filter_parse_with("netns blue", &names, &err);
	assert_non_null(f);
	assert_true(filter_matches(f, &s, pm));
	filter_free(f);
	f = filter_parse_with("netns != blue", &names, &err);
	assert_false(filter_matches(f, &s, pm));
	filter_free(f);
	f = filter_parse_with("netns 4026532001", &names, &err);
	assert_true(filter_matches(f, &s, pm));
	filter_free(f);
	assert_null(filter_parse_with("netns red", &names, &err));
	assert_non_null(strstr(err.msg, "unknown network namespace"));
	assert_null(filter_parse_with("netns", &names, &err));

	f = filter_parse_with("service nginx.*", &names, &err);
	assert_non_null(f);
	assert_true(filter_uses_service(f));
	assert_true(filter_uses_processes(f));
	assert_true(filter_matches(f, &s, pm));
	filter_free(f);
	f = filter_parse_with("service 'docker:*'", &names, &err);
	assert_false(filter_matches(f, &s, pm));
	filter_free(f);
	f = filter_parse_with("service != 'docker:*'", &names, &err);
	assert_true(filter_matches(f, &s, pm));
	assert_false(filter_matches(f, &s, NULL));
	filter_free(f);
	f = filter_parse_with("tcp", &names, &err);
	assert_false(filter_uses_service(f));
	filter_free(f);
	procmap_free(pm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_systemd),
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_kubernetes),
		cmocka_unit_test(test_other_and_none),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_nstab),
		cmocka_unit_test(test_filter_terms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
