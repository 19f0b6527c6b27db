/* batch.c - rates, diagnosis and grouping for --once (see batch.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "diff.h"
#include "escape.h"
#include "history.h"
#include "i18n.h"
#include "traffic.h"
#include "xalloc.h"

void batch_extras(const struct snapshot *cur, const struct snapshot *prev,
		  const struct sock_scope *scope, const struct sock *const *rows, size_t n,
		  struct output_extra *extra)
{
	/* without a first dump the history is never read: not built (at 10^6
	 * sockets it cost a quarter of the run) */
	struct history *h = prev ? history_new() : NULL;
	struct diag_peers peers = { 0 };
	struct diff d;

	diff_init(&d);
	if (prev) {
		diff_compute(&d, cur, scope, prev, NULL, scope, cur->taken_ms);
		history_begin(h, prev->taken_ms);
		for (size_t i = 0; i < prev->n; i++)
			history_update(h, &prev->socks[i]);
		history_end(h);
	}
	if (h) {
		history_begin(h, cur->taken_ms);
		for (size_t i = 0; i < n; i++)
			history_update(h, rows[i]);
		history_end(h);
	}
	diag_peers_build(&peers, cur);
	for (size_t i = 0; i < n; i++) {
		size_t k = (size_t)(rows[i] - cur->socks);
		const struct diff_entry *e = prev && k < d.n ? &d.e[k] : NULL;

		memset(&extra[i], 0, sizeof(extra[i]));
		if (e && (e->flags & DIFF_RATES)) {
			extra[i].rates = true;
			extra[i].rx = e->rx_rate;
			extra[i].tx = e->tx_rate;
		}
		/* without a first dump, no state has an age: the rules that
		 * need one stay quiet */
		extra[i].hint = (uint8_t)traffic_diagnose_with(prev ? h : NULL, &peers, rows[i]);
	}
	diag_peers_free(&peers);
	diff_free(&d);
	history_free(h);
}

/* ---- the grouped document ---- */

static int cmp_rows(const void *pa, const void *pb)
{
	const struct group_row *x = pa, *y = pb;

	if ((x->key == GROUP_NONE) != (y->key == GROUP_NONE))
		return x->key == GROUP_NONE ? 1 : -1;
	if (x->nsocks != y->nsocks)
		return x->nsocks > y->nsocks ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static void put_rate(struct buf *out, const struct group_row *r, double v, bool json)
{
	if (!r->nrates)
		buf_puts(out, json ? "null" : "");
	else
		buf_printf(out, "%.0f", v);
}

/* The group's name: its command (escaped), "" for no process. */
static void label(struct buf *out, const struct group_set *g, const struct group_row *r,
		  const struct output_ctx *ctx, bool json)
{
	char l[32];
	size_t len = group_label(g, r, ctx->pm, l, sizeof(l));

	if (json)
		esc_json(out, l, len);
	else
		esc_display(out, l, len, ctx->cs);
}

static const unsigned kinds[] = { SP_TCP, SP_UDP, SP_UNIX, SP_RAW };

static void groups_json(struct buf *out, const struct output_ctx *ctx, const struct group_set *g,
			const struct sock *const *rows)
{
	buf_printf(out, "{\"group_by\": \"%s\", \"groups\": [", group_by_name(g->by));
	for (size_t i = 0; i < g->n; i++) {
		const struct group_row *r = &g->rows[i];

		buf_puts(out, i ? ",\n" : "\n");
		if (r->key == GROUP_NONE) {
			buf_puts(out, "{\"process\": null");
		} else {
			buf_printf(out, "{\"process\": {\"pid\": %lld, \"comm\": \"", (long long)r->key);
			label(out, g, r, ctx, true);
			buf_puts(out, "\"}");
		}
		buf_printf(out, ", \"count\": %u, \"kinds\": {", r->nsocks);
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			buf_printf(out, "%s\"%s\": %u", k ? ", " : "", sock_proto_name(kinds[k]),
				   r->kind[kinds[k]]);
		buf_puts(out, "}, \"states\": {");
		for (unsigned st = 0, first = 1; st < SS_MAX_; st++) {
			if (!r->state[st])
				continue;
			buf_printf(out, "%s\"%s\": %u", first ? "" : ", ", sock_state_str(st),
				   r->state[st]);
			first = 0;
		}
		buf_puts(out, "}, \"rx_rate\": ");
		put_rate(out, r, r->rx, true);
		buf_puts(out, ", \"tx_rate\": ");
		put_rate(out, r, r->tx, true);
		buf_puts(out, ", \"sockets\": [");
		for (size_t m = 0; m < r->n; m++) {
			uint32_t k = g->members[r->first + m];

			buf_puts(out, m ? ",\n  " : "\n  ");
			output_json_sock(out, ctx, rows[k], k);
		}
		buf_puts(out, "]}");
	}
	buf_printf(out, "%s], \"totals\": {\"count\": %zu, \"shared\": %zu, \"rx_rate\": ",
		   g->n ? "\n" : "", g->nsocks, g->shared);
	if (ctx->rates)
		buf_printf(out, "%.0f, \"tx_rate\": %.0f", g->total_rx, g->total_tx);
	else
		buf_puts(out, "null, \"tx_rate\": null");
	buf_puts(out, ", \"rates_note\": \"TCP only: the kernel keeps no byte counts for UDP, raw "
		 "or Unix sockets\"}}\n");
}

static void groups_csv(struct buf *out, const struct output_ctx *ctx, const struct group_set *g)
{
	struct buf l = BUF_INIT;

	buf_puts(out, "pid,comm,count,tcp,udp,unix,raw,listen,estab,time_wait,close_wait,"
		 "rx_rate,tx_rate\n");
	for (size_t i = 0; i < g->n; i++) {
		const struct group_row *r = &g->rows[i];
		bool quote;

		if (r->key != GROUP_NONE)
			buf_printf(out, "%lld", (long long)r->key);
		buf_putc(out, ',');
		buf_reset(&l);
		label(&l, g, r, ctx, false);
		quote = l.len && strpbrk(l.data, ",\" \n\r");
		if (quote)
			buf_putc(out, '"');
		for (size_t k = 0; k < l.len; k++) {
			if (l.data[k] == '"')
				buf_putc(out, '"');
			buf_putc(out, l.data[k]);
		}
		if (quote)
			buf_putc(out, '"');
		buf_printf(out, ",%u,%u,%u,%u,%u,%u,%u,%u,%u,", r->nsocks, r->kind[SP_TCP],
			   r->kind[SP_UDP], r->kind[SP_UNIX], r->kind[SP_RAW], r->state[SS_LISTEN],
			   r->state[SS_ESTABLISHED], r->state[SS_TIME_WAIT], r->state[SS_CLOSE_WAIT]);
		put_rate(out, r, r->rx, false);
		buf_putc(out, ',');
		put_rate(out, r, r->tx, false);
		buf_putc(out, '\n');
	}
	buf_free(&l);
}

static void groups_table(struct buf *out, const struct output_ctx *ctx, const struct group_set *g)
{
	struct buf l = BUF_INIT;
	char rx[16], tx[16];

	buf_printf(out, "%-16s %7s %6s %5s %5s %5s %4s %6s %6s %6s %6s %8s %8s\n", _("Process"),
		   _("PID"), _("Socks"), "TCP", "UDP", "Unix", "Raw", "Listen", "Estab", "TimeW",
		   "CloseW", _("Rx/s"), _("Tx/s"));
	for (size_t i = 0; i < g->n; i++) {
		const struct group_row *r = &g->rows[i];
		size_t w;

		buf_reset(&l);
		if (r->key == GROUP_NONE) {
			buf_puts(&l, _("(no process)"));
			w = esc_width(l.data, l.len, ctx->cs);
		} else {
			label(&l, g, r, ctx, false);
			w = esc_width(l.data ? l.data : "", l.len, ctx->cs);
		}
		buf_append(out, l.data ? l.data : "", l.len);
		for (; w < 17; w++)
			buf_putc(out, ' ');
		if (r->key != GROUP_NONE)
			buf_printf(out, "%7lld ", (long long)r->key);
		else
			buf_puts(out, "        ");
		if (r->nrates) {
			output_rate(r->rx, rx, sizeof(rx));
			output_rate(r->tx, tx, sizeof(tx));
		} else {
			strcpy(rx, "-");
			strcpy(tx, "-");
		}
		buf_printf(out, "%6u %5u %5u %5u %4u %6u %6u %6u %6u %8s %8s\n", r->nsocks,
			   r->kind[SP_TCP], r->kind[SP_UDP], r->kind[SP_UNIX], r->kind[SP_RAW],
			   r->state[SS_LISTEN], r->state[SS_ESTABLISHED], r->state[SS_TIME_WAIT],
			   r->state[SS_CLOSE_WAIT], rx, tx);
	}
	if (ctx->rates) {
		output_rate(g->total_rx, rx, sizeof(rx));
		output_rate(g->total_tx, tx, sizeof(tx));
		buf_printf(out, _("total: %zu sockets, rx %sB/s, tx %sB/s (TCP only: the kernel keeps "
				  "no byte counts for UDP, raw or Unix sockets)\n"),
			   g->nsocks, rx, tx);
	}
	buf_free(&l);
}

void batch_format_groups(struct buf *out, const struct output_ctx *ctx, enum group_by by,
			 const struct sock *const *rows, size_t n)
{
	struct group_input *in = xcalloc(n ? n : 1, sizeof(*in));
	struct group_set g;

	for (size_t i = 0; i < n; i++) {
		in[i].s = rows[i];
		if (ctx->extra && ctx->extra[i].rates) {
			in[i].rates = true;
			in[i].rx = ctx->extra[i].rx;
			in[i].tx = ctx->extra[i].tx;
		}
	}
	group_init(&g);
	group_build(&g, by, in, n, ctx->pm);
	/* members stay attached: sort the rows (each carries its range) */
	qsort(g.rows, g.n, sizeof(*g.rows), cmp_rows);
	switch (ctx->format) {
	case FMT_JSON: groups_json(out, ctx, &g, rows); break;
	case FMT_CSV: groups_csv(out, ctx, &g); break;
	case FMT_TABLE:
	default: groups_table(out, ctx, &g); break;
	}
	group_free(&g);
	free(in);
}
