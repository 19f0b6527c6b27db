/* cgsvc.c - cgroup id -> service label (see cgsvc.h): open addressing,
 * linear probing, at most half full; never shrinks until cleared. The ids
 * have an array of their own so that a probe touches 8 bytes a slot, not
 * a label (a lookup per socket per refresh). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cgsvc.h"
#include "xalloc.h"

struct cgsvc_val {
	uint8_t kind;
	uint8_t len;
	char label[CGSVC_LABEL_MAX];
};

struct cgsvc {
	uint64_t *ids;          /* 0: empty */
	struct cgsvc_val *vals; /* beside ids[] */
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
	t->ids = xcalloc((size_t)1 << t->bits, sizeof(*t->ids));
	t->vals = xcalloc((size_t)1 << t->bits, sizeof(*t->vals));
	return t;
}

void cgsvc_free(struct cgsvc *t)
{
	if (!t)
		return;
	free(t->ids);
	free(t->vals);
	free(t);
}

/* The slot of id, or the empty slot where it would go. */
static size_t find(const struct cgsvc *t, uint64_t id)
{
	size_t mask = ((size_t)1 << t->bits) - 1, i = slot_of(id, t->bits);

	while (t->ids[i] && t->ids[i] != id)
		i = (i + 1) & mask;
	return i;
}

static void grow(struct cgsvc *t)
{
	uint64_t *oids = t->ids;
	struct cgsvc_val *ovals = t->vals;
	size_t nold = (size_t)1 << t->bits;

	t->bits++;
	t->ids = xcalloc((size_t)1 << t->bits, sizeof(*t->ids));
	t->vals = xcalloc((size_t)1 << t->bits, sizeof(*t->vals));
	for (size_t i = 0; i < nold; i++) {
		if (oids[i]) {
			size_t j = find(t, oids[i]);

			t->ids[j] = oids[i];
			t->vals[j] = ovals[i];
		}
	}
	free(oids);
	free(ovals);
}

void cgsvc_set(struct cgsvc *t, uint64_t id, const char *label, size_t len, unsigned kind)
{
	struct cgsvc_val *e;
	size_t i;

	if (!id)
		return;
	i = find(t, id);
	if (!t->ids[i]) {
		if (t->n >= CGSVC_MAX) {
			/* bounded: forget everything, the ids are asked again */
			memset(t->ids, 0, ((size_t)1 << t->bits) * sizeof(*t->ids));
			t->n = 0;
		} else if ((t->n + 1) * 2 > ((size_t)1 << t->bits)) {
			grow(t);
		}
		i = find(t, id);
		t->ids[i] = id;
		t->n++;
	}
	e = &t->vals[i];
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
	const struct cgsvc_val *e;
	size_t i;

	*label = NULL;
	*len = 0;
	if (kind)
		*kind = 0;
	if (!t || !id)
		return false;
	i = find(t, id);
	if (!t->ids[i])
		return false;
	e = &t->vals[i];
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
