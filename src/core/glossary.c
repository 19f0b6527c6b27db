/* glossary.c - the help screen's glossary (glossary.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cell.h"
#include "endpoint.h"
#include "glossary.h"
#include "i18n.h"
#include "sock.h"
#include "view.h"

/* What column c shows; NULL for a column without a text here (its menu
 * name is shown then). */
static const char *col_text(enum col c)
{
	switch (c) {
	case COL_PROTO: return _("the protocol: tcp, udp, raw; u_str, u_dgr, u_seq for Unix "
				 "stream, datagram and seqpacket sockets");
	case COL_STATE: return _("where the socket is in its life (the states below)");
	case COL_RECVQ: return _("bytes received but not yet read by the program; for LISTEN: "
				 "connections waiting for accept()");
	case COL_SENDQ: return _("bytes sent but not yet acknowledged by the peer; for LISTEN: "
				 "the backlog (most connections that may wait)");
	case COL_LOCAL: return _("this end: address:port, or for Unix sockets the path, "
				 "@abstract name or * (unnamed)");
	case COL_PEER: return _("the other end: address:port, or the peer's inode for Unix "
				"sockets; *:* when not connected");
	case COL_PROCESS: return _("command/pid of the process holding the socket (+N: more "
				   "processes share it; sockview [N]: the socket of pane N)");
	case COL_UID: return _("the user that created the socket");
	case COL_INODE: return _("the socket's inode number: its name in /proc/PID/fd "
				 "(socket:[inode]); 0 for TIME-WAIT and half-open connections");
	case COL_RTT: return _("round-trip time the kernel measured for the connection");
	case COL_CWND: return _("congestion window: how many segments may be in flight");
	case COL_RETRANS: return _("segments sent again because no acknowledgement came");
	case COL_RX: return _("bytes received per second, between two refreshes");
	case COL_TX: return _("bytes sent per second, between two refreshes");
	default: return NULL;
	}
}

void glossary_add(struct textlines *tl)
{
	struct sock s;

	tl_section(tl, _("  Glossary: the columns"));
	for (int c = 0; c < COL_MAX_; c++) {
		const struct col_info *ci = cell_col((enum col)c);
		const char *t = col_text((enum col)c);
		char label[48];

		snprintf(label, sizeof(label), "  %s", _(ci->title));
		tl_kv(tl, label, "%s", t ? t : _(ci->name));
	}
	tl_section(tl, _("  Glossary: the states"));
	memset(&s, 0, sizeof(s));
	s.proto = SP_TCP;
	s.family = AF_INET;
	s.type = SOCK_STREAM;
	for (int st = SS_ESTABLISHED; st < SS_MAX_; st++) {
		char label[48];

		if (st == SS_NEW_SYN_RECV) /* shown as SYN-RECV */
			continue;
		s.state = (uint8_t)st;
		snprintf(label, sizeof(label), "  %s", sock_state_name(&s));
		tl_kv(tl, label, "%s", view_state_explain(&s));
	}
	s.proto = SP_UDP;
	s.type = SOCK_DGRAM;
	s.state = SS_CLOSE;
	{
		char label[48];

		snprintf(label, sizeof(label), "  %s", sock_state_name(&s));
		tl_kv(tl, label, "%s", view_state_explain(&s));
	}
	tl_section(tl, _("  The state lab (n, then 6)"));
	for (int p = EP_LAB_CLOSE_WAIT; p < EP_LAB_NPRESETS; p++) {
		char label[48];

		snprintf(label, sizeof(label), "  %d", p);
		tl_kv(tl, label, "%s: %s", endpoint_lab_name((enum ep_lab_preset)p),
		      endpoint_lab_help((enum ep_lab_preset)p));
	}
	tl_kv(tl, "", "%s", _("Each preset opens its own sockets on 127.0.0.1 and explains each "
			      "step in its pane; F8 closes them. T starts the guided tour."));
}
