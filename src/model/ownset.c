/* ownset.c - inodes of sockview's own endpoint sockets. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ownset.h"
#include "xalloc.h"

void ownset_init(struct ownset *s)
{
	memset(s, 0, sizeof(*s));
	s->sorted = true;
}

void ownset_free(struct ownset *s)
{
	free(s->m);
	ownset_init(s);
}

void ownset_clear(struct ownset *s)
{
	s->n = 0;
	s->sorted = true;
}

void ownset_add(struct ownset *s, uint32_t inode, unsigned tag)
{
	if (!inode)
		return;
	xgrow((void **)&s->m, &s->cap, s->n + 1, sizeof(*s->m));
	if (s->n && s->m[s->n - 1].inode >= inode)
		s->sorted = false;
	s->m[s->n].inode = inode;
	s->m[s->n].tag = tag;
	s->n++;
}

static int mark_cmp(const void *pa, const void *pb)
{
	const struct own_mark *a = pa, *b = pb;

	if (a->inode != b->inode)
		return a->inode < b->inode ? -1 : 1;
	if (a->tag != b->tag)
		return a->tag < b->tag ? -1 : 1;
	return 0;
}

void ownset_finish(struct ownset *s)
{
	size_t out = 0;

	if (s->sorted)
		return;
	qsort(s->m, s->n, sizeof(*s->m), mark_cmp);
	for (size_t i = 0; i < s->n; i++)
		if (!out || s->m[out - 1].inode != s->m[i].inode)
			s->m[out++] = s->m[i];
	s->n = out;
	s->sorted = true;
}

bool ownset_find(const struct ownset *s, uint32_t inode, unsigned *tag)
{
	size_t lo = 0, hi = s->n;

	if (!inode)
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->m[mid].inode == inode) {
			if (tag)
				*tag = s->m[mid].tag;
			return true;
		}
		if (s->m[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool ownset_equal(const struct ownset *a, const struct ownset *b)
{
	if (a->n != b->n)
		return false;
	return !a->n || !memcmp(a->m, b->m, a->n * sizeof(*a->m));
}

void ownset_copy(struct ownset *dst, const struct ownset *src)
{
	xgrow((void **)&dst->m, &dst->cap, src->n ? src->n : 1, sizeof(*dst->m));
	if (src->n)
		memcpy(dst->m, src->m, src->n * sizeof(*dst->m));
	dst->n = src->n;
	dst->sorted = src->sorted;
}
