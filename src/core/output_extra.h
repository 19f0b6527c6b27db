/* output_extra.h - what -e, -i, -m and -o add to the batch output (ss's
 * extended, info, memory and timer details): extra table columns, extra
 * CSV fields (always at the end, after the fixed ones) and JSON keys.
 * extra is a set of OPT_X_* bits (options.h). Text from outside (the
 * congestion control name) is escaped. */
#ifndef SOCKVIEW_OUTPUT_EXTRA_H
#define SOCKVIEW_OUTPUT_EXTRA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "escape.h"
#include "sock.h"

/* How many extra table columns extra asks for. */
size_t output_extra_ncols(unsigned extra);
/* Title (translated) and alignment of extra table column i. */
const char *output_extra_title(unsigned extra, size_t i);
bool output_extra_right(unsigned extra, size_t i);
/* Appends the cell of extra column i for s ("-" where it has no value);
 * returns its width. */
size_t output_extra_cell(struct buf *out, unsigned extra, size_t i, const struct sock *s,
			 enum esc_charset cs);

/* CSV: the names of the extra fields (each preceded by a comma), and a
 * row's values (each preceded by a comma; empty where there is none). */
void output_extra_csv_head(struct buf *out, unsigned extra);
void output_extra_csv(struct buf *out, unsigned extra, const struct sock *s, enum esc_charset cs);

/* JSON: ", \"memory\": {...}" (with -m, where the kernel sent SK_MEMINFO)
 * and ", \"timer\": {...}" (with -o, inet sockets). */
void output_extra_json(struct buf *out, unsigned extra, const struct sock *s);

/* The timer as ss -o shows it, "(keepalive,119min,0)"; "" for Unix
 * sockets. name: "off", "on", "keepalive", "timewait", "persist",
 * "delack", "unknown". */
const char *output_timer_name(unsigned timer);
void output_timer(struct buf *out, const struct sock *s);
/* A duration in ms the way ss -o prints it: "119min", "12sec", "1.500sec",
 * "200ms" (and "" for 0). */
void output_ms_timer(struct buf *out, uint32_t ms);

#endif
