/* test_filter.c - the filter language: lexer, parser, errors, evaluator,
 * what-can-match helpers and the prompt model (filter_hist). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "filter.h"
#include "filter_ast.h"
#include "filter_hist.h"
#include "filter_lex.h"
#include "procmap.h"
#include "sock.h"
#include "utext.h"

/* ---- fixtures ------------------------------------------------------------ */

static int fake_service(const char *name, void *ctx)
{
	(void)ctx;
	if (!strcmp(name, "ssh"))
		return 22;
	if (!strcmp(name, "http"))
		return 80;
	if (!strcmp(name, "my-svc"))
		return 4242;
	return -1;
}

static long fake_user(const char *name, void *ctx)
{
	(void)ctx;
	if (!strcmp(name, "root"))
		return 0;
	if (!strcmp(name, "alice"))
		return 1000;
	return -1;
}

static int fake_host(const char *name, int family, struct filter_addr *out, size_t max,
		     void *ctx)
{
	size_t n = 0;

	(void)ctx;
	if (strcmp(name, "localhost") && strcmp(name, "dual.example"))
		return -1;
	if (family != AF_INET6 && n < max) {
		out[n].family = AF_INET;
		memset(out[n].addr, 0, 16);
		inet_pton(AF_INET, !strcmp(name, "localhost") ? "127.0.0.1" : "192.0.2.7",
			  out[n].addr);
		n++;
	}
	if (family != AF_INET && n < max) {
		out[n].family = AF_INET6;
		inet_pton(AF_INET6, !strcmp(name, "localhost") ? "::1" : "2001:db8::7",
			  out[n].addr);
		n++;
	}
	return n ? (int)n : -1;
}

static long fake_ifindex(const char *name, void *ctx)
{
	(void)ctx;
	if (!strcmp(name, "lo"))
		return 1;
	if (!strcmp(name, "eth0"))
		return 2;
	return -1;
}

static int fake_cgroup(const char *path, uint64_t *id, void *ctx)
{
	(void)ctx;
	while (*path == '/')
		path++;
	if (!strcmp(path, "system.slice")) {
		*id = 4242;
		return 0;
	}
	if (!*path) {
		*id = 1;
		return 0;
	}
	return -1;
}

static int fake_ephemeral(unsigned *lo, unsigned *hi, void *ctx)
{
	(void)ctx;
	*lo = 40000;
	*hi = 50000;
	return 0;
}

static const struct filter_names names = {
	.service = fake_service, .user = fake_user, .host = fake_host,
	.ifindex = fake_ifindex, .cgroup = fake_cgroup, .ephemeral = fake_ephemeral,
};

static struct filter *parse_ok(const char *text)
{
	struct filter_error err;
	struct filter *f = filter_parse_with(text, &names, &err);

	if (!f)
		fail_msg("'%s' did not parse: %s", text, err.msg);
	return f;
}

static struct sock inet_sock(unsigned proto, int family, const char *laddr, unsigned lport,
			     const char *raddr, unsigned rport, unsigned state)
{
	struct sock s;

	memset(&s, 0, sizeof(s));
	s.proto = s.key.proto = (uint8_t)proto;
	s.family = s.key.family = (uint8_t)family;
	s.type = proto == SP_TCP ? SOCK_STREAM : proto == SP_UDP ? SOCK_DGRAM : SOCK_RAW;
	s.state = (uint8_t)state;
	assert_int_equal(inet_pton(family, laddr, s.laddr), 1);
	assert_int_equal(inet_pton(family, raddr, s.raddr), 1);
	s.lport = (uint16_t)lport;
	s.rport = (uint16_t)rport;
	s.has = SOCK_HAS_UID;
	s.uid = 1000;
	s.inode = 5000;
	return s;
}

static struct sock tcp4(const char *la, unsigned lp, const char *ra, unsigned rp, unsigned st)
{
	return inet_sock(SP_TCP, AF_INET, la, lp, ra, rp, st);
}

static struct sock tcp6(const char *la, unsigned lp, const char *ra, unsigned rp, unsigned st)
{
	return inet_sock(SP_TCP, AF_INET6, la, lp, ra, rp, st);
}

static struct sock unix_sock(const char *name, size_t len, unsigned type, unsigned state)
{
	struct sock s;

	memset(&s, 0, sizeof(s));
	s.proto = s.key.proto = SP_UNIX;
	s.family = s.key.family = AF_UNIX;
	s.type = (uint8_t)type;
	s.state = (uint8_t)state;
	s.has = SOCK_HAS_NAME | SOCK_HAS_UID;
	memcpy(ut_ext(&s)->name, name, len);
	ut_ext(&s)->name_len = (uint8_t)len;
	s.inode = 7000;
	return s;
}

/* Parses expr and checks it against s. */
static bool m(const char *expr, const struct sock *s)
{
	struct filter *f = parse_ok(expr);
	bool r = filter_matches(f, s, NULL);

	filter_free(f);
	return r;
}

static bool mp(const char *expr, const struct sock *s, const struct procmap *pm)
{
	struct filter *f = parse_ok(expr);
	bool r = filter_matches(f, s, pm);

	filter_free(f);
	return r;
}

#define MATCH(e, s) assert_true(m((e), (s)))
#define NOMATCH(e, s) assert_false(m((e), (s)))

/* ---- lexer ---------------------------------------------------------------- */

static void test_lex_tokens(void **state)
{
	(void)state;
	const char *t = "tcp AND (sport >= :22 || !udp) && x!=y";
	struct flex lx;
	static const enum ftok_kind want[] = {
		FT_WORD, FT_AND, FT_LPAREN, FT_WORD, FT_CMP, FT_WORD, FT_OR, FT_NOT,
		FT_WORD, FT_RPAREN, FT_AND, FT_WORD, FT_CMP, FT_WORD, FT_END,
	};
	static const size_t offs[] = { 0, 4, 8, 9, 15, 18, 22, 25, 26, 29, 31, 34, 35, 37, 38 };

	assert_int_equal(flex_run(&lx, t, strlen(t)), 0);
	assert_int_equal(lx.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < lx.n; i++) {
		assert_int_equal(lx.toks[i].kind, want[i]);
		assert_int_equal(lx.toks[i].off, offs[i]);
	}
	assert_string_equal(flex_value(&lx, &lx.toks[0]), "tcp");
	assert_string_equal(flex_value(&lx, &lx.toks[5]), ":22");
	assert_int_equal(lx.toks[4].cmp, FC_GE);
	assert_int_equal(lx.toks[4].len, 2);
	assert_int_equal(lx.toks[6].len, 2);
	assert_int_equal(lx.toks[12].cmp, FC_NE);
	assert_string_equal(flex_value(&lx, &lx.toks[11]), "x");
	assert_string_equal(flex_value(&lx, &lx.toks[13]), "y");
	flex_free(&lx);
}

static void test_lex_operators(void **state)
{
	(void)state;
	const char *t = "= == != < <= > >= ! not or and";
	static const struct {
		enum ftok_kind k;
		enum fcmp c;
		size_t len;
	} want[] = {
		{ FT_CMP, FC_EQ, 1 }, { FT_CMP, FC_EQ, 2 }, { FT_CMP, FC_NE, 2 },
		{ FT_CMP, FC_LT, 1 }, { FT_CMP, FC_LE, 2 }, { FT_CMP, FC_GT, 1 },
		{ FT_CMP, FC_GE, 2 }, { FT_NOT, 0, 1 },     { FT_NOT, 0, 3 },
		{ FT_OR, 0, 2 },      { FT_AND, 0, 3 },     { FT_END, 0, 0 },
	};
	struct flex lx;

	assert_int_equal(flex_run(&lx, t, strlen(t)), 0);
	assert_int_equal(lx.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < lx.n; i++) {
		assert_int_equal(lx.toks[i].kind, want[i].k);
		assert_int_equal(lx.toks[i].len, want[i].len);
		if (want[i].k == FT_CMP)
			assert_int_equal(lx.toks[i].cmp, want[i].c);
	}
	flex_free(&lx);
}

static void test_lex_words(void **state)
{
	(void)state;
	struct flex lx;
	const char *t = "path \"/tmp/a b\" 'and' a\"b c\"d x\\ y [!a]* ab(c";

	assert_int_equal(flex_run(&lx, t, strlen(t)), 0);
	assert_int_equal(lx.n, 10);
	assert_string_equal(flex_value(&lx, &lx.toks[1]), "/tmp/a b");
	assert_true(lx.toks[1].quoted);
	assert_int_equal(lx.toks[1].off, 5);
	assert_int_equal(lx.toks[1].len, 10);
	/* a quoted keyword is a word */
	assert_int_equal(lx.toks[2].kind, FT_WORD);
	assert_string_equal(flex_value(&lx, &lx.toks[2]), "and");
	/* pieces glue together */
	assert_string_equal(flex_value(&lx, &lx.toks[3]), "ab cd");
	/* backslash escapes are kept for the term to interpret */
	assert_string_equal(flex_value(&lx, &lx.toks[4]), "x\\ y");
	assert_false(lx.toks[4].quoted);
	/* '!' inside a word is part of it */
	assert_string_equal(flex_value(&lx, &lx.toks[5]), "[!a]*");
	/* '(' ends a word */
	assert_string_equal(flex_value(&lx, &lx.toks[6]), "ab");
	assert_int_equal(lx.toks[7].kind, FT_LPAREN);
	assert_string_equal(flex_value(&lx, &lx.toks[8]), "c");
	assert_int_equal(lx.toks[9].kind, FT_END);
	flex_free(&lx);

	/* a backslash-quote inside quotes does not close them */
	t = "\"a\\\"b\"";
	assert_int_equal(flex_run(&lx, t, strlen(t)), 0);
	assert_string_equal(flex_value(&lx, &lx.toks[0]), "a\\\"b");
	flex_free(&lx);

	/* empty input: just the end */
	assert_int_equal(flex_run(&lx, "  \t", 3), 0);
	assert_int_equal(lx.n, 1);
	assert_int_equal(lx.toks[0].kind, FT_END);
	assert_int_equal(lx.toks[0].off, 3);
	flex_free(&lx);
}

static void test_lex_errors(void **state)
{
	(void)state;
	struct flex lx;

	/* single '&' and '|' are operators, as in ss */
	assert_int_equal(flex_run(&lx, "tcp & udp", 9), 0);
	assert_int_equal(lx.toks[1].kind, FT_AND);
	assert_int_equal(lx.toks[1].len, 1);
	flex_free(&lx);
	assert_int_equal(flex_run(&lx, "a|b", 3), 0);
	assert_int_equal(lx.n, 4);
	assert_int_equal(lx.toks[1].kind, FT_OR);
	flex_free(&lx);
	assert_int_equal(flex_run(&lx, "x \"abc", 6), -1);
	assert_int_equal(lx.error, FLEX_UNTERMINATED);
	assert_int_equal(lx.err_off, 2);
	flex_free(&lx);
	assert_int_equal(flex_run(&lx, "'a\\", 3), -1);
	assert_int_equal(lx.error, FLEX_UNTERMINATED);
	assert_int_equal(lx.err_off, 0);
	flex_free(&lx);
	assert_int_equal(flex_run(&lx, "abc\\", 4), -1);
	assert_int_equal(lx.error, FLEX_TRAILING_BACKSLASH);
	assert_int_equal(lx.err_off, 3);
	flex_free(&lx);
}

static void test_lex_column(void **state)
{
	(void)state;
	assert_int_equal(flex_column("abc", 0), 1);
	assert_int_equal(flex_column("abc", 2), 3);
	assert_int_equal(flex_column("abc", 3), 4);
	/* "é" is two bytes but one column */
	assert_int_equal(flex_column("\xc3\xa9 x", 3), 3);
	assert_int_equal(flex_column("\xe2\x82\xac\xe2\x82\xac)", 6), 3);
}

/* ---- parser: precedence and operators ----------------------------------- */

static void test_precedence(void **state)
{
	(void)state;
	struct sock t = tcp4("10.0.0.1", 5, "10.0.0.2", 6, SS_ESTABLISHED);
	struct sock u = inet_sock(SP_UDP, AF_INET, "10.0.0.1", 1, "0.0.0.0", 0, SS_CLOSE);

	/* "and" after "or" needs parentheses (ss and the usual rule read it
	 * differently); "and" before "or" means the same in both */
	MATCH("tcp or (udp and sport = 1)", &t);
	NOMATCH("(tcp or udp) and sport = 1", &t);
	MATCH("udp and sport = 1 or tcp", &t);
	MATCH("tcp || (udp && sport == 1)", &t);
	MATCH("tcp | (udp & sport == 1)", &t);
	/* not binds tighter than and */
	MATCH("not tcp and udp", &u);
	NOMATCH("not tcp and udp", &t);
	MATCH("not (tcp and udp)", &t);
	MATCH("! tcp && udp", &u);
	MATCH("!tcp udp", &u);
	MATCH("udp not tcp", &u);
	NOMATCH("tcp not tcp", &t);
	/* juxtaposition is "and", with the same precedence */
	MATCH("tcp sport = 5", &t);
	NOMATCH("tcp sport = 6", &t);
	MATCH("udp or (tcp sport 5)", &t);
	NOMATCH("(udp or tcp) sport 6", &t);
	MATCH("tcp sport 5 or udp", &t);
	MATCH("state established ( dport = 6 or sport = 6 )", &t);
	NOMATCH("state listening ( dport = 6 or sport = 6 )", &t);
	/* double negation, deep parentheses */
	MATCH("not not tcp", &t);
	MATCH("((((tcp))))", &t);
	MATCH("not (not (tcp))", &t);
	/* long chains do not recurse */
	{
		char buf[FILTER_MAX_LEN];
		size_t n = 0;

		for (int i = 0; i < 200; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "sport %d or ", 1000 + i);
		snprintf(buf + n, sizeof(buf) - n, "sport 5");
		MATCH(buf, &t);
		buf[n - 4] = '\0'; /* drop " or sport 5" */
		NOMATCH(buf, &t);
	}
	/* keywords in any case */
	MATCH("TCP AND Not UDP", &t);
}

static void test_operators(void **state)
{
	(void)state;
	struct sock t = tcp4("10.0.0.1", 100, "10.0.0.2", 200, SS_ESTABLISHED);
	static const struct {
		const char *e;
		bool want;
	} cases[] = {
		{ "sport = 100", true },   { "sport == 100", true },  { "sport eq 100", true },
		{ "sport 100", true },     { "sport != 100", false }, { "sport ne 100", false },
		{ "sport neq 99", true },  { "sport < 100", false },  { "sport lt 101", true },
		{ "sport <= 100", true },  { "sport le 99", false },  { "sport > 99", true },
		{ "sport gt 100", false }, { "sport >= 100", true },  { "sport ge 101", false },
		{ "dport = 200", true },   { "dport > 200", false },  { "dport >= 200", true },
		{ "port 200", true },      { "port 100", true },      { "port 300", false },
		{ "port != 100", false },  { "port != 300", true },   { "port > 150", true },
		{ "port < 100", false },   { "port <= 100", true },   { "sport = :100", true },
		{ "tcp and udp", false },  { "tcp && !udp", true },   { "tcp or udp", true },
		{ "udp || raw", false },   { "not tcp", false },      { "sport geq 100", true },
		{ "sport leq 99", false }, { "dport geq 201", false }, { "dport leq 200", true },
		{ "tcp & !udp", true },    { "udp | tcp", true },     { "sport = :*", true },
		{ "dport != :*", false },  { "port :*", true },       { "sport eq :*", true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (m(cases[i].e, &t) != cases[i].want)
			fail_msg("'%s' should be %s", cases[i].e, cases[i].want ? "true" : "false");
}

/* ---- parser: errors ----------------------------------------------------- */

struct err_case {
	const char *expr;
	const char *msg;
	unsigned column;
	const char *token;
};

static void test_errors(void **state)
{
	(void)state;
	static const struct err_case cases[] = {
		{ "tcp and )", "filter: unexpected ')' at column 9", 9, ")" },
		{ "state listening and ( sport = 1 ))", "filter: unexpected ')' at column 34", 34, ")" },
		{ "tcp )", "filter: unexpected ')' at column 5", 5, ")" },
		{ "()", "filter: unexpected ')' at column 2", 2, ")" },
		{ "and tcp", "filter: unexpected 'and' at column 1", 1, "and" },
		{ "tcp or or udp", "filter: unexpected 'or' at column 8", 8, "or" },
		{ "sport = 22 = 3", "filter: unexpected '=' at column 12", 12, "=" },
		{ "path < /x", "filter: unexpected '<' at column 6", 6, "<" },
		{ "tcp & & udp", "filter: unexpected '&' at column 7", 7, "&" },
		{ "(tcp or udp", "filter: unclosed '(' at column 1", 1, "(" },
		{ "udp or ((tcp)", "filter: unclosed '(' at column 8", 8, "(" },
		{ "tcp and", "filter: missing operand after 'and' at column 8", 8, "" },
		{ "not", "filter: missing operand after 'not' at column 4", 4, "" },
		{ "tcp ||  ", "filter: missing operand after '||' at column 9", 9, "" },
		{ "(", "filter: missing operand after '(' at column 2", 2, "" },
		{ "sport = 70000", "filter: bad port '70000' at column 9 (0-65535 or a service name)",
		  9, "70000" },
		{ "sport = 22x", "filter: bad port '22x' at column 9 (0-65535 or a service name)", 9,
		  "22x" },
		{ "sport = :", "filter: bad port '' at column 10 (0-65535 or a service name)", 10, "" },
		{ "dport nosuchsvc", "filter: unknown service 'nosuchsvc' at column 7", 7,
		  "nosuchsvc" },
		{ "src 127.0.0.1:99999",
		  "filter: bad port '99999' at column 15 (0-65535 or a service name)", 15, "99999" },
		{ "src 1.2.3.4:", "filter: bad port '' at column 13 (0-65535 or a service name)", 13,
		  "" },
		{ "src 1.2.3.4:nope", "filter: unknown service 'nope' at column 13", 13, "nope" },
		{ "src 300.1.1.1", "filter: bad address '300.1.1.1' at column 5", 5, "300.1.1.1" },
		{ "dst nosuchhost:22", "filter: unknown host 'nosuchhost' at column 5", 5,
		  "nosuchhost" },
		{ "dst 1.2.3:22", "filter: bad address '1.2.3' at column 5", 5, "1.2.3" },
		{ "dst [::1", "filter: bad address '[::1' at column 5", 5, "[::1" },
		{ "dst [::1]x", "filter: bad address 'x' at column 10", 10, "x" },
		{ "src [::g]:1", "filter: bad address '::g' at column 6", 6, "::g" },
		{ "src \"1.2.3.x\"", "filter: bad address '\"1.2.3.x\"' at column 5", 5,
		  "\"1.2.3.x\"" },
		{ "src 10.0.0.0/33", "filter: bad prefix length '33' at column 14", 14, "33" },
		{ "src [::1]/129", "filter: bad prefix length '129' at column 11", 11, "129" },
		{ "src fe80::/x", "filter: bad prefix length 'x' at column 12", 12, "x" },
		{ "src */8", "filter: bad prefix length '8' at column 7", 7, "8" },
		{ "state bogus", "filter: unknown state 'bogus' at column 7", 7, "bogus" },
		{ "tcp exclude nope", "filter: unknown state 'nope' at column 13", 13, "nope" },
		{ "user nosuchuser", "filter: unknown user 'nosuchuser' at column 6", 6,
		  "nosuchuser" },
		{ "uid 4294967295", "filter: unknown user '4294967295' at column 5", 5,
		  "4294967295" },
		{ "pid abc", "filter: bad number 'abc' at column 5", 5, "abc" },
		{ "pid -1", "filter: bad number '-1' at column 5", 5, "-1" },
		{ "inode 4294967296", "filter: bad number '4294967296' at column 7", 7,
		  "4294967296" },
		{ "pid", "filter: missing number at column 4", 4, "" },
		{ "inode )", "filter: missing number at column 7", 7, ")" },
		{ "sport", "filter: missing port at column 6", 6, "" },
		{ "sport >= (", "filter: missing port at column 10", 10, "(" },
		{ "src", "filter: missing address at column 4", 4, "" },
		{ "state", "filter: missing state name at column 6", 6, "" },
		{ "path", "filter: missing pattern at column 5", 5, "" },
		{ "comm", "filter: missing name at column 5", 5, "" },
		{ "user", "filter: missing user at column 5", 5, "" },
		{ "path \"abc", "filter: unterminated quote at column 6", 6, "\"" },
		{ "abc\\", "filter: backslash at the end at column 4", 4, "\\" },
		/* columns count characters, not bytes */
		{ "\xc3\xa9 )", "filter: unexpected ')' at column 3", 3, ")" },
		/* control bytes in a token are escaped in the message */
		{ "state \x1b[2J", "filter: unknown state '\\x1b[2J' at column 7", 7, "\x1b[2J" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct filter_error err;
		struct filter *f = filter_parse_with(cases[i].expr, &names, &err);

		if (f)
			fail_msg("'%s' parsed but should not", cases[i].expr);
		if (strcmp(err.msg, cases[i].msg))
			fail_msg("'%s': got \"%s\", want \"%s\"", cases[i].expr, err.msg,
				 cases[i].msg);
		assert_int_equal(err.column, cases[i].column);
		assert_string_equal(err.token, cases[i].token);
		assert_int_equal(err.length, strlen(cases[i].token));
		if (err.length)
			assert_memory_equal(cases[i].expr + err.offset, cases[i].token,
					    err.length);
	}
}

static void test_error_limits(void **state)
{
	(void)state;
	struct filter_error err;
	char *buf = malloc(FILTER_MAX_LEN + 100);
	struct filter *f;
	struct sock t = tcp4("10.0.0.1", 5, "10.0.0.2", 6, SS_ESTABLISHED);

	/* nesting: FILTER_MAX_DEPTH parentheses are fine, one more is not */
	memset(buf, '(', FILTER_MAX_DEPTH);
	strcpy(buf + FILTER_MAX_DEPTH, "tcp");
	memset(buf + FILTER_MAX_DEPTH + 3, ')', FILTER_MAX_DEPTH);
	buf[2 * FILTER_MAX_DEPTH + 3] = '\0';
	f = filter_parse_with(buf, &names, &err);
	assert_non_null(f);
	assert_true(filter_matches(f, &t, NULL));
	filter_free(f);

	memset(buf, '(', FILTER_MAX_DEPTH + 1);
	strcpy(buf + FILTER_MAX_DEPTH + 1, "tcp");
	assert_null(filter_parse_with(buf, &names, &err));
	assert_int_equal(err.column, FILTER_MAX_DEPTH + 1);
	assert_non_null(strstr(err.msg, "nested too deeply at column 65"));

	for (int i = 0; i <= FILTER_MAX_DEPTH; i++)
		buf[i] = '!';
	strcpy(buf + FILTER_MAX_DEPTH + 1, "tcp");
	assert_null(filter_parse_with(buf, &names, &err));
	assert_int_equal(err.column, FILTER_MAX_DEPTH + 1);

	/* length */
	memset(buf, 'a', FILTER_MAX_LEN + 10);
	buf[FILTER_MAX_LEN + 10] = '\0';
	assert_null(filter_parse_with(buf, &names, &err));
	assert_string_equal(err.msg,
			    "filter: expression too long at column 4097 (at most 4096 bytes)");
	assert_int_equal(err.column, FILTER_MAX_LEN + 1);
	buf[FILTER_MAX_LEN] = '\0';
	f = filter_parse_with(buf, &names, &err);
	assert_non_null(f);
	filter_free(f);

	/* a NULL err is allowed */
	assert_null(filter_parse("tcp and", NULL));
	free(buf);
}

/* Random input never crashes the parser, and every error points inside the
 * text (or just past its end). */
static void test_random_input(void **state)
{
	(void)state;
	static const char *const atoms[] = {
		"tcp", "udp", "unix", "and", "or", "not", "(", ")", "!", "&&", "||", "=", "!=",
		"<", ">=", "sport", "dport", "port", "src", "dst", "addr", "state", "path",
		"comm", "pid", "user", "inode", "exclude", "listening", "22", ":ssh", "70000",
		"127.0.0.1", "[::1]:80", "10.0.0.0/8", "::/0", "/33", "'", "\"", "\\", "x",
		"@a*", "[!a]", "\xff", "\x00", " ", "\t", "&", "|", "ge", "*", ":", "[", "]",
	};
	struct sock t = tcp4("127.0.0.1", 22, "10.0.0.1", 80, SS_ESTABLISHED);
	struct sock x = unix_sock("\0a\0b", 4, SOCK_STREAM, SS_LISTEN);
	uint32_t rs = 12345;
	size_t ok = 0;

	for (int i = 0; i < 20000; i++) {
		char text[256];
		size_t n = 0;
		int k = 1 + (int)((rs = rs * 1103515245u + 12345u) >> 16) % 12;
		struct filter_error err;
		struct filter *f;

		for (int j = 0; j < k; j++) {
			const char *a;

			rs = rs * 1103515245u + 12345u;
			a = atoms[(rs >> 16) % (sizeof(atoms) / sizeof(atoms[0]))];
			if (n + strlen(a) + 2 >= sizeof(text))
				break;
			memcpy(text + n, a, strlen(a));
			n += strlen(a);
			rs = rs * 1103515245u + 12345u;
			if ((rs >> 16) % 3)
				text[n++] = ' ';
		}
		text[n] = '\0';
		f = filter_parse_with(text, &names, &err);
		if (f) {
			ok++;
			(void)filter_matches(f, &t, NULL);
			(void)filter_matches(f, &x, NULL);
			(void)filter_protos(f);
			filter_free(f);
			continue;
		}
		if (err.column < 1 || err.column > n + 1 || err.offset > n ||
		    err.offset + err.length > n || strncmp(err.msg, "filter: ", 8) ||
		    !strstr(err.msg, "at column"))
			fail_msg("'%s': bad error \"%s\" (column %u, offset %zu, length %zu)", text,
				 err.msg, err.column, err.offset, err.length);
	}
	/* both outcomes were exercised */
	assert_true(ok > 1000);
	assert_true(ok < 19000);
}

/* ---- evaluator ------------------------------------------------------------ */

static void test_protocols(void **state)
{
	(void)state;
	struct sock t4 = tcp4("127.0.0.1", 22, "0.0.0.0", 0, SS_LISTEN);
	struct sock t6 = tcp6("::1", 22, "::", 0, SS_LISTEN);
	struct sock u = inet_sock(SP_UDP, AF_INET6, "::", 53, "::", 0, SS_CLOSE);
	struct sock r = inet_sock(SP_RAW, AF_INET, "0.0.0.0", 1, "0.0.0.0", 0, SS_CLOSE);
	struct sock x = unix_sock("/run/a.sock", 11, SOCK_STREAM, SS_LISTEN);

	MATCH("tcp", &t4);
	MATCH("tcp", &t6);
	NOMATCH("udp", &t4);
	MATCH("udp", &u);
	MATCH("raw", &r);
	MATCH("unix", &x);
	NOMATCH("unix", &t4);
	MATCH("inet", &t4);
	MATCH("ipv4", &r);
	NOMATCH("inet", &t6);
	MATCH("inet6", &t6);
	MATCH("ipv6", &u);
	NOMATCH("inet6", &x);
	NOMATCH("inet", &x);
	MATCH("not unix", &t6);
	NOMATCH("not unix", &x);
	MATCH("tcp and inet6", &t6);
	NOMATCH("tcp and inet6", &t4);
	/* quoted keywords are text */
	NOMATCH("'udp'", &t4);
	MATCH("'tcp'", &t4);
}

static void test_states(void **state)
{
	(void)state;
	struct sock s = tcp4("10.0.0.1", 1, "10.0.0.2", 2, SS_ESTABLISHED);
	static const struct {
		unsigned st;
		const char *e;
		bool want;
	} cases[] = {
		{ SS_ESTABLISHED, "state established", true },
		{ SS_ESTABLISHED, "state ESTAB", true },
		{ SS_ESTABLISHED, "state connected", true },
		{ SS_ESTABLISHED, "state synchronized", true },
		{ SS_ESTABLISHED, "state big", true },
		{ SS_ESTABLISHED, "state bucket", false },
		{ SS_ESTABLISHED, "state all", true },
		{ SS_ESTABLISHED, "state listening", false },
		{ SS_ESTABLISHED, "exclude established", false },
		{ SS_ESTABLISHED, "excl listening", true },
		{ SS_ESTABLISHED, "state != listening", true },
		{ SS_ESTABLISHED, "state = estab", true },
		{ SS_SYN_SENT, "state syn-sent", true },
		{ SS_SYN_SENT, "state connected", true },
		{ SS_SYN_SENT, "state synchronized", false },
		{ SS_SYN_RECV, "state syn-recv", true },
		{ SS_NEW_SYN_RECV, "state syn-recv", true },
		{ SS_NEW_SYN_RECV, "state SYN_RECV", true },
		{ SS_NEW_SYN_RECV, "state bucket", true },
		{ SS_SYN_RECV, "state connected", true },
		{ SS_SYN_RECV, "state synchronized", true },
		{ SS_SYN_RECV, "state syn-rcv", true },
		{ SS_NEW_SYN_RECV, "state SYN-RCV", true },
		{ SS_SYN_RECV, "state big", false },
		{ SS_FIN_WAIT1, "state fin-wait-1", true },
		{ SS_FIN_WAIT1, "state fin-wait-2", false },
		{ SS_FIN_WAIT2, "state fin-wait-2", true },
		{ SS_FIN_WAIT2, "state finwait2", true },
		{ SS_TIME_WAIT, "state time-wait", true },
		{ SS_TIME_WAIT, "state time_wait", true },
		{ SS_TIME_WAIT, "state bucket", true },
		{ SS_TIME_WAIT, "state connected", true },
		{ SS_TIME_WAIT, "state synchronized", true },
		{ SS_TIME_WAIT, "state big", false },
		{ SS_CLOSE, "state closed", true },
		{ SS_CLOSE, "state unconn", true },
		{ SS_CLOSE, "state close", true },
		{ SS_CLOSE, "state connected", false },
		{ SS_CLOSE, "state big", true },
		{ SS_CLOSE_WAIT, "state close-wait", true },
		{ SS_LAST_ACK, "state last-ack", true },
		{ SS_LISTEN, "state listening", true },
		{ SS_LISTEN, "state listen", true },
		{ SS_LISTEN, "state LISTEN", true },
		{ SS_LISTEN, "state connected", false },
		{ SS_LISTEN, "state big", true },
		{ SS_CLOSING, "state closing", true },
		{ SS_CLOSING, "state closed", false },
		{ SS_CLOSING, "state synchronized", true },
		/* side by side, state arguments add up as in ss */
		{ SS_LISTEN, "state listening state established", true },
		{ SS_ESTABLISHED, "state listening state established", true },
		{ SS_TIME_WAIT, "state listening state established", false },
		{ SS_ESTABLISHED, "state listening and state established", false },
		{ SS_ESTABLISHED, "exclude listening exclude established", false },
		{ SS_CLOSE, "exclude listening exclude established", true },
		{ SS_LISTEN, "exclude connected state listening", true },
		{ SS_ESTABLISHED, "state connected exclude established", false },
		{ SS_TIME_WAIT, "state connected exclude established", true },
		{ SS_ESTABLISHED, "state listening (state established)", false },
		{ SS_ESTABLISHED, "tcp state listening state established", true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s.state = (uint8_t)cases[i].st;
		if (m(cases[i].e, &s) != cases[i].want)
			fail_msg("'%s' on state %u should be %s", cases[i].e, cases[i].st,
				 cases[i].want ? "true" : "false");
	}
}

static void test_ports(void **state)
{
	(void)state;
	struct sock t = tcp4("10.0.0.1", 22, "10.0.0.2", 40000, SS_ESTABLISHED);
	struct sock x = unix_sock("/x", 2, SOCK_STREAM, SS_ESTABLISHED);

	MATCH("sport = :ssh", &t);
	MATCH("sport ssh", &t);
	NOMATCH("dport = :ssh", &t);
	MATCH("port ssh", &t);
	MATCH("dport > 1024", &t);
	MATCH("dport >= 40000", &t);
	NOMATCH("dport > 40000", &t);
	MATCH("sport < 1024 and dport > 1024", &t);
	MATCH("port my-svc or port 40000", &t);
	NOMATCH("sport = 0", &t);
	/* Unix sockets have no ports: no comparison holds, "!=" included */
	NOMATCH("sport = 0", &x);
	NOMATCH("sport != 22", &x);
	NOMATCH("port != 22", &x);
	NOMATCH("dport < 65535", &x);
	MATCH("not sport = 22", &x);
	/* edges */
	t.lport = 0;
	MATCH("sport = 0", &t);
	NOMATCH("sport < 0", &t);
	t.lport = 65535;
	NOMATCH("sport > 65535", &t);
	MATCH("sport >= 65535", &t);
}

static void test_hosts(void **state)
{
	(void)state;
	struct sock t4 = tcp4("127.0.0.1", 22, "10.1.2.3", 40000, SS_ESTABLISHED);
	struct sock t6 = tcp6("::1", 80, "2001:db8::5", 1234, SS_ESTABLISHED);
	struct sock mapped = tcp6("::ffff:127.0.0.1", 8080, "::ffff:10.1.2.3", 5, SS_ESTABLISHED);
	struct sock x = unix_sock("/x", 2, SOCK_STREAM, SS_ESTABLISHED);

	MATCH("src 127.0.0.1", &t4);
	MATCH("src 127.0.0.0/8", &t4);
	MATCH("src 127.0.0.1:22", &t4);
	MATCH("src 127.0.0.1:ssh", &t4);
	NOMATCH("src 127.0.0.1:23", &t4);
	NOMATCH("src 10.1.2.3", &t4);
	MATCH("dst 10.1.2.3", &t4);
	MATCH("dst 10.0.0.0/8:40000", &t4);
	MATCH("dst 10.1.2.0/23", &t4);
	NOMATCH("dst 10.1.4.0/23", &t4);
	MATCH("addr 10.1.2.3", &t4);
	MATCH("addr 127.0.0.1", &t4);
	NOMATCH("addr 1.1.1.1", &t4);
	MATCH("src :22", &t4);
	MATCH("src *:22", &t4);
	MATCH("src *", &t4);
	MATCH("src != 1.2.3.4", &t4);
	NOMATCH("src != 127.0.0.1", &t4);
	MATCH("src 0.0.0.0/0", &t4);
	NOMATCH("src ::/0", &t4);
	NOMATCH("src [::ffff:127.0.0.1]", &t4);

	MATCH("src [::1]", &t6);
	MATCH("src ::1", &t6);
	MATCH("src [::1]:80", &t6);
	MATCH("src [::1]:http", &t6);
	NOMATCH("src [::1]:81", &t6);
	MATCH("dst 2001:db8::/32", &t6);
	MATCH("dst [2001:db8::/32]:1234", &t6);
	MATCH("dst [2001:db8::]/32:1234", &t6);
	NOMATCH("dst 2001:db9::/32", &t6);
	MATCH("src ::/0", &t6);
	NOMATCH("src 0.0.0.0/0", &t6);
	NOMATCH("src 127.0.0.1", &t6);

	/* IPv4 conditions also see v4-mapped IPv6 addresses, as the kernel does */
	MATCH("src 127.0.0.1", &mapped);
	MATCH("src 127.0.0.0/8:8080", &mapped);
	MATCH("dst 10.1.2.3", &mapped);
	MATCH("src 0.0.0.0/0", &mapped);
	MATCH("src ::ffff:0:0/96", &mapped);
	MATCH("src ::/0", &mapped);
	NOMATCH("src 127.0.0.2", &mapped);

	/* Unix sockets: no address */
	NOMATCH("src *", &x);
	NOMATCH("src != 1.2.3.4", &x);
	MATCH("not src 1.2.3.4", &x);
}

static void test_paths(void **state)
{
	(void)state;
	struct sock named = unix_sock("/run/user/1000/bus", 18, SOCK_STREAM, SS_LISTEN);
	struct sock abstract = unix_sock("\0svc\0bin\x1b", 9, SOCK_STREAM, SS_LISTEN);
	struct sock unnamed = unix_sock("", 0, SOCK_STREAM, SS_ESTABLISHED);
	struct sock t = tcp4("127.0.0.1", 1, "0.0.0.0", 0, SS_LISTEN);

	MATCH("path /run/user/1000/bus", &named);
	MATCH("path /run/*", &named);
	MATCH("path '/run/*/bus'", &named);
	MATCH("path /run/user/100?/bus", &named);
	MATCH("path /run/user/[0-9]*/bus", &named);
	NOMATCH("path /run/user/[!1]*/bus", &named);
	NOMATCH("path /run", &named);
	MATCH("path != /tmp/*", &named);
	MATCH("path *", &named);
	NOMATCH("path @*", &named);
	/* abstract: written with '@', embedded NUL and ESC reachable by \x */
	MATCH("path @svc*", &abstract);
	MATCH("path @svc\\x00bin\\x1b", &abstract);
	MATCH("path '@svc?bin?'", &abstract);
	NOMATCH("path @svc", &abstract);
	NOMATCH("path svc*", &abstract);
	/* unnamed sockets have no path */
	NOMATCH("path *", &unnamed);
	NOMATCH("path != /x", &unnamed);
	NOMATCH("path *", &t);
	/* the name's trailing NUL of a path name is not part of the path */
	ut_ext(&named)->name[ut_ext(&named)->name_len++] = '\0';
	MATCH("path */bus", &named);
}

static void test_glob(void **state)
{
	(void)state;
#define G(p, s) filter_glob((p), sizeof(p) - 1, (s), sizeof(s) - 1)
	assert_true(G("", ""));
	assert_false(G("", "a"));
	assert_true(G("*", ""));
	assert_true(G("*", "abc"));
	assert_true(G("a*c", "abbbc"));
	assert_false(G("a*c", "abcd"));
	assert_true(G("a*c*", "abcd"));
	assert_true(G("*b*b*", "abxxbx"));
	assert_true(G("?", "x"));
	assert_false(G("?", ""));
	assert_true(G("[abc]", "b"));
	assert_false(G("[abc]", "d"));
	assert_true(G("[a-c]x", "cx"));
	assert_true(G("[!a-c]", "d"));
	assert_true(G("[^a-c]", "d"));
	assert_false(G("[!a-c]", "b"));
	assert_true(G("[]]", "]"));
	assert_true(G("[!]]", "a"));
	assert_true(G("[a-]", "-"));
	assert_true(G("[", "["));      /* unclosed: literal */
	assert_true(G("a[b", "a[b"));
	assert_true(G("\\*", "*"));
	assert_false(G("\\*", "x"));
	assert_true(G("[\\]]", "]"));
	assert_true(G("a?c", "a\0c"));  /* NUL is an ordinary byte */
	assert_true(G("a\\\0c", "a\0c"));
	assert_true(G("*\xff", "x\xff"));
	assert_true(G("[\x80-\xff]", "\xc3"));
#undef G
}

static void test_numbers_and_users(void **state)
{
	(void)state;
	struct sock t = tcp4("10.0.0.1", 1, "10.0.0.2", 2, SS_ESTABLISHED);

	t.uid = 0;
	t.inode = 123456;
	MATCH("user root", &t);
	MATCH("user 0", &t);
	MATCH("uid 0", &t);
	NOMATCH("user alice", &t);
	MATCH("user != alice", &t);
	MATCH("user < 1000", &t);
	t.uid = 1000;
	MATCH("user alice", &t);
	MATCH("user >= 1000", &t);
	MATCH("user ge alice", &t);
	NOMATCH("user gt alice", &t);
	/* no uid from the kernel: no user term holds */
	t.has &= ~SOCK_HAS_UID;
	NOMATCH("user alice", &t);
	NOMATCH("user != root", &t);

	MATCH("inode 123456", &t);
	MATCH("inode > 100000", &t);
	NOMATCH("inode < 100000", &t);
	MATCH("inode != 1", &t);
	t.inode = 0;
	MATCH("inode 0", &t);

	/* the system's user database always knows root */
	{
		struct filter *f = filter_parse("user root", NULL);

		assert_non_null(f);
		t.has |= SOCK_HAS_UID;
		t.uid = 0;
		assert_true(filter_matches(f, &t, NULL));
		filter_free(f);
	}
}

static void test_processes(void **state)
{
	(void)state;
	struct procmap *pm = procmap_new();
	struct sock t = tcp4("10.0.0.1", 1, "10.0.0.2", 2, SS_ESTABLISHED);
	struct sock lone = tcp4("10.0.0.1", 3, "10.0.0.2", 4, SS_ESTABLISHED);
	struct sock tw = tcp4("10.0.0.1", 5, "10.0.0.2", 6, SS_TIME_WAIT);

	procmap_set_proc(pm, 42, "nginx", 5, 0);
	procmap_set_proc(pm, 43, "nginx: worker", 13, 33);
	procmap_set_proc(pm, 50, "ev\x1bil", 5, 0);
	procmap_add_owner(pm, 100, 42, 3);
	procmap_add_owner(pm, 100, 43, 3);
	procmap_add_owner(pm, 200, 50, 4);
	t.inode = 100;
	lone.inode = 300; /* nobody holds it */
	tw.inode = 0;

	assert_true(mp("pid 42", &t, pm));
	assert_true(mp("pid 43", &t, pm));
	assert_false(mp("pid 44", &t, pm));
	assert_false(mp("pid != 42", &t, pm));
	assert_true(mp("pid != 44", &t, pm));
	assert_true(mp("pid > 42", &t, pm));
	assert_false(mp("pid > 43", &t, pm));
	assert_true(mp("comm nginx", &t, pm));
	assert_true(mp("comm 'nginx: worker'", &t, pm));
	assert_true(mp("comm ngi*", &t, pm));
	assert_false(mp("comm apache", &t, pm));
	assert_false(mp("comm != nginx", &t, pm));
	assert_true(mp("comm != apache", &t, pm));
	/* no owner: nothing about processes holds, "!=" included */
	assert_false(mp("pid != 1", &lone, pm));
	assert_false(mp("comm != x", &lone, pm));
	assert_false(mp("comm *", &tw, pm));
	assert_true(mp("not comm nginx", &lone, pm));
	/* without a process map */
	assert_false(mp("pid 42", &t, NULL));
	assert_false(mp("comm nginx", &t, NULL));
	/* binary command names */
	t.inode = 200;
	assert_true(mp("comm 'ev\\x1bil'", &t, pm));
	assert_true(mp("comm ev?il", &t, pm));
	assert_true(mp("EV", &t, pm));
	/* many owners (more than fit on the stack) */
	for (int i = 0; i < 100; i++) {
		procmap_set_proc(pm, 1000 + i, i == 99 ? "last" : "many", 4, 0);
		procmap_add_owner(pm, 400, 1000 + i, 5);
	}
	t.inode = 400;
	assert_true(mp("comm last", &t, pm));
	assert_true(mp("pid 1099", &t, pm));
	assert_true(mp("LAST", &t, pm));
	assert_false(mp("pid != 1050", &t, pm));
	procmap_free(pm);
}

static void test_text(void **state)
{
	(void)state;
	struct procmap *pm = procmap_new();
	struct sock t4 = tcp4("127.0.0.1", 22, "10.1.2.3", 40000, SS_LISTEN);
	struct sock t6 = tcp6("::1", 8080, "::", 0, SS_ESTABLISHED);
	struct sock x = unix_sock("\0Hidden\x1b", 8, SOCK_STREAM, SS_LISTEN);

	procmap_set_proc(pm, 7, "Postgres", 8, 0);
	procmap_add_owner(pm, 5000, 7, 3);

	MATCH("127.0.0.1:22", &t4);
	MATCH("127.0.0", &t4);
	MATCH("10.1.2.3:40000", &t4);
	MATCH("listen", &t4);
	MATCH("LiStEn", &t4);
	MATCH("TCP", &t4);
	NOMATCH("udp", &t4);
	NOMATCH("8080", &t4);
	MATCH("[::1]:8080", &t6);
	MATCH("estab", &t6);
	MATCH("@hidden", &x);
	MATCH("hidden\\x1b", &x);
	MATCH("unix", &x);
	MATCH("\"\"", &t4); /* the empty word is in everything */
	assert_true(mp("postgres", &t4, pm));
	assert_true(mp("gres", &t4, pm));
	assert_false(mp("postgres", &t4, NULL));
	assert_false(mp("mysql", &t4, pm));
	/* several words: all must appear */
	MATCH("127.0.0.1 listen", &t4);
	NOMATCH("127.0.0.1 estab", &t4);
	procmap_free(pm);
}

static void test_empty_and_text(void **state)
{
	(void)state;
	struct sock t = tcp4("127.0.0.1", 22, "0.0.0.0", 0, SS_LISTEN);
	struct filter *f = parse_ok("  \t ");

	assert_true(filter_is_empty(f));
	assert_true(filter_matches(f, &t, NULL));
	assert_string_equal(filter_text(f), "  \t ");
	assert_int_equal(filter_protos(f), SP_MASK_ALL);
	filter_free(f);
	f = parse_ok("tcp and port 22");
	assert_false(filter_is_empty(f));
	assert_string_equal(filter_text(f), "tcp and port 22");
	filter_free(f);
	f = filter_parse("", NULL);
	assert_non_null(f);
	assert_true(filter_is_empty(f));
	filter_free(f);

	assert_true(filter_is_empty(NULL));
	assert_true(filter_matches(NULL, &t, NULL));
	assert_string_equal(filter_text(NULL), "");
	assert_int_equal(filter_protos(NULL), SP_MASK_ALL);
	filter_free(NULL);
}

static void test_protos_families(void **state)
{
	(void)state;
	const unsigned T = SP_MASK(SP_TCP), U = SP_MASK(SP_UDP), R = SP_MASK(SP_RAW),
		       X = SP_MASK(SP_UNIX);
	static const struct {
		const char *e;
		unsigned protos;
	} cases[] = {
		{ "tcp and port 22", SP_MASK(SP_TCP) },
		{ "tcp or unix", SP_MASK(SP_TCP) | SP_MASK(SP_UNIX) },
		{ "not unix", SP_MASK_ALL & ~SP_MASK(SP_UNIX) },
		{ "port 22", SP_MASK(SP_TCP) | SP_MASK(SP_UDP) | SP_MASK(SP_RAW) | SP_MASK(SP_MPTCP) },
		{ "src 127.0.0.1 or dst ::1",
		  SP_MASK(SP_TCP) | SP_MASK(SP_UDP) | SP_MASK(SP_RAW) | SP_MASK(SP_MPTCP) },
		{ "path /x", SP_MASK(SP_UNIX) },
		{ "inet6", SP_MASK(SP_TCP) | SP_MASK(SP_UDP) | SP_MASK(SP_RAW) | SP_MASK(SP_MPTCP) },
		{ "comm x", SP_MASK_ALL },
		{ "not sport 1", SP_MASK_ALL },
		{ "tcp and udp", 0 },
		{ "unix and sport 1", 0 },
		{ "state listening", SP_MASK_ALL },
		{ "not (tcp or udp)", SP_MASK_ALL & ~(SP_MASK(SP_TCP) | SP_MASK(SP_UDP)) },
		/* the kinds of issue 13 */
		{ "packet", SP_MASK(SP_PACKET) },
		{ "netlink or mptcp", SP_MASK(SP_NETLINK) | SP_MASK(SP_MPTCP) },
		{ "packet and port 22", 0 },
		{ "netlink and src 127.0.0.1", 0 },
		{ "path /x or packet", SP_MASK(SP_UNIX) | SP_MASK(SP_PACKET) },
	};
	struct filter *f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = parse_ok(cases[i].e);
		if (filter_protos(f) != cases[i].protos)
			fail_msg("filter_protos('%s') = %#x, want %#x", cases[i].e,
				 filter_protos(f), cases[i].protos);
		filter_free(f);
	}
	f = parse_ok("inet6 and tcp");
	assert_int_equal(filter_families(f, SP_TCP), SF_INET6);
	assert_int_equal(filter_families(f, SP_UDP), 0);
	assert_int_equal(filter_families(f, SP_UNIX), 0);
	filter_free(f);
	f = parse_ok("src 127.0.0.1 or unix");
	assert_int_equal(filter_families(f, SP_TCP), SF_ALL); /* v4-mapped IPv6 too */
	assert_int_equal(filter_families(f, SP_UNIX), SF_ALL);
	filter_free(f);
	f = parse_ok("not inet");
	assert_int_equal(filter_families(f, SP_UDP), SF_INET6);
	assert_int_equal(filter_protos(f), SP_MASK_ALL); /* MPTCP over IPv6, packet, netlink too */
	assert_int_equal(filter_protos(f) & (T | U | R | X), T | U | R | X);
	filter_free(f);
	f = parse_ok("netlink");
	assert_int_equal(filter_families(f, SP_NETLINK), SF_ALL);
	assert_int_equal(filter_families(f, SP_PACKET), 0);
	assert_int_equal(filter_families(f, SP_MPTCP), 0);
	filter_free(f);
	assert_int_equal(filter_families(NULL, SP_RAW), SF_ALL);
	assert_int_equal(filter_families(NULL, 99), 0);
}

static void test_uses_processes(void **state)
{
	(void)state;
	static const struct {
		const char *e;
		bool want;
	} cases[] = {
		{ "tcp", false }, { "pid 1", true },   { "comm x", true },     { "nginx", true },
		{ "user root", false }, { "inode 5", false }, { "not (tcp or pid 2)", true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct filter *f = parse_ok(cases[i].e);

		assert_int_equal(filter_uses_processes(f), cases[i].want);
		filter_free(f);
	}
	assert_false(filter_uses_processes(NULL));
}

static void test_services_system(void **state)
{
	(void)state;
	struct sock t = tcp4("127.0.0.1", 22, "0.0.0.0", 0, SS_LISTEN);
	struct filter *f = filter_parse("sport = :ssh", NULL);

	/* /etc/services comes with netbase, which the set-up installs */
	assert_non_null(f);
	assert_true(filter_matches(f, &t, NULL));
	filter_free(f);
}

/* ---- the prompt model ---------------------------------------------------- */

static void test_apply(void **state)
{
	(void)state;
	struct filter *active = NULL;
	struct filter_error err;
	struct filter *before;

	assert_int_equal(filter_apply(&active, "tcp", &err), 0);
	assert_non_null(active);
	assert_string_equal(filter_text(active), "tcp");
	before = active;
	/* a mistake keeps the previous filter */
	assert_int_equal(filter_apply(&active, "tcp and )", &err), -1);
	assert_ptr_equal(active, before);
	assert_string_equal(err.msg, "filter: unexpected ')' at column 9");
	assert_int_equal(filter_apply(&active, "udp", &err), 0);
	assert_string_equal(filter_text(active), "udp");
	/* empty clears */
	assert_int_equal(filter_apply(&active, "   ", &err), 0);
	assert_null(active);
	assert_int_equal(filter_apply(&active, NULL, &err), 0);
	assert_null(active);
}

static void test_history(void **state)
{
	(void)state;
	struct filter_hist *h = filter_hist_new(3);

	assert_null(filter_hist_up(h, "draft"));
	assert_null(filter_hist_down(h));
	filter_hist_add(h, "tcp");
	filter_hist_add(h, "  ");
	filter_hist_add(h, "udp");
	filter_hist_add(h, "port 22");
	assert_int_equal(filter_hist_len(h), 3);
	assert_string_equal(filter_hist_get(h, 0), "port 22");
	assert_string_equal(filter_hist_get(h, 2), "tcp");
	assert_null(filter_hist_get(h, 3));
	/* a repeat moves to the front, no duplicate */
	filter_hist_add(h, "tcp");
	assert_int_equal(filter_hist_len(h), 3);
	assert_string_equal(filter_hist_get(h, 0), "tcp");
	assert_string_equal(filter_hist_get(h, 1), "port 22");
	/* the oldest falls off */
	filter_hist_add(h, "unix");
	assert_int_equal(filter_hist_len(h), 3);
	assert_string_equal(filter_hist_get(h, 2), "port 22");
	/* browsing: up through the entries, down back to the draft */
	assert_string_equal(filter_hist_up(h, "sta"), "unix");
	assert_string_equal(filter_hist_up(h, "ignored"), "tcp");
	assert_string_equal(filter_hist_up(h, NULL), "port 22");
	assert_string_equal(filter_hist_up(h, NULL), "port 22"); /* stays at the oldest */
	assert_string_equal(filter_hist_down(h), "tcp");
	assert_string_equal(filter_hist_down(h), "unix");
	assert_string_equal(filter_hist_down(h), "sta");
	assert_null(filter_hist_down(h));
	/* adding ends browsing */
	assert_string_equal(filter_hist_up(h, "x"), "unix");
	filter_hist_add(h, "raw");
	assert_null(filter_hist_down(h));
	assert_string_equal(filter_hist_up(h, ""), "raw");
	filter_hist_reset(h);
	assert_null(filter_hist_down(h));
	filter_hist_free(h);
	filter_hist_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lex_tokens),
		cmocka_unit_test(test_lex_operators),
		cmocka_unit_test(test_lex_words),
		cmocka_unit_test(test_lex_errors),
		cmocka_unit_test(test_lex_column),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_limits),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_numbers_and_users),
		cmocka_unit_test(test_processes),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_empty_and_text),
		cmocka_unit_test(test_protos_families),
		cmocka_unit_test(test_uses_processes),
		cmocka_unit_test(test_services_system),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
