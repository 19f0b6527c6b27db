/* jsonx.c - strings out of hostile JSON (see jsonx.h). */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "jsonx.h"

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && is_ws(*p))
		p++;
	return p;
}

/* p at a '"': the byte after the closing quote, or NULL if unterminated. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\') {
			if (++p == end)
				return NULL;
		} else if (*p == '"') {
			return p + 1;
		}
	}
	return NULL;
}

/* p at the start of a value: the byte after it, or NULL if it is broken
 * or truncated. Containers are skipped by counting brackets outside
 * strings (each closing bracket must match the kind that opened it). */
static const char *skip_value(const char *p, const char *end)
{
	char stack[JSONX_DEPTH_MAX];
	size_t depth = 0;

	if (p >= end)
		return NULL;
	if (*p == '"')
		return skip_string(p, end);
	if (*p != '{' && *p != '[') {
		/* a number or a literal: up to the next delimiter */
		const char *q = p;

		while (q < end && !is_ws(*q) && *q != ',' && *q != '}' && *q != ']' && *q != ':' &&
		       *q != '"' && *q != '{' && *q != '[')
			q++;
		return q > p ? q : NULL;
	}
	while (p < end) {
		char c = *p;

		if (c == '"') {
			p = skip_string(p, end);
			if (!p)
				return NULL;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == JSONX_DEPTH_MAX)
				return NULL;
			stack[depth++] = c == '{' ? '}' : ']';
		} else if (c == '}' || c == ']') {
			if (!depth || stack[depth - 1] != c)
				return NULL;
			if (--depth == 0)
				return p + 1;
		}
		p++;
	}
	return NULL;
}

struct jsonx jsonx_doc(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	struct jsonx v;

	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	p = skip_ws(p, end);
	while (end > p && is_ws(end[-1]))
		end--;
	v.p = p;
	v.n = (size_t)(end - p);
	return v;
}

int jsonx_member(struct jsonx v, const char *key, struct jsonx *out)
{
	const char *p = v.p, *end = v.p + v.n;
	size_t klen = strlen(key);

	if (!v.n || *p != '{')
		return -1;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}')
		return -1;
	while (p < end) {
		const char *k, *ke, *ve;

		if (*p != '"')
			return -1;
		k = p + 1;
		ke = skip_string(p, end);
		if (!ke)
			return -1;
		p = skip_ws(ke, end);
		if (p >= end || *p != ':')
			return -1;
		p = skip_ws(p + 1, end);
		ve = skip_value(p, end);
		if (!ve)
			return -1;
		if ((size_t)(ke - 1 - k) == klen && !memcmp(k, key, klen)) {
			/* a value cut by the end of the span is no value */
			const char *q = skip_ws(ve, end);

			if (q >= end || (*q != ',' && *q != '}'))
				return -1;
			out->p = p;
			out->n = (size_t)(ve - p);
			return 0;
		}
		p = skip_ws(ve, end);
		if (p >= end || *p != ',')
			return -1;
		p = skip_ws(p + 1, end);
	}
	return -1;
}

int jsonx_next(struct jsonx v, size_t *pos, struct jsonx *out)
{
	const char *p, *end = v.p + v.n, *ve;

	if (!v.n || *v.p != '[' || *pos >= v.n)
		return -1;
	p = v.p + (*pos ? *pos : 1);
	p = skip_ws(p, end);
	if (p < end && *p == ',' && *pos)
		p = skip_ws(p + 1, end);
	else if (*pos)
		return -1; /* after an element comes ',' or the end */
	if (p >= end || *p == ']')
		return -1;
	ve = skip_value(p, end);
	if (!ve)
		return -1;
	{
		/* a value cut by the end of the span is no value */
		const char *q = skip_ws(ve, end);

		if (q >= end || (*q != ',' && *q != ']'))
			return -1;
	}
	out->p = p;
	out->n = (size_t)(ve - p);
	*pos = (size_t)(ve - v.p);
	return 0;
}

static int hex4(const char *p, const char *end, unsigned *v)
{
	*v = 0;
	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* Appends code point cp as UTF-8; false if it does not fit. */
static bool put_cp(char *out, size_t size, size_t *n, unsigned cp)
{
	char b[4];
	size_t k;

	if (cp < 0x80) {
		b[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	if (*n + k >= size)
		return false;
	memcpy(out + *n, b, k);
	*n += k;
	return true;
}

static int decode(struct jsonx v, char *out, size_t size, size_t *len);

int jsonx_string(struct jsonx v, char *out, size_t size, size_t *len)
{
	*len = 0;
	if (!size)
		return -1;
	if (decode(v, out, size, len) == 0)
		return 0;
	out[0] = '\0'; /* never a partial string */
	*len = 0;
	return -1;
}

static int decode(struct jsonx v, char *out, size_t size, size_t *len)
{
	const char *p = v.p, *end = v.p + v.n;
	size_t n = 0;

	out[0] = '\0';
	if (!v.n || *p != '"' || skip_string(p, end) != end)
		return -1;
	end--; /* the closing quote */
	for (p++; p < end; p++) {
		unsigned cp;

		if (*p != '\\') {
			if (n + 1 >= size)
				return -1;
			out[n++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case '"': case '\\': case '/': cp = (unsigned char)*p; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if (hex4(p + 1, end, &cp) < 0)
				return -1;
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00) {
				unsigned lo;

				if (end - p >= 7 && p[1] == '\\' && p[2] == 'u' &&
				    hex4(p + 3, end, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					p += 6;
				} else {
					cp = 0xfffd;
				}
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				cp = 0xfffd;
			}
			break;
		default:
			return -1;
		}
		if (!put_cp(out, size, &n, cp))
			return -1;
	}
	out[n] = '\0';
	*len = n;
	return 0;
}

int jsonx_path_string(struct jsonx v, const char *const *path, size_t npath, char *out,
		      size_t size, size_t *len)
{
	struct jsonx cur = v;

	*len = 0;
	if (size)
		out[0] = '\0';
	for (size_t i = 0; i < npath; i++)
		if (jsonx_member(cur, path[i], &cur) < 0)
			return -1;
	return jsonx_string(cur, out, size, len);
}
