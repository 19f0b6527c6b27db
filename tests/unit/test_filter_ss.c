/* test_filter_ss.c - the parts of the filter language that came from ss
 * (filter_ss.c and the ss rules of filter.c): single | and &, geq/leq, the
 * :* wildcard, family prefixes, host names, dev, fwmark, cgroup,
 * autobound, peer, state arguments side by side, the "and after or"
 * refusal, and the errors of each, with hostile input. */
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
#include <cmocka.h>
#include <sys/socket.h>

#include "filter.h"
#include "filter_bc.h"
#include "sock.h"
#include "utext.h"

#ifndef AF_PACKET
#define AF_PACKET 17
#endif
#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif

static int fake_service(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "ssh") ? 22 : !strcmp(name, "http") ? 80 : -1;
}

static long fake_user(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "root") ? 0 : -1;
}

static int host_calls;

static int fake_host(const char *name, int family, struct filter_addr *out, size_t max,
		     void *ctx)
{
	size_t n = 0;

	(void)ctx;
	host_calls++;
	if (strcmp(name, "localhost") && strcmp(name, "web.example"))
		return -1;
	if (family != AF_INET6 && n < max) {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].family = AF_INET;
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
	return !strcmp(name, "lo") ? 1 : !strcmp(name, "eth0") ? 2 : -1;
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

static struct sock inet(unsigned proto, int family, const char *la, unsigned lp, const char *ra,
			unsigned rp, unsigned state)
{
	struct sock s;

	memset(&s, 0, sizeof(s));
	s.proto = s.key.proto = (uint8_t)proto;
	s.family = s.key.family = (uint8_t)family;
	s.type = proto == SP_TCP ? SOCK_STREAM : SOCK_DGRAM;
	s.state = (uint8_t)state;
	assert_int_equal(inet_pton(family, la, s.laddr), 1);
	assert_int_equal(inet_pton(family, ra, s.raddr), 1);
	s.lport = (uint16_t)lp;
	s.rport = (uint16_t)rp;
	s.inode = 5000;
	return s;
}

static struct sock unixs(const char *name, size_t len, uint32_t inode, uint32_t peer)
{
	struct sock s;

	memset(&s, 0, sizeof(s));
	s.proto = s.key.proto = SP_UNIX;
	s.family = s.key.family = AF_UNIX;
	s.type = SOCK_STREAM;
	s.state = SS_ESTABLISHED;
	s.has = SOCK_HAS_NAME | (peer ? SOCK_HAS_PEER : 0);
	memcpy(ut_ext(&s)->name, name, len);
	ut_ext(&s)->name_len = (uint8_t)len;
	s.inode = inode;
	s.peer_inode = peer;
	return s;
}

static bool m(const char *expr, const struct sock *s)
{
	struct filter *f = parse_ok(expr);
	bool r = filter_matches(f, s, NULL);

	filter_free(f);
	return r;
}

#define MATCH(e, s) assert_true(m((e), (s)))
#define NOMATCH(e, s) assert_false(m((e), (s)))

/* ---- operators and precedence ------------------------------------------ */

static void test_single_ops(void **state)
{
	(void)state;
	struct sock t = inet(SP_TCP, AF_INET, "127.0.0.1", 22, "127.0.0.1", 40001, SS_ESTABLISHED);

	MATCH("tcp | udp", &t);
	MATCH("tcp|udp", &t);
	MATCH("tcp & sport 22", &t);
	MATCH("tcp&sport 22", &t);
	NOMATCH("udp | raw", &t);
	NOMATCH("tcp & udp", &t);
	MATCH("( udp | tcp ) & dport geq :40000", &t);
	MATCH("sport leq 22 & dport ge 40001 & dport le 40001", &t);
	NOMATCH("sport geq 23", &t);
	MATCH("sport eq :22 & dport ne :22", &t);
	MATCH("sport gt 21 and sport lt 23", &t);
	/* word operators also after src/dst: only eq, ne, neq */
	MATCH("src eq 127.0.0.1", &t);
	NOMATCH("src ne 127.0.0.1", &t);
	MATCH("dst neq 10.0.0.1", &t);
}

static void test_mix_refused(void **state)
{
	(void)state;
	static const struct {
		const char *expr, *msg;
		unsigned column;
	} cases[] = {
		{ "tcp or udp and sport 1",
		  "filter: 'and' after 'or' at column 12 needs parentheses: write "
		  "'(tcp or udp) and sport 1' or 'tcp or (udp and sport 1)'",
		  12 },
		{ "tcp or udp sport 1",
		  "filter: 'and' after 'or' at column 12 needs parentheses: write "
		  "'(tcp or udp) sport 1' or 'tcp or (udp sport 1)'",
		  12 },
		{ "tcp | udp & raw",
		  "filter: 'and' after 'or' at column 11 needs parentheses: write "
		  "'(tcp | udp) & raw' or 'tcp | (udp & raw)'",
		  11 },
		{ "( a and b or c and d )",
		  "filter: 'and' after 'or' at column 16 needs parentheses: write "
		  "'(a and b or c) and d' or 'a and b or (c and d)'",
		  16 },
	};
	struct filter_error err;
	struct filter *f;
	char big[600];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_null(filter_parse_with(cases[i].expr, &names, &err));
		if (strcmp(err.msg, cases[i].msg))
			fail_msg("'%s': got \"%s\"", cases[i].expr, err.msg);
		assert_int_equal(err.column, cases[i].column);
	}
	/* and before or, and parenthesised forms, are fine */
	f = parse_ok("tcp and sport 1 or udp");
	filter_free(f);
	f = parse_ok("(tcp or udp) and sport 1");
	filter_free(f);
	f = parse_ok("tcp or (udp and sport 1) or raw");
	filter_free(f);
	/* a long mix shows the forms in general words, never overflows */
	snprintf(big, sizeof(big), "%0500d or tcp and udp", 0);
	assert_null(filter_parse_with(big, &names, &err));
	assert_non_null(strstr(err.msg, "'(A or B) and C' or 'A or (B and C)'"));
	/* control bytes in the operands are escaped in the message */
	assert_null(filter_parse_with("'\x1b[2J' or tcp and udp", &names, &err));
	assert_null(strchr(err.msg, '\x1b'));
	assert_non_null(strstr(err.msg, "\\x1b"));
}

/* ---- states ------------------------------------------------------------- */

static void test_state_groups(void **state)
{
	(void)state;
	static const struct {
		unsigned st;
		const char *e;
		bool want;
	} cases[] = {
		{ SS_TIME_WAIT, "state connected", true },
		{ SS_SYN_RECV, "state connected", true },
		{ SS_NEW_SYN_RECV, "state synchronized", true },
		{ SS_SYN_SENT, "state synchronized", false },
		{ SS_LISTEN, "state connected", false },
		{ SS_CLOSE, "state connected", false },
		{ SS_TIME_WAIT, "state big", false },
		{ SS_CLOSE, "state big", true },
		{ SS_SYN_RECV, "state syn-rcv", true },
		{ SS_LISTEN, "state listening state established", true },
		{ SS_ESTABLISHED, "state listening state established", true },
		{ SS_CLOSE, "state listening state established", false },
		{ SS_ESTABLISHED, "state listening & state established", false },
		{ SS_ESTABLISHED, "exclude all", false },
		{ SS_ESTABLISHED, "state all exclude all state established", true },
		{ SS_CLOSE, "exclude listening exclude established", true },
		{ SS_LISTEN, "exclude listening exclude established", false },
		{ SS_LISTEN, "state != listening", false },
		{ SS_LISTEN, "not state listening state listening", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sock s = inet(SP_TCP, AF_INET, "127.0.0.1", 1, "127.0.0.1", 2, cases[i].st);

		if (m(cases[i].e, &s) != cases[i].want)
			fail_msg("state %u: '%s' should be %s", cases[i].st, cases[i].e,
				 cases[i].want ? "true" : "false");
	}
}

/* The kernel prefilter stays a superset of the evaluator for the merged
 * states and for families it has no test for. */
static void test_kernel_superset(void **state)
{
	(void)state;
	static const char *const exprs[] = {
		"state listening state established", "exclude connected state listening",
		"not src link:*", "src netlink:* or tcp", "not ( src inet6:* )",
		"src localhost", "src != localhost:22", "dev lo", "fwmark 1", "not autobound",
		"sport = :*", "dport != :*", "cgroup /system.slice",
	};
	struct sock socks[] = {
		inet(SP_TCP, AF_INET, "127.0.0.1", 22, "127.0.0.1", 40001, SS_ESTABLISHED),
		inet(SP_TCP, AF_INET6, "::1", 8080, "::", 0, SS_LISTEN),
		inet(SP_UDP, AF_INET, "0.0.0.0", 53, "0.0.0.0", 0, SS_CLOSE),
		inet(SP_TCP, AF_INET6, "::ffff:127.0.0.1", 80, "::ffff:127.0.0.1", 45000,
		     SS_TIME_WAIT),
	};

	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct filter *f = parse_ok(exprs[i]);

		for (size_t j = 0; j < sizeof(socks) / sizeof(socks[0]); j++) {
			uint32_t states;
			void *bc = NULL;
			size_t len = 0;
			bool exact;
			int fam = socks[j].family;

			if (!filter_matches(f, &socks[j], NULL))
				continue;
			assert_true(filter_protos(f) & SP_MASK(socks[j].proto));
			assert_true(filter_families(f, socks[j].proto) &
				    (fam == AF_INET ? SF_INET : SF_INET6));
			assert_int_equal(filter_kernel_for(f, SP_MASK(socks[j].proto), fam,
							   &states, &bc, &len, &exact),
					 0);
			if (!(states & (1u << socks[j].state)))
				fail_msg("'%s': the kernel states drop state %u", exprs[i],
					 socks[j].state);
			free(bc);
		}
		filter_free(f);
	}
}

/* ---- addresses ---------------------------------------------------------- */

static void test_prefixes_and_names(void **state)
{
	(void)state;
	struct sock t4 = inet(SP_TCP, AF_INET, "127.0.0.1", 22, "127.0.0.1", 40001, SS_ESTABLISHED);
	struct sock t6 = inet(SP_TCP, AF_INET6, "::1", 8080, "::1", 45000, SS_ESTABLISHED);
	struct sock mp = inet(SP_TCP, AF_INET6, "::ffff:127.0.0.1", 80, "::ffff:127.0.0.2", 1234,
			      SS_ESTABLISHED);
	struct sock x = unixs("/run/app.sock", 13, 7000, 7001);
	struct sock ab = unixs("\0app", 4, 7002, 0);
	struct sock un = unixs("", 0, 7003, 0);

	MATCH("src inet:127.0.0.1", &t4);
	NOMATCH("src inet:127.0.0.1", &mp); /* inet: says IPv4 socket too */
	MATCH("src 127.0.0.1", &mp);
	MATCH("src inet:*", &t4);
	NOMATCH("src inet:*", &t6);
	MATCH("src inet6:*", &t6);
	MATCH("src inet6:[::1]:8080", &t6);
	NOMATCH("src inet6:[::1]:8081", &t6);
	MATCH("src inet:127.0.0.0/8:22", &t4);
	MATCH("src != inet:10.0.0.1", &t4);
	NOMATCH("src != inet:10.0.0.1", &t6);
	MATCH("src *:*", &t4);
	MATCH("src 127.0.0.1:*", &t4);
	NOMATCH("src *:*", &x);
	/* host names: every address, != none of them */
	MATCH("src localhost", &t4);
	MATCH("src localhost", &t6);
	MATCH("src localhost:22", &t4);
	NOMATCH("src localhost:23", &t4);
	NOMATCH("src inet6:localhost", &t4);
	MATCH("src inet6:localhost", &t6);
	MATCH("src inet:localhost", &t4);
	NOMATCH("src != localhost", &t4);
	NOMATCH("src != localhost", &t6);
	MATCH("src != web.example", &t4);
	NOMATCH("dst web.example", &t4);
	NOMATCH("src localhost", &x);
	/* unix: is the name as path takes it */
	MATCH("src unix:/run/*.sock", &x);
	MATCH("addr unix:/run/app.sock", &x);
	NOMATCH("src unix:/run/*.sock", &ab);
	MATCH("src unix:@app", &ab);
	NOMATCH("src unix:*", &un);
	MATCH("src unix:*", &x);
	NOMATCH("src unix:*", &t4);
	MATCH("src != unix:/x", &x);
	/* a name without "unix:", as "ss -x src /tmp/.X11-unix/..." writes it */
	MATCH("src /run/*", &x);
	MATCH("src @app", &ab);
	NOMATCH("src /run/*", &t4);
	/* a short network before a prefix length, as ss's man page has it */
	MATCH("src 127/8", &t4);
	MATCH("dst 127.0/16:40001", &t4);
	MATCH("src 127.0.0/24", &t4);
	NOMATCH("src 127.1/16", &t4);
	/* link: and netlink: select by family */
	NOMATCH("src link:*", &t4);
	NOMATCH("src netlink:*", &x);
	MATCH("not src link:", &t4);
	{
		struct sock pk = t4, nl = t4;

		pk.family = AF_PACKET;
		nl.family = AF_NETLINK;
		MATCH("src link:*", &pk);
		MATCH("src netlink:*", &nl);
		NOMATCH("src link:*", &nl);
		MATCH("dst netlink:*:*", &nl);
	}
}

static void test_dev_mark_cgroup(void **state)
{
	(void)state;
	struct sock t = inet(SP_TCP, AF_INET, "127.0.0.1", 22, "127.0.0.1", 40001, SS_ESTABLISHED);
	struct sock x = unixs("/x", 2, 7000, 0);

	t.ifindex = 1;
	MATCH("dev lo", &t);
	MATCH("dev = lo", &t);
	MATCH("dev 1", &t);
	MATCH("dev 0x1", &t);
	NOMATCH("dev eth0", &t);
	MATCH("dev != eth0", &t);
	NOMATCH("dev lo", &x);
	MATCH("dev 0", &x);

	NOMATCH("fwmark 0", &t); /* no mark reported */
	MATCH("not fwmark 0", &t);
	t.has |= SOCK_HAS_MARK;
	t.mark = 0x24;
	MATCH("fwmark 0x24", &t);
	MATCH("fwmark 36", &t);
	MATCH("fwmark 044", &t);
	MATCH("fwmark = 0x4/0x4", &t);
	MATCH("fwmark 0x20/0xf0", &t);
	NOMATCH("fwmark 0x10/0xf0", &t);
	MATCH("fwmark != 0x25", &t);
	MATCH("fwmark 0/0", &t);
	NOMATCH("fwmark 0", &x);

	NOMATCH("cgroup /system.slice", &t);
	t.has |= SOCK_HAS_CGROUP;
	t.cgroup_id = 4242;
	MATCH("cgroup /system.slice", &t);
	MATCH("cgroup system.slice", &t);
	NOMATCH("cgroup /", &t);
	MATCH("cgroup != /", &t);
	NOMATCH("cgroup /system.slice", &x);
}

static void test_autobound_peer(void **state)
{
	(void)state;
	struct sock e = inet(SP_TCP, AF_INET, "127.0.0.1", 45000, "127.0.0.1", 22, SS_ESTABLISHED);
	struct sock l = inet(SP_TCP, AF_INET, "127.0.0.1", 22, "0.0.0.0", 0, SS_LISTEN);
	struct sock a = unixs("\0" "1f3a0", 6, 7000, 0);
	struct sock a2 = unixs("\0" "1F3A0", 6, 7000, 0);
	struct sock n = unixs("\0" "abcd", 5, 7000, 0);
	struct sock un = unixs("", 0, 7000, 7001);

	MATCH("autobound", &e);
	NOMATCH("autobound", &l);
	MATCH("not autobound", &l);
	MATCH("autobound", &a);
	NOMATCH("autobound", &a2);
	NOMATCH("autobound", &n);
	NOMATCH("autobound", &un);

	MATCH("peer 7001", &un);
	MATCH("peer = :7001", &un);
	MATCH("peer > 7000", &un);
	NOMATCH("peer 7002", &un);
	NOMATCH("peer 7001", &a); /* no peer */
	NOMATCH("peer 0", &e);
}

/* ---- errors ------------------------------------------------------------- */

static void test_ss_errors(void **state)
{
	(void)state;
	static const struct {
		const char *expr, *msg;
		unsigned column;
	} cases[] = {
		{ "geq", "filter: 'geq' at column 1 is a comparison: it goes between a keyword and its value (sport geq 1024)", 1 },
		{ "tcp leq 3", "filter: 'leq' at column 5 is a comparison: it goes between a keyword and its value (sport geq 1024)", 5 },
		{ "unix:/x", "filter: 'unix:/x' at column 1 is an address: write 'src unix:/x' or 'dst unix:/x'", 1 },
		{ "src vsock:1", "filter: 'vsock:1' at column 5: sockview does not list sockets of that family", 5 },
		{ "dst unix:*", "filter: 'unix:*' at column 5: a Unix peer has no name here; select it by its inode with 'peer INODE'", 5 },
		{ "src unix:", "filter: missing pattern at column 5", 5 },
		{ "src link:eth0", "filter: 'link:eth0' at column 5: only 'link:*' (any socket of that family) is understood", 5 },
		{ "src inet6:127.0.0.1", "filter: 'inet6:127.0.0.1' at column 5 is not an IPv6 address", 5 },
		{ "src inet:[::1]", "filter: 'inet:[::1]' at column 5 is not an IPv4 address", 5 },
		{ "src nosuch.example", "filter: unknown host 'nosuch.example' at column 5", 5 },
		{ "src nosuch:22", "filter: unknown host 'nosuch' at column 5", 5 },
		{ "src localhost:nope", "filter: unknown service 'nope' at column 15", 15 },
		{ "src src", "filter: unknown host 'src' at column 5", 5 },
		{ "sport < :*", "filter: ':*' at column 9 goes only with = or !=", 9 },
		{ "src lt 1.2.3.4", "filter: unexpected 'lt' at column 5", 5 },
		{ "dev", "filter: missing interface at column 4", 4 },
		{ "dev nosuch0", "filter: unknown interface 'nosuch0' at column 5", 5 },
		{ "dev -1", "filter: unknown interface '-1' at column 5", 5 },
		{ "fwmark", "filter: missing mark at column 7", 7 },
		{ "fwmark x", "filter: bad mark 'x' at column 8 (VALUE or VALUE/MASK)", 8 },
		{ "fwmark 1/", "filter: bad mark '1/' at column 8 (VALUE or VALUE/MASK)", 8 },
		{ "fwmark 0x100000000", "filter: bad mark '0x100000000' at column 8 (VALUE or VALUE/MASK)", 8 },
		{ "fwmark < 3", "filter: unexpected '<' at column 8", 8 },
		{ "cgroup", "filter: missing cgroup at column 7", 7 },
		{ "cgroup /nosuch", "filter: unknown cgroup '/nosuch' at column 8", 8 },
		{ "peer x", "filter: bad number 'x' at column 6", 6 },
		{ "state syn_rcvd", "filter: unknown state 'syn_rcvd' at column 7", 7 },
		/* hostile bytes are escaped in the message */
		{ "dev \x1b]0;x\x07", "filter: unknown interface '\\x1b]0;x\\x07' at column 5", 5 },
		{ "src \x01host", "filter: bad address '\\x01host' at column 5", 5 },
		{ "src 127.0.1", "filter: bad address '127.0.1' at column 5", 5 },
		{ "src 127.256/16", "filter: bad address '127.256' at column 5", 5 },
		{ "dst /run/x", "filter: '/run/x' at column 5: a Unix peer has no name here; select it by its inode with 'peer INODE'", 5 },
		{ "cgroup '/a\nb'", "filter: unknown cgroup ''/a\\nb'' at column 8", 8 },
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
		for (const char *c = err.msg; *c; c++)
			assert_true((unsigned char)*c >= 0x20 && *c != 0x7f);
	}
}

/* Names are looked up once, when the filter is read, never per socket;
 * and a huge expression of ss terms stays within the limits. */
static void test_lookups_once_and_limits(void **state)
{
	(void)state;
	struct sock t = inet(SP_TCP, AF_INET, "127.0.0.1", 22, "127.0.0.1", 40001, SS_ESTABLISHED);
	struct filter *f;
	char *buf = malloc(FILTER_MAX_LEN + 1);
	size_t n = 0;

	host_calls = 0;
	f = parse_ok("src localhost or dst localhost");
	assert_int_equal(host_calls, 2);
	for (int i = 0; i < 1000; i++)
		assert_true(filter_matches(f, &t, NULL));
	assert_int_equal(host_calls, 2);
	filter_free(f);

	/* a long "or" chain of every new term */
	while (n + 80 < FILTER_MAX_LEN)
		n += (size_t)snprintf(buf + n, FILTER_MAX_LEN + 1 - n,
				      "dev lo | fwmark 1/3 | src inet:* | autobound | peer 9 | ");
	snprintf(buf + n, FILTER_MAX_LEN + 1 - n, "tcp");
	f = parse_ok(buf);
	assert_true(filter_matches(f, &t, NULL));
	filter_free(f);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_ops),
		cmocka_unit_test(test_mix_refused),
		cmocka_unit_test(test_state_groups),
		cmocka_unit_test(test_kernel_superset),
		cmocka_unit_test(test_prefixes_and_names),
		cmocka_unit_test(test_dev_mark_cgroup),
		cmocka_unit_test(test_autobound_peer),
		cmocka_unit_test(test_ss_errors),
		cmocka_unit_test(test_lookups_once_and_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
