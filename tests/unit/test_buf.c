/* test_buf.c - the byte buffer and its limit. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "xalloc.h"

static void test_append_and_consume(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(buf_puts(&b, "hello"), 0);
	assert_int_equal(buf_append(&b, "\0x", 2), 0);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "hello\0x", 7);
	buf_consume(&b, 3);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "lo\0x", 4);
	buf_consume(&b, 100);
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "x"), 0);
	assert_string_equal(b.data, "42-x");
	buf_free(&b);
	assert_null(b.data);
}

static void test_limit(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345"), 0);
	assert_int_equal(buf_room(&b), 3);
	assert_int_equal(buf_puts(&b, "6789"), -1);
	assert_int_equal(b.len, 5); /* nothing appended on refusal */
	assert_int_equal(buf_printf(&b, "%s", "abcd"), -1);
	assert_int_equal(buf_puts(&b, "678"), 0);
	assert_int_equal(buf_room(&b), 0);
	assert_int_equal(buf_putc(&b, 'x'), -1);
	buf_free(&b);
}

static void test_growth(void **state)
{
	struct buf b = BUF_INIT;
	char *s;

	(void)state;
	for (int i = 0; i < 100000; i++)
		assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 100000);
	assert_true(b.cap >= 100001);
	s = buf_steal(&b);
	assert_int_equal(strlen(s), 100000);
	assert_null(b.data);
	free(s);
}

/* xgrow keeps the contents across growths, also past XALLOC_HUGE_MIN where
 * it moves the array to memory aligned for 2 MiB pages. */
static void test_xgrow_large(void **state)
{
	uint32_t *a = NULL;
	size_t cap = 0;

	(void)state;
	for (uint32_t i = 0; i < 3u << 20; i++) {
		size_t before = cap;

		xgrow((void **)&a, &cap, (size_t)i + 1, sizeof(*a));
		assert_true(cap > i);
		if (cap != before) {
			/* what was there is still there */
			for (uint32_t j = 0; j < i; j += 4099)
				assert_int_equal(a[j], j * 7u);
			if (cap * sizeof(*a) >= XALLOC_HUGE_MIN)
				assert_int_equal((uintptr_t)a % ((uintptr_t)2 << 20), 0);
		}
		a[i] = i * 7u;
	}
	for (uint32_t j = 0; j < 3u << 20; j++)
		if (a[j] != j * 7u)
			fail_msg("element %u lost", j);
	free(a);
	/* the hint accepts anything */
	xadvise_huge(NULL, 0);
	xadvise_huge(&cap, sizeof(cap));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_consume),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_xgrow_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
