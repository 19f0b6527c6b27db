/* xalloc.c - checked allocation. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

/* Large arrays (records, indexes, sort keys: what grows with the number of
 * sockets) are asked to be backed by 2 MiB pages where the kernel allows
 * it (transparent huge pages in "madvise" mode, Debian's default). A fresh
 * 4 KiB page costs a fault each; on a virtual machine such as the one the
 * benches run on, that is about 20 us, i.e. 5 ms per MiB first touched:
 * 70 ms for the records of 10^5 sockets, against a few for 2 MiB pages.
 * Only the aligned 2 MiB blocks inside the array are advised, so nothing
 * outside it changes; the advice is a hint and failure is harmless. */
#define HUGE_PAGE ((uintptr_t)2 << 20)

void xadvise_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
	uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t e = ((uintptr_t)p + len) & ~(HUGE_PAGE - 1);

	if (p && len >= XALLOC_HUGE_MIN && e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

void *xcalloc_big(size_t nmemb, size_t size)
{
	void *q = NULL;

	if (!size || nmemb > SIZE_MAX / size)
		return xcalloc(nmemb, size); /* its overflow check */
	/* zeroed by writing, not by calloc's fresh pages: a table filled in
	 * no order reads many slots before it writes them, and a page read
	 * first costs a second fault at its first write (and, with batch
	 * mode's reader thread alive, a TLB flush of both CPUs) */
	if (nmemb * size < XALLOC_HUGE_MIN)
		q = xmalloc(nmemb * size);
	else if (posix_memalign(&q, HUGE_PAGE, nmemb * size) != 0)
		check(NULL, "posix_memalign");
	xadvise_huge(q, nmemb * size);
	memset(q, 0, nmemb * size);
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
	if (sz && c <= SIZE_MAX / sz && c * sz >= XALLOC_HUGE_MIN) {
		/* aligned, so that every 2 MiB of it can be one page */
		void *q = NULL;
		size_t bytes = c * sz;

		if (posix_memalign(&q, HUGE_PAGE, bytes) != 0)
			check(NULL, "posix_memalign");
		xadvise_huge(q, bytes);
		if (*cap && *arr)
			memcpy(q, *arr, *cap * sz);
		free(*arr);
		*arr = q;
	} else {
		*arr = xreallocarray(*arr, c, sz);
	}
	*cap = c;
}
