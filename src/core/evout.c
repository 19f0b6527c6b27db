/* evout.c - socket events as NDJSON objects and human lines. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "evout.h"
#include "i18n.h"
#include "output.h"
#include "sock.h"

/* "2026-12-05T14:40:01.123Z" (UTC) or, short, "14:40:01.123" (local). */
static void put_time(struct buf *out, int64_t wall_ms, bool iso)
{
	time_t secs = (time_t)(wall_ms / 1000);
	struct tm tm;
	char s[64];

	if (iso ? !gmtime_r(&secs, &tm) : !localtime_r(&secs, &tm)) {
		buf_puts(out, "?");
		return;
	}
	if (iso)
		strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	else
		strftime(s, sizeof(s), "%H:%M:%S", &tm);
	buf_printf(out, "%s.%03d%s", s, (int)(wall_ms % 1000), iso ? "Z" : "");
}

static const char *state_str(const struct sock *s, unsigned state)
{
	struct sock tmp = *s;

	tmp.state = (uint8_t)state;
	return sock_state_name(&tmp);
}

void evout_json(struct buf *out, const struct ev_event *e, int64_t wall_ms,
		const struct procmap *pm)
{
	const char *life = ev_life_name(e->life);

	buf_puts(out, "{\"time\": \"");
	put_time(out, wall_ms, true);
	buf_printf(out, "\", \"seq\": %" PRIu64 ", \"event\": \"%s\", \"source\": \"%s\"", e->seq,
		   ev_kind_name(e->kind), ev_source_name(e->source));
	if (e->kind == EV_GAP) {
		buf_puts(out, ", \"reason\": \"destroy messages lost (receive buffer full); "
			      "dumped again\"}");
		return;
	}
	if (e->kind == EV_CHANGE) {
		const char *sep = "";

		buf_puts(out, ", \"changes\": [");
		if (e->flags & EVF_STATE) {
			buf_puts(out, "\"state\"");
			sep = ", ";
		}
		if (e->flags & EVF_ACCEPT) {
			buf_printf(out, "%s\"accept\"", sep);
			sep = ", ";
		}
		if (e->flags & EVF_QUEUE)
			buf_printf(out, "%s\"queue\"", sep);
		buf_putc(out, ']');
		if (e->flags & EVF_STATE)
			buf_printf(out, ", \"old_state\": \"%s\"", state_str(&e->sock, e->old_state));
	}
	if (e->flags & EVF_INFERRED)
		buf_puts(out, ", \"inferred\": true");
	if (e->kind == EV_GONE) {
		if (e->flags & EVF_NO_DESTROY)
			buf_puts(out, ", \"destroy_messages\": false");
		if (life)
			buf_printf(out, ", \"lifetime_ms\": %" PRId64 ", \"lifetime\": \"%s\"",
				   e->life_ms, life);
	}
	buf_puts(out, ", \"process\": ");
	if (e->pid > 0) {
		buf_printf(out, "{\"pid\": %d, \"comm\": \"", (int)e->pid);
		esc_json(out, e->comm, e->comm_len);
		buf_puts(out, "\"}");
	} else {
		buf_puts(out, "null");
	}
	buf_puts(out, ", \"socket\": ");
	output_json_sock_pm(out, pm, &e->sock);
	buf_putc(out, '}');
}

void evout_duration(struct buf *out, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	if (ms < 1000)
		buf_printf(out, "%" PRId64 "ms", ms);
	else if (ms < 60000)
		buf_printf(out, "%" PRId64 ".%" PRId64 "s", ms / 1000, ms % 1000 / 100);
	else if (ms < 3600000)
		buf_printf(out, "%" PRId64 "m%02" PRId64 "s", ms / 60000, ms % 60000 / 1000);
	else
		buf_printf(out, "%" PRId64 "h%02" PRId64 "m", ms / 3600000, ms % 3600000 / 60000);
}

void evout_line(struct buf *out, const struct ev_event *e, int64_t wall_ms,
		enum esc_charset cs)
{
	const struct sock *s = &e->sock;

	if (wall_ms >= 0) {
		put_time(out, wall_ms, false);
		buf_putc(out, ' ');
	}
	buf_printf(out, "%-6s ", ev_kind_name(e->kind));
	if (e->kind == EV_GAP) {
		buf_puts(out, _("destroy messages lost: some events may be missing (dumped again)"));
		return;
	}
	buf_printf(out, "%-5s %-11s ", sock_netid(s), sock_state_name(s));
	output_addr(out, s, false, cs);
	if (s->proto != SP_UNIX || ((s->has & SOCK_HAS_PEER) && s->peer_inode)) {
		buf_putc(out, ' ');
		if (s->proto == SP_UNIX)
			buf_printf(out, "peer=%u", s->peer_inode);
		else
			output_addr(out, s, true, cs);
	}
	if (e->pid > 0) {
		buf_putc(out, ' ');
		esc_display(out, e->comm, e->comm_len, cs);
		buf_printf(out, "/%d", (int)e->pid);
	}
	if (e->kind == EV_CHANGE) {
		if (e->flags & EVF_STATE)
			buf_printf(out, _(" from %s"), state_str(s, e->old_state));
		if (e->flags & EVF_ACCEPT)
			buf_puts(out, _(" accepted"));
		if (e->flags & EVF_QUEUE)
			buf_puts(out, _(" queue filling"));
	}
	if (e->flags & EVF_INFERRED)
		buf_puts(out, _(" (seen only dying)"));
	if (e->kind == EV_GONE && e->life != EVL_NONE) {
		buf_puts(out, e->life == EVL_AT_LEAST  ? _(" lived >= ")
			      : e->life == EVL_AT_MOST ? _(" lived <= ")
						       : _(" lived "));
		evout_duration(out, e->life_ms);
	}
	if (e->kind == EV_GONE)
		buf_puts(out, e->source == EVS_DESTROY	    ? _(" (destroy)")
			      : (e->flags & EVF_NO_DESTROY) ? _(" (dump; no destroy messages)")
							    : _(" (dump)"));
}
