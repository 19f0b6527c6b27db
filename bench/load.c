/* load.c - opens and holds many sockets, spread over many processes.
 *
 * usage: load [-n SOCKETS] [-p PROCESSES] [-t SECONDS]
 *        (defaults 1000 sockets, 200 processes, 600 seconds)
 *
 * Each process holds its share (SOCKETS / PROCESSES, exactly) as:
 *   - 40% established TCP over IPv4: pairs (client + accepted end) to its
 *     own listener on 127.0.X.Y, one address per process, so connections
 *     never run short of ephemeral ports (28k per destination address);
 *   - 20% established TCP over IPv6 (::1), pairs to its own listener;
 *   - 10% bound UDP sockets, on 127.0.0.1 and ::1;
 *   - the rest Unix: a stream listener bound to a path, a tenth as
 *     connections through that path, the remainder as socketpair()s;
 *   - one odd socket left over becomes an unbound Unix datagram socket;
 *   - shares under 10: one listener and one pair (IPv6 in every third
 *     process), one UDP socket, the rest Unix.
 * A listener takes at most LOAD_PER_LISTENER sockets (its accepted ends
 * and their clients): past that the share opens another listener on a new
 * port, since a destination address and port has ~28k ephemeral ports.
 * RLIMIT_NOFILE is raised as needed (by root also the hard limit, and
 * fs.nr_open and fs.file-max when they are too low: 10^6 sockets in a few
 * processes). When
 * every process is ready, the parent prints "ready N" (N sockets held) and
 * waits (TCP sockets close by reset, leaving no TIME-WAIT behind); everything
 * exits after SECONDS, on SIGTERM/SIGINT to the parent,
 * or when the parent dies (PR_SET_PDEATHSIG). Benchmark tool only. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* sockets per listener (half of them clients, each with its own port) */
#ifndef LOAD_PER_LISTENER
#define LOAD_PER_LISTENER 40000
#endif

/* 127.0.X.Y for process idx: Y in 1..250, X the next byte. */
static uint32_t v4_addr(int idx)
{
	return 0x7f000000u | (uint32_t)(((idx / 250) & 0xff) << 8) | (uint32_t)(idx % 250 + 1);
}

static int listen_on(int family, int idx, struct sockaddr_storage *ss, socklen_t *len)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(v4_addr(idx));
		*len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		*len = sizeof(*a);
	}
	if (bind(fd, (struct sockaddr *)ss, *len) < 0 || listen(fd, 4096) < 0 ||
	    getsockname(fd, (struct sockaddr *)ss, len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* TCP ends that close by reset: when the load stops, no TIME-WAIT sockets
 * stay behind for a minute to weigh on the next measurement. */
static void no_time_wait(int fd, int family)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (family != AF_UNIX)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

/* Opens up to n sockets as connected pairs to the listener lfd at ss;
 * returns how many are open. */
static int pairs(int lfd, const struct sockaddr_storage *ss, socklen_t len, int type, int n)
{
	int made = 0;

	while (made + 2 <= n) {
		int c = socket(ss->ss_family, type | SOCK_CLOEXEC, 0);
		int a;

		if (c < 0)
			return made;
		if (connect(c, (const struct sockaddr *)ss, len) < 0) {
			close(c);
			return made;
		}
		a = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (a < 0) {
			close(c);
			return made;
		}
		no_time_wait(c, ss->ss_family);
		no_time_wait(a, ss->ss_family);
		made += 2;
	}
	return made;
}

static int udp_on(int family)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int u = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (u < 0)
		return -1;
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(0x7f000001);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	}
	if (bind(u, (struct sockaddr *)&ss, len) < 0) {
		close(u);
		return -1;
	}
	return u;
}

/* Opens n TCP sockets as listeners and connected pairs, a new listener
 * every LOAD_PER_LISTENER sockets; returns how many are open. */
static int tcp_share(int family, int idx, int n)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int made = 0;

	while (n - made >= 3) {
		int l = listen_on(family, idx, &ss, &len), want, got;

		if (l < 0)
			break;
		made++;
		want = n - made < LOAD_PER_LISTENER ? n - made : LOAD_PER_LISTENER;
		got = pairs(l, &ss, len, SOCK_STREAM, want);
		made += got;
		if (got < want - 1)
			break;
	}
	return made;
}

/* Holds n sockets; writes how many it made to ready_fd, then sleeps. */
static void child(int idx, int n, const char *dir, int ready_fd, int secs)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int made = 0, lu, i;
	int tcp4 = n * 4 / 10, tcp6 = n * 2 / 10, udp = n / 10;

	/* Small shares (10^3 sockets over 200 processes is 5 each): one
	 * listener and pair per process, over IPv6 in every third one, and a
	 * UDP socket, so that every kind still shows. */
	if (tcp4 < 3 && n >= 3) {
		tcp4 = idx % 3 == 2 ? 0 : 3;
		tcp6 = idx % 3 == 2 ? 3 : 0;
	}
	if (udp < 1 && n - tcp4 - tcp6 >= 1)
		udp = 1;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0); /* the parent died before the line above */
	made += tcp_share(AF_INET, idx, tcp4);
	made += tcp_share(AF_INET6, idx, tcp6);
	for (i = 0; i < udp; i++) {
		if (udp_on(i % 3 == 2 ? AF_INET6 : AF_INET) < 0)
			break;
		made++;
	}
	if (n - made >= 3) {
		struct sockaddr_un *su = (struct sockaddr_un *)&ss;

		memset(&ss, 0, sizeof(ss));
		su->sun_family = AF_UNIX;
		snprintf(su->sun_path, sizeof(su->sun_path), "%s/l%d.sock", dir, idx);
		len = sizeof(*su);
		lu = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (lu >= 0 && bind(lu, (struct sockaddr *)su, len) == 0 && listen(lu, 4096) == 0) {
			made++;
			made += pairs(lu, &ss, len, SOCK_STREAM, (n - made) / 10 / 2 * 2);
		}
	}
	while (made + 2 <= n) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			break;
		made += 2;
	}
	if (made < n && socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0) >= 0)
		made++;
	if (write(ready_fd, &made, sizeof(made)) != sizeof(made))
		_exit(1);
	close(ready_fd);
	sleep((unsigned)secs);
	_exit(0);
}

/* Raises the sysctl at path (fs.nr_open, fs.file-max) to at least v;
 * root only, quietly nothing otherwise. */
static void sysctl_atleast(const char *path, unsigned long v)
{
	unsigned long cur = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	if (fscanf(f, "%lu", &cur) != 1)
		cur = 0;
	fclose(f);
	if (cur >= v || !(f = fopen(path, "w")))
		return;
	if (fprintf(f, "%lu\n", v) < 0 || fclose(f) != 0)
		fprintf(stderr, "load: cannot raise %s to %lu\n", path, v);
	else
		fprintf(stderr, "load: raised %s from %lu to %lu\n", path, cur, v);
}

/* Makes room for need descriptors per process; -1 if impossible. */
static int raise_nofile(rlim_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	if (rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max < need) {
		/* root only (CAP_SYS_RESOURCE), and not past fs.nr_open */
		sysctl_atleast("/proc/sys/fs/nr_open", (unsigned long)need);
		rl.rlim_max = need;
		rl.rlim_cur = need;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return 0;
		getrlimit(RLIMIT_NOFILE, &rl);
		return -1;
	}
	rl.rlim_cur = need;
	return setrlimit(RLIMIT_NOFILE, &rl);
}

int main(int argc, char **argv)
{
	int n = 1000, procs = 200, secs = 600, opt, i, total = 0;
	int pfd[2];
	char dir[] = "/tmp/svload.XXXXXX";
	pid_t *pids;
	sigset_t set;
	struct timespec ts;

	while ((opt = getopt(argc, argv, "n:p:t:")) != -1) {
		switch (opt) {
		case 'n': n = atoi(optarg); break;
		case 'p': procs = atoi(optarg); break;
		case 't': secs = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-n SOCKETS] [-p PROCESSES] [-t SECONDS]\n", argv[0]);
			return 2;
		}
	}
	if (n < 1 || procs < 1 || secs < 1)
		return 2;
	if (procs > n)
		procs = n;
	/* the whole machine's file table: the sockets, and room for the rest */
	sysctl_atleast("/proc/sys/fs/file-max", (unsigned long)n * 2 + 65536);
	if (raise_nofile((rlim_t)(n / procs + 64)) < 0) {
		fprintf(stderr, "load: cannot raise RLIMIT_NOFILE to %d: spread the sockets over more processes (-p)\n",
			n / procs + 64);
		return 1;
	}
	if (!mkdtemp(dir) || pipe(pfd) < 0) {
		perror("load");
		return 1;
	}
	/* block the signals before forking: the children reset the mask */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pids = calloc((size_t)procs, sizeof(*pids));
	if (!pids)
		return 1;
	for (i = 0; i < procs; i++) {
		int share = n / procs + (i < n % procs);

		pids[i] = fork();
		if (pids[i] == 0) {
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			close(pfd[0]);
			child(i, share, dir, pfd[1], secs);
		}
	}
	close(pfd[1]);
	for (i = 0; i < procs; i++) {
		int made;

		if (read(pfd[0], &made, sizeof(made)) != sizeof(made))
			break;
		total += made;
	}
	printf("ready %d\n", total);
	fflush(stdout);
	ts.tv_sec = secs;
	ts.tv_nsec = 0;
	while (sigtimedwait(&set, NULL, &ts) < 0 && errno == EINTR)
		;
	for (i = 0; i < procs; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (i = 0; i < procs; i++)
		if (pids[i] > 0)
			waitpid(pids[i], NULL, 0);
	for (i = 0; i < procs; i++) {
		char p[64];

		snprintf(p, sizeof(p), "%s/l%d.sock", dir, i);
		unlink(p);
	}
	rmdir(dir);
	free(pids);
	return 0;
}
