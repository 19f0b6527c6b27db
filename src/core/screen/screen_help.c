/* screen_help.c - the help screen: the keys, and what the table shows. */
#include "config.h"

#include <stdio.h>

#include "glossary.h"
#include "i18n.h"
#include "screen.h"

static void help_enter(struct app *a)
{
	a->scroll = 0;
}

static unsigned help_action(struct app *a, enum action act, int64_t now)
{
	if (screen_scroll(a, act))
		return APP_REDRAW;
	if (act == ACT_BACK || act == ACT_HELP || act == ACT_DETAILS) {
		a->mode = MODE_TABLE;
		return APP_REDRAW;
	}
	if (act == ACT_NONE || act == ACT_REDRAW)
		return act == ACT_REDRAW ? APP_REDRAW | APP_REFRESH : 0;
	/* any other key leaves the help and acts on the table */
	a->mode = MODE_TABLE;
	return APP_REDRAW | screen_table_action(a, act, now);
}

static void help_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	struct textlines tl = TEXTLINES_INIT(v->cs);
	struct lb b = LB_INIT(v);
	size_t n;
	const struct key_help *kh = keys_help(&n);

	(void)now;

	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, _(" sockview keys (Esc closes, arrows scroll)"), VS_TITLE);
	for (size_t i = 0; i < n; i++) {
		char keys[48], label[64];

		/* only "mouse" has a translation */
		keys_help_text(&kh[i].keys, keys, sizeof(keys));
		snprintf(label, sizeof(label), "  %s", _(keys));
		tl_add(&tl, label, VS_KEY, _(kh[i].what), 0, false, VS_NORMAL);
	}
	tl_section(&tl, _("  The table"));
	tl_kv(&tl, _("  Recv-Q"), "%s", _("bytes received but not yet read by the program; "
					  "for LISTEN: connections waiting for accept()"));
	tl_kv(&tl, _("  Send-Q"), "%s", _("bytes sent but not yet acknowledged by the peer; "
					  "for LISTEN: the backlog (most connections that may wait)"));
	tl_kv(&tl, _("  Local/Peer"), "%s", _("address:port of each end; for Unix sockets the "
					      "path, @abstract name, or * (unnamed), and the peer's inode"));
	tl_kv(&tl, _("  Process"), "%s", _("command/pid of the process holding the socket "
					   "(+N: more processes share it)"));
	tl_kv(&tl, _("  Colours"), "%s", _("new sockets are highlighted for a few seconds; "
					   "closed ones stay one refresh, dimmed"));
	glossary_add(&tl);
	v->scroll_max = tl_render(v, a->scroll, &tl, y0 + 1, h - 1, 22);
	tl_free(&tl);
}

static const struct hint *help_hints(const struct app *a, size_t *n)
{
	static const struct hint hints[] = {
		{ KEYS_ACT(ACT_BACK), N_("Close") },
		{ KEYS_ACT(ACT_UP, ACT_DOWN), N_("Scroll") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};

	(void)a;
	return SCREEN_HINTS(hints, n);
}

const struct screen screen_help = {
	.name = "help",
	.enter = help_enter,
	.action = help_action,
	.build = help_build,
	.hints = help_hints,
	.pages_text = true,
};
