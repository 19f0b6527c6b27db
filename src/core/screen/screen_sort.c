/* screen_sort.c - the sort menu: which column the table is sorted by. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "screen.h"

static void sort_enter(struct app *a)
{
	a->menu_cur = a->table.sort_col;
}

/* Enter or Space: sort by the column under the cursor. */
static unsigned sort_choose(struct app *a, int64_t now)
{
	enum col c = (enum col)a->menu_cur;

	a->mode = MODE_TABLE;
	if (c != a->table.sort_col) {
		a->table.sort_col = c;
		table_resort(&a->table);
	}
	app_message(a, false, now, _("sorted by %s"), _(cell_col(c)->name));
	return APP_REDRAW;
}

static unsigned sort_action(struct app *a, enum action act, int64_t now)
{
	if (act == ACT_REVERSE) {
		table_reverse(&a->table);
		return APP_REDRAW;
	}
	return screen_menu_action(a, act, COL_MAX_, sort_choose, now);
}

static void sort_entry(const struct app *a, size_t k, char *mark, size_t marklen,
		       const char **label)
{
	snprintf(mark, marklen, " %s ", (enum col)k == a->table.sort_col ? "*" : " ");
	*label = _(cell_col((enum col)k)->name);
}

static void sort_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	(void)now;
	screen_menu_build(v, y0, h, _(" Sort by (Enter chooses, r reverses, Esc cancels)"),
			  COL_MAX_, a->menu_cur, sort_entry, a);
}

const struct hint *screen_menu_hints(const struct app *a, size_t *n)
{
	static const struct hint hints[] = {
		{ KEYS_ACT(ACT_UP, ACT_DOWN), N_("Move") },
		{ KEYS_ACT(ACT_DETAILS), N_("Choose") },
		{ KEYS_ACT(ACT_BACK), N_("Close") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};

	(void)a;
	return SCREEN_HINTS(hints, n);
}

const struct screen screen_sort = {
	.name = "sort",
	.enter = sort_enter,
	.action = sort_action,
	.build = sort_build,
	.hints = screen_menu_hints,
};
