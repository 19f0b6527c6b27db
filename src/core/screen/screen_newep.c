/* screen_newep.c - the new endpoint menu: what kind of endpoint to open. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "screen.h"

/* The menu: the endpoint kinds, then the state lab (screen_lab.c). */
#define NEWEP_LAB EP_NKINDS
#define NEWEP_N (EP_NKINDS + 1)

static unsigned newep_choose(struct app *a, size_t k)
{
	if (k == NEWEP_LAB) {
		a->panes.kind_cur = k;
		return app_set_mode(a, MODE_LAB);
	}
	return app_open_form(a, (enum ep_kind)k);
}

/* Up/Down and Enter, or the digit of a kind. */
static unsigned newep_action(struct app *a, enum action act, int64_t now)
{
	(void)now;
	if (screen_menu_move(&a->panes.kind_cur, NEWEP_N, act))
		return APP_REDRAW;
	switch (act) {
	case ACT_DETAILS: /* Enter */
		return newep_choose(a, a->panes.kind_cur);
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
	if (key >= '1' && key < '1' + NEWEP_N)
		return newep_choose(a, (size_t)(key - '1'));
	return newep_action(a, keys_action(key), now);
}

static void newep_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	struct lb b = LB_INIT(v);
	int y = y0 + 1;

	(void)now;

	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, _(" New endpoint: choose what to open (Enter or 1-6, Esc cancels)"),
		VS_TITLE);
	for (size_t k = 0; k < NEWEP_N && y < y0 + h; k++) {
		enum view_style st = k == a->panes.kind_cur ? VS_SELECTED : VS_NORMAL;
		const char *name = k == NEWEP_LAB ? _("state lab") : endpoint_kind_name((enum ep_kind)k);

		ln_start(&b, y++, st);
		ln_printf(&b, st, "  %zu  ", k + 1);
		ln_puts(&b, name, st);
		ln_to(&b, 24, st);
		ln_puts(&b, k == NEWEP_LAB ? _("ready-made socket states, explained: CLOSE-WAIT, "
					       "TIME-WAIT, a zero window...")
					   : form_kind_help((enum ep_kind)k),
			k == a->panes.kind_cur ? st : VS_DIM);
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
		{ { .key = { '1', '0' + NEWEP_N }, .sep = '-' }, N_("Kind") },
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
