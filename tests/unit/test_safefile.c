/* test_safefile.c - the one way sockview reads and replaces its own files:
 * what a planted symlink, FIFO, directory or huge file cannot make it do,
 * and that a replacement is whole, private and never written through a
 * link. */
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

#include "buf.h"
#include "safefile.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sv-safefile-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_in(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_read_regular(void **state)
{
	char p[128];
	struct buf b;

	(void)state;
	path_in(p, sizeof(p), "plain");
	put(p, "a=1\nb=2\n");
	buf_init(&b, 0);
	buf_puts(&b, "x");
	assert_int_equal(safefile_read(p, 100, &b), 0);
	assert_int_equal(b.len, 9);
	assert_memory_equal(b.data, "xa=1\nb=2\n", 9);
	/* exactly at the bound is fine, one byte over is not */
	b.len = 0;
	assert_int_equal(safefile_read(p, 8, &b), 0);
	b.len = 1;
	assert_int_equal(safefile_read(p, 7, &b), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(b.len, 1);
	buf_free(&b);
	path_in(p, sizeof(p), "missing");
	buf_init(&b, 0);
	assert_int_equal(safefile_read(p, 100, &b), -1);
	assert_int_equal(errno, ENOENT);
	buf_free(&b);
}

static void test_read_refuses(void **state)
{
	char target[128], link[128], fifo[128];
	struct buf b;

	(void)state;
	path_in(target, sizeof(target), "target");
	put(target, "secret\n");
	path_in(link, sizeof(link), "link");
	assert_int_equal(symlink(target, link), 0);
	buf_init(&b, 0);
	assert_int_equal(safefile_read(link, 100, &b), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(b.len, 0);
	/* a FIFO nobody writes to: refused at once, not waited on */
	path_in(fifo, sizeof(fifo), "fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(safefile_read(fifo, 100, &b), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(safefile_read(dir, 100, &b), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void test_replace(void **state)
{
	char p[128], target[128], link[128];
	struct buf b;
	struct stat st;

	(void)state;
	/* missing directories are made, 0700; the file is 0600 */
	snprintf(p, sizeof(p), "%s/a/b/file", dir);
	assert_int_equal(safefile_replace(p, "one\n", 4), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(target, sizeof(target), "%s/a/b", dir);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(safefile_replace(p, "two\n", 4), 0);
	buf_init(&b, 0);
	assert_int_equal(safefile_read(p, 100, &b), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "two\n", 4);
	buf_free(&b);
	/* no temporary file is left beside it */
	snprintf(target, sizeof(target), "%s/a/b/file.%ld.tmp", dir, (long)getpid());
	assert_int_equal(access(target, F_OK), -1);

	/* a symlink at the path is replaced, its target left alone */
	path_in(target, sizeof(target), "victim");
	put(target, "untouched\n");
	path_in(link, sizeof(link), "settings");
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(safefile_replace(link, "mine\n", 5), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	buf_init(&b, 0);
	assert_int_equal(safefile_read(target, 100, &b), 0);
	assert_memory_equal(b.data, "untouched\n", 10);
	buf_free(&b);

	/* a symlink planted where the temporary file goes is not followed */
	path_in(p, sizeof(p), "other");
	snprintf(link, sizeof(link), "%s/other.%ld.tmp", dir, (long)getpid());
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(safefile_replace(p, "new\n", 4), 0);
	buf_init(&b, 0);
	assert_int_equal(safefile_read(target, 100, &b), 0);
	assert_memory_equal(b.data, "untouched\n", 10);
	buf_free(&b);
}

/* The XDG place of a user's file: the variable when absolute, else HOME. */
static void test_xdg_path(void **state)
{
	char out[64], tiny[8];

	(void)state;
	setenv("HOME", "/home/u", 1);
	setenv("XDG_STATE_HOME", "/xdg/state", 1);
	assert_true(safefile_xdg_path(out, sizeof(out), "XDG_STATE_HOME", ".local/state", "a/b"));
	assert_string_equal(out, "/xdg/state/a/b");
	/* a relative value is ignored, as the XDG base directory spec says */
	setenv("XDG_STATE_HOME", "rel/state", 1);
	assert_true(safefile_xdg_path(out, sizeof(out), "XDG_STATE_HOME", ".local/state", "a/b"));
	assert_string_equal(out, "/home/u/.local/state/a/b");
	unsetenv("XDG_STATE_HOME");
	assert_true(safefile_xdg_path(out, sizeof(out), "XDG_STATE_HOME", ".local/state", "a/b"));
	assert_string_equal(out, "/home/u/.local/state/a/b");
	/* does not fit: false, never a cut path */
	assert_false(safefile_xdg_path(tiny, sizeof(tiny), "XDG_STATE_HOME", ".local/state", "a/b"));
	setenv("HOME", "", 1);
	assert_false(safefile_xdg_path(out, sizeof(out), "XDG_STATE_HOME", ".local/state", "a/b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_regular, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test(test_xdg_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
