/* history_bench.c - what the per-socket history and the diagnosis cost
 * the live table (issue 15): memory per socket and CPU per refresh, with
 * and without them, at N sockets (default 10^5).
 *
 *   bench/history_bench [N] [REFRESHES]
 *
 * Builds N synthetic TCP connections with tcp_info (their byte counters
 * move every refresh, as on a busy server), then commits REFRESHES
 * snapshots (default 30) into the live view's table (table_commit: the
 * diff, the rows, the sort, and with history the samples and the hints),
 * once with the history off (the table as it was before) and once with it
 * on, and prints the median time per commit and the history's bytes per
 * socket. Run by hand: its figures depend on the machine. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"
#include "table.h"

static double now_ms(void)
{
	struct timespec ts;

	/* CPU time: the figure stays meaningful on a loaded machine */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void fill(struct snapshot *snap, size_t n, int round)
{
	for (size_t i = 0; i < n; i++) {
		struct sock *s = snapshot_add(snap);

		s->proto = s->key.proto = SP_TCP;
		s->family = s->key.family = 2;
		s->cookie = s->key.cookie = i + 1;
		s->inode = s->key.inode = (uint32_t)(i + 1000);
		s->state = i % 10 ? SS_ESTABLISHED : SS_TIME_WAIT;
		s->has = SOCK_HAS_QUEUE | (i % 10 ? SOCK_HAS_TCP : 0);
		s->laddr[0] = 10;
		s->laddr[3] = (uint8_t)(i >> 16);
		s->raddr[0] = 10;
		s->raddr[2] = (uint8_t)(i >> 8);
		s->raddr[3] = (uint8_t)i;
		s->lport = 443;
		s->rport = (uint16_t)(1024 + i % 60000);
		s->send_q = (uint32_t)(i % 7) * 100;
		snapshot_ext(snap, s)->tcp.rtt_us = 1000 + (uint32_t)(i % 500);
		snapshot_ext(snap, s)->tcp.snd_cwnd = 10;
		snapshot_ext(snap, s)->tcp.snd_wnd = 65535;
		snapshot_ext(snap, s)->tcp.info_len = 240;
		snapshot_ext(snap, s)->tcp.bytes_acked = (uint64_t)round * (i % 1000) * 100;
		snapshot_ext(snap, s)->tcp.bytes_received = (uint64_t)round * (i % 100) * 10;
	}
	snapshot_finish(snap);
	snap->taken_ms = (int64_t)round * 1000;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median ms per commit over `refreshes` commits; *bytes: the history's. */
static unsigned extra_cols;

static double run(size_t n, int refreshes, bool history, size_t *bytes, double *mean)
{
	struct table t;
	double *ms = calloc((size_t)refreshes, sizeof(*ms)), med;

	table_init(&t, ESC_UTF8, 0, 0, false);
	t.no_history = !history;
	/* the hints and the rates need tcp_info: a column that shows them */
	t.columns |= extra_cols;
	for (int r = 0; r < refreshes; r++) {
		double t0;

		fill(table_spare_snapshot(&t), n, r);
		t0 = now_ms();
		table_commit(&t, NULL, (int64_t)r * 1000);
		ms[r] = now_ms() - t0;
	}
	*bytes = history_bytes(t.hist);
	table_free(&t);
	*mean = 0;
	for (int r = 0; r < refreshes; r++)
		*mean += ms[r] / refreshes;
	qsort(ms, (size_t)refreshes, sizeof(*ms), cmp_d);
	med = ms[refreshes / 2];
	free(ms);
	return med;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	int refreshes = argc > 2 ? atoi(argv[2]) : 30;
	size_t b0, b1;
	double off, on, moff, mon;

	if (!n || refreshes < 1)
		return 2;
	off = run(n, refreshes, false, &b0, &moff);
	on = run(n, refreshes, true, &b1, &mon);
	printf("sockets %zu, refreshes %d\n", n, refreshes);
	printf("CPU per commit without history: %.1f ms (median)\n", off);
	printf("CPU per commit with history:    %.1f ms (median), +%.1f%%\n", on,
	       off > 0 ? (on - off) * 100.0 / off : 0.0);
	printf("CPU per commit, mean (a history round every %d s, refreshes 1 s apart): "
	       "%.1f ms without, %.1f ms with, +%.1f%%\n", HIST_SLOT_MS / 1000, moff, mon,
	       moff > 0 ? (mon - moff) * 100.0 / moff : 0.0);
	printf("history: %zu bytes in all, %.0f bytes per socket (entry %zu bytes: %d slots of "
	       "%d s = %d min), %.0f bytes per socket per minute kept\n",
	       b1, (double)b1 / (double)n, history_entry_bytes(), HIST_SLOTS, HIST_SLOT_MS / 1000,
	       HIST_SLOTS * HIST_SLOT_MS / 60000,
	       (double)b1 / (double)n / (HIST_SLOTS * HIST_SLOT_MS / 60000.0));
	return 0;
}
