/* explain.c - the queues and timers of a socket in words (explain.h). */
#include "config.h"

#include <sys/socket.h>

#include "explain.h"
#include "i18n.h"
#include "view.h"

void explain_queues(const struct sock *s, struct buf *out)
{
	bool stream = s->proto == SP_TCP || s->type == SOCK_STREAM || s->type == SOCK_SEQPACKET;

	if (s->state == SS_LISTEN) {
		if (s->proto == SP_TCP && s->recv_q > s->send_q)
			buf_printf(out, _("accept queue full: %u connections wait for accept() (backlog "
					  "%u); new clients' SYNs are dropped, they stay in SYN-SENT"),
				   s->recv_q, s->send_q);
		else if (s->recv_q)
			buf_printf(out, _("%u connections wait for the program to accept() them "
					  "(backlog %u)"), s->recv_q, s->send_q);
		else
			buf_printf(out, _("no connection waits for accept() (backlog %u)"), s->send_q);
		return;
	}
	if (s->state == SS_TIME_WAIT || s->state == SS_SYN_RECV || s->state == SS_NEW_SYN_RECV) {
		buf_puts(out, _("no queues: no program holds it yet or any more"));
		return;
	}
	if (!s->recv_q && !s->send_q) {
		buf_puts(out, stream ? _("queues empty: everything sent was acknowledged, "
					 "everything received was read")
				     : _("queues empty: every datagram received was read"));
		return;
	}
	if (s->recv_q)
		buf_printf(out, stream ? _("%u bytes arrived that the program has not read yet")
				       : _("%u bytes of datagrams wait to be read"), s->recv_q);
	if (s->recv_q && s->send_q)
		buf_puts(out, "; ");
	if (s->send_q)
		buf_printf(out, s->proto == SP_TCP
				? _("%u bytes sent but not yet acknowledged (a peer that does not read "
				    "fills up: its window closes)")
				: _("%u bytes wait to be sent"), s->send_q);
}

void explain_timer(const struct sock *s, struct buf *out)
{
	if (s->family == AF_UNIX || !s->timer)
		return;
	switch (s->timer) {
	case 1:
		buf_puts(out, s->state == SS_SYN_SENT
			? _("retransmit timer: the SYN got no answer; it is sent again, with "
			    "growing delays")
			: _("retransmit timer: data not acknowledged yet is sent again when it "
			    "expires"));
		break;
	case 2:
		buf_puts(out, _("keepalive timer: checks now and then that an idle peer is "
				"still there"));
		break;
	case 3:
		buf_puts(out, _("TIME-WAIT timer: the kernel forgets the connection when it "
				"expires"));
		break;
	case 4:
		buf_puts(out, _("persist timer: the peer's window is 0 (it does not read); the "
				"kernel probes until it opens"));
		break;
	default:
		break;
	}
}

void explain_line(const struct sock *s, struct buf *out)
{
	struct buf t = BUF_INIT;

	buf_printf(out, "%s: %s; ", sock_state_name(s), view_state_explain(s));
	explain_queues(s, out);
	explain_timer(s, &t);
	if (t.len) {
		buf_puts(out, "; ");
		buf_append(out, t.data, t.len);
	}
	buf_free(&t);
}
