/* filter_match.c - evaluation of a parsed filter (filter.c builds it):
 * against one socket record, and over what a kernel prefilter can know. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "filter.h"
#include "filter_ast.h"
#include "service.h"
#include "xalloc.h"

#define BIT(n) (1u << (n))

/* ---- matching ----------------------------------------------------------- */

bool filter_glob(const char *pat, size_t plen, const char *s, size_t slen)
{
	size_t pi = 0, si = 0, star_p = SIZE_MAX, star_s = 0;

	while (si < slen) {
		if (pi < plen) {
			char c = pat[pi];

			if (c == '*') {
				star_p = ++pi;
				star_s = si;
				continue;
			}
			if (c == '?') {
				pi++;
				si++;
				continue;
			}
			if (c == '[') {
				size_t j = pi + 1;
				bool neg = false, hit = false, closed = false;
				unsigned char b = (unsigned char)s[si];

				if (j < plen && (pat[j] == '!' || pat[j] == '^')) {
					neg = true;
					j++;
				}
				for (bool first = true; j < plen; first = false) {
					unsigned char lo, hi;

					if (pat[j] == ']' && !first) {
						closed = true;
						break;
					}
					if (pat[j] == '\\' && j + 1 < plen)
						j++;
					lo = hi = (unsigned char)pat[j++];
					if (j + 1 < plen && pat[j] == '-' && pat[j + 1] != ']') {
						j++;
						if (pat[j] == '\\' && j + 1 < plen)
							j++;
						hi = (unsigned char)pat[j++];
					}
					if (b >= lo && b <= hi)
						hit = true;
				}
				if (closed) {
					if (hit != neg) {
						pi = j + 1;
						si++;
						continue;
					}
					goto mismatch;
				}
				/* no closing ']': the '[' is an ordinary byte */
			}
			if (c == '\\' && pi + 1 < plen) {
				if (pat[pi + 1] == s[si]) {
					pi += 2;
					si++;
					continue;
				}
				goto mismatch;
			}
			if (c == s[si]) {
				pi++;
				si++;
				continue;
			}
		}
mismatch:
		if (star_p == SIZE_MAX)
			return false;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < plen && pat[pi] == '*')
		pi++;
	return pi == plen;
}

static bool is_inet(const struct sock *s)
{
	return s->family == AF_INET || s->family == AF_INET6;
}

static bool cmp_num(uint32_t a, unsigned cmp, uint32_t b)
{
	switch (cmp) {
	case FC_EQ: return a == b;
	case FC_NE: return a != b;
	case FC_LT: return a < b;
	case FC_LE: return a <= b;
	case FC_GT: return a > b;
	case FC_GE: return a >= b;
	default: return false;
	}
}

/* The owners of s, in buf when they fit, else in *heap (caller frees). */
#define OWNERS_STACK 32
static size_t owners_of(const struct sock *s, const struct procmap *pm, struct proc_owner *buf,
			struct proc_owner **out, struct proc_owner **heap)
{
	size_t n;

	*out = buf;
	*heap = NULL;
	if (!pm || s->inode == 0)
		return 0;
	n = procmap_owners(pm, s->inode, buf, OWNERS_STACK);
	if (n > OWNERS_STACK) {
		*heap = xreallocarray(NULL, n, sizeof(**heap));
		n = procmap_owners(pm, s->inode, *heap, n);
		*out = *heap;
	}
	return n;
}

static bool match_owners(const struct filter *f, const struct fnode *nd, const struct sock *s,
			 const struct procmap *pm)
{
	struct proc_owner buf[OWNERS_STACK], *o, *heap;
	size_t n;
	bool any = false;

	if (nd->kind == FN_SERVICE) {
		/* the socket's own cgroup wins over its holders' (service.h) */
		size_t clen;
		const char *c = service_of_cgroup(s, pm, &clen, NULL);

		if (c) {
			any = filter_glob(f->pool + nd->u.str.off, nd->u.str.len, c, clen);
			return nd->cmp == FC_NE ? !any : any;
		}
	}
	n = owners_of(s, pm, buf, &o, &heap);

	for (size_t i = 0; i < n && !any; i++) {
		if (nd->kind == FN_SERVICE) {
			size_t clen;
			const char *c = procmap_service(pm, o[i].pid, &clen, NULL);

			any = c && filter_glob(f->pool + nd->u.str.off, nd->u.str.len, c, clen);
		} else if (nd->kind == FN_COMM) {
			size_t clen;
			const char *c = procmap_comm(pm, o[i].pid, &clen);

			any = c && filter_glob(f->pool + nd->u.str.off, nd->u.str.len, c, clen);
		} else {
			uint32_t pid = (uint32_t)o[i].pid;

			/* "pid != N" holds when no owner is N (below). */
			any = nd->cmp == FC_NE ? pid == nd->u.num : cmp_num(pid, nd->cmp, nd->u.num);
		}
	}
	free(heap);
	if (nd->cmp == FC_NE)
		return n > 0 && !any;
	return any;
}

static bool prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, full))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		return ((a[full] ^ b[full]) & mask) == 0;
	}
	return true;
}

/* One side of a host condition, with the kernel's meaning of
 * inet_diag_hostcond: an IPv4 condition also matches v4-mapped IPv6. */
static bool host_side(const struct fhost *h, const struct sock *s, bool peer)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	const uint8_t *a = peer ? s->raddr : s->laddr;
	int port = peer ? s->rport : s->lport;

	if (h->port >= 0 && h->port != port)
		return false;
	if (h->family && h->family != s->family)
		return s->family == AF_INET6 && h->family == AF_INET &&
		       !memcmp(a, mapped, sizeof(mapped)) && prefix_eq(a + 12, h->addr, h->plen);
	return h->plen == 0 || prefix_eq(a, h->addr, h->plen);
}

/* The Unix name as shown (abstract with '@'); false if unnamed. */
static bool unix_name(const struct sock *s, char *buf, size_t *len)
{
	size_t n = sock_x(s)->name_len < SOCK_NAME_MAX ? sock_x(s)->name_len : SOCK_NAME_MAX;

	if (s->family != AF_UNIX || n == 0)
		return false;
	if (sock_x(s)->name[0] == '\0') {
		buf[0] = '@';
		memcpy(buf + 1, sock_x(s)->name + 1, n - 1);
		*len = n;
	} else {
		const char *nul = memchr(sock_x(s)->name, '\0', n);

		*len = nul ? (size_t)(nul - sock_x(s)->name) : n;
		memcpy(buf, sock_x(s)->name, *len);
	}
	return true;
}

static bool ci_contains(const char *h, size_t hn, const char *needle, size_t nn)
{
	if (nn == 0)
		return true;
	for (size_t i = 0; i + nn <= hn; i++) {
		size_t j = 0;

		while (j < nn && filter_lower(h[i + j]) == needle[j])
			j++;
		if (j == nn)
			return true;
	}
	return false;
}

static size_t put_uint(char *p, unsigned v)
{
	char tmp[12];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

/* "a.b.c.d:port" or "[v6]:port" into buf (at least 64 bytes), without
 * printf: this runs for every record when a bare word is matched. */
static size_t fmt_endpoint(const struct sock *s, bool peer, char *buf)
{
	const uint8_t *a = peer ? s->raddr : s->laddr;
	size_t n = 0;

	if (s->family == AF_INET) {
		for (int i = 0; i < 4; i++) {
			if (i)
				buf[n++] = '.';
			n += put_uint(buf + n, a[i]);
		}
	} else {
		buf[n++] = '[';
		if (inet_ntop(AF_INET6, a, buf + n, INET6_ADDRSTRLEN))
			n += strlen(buf + n);
		buf[n++] = ']';
	}
	buf[n++] = ':';
	n += put_uint(buf + n, peer ? s->rport : s->lport);
	return n;
}

static bool match_text(const struct filter *f, const struct fnode *nd, const struct sock *s,
		       const struct procmap *pm)
{
	const char *needle = f->pool + nd->u.str.off;
	size_t nn = nd->u.str.len, len;
	char buf[SOCK_NAME_MAX + 64];
	const char *str;

	str = sock_proto_name(s->proto);
	if (ci_contains(str, strlen(str), needle, nn))
		return true;
	str = sock_state_name(s);
	if (ci_contains(str, strlen(str), needle, nn))
		return true;
	if (is_inet(s)) {
		/* formatting addresses is the costly part: skip it for words
		 * that cannot occur in "[2001:db8::1]:80" */
		if (nd->field & TEXT_ADDR) {
			len = fmt_endpoint(s, false, buf);
			if (ci_contains(buf, len, needle, nn))
				return true;
			len = fmt_endpoint(s, true, buf);
			if (ci_contains(buf, len, needle, nn))
				return true;
		}
	} else if (unix_name(s, buf, &len) && ci_contains(buf, len, needle, nn)) {
		return true;
	}
	if (pm && s->inode) {
		struct proc_owner obuf[OWNERS_STACK], *o, *heap;
		size_t n = owners_of(s, pm, obuf, &o, &heap);
		bool hit = false;

		for (size_t i = 0; i < n && !hit; i++) {
			size_t clen;
			const char *c = procmap_comm(pm, o[i].pid, &clen);

			hit = c && ci_contains(c, clen, needle, nn);
		}
		free(heap);
		return hit;
	}
	return false;
}

/* ss's "autobound": a Unix socket the kernel named (autobind: an abstract
 * name of five hex digits), an inet socket on a port of the ephemeral
 * range. Unlike ss, an unnamed Unix socket is not bound at all. */
static bool match_autobound(const struct fnode *nd, const struct sock *s)
{
	if (s->family == AF_UNIX) {
		if (sock_x(s)->name_len != 6 || sock_x(s)->name[0] != '\0')
			return false;
		for (int i = 1; i < 6; i++)
			if (!((sock_x(s)->name[i] >= '0' && sock_x(s)->name[i] <= '9') ||
			      (sock_x(s)->name[i] >= 'a' && sock_x(s)->name[i] <= 'f')))
				return false;
		return true;
	}
	return is_inet(s) && s->lport >= nd->u.range.lo && s->lport <= nd->u.range.hi;
}

static bool eval(const struct filter *f, uint32_t i, const struct sock *s,
		 const struct procmap *pm)
{
	const struct fnode *nd = &f->nodes[i];
	bool r;

	switch (nd->kind) {
	case FN_ALL:
		return true;
	case FN_AND:
		for (uint32_t c = nd->child; c != FN_NONE; c = f->nodes[c].next)
			if (!eval(f, c, s, pm))
				return false;
		return true;
	case FN_OR:
		for (uint32_t c = nd->child; c != FN_NONE; c = f->nodes[c].next)
			if (eval(f, c, s, pm))
				return true;
		return false;
	case FN_NOT:
		return !eval(f, nd->child, s, pm);
	case FN_PROTO:
		return s->proto < 32 && (nd->u.mask & SP_MASK(s->proto));
	case FN_FAMILY:
		return s->family == nd->u.family;
	case FN_STATE:
		return s->state < 32 && (nd->u.mask & BIT(s->state));
	case FN_NUM:
		switch (nd->field) {
		case FLD_SPORT:
			return is_inet(s) && cmp_num(s->lport, nd->cmp, nd->u.num);
		case FLD_DPORT:
			return is_inet(s) && cmp_num(s->rport, nd->cmp, nd->u.num);
		case FLD_PORT:
			if (!is_inet(s))
				return false;
			if (nd->cmp == FC_NE)
				return s->lport != nd->u.num && s->rport != nd->u.num;
			return cmp_num(s->lport, nd->cmp, nd->u.num) ||
			       cmp_num(s->rport, nd->cmp, nd->u.num);
		case FLD_UID:
			return (s->has & SOCK_HAS_UID) && cmp_num(s->uid, nd->cmp, nd->u.num);
		case FLD_INODE:
			return cmp_num(s->inode, nd->cmp, nd->u.num);
		case FLD_PEER:
			return s->family == AF_UNIX && (s->has & SOCK_HAS_PEER) &&
			       s->peer_inode && cmp_num(s->peer_inode, nd->cmp, nd->u.num);
		case FLD_NETNS:
			return cmp_num(s->key.netns, nd->cmp, nd->u.num);
		case FLD_PID:
			return match_owners(f, nd, s, pm);
		default:
			return false;
		}
	case FN_HOST:
		if (!is_inet(s))
			return false;
		switch (nd->u.host.side) {
		case FS_SRC:
			r = host_side(&nd->u.host, s, false);
			break;
		case FS_DST:
			r = host_side(&nd->u.host, s, true);
			break;
		default:
			r = host_side(&nd->u.host, s, false) || host_side(&nd->u.host, s, true);
			break;
		}
		return nd->cmp == FC_NE ? !r : r;
	case FN_PATH: {
		char buf[SOCK_NAME_MAX];
		size_t len;

		if (!unix_name(s, buf, &len))
			return false;
		r = filter_glob(f->pool + nd->u.str.off, nd->u.str.len, buf, len);
		return nd->cmp == FC_NE ? !r : r;
	}
	case FN_COMM:
	case FN_SERVICE:
		return match_owners(f, nd, s, pm);
	case FN_TEXT:
		return match_text(f, nd, s, pm);
	case FN_DEV:
		return cmp_num(s->ifindex, nd->cmp, nd->u.num);
	case FN_MARK:
		return (s->has & SOCK_HAS_MARK) && (s->mark & nd->u.mark.mask) == nd->u.mark.val;
	case FN_CGROUP:
		return (s->has & SOCK_HAS_CGROUP) && s->cgroup_id == nd->u.id;
	case FN_AUTO:
		return match_autobound(nd, s);
	default:
		return false;
	}
}

bool filter_matches(const struct filter *f, const struct sock *s, const struct procmap *pm)
{
	return !f || eval(f, f->root, s, pm);
}

/* ---- what can match at all ---------------------------------------------- */

#define INET_PROTOS (SP_MASK(SP_TCP) | SP_MASK(SP_UDP) | SP_MASK(SP_RAW) | SP_MASK(SP_MPTCP))
/* the kinds whose family is not IP */
#define NONINET_PROTOS (SP_MASK(SP_UNIX) | SP_MASK(SP_PACKET) | SP_MASK(SP_NETLINK))

static bool known_unix(const struct fknown *k)
{
	return k->protos == SP_MASK(SP_UNIX) || k->family == AF_UNIX;
}

/* Only packet or only netlink sockets: no IP address, no port, no path. */
static bool known_kind(const struct fknown *k)
{
	return k->protos == SP_MASK(SP_PACKET) || k->protos == SP_MASK(SP_NETLINK) ||
	       k->family == AF_PACKET || k->family == AF_NETLINK;
}

static bool known_inet(const struct fknown *k)
{
	return !(k->protos & NONINET_PROTOS) || k->family == AF_INET ||
	       k->family == AF_INET6;
}

static enum ftv tv_of(bool b)
{
	return b ? FTV_TRUE : FTV_FALSE;
}

enum ftv filter_eval3(const struct filter *f, uint32_t i, const struct fknown *k)
{
	const struct fnode *nd = &f->nodes[i];
	enum ftv r, acc;

	switch (nd->kind) {
	case FN_ALL:
		return FTV_TRUE;
	case FN_AND:
	case FN_OR: {
		enum ftv stop = nd->kind == FN_AND ? FTV_FALSE : FTV_TRUE;

		acc = nd->kind == FN_AND ? FTV_TRUE : FTV_FALSE;
		for (uint32_t c = nd->child; c != FN_NONE; c = f->nodes[c].next) {
			r = filter_eval3(f, c, k);
			if (r == stop)
				return stop;
			if (r == FTV_MAYBE)
				acc = FTV_MAYBE;
		}
		return acc;
	}
	case FN_NOT:
		r = filter_eval3(f, nd->child, k);
		return r == FTV_MAYBE ? r : tv_of(r == FTV_FALSE);
	case FN_PROTO: {
		unsigned possible = k->protos;

		if (known_unix(k))
			possible &= SP_MASK(SP_UNIX);
		else if (k->family == AF_PACKET)
			possible &= SP_MASK(SP_PACKET);
		else if (k->family == AF_NETLINK)
			possible &= SP_MASK(SP_NETLINK);
		else if (known_inet(k))
			possible &= INET_PROTOS;
		if (!(possible & nd->u.mask))
			return FTV_FALSE;
		return (possible & ~nd->u.mask) ? FTV_MAYBE : FTV_TRUE;
	}
	case FN_FAMILY:
		if (nd->u.family != AF_INET && nd->u.family != AF_INET6 &&
		    nd->u.family != AF_UNIX)
			/* link:, netlink: families of kinds beyond these */
			return (k->protos & ~(INET_PROTOS | SP_MASK(SP_UNIX))) ? FTV_MAYBE
									    : FTV_FALSE;
		if (k->family)
			return tv_of(k->family == nd->u.family);
		return known_unix(k) || known_kind(k) ? FTV_FALSE : FTV_MAYBE;
	case FN_STATE:
		if (!(k->states & nd->u.mask))
			return FTV_FALSE;
		return (k->states & ~nd->u.mask) ? FTV_MAYBE : FTV_TRUE;
	case FN_NUM:
		if (nd->field == FLD_SPORT || nd->field == FLD_DPORT || nd->field == FLD_PORT)
			return known_unix(k) || known_kind(k) ? FTV_FALSE : FTV_MAYBE;
		if (nd->field == FLD_PEER)
			return known_inet(k) ? FTV_FALSE : FTV_MAYBE;
		return FTV_MAYBE;
	case FN_MARK:
	case FN_CGROUP:
		/* the kernel reports neither for Unix sockets */
		return known_unix(k) ? FTV_FALSE : FTV_MAYBE;
	case FN_HOST:
		return known_unix(k) || known_kind(k) ? FTV_FALSE : FTV_MAYBE;
	case FN_PATH:
		return known_inet(k) || known_kind(k) ? FTV_FALSE : FTV_MAYBE;
	default:
		return FTV_MAYBE;
	}
}

unsigned filter_protos(const struct filter *f)
{
	unsigned m = 0;

	if (!f)
		return SP_MASK_ALL;
	for (int p = 0; p < SP_NPROTO; p++) {
		struct fknown k = { SP_MASK((unsigned)p),
				    p == SP_UNIX ? AF_UNIX : p == SP_PACKET ? AF_PACKET
						: p == SP_NETLINK ? AF_NETLINK : 0,
				    0xffffffffu };

		if (filter_eval3(f, f->root, &k) != FTV_FALSE)
			m |= SP_MASK((unsigned)p);
	}
	return m;
}

unsigned filter_families(const struct filter *f, unsigned proto)
{
	unsigned m = 0;

	if (proto >= SP_NPROTO)
		return 0;
	if (proto == SP_UNIX || proto == SP_PACKET || proto == SP_NETLINK)
		return (filter_protos(f) & SP_MASK(proto)) ? SF_ALL : 0;
	if (!f)
		return SF_ALL;
	for (int i = 0; i < 2; i++) {
		struct fknown k = { SP_MASK(proto), i ? AF_INET6 : AF_INET, 0xffffffffu };

		if (filter_eval3(f, f->root, &k) != FTV_FALSE)
			m |= i ? SF_INET6 : SF_INET;
	}
	return m;
}

bool filter_uses_processes(const struct filter *f)
{
	if (!f)
		return false;
	for (size_t i = 0; i < f->n; i++) {
		const struct fnode *nd = &f->nodes[i];

		if (nd->kind == FN_COMM || nd->kind == FN_TEXT || nd->kind == FN_SERVICE ||
		    (nd->kind == FN_NUM && nd->field == FLD_PID))
			return true;
	}
	return false;
}

bool filter_uses_service(const struct filter *f)
{
	for (size_t i = 0; f && i < f->n; i++)
		if (f->nodes[i].kind == FN_SERVICE)
			return true;
	return false;
}
