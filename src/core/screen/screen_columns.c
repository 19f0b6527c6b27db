/* screen_columns.c - the columns menu: which optional columns are shown. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "screen.h"

/* The optional columns, in table order: entry k of the menu is column
 * optional_col(k). */
static size_t optional_count(void)
{
	size_t n = 0;

	for (int c = 0; c < COL_MAX_; c++)
		n += cell_col((enum col)c)->optional;
	return n;
}

static enum col optional_col(size_t k)
{
	for (int c = 0; c < COL_MAX_; c++)
		if (cell_col((enum col)c)->optional && k-- == 0)
			return (enum col)c;
	return COL_MAX_;
}

static void columns_enter(struct app *a)
{
	a->menu_cur = 0;
}

/* Enter or Space: show or hide the column under the cursor. */
static unsigned columns_choose(struct app *a, int64_t now)
{
	enum col c = optional_col(a->menu_cur);

	(void)now;
	if (c < COL_MAX_) {
		a->table.columns ^= COL_BIT(c);
		if (a->table.search[0])
			table_refilter(&a->table, false);
	}
	return APP_REDRAW;
}

static unsigned columns_action(struct app *a, enum action act, int64_t now)
{
	if (act == ACT_REVERSE)
		return APP_REDRAW;
	return screen_menu_action(a, act, optional_count(), columns_choose, now);
}

static void columns_entry(const struct app *a, size_t k, char *mark, size_t marklen,
			  const char **label)
{
	enum col c = optional_col(k);

	snprintf(mark, marklen, " [%s] ", (a->table.columns & COL_BIT(c)) ? "x" : " ");
	*label = _(cell_col(c)->name);
}

static void columns_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	(void)now;
	screen_menu_build(v, y0, h, _(" Optional columns (Space or Enter toggles, Esc closes)"),
			  optional_count(), a->menu_cur, columns_entry, a);
}

const struct screen screen_columns = {
	.name = "columns",
	.enter = columns_enter,
	.action = columns_action,
	.build = columns_build,
	.hints = screen_menu_hints,
};
