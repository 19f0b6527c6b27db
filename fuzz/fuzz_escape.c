/* fuzz_escape.c - fuzz target: the escape function (src/escape.h).
 *
 * Properties, for any bytes:
 *  - esc_display() output holds no C0/C1 control, DEL, bidi or invisible
 *    formatting character and is valid UTF-8 (ASCII only in ESC_ASCII);
 *  - the width it reports equals what wcswidth() says of the output (in
 *    ESC_ASCII: its length), and what esc_width() says;
 *  - it loses nothing: unescaping the output gives the input back, so two
 *    different names never look the same;
 *  - esc_prefix() never splits a character and never exceeds its width;
 *  - esc_json() output, quoted, is a valid JSON string with no raw control. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "escape.h"
#include "fuzz.h"
#include "xalloc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The width property needs the same wcwidth() table the program uses
	 * in a UTF-8 locale. */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		fuzz_fail("no C.UTF-8 locale", "", 0);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void put_utf8(struct buf *b, uint32_t c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c, n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3f)), n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12), u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f)), n = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18), u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f)), u[3] = (char)(0x80 | (c & 0x3f)), n = 4;
	}
	buf_append(b, u, n);
}

/* The inverse of esc_display(): \\ \n \t \r \xNN \u{H..}; anything else is
 * itself. Fails on an escape esc_display() never writes. */
static void unescape(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] != '\\') {
			buf_putc(out, s[i++]);
			continue;
		}
		if (i + 1 >= n)
			fuzz_fail("lone backslash at the end of escaped text", s, n);
		switch (s[i + 1]) {
		case '\\': buf_putc(out, '\\'); i += 2; break;
		case 'n': buf_putc(out, '\n'); i += 2; break;
		case 't': buf_putc(out, '\t'); i += 2; break;
		case 'r': buf_putc(out, '\r'); i += 2; break;
		case 'x': {
			int hi = i + 3 < n ? hexval(s[i + 2]) : -1;
			int lo = i + 3 < n ? hexval(s[i + 3]) : -1;

			if (hi < 0 || lo < 0)
				fuzz_fail("bad \\x escape", s, n);
			buf_putc(out, (char)(hi << 4 | lo));
			i += 4;
			break;
		}
		case 'u': {
			uint32_t c = 0;
			size_t k = i + 3;

			if (i + 2 >= n || s[i + 2] != '{')
				fuzz_fail("bad \\u escape", s, n);
			while (k < n && hexval(s[k]) >= 0 && k - i < 12)
				c = c << 4 | (uint32_t)hexval(s[k++]);
			if (k >= n || s[k] != '}' || k == i + 3 || c > 0x10ffff)
				fuzz_fail("bad \\u{} escape", s, n);
			put_utf8(out, c);
			i = k + 1;
			break;
		}
		default:
			fuzz_fail("unknown escape", s, n);
		}
	}
}

static void check_display(const uint8_t *data, size_t size, enum esc_charset cs)
{
	struct buf out = BUF_INIT, back = BUF_INIT;
	const char *s;
	size_t w, n;

	w = esc_display(&out, data, size, cs);
	s = out.data ? out.data : "";
	n = out.len;
	fuzz_check_safe("esc_display", s, n, cs == ESC_ASCII, false);
	if (esc_width(s, n, cs) != w)
		fuzz_fail("esc_width() differs from the width esc_display() reported", s, n);
	if (cs == ESC_ASCII) {
		if (w != n)
			fuzz_fail("ASCII width differs from the length", s, n);
	} else {
		wchar_t *wc = xcalloc(n + 1, sizeof(*wc));
		size_t nw;
		int ww;

		/* out is NUL-terminated and, escaped, holds no NUL */
		nw = mbstowcs(wc, s, n + 1);
		if (nw == (size_t)-1)
			fuzz_fail("mbstowcs() rejects the escaped text", s, n);
		ww = wcswidth(wc, nw);
		free(wc);
		if (ww < 0 || (size_t)ww != w)
			fuzz_fail("reported width differs from wcswidth()", s, n);
	}
	unescape(&back, s, n);
	if (back.len != size || (size && memcmp(back.data, data, size)))
		fuzz_fail("unescaping does not give the input back", s, n);

	/* Prefixes: at every width up to w + 1. Bounded: a long input gets a
	 * few sample widths only. */
	for (size_t maxw = 0; maxw <= w + 1; maxw += w > 64 ? w / 16 + 1 : 1) {
		size_t pw = 0, len = esc_prefix(s, n, maxw, cs, &pw);

		if (len > n || pw > maxw || pw != esc_width(s, len, cs))
			fuzz_fail("esc_prefix() width or length out of bounds", s, n);
		if (maxw >= w && len != n)
			fuzz_fail("esc_prefix() cut a string that fits", s, n);
		if (cs == ESC_UTF8 && len < n && ((unsigned char)s[len] & 0xc0) == 0x80)
			fuzz_fail("esc_prefix() split a character", s, n);
	}
	buf_free(&back);
	buf_free(&out);
}

static void check_json(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT;

	buf_putc(&out, '"');
	esc_json(&out, data, size);
	buf_putc(&out, '"');
	fuzz_check_json("esc_json", out.data, out.len);
	fuzz_check_safe("esc_json", out.data, out.len, false, false);
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_display(data, size, ESC_UTF8);
	check_display(data, size, ESC_ASCII);
	check_json(data, size);
	return 0;
}
