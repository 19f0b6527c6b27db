/* xalloc.c - checked allocation. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static void default_fatal(const char *what)
{
	fprintf(stderr, "sockview: out of memory (%s)\n", what);
	abort();
}

static xalloc_fatal_fn fatal_hook = default_fatal;

void xalloc_set_fatal(xalloc_fatal_fn fn)
{
	fatal_hook = fn ? fn : default_fatal;
}

static void *check(void *p, const char *what)
{
	if (!p) {
		fatal_hook(what);
		abort(); /* the hook must not return */
	}
	return p;
}

void *xmalloc(size_t n)
{
	return check(malloc(n ? n : 1), "malloc");
}

void *xcalloc(size_t nmemb, size_t size)
{
	return check(calloc(nmemb ? nmemb : 1, size ? size : 1), "calloc");
}

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size) {
		fatal_hook("size overflow");
		abort();
	}
	size_t bytes = nmemb * size;

	return check(realloc(p, bytes ? bytes : 1), "realloc");
}

char *xstrdup(const char *s)
{
	return check(strdup(s), "strdup");
}

char *xstrndup(const char *s, size_t n)
{
	return check(strndup(s, n), "strndup");
}

void *xmemdup(const void *p, size_t n)
{
	void *q = xmalloc(n);

	if (n)
		memcpy(q, p, n);
	return q;
}

void xgrow(void **arr, size_t *cap, size_t need, size_t sz)
{
	size_t c = *cap;

	if (need <= c)
		return;
	if (c < 16)
		c = 16;
	while (c < need) {
		if (c > SIZE_MAX / 2) {
			c = need;
			break;
		}
		c *= 2;
	}
	*arr = xreallocarray(*arr, c, sz);
	*cap = c;
}
