/* test_transcript.c - the bounded event log and its two display forms. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "clock.h"
#include "transcript.h"

static void test_add_and_get(void **state)
{
	struct transcript *t = transcript_new(10, 1000);
	const struct tr_entry *e;
	int64_t now = 12345;

	(void)state;
	clock_set_fake(&now);
	assert_int_equal(transcript_count(t), 0);
	assert_int_equal(transcript_first_seq(t), 1);
	assert_null(transcript_get(t, 0));

	e = transcript_add(t, TR_RECV, "peer", 4, "a\0b", 3);
	assert_int_equal(e->seq, 1);
	assert_int_equal(e->mono_ms, 12345);
	assert_true(e->wall_ms > 0);
	assert_int_equal(e->kind, TR_RECV);
	assert_string_equal(e->peer, "peer");
	assert_int_equal(e->len, 3);
	assert_int_equal(e->orig_len, 3);
	assert_memory_equal(e->data, "a\0b", 3);

	now = 20000;
	e = transcript_addf(t, TR_INFO, NULL, 0, "%d clients", 3);
	assert_int_equal(e->seq, 2);
	assert_int_equal(e->mono_ms, 20000);
	assert_string_equal((const char *)e->data, "3 clients");
	assert_int_equal(e->peer_len, 0);
	assert_string_equal(e->peer, "");

	assert_int_equal(transcript_count(t), 2);
	assert_int_equal(transcript_get(t, 0)->seq, 1);
	assert_int_equal(transcript_get(t, 1)->seq, 2);
	assert_int_equal(transcript_bytes(t), 4 + 3 + 9);
	clock_set_fake(NULL);
	transcript_free(t);
	transcript_free(NULL);
}

static void test_entry_bound(void **state)
{
	struct transcript *t = transcript_new(5, 0);
	char msg[16];
	int i;

	(void)state;
	for (i = 0; i < 12; i++) {
		snprintf(msg, sizeof(msg), "m%d", i);
		transcript_add(t, TR_SEND, "x", 1, msg, strlen(msg));
		assert_true(transcript_count(t) <= 5);
	}
	assert_int_equal(transcript_count(t), 5);
	assert_int_equal(transcript_evicted(t), 7);
	assert_int_equal(transcript_first_seq(t), 8);
	/* The newest five remain, in order. */
	for (i = 0; i < 5; i++) {
		snprintf(msg, sizeof(msg), "m%d", 7 + i);
		assert_string_equal((const char *)transcript_get(t, (size_t)i)->data, msg);
		assert_int_equal(transcript_get(t, (size_t)i)->seq, 8 + i);
	}
	transcript_clear(t);
	assert_int_equal(transcript_count(t), 0);
	assert_int_equal(transcript_bytes(t), 0);
	assert_int_equal(transcript_first_seq(t), 13);
	transcript_free(t);
}

static void test_byte_bound(void **state)
{
	struct transcript *t = transcript_new(1000, 100);
	char big[1000];
	const struct tr_entry *e;
	int i;

	(void)state;
	memset(big, 'z', sizeof(big));
	for (i = 0; i < 50; i++) {
		transcript_add(t, TR_RECV, "ab", 2, big, 30);
		assert_true(transcript_bytes(t) <= 100);
	}
	/* 32 bytes each: three fit in 100. */
	assert_int_equal(transcript_count(t), 3);
	/* One entry larger than the whole bound is cut to fit, alone. */
	e = transcript_add(t, TR_RECV, "ab", 2, big, sizeof(big));
	assert_int_equal(transcript_count(t), 1);
	assert_int_equal(e->len, 98);
	assert_int_equal(e->orig_len, 1000);
	assert_int_equal(transcript_bytes(t), 100);
	transcript_free(t);
}

static void test_ring_growth_keeps_order(void **state)
{
	struct transcript *t = transcript_new(300, 1 << 20);
	char msg[16];
	int i;

	(void)state;
	/* Past the initial ring size and past the bound, wrapping around. */
	for (i = 0; i < 1000; i++) {
		snprintf(msg, sizeof(msg), "%d", i);
		transcript_add(t, TR_INFO, NULL, 0, msg, strlen(msg));
	}
	assert_int_equal(transcript_count(t), 300);
	for (i = 0; i < 300; i++) {
		snprintf(msg, sizeof(msg), "%d", 700 + i);
		assert_string_equal((const char *)transcript_get(t, (size_t)i)->data, msg);
	}
	transcript_free(t);
}

static void test_format_text(void **state)
{
	struct transcript *t = transcript_new(0, 0);
	const struct tr_entry *e;
	struct buf b = BUF_INIT;
	size_t w;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	e = transcript_add(t, TR_RECV, "@x\033", 3, "hi\n\033[2J\xff", 8);
	w = transcript_format_text(e, ESC_ASCII, &b);
	/* "HH:MM:SS.mmm < @x\x1b  hi\n\x1b[2J\xff" */
	assert_int_equal(b.data[2], ':');
	assert_int_equal(b.data[8], '.');
	assert_string_equal(b.data + 12, " < @x\\x1b  hi\\n\\x1b[2J\\xff");
	assert_int_equal(w, b.len);
	assert_null(memchr(b.data, '\033', b.len));
	assert_null(memchr(b.data, '\n', b.len));
	buf_free(&b);

	/* A fixed wall time formats as that time of day (UTC here). */
	{
		struct tr_entry copy = *e;

		copy.wall_ms = (int64_t)(3600 * 13 + 60 * 5 + 7) * 1000 + 89;
		transcript_format_time(&copy, &b);
		assert_string_equal(b.data, "13:05:07.089");
		buf_free(&b);
	}
	assert_string_equal(transcript_kind_symbol(TR_SEND), ">");
	assert_string_equal(transcript_kind_name(TR_ERROR), "error");
	transcript_free(t);
}

static void test_format_cut_note(void **state)
{
	struct transcript *t = transcript_new(0, 10);
	const struct tr_entry *e;
	struct buf b = BUF_INIT;

	(void)state;
	e = transcript_add(t, TR_RECV, NULL, 0, "0123456789abcdef", 16);
	transcript_format_text(e, ESC_UTF8, &b);
	assert_non_null(strstr(b.data, "0123456789 [6 more bytes not kept]"));
	buf_free(&b);
	transcript_free(t);
}

/* The per-entry cap keeps the head of a bulky event and says how much it
 * had; the byte bound still applies on top of it. */
static void test_entry_max(void **state)
{
	struct transcript *t = transcript_new(0, 100);
	const struct tr_entry *e;
	struct buf b = BUF_INIT;
	char big[300];

	(void)state;
	memset(big, 'x', sizeof(big));
	memcpy(big, "head", 4);
	transcript_set_entry_max(t, 8);
	e = transcript_add(t, TR_RECV, "p", 1, big, sizeof(big));
	assert_int_equal(e->len, 8);
	assert_int_equal(e->orig_len, 300);
	assert_memory_equal(e->data, "headxxxx", 8);
	assert_int_equal(e->data[8], '\0');
	assert_int_equal(transcript_bytes(t), 9);
	transcript_format_text(e, ESC_UTF8, &b);
	assert_non_null(strstr(b.data, "headxxxx [292 more bytes not kept]"));
	/* short entries are untouched */
	e = transcript_add(t, TR_SEND, NULL, 0, "abc", 3);
	assert_int_equal(e->len, 3);
	assert_int_equal(e->orig_len, 3);
	/* the byte bound is the tighter one: it cuts */
	transcript_set_entry_max(t, 1000);
	e = transcript_add(t, TR_RECV, "p", 1, big, sizeof(big));
	assert_int_equal(e->len, 99);
	/* 0: no cap of its own */
	transcript_free(t);
	t = transcript_new(0, 1000);
	transcript_set_entry_max(t, 0);
	e = transcript_add(t, TR_RECV, NULL, 0, big, sizeof(big));
	assert_int_equal(e->len, 300);
	buf_free(&b);
	transcript_free(t);
}

static void test_format_hex(void **state)
{
	struct transcript *t = transcript_new(0, 0);
	const struct tr_entry *e;
	struct buf b = BUF_INIT;
	unsigned char data[20];
	char *line2, *line3;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(0x41 + i);
	data[1] = 0x1b;
	data[2] = 0x00;
	data[3] = 0xff;
	e = transcript_add(t, TR_SEND, "p", 1, data, sizeof(data));
	transcript_format_hex(e, ESC_ASCII, &b);
	assert_non_null(strstr(b.data, " > p  (20 bytes)\n"));
	line2 = strchr(b.data, '\n') + 1;
	{
		static const char want[] =
			"0000  41 1b 00 ff 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |A...EFGHIJKLMNOP|\n";

		assert_memory_equal(line2, want, sizeof(want) - 1);
	}
	line3 = strchr(line2, '\n') + 1;
	assert_memory_equal(line3, "0010  51 52 53 54 ", 18);
	assert_non_null(strstr(line3, "|QRST|\n"));
	assert_null(memchr(b.data, '\033', b.len));
	assert_null(memchr(b.data, '\0', b.len));
	buf_free(&b);
	transcript_free(t);
}

/* Text lines: an HTTP reply reads as written, control bytes stay escaped,
 * hostile input (a lone CR, ESC, NUL, a huge line) stays on safe lines. */
static void test_format_lines(void **state)
{
	static const char reply[] = "HTTP/1.0 200 OK\r\nX-Evil: \x1b[2J\0bell\a\r\n\r\nbody\rx\n";
	struct transcript *t = transcript_new(0, 0);
	const struct tr_entry *e;
	struct buf out = BUF_INIT;
	char *big;
	const char *s;

	(void)state;
	e = transcript_add(t, TR_RECV, "srv", 3, reply, sizeof(reply) - 1);
	transcript_format_lines(e, ESC_UTF8, &out);
	buf_putc(&out, '\0');
	s = out.data;
	assert_non_null(strstr(s, "  HTTP/1.0 200 OK\n    X-Evil: \\x1b[2J\\x00bell\\x07\n    \n"
				"    body\\rx"));
	/* no raw control byte but the line breaks */
	for (const char *c = s; *c; c++)
		assert_true((unsigned char)*c >= 0x20 || *c == '\n');
	/* the final line break makes no empty line */
	assert_int_not_equal(s[strlen(s) - 1], '\n');
	/* a huge line without a break is one line (the pane wraps it) */
	big = malloc(100000);
	assert_non_null(big);
	memset(big, 'a', 100000);
	big[50000] = '\x1b';
	buf_reset(&out);
	e = transcript_add(t, TR_RECV, NULL, 0, big, 100000);
	transcript_format_lines(e, ESC_UTF8, &out);
	assert_null(memchr(out.data, '\n', out.len));
	assert_null(memchr(out.data, 0x1b, out.len));
	free(big);
	buf_free(&out);
	transcript_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_get),
		cmocka_unit_test(test_entry_bound),
		cmocka_unit_test(test_byte_bound),
		cmocka_unit_test(test_ring_growth_keeps_order),
		cmocka_unit_test(test_format_text),
		cmocka_unit_test(test_format_cut_note),
		cmocka_unit_test(test_entry_max),
		cmocka_unit_test(test_format_hex),
		cmocka_unit_test(test_format_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
