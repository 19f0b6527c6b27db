/* nstab.c - the table of network namespaces beside a snapshot. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nstab.h"
#include "xalloc.h"

void nstab_init(struct nstab *t)
{
	memset(t, 0, sizeof(*t));
}

void nstab_free(struct nstab *t)
{
	free(t->v);
	nstab_init(t);
}

void nstab_clear(struct nstab *t)
{
	t->n = 0;
	t->denied = 0;
}

struct nstab_ent *nstab_add(struct nstab *t)
{
	xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
	return &t->v[t->n++];
}

const struct nstab_ent *nstab_find(const struct nstab *t, uint32_t ino)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (t->v[i].ino == ino)
			return &t->v[i];
	return NULL;
}

const struct nstab_ent *nstab_find_name(const struct nstab *t, const char *name, size_t len)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (t->v[i].name_len && t->v[i].name_len == len && !memcmp(t->v[i].name, name, len))
			return &t->v[i];
	return NULL;
}

size_t nstab_label(const struct nstab_ent *e, char *dst, size_t len)
{
	int n;

	if (!len)
		return 0;
	if (e->name_len) {
		size_t k = e->name_len < len - 1 ? e->name_len : len - 1;

		memcpy(dst, e->name, k);
		dst[k] = '\0';
		return k;
	}
	if (e->pid > 0)
		n = snprintf(dst, len, "pid %d (%.*s)", (int)e->pid, (int)e->comm_len, e->comm);
	else
		n = snprintf(dst, len, "netns:[%u]", (unsigned)e->ino);
	if (n < 0) {
		dst[0] = '\0';
		return 0;
	}
	/* comm may hold a NUL: the length counts what was written */
	return (size_t)n < len ? (size_t)n : len - 1;
}
