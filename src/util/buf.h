/* buf.h - a growable byte buffer with an optional hard limit.
 *
 * The one buffer type of sockview: output writers build lines in it, the
 * endpoints queue bytes in it (with a limit, for back-pressure), the escape
 * functions append to it. Data is always NUL-terminated for convenience but
 * may contain NUL bytes; use len. */
#ifndef SOCKVIEW_BUF_H
#define SOCKVIEW_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;   /* owned; NULL until first append */
	size_t len;   /* bytes in use */
	size_t cap;   /* bytes allocated */
	size_t limit; /* 0: unlimited; otherwise buf_append refuses to exceed it */
};

#define BUF_INIT { NULL, 0, 0, 0 }

void buf_init(struct buf *b, size_t limit);
void buf_free(struct buf *b);
/* Empties the buffer, keeping its storage. */
void buf_reset(struct buf *b);
/* Bytes that can still be appended before the limit (SIZE_MAX if none). */
size_t buf_room(const struct buf *b);
/* Appends n bytes; returns 0, or -1 (nothing appended) if the limit forbids. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Removes n bytes from the front (n is clamped to len). */
void buf_consume(struct buf *b, size_t n);
/* Detaches the data (caller frees; never NULL) and resets the buffer. */
char *buf_steal(struct buf *b);

#endif
