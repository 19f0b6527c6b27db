/* screen.c - the list of screens, and what they share. */
#include "config.h"

#include <stdio.h>

#include "screen.h"

/* The one place that maps a mode to its screen. */
static const struct screen *const screens[MODE_MAX_] = {
	[MODE_TABLE] = &screen_table,
	[MODE_HELP] = &screen_help,
	[MODE_DETAILS] = &screen_details,
	[MODE_SORT] = &screen_sort,
	[MODE_COLUMNS] = &screen_columns,
	[MODE_MENU] = &screen_newep,
	[MODE_FORM] = &screen_form,
	[MODE_FILTER_HELP] = &screen_filterhelp,
	[MODE_GROUP] = &screen_group,
	[MODE_EVENTS] = &screen_events,
	[MODE_NETNS] = &screen_netns,
	[MODE_LAB] = &screen_lab,
	[MODE_TOUR] = &screen_tour,
};

const struct screen *screen_of(enum app_mode m)
{
	if ((unsigned)m >= MODE_MAX_ || !screens[m])
		return &screen_table;
	return screens[m];
}

bool screen_scroll(struct app *a, enum action act)
{
	size_t page = a->table.page > 2 ? a->table.page - 1 : 1;

	switch (act) {
	case ACT_UP:
		if (a->scroll)
			a->scroll--;
		return true;
	case ACT_DOWN:
		if (a->scroll < a->scroll_max)
			a->scroll++;
		return true;
	case ACT_PGUP:
		a->scroll = a->scroll > page ? a->scroll - page : 0;
		return true;
	case ACT_PGDN:
		a->scroll = a->scroll + page < a->scroll_max ? a->scroll + page : a->scroll_max;
		return true;
	case ACT_HOME:
		a->scroll = 0;
		return true;
	case ACT_END:
		a->scroll = a->scroll_max;
		return true;
	default:
		return false;
	}
}

bool screen_menu_move(size_t *cur, size_t n, enum action act)
{
	switch (act) {
	case ACT_UP:
		if (*cur)
			(*cur)--;
		return true;
	case ACT_DOWN:
		if (*cur + 1 < n)
			(*cur)++;
		return true;
	case ACT_HOME:
	case ACT_PGUP:
		*cur = 0;
		return true;
	case ACT_END:
	case ACT_PGDN:
		*cur = n ? n - 1 : 0;
		return true;
	default:
		return false;
	}
}

unsigned screen_menu_action(struct app *a, enum action act, size_t n,
			    unsigned (*choose)(struct app *a, int64_t now), int64_t now)
{
	if (screen_menu_move(&a->menu_cur, n, act))
		return APP_REDRAW;
	switch (act) {
	case ACT_DETAILS: /* Enter */
	case ACT_PAUSE:   /* Space */
		return choose(a, now);
	case ACT_BACK:
	case ACT_SORT:
	case ACT_COLUMNS:
		a->mode = MODE_TABLE;
		return APP_REDRAW;
	case ACT_QUIT:
		return app_ask_quit(a);
	case ACT_REDRAW:
		return APP_REDRAW | APP_REFRESH;
	default:
		return 0;
	}
}

void screen_menu_build(struct view *v, int y0, int h, const char *title, size_t n, size_t cur,
		       void (*entry)(const struct app *a, size_t k, char *mark, size_t marklen,
				     const char **label),
		       const struct app *a)
{
	struct lb b = LB_INIT(v);
	size_t first = 0;
	int y = y0 + 1;

	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, title, VS_TITLE);
	if (h > 1 && cur >= (size_t)(h - 1))
		first = cur - (size_t)(h - 1) + 1;
	for (size_t k = first; k < n && y < y0 + h; k++) {
		enum view_style st = k == cur ? VS_SELECTED : VS_NORMAL;
		const char *label = "";
		char mark[8];

		entry(a, k, mark, sizeof(mark), &label);
		ln_start(&b, y++, st);
		ln_puts(&b, mark, st);
		ln_puts(&b, label, st);
	}
	while (y < y0 + h)
		ln_blank(&b, y++);
}
