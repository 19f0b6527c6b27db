/* summary.c - -s: the totals of ss -s from sock_diag's records. */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "summary.h"

static bool is_mini(const struct sock *s)
{
	return s->proto == SP_TCP &&
	       (s->state == SS_TIME_WAIT || s->state == SS_SYN_RECV ||
		s->state == SS_NEW_SYN_RECV);
}

void summary_count(struct summary *sm, const struct sock *const *rows, size_t n,
		   const struct snapshot *snap)
{
	memset(sm, 0, sizeof(*sm));
	for (unsigned p = 0; p < SP_NPROTO; p++)
		sm->status[p] = snap ? snap->status[p] : SNAP_OK;
	for (size_t i = 0; i < n; i++) {
		const struct sock *s = rows[i];

		if (s->proto == SP_TCP) {
			sm->tcp_total++;
			switch (s->state) {
			case SS_ESTABLISHED:
			case SS_CLOSE_WAIT:
				sm->tcp_estab++;
				break;
			case SS_CLOSE:
				sm->tcp_closed++;
				break;
			case SS_TIME_WAIT:
				sm->tcp_timewait++;
				break;
			case SS_SYN_RECV:
			case SS_NEW_SYN_RECV:
				sm->tcp_synrecv++;
				break;
			case SS_FIN_WAIT1:
			case SS_FIN_WAIT2:
			case SS_CLOSING:
			case SS_LAST_ACK:
				if (!s->inode && !s->listener_inode)
					sm->tcp_orphaned++;
				break;
			default:
				break;
			}
		}
		if (is_mini(s) || s->proto >= SP_NPROTO)
			continue;
		sm->total++;
		sm->kind[s->proto][0]++;
		if (s->family == AF_INET)
			sm->kind[s->proto][1]++;
		else if (s->family == AF_INET6)
			sm->kind[s->proto][2]++;
	}
}

/* The kinds of the transport table, in ss's order; Unix after INET. */
static const unsigned inet_kinds[] = { SP_RAW, SP_UDP, SP_TCP };

static const char *status_note(enum snap_status st)
{
	switch (st) {
	case SNAP_UNAVAILABLE: return _("not supported by this kernel");
	case SNAP_FAILED: return _("could not be listed");
	case SNAP_NOT_ASKED: return _("not asked for");
	default: return NULL;
	}
}

static void text_row(struct buf *out, const char *name, const size_t v[3], bool fam,
		     enum snap_status st)
{
	const char *note = status_note(st);

	if (note) {
		buf_printf(out, "%-9s %-9s %-9s %-9s (%s)\n", name, "-", "-", "-", note);
		return;
	}
	if (fam)
		buf_printf(out, "%-9s %-9zu %-9zu %zu\n", name, v[0], v[1], v[2]);
	else
		buf_printf(out, "%-9s %-9zu %-9s %s\n", name, v[0], "-", "-");
}

static void upper(char *dst, const char *s, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		dst[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
	dst[i] = '\0';
}

static void write_text(struct buf *out, const struct summary *sm)
{
	size_t inet[3] = { 0, 0, 0 };
	char name[16];

	buf_printf(out, _("Total: %zu (every socket listed but TIME-WAIT and SYN-RECV, which the kernel keeps as mini-sockets)\n"),
		   sm->total);
	buf_printf(out, _("TCP:   %zu (estab %zu, closed %zu, orphaned %zu, timewait %zu)\n"),
		   sm->tcp_total, sm->tcp_estab, sm->tcp_closed, sm->tcp_orphaned,
		   sm->tcp_timewait);
	buf_puts(out, _("       estab counts ESTAB and CLOSE-WAIT (as the kernel's CurrEstab); "
			"orphaned: closing, no longer held by a process\n"));
	buf_puts(out, "\n");
	buf_puts(out, _("Transport Total     IP        IPv6\n"));
	for (size_t k = 0; k < sizeof(inet_kinds) / sizeof(inet_kinds[0]); k++) {
		unsigned p = inet_kinds[k];

		upper(name, sock_proto_name(p), sizeof(name));
		text_row(out, name, sm->kind[p], true, sm->status[p]);
		for (int j = 0; j < 3; j++)
			inet[j] += sm->kind[p][j];
	}
	text_row(out, "INET", inet, true, SNAP_OK);
	for (unsigned p = 0; p < SP_NPROTO; p++) {
		bool is_inet_kind = false;

		for (size_t k = 0; k < sizeof(inet_kinds) / sizeof(inet_kinds[0]); k++)
			is_inet_kind |= inet_kinds[k] == p;
		if (is_inet_kind)
			continue;
		upper(name, sock_proto_name(p), sizeof(name));
		text_row(out, name, sm->kind[p], false, sm->status[p]);
	}
	buf_puts(out, _("(in use: TIME-WAIT and SYN-RECV not counted)\n"));
}

static void json_kind(struct buf *out, const char *name, const size_t v[3], bool fam,
		      enum snap_status st, bool first)
{
	buf_printf(out, "%s\n  {\"proto\": \"%s\", ", first ? "" : ",", name);
	if (st != SNAP_OK) {
		buf_printf(out, "\"total\": null, \"available\": false}");
		return;
	}
	buf_printf(out, "\"total\": %zu", v[0]);
	if (fam)
		buf_printf(out, ", \"inet\": %zu, \"inet6\": %zu", v[1], v[2]);
	buf_puts(out, ", \"available\": true}");
}

static void write_json(struct buf *out, const struct summary *sm)
{
	size_t inet[3] = { 0, 0, 0 };
	bool first = true;

	buf_printf(out, "{\"total\": %zu,\n \"tcp\": {\"total\": %zu, \"estab\": %zu, "
		   "\"closed\": %zu, \"orphaned\": %zu, \"timewait\": %zu, \"synrecv\": %zu},\n"
		   " \"kinds\": [",
		   sm->total, sm->tcp_total, sm->tcp_estab, sm->tcp_closed, sm->tcp_orphaned,
		   sm->tcp_timewait, sm->tcp_synrecv);
	for (size_t k = 0; k < sizeof(inet_kinds) / sizeof(inet_kinds[0]); k++) {
		unsigned p = inet_kinds[k];

		json_kind(out, sock_proto_name(p), sm->kind[p], true, sm->status[p], first);
		first = false;
		for (int j = 0; j < 3; j++)
			inet[j] += sm->kind[p][j];
	}
	json_kind(out, "inet", inet, true, SNAP_OK, false);
	for (unsigned p = 0; p < SP_NPROTO; p++) {
		if (p == SP_RAW || p == SP_UDP || p == SP_TCP)
			continue;
		json_kind(out, sock_proto_name(p), sm->kind[p], false, sm->status[p], false);
	}
	buf_puts(out, "],\n \"definitions\": {"
		 "\"total\": \"every socket listed but TIME-WAIT and SYN-RECV\", "
		 "\"tcp.total\": \"every TCP socket, TIME-WAIT included\", "
		 "\"tcp.estab\": \"ESTAB and CLOSE-WAIT\", "
		 "\"tcp.closed\": \"CLOSE\", "
		 "\"tcp.orphaned\": \"FIN-WAIT, CLOSING or LAST-ACK without a process\", "
		 "\"kinds\": \"in use: TIME-WAIT and SYN-RECV not counted\"}}\n");
}

static void write_csv(struct buf *out, const struct summary *sm)
{
	buf_puts(out, "kind,total,inet,inet6\n");
	buf_printf(out, "all,%zu,,\n", sm->total);
	buf_printf(out, "tcp-all,%zu,,\ntcp-estab,%zu,,\ntcp-closed,%zu,,\n"
		   "tcp-orphaned,%zu,,\ntcp-timewait,%zu,,\n",
		   sm->tcp_total, sm->tcp_estab, sm->tcp_closed, sm->tcp_orphaned,
		   sm->tcp_timewait);
	for (unsigned p = 0; p < SP_NPROTO; p++) {
		if (sm->status[p] != SNAP_OK) {
			buf_printf(out, "%s,,,\n", sock_proto_name(p));
			continue;
		}
		if (p == SP_UNIX)
			buf_printf(out, "%s,%zu,,\n", sock_proto_name(p), sm->kind[p][0]);
		else
			buf_printf(out, "%s,%zu,%zu,%zu\n", sock_proto_name(p), sm->kind[p][0],
				   sm->kind[p][1], sm->kind[p][2]);
	}
}

void summary_format(struct buf *out, const struct summary *sm, enum out_format fmt)
{
	switch (fmt) {
	case FMT_JSON: write_json(out, sm); break;
	case FMT_CSV: write_csv(out, sm); break;
	case FMT_TABLE:
	default: write_text(out, sm); break;
	}
}
