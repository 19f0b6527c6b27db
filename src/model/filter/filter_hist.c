/* filter_hist.c - applying filters and the prompt's history. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "filter_hist.h"
#include "xalloc.h"

static bool is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != '\v' &&
		    *s != '\f')
			return false;
	return true;
}

int filter_apply(struct filter **active, const char *text, struct filter_error *err)
{
	struct filter *f;

	if (!text || is_blank(text)) {
		filter_free(*active);
		*active = NULL;
		return 0;
	}
	f = filter_parse(text, err);
	if (!f)
		return -1;
	filter_free(*active);
	*active = f;
	return 0;
}

struct filter_hist {
	char **items; /* oldest first */
	size_t n, max;
	size_t pos;   /* browsing: 0 = not browsing, k = showing the k-th newest */
	char *draft;
};

struct filter_hist *filter_hist_new(size_t max)
{
	struct filter_hist *h = xcalloc(1, sizeof(*h));

	h->max = max ? max : 1;
	h->items = xreallocarray(NULL, h->max, sizeof(*h->items));
	return h;
}

void filter_hist_reset(struct filter_hist *h)
{
	h->pos = 0;
	free(h->draft);
	h->draft = NULL;
}

void filter_hist_free(struct filter_hist *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		free(h->items[i]);
	free(h->items);
	free(h->draft);
	free(h);
}

void filter_hist_add(struct filter_hist *h, const char *text)
{
	char *s;

	filter_hist_reset(h);
	if (!text || is_blank(text))
		return;
	for (size_t i = 0; i < h->n; i++) {
		if (strcmp(h->items[i], text))
			continue;
		s = h->items[i];
		memmove(h->items + i, h->items + i + 1, (h->n - i - 1) * sizeof(*h->items));
		h->items[h->n - 1] = s;
		return;
	}
	if (h->n == h->max) {
		free(h->items[0]);
		memmove(h->items, h->items + 1, (h->n - 1) * sizeof(*h->items));
		h->n--;
	}
	h->items[h->n++] = xstrdup(text);
}

size_t filter_hist_len(const struct filter_hist *h)
{
	return h->n;
}

const char *filter_hist_get(const struct filter_hist *h, size_t i)
{
	return i < h->n ? h->items[h->n - 1 - i] : NULL;
}

const char *filter_hist_up(struct filter_hist *h, const char *draft)
{
	if (h->n == 0)
		return NULL;
	if (h->pos == 0) {
		free(h->draft);
		h->draft = xstrdup(draft ? draft : "");
	}
	if (h->pos < h->n)
		h->pos++;
	return filter_hist_get(h, h->pos - 1);
}

const char *filter_hist_down(struct filter_hist *h)
{
	if (h->pos == 0)
		return NULL;
	h->pos--;
	if (h->pos == 0)
		return h->draft ? h->draft : "";
	return filter_hist_get(h, h->pos - 1);
}
