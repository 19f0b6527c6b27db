/* test_formns.c - the new endpoint form's Namespace field: its choices (the
 * N chooser's list), the default (the namespace shown, else sockview's
 * own), the keys, and a namespace that vanished before Enter. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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

#include "app_epns.h"
#include "filter_ast.h"
#include "form.h"
#include "formns.h"
#include "keys.h"
#include "nstab.h"
#include "pane.h"
#include "uitest.h"

static struct nstab_ent *add(struct nstab *t, uint32_t ino, const char *name, int32_t pid,
			     bool current)
{
	struct nstab_ent *e = nstab_add(t);

	e->dev = 4;
	e->ino = ino;
	if (name) {
		e->name_len = (uint8_t)strlen(name);
		memcpy(e->name, name, e->name_len);
	}
	e->pid = pid;
	if (pid) {
		memcpy(e->comm, "holder", 6);
		e->comm_len = 6;
	}
	e->current = current;
	return e;
}

/* sockview's own (pid 1), a named one, an unnamed one of a process. */
static void three(struct nstab *t)
{
	nstab_init(t);
	add(t, 4026531840u, NULL, 1, true);
	add(t, 100, "alpha", 0, false);
	add(t, 200, NULL, 42, false);
}

static void test_choices_and_default(void **state)
{
	struct nstab t;
	struct formns f;
	char label[FORMNS_LABEL_MAX];

	(void)state;
	three(&t);
	formns_fill(&f, &t, 0);
	assert_int_equal(f.n, 3);
	assert_true(formns_offered(&f));
	/* nothing chosen with N: sockview's own */
	assert_int_equal(f.def, 0);
	assert_int_equal(f.cur, 0);
	assert_true(formns_is_own(&f));
	/* the labels the N chooser shows */
	formns_label(&f, 1, label, sizeof(label));
	assert_string_equal(label, "alpha");
	formns_label(&f, 2, label, sizeof(label));
	assert_string_equal(label, "pid 42 (holder)");
	assert_int_equal(formns_label(&f, 3, label, sizeof(label)), 0);
	assert_string_equal(label, "");

	/* the namespace shown (N) is the default */
	formns_fill(&f, &t, 200);
	assert_int_equal(f.def, 2);
	assert_int_equal(f.cur, 2);
	assert_false(formns_is_own(&f));
	assert_int_equal(formns_chosen(&f)->ino, 200);
	/* shown, but gone from the list since: sockview's own */
	formns_fill(&f, &t, 999);
	assert_int_equal(f.cur, 0);

	/* sockview's own need not come first */
	nstab_clear(&t);
	add(&t, 100, "alpha", 0, false);
	add(&t, 300, "mine", 7, true);
	formns_fill(&f, &t, 0);
	assert_int_equal(f.def, 1);
	assert_true(formns_is_own(&f));

	/* one namespace, or none: nothing to choose */
	nstab_clear(&t);
	add(&t, 300, NULL, 1, true);
	formns_fill(&f, &t, 0);
	assert_false(formns_offered(&f));
	assert_true(formns_is_own(&f));
	formns_fill(&f, NULL, 0);
	assert_int_equal(f.n, 0);
	assert_null(formns_chosen(&f));
	assert_true(formns_is_own(&f));
	nstab_free(&t);
}

static void test_step_and_limit(void **state)
{
	struct nstab t;
	struct formns f;
	char name[16];

	(void)state;
	three(&t);
	formns_fill(&f, &t, 0);
	formns_step(&f, 1);
	assert_int_equal(f.cur, 1);
	formns_step(&f, 1);
	formns_step(&f, 1);
	assert_int_equal(f.cur, 0); /* wraps */
	formns_step(&f, -1);
	assert_int_equal(f.cur, 2);

	/* more than the form offers: the rest is counted */
	nstab_clear(&t);
	add(&t, 1, NULL, 1, true);
	for (unsigned i = 0; i < FORMNS_MAX + 5; i++) {
		snprintf(name, sizeof(name), "ns%u", i);
		add(&t, 1000 + i, name, 0, false);
	}
	formns_fill(&f, &t, 0);
	assert_int_equal(f.n, FORMNS_MAX);
	assert_int_equal(f.more, 6);
	/* shown, but past the limit: sockview's own */
	formns_fill(&f, &t, 1000 + FORMNS_MAX + 2);
	assert_int_equal(f.cur, 0);
	nstab_free(&t);
}

/* The field in the form: shown with a list, the keys change it. */
static void test_form_field(void **state)
{
	struct form_env env;
	struct form fm;
	struct nstab t;

	(void)state;
	memset(&env, 0, sizeof(env));
	form_open(&fm, EP_ECHO, &env);
	assert_false(form_field_shown(&fm, FF_NETNS));
	form_key(&fm, KC_UP); /* from the first field to the last shown */
	assert_int_not_equal(fm.focus, FF_NETNS);

	three(&t);
	env.netns = &t;
	env.netns_shown = 100;
	form_open(&fm, EP_ECHO, &env);
	nstab_free(&t); /* the form keeps its own copy */
	assert_null(fm.env.netns);
	assert_true(form_field_shown(&fm, FF_NETNS));
	assert_true(form_field_is_choice(FF_NETNS));
	assert_string_equal(form_field_label(FF_NETNS), "Namespace");
	assert_int_equal(form_choice_current(&fm, FF_NETNS), 1);
	assert_int_equal(fm.focus, FF_TRANSPORT);
	form_key(&fm, KC_UP); /* the last field: the namespace */
	assert_int_equal(fm.focus, FF_NETNS);
	assert_int_equal(form_key(&fm, KC_RIGHT), FORM_CHANGED);
	assert_int_equal(fm.ns.cur, 2);
	form_key(&fm, ' ');
	assert_int_equal(fm.ns.cur, 0);
	form_key(&fm, KC_LEFT);
	assert_int_equal(fm.ns.cur, 2);
	/* letters are not for a choice */
	assert_int_equal(form_key(&fm, 'x'), FORM_IGNORED);
	/* the transport changing leaves the namespace alone */
	fm.focus = FF_TRANSPORT;
	form_key(&fm, KC_RIGHT);
	assert_int_equal(fm.ns.cur, 2);
	/* a client and a Unix server have it too */
	fm.kind = EP_CLIENT;
	assert_true(form_field_shown(&fm, FF_NETNS));
}

/* Chosen, then gone before Enter: a one-line reason in the form, the
 * field focused; choosing another clears it. */
static void test_vanished(void **state)
{
	struct form_env env;
	struct form fm;
	struct nstab t;
	char name[NSTAB_NAME_MAX], err[512];
	int fd = 7;

	(void)state;
	snprintf(name, sizeof(name), "sv-test-gone-%d", (int)getpid());
	nstab_init(&t);
	add(&t, 4026531840u, NULL, 1, true);
	add(&t, 123456, name, 0, false);
	add(&t, 654321, NULL, 0, false); /* no name, no process left */
	memset(&env, 0, sizeof(env));
	env.netns = &t;
	env.netns_shown = 123456;
	form_open(&fm, EP_ECHO, &env);
	nstab_free(&t);

	err[0] = '\0';
	assert_int_equal(formns_open(&fm.ns, &fd, err, sizeof(err)), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(fd, -1);
	assert_non_null(strstr(err, name));
	assert_non_null(strstr(err, "no longer exists"));
	assert_null(strchr(err, '\n'));
	fm.focus = FF_PORT;
	form_netns_error(&fm, err);
	assert_int_equal(fm.focus, FF_NETNS);
	assert_int_equal(fm.err_field, FF_NETNS);
	assert_string_equal(fm.err, err);
	/* the next one has no name and no process: gone too */
	form_key(&fm, KC_RIGHT);
	assert_string_equal(fm.err, "");
	assert_int_equal(fm.ns.cur, 2);
	assert_int_equal(formns_open(&fm.ns, &fd, err, sizeof(err)), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(err, "netns:[654321]"));
	/* sockview's own needs nothing opened */
	form_key(&fm, KC_RIGHT);
	assert_true(formns_is_own(&fm.ns));
	assert_int_equal(formns_open(&fm.ns, &fd, err, sizeof(err)), 0);
	assert_int_equal(fd, -1);
}

/* A namespace that is there: this process's own, reached through its pid
 * as an unnamed one would be. Entered with CAP_SYS_ADMIN; without it the
 * reason says so. A pid that now stands for another namespace (the inode
 * differs) counts as gone. */
static void test_enter(void **state)
{
	struct nstab t;
	struct formns f;
	struct stat st;
	char err[512];
	int fd = -1, r;

	(void)state;
	assert_int_equal(stat("/proc/self/ns/net", &st), 0);
	nstab_init(&t);
	add(&t, 1, NULL, 1, true);
	add(&t, (uint32_t)st.st_ino, NULL, (int32_t)getpid(), false);
	formns_fill(&f, &t, (uint32_t)st.st_ino);
	r = formns_open(&f, &fd, err, sizeof(err));
	if (r == 0) {
		assert_true(fd >= 0);
		assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		close(fd);
	} else {
		assert_int_equal(errno, EPERM);
		assert_non_null(strstr(err, "CAP_SYS_ADMIN"));
	}
	t.v[1].ino = (uint32_t)st.st_ino + 1;
	formns_fill(&f, &t, (uint32_t)st.st_ino + 1);
	assert_int_equal(formns_open(&f, &fd, err, sizeof(err)), -1);
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(err, "no longer exists"));
	nstab_free(&t);
}

/* The app's side: the form's list and default come from the N chooser's
 * table; an endpoint opened where the table does not look turns it to
 * every namespace; its pane names the namespace. */
static void test_app_side(void **state)
{
	struct options o;
	struct app *a;
	struct nstab t;
	struct pane p;
	struct form_env env;
	struct buf msg = BUF_INIT;

	(void)state;
	ut_options(&o);
	a = app_new(&o, ESC_UTF8);
	three(&t);

	/* sockview's own namespace only, no scan (tests): no field */
	memset(&env, 0, sizeof(env));
	app_epns_form_open(a, EP_ECHO, &env);
	assert_false(form_field_shown(&a->panes.form, FF_NETNS));

	/* N showed the unnamed one: the form offers the list, starts there */
	a->all_netns = true;
	a->table.ns = &t;
	a->table.netns_only = 200;
	memset(&env, 0, sizeof(env));
	app_epns_form_open(a, EP_ECHO, &env);
	assert_true(form_field_shown(&a->panes.form, FF_NETNS));
	assert_int_equal(formns_chosen(&a->panes.form.ns)->ino, 200);
	assert_ptr_equal(app_epns_shown_entry(a), &t.v[2]);

	/* opened there: the table shows it already, the pane names it */
	memset(&p, 0, sizeof(p));
	app_epns_opened(a, &p, &t.v[2], &msg);
	assert_string_equal(p.netns, "pid 42 (holder)");
	assert_int_equal(p.netns_len, strlen("pid 42 (holder)"));
	assert_int_equal(p.netns_ino, 200);
	assert_int_equal(a->table.netns_only, 200);
	assert_non_null(strstr(msg.data, " in network namespace pid 42 (holder)"));
	assert_null(strstr(msg.data, "every namespace"));
	buf_reset(&msg);

	/* opened in alpha while the table shows the other: it turns to all */
	memset(&p, 0, sizeof(p));
	app_epns_opened(a, &p, &t.v[1], &msg);
	assert_string_equal(p.netns, "alpha");
	assert_int_equal(a->table.netns_only, 0);
	assert_true(a->all_netns);
	assert_non_null(strstr(msg.data, "the table now shows every namespace"));
	buf_reset(&msg);

	/* only sockview's own dumped, an endpoint elsewhere: every namespace
	 * is dumped from now on, with the Netns column */
	a->all_netns = false;
	a->table.ns = NULL;
	a->table.columns &= ~COL_BIT(COL_NETNS);
	memset(&p, 0, sizeof(p));
	app_epns_opened(a, &p, &t.v[1], &msg);
	assert_true(a->all_netns);
	assert_true(a->table.columns & COL_BIT(COL_NETNS));
	buf_reset(&msg);

	/* in sockview's own: nothing to say, nothing changes */
	a->all_netns = false;
	memset(&p, 0, sizeof(p));
	app_epns_opened(a, &p, &t.v[0], &msg);
	assert_int_equal(p.netns_len, 0);
	assert_int_equal(p.netns_ino, 0);
	assert_false(a->all_netns);
	assert_int_equal(msg.len, 0);
	/* ... but under -N NAME the pane says NAME */
	a->netns = "blue";
	app_epns_opened(a, &p, NULL, &msg);
	assert_string_equal(p.netns, "blue");
	assert_false(a->all_netns);
	a->netns = NULL;

	/* a name with control bytes is escaped in the message */
	buf_reset(&msg);
	t.v[1].name[1] = 0x1b;
	a->all_netns = true;
	a->table.ns = &t;
	a->table.netns_only = 0;
	app_epns_opened(a, &p, &t.v[1], &msg);
	assert_null(memchr(msg.data, 0x1b, msg.len));
	assert_non_null(strstr(msg.data, "\\x1b"));
	assert_int_equal(p.netns[1], 0x1b); /* raw in the pane, escaped when drawn */

	buf_free(&msg);
	a->table.ns = NULL;
	nstab_free(&t);
	app_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choices_and_default),
		cmocka_unit_test(test_step_and_limit),
		cmocka_unit_test(test_form_field),
		cmocka_unit_test(test_vanished),
		cmocka_unit_test(test_enter),
		cmocka_unit_test(test_app_side),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
