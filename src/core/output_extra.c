/* output_extra.c - the -e, -i, -m and -o details of the batch output. */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "options.h"
#include "output_extra.h"

static bool is_inet(const struct sock *s)
{
	return s->family == AF_INET || s->family == AF_INET6;
}

static bool has_tcp(const struct sock *s)
{
	return s->proto == SP_TCP && (s->has & SOCK_HAS_TCP);
}

/* ---- the timer, as ss -o ---- */

const char *output_timer_name(unsigned timer)
{
	static const char *const names[] = { "off", "on", "keepalive", "timewait",
					     "persist", "delack" };

	return timer < sizeof(names) / sizeof(names[0]) ? names[timer] : "unknown";
}

void output_ms_timer(struct buf *out, uint32_t ms)
{
	uint32_t secs = ms / 1000, min = secs / 60, msecs = ms % 1000;

	secs %= 60;
	if (min) {
		msecs = 0;
		buf_printf(out, "%umin", min);
		if (min > 9)
			secs = 0;
	}
	if (secs) {
		if (secs > 9)
			msecs = 0;
		buf_printf(out, "%u%s", secs, msecs ? "." : "sec");
	}
	if (msecs)
		buf_printf(out, "%03u%s", msecs, secs ? "sec" : "ms");
}

void output_timer(struct buf *out, const struct sock *s)
{
	if (!is_inet(s))
		return;
	buf_printf(out, "(%s,", output_timer_name(s->timer));
	output_ms_timer(out, s->expires_ms);
	buf_printf(out, ",%u)", s->retrans);
}

/* ---- columns ---- */

typedef void (*xfmt)(struct buf *out, const struct sock *s, enum esc_charset cs);

static void x_uid(struct buf *o, const struct sock *s, enum esc_charset cs)
{
	(void)cs;
	if (s->has & SOCK_HAS_UID)
		buf_printf(o, "%u", s->uid);
}

static void x_inode(struct buf *o, const struct sock *s, enum esc_charset cs)
{
	(void)cs;
	buf_printf(o, "%u", s->inode);
}

static void x_cookie(struct buf *o, const struct sock *s, enum esc_charset cs)
{
	(void)cs;
	buf_printf(o, "%llu", (unsigned long long)s->cookie);
}

static void x_rtt(struct buf *o, const struct sock *s, enum esc_charset cs)
{
	(void)cs;
	if (has_tcp(s))
		buf_printf(o, "%.3f/%.3f", sock_x(s)->tcp.rtt_us / 1000.0, sock_x(s)->tcp.rttvar_us / 1000.0);
}

#define X_TCP_U(name, expr)                                                         \
	static void name(struct buf *o, const struct sock *s, enum esc_charset cs) \
	{                                                                           \
		(void)cs;                                                           \
		if (has_tcp(s))                                                     \
			buf_printf(o, "%llu", (unsigned long long)(expr));          \
	}
X_TCP_U(x_cwnd, sock_x(s)->tcp.snd_cwnd)
X_TCP_U(x_ssthresh, sock_x(s)->tcp.snd_ssthresh)
X_TCP_U(x_mss, sock_x(s)->tcp.snd_mss)
X_TCP_U(x_rcv_mss, sock_x(s)->tcp.rcv_mss)
X_TCP_U(x_rttvar_us, sock_x(s)->tcp.rttvar_us)
X_TCP_U(x_rtt_us, sock_x(s)->tcp.rtt_us)
X_TCP_U(x_retrans1, sock_x(s)->tcp.retrans)
X_TCP_U(x_total_retrans, sock_x(s)->tcp.total_retrans)
X_TCP_U(x_bytes_acked, sock_x(s)->tcp.bytes_acked)
X_TCP_U(x_bytes_received, sock_x(s)->tcp.bytes_received)
X_TCP_U(x_bytes_sent, sock_x(s)->tcp.bytes_sent)
X_TCP_U(x_delivery, sock_x(s)->tcp.delivery_rate)
X_TCP_U(x_rto_us, sock_x(s)->tcp.rto_us)
X_TCP_U(x_unacked, sock_x(s)->tcp.unacked)
X_TCP_U(x_lost, sock_x(s)->tcp.lost)

static void x_retrans(struct buf *o, const struct sock *s, enum esc_charset cs)
{
	(void)cs;
	if (has_tcp(s))
		buf_printf(o, "%u/%u", sock_x(s)->tcp.retrans, sock_x(s)->tcp.total_retrans);
}

static void x_cong(struct buf *o, const struct sock *s, enum esc_charset cs)
{
	if (s->proto == SP_TCP && (s->has & SOCK_HAS_CONG))
		esc_display(o, sock_x(s)->cong, strnlen(sock_x(s)->cong, sizeof(sock_x(s)->cong)), cs);
}

static void x_skmem(struct buf *o, const struct sock *s, enum esc_charset cs)
{
	(void)cs;
	if (s->has & SOCK_HAS_MEM)
		buf_printf(o, "(r%u,rb%u,t%u,tb%u,f%u,w%u,o%u,bl%u,d%u)", sock_x(s)->rmem_alloc,
			   sock_x(s)->rcvbuf, sock_x(s)->wmem_alloc, sock_x(s)->sndbuf, sock_x(s)->fwd_alloc, sock_x(s)->wmem_queued,
			   sock_x(s)->optmem, sock_x(s)->backlog, sock_x(s)->drops);
}

#define X_MEM_U(name, field)                                                        \
	static void name(struct buf *o, const struct sock *s, enum esc_charset cs) \
	{                                                                           \
		(void)cs;                                                           \
		if (s->has & SOCK_HAS_MEM)                                          \
			buf_printf(o, "%u", sock_x(s)->field);                              \
	}
X_MEM_U(x_rmem, rmem_alloc)
X_MEM_U(x_rcvbuf, rcvbuf)
X_MEM_U(x_wmem, wmem_alloc)
X_MEM_U(x_sndbuf, sndbuf)
X_MEM_U(x_fwd, fwd_alloc)
X_MEM_U(x_wqueued, wmem_queued)
X_MEM_U(x_optmem, optmem)
X_MEM_U(x_backlog, backlog)
X_MEM_U(x_drops, drops)

static void x_timer(struct buf *o, const struct sock *s, enum esc_charset cs)
{
	(void)cs;
	if (is_inet(s) && s->timer)
		output_timer(o, s);
}

static void x_timer_name(struct buf *o, const struct sock *s, enum esc_charset cs)
{
	(void)cs;
	if (is_inet(s))
		buf_puts(o, output_timer_name(s->timer));
}

static void x_expires(struct buf *o, const struct sock *s, enum esc_charset cs)
{
	(void)cs;
	if (is_inet(s))
		buf_printf(o, "%u", s->expires_ms);
}

static void x_timer_retrans(struct buf *o, const struct sock *s, enum esc_charset cs)
{
	(void)cs;
	if (is_inet(s))
		buf_printf(o, "%u", s->retrans);
}

struct xcol {
	unsigned group; /* OPT_X_* */
	const char *title;
	bool right;
	xfmt fmt;
};

/* The table's extra columns, in the order ss prints the details. */
static const struct xcol tcols[] = {
	{ OPT_X_TIMERS, N_("Timer"), false, x_timer },
	{ OPT_X_EXTENDED, N_("UID"), true, x_uid },
	{ OPT_X_EXTENDED, N_("Inode"), true, x_inode },
	{ OPT_X_EXTENDED, N_("Cookie"), true, x_cookie },
	{ OPT_X_MEMORY, N_("Skmem"), false, x_skmem },
	{ OPT_X_INFO, N_("Cong"), false, x_cong },
	{ OPT_X_INFO, N_("RTT/var(ms)"), true, x_rtt },
	{ OPT_X_INFO, N_("Cwnd"), true, x_cwnd },
	{ OPT_X_INFO, N_("Ssthresh"), true, x_ssthresh },
	{ OPT_X_INFO, N_("MSS"), true, x_mss },
	{ OPT_X_INFO, N_("Retrans"), true, x_retrans },
	{ OPT_X_INFO, N_("Delivery(B/s)"), true, x_delivery },
	{ OPT_X_INFO, N_("Acked"), true, x_bytes_acked },
	{ OPT_X_INFO, N_("Received"), true, x_bytes_received },
};

/* The CSV's extra fields: the JSON key names (tcp_info's as in JSON). */
static const struct xcol ccols[] = {
	{ OPT_X_INFO, "rtt_us", true, x_rtt_us },
	{ OPT_X_INFO, "rttvar_us", true, x_rttvar_us },
	{ OPT_X_INFO, "cwnd", true, x_cwnd },
	{ OPT_X_INFO, "ssthresh", true, x_ssthresh },
	{ OPT_X_INFO, "retrans", true, x_retrans1 },
	{ OPT_X_INFO, "total_retrans", true, x_total_retrans },
	{ OPT_X_INFO, "bytes_acked", true, x_bytes_acked },
	{ OPT_X_INFO, "bytes_received", true, x_bytes_received },
	{ OPT_X_INFO, "bytes_sent", true, x_bytes_sent },
	{ OPT_X_INFO, "delivery_rate", true, x_delivery },
	{ OPT_X_INFO, "mss", true, x_mss },
	{ OPT_X_INFO, "rcv_mss", true, x_rcv_mss },
	{ OPT_X_INFO, "rto_us", true, x_rto_us },
	{ OPT_X_INFO, "unacked", true, x_unacked },
	{ OPT_X_INFO, "lost", true, x_lost },
	{ OPT_X_INFO, "congestion", false, x_cong },
	{ OPT_X_MEMORY, "rmem_alloc", true, x_rmem },
	{ OPT_X_MEMORY, "rcvbuf", true, x_rcvbuf },
	{ OPT_X_MEMORY, "wmem_alloc", true, x_wmem },
	{ OPT_X_MEMORY, "sndbuf", true, x_sndbuf },
	{ OPT_X_MEMORY, "fwd_alloc", true, x_fwd },
	{ OPT_X_MEMORY, "wmem_queued", true, x_wqueued },
	{ OPT_X_MEMORY, "optmem", true, x_optmem },
	{ OPT_X_MEMORY, "backlog", true, x_backlog },
	{ OPT_X_MEMORY, "drops", true, x_drops },
	{ OPT_X_TIMERS, "timer", false, x_timer_name },
	{ OPT_X_TIMERS, "timer_expires_ms", true, x_expires },
	{ OPT_X_TIMERS, "timer_retrans", true, x_timer_retrans },
};

#define NT (sizeof(tcols) / sizeof(tcols[0]))
#define NC (sizeof(ccols) / sizeof(ccols[0]))

/* The i-th table column of the groups in extra (NULL past the last). */
static const struct xcol *tcol(unsigned extra, size_t i)
{
	for (size_t k = 0; k < NT; k++)
		if ((tcols[k].group & extra) && i-- == 0)
			return &tcols[k];
	return NULL;
}

size_t output_extra_ncols(unsigned extra)
{
	size_t n = 0;

	for (size_t k = 0; k < NT; k++)
		if (tcols[k].group & extra)
			n++;
	return n;
}

const char *output_extra_title(unsigned extra, size_t i)
{
	const struct xcol *c = tcol(extra, i);

	return c ? _(c->title) : "";
}

bool output_extra_right(unsigned extra, size_t i)
{
	const struct xcol *c = tcol(extra, i);

	return c && c->right;
}

size_t output_extra_cell(struct buf *out, unsigned extra, size_t i, const struct sock *s,
			 enum esc_charset cs)
{
	const struct xcol *c = tcol(extra, i);
	size_t at = out->len;

	if (c)
		c->fmt(out, s, cs);
	if (out->len == at)
		buf_putc(out, '-');
	/* ASCII, but for the escaped congestion name: measure it */
	return esc_width(out->data + at, out->len - at, cs);
}

void output_extra_csv_head(struct buf *out, unsigned extra)
{
	for (size_t k = 0; k < NC; k++) {
		if (!(ccols[k].group & extra))
			continue;
		buf_putc(out, ',');
		buf_puts(out, ccols[k].title);
	}
}

void output_extra_csv(struct buf *out, unsigned extra, const struct sock *s, enum esc_charset cs)
{
	for (size_t k = 0; k < NC; k++) {
		size_t at;

		if (!(ccols[k].group & extra))
			continue;
		buf_putc(out, ',');
		at = out->len;
		ccols[k].fmt(out, s, cs);
		/* only the congestion name can need quoting: it never holds a
		 * comma from a sane kernel, but a liar's bytes are escaped and
		 * any comma or quote makes the field quoted */
		if (memchr(out->data + at, ',', out->len - at) ||
		    memchr(out->data + at, '"', out->len - at)) {
			struct buf t = BUF_INIT;

			buf_append(&t, out->data + at, out->len - at);
			out->len = at;
			buf_putc(out, '"');
			for (size_t j = 0; j < t.len; j++) {
				if (t.data[j] == '"')
					buf_putc(out, '"');
				buf_putc(out, t.data[j]);
			}
			buf_putc(out, '"');
			buf_free(&t);
		}
	}
}

void output_extra_json(struct buf *out, unsigned extra, const struct sock *s)
{
	if ((extra & OPT_X_MEMORY) && (s->has & SOCK_HAS_MEM))
		buf_printf(out, ", \"memory\": {\"rmem_alloc\": %u, \"rcvbuf\": %u, "
			   "\"wmem_alloc\": %u, \"sndbuf\": %u, \"fwd_alloc\": %u, "
			   "\"wmem_queued\": %u, \"optmem\": %u, \"backlog\": %u, "
			   "\"drops\": %u}",
			   sock_x(s)->rmem_alloc, sock_x(s)->rcvbuf, sock_x(s)->wmem_alloc, sock_x(s)->sndbuf, sock_x(s)->fwd_alloc,
			   sock_x(s)->wmem_queued, sock_x(s)->optmem, sock_x(s)->backlog, sock_x(s)->drops);
	if ((extra & OPT_X_TIMERS) && is_inet(s))
		buf_printf(out, ", \"timer\": {\"name\": \"%s\", \"expires_ms\": %u, "
			   "\"retrans\": %u}",
			   output_timer_name(s->timer), s->expires_ms, s->retrans);
}
