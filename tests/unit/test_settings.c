/* test_settings.c - the settings file (sockviewrc): every key parsed and
 * written back the same; hostile lines skipped with a warning naming the
 * first; hostile files refused without being read; the command line wins
 * over the file; only what the user changed is saved. */
#include "config.h"

#include <errno.h>
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

#include "app.h"
#include "settings.h"
#include "uitest.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sv-settings-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int parse(struct settings *s, const char *text, char *warn)
{
	return settings_parse(s, text, strlen(text), warn, 256);
}

static void test_path(void **state)
{
	char p[256];

	(void)state;
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	assert_true(settings_path(p, sizeof(p)));
	assert_string_equal(p, "/xdg/sockview/sockviewrc");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	assert_true(settings_path(p, sizeof(p)));
	assert_string_equal(p, "/home/u/.config/sockview/sockviewrc");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_false(settings_path(p, sizeof(p)));
}

static void test_every_key(void **state)
{
	struct settings s;
	char warn[256];

	(void)state;
	assert_int_equal(parse(&s, "# a comment\n\n"
				   "columns = proto, state,local,peer,process,rtt,inode\n"
				   "  sort=local  \r\n"
				   "sort_direction = descending\n"
				   "delay = 0.5\n"
				   "show = tcp,unix\n"
				   "families = ipv6\n"
				   "listening = yes\n"
				   "colour = no\n"
				   "pane_height = 8\n",
			       warn),
			 0);
	assert_string_equal(warn, "");
	assert_int_equal(s.have, SET_COLUMNS | SET_SORT | SET_SORT_DIR | SET_DELAY | SET_SHOW |
					 SET_FAMILIES | SET_LISTENING | SET_COLOR | SET_PANE_HEIGHT);
	assert_int_equal(s.columns, COL_BIT(COL_PROTO) | COL_BIT(COL_STATE) | COL_BIT(COL_LOCAL) |
					    COL_BIT(COL_PEER) | COL_BIT(COL_PROCESS) |
					    COL_BIT(COL_RTT) | COL_BIT(COL_INODE));
	assert_int_equal(s.sort_col, COL_LOCAL);
	assert_true(s.sort_reverse);
	assert_int_equal(s.delay_ms, 500);
	assert_int_equal(s.protos, SP_MASK(SP_TCP) | SP_MASK(SP_UNIX));
	assert_int_equal(s.families, SF_INET6);
	assert_true(s.listening);
	assert_false(s.color);
	assert_int_equal(s.pane_height, 8);
}

/* Written and parsed again: the same settings. */
static void test_round_trip(void **state)
{
	struct settings s, t;
	struct buf b;
	char warn[256];

	(void)state;
	assert_int_equal(parse(&s, "columns = proto,state,recv-q,send-q,local,peer,process,rx/s\n"
				   "sort = rx/s\nsort_direction = ascending\ndelay = 1.25\n"
				   "show = udp,raw\nfamilies = ipv4,ipv6\nlistening = no\n"
				   "color = yes\npane_height = 0\n",
			       warn),
			 0);
	buf_init(&b, 0);
	settings_format(&s, &b);
	assert_non_null(strstr(b.data, "delay = 1.25\n"));
	assert_non_null(strstr(b.data, "sort = rx/s\n"));
	assert_int_equal(settings_parse(&t, b.data, b.len, warn, sizeof(warn)), 0);
	assert_memory_equal(&s, &t, sizeof(s));
	buf_free(&b);
	/* a whole second stays without decimals */
	assert_int_equal(parse(&s, "delay = 2\n", warn), 0);
	buf_init(&b, 0);
	settings_format(&s, &b);
	assert_non_null(strstr(b.data, "delay = 2\n"));
	buf_free(&b);
}

/* Each bad line is skipped, the others kept; the warning names the first. */
static void test_hostile_lines(void **state)
{
	struct settings s;
	char warn[256], big[3000];

	(void)state;
	assert_int_equal(parse(&s, "sort = local\nbogus = 1\ndelay = 99999\n", warn), 2);
	assert_string_equal(warn, "sockviewrc line 2: unknown key 'bogus' (skipped)");
	assert_int_equal(s.have, SET_SORT);

	assert_int_equal(parse(&s, "delay = fast\n", warn), 1);
	assert_string_equal(warn, "sockviewrc line 1: bad value 'fast' (skipped)");
	assert_int_equal(s.have, 0);

	assert_int_equal(parse(&s, "columns = proto,nosuch\nshow = tcp,ipx\nshow =\n"
				   "families = ipv5\nlistening = maybe\npane_height = 1\n"
				   "pane_height = 99999\npane_height = -3\nsort_direction = up\n"
				   "sort = \ncolor = blue\nno equals sign\n",
			       warn),
			 12);
	assert_int_equal(s.have, 0);
	assert_string_equal(warn, "sockviewrc line 1: bad value 'proto,nosuch' (skipped)");

	/* control bytes: the line is skipped, whatever it held */
	assert_int_equal(parse(&s, "sort = lo\x1b[2Jcal\ndelay = 3\n", warn), 1);
	assert_non_null(strstr(warn, "line 1: control bytes in"));
	assert_int_equal(s.have, SET_DELAY);
	assert_int_equal(settings_parse(&s, "delay = 3\0\n", 11, warn, sizeof(warn)), 1);
	assert_int_equal(s.have, 0);

	/* a huge line: skipped, its neighbours kept; the quoted text is cut */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	{
		char text[3100];

		snprintf(text, sizeof(text), "sort = local\n%s\ndelay = 3\n", big);
		assert_int_equal(parse(&s, text, warn), 1);
		assert_string_equal(warn, "sockviewrc line 2: longer than 1024 bytes (skipped)");
		assert_int_equal(s.have, SET_SORT | SET_DELAY);
		snprintf(text, sizeof(text), "%.1000s = 1\n", big);
		assert_int_equal(parse(&s, text, warn), 1);
		assert_true(strlen(warn) < 120);
	}
	/* the warning fits whatever buffer it is given */
	assert_int_equal(settings_parse(&s, "bogus = 1\n", 10, warn, 8), 1);
	assert_int_equal(strlen(warn), 7);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_load_refuses(void **state)
{
	struct settings s;
	char p[128], link[128], warn[256];

	(void)state;
	snprintf(p, sizeof(p), "%s/missing", dir);
	assert_int_equal(settings_load(&s, p, warn, sizeof(warn)), 0);
	assert_string_equal(warn, "");
	snprintf(p, sizeof(p), "%s/rc", dir);
	write_file(p, "sort = local\n");
	assert_int_equal(settings_load(&s, p, warn, sizeof(warn)), 0);
	assert_int_equal(s.have, SET_SORT);
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(symlink(p, link), 0);
	assert_int_equal(settings_load(&s, link, warn, sizeof(warn)), -1);
	assert_int_equal(s.have, 0);
	assert_non_null(strstr(warn, "symbolic link"));
	snprintf(p, sizeof(p), "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(settings_load(&s, p, warn, sizeof(warn)), -1);
	assert_non_null(strstr(warn, "not a regular file"));
	snprintf(p, sizeof(p), "%s/huge", dir);
	{
		FILE *f = fopen(p, "w");

		assert_non_null(f);
		for (int i = 0; i < 10000; i++)
			fputs("sort = local\n", f);
		fclose(f);
	}
	assert_int_equal(settings_load(&s, p, warn, sizeof(warn)), -1);
	assert_non_null(strstr(warn, "64 KiB"));
	if (geteuid() != 0) {
		snprintf(p, sizeof(p), "%s/unreadable", dir);
		write_file(p, "sort = local\n");
		chmod(p, 0);
		assert_int_equal(settings_load(&s, p, warn, sizeof(warn)), -1);
		assert_non_null(strstr(warn, "ermission"));
	}
}

static struct app *new_app(struct options *o)
{
	return app_new(o, ESC_UTF8);
}

/* The command line wins over the file; the file chooses only optional
 * columns. */
static void test_apply(void **state)
{
	struct options o;
	struct settings s;
	struct app *a;
	char warn[256];
	bool color = true;

	(void)state;
	assert_int_equal(parse(&s, "columns = local,rtt\nsort = local\n"
				   "sort_direction = descending\ndelay = 3\nshow = udp\n"
				   "families = ipv6\nlistening = yes\ncolor = no\npane_height = 7\n",
			       warn),
			 0);
	ut_options(&o);
	a = new_app(&o);
	settings_apply(&s, a, &o, &color);
	assert_true(a->table.columns & COL_BIT(COL_RTT));
	assert_false(a->table.columns & COL_BIT(COL_INODE));
	/* not optional: they stay */
	assert_true(a->table.columns & COL_BIT(COL_PROCESS));
	assert_true(a->table.columns & COL_BIT(COL_RECVQ));
	assert_int_equal(a->table.sort_col, COL_LOCAL);
	assert_true(a->table.sort_reverse);
	assert_int_equal(a->delay_ms, 3000);
	assert_int_equal(a->table.protos, SP_MASK(SP_UDP));
	assert_int_equal(a->table.families, SF_INET6);
	assert_true(a->table.listening);
	assert_false(color);
	assert_int_equal(a->panes.max_h, 7);
	app_free(a);

	/* -t -4 -d 0.2 --no-color: the command line decides those */
	ut_options(&o);
	o.protos = SP_MASK(SP_TCP);
	o.protos_given = true;
	o.families = SF_INET;
	o.families_given = true;
	o.delay_ms = 200;
	o.delay_given = true;
	o.no_color = true;
	a = new_app(&o);
	color = false;
	assert_int_equal(parse(&s, "color = yes\ndelay = 3\nshow = udp\nfamilies = ipv6\n", warn),
			 0);
	settings_apply(&s, a, &o, &color);
	assert_int_equal(a->table.protos, SP_MASK(SP_TCP));
	assert_int_equal(a->table.families, SF_INET);
	assert_int_equal(a->delay_ms, 200);
	assert_false(color);
	app_free(a);
}

/* Only the keys the user changed during the session are taken from it;
 * the others stay as the file had them (or absent). */
static void test_merge(void **state)
{
	struct options o;
	struct settings old, start, now, out;
	struct app *a;
	char warn[256];

	(void)state;
	assert_int_equal(parse(&old, "delay = 3\n", warn), 0);
	ut_options(&o);
	o.protos = SP_MASK(SP_TCP); /* -t on the command line: not saved */
	o.protos_given = true;
	a = new_app(&o);
	{
		bool color = true;

		settings_apply(&old, a, &o, &color);
	}
	settings_from_app(&start, a, true);
	settings_from_app(&now, a, true);
	assert_false(settings_merge_changes(&out, &old, &start, &now));
	app_sort_by(a, COL_PEER);
	settings_from_app(&now, a, true);
	assert_true(settings_merge_changes(&out, &old, &start, &now));
	assert_int_equal(out.have, SET_DELAY | SET_SORT);
	assert_int_equal(out.sort_col, COL_PEER);
	assert_int_equal(out.delay_ms, 3000);
	app_free(a);
}

/* A session: loads, applies, saves at close only what changed, 0600; a
 * refused file is never written over; --no-config touches nothing. */
static void test_session(void **state)
{
	struct settings_session ss;
	struct options o;
	struct app *a;
	struct settings s;
	struct stat st;
	char warn[256], p[128], target[128];

	(void)state;
	setenv("XDG_CONFIG_HOME", dir, 1);
	snprintf(p, sizeof(p), "%s/sockview/sockviewrc", dir);
	ut_options(&o);
	a = new_app(&o);
	settings_session_open(&ss, a, &o, warn, sizeof(warn));
	assert_true(ss.active);
	assert_int_equal(settings_session_close(&ss, a), 0);
	assert_int_equal(stat(p, &st), -1); /* nothing changed: no file */
	app_do(a, ACT_TOGGLE_TCP, 0);
	assert_int_equal(settings_session_close(&ss, a), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(settings_load(&s, p, warn, sizeof(warn)), 0);
	assert_int_equal(s.have, SET_SHOW);
	assert_false(s.protos & SP_MASK(SP_TCP));
	app_free(a);

	/* the next run starts with TCP hidden */
	a = new_app(&o);
	settings_session_open(&ss, a, &o, warn, sizeof(warn));
	assert_false(a->table.protos & SP_MASK(SP_TCP));
	app_free(a);

	/* --no-config: the defaults, and nothing written */
	o.no_config = true;
	a = new_app(&o);
	settings_session_open(&ss, a, &o, warn, sizeof(warn));
	assert_true(a->table.protos & SP_MASK(SP_TCP));
	app_do(a, ACT_TOGGLE_UDP, 0);
	assert_int_equal(settings_session_close(&ss, a), 0);
	app_free(a);
	assert_int_equal(settings_load(&s, p, warn, sizeof(warn)), 0);
	assert_true(s.protos & SP_MASK(SP_UDP));

	/* a symlink: a warning, the defaults, and the link left alone */
	o.no_config = false;
	unlink(p);
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	write_file(target, "show = udp\n");
	assert_int_equal(symlink(target, p), 0);
	a = new_app(&o);
	settings_session_open(&ss, a, &o, warn, sizeof(warn));
	assert_non_null(strstr(warn, "symbolic link"));
	assert_true(a->table.protos & SP_MASK(SP_TCP));
	app_do(a, ACT_TOGGLE_TCP, 0);
	assert_int_equal(settings_session_close(&ss, a), 0);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	app_free(a);
	unsetenv("XDG_CONFIG_HOME");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test_setup_teardown(test_load_refuses, setup, teardown),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_merge),
		cmocka_unit_test_setup_teardown(test_session, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
