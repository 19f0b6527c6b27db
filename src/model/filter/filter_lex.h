/* filter_lex.h - the tokenizer of the filter language (model, no I/O).
 *
 * Turns an expression into a token array in one pass. Words keep their
 * backslash escapes (the term that consumes a word decides what they mean:
 * a glob treats "\*" as a literal star); quotes only group characters and
 * are removed. Every token remembers where it stood in the source, so the
 * parser can point at it in an error message. */
#ifndef SOCKVIEW_FILTER_LEX_H
#define SOCKVIEW_FILTER_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum ftok_kind {
	FT_END,    /* end of input (off = length of the text) */
	FT_LPAREN, /* ( */
	FT_RPAREN, /* ) */
	FT_AND,    /* and && & */
	FT_OR,     /* or || | */
	FT_NOT,    /* not ! */
	FT_CMP,    /* = == != < <= > >= */
	FT_WORD,   /* anything else; value in the pool */
};

enum fcmp {
	FC_EQ,
	FC_NE,
	FC_LT,
	FC_LE,
	FC_GT,
	FC_GE,
};

struct ftok {
	enum ftok_kind kind;
	enum fcmp cmp;   /* FT_CMP */
	bool quoted;     /* FT_WORD written with quotes: never a keyword */
	size_t off, len; /* the token as written in the source */
	size_t voff, vlen; /* FT_WORD: value (quotes removed) in the pool */
};

enum flex_error {
	FLEX_OK,
	FLEX_BAD_CHAR,   /* unused since '&' and '|' alone are operators */
	FLEX_UNTERMINATED, /* a quote without its closing quote */
	FLEX_TRAILING_BACKSLASH,
};

struct flex {
	struct ftok *toks; /* n tokens, the last one FT_END */
	size_t n, cap;
	struct buf pool;   /* word values, each NUL-terminated */
	enum flex_error error;
	size_t err_off;    /* where the error is (byte offset) */
};

/* Tokenizes text (len bytes). Returns 0, or -1 with lx->error and
 * lx->err_off set. lx is (re)initialised; free it with flex_free() in both
 * cases. */
int flex_run(struct flex *lx, const char *text, size_t len);
void flex_free(struct flex *lx);

/* The NUL-terminated value of a word token (valid until flex_free). */
const char *flex_value(const struct flex *lx, const struct ftok *t);

/* The 1-based column of byte offset off in text: counts characters, not
 * bytes, so a caret under a UTF-8 prompt lands in the right place. */
unsigned flex_column(const char *text, size_t off);

#endif
