/* test_pace.c - the adaptive refresh interval: growth past 20%, the
 * hysteresis on the way back, the user's floor, the cap. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pace.h"

static void test_cheap_stays(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 1000);
	assert_int_equal(pace_interval(&p), 1000);
	assert_false(pace_grown(&p));
	/* up to 20% is fine: 200 ms of 1 s */
	for (int i = 0; i < 10; i++)
		assert_int_equal(pace_refresh(&p, 200), 1000);
	assert_int_equal(pace_refresh(&p, 0), 1000);
	assert_int_equal(pace_refresh(&p, -5), 1000);
	assert_false(pace_grown(&p));
}

static void test_grows_at_once(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 1000);
	/* 201 ms is over 20%: five times the cost, rounded up to 100 ms */
	assert_int_equal(pace_refresh(&p, 201), 1100);
	assert_true(pace_grown(&p));
	pace_init(&p, 1000);
	/* the 10^6 case: 0.9 s per refresh -> 4.5 s */
	assert_int_equal(pace_refresh(&p, 900), 4500);
	assert_int_equal(p.cost_ms, 900);
	/* whole seconds past 10 s */
	assert_int_equal(pace_refresh(&p, 2345), 12000);
	/* a cheaper (but not cheap) refresh leaves it where it is */
	assert_int_equal(pace_refresh(&p, 2000), 12000);
}

static void test_cap(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 1000);
	assert_int_equal(pace_refresh(&p, 30000), PACE_MAX_MS);
	assert_int_equal(pace_refresh(&p, 24LL * 3600 * 1000 * 10), PACE_MAX_MS);
	/* a user interval past the cap is kept, never shortened */
	pace_init(&p, 3600000);
	assert_int_equal(pace_refresh(&p, 30000), 3600000);
	assert_false(pace_grown(&p));
}

static void test_shrinks_with_hysteresis(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 1000);
	assert_int_equal(pace_refresh(&p, 1600), 8000);
	/* 15% of 8 s: between the bands, nothing moves */
	for (int i = 0; i < 10; i++)
		assert_int_equal(pace_refresh(&p, 1200), 8000);
	/* under 10%, but not PACE_CHEAP_RUNS times in a row */
	for (int i = 0; i < PACE_CHEAP_RUNS - 1; i++)
		assert_int_equal(pace_refresh(&p, 100), 8000);
	assert_int_equal(pace_refresh(&p, 1200), 8000); /* the run is broken */
	for (int i = 0; i < PACE_CHEAP_RUNS - 1; i++)
		assert_int_equal(pace_refresh(&p, 100), 8000);
	/* the third cheap one in a row: halves, no more */
	assert_int_equal(pace_refresh(&p, 100), 4000);
	for (int i = 0; i < PACE_CHEAP_RUNS; i++)
		pace_refresh(&p, 100);
	assert_int_equal(pace_interval(&p), 2000);
	for (int i = 0; i < PACE_CHEAP_RUNS; i++)
		pace_refresh(&p, 100);
	assert_int_equal(pace_interval(&p), 1000);
	/* never below the floor */
	for (int i = 0; i < 4 * PACE_CHEAP_RUNS; i++)
		pace_refresh(&p, 1);
	assert_int_equal(pace_interval(&p), 1000);
	assert_false(pace_grown(&p));
}

/* Costs that sit right at the threshold do not make it swing. */
static void test_no_oscillation(void **state)
{
	struct pace p;
	int changes = 0, last;

	(void)state;
	pace_init(&p, 100);
	last = pace_refresh(&p, 300); /* -> 1.5 s */
	assert_int_equal(last, 1500);
	for (int i = 0; i < 100; i++) {
		int cost = i % 2 ? 280 : 320; /* around 20% of 1.5 s */
		int now = pace_refresh(&p, cost);

		changes += now != last;
		last = now;
	}
	assert_true(changes <= 1);
	/* after a shrink the same cost never grows it back at once */
	pace_init(&p, 100);
	pace_refresh(&p, 2000); /* 10 s */
	for (int i = 0; i < PACE_CHEAP_RUNS; i++)
		pace_refresh(&p, 900); /* 9% */
	assert_int_equal(pace_interval(&p), 5000);
	assert_int_equal(pace_refresh(&p, 900), 5000); /* 18%: stays */
}

static void test_user_floor(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 1000);
	pace_refresh(&p, 900); /* 4.5 s */
	/* a faster choice keeps what the cost needs */
	pace_set_user(&p, 100);
	assert_int_equal(pace_interval(&p), 4500);
	assert_true(pace_grown(&p));
	/* a slower one than the cost needs is taken as it is */
	pace_set_user(&p, 10000);
	assert_int_equal(pace_interval(&p), 10000);
	assert_false(pace_grown(&p));
	/* the same value again changes nothing */
	pace_refresh(&p, 2400); /* 12 s */
	pace_set_user(&p, 10000);
	assert_int_equal(pace_interval(&p), 12000);
	/* nonsense is ignored */
	pace_set_user(&p, 0);
	pace_set_user(&p, -3);
	assert_int_equal(p.user_ms, 10000);
	pace_init(&p, 0);
	assert_true(pace_interval(&p) > 0);
}

static void test_watchdog(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 1000);
	assert_int_equal(pace_watchdog_ms(&p, 15000), 15000);
	pace_refresh(&p, 11000);
	assert_int_equal(pace_watchdog_ms(&p, 15000), 44000);
	/* abandoned refreshes in a row: double, up to 16 times */
	pace_init(&p, 1000);
	pace_timed_out(&p);
	assert_int_equal(pace_watchdog_ms(&p, 15000), 30000);
	for (int i = 0; i < 10; i++)
		pace_timed_out(&p);
	assert_int_equal(pace_watchdog_ms(&p, 15000), 15000 * 16);
	/* one that finishes starts again from its cost */
	pace_refresh(&p, 100);
	assert_int_equal(pace_watchdog_ms(&p, 15000), 15000);
	/* no overflow */
	pace_refresh(&p, 24LL * 3600 * 1000);
	for (int i = 0; i < 10; i++)
		pace_timed_out(&p);
	assert_true(pace_watchdog_ms(&p, 15000) > 0);
}

static void test_format(void **state)
{
	char s[32];

	(void)state;
	pace_format_ms(s, sizeof(s), 900);
	assert_string_equal(s, "900 ms");
	pace_format_ms(s, sizeof(s), 4500);
	assert_string_equal(s, "4.5 s");
	pace_format_ms(s, sizeof(s), 11108);
	assert_string_equal(s, "11.1 s");
	pace_format_ms(s, sizeof(s), 59990);
	assert_string_equal(s, "60 s");
	pace_format_ms(s, sizeof(s), 120000);
	assert_string_equal(s, "2 min");
	pace_format_ms(s, sizeof(s), 7200000);
	assert_string_equal(s, "2 h");
	pace_format_ms(s, 4, 123456); /* cut, still terminated */
	assert_int_equal(strlen(s), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cheap_stays),
		cmocka_unit_test(test_grows_at_once),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_shrinks_with_hysteresis),
		cmocka_unit_test(test_no_oscillation),
		cmocka_unit_test(test_user_floor),
		cmocka_unit_test(test_watchdog),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
