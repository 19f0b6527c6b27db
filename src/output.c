/* output.c - batch output writers. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "output.h"
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

size_t output_addr(struct buf *out, const struct sock *s, bool peer, enum esc_charset cs)
{
	char a[64];
	size_t before = out->len;
	uint16_t port = peer ? s->rport : s->lport;

	if (is_inet(s)) {
		if (peer && addr_is_any(s, true) && !port) {
			buf_puts(out, "*:*");
		} else {
			sock_addr_str(s, peer, a, sizeof(a));
			if (s->family == AF_INET6)
				buf_printf(out, "[%s]", a);
			else
				buf_puts(out, a);
			if (port)
				buf_printf(out, ":%u", port);
			else
				buf_puts(out, ":*");
		}
		return out->len - before;
	}
	/* Unix: the local name, or for the peer its inode. */
	if (peer) {
		if (s->has & SOCK_HAS_PEER && s->peer_inode)
			buf_printf(out, "* %u", s->peer_inode);
		else
			buf_puts(out, "*");
		return out->len - before;
	}
	if (!(s->has & SOCK_HAS_NAME) || !s->name_len) {
		buf_puts(out, "*");
		return 1;
	}
	if (sock_is_abstract(s)) {
		buf_putc(out, '@');
		return 1 + esc_display(out, s->name + 1, s->name_len - 1u, cs);
	}
	return esc_display(out, s->name, strnlen(s->name, s->name_len), cs);
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

		buf_puts(out, i ? ",(\"" : "(\"");
		at = out->len;
		if (comm)
			name_w += esc_display(out, comm, clen, cs);
		name_bytes += out->len - at;
		buf_printf(out, "\",pid=%d,fd=%d)", (int)own[i].pid, (int)own[i].fd);
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

/* Netid as ss names it: tcp, udp, raw, u_str, u_dgr, u_seq. */
static const char *netid(const struct sock *s)
{
	if (s->proto != SP_UNIX)
		return sock_proto_name(s->proto);
	switch (s->type) {
	case SOCK_STREAM: return "u_str";
	case SOCK_DGRAM: return "u_dgr";
	case SOCK_SEQPACKET: return "u_seq";
	default: return "unix";
	}
}

/* One formatted row: offsets of each cell in a shared buffer. */
struct cell {
	size_t off, len, width;
};

static void cell_add(struct buf *cells, struct cell *c, size_t width_or_0, size_t start)
{
	c->off = start;
	c->len = cells->len - start;
	c->width = width_or_0;
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

static void write_table(struct buf *out, const struct output_ctx *ctx,
			const struct sock *const *rows, size_t n)
{
	struct buf cells = BUF_INIT;
	struct cell *cv = xcalloc(n ? n * NCOLS : 1, sizeof(*cv));
	size_t w[NCOLS];
	size_t i, k;
	bool right[NCOLS] = { [COL_RQ] = true, [COL_SQ] = true };

	for (k = 0; k < NCOLS; k++)
		w[k] = esc_width(_(table_head[k]), strlen(_(table_head[k])), ctx->cs);
	for (i = 0; i < n; i++) {
		const struct sock *s = rows[i];
		struct cell *c = &cv[i * NCOLS];
		size_t at;

		at = cells.len;
		buf_puts(&cells, netid(s));
		cell_add(&cells, &c[COL_NETID], cells.len - at, at);
		at = cells.len;
		buf_puts(&cells, sock_state_name(s));
		cell_add(&cells, &c[COL_STATE], cells.len - at, at);
		at = cells.len;
		buf_printf(&cells, "%u", s->recv_q);
		cell_add(&cells, &c[COL_RQ], cells.len - at, at);
		at = cells.len;
		buf_printf(&cells, "%u", s->send_q);
		cell_add(&cells, &c[COL_SQ], cells.len - at, at);
		at = cells.len;
		{
			size_t aw = output_addr(&cells, s, false, ctx->cs);

			if (s->proto == SP_UNIX) {
				buf_printf(&cells, " %u", s->inode);
				aw = esc_width(cells.data + at, cells.len - at, ctx->cs);
			}
			cell_add(&cells, &c[COL_LOCAL], aw, at);
		}
		at = cells.len;
		cell_add(&cells, &c[COL_PEER], output_addr(&cells, s, true, ctx->cs), at);
		at = cells.len;
		cell_add(&cells, &c[COL_PROC], output_users(&cells, ctx->pm, s, ctx->cs), at);
		for (k = 0; k < NCOLS; k++)
			if (c[k].width > w[k])
				w[k] = c[k].width;
	}
	for (k = 0; k < NCOLS; k++) {
		const char *h = _(table_head[k]);
		size_t hw = esc_width(h, strlen(h), ctx->cs);

		if (k == NCOLS - 1 || (!ctx->pm && k == COL_PEER)) {
			buf_puts(out, h);
			break;
		}
		if (right[k])
			pad(out, w[k] - hw);
		buf_puts(out, h);
		if (!right[k])
			pad(out, w[k] - hw);
		buf_putc(out, ' ');
	}
	buf_putc(out, '\n');
	for (i = 0; i < n; i++) {
		const struct cell *c = &cv[i * NCOLS];
		size_t last = ctx->pm ? COL_PROC : COL_PEER;

		for (k = 0; k <= last; k++) {
			if (k == last) {
				buf_append(out, cells.data + c[k].off, c[k].len);
				break;
			}
			if (right[k])
				pad(out, w[k] - c[k].width);
			buf_append(out, cells.data + c[k].off, c[k].len);
			if (!right[k])
				pad(out, w[k] - c[k].width);
			buf_putc(out, ' ');
		}
		/* no trailing blanks when the last cell is empty */
		while (out->len && out->data[out->len - 1] == ' ')
			out->len--;
		buf_putc(out, '\n');
	}
	free(cv);
	buf_free(&cells);
}

static void json_str(struct buf *out, const void *p, size_t n)
{
	buf_putc(out, '"');
	esc_json(out, p, n);
	buf_putc(out, '"');
}

static void json_endpoint(struct buf *out, const struct sock *s, bool peer)
{
	char a[64];

	if (is_inet(s)) {
		sock_addr_str(s, peer, a, sizeof(a));
		buf_printf(out, "{\"addr\": \"%s\", \"port\": %u}", a,
			   peer ? s->rport : s->lport);
		return;
	}
	if (peer || !(s->has & SOCK_HAS_NAME) || !s->name_len) {
		buf_puts(out, "null");
		return;
	}
	buf_puts(out, "{\"path\": \"");
	if (sock_is_abstract(s)) {
		buf_putc(out, '@');
		esc_json(out, s->name + 1, s->name_len - 1u);
	} else {
		esc_json(out, s->name, strnlen(s->name, s->name_len));
	}
	buf_puts(out, "\"}");
}

static void json_tcp(struct buf *out, const struct sock *s)
{
	const struct sock_tcp *t = &s->tcp;

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
		json_str(out, s->cong, strnlen(s->cong, sizeof(s->cong)));
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
		buf_printf(out, ", \"fd\": %d}", (int)own[i].fd);
	}
	buf_putc(out, ']');
}

static void write_json(struct buf *out, const struct output_ctx *ctx,
		       const struct sock *const *rows, size_t n)
{
	buf_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		const struct sock *s = rows[i];

		buf_printf(out, "%s\n{\"proto\": \"%s\", \"family\": \"%s\", ",
			   i ? "," : "", sock_proto_name(s->proto), sock_family_name(s->family));
		if (s->proto == SP_UNIX)
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
		if (s->proto == SP_TCP && (s->has & SOCK_HAS_TCP))
			json_tcp(out, s);
		json_processes(out, ctx->pm, s);
		buf_putc(out, '}');
	}
	buf_puts(out, n ? "\n]\n" : "]\n");
}

/* Appends one CSV field: escaped text, quoted when it holds ',' or '"'. */
static void csv_field(struct buf *out, const char *p, size_t n)
{
	if (!memchr(p, ',', n) && !memchr(p, '"', n) && !memchr(p, ' ', n)) {
		buf_append(out, p, n);
		return;
	}
	buf_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, p[i]);
	}
	buf_putc(out, '"');
}

static void write_csv(struct buf *out, const struct output_ctx *ctx,
		      const struct sock *const *rows, size_t n)
{
	struct buf f = BUF_INIT;

	buf_puts(out, "proto,family,type,state,recv_q,send_q,local_addr,local_port,"
		 "peer_addr,peer_port,inode,uid,peer_inode,processes\n");
	for (size_t i = 0; i < n; i++) {
		const struct sock *s = rows[i];
		char a[64];

		buf_printf(out, "%s,%s,%s,%s,%u,%u,", sock_proto_name(s->proto),
			   sock_family_name(s->family), sock_type_name(s->type),
			   sock_state_name(s), s->recv_q, s->send_q);
		if (is_inet(s)) {
			sock_addr_str(s, false, a, sizeof(a));
			buf_printf(out, "%s,%u,", a, s->lport);
			sock_addr_str(s, true, a, sizeof(a));
			buf_printf(out, "%s,%u,", a, s->rport);
		} else {
			buf_reset(&f);
			if ((s->has & SOCK_HAS_NAME) && s->name_len)
				output_addr(&f, s, false, ctx->cs);
			csv_field(out, f.data ? f.data : "", f.len);
			buf_puts(out, ",,,,");
		}
		buf_printf(out, "%u,", s->inode);
		if (s->has & SOCK_HAS_UID)
			buf_printf(out, "%u", s->uid);
		buf_putc(out, ',');
		if (s->proto == SP_UNIX && (s->has & SOCK_HAS_PEER))
			buf_printf(out, "%u", s->peer_inode);
		buf_putc(out, ',');
		buf_reset(&f);
		output_users(&f, ctx->pm, s, ctx->cs);
		csv_field(out, f.data ? f.data : "", f.len);
		buf_putc(out, '\n');
	}
	buf_free(&f);
}

void output_format(struct buf *out, const struct output_ctx *ctx,
		   const struct sock *const *rows, size_t n)
{
	switch (ctx->format) {
	case FMT_JSON: write_json(out, ctx, rows, n); break;
	case FMT_CSV: write_csv(out, ctx, rows, n); break;
	case FMT_TABLE:
	default: write_table(out, ctx, rows, n); break;
	}
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
