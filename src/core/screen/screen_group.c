/* screen_group.c - the table grouped by process (g) or by service or
 * container (S): one row per group with its sockets per kind and state and
 * its summed TCP rates; Enter expands a group into its sockets; the key of
 * the grouping shown, or Esc, returns to the table, the other key switches
 * grouping. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "group.h"
#include "i18n.h"
#include "output.h"
#include "screen.h"
#include "xalloc.h"

/* The grouped view's columns, in order; those with a .sort can be sorted by. */
enum gcol { GC_PROCESS, GC_PID, GC_SOCKS, GC_TCP, GC_UDP, GC_UNIX, GC_RAW, GC_LISTEN,
	    GC_ESTAB, GC_TW, GC_CW, GC_RX, GC_TX, GC_MAX_ };

static const struct {
	const char *title;
	unsigned w;
	bool right;
} gcols[GC_MAX_] = {
	[GC_PROCESS] = { N_("Process"), 17, false },
	[GC_PID] = { N_("PID"), 8, true },
	[GC_SOCKS] = { N_("Socks"), 7, true },
	[GC_TCP] = { N_("TCP"), 6, true },
	[GC_UDP] = { N_("UDP"), 6, true },
	[GC_UNIX] = { N_("Unix"), 6, true },
	[GC_RAW] = { N_("Raw"), 5, true },
	[GC_LISTEN] = { N_("Listen"), 7, true },
	[GC_ESTAB] = { N_("Estab"), 7, true },
	[GC_TW] = { N_("TimeW"), 7, true },
	[GC_CW] = { N_("CloseW"), 7, true },
	[GC_RX] = { N_("Rx/s"), 9, true },
	[GC_TX] = { N_("Tx/s"), 9, true },
};

/* The state of the grouped view, owned by the app (a->groups). */
struct app_groups {
	struct group_set set;
	struct group_input *in;
	size_t nin, in_cap;
	uint32_t *order; /* group indexes in display order */
	size_t order_cap;
	uint64_t generation; /* of the table rows grouped */
	const struct table_row *rows;
	size_t nrows;
	bool built;
	enum gcol sort;
	bool reverse;
	size_t cur;      /* cursor: a line (group or member) */
	size_t top;
	int64_t expanded; /* key of the expanded group */
	bool has_expanded;
	int64_t cur_key;  /* key of the cursor's group, kept across rebuilds */
	size_t page;
	enum group_by by;
};

/* The width of column c: by service, the label is wider and there is no
 * PID. */
static unsigned gw(const struct app_groups *g, enum gcol c)
{
	if (g->by == GROUP_SERVICE && c == GC_PROCESS)
		return 33;
	if (g->by == GROUP_SERVICE && c == GC_PID)
		return 0;
	return gcols[c].w;
}

static const char *gtitle(const struct app_groups *g, enum gcol c)
{
	if (g->by == GROUP_SERVICE && c == GC_PROCESS)
		return _("Service");
	return _(gcols[c].title);
}

void screen_group_free(struct app_groups *g)
{
	if (!g)
		return;
	group_free(&g->set);
	free(g->in);
	free(g->order);
	free(g);
}

static struct app_groups *groups_of(struct app *a)
{
	if (!a->groups) {
		a->groups = xcalloc(1, sizeof(*a->groups));
		group_init(&a->groups->set);
		a->groups->sort = GC_SOCKS;
		a->groups->reverse = true;
		a->groups->page = 10;
	}
	return a->groups;
}

/* ---- sorting ---- */

static double gval(const struct app *a, const struct group_row *r, enum gcol c)
{
	(void)a;
	switch (c) {
	case GC_PID: return r->key == GROUP_NONE ? -1.0 : (double)r->key;
	case GC_SOCKS: return r->nsocks;
	case GC_TCP: return r->kind[SP_TCP];
	case GC_UDP: return r->kind[SP_UDP];
	case GC_UNIX: return r->kind[SP_UNIX];
	case GC_RAW: return r->kind[SP_RAW];
	case GC_LISTEN: return r->state[SS_LISTEN];
	case GC_ESTAB: return r->state[SS_ESTABLISHED];
	case GC_TW: return r->state[SS_TIME_WAIT];
	case GC_CW: return r->state[SS_CLOSE_WAIT];
	case GC_RX: return r->nrates ? r->rx : -1.0;
	case GC_TX: return r->nrates ? r->tx : -1.0;
	default: return 0;
	}
}

static int cmp_group(const void *pa, const void *pb, void *ctx)
{
	const struct app *a = ctx;
	const struct app_groups *g = a->groups;
	const struct group_row *x = &g->set.rows[*(const uint32_t *)pa];
	const struct group_row *y = &g->set.rows[*(const uint32_t *)pb];
	int r = 0;

	/* "no service", "no process" stay last, whichever the order */
	if (GROUP_IS_SPECIAL(x->key) || GROUP_IS_SPECIAL(y->key))
		return x->key < y->key ? -1 : x->key > y->key;
	if (g->sort == GC_PROCESS) {
		char lx[GROUP_LABEL_MAX], ly[GROUP_LABEL_MAX];

		group_label(&g->set, x, a->table.pm, lx, sizeof(lx));
		group_label(&g->set, y, a->table.pm, ly, sizeof(ly));
		r = strcmp(lx, ly);
	} else {
		double vx = gval(a, x, g->sort), vy = gval(a, y, g->sort);

		r = vx < vy ? -1 : vx > vy;
	}
	if (g->reverse)
		r = -r;
	if (!r)
		r = x->key < y->key ? -1 : x->key > y->key;
	return r;
}

static void sort_groups(struct app *a)
{
	struct app_groups *g = a->groups;

	xgrow((void **)&g->order, &g->order_cap, g->set.n ? g->set.n : 1, sizeof(*g->order));
	for (size_t i = 0; i < g->set.n; i++)
		g->order[i] = (uint32_t)i;
	qsort_r(g->order, g->set.n, sizeof(*g->order), cmp_group, a);
}

/* ---- lines: a group, then its sockets when expanded ---- */

static size_t nlines(const struct app_groups *g)
{
	size_t n = g->set.n;

	if (g->has_expanded)
		for (size_t i = 0; i < g->set.n; i++)
			if (g->set.rows[i].key == g->expanded)
				n += g->set.rows[i].n;
	return n;
}

/* Line k: its group (index into rows) and member (-1: the group line). */
static void line_at(const struct app_groups *g, size_t k, size_t *grp, long *member)
{
	*grp = 0;
	*member = -1;
	for (size_t i = 0; i < g->set.n; i++) {
		const struct group_row *r = &g->set.rows[g->order[i]];

		*grp = g->order[i];
		if (k == 0)
			return;
		k--;
		if (g->has_expanded && r->key == g->expanded) {
			if (k < r->n) {
				*member = (long)k;
				return;
			}
			k -= r->n;
		}
	}
}

/* The line of group key (its group line), or 0. */
static size_t line_of_key(const struct app_groups *g, int64_t key)
{
	size_t k = 0;

	for (size_t i = 0; i < g->set.n; i++) {
		const struct group_row *r = &g->set.rows[g->order[i]];

		if (r->key == key)
			return k;
		k++;
		if (g->has_expanded && r->key == g->expanded)
			k += r->n;
	}
	return 0;
}

static void keep_cursor(struct app_groups *g)
{
	size_t n = nlines(g), grp;
	long m;

	if (!n) {
		g->cur = g->top = 0;
		return;
	}
	if (g->cur >= n)
		g->cur = n - 1;
	if (g->top > g->cur)
		g->top = g->cur;
	if (g->page && g->cur >= g->top + g->page)
		g->top = g->cur - g->page + 1;
	line_at(g, g->cur, &grp, &m);
	g->cur_key = g->set.rows[grp].key;
}

/* Groups the table's live rows again when they changed. */
static void group_sync(struct app *a)
{
	struct app_groups *g = groups_of(a);
	const struct table *t = &a->table;
	size_t grp = 0;
	long member = -1;

	if (g->built && g->generation == t->generation && g->rows == t->rows && g->nrows == t->nrows)
		return;
	if (g->built && g->set.n)
		line_at(g, g->cur, &grp, &member);
	xgrow((void **)&g->in, &g->in_cap, t->nrows ? t->nrows : 1, sizeof(*g->in));
	g->nin = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct table_row *r = &t->rows[i];
		struct group_input *x;

		if (r->flags & ROW_GONE)
			continue;
		x = &g->in[g->nin++];
		x->s = r->s;
		x->rates = r->d && (r->d->flags & DIFF_RATES);
		x->rx = x->rates ? r->d->rx_rate : 0;
		x->tx = x->rates ? r->d->tx_rate : 0;
	}
	group_build(&g->set, g->by, g->in, g->nin, t->pm);
	sort_groups(a);
	g->generation = t->generation;
	g->rows = t->rows;
	g->nrows = t->nrows;
	/* the cursor stays on its group (a member line: on its group) */
	if (g->built)
		g->cur = line_of_key(g, g->cur_key);
	g->built = true;
	keep_cursor(g);
}

void screen_group_set_by(struct app *a, int by)
{
	struct app_groups *g = groups_of(a);

	if (by < 0 || by >= GROUP_MAX_ || g->by == (enum group_by)by)
		return;
	g->by = (enum group_by)by;
	g->built = false;
	g->has_expanded = false;
	g->cur = g->top = 0;
	if (g->by == GROUP_SERVICE && g->sort == GC_PID)
		g->sort = GC_SOCKS;
}

bool screen_group_wants_services(const struct app *a)
{
	return a->mode == MODE_GROUP && a->groups && a->groups->by == GROUP_SERVICE;
}

/* g or S in the grouped view: the same grouping's key goes back to the
 * table, the other switches to its grouping. */
static unsigned group_switch(struct app *a, enum group_by by)
{
	struct app_groups *g = groups_of(a);

	if (g->by == by)
		return app_set_mode(a, MODE_TABLE);
	screen_group_set_by(a, by);
	group_sync(a);
	return APP_REDRAW | (by == GROUP_SERVICE ? APP_REFRESH : 0);
}

static void group_enter(struct app *a)
{
	struct app_groups *g = groups_of(a);

	g->built = false;
	group_sync(a);
}

static unsigned group_action(struct app *a, enum action act, int64_t now)
{
	struct app_groups *g = groups_of(a);
	size_t n = nlines(g), grp;
	long member;

	g->page = a->table.page ? a->table.page : 1;
	switch (act) {
	case ACT_GROUP:
		return group_switch(a, GROUP_PROCESS);
	case ACT_GROUP_SERVICE:
		return group_switch(a, GROUP_SERVICE);
	case ACT_BACK:
		return app_set_mode(a, MODE_TABLE);
	case ACT_UP:
		if (g->cur)
			g->cur--;
		break;
	case ACT_DOWN:
		if (g->cur + 1 < n)
			g->cur++;
		break;
	case ACT_PGUP:
		g->cur = g->cur > g->page ? g->cur - g->page : 0;
		break;
	case ACT_PGDN:
		g->cur = n ? (g->cur + g->page < n ? g->cur + g->page : n - 1) : 0;
		break;
	case ACT_HOME:
		g->cur = 0;
		break;
	case ACT_END:
		g->cur = n ? n - 1 : 0;
		break;
	case ACT_SORT:
		g->sort = (enum gcol)((g->sort + 1) % GC_MAX_);
		if (g->by == GROUP_SERVICE && g->sort == GC_PID)
			g->sort = (enum gcol)(g->sort + 1); /* no PID by service */
		/* numbers read best biggest first; names A to Z */
		g->reverse = g->sort != GC_PROCESS && g->sort != GC_PID;
		sort_groups(a);
		g->cur = line_of_key(g, g->cur_key);
		app_message(a, false, now, _("grouped view sorted by %s"), _(gcols[g->sort].title));
		break;
	case ACT_REVERSE:
		g->reverse = !g->reverse;
		sort_groups(a);
		g->cur = line_of_key(g, g->cur_key);
		break;
	case ACT_DETAILS:
		if (!n)
			return APP_REDRAW;
		line_at(g, g->cur, &grp, &member);
		if (member >= 0) {
			/* a socket: its details */
			const struct sock *s = g->in[g->set.members[g->set.rows[grp].first +
								     (size_t)member]].s;

			if (app_select_key(a, &s->key))
				return app_set_mode(a, MODE_DETAILS);
			return APP_REDRAW;
		}
		if (g->has_expanded && g->expanded == g->set.rows[grp].key) {
			g->has_expanded = false;
		} else {
			g->has_expanded = true;
			g->expanded = g->set.rows[grp].key;
		}
		g->cur = line_of_key(g, g->set.rows[grp].key);
		break;
	default:
		return screen_table_action(a, act, now);
	}
	keep_cursor(g);
	return APP_REDRAW;
}

/* ---- drawing ---- */

static void cell_num(struct lb *b, size_t x, unsigned w, uint64_t v, enum view_style st)
{
	char tmp[24];
	int len = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);

	ln_to(b, x + (len < (int)w - 1 ? w - 1 - (unsigned)len : 0), st);
	ln_puts(b, tmp, st);
}

static void cell_rate_at(struct lb *b, size_t x, unsigned w, const struct group_row *r, double v,
			 enum view_style st)
{
	char tmp[16];
	size_t len;

	if (!r->nrates) {
		snprintf(tmp, sizeof(tmp), "-");
	} else {
		cell_rate(v, tmp, sizeof(tmp));
	}
	len = strlen(tmp);
	ln_to(b, x + (len < w - 1 ? w - 1 - len : 0), st);
	ln_puts(b, tmp, st);
}

static void group_line(struct lb *b, const struct app *a, const struct group_row *r,
		       bool expanded, enum view_style st)
{
	const struct app_groups *g = a->groups;
	char label[GROUP_LABEL_MAX];
	size_t len = group_label(&g->set, r, a->table.pm, label, sizeof(label)), x = 0;
	static const enum gcol counts[] = { GC_SOCKS, GC_TCP, GC_UDP, GC_UNIX, GC_RAW,
					    GC_LISTEN, GC_ESTAB, GC_TW, GC_CW };

	ln_puts(b, expanded ? "- " : "+ ", st);
	if (r->key == GROUP_NONE)
		ln_puts(b, _("(no process)"), st);
	else if (r->key == GROUP_NOSERVICE)
		ln_puts(b, _("(no service)"), st);
	else if (len)
		/* a cgroup path may be long: cut, never over the counts */
		ln_text_w(b, label, len, gw(g, GC_PROCESS) - 2, st);
	else
		ln_puts(b, "?", st);
	x += gw(g, GC_PROCESS);
	ln_to(b, x, st);
	if (g->by != GROUP_SERVICE && r->key != GROUP_NONE)
		cell_num(b, x, gw(g, GC_PID), (uint64_t)r->key, st);
	x += gw(g, GC_PID);
	for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
		cell_num(b, x, gw(g, counts[k]), (uint64_t)gval(a, r, counts[k]), st);
		x += gw(g, counts[k]);
	}
	cell_rate_at(b, x, gw(g, GC_RX), r, r->rx, st);
	x += gw(g, GC_RX);
	cell_rate_at(b, x, gw(g, GC_TX), r, r->tx, st);
}

static void member_line(struct lb *b, const struct app *a, const struct group_input *x,
			enum view_style st)
{
	struct buf t = BUF_INIT;
	size_t w;
	char tmp[16];

	ln_puts(b, "    ", st);
	ln_puts(b, sock_netid(x->s), st);
	ln_to(b, 11, st);
	ln_puts(b, sock_state_name(x->s), st);
	ln_to(b, 23, st);
	w = output_addr(&t, x->s, false, a->cs);
	ln_safe(b, t.data ? t.data : "", t.len, w, st);
	ln_puts(b, "  ", st);
	buf_reset(&t);
	w = output_addr(&t, x->s, true, a->cs);
	ln_safe(b, t.data ? t.data : "", t.len, w, st);
	if (x->rates) {
		cell_rate(x->rx, tmp, sizeof(tmp));
		ln_printf(b, st, _("  rx %sB/s"), tmp);
		cell_rate(x->tx, tmp, sizeof(tmp));
		ln_printf(b, st, _(" tx %sB/s"), tmp);
	}
	buf_free(&t);
}

static void group_build_view(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	const struct app_groups *g = a->groups;
	struct lb b = LB_INIT(v);
	size_t x = 0, n, top;
	char tr[16], tt[16];

	(void)now;
	ln_start(&b, y0, VS_TITLE);
	if (!g || !g->built) {
		ln_puts(&b, g && g->by == GROUP_SERVICE ? _(" Grouped by service: reading sockets...")
						       : _(" Grouped by process: reading sockets..."),
			VS_TITLE);
		return;
	}
	cell_rate(g->set.total_rx, tr, sizeof(tr));
	cell_rate(g->set.total_tx, tt, sizeof(tt));
	if (g->by == GROUP_SERVICE)
		ln_printf(&b, VS_TITLE, P_(" %zu service", " %zu services", g->set.n), g->set.n);
	else
		ln_printf(&b, VS_TITLE, P_(" %zu process", " %zu processes", g->set.n), g->set.n);
	ln_printf(&b, VS_TITLE, _(", %zu sockets, rx %sB/s tx %sB/s in all"), g->set.nsocks, tr,
		  tt);
	ln_puts(&b, _("  (rates: TCP only; the kernel keeps no byte counts for UDP, raw or "
		      "Unix sockets)"), VS_TITLE);
	if (h < 2)
		return;
	ln_start(&b, y0 + 1, VS_COLHEAD);
	for (int c = 0; c < GC_MAX_; c++) {
		enum view_style st = (enum gcol)c == g->sort ? VS_COLHEAD_SORT : VS_COLHEAD;
		const char *title = gtitle(g, (enum gcol)c);
		size_t tw = strlen(title);
		unsigned w = gw(g, (enum gcol)c);

		if (!w)
			continue;
		if (gcols[c].right)
			ln_to(&b, x + (tw < w - 1 ? w - 1 - tw : 0), VS_COLHEAD);
		else
			ln_to(&b, x + (c == GC_PROCESS ? 2 : 0), VS_COLHEAD);
		ln_puts(&b, title, st);
		x += w;
	}
	n = nlines(g);
	/* the page as drawn: what a->groups->page says may lag one draw */
	top = g->top;
	if (g->cur >= top + (size_t)(h - 2))
		top = g->cur - (size_t)(h - 2) + 1;
	for (int y = 2; y < h; y++) {
		size_t k = top + (size_t)(y - 2), grp;
		long m;
		enum view_style st;

		if (k >= n) {
			ln_blank(&b, y0 + y);
			continue;
		}
		line_at(g, k, &grp, &m);
		st = k == g->cur ? VS_SELECTED : VS_NORMAL;
		ln_start(&b, y0 + y, st);
		if (m < 0)
			group_line(&b, a, &g->set.rows[grp],
				   g->has_expanded && g->expanded == g->set.rows[grp].key, st);
		else
			member_line(&b, a, &g->in[g->set.members[g->set.rows[grp].first + (size_t)m]],
				    st);
	}
	if (!n) {
		ln_start(&b, y0 + 2, VS_DIM);
		ln_puts(&b, _(" no sockets shown"), VS_DIM);
	}
}

static const struct hint *group_hints(const struct app *a, size_t *n)
{
	static const struct hint hints[] = {
		{ KEYS_ACT(ACT_DETAILS), N_("Expand") },
		{ KEYS_ACT(ACT_SORT), N_("Sort") },
		{ KEYS_ACT(ACT_FILTER), N_("Filter") },
		{ KEYS_ACT(ACT_GROUP_SERVICE), N_("Service") },
		{ KEYS_ACT(ACT_GROUP), N_("Table") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};
	static const struct hint by_service[] = {
		{ KEYS_ACT(ACT_DETAILS), N_("Expand") },
		{ KEYS_ACT(ACT_SORT), N_("Sort") },
		{ KEYS_ACT(ACT_FILTER), N_("Filter") },
		{ KEYS_ACT(ACT_GROUP), N_("Process") },
		{ KEYS_ACT(ACT_GROUP_SERVICE), N_("Table") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};

	if (a->groups && a->groups->by == GROUP_SERVICE)
		return SCREEN_HINTS(by_service, n);
	return SCREEN_HINTS(hints, n);
}

const struct screen screen_group = {
	.name = "group",
	.enter = group_enter,
	.sync = group_sync,
	.action = group_action,
	.build = group_build_view,
	.hints = group_hints,
	.pages_rows = true,
	.wants_tcp_info = true,
};
