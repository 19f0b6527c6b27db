/* escape.h - the one escape function for bytes that come from outside.
 *
 * Every string that the kernel, /proc or a peer handed over is stored raw
 * (bytes + length) and passes through here on its way to any output: the
 * terminal, the batch table, CSV and JSON. The output never holds a C0
 * control, DEL, a C1 control, a bidi override or invalid UTF-8: those become
 * visible escapes (\n, \t, \r, \\, \xNN, \u{202e}). */
#ifndef SOCKVIEW_ESCAPE_H
#define SOCKVIEW_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum esc_charset {
	ESC_ASCII, /* the terminal takes only ASCII: escape every byte >= 0x80 */
	ESC_UTF8,  /* valid, printable UTF-8 passes through */
};

/* The charset of the current LC_CTYPE (call after setlocale()). */
enum esc_charset esc_charset_from_locale(void);

/* Appends the visible form of n raw bytes to out; returns the number of
 * terminal columns the appended text occupies. Backslash becomes "\\". */
size_t esc_display(struct buf *out, const void *p, size_t n, enum esc_charset cs);

/* Appends the bytes as the contents of a JSON string (no quotes): control
 * characters, DEL, C1 and bidi controls as \uXXXX, '"' escaped, valid UTF-8
 * kept, each byte of invalid UTF-8 as the text "\xNN" and a backslash as the
 * text "\\" (JSON "\\\\"), so the result is always valid JSON and the
 * decoded string maps back to exactly one byte string. */
void esc_json(struct buf *out, const void *p, size_t n);

/* Width in columns of an already-escaped (safe) string. */
size_t esc_width(const char *s, size_t n, enum esc_charset cs);
/* Length in bytes of the longest prefix of the safe string s that fits in
 * maxw columns, never splitting a character; its width goes to *w. */
size_t esc_prefix(const char *s, size_t n, size_t maxw, enum esc_charset cs, size_t *w);

#endif
