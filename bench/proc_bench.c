/* proc_bench.c - times the /proc scanner on this machine.
 *
 * Usage: bench/proc_bench [NPROCS [SOCKETS_PER_PROC [REPS]]]
 * (defaults 100, 100, 20: 10^4 sockets held by 100 processes).
 *
 * Forks NPROCS children that each open SOCKETS_PER_PROC Unix sockets and
 * wait, then times over the real /proc:
 *   - procscan_full (every fd of every process),
 *   - procscan_update with nothing changed (default budget: probe + slice),
 *   - procscan_update probing only (slice 0),
 *   - procscan_update after one new socket in this process.
 * Reports the minimum and the median of REPS runs, and the cost per fd link
 * and per process of a full scan. The children are killed by pid at the end
 * (and by PR_SET_PDEATHSIG if this program dies first). Developer tool: it
 * prints, which library code never does. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "procmap.h"
#include "procscan.h"

#define MAX_REPS 1000

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Child: open n sockets, say ready, wait for the parent to go away. */
static void child(int n, int ready_fd, int hold_fd)
{
	char c = 'r';

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (int i = 0; i < n; i++)
		if (socket(AF_UNIX, SOCK_DGRAM, 0) < 0)
			c = 'e';
	if (write(ready_fd, &c, 1) != 1)
		_exit(1);
	while (read(hold_fd, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static long parse_arg(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "proc_bench: %s must be %ld..%ld, not \"%s\"\n", what, lo, hi, s);
		exit(2);
	}
	return v;
}

struct timing {
	double min, median;
};

static struct timing summarize(double *t, int n)
{
	struct timing r;

	qsort(t, (size_t)n, sizeof *t, cmp_double);
	r.min = t[0];
	r.median = t[n / 2];
	return r;
}

int main(int argc, char **argv)
{
	long nprocs = argc > 1 ? parse_arg(argv[1], 0, 5000, "NPROCS") : 100;
	long per = argc > 2 ? parse_arg(argv[2], 0, 100000, "SOCKETS_PER_PROC") : 100;
	int reps = argc > 3 ? (int)parse_arg(argv[3], 1, MAX_REPS, "REPS") : 20;
	int ready[2], hold[2];
	pid_t *kids = calloc((size_t)nprocs + 1, sizeof *kids);
	struct rlimit rl;
	static double t[MAX_REPS];

	if (!kids || pipe(ready) < 0 || pipe(hold) < 0) {
		perror("proc_bench");
		return 1;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)per + 64) {
		rl.rlim_cur = (rlim_t)per + 64;
		if (rl.rlim_max < rl.rlim_cur || setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			fprintf(stderr, "proc_bench: cannot raise the fd limit to %ld\n", per + 64);
			return 1;
		}
	}

	for (long i = 0; i < nprocs; i++) {
		pid_t p = fork();

		if (p < 0) {
			perror("proc_bench: fork");
			nprocs = i;
			break;
		}
		if (p == 0) {
			close(ready[0]);
			close(hold[1]);
			child((int)per, ready[1], hold[0]);
		}
		kids[i] = p;
	}
	close(ready[1]);
	close(hold[0]);

	/* Wait for every child, with a deadline. */
	long got = 0, errors = 0;
	double deadline = now_us() + 60e6;

	while (got < nprocs && now_us() < deadline) {
		struct pollfd pfd = { .fd = ready[0], .events = POLLIN };
		char buf[256];

		if (poll(&pfd, 1, 1000) <= 0)
			continue;

		ssize_t n = read(ready[0], buf, sizeof buf);

		if (n <= 0)
			break;
		for (ssize_t k = 0; k < n; k++)
			errors += buf[k] != 'r';
		got += n;
	}
	if (got < nprocs || errors)
		fprintf(stderr, "proc_bench: %ld of %ld children ready, %ld failed to open sockets\n",
			got, nprocs, errors);

	struct procscan *ps = procscan_new("/proc");
	struct procmap *m = procmap_new();
	const struct procscan_stats *st = procscan_stats(ps);
	struct procscan_budget defaults = PROCSCAN_BUDGET_DEFAULT;
	struct procscan_budget probe_only = { .changed = 0, .slice = 0, .hunt = 0 };
	struct timing full, upd, probe, one;
	size_t links, procs, sockets, owners;

	/* Warm the dentry cache once, as a live view would be after its
	 * first refresh. */
	if (procscan_full(ps, m) < 0) {
		perror("proc_bench: /proc");
		return 1;
	}
	for (int r = 0; r < reps; r++) {
		double t0 = now_us();

		procscan_full(ps, m);
		t[r] = now_us() - t0;
	}
	full = summarize(t, reps);
	links = st->links;
	procs = st->scanned;
	sockets = st->sockets;
	owners = procmap_nowners(m);

	size_t u_probed = 0, u_scanned = 0, u_links = 0;

	for (int r = 0; r < reps; r++) {
		double t0 = now_us();

		procscan_update(ps, m, &defaults);
		t[r] = now_us() - t0;
		u_probed += st->probed;
		u_scanned += st->scanned;
		u_links += st->links;
	}
	upd = summarize(t, reps);

	size_t p_changed = 0;

	for (int r = 0; r < reps; r++) {
		double t0 = now_us();

		procscan_update(ps, m, &probe_only);
		t[r] = now_us() - t0;
		p_changed += st->changed;
	}
	probe = summarize(t, reps);

	/* One change per run: a socket opened or closed in this process. */
	int extra = -1;

	for (int r = 0; r < reps; r++) {
		if (extra < 0) {
			extra = socket(AF_UNIX, SOCK_DGRAM, 0);
		} else {
			close(extra);
			extra = -1;
		}

		double t0 = now_us();

		procscan_update(ps, m, &probe_only);
		t[r] = now_us() - t0;
	}
	one = summarize(t, reps);

	printf("proc_bench: %ld children x %ld sockets; /proc has %zu processes, "
	       "%zu fd links, %zu socket fds (%zu owner entries)\n",
	       nprocs, per, procs, links, sockets, owners);
	printf("size probe (st_size of fd/ counts fds): %s\n", st->size_probe ? "yes" : "no");
	printf("hidden processes (fd/ not readable): %zu\n", st->hidden);
	printf("%-34s %10s %10s\n", "operation", "min ms", "median ms");
	printf("%-34s %10.3f %10.3f\n", "procscan_full", full.min / 1e3, full.median / 1e3);
	printf("%-34s %10.3f %10.3f   (avg %.0f probed, %.1f reread, %.0f links)\n",
	       "update, nothing changed (default)", upd.min / 1e3, upd.median / 1e3,
	       (double)u_probed / reps, (double)u_scanned / reps, (double)u_links / reps);
	printf("%-34s %10.3f %10.3f   (avg %.1f reread as changed)\n", "update, probe only",
	       probe.min / 1e3, probe.median / 1e3, (double)p_changed / reps);
	printf("%-34s %10.3f %10.3f\n", "update, one process changed", one.min / 1e3,
	       one.median / 1e3);
	if (links && procs)
		printf("full scan, median total divided: %.3f us per fd link, %.1f us per process\n",
		       full.median / (double)links, full.median / (double)procs);
	if (procs)
		printf("probe-only update: %.2f us per process (median)\n",
		       probe.median / (double)procs);

	/* For scale: what `ss -p` pays to map every socket (its /proc walk is
	 * the difference between the two commands, process start included in
	 * both). Skipped when ss is not installed. */
	if (system("command -v ss >/dev/null 2>&1") == 0) {
		struct timing with, without;
		int runs = reps < 5 ? reps : 5;

		for (int r = 0; r < runs; r++) {
			double t0 = now_us();

			if (system("ss -a -x -p >/dev/null 2>&1") != 0)
				break;
			t[r] = now_us() - t0;
		}
		with = summarize(t, runs);
		for (int r = 0; r < runs; r++) {
			double t0 = now_us();

			if (system("ss -a -x >/dev/null 2>&1") != 0)
				break;
			t[r] = now_us() - t0;
		}
		without = summarize(t, runs);
		printf("for scale: `ss -a -x -p` %.3f ms, `ss -a -x` %.3f ms (median of %d runs)\n",
		       with.median / 1e3, without.median / 1e3, runs);
	}

	procmap_free(m);
	procscan_free(ps);
	if (extra >= 0)
		close(extra);
	close(hold[1]);
	for (long i = 0; i < nprocs; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	free(kids);
	return 0;
}
