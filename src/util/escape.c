/* escape.c - turning hostile bytes into visible, safe text. */
#include "config.h"

#include <langinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "escape.h"
#include "utf8.h"

enum esc_charset esc_charset_from_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	if (cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8")))
		return ESC_UTF8;
	return ESC_ASCII;
}

/* Code points that can reorder or hide text on a terminal. */
static bool is_bidi_or_invisible(uint32_t c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0xfeff || (c >= 0x200b && c <= 0x200d) ||
	       c == 0x2028 || c == 0x2029;
}

static size_t put_hex_byte(struct buf *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	const char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

	/* a flooding peer's bytes come through here: no printf per byte */
	buf_append(out, e, sizeof(e));
	return 4;
}

size_t esc_display(struct buf *out, const void *vp, size_t n, enum esc_charset cs)
{
	const unsigned char *p = vp;
	size_t i = 0, w = 0;

	while (i < n) {
		unsigned char c = p[i];
		uint32_t cp;
		size_t len;

		if (c >= 0x20 && c < 0x7f) {
			if (c == '\\') {
				buf_append(out, "\\\\", 2);
				w += 2;
			} else {
				buf_putc(out, (char)c);
				w++;
			}
			i++;
			continue;
		}
		if (c < 0x80) {
			const char *e = NULL;

			switch (c) {
			case '\n': e = "\\n"; break;
			case '\t': e = "\\t"; break;
			case '\r': e = "\\r"; break;
			default: break;
			}
			if (e) {
				buf_append(out, e, 2);
				w += 2;
			} else {
				w += put_hex_byte(out, c);
			}
			i++;
			continue;
		}
		if (cs != ESC_UTF8 || !(len = utf8_decode((const char *)p + i, n - i, &cp))) {
			w += put_hex_byte(out, c);
			i++;
			continue;
		}
		{
			int cw = -1;

			if (cp >= 0xa0 && !is_bidi_or_invisible(cp))
				cw = wcwidth((wchar_t)cp);
			if (cw < 0) {
				size_t before = out->len;

				buf_printf(out, "\\u{%x}", (unsigned)cp);
				w += out->len - before;
			} else {
				buf_append(out, p + i, len);
				w += (size_t)cw;
			}
		}
		i += len;
	}
	return w;
}

void esc_json(struct buf *out, const void *vp, size_t n)
{
	const unsigned char *p = vp;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		uint32_t cp;
		size_t len;

		if (c == '\\') {
			/* The decoded string escapes the backslash itself
			 * ("\\", JSON "\\\\"), so that a byte of invalid UTF-8 (the text
			 * "\xff") and the literal text "\xff" (then "\\xff")
			 * stay two different strings: the same convention as
			 * the table, CSV and the live view. */
			buf_puts(out, "\\\\\\\\");
			i++;
		} else if (c == '"') {
			buf_putc(out, '\\');
			buf_putc(out, (char)c);
			i++;
		} else if (c >= 0x20 && c < 0x7f) {
			buf_putc(out, (char)c);
			i++;
		} else if (c < 0x80) {
			switch (c) {
			case '\n': buf_puts(out, "\\n"); break;
			case '\t': buf_puts(out, "\\t"); break;
			case '\r': buf_puts(out, "\\r"); break;
			default: buf_printf(out, "\\u%04x", c); break;
			}
			i++;
		} else if (!(len = utf8_decode((const char *)p + i, n - i, &cp))) {
			buf_printf(out, "\\\\x%02x", c);
			i++;
		} else {
			if (cp < 0xa0 || is_bidi_or_invisible(cp))
				buf_printf(out, "\\u%04x", (unsigned)cp);
			else
				buf_append(out, p + i, len);
			i += len;
		}
	}
}

/* Width and length of the character at s in a safe string. */
static size_t char_at(const char *s, size_t n, enum esc_charset cs, size_t *w)
{
	uint32_t cp;
	size_t len;
	int cw;

	if (cs != ESC_UTF8 || (unsigned char)s[0] < 0x80 ||
	    !(len = utf8_decode(s, n, &cp))) {
		*w = 1;
		return 1;
	}
	cw = wcwidth((wchar_t)cp);
	*w = cw < 0 ? 1 : (size_t)cw;
	return len;
}

size_t esc_width(const char *s, size_t n, enum esc_charset cs)
{
	size_t i = 0, w = 0, cw;

	while (i < n) {
		i += char_at(s + i, n - i, cs, &cw);
		w += cw;
	}
	return w;
}

size_t esc_prefix(const char *s, size_t n, size_t maxw, enum esc_charset cs, size_t *w)
{
	size_t i = 0, tw = 0, cw, len;

	while (i < n) {
		len = char_at(s + i, n - i, cs, &cw);
		if (tw + cw > maxw)
			break;
		tw += cw;
		i += len;
	}
	if (w)
		*w = tw;
	return i;
}
