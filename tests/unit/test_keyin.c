/* test_keyin.c - terminal bytes to key events: any UTF-8 text arrives as
 * its code points (never as a special key), escape sequences as keys, mouse
 * reports as clicks; characters and sequences cut between reads wait for
 * the rest; typed into a line editor, the text is byte-exact. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "keyin.h"
#include "keys.h"
#include "lineedit.h"
#include "utf8.h"

#define NOW 1000

/* The text of issue 12: Latin-1/Latin-A letters (U+0107 was Backspace,
 * U+0161 Shift-Tab, U+0112 F10), Cyrillic, CJK, an emoji, a combining
 * sequence (e + U+0301), the euro sign and a check mark. */
static const char TEXT[] = "ć š Ē ň жук 漢字 😀 e\xcc\x81 € ✓";
static const int TEXT_CPS[] = {
	0x107, ' ', 0x161, ' ', 0x112, ' ', 0x148, ' ', 0x436, 0x443, 0x43a, ' ',
	0x6f22, 0x5b57, ' ', 0x1f600, ' ', 'e', 0x301, ' ', 0x20ac, ' ', 0x2713,
};
#define NCPS (sizeof(TEXT_CPS) / sizeof(TEXT_CPS[0]))

/* Feeds s (n bytes) in pieces of step bytes and collects the keys of the
 * events (at most max) into out; returns their number. */
static size_t keys_of(struct keyin *k, const char *s, size_t n, size_t step, int *out, size_t max)
{
	struct key_event ev;
	size_t got = 0;

	for (size_t i = 0; i < n; i += step) {
		keyin_feed(k, s + i, n - i < step ? n - i : step);
		while (got < max && keyin_next(k, &ev, NOW))
			out[got++] = ev.key;
	}
	return got;
}

/* The single key that s decodes to (fed whole, flushed). */
static int one_key(const char *s, size_t n)
{
	struct keyin *k = keyin_new(true);
	struct key_event ev;
	int key;

	keyin_feed(k, s, n);
	if (!keyin_next(k, &ev, NOW)) {
		keyin_flush(k);
		assert_true(keyin_next(k, &ev, NOW));
	}
	key = ev.key;
	assert_false(keyin_next(k, &ev, NOW));
	assert_int_equal(keyin_pending(k), 0);
	keyin_free(k);
	return key;
}
#define KEY(lit) one_key(lit, sizeof(lit) - 1)
#define FEED(k, lit) keyin_feed(k, lit, sizeof(lit) - 1)

static void test_text_is_text(void **state)
{
	int out[64];
	size_t n;

	(void)state;
	/* whole, and byte by byte (each character cut between reads) */
	for (size_t step = 1; step <= sizeof(TEXT); step += sizeof(TEXT) - 2) {
		struct keyin *k = keyin_new(true);

		n = keys_of(k, TEXT, strlen(TEXT), step, out, 64);
		assert_int_equal(n, NCPS);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(out[i], TEXT_CPS[i]);
			assert_true(out[i] < KC_SPECIAL);
		}
		assert_int_equal(keyin_pending(k), 0);
		keyin_free(k);
	}
}

static void test_cut_character_waits(void **state)
{
	struct keyin *k = keyin_new(true);
	struct key_event ev;

	(void)state;
	/* the first three bytes of the emoji: no event, not an Esc to flush */
	keyin_feed(k, "\xf0\x9f\x98", 3);
	assert_false(keyin_next(k, &ev, NOW));
	assert_false(keyin_partial(k));
	assert_int_equal(keyin_pending(k), 3);
	keyin_feed(k, "\x80", 1);
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.key, 0x1f600);
	assert_false(keyin_next(k, &ev, NOW));
	keyin_free(k);
}

static void test_every_code_point(void **state)
{
	(void)state;
	/* every code point that UTF-8 can carry (but surrogates) arrives as
	 * itself: none is taken for a key */
	for (uint32_t cp = 0x80; cp <= 0x10ffff; cp += cp < 0x1000 ? 1 : 61) {
		char enc[UTF8_MAX];
		size_t n = utf8_encode(cp, enc);

		if (!n)
			continue;
		assert_int_equal(one_key(enc, n), (int)cp);
	}
	assert_int_equal(KEY("\xf4\x8f\xbf\xbf"), 0x10ffff);
}

static void test_invalid_bytes(void **state)
{
	struct keyin *k = keyin_new(true);
	int out[8];

	(void)state;
	assert_int_equal(KEY("\xff"), 0xfffd);
	assert_int_equal(KEY("\x80"), 0xfffd);
	assert_int_equal(KEY("\xc0\xaf"), 0xfffd);     /* overlong '/' */
	assert_int_equal(KEY("\xed\xa0\x80"), 0xfffd); /* a surrogate */
	assert_int_equal(KEY("\xf4\x90\x80\x80"), 0xfffd); /* past U+10FFFF */
	/* a lead byte cut by another character: both are kept apart */
	assert_int_equal(keys_of(k, "\xc3(\xe2\x82z", 5, 5, out, 8), 4);
	assert_int_equal(out[0], 0xfffd);
	assert_int_equal(out[1], '(');
	assert_int_equal(out[2], 0xfffd);
	assert_int_equal(out[3], 'z');
	keyin_free(k);
	/* other locales: bytes from 0x80 up are not text */
	k = keyin_new(false);
	assert_int_equal(keys_of(k, "a\xc4\x87" "b", 4, 4, out, 8), 2);
	assert_int_equal(out[0], 'a');
	assert_int_equal(out[1], 'b');
	keyin_free(k);
}

static void test_controls(void **state)
{
	(void)state;
	assert_int_equal(KEY("\r"), KC_ENTER);
	assert_int_equal(KEY("\n"), KC_ENTER);
	assert_int_equal(KEY("\t"), KC_TAB);
	assert_int_equal(KEY("\x7f"), KC_BACKSPACE);
	assert_int_equal(KEY("\x08"), KC_BACKSPACE);
	assert_int_equal(KEY("\x01"), KC_CTRL('a'));
	assert_int_equal(KEY("\x0c"), KC_CTRL('l'));
	assert_int_equal(KEY("q"), 'q');
}

static void test_sequences(void **state)
{
	(void)state;
	assert_int_equal(KEY("\x1b[A"), KC_UP);
	assert_int_equal(KEY("\x1bOB"), KC_DOWN);
	assert_int_equal(KEY("\x1b[1;5C"), KC_RIGHT); /* Ctrl-Right: the arrow */
	assert_int_equal(KEY("\x1b[D"), KC_LEFT);
	assert_int_equal(KEY("\x1b[H"), KC_HOME);
	assert_int_equal(KEY("\x1b[1~"), KC_HOME);
	assert_int_equal(KEY("\x1bOF"), KC_END);
	assert_int_equal(KEY("\x1b[4~"), KC_END);
	assert_int_equal(KEY("\x1b[3~"), KC_DELETE);
	assert_int_equal(KEY("\x1b[5~"), KC_PGUP);
	assert_int_equal(KEY("\x1b[6~"), KC_PGDN);
	assert_int_equal(KEY("\x1b[Z"), KC_BTAB);
	assert_int_equal(KEY("\x1bOP"), KC_F1);
	assert_int_equal(KEY("\x1b[11~"), KC_F1);
	assert_int_equal(KEY("\x1b[[B"), KC_F2); /* the Linux console */
	assert_int_equal(KEY("\x1b[15~"), KC_F5);
	assert_int_equal(KEY("\x1b[21~"), KC_F10);
	assert_int_equal(KEY("\x1b[24~"), KC_F12);
	assert_int_equal(KEY("\x1bOM"), KC_ENTER);
	assert_int_equal(KEY("\x1bOq"), '1'); /* the keypad in application mode */
	/* a lone Esc is the Esc key once flushed */
	assert_int_equal(KEY("\x1b"), KC_ESC);
}

static void test_sequence_cut_and_flushed(void **state)
{
	struct keyin *k = keyin_new(true);
	struct key_event ev;

	(void)state;
	/* cut between two reads: waits, then is the key */
	keyin_feed(k, "\x1b[2", 3);
	assert_false(keyin_next(k, &ev, NOW));
	assert_true(keyin_partial(k));
	keyin_feed(k, "1~", 2);
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.key, KC_F10);
	/* nothing came after the Esc: Esc, then the rest as text */
	keyin_feed(k, "\x1b[", 2);
	assert_false(keyin_next(k, &ev, NOW));
	keyin_flush(k);
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.key, KC_ESC);
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.key, '[');
	assert_false(keyin_next(k, &ev, NOW));
	/* Alt-x: Esc, then x */
	keyin_feed(k, "\x1bx", 2);
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.key, KC_ESC);
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.key, 'x');
	keyin_free(k);
}

static void test_unknown_sequences_dropped(void **state)
{
	struct keyin *k = keyin_new(true);
	int out[8];

	(void)state;
	/* bracketed paste marks, a focus report, a device attributes answer,
	 * an unknown function key: consumed whole, never typed */
	static const char s[] = "\x1b[200~ab\x1b[201~\x1b[I\x1b[?1;2c\x1b[99~c";
	assert_int_equal(keys_of(k, s, sizeof(s) - 1, 3, out, 8), 3);
	assert_int_equal(out[0], 'a');
	assert_int_equal(out[1], 'b');
	assert_int_equal(out[2], 'c');
	keyin_free(k);
}

static void test_terminfo_strings(void **state)
{
	struct keyin *k = keyin_new(true);
	struct key_event ev;

	(void)state;
	keyin_define(k, "\x1b[[Q", KC_F9); /* overrides the console's meaning */
	keyin_define(k, "\x1bXYZ", KC_F7);
	keyin_define(k, "k", KC_F8); /* not a sequence: ignored */
	keyin_feed(k, "\x1bXY", 3);
	assert_false(keyin_next(k, &ev, NOW));
	keyin_feed(k, "Z\x1b[[Qk", 6);
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.key, KC_F7);
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.key, KC_F9);
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.key, 'k');
	keyin_free(k);
}

static void test_mouse(void **state)
{
	struct keyin *k = keyin_new(true);
	struct key_event ev;

	(void)state;
	/* xterm's encoding: press button 1 at (5, 3), release */
	FEED(k, "\x1b[M\x20\x26\x24\x1b[M\x23\x26\x24");
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.key, KC_MOUSE);
	assert_int_equal(ev.mouse, KM_CLICK);
	assert_int_equal(ev.x, 5);
	assert_int_equal(ev.y, 3);
	assert_false(keyin_next(k, &ev, NOW));
	/* SGR encoding, the same cell soon after: a double click */
	FEED(k, "\x1b[<0;6;4M\x1b[<0;6;4m");
	assert_true(keyin_next(k, &ev, NOW + 100));
	assert_int_equal(ev.mouse, KM_DOUBLE);
	assert_int_equal(ev.x, 5);
	assert_int_equal(ev.y, 3);
	/* a third click later is a click again */
	FEED(k, "\x1b[<0;6;4M\x1b[<0;6;4m");
	assert_true(keyin_next(k, &ev, NOW + 100 + KEYIN_DOUBLE_MS + 1));
	assert_int_equal(ev.mouse, KM_CLICK);
	/* the wheel; motion and other buttons make no event */
	FEED(k, "\x1b[<64;1;1M\x1b[<35;2;2M\x1b[<2;2;2M\x1b[<2;2;2m\x1b[<65;1;1M");
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.mouse, KM_WHEEL_UP);
	assert_true(keyin_next(k, &ev, NOW));
	assert_int_equal(ev.mouse, KM_WHEEL_DOWN);
	assert_false(keyin_next(k, &ev, NOW));
	assert_int_equal(keyin_pending(k), 0);
	keyin_free(k);
}

/* Typed into a line editor, the text is what was sent, byte for byte. */
static void test_typed_text_byte_exact(void **state)
{
	struct keyin *k = keyin_new(true);
	struct lineedit e;
	struct key_event ev;
	bool handled;

	(void)state;
	lineedit_clear(&e);
	keyin_feed(k, TEXT, strlen(TEXT));
	while (keyin_next(k, &ev, NOW)) {
		assert_true(lineedit_key(&e, ev.key, &handled));
		assert_true(handled);
	}
	assert_int_equal(e.len, strlen(TEXT));
	assert_memory_equal(e.text, TEXT, strlen(TEXT));
	keyin_free(k);
}

/* A large paste, read in terminal-sized blocks with characters cut at the
 * block edges, decodes to the same text. */
static void test_large_paste(void **state)
{
	static const char unit[] = "port 2200 ć 漢 😀 ";
	size_t n = 1 << 20, ulen = sizeof(unit) - 1, chars = 0, units = n / ulen;
	char *big = malloc(units * ulen);
	struct keyin *k = keyin_new(true);
	struct key_event ev;
	char *back = malloc(units * ulen + UTF8_MAX);
	size_t blen = 0;

	(void)state;
	assert_non_null(big);
	assert_non_null(back);
	for (size_t i = 0; i < units; i++)
		memcpy(big + i * ulen, unit, ulen);
	for (size_t i = 0; i < units * ulen; i += 4095) {
		size_t m = units * ulen - i < 4095 ? units * ulen - i : 4095;

		keyin_feed(k, big + i, m);
		while (keyin_next(k, &ev, NOW)) {
			assert_true(ev.key < KC_SPECIAL);
			blen += utf8_encode((uint32_t)ev.key, back + blen);
			chars++;
		}
	}
	assert_int_equal(chars, units * utf8_count(unit, ulen));
	assert_int_equal(blen, units * ulen);
	assert_memory_equal(back, big, blen);
	keyin_free(k);
	free(big);
	free(back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_is_text),
		cmocka_unit_test(test_cut_character_waits),
		cmocka_unit_test(test_every_code_point),
		cmocka_unit_test(test_invalid_bytes),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_sequence_cut_and_flushed),
		cmocka_unit_test(test_unknown_sequences_dropped),
		cmocka_unit_test(test_terminfo_strings),
		cmocka_unit_test(test_mouse),
		cmocka_unit_test(test_typed_text_byte_exact),
		cmocka_unit_test(test_large_paste),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
