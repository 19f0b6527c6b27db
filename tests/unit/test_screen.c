/* test_screen.c - the table of screens: every mode has one, each builds
 * from a const app, and drawing never changes the app. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app.h"
#include "procmap.h"
#include "screen.h"
#include "uitest.h"
#include "view.h"

#define NOW 500000

struct fx {
	struct app *a;
	struct view v;
	struct buf line;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct options o;
	struct snapshot *s;

	ut_options(&o);
	f->a = app_new(&o, ESC_UTF8);
	s = app_spare_snapshot(f->a);
	for (unsigned i = 0; i < 60; i++)
		ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 1000 + i, "127.0.0.1", 40000, i + 1,
			100 + i);
	ut_unix(s, SOCK_STREAM, SS_LISTEN, "/nonexistent/sv-test.sock", 25, 500, 0);
	ut_finish(s, NOW);
	app_commit_snapshot(f->a, NULL, NOW);
	view_init(&f->v);
	buf_init(&f->line, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	view_free(&f->v);
	buf_free(&f->line);
	app_free(f->a);
	free(f);
	return 0;
}

/* Every mode has a complete screen; an unknown mode falls back to the
 * table. */
static void test_every_mode_has_a_screen(void **state)
{
	(void)state;
	for (int m = 0; m < MODE_MAX_; m++) {
		const struct screen *sc = screen_of((enum app_mode)m);

		assert_non_null(sc);
		assert_non_null(sc->name);
		assert_non_null(sc->action);
		assert_non_null(sc->build);
		assert_non_null(sc->hints);
		for (int k = 0; k < m; k++)
			assert_ptr_not_equal(sc, screen_of((enum app_mode)k));
	}
	assert_ptr_equal(screen_of(MODE_TABLE), &screen_table);
	assert_ptr_equal(screen_of(MODE_MAX_), &screen_table);
	assert_ptr_equal(screen_of((enum app_mode)-1), &screen_table);
	assert_true(screen_of(MODE_TABLE)->with_table);
	assert_false(screen_of(MODE_HELP)->with_table);
	assert_true(screen_of(MODE_DETAILS)->wants_tcp_info);
	assert_false(screen_of(MODE_TABLE)->wants_tcp_info);
}

/* Whatever the screen, building the view leaves every byte of the app as
 * it was: the layout is applied by app_set_geometry, before. */
static void test_build_does_not_change_the_app(void **state)
{
	struct fx *f = *state;
	struct app *copy = malloc(sizeof(*copy));

	for (int m = 0; m < MODE_MAX_; m++) {
		app_set_mode(f->a, (enum app_mode)m);
		f->a->scroll = 1000; /* past the end of any text screen */
		app_draw(f->a, &f->v, 100, 30, NOW);
		memcpy(copy, f->a, sizeof(*copy));
		view_build(&f->v, f->a, 100, 30, NOW);
		assert_memory_equal(copy, f->a, sizeof(*copy));
		/* the title of the screen, or the column titles */
		view_line_text(&f->v, 3, &f->line);
		assert_true(f->line.len > 0);
		assert_non_null(strchr(f->line.data, m == MODE_TABLE ? 'P' : ' '));
	}
	free(copy);
}

/* The geometry comes first: a smaller window moves the table's page and
 * the selection into view before the rows are drawn. */
static void test_geometry_then_build(void **state)
{
	struct fx *f = *state;
	struct app_geom g;

	app_set_mode(f->a, MODE_TABLE);
	view_geometry(f->a, 100, 40, NOW, &g);
	/* header 3, titles 1, the selected row in words 1, footer 1 */
	assert_int_equal(g.page, 40 - 3 - 1 - 1 - 1);
	app_set_geometry(f->a, &g);
	for (int i = 0; i < 50; i++)
		app_do(f->a, ACT_DOWN, NOW);
	assert_int_equal(f->a->table.sel, 50);
	view_geometry(f->a, 100, 12, NOW, &g);
	assert_int_equal(g.page, 12 - 2 - 1 - 1);
	app_set_geometry(f->a, &g);
	assert_true(f->a->table.top <= 50 && 50 < f->a->table.top + g.page);
	view_build(&f->v, f->a, 100, 12, NOW);
	assert_int_equal(f->v.first_row, f->a->table.top);
	/* too small: the page is left alone */
	view_geometry(f->a, 10, 3, NOW, &g);
	assert_int_equal(g.page, 0);
}

/* A text screen scrolled past its end shows the last page; the app learns
 * the last position from the build, so Up moves at once. */
static void test_text_scroll_clamped_by_the_build(void **state)
{
	struct fx *f = *state;
	size_t max;

	app_set_mode(f->a, MODE_HELP);
	app_do(f->a, ACT_END, NOW);
	app_draw(f->a, &f->v, 100, 20, NOW);
	max = f->a->scroll_max;
	assert_true(max > 0 && max < 1000);
	assert_int_equal(f->a->scroll, max);
	app_do(f->a, ACT_UP, NOW);
	assert_int_equal(f->a->scroll, max - 1);
	app_do(f->a, ACT_DOWN, NOW);
	app_do(f->a, ACT_DOWN, NOW);
	assert_int_equal(f->a->scroll, max);
}

/* The details of a Unix socket whose file does not exist: looked up when
 * the details open (not while drawing), and said in words. */
static void test_details_file_is_synced(void **state)
{
	struct fx *f = *state;
	bool found = false;

	app_set_mode(f->a, MODE_TABLE);
	app_do(f->a, ACT_END, NOW); /* the Unix socket sorts last */
	app_do(f->a, ACT_DETAILS, NOW);
	assert_int_equal(f->a->mode, MODE_DETAILS);
	assert_true(f->a->sockfile.valid);
	assert_false(f->a->sockfile.found);
	app_draw(f->a, &f->v, 120, 40, NOW);
	for (int y = 0; y < 40; y++) {
		view_line_text(&f->v, y, &f->line);
		if (strstr(f->line.data, "Socket file") && strstr(f->line.data, "not found"))
			found = true;
	}
	assert_true(found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_mode_has_a_screen),
		cmocka_unit_test_setup_teardown(test_build_does_not_change_the_app, setup, teardown),
		cmocka_unit_test_setup_teardown(test_geometry_then_build, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_scroll_clamped_by_the_build, setup, teardown),
		cmocka_unit_test_setup_teardown(test_details_file_is_synced, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
