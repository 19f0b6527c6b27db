/* load.c - opens and holds many sockets, spread over many processes.
 *
 * usage: load [-n SOCKETS] [-p PROCESSES] [-t SECONDS]
 *
 * Each process holds its share as: established TCP pairs over 127.x.y.z
 * (IPv4) and ::1 (IPv6), one listener per address family, bound UDP sockets,
 * Unix stream pairs (socketpair) and a Unix listener bound to a path. When
 * every process is ready, "ready N" is printed; all exit after SECONDS (or
 * on SIGTERM/SIGINT to the parent). For benchmarks only. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
		/* spread over 127.0.0.0/8 so ephemeral ports never run out */
		a->sin_addr.s_addr = htonl(0x7f000000u | (uint32_t)(((idx / 250) & 0xff) << 8) |
					   (uint32_t)(idx % 250 + 1));
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

/* Opens up to n TCP sockets as connected pairs to the listener. */
static int tcp_pairs(int lfd, const struct sockaddr_storage *ss, socklen_t len, int n)
{
	int made = 0;

	while (made + 2 <= n) {
		int c = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
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
		made += 2;
	}
	return made;
}

static void child(int idx, int n, const char *dir, int ready_fd, int secs)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int made = 0, l4, l6, i;
	int tcp4 = n * 4 / 10, tcp6 = n * 2 / 10, udp = n / 10;

	l4 = listen_on(AF_INET, idx, &ss, &len);
	if (l4 >= 0) {
		made++;
		made += tcp_pairs(l4, &ss, len, tcp4);
	}
	l6 = listen_on(AF_INET6, idx, &ss, &len);
	if (l6 >= 0) {
		made++;
		made += tcp_pairs(l6, &ss, len, tcp6);
	}
	for (i = 0; i < udp; i++) {
		int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in a = { .sin_family = AF_INET };

		a.sin_addr.s_addr = htonl(0x7f000001);
		if (u < 0 || bind(u, (struct sockaddr *)&a, sizeof(a)) < 0)
			break;
		made++;
	}
	{
		struct sockaddr_un su = { .sun_family = AF_UNIX };
		int us = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		snprintf(su.sun_path, sizeof(su.sun_path), "%s/l%d.sock", dir, idx);
		if (us >= 0 && bind(us, (struct sockaddr *)&su, sizeof(su)) == 0 &&
		    listen(us, 16) == 0)
			made++;
	}
	while (made + 2 <= n) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			break;
		made += 2;
	}
	if (write(ready_fd, &made, sizeof(made)) != sizeof(made))
		_exit(1);
	close(ready_fd);
	sleep((unsigned)secs);
	_exit(0);
}

int main(int argc, char **argv)
{
	int n = 1000, procs = 200, secs = 600, opt, i, total = 0;
	int pfd[2];
	char dir[] = "/tmp/svload.XXXXXX";
	pid_t *pids;
	struct rlimit rl;
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
	rl.rlim_cur = rl.rlim_max = (rlim_t)(n / procs + 64);
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_cur < (rlim_t)(n / procs + 64)) {
			fprintf(stderr, "load: RLIMIT_NOFILE too low (%lu)\n", (unsigned long)rl.rlim_cur);
			return 1;
		}
	}
	if (!mkdtemp(dir) || pipe(pfd) < 0) {
		perror("load");
		return 1;
	}
	pids = calloc((size_t)procs, sizeof(*pids));
	for (i = 0; i < procs; i++) {
		int share = n / procs + (i < n % procs);

		pids[i] = fork();
		if (pids[i] == 0) {
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
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	ts.tv_sec = secs;
	ts.tv_nsec = 0;
	sigtimedwait(&set, NULL, &ts);
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
