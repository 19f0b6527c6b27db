/* output.h - batch output writers: table, JSON and CSV (SPEC §3).
 *
 * The caller selects and orders the rows; the writers format them, escaping
 * every byte that came from outside (escape.h), into a buffer or, with
 * output_write(), straight to a FILE. Nothing else here touches a FILE. */
#ifndef SOCKVIEW_OUTPUT_H
#define SOCKVIEW_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "escape.h"
#include "options.h"
#include "procmap.h"
#include "sock.h"

/* What a batch run adds to a socket (issue 15): its rates over --rate's
 * interval and its diagnosis. */
struct output_extra {
	float rx, tx;  /* bytes/s */
	bool rates;    /* rx/tx valid (TCP with tcp_info, seen in both dumps) */
	uint8_t hint;  /* enum diag_rule, 0: none */
};
struct nstab;

struct output_ctx {
	enum out_format format;
	enum esc_charset cs;       /* how to escape names in table and CSV */
	const struct procmap *pm;  /* NULL: processes not mapped */
	/* NULL, or one per row: JSON adds "rx_rate"/"tx_rate" where known and
	 * "hint" where a rule fires; CSV adds the columns rx_rate, tx_rate,
	 * hint at the end; with `rates` (--rate) the table adds Rx/s and Tx/s */
	const struct output_extra *extra;
	bool rates;
	unsigned xcols;            /* OPT_X_* (-e -i -m -o): output_extra.h */
	bool no_header;            /* -H: table and CSV without their heading */
	/* --all-netns: the namespaces (NULL: one namespace; no Netns column,
	 * no "netns" key) */
	const struct nstab *ns;
};

/* A byte rate as the tables show it ("0", "512", "1.5K", "20M"). */
void output_rate(double bytes_per_s, char *dst, size_t len);

/* Appends the JSON object of socket s (row i of ctx->extra) to out: the
 * object --once --format=json prints, for writers that embed it. */
void output_json_sock(struct buf *out, const struct output_ctx *ctx, const struct sock *s,
		      size_t i);

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

/* Appends one socket as the JSON object --once --format=json prints for it
 * (no separator, no newline); pm names its processes (NULL: none). Every
 * other JSON document (events, export) embeds this object as it is. */
void output_json_sock_pm(struct buf *out, const struct procmap *pm, const struct sock *s);

/* Writes out to f and flushes; returns 0, or -1 with errno (ENOSPC, EPIPE...). */
int output_flush(FILE *f, const struct buf *out);

#endif
