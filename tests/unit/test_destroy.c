/* test_destroy.c - F9 (the confirmation, the seam, the messages) and
 * what can be destroyed, without the kernel: a fake destroyer. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app.h"
#include "destroy.h"
#include "keys.h"
#include "procmap.h"
#include "view.h"
#include "uitest.h"

#define NOW 1000000

struct fake {
	int calls;
	int fail_errno; /* 0: succeed */
	struct sock last;
};

static int fake_destroy(void *ctx, const struct sock *s)
{
	struct fake *f = ctx;

	f->calls++;
	f->last = *s;
	if (f->fail_errno) {
		errno = f->fail_errno;
		return -1;
	}
	return 0;
}

struct fx {
	struct app *a;
	struct procmap *pm;
	struct fake fake;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct options o;
	struct snapshot *s;

	ut_options(&o);
	f->a = app_new(&o, ESC_UTF8);
	f->pm = procmap_new();
	procmap_set_proc(f->pm, 4242, "nc\x1b[2J", 6, 1000);
	procmap_add_owner(f->pm, 101, 4242, 3);
	app_set_page(f->a, 10);
	s = app_spare_snapshot(f->a);
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 5000, "127.0.0.1", 41234, 1, 101);
	ut_unix(s, SOCK_STREAM, SS_LISTEN, "/run/x.sock", 11, 102, 0);
	ut_inet(s, SP_TCP, SS_TIME_WAIT, "127.0.0.1", 5001, "127.0.0.1", 41235, 3, 0);
	ut_finish(s, NOW);
	app_commit_snapshot(f->a, f->pm, NOW);
	app_set_destroyer(f->a, fake_destroy, &f->fake);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	app_free(f->a);
	procmap_free(f->pm);
	free(f);
	return 0;
}

static void select_cookie(struct app *a, uint64_t cookie, unsigned proto, unsigned fam,
			  uint32_t inode)
{
	struct sock_key k = { cookie, inode, (uint8_t)proto, (uint8_t)fam };

	assert_true(app_select_key(a, &k));
}

/* The footer line of a 120x20 screen. */
static char *footer(struct app *a)
{
	struct view v;
	struct buf b = BUF_INIT;

	view_init(&v);
	app_draw(a, &v, 160, 20, NOW);
	view_line_text(&v, 19, &b);
	view_free(&v);
	return buf_steal(&b);
}

/* F9 names the socket and its process (escaped), y destroys it through the
 * seam, the message says so and a refresh follows at once. */
static void test_f9_confirm_and_destroy(void **state)
{
	struct fx *f = *state;
	unsigned fx;
	char *line;

	select_cookie(f->a, 1, SP_TCP, AF_INET, 101);
	fx = app_key(f->a, KC_F9, NOW);
	assert_true(fx & APP_REDRAW);
	assert_int_equal(f->a->prompt, PROMPT_DESTROY);
	assert_int_equal(f->fake.calls, 0);
	line = footer(f->a);
	print_message("footer: %s\n", line);
	assert_non_null(strstr(line, "Destroy tcp ESTAB 127.0.0.1:5000 -> 127.0.0.1:41234, process nc\\x1b[2J (pid 4242)?"));
	assert_non_null(strstr(line, "y: destroy"));
	assert_null(strchr(line, '\x1b'));
	free(line);
	fx = app_key(f->a, 'y', NOW);
	assert_true(fx & APP_REFRESH);
	assert_int_equal(f->a->prompt, PROMPT_NONE);
	assert_int_equal(f->fake.calls, 1);
	assert_int_equal(f->fake.last.lport, 5000);
	assert_int_equal(f->fake.last.cookie, 1);
	assert_non_null(strstr(f->a->msg, "destroyed tcp ESTAB 127.0.0.1:5000"));
	assert_non_null(strstr(f->a->msg, "reset"));
	assert_false(f->a->msg_error);
}

/* Any other key keeps the socket. */
static void test_f9_cancel(void **state)
{
	struct fx *f = *state;

	select_cookie(f->a, 1, SP_TCP, AF_INET, 101);
	app_key(f->a, KC_F9, NOW);
	app_key(f->a, 'n', NOW);
	assert_int_equal(f->a->prompt, PROMPT_NONE);
	assert_int_equal(f->fake.calls, 0);
	assert_non_null(strstr(f->a->msg, "cancelled"));
}

/* Each failure gets its sentence. */
static void test_f9_failures(void **state)
{
	static const struct {
		int err;
		const char *needle;
	} cases[] = {
		{ EPERM, "CAP_NET_ADMIN" },
		{ EOPNOTSUPP, "CONFIG_INET_DIAG_DESTROY" },
		{ ENOENT, "gone" },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned fx;

		f->fake.fail_errno = cases[i].err;
		select_cookie(f->a, 1, SP_TCP, AF_INET, 101);
		app_key(f->a, KC_F9, NOW);
		fx = app_key(f->a, 'y', NOW);
		assert_true(f->a->msg_error);
		assert_non_null(strstr(f->a->msg, "not destroyed"));
		if (!strstr(f->a->msg, cases[i].needle))
			fail_msg("'%s' does not say '%s'", f->a->msg, cases[i].needle);
		/* a vanished socket: refresh so the row goes */
		assert_int_equal(!!(fx & APP_REFRESH), cases[i].err == ENOENT);
	}
}

/* A Unix socket and a TIME-WAIT one are refused before asking. */
static void test_f9_refusals(void **state)
{
	struct fx *f = *state;
	char *line;

	select_cookie(f->a, 102, SP_UNIX, AF_UNIX, 102);
	app_key(f->a, KC_F9, NOW);
	assert_int_equal(f->a->prompt, PROMPT_NONE);
	assert_true(f->a->msg_error);
	assert_non_null(strstr(f->a->msg, "Unix sockets cannot be destroyed"));
	line = footer(f->a);
	assert_non_null(strstr(line, "Unix sockets cannot be destroyed"));
	free(line);
	select_cookie(f->a, 3, SP_TCP, AF_INET, 0);
	app_key(f->a, KC_F9, NOW);
	assert_int_equal(f->a->prompt, PROMPT_NONE);
	assert_non_null(strstr(f->a->msg, "TIME-WAIT"));
	assert_int_equal(f->fake.calls, 0);
	/* without a destroyer: not available */
	app_set_destroyer(f->a, NULL, NULL);
	select_cookie(f->a, 1, SP_TCP, AF_INET, 101);
	app_key(f->a, KC_F9, NOW);
	assert_int_equal(f->a->prompt, PROMPT_NONE);
	assert_non_null(strstr(f->a->msg, "not available"));
}

static void test_refusal_and_errors(void **state)
{
	struct sock s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.family = AF_INET;
	s.proto = SP_UDP;
	assert_null(destroy_refusal(&s));
	s.proto = SP_RAW;
	assert_non_null(destroy_refusal(&s));
	s.proto = SP_TCP;
	s.state = SS_LISTEN;
	assert_null(destroy_refusal(&s));
	assert_non_null(strstr(destroy_strerror(EPERM), "CAP_NET_ADMIN"));
	assert_non_null(strstr(destroy_strerror(EOPNOTSUPP), "CONFIG_INET_DIAG_DESTROY"));
	assert_non_null(strstr(destroy_strerror(ENOENT), "gone"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_f9_confirm_and_destroy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_f9_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_f9_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_f9_refusals, setup, teardown),
		cmocka_unit_test(test_refusal_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
