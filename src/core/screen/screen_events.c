/* screen_events.c - the event log: births, deaths and changes of sockets,
 * newest first, filtered by the table's toggles and filter; Enter on the
 * event of a living socket selects it in the table. */
#include "config.h"

#include <stdio.h>

#include "evout.h"
#include "filter.h"
#include "i18n.h"
#include "screen.h"

/* Events a page key moves over. */
#define EV_PAGE 20

/* Whether the log screen shows e: the toggles and the filter of the table
 * (gaps always). */
static bool shown(const struct app *a, const struct ev_event *e)
{
	struct sock_scope sc = { a->table.protos, a->table.families, a->table.listening };

	if (e->kind == EV_GAP)
		return true;
	if (!sock_in_scope(&sc, &e->sock))
		return false;
	return !a->table.filter || filter_matches(a->table.filter, &e->sock, a->table.pm);
}

/* The shown event at position k from the newest, or NULL. */
static const struct ev_event *nth(const struct app *a, size_t k)
{
	for (size_t i = a->events.n; i-- > 0;) {
		const struct ev_event *e = ev_log_at(&a->events, i);

		if (shown(a, e) && k-- == 0)
			return e;
	}
	return NULL;
}

/* Position of the selected event among the shown ones (0: the newest,
 * also when the selection is no longer shown); *count: how many shown. */
static size_t position(const struct app *a, size_t *count)
{
	size_t k = 0, pos = 0;
	bool found = false;

	for (size_t i = a->events.n; i-- > 0;) {
		const struct ev_event *e = ev_log_at(&a->events, i);

		if (!shown(a, e))
			continue;
		if (!found && e->seq == a->ev_sel) {
			pos = k;
			found = true;
		}
		k++;
	}
	*count = k;
	return found ? pos : 0;
}

static void events_enter(struct app *a)
{
	a->ev_sel = 0;
}

static unsigned select_at(struct app *a, size_t k)
{
	const struct ev_event *e = nth(a, k);

	/* the newest follows new events; any other stays put */
	a->ev_sel = e && k ? e->seq : 0;
	return APP_REDRAW;
}

static unsigned events_action(struct app *a, enum action act, int64_t now)
{
	size_t count, pos = position(a, &count);

	switch (act) {
	case ACT_UP: return select_at(a, pos ? pos - 1 : 0);
	case ACT_DOWN: return select_at(a, pos + 1 < count ? pos + 1 : pos);
	case ACT_PGUP: return select_at(a, pos > EV_PAGE ? pos - EV_PAGE : 0);
	case ACT_PGDN:
		return select_at(a, pos + EV_PAGE < count ? pos + EV_PAGE : count ? count - 1 : 0);
	case ACT_HOME: return select_at(a, 0);
	case ACT_END: return select_at(a, count ? count - 1 : 0);
	case ACT_BACK:
	case ACT_EVENTS:
		return app_set_mode(a, MODE_TABLE);
	case ACT_DETAILS: {
		const struct ev_event *e = nth(a, pos);

		if (!e || e->kind == EV_GAP)
			return 0;
		if (e->kind != EV_GONE && app_select_key(a, &e->sock.key)) {
			app_set_mode(a, MODE_TABLE);
			app_message(a, false, now, "%s", _("the socket of that event is selected"));
			return APP_REDRAW;
		}
		app_message(a, true, now, "%s",
			    _("that socket is gone (or hidden by the toggles or the filter)"));
		return APP_REDRAW;
	}
	case ACT_NONE:
		return 0;
	default:
		/* the table's keys keep working (toggles, filter, quit...) */
		return screen_table_action(a, act, now);
	}
}

static enum view_style style_of(const struct ev_event *e)
{
	switch (e->kind) {
	case EV_BORN: return VS_NEW;
	case EV_GONE: return VS_GONE;
	case EV_GAP: return VS_WARN;
	default: return VS_NORMAL;
	}
}

static void events_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	struct lb b = LB_INIT(v);
	struct buf line = BUF_INIT;
	size_t count, pos = position(a, &count), top = 0, k = 0;
	size_t page = h > 1 ? (size_t)h - 1 : 0;
	int y = y0 + 1;

	(void)now;
	ln_start(&b, y0, VS_TITLE);
	ln_printf(&b, VS_TITLE, _(" Events, newest first: %zu shown, %zu kept (at most %zu)"), count,
		  a->events.n, a->events.cap);
	if (a->events.dropped)
		ln_printf(&b, VS_TITLE, _(", %llu older dropped"),
			  (unsigned long long)a->events.dropped);
	if (page && pos >= page)
		top = pos - page + 1;
	for (size_t i = a->events.n; i-- > 0 && y < y0 + h;) {
		const struct ev_event *e = ev_log_at(&a->events, i);

		if (!shown(a, e))
			continue;
		if (k++ < top)
			continue;
		buf_reset(&line);
		evout_line(&line, e, e->t_ms + a->wall_off, v->cs);
		ln_start(&b, y, k - 1 == pos ? VS_SELECTED : VS_NORMAL);
		ln_safe(&b, line.data ? line.data : "", line.len,
			esc_width(line.data ? line.data : "", line.len, v->cs),
			k - 1 == pos ? VS_SELECTED : style_of(e));
		y++;
	}
	if (!count) {
		ln_start(&b, y, VS_DIM);
		ln_puts(&b, _(" No events yet: sockets born, gone or changed since the start show here."),
			VS_DIM);
	}
	buf_free(&line);
}

static const struct hint *events_hints(const struct app *a, size_t *n)
{
	static const struct hint hints[] = {
		{ KEYS_ACT(ACT_BACK), N_("Close") },
		{ KEYS_ACT(ACT_DETAILS), N_("Select") },
		{ KEYS_ACT(ACT_FILTER), N_("Filter") },
		{ KEYS_ACT(ACT_EXPORT), N_("Export") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};

	(void)a;
	return SCREEN_HINTS(hints, n);
}

const struct screen screen_events = {
	.name = "events",
	.enter = events_enter,
	.action = events_action,
	.build = events_build,
	.hints = events_hints,
	.pages_text = true,
};
