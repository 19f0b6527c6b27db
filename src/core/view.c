/* view.c - from app state to styled, escaped, fitted lines: the frame
 * (header, footer, panes) around the screen of the mode (core/screen/). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "epman.h"
#include "explain.h"
#include "i18n.h"
#include "screen.h"
#include "traffic.h"
#include "evout.h"
#include "view.h"
#include "xalloc.h"

void view_init(struct view *v)
{
	memset(v, 0, sizeof(*v));
	for (int k = 0; k < PANE_SHOWN_MAX; k++)
		pane_text_init(&v->ptext[k]);
	buf_init(&v->text, 0);
	buf_init(&v->scratch, 0);
	buf_init(&v->cellbuf, 0);
	v->colhead_y = -1;
}

void view_free(struct view *v)
{
	free(v->lines);
	free(v->spans);
	buf_free(&v->text);
	buf_free(&v->scratch);
	buf_free(&v->cellbuf);
	for (int k = 0; k < PANE_SHOWN_MAX; k++)
		pane_text_free(&v->ptext[k]);
	memset(v, 0, sizeof(*v));
}

const char *view_span_text(const struct view *v, const struct view_span *sp)
{
	return v->text.data + sp->off;
}


/* ---- header ---- */

static const char *proto_label(unsigned p)
{
	switch (p) {
	case SP_TCP: return "TCP";
	case SP_UDP: return "UDP";
	case SP_RAW: return "Raw";
	case SP_PACKET: return _("Packet");
	case SP_NETLINK: return _("Netlink");
	case SP_MPTCP: return "MPTCP";
	default: return "Unix";
	}
}

/* The summed rates of the shown TCP sockets, when tcp_info is asked for
 * (a rate column, the Traffic or Hint column, the details, the grouped
 * view). */
static void header_rates(struct lb *b, const struct app *a)
{
	double rx, tx;
	char r[16], t[16];

	if (!traffic_totals(&a->table, &rx, &tx))
		return;
	cell_rate(rx, r, sizeof(r));
	cell_rate(tx, t, sizeof(t));
	ln_puts(b, _(" rx "), VS_HEADER);
	ln_printf(b, VS_HEADER_KEY, "%sB/s", r);
	ln_puts(b, _(" tx "), VS_HEADER);
	ln_printf(b, VS_HEADER_KEY, "%sB/s", t);
}

static void header_totals(struct lb *b, const struct app *a)
{
	const struct snapshot *s = app_snapshot(a);
	static const unsigned order[] = { SP_TCP, SP_UDP, SP_UNIX, SP_RAW,
					  SP_MPTCP, SP_PACKET, SP_NETLINK };

	if (a->paused)
		ln_puts(b, _("PAUSED "), VS_WARN);
	if (a->table.have_snap && s->inconsistent)
		ln_puts(b, _("INCONSISTENT "), VS_WARN);
	if (!a->table.have_snap) {
		ln_puts(b, _("reading sockets..."), VS_HEADER);
		return;
	}
	ln_printf(b, VS_HEADER_KEY, "%zu", a->table.total);
	ln_puts(b, P_(" socket: ", " sockets: ", a->table.total), VS_HEADER);
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		unsigned p = order[k];
		size_t n = 0;
		bool shown = (a->table.protos & SP_MASK(p)) != 0;

		for (int st = 0; st < SS_MAX_; st++)
			n += a->table.totals[p][st];
		if (k)
			ln_puts(b, "  ", VS_HEADER);
		if (!shown) {
			ln_printf(b, VS_DIM, _("%s hidden"), proto_label(p));
			continue;
		}
		ln_puts(b, proto_label(p), VS_HEADER);
		ln_puts(b, " ", VS_HEADER);
		if (s->status[p] == SNAP_UNAVAILABLE) {
			ln_puts(b, _("n/a"), VS_DIM);
			continue;
		}
		if (s->status[p] == SNAP_FAILED) {
			ln_puts(b, _("error"), VS_WARN);
			continue;
		}
		ln_printf(b, VS_HEADER_KEY, "%zu", n);
		if (s->from_proc & SP_MASK(p))
			/* no sock_diag handler: read from /proc/net/raw */
			ln_puts(b, _(" (from /proc)"), VS_DIM);
		if (p == SP_TCP && n) {
			/* like ss -s: the states people ask about */
			ln_printf(b, VS_HEADER, _(" (estab %zu, listen %zu, timewait %zu)"),
				  a->table.totals[p][SS_ESTABLISHED], a->table.totals[p][SS_LISTEN],
				  a->table.totals[p][SS_TIME_WAIT]);
			header_rates(b, a);
		}
	}
}

/* With every namespace dumped: "all (N)", or the one N chose. */
static void header_netns(struct lb *b, const struct app *a)
{
	const struct nstab *t = a->table.ns;
	const struct nstab_ent *e = a->table.netns_only ? nstab_find(t, a->table.netns_only) : NULL;
	char raw[128];
	struct buf esc = BUF_INIT;

	if (!a->table.netns_only) {
		ln_printf(b, VS_HEADER_KEY, _("all (%zu)"), t ? t->n : 0);
		return;
	}
	if (e) {
		esc_display(&esc, raw, nstab_label(e, raw, sizeof(raw)), a->cs);
		buf_putc(&esc, '\0');
		ln_puts(b, esc.data, VS_HEADER_KEY);
	} else {
		ln_printf(b, VS_HEADER_KEY, "netns:[%u]", (unsigned)a->table.netns_only);
	}
	buf_free(&esc);
}

/* The interval grew by itself (pace.h): "-> 4.5 s (a refresh takes 900 ms)". */
static void header_pace(struct lb *b, const struct app *a)
{
	char eff[32], cost[32];

	if (!pace_grown(&a->pace) || a->pace.user_ms != a->delay_ms)
		return;
	pace_format_ms(eff, sizeof(eff), pace_interval(&a->pace));
	pace_format_ms(cost, sizeof(cost), a->pace.cost_ms);
	ln_puts(b, b->v->cs == ESC_UTF8 ? " \xe2\x86\x92 " : " -> ", VS_WARN);
	ln_puts(b, eff, VS_WARN);
	ln_printf(b, VS_WARN, _(" (a refresh takes %s)"), cost);
}

static void header_status(struct lb *b, const struct app *a)
{
	char tmp[64];

	if (a->delay_ms < 1000)
		snprintf(tmp, sizeof(tmp), "%d ms", a->delay_ms);
	else if (a->delay_ms < 60000)
		snprintf(tmp, sizeof(tmp), "%g s", a->delay_ms / 1000.0);
	else if (a->delay_ms < 3600000)
		snprintf(tmp, sizeof(tmp), "%g min", a->delay_ms / 60000.0);
	else
		snprintf(tmp, sizeof(tmp), "%g h", a->delay_ms / 3600000.0);
	ln_puts(b, _("Refresh "), VS_HEADER);
	if (a->delay_ms >= VIEW_LONG_DELAY_MS) {
		/* a long interval looks like a frozen table: say so, and how
		 * to refresh at once */
		ln_puts(b, tmp, VS_WARN);
		ln_puts(b, _(" (Ctrl-L refreshes now)"), VS_WARN);
	} else {
		ln_puts(b, tmp, VS_HEADER_KEY);
	}
	header_pace(b, a);
	ln_puts(b, _("  Netns "), VS_HEADER);
	if (a->all_netns)
		header_netns(b, a);
	else
		ln_puts(b, a->netns ? a->netns : _("(current)"), VS_HEADER_KEY);
	ln_puts(b, _("  Filter "), VS_HEADER);
	ln_puts(b, a->table.filter_text[0] ? a->table.filter_text : _("none"),
		a->table.filter_text[0] ? VS_HEADER_KEY : VS_DIM);
	if (a->table.search[0]) {
		ln_puts(b, _("  Search "), VS_HEADER);
		ln_puts(b, a->table.search, VS_HEADER_KEY);
	}
	if (a->table.families != SF_ALL) {
		ln_puts(b, "  ", VS_HEADER);
		ln_puts(b, a->table.families == SF_INET ? _("IPv4 only") : _("IPv6 only"), VS_HEADER_KEY);
	}
	if (a->table.listening) {
		ln_puts(b, "  ", VS_HEADER);
		ln_puts(b, _("listening only"), VS_HEADER_KEY);
	}
	if (a->table.have_snap) {
		ln_puts(b, _("  Shown "), VS_HEADER);
		ln_printf(b, VS_HEADER_KEY, "%zu", a->table.nlive);
		/* the totals on the first line are the machine's: say how
		 * many of them the filter or the search lets through */
		if (a->table.filter_text[0] || a->table.search[0])
			ln_printf(b, VS_HEADER, _(" of %zu"), a->table.total);
	}
	if (epman_count(a->panes.em)) {
		ln_puts(b, _("  Endpoints "), VS_HEADER);
		ln_printf(b, VS_HEADER_KEY, "%zu", epman_count(a->panes.em));
	}
}

static void header_extra(struct lb *b, const struct app *a)
{
	const struct nstab *ns = a->all_netns ? a->table.ns : NULL;

	const char *dir = a->table.sort_reverse ? _("descending") : _("ascending");

	ln_puts(b, _("Sort "), VS_HEADER);
	ln_puts(b, _(cell_col(a->table.sort_col)->name), VS_HEADER_KEY);
	ln_printf(b, VS_HEADER, " (%s)", dir);
	if (a->no_processes) {
		ln_puts(b, _("  processes not mapped (--no-processes)"), VS_DIM);
	} else if (a->procs_reading) {
		ln_puts(b, _("  reading processes..."), VS_DIM);
	} else if (a->proc_errno) {
		ln_printf(b, VS_WARN, _("  some processes not mapped: %s"), strerror(a->proc_errno));
	} else if (a->table.pm && procmap_hidden(a->table.pm)) {
		size_t h = procmap_hidden(a->table.pm);

		ln_printf(b, VS_DIM, P_("  %zu process could not be inspected (run as root to see all)",
					"  %zu processes could not be inspected (run as root to see all)",
					h), h);
	}
	if (ns && ns->denied)
		/* said once, where it stays in sight */
		ln_printf(b, VS_WARN,
			  P_("  %zu network namespace not shown (entering it needs CAP_SYS_ADMIN)",
			     "  %zu network namespaces not shown (entering them needs CAP_SYS_ADMIN)",
			     ns->denied),
			  ns->denied);
	if (a->table.have_snap) {
		const struct snapshot *s = app_snapshot(a);

		for (unsigned p = 0; p < SP_NPROTO; p++) {
			if (s->status[p] == SNAP_UNAVAILABLE && (a->table.protos & SP_MASK(p)))
				ln_printf(b, VS_WARN, _("  %s: cannot be seen (not supported by this kernel)"),
					  proto_label(p));
			else if (s->status[p] == SNAP_FAILED && (a->table.protos & SP_MASK(p)))
				ln_printf(b, VS_WARN, "  %s: %s", proto_label(p), strerror(s->error[p]));
		}
	}
}

/* Births and deaths per second (over the last 10 s) and the age of the
 * event log. */
static void header_events(struct lb *b, const struct app *a, int64_t now)
{
	struct buf age = BUF_INIT;
	double born, gone;

	ev_log_rates(&a->events, now, 10000, &born, &gone);
	evout_duration(&age, now - a->events.started_ms);
	ln_puts(b, _("  Events "), VS_HEADER);
	ln_printf(b, VS_HEADER_KEY, "+%.1f/s -%.1f/s", born, gone);
	ln_printf(b, VS_HEADER, _(" in %s"), age.data ? age.data : "0ms");
	buf_free(&age);
}

/* ---- panes ---- */

static enum view_style tr_style(enum tr_kind k)
{
	switch (k) {
	case TR_SEND: return VS_TR_SEND;
	case TR_CONNECT:
	case TR_DISCONNECT:
	case TR_INFO: return VS_TR_EVENT;
	case TR_ERROR: return VS_TR_ERROR;
	default: return VS_NORMAL;
	}
}

/* Per shown pane: its title and status (safe, fitted) and whether it has
 * an input line; the transcript lines are in v->ptext[k]. */
struct pane_draw {
	struct pane *p;
	struct pane_rect r;
	bool sep, input, focused, status;
	size_t title_off, title_len, title_w;
	size_t status_off, status_len, status_w;
	int th; /* transcript lines */
};

/* Title: "[id] kind, transport ADDRESS" (a long address keeps its end: the
 * file name, the port); status: "listening, 2 clients, 5 B in, 5 B out"
 * and the pane's modes. A pane too low for a status line gets a short
 * state in its title. */
static void pane_title(struct view *v, const struct app *a, struct pane_draw *d,
		       struct buf *store)
{
	const struct endpoint *ep = d->p->ep;
	const struct epaddr *ad = endpoint_kind(ep) == EP_CLIENT ? endpoint_remote_addr(ep)
								: endpoint_local_addr(ep);
	struct buf head = BUF_INIT, t = BUF_INIT, st = BUF_INIT, raw = BUF_INIT;
	size_t hw, w, room = (size_t)d->r.w;

	epaddr_format(ad, &raw);
	esc_display(&head, raw.data ? raw.data : "", raw.len, v->cs);
	buf_free(&raw);
	hw = esc_width(head.data ? head.data : "", head.len, v->cs);

	endpoint_state_text(ep, v->cs, &st);
	if (d->p->hex)
		buf_printf(&st, "  [%s]", _("hex"));
	else if (d->p->lines)
		buf_printf(&st, "  [%s]", _("lines"));
	if (!pane_following(d->p))
		buf_printf(&st, "  [%s]", _("scrolled: PgDn"));
	if (d->focused && a->panes.zoom)
		buf_printf(&st, "  [%s]", _("full screen: F11"));

	/* the focused pane says so in words too, not only in colour (a
	 * monochrome terminal, a colour-blind user) */
	if (d->focused)
		buf_puts(&t, v->cs == ESC_UTF8 ? "\xe2\x96\xb6 " : "> ");
	buf_printf(&t, "[%u] %s, %s ", d->p->id, endpoint_kind_name(endpoint_kind(ep)),
		   endpoint_transport_name(endpoint_transport(ep)));
	if (endpoint_kind(ep) == EP_CLIENT) {
		buf_puts(&t, _("to"));
		buf_putc(&t, ' ');
	}
	if (endpoint_lab(ep) != EP_LAB_NONE) {
		/* a state lab pane: its preset, no address */
		buf_reset(&t);
		if (d->focused)
			buf_puts(&t, v->cs == ESC_UTF8 ? "\xe2\x96\xb6 " : "> ");
		buf_printf(&t, "[%u] ", d->p->id);
		endpoint_title(ep, v->cs, &t);
		buf_reset(&head);
		hw = 0;
	}
	if (d->p->netns_len) {
		/* made in another network namespace: which one */
		buf_puts(&head, " (");
		buf_puts(&head, _("netns"));
		buf_putc(&head, ' ');
		esc_display(&head, d->p->netns, d->p->netns_len, v->cs);
		buf_putc(&head, ')');
		hw = esc_width(head.data, head.len, v->cs);
	}
	w = esc_width(t.data, t.len, v->cs);
	if (w + hw > room && room < w + 16 && endpoint_lab(ep) == EP_LAB_NONE) {
		/* narrow: shorter, but the transport stays (an address does
		 * not tell TCP from UDP) */
		buf_reset(&t);
		if (d->focused)
			buf_puts(&t, v->cs == ESC_UTF8 ? "\xe2\x96\xb6 " : "> ");
		buf_printf(&t, "[%u] %s %s ", d->p->id, endpoint_kind_name(endpoint_kind(ep)),
			   endpoint_transport_name(endpoint_transport(ep)));
		w = esc_width(t.data, t.len, v->cs);
	}
	if (w + hw > room && room > w + 8) {
		size_t el, sw, off;
		const char *e = draw_ellipsis(v->cs, &el);

		off = draw_suffix_start(head.data, head.len, room - w - 1, v->cs, &sw);
		buf_append(&t, e, el);
		if (head.len > off)
			buf_append(&t, head.data + off, head.len - off);
	} else {
		buf_append(&t, head.data ? head.data : "", head.len);
	}
	if (!d->status) {
		buf_puts(&t, " - ");
		buf_append(&t, st.data ? st.data : "", st.len);
	}
	draw_fit_store(store, &t, room, CUT_END, v->cs, &d->title_off, &d->title_len, &d->title_w);
	if (d->status)
		draw_fit_store(store, &st, room, CUT_END, v->cs, &d->status_off, &d->status_len,
			  &d->status_w);
	buf_free(&head);
	buf_free(&t);
	buf_free(&st);
}

static void pane_emit_line(struct lb *b, struct view *v, const struct app *a,
			   const struct pane_draw *d, const struct pane_text *pt,
			   const struct buf *store, int i)
{
	size_t x = (size_t)d->r.x, end = x + (size_t)d->r.w;
	enum view_style fill = VS_NORMAL;
	int first = d->status ? 2 : 1; /* first transcript line */

	if (d->sep) {
		ln_to(b, x - 1, VS_NORMAL);
		if (v->cs == ESC_UTF8)
			ln_safe(b, "\xe2\x94\x82", 3, 1, VS_DIM);
		else
			ln_safe(b, "|", 1, 1, VS_DIM);
	}
	ln_to(b, x, VS_NORMAL);
	if (i == 0) {
		fill = d->focused ? VS_PANE_FOCUS : VS_PANE_TITLE;
		ln_safe(b, store->data + d->title_off, d->title_len, d->title_w, fill);
	} else if (i == 1 && d->status) {
		ln_safe(b, store->data + d->status_off, d->status_len, d->status_w, VS_HEADER_KEY);
	} else if (d->input && i == d->r.h - 1) {
		size_t cx;

		ln_safe(b, "> ", 2, 2, VS_PROMPT);
		cx = ln_field(b, &d->p->in, d->r.w > 3 ? (size_t)d->r.w - 3 : 1, true, VS_NORMAL);
		if (d->focused && a->prompt == PROMPT_NONE) {
			v->cursor_on = true;
			v->cursor_y = b->y;
			v->cursor_x = (int)(x + 2 + cx);
			if (v->cursor_x >= d->r.x + d->r.w)
				v->cursor_x = d->r.x + d->r.w - 1;
		}
	} else if (i - first < (int)pt->n && i >= first) {
		const struct pane_line *l = &pt->l[i - first];

		if (!l->blank)
			ln_safe(b, pt->t.data + l->off, l->len, l->width, tr_style(l->kind));
	}
	ln_to(b, end, fill);
}

static void build_panes(struct view *v, const struct app *a, const struct pane_layout *lay)
{
	struct pane_draw d[PANE_SHOWN_MAX];
	struct lb b = LB_INIT(v);
	struct buf *store = &v->cellbuf;
	int ytop = -1, ybot = -1;

	v->npanes = 0;
	if (!lay->nshown)
		return;
	buf_reset(store);
	for (size_t k = 0; k < lay->nshown; k++) {
		struct pane_draw *pd = &d[k];
		size_t idx = lay->first + k;

		memset(pd, 0, sizeof(*pd));
		pd->p = epman_pane(a->panes.em, idx);
		pd->r = lay->rect[k];
		pd->sep = lay->separator[k];
		pd->focused = screen_of(a->mode)->with_table && a->panes.focus == idx;
		pd->input = pane_has_input(pd->p) && pd->r.h >= 2;
		pd->status = pd->r.h >= 5;
		pd->th = pd->r.h - 1 - (pd->status ? 1 : 0) - (pd->input ? 1 : 0);
		if (pd->th < 0)
			pd->th = 0;
		pane_title(v, a, pd, store);
		pane_render(pd->p, pd->r.w, pd->th, v->cs, &v->ptext[k]);
		v->panes[k].x = pd->r.x;
		v->panes[k].y = pd->r.y;
		v->panes[k].w = pd->r.w;
		v->panes[k].h = pd->r.h;
		v->panes[k].index = idx;
		v->npanes++;
		if (ytop < 0 || pd->r.y < ytop)
			ytop = pd->r.y;
		if (pd->r.y + pd->r.h > ybot)
			ybot = pd->r.y + pd->r.h;
	}
	for (int y = ytop; y < ybot; y++) {
		ln_start(&b, y, VS_NORMAL);
		for (size_t k = 0; k < lay->nshown; k++)
			if (y >= d[k].r.y && y < d[k].r.y + d[k].r.h)
				pane_emit_line(&b, v, a, &d[k], &v->ptext[k], store, y - d[k].r.y);
	}
}

/* ---- footer ---- */

/* The message: escaped here, unless it is safe text already (a filter
 * error, whose token the filter module escaped for UTF-8). */
static void ln_msg(struct lb *b, const struct app *a)
{
	enum view_style st = a->msg_error ? VS_ERROR : VS_MSG;
	size_t len = strlen(a->msg);
	struct buf *t;

	if (!a->msg_escaped) {
		ln_puts(b, a->msg, st);
		return;
	}
	if (b->v->cs == ESC_UTF8) {
		ln_safe(b, a->msg, len, esc_width(a->msg, len, ESC_UTF8), st);
		return;
	}
	/* an ASCII terminal: escape the bytes it cannot show, and only them
	 * (escaping the backslashes again would double them) */
	t = &b->v->scratch;
	buf_reset(t);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)a->msg[i];

		if (c >= 0x80)
			buf_printf(t, "\\x%02x", c);
		else
			buf_putc(t, (char)c);
	}
	ln_safe(b, t->data ? t->data : "", t->len, t->len, st);
}

static void build_footer(struct view *v, const struct app *a, int y, int64_t now)
{
	struct lb b = LB_INIT(v);
	if (a->prompt == PROMPT_QUIT) {
		size_t n = epman_count(a->panes.em);

		v->cursor_on = false;
		ln_start(&b, y, VS_WARN);
		ln_printf(&b, VS_WARN, P_("%zu pane is open: quit and close it? (y: quit, "
					  "any other key: stay)",
					  "%zu panes are open: quit and close them? (y: quit, "
					  "any other key: stay)", n), n);
		return;
	}
	if (a->prompt == PROMPT_DESTROY) {
		v->cursor_on = false;
		ln_start(&b, y, VS_WARN);
		/* destroy_desc is escaped already (app_destroy.c) */
		ln_puts(&b, _("Destroy "), VS_WARN);
		ln_safe(&b, a->destroy_desc, strlen(a->destroy_desc),
			esc_width(a->destroy_desc, strlen(a->destroy_desc), b.v->cs), VS_WARN);
		if (a->destroy_sock.proto == SP_TCP && a->destroy_sock.state != SS_LISTEN)
			ln_puts(&b, _("? Its peer sees a reset (y: destroy, any other key: keep)"),
				VS_WARN);
		else
			ln_puts(&b, _("? (y: destroy, any other key: keep)"), VS_WARN);
		return;
	}
	if (a->prompt != PROMPT_NONE) {
		const char *label = a->prompt == PROMPT_SEARCH	   ? _("Search: ")
				    : a->prompt == PROMPT_EXPORT ? _("Export to: ")
								 : _("Filter: ");
		size_t lw, cx;

		ln_start(&b, y, VS_NORMAL);
		ln_puts(&b, label, VS_PROMPT);
		lw = b.x;
		cx = ln_field(&b, &a->edit, ln_room(&b), true, VS_NORMAL);
		/* an empty filter prompt shows what can be typed there; the
		 * keys first, where a narrow window still shows them (F1:
		 * prompt_key opens the filter language's page) */
		if (a->prompt == PROMPT_FILTER && !a->edit.len)
			ln_puts(&b, _(" F1: syntax, Up: history | e.g. tcp and port 22 | "
				      "state listening | not unix | comm nginx | src 127.0.0.1"),
				VS_DIM);
		v->cursor_on = true;
		v->cursor_y = y;
		v->cursor_x = (int)(lw + cx);
		if (v->cursor_x >= v->width)
			v->cursor_x = v->width - 1;
		return;
	}
	ln_start(&b, y, VS_NORMAL);
	if (a->msg[0] && a->msg_until > now) {
		ln_msg(&b, a);
		return;
	}
	{
		size_t n = 0;
		const struct hint *h = screen_of(a->mode)->hints(a, &n);

		draw_hints(&b, h, n);
	}
}

/* ---- the whole screen ---- */

static void build_too_small(struct view *v)
{
	struct lb b = LB_INIT(v);
	const char *msg = _("terminal too small");
	int y = v->height / 2;

	for (int i = 0; i < v->height; i++) {
		ln_start(&b, i, VS_NORMAL);
		if (i == y)
			ln_puts(&b, msg, VS_WARN);
	}
}

/* Where the header, the body and the footer go on a screen of height h. */
struct frame {
	int hh;       /* header lines */
	int body_y, body_h;
	int footer_y;
	int tour_y, tour_h; /* the tour's box (tour_h 0: none) */
	int explain_y;      /* the selected row in words (-1: none) */
};

/* Lines of the tour's box above the footer while the tour runs. */
#define VIEW_TOUR_H 3
/* The explanation line of the selected row needs a screen this tall. */
#define VIEW_EXPLAIN_MIN_H 24

static void frame_of(const struct app *a, int height, int64_t now, struct frame *f)
{
	f->hh = height >= 20 ? 3 : height >= 10 ? 2 : 1;
	f->footer_y = height - 1;
	f->body_y = f->hh;
	f->body_h = f->footer_y - f->body_y;
	/* an error message while the prompt is open goes above the prompt */
	if (a->prompt != PROMPT_NONE && a->msg[0] && a->msg_until > now && f->body_h > 2)
		f->body_h--;
	f->tour_h = 0;
	f->explain_y = -1;
	/* the selected row in words, under the table (explain.h), where the
	 * screen is tall enough to spare the line */
	if (a->mode == MODE_TABLE && height >= VIEW_EXPLAIN_MIN_H && table_selected(&a->table) &&
	    f->body_h > 8) {
		f->body_h--;
		f->explain_y = f->body_y + f->body_h;
	}
	if (a->tour.active && screen_of(a->mode)->with_table && f->body_h > 3 * VIEW_TOUR_H) {
		f->tour_h = VIEW_TOUR_H;
		f->body_h -= VIEW_TOUR_H;
		f->tour_y = f->body_y + f->body_h;
	}
}

/* The selected row in words: its state, queues and timer (explain.h). */
static void build_explain(struct view *v, const struct app *a, const struct frame *f)
{
	struct lb b = LB_INIT(v);
	const struct table_row *r;
	struct buf t = BUF_INIT;

	if (f->explain_y < 0 || !(r = table_selected(&a->table)))
		return;
	explain_line(r->s, &t);
	ln_start(&b, f->explain_y, VS_DIM);
	ln_puts(&b, " ", VS_DIM);
	ln_puts(&b, t.data ? t.data : "", VS_DIM);
	buf_free(&t);
}

/* The tour's box: the step, what to do, how to leave (tour.h). */
static void build_tour(struct view *v, const struct app *a, const struct frame *f)
{
	struct lb b = LB_INIT(v);
	struct tour_step st;
	size_t n = tour_count();

	if (!f->tour_h)
		return;
	ln_start(&b, f->tour_y, VS_TITLE);
	if (a->tour.step >= n) {
		ln_puts(&b, _(" Tour: every step is done."), VS_TITLE);
		ln_start(&b, f->tour_y + 1, VS_NORMAL);
		ln_puts(&b, _(" The state lab (n, 6) has more: TIME-WAIT, a zero window, a full "
			      "accept queue..."), VS_NORMAL);
	} else {
		tour_step(a->tour.step, &st);
		ln_printf(&b, VS_TITLE, _(" Tour, step %zu of %zu: "), a->tour.step + 1, n);
		ln_puts(&b, st.title, VS_TITLE);
		ln_start(&b, f->tour_y + 1, VS_NORMAL);
		ln_puts(&b, " ", VS_NORMAL);
		ln_puts(&b, st.todo, VS_NORMAL);
	}
	ln_start(&b, f->tour_y + 2, VS_DIM);
	ln_puts(&b, _(" T: the tour's page (the whole text)   Esc in the table: leave the tour"),
		VS_DIM);
}

/* The screen's area and the panes' rectangles in the body. */
/* Lines the fullest pane would use: its title, status, transcript entries
 * (one line each at least) and input line. */
static int panes_want_h(const struct app *a)
{
	size_t n = epman_count(a->panes.em), most = 0;

	for (size_t i = 0; i < n; i++) {
		struct pane *p = epman_pane(a->panes.em, i);
		size_t lines = 2 + transcript_count(endpoint_transcript(p->ep)) +
			       (pane_has_input(p) ? 1 : 0);

		/* a hex dump, or a transcript scrolled back, is read at
		 * length: such a pane keeps its whole share */
		if (p->hex || p->lines || !pane_following(p))
			return 1000;

		if (lines > most)
			most = lines;
	}
	return most > 1000 ? 1000 : (int)most;
}

/* The screen's area and the panes' rectangles in the body. The panes show
 * with the table only (help, details, menus and the form take the whole
 * body), unless P hid them; a pane holding little gets only the lines it
 * needs. */
static void body_layout(const struct app *a, int width, const struct frame *f,
			struct pane_layout *lay)
{
	bool with_table = screen_of(a->mode)->with_table;
	bool shown = with_table && !a->panes.hidden;
	size_t focus = shown ? a->panes.focus : PANE_NONE;

	pane_layout(0, f->body_y, width, f->body_h, shown ? epman_count(a->panes.em) : 0, focus,
		    shown && a->panes.zoom, a->panes.first, lay);
	if (shown && !a->panes.zoom) {
		int want = panes_want_h(a) > 5 ? panes_want_h(a) : 5;

		if (a->panes.max_h > 0 && want > a->panes.max_h)
			want = a->panes.max_h;
		pane_layout_fit(lay, want);
	}
}

static bool too_small(int width, int height)
{
	return width < VIEW_MIN_W || height < VIEW_MIN_H;
}

void view_geometry(const struct app *a, int width, int height, int64_t now, struct app_geom *g)
{
	const struct screen *sc = screen_of(a->mode);
	struct pane_layout lay;
	struct frame f;
	int th;

	g->page = 0;
	g->pane_first = a->panes.first;
	if (too_small(width, height))
		return;
	frame_of(a, height, now, &f);
	body_layout(a, width, &f, &lay);
	g->pane_first = lay.nshown ? lay.first : a->panes.first;
	th = lay.table.h;
	if (th <= 0)
		g->page = 1;
	else if (sc->pages_rows || sc->pages_text)
		g->page = (size_t)(th > 1 ? th - 1 : 1);
}

void view_build(struct view *v, const struct app *a, int width, int height, int64_t now)
{
	struct lb b = LB_INIT(v);
	struct pane_layout lay;
	struct frame f;

	v->width = width > 0 ? width : 0;
	v->height = height > 0 ? height : 0;
	v->cs = a->cs;
	v->nspans = 0;
	v->colhead_y = -1;
	v->rows_y = 0;
	v->rows_h = 0;
	v->ncols = 0;
	v->npanes = 0;
	v->cursor_on = false;
	v->scroll_max = 0;
	buf_reset(&v->text);
	xgrow((void **)&v->lines, &v->lines_cap, (size_t)v->height + 1, sizeof(*v->lines));
	memset(v->lines, 0, ((size_t)v->height + 1) * sizeof(*v->lines));
	v->too_small = too_small(v->width, v->height);
	if (v->too_small) {
		v->scroll_max = a->scroll_max;
		build_too_small(v);
		return;
	}
	frame_of(a, v->height, now, &f);

	ln_start(&b, 0, VS_HEADER);
	header_totals(&b, a);
	if (f.hh >= 2) {
		ln_start(&b, 1, VS_HEADER);
		header_status(&b, a);
		header_events(&b, a, now);
	}
	if (f.hh >= 3) {
		ln_start(&b, 2, VS_HEADER);
		header_extra(&b, a);
	}

	/* the body: the screen above the panes */
	body_layout(a, v->width, &f, &lay);
	if (lay.table.h > 0)
		screen_of(a->mode)->build(v, a, lay.table.y, lay.table.h, now);
	else
		v->scroll_max = a->scroll_max;
	build_panes(v, a, &lay);
	build_tour(v, a, &f);
	build_explain(v, a, &f);
	if (f.body_y + f.body_h + f.tour_h + (f.explain_y >= 0) < f.footer_y) {
		ln_start(&b, f.footer_y - 1, VS_NORMAL);
		ln_msg(&b, a);
	}
	build_footer(v, a, f.footer_y, now);
}
