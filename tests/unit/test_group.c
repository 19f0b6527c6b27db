/* test_group.c - grouping by process: counts, rates, shared sockets,
 * accept-queue children, sockets with no process. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cgroup.h"
#include "cgsvc.h"
#include "group.h"

static struct sock mk(unsigned proto, unsigned state, uint32_t inode)
{
	struct sock s;

	memset(&s, 0, sizeof(s));
	s.proto = s.key.proto = (uint8_t)proto;
	s.state = (uint8_t)state;
	s.inode = s.key.inode = inode;
	s.key.cookie = inode ? inode : 999;
	return s;
}

static const struct group_row *row_of(const struct group_set *g, int64_t key)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->rows[i].key == key)
			return &g->rows[i];
	return NULL;
}

static void test_group(void **state)
{
	struct procmap *pm = procmap_new();
	struct sock s[6];
	struct group_input in[6];
	struct group_set g;
	const struct group_row *r;
	char label[32];

	(void)state;
	procmap_set_proc(pm, 100, "web", 3, 0);
	procmap_set_proc(pm, 200, "worker", 6, 0);
	s[0] = mk(SP_TCP, SS_LISTEN, 11);              /* web's listener */
	s[1] = mk(SP_TCP, SS_ESTABLISHED, 12);         /* shared by web and worker */
	s[2] = mk(SP_TCP, SS_ESTABLISHED, 0);          /* waits for accept() on 11 */
	s[2].listener_inode = 11;
	s[3] = mk(SP_TCP, SS_TIME_WAIT, 0);            /* no process */
	s[4] = mk(SP_UDP, SS_CLOSE, 14);               /* worker's, two fds */
	s[5] = mk(SP_UNIX, SS_ESTABLISHED, 15);        /* nobody we can see */
	procmap_add_owner(pm, 11, 100, 3);
	procmap_add_owner(pm, 12, 100, 4);
	procmap_add_owner(pm, 12, 200, 5);
	procmap_add_owner(pm, 14, 200, 6);
	procmap_add_owner(pm, 14, 200, 7);
	memset(in, 0, sizeof(in));
	for (int i = 0; i < 6; i++)
		in[i].s = &s[i];
	in[1].rates = true;
	in[1].rx = 1000;
	in[1].tx = 500;
	in[2].rates = true;
	in[2].rx = 10;

	group_init(&g);
	group_build(&g, GROUP_PROCESS, in, 6, pm);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.nsocks, 6);
	assert_int_equal(g.shared, 1);
	/* the totals count the shared socket once */
	assert_true(g.total_rx == 1010 && g.total_tx == 500);

	r = row_of(&g, 100);
	assert_non_null(r);
	if (!r)
		return;
	assert_int_equal(r->nsocks, 3); /* listener, shared, accept-queue child */
	assert_int_equal(r->kind[SP_TCP], 3);
	assert_int_equal(r->state[SS_LISTEN], 1);
	assert_int_equal(r->state[SS_ESTABLISHED], 2);
	assert_true(r->rx == 1010 && r->tx == 500);
	assert_int_equal(group_label(&g, r, pm, label, sizeof(label)), 3);
	assert_string_equal(label, "web");
	/* members in input order */
	assert_int_equal(g.members[r->first], 0);
	assert_int_equal(g.members[r->first + 1], 1);
	assert_int_equal(g.members[r->first + 2], 2);

	r = row_of(&g, 200);
	assert_non_null(r);
	if (!r)
		return;
	assert_int_equal(r->nsocks, 2); /* the shared one, the UDP one once */
	assert_int_equal(r->kind[SP_UDP], 1);
	assert_true(r->rx == 1000);

	/* "no process" last: TIME-WAIT and the Unix socket */
	r = &g.rows[g.n - 1];
	assert_true(r->key == GROUP_NONE);
	assert_int_equal(r->nsocks, 2);
	assert_int_equal(r->kind[SP_UNIX], 1);
	assert_int_equal(r->state[SS_TIME_WAIT], 1);
	assert_int_equal(group_label(&g, r, pm, label, sizeof(label)), 0);

	/* no process map: everything is "no process" */
	group_build(&g, GROUP_PROCESS, in, 6, NULL);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rows[0].nsocks, 6);
	/* nothing at all */
	group_build(&g, GROUP_PROCESS, in, 0, pm);
	assert_int_equal(g.n, 0);
	assert_int_equal(group_by_parse("process"), GROUP_PROCESS);
	assert_int_equal(group_by_parse("service"), GROUP_SERVICE);
	assert_int_equal(group_by_parse("Service"), -1);
	assert_int_equal(group_by_parse(""), -1);
	assert_string_equal(group_by_name(GROUP_PROCESS), "process");
	assert_string_equal(group_by_name(GROUP_SERVICE), "service");
	group_free(&g);
	procmap_free(pm);
}

/* The row whose label is l (GROUP_SERVICE), or NULL. */
static const struct group_row *row_named(const struct group_set *g, const struct procmap *pm,
					 const char *l)
{
	char label[GROUP_LABEL_MAX];

	for (size_t i = 0; i < g->n; i++) {
		group_label(g, &g->rows[i], pm, label, sizeof(label));
		if (!GROUP_IS_SPECIAL(g->rows[i].key) && !strcmp(label, l))
			return &g->rows[i];
	}
	return NULL;
}

/* By service: the socket's own cgroup wins, holders' services otherwise,
 * each distinct service once per socket, "no service" and "no process"
 * kept apart. */
static void test_group_service(void **state)
{
	struct procmap *pm = procmap_new();
	struct sock s[7];
	struct group_input in[7];
	struct group_set g;
	const struct group_row *r;
	char label[GROUP_LABEL_MAX];
	int64_t web_key;

	(void)state;
	procmap_set_proc(pm, 100, "nginx", 5, 0);
	procmap_set_proc(pm, 101, "nginx", 5, 0);
	procmap_set_proc(pm, 200, "sidecar", 7, 0);
	procmap_set_proc(pm, 300, "bash", 4, 0); /* no service read */
	procmap_set_service(pm, 100, "nginx.service", 13, CG_SYSTEMD);
	procmap_set_service(pm, 101, "nginx.service", 13, CG_SYSTEMD);
	procmap_set_service(pm, 200, "docker:web (3f2a9c1b2d4e)", 25, CG_DOCKER);
	/* the kernel's socket cgroups: one named, one known to have none
	 * (the root cgroup) */
	cgsvc_set(procmap_cgsvc(pm), 77, "cron.service", 12, CG_SYSTEMD);
	cgsvc_set(procmap_cgsvc(pm), 1, "", 0, CG_NONE);
	s[0] = mk(SP_TCP, SS_LISTEN, 11);      /* nginx's two workers */
	s[1] = mk(SP_TCP, SS_ESTABLISHED, 12); /* nginx and the sidecar */
	s[2] = mk(SP_TCP, SS_TIME_WAIT, 0);    /* nobody */
	s[3] = mk(SP_UDP, SS_CLOSE, 14);       /* bash */
	s[4] = mk(SP_TCP, SS_FIN_WAIT1, 0);    /* an orphan made in cron.service */
	s[4].has |= SOCK_HAS_CGROUP;
	s[4].cgroup_id = 77;
	s[5] = mk(SP_TCP, SS_ESTABLISHED, 16); /* made in cron, held by nginx */
	s[5].has |= SOCK_HAS_CGROUP;
	s[5].cgroup_id = 77;
	s[6] = mk(SP_TCP, SS_ESTABLISHED, 17); /* root cgroup: the holder's */
	s[6].has |= SOCK_HAS_CGROUP;
	s[6].cgroup_id = 1;
	procmap_add_owner(pm, 11, 100, 3);
	procmap_add_owner(pm, 11, 101, 3);
	procmap_add_owner(pm, 12, 100, 4);
	procmap_add_owner(pm, 12, 200, 4);
	procmap_add_owner(pm, 14, 300, 5);
	procmap_add_owner(pm, 16, 100, 6);
	procmap_add_owner(pm, 17, 200, 6);
	memset(in, 0, sizeof(in));
	for (int i = 0; i < 7; i++)
		in[i].s = &s[i];
	in[1].rates = true;
	in[1].rx = 100;

	group_init(&g);
	group_build(&g, GROUP_SERVICE, in, 7, pm);
	assert_int_equal(g.n, 5); /* nginx, docker, cron, no service, no process */
	assert_int_equal(g.shared, 1);
	r = row_named(&g, pm, "nginx.service");
	assert_non_null(r);
	if (!r)
		return;
	web_key = r->key;
	assert_int_equal(r->nsocks, 2); /* the listener once, though two workers hold it */
	assert_true(r->rx == 100);
	assert_int_equal(group_kind(&g, r), CG_SYSTEMD);
	r = row_named(&g, pm, "docker:web (3f2a9c1b2d4e)");
	assert_non_null(r);
	if (!r)
		return;
	assert_int_equal(r->nsocks, 2); /* the shared one, the root-cgroup one */
	assert_int_equal(group_kind(&g, r), CG_DOCKER);
	r = row_named(&g, pm, "cron.service");
	assert_non_null(r);
	if (!r)
		return;
	assert_int_equal(r->nsocks, 2); /* the orphan, and the one nginx holds */
	assert_int_equal(r->state[SS_FIN_WAIT1], 1);
	r = row_of(&g, GROUP_NOSERVICE);
	assert_non_null(r);
	if (!r)
		return;
	assert_int_equal(r->nsocks, 1);
	assert_int_equal(r->kind[SP_UDP], 1);
	assert_int_equal(group_label(&g, r, pm, label, sizeof(label)), 0);
	assert_int_equal(group_kind(&g, r), 0);
	r = row_of(&g, GROUP_NONE);
	assert_non_null(r);
	if (!r)
		return;
	assert_int_equal(r->nsocks, 1);
	assert_int_equal(r->state[SS_TIME_WAIT], 1);

	/* the key of a service stays the same from one build to the next */
	group_build(&g, GROUP_SERVICE, in, 2, pm);
	r = row_named(&g, pm, "nginx.service");
	assert_non_null(r);
	if (r)
		assert_true(r->key == web_key);
	/* without a process map: no process */
	group_build(&g, GROUP_SERVICE, in, 7, NULL);
	assert_int_equal(g.n, 1);
	assert_true(g.rows[0].key == GROUP_NONE);
	group_free(&g);
	procmap_free(pm);
}

/* Labels longer than a group keeps, and hostile bytes, are kept raw and
 * cut, never overflow. */
static void test_group_service_long(void **state)
{
	struct procmap *pm = procmap_new();
	struct sock s = mk(SP_TCP, SS_LISTEN, 11);
	struct group_input in = { &s, 0, 0, false };
	struct group_set g;
	char big[200], label[GROUP_LABEL_MAX];
	size_t n;

	(void)state;
	memset(big, 'x', sizeof(big));
	big[0] = '\x1b';
	big[5] = '\n';
	procmap_set_proc(pm, 1, "init", 4, 0);
	procmap_set_service(pm, 1, big, sizeof(big), CG_OTHER);
	procmap_add_owner(pm, 11, 1, 3);
	group_init(&g);
	group_build(&g, GROUP_SERVICE, &in, 1, pm);
	assert_int_equal(g.n, 1);
	n = group_label(&g, &g.rows[0], pm, label, sizeof(label));
	assert_true(n > 0 && n < sizeof(label));
	assert_memory_equal(label, big, n);
	assert_int_equal(label[n], '\0');
	group_free(&g);
	procmap_free(pm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_group_service),
		cmocka_unit_test(test_group_service_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
