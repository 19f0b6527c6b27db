/* output.c - batch output writers. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "diagnose.h"
#include "nstab.h"
#include "output.h"
#include "service.h"
#include "sockkind.h"
#include "output_extra.h"
#include "xalloc.h"

/* Owners shown per socket; more are summarised ("...") in the table. */
#define MAX_OWNERS 64

static bool is_inet(const struct sock *s)
{
	return s->family == AF_INET || s->family == AF_INET6;
}

static bool addr_is_any(const struct sock *s, bool peer)
{
	static const uint8_t zero[16];
	const uint8_t *a = peer ? s->raddr : s->laddr;

	return !memcmp(a, zero, s->family == AF_INET ? 4 : 16);
}

/* Writes v in decimal at dst (20 bytes at most, no NUL); returns the length.
 * printf's machinery costs more than the rest of a table row. */
static size_t put_uint(char *dst, uint64_t v)
{
	char t[20];
	size_t n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		dst[i] = t[n - 1 - i];
	return n;
}

static void buf_uint(struct buf *out, uint64_t v)
{
	char t[20];

	buf_append(out, t, put_uint(t, v));
}

/* Digits of v in decimal. */
static size_t uint_width(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static size_t put_ipv4(char *dst, const uint8_t *a)
{
	size_t n = 0;

	for (int i = 0; i < 4; i++) {
		if (i)
			dst[n++] = '.';
		n += put_uint(dst + n, a[i]);
	}
	return n;
}

/* The text inet_ntop() gives for an IPv6 address (RFC 5952: lower-case hex,
 * the first longest run of two or more zero groups as "::", IPv4-mapped and
 * IPv4-compatible addresses with a dotted quad), without its sprintf per
 * group. dst holds INET6_ADDRSTRLEN bytes; returns the length (no NUL). */
static size_t put_ipv6(char *dst, const uint8_t *a)
{
	static const char hex[] = "0123456789abcdef";
	unsigned w[8];
	int best = -1, best_len = 0, cur = -1;
	size_t n = 0;

	for (int i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (w[i] == 0) {
			if (cur < 0)
				cur = i;
			if (i - cur + 1 > best_len) {
				best = cur;
				best_len = i - cur + 1;
			}
		} else {
			cur = -1;
		}
	}
	if (best_len < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				dst[n++] = ':';
			continue;
		}
		if (i)
			dst[n++] = ':';
		if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff)))
			return n + put_ipv4(dst + n, a + 12);
		for (int sh = 12, lead = 1; sh >= 0; sh -= 4) {
			unsigned d = (w[i] >> sh) & 0xf;

			if (d || !lead || sh == 0) {
				dst[n++] = hex[d];
				lead = 0;
			}
		}
	}
	if (best >= 0 && best + best_len == 8)
		dst[n++] = ':';
	return n;
}

/* The address of an inet socket as inet_ntop() writes it; returns the
 * length (dst: INET6_ADDRSTRLEN bytes, not NUL-terminated). */
static size_t put_addr(char *dst, const struct sock *s, bool peer)
{
	const uint8_t *a = peer ? s->raddr : s->laddr;

	return s->family == AF_INET ? put_ipv4(dst, a) : put_ipv6(dst, a);
}

size_t output_addr(struct buf *out, const struct sock *s, bool peer, enum esc_charset cs)
{
	char a[64];
	size_t before = out->len, n = 0;
	uint16_t port = peer ? s->rport : s->lport;

	if (is_inet(s)) {
		if (peer && addr_is_any(s, true) && !port) {
			buf_append(out, "*:*", 3);
			return 3;
		}
		if (s->family == AF_INET6)
			a[n++] = '[';
		n += put_addr(a + n, s, peer);
		if (s->family == AF_INET6)
			a[n++] = ']';
		a[n++] = ':';
		if (port)
			n += put_uint(a + n, port);
		else
			a[n++] = '*';
		buf_append(out, a, n);
		return n;
	}
	if (s->family == AF_PACKET || s->family == AF_NETLINK) {
		/* "proto:ifname" / "proto:portid" as ss; interface names are
		 * the kernel's bytes: escaped */
		size_t k = peer ? sockkind_peer(s, a, sizeof(a)) : sockkind_local(s, a, sizeof(a));

		return esc_display(out, a, k, cs);
	}
	/* Unix: the local name, or for the peer its inode. */
	if (peer) {
		if (s->has & SOCK_HAS_PEER && s->peer_inode) {
			buf_append(out, "* ", 2);
			buf_uint(out, s->peer_inode);
		} else {
			buf_putc(out, '*');
		}
		return out->len - before;
	}
	if (!(s->has & SOCK_HAS_NAME) || !sock_x(s)->name_len) {
		buf_puts(out, "*");
		return 1;
	}
	if (sock_is_abstract(s)) {
		buf_putc(out, '@');
		return 1 + esc_display(out, sock_x(s)->name + 1, sock_x(s)->name_len - 1u, cs);
	}
	return esc_display(out, sock_x(s)->name, strnlen(sock_x(s)->name, sock_x(s)->name_len), cs);
}

size_t output_users(struct buf *out, const struct procmap *pm, const struct sock *s,
		    enum esc_charset cs)
{
	struct proc_owner own[MAX_OWNERS];
	size_t n, i, name_w = 0, name_bytes = 0, before;

	if (!pm || !s->inode)
		return 0;
	n = procmap_owners(pm, s->inode, own, MAX_OWNERS);
	if (!n)
		return 0;
	before = out->len;
	buf_puts(out, "users:(");
	for (i = 0; i < n && i < MAX_OWNERS; i++) {
		size_t clen = 0, at;
		const char *comm = procmap_comm(pm, own[i].pid, &clen);

		buf_append(out, i ? ",(\"" : "(\"", i ? 3 : 2);
		at = out->len;
		if (comm)
			name_w += esc_display(out, comm, clen, cs);
		name_bytes += out->len - at;
		buf_append(out, "\",pid=", 6);
		buf_uint(out, (uint32_t)own[i].pid);
		buf_append(out, ",fd=", 4);
		buf_uint(out, (uint32_t)own[i].fd);
		buf_putc(out, ')');
	}
	if (n > MAX_OWNERS)
		buf_puts(out, ",...");
	buf_putc(out, ')');
	/* everything but the escaped names is ASCII: one column per byte */
	return out->len - before - name_bytes + name_w;
}

static const char *const table_head[] = {
	N_("Netid"), N_("State"), N_("Recv-Q"), N_("Send-Q"),
	N_("Local Address:Port"), N_("Peer Address:Port"), N_("Process"),
};
enum { COL_NETID, COL_STATE, COL_RQ, COL_SQ, COL_LOCAL, COL_PEER, COL_PROC, NCOLS };


/* Where a document goes: appended to a buffer, or (with f) written out in
 * chunks as rows are formatted, so that memory never holds a whole table
 * of 10^5 rows. */
struct sink {
	struct buf *b;
	FILE *f;   /* NULL: everything stays in b */
	int err;   /* first write error (errno), 0 if none */
};

/* Bytes collected before a chunk goes to the file. */
#define SINK_CHUNK (64 * 1024)

static void sink_flush(struct sink *k)
{
	if (!k->f || !k->b->len)
		return;
	if (!k->err && fwrite(k->b->data, 1, k->b->len, k->f) != k->b->len)
		k->err = errno ? errno : EIO;
	buf_reset(k->b);
}

/* Called after each row: writes a full chunk out. */
static void sink_row(struct sink *k)
{
	if (k->f && k->b->len >= SINK_CHUNK)
		sink_flush(k);
}

static void pad(struct buf *out, size_t n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		buf_append(out, spaces, k);
		n -= k;
	}
}

/* The address cells of one row, kept between the two passes of the table:
 * their text in a shared buffer (local then peer), lengths and widths. */
struct addr_cells {
	size_t off;
	uint32_t llen, lw, plen, pw;
};

/* Text and width of the local address cell (Unix: name and inode). */
static size_t table_local(struct buf *out, const struct sock *s, enum esc_charset cs)
{
	size_t w = output_addr(out, s, false, cs);

	if (s->proto == SP_UNIX) {
		buf_putc(out, ' ');
		buf_uint(out, s->inode);
		w += 1 + uint_width(s->inode);
	}
	return w;
}

/* The Netns cell of --all-netns (nstab_label, escaped); its width. */
static size_t table_netns(struct buf *out, const struct output_ctx *ctx, const struct sock *s)
{
	const struct nstab_ent *e = nstab_find(ctx->ns, s->key.netns);
	char label[128];
	size_t n;

	if (!e)
		n = (size_t)snprintf(label, sizeof(label), "netns:[%u]", (unsigned)s->key.netns);
	else
		n = nstab_label(e, label, sizeof(label));
	return esc_display(out, label, n, ctx->cs);
}

static void put_cell(struct buf *out, const char *p, size_t len, size_t width,
		     size_t col_w, bool right)
{
	if (right && col_w > width)
		pad(out, col_w - width);
	buf_append(out, p, len);
	if (!right && col_w > width)
		pad(out, col_w - width);
	buf_putc(out, ' ');
}

/* Two passes: the first measures every column that gets padded (only the
 * address cells need formatting for that, and they are kept), the second
 * writes the rows. The last column (processes) is never padded, so it is
 * formatted once, straight into the output. */
void output_rate(double v, char *dst, size_t len)
{
	static const char units[] = "KMGTP";
	int u = -1;

	while (v >= 1000.0 && u < (int)sizeof(units) - 2) {
		v /= 1024.0;
		u++;
	}
	if (u < 0)
		snprintf(dst, len, "%.0f", v < 0.5 ? 0.0 : v);
	else
		snprintf(dst, len, v < 10.0 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

/* --rate's two cells (bytes/s, like the live view's Rx/s, Tx/s); "-" where
 * the kernel gives no byte counts. */
#define RATE_W 7
static void table_rates(struct buf *out, const struct output_extra *x)
{
	char r[16];

	for (int k = 0; k < 2; k++) {
		if (x->rates)
			output_rate(k ? x->tx : x->rx, r, sizeof(r));
		else
			snprintf(r, sizeof(r), "-");
		put_cell(out, r, strlen(r), strlen(r), RATE_W, true);
	}
}

static void write_table(struct sink *k, const struct output_ctx *ctx,
			const struct sock *const *rows, size_t n)
{
	struct buf *out = k->b;
	struct buf cells = BUF_INIT;
	struct addr_cells *ac = xcalloc(n ? n : 1, sizeof(*ac));
	size_t w[NCOLS];
	size_t i, c, last = ctx->pm ? COL_PROC : COL_PEER;
	bool right[NCOLS] = { [COL_RQ] = true, [COL_SQ] = true };
	/* -e -i -m -o: extra cells between Peer and Process (output_extra.h),
	 * formatted in the first pass and kept like the address cells */
	size_t nx = output_extra_ncols(ctx->xcols), *xw = NULL;
	struct addr_cells *xc = NULL;

	struct buf nsb = BUF_INIT;
	size_t wns = 0;

	for (c = 0; c < NCOLS; c++)
		w[c] = esc_width(_(table_head[c]), strlen(_(table_head[c])), ctx->cs);
	if (ctx->ns)
		wns = esc_width(_("Netns"), strlen(_("Netns")), ctx->cs);
	for (i = 0; i < n; i++) {
		const struct sock *s = rows[i];
		size_t at = cells.len, x;

		if (ctx->ns) {
			nsb.len = 0;
			if ((x = table_netns(&nsb, ctx, s)) > wns)
				wns = x;
		}

		if ((x = strlen(sock_netid(s))) > w[COL_NETID])
			w[COL_NETID] = x;
		if ((x = strlen(sock_state_name(s))) > w[COL_STATE])
			w[COL_STATE] = x;
		if ((x = uint_width(s->recv_q)) > w[COL_RQ])
			w[COL_RQ] = x;
		if ((x = uint_width(s->send_q)) > w[COL_SQ])
			w[COL_SQ] = x;
		ac[i].off = at;
		ac[i].lw = (uint32_t)table_local(&cells, s, ctx->cs);
		ac[i].llen = (uint32_t)(cells.len - at);
		at = cells.len;
		ac[i].pw = (uint32_t)output_addr(&cells, s, true, ctx->cs);
		ac[i].plen = (uint32_t)(cells.len - at);
		if (ac[i].lw > w[COL_LOCAL])
			w[COL_LOCAL] = ac[i].lw;
		if (ac[i].pw > w[COL_PEER])
			w[COL_PEER] = ac[i].pw;
	}
	if (nx) {
		xw = xcalloc(nx, sizeof(*xw));
		xc = xcalloc(n ? n * nx : 1, sizeof(*xc));
		for (c = 0; c < nx; c++)
			xw[c] = esc_width(output_extra_title(ctx->xcols, c),
					  strlen(output_extra_title(ctx->xcols, c)), ctx->cs);
		for (i = 0; i < n; i++) {
			for (c = 0; c < nx; c++) {
				struct addr_cells *x = &xc[i * nx + c];

				x->off = cells.len;
				x->lw = (uint32_t)output_extra_cell(&cells, ctx->xcols, c, rows[i], ctx->cs);
				x->llen = (uint32_t)(cells.len - x->off);
				if (x->lw > xw[c])
					xw[c] = x->lw;
			}
		}
	}
	if (ctx->ns && !ctx->no_header)
		put_cell(out, _("Netns"), strlen(_("Netns")),
			 esc_width(_("Netns"), strlen(_("Netns")), ctx->cs), wns, false);
	for (c = 0; c < NCOLS && !ctx->no_header; c++) {
		const char *h = _(table_head[c]);
		size_t hw = esc_width(h, strlen(h), ctx->cs);

		if (c == last && !nx) {
			buf_puts(out, h);
			break;
		}
		if (c == COL_PROC)
			break;
		put_cell(out, h, strlen(h), hw, w[c], right[c]);
		if (c == COL_SQ && ctx->rates && ctx->extra) {
			put_cell(out, _("Rx/s"), strlen(_("Rx/s")), esc_width(_("Rx/s"), strlen(_("Rx/s")), ctx->cs), RATE_W, true);
			put_cell(out, _("Tx/s"), strlen(_("Tx/s")), esc_width(_("Tx/s"), strlen(_("Tx/s")), ctx->cs), RATE_W, true);
		}
		if (c == COL_PEER) {
			for (size_t x = 0; x < nx; x++) {
				const char *t = output_extra_title(ctx->xcols, x);

				put_cell(out, t, strlen(t), esc_width(t, strlen(t), ctx->cs), xw[x],
					 output_extra_right(ctx->xcols, x));
			}
			if (last == COL_PROC)
				buf_puts(out, _(table_head[COL_PROC]));
			break;
		}
	}
	if (!ctx->no_header) {
		while (out->len && out->data[out->len - 1] == ' ')
			out->len--;
		buf_putc(out, '\n');
	}
	for (i = 0; i < n; i++) {
		const struct sock *s = rows[i];
		const char *txt = cells.data + ac[i].off;
		char num[20];
		size_t len;

		if (ctx->ns) {
			size_t nw;

			nsb.len = 0;
			nw = table_netns(&nsb, ctx, s);
			put_cell(out, nsb.data, nsb.len, nw, wns, false);
		}
		put_cell(out, sock_netid(s), strlen(sock_netid(s)), strlen(sock_netid(s)), w[COL_NETID], false);
		len = strlen(sock_state_name(s));
		put_cell(out, sock_state_name(s), len, len, w[COL_STATE], false);
		len = put_uint(num, s->recv_q);
		put_cell(out, num, len, len, w[COL_RQ], true);
		len = put_uint(num, s->send_q);
		put_cell(out, num, len, len, w[COL_SQ], true);
		if (ctx->rates && ctx->extra)
			table_rates(out, &ctx->extra[i]);
		put_cell(out, txt, ac[i].llen, ac[i].lw, w[COL_LOCAL], false);
		if (last == COL_PEER && !nx) {
			buf_append(out, txt + ac[i].llen, ac[i].plen);
		} else {
			put_cell(out, txt + ac[i].llen, ac[i].plen, ac[i].pw, w[COL_PEER], false);
			for (c = 0; c < nx; c++) {
				const struct addr_cells *x = &xc[i * nx + c];

				put_cell(out, cells.data + x->off, x->llen, x->lw, xw[c],
					 output_extra_right(ctx->xcols, c));
			}
			if (last == COL_PROC)
				output_users(out, ctx->pm, s, ctx->cs);
		}
		/* no trailing blanks when the last cell is empty */
		while (out->len && out->data[out->len - 1] == ' ')
			out->len--;
		buf_putc(out, '\n');
		sink_row(k);
	}
	free(ac);
	free(xc);
	free(xw);
	buf_free(&cells);
	buf_free(&nsb);
}

static void json_str(struct buf *out, const void *p, size_t n)
{
	buf_putc(out, '"');
	esc_json(out, p, n);
	buf_putc(out, '"');
}

/* Packet: {"protocol": "ip", "ifname": "lo"} ("*" for all protocols,
 * null for any interface); netlink: {"protocol": "rtnl", "portid": N}, the
 * peer {"group": N, "portid": N} when connected. Else null. */
static void json_kind_endpoint(struct buf *out, const struct sock *s, bool peer)
{
	if (s->family == AF_PACKET && !peer) {
		const char *pn = sockkind_ethproto_name(sock_x(s)->pkt.ethproto);

		buf_puts(out, "{\"protocol\": ");
		if (pn)
			json_str(out, pn, strlen(pn));
		else
			buf_printf(out, "\"0x%04x\"", sock_x(s)->pkt.ethproto);
		buf_puts(out, ", \"ifname\": ");
		if ((s->has & SOCK_HAS_PKTINFO) && s->ifindex && (s->has & SOCK_HAS_IFNAME) &&
		    sock_x(s)->pkt.ifname[0])
			json_str(out, sock_x(s)->pkt.ifname, strnlen(sock_x(s)->pkt.ifname, sizeof(sock_x(s)->pkt.ifname)));
		else
			buf_puts(out, "null");
		buf_putc(out, '}');
		return;
	}
	if (s->family == AF_NETLINK && !peer) {
		const char *pn = sockkind_netlink_name(sock_x(s)->nl.protocol);

		buf_puts(out, "{\"protocol\": ");
		if (pn)
			json_str(out, pn, strlen(pn));
		else
			buf_printf(out, "\"%u\"", sock_x(s)->nl.protocol);
		buf_printf(out, ", \"portid\": %d}", (int32_t)sock_x(s)->nl.portid);
		return;
	}
	if (s->family == AF_NETLINK && sock_x(s)->nl.connected) {
		buf_printf(out, "{\"group\": %u, \"portid\": %d}", sock_x(s)->nl.dst_group,
			   (int32_t)sock_x(s)->nl.dst_portid);
		return;
	}
	buf_puts(out, "null");
}

/* The kind's own object: "packet", "netlink" or "mptcp". */
static void json_kind(struct buf *out, const struct sock *s)
{
	if (s->proto == SP_PACKET) {
		buf_printf(out, ", \"packet\": {\"protocol\": %u, \"type\": \"%s\", \"ifindex\": ",
			   sock_x(s)->pkt.ethproto, s->type == SOCK_DGRAM ? "dgram" : "raw");
		if (s->has & SOCK_HAS_PKTINFO)
			buf_printf(out, "%u, \"version\": %u, \"copy_thresh\": %u, \"flags\": %u",
				   s->ifindex, sock_x(s)->pkt.version, sock_x(s)->pkt.copy_thresh, sock_x(s)->pkt.flags);
		else
			buf_puts(out, "null");
		if (s->has & SOCK_HAS_FANOUT)
			buf_printf(out, ", \"fanout\": {\"id\": %u, \"type\": %u}",
				   sock_x(s)->pkt.fanout & 0xffff, sock_x(s)->pkt.fanout >> 16);
		buf_putc(out, '}');
	} else if (s->proto == SP_NETLINK) {
		buf_printf(out, ", \"netlink\": {\"protocol\": %u, \"portid\": %d, "
			   "\"dst_portid\": %d, \"dst_group\": %u, \"groups\": ",
			   sock_x(s)->nl.protocol, (int32_t)sock_x(s)->nl.portid, (int32_t)sock_x(s)->nl.dst_portid,
			   sock_x(s)->nl.dst_group);
		if (s->has & SOCK_HAS_GROUPS) {
			unsigned shown = 0;
			unsigned bits = sock_x(s)->nl.ngroups < SOCK_NL_GROUP_WORDS * 32 ? sock_x(s)->nl.ngroups
										 : SOCK_NL_GROUP_WORDS * 32;

			buf_putc(out, '[');
			for (unsigned g = 0; g < bits; g++)
				if (sock_x(s)->nl.groups[g / 32] & (1u << (g % 32)))
					buf_printf(out, "%s%u", shown++ ? ", " : "", g + 1);
			buf_putc(out, ']');
		} else {
			buf_puts(out, "null");
		}
		buf_printf(out, ", \"flags\": %u}", sock_x(s)->nl.flags);
	} else if (s->proto == SP_MPTCP && (s->has & SOCK_HAS_MPTCP)) {
		const struct sock_mptcp *m = &sock_x(s)->mptcp;

		buf_printf(out, ", \"mptcp\": {\"subflows\": %u, \"subflows_max\": %u, "
			   "\"add_addr_signal\": %u, \"add_addr_accepted\": %u, "
			   "\"local_addr_used\": %u, \"local_addr_max\": %u, "
			   "\"csum_enabled\": %s, \"flags\": %u, \"token\": %u, "
			   "\"write_seq\": %llu, \"snd_una\": %llu, \"rcv_nxt\": %llu}",
			   m->subflows, m->subflows_max, m->add_addr_signal, m->add_addr_accepted,
			   m->local_addr_used, m->local_addr_max, m->csum_enabled ? "true" : "false",
			   m->flags, m->token, (unsigned long long)m->write_seq,
			   (unsigned long long)m->snd_una, (unsigned long long)m->rcv_nxt);
	}
}

static void json_endpoint(struct buf *out, const struct sock *s, bool peer)
{
	char a[64];

	if (is_inet(s)) {
		buf_puts(out, "{\"addr\": \"");
		buf_append(out, a, put_addr(a, s, peer));
		buf_puts(out, "\", \"port\": ");
		buf_uint(out, peer ? s->rport : s->lport);
		buf_putc(out, '}');
		return;
	}
	if (s->family == AF_PACKET || s->family == AF_NETLINK) {
		json_kind_endpoint(out, s, peer);
		return;
	}
	if (peer || !(s->has & SOCK_HAS_NAME) || !sock_x(s)->name_len) {
		buf_puts(out, "null");
		return;
	}
	buf_puts(out, "{\"path\": \"");
	if (sock_is_abstract(s)) {
		buf_putc(out, '@');
		esc_json(out, sock_x(s)->name + 1, sock_x(s)->name_len - 1u);
	} else {
		esc_json(out, sock_x(s)->name, strnlen(sock_x(s)->name, sock_x(s)->name_len));
	}
	buf_puts(out, "\"}");
}

static void json_tcp(struct buf *out, const struct sock *s)
{
	const struct sock_tcp *t = &sock_x(s)->tcp;

	buf_printf(out, ", \"tcp_info\": {\"rtt_us\": %u, \"rttvar_us\": %u, "
		   "\"cwnd\": %u, \"ssthresh\": %u, \"retrans\": %u, "
		   "\"total_retrans\": %u, \"bytes_acked\": %llu, "
		   "\"bytes_received\": %llu, \"bytes_sent\": %llu, "
		   "\"delivery_rate\": %llu, \"mss\": %u, \"rcv_mss\": %u, "
		   "\"rto_us\": %u, \"unacked\": %u, \"lost\": %u",
		   t->rtt_us, t->rttvar_us, t->snd_cwnd, t->snd_ssthresh, t->retrans,
		   t->total_retrans, (unsigned long long)t->bytes_acked,
		   (unsigned long long)t->bytes_received,
		   (unsigned long long)t->bytes_sent,
		   (unsigned long long)t->delivery_rate, t->snd_mss, t->rcv_mss,
		   t->rto_us, t->unacked, t->lost);
	if (s->has & SOCK_HAS_CONG) {
		buf_puts(out, ", \"congestion\": ");
		json_str(out, sock_x(s)->cong, strnlen(sock_x(s)->cong, sizeof(sock_x(s)->cong)));
	}
	buf_putc(out, '}');
}

static void json_processes(struct buf *out, const struct procmap *pm, const struct sock *s)
{
	struct proc_owner own[MAX_OWNERS];
	size_t n = 0, i;

	if (pm && s->inode)
		n = procmap_owners(pm, s->inode, own, MAX_OWNERS);
	buf_puts(out, ", \"processes\": [");
	for (i = 0; i < n && i < MAX_OWNERS; i++) {
		size_t clen = 0;
		const char *comm = procmap_comm(pm, own[i].pid, &clen);

		buf_printf(out, "%s{\"pid\": %d, \"comm\": ", i ? ", " : "", (int)own[i].pid);
		if (comm)
			json_str(out, comm, clen);
		else
			buf_puts(out, "null");
		buf_printf(out, ", \"fd\": %d", (int)own[i].fd);
		{
			/* a process living in another namespace than the one
			 * the socket was dumped in (known with --all-netns) */
			uint32_t pns = procmap_netns(pm, own[i].pid);

			if (s->key.netns && pns && pns != s->key.netns)
				buf_printf(out, ", \"netns_inode\": %u", (unsigned)pns);
		}
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
}

/* The keys a batch run adds (struct output_extra). */
static void json_extra(struct buf *out, const struct output_ctx *ctx, size_t i)
{
	const struct output_extra *x;

	if (!ctx->extra)
		return;
	x = &ctx->extra[i];
	if (x->rates)
		buf_printf(out, ", \"rx_rate\": %.0f, \"tx_rate\": %.0f", (double)x->rx,
			   (double)x->tx);
	if (x->hint) {
		const char *t = diag_sentence((enum diag_rule)x->hint);

		buf_printf(out, ", \"hint\": {\"id\": \"%s\", \"text\": ",
			   diag_name((enum diag_rule)x->hint));
		json_str(out, t, strlen(t));
		buf_putc(out, '}');
	}
}

/* The keys of --all-netns and of the service (cgroup.h): "netns": {"name":
 * NAME or null, "inode": N, "label": what the Netns column shows} and
 * "service": the socket's service label (service.h: its own cgroup's, else
 * its first owner's) or null. */
static void json_netns(struct buf *out, const struct output_ctx *ctx, const struct sock *s)
{
	if (ctx->ns) {
		const struct nstab_ent *e = nstab_find(ctx->ns, s->key.netns);
		char label[128];
		size_t n;

		buf_puts(out, ", \"netns\": {\"name\": ");
		if (e && e->name_len)
			json_str(out, e->name, e->name_len);
		else
			buf_puts(out, "null");
		buf_printf(out, ", \"inode\": %u, \"label\": ", (unsigned)s->key.netns);
		if (e) {
			n = nstab_label(e, label, sizeof(label));
			json_str(out, label, n);
		} else {
			buf_puts(out, "null");
		}
		buf_putc(out, '}');
	}
	if (ctx->pm) {
		size_t len = 0;
		const char *svc = service_of_sock(s, ctx->pm, &len, NULL);

		buf_puts(out, ", \"service\": ");
		if (svc)
			json_str(out, svc, len);
		else
			buf_puts(out, "null");
	}
}

static void write_json(struct sink *k, const struct output_ctx *ctx,
		       const struct sock *const *rows, size_t n)
{
	struct buf *out = k->b;

	buf_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		buf_puts(out, i ? ",\n" : "\n");
		output_json_sock(out, ctx, rows[i], i);
		sink_row(k);
	}
	buf_puts(out, n ? "\n]\n" : "]\n");
}

void output_json_sock(struct buf *out, const struct output_ctx *ctx, const struct sock *s,
		      size_t i)
{
	{
		buf_printf(out, "{\"proto\": \"%s\", \"family\": \"%s\", ",
			   sock_proto_name(s->proto), sock_family_name(s->family));
		if (s->proto == SP_UNIX || s->proto == SP_PACKET || s->proto == SP_NETLINK)
			buf_printf(out, "\"type\": \"%s\", ", sock_type_name(s->type));
		buf_printf(out, "\"state\": \"%s\", \"local\": ", sock_state_name(s));
		json_endpoint(out, s, false);
		buf_puts(out, ", \"peer\": ");
		json_endpoint(out, s, true);
		buf_printf(out, ", \"recv_q\": %u, \"send_q\": %u, \"inode\": %u",
			   s->recv_q, s->send_q, s->inode);
		if (s->has & SOCK_HAS_UID)
			buf_printf(out, ", \"uid\": %u", s->uid);
		else
			buf_puts(out, ", \"uid\": null");
		buf_printf(out, ", \"cookie\": %llu", (unsigned long long)s->cookie);
		if (s->proto == SP_UNIX) {
			if ((s->has & SOCK_HAS_PEER) && s->peer_inode)
				buf_printf(out, ", \"peer_inode\": %u", s->peer_inode);
			else
				buf_puts(out, ", \"peer_inode\": null");
		}
		if (sock_awaits_accept(s))
			/* no process holds it yet: the listener's get it */
			buf_printf(out, ", \"listener_inode\": %u", s->listener_inode);
		if (s->has & SOCK_HAS_SHUTDOWN) {
			/* shutdown(2) of this side: only when the kernel said */
			static const char *const shut[] = {"none", "rd", "wr", "rdwr"};

			buf_printf(out, ", \"shutdown\": \"%s\"", shut[s->shutdown & 3u]);
		}
		if (s->proto == SP_TCP && (s->has & SOCK_HAS_TCP))
			json_tcp(out, s);
		json_kind(out, s);
		buf_puts(out, s->source == SOCK_SRC_PROC ? ", \"source\": \"proc\""
							 : ", \"source\": \"sock_diag\"");
		output_extra_json(out, ctx->xcols, s);
		json_processes(out, ctx->pm, s);
		json_extra(out, ctx, i);
		json_netns(out, ctx, s);
		buf_putc(out, '}');
	}
}

/* Appends one CSV field (RFC 4180): the text, already escaped, quoted when
 * it holds a comma, a quote, a line break or a space, quotes doubled. */
static void csv_field(struct buf *out, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == ' ' || p[i] == '\n' || p[i] == '\r')
			break;
	if (i == n) {
		buf_append(out, p, n);
		return;
	}
	buf_putc(out, '"');
	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, p[i]);
	}
	buf_putc(out, '"');
}

/* The owner columns: pid, comm and fd of the first owner (lowest pid, then
 * fd; empty when there is none, comm empty when unknown, as JSON's null),
 * then the number of owners (0 when none is known). f is scratch space. */
static void csv_owner(struct buf *out, struct buf *f, const struct procmap *pm,
		      const struct sock *s, enum esc_charset cs)
{
	struct proc_owner own[1];
	size_t n = 0;

	if (pm && s->inode)
		n = procmap_owners(pm, s->inode, own, 1);
	if (n) {
		size_t clen = 0;
		const char *comm = procmap_comm(pm, own[0].pid, &clen);

		buf_uint(out, (uint32_t)own[0].pid);
		buf_putc(out, ',');
		if (comm) {
			buf_reset(f);
			esc_display(f, comm, clen, cs);
			csv_field(out, f->data ? f->data : "", f->len);
		}
		buf_putc(out, ',');
		buf_uint(out, (uint32_t)own[0].fd);
		buf_putc(out, ',');
	} else {
		buf_append(out, ",,,", 3);
	}
	buf_uint(out, n);
}

/* One row per socket. A field is empty exactly where JSON has null (uid,
 * peer_inode, an unnamed Unix address, an unknown comm) or no key (ports of
 * Unix sockets, the owner of an unowned socket). New columns are added at
 * the end, never renamed or moved. */
static void write_csv(struct sink *k, const struct output_ctx *ctx,
		      const struct sock *const *rows, size_t n)
{
	struct buf *out = k->b;
	struct buf f = BUF_INIT;

	if (!ctx->no_header) {
		buf_puts(out, "proto,family,type,state,recv_q,send_q,local_addr,local_port,"
			 "peer_addr,peer_port,inode,uid,peer_inode,processes,"
			 "pid,comm,fd,owners,cookie,listener_inode");
		if (ctx->extra)
			buf_puts(out, ",rx_rate,tx_rate,hint");
		output_extra_csv_head(out, ctx->xcols);
		buf_putc(out, '\n');
	}
	for (size_t i = 0; i < n; i++) {
		const struct sock *s = rows[i];
		char a[64];

		buf_printf(out, "%s,%s,%s,%s,%u,%u,", sock_proto_name(s->proto),
			   sock_family_name(s->family), sock_type_name(s->type),
			   sock_state_name(s), s->recv_q, s->send_q);
		if (is_inet(s)) {
			buf_append(out, a, put_addr(a, s, false));
			buf_putc(out, ',');
			buf_uint(out, s->lport);
			buf_putc(out, ',');
			buf_append(out, a, put_addr(a, s, true));
			buf_putc(out, ',');
			buf_uint(out, s->rport);
			buf_putc(out, ',');
		} else {
			buf_reset(&f);
			if (s->family == AF_PACKET || s->family == AF_NETLINK ||
			    ((s->has & SOCK_HAS_NAME) && sock_x(s)->name_len))
				output_addr(&f, s, false, ctx->cs);
			csv_field(out, f.data ? f.data : "", f.len);
			buf_puts(out, ",,,,");
		}
		buf_printf(out, "%u,", s->inode);
		if (s->has & SOCK_HAS_UID)
			buf_printf(out, "%u", s->uid);
		buf_putc(out, ',');
		/* the kernel says peer 0 for a Unix socket without one: JSON's null */
		if (s->proto == SP_UNIX && (s->has & SOCK_HAS_PEER) && s->peer_inode)
			buf_printf(out, "%u", s->peer_inode);
		buf_putc(out, ',');
		buf_reset(&f);
		output_users(&f, ctx->pm, s, ctx->cs);
		csv_field(out, f.data ? f.data : "", f.len);
		buf_putc(out, ',');
		csv_owner(out, &f, ctx->pm, s, ctx->cs);
		/* as JSON: the cookie, and listener_inode only while it waits */
		buf_printf(out, ",%llu,", (unsigned long long)s->cookie);
		if (sock_awaits_accept(s))
			buf_uint(out, s->listener_inode);
		if (ctx->extra) {
			const struct output_extra *x = &ctx->extra[i];

			if (x->rates)
				buf_printf(out, ",%.0f,%.0f,", (double)x->rx, (double)x->tx);
			else
				buf_puts(out, ",,,");
			buf_puts(out, diag_name((enum diag_rule)x->hint));
		}
		output_extra_csv(out, ctx->xcols, s, ctx->cs);
		buf_putc(out, '\n');
		sink_row(k);
	}
	buf_free(&f);
}

static void write_doc(struct sink *k, const struct output_ctx *ctx,
		      const struct sock *const *rows, size_t n)
{
	switch (ctx->format) {
	case FMT_JSON: write_json(k, ctx, rows, n); break;
	case FMT_CSV: write_csv(k, ctx, rows, n); break;
	case FMT_TABLE:
	default: write_table(k, ctx, rows, n); break;
	}
}

void output_format(struct buf *out, const struct output_ctx *ctx,
		   const struct sock *const *rows, size_t n)
{
	struct sink k = { out, NULL, 0 };

	write_doc(&k, ctx, rows, n);
}

int output_write(FILE *f, const struct output_ctx *ctx,
		 const struct sock *const *rows, size_t n)
{
	struct buf b = BUF_INIT;
	struct sink k = { &b, f, 0 };

	write_doc(&k, ctx, rows, n);
	sink_flush(&k);
	buf_free(&b);
	if (k.err) {
		errno = k.err;
		return -1;
	}
	if (fflush(f) == EOF || ferror(f)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

int output_flush(FILE *f, const struct buf *out)
{
	if (out->len && fwrite(out->data, 1, out->len, f) != out->len)
		return -1;
	if (fflush(f) == EOF || ferror(f)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

void output_json_sock_pm(struct buf *out, const struct procmap *pm, const struct sock *s)
{
	struct output_ctx ctx = { .format = FMT_JSON, .cs = ESC_UTF8, .pm = pm };

	output_json_sock(out, &ctx, s, 0);
}
