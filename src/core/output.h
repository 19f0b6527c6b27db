/* output.h - batch output writers: table, JSON and CSV (SPEC §3).
 *
 * The caller selects and orders the rows; the writers format them, escaping
 * every byte that came from outside (escape.h), into a buffer or, with
 * output_write(), straight to a FILE. Nothing else here touches a FILE. */
#ifndef SOCKVIEW_OUTPUT_H
#define SOCKVIEW_OUTPUT_H

#include <stdio.h>

#include "buf.h"
#include "escape.h"
#include "options.h"
#include "procmap.h"
#include "sock.h"

struct nstab;

struct output_ctx {
	enum out_format format;
	enum esc_charset cs;       /* how to escape names in table and CSV */
	const struct procmap *pm;  /* NULL: processes not mapped */
	/* --all-netns: the namespaces (NULL: one namespace; no Netns column,
	 * no "netns" key) */
	const struct nstab *ns;
};

/* Appends the whole document for n rows to out: a table with a header line,
 * a JSON array (always valid JSON, one object per socket) or CSV with a
 * header row (RFC 4180; a field is empty where JSON has null; the first
 * owner's pid, comm and fd and the number of owners after the ss-style
 * processes column; columns are only ever added at the end). */
void output_format(struct buf *out, const struct output_ctx *ctx,
		   const struct sock *const *rows, size_t n);

/* The same document written to f as it is formatted, in chunks of 64 KiB,
 * so memory holds the widths and the address cells of the table (or one
 * row of JSON or CSV) rather than the whole text; then flushes f. Returns
 * 0, or -1 with errno (ENOSPC, EPIPE...; what was written stays written). */
int output_write(FILE *f, const struct output_ctx *ctx,
		 const struct sock *const *rows, size_t n);

/* Formats one address column as the table shows it ("127.0.0.1:80",
 * "[::1]:5000", "*:*", "/run/x.sock", "@abstract", "*"), escaped, appended
 * to out; returns its width in columns. Used by the UI too. */
size_t output_addr(struct buf *out, const struct sock *s, bool peer, enum esc_charset cs);

/* Appends the ss-like process list "users:(("comm",pid=1,fd=3),...)" for the
 * socket's inode; returns its width (0 and nothing appended if none). */
size_t output_users(struct buf *out, const struct procmap *pm, const struct sock *s,
		    enum esc_charset cs);

/* Writes out to f and flushes; returns 0, or -1 with errno (ENOSPC, EPIPE...). */
int output_flush(FILE *f, const struct buf *out);

#endif
