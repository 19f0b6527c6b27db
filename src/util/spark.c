/* spark.c - sparklines (see spark.h). */
#include "config.h"

#include <math.h>

#include "spark.h"

/* U+2581 LOWER ONE EIGHTH BLOCK .. U+2588 FULL BLOCK, three bytes each. */
static const char *const blocks[SPARK_LEVELS] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};
static const char ascii[SPARK_LEVELS + 1] = "_.-:=+*#";

unsigned spark_level(double v, double lo, double hi)
{
	double f;
	unsigned l;

	if (isnan(v) || !(hi > lo) || v <= lo)
		return 0;
	if (v >= hi)
		return SPARK_LEVELS - 1;
	f = (v - lo) / (hi - lo);
	/* any value above the bottom shows at least one step up, so a small
	 * trickle is not drawn as nothing */
	l = (unsigned)(f * (SPARK_LEVELS - 1) + 0.5);
	if (l == 0)
		l = 1;
	return l < SPARK_LEVELS ? l : SPARK_LEVELS - 1;
}

void spark_range(const double *v, size_t n, double *lo, double *hi)
{
	*lo = 0.0;
	*hi = 0.0;
	for (size_t i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		if (i == 0 || v[i] < *lo)
			*lo = v[i];
		if (i == 0 || v[i] > *hi)
			*hi = v[i];
	}
}

size_t spark_render(struct buf *out, const double *v, size_t n, size_t width, double lo,
		    double hi, bool utf8)
{
	size_t k = n < width ? n : width;

	for (size_t i = k; i < width; i++)
		buf_putc(out, ' ');
	for (size_t i = n - k; i < n; i++) {
		unsigned l = spark_level(v[i], lo, hi);

		if (utf8)
			buf_puts(out, blocks[l]);
		else
			buf_putc(out, ascii[l]);
	}
	return width;
}
