/* xalloc.h - checked allocation with a fatal hook set by main. */
#ifndef SOCKVIEW_XALLOC_H
#define SOCKVIEW_XALLOC_H

#include <stddef.h>

/* Called when an allocation fails; must not return. main registers one that
 * restores the terminal first. The default prints to stderr and aborts. */
typedef void (*xalloc_fatal_fn)(const char *what);
void xalloc_set_fatal(xalloc_fatal_fn fn);

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
/* Reallocates p to nmemb*size bytes, failing on overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);
/* Grows *arr (of *cap elements of size sz) so that it holds at least need. */
void xgrow(void **arr, size_t *cap, size_t need, size_t sz);
/* Asks for 2 MiB pages on the aligned part of [p, p + len) when len is at
 * least XALLOC_HUGE_MIN (a hint: see xalloc.c). xgrow does it for what it
 * grows; for other large arrays that are filled at once. */
#define XALLOC_HUGE_MIN ((size_t)2 << 20)
void xadvise_huge(void *p, size_t len);
/* xcalloc for a table filled in no order (a hash index): zeroed by
 * writing, and from XALLOC_HUGE_MIN bytes on aligned and advised as xgrow's
 * arrays. Freed with free(). */
void *xcalloc_big(size_t nmemb, size_t size);

#endif
