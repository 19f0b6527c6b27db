/* test_escape.c - the one escape function: no control byte survives. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "escape.h"

static char *disp(const char *p, size_t n, enum esc_charset cs, size_t *w)
{
	struct buf b = BUF_INIT;
	size_t width = esc_display(&b, p, n, cs);

	if (w)
		*w = width;
	return buf_steal(&b);
}

static void assert_disp(const char *in, size_t n, enum esc_charset cs, const char *want)
{
	size_t w;
	char *got = disp(in, n, cs, &w);

	assert_string_equal(got, want);
	free(got);
}

static void test_plain_ascii(void **state)
{
	(void)state;
	assert_disp("/run/x.sock", 11, ESC_UTF8, "/run/x.sock");
	assert_disp("a\\b", 3, ESC_UTF8, "a\\\\b");
}

static void test_controls(void **state)
{
	(void)state;
	assert_disp("a\nb", 3, ESC_UTF8, "a\\nb");
	assert_disp("\t\r", 2, ESC_UTF8, "\\t\\r");
	assert_disp("\x1b]0;pwned\x07", 10, ESC_UTF8, "\\x1b]0;pwned\\x07");
	assert_disp("x\x7fy", 3, ESC_UTF8, "x\\x7fy");
	/* NUL does not end the string: the length does */
	assert_disp("a\0b", 3, ESC_UTF8, "a\\x00b");
}

static void test_utf8(void **state)
{
	size_t w;
	char *s;

	(void)state;
	/* valid UTF-8 passes in a UTF-8 locale, is escaped in ASCII */
	assert_disp("caf\xc3\xa9", 5, ESC_UTF8, "caf\xc3\xa9");
	assert_disp("caf\xc3\xa9", 5, ESC_ASCII, "caf\\xc3\\xa9");
	/* invalid sequences, overlong forms and surrogates become bytes */
	assert_disp("\xff\xfe", 2, ESC_UTF8, "\\xff\\xfe");
	assert_disp("\xc0\xaf", 2, ESC_UTF8, "\\xc0\\xaf");
	assert_disp("\xed\xa0\x80", 3, ESC_UTF8, "\\xed\\xa0\\x80");
	assert_disp("\xe2\x82", 2, ESC_UTF8, "\\xe2\\x82");
	/* C1 controls and bidi overrides are escaped */
	assert_disp("\xc2\x9b", 2, ESC_UTF8, "\\u{9b}");
	assert_disp("a\xe2\x80\xae" "b", 5, ESC_UTF8, "a\\u{202e}b");
	/* wide characters: width 2 each */
	s = disp("\xe6\x97\xa5\xe6\x9c\xac", 6, ESC_UTF8, &w);
	assert_int_equal(w, 4);
	assert_int_equal(esc_width(s, strlen(s), ESC_UTF8), 4);
	free(s);
}

static void test_width_matches_output(void **state)
{
	static const char *const inputs[] = {
		"plain", "\x1b[2J", "a\xcc\x81", "\xef\xbc\xa1\xef\xbc\xa2",
		"\xf0\x9f\x98\x80", "\xe2\x80\x8b", "tab\there",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		size_t w;
		char *s = disp(inputs[i], strlen(inputs[i]), ESC_UTF8, &w);
		wchar_t wbuf[128];
		size_t nw = mbstowcs(wbuf, s, 128);

		assert_true(nw != (size_t)-1);
		assert_int_equal((int)w, wcswidth(wbuf, nw));
		free(s);
	}
}

static void test_no_control_survives_any_byte(void **state)
{
	unsigned char all[256];

	(void)state;
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	for (int cs = ESC_ASCII; cs <= ESC_UTF8; cs++) {
		char *s = disp((const char *)all, sizeof(all), (enum esc_charset)cs, NULL);

		for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
			assert_false(*p < 0x20 || *p == 0x7f);
			if (cs == ESC_ASCII)
				assert_true(*p < 0x80);
		}
		free(s);
	}
}

static void test_json(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	esc_json(&b, "a\"b\\c\n\x1b\x7f", 8);
	/* the backslash as the text "\\\\" (issue 18 item 7) */
	assert_string_equal(b.data, "a\\\"b\\\\\\\\c\\n\\u001b\\u007f");
	buf_reset(&b);
	esc_json(&b, "\xff" "ok\xc3\xa9\xe2\x80\xae", 8);
	assert_string_equal(b.data, "\\\\xffok\xc3\xa9\\u202e");
	buf_reset(&b);
	/* an invalid byte and the literal text "\\xff": two different
	 * strings, in JSON as on the terminal */
	esc_json(&b, "\xff", 1);
	assert_string_equal(b.data, "\\\\xff");
	buf_reset(&b);
	esc_json(&b, "\\xff", 4);
	assert_string_equal(b.data, "\\\\\\\\xff");
	buf_reset(&b);
	esc_display(&b, "\xff", 1, ESC_UTF8);
	assert_string_equal(b.data, "\\xff");
	buf_reset(&b);
	esc_display(&b, "\\xff", 4, ESC_UTF8);
	assert_string_equal(b.data, "\\\\xff");
	buf_reset(&b);
	esc_display(&b, "\\xff", 4, ESC_ASCII);
	assert_string_equal(b.data, "\\\\xff");
	buf_reset(&b);
	esc_json(&b, "\0x", 2);
	assert_string_equal(b.data, "\\u0000x");
	buf_free(&b);
}

static void test_prefix(void **state)
{
	size_t w;
	const char *s = "ab\xe6\x97\xa5" "cd";

	(void)state;
	assert_int_equal(esc_prefix(s, strlen(s), 3, ESC_UTF8, &w), 2);
	assert_int_equal(w, 2);
	assert_int_equal(esc_prefix(s, strlen(s), 4, ESC_UTF8, &w), 5);
	assert_int_equal(w, 4);
	assert_int_equal(esc_prefix(s, strlen(s), 100, ESC_UTF8, &w), strlen(s));
	assert_int_equal(w, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_ascii),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_width_matches_output),
		cmocka_unit_test(test_no_control_survives_any_byte),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_prefix),
	};

	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
