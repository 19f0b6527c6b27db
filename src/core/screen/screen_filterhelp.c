/* screen_filterhelp.c - the filter language's help page: the FILTERS
 * section of the man page (filterhelp.h), opened by F1 on the filter
 * prompt; Esc goes back to the prompt with the text typed so far. */
#include "config.h"

#include <stdio.h>

#include "filterhelp.h"
#include "i18n.h"
#include "screen.h"

/* Columns: headings at 0 (subheadings at 2), paragraphs and terms at
 * FH_COL, a term's paragraph and the examples' lines FH_IND further. */
#define FH_COL 4
#define FH_IND 4

static void filterhelp_enter(struct app *a)
{
	a->scroll = 0;
}

/* Back where the page was opened from: the filter prompt, with its text
 * (app.c's prompt_key kept a->edit as it was), or the table. */
static unsigned filterhelp_back(struct app *a)
{
	a->mode = MODE_TABLE;
	if (a->filter_help_from_prompt)
		a->prompt = PROMPT_FILTER;
	a->filter_help_from_prompt = false;
	return APP_REDRAW;
}

static unsigned filterhelp_action(struct app *a, enum action act, int64_t now)
{
	(void)now;
	if (screen_scroll(a, act))
		return APP_REDRAW;
	switch (act) {
	case ACT_BACK:
	case ACT_HELP:   /* F1 again */
	case ACT_FILTER: /* f, F4: the prompt */
		return filterhelp_back(a);
	case ACT_QUIT:
		return app_ask_quit(a);
	case ACT_REDRAW:
		return APP_REDRAW | APP_REFRESH;
	default:
		/* the prompt's text waits: other keys do nothing here */
		return 0;
	}
}

/* The translation of s, NULL staying NULL (_("") is the catalog's header). */
static const char *fh_tr(const char *s)
{
	return s && *s ? _(s) : NULL;
}

static void filterhelp_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	struct textlines tl = TEXTLINES_INIT(v->cs);
	struct lb b = LB_INIT(v);
	enum fh_kind prev = FH_HEADING;

	(void)now;
	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, _(" The filter language (as in man sockview; Esc goes back, arrows scroll)"),
		VS_TITLE);
	for (size_t i = 0; i < filterhelp_nlines; i++) {
		const struct fh_line *l = &filterhelp_lines[i];
		const char *text = fh_tr(l->text);
		bool after_heading = prev == FH_HEADING || prev == FH_SUBHEADING;
		char label[256];

		switch (l->kind) {
		case FH_HEADING:
		case FH_SUBHEADING:
			snprintf(label, sizeof(label), "%s%s", l->kind == FH_HEADING ? "" : "  ",
				 text ? text : "");
			if (i)
				tl_add(&tl, NULL, VS_NORMAL, NULL, 0, false, VS_NORMAL);
			tl_add(&tl, label, VS_SECTION, NULL, 0, false, VS_NORMAL);
			break;
		case FH_PARA:
			if (!after_heading)
				tl_add(&tl, NULL, VS_NORMAL, NULL, 0, false, VS_NORMAL);
			tl_indented(&tl, 0, text ? text : "", VS_NORMAL);
			break;
		case FH_TERM:
			if (!after_heading)
				tl_add(&tl, NULL, VS_NORMAL, NULL, 0, false, VS_NORMAL);
			tl_indented(&tl, 0, l->label ? fh_tr(l->label) : "", VS_KEY);
			if (text)
				tl_indented(&tl, FH_IND, text, VS_NORMAL);
			break;
		case FH_PRE:
			/* a block of lines: one blank line before it */
			if (!after_heading && prev != FH_PRE)
				tl_add(&tl, NULL, VS_NORMAL, NULL, 0, false, VS_NORMAL);
			tl_indented(&tl, FH_IND, text ? text : "", VS_NORMAL);
			break;
		}
		prev = l->kind;
	}
	v->scroll_max = tl_render(v, a->scroll, &tl, y0 + 1, h - 1, FH_COL);
	tl_free(&tl);
}

static const struct hint *filterhelp_hints(const struct app *a, size_t *n)
{
	static const struct hint hints[] = {
		{ KEYS_ACT(ACT_BACK), N_("Back") },
		{ KEYS_ACT(ACT_UP, ACT_DOWN), N_("Scroll") },
		{ KEYS_ACT(ACT_PGUP, ACT_PGDN), N_("Page") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};

	(void)a;
	return SCREEN_HINTS(hints, n);
}

const struct screen screen_filterhelp = {
	.name = "filterhelp",
	.enter = filterhelp_enter,
	.action = filterhelp_action,
	.build = filterhelp_build,
	.hints = filterhelp_hints,
	.pages_text = true,
};
