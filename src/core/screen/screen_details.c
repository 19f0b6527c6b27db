/* screen_details.c - the details of the selected socket, in plain words. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "details_hist.h"
#include "clock.h"
#include "fsprobe.h"
#include "explain.h"
#include "i18n.h"
#include "output.h"
#include "screen.h"
#include "sockkind.h"

static void details_sync(struct app *a);

static void details_enter(struct app *a)
{
	a->scroll = 0;
	details_sync(a);
}

static unsigned details_action(struct app *a, enum action act, int64_t now)
{
	if (screen_scroll(a, act))
		return APP_REDRAW;
	if (act == ACT_BACK || act == ACT_DETAILS) {
		a->mode = MODE_TABLE;
		return APP_REDRAW;
	}
	if (act == ACT_PEER) {
		unsigned fx = screen_table_action(a, act, now);

		a->scroll = 0;
		return fx;
	}
	return screen_table_action(a, act, now);
}

const char *view_state_explain(const struct sock *s)
{
	bool stream = s->proto == SP_TCP || s->type == SOCK_STREAM || s->type == SOCK_SEQPACKET;

	switch (s->state) {
	case SS_LISTEN:
		return _("waiting for incoming connections (a server after listen()); "
			 "each accept() takes one from the queue");
	case SS_ESTABLISHED:
		return stream ? _("connected: data can flow both ways")
			      : _("connected to one peer: send() goes there, only its datagrams arrive");
	case SS_SYN_SENT:
		return _("connecting: sent SYN, waiting for the other side to answer");
	case SS_SYN_RECV:
	case SS_NEW_SYN_RECV:
		return _("a connection request arrived; the handshake is not finished yet");
	case SS_FIN_WAIT1:
		return _("this side closed; waiting for the other side to acknowledge");
	case SS_FIN_WAIT2:
		return _("this side closed and it was acknowledged; waiting for the other side "
			 "to close too");
	case SS_TIME_WAIT:
		return _("closed; the kernel keeps it a while (about 60 s) so that late packets "
			 "of the old connection are not mistaken for a new one. No process owns it");
	case SS_CLOSE_WAIT:
		return _("the other side closed; this program has not closed its socket yet "
			 "(if it lasts, the program forgot to close it)");
	case SS_LAST_ACK:
		return _("both sides closed; waiting for the last acknowledgement");
	case SS_CLOSING:
		return _("both sides closed at the same time; waiting for the acknowledgement");
	case SS_CLOSE:
		if (s->proto == SP_TCP || s->proto == SP_MPTCP)
			return _("closed, or created but neither connected nor listening yet");
		if (s->proto == SP_PACKET)
			return _("packet sockets have no connection: this one receives a copy of "
				 "the frames of its protocol and interface (what tcpdump uses)");
		if (s->proto == SP_NETLINK)
			return _("netlink sockets talk to the kernel (or other processes) in "
				 "messages; ss shows them all as UNCONN");
		if (s->proto == SP_UNIX && stream)
			return _("not connected (created, or bound but not listening)");
		return _("not connected to one peer: it receives datagrams from anyone who "
			 "sends to its address, and can send anywhere");
	default:
		return _("state unknown to sockview");
	}
}

static const char *timer_name(unsigned t)
{
	switch (t) {
	case 0: return _("none");
	case 1: return _("retransmit");
	case 2: return _("keepalive");
	case 3: return _("TIME-WAIT");
	case 4: return _("zero-window probe");
	default: return _("unknown");
	}
}

static const char *ca_state_name(unsigned st)
{
	switch (st) {
	case 0: return "open";
	case 1: return "disorder";
	case 2: return "cwr";
	case 3: return "recovery";
	case 4: return "loss";
	default: return "?";
	}
}

/* A duration in ms as people read it: "250 ms", "4.5 s", "59 s". */
static void fmt_ms(unsigned ms, char *dst, size_t len)
{
	if (ms < 1000)
		snprintf(dst, len, "%u ms", ms);
	else if (ms < 10000)
		snprintf(dst, len, "%.1f s", ms / 1000.0);
	else
		snprintf(dst, len, "%u s", (ms + 500) / 1000);
}

/* A line of explain.h under the value it explains (none if empty). */
static void details_explain(struct textlines *tl, const struct sock *s,
			    void (*fn)(const struct sock *, struct buf *))
{
	struct buf t = BUF_INIT;

	fn(s, &t);
	if (t.len)
		tl_kv(tl, "", "%s", t.data);
	buf_free(&t);
}

/* The kernel timer of an inet socket, or that none runs. */
static void details_timer(struct textlines *tl, const struct sock *s)
{
	char when[32];

	if (!s->timer) {
		tl_kv(tl, _("Timer"), "%s", _("none running"));
		return;
	}
	fmt_ms(s->expires_ms, when, sizeof(when));
	if (s->retrans)
		tl_kv(tl, _("Timer"), _("%s, expires in %s, %u retransmits"), timer_name(s->timer),
		      when, s->retrans);
	else
		tl_kv(tl, _("Timer"), _("%s, expires in %s"), timer_name(s->timer), when);
}

/* The kernel's shutdown state of an inet socket (INET_DIAG_SHUTDOWN). */
static void details_shutdown(struct textlines *tl, const struct sock *s)
{
	if (!(s->has & SOCK_HAS_SHUTDOWN))
		return;
	switch (s->shutdown & (SOCK_SHUT_RD | SOCK_SHUT_WR)) {
	case SOCK_SHUT_WR:
		tl_kv(tl, _("Shutdown"), "%s", _("this side stopped sending (SHUT_WR)"));
		break;
	case SOCK_SHUT_RD:
		tl_kv(tl, _("Shutdown"), "%s", _("this side stopped receiving (SHUT_RD)"));
		break;
	case SOCK_SHUT_RD | SOCK_SHUT_WR:
		tl_kv(tl, _("Shutdown"), "%s",
		      _("this side stopped sending and receiving (SHUT_RDWR)"));
		break;
	default:
		tl_kv(tl, _("Shutdown"), "%s", _("none: both directions open"));
		break;
	}
}

static void fmt_bits(double bytes_per_s, char *dst, size_t len)
{
	double b = bytes_per_s * 8.0;

	if (b >= 1e9)
		snprintf(dst, len, "%.1f Gbit/s", b / 1e9);
	else if (b >= 1e6)
		snprintf(dst, len, "%.1f Mbit/s", b / 1e6);
	else if (b >= 1e3)
		snprintf(dst, len, "%.1f kbit/s", b / 1e3);
	else
		snprintf(dst, len, "%.0f bit/s", b);
}

static void details_addr(struct textlines *tl, const char *label, const struct sock *s, bool peer)
{
	struct buf t = BUF_INIT;

	output_addr(&t, s, peer, tl->cs);
	/* already escaped: add as a safe value */
	tl_add(tl, label, VS_LABEL, NULL, 0, false, VS_NORMAL);
	buf_append(&tl->t, t.data ? t.data : "", t.len);
	tl->l[tl->n - 1].vlen = t.len;
	buf_free(&t);
}

/* The section of a packet, netlink or MPTCP socket, and where a record
 * came from when it was not sock_diag. */
static void details_kind(struct textlines *tl, const struct sock *s)
{
	if (s->source == SOCK_SRC_PROC) {
		tl_section(tl, _("Source"));
		tl_kv(tl, _("Read from"), "%s",
		      _("/proc/net/raw: this kernel has no sock_diag handler for raw sockets "
			"(raw_diag), so, as ss does, sockview reads the /proc table; it has no "
			"cookie, memory or timer information"));
	}
	if (s->proto == SP_PACKET) {
		const char *pn = sockkind_ethproto_name(sock_x(s)->pkt.ethproto);

		tl_section(tl, _("Packet socket"));
		tl_kv(tl, _("Captures"), "%s (0x%04x)",
		      sock_x(s)->pkt.ethproto == 3 ? _("every protocol (ETH_P_ALL)") : pn ? pn : "?",
		      sock_x(s)->pkt.ethproto);
		if (!(s->has & SOCK_HAS_PKTINFO))
			return;
		if (!s->ifindex)
			tl_kv(tl, _("Interface"), "%s", _("any (not bound to one)"));
		else if ((s->has & SOCK_HAS_IFNAME) && sock_x(s)->pkt.ifname[0])
			tl_kv(tl, _("Interface"), "%.*s (%u)",
			      (int)strnlen(sock_x(s)->pkt.ifname, sizeof(sock_x(s)->pkt.ifname)), sock_x(s)->pkt.ifname,
			      s->ifindex);
		else
			tl_kv(tl, _("Interface"), _("%u (no longer there)"), s->ifindex);
		tl_kv(tl, _("Frames"), "%s", s->type == SOCK_DGRAM
			? _("without link-layer header (SOCK_DGRAM)")
			: _("with link-layer header (SOCK_RAW)"));
		tl_kv(tl, _("Version"), "TPACKET_V%u", sock_x(s)->pkt.version + 1);
		tl_kv(tl, _("Flags"), "%s%s%s%s%s", (sock_x(s)->pkt.flags & 0x1) ? "running " : "",
		      (sock_x(s)->pkt.flags & 0x2) ? "auxdata " : "", (sock_x(s)->pkt.flags & 0x4) ? "origdev " : "",
		      (sock_x(s)->pkt.flags & 0x8) ? "vnethdr " : "", (sock_x(s)->pkt.flags & 0x10) ? "loss" : "");
		if (s->has & SOCK_HAS_FANOUT)
			tl_kv(tl, _("Fanout"), _("group %u, mode %u"), sock_x(s)->pkt.fanout & 0xffff,
			      sock_x(s)->pkt.fanout >> 16);
	} else if (s->proto == SP_NETLINK) {
		const char *pn = sockkind_netlink_name(sock_x(s)->nl.protocol);
		char groups[256];
		size_t gl = 0;
		unsigned bits = sock_x(s)->nl.ngroups < SOCK_NL_GROUP_WORDS * 32 ? sock_x(s)->nl.ngroups
									 : SOCK_NL_GROUP_WORDS * 32;

		tl_section(tl, _("Netlink socket"));
		tl_kv(tl, _("Protocol"), "%s (%u)", pn ? pn : "?", sock_x(s)->nl.protocol);
		if (sock_x(s)->nl.portid)
			tl_kv(tl, _("Port id"), "%d", (int32_t)sock_x(s)->nl.portid);
		else
			tl_kv(tl, _("Port id"), "%s", _("0: the kernel's own socket"));
		if (sock_x(s)->nl.connected)
			tl_kv(tl, _("Connected to"), _("port id %d, group %u"),
			      (int32_t)sock_x(s)->nl.dst_portid, sock_x(s)->nl.dst_group);
		groups[0] = '\0';
		for (unsigned g = 0; g < bits && gl + 12 < sizeof(groups); g++)
			if (sock_x(s)->nl.groups[g / 32] & (1u << (g % 32)))
				gl += (size_t)snprintf(groups + gl, sizeof(groups) - gl, "%s%u",
						       gl ? " " : "", g + 1);
		if (s->has & SOCK_HAS_GROUPS)
			tl_kv(tl, _("Groups"), "%s", gl ? groups : _("none"));
	} else if (s->proto == SP_MPTCP && (s->has & SOCK_HAS_MPTCP)) {
		const struct sock_mptcp *m = &sock_x(s)->mptcp;

		tl_section(tl, _("MPTCP"));
		tl_kv(tl, _("Subflows"), _("%u (at most %u)"), m->subflows, m->subflows_max);
		tl_kv(tl, _("Addresses"), _("%u announced, %u accepted, %u local used of %u"),
		      m->add_addr_signal, m->add_addr_accepted, m->local_addr_used,
		      m->local_addr_max);
		tl_kv(tl, _("Token"), "0x%08x", m->token);
		tl_kv(tl, _("Checksums"), "%s", m->csum_enabled ? _("on") : _("off"));
	}
}

/* After an owner: its service (cgroup.h) and, when the process lives in
 * another network namespace than the socket, that namespace. */
static void details_owner_extra(struct textlines *tl, const struct app *a, int32_t pid,
				uint32_t sock_ns)
{
	uint32_t pns = procmap_netns(a->table.pm, pid);
	size_t slen = 0;
	const char *svc = procmap_service(a->table.pm, pid, &slen, NULL);

	if (svc) {
		buf_puts(&tl->t, _(", service "));
		esc_display(&tl->t, svc, slen, tl->cs);
	}
	if (pns && sock_ns && pns != sock_ns) {
		const struct nstab_ent *e = nstab_find(a->table.ns, pns);
		char raw[128];

		if (e) {
			nstab_label(e, raw, sizeof(raw));
			buf_printf(&tl->t, _(" (the process is in another network namespace: "));
			esc_display(&tl->t, raw, strlen(raw), tl->cs);
			buf_putc(&tl->t, ')');
		} else {
			buf_printf(&tl->t, _(" (the process is in another network namespace, netns:[%u])"),
				   (unsigned)pns);
		}
	}
}

static void details_processes(struct textlines *tl, const struct app *a, uint32_t inode,
			      const char *label, uint32_t sock_ns)
{
	struct proc_owner own[16];
	size_t n;

	if (!a->table.pm) {
		tl_kv(tl, label, "%s", a->no_processes ? _("not mapped (--no-processes)")
						       : _("unknown"));
		return;
	}
	if (!inode) {
		tl_kv(tl, label, "%s", _("none: this socket belongs to the kernel, not to a process"));
		return;
	}
	n = procmap_owners(a->table.pm, inode, own, 16);
	if (!n) {
		tl_kv(tl, label, "%s", procmap_hidden(a->table.pm)
				       ? _("none visible (some processes could not be inspected: run as root)")
				       : _("none found (it may be in flight, or its process just exited)"));
		return;
	}
	for (size_t i = 0; i < n && i < 16; i++) {
		size_t clen = 0;
		const char *comm = procmap_comm(a->table.pm, own[i].pid, &clen);
		long uid = procmap_uid(a->table.pm, own[i].pid);
		char head[96];
		struct textline *l;

		if (uid >= 0)
			snprintf(head, sizeof(head), _("pid %d, fd %d, uid %ld, command "),
				 (int)own[i].pid, (int)own[i].fd, uid);
		else
			snprintf(head, sizeof(head), _("pid %d, fd %d, command "),
				 (int)own[i].pid, (int)own[i].fd);
		tl_add(tl, i ? "" : label, VS_LABEL, head, 0, false, VS_NORMAL);
		l = &tl->l[tl->n - 1];
		if (comm)
			esc_display(&tl->t, comm, clen, tl->cs);
		details_owner_extra(tl, a, own[i].pid, sock_ns);
		l->vlen = tl->t.len - l->voff;
	}
	if (n > 16)
		tl_kv(tl, "", _("... and %zu more"), n - 16);
}

/* Looks up the socket file of the selected Unix socket, outside the draw
 * path: when the details open, after each refresh and each key while they
 * are shown, and only when the socket or the snapshot changed since. */
static void details_sync(struct app *a)
{
	struct app_sockfile *f = &a->sockfile;
	bool gone;
	const struct sock *s = app_details_sock(a, &gone);
	char path[SOCK_NAME_MAX + 1];
	size_t len;
	struct stat st;

	if (!s || s->proto != SP_UNIX) {
		f->valid = false;
		return;
	}
	if (f->valid && sock_key_equal(&f->key, &s->key) &&
	    (f->generation == a->table.generation ||
	     /* one question at a time, and none again to a file system
	      * that did not answer (each would leave a helper stuck) */
	     f->pending || f->err == ETIMEDOUT))
		return;
	{
		/* a new token per request: an answer to an older one is stale */
		uint64_t token = f->token + 1;

		memset(f, 0, sizeof(*f));
		f->token = token;
	}
	f->valid = true;
	f->key = s->key;
	f->generation = a->table.generation;
	len = sock_x(s)->name_len < SOCK_NAME_MAX ? sock_x(s)->name_len : SOCK_NAME_MAX;
	if (!(s->has & SOCK_HAS_NAME) || !len || sock_is_abstract(s))
		return;
	memcpy(path, sock_x(s)->name, len);
	path[len] = '\0';
	if (memchr(sock_x(s)->name, '\0', len))
		return;
	if (a->fsprobe) {
		/* The path may cross a dead NFS or FUSE mount: lstat() runs
		 * in fsprobe's helper, the answer comes back through the
		 * loop (app_sockfile_result), the details show at once. */
		f->pending = fsprobe_request(a->fsprobe, path, f->token, clock_now_ms()) == 0;
		if (!f->pending)
			f->err = errno;
		return;
	}
	/* no probe (unit tests): inline */
	if (lstat(path, &st) < 0)
		return;
	f->found = true;
	f->mode = (unsigned)st.st_mode;
	f->uid = (unsigned)st.st_uid;
	f->gid = (unsigned)st.st_gid;
}

bool app_sockfile_result(struct app *a, const struct fsprobe_result *r)
{
	struct app_sockfile *f = &a->sockfile;

	if (!f->valid || !f->pending || r->token != f->token)
		return false;
	f->pending = false;
	f->err = r->err;
	if (!r->err) {
		f->found = true;
		f->mode = r->mode;
		f->uid = r->uid;
		f->gid = r->gid;
	}
	return true;
}

static void details_file(struct textlines *tl, const struct app *a, const struct sock *s)
{
	const struct app_sockfile *f = &a->sockfile;
	char mode[11];

	if (!(s->has & SOCK_HAS_NAME) || !sock_x(s)->name_len) {
		tl_kv(tl, _("Socket file"), "%s", _("none: an unnamed socket (socketpair() or a "
						   "client that did not bind)"));
		return;
	}
	if (sock_is_abstract(s)) {
		tl_kv(tl, _("Socket file"), "%s", _("none: an abstract name lives only in the "
						   "kernel; anyone in the network namespace can connect "
						   "(no file permissions)"));
		return;
	}
	if (f->valid && sock_key_equal(&f->key, &s->key) && f->pending) {
		tl_kv(tl, _("Socket file"), "%s", _("file metadata not available yet"));
		return;
	}
	if (f->valid && sock_key_equal(&f->key, &s->key) && f->err == ETIMEDOUT) {
		tl_kv(tl, _("Socket file"), _("file metadata not available: the file system did not "
					      "answer within %d s (a dead network or FUSE mount?)"),
		      FSPROBE_TIMEOUT_MS / 1000);
		return;
	}
	if (!f->valid || !sock_key_equal(&f->key, &s->key) || !f->found) {
		tl_kv(tl, _("Socket file"), "%s", _("not found (deleted, or in another mount namespace)"));
		return;
	}
	mode[0] = S_ISSOCK(f->mode) ? 's' : S_ISLNK(f->mode) ? 'l' : '-';
	for (int i = 0; i < 9; i++)
		mode[1 + i] = (f->mode & (0400u >> i)) ? "rwxrwxrwx"[i] : '-';
	mode[10] = '\0';
	tl_kv(tl, _("Socket file"), _("%s owner %u, group %u"), mode, f->uid, f->gid);
	tl_kv(tl, "", "%s", _("Unix sockets obey file permissions: connecting needs write "
			      "permission on this file"));
}

/* The socket's memory as the kernel counts it (SK_MEMINFO, as ss -m shows
 * it). What sndbuf limits is the send queue: for TCP wmem_queued (ss's w,
 * written and not yet acknowledged, so it follows Send-Q), for other kinds
 * wmem_alloc (ss's t: sent, not yet consumed). */
static void details_memory(struct textlines *tl, const struct sock *s)
{
	bool tcp_q = s->proto == SP_TCP && (s->has & SOCK_HAS_MEMQ);
	uint32_t sendq = tcp_q ? sock_x(s)->wmem_queued : sock_x(s)->wmem_alloc;

	if (!(s->has & SOCK_HAS_MEM))
		return;
	if (s->has & SOCK_HAS_MEMBUF)
		tl_kv(tl, _("Memory"), _("receive queue %u of %u bytes, send queue %u of %u bytes"),
		      sock_x(s)->rmem_alloc, sock_x(s)->rcvbuf, sendq, sock_x(s)->sndbuf);
	else
		tl_kv(tl, _("Memory"), _("receive queue %u bytes, send queue %u bytes"),
		      sock_x(s)->rmem_alloc, sendq);
	if (s->has & SOCK_HAS_DROPS)
		tl_kv(tl, _("Drops"), P_("%u packet dropped on receive (buffer full or filtered)",
					 "%u packets dropped on receive (buffer full or filtered)",
					 sock_x(s)->drops),
		      sock_x(s)->drops);
}

static void details_tcp(struct textlines *tl, const struct sock *s, const struct diff_entry *d)
{
	const struct sock_tcp *t = &sock_x(s)->tcp;
	char a1[32], a2[32];

	tl_section(tl, _("TCP (tcp_info)"));
	cell_usec(t->rtt_us, a1, sizeof(a1));
	cell_usec(t->rttvar_us, a2, sizeof(a2));
	tl_kv(tl, _("RTT"), _("%s (variation %s)"), a1, a2);
	if (s->has & SOCK_HAS_CONG)
		tl_add(tl, _("Congestion"), VS_LABEL, sock_x(s)->cong, strnlen(sock_x(s)->cong, sizeof(sock_x(s)->cong)),
		       true, VS_NORMAL);
	if (t->snd_ssthresh >= 0x7fffffffu)
		tl_kv(tl, _("Window"), _("cwnd %u segments, ssthresh infinite, state %s"),
		      t->snd_cwnd, ca_state_name(t->ca_state));
	else
		tl_kv(tl, _("Window"), _("cwnd %u segments, ssthresh %u, state %s"),
		      t->snd_cwnd, t->snd_ssthresh, ca_state_name(t->ca_state));
	tl_kv(tl, _("MSS"), _("send %u, receive %u, path MTU %u"), t->snd_mss, t->rcv_mss, t->pmtu);
	tl_kv(tl, _("Peer window"), _("%u bytes; receive space %u; window scale %u/%u"),
	      t->snd_wnd, t->rcv_space, t->snd_wscale, t->rcv_wscale);
	cell_usec(t->rto_us, a1, sizeof(a1));
	cell_usec(t->ato_us, a2, sizeof(a2));
	tl_kv(tl, _("Timeouts"), _("retransmit %s, delayed ack %s"), a1, a2);
	tl_kv(tl, _("Retransmits"), _("%u now, %u in all; unacked %u, sacked %u, lost %u"),
	      t->retransmits, t->total_retrans, t->unacked, t->sacked, t->lost);
	tl_kv(tl, _("Bytes"), _("sent %llu, acked %llu, received %llu, retransmitted %llu"),
	      (unsigned long long)t->bytes_sent, (unsigned long long)t->bytes_acked,
	      (unsigned long long)t->bytes_received, (unsigned long long)t->bytes_retrans);
	tl_kv(tl, _("Segments"), _("out %u, in %u"), t->segs_out, t->segs_in);
	fmt_bits((double)t->delivery_rate, a1, sizeof(a1));
	fmt_bits((double)t->pacing_rate, a2, sizeof(a2));
	tl_kv(tl, _("Delivery rate"), _("%s (pacing %s)"), a1, a2);
	if (d && (d->flags & DIFF_RATES)) {
		cell_rate(d->rx_rate, a1, sizeof(a1));
		cell_rate(d->tx_rate, a2, sizeof(a2));
		tl_kv(tl, _("Rates"), _("receiving %sB/s, sending %sB/s (since the last refresh)"),
		      a1, a2);
	} else {
		tl_kv(tl, _("Rates"), "%s", _("after the next refresh"));
	}
	tl_kv(tl, _("Last activity"), _("sent %u ms ago, received %u ms ago, ack %u ms ago"),
	      t->last_data_sent_ms, t->last_data_recv_ms, t->last_ack_recv_ms);
}

static void details_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	struct textlines tl = TEXTLINES_INIT(v->cs);
	struct lb b = LB_INIT(v);
	bool gone;
	const struct sock *s = app_details_sock(a, &gone);
	const struct diff_entry *d;
	const struct sock *peer;

	(void)now;

	ln_start(&b, y0, VS_TITLE);
	if (!s) {
		ln_puts(&b, _(" Details: no socket selected (Esc returns)"), VS_TITLE);
		v->scroll_max = tl_render(v, a->scroll, &tl, y0 + 1, h - 1, 16);
		tl_free(&tl);
		return;
	}
	ln_puts(&b, _(" Details of "), VS_TITLE);
	ln_puts(&b, sock_netid(s), VS_TITLE);
	ln_puts(&b, " ", VS_TITLE);
	{
		struct buf t = BUF_INIT;
		size_t w = output_addr(&t, s, false, v->cs);

		ln_safe(&b, t.data ? t.data : "", t.len, w, VS_TITLE);
		buf_free(&t);
	}
	if (gone)
		ln_puts(&b, _("  [closed: last known values]"), VS_TITLE);
	ln_puts(&b, _("  (Esc returns, p peer)"), VS_TITLE);

	d = gone ? NULL : app_diff_of(a, s);
	tl_kv(&tl, _("Protocol"), "%s, %s, %s", sock_netid(s), sock_family_name(s->family),
	      sock_type_name(s->type));
	tl_kv(&tl, _("State"), "%s", sock_state_name(s));
	tl_kv(&tl, "", "%s", view_state_explain(s));
	details_addr(&tl, _("Local"), s, false);
	details_addr(&tl, _("Peer"), s, true);
	if (s->state == SS_LISTEN)
		tl_kv(&tl, _("Queues"), _("%u waiting for accept(), backlog %u"), s->recv_q, s->send_q);
	else
		tl_kv(&tl, _("Queues"), _("%u bytes to read (Recv-Q), %u bytes unacknowledged (Send-Q)"),
		      s->recv_q, s->send_q);
	details_explain(&tl, s, explain_queues);
	tl_kv(&tl, _("Inode"), "%u", s->inode);
	tl_kv(&tl, _("Cookie"), "0x%llx", (unsigned long long)s->cookie);
	if (s->has & SOCK_HAS_UID)
		tl_kv(&tl, _("UID"), "%u", s->uid);
	if (s->ifindex && s->proto != SP_PACKET)
		tl_kv(&tl, _("Interface"), "%u", s->ifindex);
	if (s->family == AF_INET || s->family == AF_INET6) {
		details_timer(&tl, s);
		details_explain(&tl, s, explain_timer);
		details_shutdown(&tl, s);
	}
	details_memory(&tl, s);
	details_diagnosis(&tl, a, s);

	tl_section(&tl, _("Processes"));
	if (sock_awaits_accept(s)) {
		/* no file yet: whose it will be is the listener's owner's */
		tl_kv(&tl, _("Owner"), "%s", s->state == SS_SYN_RECV || s->state == SS_NEW_SYN_RECV
			? _("none yet: the handshake is not finished; then the connection waits "
			    "in the listener's accept queue for accept() by the process that owns "
			    "the listener")
			: _("none yet: the connection waits in the listener's accept queue for "
			    "accept() by the process that owns the listener"));
		tl_kv(&tl, _("Listener"), _("inode %u"), s->listener_inode);
		details_processes(&tl, a, s->listener_inode, _("Its owner"),
				  s->key.netns ? s->key.netns : a->self_netns);
	} else {
		details_processes(&tl, a, s->inode, _("Owner"),
				  s->key.netns ? s->key.netns : a->self_netns);
	}
	if (s->key.netns) {
		const struct nstab_ent *e = nstab_find(a->table.ns, s->key.netns);
		char raw[128];

		if (e)
			nstab_label(e, raw, sizeof(raw));
		else
			snprintf(raw, sizeof(raw), "netns:[%u]", (unsigned)s->key.netns);
		tl_add(&tl, _("Netns"), VS_LABEL, "", 0, false, VS_NORMAL);
		esc_display(&tl.t, raw, strlen(raw), tl.cs);
		buf_printf(&tl.t, _(" (inode %u)"), (unsigned)s->key.netns);
		tl.l[tl.n - 1].vlen = tl.t.len - tl.l[tl.n - 1].voff;
	}

	details_kind(&tl, s);
	if (s->proto == SP_UNIX) {
		tl_section(&tl, _("Unix socket"));
		if (!(s->has & SOCK_HAS_NAME) || !sock_x(s)->name_len)
			tl_kv(&tl, _("Name"), "%s", _("unnamed"));
		else if (sock_is_abstract(s))
			details_addr(&tl, _("Abstract name"), s, false);
		else
			details_addr(&tl, _("Path"), s, false);
		details_file(&tl, a, s);
		if ((s->has & SOCK_HAS_PEER) && s->peer_inode) {
			tl_kv(&tl, _("Peer inode"), "%u", s->peer_inode);
			details_processes(&tl, a, s->peer_inode, _("Peer process"), 0);
		} else if ((s->has & SOCK_HAS_PEER) && s->state == SS_ESTABLISHED &&
			   s->type != SOCK_DGRAM) {
			/* connected, but the other end has no file: the kernel
			 * does not list a connection waiting for accept() */
			tl_kv(&tl, _("Peer inode"), "%s",
			      _("none: connected, but the other end has no file yet (it waits in "
				"the listener's queue for accept()) or no more (it was closed)"));
		} else {
			tl_kv(&tl, _("Peer inode"), "%s", _("none (not connected)"));
		}
	} else if (s->family == AF_INET || s->family == AF_INET6) {
		/* only a listener, or a socket bound and not connected, can be
		 * reached by others; a connection belongs to its two ends */
		if (s->state == SS_LISTEN || (s->proto != SP_TCP && !s->rport))
			tl_kv(&tl, _("Permissions"), "%s",
			      _("network sockets have no file permissions: any local user can "
				"connect"));
		peer = gone ? NULL : app_find_peer(a, s);
		if (peer) {
			tl_section(&tl, _("Local peer"));
			tl_kv(&tl, _("Peer socket"), _("inode %u, %s (p jumps to it)"), peer->inode,
			      sock_state_name(peer));
			details_processes(&tl, a, peer->inode, _("Peer process"), 0);
		}
	}
	if (s->proto == SP_TCP && s->state == SS_LISTEN)
		tl_kv(&tl, _("tcp_info"), "%s", _("a listening socket has no connection of its own: "
						 "round-trip times, windows and rates belong to the "
						 "connections it accepts"));
	else if (s->proto == SP_TCP && (s->has & SOCK_HAS_TCP))
		details_tcp(&tl, s, d);
	else if (s->proto == SP_TCP)
		tl_kv(&tl, _("tcp_info"), "%s", _("not reported for this socket (listening or "
						 "TIME-WAIT sockets have none)"));
	details_history(&tl, a, s, gone);
	v->scroll_max = tl_render(v, a->scroll, &tl, y0 + 1, h - 1, 16);
	tl_free(&tl);
}

static const struct hint *details_hints(const struct app *a, size_t *n)
{
	static const struct hint hints[] = {
		{ KEYS_ACT(ACT_BACK), N_("Back") },
		{ KEYS_ACT(ACT_PEER), N_("Peer") },
		{ KEYS_ACT(ACT_UP, ACT_DOWN), N_("Scroll") },
		{ KEYS_ACT(ACT_PAUSE), N_("Pause") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};

	(void)a;
	return SCREEN_HINTS(hints, n);
}

const struct screen screen_details = {
	.name = "details",
	.enter = details_enter,
	.sync = details_sync,
	.action = details_action,
	.build = details_build,
	.hints = details_hints,
	.pages_text = true,
	.wants_tcp_info = true,
};
