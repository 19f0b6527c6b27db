/* test_options.c - the command line of SPEC §3. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lineedit.h"
#include "options.h"
#include "sock.h"

static char prog[] = "sockview";

static enum options_action parse(struct options *o, char *err, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;
	char *a;

	argv[argc++] = prog;
	va_start(ap, err);
	while ((a = va_arg(ap, char *)) && argc < 15)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	return options_parse(o, argc, argv, err, 256);
}

static void test_defaults(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	unsetenv("NO_COLOR");
	assert_int_equal(parse(&o, err, NULL), OPT_RUN);
	assert_int_equal(o.protos, SP_MASK_ALL);
	assert_int_equal(o.families, SF_ALL);
	assert_int_equal(o.delay_ms, 1000);
	assert_false(o.once);
	assert_false(o.no_color);
	assert_int_equal(o.format, FMT_TABLE);
}

static void test_protocols_and_families(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "-t", "-u", NULL), OPT_RUN);
	assert_int_equal(o.protos, SP_MASK(SP_TCP) | SP_MASK(SP_UDP));
	assert_int_equal(parse(&o, err, "-xw6l", NULL), OPT_RUN);
	assert_int_equal(o.protos, SP_MASK(SP_UNIX) | SP_MASK(SP_RAW));
	assert_int_equal(o.families, SF_INET6);
	assert_true(o.listening);
	assert_int_equal(parse(&o, err, "--once", "--format=json", "--no-processes",
			       "-N", "blue", "-f", "tcp", NULL), OPT_RUN);
	assert_true(o.once);
	assert_int_equal(o.format, FMT_JSON);
	assert_true(o.no_processes);
	assert_string_equal(o.netns, "blue");
	assert_string_equal(o.filter, "tcp");
	assert_int_equal(parse(&o, err, "-d", "0.5", NULL), OPT_RUN);
	assert_int_equal(o.delay_ms, 500);
	assert_int_equal(parse(&o, err, "--delay=3600", NULL), OPT_RUN);
	assert_int_equal(o.delay_ms, 3600000);
	setenv("NO_COLOR", "1", 1);
	assert_int_equal(parse(&o, err, NULL), OPT_RUN);
	assert_true(o.no_color);
	unsetenv("NO_COLOR");
}

static void expect_usage(const char *needle, ...)
{
	struct options o;
	char err[256];
	char *argv[8];
	int argc = 0;
	va_list ap;
	char *a;

	argv[argc++] = prog;
	va_start(ap, needle);
	while ((a = va_arg(ap, char *)) && argc < 7)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	assert_int_equal(options_parse(&o, argc, argv, err, sizeof(err)), OPT_USAGE);
	if (!strstr(err, needle))
		fail_msg("message '%s' does not name '%s'", err, needle);
}

static void test_bad_values(void **state)
{
	(void)state;
	expect_usage("abc", "-d", "abc", NULL);
	expect_usage("0.1", "-d", "0", NULL);
	expect_usage("3600", "-d", "3601", NULL);
	expect_usage("-1", "-d", "-1", NULL);
	expect_usage("1e3", "-d", "1e3", NULL);
	expect_usage("nan", "-d", "nan", NULL);
	expect_usage("xml", "--once", "--format=xml", NULL);
	expect_usage("--format", "--format=json", NULL);
	expect_usage("a/b", "-N", "a/b", NULL);
	expect_usage("-z", "-z", NULL);
	expect_usage("--bogus", "--bogus", NULL);
	expect_usage("-d", "-d", NULL);
	expect_usage("extra", "extra", NULL);
}

/* -f takes what the filter prompt takes (LINEEDIT_TEXT_MAX), and refuses
 * more with a clear error, never cut. */
static void test_filter_limit(void **state)
{
	static char f[LINEEDIT_TEXT_MAX + 2];
	struct options o;
	char err[256];

	(void)state;
	memset(f, ' ', sizeof(f));
	memcpy(f + LINEEDIT_TEXT_MAX - 9, "port 2200", 9);
	f[LINEEDIT_TEXT_MAX] = '\0';
	assert_int_equal(parse(&o, err, "-f", f, NULL), OPT_RUN);
	assert_int_equal(strlen(o.filter), LINEEDIT_TEXT_MAX);
	f[LINEEDIT_TEXT_MAX] = '0';
	f[LINEEDIT_TEXT_MAX + 1] = '\0';
	assert_int_equal(parse(&o, err, "-f", f, NULL), OPT_USAGE);
	assert_non_null(strstr(err, "too long"));
	assert_non_null(strstr(err, "4097 bytes"));
	assert_non_null(strstr(err, "at most 4096"));
}

static void test_help_version(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "-h", NULL), OPT_HELP);
	assert_int_equal(parse(&o, err, "--version", NULL), OPT_VERSION);
	assert_non_null(strstr(options_help(), "--once"));
	assert_non_null(strstr(options_help_learning(), "--tour"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_protocols_and_families),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_filter_limit),
		cmocka_unit_test(test_help_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
