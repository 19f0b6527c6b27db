/* utf8.h - the one UTF-8 vocabulary: decoding, encoding, character
 * boundaries (libc only, no locale).
 *
 * Two kinds of helpers, on purpose:
 *   - utf8_decode() and utf8_encode() are strict: they accept only what
 *     RFC 3629 calls UTF-8 (no overlong forms, no surrogates, nothing past
 *     U+10FFFF). Input that fails is left for the caller to escape.
 *   - the boundary helpers (utf8_next, utf8_prev, utf8_floor, utf8_count)
 *     only look at which bytes are continuation bytes (10xxxxxx): they
 *     never validate, so they move through any bytes and stay fast. They are
 *     meant for text that is already known to be UTF-8 (escaped text, what
 *     the user typed) or where a boundary in the middle of garbage is as
 *     good as any other.
 * Nothing here allocates; positions are byte offsets. */
#ifndef SOCKVIEW_UTF8_H
#define SOCKVIEW_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The longest UTF-8 sequence, in bytes. */
#define UTF8_MAX 4

/* Decodes the character at s (len bytes readable). Returns its length
 * (1 to 4) and stores the code point in *cp; returns 0, and leaves *cp
 * alone, when s does not start with a complete valid sequence: len == 0, a
 * stray continuation byte, a lead byte C0, C1 or F5-FF, a missing
 * continuation byte, a sequence cut short by len, an overlong form, a
 * surrogate (U+D800-U+DFFF) or a value past U+10FFFF. The caller decides
 * what the first byte then becomes; it is usually shown escaped, and
 * decoding goes on at the next byte. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes code point cp into out (UTF8_MAX bytes of room, not
 * NUL-terminated); returns the number of bytes written, or 0 (nothing
 * written) for a surrogate or a value past U+10FFFF. */
size_t utf8_encode(uint32_t cp, char out[UTF8_MAX]);

/* The character boundary after offset i in s[0, len): i + 1, then past any
 * continuation bytes. Returns len when i >= len. */
size_t utf8_next(const char *s, size_t len, size_t i);

/* The character boundary before offset i: i - 1, then back over
 * continuation bytes, stopping at 0. Returns 0 when i == 0. */
size_t utf8_prev(const char *s, size_t i);

/* The last character boundary at or before offset i: i itself unless s[i]
 * is a continuation byte (s[i] must be readable, a NUL will do). Used to
 * cut text at i without splitting a character. */
size_t utf8_floor(const char *s, size_t i);

/* The number of characters in s[0, len): the bytes that are not
 * continuation bytes (an invalid byte counts as one character). */
size_t utf8_count(const char *s, size_t len);

#endif
