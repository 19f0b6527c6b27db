/* screen_netns.c - N: which network namespace the table shows, or all.
 *
 * Entry 0 is "all namespaces"; the others are the namespaces of the last
 * snapshot (table.ns, the collector's table) with their socket counts.
 * Choosing one keeps every namespace dumped (the counts stay true) and
 * shows only that one's sockets (table.netns_only). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "screen.h"

static size_t netns_count(const struct app *a)
{
	return 1 + (a->table.ns ? a->table.ns->n : 0);
}

static void netns_enter(struct app *a)
{
	const struct nstab *t = a->table.ns;

	a->menu_cur = 0;
	for (size_t i = 0; t && a->table.netns_only && i < t->n; i++)
		if (t->v[i].ino == a->table.netns_only)
			a->menu_cur = i + 1;
}

unsigned screen_netns_open(struct app *a)
{
	unsigned fx = 0;

	if (!a->all_netns) {
		/* from now on every namespace is dumped: refresh at once so
		 * that the chooser fills in */
		a->all_netns = true;
		a->table.columns |= COL_BIT(COL_NETNS);
		fx |= APP_REFRESH;
	}
	return fx | app_set_mode(a, MODE_NETNS);
}

static unsigned netns_choose(struct app *a, int64_t now)
{
	const struct nstab *t = a->table.ns;
	char label[128];
	size_t k = a->menu_cur;

	a->mode = MODE_TABLE;
	if (k == 0 || !t || k > t->n) {
		a->table.netns_only = 0;
		table_refilter(&a->table, false);
		app_message(a, false, now, "%s", _("showing every network namespace"));
		return APP_REDRAW;
	}
	a->table.netns_only = t->v[k - 1].ino;
	table_refilter(&a->table, false);
	{
		struct buf b = BUF_INIT;
		size_t n = nstab_label(&t->v[k - 1], label, sizeof(label));

		esc_display(&b, label, n, a->cs);
		buf_putc(&b, '\0');
		app_message(a, false, now, _("showing network namespace %s (N: another, or all)"),
			    b.data);
		a->msg_escaped = true;
		buf_free(&b);
	}
	return APP_REDRAW;
}

static unsigned netns_action(struct app *a, enum action act, int64_t now)
{
	if (act == ACT_NETNS) {
		a->mode = MODE_TABLE;
		return APP_REDRAW;
	}
	return screen_menu_action(a, act, netns_count(a), netns_choose, now);
}

/* Labels are escaped into this buffer, which lives until the next entry
 * (screen_menu_build draws each label before asking for the next). */
static char entry_text[256];

static void netns_entry(const struct app *a, size_t k, char *mark, size_t marklen,
			const char **label)
{
	const struct nstab *t = a->table.ns;
	struct buf b = BUF_INIT;
	char raw[128];
	uint32_t ino = 0;
	size_t n;

	if (k == 0) {
		snprintf(mark, marklen, " %s ", a->table.netns_only ? " " : "*");
		snprintf(entry_text, sizeof(entry_text), "%s", _("all namespaces"));
		*label = entry_text;
		return;
	}
	ino = t->v[k - 1].ino;
	snprintf(mark, marklen, " %s ", a->table.netns_only == ino ? "*" : " ");
	n = nstab_label(&t->v[k - 1], raw, sizeof(raw));
	esc_display(&b, raw, n, a->cs);
	buf_putc(&b, '\0');
	snprintf(entry_text, sizeof(entry_text), "%-24s %10u  %s%s", b.data, (unsigned)ino,
		 t->v[k - 1].denied ? _("not entered (needs CAP_SYS_ADMIN)") : "",
		 t->v[k - 1].current ? _("(sockview's own)") : "");
	if (!t->v[k - 1].denied) {
		size_t len = strlen(entry_text);

		snprintf(entry_text + len, sizeof(entry_text) - len,
			 P_("  %zu socket", "  %zu sockets", t->v[k - 1].nsocks), t->v[k - 1].nsocks);
	}
	buf_free(&b);
	*label = entry_text;
}

static void netns_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	(void)now;
	screen_menu_build(v, y0, h, _(" Network namespace shown (Enter chooses, Esc closes)"),
			  netns_count(a), a->menu_cur, netns_entry, a);
}

const struct screen screen_netns = {
	.name = "netns",
	.enter = netns_enter,
	.action = netns_action,
	.build = netns_build,
	.hints = screen_menu_hints,
};
