/* screen_lab.c - the state lab's menu (6 in the new endpoint menu): which
 * ready-made socket state to make. A preset opens as a pane of its own
 * (endpoint.h, ep_lab.c) that explains each step; its sockets are marked in
 * the table and the one to look at is selected. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>

#include "app_epns.h"
#include "epman.h"
#include "i18n.h"
#include "screen.h"

#define LAB_N (EP_LAB_NPRESETS - 1)

/* Opens preset p (1-based, as enum ep_lab_preset) in a new, focused pane. */
unsigned app_open_lab(struct app *a, enum ep_lab_preset p, int64_t now)
{
	struct endpoint_config cfg;
	struct pane *pane;
	char err[512];

	if (!a->panes.em) {
		app_message(a, true, now, "%s", _("no endpoints in this mode"));
		return APP_REDRAW;
	}
	endpoint_config_init(&cfg, EP_CLIENT, EP_TCP);
	cfg.lab = p;
	cfg.addr.family = AF_INET;
	/* in the namespace the table shows (N; under -N NAME sockview is
	 * in NAME already) */
	pane = app_epns_shown(a, &cfg, err, sizeof(err)) < 0
		       ? NULL : epman_open(a->panes.em, &cfg, err, sizeof(err));
	if (cfg.in_netns)
		close(cfg.netns_fd);
	a->mode = MODE_TABLE;
	if (!pane) {
		app_message(a, true, now, _("cannot open the lab: %s"), err);
		return APP_REDRAW;
	}
	app_epns_opened(a, pane, app_epns_shown_entry(a), NULL);
	a->panes.focus = epman_count(a->panes.em) - 1;
	a->panes.zoom = false;
	a->panes.hidden = false;
	app_sync_endpoints(a);
	app_message(a, false, now, _("opened [%u] state lab: %s (its pane explains each step)"),
		    pane->id, endpoint_lab_name(p));
	return APP_REDRAW | APP_REFRESH;
}

static unsigned lab_action(struct app *a, enum action act, int64_t now)
{
	if (screen_menu_move(&a->panes.lab_cur, LAB_N, act))
		return APP_REDRAW;
	switch (act) {
	case ACT_DETAILS: /* Enter */
		return app_open_lab(a, (enum ep_lab_preset)(a->panes.lab_cur + 1), now);
	case ACT_BACK:
	case ACT_NEW_ENDPOINT:
		a->mode = MODE_TABLE;
		return APP_REDRAW;
	case ACT_QUIT:
		return app_ask_quit(a);
	case ACT_HELP:
		return app_set_mode(a, MODE_HELP);
	case ACT_REDRAW:
		return APP_REDRAW | APP_REFRESH;
	default:
		return 0;
	}
}

static unsigned lab_key(struct app *a, int key, int64_t now)
{
	if (key >= '1' && key < '1' + LAB_N)
		return app_open_lab(a, (enum ep_lab_preset)(key - '0'), now);
	return lab_action(a, keys_action(key), now);
}

static void lab_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	struct lb b = LB_INIT(v);
	int y = y0 + 1;

	(void)now;
	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, _(" State lab: make a socket state and see it explained (Enter or 1-7, Esc "
		      "cancels)"), VS_TITLE);
	for (size_t k = 0; k < LAB_N && y < y0 + h; k++) {
		enum view_style st = k == a->panes.lab_cur ? VS_SELECTED : VS_NORMAL;
		enum ep_lab_preset p = (enum ep_lab_preset)(k + 1);

		ln_start(&b, y++, st);
		ln_printf(&b, st, "  %zu  ", k + 1);
		ln_puts(&b, endpoint_lab_name(p), st);
		ln_to(&b, 34, st);
		ln_puts(&b, endpoint_lab_help(p), k == a->panes.lab_cur ? st : VS_DIM);
	}
	if (y < y0 + h)
		ln_blank(&b, y++);
	if (y < y0 + h) {
		ln_start(&b, y++, VS_NORMAL);
		ln_puts(&b, _("  Each preset opens its own sockets on 127.0.0.1 in a pane of its "
			      "own; F8 on the pane closes them all."), VS_DIM);
	}
	while (y < y0 + h)
		ln_blank(&b, y++);
}

static const struct hint *lab_hints(const struct app *a, size_t *n)
{
	static const struct hint hints[] = {
		{ KEYS_ACT(ACT_UP, ACT_DOWN), N_("Move") },
		{ KEYS_ACT(ACT_DETAILS), N_("Open") },
		{ { .key = { '1', '0' + LAB_N }, .sep = '-' }, N_("Preset") },
		{ KEYS_ACT(ACT_BACK), N_("Cancel") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};

	(void)a;
	return SCREEN_HINTS(hints, n);
}

const struct screen screen_lab = {
	.name = "state lab",
	.key = lab_key,
	.action = lab_action,
	.build = lab_build,
	.hints = lab_hints,
};
