/* app.c - the live view's state: life cycle, messages, prompts, and the
 * dispatch of keys and actions to the screens (core/screen/). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "clock.h"
#include "netns.h"
#include "epman.h"
#include "filter.h"
#include "filter_hist.h"
#include "i18n.h"
#include "pane.h"
#include "screen.h"
#include "view.h"
#include "xalloc.h"

struct app *app_new(const struct options *o, enum esc_charset cs)
{
	struct app *a = xcalloc(1, sizeof(*a));

	a->cs = cs;
	a->netns = o->netns;
	a->all_netns = o->all_netns;
	{
		uint64_t dev;

		if (netns_current(&dev, &a->self_netns) < 0)
			a->self_netns = 0;
	}
	a->no_processes = o->no_processes;
	table_init(&a->table, cs, o->protos, o->families, o->listening);
	/* ss's -e and -i turn on the optional columns that show the same */
	if (o->extra & OPT_X_EXTENDED)
		a->table.columns |= COL_BIT(COL_UID) | COL_BIT(COL_INODE) | COL_BIT(COL_COOKIE);
	if (o->extra & OPT_X_INFO)
		a->table.columns |= COL_BIT(COL_RTT) | COL_BIT(COL_CWND) | COL_BIT(COL_RETRANS);
	if (o->extra & OPT_X_MEMORY)
		a->table.columns |= COL_BIT(COL_SKMEM);
	if (o->extra & OPT_X_TIMERS)
		a->table.columns |= COL_BIT(COL_TIMER);
	if (o->all_netns)
		a->table.columns |= COL_BIT(COL_NETNS);
	a->delay_ms = o->delay_ms >= APP_DELAY_MIN && o->delay_ms <= APP_DELAY_MAX
			      ? o->delay_ms : 1000;
	pace_init(&a->pace, a->delay_ms);
	a->hist = filter_hist_new(APP_HISTORY);
	a->panes.focus = PANE_NONE;
	a->panes.first = PANE_NONE;
	snapshot_init(&a->panes.probe_snap);
	ev_log_init(&a->events, EV_LOG_DEFAULT_CAP, clock_now_ms());
	a->evt = ev_tracker_new(&a->events, NULL, NULL);
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		a->wall_off = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - clock_now_ms();
	}
	if (o->group_given) {
		a->mode = MODE_GROUP; /* --group: start grouped (g returns to the table) */
		screen_group_set_by(a, o->group_by);
	}
	return a;
}

void app_free(struct app *a)
{
	if (!a)
		return;
	table_free(&a->table);
	filter_hist_free(a->hist);
	screen_group_free(a->groups);
	snapshot_free(&a->panes.probe_snap);
	ev_tracker_free(a->evt);
	ev_log_free(&a->events);
	free(a);
}

/* ---- messages ---- */

void app_message(struct app *a, bool error, int64_t now, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
	a->msg_error = error;
	a->msg_escaped = false;
	a->msg_until = now + APP_MSG_MS;
}

static void message_clear(struct app *a)
{
	a->msg[0] = '\0';
	a->msg_error = false;
	a->msg_escaped = false;
	a->msg_until = 0;
}

/* ---- the table, through the app ---- */

struct snapshot *app_spare_snapshot(struct app *a)
{
	a->ev_started = clock_now_ms();
	return table_spare_snapshot(&a->table);
}

void app_commit_snapshot(struct app *a, const struct procmap *pm, int64_t now)
{
	const struct screen *sc;

	table_commit(&a->table, pm, now);
	/* the tracker keeps the current snapshot: the table leaves it alone
	 * until the commit after next */
	ev_tracker_dump(a->evt, table_snapshot(&a->table), &a->table.scope_cur, pm,
			a->ev_started, now);
	app_endpoints_after_refresh(a, now);
	app_tour_check(a, now);
	sc = screen_of(a->mode);
	if (sc->sync)
		sc->sync(a);
}

void app_procs_updated(struct app *a)
{
	const struct screen *sc = screen_of(a->mode);

	table_procs_changed(&a->table);
	if (sc->sync)
		sc->sync(a);
}

bool app_finish_sort(struct app *a)
{
	const struct screen *sc = screen_of(a->mode);

	if (!table_finish_sort(&a->table))
		return false;
	if (sc->sync)
		sc->sync(a);
	return true;
}

const struct table_row *app_selected(const struct app *a)
{
	return table_selected(&a->table);
}

const struct snapshot *app_snapshot(const struct app *a)
{
	return table_snapshot(&a->table);
}

const struct diff_entry *app_diff_of(const struct app *a, const struct sock *s)
{
	return table_diff_of(&a->table, s);
}

const struct sock *app_find_peer(const struct app *a, const struct sock *s)
{
	return snapshot_find_peer(table_snapshot(&a->table), s);
}

const struct sock *app_details_sock(const struct app *a, bool *gone)
{
	return table_details_sock(&a->table, gone);
}

bool app_is_new(const struct diff_entry *d, int64_t now)
{
	return table_is_new(d, now);
}

int64_t app_next_change(const struct app *a, int64_t now)
{
	int64_t next = table_next_change(&a->table, now);

	if (a->msg[0] && a->msg_until > now && (next < 0 || a->msg_until < next))
		next = a->msg_until;
	return next;
}

int app_set_filter(struct app *a, const char *text, char *err, size_t errlen)
{
	struct filter_error fe;

	a->filter_err_col = 0;
	if (table_set_filter(&a->table, text, &fe) < 0) {
		snprintf(err, errlen, "%s", fe.msg);
		a->filter_err_col = fe.offset;
		return -1;
	}
	return 0;
}

bool app_select_key(struct app *a, const struct sock_key *k)
{
	return table_select_key(&a->table, k);
}

unsigned app_select_row(struct app *a, size_t i)
{
	if (i >= a->table.nrows)
		return 0;
	table_select_index(&a->table, i);
	return APP_REDRAW;
}

unsigned app_sort_by(struct app *a, enum col c)
{
	if (c >= COL_MAX_)
		return 0;
	table_sort_by(&a->table, c);
	return APP_REDRAW;
}

void app_set_page(struct app *a, size_t rows)
{
	table_set_page(&a->table, rows);
}

void app_set_geometry(struct app *a, const struct app_geom *g)
{
	if (g->page)
		table_set_page(&a->table, g->page);
	a->panes.first = g->pane_first;
}

void app_set_scroll_max(struct app *a, size_t max)
{
	a->scroll_max = max;
	if (a->scroll > max)
		a->scroll = max;
}

void app_draw(struct app *a, struct view *v, int width, int height, int64_t now)
{
	struct app_geom g;

	view_geometry(a, width, height, now, &g);
	app_set_geometry(a, &g);
	view_build(v, a, width, height, now);
	app_set_scroll_max(a, v->scroll_max);
}

int app_delay_step(int delay_ms, bool faster)
{
	static const int steps[] = {
		100, 200, 500, 1000, 2000, 3000, 5000, 10000, 30000, 60000,
		300000, 600000, 1800000, 3600000,
	};
	size_t n = sizeof(steps) / sizeof(steps[0]);

	if (faster) {
		for (size_t i = n; i-- > 0;)
			if (steps[i] < delay_ms)
				return steps[i];
		return steps[0];
	}
	for (size_t i = 0; i < n; i++)
		if (steps[i] > delay_ms)
			return steps[i];
	return steps[n - 1];
}


/* ---- screens ---- */

unsigned app_set_mode(struct app *a, enum app_mode m)
{
	const struct screen *sc = screen_of(m);

	a->mode = m;
	/* unknown until the screen is drawn: the view shows the end */
	a->scroll_max = (size_t)-1 / 2;
	if (sc->enter)
		sc->enter(a);
	return APP_REDRAW;
}

/* After a key: the screen shown may need fresh data (a file's metadata). */
static unsigned synced(struct app *a, unsigned fx)
{
	const struct screen *sc = screen_of(a->mode);

	if (sc->sync)
		sc->sync(a);
	return fx;
}

unsigned app_do(struct app *a, enum action act, int64_t now)
{
	return synced(a, screen_of(a->mode)->action(a, act, now));
}

/* ---- prompts ---- */

static void history_move(struct app *a, bool up)
{
	const char *t = up ? filter_hist_up(a->hist, a->edit.text) : filter_hist_down(a->hist);

	if (t)
		lineedit_set(&a->edit, t);
}

static unsigned search_update(struct app *a)
{
	bool narrow = a->table.search[0] && strstr(a->edit.text, a->table.search) &&
		      strlen(a->edit.text) > strlen(a->table.search);

	/* a longer text can only match fewer rows: look at the current ones */
	table_set_search(&a->table, a->edit.text);
	table_refilter(&a->table, narrow);
	return APP_REDRAW;
}

static unsigned prompt_key(struct app *a, int key, int64_t now)
{
	enum action act = keys_prompt_action(key);
	bool handled;

	if (act == ACT_HELP && a->prompt == PROMPT_FILTER) {
		/* F1 on the filter prompt: the language; Esc there comes back
		 * here, a->edit (the text typed so far) left as it is */
		a->prompt = PROMPT_NONE;
		a->filter_help_from_prompt = true;
		return app_set_mode(a, MODE_FILTER_HELP);
	}
	if (act != ACT_NONE) {
		/* a function key leaves the prompt (a search stays active) */
		a->prompt = PROMPT_NONE;
		return APP_REDRAW | app_do(a, act, now);
	}
	if (key == KC_ENTER && lineedit_over(&a->edit)) {
		/* never applied cut: the end of what was typed is missing */
		app_message(a, true, now,
			    _("too long: the text is limited to %d bytes, the rest was refused; "
			      "shorten it to apply it"),
			    LINEEDIT_TEXT_MAX);
		return APP_REDRAW;
	}
	if (key == KC_ENTER && a->prompt == PROMPT_EXPORT)
		return app_export_submit(a, now);
	if (key == KC_ENTER) {
		if (a->prompt == PROMPT_SEARCH) {
			a->prompt = PROMPT_NONE;
			if (a->table.search[0])
				app_message(a, false, now, P_("%zu socket matches \"%s\"",
							      "%zu sockets match \"%s\"", a->table.nrows),
					    a->table.nrows, a->table.search);
			return APP_REDRAW;
		} else {
			char err[256];

			/* kept even when wrong, so Up brings it back to fix */
			filter_hist_add(a->hist, a->edit.text);
			if (app_set_filter(a, a->edit.text, err, sizeof(err)) < 0) {
				app_message(a, true, now, "%s", err);
				/* the filter module escaped its token already */
				a->msg_escaped = true;
				if (a->filter_err_col <= a->edit.len)
					a->edit.cur = a->filter_err_col;
				return APP_REDRAW;
			}
			a->prompt = PROMPT_NONE;
			if (a->table.filter_text[0])
				app_message(a, false, now, _("filter: %s"), a->table.filter_text);
			else
				app_message(a, false, now, "%s", _("filter cleared"));
			return APP_REDRAW | APP_FILTER;
		}
	}
	if (key == KC_ESC) {
		if (a->prompt == PROMPT_SEARCH && a->table.search[0]) {
			table_set_search(&a->table, "");
			table_refilter(&a->table, false);
		}
		a->prompt = PROMPT_NONE;
		return APP_REDRAW;
	}
	if ((key == KC_UP || key == KC_DOWN) && a->prompt == PROMPT_EXPORT)
		return 0;
	if (key == KC_UP || key == KC_DOWN) {
		if (a->prompt == PROMPT_FILTER)
			history_move(a, key == KC_UP);
		else
			screen_table_action(a, key == KC_UP ? ACT_UP : ACT_DOWN, now);
		return APP_REDRAW;
	}
	if (key == KC_PGUP || key == KC_PGDN) {
		if (a->prompt == PROMPT_SEARCH)
			screen_table_action(a, key == KC_PGUP ? ACT_PGUP : ACT_PGDN, now);
		return APP_REDRAW;
	}
	if (lineedit_key(&a->edit, key, &handled)) {
		if (a->prompt == PROMPT_SEARCH)
			return search_update(a);
		return APP_REDRAW;
	}
	if (handled && lineedit_over(&a->edit))
		app_message(a, true, now, _("too long: the text is limited to %d bytes, the rest was refused"),
			    LINEEDIT_TEXT_MAX);
	return handled ? APP_REDRAW : 0;
}

/* "Endpoints are open: quit?" y or F10 confirms, anything else cancels. */
static unsigned quit_key(struct app *a, int key)
{
	a->prompt = PROMPT_NONE;
	if (key == 'y' || key == 'Y' || key == KC_F10)
		return APP_QUIT;
	return APP_REDRAW;
}

static unsigned app_key_(struct app *a, int key, int64_t now);

unsigned app_key(struct app *a, int key, int64_t now)
{
	unsigned r = app_key_(a, key, now);

	return r & APP_QUIT ? r : r | app_tour_check(a, now);
}

static unsigned app_key_(struct app *a, int key, int64_t now)
{
	unsigned had_msg = a->msg[0] ? APP_REDRAW : 0;
	const struct screen *sc;

	/* a message lasts until the next key */
	message_clear(a);
	if (a->prompt == PROMPT_QUIT)
		return had_msg | quit_key(a, key);
	if (a->prompt == PROMPT_DESTROY)
		return had_msg | app_destroy_key(a, key, now);
	if (a->prompt != PROMPT_NONE)
		return had_msg | synced(a, prompt_key(a, key, now));
	sc = screen_of(a->mode);
	if (sc->key)
		return had_msg | synced(a, sc->key(a, key, now));
	return had_msg | app_do(a, keys_action(key), now);
}
