/* test_tour.c - the guided tour's steps (tour.c): each is done only when
 * the live state shows it (the snapshot's rows that are sockview's, the
 * table's toggles), the tour moves past every step done, stops at the
 * first one not done, Esc leaves it and T resumes it where it was. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "app.h"
#include "keys.h"
#include "procmap.h"
#include "tour.h"
#include "uitest.h"

#define NOW 1000000

static struct app *new_app(void)
{
	struct options o;

	ut_options(&o);
	return app_new(&o, ESC_UTF8);
}

/* A snapshot of the machine's sockets; own: inodes marked as sockview's. */
static void commit(struct app *a, const struct procmap *pm, const uint32_t *own, size_t nown,
		   void (*fill)(struct snapshot *s), int64_t when)
{
	struct snapshot *s = app_spare_snapshot(a);

	ownset_clear(&a->table.own);
	for (size_t i = 0; i < nown; i++)
		ownset_add(&a->table.own, own[i], 1);
	ownset_finish(&a->table.own);
	table_own_changed(&a->table);
	fill(s);
	ut_finish(s, when);
	app_commit_snapshot(a, pm, when);
}

static void fill_others(struct snapshot *s)
{
	/* the machine's own sockets: never the tour's */
	ut_inet(s, SP_TCP, SS_LISTEN, "0.0.0.0", 22, "0.0.0.0", 0, 1, 101);
	ut_unix(s, SOCK_STREAM, SS_LISTEN, "/run/x", 6, 102, 0);
	ut_inet(s, SP_UDP, SS_CLOSE, "0.0.0.0", 53, "0.0.0.0", 0, 3, 103);
}

static void fill_ours(struct snapshot *s)
{
	fill_others(s);
	ut_inet(s, SP_TCP, SS_LISTEN, "127.0.0.1", 5000, "0.0.0.0", 0, 10, 200);
	ut_unix(s, SOCK_STREAM, SS_LISTEN, "/tmp/sv/echo", 12, 201, 0);
	ut_inet(s, SP_UDP, SS_CLOSE, "127.0.0.1", 5001, "0.0.0.0", 0, 12, 202);
}

static void test_texts(void **state)
{
	struct tour_step st;

	(void)state;
	assert_true(tour_count() >= 7);
	for (size_t i = 0; i < tour_count(); i++) {
		tour_step(i, &st);
		assert_non_null(st.title);
		assert_true(strlen(st.text) > 20);
		assert_true(strlen(st.todo) > 5);
		assert_true(strlen(st.confirm) > 5);
	}
	tour_step(tour_count(), &st);
	assert_null(st.title);
	assert_false(tour_step_done(NULL, tour_count()));
}

/* Sockets of the machine do not count: only the ones sockview made. */
static void test_not_assumed(void **state)
{
	struct app *a = new_app();
	struct procmap *pm = procmap_new();

	(void)state;
	assert_false(tour_step_done(a, 0)); /* no snapshot yet */
	commit(a, pm, NULL, 0, fill_others, NOW);
	for (size_t i = 0; i < tour_count(); i++)
		assert_false(tour_step_done(a, i));
	/* the same sockets, now ours: the steps that ask for them are done */
	commit(a, pm, (uint32_t[]){ 101, 102, 103 }, 3, fill_others, NOW + 1000);
	assert_true(tour_step_done(a, 0)); /* a TCP LISTEN of ours */
	assert_false(tour_step_done(a, 1)); /* no client got its echo: no endpoint */
	assert_true(tour_step_done(a, 2)); /* a Unix stream LISTEN */
	assert_true(tour_step_done(a, 3)); /* a UDP socket */
	procmap_free(pm);
	app_free(a);
}

/* T opens the page, Enter goes to the table, the step moves on when the
 * table shows it, Esc leaves, T resumes. */
static void test_flow(void **state)
{
	struct app *a = new_app();
	struct procmap *pm = procmap_new();

	(void)state;
	commit(a, pm, NULL, 0, fill_others, NOW);
	app_key(a, 'T', NOW);
	assert_int_equal(a->mode, MODE_TOUR);
	assert_true(a->tour.active);
	assert_int_equal(a->tour.step, 0);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	assert_true(a->tour.active);
	/* the echo server appears: step 1 is confirmed, step 2 waits */
	commit(a, pm, (uint32_t[]){ 200 }, 1, fill_ours, NOW + 1000);
	assert_int_equal(a->tour.step, 1);
	assert_non_null(strstr(a->msg, "step 1 done"));
	/* Esc leaves the tour; nothing moves while it is left */
	app_key(a, KC_ESC, NOW + 1100);
	assert_false(a->tour.active);
	assert_int_equal(a->mode, MODE_TABLE);
	assert_non_null(strstr(a->msg, "T resumes"));
	commit(a, pm, (uint32_t[]){ 200, 201, 202 }, 3, fill_ours, NOW + 2000);
	assert_int_equal(a->tour.step, 1);
	/* T resumes at step 2 (not done: no echo came back) */
	app_key(a, 'T', NOW + 2100);
	assert_true(a->tour.active);
	assert_int_equal(a->tour.step, 1);
	/* the page's Esc leaves too */
	app_key(a, KC_ESC, NOW + 2200);
	assert_false(a->tour.active);
	assert_int_equal(a->mode, MODE_TABLE);
	procmap_free(pm);
	app_free(a);
}

/* The "finding sockets" step: the listening-only toggle, as ss -l. */
static void test_listening_step(void **state)
{
	struct app *a = new_app();
	size_t i;
	struct tour_step st;

	(void)state;
	for (i = 0; i < tour_count(); i++) {
		tour_step(i, &st);
		if (strstr(st.todo, "Press l"))
			break;
	}
	assert_true(i < tour_count());
	assert_false(tour_step_done(a, i));
	app_key(a, 'l', NOW);
	assert_true(tour_step_done(a, i));
	app_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_not_assumed),
		cmocka_unit_test(test_flow),
		cmocka_unit_test(test_listening_step),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
