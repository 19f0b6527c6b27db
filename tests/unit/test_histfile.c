/* test_histfile.c - the filter history kept between runs: where it lives,
 * saved and loaded back in order, and what a hostile file cannot do. */
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

#include "filter_hist.h"
#include "histfile.h"
#include "lineedit.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sv-histfile-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_path(void **state)
{
	char p[256];

	(void)state;
	setenv("XDG_STATE_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	assert_true(histfile_path(p, sizeof(p)));
	assert_string_equal(p, "/xdg/sockview/filter-history");
	/* a relative XDG_STATE_HOME is ignored, as the spec says */
	setenv("XDG_STATE_HOME", "rel", 1);
	assert_true(histfile_path(p, sizeof(p)));
	assert_string_equal(p, "/home/u/.local/state/sockview/filter-history");
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	assert_false(histfile_path(p, sizeof(p)));
	setenv("HOME", "/home/u", 1);
	assert_false(histfile_path(p, 10));
}

/* Saved, then loaded into a new history: same entries, same order (Up
 * brings the newest first); directories made 0700, the file 0600. */
static void test_round_trip(void **state)
{
	struct filter_hist *h = filter_hist_new(32), *g = filter_hist_new(32);
	char path[256];
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/a/b/sockview/filter-history", dir);
	filter_hist_add(h, "tcp and port 22");
	filter_hist_add(h, "state listening");
	filter_hist_add(h, "comm \xc4\x87\xe2\x82\xac \x1b[31m");
	filter_hist_add(h, "two\nlines");
	assert_int_equal(histfile_save(h, path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/a/b/sockview", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/a/b/sockview/filter-history", dir);
	assert_int_equal(histfile_load(g, path), 3);
	assert_int_equal(filter_hist_len(g), 3);
	assert_string_equal(filter_hist_get(g, 0), "comm \xc4\x87\xe2\x82\xac \x1b[31m");
	assert_string_equal(filter_hist_get(g, 1), "state listening");
	assert_string_equal(filter_hist_get(g, 2), "tcp and port 22");
	/* saved again over the old file: replaced, not appended */
	assert_int_equal(histfile_save(g, path), 0);
	filter_hist_free(g);
	g = filter_hist_new(32);
	assert_int_equal(histfile_load(g, path), 3);
	filter_hist_free(g);
	filter_hist_free(h);
}

/* A file written by someone else: overlong lines, NUL bytes, no final
 * newline, a missing file, a FIFO (which must not block). */
static void test_hostile_file(void **state)
{
	struct filter_hist *h = filter_hist_new(32);
	char path[256];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(histfile_load(h, path), 0);
	snprintf(path, sizeof(path), "%s/hostile", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("udp\n", f);
	for (int i = 0; i < LINEEDIT_MAX + 100; i++)
		fputc('x', f);
	fputs("\nnul", f);
	fputc('\0', f);
	fputs("here\nlast without newline", f);
	fclose(f);
	assert_int_equal(histfile_load(h, path), 2);
	assert_string_equal(filter_hist_get(h, 0), "last without newline");
	assert_string_equal(filter_hist_get(h, 1), "udp");
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(histfile_load(h, path), -1);
	filter_hist_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_hostile_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
