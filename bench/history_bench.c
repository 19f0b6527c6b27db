/* history_bench.c - what the per-socket history and the diagnosis cost
 * the live table (issue 15): CPU per refresh and memory per socket, with
 * and without them.
 *
 *   bench/history_bench [N [REFRESHES]]
 *
 * Without N it runs 10^4 and then 10^5 sockets. For each size and each of
 * three workloads it commits REFRESHES snapshots (default 330: 5.5 minutes
 * of 1-second refreshes, so every ring has filled and wrapped) into the
 * live view's table (table_commit: the diff, the rows, the sort, and with
 * history the samples, a round every HIST_SLOT_MS taken a fifth per
 * refresh, and the hints) of two tables, one with the history off (the
 * table without it) and one with it on, fed the same snapshots and
 * committed alternately:
 *
 *   idle   bench/load's mix: 60% established TCP, 10% UDP, 30% Unix, all
 *          idle (counters and queues still), as on most machines;
 *   mixed  the same with one TCP connection in ten moving data (rates, RTT,
 *          Send-Q change every slot);
 *   busy   every socket TCP, 90% moving data with every series changing
 *          every slot, 10% TIME-WAIT: the worst case per socket.
 *
 * It prints the CPU time per commit (mean over all refreshes but the
 * first, median, and the slowest), the ratio, and the history's memory: as
 * the module counts it (history_bytes: every chunk it allocated, free
 * space included) and as the allocator sees it (mallinfo2: bytes in use
 * before and after history_clear() at the end),
 * per socket and per socket per minute of history kept (HIST_SLOTS *
 * HIST_SLOT_MS). CPU time (CLOCK_PROCESS_CPUTIME_ID), so a loaded machine
 * disturbs the figures less; run by hand, its figures depend on the
 * machine. HISTORY_BENCH_LOAD=idle|mixed|busy runs one load (for perf
 * record), HISTORY_BENCH_AA=1 both tables without history (what the
 * method makes of two equal tables), HISTORY_BENCH_TRACE=1 prints every
 * refresh's times on stderr. */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"
#include "table.h"

enum load { L_IDLE, L_MIXED, L_BUSY, L_MAX_ };
static const char *const load_name[L_MAX_] = { "idle", "mixed", "busy" };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A cheap deterministic hash of (i, round) for "moving" values. */
static uint32_t mix(size_t i, int round)
{
	uint64_t x = (uint64_t)i * 0x9e3779b97f4a7c15ull ^ (uint64_t)(unsigned)round * 0xbf58476d1ce4e5b9ull;

	x ^= x >> 31;
	x *= 0x94d049bb133111ebull;
	return (uint32_t)(x >> 32);
}

static void tcp_fill(struct snapshot *snap, struct sock *s, size_t i, int round, bool moving)
{
	struct sock_tcp *t = &snapshot_ext(snap, s)->tcp;

	s->proto = s->key.proto = SP_TCP;
	s->family = s->key.family = 2;
	s->state = SS_ESTABLISHED;
	s->has = SOCK_HAS_QUEUE | SOCK_HAS_TCP;
	s->laddr[0] = 10;
	s->laddr[3] = (uint8_t)(i >> 16);
	s->raddr[0] = 10;
	s->raddr[2] = (uint8_t)(i >> 8);
	s->raddr[3] = (uint8_t)i;
	s->lport = 443;
	s->rport = (uint16_t)(1024 + i % 60000);
	t->rtt_us = 1000 + (uint32_t)(i % 500);
	t->snd_cwnd = 10;
	t->snd_wnd = 65535;
	t->info_len = 240;
	t->bytes_acked = (uint64_t)(i % 1000) * 100;
	t->bytes_received = (uint64_t)(i % 100) * 10;
	if (moving) {
		/* counters grow at a rate that changes every 5 s; the gauges
		 * and Send-Q change too */
		int slot = round / (HIST_SLOT_MS / 1000);

		t->bytes_acked += (uint64_t)round * (1000 + (i % 1000) * 100) * (uint64_t)(1 + slot % 7);
		t->bytes_received += (uint64_t)round * (100 + (i % 100) * 10) * (uint64_t)(1 + slot % 5);
		t->rtt_us += mix(i, slot) % 4000;
		t->snd_cwnd = 10 + mix(i, slot) % 90;
		t->snd_wnd = 65535 + (mix(i, slot) & 0xffff) * 8;
		t->total_retrans = (uint32_t)(slot / 3);
		s->send_q = mix(i, slot) % 100000;
	}
}

static void fill(struct snapshot *snap, size_t n, int round, enum load load)
{
	for (size_t i = 0; i < n; i++) {
		struct sock *s = snapshot_add(snap);
		size_t k = i % 10;

		s->cookie = s->key.cookie = i + 1;
		s->inode = s->key.inode = (uint32_t)(i + 1000);
		if (load == L_BUSY) {
			tcp_fill(snap, s, i, round, k != 0);
			if (!k) {
				s->state = SS_TIME_WAIT;
				s->has = SOCK_HAS_QUEUE;
				s->inode = s->key.inode = 0;
			}
		} else if (k < 6) {
			tcp_fill(snap, s, i, round, load == L_MIXED && k == 0);
		} else if (k == 6) {
			s->proto = s->key.proto = SP_UDP;
			s->family = s->key.family = 2;
			s->state = SS_CLOSE;
			s->has = SOCK_HAS_QUEUE | SOCK_HAS_DROPS;
			s->laddr[0] = 127;
			s->laddr[3] = 1;
			s->lport = (uint16_t)(1024 + i % 60000);
		} else {
			s->proto = s->key.proto = SP_UNIX;
			s->family = s->key.family = 1;
			s->state = SS_ESTABLISHED;
			s->has = SOCK_HAS_QUEUE | SOCK_HAS_PEER;
			s->peer_inode = (uint32_t)(i ^ 1) + 1000;
		}
	}
	snapshot_finish(snap);
	snap->taken_ms = (int64_t)round * 1000;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct result {
	double mean, median, max; /* ms per commit */
};

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static void stats(double *ms, int refreshes, struct result *res)
{
	/* the first commit builds everything: not a refresh like the others */
	res->mean = res->max = 0;
	for (int r = 1; r < refreshes; r++) {
		res->mean += ms[r] / (refreshes - 1);
		if (ms[r] > res->max)
			res->max = ms[r];
	}
	qsort(ms + 1, (size_t)refreshes - 1, sizeof(*ms), cmp_d);
	res->median = ms[1 + (refreshes - 1) / 2];
}

/* Two tables, one without history and one with, fed the same snapshots
 * and committed alternately (each first every other refresh), so that
 * whatever else the machine does disturbs both alike. */
static void bench(size_t n, int refreshes, enum load load)
{
	struct table t[2];
	double *ms[2], minutes = HIST_SLOTS * HIST_SLOT_MS / 60000.0, heap;
	struct result off, on;
	size_t hbytes, rings, before;

	for (int k = 0; k < 2; k++) {
		table_init(&t[k], ESC_UTF8, 0, 0, false);
		/* HISTORY_BENCH_AA=1: both without (what the method itself
		 * makes of two identical tables) */
		t[k].no_history = !k || getenv("HISTORY_BENCH_AA");
		ms[k] = calloc((size_t)refreshes, sizeof(*ms[k]));
	}
	for (int r = 0; r < refreshes; r++) {
		for (int j = 0; j < 2; j++) {
			int k = (r + j) % 2;
			double t0;

			fill(table_spare_snapshot(&t[k]), n, r, load);
			t0 = now_ms();
			table_commit(&t[k], NULL, (int64_t)r * 1000);
			ms[k][r] = now_ms() - t0;
		}
	}
	if (getenv("HISTORY_BENCH_TRACE"))
		for (int r = 0; r < refreshes; r++)
			fprintf(stderr, "%d %.2f %.2f\n", r, ms[0][r], ms[1][r]);
	hbytes = history_bytes(t[1].hist);
	rings = history_rings(t[1].hist);
	/* what the allocator gives back when the history is dropped */
	before = heap_in_use();
	history_clear(t[1].hist);
	heap = before > heap_in_use() ? (double)(before - heap_in_use()) : 0;
	for (int k = 0; k < 2; k++)
		table_free(&t[k]);
	stats(ms[0], refreshes, &off);
	stats(ms[1], refreshes, &on);
	free(ms[0]);
	free(ms[1]);
	printf("%zu sockets, %s, %d refreshes 1 s apart (a history round every %d s, "
	       "a fifth of it per refresh):\n", n, load_name[load], refreshes, HIST_SLOT_MS / 1000);
	printf("  CPU per refresh without history: mean %.2f ms, median %.2f, max %.2f\n",
	       off.mean, off.median, off.max);
	printf("  CPU per refresh with history:    mean %.2f ms, median %.2f, max %.2f\n",
	       on.mean, on.median, on.max);
	printf("  ratio with/without: mean %.3f (%+.1f%%), median %.3f, max %.3f\n",
	       on.mean / off.mean, (on.mean - off.mean) * 100.0 / off.mean, on.median / off.median,
	       on.max / off.max);
	printf("  history memory counted by the module: %zu bytes = %.1f bytes/socket = %.1f "
	       "bytes/socket/minute (%.0f min kept; %zu ring blocks)\n",
	       hbytes, (double)hbytes / (double)n, (double)hbytes / (double)n / minutes, minutes,
	       rings);
	printf("  history memory from the allocator (mallinfo2, in use before - after "
	       "history_clear): %.0f bytes = %.1f bytes/socket = %.1f bytes/socket/minute\n",
	       heap, heap / (double)n, heap / (double)n / minutes);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	int refreshes = argc > 2 ? atoi(argv[2]) : 330;

	if (refreshes < 2)
		return 2;
	printf("entry %zu bytes, ring block %zu bytes (TCP) / %zu (others): at most %zu bytes "
	       "per TCP socket for %d slots of %d s, plus its share of the index and chunks\n",
	       history_entry_bytes(), history_ring_bytes(true), history_ring_bytes(false),
	       history_entry_bytes() + history_ring_bytes(true), HIST_SLOTS, HIST_SLOT_MS / 1000);
	for (int l = 0; l < L_MAX_; l++) {
		/* HISTORY_BENCH_LOAD=idle|mixed|busy: that one only (for perf) */
		const char *only = getenv("HISTORY_BENCH_LOAD");

		if (only && strcmp(only, load_name[l]) != 0)
			continue;
		if (n) {
			bench(n, refreshes, (enum load)l);
			continue;
		}
		bench(10000, refreshes, (enum load)l);
		bench(100000, refreshes, (enum load)l);
	}
	return 0;
}
