/* spark.h - sparklines: a series of numbers as a row of block characters.
 *
 * A pure function: no allocation but the caller's buffer, no terminal.
 * With UTF-8 the levels are U+2581..U+2588 (one column each); without it
 * an ASCII ramp of 8 characters, so a C-locale terminal draws the same
 * width. */
#ifndef SOCKVIEW_SPARK_H
#define SOCKVIEW_SPARK_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define SPARK_LEVELS 8

/* The level (0..SPARK_LEVELS-1) of v on a scale from lo to hi; v at or
 * below lo is level 0, at or above hi the top; hi <= lo gives level 0
 * (a flat series), except that a positive v over a zero scale is level 0
 * too. NaN counts as lo. */
unsigned spark_level(double v, double lo, double hi);

/* Appends the sparkline of the last values of v[0..n) (oldest first) to
 * out, at most width columns: the newest min(n, width) values, right-aligned
 * (padded on the left with blanks when there are fewer). The scale runs
 * from lo to hi (the caller chooses: 0..max for rates, min..max for a
 * gauge). Returns the columns used, always width. utf8: block characters,
 * else the ASCII ramp "_.-:=+*#". */
size_t spark_render(struct buf *out, const double *v, size_t n, size_t width, double lo,
		    double hi, bool utf8);

/* Smallest and largest of v[0..n) into *lo and *hi (0 and 0 when n is 0). */
void spark_range(const double *v, size_t n, double *lo, double *hi);

#endif
