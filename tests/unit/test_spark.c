/* test_spark.c - the sparkline renderer: levels, widths, ASCII fallback. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "spark.h"

static void test_levels(void **state)
{
	(void)state;
	assert_int_equal(spark_level(0, 0, 10), 0);
	assert_int_equal(spark_level(10, 0, 10), SPARK_LEVELS - 1);
	assert_int_equal(spark_level(99, 0, 10), SPARK_LEVELS - 1);
	assert_int_equal(spark_level(-5, 0, 10), 0);
	/* a trickle is one step up, never invisible */
	assert_int_equal(spark_level(0.001, 0, 10), 1);
	/* a flat series, and NaN, are the bottom */
	assert_int_equal(spark_level(5, 5, 5), 0);
	assert_int_equal(spark_level(NAN, 0, 10), 0);
	for (int i = 0; i <= 100; i++)
		assert_true(spark_level(i, 0, 100) < SPARK_LEVELS);
}

static void test_ascii(void **state)
{
	double v[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(spark_render(&b, v, 8, 8, 0, 7, false), 8);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "_.-:=+*#", 8);
	/* fewer values than columns: padded on the left */
	buf_reset(&b);
	assert_int_equal(spark_render(&b, v, 3, 6, 0, 7, false), 6);
	assert_memory_equal(b.data, "   _.-", 6);
	/* more values than columns: the newest */
	buf_reset(&b);
	spark_render(&b, v, 8, 2, 0, 7, false);
	assert_int_equal(b.len, 2);
	assert_memory_equal(b.data, "*#", 2);
	/* nothing at all: blanks of the width */
	buf_reset(&b);
	spark_render(&b, v, 0, 4, 0, 7, false);
	assert_memory_equal(b.data, "    ", 4);
	buf_free(&b);
}

static void test_utf8(void **state)
{
	double v[40];
	struct buf b = BUF_INIT;

	(void)state;
	for (int i = 0; i < 40; i++)
		v[i] = i % 9;
	for (size_t w = 0; w <= 40; w += 5) {
		buf_reset(&b);
		assert_int_equal(spark_render(&b, v, 40, w, 0, 8, true), w);
		/* one column per block: three bytes each */
		assert_int_equal(b.len, 3 * w);
	}
	buf_reset(&b);
	spark_render(&b, v, 2, 2, 0, 1, true);
	assert_memory_equal(b.data, "\xe2\x96\x81\xe2\x96\x88", 6);
	buf_free(&b);
}

static void test_range(void **state)
{
	double v[] = { NAN, 3, -1, 7, NAN };
	double lo, hi;

	(void)state;
	spark_range(v + 1, 3, &lo, &hi);
	assert_true(lo == -1 && hi == 7);
	spark_range(v, 0, &lo, &hi);
	assert_true(lo == 0 && hi == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
