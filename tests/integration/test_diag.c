/* test_diag.c - the sock_diag source against the real kernel (sockets this
 * test opens on loopback and Unix) and, through the transport seam, against
 * scripted replies and faults. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "clock.h"
#include "diag.h"
#include "diag_parse.h"
#include "loopaddr.h"
#include "snapshot.h"

/* The four kinds the fake kernels here know (TCP, UDP, raw, Unix); the
 * kinds of issue 13 have tests of their own (test_diag_kinds, kinds.sh). */
#define SV_CLASSIC (SP_MASK(SP_TCP) | SP_MASK(SP_UDP) | SP_MASK(SP_RAW) | SP_MASK(SP_UNIX))

/* ---- real sockets ---- */

static uint16_t port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static int inet_bound(int family, int type)
{
	struct sockaddr_storage ss;
	socklen_t len = loopaddr(family, 0, &ss);
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, len), 0);
	return fd;
}

static int tcp_connect(int family, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopaddr(family, port, &ss);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&ss, len), 0);
	return fd;
}

static uint32_t inode_of(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return (uint32_t)st.st_ino;
}

static const struct sock *find_fd(const struct snapshot *snap, int fd)
{
	const struct sock *s = snapshot_find_inode(snap, inode_of(fd));

	if (!s)
		fail_msg("socket of fd %d (inode %u) not in the dump", fd, inode_of(fd));
	return s;
}

static void check_inet(const struct sock *s, int fd, unsigned proto, int family,
		       const char *state, uint16_t rport)
{
	uint8_t loop[16] = { 0 };

	assert_non_null(s);
	assert_int_equal(s->proto, proto);
	assert_int_equal(s->key.proto, proto);
	assert_int_equal(s->family, family);
	assert_int_equal(s->key.family, family);
	assert_int_equal(s->inode, inode_of(fd));
	assert_int_equal(s->key.inode, inode_of(fd));
	assert_string_equal(sock_state_name(s), state);
	assert_int_equal(s->lport, port_of(fd));
	assert_int_equal(s->rport, rport);
	assert_true(s->has & SOCK_HAS_UID);
	assert_int_equal(s->uid, getuid());
	assert_int_equal(inet_pton(family, family == AF_INET ? "127.0.0.1" : "::1", loop), 1);
	assert_memory_equal(s->laddr, loop, 16);
	if (rport)
		assert_memory_equal(s->raddr, loop, 16);
	assert_int_not_equal(s->cookie, 0);
	{
		uint64_t c = 0;
		socklen_t len = sizeof(c);

		assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_COOKIE, &c, &len), 0);
		assert_int_equal(s->cookie, c);
	}
}

/* The real kernel: TCP over both families in one request, sockets of both
 * found, and without tcp_info when not asked for. */
static void test_real_combined(void **state)
{
	struct diag *d = diag_open();
	struct snapshot snap;
	int l4 = inet_bound(AF_INET, SOCK_STREAM), l6 = inet_bound(AF_INET6, SOCK_STREAM);
	size_t before;

	(void)state;
	assert_non_null(d);
	snapshot_init(&snap);
	assert_int_equal(listen(l4, 4), 0);
	assert_int_equal(listen(l6, 4), 0);
	before = diag_get_stats(d)->requests;
	assert_int_equal(diag_dump(d, SP_MASK(SP_TCP), SF_ALL, &snap), 0);
	assert_int_equal(snap.status[SP_TCP], SNAP_OK);
	/* one request, unless this kernel lacks the legacy handler */
	assert_true(diag_get_stats(d)->requests - before == 1 ||
		    diag_get_stats(d)->requests - before == 3);
	check_inet(find_fd(&snap, l4), l4, SP_TCP, AF_INET, "LISTEN", 0);
	check_inet(find_fd(&snap, l6), l6, SP_TCP, AF_INET6, "LISTEN", 0);
	assert_true(find_fd(&snap, l4)->has & SOCK_HAS_TCP);

	diag_set_tcp_info(d, false);
	assert_int_equal(diag_dump(d, SP_MASK(SP_TCP), SF_ALL, &snap), 0);
	check_inet(find_fd(&snap, l6), l6, SP_TCP, AF_INET6, "LISTEN", 0);
	assert_false(find_fd(&snap, l6)->has & (SOCK_HAS_TCP | SOCK_HAS_CONG | SOCK_HAS_MEM));
	close(l4);
	close(l6);
	snapshot_free(&snap);
	diag_free(d);
}

static void test_real_inet(void **state)
{
	struct diag *d = diag_open();
	struct snapshot snap;

	(void)state;
	assert_non_null(d);
	snapshot_init(&snap);
	for (int f = 0; f < 2; f++) {
		int family = f ? AF_INET6 : AF_INET;
		int l = inet_bound(family, SOCK_STREAM), c, a, u;
		const struct sock *s;

		assert_int_equal(listen(l, 4), 0);
		c = tcp_connect(family, port_of(l));
		a = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		assert_true(a >= 0);
		assert_int_equal(write(c, "hello", 5), 5);
		{
			/* loopback delivery may be deferred: wait for it */
			struct pollfd pfd = { .fd = a, .events = POLLIN };

			assert_int_equal(poll(&pfd, 1, 10000), 1);
		}
		u = inet_bound(family, SOCK_DGRAM);

		assert_int_equal(diag_dump(d, SV_CLASSIC, SF_ALL, &snap), 0);
		assert_int_equal(snap.status[SP_TCP], SNAP_OK);
		assert_int_equal(snap.status[SP_UDP], SNAP_OK);
		assert_int_equal(snap.status[SP_UNIX], SNAP_OK);
		assert_false(snap.inconsistent);
		assert_true(snap.index_cap > 0);

		check_inet(find_fd(&snap, l), l, SP_TCP, family, "LISTEN", 0);
		check_inet(find_fd(&snap, c), c, SP_TCP, family, "ESTAB", port_of(l));
		s = find_fd(&snap, a);
		check_inet(s, a, SP_TCP, family, "ESTAB", port_of(c));
		/* 5 bytes wait unread; tcp_info and its friends came along */
		assert_int_equal(s->recv_q, 5);
		assert_true(s->has & SOCK_HAS_TCP);
		assert_true(sock_x(s)->tcp.snd_mss > 0);
		assert_int_equal(sock_x(s)->tcp.bytes_received, 5);
		assert_true(s->has & SOCK_HAS_CONG);
		assert_true(sock_x(s)->cong[0] != '\0');
		assert_true(s->has & SOCK_HAS_MEM);
		assert_true(sock_x(s)->rcvbuf > 0);
		s = find_fd(&snap, u);
		check_inet(s, u, SP_UDP, family, "UNCONN", 0);
		assert_int_equal(s->type, SOCK_DGRAM);
		assert_false(s->has & SOCK_HAS_TCP);
		assert_true(sock_is_listening(s));

		/* only IPv4 asked: the IPv6 sockets are not there, and back */
		assert_int_equal(diag_dump(d, SP_MASK(SP_TCP), family == AF_INET ? SF_INET6 : SF_INET,
					   &snap),
				 0);
		assert_null(snapshot_find_inode(&snap, inode_of(l)));
		assert_int_equal(snap.status[SP_UDP], SNAP_NOT_ASKED);
		assert_int_equal(snap.status[SP_UNIX], SNAP_NOT_ASKED);
		close(c);
		close(a);
		close(l);
		close(u);
	}
	snapshot_free(&snap);
	diag_free(d);
}

/* After shutdown(SHUT_WR) the real dump reports the kernel's shutdown
 * state of that side (INET_DIAG_SHUTDOWN); an untouched socket's is 0. */
static void test_real_shutdown(void **state)
{
	struct diag *d = diag_open();
	struct snapshot snap;
	int l = inet_bound(AF_INET, SOCK_STREAM), c, a;
	const struct sock *s;

	(void)state;
	assert_non_null(d);
	snapshot_init(&snap);
	assert_int_equal(listen(l, 4), 0);
	c = tcp_connect(AF_INET, port_of(l));
	a = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	assert_true(a >= 0);
	assert_int_equal(shutdown(c, SHUT_WR), 0);
	assert_int_equal(diag_dump(d, SP_MASK(SP_TCP), SF_INET, &snap), 0);
	s = find_fd(&snap, c);
	assert_true(s->has & SOCK_HAS_SHUTDOWN);
	assert_int_equal(s->shutdown, SOCK_SHUT_WR);
	s = find_fd(&snap, l);
	assert_true(s->has & SOCK_HAS_SHUTDOWN);
	assert_int_equal(s->shutdown, 0);
	close(a);
	close(c);
	close(l);
	snapshot_free(&snap);
	diag_free(d);
}

static void test_real_unix(void **state)
{
	static const char abstract[] = "\0sv-test\x1b[2J\0\n";
	const size_t alen = sizeof(abstract) - 1;
	char dir[] = "/tmp/svdiagXXXXXX", path[64];
	struct sockaddr_un sa;
	struct diag *d = diag_open();
	struct snapshot snap;
	const struct sock *s;
	int l, c, a, ab, pair[2];

	(void)state;
	assert_non_null(d);
	snapshot_init(&snap);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/l.sock", dir);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(l, 4), 0);
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
	a = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	assert_true(a >= 0);
	assert_int_equal(write(c, "abcd", 4), 4);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, abstract, alen);
	ab = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_int_equal(bind(ab, (struct sockaddr *)&sa,
			      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + alen)),
			 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);

	assert_int_equal(diag_dump(d, SP_MASK(SP_UNIX), 0, &snap), 0);
	assert_int_equal(snap.status[SP_UNIX], SNAP_OK);
	assert_int_equal(snap.status[SP_TCP], SNAP_NOT_ASKED);

	s = find_fd(&snap, l);
	assert_non_null(s);
	assert_int_equal(s->proto, SP_UNIX);
	assert_int_equal(s->family, AF_UNIX);
	assert_int_equal(s->type, SOCK_STREAM);
	assert_string_equal(sock_state_name(s), "LISTEN");
	assert_int_equal(sock_x(s)->name_len, strlen(path));
	assert_memory_equal(sock_x(s)->name, path, strlen(path));
	assert_true(s->has & SOCK_HAS_UID);
	assert_int_equal(s->uid, getuid());

	s = find_fd(&snap, c);
	assert_non_null(s);
	assert_string_equal(sock_state_name(s), "ESTAB");
	assert_true(s->has & SOCK_HAS_NAME);
	assert_int_equal(sock_x(s)->name_len, 0); /* unnamed */
	assert_true(s->has & SOCK_HAS_PEER);
	assert_int_equal(s->peer_inode, inode_of(a));

	s = find_fd(&snap, a);
	assert_non_null(s);
	assert_int_equal(s->peer_inode, inode_of(c));
	assert_true(s->has & SOCK_HAS_QUEUE);
	assert_int_equal(s->recv_q, 4);

	s = find_fd(&snap, ab);
	assert_non_null(s);
	assert_int_equal(s->type, SOCK_DGRAM);
	assert_string_equal(sock_state_name(s), "UNCONN");
	assert_true(sock_is_abstract(s));
	assert_int_equal(sock_x(s)->name_len, alen);
	assert_memory_equal(sock_x(s)->name, abstract, alen);

	s = find_fd(&snap, pair[0]);
	assert_non_null(s);
	assert_int_equal(s->type, SOCK_SEQPACKET);
	assert_int_equal(s->peer_inode, inode_of(pair[1]));

	close(l);
	close(c);
	close(a);
	close(ab);
	close(pair[0]);
	close(pair[1]);
	unlink(path);
	rmdir(dir);
	snapshot_free(&snap);
	diag_free(d);
}

/* Runs a non-blocking cycle to its end with poll(); returns the steps. */
static int run_cycle(struct diag *d, unsigned protos, unsigned families, struct snapshot *snap)
{
	int64_t deadline = clock_now_ms() + 10000;
	int steps = 0;

	assert_int_equal(diag_start(d, protos, families, snap), 0);
	while (diag_busy(d)) {
		struct pollfd pfd = { .fd = diag_fd(d), .events = POLLIN };
		int r;

		assert_true(clock_now_ms() < deadline);
		assert_true(pfd.fd >= 0);
		r = poll(&pfd, 1, 1000);
		assert_true(r >= 0);
		if (r == 0)
			continue;
		r = diag_step(d);
		assert_true(r >= 0);
		steps++;
		assert_int_equal(r == 1, diag_busy(d));
	}
	assert_int_equal(diag_step(d), 0); /* idle: nothing to do */
	return steps;
}

static void test_real_nonblocking(void **state)
{
	enum { NPAIRS = 300 };
	int pairs[NPAIRS][2];
	struct diag *d = diag_open();
	struct snapshot snap;
	int l, c;
	int steps;

	(void)state;
	assert_non_null(d);
	snapshot_init(&snap);
	for (int i = 0; i < NPAIRS; i++)
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pairs[i]), 0);
	l = inet_bound(AF_INET6, SOCK_STREAM);
	assert_int_equal(listen(l, 4), 0);
	c = tcp_connect(AF_INET6, port_of(l));

	steps = run_cycle(d, SV_CLASSIC, SF_ALL, &snap);
	assert_true(steps >= 1);
	assert_int_equal(snap.status[SP_TCP], SNAP_OK);
	assert_int_equal(snap.status[SP_UNIX], SNAP_OK);
	assert_true(snap.index_cap > 0); /* finished */
	check_inet(find_fd(&snap, l), l, SP_TCP, AF_INET6, "LISTEN", 0);
	check_inet(find_fd(&snap, c), c, SP_TCP, AF_INET6, "ESTAB", port_of(l));
	/* a Unix dump of several datagrams, none lost or doubled */
	for (int i = 0; i < NPAIRS; i++) {
		const struct sock *s = find_fd(&snap, pairs[i][0]);

		assert_non_null(s);
		assert_int_equal(s->peer_inode, inode_of(pairs[i][1]));
		assert_non_null(find_fd(&snap, pairs[i][1]));
	}
	assert_true(diag_get_stats(d)->datagrams > 7); /* some dump was multipart */

	for (int i = 0; i < NPAIRS; i++) {
		close(pairs[i][0]);
		close(pairs[i][1]);
	}
	close(l);
	close(c);
	snapshot_free(&snap);
	diag_free(d);
}

static void test_real_raw_status(void **state)
{
	struct diag *d = diag_open();
	struct snapshot snap;
	int r4 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);

	(void)state;
	assert_non_null(d);
	snapshot_init(&snap);
	assert_int_equal(diag_dump(d, SP_MASK(SP_RAW), SF_ALL, &snap), 0);
	/* Never a silent empty success: either raw_diag answered, or the
	 * protocol is marked unavailable with the kernel's reason. */
	if (snap.status[SP_RAW] == SNAP_OK) {
		assert_int_equal(snap.error[SP_RAW], 0);
		if (r4 >= 0) {
			const struct sock *s = find_fd(&snap, r4);

			assert_non_null(s);
			assert_int_equal(s->proto, SP_RAW);
			assert_int_equal(s->type, SOCK_RAW);
		}
	} else {
		assert_int_equal(snap.status[SP_RAW], SNAP_UNAVAILABLE);
		assert_int_equal(snap.error[SP_RAW], ENOENT);
		assert_int_equal(snap.n, 0);
	}
	if (r4 >= 0)
		close(r4);
	snapshot_free(&snap);
	diag_free(d);
}

static void test_real_cancel_then_dump(void **state)
{
	struct diag *d = diag_open();
	struct snapshot snap;
	int l = inet_bound(AF_INET, SOCK_STREAM);
	size_t restarts;

	(void)state;
	assert_non_null(d);
	snapshot_init(&snap);
	assert_int_equal(listen(l, 4), 0);
	for (int round = 0; round < 3; round++) {
		/* a dump in flight, abandoned at once or after one step */
		assert_int_equal(diag_start(d, SV_CLASSIC, SF_ALL, &snap), 0);
		assert_true(diag_busy(d));
		if (round == 1)
			assert_true(diag_step(d) >= 0);
		diag_cancel(d);
		assert_false(diag_busy(d));
		assert_true(diag_fd(d) >= 0);
		restarts = diag_get_stats(d)->other_restarts;
		assert_int_equal(diag_dump(d, SV_CLASSIC, SF_ALL, &snap), 0);
		/* no EBUSY met: the old dump was really thrown away */
		assert_int_equal(diag_get_stats(d)->other_restarts, restarts);
		assert_int_equal(snap.status[SP_TCP], SNAP_OK);
		assert_int_equal(snap.status[SP_UDP], SNAP_OK);
		assert_int_equal(snap.status[SP_UNIX], SNAP_OK);
		check_inet(find_fd(&snap, l), l, SP_TCP, AF_INET, "LISTEN", 0);
	}
	/* starting over a cycle in flight cancels it */
	assert_int_equal(diag_start(d, SV_CLASSIC, SF_ALL, &snap), 0);
	assert_int_equal(run_cycle(d, SP_MASK(SP_TCP), SF_INET, &snap) >= 1, 1);
	assert_int_equal(snap.status[SP_TCP], SNAP_OK);
	assert_int_equal(snap.status[SP_UDP], SNAP_NOT_ASKED);
	check_inet(find_fd(&snap, l), l, SP_TCP, AF_INET, "LISTEN", 0);
	close(l);
	snapshot_free(&snap);
	diag_free(d);
}

static void test_real_filter(void **state)
{
	struct diag *d = diag_open();
	struct snapshot snap;
	int l = inet_bound(AF_INET, SOCK_STREAM), c, a, pair[2];
	struct inet_diag_bc_op bc[2];
	uint8_t junk[3] = { 0xff, 0xff, 0xff };
	void *huge;

	(void)state;
	assert_non_null(d);
	snapshot_init(&snap);
	assert_int_equal(listen(l, 4), 0);
	c = tcp_connect(AF_INET, port_of(l));
	a = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	assert_true(a >= 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);

	/* states: listening only, for inet and Unix alike */
	diag_set_inet_filter(d, 1u << SS_LISTEN, NULL, 0);
	assert_int_equal(diag_dump(d, SP_MASK(SP_TCP) | SP_MASK(SP_UNIX), SF_INET, &snap), 0);
	assert_non_null(snapshot_find_inode(&snap, inode_of(l)));
	assert_null(snapshot_find_inode(&snap, inode_of(c)));
	assert_null(snapshot_find_inode(&snap, inode_of(pair[0])));
	for (size_t i = 0; i < snap.n; i++)
		assert_int_equal(snap.socks[i].state, SS_LISTEN);

	/* bytecode: source port == the listener's (listener and accepted) */
	memset(bc, 0, sizeof(bc));
	bc[0].code = INET_DIAG_BC_S_EQ;
	bc[0].yes = sizeof(bc);
	bc[0].no = sizeof(bc) + 4;
	bc[1].no = port_of(l);
	diag_set_inet_filter(d, 0, bc, sizeof(bc));
	assert_int_equal(diag_dump(d, SP_MASK(SP_TCP) | SP_MASK(SP_UNIX), SF_INET, &snap), 0);
	assert_int_equal(snap.status[SP_TCP], SNAP_OK);
	assert_non_null(snapshot_find_inode(&snap, inode_of(l)));
	assert_non_null(snapshot_find_inode(&snap, inode_of(a)));
	assert_null(snapshot_find_inode(&snap, inode_of(c)));
	assert_non_null(snapshot_find_inode(&snap, inode_of(pair[0]))); /* Unix: all states */
	for (size_t i = 0; i < snap.n; i++)
		if (snap.socks[i].proto == SP_TCP)
			assert_int_equal(snap.socks[i].lport, port_of(l));

	/* bytecode the kernel rejects: said, not hidden */
	diag_set_inet_filter(d, 0, junk, sizeof(junk));
	assert_int_equal(diag_dump(d, SP_MASK(SP_TCP) | SP_MASK(SP_UNIX), SF_INET, &snap), 0);
	assert_int_equal(snap.status[SP_TCP], SNAP_FAILED);
	assert_int_equal(snap.error[SP_TCP], EINVAL);
	assert_int_equal(snap.status[SP_UNIX], SNAP_OK);

	/* bytecode too long for an attribute */
	huge = calloc(1, 70000);
	assert_non_null(huge);
	diag_set_inet_filter(d, 0, huge, 70000);
	free(huge);
	assert_int_equal(diag_dump(d, SP_MASK(SP_TCP) | SP_MASK(SP_UNIX), SF_INET, &snap), 0);
	assert_int_equal(snap.status[SP_TCP], SNAP_FAILED);
	assert_int_equal(snap.error[SP_TCP], EMSGSIZE);
	assert_int_equal(snap.status[SP_UNIX], SNAP_OK);

	/* and back to everything */
	diag_set_inet_filter(d, ~0u, NULL, 0);
	assert_int_equal(diag_dump(d, SP_MASK(SP_TCP), SF_INET, &snap), 0);
	assert_non_null(snapshot_find_inode(&snap, inode_of(c)));

	close(l);
	close(c);
	close(a);
	close(pair[0]);
	close(pair[1]);
	snapshot_free(&snap);
	diag_free(d);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 4);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* Replays a recorded file through the parser; returns the dump's error. */
static int replay_file(const char *path, unsigned proto, struct snapshot *snap)
{
	size_t len, off = 0;
	char *buf = slurp(path, &len);
	struct diag_parser p;
	int r = 1;

	snapshot_clear(snap);
	diag_parser_init(&p, snap, proto, 0, 0);
	while (r == 1 && off < len) {
		r = diag_parse(&p, buf + off, len - off);
		assert_true(r >= 0);
		off += p.consumed;
	}
	assert_int_equal(r, 0);
	assert_int_equal(off, len);
	snapshot_finish(snap);
	free(buf);
	return p.error;
}

static void test_real_record_replay(void **state)
{
	char dir[] = "/tmp/svrecXXXXXX", path[PATH_MAX];
	struct diag *d = diag_open();
	struct snapshot snap, again;
	int l = inet_bound(AF_INET, SOCK_STREAM), pair[2];

	(void)state;
	assert_non_null(d);
	snapshot_init(&snap);
	snapshot_init(&again);
	assert_int_equal(listen(l, 4), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pair), 0);
	assert_non_null(mkdtemp(dir));
	diag_set_record_dir(d, dir);
	assert_int_equal(diag_dump(d, SP_MASK(SP_TCP) | SP_MASK(SP_UNIX) | SP_MASK(SP_RAW),
				   SF_INET, &snap),
			 0);
	diag_set_record_dir(d, NULL);
	assert_int_equal(diag_record_error(d), 0);

	snprintf(path, sizeof(path), "%s/tcp-inet.bin", dir);
	assert_int_equal(replay_file(path, SP_TCP, &again), 0);
	check_inet(find_fd(&again, l), l, SP_TCP, AF_INET, "LISTEN", 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/unix.bin", dir);
	assert_int_equal(replay_file(path, SP_UNIX, &again), 0);
	assert_int_equal(find_fd(&again, pair[0])->peer_inode, inode_of(pair[1]));
	unlink(path);
	snprintf(path, sizeof(path), "%s/raw-inet.bin", dir);
	assert_int_equal(replay_file(path, SP_RAW, &again), snap.error[SP_RAW]);
	unlink(path);
	/* not asked, not written */
	snprintf(path, sizeof(path), "%s/udp-inet.bin", dir);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(rmdir(dir), 0);

	/* an unwritable directory: the dump goes on, the error is kept */
	diag_set_record_dir(d, "/nonexistent/dir");
	assert_int_equal(diag_dump(d, SP_MASK(SP_TCP), SF_INET, &snap), 0);
	assert_int_equal(snap.status[SP_TCP], SNAP_OK);
	assert_int_equal(diag_record_error(d), ENOENT);

	close(l);
	close(pair[0]);
	close(pair[1]);
	snapshot_free(&snap);
	snapshot_free(&again);
	diag_free(d);
}

/* ---- the transport seam: scripted replies and faults ---- */

#define EV_WORDS 4096 /* 16 KiB per datagram */
#define EV_MAX 256
#define REQ_MAX 64

struct ev {
	int err;    /* recv fails with this (0: a datagram) */
	bool trunc; /* report more bytes than the buffer holds */
	size_t len;
	uint32_t data[EV_WORDS];
};

struct req_info {
	unsigned proto;
	int family;
	uint32_t seq;
	unsigned nth; /* how many requests of this (proto, family) came before */
};

struct fake {
	struct ev *q;
	size_t head, tail;
	unsigned nsend, nreset;
	int reset_errno;
	bool eintr_each, eintr_pending;
	uint32_t req[REQ_MAX][128]; /* aligned like any netlink buffer */
	size_t req_len[REQ_MAX];
	struct req_info info[REQ_MAX];
	void (*respond)(struct fake *fk, const struct req_info *ri);
};

static struct ev *ev_push(struct fake *fk)
{
	struct ev *e;

	assert_true(fk->tail < EV_MAX);
	e = &fk->q[fk->tail++];
	memset(e, 0, sizeof(*e) - sizeof(e->data));
	return e;
}

static void ev_err(struct fake *fk, int err)
{
	ev_push(fk)->err = err;
}

static struct nlmsghdr *ev_msg(struct ev *e, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh;

	assert_true(e->len + 1024 < sizeof(e->data));
	nlh = mnl_nlmsg_put_header((char *)e->data + e->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	return nlh;
}

static void ev_end(struct ev *e, struct nlmsghdr *nlh)
{
	e->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void ev_sock(struct ev *e, const struct req_info *ri, uint32_t inode, uint16_t flags)
{
	struct nlmsghdr *nlh = ev_msg(e, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI | flags, ri->seq);

	if (ri->proto == SP_UNIX) {
		struct unix_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

		m->udiag_family = AF_UNIX;
		m->udiag_type = SOCK_STREAM;
		m->udiag_state = SS_LISTEN;
		m->udiag_ino = inode;
		m->udiag_cookie[0] = inode;
	} else {
		struct inet_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

		m->idiag_family = (uint8_t)ri->family;
		m->idiag_state = SS_LISTEN;
		m->id.idiag_sport = htons(1000);
		m->id.idiag_cookie[0] = inode;
		m->idiag_inode = inode;
	}
	ev_end(e, nlh);
}

static void ev_done(struct ev *e, const struct req_info *ri, int32_t err, uint16_t flags)
{
	struct nlmsghdr *nlh = ev_msg(e, NLMSG_DONE, NLM_F_MULTI | flags, ri->seq);
	int32_t *v = mnl_nlmsg_put_extra_header(nlh, sizeof(*v));

	*v = err;
	ev_end(e, nlh);
}

static void ev_error(struct ev *e, const struct req_info *ri, int32_t err)
{
	struct nlmsghdr *nlh = ev_msg(e, NLMSG_ERROR, 0, ri->seq);
	struct nlmsgerr *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

	m->error = err;
	ev_end(e, nlh);
}

/* Inodes that say which request (and attempt) produced a record. */
static uint32_t inode_for(const struct req_info *ri, unsigned i)
{
	return 100000u * (ri->proto + 1) + 10000u * (ri->family == AF_INET6) + 100u * ri->nth + i;
}

/* The ordinary answer: two sockets in one datagram, DONE in the next. */
static void respond_normal(struct fake *fk, const struct req_info *ri)
{
	struct ev *e = ev_push(fk);

	ev_sock(e, ri, inode_for(ri, 1), 0);
	ev_sock(e, ri, inode_for(ri, 2), 0);
	ev_done(ev_push(fk), ri, 0, 0);
}

static ssize_t fake_send(void *ctx, const void *buf, size_t len)
{
	struct fake *fk = ctx;
	const struct nlmsghdr *nlh = buf;
	const uint8_t *pl = (const uint8_t *)buf + sizeof(*nlh);
	struct req_info ri;

	assert_true(fk->nsend < REQ_MAX);
	assert_true(len <= sizeof(fk->req[0]));
	memcpy(fk->req[fk->nsend], buf, len);
	fk->req_len[fk->nsend] = len;
	assert_int_equal(nlh->nlmsg_len, len);
	ri.family = pl[0];
	ri.proto = pl[0] == AF_UNIX ? SP_UNIX
		   : pl[1] == IPPROTO_TCP ? SP_TCP
		   : pl[1] == IPPROTO_UDP ? SP_UDP
					  : SP_RAW;
	ri.seq = nlh->nlmsg_seq;
	ri.nth = 0;
	for (unsigned i = 0; i < fk->nsend; i++)
		if (fk->info[i].proto == ri.proto && fk->info[i].family == ri.family)
			ri.nth++;
	fk->info[fk->nsend++] = ri;
	fk->respond(fk, &ri);
	return (ssize_t)len;
}

static ssize_t fake_recv(void *ctx, void *buf, size_t len)
{
	struct fake *fk = ctx;
	struct ev *e;

	if (fk->head == fk->tail) {
		errno = EAGAIN;
		return -1;
	}
	if (fk->eintr_each && !fk->eintr_pending) {
		fk->eintr_pending = true;
		errno = EINTR;
		return -1;
	}
	fk->eintr_pending = false;
	e = &fk->q[fk->head++];
	if (e->err) {
		errno = e->err;
		return -1;
	}
	memcpy(buf, e->data, e->len < len ? e->len : len);
	return e->trunc ? (ssize_t)len + 100 : (ssize_t)e->len;
}

static int fake_reset(void *ctx)
{
	struct fake *fk = ctx;

	fk->nreset++;
	/* a new socket: nothing of the old dump arrives any more */
	fk->head = fk->tail;
	if (fk->reset_errno) {
		errno = fk->reset_errno;
		return -1;
	}
	return 0;
}

static const struct diag_transport_ops fake_ops = {
	.send = fake_send,
	.recv = fake_recv,
	.reset = fake_reset,
};

struct seam {
	struct diag *d;
	struct fake *fk;
	struct snapshot snap;
};

static int seam_setup(void **state)
{
	struct seam *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	s->fk = calloc(1, sizeof(*s->fk));
	assert_non_null(s->fk);
	s->fk->q = calloc(EV_MAX, sizeof(*s->fk->q));
	assert_non_null(s->fk->q);
	s->fk->respond = respond_normal;
	s->d = diag_open();
	assert_non_null(s->d);
	diag_set_transport(s->d, &fake_ops, s->fk);
	snapshot_init(&s->snap);
	*state = s;
	return 0;
}

static int seam_teardown(void **state)
{
	struct seam *s = *state;

	diag_free(s->d);
	snapshot_free(&s->snap);
	free(s->fk->q);
	free(s->fk);
	free(s);
	return 0;
}

static const struct sock *find_ino(const struct snapshot *snap, uint32_t ino)
{
	return snapshot_find_inode(snap, ino);
}

static size_t count_req(const struct fake *fk, unsigned proto, int family)
{
	size_t n = 0;

	for (unsigned i = 0; i < fk->nsend; i++)
		n += fk->info[i].proto == proto && fk->info[i].family == family;
	return n;
}

static void respond_missing(struct fake *fk, const struct req_info *ri)
{
	if (ri->proto == SP_RAW)
		ev_done(ev_push(fk), ri, -ENOENT, 0); /* no raw_diag */
	else if (ri->proto == SP_UDP)
		ev_error(ev_push(fk), ri, -ENOENT); /* no handler at all */
	else
		respond_normal(fk, ri);
}

static void test_seam_missing_module(void **state)
{
	struct seam *s = *state;

	s->fk->respond = respond_missing;
	assert_int_equal(diag_dump(s->d, SV_CLASSIC, SF_ALL, &s->snap), 0);
	assert_int_equal(s->snap.status[SP_TCP], SNAP_OK);
	assert_int_equal(s->snap.status[SP_UNIX], SNAP_OK);
	assert_int_equal(s->snap.status[SP_RAW], SNAP_UNAVAILABLE);
	assert_int_equal(s->snap.error[SP_RAW], ENOENT);
	assert_int_equal(s->snap.status[SP_UDP], SNAP_UNAVAILABLE);
	assert_int_equal(s->snap.error[SP_UDP], ENOENT);
	assert_int_equal(s->snap.n, 2 * 2 + 2); /* TCP x2 families, Unix */
	assert_int_equal(s->fk->nsend, 7);
	assert_false(s->snap.inconsistent);
}

static void test_seam_eintr(void **state)
{
	struct seam *s = *state;

	s->fk->eintr_each = true;
	assert_int_equal(diag_dump(s->d, SV_CLASSIC, SF_ALL, &s->snap), 0);
	for (unsigned p = 0; p <= SP_UNIX; p++)
		assert_int_equal(s->snap.status[p], SNAP_OK);
	assert_int_equal(s->snap.n, 14);
	assert_int_equal(s->fk->nsend, 7); /* no restart needed */
}

static void respond_enobufs_once(struct fake *fk, const struct req_info *ri)
{
	if (ri->proto == SP_TCP && ri->family == AF_INET && ri->nth == 0) {
		struct ev *e = ev_push(fk);

		ev_sock(e, ri, inode_for(ri, 1), 0);
		ev_err(fk, ENOBUFS); /* the rest was dropped */
		return;
	}
	respond_normal(fk, ri);
}

static void test_seam_enobufs_restart(void **state)
{
	struct seam *s = *state;
	const struct req_info first = { SP_TCP, AF_INET, 0, 0 }, second = { SP_TCP, AF_INET, 0, 1 };

	s->fk->respond = respond_enobufs_once;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP) | SP_MASK(SP_UDP), SF_INET, &s->snap), 0);
	assert_int_equal(s->snap.status[SP_TCP], SNAP_OK);
	assert_int_equal(s->snap.status[SP_UDP], SNAP_OK);
	/* the half dump was thrown away, the full one kept */
	assert_null(find_ino(&s->snap, inode_for(&first, 1)));
	assert_non_null(find_ino(&s->snap, inode_for(&second, 1)));
	assert_non_null(find_ino(&s->snap, inode_for(&second, 2)));
	assert_int_equal(s->snap.n, 4);
	assert_int_equal(count_req(s->fk, SP_TCP, AF_INET), 2);
	assert_int_equal(diag_get_stats(s->d)->other_restarts, 1);
	assert_true(s->fk->nreset >= 1);
}

static void respond_enobufs_always(struct fake *fk, const struct req_info *ri)
{
	if (ri->proto == SP_TCP && ri->family == AF_INET)
		ev_err(fk, ENOBUFS);
	else
		respond_normal(fk, ri);
}

static void test_seam_enobufs_gives_up(void **state)
{
	struct seam *s = *state;

	s->fk->respond = respond_enobufs_always;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP) | SP_MASK(SP_UNIX), SF_ALL, &s->snap), 0);
	assert_int_equal(s->snap.status[SP_TCP], SNAP_FAILED);
	assert_int_equal(s->snap.error[SP_TCP], ENOBUFS);
	assert_int_equal(s->snap.status[SP_UNIX], SNAP_OK);
	assert_int_equal(count_req(s->fk, SP_TCP, AF_INET), 1 + DIAG_MAX_RESTARTS);
	/* IPv6 TCP and Unix still came through */
	assert_int_equal(s->snap.n, 4);
}

static void respond_intr(struct fake *fk, const struct req_info *ri, unsigned times)
{
	if (ri->proto == SP_TCP && ri->family == AF_INET6 && ri->nth < times) {
		struct ev *e = ev_push(fk);

		ev_sock(e, ri, inode_for(ri, 1), 0);
		ev_sock(e, ri, inode_for(ri, 2), NLM_F_DUMP_INTR);
		ev_done(ev_push(fk), ri, 0, NLM_F_DUMP_INTR);
		return;
	}
	respond_normal(fk, ri);
}

static void respond_intr_once(struct fake *fk, const struct req_info *ri)
{
	respond_intr(fk, ri, 1);
}

static void respond_intr_always(struct fake *fk, const struct req_info *ri)
{
	respond_intr(fk, ri, 1000);
}

static void test_seam_dump_intr_retried(void **state)
{
	struct seam *s = *state;
	const struct req_info first = { SP_TCP, AF_INET6, 0, 0 }, second = { SP_TCP, AF_INET6, 0, 1 };

	s->fk->respond = respond_intr_once;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP), SF_ALL, &s->snap), 0);
	assert_int_equal(s->snap.status[SP_TCP], SNAP_OK);
	assert_false(s->snap.inconsistent);
	assert_null(find_ino(&s->snap, inode_for(&first, 1)));
	assert_null(find_ino(&s->snap, inode_for(&first, 2)));
	assert_non_null(find_ino(&s->snap, inode_for(&second, 1)));
	assert_int_equal(s->snap.n, 4);
	assert_int_equal(diag_get_stats(s->d)->intr_restarts, 1);
	assert_int_equal(count_req(s->fk, SP_TCP, AF_INET6), 2);
}

static void test_seam_dump_intr_inconsistent(void **state)
{
	struct seam *s = *state;
	const struct req_info last = { SP_TCP, AF_INET6, 0, DIAG_MAX_INTR_RETRIES };
	const struct req_info before = { SP_TCP, AF_INET6, 0, DIAG_MAX_INTR_RETRIES - 1 };

	s->fk->respond = respond_intr_always;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP) | SP_MASK(SP_UNIX), SF_ALL, &s->snap), 0);
	assert_true(s->snap.inconsistent);
	assert_int_equal(s->snap.status[SP_TCP], SNAP_OK);
	assert_int_equal(s->snap.status[SP_UNIX], SNAP_OK);
	assert_int_equal(count_req(s->fk, SP_TCP, AF_INET6), 1 + DIAG_MAX_INTR_RETRIES);
	/* the last attempt is what is shown */
	assert_non_null(find_ino(&s->snap, inode_for(&last, 1)));
	assert_non_null(find_ino(&s->snap, inode_for(&last, 2)));
	assert_null(find_ino(&s->snap, inode_for(&before, 1)));
	assert_int_equal(s->snap.n, 6);

	/* the next cycle starts consistent again */
	s->fk->respond = respond_normal;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP), SF_ALL, &s->snap), 0);
	assert_false(s->snap.inconsistent);
}

static void respond_ebusy_once(struct fake *fk, const struct req_info *ri)
{
	if (ri->proto == SP_UDP && ri->nth == 0)
		ev_error(ev_push(fk), ri, -EBUSY);
	else
		respond_normal(fk, ri);
}

static void test_seam_ebusy(void **state)
{
	struct seam *s = *state;

	s->fk->respond = respond_ebusy_once;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_UDP), SF_INET, &s->snap), 0);
	assert_int_equal(s->snap.status[SP_UDP], SNAP_OK);
	assert_int_equal(s->snap.n, 2);
	assert_int_equal(s->fk->nreset, 1);
	assert_int_equal(s->fk->nsend, 2);
}

static void respond_nothing(struct fake *fk, const struct req_info *ri)
{
	(void)fk;
	(void)ri;
}

static void test_seam_timeout(void **state)
{
	struct seam *s = *state;
	int64_t t0 = clock_now_ms();

	s->fk->respond = respond_nothing;
	errno = 0;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP) | SP_MASK(SP_UNIX), SF_INET, &s->snap), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_int_equal(s->snap.status[SP_TCP], SNAP_FAILED);
	assert_int_equal(s->snap.error[SP_TCP], ETIMEDOUT);
	assert_int_equal(s->snap.status[SP_UNIX], SNAP_FAILED);
	assert_false(diag_busy(s->d));
	assert_true(clock_now_ms() - t0 < DIAG_TIMEOUT_MS); /* no real wait */
}

static void test_seam_reset_fails(void **state)
{
	struct seam *s = *state;

	s->fk->respond = respond_enobufs_always;
	s->fk->reset_errno = EMFILE;
	errno = 0;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP) | SP_MASK(SP_UDP), SF_INET, &s->snap), -1);
	assert_int_equal(errno, EMFILE);
	assert_false(diag_busy(s->d));
	assert_true(s->snap.index_cap > 0); /* finished all the same */
	assert_int_equal(s->snap.status[SP_TCP], SNAP_FAILED);
	assert_int_equal(s->snap.error[SP_TCP], EMFILE);
	assert_int_equal(s->snap.status[SP_UDP], SNAP_FAILED);
	assert_int_equal(s->snap.error[SP_UDP], EMFILE);

	/* the same through the non-blocking path */
	assert_int_equal(diag_start(s->d, SP_MASK(SP_TCP), SF_INET, &s->snap), 0);
	errno = 0;
	assert_int_equal(diag_step(s->d), -1);
	assert_int_equal(errno, EMFILE);
	assert_false(diag_busy(s->d));
}

static void respond_garbage_udp(struct fake *fk, const struct req_info *ri)
{
	if (ri->proto == SP_UDP) {
		struct ev *e = ev_push(fk);

		ev_sock(e, ri, inode_for(ri, 1), 0);
		memset((char *)e->data + e->len, 0x5a, 10); /* a torn header */
		e->len += 10;
		ev_done(ev_push(fk), ri, 0, 0); /* never read: reset */
	} else if (ri->proto == SP_RAW) {
		ev_push(fk)->trunc = true;
		respond_normal(fk, ri);
	} else {
		respond_normal(fk, ri);
	}
}

static void test_seam_bad_datagrams(void **state)
{
	struct seam *s = *state;

	s->fk->respond = respond_garbage_udp;
	assert_int_equal(diag_dump(s->d, SV_CLASSIC, SF_INET, &s->snap), 0);
	assert_int_equal(s->snap.status[SP_UDP], SNAP_FAILED);
	assert_int_equal(s->snap.error[SP_UDP], EBADMSG);
	assert_int_equal(s->snap.status[SP_RAW], SNAP_FAILED);
	assert_int_equal(s->snap.error[SP_RAW], EMSGSIZE);
	assert_int_equal(s->snap.status[SP_TCP], SNAP_OK);
	assert_int_equal(s->snap.status[SP_UNIX], SNAP_OK);
	assert_int_equal(s->fk->nreset, 2);
}

static void respond_stale_first(struct fake *fk, const struct req_info *ri)
{
	struct req_info old = *ri;

	old.seq = ri->seq - 1;
	ev_sock(ev_push(fk), &old, 999, 0);
	ev_done(ev_push(fk), &old, 0, 0);
	respond_normal(fk, ri);
}

static void test_seam_stale(void **state)
{
	struct seam *s = *state;

	s->fk->respond = respond_stale_first;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP), SF_INET, &s->snap), 0);
	assert_int_equal(s->snap.status[SP_TCP], SNAP_OK);
	assert_null(find_ino(&s->snap, 999));
	assert_int_equal(s->snap.n, 2);
	assert_int_equal(diag_get_stats(s->d)->stale, 2);
}

static void test_seam_requests(void **state)
{
	struct seam *s = *state;
	static const uint8_t bc[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	const uint32_t states = (1u << SS_LISTEN) | (1u << SS_ESTABLISHED);

	diag_set_inet_filter(s->d, states, bc, sizeof(bc));
	assert_int_equal(diag_dump(s->d, SV_CLASSIC, SF_ALL, &s->snap), 0);
	assert_int_equal(s->fk->nsend, 7);
	for (unsigned i = 0; i < s->fk->nsend; i++) {
		const struct nlmsghdr *nlh = (const void *)s->fk->req[i];
		const struct req_info *ri = &s->fk->info[i];

		assert_int_equal(nlh->nlmsg_type, SOCK_DIAG_BY_FAMILY);
		assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
		assert_int_not_equal(nlh->nlmsg_seq, 0);
		for (unsigned j = 0; j < i; j++)
			assert_int_not_equal(s->fk->info[j].seq, ri->seq);
		if (ri->proto == SP_UNIX) {
			const struct unix_diag_req *u = mnl_nlmsg_get_payload(nlh);

			assert_int_equal(i, 6); /* Unix comes last */
			assert_int_equal(u->sdiag_family, AF_UNIX);
			assert_int_equal(u->udiag_states, states);
			assert_int_equal(u->udiag_show & (UDIAG_SHOW_NAME | UDIAG_SHOW_PEER |
							  UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID),
					 UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN |
						 UDIAG_SHOW_UID);
			assert_int_equal(mnl_nlmsg_get_payload_len(nlh), sizeof(*u));
		} else {
			const struct inet_diag_req_v2 *q = mnl_nlmsg_get_payload(nlh);
			const struct nlattr *a;
			unsigned nattr = 0;

			assert_int_equal(q->sdiag_family, ri->family);
			assert_int_equal(q->sdiag_protocol, ri->proto == SP_TCP   ? IPPROTO_TCP
							    : ri->proto == SP_UDP ? IPPROTO_UDP
										  : IPPROTO_RAW);
			assert_int_equal(q->idiag_states, states);
			if (ri->proto == SP_TCP)
				assert_int_equal(q->idiag_ext, (1u << (INET_DIAG_INFO - 1)) |
								       (1u << (INET_DIAG_CONG - 1)) |
								       (1u << (INET_DIAG_SKMEMINFO - 1)) |
								       (1u << (INET_DIAG_SHUTDOWN - 1)));
			else
				assert_int_equal(q->idiag_ext, 0);
			mnl_attr_for_each(a, nlh, sizeof(*q)) {
				assert_int_equal(mnl_attr_get_type(a), INET_DIAG_REQ_BYTECODE);
				assert_int_equal(mnl_attr_get_payload_len(a), sizeof(bc));
				assert_memory_equal(mnl_attr_get_payload(a), bc, sizeof(bc));
				nattr++;
			}
			assert_int_equal(nattr, 1);
		}
	}
	/* order: TCP, UDP, raw (IPv4 then IPv6), then Unix */
	assert_int_equal(s->fk->info[0].proto, SP_TCP);
	assert_int_equal(s->fk->info[0].family, AF_INET);
	assert_int_equal(s->fk->info[1].family, AF_INET6);
	assert_int_equal(s->fk->info[2].proto, SP_UDP);
	assert_int_equal(s->fk->info[4].proto, SP_RAW);

	/* states 0 means all; no bytecode, no attribute */
	s->fk->nsend = 0;
	diag_set_inet_filter(s->d, 0, NULL, 0);
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_UDP), SF_INET6, &s->snap), 0);
	assert_int_equal(s->fk->nsend, 1);
	{
		const struct nlmsghdr *nlh = (const void *)s->fk->req[0];
		const struct inet_diag_req_v2 *q = mnl_nlmsg_get_payload(nlh);

		assert_int_equal(q->idiag_states, ~0u);
		assert_int_equal(q->sdiag_family, AF_INET6);
		assert_int_equal(mnl_nlmsg_get_payload_len(nlh), sizeof(*q));
	}
}

/* The combined TCP request (TCPDIAG_GETSOCK): one IPv4 and one IPv6 socket
 * in replies of that type; every other request as usual. */
static void respond_legacy(struct fake *fk, const struct req_info *ri)
{
	const struct nlmsghdr *req = (const void *)fk->req[fk->nsend - 1];
	struct req_info r4 = *ri, r6 = *ri;
	struct ev *e;

	if (req->nlmsg_type != TCPDIAG_GETSOCK) {
		respond_normal(fk, ri);
		return;
	}
	r4.proto = r6.proto = SP_TCP;
	r4.family = AF_INET;
	r6.family = AF_INET6;
	e = ev_push(fk);
	ev_sock(e, &r4, 7001, 0);
	ev_sock(e, &r6, 7002, 0);
	/* the kernel answers in the request's own type */
	for (size_t off = 0; off < e->len;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(void *)((char *)e->data + off);

		nlh->nlmsg_type = TCPDIAG_GETSOCK;
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	ev_done(ev_push(fk), ri, 0, 0);
}

/* A kernel without the legacy handler refuses the combined request. */
static void respond_legacy_refused(struct fake *fk, const struct req_info *ri)
{
	const struct nlmsghdr *req = (const void *)fk->req[fk->nsend - 1];

	if (req->nlmsg_type == TCPDIAG_GETSOCK)
		ev_error(ev_push(fk), ri, -EOPNOTSUPP);
	else
		respond_normal(fk, ri);
}

static void test_seam_combined(void **state)
{
	struct seam *s = *state;
	static const uint8_t bc[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	const uint32_t states = 1u << SS_LISTEN;
	const struct nlmsghdr *nlh;
	const struct inet_diag_req *q;
	const struct nlattr *a;
	unsigned nattr = 0;

	s->fk->respond = respond_legacy;
	diag_set_combined_tcp(s->d, true);
	diag_set_inet_filter(s->d, states, bc, sizeof(bc));
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP) | SP_MASK(SP_UNIX), SF_ALL, &s->snap), 0);
	/* one request for TCP over both families, then Unix */
	assert_int_equal(s->fk->nsend, 2);
	nlh = (const void *)s->fk->req[0];
	assert_int_equal(nlh->nlmsg_type, TCPDIAG_GETSOCK);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	q = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(q->idiag_states, states);
	assert_int_equal(q->idiag_ext, (1u << (INET_DIAG_INFO - 1)) | (1u << (INET_DIAG_CONG - 1)) |
					       (1u << (INET_DIAG_SKMEMINFO - 1)) |
					       (1u << (INET_DIAG_SHUTDOWN - 1)));
	mnl_attr_for_each(a, nlh, sizeof(*q)) {
		assert_int_equal(mnl_attr_get_type(a), INET_DIAG_REQ_BYTECODE);
		assert_memory_equal(mnl_attr_get_payload(a), bc, sizeof(bc));
		nattr++;
	}
	assert_int_equal(nattr, 1);
	assert_int_equal(s->fk->info[1].proto, SP_UNIX);
	assert_int_equal(s->snap.status[SP_TCP], SNAP_OK);
	assert_int_equal(find_ino(&s->snap, 7001)->family, AF_INET);
	assert_int_equal(find_ino(&s->snap, 7002)->family, AF_INET6);
	assert_int_equal(find_ino(&s->snap, 7002)->proto, SP_TCP);

	/* one family asked: the ordinary request */
	s->fk->nsend = 0;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP), SF_INET6, &s->snap), 0);
	assert_int_equal(s->fk->nsend, 1);
	nlh = (const void *)s->fk->req[0];
	assert_int_equal(nlh->nlmsg_type, SOCK_DIAG_BY_FAMILY);

	/* recording keeps one request (and file) per family */
	s->fk->nsend = 0;
	diag_set_record_dir(s->d, "/nonexistent/dir");
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP), SF_ALL, &s->snap), 0);
	diag_set_record_dir(s->d, NULL);
	assert_int_equal(s->fk->nsend, 2);
	assert_int_equal(((const struct nlmsghdr *)(const void *)s->fk->req[0])->nlmsg_type,
			 SOCK_DIAG_BY_FAMILY);
}

static void test_seam_combined_refused(void **state)
{
	struct seam *s = *state;

	s->fk->respond = respond_legacy_refused;
	diag_set_combined_tcp(s->d, true);
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP) | SP_MASK(SP_UDP), SF_ALL, &s->snap), 0);
	/* refused, then one request per family: nothing is lost */
	assert_int_equal(s->fk->nsend, 5);
	assert_int_equal(((const struct nlmsghdr *)(const void *)s->fk->req[0])->nlmsg_type,
			 TCPDIAG_GETSOCK);
	assert_int_equal(s->fk->info[1].proto, SP_TCP);
	assert_int_equal(s->fk->info[1].family, AF_INET);
	assert_int_equal(s->fk->info[2].proto, SP_TCP);
	assert_int_equal(s->fk->info[2].family, AF_INET6);
	assert_int_equal(s->fk->info[3].proto, SP_UDP);
	assert_int_equal(s->snap.status[SP_TCP], SNAP_OK);
	assert_int_equal(s->snap.status[SP_UDP], SNAP_OK);
	assert_int_equal(s->snap.n, 8);
	/* remembered: the next cycle does not ask again */
	s->fk->nsend = 0;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP), SF_ALL, &s->snap), 0);
	assert_int_equal(s->fk->nsend, 2);
	assert_int_equal(((const struct nlmsghdr *)(const void *)s->fk->req[0])->nlmsg_type,
			 SOCK_DIAG_BY_FAMILY);
	assert_int_equal(s->snap.n, 4);
}

static void test_seam_tcp_info_off(void **state)
{
	struct seam *s = *state;

	diag_set_tcp_info(s->d, false);
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP), SF_INET, &s->snap), 0);
	assert_int_equal(s->fk->nsend, 1);
	{
		const struct nlmsghdr *nlh = (const void *)s->fk->req[0];
		const struct inet_diag_req_v2 *q = mnl_nlmsg_get_payload(nlh);

		assert_int_equal(q->idiag_ext, 0);
	}
	diag_set_tcp_info(s->d, true);
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP), SF_INET, &s->snap), 0);
	{
		const struct nlmsghdr *nlh = (const void *)s->fk->req[1];
		const struct inet_diag_req_v2 *q = mnl_nlmsg_get_payload(nlh);

		assert_int_not_equal(q->idiag_ext & (1u << (INET_DIAG_INFO - 1)), 0);
	}
}

static void respond_many(struct fake *fk, const struct req_info *ri)
{
	for (unsigned i = 0; i < 40; i++)
		ev_sock(ev_push(fk), ri, 5000 + i, 0);
	ev_done(ev_push(fk), ri, 0, 0);
}

static void test_seam_nonblocking_steps(void **state)
{
	struct seam *s = *state;
	int steps = 0, r;

	s->fk->respond = respond_many;
	assert_int_equal(diag_start(s->d, SP_MASK(SP_TCP) | SP_MASK(SP_UNIX), SF_INET, &s->snap), 0);
	assert_true(diag_busy(s->d));
	assert_int_equal(s->fk->nsend, 1); /* one request at a time */
	do {
		r = diag_step(s->d);
		assert_true(r >= 0);
		assert_true(++steps < 100);
	} while (r == 1);
	/* 82 datagrams at most DIAG_STEP_MAX_DGRAMS per step */
	assert_true(steps >= (2 * 41 + DIAG_STEP_MAX_DGRAMS - 1) / DIAG_STEP_MAX_DGRAMS);
	assert_false(diag_busy(s->d));
	assert_int_equal(s->fk->nsend, 2);
	assert_int_equal(s->snap.n, 80);
	assert_true(s->snap.index_cap > 0);
	assert_int_equal(diag_step(s->d), 0);

	/* an empty request set finishes at once */
	assert_int_equal(diag_start(s->d, SP_MASK(SP_TCP), 0, &s->snap), 0);
	assert_false(diag_busy(s->d));
	assert_int_equal(s->snap.n, 0);
	assert_true(s->snap.index_cap > 0);
	assert_int_equal(s->snap.status[SP_TCP], SNAP_NOT_ASKED);
	assert_int_equal(diag_dump(s->d, 0, SF_ALL, &s->snap), 0);
}

static void test_seam_cancel(void **state)
{
	struct seam *s = *state;

	assert_int_equal(diag_start(s->d, SV_CLASSIC, SF_ALL, &s->snap), 0);
	assert_true(diag_busy(s->d));
	diag_cancel(s->d);
	assert_false(diag_busy(s->d));
	assert_int_equal(s->fk->nreset, 1);
	assert_int_equal(diag_step(s->d), 0);
	diag_cancel(s->d); /* idle: nothing to do */
	assert_int_equal(s->fk->nreset, 1);
	assert_int_equal(diag_dump(s->d, SV_CLASSIC, SF_ALL, &s->snap), 0);
	assert_int_equal(s->snap.n, 14);
}

static void test_seam_recording(void **state)
{
	struct seam *s = *state;
	char dir[] = "/tmp/svrecXXXXXX", path[PATH_MAX];
	size_t len;
	char *buf;
	struct snapshot again;

	assert_non_null(mkdtemp(dir));
	diag_set_record_dir(s->d, dir);
	s->fk->respond = respond_enobufs_once;
	assert_int_equal(diag_dump(s->d, SP_MASK(SP_TCP), SF_INET, &s->snap), 0);
	diag_set_record_dir(s->d, NULL);
	assert_int_equal(diag_record_error(s->d), 0);
	snprintf(path, sizeof(path), "%s/tcp-inet.bin", dir);
	buf = slurp(path, &len);
	/* one record of the broken attempt, then the full retry */
	assert_int_equal(len, s->fk->q[0].len + s->fk->q[2].len + s->fk->q[3].len);
	assert_memory_equal(buf, s->fk->q[0].data, s->fk->q[0].len);
	free(buf);
	snapshot_init(&again);
	assert_int_equal(replay_file(path, SP_TCP, &again), 0);
	/* the recording holds what arrived, the broken attempt included */
	assert_int_equal(again.n, 3);
	snapshot_free(&again);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_inet),
		cmocka_unit_test(test_real_unix),
		cmocka_unit_test(test_real_shutdown),
		cmocka_unit_test(test_real_nonblocking),
		cmocka_unit_test(test_real_raw_status),
		cmocka_unit_test(test_real_cancel_then_dump),
		cmocka_unit_test(test_real_filter),
		cmocka_unit_test(test_real_record_replay),
		cmocka_unit_test_setup_teardown(test_seam_missing_module, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_eintr, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_enobufs_restart, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_enobufs_gives_up, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_dump_intr_retried, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_dump_intr_inconsistent, seam_setup,
						seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_ebusy, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_timeout, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_reset_fails, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_bad_datagrams, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_stale, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_requests, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_nonblocking_steps, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_cancel, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_recording, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_combined, seam_setup, seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_combined_refused, seam_setup,
						seam_teardown),
		cmocka_unit_test_setup_teardown(test_seam_tcp_info_off, seam_setup, seam_teardown),
		cmocka_unit_test(test_real_combined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
