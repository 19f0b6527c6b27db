/* cell.c - column definitions, cell text and sort order of the table. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cell.h"
#include "diagnose.h"
#include "i18n.h"
#include "output.h"
#include "service.h"
#include "spark.h"
#include "output_extra.h"

/* Widths leave room for the sort mark after the title. Priorities: lower
 * survives longer on narrow screens; Proto and Local always stay. */
static const struct col_info cols[COL_MAX_] = {
	[COL_PROTO] = {
		.title = N_("Proto"), .name = N_("Protocol"),
		.min_w = 5, .want_w = 5, .max_w = 6, .prio = 1,
		.cut = CUT_END,
	},
	[COL_STATE] = {
		.title = N_("State"), .name = N_("State"),
		.min_w = 10, .want_w = 10, .max_w = 11, .prio = 2,
		.cut = CUT_END,
	},
	[COL_RECVQ] = {
		.title = N_("Recv-Q"), .name = N_("Receive queue"),
		.min_w = 6, .want_w = 6, .max_w = 10, .prio = 5,
		.right = true, .cut = CUT_END,
	},
	[COL_SENDQ] = {
		.title = N_("Send-Q"), .name = N_("Send queue"),
		.min_w = 6, .want_w = 6, .max_w = 10, .prio = 6,
		.right = true, .cut = CUT_END,
	},
	[COL_LOCAL] = {
		.title = N_("Local"), .name = N_("Local address"),
		.min_w = 10, .want_w = 18, .max_w = 60, .prio = 0,
		.flexible = true, .cut = CUT_MIDDLE,
	},
	[COL_PEER] = {
		.title = N_("Peer"), .name = N_("Peer address"),
		.min_w = 8, .want_w = 15, .max_w = 50, .prio = 3,
		.flexible = true, .cut = CUT_MIDDLE,
	},
	[COL_PROCESS] = {
		.title = N_("Process"), .name = N_("Process"),
		.min_w = 7, .want_w = 12, .max_w = 30, .prio = 4,
		/* cut in the middle: the end holds the pid, "+N" more
		 * processes, or the "[N]" of sockview's own panes */
		.flexible = true, .cut = CUT_MIDDLE,
	},
	[COL_UID] = {
		.title = N_("UID"), .name = N_("User id"),
		.min_w = 5, .want_w = 5, .max_w = 10, .prio = 7,
		.right = true, .optional = true, .cut = CUT_END,
	},
	[COL_INODE] = {
		.title = N_("Inode"), .name = N_("Inode"),
		.min_w = 7, .want_w = 7, .max_w = 10, .prio = 8,
		.right = true, .optional = true, .cut = CUT_END,
	},
	[COL_RTT] = {
		.title = N_("RTT"), .name = N_("Round-trip time (TCP)"),
		.min_w = 7, .want_w = 7, .max_w = 9, .prio = 9,
		.right = true, .optional = true, .tcp_info = true, .cut = CUT_END,
	},
	[COL_CWND] = {
		.title = N_("Cwnd"), .name = N_("Congestion window (TCP)"),
		.min_w = 5, .want_w = 5, .max_w = 8, .prio = 10,
		.right = true, .optional = true, .tcp_info = true, .cut = CUT_END,
	},
	[COL_RETRANS] = {
		.title = N_("Retr"), .name = N_("Retransmitted segments (TCP)"),
		.min_w = 4, .want_w = 4, .max_w = 8, .prio = 11,
		.right = true, .optional = true, .tcp_info = true, .cut = CUT_END,
	},
	[COL_RX] = {
		.title = N_("Rx/s"), .name = N_("Receive rate (TCP)"),
		.min_w = 6, .want_w = 6, .max_w = 8, .prio = 12,
		.right = true, .optional = true, .tcp_info = true, .rates = true,
		.cut = CUT_END,
	},
	[COL_TX] = {
		.title = N_("Tx/s"), .name = N_("Send rate (TCP)"),
		.min_w = 6, .want_w = 6, .max_w = 8, .prio = 13,
		.right = true, .optional = true, .tcp_info = true, .rates = true,
		.cut = CUT_END,
	},
	[COL_SPARK] = {
		.title = N_("Traffic"), .name = N_("Traffic history, rx+tx (TCP sparkline)"),
		.min_w = CELL_SPARK_W, .want_w = CELL_SPARK_W, .max_w = CELL_SPARK_W, .prio = 14,
		.optional = true, .tcp_info = true, .rates = true, .cut = CUT_END,
	},
	[COL_HINT] = {
		.title = N_("Hint"), .name = N_("Hint: what looks wrong (details say more)"),
		.min_w = 6, .want_w = 11, .max_w = 14, .prio = 15,
		/* rates: its text changes with the diff's entry (the fingerprint) */
		.optional = true, .tcp_info = true, .rates = true, .cut = CUT_END,
	},
	[COL_COOKIE] = {
		.title = N_("Cookie"), .name = N_("Socket cookie"),
		.min_w = 6, .want_w = 8, .max_w = 20, .prio = 14,
		.right = true, .optional = true, .cut = CUT_END,
	},
	[COL_SKMEM] = {
		.title = N_("Skmem"), .name = N_("Socket memory (as ss -m)"),
		.min_w = 10, .want_w = 24, .max_w = 60, .prio = 15,
		.optional = true, .meminfo = true, .cut = CUT_END,
	},
	[COL_TIMER] = {
		.title = N_("Timer"), .name = N_("Timer (as ss -o)"),
		.min_w = 8, .want_w = 18, .max_w = 26, .prio = 16,
		.optional = true, .cut = CUT_END,
	},
	[COL_NETNS] = {
		.title = N_("Netns"), .name = N_("Network namespace"),
		.min_w = 6, .want_w = 10, .max_w = 24, .prio = 14,
		.optional = true, .cut = CUT_END,
	},
	[COL_SERVICE] = {
		.title = N_("Service"), .name = N_("Service or container (cgroup)"),
		.min_w = 7, .want_w = 14, .max_w = 40, .prio = 15,
		.optional = true, .cut = CUT_MIDDLE,
	},
};

const struct col_info *cell_col(enum col c)
{
	return &cols[c < COL_MAX_ ? c : COL_PROTO];
}

unsigned cell_cols_needing_tcp_info(void)
{
	unsigned m = 0;

	for (int c = 0; c < COL_MAX_; c++)
		if (cols[c].tcp_info)
			m |= COL_BIT(c);
	return m;
}

unsigned cell_cols_needing_meminfo(void)
{
	unsigned m = 0;

	for (int c = 0; c < COL_MAX_; c++)
		if (cols[c].meminfo)
			m |= COL_BIT(c);
	return m;
}

unsigned cell_cols_showing_rates(void)
{
	unsigned m = 0;

	for (int c = 0; c < COL_MAX_; c++)
		if (cols[c].rates)
			m |= COL_BIT(c);
	return m;
}

void cell_rate(double r, char *dst, size_t len)
{
	static const char units[] = "KMGTP";
	int u = -1;

	if (r < 0.5) {
		snprintf(dst, len, "0");
		return;
	}
	while (r >= 1000.0 && u < (int)sizeof(units) - 2) {
		r /= 1024.0;
		u++;
	}
	if (u < 0)
		snprintf(dst, len, "%.0f", r);
	else if (r < 10.0)
		snprintf(dst, len, "%.1f%c", r, units[u]);
	else
		snprintf(dst, len, "%.0f%c", r, units[u]);
}

void cell_usec(uint32_t us, char *dst, size_t len)
{
	if (us < 1000)
		snprintf(dst, len, "%uus", us);
	else if (us < 100000)
		snprintf(dst, len, "%.1fms", us / 1000.0);
	else if (us < 10000000)
		snprintf(dst, len, "%.0fms", us / 1000.0);
	else
		snprintf(dst, len, "%.1fs", us / 1e6);
}

static bool has_tcp(const struct sock *s)
{
	return s->proto == SP_TCP && (s->has & SOCK_HAS_TCP);
}

size_t cell_spark_series(const struct hist_entry *e, double *v, size_t max)
{
	double tx[HIST_SLOTS];
	size_t n = hist_series(e, HS_RX, v, max);

	hist_series(e, HS_TX, tx, max);
	for (size_t i = 0; i < n; i++)
		v[i] = (isnan(v[i]) ? 0 : v[i]) + (isnan(tx[i]) ? 0 : tx[i]);
	return n;
}

/* The Traffic column: the last CELL_SPARK_W slots of rx + tx, scaled to
 * their own maximum; blank without a history of a TCP socket. */
static size_t cell_spark(struct buf *out, const struct sock *s, const struct cell_ctx *ctx)
{
	const struct hist_entry *e;
	double v[HIST_SLOTS], lo, hi;
	size_t n;

	if (s->proto != SP_TCP || s->state == SS_LISTEN || !ctx->hist ||
	    !(e = history_find(ctx->hist, &s->key)))
		return 0;
	n = cell_spark_series(e, v, CELL_SPARK_W);
	spark_range(v, n, &lo, &hi);
	return spark_render(out, v, n, CELL_SPARK_W, 0, hi, ctx->cs == ESC_UTF8);
}

/* "comm/pid", and ",+N" when N more processes hold the socket inode. */
static size_t format_owners(struct buf *out, uint32_t inode, const struct cell_ctx *ctx)
{
	struct proc_owner own[16];
	size_t n, i, pids = 0, w, at;
	const char *comm;
	size_t clen = 0;
	int32_t last = -1;
	unsigned tag;

	if (ctx->own && ownset_find(ctx->own, inode, &tag)) {
		/* ours: the process is this one, whatever the last /proc
		 * scan saw (it may not have seen a socket opened since) */
		at = out->len;
		buf_printf(out, "sockview/%d [%u]", (int)getpid(), tag);
		return out->len - at;
	}
	if (!ctx->pm || !inode)
		return 0;
	n = procmap_owners(ctx->pm, inode, own, 16);
	if (!n)
		return 0;
	for (i = 0; i < n && i < 16; i++) {
		if (own[i].pid != last)
			pids++;
		last = own[i].pid;
	}
	comm = procmap_comm(ctx->pm, own[0].pid, &clen);
	w = comm ? esc_display(out, comm, clen, ctx->cs) : 0;
	at = out->len;
	buf_printf(out, "/%d", (int)own[0].pid);
	if (pids > 1 || n > 16)
		buf_printf(out, ",+%zu%s", pids - 1, n > 16 ? "+" : "");
	return w + (out->len - at);
}

/* The owners of the socket; for a connection not yet accept()ed, those of
 * its listener, who will get it, marked as waiting. */
static size_t format_process(struct buf *out, const struct sock *s, const struct cell_ctx *ctx)
{
	size_t w = format_owners(out, sock_owner_inode(s), ctx);
	const char *mark;

	if (!sock_awaits_accept(s) || (!ctx->pm && !w))
		return w;
	mark = s->state == SS_SYN_RECV || s->state == SS_NEW_SYN_RECV ? _("(handshake)")
								       : _("(accept queue)");
	if (w) {
		buf_putc(out, ' ');
		w++;
	}
	return w + esc_display(out, mark, strlen(mark), ctx->cs);
}

/* The Netns cell: the namespace's name or "pid N (comm)", escaped. */
static size_t format_netns(struct buf *out, const struct sock *s, const struct cell_ctx *ctx)
{
	const struct nstab_ent *e = nstab_find(ctx->ns, s->key.netns);
	char label[128];
	size_t n;

	if (!s->key.netns)
		return 0;
	if (e)
		n = nstab_label(e, label, sizeof(label));
	else
		n = (size_t)snprintf(label, sizeof(label), "netns:[%u]", (unsigned)s->key.netns);
	return esc_display(out, label, n, ctx->cs);
}

/* The socket's service label (service.h; raw: escaped here), or NULL. */
static const char *service_of(const struct sock *s, const struct procmap *pm, size_t *len)
{
	return service_of_sock(s, pm, len, NULL);
}

size_t cell_format(struct buf *out, enum col c, const struct sock *s,
		   const struct diff_entry *d, const struct cell_ctx *ctx)
{
	char tmp[32];
	size_t at = out->len;

	switch (c) {
	case COL_PROTO:
		buf_puts(out, sock_netid(s));
		break;
	case COL_STATE:
		buf_puts(out, sock_state_name(s));
		break;
	case COL_RECVQ:
		buf_printf(out, "%u", s->recv_q);
		break;
	case COL_SENDQ:
		buf_printf(out, "%u", s->send_q);
		break;
	case COL_LOCAL:
		return output_addr(out, s, false, ctx->cs);
	case COL_PEER:
		return output_addr(out, s, true, ctx->cs);
	case COL_PROCESS:
		return format_process(out, s, ctx);
	case COL_UID:
		if (s->has & SOCK_HAS_UID)
			buf_printf(out, "%u", s->uid);
		break;
	case COL_INODE:
		buf_printf(out, "%u", s->inode);
		break;
	case COL_NETNS:
		return format_netns(out, s, ctx);
	case COL_SERVICE: {
		size_t len;
		const char *svc = service_of(s, ctx->pm, &len);

		return svc ? esc_display(out, svc, len, ctx->cs) : 0;
	}
	case COL_RTT:
		if (has_tcp(s) && sock_x(s)->tcp.rtt_us) {
			cell_usec(sock_x(s)->tcp.rtt_us, tmp, sizeof(tmp));
			buf_puts(out, tmp);
		}
		break;
	case COL_CWND:
		if (has_tcp(s))
			buf_printf(out, "%u", sock_x(s)->tcp.snd_cwnd);
		break;
	case COL_RETRANS:
		if (has_tcp(s))
			buf_printf(out, "%u", sock_x(s)->tcp.total_retrans);
		break;
	case COL_RX:
	case COL_TX:
		if (d && (d->flags & DIFF_RATES)) {
			cell_rate(c == COL_RX ? d->rx_rate : d->tx_rate, tmp, sizeof(tmp));
			buf_puts(out, tmp);
		}
		break;
	case COL_SPARK:
		return cell_spark(out, s, ctx);
	case COL_HINT:
		if (d && DIFF_HINT(d->flags))
			buf_puts(out, diag_marker((enum diag_rule)DIFF_HINT(d->flags)));
		return esc_width(out->data + at, out->len - at, ctx->cs);
	case COL_COOKIE:
		buf_printf(out, "%llu", (unsigned long long)s->cookie);
		break;
	case COL_SKMEM:
		if (s->has & SOCK_HAS_MEM)
			buf_printf(out, "(r%u,rb%u,t%u,tb%u,f%u,w%u,o%u,bl%u,d%u)", sock_x(s)->rmem_alloc,
				   sock_x(s)->rcvbuf, sock_x(s)->wmem_alloc, sock_x(s)->sndbuf, sock_x(s)->fwd_alloc,
				   sock_x(s)->wmem_queued, sock_x(s)->optmem, sock_x(s)->backlog, sock_x(s)->drops);
		break;
	case COL_TIMER:
		if ((s->family == AF_INET || s->family == AF_INET6) && s->timer)
			output_timer(out, s);
		break;
	case COL_MAX_:
		break;
	}
	/* everything above but addresses and names is ASCII */
	return out->len - at;
}

/* Skmem sorts by the memory the socket holds (receive plus send queue);
 * sockets without SK_MEMINFO first. */
static uint64_t mem_key(const struct sock *s)
{
	if (!(s->has & SOCK_HAS_MEM))
		return 0;
	return 1 + (uint64_t)sock_x(s)->rmem_alloc + sock_x(s)->wmem_queued;
}

/* Timer sorts by whether one runs, then by when it fires. */
static uint64_t timer_key(const struct sock *s)
{
	if (!(s->family == AF_INET || s->family == AF_INET6) || !s->timer)
		return 0;
	return (uint64_t)1 << 40 | s->expires_ms;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_double(double a, double b)
{
	return a < b ? -1 : a > b;
}

static bool is_inet(const struct sock *s)
{
	return s->family == AF_INET || s->family == AF_INET6;
}

/* The address of a packet or netlink socket as two words, in the order
 * the cells should sort: packet (protocol, interface), netlink (protocol,
 * port id), a connected netlink peer (group, port id). */
static void kind_words(const struct sock *s, bool peer, uint64_t *hi, uint64_t *lo)
{
	*hi = *lo = 0;
	if (s->family == AF_PACKET && !peer) {
		*hi = (uint64_t)sock_x(s)->pkt.ethproto << 32 | s->ifindex;
	} else if (s->family == AF_NETLINK && !peer) {
		*hi = (uint64_t)sock_x(s)->nl.protocol << 32 | sock_x(s)->nl.portid;
	} else if (s->family == AF_NETLINK && sock_x(s)->nl.connected) {
		*hi = (uint64_t)1 << 32 | sock_x(s)->nl.dst_group;
		*lo = sock_x(s)->nl.dst_portid;
	}
}

static bool is_kind(const struct sock *s)
{
	return s->family == AF_PACKET || s->family == AF_NETLINK;
}

/* Addresses: IPv4 before IPv6 before Unix; then bytes, then port. Unix
 * local names compare as bytes, Unix peers by inode. */
static int cmp_addr(const struct sock *a, const struct sock *b, bool peer)
{
	int r;

	if (a->family != b->family)
		return a->family == AF_UNIX ? 1 : b->family == AF_UNIX ? -1
								   : cmp_u64(a->family, b->family);
	if (is_kind(a)) {
		uint64_t ah, al, bh, bl;

		kind_words(a, peer, &ah, &al);
		kind_words(b, peer, &bh, &bl);
		return ah != bh ? cmp_u64(ah, bh) : cmp_u64(al, bl);
	}
	if (is_inet(a)) {
		r = memcmp(peer ? a->raddr : a->laddr, peer ? b->raddr : b->laddr, 16);
		if (r)
			return r;
		return cmp_u64(peer ? a->rport : a->lport, peer ? b->rport : b->lport);
	}
	if (peer)
		return cmp_u64(a->peer_inode, b->peer_inode);
	r = memcmp(sock_x(a)->name, sock_x(b)->name, sock_x(a)->name_len < sock_x(b)->name_len ? sock_x(a)->name_len : sock_x(b)->name_len);
	if (r)
		return r;
	return cmp_u64(sock_x(a)->name_len, sock_x(b)->name_len);
}

/* The first owner's command name (for a connection waiting for accept(),
 * its listener's, as the cell reads); sockets without one sort last. */
static int cmp_process(const struct sock *a, const struct sock *b, const struct procmap *pm)
{
	struct proc_owner oa, ob;
	size_t na, nb, la = 0, lb = 0;
	const char *ca, *cb;
	int r;

	if (!pm)
		return 0;
	na = sock_owner_inode(a) ? procmap_owners(pm, sock_owner_inode(a), &oa, 1) : 0;
	nb = sock_owner_inode(b) ? procmap_owners(pm, sock_owner_inode(b), &ob, 1) : 0;
	if (!na || !nb)
		return na ? -1 : nb ? 1 : 0;
	ca = procmap_comm(pm, oa.pid, &la);
	cb = procmap_comm(pm, ob.pid, &lb);
	if (!ca)
		la = 0;
	if (!cb)
		lb = 0;
	r = memcmp(ca ? ca : "", cb ? cb : "", la < lb ? la : lb);
	if (r)
		return r;
	if (la != lb)
		return la < lb ? -1 : 1;
	return cmp_u64((uint64_t)(uint32_t)oa.pid, (uint64_t)(uint32_t)ob.pid);
}

static int cmp_rate(const struct diff_entry *da, const struct diff_entry *db, bool rx)
{
	bool ha = da && (da->flags & DIFF_RATES), hb = db && (db->flags & DIFF_RATES);

	if (!ha || !hb)
		return ha ? 1 : hb ? -1 : 0;
	return rx ? cmp_double(da->rx_rate, db->rx_rate) : cmp_double(da->tx_rate, db->tx_rate);
}

/* The Traffic column: rx + tx. */
static int cmp_total_rate(const struct diff_entry *da, const struct diff_entry *db)
{
	bool ha = da && (da->flags & DIFF_RATES), hb = db && (db->flags & DIFF_RATES);

	if (!ha || !hb)
		return ha ? 1 : hb ? -1 : 0;
	return cmp_double(da->rx_rate + da->tx_rate, db->rx_rate + db->tx_rate);
}

/* For TCP-only numbers: sockets without tcp_info sort below every value. */
static int cmp_tcp(const struct sock *a, const struct sock *b, uint64_t va, uint64_t vb)
{
	if (!has_tcp(a) || !has_tcp(b))
		return has_tcp(a) ? 1 : has_tcp(b) ? -1 : 0;
	return cmp_u64(va, vb);
}

/* By service label bytes; sockets without one after all the others. */
static int cmp_service(const struct sock *a, const struct sock *b, const struct procmap *pm)
{
	size_t la, lb;
	const char *sa = service_of(a, pm, &la), *sb = service_of(b, pm, &lb);
	int r;

	if (!sa || !sb)
		return sa ? -1 : sb ? 1 : 0;
	r = memcmp(sa, sb, la < lb ? la : lb);
	if (r)
		return r < 0 ? -1 : 1;
	return la < lb ? -1 : la > lb;
}

static int cmp_primary(enum col c, const struct sock *a, const struct diff_entry *da,
		       const struct sock *b, const struct diff_entry *db,
		       const struct procmap *pm)
{
	switch (c) {
	case COL_PROTO:
		if (a->proto != b->proto)
			return cmp_u64(a->proto, b->proto);
		return cmp_u64(a->type, b->type);
	case COL_STATE:
		return strcmp(sock_state_name(a), sock_state_name(b));
	case COL_RECVQ:
		return cmp_u64(a->recv_q, b->recv_q);
	case COL_SENDQ:
		return cmp_u64(a->send_q, b->send_q);
	case COL_LOCAL:
		return cmp_addr(a, b, false);
	case COL_PEER:
		return cmp_addr(a, b, true);
	case COL_PROCESS:
		return cmp_process(a, b, pm);
	case COL_UID:
		return cmp_u64(a->uid, b->uid);
	case COL_INODE:
		return cmp_u64(a->inode, b->inode);
	case COL_NETNS:
		return cmp_u64(a->key.netns, b->key.netns);
	case COL_SERVICE:
		return cmp_service(a, b, pm);
	case COL_RTT:
		return cmp_tcp(a, b, sock_x(a)->tcp.rtt_us, sock_x(b)->tcp.rtt_us);
	case COL_CWND:
		return cmp_tcp(a, b, sock_x(a)->tcp.snd_cwnd, sock_x(b)->tcp.snd_cwnd);
	case COL_RETRANS:
		return cmp_tcp(a, b, sock_x(a)->tcp.total_retrans, sock_x(b)->tcp.total_retrans);
	case COL_RX:
		return cmp_rate(da, db, true);
	case COL_TX:
		return cmp_rate(da, db, false);
	case COL_SPARK:
		return cmp_total_rate(da, db);
	case COL_HINT:
		return cmp_u64(da ? DIFF_HINT(da->flags) : 0, db ? DIFF_HINT(db->flags) : 0);
	case COL_COOKIE:
		return cmp_u64(a->cookie, b->cookie);
	case COL_SKMEM:
		return cmp_u64(mem_key(a), mem_key(b));
	case COL_TIMER:
		return cmp_u64(timer_key(a), timer_key(b));
	case COL_MAX_:
		break;
	}
	return 0;
}

int cell_compare(enum col c, const struct sock *a, const struct diff_entry *da,
		 const struct sock *b, const struct diff_entry *db,
		 const struct procmap *pm)
{
	int r = cmp_primary(c, a, da, b, db, pm);

	if (r)
		return r;
	if ((r = cmp_primary(COL_PROTO, a, NULL, b, NULL, NULL)))
		return r;
	if ((r = cmp_addr(a, b, false)))
		return r;
	if ((r = cmp_addr(a, b, true)))
		return r;
	if ((r = cmp_u64(a->key.cookie, b->key.cookie)))
		return r;
	if ((r = cmp_u64(a->key.inode, b->key.inode)))
		return r;
	return cmp_u64((uint64_t)a->key.family << 8 | a->key.proto,
		       (uint64_t)b->key.family << 8 | b->key.proto);
}

/* ---- sort keys ----
 * The order of cell_compare() encoded in integers, for the table's sort
 * (table.c): 10^5 rows sort on words next to each other in memory instead
 * of chasing pointers into the records. Each function here mirrors a
 * comparison above; test_cell checks that they agree. */

static uint64_t be_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t v = 0;

	for (size_t i = 0; i < 8; i++)
		v = v << 8 | (i < n ? b[i] : 0);
	return v;
}

/* Three words in the order of cmp_addr(); false if they are only a prefix
 * (a long Unix name). A long name's length reads as 23, whatever it is:
 * two long names with the same first 22 bytes have equal words, so that
 * cell_compare() looks further. */
static bool addr_key(const struct sock *s, bool peer, uint64_t w[3])
{
	/* IPv4, IPv6, other families by number, Unix last */
	unsigned rank = s->family == AF_INET ? 0 : s->family == AF_INET6 ? 1
						      : s->family == AF_UNIX ? 3 : 2;

	if (s->family == AF_INET || s->family == AF_INET6) {
		const uint8_t *a = peer ? s->raddr : s->laddr;

		w[0] = (uint64_t)rank << 56 | be_bytes(a, 7) >> 8;
		w[1] = be_bytes(a + 7, 8);
		w[2] = (uint64_t)a[15] << 56 | (uint64_t)(peer ? s->rport : s->lport) << 40;
		return true;
	}
	if (is_kind(s)) {
		w[0] = (uint64_t)rank << 56 | (uint64_t)s->family << 40;
		kind_words(s, peer, &w[1], &w[2]);
		return true;
	}
	if (s->family != AF_UNIX) {
		w[0] = (uint64_t)rank << 56;
		w[1] = s->family;
		w[2] = 0;
		return true;
	}
	if (peer) {
		w[0] = (uint64_t)rank << 56;
		w[1] = s->peer_inode;
		w[2] = 0;
		return true;
	}
	w[0] = (uint64_t)rank << 56 | be_bytes(sock_x(s)->name, sock_x(s)->name_len < 7 ? sock_x(s)->name_len : 7) >> 8;
	w[1] = sock_x(s)->name_len > 7 ? be_bytes(sock_x(s)->name + 7, sock_x(s)->name_len - 7u) : 0;
	w[2] = (sock_x(s)->name_len > 15 ? be_bytes(sock_x(s)->name + 15, sock_x(s)->name_len - 15u) >> 8 << 8 : 0) |
	       (sock_x(s)->name_len <= 22 ? sock_x(s)->name_len : 23u);
	return sock_x(s)->name_len <= 22;
}

static uint64_t state_rank(const struct sock *s)
{
	/* cmp_primary() sorts states by name */
	static const char *const order[] = {
		"CLOSE", "CLOSE-WAIT", "CLOSING", "ESTAB", "FIN-WAIT-1", "FIN-WAIT-2",
		"LAST-ACK", "LISTEN", "SYN-RECV", "SYN-SENT", "TIME-WAIT", "UNCONN",
		"UNKNOWN",
	};
	const char *n = sock_state_name(s);

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (!strcmp(order[i], n))
			return i;
	return 99;
}

/* cmp_rate(): no rate first, then by value (non-negative floats order as
 * their bits). */
static uint64_t rate_key(bool has, float v)
{
	uint32_t bits;

	if (!has)
		return 0;
	if (v < 0)
		v = 0;
	memcpy(&bits, &v, sizeof(bits));
	return (uint64_t)1 << 63 | bits;
}

/* cmp_tcp(): sockets without tcp_info below every value. */
static uint64_t tcp_key(const struct sock *s, uint64_t v)
{
	return has_tcp(s) ? (uint64_t)1 << 32 | v : 0;
}

/* cmp_process(), and sockview's own sockets as their cell reads. As for
 * names, a command longer than the words hold (16 bytes: the process map
 * keeps that many) has its length read as 16 and no pid: two with the same
 * first 15 bytes are left to cell_compare(). */
static bool process_key(const struct sock *s, const struct procmap *pm,
			const struct ownset *own, uint64_t w[3])
{
	struct proc_owner o;
	size_t clen = 0;
	const char *comm;
	uint32_t inode = sock_owner_inode(s);

	if (own && ownset_find(own, inode, NULL)) {
		/* shown as sockview/PID whatever the last scan saw */
		w[0] = be_bytes("sockview", 8);
		w[1] = 8;
		w[2] = (uint32_t)getpid();
		return true;
	}
	if (!pm)
		return true; /* all equal */
	if (!inode || !procmap_owners(pm, inode, &o, 1)) {
		/* no process: after all the others */
		w[0] = w[1] = w[2] = UINT64_MAX;
		return true;
	}
	comm = procmap_comm(pm, o.pid, &clen);
	if (!comm)
		clen = 0;
	w[0] = be_bytes(comm, clen < 8 ? clen : 8);
	w[1] = (clen > 8 ? be_bytes(comm + 8, clen - 8) >> 8 << 8 : 0) | (clen <= 15 ? clen : 16u);
	w[2] = clen <= 15 ? (uint32_t)o.pid : 0;
	return clen <= 15;
}

/* cmp_service(): the first 16 bytes and the length; exact up to 16. */
static bool service_key(const struct sock *s, const struct procmap *pm, uint64_t w[3])
{
	size_t len;
	const char *svc = service_of(s, pm, &len);

	if (!svc) {
		w[0] = w[1] = w[2] = UINT64_MAX;
		return true;
	}
	w[0] = be_bytes(svc, len < 8 ? len : 8);
	w[1] = len > 8 ? be_bytes(svc + 8, len - 8 < 8 ? len - 8 : 8) : 0;
	w[2] = len <= 16 ? len : 17; /* longer ones tie: cell_compare decides */
	return len <= 16;
}

bool cell_sortkey(enum col c, const struct sock *s, const struct diff_entry *d,
		  const struct procmap *pm, const struct ownset *own, uint64_t w[3])
{
	bool rates = d && (d->flags & DIFF_RATES);

	w[0] = w[1] = w[2] = 0;
	switch (c) {
	case COL_PROTO: w[0] = (uint64_t)s->proto << 8 | s->type; return true;
	case COL_STATE: w[0] = state_rank(s); return true;
	case COL_RECVQ: w[0] = s->recv_q; return true;
	case COL_SENDQ: w[0] = s->send_q; return true;
	case COL_LOCAL: return addr_key(s, false, w);
	case COL_PEER: return addr_key(s, true, w);
	case COL_PROCESS: return process_key(s, pm, own, w);
	case COL_UID: w[0] = s->uid; return true;
	case COL_INODE: w[0] = s->inode; return true;
	case COL_NETNS: w[0] = s->key.netns; return true;
	case COL_SERVICE: return service_key(s, pm, w);
	case COL_RTT: w[0] = tcp_key(s, sock_x(s)->tcp.rtt_us); return true;
	case COL_CWND: w[0] = tcp_key(s, sock_x(s)->tcp.snd_cwnd); return true;
	case COL_RETRANS: w[0] = tcp_key(s, sock_x(s)->tcp.total_retrans); return true;
	case COL_RX: w[0] = rate_key(rates, d ? d->rx_rate : 0); return true;
	case COL_TX: w[0] = rate_key(rates, d ? d->tx_rate : 0); return true;
	case COL_SPARK: w[0] = rate_key(rates, d ? d->rx_rate + d->tx_rate : 0); return true;
	case COL_HINT: w[0] = d ? DIFF_HINT(d->flags) : 0; return true;
	case COL_COOKIE: w[0] = s->cookie; return true;
	case COL_SKMEM: w[0] = mem_key(s); return true;
	case COL_TIMER: w[0] = timer_key(s); return true;
	case COL_MAX_:
		break;
	}
	return true;
}

bool cell_sortkey_ties(const struct sock *s, uint64_t w[8])
{
	bool exact;

	w[0] = (uint64_t)s->proto << 8 | s->type;
	exact = addr_key(s, false, w + 1);
	addr_key(s, true, w + 4);
	w[7] = s->key.cookie;
	return exact;
}
