/* test_utf8.c - the UTF-8 helpers: strict decoding and encoding, boundaries
 * that only look at continuation bytes. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "utf8.h"

/* A code point no test expects: shows that a failed decode left *cp alone. */
#define UNTOUCHED 0xdeadbeefu

/* Decodes the n bytes of s; returns the length and the code point in *cp. */
static size_t dec(const char *s, size_t n, uint32_t *cp)
{
	*cp = UNTOUCHED;
	return utf8_decode(s, n, cp);
}

static void assert_invalid(const char *s, size_t n)
{
	uint32_t cp;

	assert_int_equal(dec(s, n, &cp), 0);
	assert_int_equal(cp, UNTOUCHED);
}

static void test_decode_ascii(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(dec("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	/* NUL and DEL are characters too: escaping them is not utf8's job */
	assert_int_equal(dec("\0x", 2, &cp), 1);
	assert_int_equal(cp, 0);
	assert_int_equal(dec("\x7f", 1, &cp), 1);
	assert_int_equal(cp, 0x7f);
	/* only the first character is decoded */
	assert_int_equal(dec("ab", 2, &cp), 1);
	assert_int_equal(cp, 'a');
	/* nothing to decode */
	assert_invalid("", 0);
}

static void test_decode_multibyte(void **state)
{
	uint32_t cp;

	(void)state;
	/* 2 bytes: U+0080 (the smallest), U+00E9, U+07FF (the largest) */
	assert_int_equal(dec("\xc2\x80", 2, &cp), 2);
	assert_int_equal(cp, 0x80);
	assert_int_equal(dec("\xc3\xa9z", 3, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(dec("\xdf\xbf", 2, &cp), 2);
	assert_int_equal(cp, 0x7ff);
	/* 3 bytes: U+0800, U+20AC, U+D7FF and U+E000 around the surrogates,
	 * U+FFFF */
	assert_int_equal(dec("\xe0\xa0\x80", 3, &cp), 3);
	assert_int_equal(cp, 0x800);
	assert_int_equal(dec("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(dec("\xed\x9f\xbf", 3, &cp), 3);
	assert_int_equal(cp, 0xd7ff);
	assert_int_equal(dec("\xee\x80\x80", 3, &cp), 3);
	assert_int_equal(cp, 0xe000);
	assert_int_equal(dec("\xef\xbf\xbf", 3, &cp), 3);
	assert_int_equal(cp, 0xffff);
	/* 4 bytes: U+10000, U+1F600, U+10FFFF (the largest) */
	assert_int_equal(dec("\xf0\x90\x80\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x10000);
	assert_int_equal(dec("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(dec("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
}

static void test_decode_overlong(void **state)
{
	(void)state;
	/* '/' and NUL in two bytes: C0 and C1 never start a character */
	assert_invalid("\xc0\xaf", 2);
	assert_invalid("\xc0\x80", 2);
	assert_invalid("\xc1\xbf", 2);
	/* U+07FF in three bytes, U+FFFF in four */
	assert_invalid("\xe0\x9f\xbf", 3);
	assert_invalid("\xe0\x80\xaf", 3);
	assert_invalid("\xf0\x8f\xbf\xbf", 4);
	assert_invalid("\xf0\x80\x80\xaf", 4);
}

static void test_decode_out_of_range(void **state)
{
	(void)state;
	/* surrogates U+D800 and U+DFFF */
	assert_invalid("\xed\xa0\x80", 3);
	assert_invalid("\xed\xbf\xbf", 3);
	/* U+110000, and the lead bytes that can only start such values */
	assert_invalid("\xf4\x90\x80\x80", 4);
	assert_invalid("\xf5\x80\x80\x80", 4);
	assert_invalid("\xf7\xbf\xbf\xbf", 4);
	assert_invalid("\xf8\x88\x80\x80\x80", 5);
	assert_invalid("\xfe", 1);
	assert_invalid("\xff", 1);
}

static void test_decode_truncated(void **state)
{
	(void)state;
	/* the bytes are there in memory, but len says the sequence is cut */
	assert_invalid("\xc3\xa9", 1);
	assert_invalid("\xe2\x82\xac", 2);
	assert_invalid("\xe2\x82\xac", 1);
	assert_invalid("\xf0\x9f\x98\x80", 3);
	assert_invalid("\xf0\x9f\x98\x80", 1);
}

static void test_decode_bad_continuation(void **state)
{
	uint32_t cp;

	(void)state;
	/* a continuation byte alone */
	assert_invalid("\x80", 1);
	assert_invalid("\xbf" "a", 2);
	/* a lead byte followed by ASCII, by another lead byte, by NUL */
	assert_invalid("\xc3" "a", 2);
	assert_invalid("\xe2\x82" "a", 3);
	assert_invalid("\xe2" "a\xac", 3);
	assert_invalid("\xf0\x9f\x98" "a", 4);
	assert_invalid("\xc3\xc3\xa9", 3);
	assert_invalid("\xc3\0", 2);
	/* decoding goes on at the next byte: that one is fine */
	assert_int_equal(dec("\xc3\xc3\xa9" + 1, 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
}

/* Every code point that encodes decodes back to itself, with the same
 * length, and every value that does not encode writes nothing. */
static void test_encode_round_trip(void **state)
{
	char out[UTF8_MAX];
	uint32_t cp;
	size_t n, want;

	(void)state;
	for (uint32_t c = 0; c < 0x110000; c++) {
		memset(out, 0x55, sizeof(out));
		n = utf8_encode(c, out);
		if (c >= 0xd800 && c <= 0xdfff) {
			assert_int_equal(n, 0);
			assert_int_equal((unsigned char)out[0], 0x55);
			continue;
		}
		want = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
		assert_int_equal(n, want);
		assert_int_equal(dec(out, n, &cp), n);
		assert_int_equal(cp, c);
	}
	assert_int_equal(utf8_encode(0x110000, out), 0);
	assert_int_equal(utf8_encode(UINT32_MAX, out), 0);
}

static void test_encode_bytes(void **state)
{
	char out[UTF8_MAX];

	(void)state;
	assert_int_equal(utf8_encode('x', out), 1);
	assert_memory_equal(out, "x", 1);
	assert_int_equal(utf8_encode(0xe9, out), 2);
	assert_memory_equal(out, "\xc3\xa9", 2);
	assert_int_equal(utf8_encode(0x20ac, out), 3);
	assert_memory_equal(out, "\xe2\x82\xac", 3);
	assert_int_equal(utf8_encode(0x1f600, out), 4);
	assert_memory_equal(out, "\xf0\x9f\x98\x80", 4);
}

/* "aé€😀b": characters at 0, 1, 3, 6, 10; 11 bytes. */
#define MIXED "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" "b"
static const size_t mixed_starts[] = { 0, 1, 3, 6, 10, 11 };

static void test_next(void **state)
{
	const char *s = MIXED;
	size_t len = strlen(s), i = 0;

	(void)state;
	for (size_t k = 1; k < sizeof(mixed_starts) / sizeof(mixed_starts[0]); k++) {
		i = utf8_next(s, len, i);
		assert_int_equal(i, mixed_starts[k]);
	}
	/* at the end it stays there */
	assert_int_equal(utf8_next(s, len, len), len);
	/* from inside a character: to the next start */
	assert_int_equal(utf8_next(s, len, 4), 6);
	/* len bounds it, even in the middle of a character */
	assert_int_equal(utf8_next(s, 8, 6), 8);
	/* no validation: stray continuation bytes belong to the byte before */
	assert_int_equal(utf8_next("\x80\x80x", 3, 0), 2);
	assert_int_equal(utf8_next("x\x80\x80", 3, 0), 3);
	assert_int_equal(utf8_next("\xc3x", 2, 0), 1);
}

static void test_prev(void **state)
{
	const char *s = MIXED;
	size_t i = strlen(s);

	(void)state;
	for (size_t k = sizeof(mixed_starts) / sizeof(mixed_starts[0]) - 1; k-- > 0;) {
		i = utf8_prev(s, i);
		assert_int_equal(i, mixed_starts[k]);
	}
	/* at the start it stays there */
	assert_int_equal(utf8_prev(s, 0), 0);
	/* from inside a character: to its start */
	assert_int_equal(utf8_prev(s, 8), 6);
	/* only continuation bytes before: to 0 */
	assert_int_equal(utf8_prev("\x80\x80\x80", 3), 0);
	assert_int_equal(utf8_prev("x\xc3", 2), 1);
}

static void test_floor(void **state)
{
	const char *s = MIXED;

	(void)state;
	/* on a boundary: unchanged; inside a character: its start */
	for (size_t i = 0; i <= strlen(s); i++) {
		size_t want = 0;

		for (size_t k = 0; k < sizeof(mixed_starts) / sizeof(mixed_starts[0]); k++)
			if (mixed_starts[k] <= i)
				want = mixed_starts[k];
		assert_int_equal(utf8_floor(s, i), want);
	}
	assert_int_equal(utf8_floor("\x80\x80", 1), 0);
}

static void test_count(void **state)
{
	(void)state;
	assert_int_equal(utf8_count("", 0), 0);
	assert_int_equal(utf8_count(MIXED, strlen(MIXED)), 5);
	/* a prefix that ends inside a character counts it */
	assert_int_equal(utf8_count(MIXED, 2), 2);
	assert_int_equal(utf8_count(MIXED, 7), 4);
	/* invalid bytes: each lead or stray byte is one; NUL is one */
	assert_int_equal(utf8_count("\xff\xc3" "a", 3), 3);
	assert_int_equal(utf8_count("a\0b", 3), 3);
	assert_int_equal(utf8_count("\x80\x80", 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_ascii),
		cmocka_unit_test(test_decode_multibyte),
		cmocka_unit_test(test_decode_overlong),
		cmocka_unit_test(test_decode_out_of_range),
		cmocka_unit_test(test_decode_truncated),
		cmocka_unit_test(test_decode_bad_continuation),
		cmocka_unit_test(test_encode_round_trip),
		cmocka_unit_test(test_encode_bytes),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_prev),
		cmocka_unit_test(test_floor),
		cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
