/* diagnose.c - the diagnosis rules (see diagnose.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "i18n.h"
#include "xalloc.h"

static bool tcp_info_of(const struct sock *s)
{
	return s->proto == SP_TCP && (s->has & SOCK_HAS_TCP);
}

/* States in which this side still has data to deliver. */
static bool sending_state(unsigned st)
{
	return st == SS_ESTABLISHED || st == SS_CLOSE_WAIT || st == SS_FIN_WAIT1 ||
	       st == SS_LAST_ACK || st == SS_CLOSING;
}

/* The last k+1 slots of series s never went down and the newest is above
 * the oldest of them (all known). */
static bool growing(const struct hist_entry *h, enum hist_series s, size_t k)
{
	double v[HIST_SLOTS];
	size_t n;

	if (!h)
		return false;
	n = hist_series(h, s, v, k + 1);
	if (n < k + 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (isnan(v[i]) || (i && v[i] < v[i - 1]))
			return false;
	return v[n - 1] > v[0];
}

/* Some of the last k slots of series s are above 0. */
static bool any_recent(const struct hist_entry *h, enum hist_series s, size_t k)
{
	double v[HIST_SLOTS];
	size_t n;

	if (!h)
		return false;
	n = hist_series(h, s, v, k);
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]) && v[i] > 0)
			return true;
	return false;
}

bool diag_zero_window(const struct diag_in *in)
{
	const struct sock *s = in->s;
	const struct sock_tcp *t = &s->tcp;

	if (!tcp_info_of(s) || !sending_state(s->state))
		return false;
	/* the persist timer runs only while the peer's window is 0 and data
	 * waits; probes are what it sends */
	if (s->timer == 4 || t->probes > 0)
		return true;
	return t->info_len >= DIAG_SNDWND_END && t->snd_wnd == 0 && s->send_q > 0 &&
	       t->backoff > 0;
}

bool diag_loss(const struct diag_in *in)
{
	const struct sock *s = in->s;
	const struct sock_tcp *t = &s->tcp;

	if (!tcp_info_of(s) || !sending_state(s->state) || !s->send_q)
		return false;
	/* retransmit timer backing off: nothing acknowledged for a while */
	if (s->timer == 1 && (t->backoff > 0 || t->retransmits > 1))
		return true;
	return growing(in->h, HS_SENDQ, 2) && any_recent(in->h, HS_LOSS, 3);
}

bool diag_accept_full(const struct diag_in *in)
{
	const struct sock *s = in->s;

	return s->proto == SP_TCP && s->state == SS_LISTEN && (s->has & SOCK_HAS_QUEUE) &&
	       s->recv_q > 0 && s->recv_q >= s->send_q;
}

bool diag_unix_backlog(const struct diag_in *in)
{
	const struct sock *s = in->s;

	return s->proto == SP_UNIX && s->state == SS_LISTEN && (s->has & SOCK_HAS_QUEUE) &&
	       s->recv_q > 0 && s->recv_q >= s->send_q;
}

bool diag_close_wait(const struct diag_in *in)
{
	return in->s->proto == SP_TCP && in->s->state == SS_CLOSE_WAIT &&
	       in->state_age_ms >= DIAG_CLOSE_WAIT_MS;
}

bool diag_syn_sent(const struct diag_in *in)
{
	const struct sock *s = in->s;

	if (s->proto != SP_TCP || s->state != SS_SYN_SENT)
		return false;
	return s->retrans > 0 ||
	       (tcp_info_of(s) && (s->tcp.retransmits > 0 || s->tcp.backoff > 0));
}

bool diag_orphan_fin(const struct diag_in *in)
{
	const struct sock *s = in->s;

	if (s->proto != SP_TCP || (s->state != SS_FIN_WAIT1 && s->state != SS_FIN_WAIT2) ||
	    s->inode)
		return false;
	return in->state_age_ms >= DIAG_ORPHAN_MS;
}

bool diag_udp_drops(const struct diag_in *in)
{
	const struct sock *s = in->s;

	if (s->proto != SP_UDP && s->proto != SP_RAW)
		return false;
	if (any_recent(in->h, HS_LOSS, 2))
		return true;
	return s->recv_q > 0 && growing(in->h, HS_RECVQ, 2);
}

bool diag_time_wait_peer(const struct diag_in *in)
{
	return in->s->proto == SP_TCP && in->s->state == SS_TIME_WAIT &&
	       in->tw_to_peer >= DIAG_TW_MANY;
}

static const struct {
	bool (*fires)(const struct diag_in *in);
	const char *name, *marker, *sentence;
} rules[DR_MAX_] = {
	[DR_ZERO_WINDOW] = { diag_zero_window, "zero_window", N_("not reading"),
		N_("The receiver is not reading: the peer's window is 0, so this side can only "
		   "send zero-window probes. Check the program at the other end: is it blocked, "
		   "stopped, or no longer reading this connection?") },
	[DR_LOSS] = { diag_loss, "loss", N_("loss"),
		N_("Packets are being lost or the peer is gone: Send-Q grows while segments are "
		   "retransmitted. Check that the peer is still up and the path to it (ping, "
		   "firewall, a cable or Wi-Fi link).") },
	[DR_ACCEPT_FULL] = { diag_accept_full, "accept_queue_full", N_("accept full"),
		N_("The program is not calling accept() fast enough; new connections are "
		   "dropped (the accept queue is at its backlog). Check whether the program is "
		   "busy or stuck, or give listen() a larger backlog.") },
	[DR_UNIX_BACKLOG] = { diag_unix_backlog, "unix_backlog_full", N_("backlog full"),
		N_("The program is not calling accept() fast enough: this Unix listener's "
		   "backlog is full, so new connections wait or fail (EAGAIN). Check whether "
		   "the program is busy or stuck.") },
	[DR_CLOSE_WAIT] = { diag_close_wait, "close_wait", N_("not closed"),
		N_("The peer closed; this program has not closed its socket (often a bug). "
		   "Check that the program calls close() when a read returns 0.") },
	[DR_SYN_SENT] = { diag_syn_sent, "syn_retrying", N_("no answer"),
		N_("Nothing answers at that address (firewall or host down): the connection "
		   "request is being sent again. Check the address and port, and any firewall "
		   "on the way.") },
	[DR_ORPHAN_FIN] = { diag_orphan_fin, "orphaned_fin_wait", N_("orphan"),
		N_("Orphaned: the program closed this socket, but the peer has not finished "
		   "closing its side. The kernel gives up by itself (tcp_fin_timeout, "
		   "tcp_orphan_retries); check the peer if there are many.") },
	[DR_UDP_DROPS] = { diag_udp_drops, "receive_drops", N_("drops"),
		N_("Datagrams arrive faster than the program reads them: Recv-Q grows or the "
		   "kernel drops packets. Check that the program keeps reading, or give it a "
		   "larger receive buffer (SO_RCVBUF).") },
	[DR_TIME_WAIT_PEER] = { diag_time_wait_peer, "many_time_wait", N_("many TW"),
		N_("Many TIME-WAIT sockets to this peer: connections to it are opened and "
		   "closed at a high rate. Check whether the client could keep connections "
		   "open (keep-alive, a connection pool).") },
};

enum diag_rule diagnose(const struct diag_in *in)
{
	for (int r = DR_NONE + 1; r < DR_MAX_; r++)
		if (rules[r].fires(in))
			return (enum diag_rule)r;
	return DR_NONE;
}

const char *diag_marker(enum diag_rule r)
{
	return r > DR_NONE && r < DR_MAX_ ? _(rules[r].marker) : "";
}

const char *diag_sentence(enum diag_rule r)
{
	return r > DR_NONE && r < DR_MAX_ ? _(rules[r].sentence) : "";
}

const char *diag_name(enum diag_rule r)
{
	return r > DR_NONE && r < DR_MAX_ ? rules[r].name : "";
}

/* ---- TIME-WAIT per peer ---- */

static uint64_t peer_hash(const struct sock *s)
{
	uint64_t h = 0xcbf29ce484222325ull ^ s->family;

	for (size_t i = 0; i < sizeof(s->raddr); i++)
		h = (h ^ s->raddr[i]) * 0x100000001b3ull;
	return h;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void diag_peers_build(struct diag_peers *p, const struct snapshot *snap)
{
	p->n = 0;
	for (size_t i = 0; i < snap->n; i++) {
		const struct sock *s = &snap->socks[i];

		if (s->proto != SP_TCP || s->state != SS_TIME_WAIT)
			continue;
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 64;
			p->h = xreallocarray(p->h, p->cap, sizeof(*p->h));
		}
		p->h[p->n++] = peer_hash(s);
	}
	if (p->n > 1)
		qsort(p->h, p->n, sizeof(*p->h), cmp_u64);
}

unsigned diag_peers_count(const struct diag_peers *p, const struct sock *s)
{
	uint64_t h;
	size_t lo = 0, hi = p->n, first;
	unsigned n = 0;

	if (s->proto != SP_TCP || !p->n)
		return 0;
	h = peer_hash(s);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->h[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (first + n < p->n && p->h[first + n] == h)
		n++;
	return n;
}

void diag_peers_free(struct diag_peers *p)
{
	free(p->h);
	memset(p, 0, sizeof(*p));
}
