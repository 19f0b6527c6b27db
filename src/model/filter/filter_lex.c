/* filter_lex.c - the tokenizer of the filter language. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter_lex.h"
#include "utf8.h"
#include "xalloc.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Characters that end a bare word. '!' ends one only as part of "!=", so
 * globs such as "[!a]*" need no quotes. */
static bool ends_word(const char *p, const char *end)
{
	switch (*p) {
	case '(': case ')': case '=': case '<': case '>': case '&': case '|':
		return true;
	case '!':
		return p + 1 < end && p[1] == '=';
	default:
		return is_space(*p);
	}
}

static struct ftok *push(struct flex *lx, enum ftok_kind kind, size_t off, size_t len)
{
	struct ftok *t;

	xgrow((void **)&lx->toks, &lx->cap, lx->n + 1, sizeof(*lx->toks));
	t = &lx->toks[lx->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->off = off;
	t->len = len;
	return t;
}

static int fail(struct flex *lx, enum flex_error e, size_t off)
{
	lx->error = e;
	lx->err_off = off;
	return -1;
}

/* Reads one word (bare and quoted pieces glued together) starting at *pos.
 * Backslash pairs are copied as they are; quotes are dropped. */
static int lex_word(struct flex *lx, const char *text, size_t len, size_t *pos)
{
	size_t start = *pos, i = *pos, voff = lx->pool.len;
	bool quoted = false;
	struct ftok *t;

	while (i < len) {
		char c = text[i];

		if (c == '\'' || c == '"') {
			size_t q = i++;

			quoted = true;
			while (i < len && text[i] != c) {
				if (text[i] == '\\') {
					if (i + 1 >= len)
						return fail(lx, FLEX_UNTERMINATED, q);
					buf_append(&lx->pool, text + i, 2);
					i += 2;
					continue;
				}
				buf_putc(&lx->pool, text[i++]);
			}
			if (i >= len)
				return fail(lx, FLEX_UNTERMINATED, q);
			i++;
			continue;
		}
		if (ends_word(text + i, text + len))
			break;
		if (c == '\\') {
			if (i + 1 >= len)
				return fail(lx, FLEX_TRAILING_BACKSLASH, i);
			buf_append(&lx->pool, text + i, 2);
			i += 2;
			continue;
		}
		buf_putc(&lx->pool, c);
		i++;
	}
	buf_putc(&lx->pool, '\0');
	t = push(lx, FT_WORD, start, i - start);
	t->quoted = quoted;
	t->voff = voff;
	t->vlen = lx->pool.len - voff - 1;
	if (!quoted) {
		const char *v = lx->pool.data + voff;

		if (!strcasecmp(v, "and"))
			t->kind = FT_AND;
		else if (!strcasecmp(v, "or"))
			t->kind = FT_OR;
		else if (!strcasecmp(v, "not"))
			t->kind = FT_NOT;
	}
	*pos = i;
	return 0;
}

int flex_run(struct flex *lx, const char *text, size_t len)
{
	size_t i = 0;

	memset(lx, 0, sizeof(*lx));
	buf_init(&lx->pool, 0);
	while (i < len) {
		char c = text[i], n = i + 1 < len ? text[i + 1] : '\0';
		struct ftok *t;

		if (is_space(c)) {
			i++;
			continue;
		}
		switch (c) {
		case '(':
			push(lx, FT_LPAREN, i, 1);
			i++;
			continue;
		case ')':
			push(lx, FT_RPAREN, i, 1);
			i++;
			continue;
		case '&':
		case '|':
			/* "&&" and "||", and the single forms ss takes too */
			t = push(lx, c == '&' ? FT_AND : FT_OR, i, n == c ? 2 : 1);
			i += t->len;
			continue;
		case '!':
			if (n == '=') {
				t = push(lx, FT_CMP, i, 2);
				t->cmp = FC_NE;
				i += 2;
			} else {
				push(lx, FT_NOT, i, 1);
				i++;
			}
			continue;
		case '=':
			t = push(lx, FT_CMP, i, n == '=' ? 2 : 1);
			t->cmp = FC_EQ;
			i += t->len;
			continue;
		case '<':
		case '>':
			t = push(lx, FT_CMP, i, n == '=' ? 2 : 1);
			if (c == '<')
				t->cmp = n == '=' ? FC_LE : FC_LT;
			else
				t->cmp = n == '=' ? FC_GE : FC_GT;
			i += t->len;
			continue;
		default:
			if (lex_word(lx, text, len, &i) < 0)
				return -1;
			continue;
		}
	}
	push(lx, FT_END, len, 0);
	return 0;
}

void flex_free(struct flex *lx)
{
	free(lx->toks);
	lx->toks = NULL;
	lx->n = lx->cap = 0;
	buf_free(&lx->pool);
}

const char *flex_value(const struct flex *lx, const struct ftok *t)
{
	return lx->pool.data ? lx->pool.data + t->voff : "";
}

unsigned flex_column(const char *text, size_t off)
{
	/* characters before off, stopping at the end of the text */
	return 1 + (unsigned)utf8_count(text, strnlen(text, off));
}
