/* keyin.h - what the terminal sends, as key events (no curses).
 *
 * The bytes read from the terminal go in (keyin_feed) and come out as
 * events (keyin_next): text as Unicode code points (UTF-8 decoded with
 * utf8_decode(), the decoder of record), special keys as the KC_* codes of
 * keys.h, which live past U+10FFFF, and mouse reports. The two never share
 * a number: a character is a character whatever its code point (U+0107 is
 * "ć", never a curses key code).
 *
 * Escape sequences are read by their syntax (CSI, SS3, xterm and SGR mouse
 * reports) and the terminal's own key strings (terminfo, keyin_define);
 * sequences that name no key sockview uses are consumed whole and dropped,
 * so they never arrive as text. A sequence or a character cut by the end of
 * the bytes fed waits for the next bytes. Only an Esc can be the whole key
 * or the start of a sequence: when the bytes end in one (keyin_partial), the
 * caller waits a moment for more and then calls keyin_flush.
 *
 * Call order: keyin_new, keyin_define for each terminal key string, then
 * keyin_feed / keyin_next as bytes arrive, keyin_free. Nothing here reads or
 * writes a file descriptor. */
#ifndef SOCKVIEW_KEYIN_H
#define SOCKVIEW_KEYIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Mouse events, for key_event.mouse. */
enum key_mouse {
	KM_NONE,
	KM_CLICK,  /* button 1 pressed and released */
	KM_DOUBLE, /* a second click on the same cell soon after the first */
	KM_WHEEL_UP,
	KM_WHEEL_DOWN,
};

/* Two clicks on the same cell within this many ms are a double click. */
#define KEYIN_DOUBLE_MS 400

struct key_event {
	int key;              /* a code point, or a KC_* code (KC_MOUSE for mouse) */
	enum key_mouse mouse; /* with KC_MOUSE */
	int x, y;             /* with KC_MOUSE: the cell, from 0 */
};

struct keyin;

/* A decoder; utf8: the terminal sends UTF-8 (else bytes from 0x80 up are
 * not text and are dropped). Never NULL. */
struct keyin *keyin_new(bool utf8);
/* NULL is allowed. */
void keyin_free(struct keyin *k);

/* Teaches the decoder that the terminal sends seq (NUL-terminated, starting
 * with Esc; others are ignored) for key, a KC_* code: the terminal's key
 * strings (terminfo), looked at before the usual syntax. */
void keyin_define(struct keyin *k, const char *seq, int key);

/* Appends n bytes read from the terminal (copied). */
void keyin_feed(struct keyin *k, const void *bytes, size_t n);

/* The next event into *ev; false when the bytes fed so far hold no whole
 * one (nothing, or the start of a character or sequence). now (ms, any
 * monotonic clock) tells double clicks from two clicks. */
bool keyin_next(struct keyin *k, struct key_event *ev, int64_t now);

/* True when keyin_next stopped at an Esc that may start a sequence: the
 * caller waits briefly for more bytes, and calls keyin_flush if none came. */
bool keyin_partial(const struct keyin *k);
/* The bytes fed so far are all there will be for now: keyin_next then
 * decodes a lone Esc as the Esc key and a cut sequence as Esc and text. */
void keyin_flush(struct keyin *k);

/* Bytes fed and not yet decoded. */
size_t keyin_pending(const struct keyin *k);

#endif
