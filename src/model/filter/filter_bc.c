/* filter_bc.c - compiles a filter into the kernel's inet_diag bytecode.
 *
 * Two steps. First the filter is approximated by an expression over what
 * the kernel can test (port comparisons and address conditions), folding
 * what the request already tells (protocol, family, possible states) into
 * constants. Every other term becomes TRUE where it appears positively and
 * FALSE under an odd number of "not": the result is a superset of the
 * filter. Then the expression is laid out as bytecode.
 *
 * Bytecode semantics (linux/inet_diag.h): each instruction is a test with a
 * "yes" and a "no" offset, both forward. The audit requires "yes" to be the
 * instruction's own length (the audit walks the program along it), so the
 * only real branch is "no"; an unconditional jump is a JMP instruction,
 * which always takes "no". The program accepts a socket when control
 * reaches exactly its end, and rejects it when control jumps 4 bytes past
 * the end. The code is generated back to front, so every jump target is
 * already placed when a jump to it is written. */
#include "config.h"

#include <linux/inet_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "filter_ast.h"
#include "filter_bc.h"
#include "sock.h"
#include "xalloc.h"

#define BIT(n) (1u << (n))
#define INET_PROTOS (SP_MASK(SP_TCP) | SP_MASK(SP_UDP) | SP_MASK(SP_RAW) | SP_MASK(SP_MPTCP))
/* TCP_BOUND_INACTIVE: bound, not listening TCP sockets, dumped by newer
 * kernels only when this bit is asked for; they are reported as closed. */
#define STATE_BOUND_INACTIVE 13

enum kx_kind {
	KX_TRUE,
	KX_FALSE,
	KX_AND,
	KX_OR,
	KX_NOT,
	KX_PORT, /* code S_GE/S_LE/D_GE/D_LE with port */
	KX_HOST, /* code S_COND/D_COND with host */
};

struct kx {
	uint8_t kind;
	uint8_t code;
	uint16_t port;
	struct fhost host;
	uint32_t child, next;
};

struct kbuild {
	const struct filter *f;
	struct fknown k;
	struct kx *v;
	size_t n, cap;
	bool approx; /* some term had to be replaced by a constant */
};

static uint32_t kx_new(struct kbuild *b, enum kx_kind kind)
{
	struct kx *x;

	xgrow((void **)&b->v, &b->cap, b->n + 1, sizeof(*b->v));
	x = &b->v[b->n];
	memset(x, 0, sizeof(*x));
	x->kind = (uint8_t)kind;
	x->child = FN_NONE;
	x->next = FN_NONE;
	return (uint32_t)b->n++;
}

static uint32_t kx_const(struct kbuild *b, bool v)
{
	return kx_new(b, v ? KX_TRUE : KX_FALSE);
}

static uint32_t kx_not(struct kbuild *b, uint32_t c)
{
	uint32_t n;

	switch (b->v[c].kind) {
	case KX_TRUE:
		return kx_const(b, false);
	case KX_FALSE:
		return kx_const(b, true);
	case KX_NOT:
		return b->v[c].child;
	default:
		n = kx_new(b, KX_NOT);
		b->v[n].child = c;
		return n;
	}
}

/* Builds an AND/OR list with constants folded away. */
struct kx_list {
	enum kx_kind kind;
	uint32_t head, tail;
	size_t count;
	bool decided; /* an absorbing constant was added */
};

static void list_init(struct kx_list *l, enum kx_kind kind)
{
	l->kind = kind;
	l->head = l->tail = FN_NONE;
	l->count = 0;
	l->decided = false;
}

static void list_add(struct kbuild *b, struct kx_list *l, uint32_t c)
{
	uint8_t k = b->v[c].kind;
	uint8_t neutral = l->kind == KX_AND ? KX_TRUE : KX_FALSE;

	if (l->decided || k == neutral)
		return;
	if (k == KX_TRUE || k == KX_FALSE) {
		l->decided = true;
		return;
	}
	b->v[c].next = FN_NONE;
	if (l->head == FN_NONE)
		l->head = c;
	else
		b->v[l->tail].next = c;
	l->tail = c;
	l->count++;
}

static uint32_t list_end(struct kbuild *b, struct kx_list *l)
{
	uint32_t n;

	if (l->decided)
		return kx_const(b, l->kind == KX_OR);
	if (l->count == 0)
		return kx_const(b, l->kind == KX_AND);
	if (l->count == 1)
		return l->head;
	n = kx_new(b, l->kind);
	b->v[n].child = l->head;
	return n;
}

static uint32_t kx_pair(struct kbuild *b, enum kx_kind kind, uint32_t x, uint32_t y)
{
	struct kx_list l;

	list_init(&l, kind);
	list_add(b, &l, x);
	list_add(b, &l, y);
	return list_end(b, &l);
}

static uint32_t kx_port(struct kbuild *b, uint8_t code, uint32_t port)
{
	uint32_t n = kx_new(b, KX_PORT);

	b->v[n].code = code;
	b->v[n].port = (uint16_t)port;
	return n;
}

/* One side's port compared with p, exactly (the kernel dumps only inet
 * sockets, which all have ports). */
static uint32_t port_cmp(struct kbuild *b, bool peer, unsigned cmp, uint32_t p)
{
	uint8_t ge = peer ? INET_DIAG_BC_D_GE : INET_DIAG_BC_S_GE;
	uint8_t le = peer ? INET_DIAG_BC_D_LE : INET_DIAG_BC_S_LE;

	switch (cmp) {
	case FC_EQ:
		return kx_pair(b, KX_AND, kx_port(b, ge, p), kx_port(b, le, p));
	case FC_NE:
		return kx_not(b, kx_pair(b, KX_AND, kx_port(b, ge, p), kx_port(b, le, p)));
	case FC_LT:
		return p == 0 ? kx_const(b, false) : kx_port(b, le, p - 1);
	case FC_LE:
		return kx_port(b, le, p);
	case FC_GT:
		return p >= 65535 ? kx_const(b, false) : kx_port(b, ge, p + 1);
	case FC_GE:
	default:
		return kx_port(b, ge, p);
	}
}

static uint32_t kx_host(struct kbuild *b, bool peer, const struct fhost *h)
{
	uint32_t n = kx_new(b, KX_HOST);

	b->v[n].code = peer ? INET_DIAG_BC_D_COND : INET_DIAG_BC_S_COND;
	b->v[n].host = *h;
	return n;
}

/* Approximates node i: from above when positive, from below otherwise. */
static uint32_t build(struct kbuild *b, uint32_t i, bool positive)
{
	const struct fnode *nd = &b->f->nodes[i];
	struct kx_list l;
	enum ftv r;

	switch (nd->kind) {
	case FN_ALL:
		return kx_const(b, true);
	case FN_AND:
	case FN_OR:
		list_init(&l, nd->kind == FN_AND ? KX_AND : KX_OR);
		for (uint32_t c = nd->child; c != FN_NONE; c = b->f->nodes[c].next)
			list_add(b, &l, build(b, c, positive));
		return list_end(b, &l);
	case FN_NOT:
		return kx_not(b, build(b, nd->child, !positive));
	default:
		break;
	}
	r = filter_eval3(b->f, i, &b->k);
	if (r != FTV_MAYBE)
		return kx_const(b, r == FTV_TRUE);
	switch (nd->kind) {
	case FN_NUM:
		switch (nd->field) {
		case FLD_SPORT:
			return port_cmp(b, false, nd->cmp, nd->u.num);
		case FLD_DPORT:
			return port_cmp(b, true, nd->cmp, nd->u.num);
		case FLD_PORT:
			/* "port != N": neither side is N; otherwise either side. */
			return kx_pair(b, nd->cmp == FC_NE ? KX_AND : KX_OR,
				       port_cmp(b, false, nd->cmp, nd->u.num),
				       port_cmp(b, true, nd->cmp, nd->u.num));
		default:
			break;
		}
		break;
	case FN_HOST: {
		uint32_t x;

		if (nd->u.host.side == FS_SRC)
			x = kx_host(b, false, &nd->u.host);
		else if (nd->u.host.side == FS_DST)
			x = kx_host(b, true, &nd->u.host);
		else
			x = kx_pair(b, KX_OR, kx_host(b, false, &nd->u.host),
				    kx_host(b, true, &nd->u.host));
		return nd->cmp == FC_NE ? kx_not(b, x) : x;
	}
	case FN_FAMILY: {
		if (nd->u.family != AF_INET && nd->u.family != AF_INET6)
			break; /* no kernel test for other families */
		/* An IPv6 condition with prefix 0 holds for exactly the IPv6
		 * sockets (an IPv4 socket never meets an IPv6 condition). */
		struct fhost h = { FS_SRC, AF_INET6, 0, -1, { 0 } };
		uint32_t x = kx_host(b, false, &h);

		return nd->u.family == AF_INET6 ? x : kx_not(b, x);
	}
	default:
		break;
	}
	b->approx = true;
	return kx_const(b, positive);
}

/* ---- code generation -------------------------------------------------- */

/* Positions are distances from the end of the program: 0 is "accept",
 * REJECT is 4 bytes past the end. */
#define REJECT (-4L)

struct emit {
	uint8_t buf[FILTER_BC_MAX];
	size_t used; /* bytes placed, at the end of buf */
	bool full;
};

static void put(struct emit *e, const void *p, size_t n)
{
	if (e->full || e->used + n > sizeof(e->buf)) {
		e->full = true;
		return;
	}
	e->used += n;
	memcpy(e->buf + sizeof(e->buf) - e->used, p, n);
}

static void emit_jmp(struct emit *e, long target)
{
	struct inet_diag_bc_op op = { INET_DIAG_BC_JMP, 4, 0 };

	op.no = (unsigned short)((long)e->used + 4 - target);
	put(e, &op, sizeof(op));
}

/* A test that falls through when true and jumps to target when false. */
static void emit_test(struct emit *e, const struct kx *x, long target)
{
	uint8_t code[sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + 16];
	struct inet_diag_bc_op op;
	size_t n;

	memset(code, 0, sizeof(code));
	if (x->kind == KX_PORT) {
		struct inet_diag_bc_op arg = { 0, 0, x->port };

		n = 2 * sizeof(op);
		memcpy(code + sizeof(op), &arg, sizeof(arg));
	} else {
		struct inet_diag_hostcond hc;
		size_t alen = x->host.family == AF_INET ? 4 : x->host.family == AF_INET6 ? 16 : 0;

		memset(&hc, 0, sizeof(hc));
		hc.family = x->host.family ? x->host.family : AF_UNSPEC;
		hc.prefix_len = alen ? x->host.plen : 0;
		hc.port = x->host.port;
		n = sizeof(op) + sizeof(hc) + alen;
		memcpy(code + sizeof(op), &hc, sizeof(hc));
		memcpy(code + sizeof(op) + sizeof(hc), x->host.addr, alen);
	}
	op.code = x->code;
	op.yes = (unsigned char)n;
	op.no = (unsigned short)((long)(e->used + n) - target);
	memcpy(code, &op, sizeof(op));
	put(e, code, n);
}

/* Places node i before the code already placed: when it holds, control
 * goes to position t, otherwise to f. */
static void gen(const struct kbuild *b, struct emit *e, uint32_t i, long t, long f)
{
	const struct kx *x = &b->v[i];
	uint32_t *kids, cnt = 0;
	long nt = t, nf = f;

	if (e->full)
		return;
	switch (x->kind) {
	case KX_TRUE:
		if (t != (long)e->used)
			emit_jmp(e, t);
		return;
	case KX_FALSE:
		if (f != (long)e->used)
			emit_jmp(e, f);
		return;
	case KX_PORT:
	case KX_HOST:
		if (t != (long)e->used)
			emit_jmp(e, t);
		emit_test(e, x, f);
		return;
	case KX_NOT:
		gen(b, e, x->child, f, t);
		return;
	default:
		break;
	}
	for (uint32_t c = x->child; c != FN_NONE; c = b->v[c].next)
		cnt++;
	kids = xreallocarray(NULL, cnt, sizeof(*kids));
	cnt = 0;
	for (uint32_t c = x->child; c != FN_NONE; c = b->v[c].next)
		kids[cnt++] = c;
	while (cnt-- > 0) {
		gen(b, e, kids[cnt], nt, nf);
		/* the operand before this one continues here */
		if (x->kind == KX_AND)
			nt = (long)e->used;
		else
			nf = (long)e->used;
	}
	free(kids);
}

/* ---- states ------------------------------------------------------------ */

/* The states a socket can be reported in when the kernel selected it by
 * state bit s: TIME-WAIT sockets report their sub-state (FIN-WAIT-2 too),
 * request sockets are selected as NEW_SYN_RECV and shown as SYN-RECV. */
static uint32_t reported(unsigned s)
{
	uint32_t r = BIT(s);

	if (s == SS_TIME_WAIT)
		r |= BIT(SS_FIN_WAIT2);
	if (s == SS_SYN_RECV || s == SS_NEW_SYN_RECV)
		r |= BIT(SS_SYN_RECV) | BIT(SS_NEW_SYN_RECV);
	if (s == STATE_BOUND_INACTIVE)
		r |= BIT(SS_CLOSE);
	return r;
}

/* Builds and lays out the approximation of f for what k tells. Returns
 * false if the code did not fit; *approx says whether it is inexact. */
static bool compile_for(const struct filter *f, const struct fknown *k, struct emit *e,
			bool *approx)
{
	struct kbuild b;
	uint32_t root;

	memset(&b, 0, sizeof(b));
	b.f = f;
	b.k = *k;
	root = build(&b, f->root, true);
	e->used = 0;
	e->full = false;
	gen(&b, e, root, 0, REJECT);
	*approx = b.approx || e->full;
	free(b.v);
	return !e->full;
}

static const uint8_t *code_of(const struct emit *e)
{
	return e->buf + sizeof(e->buf) - e->used;
}

int filter_kernel_for(const struct filter *f, unsigned protos, int family, uint32_t *states,
		      void **bytecode, size_t *len, bool *exact)
{
	struct fknown k;
	struct emit *e;
	uint8_t *first = NULL;
	size_t first_len = 0;
	uint32_t st = 0, seen = 0;
	bool approx = false, uniform = true, have_first = false;

	*bytecode = NULL;
	*len = 0;
	if (exact)
		*exact = true;
	if (!f) {
		*states = 0xffffffffu;
		return 0;
	}
	k.protos = protos;
	k.family = family;
	for (unsigned s = 0; s < 32; s++) {
		k.states = reported(s);
		if (filter_eval3(f, f->root, &k) != FTV_FALSE)
			st |= BIT(s);
	}
	if (st & (BIT(SS_SYN_RECV) | BIT(SS_NEW_SYN_RECV)))
		st |= BIT(SS_SYN_RECV) | BIT(SS_NEW_SYN_RECV);
	*states = st;
	if (exact && (protos & SP_MASK(SP_UNIX))) {
		/* Unix requests carry the bitmap alone: exact only if it
		 * decides the filter for Unix sockets by itself */
		struct fknown ku = { SP_MASK(SP_UNIX), AF_UNIX, 0 };

		for (unsigned s = 0; s < 32; s++) {
			ku.states = reported(s);
			if ((st & BIT(s)) && filter_eval3(f, f->root, &ku) != FTV_TRUE)
				*exact = false;
		}
	}
	if (!(protos & INET_PROTOS))
		return 0;
	k.protos = protos & INET_PROTOS;
	e = xmalloc(sizeof(*e));

	/* If, state by state, the folded filter is the same exact program,
	 * that program plus the states bitmap is exact: "state listening and
	 * sport 22 or state established and sport 22" is "sport 22" over the
	 * states {listening, established}. */
	for (unsigned s = 0; s < 32 && uniform && st; s++) {
		if (!(st & BIT(s)))
			continue;
		k.states = reported(s);
		if (!compile_for(f, &k, e, &approx) || approx) {
			uniform = false;
		} else if (!have_first) {
			have_first = true;
			first = e->used ? xmemdup(code_of(e), e->used) : NULL;
			first_len = e->used;
		} else if (e->used != first_len ||
			   (first_len && memcmp(code_of(e), first, first_len))) {
			uniform = false;
		}
	}
	if (uniform && have_first) {
		if (first_len) {
			*bytecode = first;
			*len = first_len;
			first = NULL;
		}
	} else {
		/* one program for the union of the states: folds less */
		for (unsigned s = 0; s < 32; s++)
			if (st & BIT(s))
				seen |= reported(s);
		k.states = seen;
		if (compile_for(f, &k, e, &approx) && e->used) {
			*bytecode = xmemdup(code_of(e), e->used);
			*len = e->used;
		}
		if (exact && approx)
			*exact = false;
	}
	free(first);
	free(e);
	return 0;
}

int filter_kernel(const struct filter *f, uint32_t *states, void **bytecode, size_t *len)
{
	return filter_kernel_for(f, SP_MASK_ALL, 0, states, bytecode, len, NULL);
}
