/* screen_tour.c - the guided tour's page (T, --tour): every step with a
 * mark (done, now, to come) and the whole text of the current one. The
 * steps and their checks are tour.c; while the tour runs, the table shows
 * the current step in a box above the footer (view.c). */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "screen.h"
#include "tour.h"

unsigned app_tour_start(struct app *a)
{
	tour_start(a);
	tour_update(a);
	a->scroll = 0;
	return app_set_mode(a, MODE_TOUR);
}

unsigned app_tour_check(struct app *a, int64_t now)
{
	struct tour_step st;

	if (!tour_update(a))
		return 0;
	tour_step(a->tour.last_done - 1, &st);
	if (a->tour.step >= tour_count())
		app_message(a, false, now, _("Tour: %s The tour is done: Esc closes its box."),
			    st.confirm);
	else
		app_message(a, false, now, _("Tour, step %zu done: %s"), a->tour.last_done,
			    st.confirm);
	return APP_REDRAW;
}

static unsigned tour_action(struct app *a, enum action act, int64_t now)
{
	if (screen_scroll(a, act))
		return APP_REDRAW;
	switch (act) {
	case ACT_DETAILS: /* Enter: to the table, to do the step */
	case ACT_TOUR:
		a->mode = MODE_TABLE;
		return APP_REDRAW;
	case ACT_BACK:
		a->tour.active = false;
		a->mode = MODE_TABLE;
		app_message(a, false, now, _("left the tour at step %zu: T resumes it"),
			    a->tour.step + 1);
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

static void tour_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	struct textlines tl = TEXTLINES_INIT(a->cs);
	struct tour_step st;
	size_t n = tour_count();
	struct lb b = LB_INIT(v);

	(void)now;
	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, _(" Guided tour: the tutorials' experiments (Enter: to the table to do the "
		      "step, Esc: leave)"), VS_TITLE);
	for (size_t i = 0; i < n; i++) {
		tour_step(i, &st);
		tl_kv(&tl, i < a->tour.step ? _("done") : i == a->tour.step ? _("now") : "",
		      "%zu. %s", i + 1, st.title);
	}
	if (a->tour.step < n) {
		tour_step(a->tour.step, &st);
		tl_section(&tl, _("The step now"));
		tl_kv(&tl, _("Step"), "%zu. %s", a->tour.step + 1, st.title);
		tl_kv(&tl, "", "%s", st.text);
		tl_kv(&tl, _("Do"), "%s", st.todo);
		tl_kv(&tl, "", "%s", _("The step is done when the table shows it; the box above "
				       "the footer says what to do meanwhile."));
	} else {
		tl_kv(&tl, _("Done"), "%s", _("every step is done. T starts the tour again."));
	}
	v->scroll_max = tl_render(v, a->scroll, &tl, y0 + 1, h - 1, 8);
	tl_free(&tl);
}

static const struct hint *tour_hints(const struct app *a, size_t *n)
{
	static const struct hint hints[] = {
		{ KEYS_ACT(ACT_DETAILS), N_("DoIt") },
		{ KEYS_ACT(ACT_BACK), N_("Leave") },
		{ KEYS_ACT(ACT_UP, ACT_DOWN), N_("Scroll") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};

	(void)a;
	return SCREEN_HINTS(hints, n);
}

const struct screen screen_tour = {
	.name = "tour",
	.action = tour_action,
	.build = tour_build,
	.hints = tour_hints,
	.pages_text = true,
};
