/* check.c - the properties fuzz targets assert: safe text, valid JSON. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

void fuzz_fail(const char *what, const void *vp, size_t n)
{
	const unsigned char *p = vp;

	fprintf(stderr, "fuzz property broken: %s\nbytes (%zu): ", what, n);
	for (size_t i = 0; i < n && i < 4096; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			fputc(p[i], stderr);
		else
			fprintf(stderr, "\\x%02x", p[i]);
	}
	fputc('\n', stderr);
	abort();
}

size_t fuzz_utf8(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (!n)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2, c = p[0] & 0x1fu, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3, c = p[0] & 0x0fu, min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4, c = p[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3fu);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static bool is_format_control(uint32_t c)
{
	return c == 0x061c || (c >= 0x200b && c <= 0x200f) || c == 0x2028 ||
	       c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

void fuzz_check_safe(const char *what, const char *s, size_t n, bool ascii, bool allow_nl)
{
	const unsigned char *p = (const unsigned char *)s;
	char msg[256];
	size_t i = 0;

	while (i < n) {
		uint32_t c;
		size_t len = fuzz_utf8(p + i, n - i, &c);
		const char *bad = NULL;

		if (!len)
			bad = "invalid UTF-8";
		else if (c == '\n' && allow_nl)
			bad = NULL;
		else if (c < 0x20 || c == 0x7f)
			bad = "C0 control or DEL";
		else if (c >= 0x80 && c < 0xa0)
			bad = "C1 control";
		else if (is_format_control(c))
			bad = "bidi or invisible formatting character";
		else if (ascii && c >= 0x80)
			bad = "non-ASCII byte in ASCII mode";
		if (bad) {
			snprintf(msg, sizeof(msg), "%s: %s at byte %zu", what, bad, i);
			fuzz_fail(msg, s, n);
		}
		i += len;
	}
}

/* ---- a strict JSON checker (RFC 8259 grammar) ---- */

struct jp {
	const unsigned char *p;
	size_t n, i;
	int depth;
};

static bool j_more(const struct jp *j)
{
	return j->i < j->n;
}

static void j_ws(struct jp *j)
{
	while (j_more(j) && (j->p[j->i] == ' ' || j->p[j->i] == '\t' ||
			     j->p[j->i] == '\n' || j->p[j->i] == '\r'))
		j->i++;
}

static bool j_lit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if (j->n - j->i < n || memcmp(j->p + j->i, lit, n))
		return false;
	j->i += n;
	return true;
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool j_string(struct jp *j)
{
	if (!j_more(j) || j->p[j->i] != '"')
		return false;
	j->i++;
	while (j_more(j)) {
		unsigned char c = j->p[j->i];
		uint32_t cp;
		size_t len;

		if (c == '"') {
			j->i++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			j->i++;
			if (!j_more(j))
				return false;
			c = j->p[j->i];
			if (c == 'u') {
				if (j->n - j->i < 5)
					return false;
				for (size_t k = 1; k <= 4; k++)
					if (!is_hex(j->p[j->i + k]))
						return false;
				j->i += 5;
			} else if (c && strchr("\"\\/bfnrt", c)) {
				j->i++;
			} else {
				return false;
			}
			continue;
		}
		len = fuzz_utf8(j->p + j->i, j->n - j->i, &cp);
		if (!len)
			return false;
		j->i += len;
	}
	return false;
}

static bool j_number(struct jp *j)
{
	size_t start;

	if (j_more(j) && j->p[j->i] == '-')
		j->i++;
	if (!j_more(j) || !is_digit(j->p[j->i]))
		return false;
	if (j->p[j->i] == '0') {
		j->i++;
	} else {
		while (j_more(j) && is_digit(j->p[j->i]))
			j->i++;
	}
	if (j_more(j) && j->p[j->i] == '.') {
		j->i++;
		start = j->i;
		while (j_more(j) && is_digit(j->p[j->i]))
			j->i++;
		if (j->i == start)
			return false;
	}
	if (j_more(j) && (j->p[j->i] == 'e' || j->p[j->i] == 'E')) {
		j->i++;
		if (j_more(j) && (j->p[j->i] == '+' || j->p[j->i] == '-'))
			j->i++;
		start = j->i;
		while (j_more(j) && is_digit(j->p[j->i]))
			j->i++;
		if (j->i == start)
			return false;
	}
	return true;
}

static bool j_value(struct jp *j);

/* Array or object, opened by open and closed by close; members are
 * "key": value pairs when object. */
static bool j_container(struct jp *j, char close, bool object)
{
	bool ok = true;

	if (++j->depth > 64)
		return false;
	j->i++;
	j_ws(j);
	if (j_more(j) && j->p[j->i] == (unsigned char)close) {
		j->i++;
		j->depth--;
		return true;
	}
	for (;;) {
		j_ws(j);
		if (object) {
			if (!j_string(j))
				return false;
			j_ws(j);
			if (!j_more(j) || j->p[j->i] != ':')
				return false;
			j->i++;
		}
		if (!j_value(j))
			return false;
		j_ws(j);
		if (!j_more(j))
			return false;
		if (j->p[j->i] == ',') {
			j->i++;
			continue;
		}
		ok = j->p[j->i] == (unsigned char)close;
		j->i++;
		break;
	}
	j->depth--;
	return ok;
}

static bool j_value(struct jp *j)
{
	j_ws(j);
	if (!j_more(j))
		return false;
	switch (j->p[j->i]) {
	case '{': return j_container(j, '}', true);
	case '[': return j_container(j, ']', false);
	case '"': return j_string(j);
	case 't': return j_lit(j, "true");
	case 'f': return j_lit(j, "false");
	case 'n': return j_lit(j, "null");
	default: return j_number(j);
	}
}

void fuzz_check_json(const char *what, const char *p, size_t n)
{
	struct jp j = { (const unsigned char *)p, n, 0, 0 };
	char msg[256];

	if (j_value(&j)) {
		j_ws(&j);
		if (j.i == n)
			return;
	}
	snprintf(msg, sizeof(msg), "%s: not valid JSON (near byte %zu)", what, j.i);
	fuzz_fail(msg, p, n);
}
