/* test_options.c - the command line of SPEC §3. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>

#include "lineedit.h"
#include "group.h"
#include "options.h"
#include "sock.h"
#include "utf8.h"

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
	/* all kinds but netlink (sock.h's SP_MASK_DEFAULT) */
	assert_int_equal(o.protos, SP_MASK_ALL & ~SP_MASK(SP_NETLINK));
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
	expect_usage("-f", "-f", "tcp", "extra", NULL);
}

/* The whole message for argv (issue 18 item 9), in a buffer of errlen. */
static void expect_message(const char *want, size_t errlen, ...)
{
	struct options o;
	char err[512];
	char *argv[8];
	int argc = 0;
	va_list ap;
	char *a;

	argv[argc++] = prog;
	va_start(ap, errlen);
	while ((a = va_arg(ap, char *)) && argc < 7)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	assert_int_equal(options_parse(&o, argc, argv, err, errlen), OPT_USAGE);
	if (strcmp(err, want))
		fail_msg("got '%s'\nwant '%s'", err, want);
}

/* True when s is valid UTF-8 to its end (no character cut). */
static bool whole_utf8(const char *s)
{
	size_t n = strlen(s), i = 0, len;
	uint32_t cp;

	while (i < n) {
		len = utf8_decode(s + i, n - i, &cp);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

/* Long options are named by their name, never by getopt's internal value
 * ("option '-" and "'-\x01'" before), whatever went wrong. */
static void test_long_option_messages(void **state)
{
	(void)state;
	expect_message("option '--format' needs a value", 512, "--format", NULL);
	expect_message("option '--format' needs a value", 512, "--once", "--form", NULL);
	expect_message("option '--delay' needs a value", 512, "--delay", NULL);
	expect_message("option '--record-dump' needs a value", 512, "--record-dump", NULL);
	expect_message("option '--no-processes' takes no value", 512, "--no-processes=1", NULL);
	expect_message("option '--tcp' takes no value", 512, "--tcp=x", NULL);
	expect_message("option '--help' takes no value", 512, "--help=", NULL);
	expect_message("option '--no' is ambiguous", 512, "--no", NULL);
	expect_message("unknown option '--nope'", 512, "--nope=3", NULL);
	expect_message("unknown option '-z'", 512, "-z", NULL);
	expect_message("unknown option '-z'", 512, "--tcp", "-zx", NULL);
	expect_message("unknown option '-z'", 512, "-xz", NULL);
	expect_message("option '-d' needs a value", 512, "-d", NULL);
	expect_message("option '-f' needs a value", 512, "-tf", NULL);
}

/* What the user typed is quoted up to 64 bytes, cut between characters
 * and marked "..."; a message that still does not fit is cut between
 * characters too, never inside one. */
static void test_message_cuts(void **state)
{
	struct options o;
	char big[1200], err[512], *argv[4];
	char want[200];

	(void)state;
	/* 2-byte characters from an odd offset: byte 64 is inside one */
	big[0] = 'x';
	for (size_t i = 1; i + 2 < sizeof(big); i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	big[sizeof(big) - 1 - (sizeof(big) - 2) % 2] = '\0';
	snprintf(want, sizeof(want), "invalid refresh interval '%.63s...': expected seconds between 0.1 and 3600", big);
	expect_message(want, 512, "-d", big, NULL);
	big[0] = '-';
	big[1] = '-';
	snprintf(want, sizeof(want), "unknown option '--x%.60s...'", big + 3);
	big[2] = 'x';
	expect_message(want, 512, big, NULL);
	/* a buffer too small for the message: cut at a boundary */
	argv[0] = prog;
	{
		static char d[] = "-d";
		static char e8[] = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";

		argv[1] = d;
		argv[2] = e8;
	}
	argv[3] = NULL;
	for (size_t n = 26; n < 50; n++) {
		assert_int_equal(options_parse(&o, 3, argv, err, n), OPT_USAGE);
		assert_true(strlen(err) < n);
		if (!whole_utf8(err))
			fail_msg("cut inside a character at %zu: '%s'", n, err);
	}
}

/* --watch: ndjson by default, table on request, --interval is -d. */
static void test_watch(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "--watch", NULL), OPT_RUN);
	assert_true(o.watch);
	assert_int_equal(o.format, FMT_NDJSON);
	assert_int_equal(parse(&o, err, "--watch", "--format=table", "--interval", "0.5", "-t",
			       NULL),
			 OPT_RUN);
	assert_int_equal(o.format, FMT_TABLE);
	assert_int_equal(o.delay_ms, 500);
	expect_usage("--watch", "--watch", "--once", NULL);
	expect_usage("--watch", "--watch", "--format=csv", NULL);
	expect_usage("ndjson", "--once", "--format=ndjson", NULL);
	expect_usage("0.1", "--watch", "--interval", "0", NULL);
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

/* --group and --rate (issue 15), hostile values included. */
static void test_group_rate(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "--once", "--group=process", "--rate=1.5", NULL), OPT_RUN);
	assert_true(o.group_given);
	assert_int_equal(o.group_by, 0);
	assert_int_equal(o.rate_ms, 1500);
	/* live: --group starts grouped; --rate is batch only */
	assert_int_equal(parse(&o, err, "--group=process", NULL), OPT_RUN);
	assert_int_equal(o.rate_ms, 0);
	expect_usage("--rate", "--rate=1", NULL);
	assert_int_equal(parse(&o, err, "--once", "--group=service", NULL), OPT_RUN);
	assert_int_equal(o.group_by, GROUP_SERVICE);
	expect_usage("process or service", "--group=pid", NULL);
	expect_usage("grouping", "--group=\x1b[2J\n", NULL);
	expect_usage("0", "--once", "--rate=0", NULL);
	expect_usage("3601", "--once", "--rate=3601", NULL);
	expect_usage("abc", "--once", "--rate=abc", NULL);
	expect_usage("--group", "--group", NULL);
}

static void test_help_version(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "-h", NULL), OPT_HELP);
	assert_int_equal(parse(&o, err, "--version", NULL), OPT_VERSION);
	assert_non_null(strstr(options_help(), "--once"));
	assert_non_null(strstr(options_help_ss(), "--kill"));
	assert_non_null(strstr(options_help_ss(), "FOR SS USERS"));
	assert_non_null(strstr(options_help_learning(), "--tour"));
}

/* ---- ss habits (issue 13) ---- */

/* Combined short options as ss users type them; -a -n -p change nothing. */
static void test_ss_combined(void **state)
{
	struct options o, d;
	char err[256];

	(void)state;
	assert_int_equal(parse(&d, err, "-t", "-l", NULL), OPT_RUN);
	options_free(&d);
	assert_int_equal(parse(&o, err, "--once", "-tlnp", NULL), OPT_RUN);
	assert_int_equal(o.protos, SP_MASK(SP_TCP));
	assert_true(o.listening);
	assert_true(o.once);
	assert_null(o.filter);
	assert_int_equal(o.extra, 0);
	options_free(&o);
	assert_int_equal(parse(&o, err, "-1", "-tuna", NULL), OPT_RUN);
	assert_int_equal(o.protos, SP_MASK(SP_TCP) | SP_MASK(SP_UDP));
	assert_false(o.listening);
	options_free(&o);
	assert_int_equal(parse(&o, err, "-1", "-a", "-n", "-p", "--all", "--numeric",
			       "--processes", NULL), OPT_RUN);
	assert_int_equal(o.protos, SP_MASK_DEFAULT);
	options_free(&o);
	assert_int_equal(parse(&o, err, "-1", "-teimoH", NULL), OPT_RUN);
	assert_int_equal(o.extra, OPT_X_EXTENDED | OPT_X_INFO | OPT_X_MEMORY | OPT_X_TIMERS);
	assert_true(o.no_header);
	options_free(&o);
	/* -s and -K imply --once (so --format is fine) */
	assert_int_equal(parse(&o, err, "-s", "--format=json", NULL), OPT_RUN);
	assert_true(o.summary);
	assert_true(o.once);
	options_free(&o);
}

/* A filter after the options, joined with single spaces, as ss takes it. */
static void test_ss_trailing_filter(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "--once", "-t", "state", "established",
			       "( dport = :ssh )", NULL), OPT_RUN);
	assert_string_equal(o.filter, "state established ( dport = :ssh )");
	options_free(&o);
	/* GNU order: options after the words still count */
	assert_int_equal(parse(&o, err, "-t", "dport = :22", "-n", "--once", NULL), OPT_RUN);
	assert_string_equal(o.filter, "dport = :22");
	assert_true(o.once);
	options_free(&o);
	/* -f and a trailing expression: an error naming both */
	assert_int_equal(parse(&o, err, "-f", "tcp", "--once", "udp", NULL), OPT_USAGE);
	assert_non_null(strstr(err, "-f"));
	assert_non_null(strstr(err, "udp"));
	options_free(&o);
	assert_int_equal(parse(&o, err, "-F", "/dev/null", "-f", "tcp", NULL), OPT_USAGE);
	assert_non_null(strstr(err, "-f and -F"));
	options_free(&o);
}

/* -K refuses without a filter; with one it implies --once. */
static void test_ss_kill(void **state)
{
	struct options o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "-K", "-t", NULL), OPT_USAGE);
	assert_non_null(strstr(err, "without"));
	options_free(&o);
	assert_int_equal(parse(&o, err, "-K", "-t", "   ", NULL), OPT_USAGE);
	options_free(&o);
	assert_int_equal(parse(&o, err, "-Ktn", "dport = :9", NULL), OPT_RUN);
	assert_true(o.kill);
	assert_true(o.once);
	assert_string_equal(o.filter, "dport = :9");
	options_free(&o);
	assert_int_equal(parse(&o, err, "-K", "-s", "tcp", NULL), OPT_USAGE);
	options_free(&o);
}

static char *write_tmp(const void *data, size_t len)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/svopt.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* -F FILE: lines joined; hostile files (huge, binary, unreadable, a
 * directory) give a clear message, never a crash or a silent cut. */
static void test_ss_filter_file(void **state)
{
	static char big[LINEEDIT_TEXT_MAX + 100];
	struct options o;
	char err[256], *p;

	(void)state;
	p = write_tmp("tcp\nand state listening\r\n", 25);
	assert_int_equal(parse(&o, err, "--once", "-F", p, NULL), OPT_RUN);
	assert_string_equal(o.filter, "tcp and state listening  ");
	options_free(&o);
	unlink(p);

	p = write_tmp("tcp\0\x1b[2J", 8);
	assert_int_equal(parse(&o, err, "--once", "-F", p, NULL), OPT_USAGE);
	assert_non_null(strstr(err, "not text"));
	assert_non_null(strstr(err, "0x00"));
	options_free(&o);
	unlink(p);

	memset(big, 'a', sizeof(big));
	p = write_tmp(big, sizeof(big));
	assert_int_equal(parse(&o, err, "--once", "--filter-file", p, NULL), OPT_USAGE);
	assert_non_null(strstr(err, "too long"));
	options_free(&o);
	unlink(p);

	assert_int_equal(parse(&o, err, "--once", "-F", "/nonexistent/f", NULL), OPT_USAGE);
	assert_non_null(strstr(err, "cannot read"));
	assert_non_null(strstr(err, "/nonexistent/f"));
	options_free(&o);
	assert_int_equal(parse(&o, err, "--once", "-F", "/", NULL), OPT_USAGE);
	assert_non_null(strstr(err, "cannot read"));
	options_free(&o);
	/* a file and trailing words: one filter only */
	assert_int_equal(parse(&o, err, "--once", "-F", "/dev/null", "tcp", NULL), OPT_USAGE);
	assert_non_null(strstr(err, "-F"));
	options_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_protocols_and_families),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_long_option_messages),
		cmocka_unit_test(test_message_cuts),
		cmocka_unit_test(test_watch),
		cmocka_unit_test(test_filter_limit),
		cmocka_unit_test(test_group_rate),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_ss_combined),
		cmocka_unit_test(test_ss_trailing_filter),
		cmocka_unit_test(test_ss_kill),
		cmocka_unit_test(test_ss_filter_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
