/* diag_record.c - records real sock_diag dumps into test fixtures.
 *
 * Usage (as root, from the build directory):
 *     tests/diag_record ../main/tests/fixtures
 *
 * It enters a new, empty network namespace (so the dumps hold only its own
 * sockets and stay small), brings loopback up, opens one socket of every
 * kind (TCP listener, connected pair and a TIME-WAIT on 127.0.0.1 and ::1,
 * UDP bound and connected (no data queued:
 * UDP queues count skb memory, not bytes), a raw ICMP socket, Unix stream and datagram
 * sockets with a path, an abstract name holding NUL and ESC bytes, and an
 * unnamed socketpair), dumps everything with diag_set_record_dir() and
 * writes manifest.txt: what test_diag_parse must find in each recording.
 *
 * manifest.txt lines:
 *   result FILE ERRNO            the dump of FILE.bin ended with ERRNO
 *   sock FILE STATE TYPE LADDR LPORT RADDR RPORT INODE COOKIE UID RECVQ
 *        PEER NAMEHEX            one socket ("-" for no address / no name;
 *                                 COOKIE 0: find it by ports and state)
 * This is a developer tool; it is built by make check but never run by it. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "diag.h"
#include "loopaddr.h"
#include "snapshot.h"

#define PORT_LISTEN 41000
#define PORT_CLIENT 41001
#define PORT_UDP 41002
#define PORT_UDP_PEER 41003
#define PORT_TW_LISTEN 41010
#define PORT_TW_CLIENT 41011

static FILE *manifest;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die("SIOCSIFFLAGS lo");
	close(fd);
}


static int inet_sock(int family, int type, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopaddr(family, port, &ss);
	int one = 1;
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		die("bind");
	return fd;
}

static void inet_connect(int fd, int family, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopaddr(family, port, &ss);

	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		die("connect");
}

static uint32_t inode_of(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		die("fstat");
	return (uint32_t)st.st_ino;
}

static uint64_t cookie_of(int fd)
{
	uint64_t c = 0;
	socklen_t len = sizeof(c);

	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &c, &len) < 0)
		die("SO_COOKIE");
	return c;
}

static void hex(const void *p, size_t len, char *out)
{
	const unsigned char *b = p;

	if (!len) {
		strcpy(out, "-");
		return;
	}
	for (size_t i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static const char *loop_str(int family)
{
	return family == AF_INET ? "127.0.0.1" : "::1";
}

static void put_inet(const char *file, const char *state, int type, int family, int fd,
		     uint16_t lport, uint16_t rport, uint32_t recvq)
{
	fprintf(manifest, "sock %s %s %d %s %u %s %u %u %llu %u %u 0 -\n", file, state,
		type, loop_str(family), lport, rport ? loop_str(family) : (family == AF_INET ? "0.0.0.0" : "::"),
		rport, fd >= 0 ? inode_of(fd) : 0,
		fd >= 0 ? (unsigned long long)cookie_of(fd) : 0ull, fd >= 0 ? (unsigned)getuid() : 0,
		recvq);
}

static void put_unix(const char *state, int type, int fd, const void *name, size_t nlen,
		     uint32_t peer, uint32_t recvq)
{
	char h[2 * sizeof(((struct sockaddr_un *)0)->sun_path) + 2];

	hex(name, nlen, h);
	fprintf(manifest, "sock unix %s %d - 0 - 0 %u %llu %u %u %u %s\n", state, type,
		inode_of(fd), (unsigned long long)cookie_of(fd), (unsigned)getuid(), recvq, peer, h);
}

static int unix_bound(int type, const void *name, size_t nlen)
{
	struct sockaddr_un a;
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, name, nlen);
	if (bind(fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + nlen)) < 0)
		die("bind unix");
	return fd;
}

static void unix_connect(int fd, const void *name, size_t nlen)
{
	struct sockaddr_un a;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, name, nlen);
	if (connect(fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + nlen)) < 0)
		die("connect unix");
}

/* Waits (bounded) until the client of the TIME-WAIT pair is in TIME-WAIT. */
static void wait_time_wait(struct diag *d, int family)
{
	struct snapshot snap;
	int64_t deadline = clock_now_ms() + 5000;

	snapshot_init(&snap);
	for (;;) {
		if (diag_dump(d, SP_MASK(SP_TCP), family == AF_INET ? SF_INET : SF_INET6, &snap) < 0)
			die("diag_dump");
		for (size_t i = 0; i < snap.n; i++)
			if (snap.socks[i].state == SS_TIME_WAIT &&
			    snap.socks[i].lport == PORT_TW_CLIENT) {
				snapshot_free(&snap);
				return;
			}
		if (clock_now_ms() > deadline) {
			fprintf(stderr, "no TIME-WAIT socket appeared\n");
			exit(1);
		}
		usleep(10000);
	}
}

int main(int argc, char **argv)
{
	static const char abstract[] = "\0sv\x1b[31m\0fixture\n";
	const size_t abstract_len = sizeof(abstract) - 1;
	char dir[] = "/tmp/svfixXXXXXX", path_stream[64], path_dgram[64], path[PATH_MAX];
	struct diag *d;
	struct snapshot snap;
	int fds[2];

	if (argc != 2) {
		fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
		return 2;
	}
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare(CLONE_NEWNET) (run as root)");
	loopback_up();
	for (unsigned p = 0; p < SP_NPROTO; p++)
		for (int f = 0; f < 3; f++) {
			static const int fam[3] = { AF_INET, AF_INET6, AF_UNIX };
			const char *name = diag_record_name(p, (unsigned)fam[f]);

			if (!name)
				continue;
			snprintf(path, sizeof(path), "%s/%s.bin", argv[1], name);
			if (unlink(path) < 0 && errno != ENOENT)
				die(path);
		}
	snprintf(path, sizeof(path), "%s/manifest.txt", argv[1]);
	manifest = fopen(path, "w");
	if (!manifest)
		die(path);
	d = diag_open();
	if (!d)
		die("diag_open");

	for (int f = 0; f < 2; f++) {
		int family = f ? AF_INET6 : AF_INET;
		const char *file = f ? "tcp-inet6" : "tcp-inet";
		const char *ufile = f ? "udp-inet6" : "udp-inet";
		int l = inet_sock(family, SOCK_STREAM, PORT_LISTEN);
		int c = inet_sock(family, SOCK_STREAM, PORT_CLIENT);
		int a, u1, u2, tl, tc, ta;

		if (listen(l, 8) < 0)
			die("listen");
		inet_connect(c, family, PORT_LISTEN);
		a = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		if (a < 0)
			die("accept");
		if (write(c, "hello", 5) != 5)
			die("write");
		put_inet(file, "LISTEN", SOCK_STREAM, family, l, PORT_LISTEN, 0, 0);
		put_inet(file, "ESTAB", SOCK_STREAM, family, c, PORT_CLIENT, PORT_LISTEN, 0);
		put_inet(file, "ESTAB", SOCK_STREAM, family, a, PORT_LISTEN, PORT_CLIENT, 5);

		/* TIME-WAIT: the client closes first, then the server. */
		tl = inet_sock(family, SOCK_STREAM, PORT_TW_LISTEN);
		if (listen(tl, 8) < 0)
			die("listen");
		tc = inet_sock(family, SOCK_STREAM, PORT_TW_CLIENT);
		inet_connect(tc, family, PORT_TW_LISTEN);
		ta = accept4(tl, NULL, NULL, SOCK_CLOEXEC);
		if (ta < 0)
			die("accept");
		close(tc);
		close(ta);
		close(tl);
		wait_time_wait(d, family);
		put_inet(file, "TIME-WAIT", SOCK_STREAM, family, -1, PORT_TW_CLIENT,
			 PORT_TW_LISTEN, 0);

		u1 = inet_sock(family, SOCK_DGRAM, PORT_UDP);
		u2 = inet_sock(family, SOCK_DGRAM, PORT_UDP_PEER);
		inet_connect(u2, family, PORT_UDP);
		put_inet(ufile, "UNCONN", SOCK_DGRAM, family, u1, PORT_UDP, 0, 0);
		put_inet(ufile, "ESTAB", SOCK_DGRAM, family, u2, PORT_UDP_PEER, PORT_UDP, 0);
		/* kept open until exit: the fds are deliberately leaked */
	}
	if (socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP) < 0 ||
	    socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6) < 0)
		die("raw socket");

	if (!mkdtemp(dir))
		die("mkdtemp");
	snprintf(path_stream, sizeof(path_stream), "%s/stream", dir);
	snprintf(path_dgram, sizeof(path_dgram), "%s/dgram", dir);
	{
		int ls = unix_bound(SOCK_STREAM, path_stream, strlen(path_stream) + 1);
		int cs = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int as, dg, ab;

		if (listen(ls, 8) < 0 || cs < 0)
			die("unix listen");
		unix_connect(cs, path_stream, strlen(path_stream) + 1);
		as = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
		if (as < 0)
			die("unix accept");
		if (write(cs, "abc", 3) != 3)
			die("write unix");
		put_unix("LISTEN", SOCK_STREAM, ls, path_stream, strlen(path_stream), 0, 0);
		put_unix("ESTAB", SOCK_STREAM, cs, NULL, 0, inode_of(as), 0);
		put_unix("ESTAB", SOCK_STREAM, as, path_stream, strlen(path_stream), inode_of(cs), 3);

		dg = unix_bound(SOCK_DGRAM, path_dgram, strlen(path_dgram) + 1);
		put_unix("UNCONN", SOCK_DGRAM, dg, path_dgram, strlen(path_dgram), 0, 0);
		ab = unix_bound(SOCK_SEQPACKET, abstract, abstract_len);
		if (listen(ab, 8) < 0)
			die("listen abstract");
		put_unix("LISTEN", SOCK_SEQPACKET, ab, abstract, abstract_len, 0, 0);
		if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, fds) < 0)
			die("socketpair");
		put_unix("ESTAB", SOCK_DGRAM, fds[0], NULL, 0, inode_of(fds[1]), 0);
	}

	diag_set_record_dir(d, argv[1]);
	snapshot_init(&snap);
	if (diag_dump(d, SP_MASK_ALL, SF_ALL, &snap) < 0)
		die("diag_dump");
	if (diag_record_error(d)) {
		errno = diag_record_error(d);
		die("recording");
	}
	for (unsigned p = 0; p < SP_NPROTO; p++) {
		/* both families of a protocol end alike on one kernel */
		if (p == SP_UNIX) {
			fprintf(manifest, "result unix %d\n", snap.error[p]);
			continue;
		}
		fprintf(manifest, "result %s %d\n", diag_record_name(p, AF_INET), snap.error[p]);
		fprintf(manifest, "result %s %d\n", diag_record_name(p, AF_INET6), snap.error[p]);
	}
	printf("%zu sockets recorded into %s\n", snap.n, argv[1]);
	snapshot_free(&snap);
	diag_free(d);
	if (fclose(manifest) != 0)
		die("manifest");
	unlink(path_stream);
	unlink(path_dgram);
	rmdir(dir);
	return 0;
}
