/* filter_bench.c - how long filter_matches() takes over 10^5 records.
 *
 * Run by hand (its figures depend on the machine): builds synthetic TCP,
 * UDP and Unix records and a process map, then times a few typical filters
 * and prints nanoseconds per record and milliseconds per 10^5 records. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "filter.h"
#include "procmap.h"
#include "sock.h"

#define NREC 100000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const char *const exprs[] = {
		"tcp and state listening",
		"sport = 443 or dport = 443",
		"src 10.0.0.0/8 and not dport 22",
		"path /run/*.sock or path @*",
		"comm nginx or pid 1234",
		"user root and inet6",
		"10.1.2",
		"(tcp or udp) and not (src 127.0.0.0/8 or src ::1) and dport > 1024 and state established",
	};
	struct sock *recs = calloc(NREC, sizeof(*recs));
	struct sock_ext *xs = calloc(NREC, sizeof(*xs));
	struct procmap *pm = procmap_new();
	int rounds = argc > 1 ? atoi(argv[1]) : 5;

	if (!recs || !xs)
		return 1;
	for (int p = 1; p <= 2000; p++) {
		char comm[16];

		snprintf(comm, sizeof(comm), "proc%d", p);
		procmap_set_proc(pm, p, comm, strlen(comm), p % 3 ? 1000 : 0);
	}
	for (uint32_t i = 0; i < NREC; i++) {
		struct sock *s = &recs[i];

		s->inode = i + 1;
		s->has = SOCK_HAS_UID;
		s->uid = i % 5 ? 1000 : 0;
		procmap_add_owner(pm, s->inode, (int32_t)(i % 2000) + 1, 3);
		switch (i % 4) {
		case 0:
		case 1:
			s->proto = i % 4 ? SP_UDP : SP_TCP;
			s->family = i % 8 < 4 ? AF_INET : AF_INET6;
			if (s->family == AF_INET) {
				uint32_t a = htonl(0x0a000000u | i), b = htonl(0x7f000001u);

				memcpy(s->laddr, &a, 4);
				memcpy(s->raddr, &b, 4);
			} else {
				inet_pton(AF_INET6, "2001:db8::1", s->laddr);
				inet_pton(AF_INET6, "::1", s->raddr);
			}
			s->lport = (uint16_t)(i % 60000 + 1);
			s->rport = (uint16_t)(i % 7 ? 443 : 22);
			s->state = i % 3 ? SS_ESTABLISHED : SS_LISTEN;
			break;
		default:
			s->proto = SP_UNIX;
			s->family = AF_UNIX;
			s->state = SS_ESTABLISHED;
			s->x = &xs[i];
			xs[i].name_len = (uint8_t)snprintf(xs[i].name, sizeof(xs[i].name),
							   "/run/app%u.sock", i % 97);
			break;
		}
		s->key.proto = s->proto;
		s->key.family = s->family;
	}
	for (size_t e = 0; e < sizeof(exprs) / sizeof(exprs[0]); e++) {
		struct filter_error err;
		struct filter *f = filter_parse(exprs[e], &err);
		size_t hits = 0;
		double t0, dt;

		if (!f) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		t0 = now_s();
		for (int r = 0; r < rounds; r++)
			for (size_t i = 0; i < NREC; i++)
				hits += filter_matches(f, &recs[i], pm);
		dt = (now_s() - t0) / rounds;
		printf("%8.1f ns/record %7.2f ms/10^5  %6zu hits  %s\n", dt * 1e9 / NREC, dt * 1e3,
		       hits / (size_t)rounds, exprs[e]);
		filter_free(f);
	}
	procmap_free(pm);
	free(recs);
	free(xs);
	return 0;
}
