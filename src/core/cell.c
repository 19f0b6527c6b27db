/* cell.c - column definitions, cell text and sort order of the table. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cell.h"
#include "i18n.h"
#include "output.h"

#define COL(t, n, mn, want, mx, prio, right, opt, cut) \
	{ t, n, mn, want, mx, prio, right, opt, cut }

/* Widths leave room for the sort mark after the title. Priorities: lower
 * survives longer on narrow screens; Proto and Local always stay. */
static const struct col_info cols[COL_MAX_] = {
	[COL_PROTO] = COL(N_("Proto"), N_("Protocol"), 5, 5, 6, 1, false, false, CUT_END),
	[COL_STATE] = COL(N_("State"), N_("State"), 10, 10, 11, 2, false, false, CUT_END),
	[COL_RECVQ] = COL(N_("Recv-Q"), N_("Receive queue"), 6, 6, 10, 5, true, false, CUT_END),
	[COL_SENDQ] = COL(N_("Send-Q"), N_("Send queue"), 6, 6, 10, 6, true, false, CUT_END),
	[COL_LOCAL] = COL(N_("Local"), N_("Local address"), 10, 18, 60, 0, false, false,
			  CUT_MIDDLE),
	[COL_PEER] = COL(N_("Peer"), N_("Peer address"), 8, 15, 50, 3, false, false, CUT_MIDDLE),
	[COL_PROCESS] = COL(N_("Process"), N_("Process"), 7, 12, 30, 4, false, false, CUT_END),
	[COL_UID] = COL(N_("UID"), N_("User id"), 5, 5, 10, 7, true, true, CUT_END),
	[COL_INODE] = COL(N_("Inode"), N_("Inode"), 7, 7, 10, 8, true, true, CUT_END),
	[COL_RTT] = COL(N_("RTT"), N_("Round-trip time (TCP)"), 7, 7, 9, 9, true, true, CUT_END),
	[COL_CWND] = COL(N_("Cwnd"), N_("Congestion window (TCP)"), 5, 5, 8, 10, true, true,
			 CUT_END),
	[COL_RETRANS] = COL(N_("Retr"), N_("Retransmitted segments (TCP)"), 4, 4, 8, 11, true,
			    true, CUT_END),
	[COL_RX] = COL(N_("Rx/s"), N_("Receive rate (TCP)"), 6, 6, 8, 12, true, true, CUT_END),
	[COL_TX] = COL(N_("Tx/s"), N_("Send rate (TCP)"), 6, 6, 8, 13, true, true, CUT_END),
};

const struct col_info *cell_col(enum col c)
{
	return &cols[c < COL_MAX_ ? c : COL_PROTO];
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

/* "comm/pid", and ",+N" when N more processes hold the socket. */
static size_t format_process(struct buf *out, const struct sock *s, const struct cell_ctx *ctx)
{
	struct proc_owner own[16];
	size_t n, i, pids = 0, w, at;
	const char *comm;
	size_t clen = 0;
	int32_t last = -1;
	unsigned tag;

	if (ctx->own && ownset_find(ctx->own, s->inode, &tag)) {
		/* ours: the process is this one, whatever the last /proc
		 * scan saw (it may not have seen a socket opened since) */
		at = out->len;
		buf_printf(out, "sockview/%d [%u]", (int)getpid(), tag);
		return out->len - at;
	}
	if (!ctx->pm || !s->inode)
		return 0;
	n = procmap_owners(ctx->pm, s->inode, own, 16);
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
	case COL_RTT:
		if (has_tcp(s) && s->tcp.rtt_us) {
			cell_usec(s->tcp.rtt_us, tmp, sizeof(tmp));
			buf_puts(out, tmp);
		}
		break;
	case COL_CWND:
		if (has_tcp(s))
			buf_printf(out, "%u", s->tcp.snd_cwnd);
		break;
	case COL_RETRANS:
		if (has_tcp(s))
			buf_printf(out, "%u", s->tcp.total_retrans);
		break;
	case COL_RX:
	case COL_TX:
		if (d && (d->flags & DIFF_RATES)) {
			cell_rate(c == COL_RX ? d->rx_rate : d->tx_rate, tmp, sizeof(tmp));
			buf_puts(out, tmp);
		}
		break;
	case COL_MAX_:
		break;
	}
	/* everything above but addresses and names is ASCII */
	return out->len - at;
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

/* Addresses: IPv4 before IPv6 before Unix; then bytes, then port. Unix
 * local names compare as bytes, Unix peers by inode. */
static int cmp_addr(const struct sock *a, const struct sock *b, bool peer)
{
	int r;

	if (a->family != b->family)
		return a->family == AF_UNIX ? 1 : b->family == AF_UNIX ? -1
								   : cmp_u64(a->family, b->family);
	if (is_inet(a)) {
		r = memcmp(peer ? a->raddr : a->laddr, peer ? b->raddr : b->laddr, 16);
		if (r)
			return r;
		return cmp_u64(peer ? a->rport : a->lport, peer ? b->rport : b->lport);
	}
	if (peer)
		return cmp_u64(a->peer_inode, b->peer_inode);
	r = memcmp(a->name, b->name, a->name_len < b->name_len ? a->name_len : b->name_len);
	if (r)
		return r;
	return cmp_u64(a->name_len, b->name_len);
}

/* The first owner's command name; sockets without one sort last. */
static int cmp_process(const struct sock *a, const struct sock *b, const struct procmap *pm)
{
	struct proc_owner oa, ob;
	size_t na, nb, la = 0, lb = 0;
	const char *ca, *cb;
	int r;

	if (!pm)
		return 0;
	na = a->inode ? procmap_owners(pm, a->inode, &oa, 1) : 0;
	nb = b->inode ? procmap_owners(pm, b->inode, &ob, 1) : 0;
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

/* For TCP-only numbers: sockets without tcp_info sort below every value. */
static int cmp_tcp(const struct sock *a, const struct sock *b, uint64_t va, uint64_t vb)
{
	if (!has_tcp(a) || !has_tcp(b))
		return has_tcp(a) ? 1 : has_tcp(b) ? -1 : 0;
	return cmp_u64(va, vb);
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
	case COL_RTT:
		return cmp_tcp(a, b, a->tcp.rtt_us, b->tcp.rtt_us);
	case COL_CWND:
		return cmp_tcp(a, b, a->tcp.snd_cwnd, b->tcp.snd_cwnd);
	case COL_RETRANS:
		return cmp_tcp(a, b, a->tcp.total_retrans, b->tcp.total_retrans);
	case COL_RX:
		return cmp_rate(da, db, true);
	case COL_TX:
		return cmp_rate(da, db, false);
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
