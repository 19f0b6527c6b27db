/* timeit.c - times commands interleaved, in one run (a small hyperfine).
 *
 * usage: timeit [-r ROUNDS] [-m MIN_RUNS] [-s SLOW_MS] [-T TIMEOUT_S]
 *               NAME CMD [NAME CMD]...
 *
 * Each round runs every command once, in a fresh random order, so that a
 * change of machine load during the run hits all commands alike (hyperfine
 * runs each command's repetitions back to back). CMD is split on blanks and
 * run directly (no shell, so no shell start-up in the figures), with stdin
 * and stdout on /dev/null; one untimed warm-up run per command first writes
 * its stdout to a temporary file to count the lines it prints. A command
 * whose median exceeds SLOW_MS after MIN_RUNS runs sits out the remaining
 * rounds (keeps runs at 10^5 sockets short); a run longer than TIMEOUT_S is
 * killed by its pid and counted as failed.
 *
 * Prints one tab-separated line per command:
 *   NAME RUNS MEDIAN_MS MIN_MS MEDIAN_CPU_MS PEAK_RSS_KB LINES STATUS
 * PEAK_RSS_KB is the largest ru_maxrss of its runs; STATUS is "ok", or
 * "exit N"/"signal N"/"timeout" for the first run that went wrong.
 * Benchmark tool only (it prints, forks and kills). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 32
#define MAX_ARGS 32
#define MAX_RUNS 1000

struct cmd {
	const char *name;
	char *argv[MAX_ARGS + 1];
	double wall[MAX_RUNS], cpu[MAX_RUNS];
	size_t runs;
	long peak_rss_kb;
	long lines;
	char status[32];
	bool slow;
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, size_t n)
{
	double s[MAX_RUNS];

	if (!n)
		return 0;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double min_of(const double *v, size_t n)
{
	double m = n ? v[0] : 0;

	for (size_t i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

/* Runs c once with stdout on out_fd; returns 0 and fills the figures, or -1
 * (c->status then says why, the first time). */
static int run_once(struct cmd *c, int out_fd, double timeout_s, double *wall,
		    double *cpu)
{
	struct rusage ru;
	double t0 = now_ms(), deadline = t0 + timeout_s * 1e3;
	int st = 0;
	pid_t pid, w;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		dup2(nul, 0);
		dup2(out_fd >= 0 ? out_fd : nul, 1);
		dup2(nul, 2);
		execvp(c->argv[0], c->argv);
		_exit(127);
	}
	/* wait, killing the child by pid if it overstays */
	for (;;) {
		w = wait4(pid, &st, WNOHANG, &ru);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -1;
		if (now_ms() > deadline) {
			kill(pid, SIGKILL);
			wait4(pid, &st, 0, &ru);
			if (!c->status[0])
				snprintf(c->status, sizeof(c->status), "timeout");
			return -1;
		}
		usleep(now_ms() - t0 < 50 ? 200 : 2000);
	}
	*wall = now_ms() - t0;
	*cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	if (ru.ru_maxrss > c->peak_rss_kb)
		c->peak_rss_kb = ru.ru_maxrss;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (!c->status[0]) {
		if (WIFEXITED(st))
			snprintf(c->status, sizeof(c->status), "exit %d", WEXITSTATUS(st));
		else
			snprintf(c->status, sizeof(c->status), "signal %d", WTERMSIG(st));
	}
	return -1;
}

static long count_lines(int fd)
{
	char buf[65536];
	long n = 0;
	ssize_t r;

	lseek(fd, 0, SEEK_SET);
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < r; i++)
			n += buf[i] == '\n';
	return n;
}

static void usage(void)
{
	fprintf(stderr, "usage: timeit [-r ROUNDS] [-m MIN_RUNS] [-s SLOW_MS] [-T TIMEOUT_S] "
			"NAME CMD [NAME CMD]...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct cmd cmds[MAX_CMDS];
	size_t ncmds = 0, rounds = 10, min_runs = 3, order[MAX_CMDS];
	double slow_ms = 3000, timeout_s = 120;
	int opt;

	while ((opt = getopt(argc, argv, "r:m:s:T:")) != -1) {
		switch (opt) {
		case 'r': rounds = strtoul(optarg, NULL, 10); break;
		case 'm': min_runs = strtoul(optarg, NULL, 10); break;
		case 's': slow_ms = strtod(optarg, NULL); break;
		case 'T': timeout_s = strtod(optarg, NULL); break;
		default: usage();
		}
	}
	if (rounds < 1 || rounds > MAX_RUNS || min_runs < 1 || (argc - optind) % 2 ||
	    argc == optind)
		usage();
	for (int i = optind; i < argc; i += 2) {
		struct cmd *c = &cmds[ncmds];
		char *save = NULL, *tok;
		size_t n = 0;

		if (ncmds == MAX_CMDS)
			usage();
		c->name = argv[i];
		for (tok = strtok_r(argv[i + 1], " \t", &save); tok && n < MAX_ARGS;
		     tok = strtok_r(NULL, " \t", &save))
			c->argv[n++] = tok;
		if (!n)
			usage();
		order[ncmds] = ncmds;
		ncmds++;
	}
	srand((unsigned)time(NULL) ^ (unsigned)getpid());

	/* warm-up: caches, and the line count */
	for (size_t k = 0; k < ncmds; k++) {
		char path[] = "/tmp/timeit.XXXXXX";
		int fd = mkstemp(path);
		double w, cp;

		if (fd < 0) {
			perror("timeit");
			return 1;
		}
		unlink(path);
		cmds[k].lines = run_once(&cmds[k], fd, timeout_s, &w, &cp) == 0 ? count_lines(fd) : -1;
		close(fd);
		cmds[k].peak_rss_kb = 0;
		if (cmds[k].status[0])
			cmds[k].slow = true; /* broken: not worth timing */
	}
	for (size_t r = 0; r < rounds; r++) {
		for (size_t k = ncmds; k > 1; k--) {
			size_t j = (size_t)rand() % k, t = order[k - 1];

			order[k - 1] = order[j];
			order[j] = t;
		}
		for (size_t k = 0; k < ncmds; k++) {
			struct cmd *c = &cmds[order[k]];
			double w, cp;

			if (c->slow)
				continue;
			if (run_once(c, -1, timeout_s, &w, &cp) < 0) {
				c->slow = true;
				continue;
			}
			c->wall[c->runs] = w;
			c->cpu[c->runs] = cp;
			c->runs++;
			if (c->runs >= min_runs && median(c->wall, c->runs) > slow_ms)
				c->slow = true;
		}
	}
	for (size_t k = 0; k < ncmds; k++) {
		const struct cmd *c = &cmds[k];

		printf("%s\t%zu\t%.1f\t%.1f\t%.1f\t%ld\t%ld\t%s\n", c->name, c->runs,
		       median(c->wall, c->runs), min_of(c->wall, c->runs),
		       median(c->cpu, c->runs), c->peak_rss_kb, c->lines,
		       c->status[0] ? c->status : "ok");
	}
	return 0;
}
