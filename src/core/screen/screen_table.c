/* screen_table.c - the socket table: its columns, its rows and its keys. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "epman.h"
#include "filter_hist.h"
#include "i18n.h"
#include "group.h"
#include "screen.h"
#include "xalloc.h"

/* ---- column layout ---- */

static bool col_flexible(enum col c)
{
	return cell_col(c)->flexible;
}

int view_layout(unsigned enabled, const size_t natural[COL_MAX_], int width,
		struct view_col out[COL_MAX_])
{
	bool on[COL_MAX_];
	size_t w[COL_MAX_];
	int count = 0, n = 0;
	long total, x;

	if (width <= 0)
		return 0;
	for (int c = 0; c < COL_MAX_; c++) {
		on[c] = (enabled & COL_BIT(c)) != 0;
		count += on[c];
	}
	/* Drop the least important columns: first until every column gets
	 * a comfortable width (Proto, State and Local stay), then, on very narrow
	 * screens, until the minimum widths fit. */
	for (int stage = 0; stage < 2; stage++) {
		for (;;) {
			long sum = 0;
			int worst = -1;

			for (int c = 0; c < COL_MAX_; c++) {
				const struct col_info *ci = cell_col((enum col)c);
				size_t t = ci->min_w;

				if (!on[c])
					continue;
				if (!stage) {
					t = natural[c] < ci->want_w ? natural[c] : ci->want_w;
					if (t < ci->min_w)
						t = ci->min_w;
				}
				sum += (long)t + (sum ? 1 : 0);
				/* Proto, Local and State go last, on purpose:
				 * a narrow screen shows what a socket is, where,
				 * and in which state, before its queues, peer and
				 * process */
				if (!stage && ci->prio <= 2)
					continue;
				if (worst < 0 || ci->prio > cell_col((enum col)worst)->prio)
					worst = c;
			}
			if (sum <= width || count <= 1 || worst < 0)
				break;
			on[worst] = false;
			count--;
		}
	}
	total = -1;
	for (int c = 0; c < COL_MAX_; c++) {
		const struct col_info *ci = cell_col((enum col)c);

		if (!on[c])
			continue;
		w[c] = natural[c];
		if (w[c] < ci->min_w)
			w[c] = ci->min_w;
		if (w[c] > ci->max_w)
			w[c] = ci->max_w;
		total += (long)w[c] + 1;
	}
	/* too wide: take a column at a time from the widest flexible one */
	while (total > width) {
		int best = -1;

		for (int c = 0; c < COL_MAX_; c++) {
			size_t minw = cell_col((enum col)c)->min_w;

			if (!on[c] || w[c] <= minw || !col_flexible((enum col)c))
				continue;
			if (best < 0 || w[c] > w[best])
				best = c;
		}
		if (best < 0) {
			/* only fixed columns left: shrink any above its minimum */
			for (int c = 0; c < COL_MAX_ && best < 0; c++)
				if (on[c] && w[c] > cell_col((enum col)c)->min_w)
					best = c;
		}
		if (best < 0) {
			/* a single column wider than the screen */
			for (int c = 0; c < COL_MAX_ && best < 0; c++)
				if (on[c] && w[c] > 1)
					best = c;
			if (best < 0)
				break;
		}
		w[best]--;
		total--;
	}
	/* room left: grow the flexible columns that were capped */
	for (int c = 0; c < COL_MAX_ && total < width; c++) {
		if (!on[c] || !col_flexible((enum col)c) || natural[c] <= w[c])
			continue;
		{
			size_t want = natural[c] - w[c], room = (size_t)(width - total);
			size_t add = want < room ? want : room;

			w[c] += add;
			total += (long)add;
		}
	}
	x = 0;
	for (int c = 0; c < COL_MAX_; c++) {
		if (!on[c])
			continue;
		out[n].c = (enum col)c;
		out[n].x = (int)x;
		out[n].w = (int)w[c];
		x += (long)w[c] + 1;
		n++;
	}
	return n;
}

/* ---- table ---- */

struct cellref {
	size_t off, len, width;
};

static enum view_style row_style(const struct app *a, const struct table_row *r, bool selected,
				 int64_t now)
{
	if (selected)
		return VS_SELECTED;
	if (r->flags & ROW_GONE)
		return VS_GONE;
	if (table_is_new(r->d, now))
		return VS_NEW;
	if (ownset_find(&a->table.own, r->s->inode, NULL))
		return VS_OWN;
	return VS_NORMAL;
}

static void table_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	struct lb b = LB_INIT(v);
	struct cell_ctx ctx = { .pm = a->table.pm, .cs = a->cs, .own = &a->table.own,
				.hist = a->table.hist, .ns = a->table.ns };
	size_t natural[COL_MAX_];
	size_t nvis, first;
	struct cellref *cells;
	struct buf *store = &v->cellbuf;
	int rows_h = h - 1;

	if (h < 1)
		return;
	v->colhead_y = y0;
	v->rows_y = y0 + 1;
	v->rows_h = rows_h > 0 ? rows_h : 0;
	first = a->table.top;
	v->first_row = first;
	nvis = first < a->table.nrows ? a->table.nrows - first : 0;
	if (nvis > (size_t)v->rows_h)
		nvis = (size_t)v->rows_h;

	/* format the visible cells once, measure, lay out, then emit */
	for (int c = 0; c < COL_MAX_; c++) {
		const char *t = _(cell_col((enum col)c)->title);

		natural[c] = esc_width(t, strlen(t), v->cs) + (c == (int)a->table.sort_col);
	}
	cells = xcalloc(nvis * COL_MAX_ + 1, sizeof(*cells));
	buf_reset(store);
	for (size_t i = 0; i < nvis; i++) {
		const struct table_row *r = &a->table.rows[first + i];

		for (int c = 0; c < COL_MAX_; c++) {
			struct cellref *cr = &cells[i * COL_MAX_ + (size_t)c];

			if (!(a->table.columns & COL_BIT(c)))
				continue;
			cr->off = store->len;
			cr->width = cell_format(store, (enum col)c, r->s, r->d, &ctx);
			cr->len = store->len - cr->off;
			if (cr->width > natural[c])
				natural[c] = cr->width;
		}
	}
	v->ncols = view_layout(a->table.columns, natural, v->width, v->cols);

	/* titles */
	ln_start(&b, y0, VS_COLHEAD);
	for (int k = 0; k < v->ncols; k++) {
		const struct view_col *vc = &v->cols[k];
		const struct col_info *ci = cell_col(vc->c);
		const char *t = _(ci->title);
		bool sorted = vc->c == a->table.sort_col;
		enum view_style st = sorted ? VS_COLHEAD_SORT : VS_COLHEAD;
		char tmp[128];
		size_t tw, tl;

		snprintf(tmp, sizeof(tmp), "%s%s", t,
			 sorted ? (a->table.sort_reverse ? (v->cs == ESC_UTF8 ? "\xe2\x96\xbc" : "v")
						   : (v->cs == ESC_UTF8 ? "\xe2\x96\xb2" : "^"))
				: "");
		tl = strlen(tmp);
		tw = esc_width(tmp, tl, v->cs);
		ln_to(&b, (size_t)vc->x, VS_COLHEAD);
		if (ci->right && tw < (size_t)vc->w)
			ln_pad(&b, (size_t)vc->w - tw, st);
		{
			size_t at = store->len, fw;

			fw = view_fit(store, tmp, tl, tw, (size_t)vc->w, CUT_END, v->cs);
			ln_safe(&b, store->data + at, store->len - at, fw, st);
		}
	}

	/* rows */
	for (int i = 0; i < v->rows_h; i++) {
		const struct table_row *r;
		enum view_style st;

		if ((size_t)i >= nvis) {
			ln_blank(&b, v->rows_y + i);
			if (i == 0 && !a->table.nrows)
				ln_puts(&b, a->table.have_snap ? _("  no sockets match the current view")
							 : _("  reading sockets..."),
					VS_DIM);
			continue;
		}
		r = &a->table.rows[first + (size_t)i];
		st = row_style(a, r, first + (size_t)i == a->table.sel, now);
		ln_start(&b, v->rows_y + i, st);
		for (int k = 0; k < v->ncols; k++) {
			const struct view_col *vc = &v->cols[k];
			const struct col_info *ci = cell_col(vc->c);
			const struct cellref *cr = &cells[(size_t)i * COL_MAX_ + vc->c];
			size_t at = store->len, fw;
			const char *src;

			ln_to(&b, (size_t)vc->x, st);
			/* store may move while appending: copy through an index */
			fw = cr->width;
			if (fw > (size_t)vc->w) {
				char *copy = xmemdup(store->data + cr->off, cr->len);

				fw = view_fit(store, copy, cr->len, cr->width, (size_t)vc->w, ci->cut,
					      v->cs);
				free(copy);
				src = store->data + at;
				if (ci->right && fw < (size_t)vc->w)
					ln_pad(&b, (size_t)vc->w - fw, st);
				ln_safe(&b, src, store->len - at, fw, st);
			} else {
				if (ci->right)
					ln_pad(&b, (size_t)vc->w - fw, st);
				ln_safe(&b, store->data + cr->off, cr->len, fw, st);
			}
		}
	}
	free(cells);
}

static unsigned toggle_proto(struct app *a, unsigned proto, int64_t now)
{
	unsigned mask = a->table.protos ^ SP_MASK(proto);

	if (!mask) {
		app_message(a, true, now, "%s", _("at least one protocol must stay shown"));
		return APP_REDRAW;
	}
	a->table.protos = mask;
	table_refilter(&a->table, false);
	app_message(a, false, now, (a->table.protos & SP_MASK(proto)) ? _("%s sockets shown")
								  : _("%s sockets hidden"),
		    proto == SP_UNIX ? "Unix" : proto == SP_RAW ? _("raw")
		    : proto == SP_PACKET ? _("packet") : proto == SP_NETLINK ? _("netlink")
		    : proto == SP_MPTCP ? "MPTCP" : proto == SP_TCP ? "TCP" : "UDP");
	/* turning a protocol on needs a dump; turning it off only hides */
	return APP_REDRAW | APP_RESCOPE;
}

static unsigned toggle_family(struct app *a, unsigned fam)
{
	a->table.families = a->table.families == fam ? SF_ALL : fam;
	table_refilter(&a->table, false);
	return APP_REDRAW | APP_RESCOPE;
}

static unsigned change_delay(struct app *a, bool faster, int64_t now)
{
	int d = app_delay_step(a->delay_ms, faster);

	if (d == a->delay_ms) {
		app_message(a, false, now, faster ? _("refresh interval is already the shortest")
						  : _("refresh interval is already the longest"));
		return APP_REDRAW;
	}
	a->delay_ms = d;
	if (d < 1000)
		app_message(a, false, now, _("refresh every %d ms"), d);
	else
		app_message(a, false, now, _("refresh every %g s"), d / 1000.0);
	return APP_REDRAW | APP_TIMING;
}

static unsigned jump_peer(struct app *a, int64_t now)
{
	const struct table_row *r = app_selected(a);
	const struct sock *p;

	if (!r)
		return 0;
	if (r->flags & ROW_GONE) {
		app_message(a, true, now, "%s", _("this socket is closed"));
		return APP_REDRAW;
	}
	if (r->s->state == SS_LISTEN) {
		app_message(a, true, now, "%s",
			    _("a listening socket has no peer: each connection it accepts is a "
			      "socket of its own, on the same local port"));
		return APP_REDRAW;
	}
	if ((r->s->proto == SP_TCP || r->s->proto == SP_UDP || r->s->proto == SP_RAW) &&
	    !r->s->rport) {
		app_message(a, true, now, "%s", _("this socket is not connected: it has no peer"));
		return APP_REDRAW;
	}
	p = app_find_peer(a, r->s);
	if (!p) {
		app_message(a, true, now, "%s",
			    r->s->proto == SP_UNIX
				    ? _("no peer socket: not connected, or the peer is outside this view")
				    : _("no local peer: the other end is not a socket on this machine"));
		return APP_REDRAW;
	}
	if (!table_select_key(&a->table, &p->key)) {
		app_message(a, true, now, _("the peer (inode %u) is hidden by the toggles, filter or search"),
			    p->inode);
		return APP_REDRAW;
	}
	app_message(a, false, now, _("jumped to the peer socket (inode %u)"), p->inode);
	return APP_REDRAW;
}

static unsigned open_prompt(struct app *a, enum app_prompt p)
{
	a->mode = MODE_TABLE;
	a->prompt = p;
	lineedit_set(&a->edit, p == PROMPT_SEARCH ? a->table.search : a->table.filter_text);
	filter_hist_reset(a->hist);
	return APP_REDRAW;
}

unsigned screen_table_action(struct app *a, enum action act, int64_t now)
{
	switch (act) {
	case ACT_NONE:
		return 0;
	case ACT_QUIT:
		return app_ask_quit(a);
	case ACT_HELP:
		return app_set_mode(a, MODE_HELP);
	case ACT_TOGGLE_TCP:
		return toggle_proto(a, SP_TCP, now);
	case ACT_TOGGLE_UDP:
		return toggle_proto(a, SP_UDP, now);
	case ACT_TOGGLE_UNIX:
		return toggle_proto(a, SP_UNIX, now);
	case ACT_TOGGLE_RAW:
		return toggle_proto(a, SP_RAW, now);
	case ACT_TOGGLE_PACKET:
		return toggle_proto(a, SP_PACKET, now);
	case ACT_TOGGLE_NETLINK:
		return toggle_proto(a, SP_NETLINK, now);
	case ACT_TOGGLE_MPTCP:
		return toggle_proto(a, SP_MPTCP, now);
	case ACT_IPV4:
		return toggle_family(a, SF_INET);
	case ACT_IPV6:
		return toggle_family(a, SF_INET6);
	case ACT_LISTENING:
		a->table.listening = !a->table.listening;
		table_refilter(&a->table, false);
		return APP_REDRAW | APP_RESCOPE;
	case ACT_SEARCH:
		return open_prompt(a, PROMPT_SEARCH);
	case ACT_FILTER:
		return open_prompt(a, PROMPT_FILTER);
	case ACT_SORT:
		return app_set_mode(a, MODE_SORT);
	case ACT_REVERSE:
		table_reverse(&a->table);
		return APP_REDRAW;
	case ACT_UP:
		if (a->table.sel > 0)
			table_select_index(&a->table, a->table.sel - 1);
		return APP_REDRAW;
	case ACT_DOWN:
		table_select_index(&a->table, a->table.sel + 1);
		return APP_REDRAW;
	case ACT_PGUP:
		table_select_index(&a->table, a->table.sel > a->table.page ? a->table.sel - a->table.page : 0);
		return APP_REDRAW;
	case ACT_PGDN:
		table_select_index(&a->table, a->table.sel + a->table.page);
		return APP_REDRAW;
	case ACT_HOME:
		table_select_index(&a->table, 0);
		return APP_REDRAW;
	case ACT_END:
		table_select_index(&a->table, a->table.nrows ? a->table.nrows - 1 : 0);
		return APP_REDRAW;
	case ACT_DETAILS:
		if (!a->table.nrows) {
			app_message(a, true, now, "%s", _("no socket selected"));
			return APP_REDRAW;
		}
		table_select_index(&a->table, a->table.sel); /* makes sel_key current */
		return app_set_mode(a, MODE_DETAILS);
	case ACT_PEER:
		return jump_peer(a, now);
	case ACT_PAUSE:
		a->paused = !a->paused;
		app_message(a, false, now, "%s", a->paused ? _("paused: Space resumes")
							   : _("live refresh resumed"));
		return APP_REDRAW | APP_TIMING | (a->paused ? 0 : APP_REFRESH);
	case ACT_FASTER:
		return change_delay(a, true, now);
	case ACT_SLOWER:
		return change_delay(a, false, now);
	case ACT_COLUMNS:
		return app_set_mode(a, MODE_COLUMNS);
	case ACT_GROUP:
		screen_group_set_by(a, GROUP_PROCESS);
		return app_set_mode(a, MODE_GROUP);
	case ACT_GROUP_SERVICE:
		/* refresh now: the collector reads cgroups from this cycle on */
		screen_group_set_by(a, GROUP_SERVICE);
		return app_set_mode(a, MODE_GROUP) | APP_REFRESH;
	case ACT_NETNS:
		return screen_netns_open(a);
	case ACT_NEW_ENDPOINT:
		if (!a->panes.em) {
			app_message(a, true, now, "%s", _("test endpoints are not available here"));
			return APP_REDRAW;
		}
		a->panes.zoom = false;
		return app_set_mode(a, MODE_MENU);
	case ACT_FOCUS_NEXT:
	case ACT_FOCUS_PREV:
		return app_move_focus(a, act == ACT_FOCUS_NEXT, now);
	case ACT_CLOSE_PANE:
		return app_close_pane(a, now);
	case ACT_SHOW_SOCKET:
		return app_show_socket(a, now);
	case ACT_ZOOM:
	case ACT_HEX:
	case ACT_LINES:
		return app_pane_toggle(a, act, now);
	case ACT_PANES:
		return app_hide_panes(a, now);
	case ACT_EVENTS:
		return app_set_mode(a, MODE_EVENTS);
	case ACT_EXPORT:
		return app_export_prompt(a, now);
	case ACT_DESTROY:
		return app_destroy_ask(a, now);
	case ACT_TOUR:
		return app_tour_start(a);
	case ACT_BACK:
		if (!a->table.search[0] && a->tour.active) {
			a->tour.active = false;
			app_message(a, false, now, _("left the tour at step %zu: T resumes it"),
				    a->tour.step + 1);
			return APP_REDRAW;
		}
		if (a->table.search[0]) {
			table_set_search(&a->table, "");
			table_refilter(&a->table, false);
			app_message(a, false, now, "%s", _("search cleared"));
		}
		return APP_REDRAW;
	case ACT_REDRAW:
		/* Ctrl-L: a fresh screen and fresh data (the interval may be an hour) */
		return APP_REDRAW | APP_REFRESH;
	case ACT_MAX_:
		break;
	}
	return 0;
}

/* A focused pane takes the keys first; else the table. */
static unsigned table_key(struct app *a, int key, int64_t now)
{
	struct pane *p = app_focused_pane(a);

	if (p)
		return app_pane_key(a, p, key, now);
	return screen_table_action(a, keys_action(key), now);
}

static const struct hint *table_hints(const struct app *a, size_t *n)
{
	static const struct hint hints[] = {
		{ KEYS_ACT(ACT_HELP), N_("Help") },
		{ KEYS_ACT(ACT_NEW_ENDPOINT), N_("New") },
		{ KEYS_ACT(ACT_SEARCH), N_("Search") },
		{ KEYS_ACT(ACT_FILTER), N_("Filter") },
		{ KEYS_ACT(ACT_SORT), N_("Sort") },
		{ KEYS_ACT(ACT_DETAILS), N_("Details") },
		{ KEYS_ACT(ACT_PEER), N_("Peer") },
		{ KEYS_ACT(ACT_PAUSE), N_("Pause") },
		{ KEYS_ACT(ACT_TOGGLE_TCP, ACT_TOGGLE_UDP, ACT_TOGGLE_UNIX, ACT_TOGGLE_RAW),
		  N_("Protos") },
		{ KEYS_ACT(ACT_LISTENING), N_("Listen") },
		{ KEYS_ACT(ACT_COLUMNS), N_("Columns") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};
	/* A pane's keys: Enter, Up/Down and PgUp/PgDn are read by the pane
	 * itself (pane.c), before the table; Esc by app_pane_key, which is
	 * ACT_BACK's key (the unit test checks). */
	static const struct hint input_hints[] = {
		{ KEYS_RAW(KC_ENTER), N_("Send") },
		{ KEYS_RAW(KC_UP, KC_DOWN), N_("History") },
		{ KEYS_RAW(KC_PGUP, KC_PGDN), N_("Scroll") },
		{ KEYS_ACT(ACT_SHOW_SOCKET), N_("InTable") },
		{ KEYS_ACT(ACT_CLOSE_PANE), N_("Close") },
		{ KEYS_ACT(ACT_FOCUS_NEXT), N_("Next") },
		{ KEYS_ACT(ACT_BACK), N_("Table") },
		{ KEYS_ACT(ACT_ZOOM), N_("Zoom") },
		{ KEYS_ACT(ACT_HEX), N_("Hex") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};
	const struct pane *p = app_focused_pane(a);

	if (p && pane_has_input(p))
		return SCREEN_HINTS(input_hints, n);
	if (p) {
		/* a pane without an input line: the same, from Scroll on */
		*n = sizeof(input_hints) / sizeof(input_hints[0]) - 2;
		return input_hints + 2;
	}
	return SCREEN_HINTS(hints, n);
}

const struct screen screen_table = {
	.name = "table",
	.key = table_key,
	.action = screen_table_action,
	.build = table_build,
	.hints = table_hints,
	.pages_rows = true,
	.with_table = true,
};
