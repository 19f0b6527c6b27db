/* screen_newep.c - the new endpoint menu: what kind of endpoint to open. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "screen.h"

/* Up/Down and Enter, or the digit of a kind. */
static unsigned newep_action(struct app *a, enum action act, int64_t now)
{
	(void)now;
	if (screen_menu_move(&a->panes.kind_cur, EP_NKINDS, act))
		return APP_REDRAW;
	switch (act) {
	case ACT_DETAILS: /* Enter */
		return app_open_form(a, (enum ep_kind)a->panes.kind_cur);
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

static unsigned newep_key(struct app *a, int key, int64_t now)
{
	if (key >= '1' && key < '1' + EP_NKINDS)
		return app_open_form(a, (enum ep_kind)(key - '1'));
	return newep_action(a, keys_action(key), now);
}

static void newep_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	struct lb b = LB_INIT(v);
	int y = y0 + 1;

	(void)now;

	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, _(" New endpoint: choose what to open (Enter or 1-5, Esc cancels)"),
		VS_TITLE);
	for (size_t k = 0; k < EP_NKINDS && y < y0 + h; k++) {
		enum view_style st = k == a->panes.kind_cur ? VS_SELECTED : VS_NORMAL;
		const char *name = endpoint_kind_name((enum ep_kind)k);

		ln_start(&b, y++, st);
		ln_printf(&b, st, "  %zu  ", k + 1);
		ln_puts(&b, name, st);
		ln_to(&b, 24, st);
		ln_puts(&b, form_kind_help((enum ep_kind)k), k == a->panes.kind_cur ? st : VS_DIM);
	}
	if (y < y0 + h) {
		ln_blank(&b, y++);
	}
	if (y < y0 + h) {
		ln_start(&b, y++, VS_NORMAL);
		ln_puts(&b, _("  Each endpoint gets a pane below the table; its sockets are marked "
			      "in the table (Process: sockview)."), VS_DIM);
	}
	while (y < y0 + h)
		ln_blank(&b, y++);
}

static const struct hint *newep_hints(const struct app *a, size_t *n)
{
	/* the digits of the kinds are read by newep_key before the table */
	static const struct hint hints[] = {
		{ KEYS_ACT(ACT_UP, ACT_DOWN), N_("Move") },
		{ KEYS_ACT(ACT_DETAILS), N_("Choose") },
		{ { .key = { '1', '0' + EP_NKINDS }, .sep = '-' }, N_("Kind") },
		{ KEYS_ACT(ACT_BACK), N_("Cancel") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};

	(void)a;
	return SCREEN_HINTS(hints, n);
}

const struct screen screen_newep = {
	.name = "new endpoint",
	.key = newep_key,
	.action = newep_action,
	.build = newep_build,
	.hints = newep_hints,
};
