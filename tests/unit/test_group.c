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
	assert_int_equal(group_by_parse("service"), -1);
	assert_string_equal(group_by_name(GROUP_PROCESS), "process");
	group_free(&g);
	procmap_free(pm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
