/* filter_parse.h - what the parser of the filter language (filter.c)
 * shares with the ss-compatible terms (filter_ss.c). Internal to
 * model/filter/. */
#ifndef SOCKVIEW_FILTER_PARSE_H
#define SOCKVIEW_FILTER_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "filter.h"
#include "filter_ast.h"
#include "filter_lex.h"

struct fparser {
	const char *text;
	struct flex lx;
	size_t pos; /* index of the current token */
	struct filter *f;
	struct filter_error *err;
	struct filter_names names;
	int depth;
	char tok[96]; /* the offending token, escaped, for messages */
};

/* Records where the error is and prepares the escaped token (p->tok) for
 * the message; the caller then formats err->msg with a literal format. */
void fp_err_at(struct fparser *p, size_t off, size_t len);

#define PFAIL(p, off, len, ...)                                               \
	do {                                                                  \
		fp_err_at((p), (off), (len));                                 \
		snprintf((p)->err->msg, sizeof((p)->err->msg), __VA_ARGS__);  \
	} while (0)

const struct ftok *fp_peek(const struct fparser *p);
const struct ftok *fp_take(struct fparser *p);
const char *fp_value(const struct fparser *p, const struct ftok *t);
/* Where a part [sub, sub+n) of a word's value stands in the source. */
void fp_sub_span(const struct ftok *t, size_t sub, size_t n, size_t *off, size_t *len);
uint32_t fp_node_new(struct filter *f, enum fnode_kind kind);
uint32_t fp_node_not(struct filter *f, uint32_t child);
/* A two-operand AND or OR node. */
uint32_t fp_node_pair(struct filter *f, enum fnode_kind kind, uint32_t a, uint32_t b);
/* Parses a decimal number up to max. */
bool fp_parse_num(const char *s, size_t n, uint64_t max, uint32_t *out);
/* Stores word v in node n's string: a compiled glob, or a lowered needle. */
void fp_store_word(struct filter *f, uint32_t n, const char *v, bool glob);
/* Parses s[0..n) (at offset sub of word t) as [:]PORT; -1 on error. */
int fp_parse_port(struct fparser *p, const struct ftok *t, const char *s, size_t n, size_t sub);
/* An optional comparison after a keyword (see filter.c); -1 on error. */
int fp_parse_op(struct fparser *p, bool all_ops);
/* Parses [ADDR][/LEN][:PORT] from byte base of word t's value into h. */
int fp_parse_host(struct fparser *p, const struct ftok *t, size_t base, struct fhost *h);

/* filter_ss.c: the terms that came from ss. Each is called after its
 * keyword was taken; they return the new node or FN_NONE with the error
 * set. */
uint32_t fss_host(struct fparser *p, enum fside side);
uint32_t fss_dev(struct fparser *p);
uint32_t fss_fwmark(struct fparser *p);
uint32_t fss_cgroup(struct fparser *p);
uint32_t fss_autobound(struct fparser *p);
/* Fills the lookups the caller left NULL with the system's. */
void fss_default_names(struct filter_names *n);
/* Words that are part of ss's grammar but cannot start a term ("geq",
 * "vsock:..."): true with the error set, so no ss word is ever read as a
 * text search. */
bool fss_reject_word(struct fparser *p, const struct ftok *t, const char *lw);

#endif
