/* filter.c - the parser of the filter language (SPEC §6); filter_match.c
 * evaluates what it builds.
 *
 * Grammar (the man page has the user's version):
 *   expr    := and_expr { ("or" | "||" | "|") and_expr }
 *                         an and_expr of two or more operands after an "or"
 *                         is refused (ss reads it left to right)
 *   and_expr:= unary { ["and" | "&&" | "&"] unary }  juxtaposition is "and";
 *                         state terms side by side add up as in ss
 *   unary   := ("not" | "!") unary | "(" expr ")" | term
 *   term    := protocol | family | "state" S | "exclude" S
 *            | ("port" | "sport" | "dport") [op] PORT
 *            | ("src" | "dst" | "addr") ["=" | "!="] [FAMILY:]HOST|NAME
 *            | "peer" [op] INODE | "dev" ["=" | "!="] IFACE
 *            | "fwmark" ["=" | "!="] V[/M] | "cgroup" ["=" | "!="] PATH
 *            | "autobound"                           (filter_ss.c)
 *            | "path" ["=" | "!="] GLOB | "comm" ["=" | "!="] GLOB
 *            | ("pid" | "inode" | "user" | "uid") [op] VALUE
 *            | "netns" ["=" | "!="] NAME | "service" ["=" | "!="] GLOB
 *            | WORD                                  text match
 * Everything a term needs (ports of services, uids of users, compiled
 * globs, lowered needles) is worked out here, so evaluation is pure. */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "escape.h"
#include "filter.h"
#include "filter_ast.h"
#include "filter_parse.h"
#include "i18n.h"
#include "utf8.h"
#include "xalloc.h"

#define BIT(n) (1u << (n))
#define SYN_RECV_BITS (BIT(SS_SYN_RECV) | BIT(SS_NEW_SYN_RECV))

/* ---- name lookups ---------------------------------------------------- */

uint32_t filter_netns_inode(const char *name, void *ctx)
{
	char path[4096];
	struct stat st;

	(void)ctx;
	if (snprintf(path, sizeof(path), "/run/netns/%s", name) >= (int)sizeof(path) ||
	    stat(path, &st) < 0)
		return 0;
	return (uint32_t)st.st_ino;
}

int filter_service_port(const char *name, void *ctx)
{
	struct servent *se = getservbyname(name, NULL);

	(void)ctx;
	return se ? ntohs((uint16_t)se->s_port) : -1;
}

static long sys_user(const char *name, void *ctx)
{
	struct passwd *pw = getpwnam(name);

	(void)ctx;
	return pw ? (long)pw->pw_uid : -1;
}

/* ---- parser state and errors ----------------------------------------- */

/* Records where the error is and prepares the escaped token for the
 * message; the caller then formats err->msg with a literal format. */
void fp_err_at(struct fparser *p, size_t off, size_t len)
{
	struct filter_error *e = p->err;
	struct buf b = BUF_INIT;
	size_t show = len < 40 ? len : 40;
	size_t keep = len < sizeof(e->token) - 1 ? len : sizeof(e->token) - 1;

	e->offset = off;
	e->length = len;
	e->column = flex_column(p->text, off);
	memcpy(e->token, p->text + off, keep);
	e->token[keep] = '\0';
	esc_display(&b, p->text + off, show, ESC_UTF8);
	/* Escaping can make 40 bytes 160: cut to fit p->tok (with room for
	 * "...") at a character boundary, never inside a UTF-8 sequence. */
	if (b.len > sizeof(p->tok) - 4) {
		b.len = utf8_floor(b.data, sizeof(p->tok) - 4);
		show = 0;
	}
	if (show < len)
		buf_puts(&b, "...");
	snprintf(p->tok, sizeof(p->tok), "%.*s", (int)b.len, b.data ? b.data : "");
	buf_free(&b);
}

/* The shared helpers (filter_parse.h) by their short names in this file. */
#define err_at fp_err_at
#define peek fp_peek
#define take fp_take
#define value fp_value
#define sub_span fp_sub_span
#define node_new fp_node_new
#define node_not fp_node_not
#define parse_num fp_parse_num
#define parse_op fp_parse_op
#define store_word fp_store_word
#define parse_port fp_parse_port

const struct ftok *fp_peek(const struct fparser *p)
{
	return &p->lx.toks[p->pos];
}

const struct ftok *fp_take(struct fparser *p)
{
	const struct ftok *t = &p->lx.toks[p->pos];

	if (t->kind != FT_END)
		p->pos++;
	return t;
}

const char *fp_value(const struct fparser *p, const struct ftok *t)
{
	return flex_value(&p->lx, t);
}

/* Where a part [sub, sub+n) of a word's value stands in the source: exact
 * when the word was written plainly, else the whole token. */
void fp_sub_span(const struct ftok *t, size_t sub, size_t n, size_t *off, size_t *len)
{
	if (!t->quoted && t->vlen == t->len && sub + n <= t->len) {
		*off = t->off + sub;
		*len = n;
	} else {
		*off = t->off;
		*len = t->len;
	}
}

/* ---- nodes and pool --------------------------------------------------- */

uint32_t fp_node_new(struct filter *f, enum fnode_kind kind)
{
	struct fnode *n;

	xgrow((void **)&f->nodes, &f->cap, f->n + 1, sizeof(*f->nodes));
	n = &f->nodes[f->n];
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->child = FN_NONE;
	n->next = FN_NONE;
	return (uint32_t)f->n++;
}

uint32_t fp_node_not(struct filter *f, uint32_t child)
{
	uint32_t n = node_new(f, FN_NOT);

	f->nodes[n].child = child;
	return n;
}

uint32_t fp_node_pair(struct filter *f, enum fnode_kind kind, uint32_t a, uint32_t b)
{
	uint32_t n = node_new(f, kind);

	f->nodes[n].child = a;
	f->nodes[a].next = b;
	return n;
}

static void pool_add(struct filter *f, const char *s, size_t n, uint32_t *off, uint32_t *len)
{
	xgrow((void **)&f->pool, &f->pool_cap, f->pool_len + n + 1, 1);
	memcpy(f->pool + f->pool_len, s, n);
	f->pool[f->pool_len + n] = '\0';
	*off = (uint32_t)f->pool_len;
	*len = (uint32_t)n;
	f->pool_len += n + 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes the escapes of a word into out (at most strlen(v) bytes):
 * "\xHH" is the byte HH, "\c" is c. With glob set, each decoded byte is
 * kept behind a backslash so that the matcher takes it literally. */
static size_t unescape(const char *v, char *out, bool glob, bool fold)
{
	size_t o = 0;

	while (*v) {
		char c = *v++;

		if (c == '\\' && *v) {
			if (v[0] == 'x' && hexval(v[1]) >= 0 && hexval(v[2]) >= 0) {
				c = (char)(hexval(v[1]) * 16 + hexval(v[2]));
				v += 3;
			} else {
				c = *v++;
			}
			if (glob)
				out[o++] = '\\';
			out[o++] = c;
			continue;
		}
		out[o++] = fold ? filter_lower(c) : c;
	}
	return o;
}

/* Stores the word as a compiled glob or lowered needle in n's string. */
void fp_store_word(struct filter *f, uint32_t n, const char *v, bool glob)
{
	size_t cap = 2 * strlen(v) + 1;
	char *tmp = xmalloc(cap);
	size_t len = unescape(v, tmp, glob, !glob);

	pool_add(f, tmp, len, &f->nodes[n].u.str.off, &f->nodes[n].u.str.len);
	free(tmp);
}

/* ---- values ------------------------------------------------------------ */

/* Parses a decimal number up to max; false on anything else. */
bool fp_parse_num(const char *s, size_t n, uint64_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Parses s[0..n) (value of word t at offset sub) as a port: an optional
 * ':' then a number or a service name. -1 with the error set. */
int fp_parse_port(struct fparser *p, const struct ftok *t, const char *s, size_t n,
		      size_t sub)
{
	uint32_t v;
	size_t off, len;
	char name[64];
	int port;

	if (n > 0 && s[0] == ':') {
		s++;
		n--;
		sub++;
	}
	sub_span(t, sub, n, &off, &len);
	if (parse_num(s, n, 65535, &v))
		return (int)v;
	if (n == 0 || (s[0] >= '0' && s[0] <= '9') || n >= sizeof(name) ||
	    memchr(s, '\\', n)) {
		PFAIL(p, off, len, _("filter: bad port '%s' at column %u (0-65535 or a service name)"),
		      p->tok, p->err->column);
		return -1;
	}
	memcpy(name, s, n);
	name[n] = '\0';
	port = p->names.service(name, p->names.ctx);
	if (port < 0 || port > 65535) {
		PFAIL(p, off, len, _("filter: unknown service '%s' at column %u"), p->tok,
		      p->err->column);
		return -1;
	}
	return port;
}

/* The next token must be a word: takes it, or fails with msg (which has
 * one %u for the column) at the token that is there instead. */
#define NEED_WORD(p, tokvar, msg)                                                   \
	do {                                                                        \
		const struct ftok *nw_ = peek(p);                                   \
		if (nw_->kind != FT_WORD) {                                         \
			PFAIL((p), nw_->off, nw_->len, msg, (p)->err->column);      \
			return FN_NONE;                                             \
		}                                                                   \
		(tokvar) = take(p);                                                 \
	} while (0)

/* Reads an optional comparison after a keyword. With all_ops false only
 * "=" and "!=" are allowed; with it, also < <= > >=. Each has its word
 * forms as ss spells them (eq ne neq lt le leq gt ge geq), taken as such
 * when a value follows. Returns -1 on error. */
int fp_parse_op(struct fparser *p, bool all_ops)
{
	static const struct {
		const char *w;
		enum fcmp c;
	} words[] = {
		{ "eq", FC_EQ }, { "ne", FC_NE }, { "neq", FC_NE }, { "lt", FC_LT },
		{ "le", FC_LE }, { "leq", FC_LE }, { "gt", FC_GT }, { "ge", FC_GE },
		{ "geq", FC_GE },
	};
	const struct ftok *t = peek(p);

	if (t->kind == FT_CMP) {
		if (!all_ops && t->cmp != FC_EQ && t->cmp != FC_NE) {
			PFAIL(p, t->off, t->len, _("filter: unexpected '%s' at column %u"), p->tok,
			      p->err->column);
			return -1;
		}
		take(p);
		return (int)t->cmp;
	}
	if (t->kind == FT_WORD && !t->quoted && p->lx.toks[p->pos + 1].kind == FT_WORD) {
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			if (strcasecmp(value(p, t), words[i].w))
				continue;
			if (!all_ops && words[i].c != FC_EQ && words[i].c != FC_NE) {
				PFAIL(p, t->off, t->len,
				      _("filter: unexpected '%s' at column %u"), p->tok,
				      p->err->column);
				return -1;
			}
			take(p);
			return (int)words[i].c;
		}
	}
	return FC_EQ;
}

/* ---- terms ------------------------------------------------------------- */

struct state_word {
	const char *name; /* lower case, without '-' and '_' */
	uint32_t mask;
};

/* The groups as ss defines them (misc/ss.c, scan_state): every state
 * but the ones named, TIME-WAIT and SYN-RECV included. */
#define ALL_BITS (BIT(SS_MAX_) - 1u)
#define CONNECTED_BITS (ALL_BITS & ~(BIT(SS_CLOSE) | BIT(SS_LISTEN)))
#define BUCKET_BITS (SYN_RECV_BITS | BIT(SS_TIME_WAIT))

static const struct state_word state_words[] = {
	{ "established", BIT(SS_ESTABLISHED) },
	{ "estab", BIT(SS_ESTABLISHED) },
	{ "synsent", BIT(SS_SYN_SENT) },
	{ "synrecv", SYN_RECV_BITS },
	{ "synrcv", SYN_RECV_BITS },
	{ "synreceived", SYN_RECV_BITS },
	{ "finwait1", BIT(SS_FIN_WAIT1) },
	{ "finwait2", BIT(SS_FIN_WAIT2) },
	{ "timewait", BIT(SS_TIME_WAIT) },
	{ "closed", BIT(SS_CLOSE) },
	{ "close", BIT(SS_CLOSE) },
	{ "unconn", BIT(SS_CLOSE) },
	{ "unconnected", BIT(SS_CLOSE) },
	{ "closewait", BIT(SS_CLOSE_WAIT) },
	{ "lastack", BIT(SS_LAST_ACK) },
	{ "listening", BIT(SS_LISTEN) },
	{ "listen", BIT(SS_LISTEN) },
	{ "closing", BIT(SS_CLOSING) },
	{ "all", 0xffffffffu },
	{ "connected", CONNECTED_BITS },
	{ "synchronized", CONNECTED_BITS & ~BIT(SS_SYN_SENT) },
	{ "bucket", BUCKET_BITS },
	{ "big", ALL_BITS & ~BUCKET_BITS },
};

static bool state_lookup(const char *v, uint32_t *mask)
{
	char norm[32];
	size_t n = 0;

	for (; *v; v++) {
		if (*v == '-' || *v == '_')
			continue;
		if (n + 1 >= sizeof(norm))
			return false;
		norm[n++] = filter_lower(*v);
	}
	norm[n] = '\0';
	for (size_t i = 0; i < sizeof(state_words) / sizeof(state_words[0]); i++)
		if (!strcmp(norm, state_words[i].name)) {
			*mask = state_words[i].mask;
			return true;
		}
	return false;
}

static uint32_t term_state(struct fparser *p, bool exclude)
{
	const struct ftok *t;
	uint32_t mask, n;
	int op = parse_op(p, false);

	if (op < 0)
		return FN_NONE;
	NEED_WORD(p, t, _("filter: missing state name at column %u"));
	if (!state_lookup(value(p, t), &mask)) {
		PFAIL(p, t->off, t->len, _("filter: unknown state '%s' at column %u"), p->tok,
		      p->err->column);
		return FN_NONE;
	}
	/* one node, "exclude" as the complement, so that terms side by side
	 * can add up as ss's leading state arguments do (parse_list) */
	n = node_new(p->f, FN_STATE);
	exclude = exclude != (op == FC_NE);
	p->f->nodes[n].u.mask = exclude ? ~mask : mask;
	p->f->nodes[n].field = (uint8_t)(exclude ? STATE_EXCLUDE : STATE_STATE);
	return n;
}

static uint32_t term_port(struct fparser *p, enum ffield field)
{
	const struct ftok *t;
	const char *v;
	uint32_t n;
	int port, op = parse_op(p, true);

	if (op < 0)
		return FN_NONE;
	NEED_WORD(p, t, _("filter: missing port at column %u"));
	v = value(p, t);
	if (!strcmp(v, ":*") || !strcmp(v, "*")) {
		/* ss's wildcard: any port, which only inet sockets have */
		if (op != FC_EQ && op != FC_NE) {
			PFAIL(p, t->off, t->len,
			      _("filter: '%s' at column %u goes only with = or !="), p->tok,
			      p->err->column);
			return FN_NONE;
		}
		n = node_new(p->f, FN_HOST);
		p->f->nodes[n].cmp = (uint8_t)op;
		p->f->nodes[n].u.host.side =
			(uint8_t)(field == FLD_SPORT ? FS_SRC : field == FLD_DPORT ? FS_DST : FS_ANY);
		p->f->nodes[n].u.host.port = -1;
		return n;
	}
	port = parse_port(p, t, v, strlen(v), 0);
	if (port < 0)
		return FN_NONE;
	n = node_new(p->f, FN_NUM);
	p->f->nodes[n].field = (uint8_t)field;
	p->f->nodes[n].cmp = (uint8_t)op;
	p->f->nodes[n].u.num = (uint32_t)port;
	return n;
}

static bool parse_prefix(const char *s, size_t n, unsigned max, uint8_t *plen)
{
	uint32_t v;

	if (!parse_num(s, n, max, &v))
		return false;
	*plen = (uint8_t)v;
	return true;
}

/* A network written short as ss's man page does, "193.233.7" before a
 * prefix length: one to three decimal bytes, the rest zero. */
static bool short_v4(const char *s, uint8_t *addr)
{
	unsigned parts = 0;

	memset(addr, 0, 4);
	while (*s) {
		uint32_t v;
		size_t n = strspn(s, "0123456789");

		if (parts >= 3 || !parse_num(s, n, 255, &v))
			return false;
		addr[parts++] = (uint8_t)v;
		s += n;
		if (*s == '.' && s[1])
			s++;
		else if (*s)
			return false;
	}
	return parts > 0;
}

/* Parses a host condition: [ADDR][/LEN][:PORT], [V6][/LEN][:PORT], a bare
 * V6[/LEN], "*" or ":PORT". Fills h (side and cmp set by the caller). */
int fp_parse_host(struct fparser *p, const struct ftok *t, size_t base, struct fhost *h)
{
	const char *v = value(p, t) + base;
	size_t n = strlen(v);
	size_t a0 = 0, a1 = 0, p0 = 0, p1 = 0, q0 = 0, q1 = 0; /* addr, prefix, port */
	bool has_pfx = false, has_port = false, v6 = false;
	size_t off, len;
	char abuf[INET6_ADDRSTRLEN + 1];
	unsigned colons = 0;

	memset(h, 0, sizeof(*h));
	h->port = -1;
	for (size_t i = 0; i < n; i++)
		colons += v[i] == ':';
	if (n > 0 && v[0] == '[') {
		const char *close = memchr(v, ']', n);
		const char *slash;
		size_t rest;

		if (!close)
			goto bad_addr_all;
		a0 = 1;
		a1 = (size_t)(close - v);
		slash = memchr(v + 1, '/', a1 - 1);
		if (slash) {
			has_pfx = true;
			p0 = (size_t)(slash - v) + 1;
			p1 = a1;
			a1 = p0 - 1;
		}
		rest = a1 + (has_pfx ? p1 - a1 : 0) + 1;
		if (!has_pfx && rest < n && v[rest] == '/') {
			const char *c = memchr(v + rest, ':', n - rest);

			has_pfx = true;
			p0 = rest + 1;
			p1 = c ? (size_t)(c - v) : n;
			rest = p1;
		}
		if (rest < n) {
			if (v[rest] != ':') {
				sub_span(t, base + rest, n - rest, &off, &len);
				PFAIL(p, off, len, _("filter: bad address '%s' at column %u"), p->tok,
				      p->err->column);
				return -1;
			}
			has_port = true;
			q0 = rest + 1;
			q1 = n;
		}
		v6 = true;
	} else if (colons >= 2) {
		const char *slash = memchr(v, '/', n);

		a1 = slash ? (size_t)(slash - v) : n;
		if (slash) {
			has_pfx = true;
			p0 = a1 + 1;
			p1 = n;
		}
		v6 = true;
	} else {
		const char *colon = memchr(v, ':', n);
		const char *slash;

		a1 = colon ? (size_t)(colon - v) : n;
		if (colon) {
			has_port = true;
			q0 = a1 + 1;
			q1 = n;
		}
		slash = memchr(v, '/', a1);
		if (slash) {
			has_pfx = true;
			p0 = (size_t)(slash - v) + 1;
			p1 = a1;
			a1 = p0 - 1;
		}
	}

	if (a1 - a0 == 0 || (a1 - a0 == 1 && v[a0] == '*')) {
		/* any address */
		if (has_pfx) {
			sub_span(t, base + p0, p1 - p0, &off, &len);
			PFAIL(p, off, len, _("filter: bad prefix length '%s' at column %u"), p->tok,
			      p->err->column);
			return -1;
		}
		if (v6 && a1 == a0 && v[0] != '[')
			goto bad_addr_all;
	} else {
		if (a1 - a0 >= sizeof(abuf))
			goto bad_addr;
		memcpy(abuf, v + a0, a1 - a0);
		abuf[a1 - a0] = '\0';
		if (inet_pton(AF_INET6, abuf, h->addr) == 1 && (v6 || strchr(abuf, ':'))) {
			h->family = AF_INET6;
		} else if (inet_pton(AF_INET, abuf, h->addr) == 1 ||
			   (has_pfx && short_v4(abuf, h->addr))) {
			h->family = AF_INET;
		} else {
			goto bad_addr;
		}
		h->plen = h->family == AF_INET ? 32 : 128;
		if (has_pfx &&
		    !parse_prefix(v + p0, p1 - p0, h->family == AF_INET ? 32 : 128, &h->plen)) {
			sub_span(t, base + p0, p1 - p0, &off, &len);
			PFAIL(p, off, len, _("filter: bad prefix length '%s' at column %u"), p->tok,
			      p->err->column);
			return -1;
		}
	}
	if (has_port && q1 - q0 == 1 && v[q0] == '*') {
		has_port = false; /* ":*": any port */
	}
	if (has_port) {
		int port = parse_port(p, t, v + q0, q1 - q0, base + q0);

		if (port < 0)
			return -1;
		h->port = port;
	}
	return 0;

bad_addr:
	sub_span(t, base + a0, a1 - a0, &off, &len);
	PFAIL(p, off, len, _("filter: bad address '%s' at column %u"), p->tok, p->err->column);
	return -1;
bad_addr_all:
	sub_span(t, base, n, &off, &len);
	PFAIL(p, off, len, _("filter: bad address '%s' at column %u"), p->tok,
	      p->err->column);
	return -1;
}

static uint32_t term_host(struct fparser *p, enum fside side)
{
	return fss_host(p, side);
}

static uint32_t term_glob(struct fparser *p, enum fnode_kind kind)
{
	const struct ftok *t;
	uint32_t n;
	int op = parse_op(p, false);

	if (op < 0)
		return FN_NONE;
	if (kind == FN_PATH)
		NEED_WORD(p, t, _("filter: missing pattern at column %u"));
	else
		NEED_WORD(p, t, _("filter: missing name at column %u"));
	n = node_new(p->f, kind);
	p->f->nodes[n].cmp = (uint8_t)op;
	store_word(p->f, n, value(p, t), true);
	return n;
}

static uint32_t term_num(struct fparser *p, enum ffield field)
{
	const struct ftok *t;
	const char *v;
	uint32_t n, num;
	int op = parse_op(p, true);

	if (op < 0)
		return FN_NONE;
	if (field == FLD_UID) {
		NEED_WORD(p, t, _("filter: missing user at column %u"));
		v = value(p, t);
		if (!parse_num(v, strlen(v), UINT32_MAX - 1, &num)) {
			long uid = -1;

			if (!(v[0] >= '0' && v[0] <= '9') && !strchr(v, '\\'))
				uid = p->names.user(v, p->names.ctx);
			if (uid < 0 || uid > (long)UINT32_MAX - 1) {
				PFAIL(p, t->off, t->len, _("filter: unknown user '%s' at column %u"),
				      p->tok, p->err->column);
				return FN_NONE;
			}
			num = (uint32_t)uid;
		}
	} else {
		NEED_WORD(p, t, _("filter: missing number at column %u"));
		v = value(p, t);
		if (*v == ':' && field == FLD_PEER)
			v++; /* ss writes the peer inode as a port: "dport = :1234" */
		if (!parse_num(v, strlen(v), field == FLD_PID ? INT32_MAX : UINT32_MAX, &num)) {
			PFAIL(p, t->off, t->len, _("filter: bad number '%s' at column %u"), p->tok,
			      p->err->column);
			return FN_NONE;
		}
	}
	n = node_new(p->f, FN_NUM);
	p->f->nodes[n].field = (uint8_t)field;
	p->f->nodes[n].cmp = (uint8_t)op;
	p->f->nodes[n].u.num = num;
	return n;
}

/* "netns [=|!=] NAME": a name under /run/netns, resolved to its inode
 * now, or the inode itself (an unnamed namespace). */
static uint32_t term_netns(struct fparser *p)
{
	const struct ftok *t;
	const char *v;
	uint32_t n, num;
	int op = parse_op(p, false);

	if (op < 0)
		return FN_NONE;
	NEED_WORD(p, t, _("filter: missing name at column %u"));
	v = value(p, t);
	if (!parse_num(v, strlen(v), UINT32_MAX, &num)) {
		num = 0;
		if (*v && !strchr(v, '/') && strcmp(v, ".") && strcmp(v, ".."))
			num = p->names.netns(v, p->names.ctx);
		if (!num) {
			PFAIL(p, t->off, t->len,
			      _("filter: unknown network namespace '%s' at column %u"), p->tok,
			      p->err->column);
			return FN_NONE;
		}
	}
	n = node_new(p->f, FN_NUM);
	p->f->nodes[n].field = FLD_NETNS;
	p->f->nodes[n].cmp = (uint8_t)op;
	p->f->nodes[n].u.num = num;
	return n;
}

static uint32_t term_word(struct fparser *p)
{
	const struct ftok *t = take(p);
	const char *v = value(p, t);
	uint32_t n;
	int proto;

	if (!t->quoted) {
		char lw[16];
		size_t i;

		for (i = 0; v[i] && i + 1 < sizeof(lw); i++)
			lw[i] = filter_lower(v[i]);
		lw[i] = '\0';
		if (v[i])
			lw[0] = '\0'; /* too long to be a keyword */
		proto = sock_proto_parse(lw);
		if (proto >= 0) {
			n = node_new(p->f, FN_PROTO);
			p->f->nodes[n].u.mask = SP_MASK((unsigned)proto);
			return n;
		}
		if (!strcmp(lw, "inet") || !strcmp(lw, "ipv4") || !strcmp(lw, "inet6") ||
		    !strcmp(lw, "ipv6")) {
			n = node_new(p->f, FN_FAMILY);
			p->f->nodes[n].u.family = strchr(lw, '6') ? AF_INET6 : AF_INET;
			return n;
		}
		if (!strcmp(lw, "state"))
			return term_state(p, false);
		if (!strcmp(lw, "exclude") || !strcmp(lw, "excl"))
			return term_state(p, true);
		if (!strcmp(lw, "sport"))
			return term_port(p, FLD_SPORT);
		if (!strcmp(lw, "dport"))
			return term_port(p, FLD_DPORT);
		if (!strcmp(lw, "port"))
			return term_port(p, FLD_PORT);
		if (!strcmp(lw, "src"))
			return term_host(p, FS_SRC);
		if (!strcmp(lw, "dst"))
			return term_host(p, FS_DST);
		if (!strcmp(lw, "addr"))
			return term_host(p, FS_ANY);
		if (!strcmp(lw, "path"))
			return term_glob(p, FN_PATH);
		if (!strcmp(lw, "comm"))
			return term_glob(p, FN_COMM);
		if (!strcmp(lw, "pid"))
			return term_num(p, FLD_PID);
		if (!strcmp(lw, "user") || !strcmp(lw, "uid"))
			return term_num(p, FLD_UID);
		if (!strcmp(lw, "inode"))
			return term_num(p, FLD_INODE);
		if (!strcmp(lw, "netns"))
			return term_netns(p);
		if (!strcmp(lw, "service"))
			return term_glob(p, FN_SERVICE);
		if (!strcmp(lw, "peer"))
			return term_num(p, FLD_PEER);
		if (!strcmp(lw, "dev"))
			return fss_dev(p);
		if (!strcmp(lw, "fwmark"))
			return fss_fwmark(p);
		if (!strcmp(lw, "cgroup"))
			return fss_cgroup(p);
		if (!strcmp(lw, "autobound"))
			return fss_autobound(p);
		if (fss_reject_word(p, t, lw))
			return FN_NONE;
	}
	n = node_new(p->f, FN_TEXT);
	store_word(p->f, n, v, false);
	{
		const struct fnode *nd = &p->f->nodes[n];

		if (strspn(p->f->pool + nd->u.str.off, "0123456789abcdef.:[]") == nd->u.str.len)
			p->f->nodes[n].field |= TEXT_ADDR;
	}
	return n;
}

/* ---- expressions ------------------------------------------------------- */

static uint32_t parse_or(struct fparser *p);

static uint32_t fail_unexpected(struct fparser *p, const struct ftok *t)
{
	PFAIL(p, t->off, t->len, _("filter: unexpected '%s' at column %u"), p->tok,
	      p->err->column);
	return FN_NONE;
}

static bool enter(struct fparser *p, const struct ftok *t)
{
	if (++p->depth > FILTER_MAX_DEPTH) {
		PFAIL(p, t->off, t->len, _("filter: expression nested too deeply at column %u"),
		      p->err->column);
		return false;
	}
	return true;
}

static uint32_t parse_primary(struct fparser *p)
{
	const struct ftok *t = peek(p);
	uint32_t c;

	switch (t->kind) {
	case FT_LPAREN:
		if (!enter(p, t))
			return FN_NONE;
		take(p);
		c = parse_or(p);
		if (c == FN_NONE)
			return FN_NONE;
		if (peek(p)->kind == FT_END) {
			PFAIL(p, t->off, t->len, _("filter: unclosed '(' at column %u"),
			      p->err->column);
			return FN_NONE;
		}
		if (peek(p)->kind != FT_RPAREN)
			return fail_unexpected(p, peek(p));
		take(p);
		p->depth--;
		return c;
	case FT_WORD:
		return term_word(p);
	case FT_END: {
		/* Something was expected after the previous token. */
		const struct ftok *prev = &p->lx.toks[p->pos - 1];
		size_t end = t->off;

		err_at(p, prev->off, prev->len);
		p->err->offset = end;
		p->err->length = 0;
		p->err->column = flex_column(p->text, end);
		p->err->token[0] = '\0';
		snprintf(p->err->msg, sizeof(p->err->msg),
			 _("filter: missing operand after '%s' at column %u"), p->tok,
			 p->err->column);
		return FN_NONE;
	}
	default:
		return fail_unexpected(p, t);
	}
}

static uint32_t parse_unary(struct fparser *p)
{
	const struct ftok *t = peek(p);
	uint32_t c;

	if (t->kind != FT_NOT)
		return parse_primary(p);
	if (!enter(p, t))
		return FN_NONE;
	take(p);
	c = parse_unary(p);
	if (c == FN_NONE)
		return FN_NONE;
	p->depth--;
	return node_not(p->f, c);
}

/* Two state terms side by side ("state listening state established")
 * add up as ss reads its leading state arguments: "state" adds its
 * states, "exclude" takes its away, starting from none or all. Joined by
 * an explicit "and" they stay a conjunction. */
static bool merge_states(struct fparser *p, uint32_t last, const struct ftok *lt, uint32_t c,
			 const struct ftok *ct)
{
	struct fnode *a = &p->f->nodes[last], *b = &p->f->nodes[c];

	if (lt->kind != FT_WORD || ct->kind != FT_WORD || a->kind != FN_STATE ||
	    b->kind != FN_STATE || a->field == STATE_PLAIN || b->field == STATE_PLAIN)
		return false;
	if (b->field == STATE_STATE)
		a->u.mask |= b->u.mask;
	else
		a->u.mask &= b->u.mask; /* already the complement */
	return true;
}

/* Operands joined by "and" (or side by side). *joint is where the first
 * "and" stands (the operator, or the second operand when there is none),
 * SIZE_MAX if there is only one operand. */
static uint32_t parse_and(struct fparser *p, size_t *joint)
{
	const struct ftok *lt = peek(p);
	uint32_t first = parse_unary(p), last, n = FN_NONE;

	*joint = SIZE_MAX;
	if (first == FN_NONE)
		return FN_NONE;
	last = first;
	for (;;) {
		const struct ftok *t = peek(p), *ct;
		bool explicit = false;
		uint32_t c;

		if (t->kind == FT_AND) {
			take(p);
			explicit = true;
		} else if (t->kind != FT_WORD && t->kind != FT_LPAREN && t->kind != FT_NOT) {
			break; /* juxtaposition means "and" only before an operand */
		}
		if (*joint == SIZE_MAX)
			*joint = t->off;
		ct = peek(p);
		c = parse_unary(p);
		if (c == FN_NONE)
			return FN_NONE;
		if (!explicit && merge_states(p, last, lt, c, ct))
			continue;
		if (n == FN_NONE) {
			n = node_new(p->f, FN_AND);
			p->f->nodes[n].child = first;
		}
		p->f->nodes[last].next = c;
		last = c;
		lt = ct;
	}
	return n == FN_NONE ? first : n;
}

/* s[a, b) escaped and without surrounding blanks into out. */
static void put_span(struct buf *out, const char *s, size_t a, size_t b)
{
	while (a < b && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	esc_display(out, s + a, b - a, ESC_UTF8);
}

/* "A or B and C": ss reads it from left to right, "(A or B) and C"; the
 * usual rule (and sockview's before) reads "A or (B and C)". Rather than
 * pick one silently, the mix is refused with both readings written out.
 * start: the first operand, bstart: the operand after the last "or",
 * joint: its "and", end: the end of that operand. */
static void fail_mix(struct fparser *p, size_t start, size_t bstart, size_t joint, size_t end)
{
	struct buf a = BUF_INIT, b = BUF_INIT;

	buf_putc(&a, '(');
	put_span(&a, p->text, start, joint);
	buf_puts(&a, ") ");
	put_span(&a, p->text, joint, end);
	put_span(&b, p->text, start, bstart);
	buf_puts(&b, " (");
	put_span(&b, p->text, bstart, end);
	buf_putc(&b, ')');
	for (size_t i = 0; i < p->lx.n; i++)
		if (p->lx.toks[i].off == joint) {
			err_at(p, joint, p->lx.toks[i].len);
			break;
		}
	if (a.len > 90 || b.len > 90) {
		buf_free(&a);
		buf_free(&b);
		buf_puts(&a, "(A or B) and C");
		buf_puts(&b, "A or (B and C)");
	}
	snprintf(p->err->msg, sizeof(p->err->msg),
		 _("filter: 'and' after 'or' at column %u needs parentheses: write '%.*s' or '%.*s'"),
		 p->err->column, (int)a.len, a.data, (int)b.len, b.data);
	buf_free(&a);
	buf_free(&b);
}

static uint32_t parse_or(struct fparser *p)
{
	size_t start = peek(p)->off, joint;
	uint32_t first = parse_and(p, &joint), last, n = FN_NONE;

	if (first == FN_NONE)
		return FN_NONE;
	last = first;
	while (peek(p)->kind == FT_OR) {
		size_t bstart;
		uint32_t c;

		take(p);
		bstart = peek(p)->off;
		c = parse_and(p, &joint);
		if (c == FN_NONE)
			return FN_NONE;
		if (joint != SIZE_MAX) {
			const struct ftok *prev = &p->lx.toks[p->pos - 1];

			fail_mix(p, start, bstart, joint, prev->off + prev->len);
			return FN_NONE;
		}
		if (n == FN_NONE) {
			n = node_new(p->f, FN_OR);
			p->f->nodes[n].child = first;
		}
		p->f->nodes[last].next = c;
		last = c;
	}
	return n == FN_NONE ? first : n;
}

static void lex_error(struct fparser *p)
{
	size_t off = p->lx.err_off;

	switch (p->lx.error) {
	case FLEX_BAD_CHAR:
		PFAIL(p, off, 1, _("filter: unexpected '%s' at column %u"), p->tok, p->err->column);
		break;
	case FLEX_UNTERMINATED:
		PFAIL(p, off, 1, _("filter: unterminated quote at column %u"), p->err->column);
		break;
	case FLEX_TRAILING_BACKSLASH:
	default:
		PFAIL(p, off, 1, _("filter: backslash at the end at column %u"), p->err->column);
		break;
	}
}

/* A message that snprintf cut at the end of err->msg may end inside a
 * UTF-8 character (the token is text from outside, escaped): drop the
 * partial character, so that the message stays valid text. Returns NULL. */
static struct filter *failed(struct filter_error *err)
{
	size_t n = strlen(err->msg), j, want;
	unsigned char c;

	if (!n || n + 1 < sizeof(err->msg))
		return NULL;
	j = utf8_prev(err->msg, n);
	c = (unsigned char)err->msg[j];
	want = c < 0xc0 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (j + want > n)
		err->msg[j] = '\0';
	return NULL;
}

struct filter *filter_parse_with(const char *text, const struct filter_names *names,
				 struct filter_error *err)
{
	struct filter_error dummy;
	struct fparser p;
	struct filter *f;
	uint32_t root;
	size_t len;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	memset(&p, 0, sizeof(p));
	if (!text)
		text = "";
	len = strlen(text);
	p.text = text;
	p.err = err;
	p.names.service = names && names->service ? names->service : filter_service_port;
	p.names.user = names && names->user ? names->user : sys_user;
	p.names.netns = names && names->netns ? names->netns : filter_netns_inode;
	p.names.ctx = names ? names->ctx : NULL;
	if (names) {
		p.names.host = names->host;
		p.names.ifindex = names->ifindex;
		p.names.cgroup = names->cgroup;
		p.names.ephemeral = names->ephemeral;
	}
	fss_default_names(&p.names);
	if (len > FILTER_MAX_LEN) {
		PFAIL(&p, FILTER_MAX_LEN, len - FILTER_MAX_LEN,
		      _("filter: expression too long at column %u (at most %d bytes)"),
		      p.err->column, FILTER_MAX_LEN);
		return failed(err);
	}
	if (flex_run(&p.lx, text, len) < 0) {
		lex_error(&p);
		flex_free(&p.lx);
		return failed(err);
	}
	f = xcalloc(1, sizeof(*f));
	f->text = xstrdup(text);
	p.f = f;
	if (p.lx.n == 1) {
		root = node_new(f, FN_ALL);
	} else {
		root = parse_or(&p);
		if (root != FN_NONE && peek(&p)->kind != FT_END)
			root = fail_unexpected(&p, peek(&p));
	}
	flex_free(&p.lx);
	if (root == FN_NONE) {
		filter_free(f);
		return failed(err);
	}
	f->root = root;
	return f;
}

struct filter *filter_parse(const char *text, struct filter_error *err)
{
	return filter_parse_with(text, NULL, err);
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	free(f->text);
	free(f->nodes);
	free(f->pool);
	free(f);
}

const char *filter_text(const struct filter *f)
{
	return f ? f->text : "";
}

bool filter_is_empty(const struct filter *f)
{
	return !f || f->nodes[f->root].kind == FN_ALL;
}
