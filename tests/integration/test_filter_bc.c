/* test_filter_bc.c - the kernel prefilter (filter_bc.h).
 *
 * Three layers of checks:
 *  1. hand-picked filters: the states bitmap, whether bytecode is made,
 *     whether it is exact, its layout;
 *  2. many generated filters and records against a model of the kernel's
 *     audit and interpreter written here from the documented semantics
 *     (linux/inet_diag.h): the kernel must pass every record the user-space
 *     evaluator keeps, and exactly those when the compiler says "exact";
 *  3. the real kernel: sockets opened here on 127.0.0.1 and ::1, dumped
 *     over sock_diag with and without the prefilter, for generated
 *     filters: the request must be accepted (the kernel audits the code)
 *     and the results must agree with user-space evaluation. */
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
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <cmocka.h>

#include "filter.h"
#include "testns.h"
#include "filter_bc.h"
#include "sock.h"
#include "utext.h"

#define BIT(n) (1u << (n))
#define ALL_STATES 0xffffffffu
#define INET_PROTOS (SP_MASK(SP_TCP) | SP_MASK(SP_UDP) | SP_MASK(SP_RAW))

static int fake_service(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "ssh") ? 22 : -1;
}

static long fake_user(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "root") ? 0 : -1;
}

/* Host names, interfaces, cgroups and the port range: fixed answers, no
 * I/O (a DNS query per input would stall the fuzzer). */
static int fake_host(const char *name, int family, struct filter_addr *out, size_t max,
		     void *ctx)
{
	(void)ctx;
	if (strcmp(name, "localhost") || max < 2)
		return -1;
	memset(out, 0, 2 * sizeof(*out));
	out[0].family = AF_INET;
	out[0].addr[0] = 127;
	out[0].addr[3] = 1;
	out[1].family = AF_INET6;
	out[1].addr[15] = 1;
	if (family == AF_INET6)
		out[0] = out[1];
	return family ? 1 : 2;
}

static long fake_ifindex(const char *name, void *ctx)
{
	(void)ctx;
	return !strcmp(name, "lo") ? 1 : -1;
}

static int fake_cgroup(const char *path, uint64_t *id, void *ctx)
{
	(void)ctx;
	*id = 1 + strlen(path);
	return path[0] == '/' ? 0 : -1;
}

static int fake_ephemeral(unsigned *lo, unsigned *hi, void *ctx)
{
	(void)ctx;
	*lo = 32768;
	*hi = 60999;
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

static uint32_t rnd(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* ---- a model of the kernel ------------------------------------------------ */

/* Checks bytecode the way the kernel's audit does: every instruction known
 * and long enough, "yes" and "no" 4-byte aligned, forward, at most 4 bytes
 * past the end, "no" landing on an instruction reached by following "yes"
 * from the start (or on the end / the reject slot), and "yes" ending
 * exactly at the end. */
static bool model_audit(const uint8_t *bc, size_t len)
{
	bool on_chain[FILTER_BC_MAX + 8] = { false };
	size_t pos = 0;

	if (len < sizeof(struct inet_diag_bc_op) || len > FILTER_BC_MAX)
		return false;
	while (pos < len) {
		on_chain[pos] = true;
		pos += bc[pos + 1] ? bc[pos + 1] : len + 8; /* yes; 0 is never valid */
	}
	if (pos != len)
		return false;
	pos = 0;
	while (pos < len) {
		struct inet_diag_bc_op op;
		size_t rest = len - pos, min = sizeof(op);

		memcpy(&op, bc + pos, sizeof(op));
		switch (op.code) {
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			struct inet_diag_hostcond hc;
			size_t alen;

			min += sizeof(hc);
			if (rest < min)
				return false;
			memcpy(&hc, bc + pos + sizeof(op), sizeof(hc));
			if (hc.family == AF_UNSPEC)
				alen = 0;
			else if (hc.family == AF_INET)
				alen = 4;
			else if (hc.family == AF_INET6)
				alen = 16;
			else
				return false;
			min += alen;
			if (rest < min || hc.prefix_len > 8 * alen)
				return false;
			break;
		}
		case INET_DIAG_BC_S_GE:
		case INET_DIAG_BC_S_LE:
		case INET_DIAG_BC_D_GE:
		case INET_DIAG_BC_D_LE:
			min += sizeof(op);
			if (rest < min)
				return false;
			break;
		case INET_DIAG_BC_JMP:
			break;
		default:
			return false; /* this compiler uses nothing else */
		}
		if (op.no < min || op.no > rest + 4 || (op.no & 3))
			return false;
		if (op.no < rest && !on_chain[pos + op.no])
			return false;
		if (op.yes < min || op.yes > rest + 4 || (op.yes & 3))
			return false;
		pos += op.yes;
	}
	return pos == len;
}

static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	for (unsigned i = 0; i < bits; i++) {
		unsigned byte = i / 8, bit = 7 - i % 8;

		if (((a[byte] >> bit) & 1) != ((b[byte] >> bit) & 1))
			return false;
	}
	return true;
}

/* Runs bytecode over one inet socket the way the kernel's interpreter does. */
static bool model_run(const uint8_t *bc, size_t len, const struct sock *s)
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	long rest = (long)len;
	size_t pos = 0;

	while (rest > 0) {
		struct inet_diag_bc_op op, arg;
		bool yes = true;

		memcpy(&op, bc + pos, sizeof(op));
		if (op.code != INET_DIAG_BC_JMP)
			memcpy(&arg, bc + pos + sizeof(op), sizeof(arg));
		else
			memset(&arg, 0, sizeof(arg));
		switch (op.code) {
		case INET_DIAG_BC_JMP:
			yes = false;
			break;
		case INET_DIAG_BC_S_GE:
			yes = s->lport >= arg.no;
			break;
		case INET_DIAG_BC_S_LE:
			yes = s->lport <= arg.no;
			break;
		case INET_DIAG_BC_D_GE:
			yes = s->rport >= arg.no;
			break;
		case INET_DIAG_BC_D_LE:
			yes = s->rport <= arg.no;
			break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			struct inet_diag_hostcond hc;
			uint8_t addr[16] = { 0 };
			bool src = op.code == INET_DIAG_BC_S_COND;
			const uint8_t *a = src ? s->laddr : s->raddr;

			memcpy(&hc, bc + pos + sizeof(op), sizeof(hc));
			memcpy(addr, bc + pos + sizeof(op) + sizeof(hc),
			       hc.family == AF_INET ? 4 : hc.family == AF_INET6 ? 16 : 0);
			if (hc.port != -1 && hc.port != (src ? s->lport : s->rport)) {
				yes = false;
				break;
			}
			if (hc.family != AF_UNSPEC && hc.family != s->family) {
				yes = s->family == AF_INET6 && hc.family == AF_INET &&
				      !memcmp(a, v4mapped, 12) && prefix_match(a + 12, addr, hc.prefix_len);
				break;
			}
			yes = hc.prefix_len == 0 || prefix_match(a, addr, hc.prefix_len);
			break;
		}
		default:
			fail_msg("unknown instruction %u", op.code);
		}
		if (yes) {
			rest -= op.yes;
			pos += op.yes;
		} else {
			rest -= op.no;
			pos += op.no;
		}
	}
	return rest == 0;
}

/* ---- 1. hand-picked filters ---------------------------------------------- */

struct kres {
	uint32_t states;
	uint8_t *bc;
	size_t len;
	bool exact;
};

static struct kres compile(const char *expr, unsigned protos, int family)
{
	struct filter *f = parse_ok(expr);
	struct kres r;
	void *bc;

	assert_int_equal(filter_kernel_for(f, protos, family, &r.states, &bc, &r.len, &r.exact), 0);
	r.bc = bc;
	if (r.bc)
		assert_true(model_audit(r.bc, r.len));
	else
		assert_int_equal(r.len, 0);
	filter_free(f);
	return r;
}

static void test_states_bitmap(void **state)
{
	(void)state;
	struct kres r;

	r = compile("state listening", INET_PROTOS, 0);
	assert_int_equal(r.states, BIT(SS_LISTEN));
	assert_null(r.bc);
	assert_true(r.exact);

	r = compile("state established or state syn-recv", INET_PROTOS, 0);
	assert_int_equal(r.states, BIT(SS_ESTABLISHED) | BIT(SS_SYN_RECV) | BIT(SS_NEW_SYN_RECV));
	assert_true(r.exact);

	/* TIME-WAIT sockets selected by state 6 may be shown as FIN-WAIT-2 */
	r = compile("state fin-wait-2", INET_PROTOS, 0);
	assert_int_equal(r.states, BIT(SS_FIN_WAIT2) | BIT(SS_TIME_WAIT));
	assert_false(r.exact);
	r = compile("state time-wait", INET_PROTOS, 0);
	assert_int_equal(r.states, BIT(SS_TIME_WAIT));
	assert_false(r.exact);

	r = compile("exclude listening", INET_PROTOS, 0);
	assert_int_equal(r.states, ALL_STATES & ~BIT(SS_LISTEN));
	assert_true(r.exact);

	/* a state term that depends on something else stays in user space */
	r = compile("state listening or sport 22", INET_PROTOS, 0);
	assert_int_equal(r.states, ALL_STATES);
	assert_null(r.bc);
	assert_false(r.exact);

	/* terms per state fold: here only sport 22 is left for the code */
	r = compile("(state listening and sport 22) or (state established and sport 22)",
		    INET_PROTOS, 0);
	assert_int_equal(r.states, BIT(SS_LISTEN) | BIT(SS_ESTABLISHED));
	assert_non_null(r.bc);
	assert_true(r.exact);
	free(r.bc);

	r = compile("tcp and state closed or unix", SP_MASK(SP_UDP), 0);
	assert_int_equal(r.states, 0);
	assert_non_null(r.bc); /* rejects everything */
	free(r.bc);

	/* the generic variant's states also serve Unix requests */
	{
		struct filter *f = parse_ok("state listening or unix");
		uint32_t st;
		void *bc;
		size_t len;

		assert_int_equal(filter_kernel(f, &st, &bc, &len), 0);
		assert_int_equal(st, ALL_STATES);
		filter_free(f);
		free(bc);
		f = parse_ok("state listening and (tcp or unix)");
		assert_int_equal(filter_kernel(f, &st, &bc, &len), 0);
		assert_int_equal(st, BIT(SS_LISTEN));
		assert_null(bc);
		filter_free(f);
	}
}

static void test_bytecode_shapes(void **state)
{
	(void)state;
	struct kres r;
	struct inet_diag_bc_op op[4];

	/* sport = 22: S_GE 22 then S_LE 22, each rejecting on failure */
	r = compile("sport = 22", INET_PROTOS, 0);
	assert_true(r.exact);
	assert_int_equal(r.len, 16);
	memcpy(op, r.bc, sizeof(op));
	assert_int_equal(op[0].code, INET_DIAG_BC_S_GE);
	assert_int_equal(op[0].yes, 8);
	assert_int_equal(op[0].no, 16 + 4);
	assert_int_equal(op[1].no, 22);
	assert_int_equal(op[2].code, INET_DIAG_BC_S_LE);
	assert_int_equal(op[2].yes, 8);
	assert_int_equal(op[2].no, 8 + 4);
	assert_int_equal(op[3].no, 22);
	free(r.bc);

	/* nothing can match: one jump to the reject slot */
	r = compile("unix", INET_PROTOS, 0);
	assert_int_equal(r.len, 4);
	memcpy(op, r.bc, 4);
	assert_int_equal(op[0].code, INET_DIAG_BC_JMP);
	assert_int_equal(op[0].no, 8);
	assert_true(r.exact);
	free(r.bc);

	/* src 127.0.0.0/8: one host condition */
	r = compile("src 127.0.0.0/8", INET_PROTOS, 0);
	assert_int_equal(r.len, sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + 4);
	assert_int_equal(r.bc[0], INET_DIAG_BC_S_COND);
	{
		struct inet_diag_hostcond hc;

		memcpy(&hc, r.bc + 4, sizeof(hc));
		assert_int_equal(hc.family, AF_INET);
		assert_int_equal(hc.prefix_len, 8);
		assert_int_equal(hc.port, -1);
		assert_int_equal(r.bc[12], 127);
	}
	free(r.bc);

	/* what the kernel cannot see: no code; the rest is kept */
	r = compile("comm nginx", INET_PROTOS, 0);
	assert_null(r.bc);
	assert_int_equal(r.states, ALL_STATES);
	assert_false(r.exact);
	r = compile("not comm nginx and dport 80", INET_PROTOS, 0);
	assert_non_null(r.bc);
	assert_false(r.exact);
	free(r.bc);
	r = compile("user root or dport 80", INET_PROTOS, 0);
	assert_null(r.bc);
	assert_false(r.exact);

	/* protocol and family fold when the request tells them */
	r = compile("tcp and sport 1 or (udp and sport 2)", SP_MASK(SP_UDP), AF_INET);
	assert_true(r.exact);
	assert_int_equal(r.len, 16);
	free(r.bc);
	r = compile("tcp", INET_PROTOS, 0);
	assert_null(r.bc);
	assert_false(r.exact);
	r = compile("tcp", SP_MASK(SP_TCP), AF_INET6);
	assert_null(r.bc);
	assert_true(r.exact);
	/* families are expressible even when the request covers both */
	r = compile("inet6", INET_PROTOS, 0);
	assert_non_null(r.bc);
	assert_true(r.exact);
	free(r.bc);

	/* no filter, empty filter */
	{
		uint32_t st;
		void *bc;
		size_t len;
		bool exact;

		assert_int_equal(filter_kernel_for(NULL, INET_PROTOS, 0, &st, &bc, &len, &exact), 0);
		assert_int_equal(st, ALL_STATES);
		assert_null(bc);
		assert_true(exact);
	}
	r = compile("", INET_PROTOS, 0);
	assert_int_equal(r.states, ALL_STATES);
	assert_null(r.bc);
	assert_true(r.exact);
	/* a Unix request gets states only */
	r = compile("path /x and state listening", SP_MASK(SP_UNIX), AF_UNIX);
	assert_int_equal(r.states, BIT(SS_LISTEN));
	assert_null(r.bc);
}

static void test_too_big(void **state)
{
	(void)state;
	char *buf = malloc(FILTER_MAX_LEN + 1);
	size_t n = 0;
	struct kres r;

	while (n + 40 < FILTER_MAX_LEN)
		n += (size_t)snprintf(buf + n, FILTER_MAX_LEN - n, "%ssrc [::%zx]", n ? " or " : "",
				      n);
	r = compile(buf, INET_PROTOS, 0);
	assert_null(r.bc);
	assert_false(r.exact);
	free(buf);
}

/* ---- generated filters ---------------------------------------------------- */

struct gen_pools {
	const unsigned *ports;
	size_t nports;
	const char *const *hosts;
	size_t nhosts;
	bool inexpressible; /* also use terms the kernel cannot check */
};

static void put(char *buf, size_t cap, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(buf + *n, cap - *n, fmt, ap);
	va_end(ap);
	assert_true(w >= 0 && (size_t)w < cap - *n);
	*n += (size_t)w;
}

static void gen_leaf(uint32_t *rs, const struct gen_pools *pl, char *buf, size_t cap, size_t *n)
{
	static const char *const ops[] = { "=", "!=", "<", "<=", ">", ">=", "", "ge", "lt" };
	static const char *const states[] = { "listening", "established", "connected", "closed",
					      "time-wait", "syn-recv", "bucket", "big",
					      "synchronized", "fin-wait-2", "unconn", "all" };
	static const char *const protos[] = { "tcp", "udp", "inet", "inet6", "unix", "raw" };
	static const char *const others[] = { "pid 1", "user root", "comm x", "inode 5",
					      "path /x", "127.0.0", "uid 0" };
	unsigned k = rnd(rs) % (pl->inexpressible ? 7 : 6);
	unsigned port = pl->ports[rnd(rs) % pl->nports];

	/* ports near the interesting ones exercise the comparisons' edges */
	port = (unsigned)((int)port + (int)(rnd(rs) % 3) - 1);
	if (port > 65535)
		port = 0;
	switch (k) {
	case 0:
	case 1: {
		static const char *const fields[] = { "sport", "dport", "port" };

		put(buf, cap, n, "%s %s %u", fields[rnd(rs) % 3], ops[rnd(rs) % 9], port);
		break;
	}
	case 2:
	case 3: {
		static const char *const sides[] = { "src", "dst", "addr" };
		static const char *const hops[] = { "", "=", "!=" };
		const char *h = pl->hosts[rnd(rs) % pl->nhosts];

		put(buf, cap, n, "%s %s %s", sides[rnd(rs) % 3], hops[rnd(rs) % 3], h);
		break;
	}
	case 4:
		put(buf, cap, n, "state %s", states[rnd(rs) % 12]);
		break;
	case 5:
		put(buf, cap, n, "%s", protos[rnd(rs) % 6]);
		break;
	default:
		put(buf, cap, n, "%s", others[rnd(rs) % 7]);
		break;
	}
}

static void gen_expr(uint32_t *rs, const struct gen_pools *pl, int depth, char *buf, size_t cap,
		     size_t *n)
{
	unsigned k = depth >= 4 ? 0 : rnd(rs) % 6;

	switch (k) {
	case 0:
	case 1:
		gen_leaf(rs, pl, buf, cap, n);
		break;
	case 2:
		put(buf, cap, n, "not ");
		gen_expr(rs, pl, depth + 1, buf, cap, n);
		break;
	default: {
		static const char *const joins[] = { " and ", " or ", " ", " && ", " || " };

		put(buf, cap, n, "(");
		gen_expr(rs, pl, depth + 1, buf, cap, n);
		put(buf, cap, n, "%s", joins[rnd(rs) % 5]);
		gen_expr(rs, pl, depth + 1, buf, cap, n);
		put(buf, cap, n, ")");
		break;
	}
	}
}

/* ---- 2. against the model ------------------------------------------------ */

struct mrec {
	struct sock s;
	unsigned sel; /* the state the kernel selects by (s.state is reported) */
};

static void make_record(uint32_t *rs, const unsigned *ports, size_t nports, struct mrec *r)
{
	static const char *const v4[] = { "127.0.0.1", "127.0.0.2", "10.1.2.3", "0.0.0.0",
					  "192.168.1.1" };
	static const char *const v6[] = { "::1", "::", "2001:db8::1", "fe80::1",
					  "::ffff:127.0.0.1", "::ffff:10.1.2.3" };
	static const unsigned st[] = { SS_ESTABLISHED, SS_SYN_SENT, SS_SYN_RECV, SS_FIN_WAIT1,
				       SS_FIN_WAIT2, SS_TIME_WAIT, SS_CLOSE, SS_CLOSE_WAIT,
				       SS_LAST_ACK, SS_LISTEN, SS_CLOSING };
	struct sock *s = &r->s;
	unsigned kind = rnd(rs) % 5;

	memset(r, 0, sizeof(*r));
	if (kind == 4) {
		s->proto = s->key.proto = SP_UNIX;
		s->family = s->key.family = AF_UNIX;
		s->type = SOCK_STREAM;
		ut_ext(s)->name_len = 2;
		memcpy(ut_ext(s)->name, "/x", 2);
	} else {
		s->proto = s->key.proto = kind & 1 ? SP_UDP : SP_TCP;
		s->family = s->key.family = kind & 2 ? AF_INET6 : AF_INET;
		if (s->family == AF_INET) {
			inet_pton(AF_INET, v4[rnd(rs) % 5], s->laddr);
			inet_pton(AF_INET, v4[rnd(rs) % 5], s->raddr);
		} else {
			inet_pton(AF_INET6, v6[rnd(rs) % 6], s->laddr);
			inet_pton(AF_INET6, v6[rnd(rs) % 6], s->raddr);
		}
		s->lport = (uint16_t)(ports[rnd(rs) % nports] + rnd(rs) % 3 - 1);
		s->rport = (uint16_t)(ports[rnd(rs) % nports] + rnd(rs) % 3 - 1);
	}
	r->sel = st[rnd(rs) % (sizeof(st) / sizeof(st[0]))];
	s->state = (uint8_t)r->sel;
	/* the kernel shows a TIME-WAIT socket in its sub-state */
	if (r->sel == SS_TIME_WAIT && rnd(rs) % 2)
		s->state = SS_FIN_WAIT2;
	/* request sockets are selected as NEW_SYN_RECV, shown as SYN-RECV */
	if (r->sel == SS_SYN_RECV && rnd(rs) % 2)
		r->sel = SS_NEW_SYN_RECV;
	s->has = SOCK_HAS_UID;
	s->uid = rnd(rs) % 2;
	s->inode = rnd(rs) % 8;
}

static bool kernel_passes(const struct mrec *r, uint32_t states, const uint8_t *bc, size_t len)
{
	if (!(states & BIT(r->sel)))
		return false;
	if (r->s.family == AF_UNIX || !bc)
		return true;
	return model_run(bc, len, &r->s);
}

static void test_model_agreement(void **state)
{
	(void)state;
	static const unsigned ports[] = { 0, 1, 22, 80, 443, 1024, 40000, 65535 };
	static const char *const hosts[] = {
		"127.0.0.1", "127.0.0.0/8", "127.0.0.1:22", "10.0.0.0/8", "0.0.0.0/0",
		"[::1]", "::1", "::/0", "[::1]:80", "::ffff:127.0.0.1", "2001:db8::/32",
		"[::ffff:0:0/96]", "*:443", ":1024", "*", "10.1.2.3/31:40000", "127.0.0.0/1",
		"[fe80::]/10:0", "192.168.0.0/16", "0.0.0.0",
	};
	const struct gen_pools pl = { ports, 8, hosts, sizeof(hosts) / sizeof(hosts[0]), true };
	static const struct {
		unsigned protos;
		int family;
	} reqs[] = {
		{ SP_MASK_ALL, 0 },         { INET_PROTOS, 0 },          { SP_MASK(SP_TCP), AF_INET },
		{ SP_MASK(SP_TCP), AF_INET6 }, { SP_MASK(SP_UDP), AF_INET }, { SP_MASK(SP_UNIX), AF_UNIX },
	};
	enum { NEXPR = 2500, NREC = 120 };
	struct mrec *recs = calloc(NREC, sizeof(*recs));
	uint32_t rs = 0x5eed1234;
	size_t with_code = 0, exact_count = 0, rejected = 0, total = 0;

	for (size_t i = 0; i < NREC; i++)
		make_record(&rs, ports, 8, &recs[i]);
	for (int e = 0; e < NEXPR; e++) {
		char text[2048];
		size_t n = 0;
		struct filter *f;

		gen_expr(&rs, &pl, 0, text, sizeof(text), &n);
		f = parse_ok(text);
		for (size_t q = 0; q < sizeof(reqs) / sizeof(reqs[0]); q++) {
			uint32_t states;
			void *bc;
			size_t len;
			bool exact;

			assert_int_equal(filter_kernel_for(f, reqs[q].protos, reqs[q].family, &states,
							   &bc, &len, &exact), 0);
			if (bc && !model_audit(bc, len))
				fail_msg("'%s': bytecode fails the audit", text);
			with_code += bc != NULL;
			exact_count += exact;
			for (size_t i = 0; i < NREC; i++) {
				const struct mrec *r = &recs[i];
				bool user, kern;

				if (!(reqs[q].protos & SP_MASK(r->s.proto)) ||
				    (reqs[q].family && reqs[q].family != r->s.family))
					continue;
				user = filter_matches(f, &r->s, NULL);
				kern = kernel_passes(r, states, bc, len);
				total++;
				rejected += !kern;
				if (user && !kern)
					fail_msg("'%s' (request %zu): the kernel would drop record %zu "
						 "that the filter keeps", text, q, i);
				if (exact && kern != user)
					fail_msg("'%s' (request %zu): said exact, but record %zu: "
						 "kernel %d, user %d", text, q, i, kern, user);
			}
			free(bc);
		}
		filter_free(f);
	}
	/* the generator must exercise the compiler, not only its fallbacks */
	assert_true(with_code > NEXPR);
	assert_true(exact_count > NEXPR);
	assert_true(rejected > total / 4);
	free(recs);
}

/* ---- 3. against the real kernel ------------------------------------------ */

#define MAX_RECS 4096

struct kdump {
	struct sock *recs;
	size_t n;
	const uint16_t *ours; /* ports that make a socket ours */
	size_t nours;
};

static bool is_ours(const struct kdump *d, unsigned lport, unsigned rport)
{
	for (size_t i = 0; i < d->nours; i++)
		if (d->ours[i] == lport || d->ours[i] == rport)
			return true;
	return false;
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct kdump *d = data;
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct sock *s;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return MNL_CB_OK;
	if (!is_ours(d, ntohs(m->id.idiag_sport), ntohs(m->id.idiag_dport)))
		return MNL_CB_OK;
	assert_true(d->n < MAX_RECS);
	s = &d->recs[d->n++];
	memset(s, 0, sizeof(*s));
	s->family = s->key.family = m->idiag_family;
	s->state = m->idiag_state;
	s->lport = ntohs(m->id.idiag_sport);
	s->rport = ntohs(m->id.idiag_dport);
	memcpy(s->laddr, m->id.idiag_src, s->family == AF_INET ? 4 : 16);
	memcpy(s->raddr, m->id.idiag_dst, s->family == AF_INET ? 4 : 16);
	s->uid = m->idiag_uid;
	s->inode = s->key.inode = m->idiag_inode;
	s->cookie = s->key.cookie =
		(uint64_t)m->id.idiag_cookie[0] | (uint64_t)m->id.idiag_cookie[1] << 32;
	s->has = SOCK_HAS_UID;
	return MNL_CB_OK;
}

/* One sock_diag dump of proto/family with the given prefilter. Returns 0
 * or -1 with errno (EINVAL: the kernel refused the bytecode). */
static int kernel_dump(struct mnl_socket *nl, unsigned proto, int family, uint32_t states,
		       const void *bc, size_t len, struct kdump *d)
{
	static uint32_t seq = 1000;
	char buf[65536];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_v2 *req;
	unsigned portid = mnl_socket_get_portid(nl);
	int ret;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = proto == SP_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	req->idiag_states = states;
	if (bc)
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, len, bc);
	d->n = 0;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (int guard = 0; guard < 100000; guard++) {
		struct pollfd pfd = { mnl_socket_get_fd(nl), POLLIN, 0 };

		if (poll(&pfd, 1, 5000) != 1) {
			errno = ETIMEDOUT;
			return -1;
		}
		ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret < 0)
			return -1;
		ret = mnl_cb_run(buf, (size_t)ret, seq, portid, dump_cb, d);
		if (ret <= MNL_CB_STOP)
			return ret < 0 ? -1 : 0;
	}
	errno = EIO;
	return -1;
}

static socklen_t loop_addr(int family, unsigned port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		a->sin6_addr = in6addr_loopback;
		return sizeof(*a);
	}
}

static unsigned local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	return ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
				       : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A socket bound to loopback (or to :: dual-stack with any) on a free port. */
static int bound(int family, int type, bool any)
{
	struct sockaddr_storage ss;
	socklen_t len = loop_addr(family, 0, &ss);
	int fd = socket(family, type | SOCK_CLOEXEC, 0);
	int off = 0;

	assert_true(fd >= 0);
	if (any) {
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_any;
		assert_int_equal(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)), 0);
	}
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, len), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 8), 0);
	return fd;
}

static int connected(int family, int type, unsigned port)
{
	struct sockaddr_storage ss;
	socklen_t len = loop_addr(family, port, &ss);
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&ss, len), 0);
	return fd;
}

static void pause_ms(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool same_set(const struct kdump *a, const bool *keep_a, const struct kdump *b)
{
	size_t na = 0;

	for (size_t i = 0; i < a->n; i++) {
		bool found = false;

		if (keep_a && !keep_a[i])
			continue;
		na++;
		for (size_t j = 0; j < b->n && !found; j++)
			found = a->recs[i].cookie == b->recs[j].cookie;
		if (!found)
			return false;
	}
	return na == b->n;
}

static void test_real_kernel(void **state)
{
	(void)state;
	struct mnl_socket *nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	int fds[32], nfd = 0;
	uint16_t ours[8];
	size_t nours = 0;
	unsigned ports[32];
	size_t nports = 0;
	int lis4, lis6, dual, tw_srv, tw_cli;
	struct kdump full[4], got;
	static const struct {
		unsigned proto;
		int family;
	} reqs[4] = {
		{ SP_TCP, AF_INET }, { SP_TCP, AF_INET6 }, { SP_UDP, AF_INET }, { SP_UDP, AF_INET6 },
	};
	uint32_t rs = 0xfeedbeef;
	size_t checked = 0, narrowed = 0;
	int64_t deadline;

	assert_non_null(nl);
	assert_int_equal(mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID), 0);

	/* listeners, connections in both families, a dual-stack listener
	 * reached over IPv4 (v4-mapped addresses), UDP bound and connected */
	lis4 = fds[nfd++] = bound(AF_INET, SOCK_STREAM, false);
	lis6 = fds[nfd++] = bound(AF_INET6, SOCK_STREAM, false);
	dual = fds[nfd++] = bound(AF_INET6, SOCK_STREAM, true);
	ours[nours++] = (uint16_t)local_port(lis4);
	ours[nours++] = (uint16_t)local_port(lis6);
	ours[nours++] = (uint16_t)local_port(dual);
	fds[nfd++] = connected(AF_INET, SOCK_STREAM, local_port(lis4));
	fds[nfd++] = accept(lis4, NULL, NULL);
	fds[nfd++] = connected(AF_INET6, SOCK_STREAM, local_port(lis6));
	fds[nfd++] = accept(lis6, NULL, NULL);
	fds[nfd++] = connected(AF_INET, SOCK_STREAM, local_port(dual));
	fds[nfd++] = accept(dual, NULL, NULL);
	fds[nfd] = bound(AF_INET, SOCK_DGRAM, false);
	ours[nours++] = (uint16_t)local_port(fds[nfd]);
	fds[nfd + 1] = connected(AF_INET, SOCK_DGRAM, local_port(fds[nfd]));
	nfd += 2;
	fds[nfd] = bound(AF_INET6, SOCK_DGRAM, false);
	ours[nours++] = (uint16_t)local_port(fds[nfd]);
	nfd++;
	for (int i = 0; i < nfd; i++)
		assert_true(fds[i] >= 0);
	/* a TIME-WAIT socket: the client closes first */
	tw_cli = connected(AF_INET, SOCK_STREAM, local_port(lis4));
	tw_srv = accept(lis4, NULL, NULL);
	assert_true(tw_srv >= 0);
	ports[nports++] = local_port(tw_cli);
	close(tw_cli);
	close(tw_srv);

	for (size_t i = 0; i < nours; i++)
		ports[nports++] = ours[i];
	for (int i = 0; i < nfd && nports < sizeof(ports) / sizeof(ports[0]); i++)
		ports[nports++] = local_port(fds[i]);

	for (int q = 0; q < 4; q++) {
		full[q].recs = calloc(MAX_RECS, sizeof(struct sock));
		full[q].ours = ours;
		full[q].nours = nours;
	}
	got.recs = calloc(MAX_RECS, sizeof(struct sock));
	got.ours = ours;
	got.nours = nours;

	/* wait (bounded) until the closed pair has settled into TIME-WAIT */
	deadline = now_ms() + 10000;
	for (;;) {
		bool tw = false, busy = false;

		assert_int_equal(kernel_dump(nl, SP_TCP, AF_INET, ALL_STATES, NULL, 0, &full[0]), 0);
		for (size_t i = 0; i < full[0].n; i++) {
			unsigned st = full[0].recs[i].state;

			tw |= st == SS_TIME_WAIT;
			busy |= st == SS_FIN_WAIT1 || st == SS_FIN_WAIT2 || st == SS_LAST_ACK ||
				st == SS_CLOSE_WAIT || st == SS_CLOSING;
		}
		if (tw && !busy)
			break;
		if (now_ms() > deadline)
			fail_msg("the closed connection did not reach TIME-WAIT");
		pause_ms(20);
	}
	for (int q = 0; q < 4; q++) {
		struct sock *r = full[q].recs;

		assert_int_equal(kernel_dump(nl, reqs[q].proto, reqs[q].family, ALL_STATES, NULL, 0,
					     &full[q]), 0);
		for (size_t i = 0; i < full[q].n; i++)
			r[i].proto = r[i].key.proto = (uint8_t)reqs[q].proto;
	}
	/* everything opened above is seen */
	assert_int_equal(full[0].n, 1 + 2 + 1 + 1); /* lis4, pair, client of dual, TW */
	assert_int_equal(full[1].n, 1 + 2 + 2);           /* lis6, pair, dual, accepted mapped */
	assert_int_equal(full[2].n, 2);
	assert_int_equal(full[3].n, 1);

	{
		char hosts_buf[16][64];
		const char *hosts[24];
		size_t nh = 0;
		struct gen_pools pl;
		static const char *const fixed[] = {
			"127.0.0.1", "127.0.0.0/8", "0.0.0.0/0", "::1", "[::1]", "::/0",
			"::ffff:127.0.0.1", "[::ffff:0:0]/96", "10.0.0.0/8", "*", "127.0.0.2/31",
		};

		for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
			hosts[nh++] = fixed[i];
		for (size_t i = 0; i < nours && nh < 24; i++) {
			snprintf(hosts_buf[i], sizeof(hosts_buf[i]), i % 2 ? "[::1]:%u" :
				 "127.0.0.1:%u", ours[i]);
			hosts[nh++] = hosts_buf[i];
		}
		pl.ports = ports;
		pl.nports = nports;
		pl.hosts = hosts;
		pl.nhosts = nh;
		pl.inexpressible = true;

		for (int e = 0; e < 150; e++) {
			char text[2048];
			size_t n = 0;
			struct filter *f;

			gen_expr(&rs, &pl, 1, text, sizeof(text), &n);
			f = parse_ok(text);
			for (int q = 0; q < 4; q++) {
				bool keep[MAX_RECS];
				uint32_t states;
				void *bc;
				size_t len;
				bool exact;

				for (size_t i = 0; i < full[q].n; i++)
					keep[i] = filter_matches(f, &full[q].recs[i], NULL);
				assert_int_equal(filter_kernel_for(f, SP_MASK(reqs[q].proto),
								   reqs[q].family, &states, &bc,
								   &len, &exact), 0);
				if (kernel_dump(nl, reqs[q].proto, reqs[q].family, states, bc, len,
						&got) < 0)
					fail_msg("'%s': the kernel refused the request: %s", text,
						 strerror(errno));
				for (size_t i = 0; i < got.n; i++)
					got.recs[i].proto = (uint8_t)reqs[q].proto;
				/* superset: everything the filter keeps came back */
				for (size_t i = 0; i < full[q].n; i++) {
					bool found = false;

					for (size_t j = 0; j < got.n && !found; j++)
						found = got.recs[j].cookie == full[q].recs[i].cookie;
					if (keep[i] && !found)
						fail_msg("'%s' (%u/%d): the kernel dropped a socket "
							 "the filter keeps", text, reqs[q].proto,
							 reqs[q].family);
				}
				/* identical after user-space filtering */
				{
					size_t kept = 0, want = 0;

					for (size_t i = 0; i < got.n; i++)
						kept += filter_matches(f, &got.recs[i], NULL);
					for (size_t i = 0; i < full[q].n; i++)
						want += keep[i];
					assert_int_equal(kept, want);
				}
				if (exact && !same_set(&full[q], keep, &got))
					fail_msg("'%s' (%u/%d): said exact, but the kernel sent %zu "
						 "sockets", text, reqs[q].proto, reqs[q].family,
						 got.n);
				narrowed += got.n < full[q].n;
				checked++;
				free(bc);

				/* the generic prefilter (one for every request) too */
				assert_int_equal(filter_kernel(f, &states, &bc, &len), 0);
				if (kernel_dump(nl, reqs[q].proto, reqs[q].family, states, bc, len,
						&got) < 0)
					fail_msg("'%s': the kernel refused the generic request: %s",
						 text, strerror(errno));
				for (size_t i = 0; i < full[q].n; i++) {
					bool found = false;

					for (size_t j = 0; j < got.n && !found; j++)
						found = got.recs[j].cookie == full[q].recs[i].cookie;
					if (keep[i] && !found)
						fail_msg("'%s' (%u/%d): the generic prefilter dropped "
							 "a socket the filter keeps", text,
							 reqs[q].proto, reqs[q].family);
				}
				free(bc);
			}
			filter_free(f);
		}
	}
	/* the kernel really filtered in a good share of the requests */
	assert_true(narrowed > checked / 4);

	for (int i = 0; i < nfd; i++)
		close(fds[i]);
	for (int q = 0; q < 4; q++)
		free(full[q].recs);
	free(got.recs);
	mnl_socket_close(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states_bitmap),
		cmocka_unit_test(test_bytecode_shapes),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_model_agreement),
		cmocka_unit_test(test_real_kernel),
	};

	/* The real-kernel test counts sockets by port: other tests' sockets
	 * (TIME-WAIT left on a port we reuse) must not be seen. */
	if (testns_enter() < 0) {
		perror("test_filter_bc: cannot make a private network namespace");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
