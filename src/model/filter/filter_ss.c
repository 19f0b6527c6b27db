/* filter_ss.c - the terms of the filter language that came from ss
 * (iproute2's misc/ssfilter.y): host conditions with family prefixes
 * (inet: inet6: unix: link: netlink:) and host names, dev, fwmark, cgroup,
 * autobound; and the system's lookups behind them. Everything is looked
 * up here, while parsing, so that matching stays free of I/O. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "filter_parse.h"
#include "i18n.h"

#ifndef AF_PACKET
#define AF_PACKET 17
#endif
#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif

#define CGROUP2_MOUNT "/sys/fs/cgroup"
#define MAX_HOST_ADDRS 16

/* ---- the system's lookups ---------------------------------------------- */

static int sys_host(const char *name, int family, struct filter_addr *out, size_t max,
		    void *ctx)
{
	struct addrinfo hints, *res = NULL, *ai;
	size_t n = 0;

	(void)ctx;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM; /* one entry per address */
	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return -1;
	for (ai = res; ai && n < max; ai = ai->ai_next) {
		struct filter_addr a;
		bool dup = false;

		memset(&a, 0, sizeof(a));
		a.family = ai->ai_family;
		if (ai->ai_family == AF_INET && ai->ai_addrlen >= sizeof(struct sockaddr_in))
			memcpy(a.addr, &((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr, 4);
		else if (ai->ai_family == AF_INET6 &&
			 ai->ai_addrlen >= sizeof(struct sockaddr_in6))
			memcpy(a.addr, &((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr, 16);
		else
			continue;
		for (size_t i = 0; i < n && !dup; i++)
			dup = out[i].family == a.family && !memcmp(out[i].addr, a.addr, 16);
		if (!dup)
			out[n++] = a;
	}
	freeaddrinfo(res);
	return n ? (int)n : -1;
}

static long sys_ifindex(const char *name, void *ctx)
{
	unsigned idx = if_nametoindex(name);

	(void)ctx;
	return idx ? (long)idx : -1;
}

/* The id of a cgroup v2 directory is what its file handle holds (8 bytes,
 * the kernfs node id), as ss's get_cgroup2_id() reads it. */
static int handle_id(const char *path, uint64_t *id)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + 16];
	} u;
	int mnt;

	memset(&u, 0, sizeof(u));
	u.fh.handle_bytes = 16;
	if (name_to_handle_at(AT_FDCWD, path, &u.fh, &mnt, 0) < 0 || u.fh.handle_bytes != 8)
		return -1;
	memcpy(id, u.fh.f_handle, sizeof(*id));
	return 0;
}

/* Where cgroup v2 is mounted: /sys/fs/cgroup on a unified system, often
 * /sys/fs/cgroup/unified on a hybrid one (mountinfo says). */
static void cgroup2_mount(char *out, size_t size)
{
	FILE *f = fopen("/proc/self/mounts", "re");
	char line[4096];

	snprintf(out, size, "%s", CGROUP2_MOUNT);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char dev[256], dir[2048], type[64];

		if (sscanf(line, "%255s %2047s %63s", dev, dir, type) == 3 &&
		    !strcmp(type, "cgroup2") && !strchr(dir, '\\')) {
			snprintf(out, size, "%s", dir);
			break;
		}
	}
	fclose(f);
}

static int sys_cgroup(const char *path, uint64_t *id, void *ctx)
{
	char mnt[2048], full[4096];
	const char *rel = path;

	(void)ctx;
	cgroup2_mount(mnt, sizeof(mnt));
	while (*rel == '/')
		rel++;
	if (snprintf(full, sizeof(full), "%s%s%s", mnt, *rel ? "/" : "", rel) >=
	    (int)sizeof(full))
		return -1;
	if (handle_id(full, id) == 0)
		return 0;
	/* the whole path, as ss also takes it */
	if (!strncmp(path, mnt, strlen(mnt)) && path[strlen(mnt)] == '/' && handle_id(path, id) == 0)
		return 0;
	return -1;
}

static int sys_ephemeral(unsigned *lo, unsigned *hi, void *ctx)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
	char line[64], *end;
	unsigned long a, b;

	(void)ctx;
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	errno = 0;
	a = strtoul(line, &end, 10);
	b = strtoul(end, &end, 10);
	if (errno || a > b || b > 65535)
		return -1;
	*lo = (unsigned)a;
	*hi = (unsigned)b;
	return 0;
}

void fss_default_names(struct filter_names *n)
{
	if (!n->host)
		n->host = sys_host;
	if (!n->ifindex)
		n->ifindex = sys_ifindex;
	if (!n->cgroup)
		n->cgroup = sys_cgroup;
	if (!n->ephemeral)
		n->ephemeral = sys_ephemeral;
}

/* ---- helpers ------------------------------------------------------------ */

/* The next token must be a word: takes it into tokvar, or fails with msg
 * (one %u, the column) at the token that is there instead. */
#define NEED_WORD(p, tokvar, msg)                                              \
	do {                                                                   \
		const struct ftok *nw_ = fp_peek(p);                           \
		if (nw_->kind != FT_WORD) {                                    \
			PFAIL((p), nw_->off, nw_->len, msg, (p)->err->column); \
			return FN_NONE;                                        \
		}                                                              \
		(tokvar) = fp_take(p);                                         \
	} while (0)

static uint32_t maybe_not(struct fparser *p, uint32_t n, int op)
{
	return op == FC_NE ? fp_node_not(p->f, n) : n;
}

static uint32_t family_node(struct fparser *p, int family)
{
	uint32_t n = fp_node_new(p->f, FN_FAMILY);

	p->f->nodes[n].u.family = (uint8_t)family;
	return n;
}

/* Parses a whole word as an unsigned number the way ss's %i and strtoul
 * (base 0) do: decimal, 0x hex or 0 octal, up to UINT32_MAX. */
static bool parse_u32_any(const char *s, size_t n, uint32_t *out)
{
	char buf[24], *end;
	unsigned long long v;

	if (n == 0 || n >= sizeof(buf) || !isdigit((unsigned char)s[0]))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static void clear_error(struct fparser *p)
{
	memset(p->err, 0, sizeof(*p->err));
}

/* ---- host conditions ------------------------------------------------- */

struct prefix {
	const char *name;
	int family;
};

static const struct prefix prefixes[] = {
	{ "inet:", AF_INET },       { "inet6:", AF_INET6 },  { "unix:", AF_UNIX },
	{ "link:", AF_PACKET },     { "netlink:", AF_NETLINK }, { "vsock:", -1 },
	{ "tipc:", -1 },            { "xdp:", -1 },
};

static const struct prefix *find_prefix(const char *v)
{
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncasecmp(v, prefixes[i].name, strlen(prefixes[i].name)))
			return &prefixes[i];
	return NULL;
}

/* True if v[0..n) can be a host name (letters, digits, '-', '.', '_',
 * with a letter somewhere, so that a mistyped address is not looked up). */
static bool name_like(const char *v, size_t n)
{
	bool alpha = false;

	if (n == 0 || n > 253 || !isalnum((unsigned char)v[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (!isalnum(c) && c != '-' && c != '.' && c != '_')
			return false;
		alpha |= isalpha(c) != 0;
	}
	/* "1.2.3.x" is a mistyped address more likely than a name */
	for (size_t i = 0; i < n && v[i] != '.'; i++)
		if (!isdigit((unsigned char)v[i]))
			return alpha;
	return false;
}

/* HOST as a name: NAME[:PORT], every address it has (of family fam if
 * not 0). Called after the address parser failed; keeps its error when
 * the word does not look like a name. */
static uint32_t host_by_name(struct fparser *p, const struct ftok *t, size_t base, int fam,
			     enum fside side, int op)
{
	const char *v = fp_value(p, t) + base;
	const char *colon = strchr(v, ':');
	size_t n = colon ? (size_t)(colon - v) : strlen(v), off, len;
	struct filter_addr addrs[MAX_HOST_ADDRS];
	char name[256];
	int port = -1, cnt;
	uint32_t list = FN_NONE, last = FN_NONE;

	if (!name_like(v, n) || (colon && strchr(colon + 1, ':')))
		return FN_NONE; /* the address parser's error stands */
	memcpy(name, v, n);
	name[n] = '\0';
	clear_error(p);
	if (colon && strcmp(colon, ":*")) {
		port = fp_parse_port(p, t, colon, strlen(colon), base + n);
		if (port < 0)
			return FN_NONE;
	}
	cnt = p->names.host(name, fam == AF_INET || fam == AF_INET6 ? fam : 0, addrs,
			    MAX_HOST_ADDRS, p->names.ctx);
	if (cnt <= 0) {
		fp_sub_span(t, base, n, &off, &len);
		PFAIL(p, off, len, _("filter: unknown host '%s' at column %u"), p->tok,
		      p->err->column);
		return FN_NONE;
	}
	for (int i = 0; i < cnt && i < MAX_HOST_ADDRS; i++) {
		uint32_t h = fp_node_new(p->f, FN_HOST);
		struct fhost *fh = &p->f->nodes[h].u.host;

		fh->side = (uint8_t)side;
		fh->family = (uint8_t)addrs[i].family;
		fh->plen = addrs[i].family == AF_INET ? 32 : 128;
		fh->port = port;
		memcpy(fh->addr, addrs[i].addr, sizeof(fh->addr));
		/* "=": one of its addresses; "!=": none of them */
		p->f->nodes[h].cmp = (uint8_t)op;
		if (list == FN_NONE) {
			list = h;
		} else if (p->f->nodes[list].kind == FN_HOST) {
			list = fp_node_pair(p->f, op == FC_NE ? FN_AND : FN_OR, list, h);
		} else {
			p->f->nodes[last].next = h;
		}
		last = h;
	}
	return list;
}

/* Keeps only the part after a family prefix that link: and netlink:
 * understand today: any address. Their sockets come from another part
 * of sockview; the term matches by family so it holds for them. */
static bool any_part(const char *v)
{
	return !*v || !strcmp(v, "*") || !strcmp(v, "*:*") || !strcmp(v, ":*");
}

uint32_t fss_host(struct fparser *p, enum fside side)
{
	const struct ftok *t;
	const struct prefix *pf;
	const char *v;
	size_t base = 0;
	int fam = 0, op = fp_parse_op(p, false);
	struct fhost h;
	uint32_t n;

	if (op < 0)
		return FN_NONE;
	NEED_WORD(p, t, _("filter: missing address at column %u"));
	v = fp_value(p, t);
	pf = t->quoted ? NULL : find_prefix(v);
	if (pf) {
		base = strlen(pf->name);
		fam = pf->family;
	} else if (v[0] == '/' || v[0] == '@') {
		fam = AF_UNIX; /* no address starts so: a Unix name, as "ss -x" takes it */
	}
	if (fam < 0) {
		PFAIL(p, t->off, t->len,
		      _("filter: '%s' at column %u: sockview does not list sockets of that family"),
		      p->tok, p->err->column);
		return FN_NONE;
	}
	if (fam == AF_UNIX) {
		/* the Unix name, as "path" matches it */
		if (side == FS_DST) {
			PFAIL(p, t->off, t->len,
			      _("filter: '%s' at column %u: a Unix peer has no name here; select it by its inode with 'peer INODE'"),
			      p->tok, p->err->column);
			return FN_NONE;
		}
		if (!v[base]) {
			PFAIL(p, t->off, t->len, _("filter: missing pattern at column %u"),
			      p->err->column);
			return FN_NONE;
		}
		n = fp_node_new(p->f, FN_PATH);
		p->f->nodes[n].cmp = (uint8_t)op;
		fp_store_word(p->f, n, v + base, true);
		return n;
	}
	if (fam == AF_PACKET || fam == AF_NETLINK) {
		if (!any_part(v + base)) {
			PFAIL(p, t->off, t->len,
			      _("filter: '%s' at column %u: only '%s*' (any socket of that family) is understood"),
			      p->tok, p->err->column, pf->name);
			return FN_NONE;
		}
		return maybe_not(p, family_node(p, fam), op);
	}
	if (fp_parse_host(p, t, base, &h) == 0) {
		if (fam && h.family && h.family != fam) {
			PFAIL(p, t->off, t->len,
			      fam == AF_INET ? _("filter: '%s' at column %u is not an IPv4 address")
					     : _("filter: '%s' at column %u is not an IPv6 address"),
			      p->tok, p->err->column);
			return FN_NONE;
		}
		h.side = (uint8_t)side;
		n = fp_node_new(p->f, FN_HOST);
		p->f->nodes[n].u.host = h;
		p->f->nodes[n].cmp = (uint8_t)op;
	} else {
		n = host_by_name(p, t, base, fam, side, op);
		if (n == FN_NONE)
			return FN_NONE;
	}
	/* "inet:" and "inet6:" also say which family the socket has (an
	 * IPv4 condition alone holds for IPv4-mapped IPv6 sockets too).
	 * Like "src != ADDR" (an inet socket elsewhere), "src != inet:ADDR"
	 * is an IPv4 socket elsewhere. */
	if (fam)
		n = fp_node_pair(p->f, FN_AND, family_node(p, fam), n);
	return n;
}

/* ---- dev, fwmark, cgroup, autobound ------------------------------------ */

uint32_t fss_dev(struct fparser *p)
{
	const struct ftok *t;
	const char *v;
	uint32_t n, idx;
	long l;
	int op = fp_parse_op(p, false);

	if (op < 0)
		return FN_NONE;
	NEED_WORD(p, t, _("filter: missing interface at column %u"));
	v = fp_value(p, t);
	l = strlen(v) < IF_NAMESIZE && !strchr(v, '\\') ? p->names.ifindex(v, p->names.ctx) : -1;
	if (l >= 0 && l <= (long)UINT32_MAX) {
		idx = (uint32_t)l;
	} else if (!parse_u32_any(v, strlen(v), &idx)) {
		PFAIL(p, t->off, t->len, _("filter: unknown interface '%s' at column %u"), p->tok,
		      p->err->column);
		return FN_NONE;
	}
	n = fp_node_new(p->f, FN_DEV);
	p->f->nodes[n].cmp = (uint8_t)op;
	p->f->nodes[n].u.num = idx;
	return n;
}

uint32_t fss_fwmark(struct fparser *p)
{
	const struct ftok *t;
	const char *v, *slash;
	uint32_t n, val, mask = UINT32_MAX;
	int op = fp_parse_op(p, false);

	if (op < 0)
		return FN_NONE;
	NEED_WORD(p, t, _("filter: missing mark at column %u"));
	v = fp_value(p, t);
	slash = strchr(v, '/');
	if (!parse_u32_any(v, slash ? (size_t)(slash - v) : strlen(v), &val) ||
	    (slash && !parse_u32_any(slash + 1, strlen(slash + 1), &mask))) {
		PFAIL(p, t->off, t->len, _("filter: bad mark '%s' at column %u (VALUE or VALUE/MASK)"),
		      p->tok, p->err->column);
		return FN_NONE;
	}
	n = fp_node_new(p->f, FN_MARK);
	p->f->nodes[n].u.mark.val = val;
	p->f->nodes[n].u.mark.mask = mask;
	return maybe_not(p, n, op);
}

uint32_t fss_cgroup(struct fparser *p)
{
	const struct ftok *t;
	const char *v;
	uint64_t id = 0;
	uint32_t n;
	int op = fp_parse_op(p, false);

	if (op < 0)
		return FN_NONE;
	NEED_WORD(p, t, _("filter: missing cgroup at column %u"));
	v = fp_value(p, t);
	if (strchr(v, '\\') || p->names.cgroup(v, &id, p->names.ctx) < 0 || id == 0) {
		PFAIL(p, t->off, t->len, _("filter: unknown cgroup '%s' at column %u"), p->tok,
		      p->err->column);
		return FN_NONE;
	}
	n = fp_node_new(p->f, FN_CGROUP);
	p->f->nodes[n].u.id = id;
	return maybe_not(p, n, op);
}

uint32_t fss_autobound(struct fparser *p)
{
	unsigned lo = 32768, hi = 60999; /* the kernel's default */
	uint32_t n;

	if (p->names.ephemeral(&lo, &hi, p->names.ctx) < 0 || lo > hi || hi > 65535) {
		lo = 32768;
		hi = 60999;
	}
	n = fp_node_new(p->f, FN_AUTO);
	p->f->nodes[n].u.range.lo = (uint16_t)lo;
	p->f->nodes[n].u.range.hi = (uint16_t)hi;
	return n;
}

/* ---- words that must not be text ---------------------------------------- */

bool fss_reject_word(struct fparser *p, const struct ftok *t, const char *lw)
{
	static const char *const ops[] = {
		"eq", "ne", "neq", "lt", "le", "leq", "gt", "ge", "geq",
	};
	const char *v = fp_value(p, t);

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(lw, ops[i])) {
			PFAIL(p, t->off, t->len,
			      _("filter: '%s' at column %u is a comparison: it goes between a keyword and its value (sport geq 1024)"),
			      p->tok, p->err->column);
			return true;
		}
	if (find_prefix(v)) {
		PFAIL(p, t->off, t->len,
		      _("filter: '%s' at column %u is an address: write 'src %s' or 'dst %s'"), p->tok,
		      p->err->column, p->tok, p->tok);
		return true;
	}
	return false;
}
