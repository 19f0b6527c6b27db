/* test_linecode.c - typed lines to bytes (linecode.c): line endings,
 * escapes, and hostile input (malformed escapes, control bytes, a huge
 * line). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "linecode.h"

static int enc(const char *in, bool esc, enum ep_eol eol, struct buf *out, size_t *bad)
{
	buf_reset(out);
	return linecode_encode(in, strlen(in), esc, eol, out, bad);
}

static void test_endings(void **state)
{
	struct buf b = BUF_INIT;
	size_t bad = 0;

	(void)state;
	assert_int_equal(enc("GET / HTTP/1.0", false, EP_EOL_CRLF, &b, &bad), 0);
	assert_int_equal(b.len, 16);
	assert_memory_equal(b.data, "GET / HTTP/1.0\r\n", 16);
	assert_int_equal(enc("hi", false, EP_EOL_LF, &b, &bad), 0);
	assert_memory_equal(b.data, "hi\n", 3);
	assert_int_equal(enc("hi", false, EP_EOL_NONE, &b, &bad), 0);
	assert_int_equal(b.len, 2);
	assert_int_equal(enc("", false, EP_EOL_NONE, &b, &bad), 0);
	assert_int_equal(b.len, 0);
	/* without escapes a backslash is a backslash */
	assert_int_equal(enc("a\\x00", false, EP_EOL_NONE, &b, &bad), 0);
	assert_memory_equal(b.data, "a\\x00", 5);
	assert_string_equal(linecode_eol_name(EP_EOL_CRLF), "CRLF");
	assert_string_equal(linecode_eol_name(EP_EOL_LF), "LF");
	buf_free(&b);
}

static void test_escapes(void **state)
{
	struct buf b = BUF_INIT;
	size_t bad = 0;

	(void)state;
	assert_int_equal(enc("\\x00\\r\\n", true, EP_EOL_NONE, &b, &bad), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "\0\r\n", 3);
	assert_int_equal(enc("a\\\\b\\t\\e\\a\\0\\xfF\\x7e", true, EP_EOL_LF, &b, &bad), 0);
	assert_memory_equal(b.data, "a\\b\t\x1b\a\0\xff~\n", 11);
	buf_free(&b);
}

static void test_malformed(void **state)
{
	static const struct {
		const char *in;
		size_t bad;
	} cases[] = {
		{ "abc\\", 3 },      /* a backslash at the end */
		{ "\\x", 0 },        /* no digits */
		{ "a\\x4", 1 },      /* one digit */
		{ "a\\xg0", 1 },     /* not hex */
		{ "ok\\q", 2 },      /* unknown escape */
		{ "\\n\\x0\\n", 2 }, /* the second one is bad */
		{ "\\\x1b", 0 },     /* a control byte after the backslash */
	};
	struct buf b = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t bad = 99;

		buf_reset(&b);
		buf_puts(&b, "keep");
		assert_int_equal(linecode_encode(cases[i].in, strlen(cases[i].in), true, EP_EOL_LF,
						 &b, &bad), -1);
		assert_int_equal(bad, cases[i].bad);
		/* nothing was added */
		assert_int_equal(b.len, 4);
	}
	buf_free(&b);
}

static void test_huge_and_binary(void **state)
{
	size_t n = 4 * 1024 * 1024, bad = 0;
	char *in = malloc(n);
	struct buf b = BUF_INIT;

	(void)state;
	assert_non_null(in);
	for (size_t i = 0; i < n; i++)
		in[i] = (char)(i % 251 == 0 ? '\\' : i % 256);
	/* as typed: every byte goes through, NULs and all */
	assert_int_equal(linecode_encode(in, n, false, EP_EOL_CRLF, &b, &bad), 0);
	assert_int_equal(b.len, n + 2);
	assert_memory_equal(b.data, in, n);
	/* with escapes: the stray backslashes are refused, at the first one */
	buf_reset(&b);
	assert_int_equal(linecode_encode(in, n, true, EP_EOL_LF, &b, &bad), -1);
	assert_int_equal(bad, 0);
	assert_int_equal(b.len, 0);
	/* a huge run of valid escapes */
	for (size_t i = 0; i + 4 <= n; i += 4)
		memcpy(in + i, "\\x41", 4);
	assert_int_equal(linecode_encode(in, n, true, EP_EOL_NONE, &b, &bad), 0);
	assert_int_equal(b.len, n / 4);
	assert_int_equal(b.data[0], 'A');
	free(in);
	buf_free(&b);
}

/* A buffer with a limit refuses what does not fit: an error, nothing added. */
static void test_limit(void **state)
{
	struct buf b;
	size_t bad = 0;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(linecode_encode("0123456789", 10, false, EP_EOL_LF, &b, &bad), -1);
	assert_int_equal(b.len, 0);
	assert_int_equal(linecode_encode("0123", 4, false, EP_EOL_CRLF, &b, &bad), 0);
	assert_int_equal(b.len, 6);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endings),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_huge_and_binary),
		cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
