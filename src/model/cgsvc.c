/* cgsvc.c - cgroup id -> service label (see cgsvc.h): open addressing,
 * linear probing, at most half full; never shrinks until cleared. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cgsvc.h"
#include "xalloc.h"

struct cgsvc_ent {
	uint64_t id; /* 0: empty */
	uint8_t kind;
	uint8_t len;
	char label[CGSVC_LABEL_MAX];
};

struct cgsvc {
	struct cgsvc_ent *v;
	unsigned bits;
	size_t n;
};

#define MIN_BITS 4

static size_t slot_of(uint64_t id, unsigned bits)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

struct cgsvc *cgsvc_new(void)
{
	struct cgsvc *t = xcalloc(1, sizeof(*t));

	t->bits = MIN_BITS;
	t->v = xcalloc((size_t)1 << t->bits, sizeof(*t->v));
	return t;
}

void cgsvc_free(struct cgsvc *t)
{
	if (!t)
		return;
	free(t->v);
	free(t);
}

static struct cgsvc_ent *find(const struct cgsvc *t, uint64_t id)
{
	size_t mask = ((size_t)1 << t->bits) - 1, i = slot_of(id, t->bits);

	while (t->v[i].id && t->v[i].id != id)
		i = (i + 1) & mask;
	return &t->v[i];
}

static void grow(struct cgsvc *t)
{
	struct cgsvc_ent *old = t->v;
	size_t nold = (size_t)1 << t->bits;

	t->bits++;
	t->v = xcalloc((size_t)1 << t->bits, sizeof(*t->v));
	for (size_t i = 0; i < nold; i++)
		if (old[i].id)
			*find(t, old[i].id) = old[i];
	free(old);
}

void cgsvc_set(struct cgsvc *t, uint64_t id, const char *label, size_t len, unsigned kind)
{
	struct cgsvc_ent *e;

	if (!id)
		return;
	e = find(t, id);
	if (!e->id) {
		if (t->n >= CGSVC_MAX) {
			/* bounded: forget everything, the ids are asked again */
			memset(t->v, 0, ((size_t)1 << t->bits) * sizeof(*t->v));
			t->n = 0;
		} else if ((t->n + 1) * 2 > ((size_t)1 << t->bits)) {
			grow(t);
		}
		e = find(t, id);
		e->id = id;
		t->n++;
	}
	if (len > CGSVC_LABEL_MAX)
		len = CGSVC_LABEL_MAX;
	if (len)
		memcpy(e->label, label, len);
	e->len = (uint8_t)len;
	e->kind = (uint8_t)kind;
}

bool cgsvc_get(const struct cgsvc *t, uint64_t id, const char **label, size_t *len,
	       unsigned *kind)
{
	const struct cgsvc_ent *e;

	*label = NULL;
	*len = 0;
	if (kind)
		*kind = 0;
	if (!t || !id)
		return false;
	e = find(t, id);
	if (!e->id)
		return false;
	*len = e->len;
	*label = e->len ? e->label : NULL;
	if (kind)
		*kind = e->kind;
	return true;
}

size_t cgsvc_count(const struct cgsvc *t)
{
	return t ? t->n : 0;
}
