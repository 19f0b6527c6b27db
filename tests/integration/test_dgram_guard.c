/* test_dgram_guard.c - datagram servers under attack (issue 18 items 1, 2).
 *
 * 1. The confused deputy: a user binds a Unix path, swaps it for a symlink
 *    to a socket only root can reach (in a 0700 directory) and sends to a
 *    Unix datagram echo, greeting or chat server that root runs: the
 *    root-only socket must receive nothing. Needs root (the attacker is
 *    another uid); skipped otherwise.
 * 2. Amplification: many source addresses (sockets on 127.0.0.1 to
 *    127.0.0.40) join a UDP chat and flood it: the bytes the server sends
 *    stay within EP_DGRAM_OUT_BYTES_PER_SEC (plus one burst), and a join is
 *    answered to its sender alone.
 *
 * The test runs in a network namespace of its own (testns) and is its own
 * poll loop, as test_endpoint.c is. Every wait has a deadline. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "endpoint.h"
#include "epaddr.h"
#include "testns.h"
#include "transcript.h"

#define WAIT_MS 20000
#define NOBODY 65534

/* ---- a one-endpoint poll loop ------------------------------------------ */

struct gl {
	int fd[8];
	short ev[8];
	size_t n;
	struct endpoint *ep;
};

static int gl_add(void *ctx, struct endpoint *ep, int fd, short events)
{
	struct gl *l = ctx;

	(void)ep;
	assert_true(l->n < 8);
	l->fd[l->n] = fd;
	l->ev[l->n++] = events;
	return 0;
}

static int gl_mod(void *ctx, struct endpoint *ep, int fd, short events)
{
	struct gl *l = ctx;

	(void)ep;
	for (size_t i = 0; i < l->n; i++)
		if (l->fd[i] == fd)
			l->ev[i] = events;
	return 0;
}

static void gl_del(void *ctx, struct endpoint *ep, int fd)
{
	struct gl *l = ctx;

	(void)ep;
	for (size_t i = 0; i < l->n; i++)
		if (l->fd[i] == fd) {
			l->fd[i] = l->fd[--l->n];
			l->ev[i] = l->ev[l->n];
			return;
		}
}

/* One pass: what is readable now is handled (at most max_ms of waiting). */
static void pump(struct gl *l, int max_ms)
{
	struct pollfd p[8];
	size_t n = l->n;

	for (size_t i = 0; i < n; i++) {
		p[i].fd = l->fd[i];
		p[i].events = l->ev[i];
		p[i].revents = 0;
	}
	if (poll(p, n, max_ms) > 0)
		for (size_t i = 0; i < n; i++)
			if (p[i].revents)
				endpoint_handle(l->ep, p[i].fd, p[i].revents);
}

static struct endpoint *server(struct gl *l, enum ep_kind kind, enum ep_transport tr,
			       const char *addr)
{
	struct endpoint_config cfg;
	char err[512];

	memset(l, 0, sizeof(*l));
	endpoint_config_init(&cfg, kind, tr);
	if (epaddr_parse(&cfg.addr, addr, tr == EP_UDP ? AF_INET : AF_UNIX, err, sizeof(err)) < 0)
		fail_msg("%s: %s", addr, err);
	cfg.ops.add_fd = gl_add;
	cfg.ops.mod_fd = gl_mod;
	cfg.ops.del_fd = gl_del;
	cfg.ops.ctx = l;
	l->ep = endpoint_new(&cfg, err, sizeof(err));
	if (!l->ep)
		fail_msg("endpoint_new: %s", err);
	return l->ep;
}

static bool tr_has(struct endpoint *ep, const char *needle)
{
	struct transcript *t = endpoint_transcript(ep);

	for (size_t i = 0; i < transcript_count(t); i++) {
		const struct tr_entry *e = transcript_get(t, i);

		if (memmem(e->data, e->len, needle, strlen(needle)))
			return true;
	}
	return false;
}

/* ---- item 1: the confused deputy --------------------------------------- */

static char tmpdir[64];
static bool real_root; /* root before testns (not the root of a user ns) */

/* The attacker, as uid NOBODY: binds dir/att.sock, swaps it for a symlink
 * to target, sends "PWNED" to the server. Exits 0 when all of it was done. */
static void attacker(const char *dir, const char *target, const struct epaddr *srv)
{
	struct sockaddr_un me = { .sun_family = AF_UNIX };
	int fd;

	if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
		_exit(10);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (strlen(dir) + sizeof("/att.sock") > sizeof(me.sun_path))
		_exit(14);
	memcpy(me.sun_path, dir, strlen(dir));
	memcpy(me.sun_path + strlen(dir), "/att.sock", sizeof("/att.sock"));
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0)
		_exit(11);
	if (unlink(me.sun_path) < 0 || symlink(target, me.sun_path) < 0)
		_exit(12);
	if (sendto(fd, "PWNED", 5, 0, (const struct sockaddr *)&srv->sa, srv->len) != 5)
		_exit(13);
	_exit(0);
}

static void deputy_case(enum ep_kind kind)
{
	char attdir[128], rootdir[128], vpath[160], srvname[64];
	struct sockaddr_un va = { .sun_family = AF_UNIX };
	struct gl l;
	struct endpoint *ep;
	char buf[64];
	int victim, status;
	int64_t deadline;
	pid_t pid;

	if (!real_root) {
		skip();
		return;
	}
	/* the victim: a socket only root can reach */
	snprintf(rootdir, sizeof(rootdir), "%s/root-%d", tmpdir, (int)kind);
	assert_int_equal(mkdir(rootdir, 0700), 0);
	snprintf(vpath, sizeof(vpath), "%s/victim.sock", rootdir);
	assert_true(strlen(vpath) < sizeof(va.sun_path));
	memcpy(va.sun_path, vpath, strlen(vpath) + 1);
	victim = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(victim >= 0);
	assert_int_equal(bind(victim, (struct sockaddr *)&va, sizeof(va)), 0);
	/* the attacker's own directory */
	snprintf(attdir, sizeof(attdir), "%s/att-%d", tmpdir, (int)kind);
	assert_int_equal(mkdir(attdir, 0700), 0);
	assert_int_equal(chown(attdir, NOBODY, NOBODY), 0);

	snprintf(srvname, sizeof(srvname), "@sv-deputy-%d-%d", (int)getpid(), (int)kind);
	ep = server(&l, kind, EP_UNIX_DGRAM, srvname);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		attacker(attdir, vpath, endpoint_local_addr(ep));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("the attacker failed at step %d", WEXITSTATUS(status));
	/* the server reads the datagram and decides */
	deadline = clock_now_ms() + WAIT_MS;
	while (!tr_has(ep, "PWNED") && clock_now_ms() < deadline)
		pump(&l, 50);
	assert_true(tr_has(ep, "PWNED")); /* it was received... */
	if (kind == EP_CHAT) {
		/* ...and a chat would relay the next peer's words to it */
		int other = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		sa_family_t fam = AF_UNIX; /* autobind: abstract */
		const struct epaddr *sa = endpoint_local_addr(ep);

		assert_int_equal(bind(other, (struct sockaddr *)&fam, sizeof(fam)), 0);
		assert_int_equal(sendto(other, "join", 4, 0, (const struct sockaddr *)&sa->sa, sa->len), 4);
		assert_int_equal(sendto(other, "RELAYED", 7, 0, (const struct sockaddr *)&sa->sa, sa->len), 7);
		deadline = clock_now_ms() + WAIT_MS;
		while (!tr_has(ep, "RELAYED") && clock_now_ms() < deadline)
			pump(&l, 50);
		assert_true(tr_has(ep, "RELAYED"));
		close(other);
	}
	pump(&l, 0);
	/* ...and nothing reached the root-only socket */
	if (recv(victim, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		fail_msg("the root-only socket received a datagram");
	assert_int_equal(errno, EAGAIN);
	/* the transcript says why the sender got no answer */
	assert_true(tr_has(ep, "not answered"));
	endpoint_free(ep);
	close(victim);
}

static void test_deputy_echo(void **state)
{
	(void)state;
	deputy_case(EP_ECHO);
}

static void test_deputy_greeting(void **state)
{
	(void)state;
	deputy_case(EP_GREETING);
}

static void test_deputy_chat(void **state)
{
	(void)state;
	deputy_case(EP_CHAT);
}

/* Our own uid at a path is still answered: the guard is about others. */
static void test_own_path_answered(void **state)
{
	struct sockaddr_un me = { .sun_family = AF_UNIX };
	struct gl l;
	struct endpoint *ep;
	char srvname[64], buf[16];
	int fd;
	int64_t deadline;
	ssize_t n = -1;

	(void)state;
	snprintf(srvname, sizeof(srvname), "@sv-deputy-own-%d", (int)getpid());
	ep = server(&l, EP_ECHO, EP_UNIX_DGRAM, srvname);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(me.sun_path, sizeof(me.sun_path), "%s/own.sock", tmpdir);
	assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
	assert_int_equal(sendto(fd, "hello", 5, 0, (const struct sockaddr *)&endpoint_local_addr(ep)->sa,
				endpoint_local_addr(ep)->len),
			 5);
	deadline = clock_now_ms() + WAIT_MS;
	while (n < 0 && clock_now_ms() < deadline) {
		pump(&l, 50);
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	}
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "hello", 5);
	close(fd);
	unlink(me.sun_path);
	endpoint_free(ep);
}

/* ---- item 2: amplification --------------------------------------------- */

#define NSRC 40
#define FLOOD_PER_SRC 40
#define FLOOD_SIZE 1000

static void test_udp_chat_bounded(void **state)
{
	struct gl l;
	struct endpoint *ep;
	int fd[NSRC];
	char big[FLOOD_SIZE], buf[2048];
	const struct epaddr *sa;
	int64_t t0, t1, deadline;
	uint64_t bound, out;
	size_t acks = 0;

	(void)state;
	memset(big, 'A', sizeof(big));
	ep = server(&l, EP_CHAT, EP_UDP, "127.0.0.1:0");
	sa = endpoint_local_addr(ep);
	for (int i = 0; i < NSRC; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET };

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK + (uint32_t)i); /* 127.0.0.1+i */
		fd[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		assert_true(fd[i] >= 0);
		assert_int_equal(bind(fd[i], (struct sockaddr *)&a, sizeof(a)), 0);
	}
	/* everyone joins: each gets "joined" and nothing else */
	t0 = clock_now_ms();
	for (int i = 0; i < NSRC; i++)
		assert_int_equal(sendto(fd[i], "hi", 2, 0, (const struct sockaddr *)&sa->sa, sa->len), 2);
	deadline = clock_now_ms() + WAIT_MS;
	while (endpoint_stats(ep)->clients < NSRC && clock_now_ms() < deadline)
		pump(&l, 50);
	assert_int_equal(endpoint_stats(ep)->clients, NSRC);
	pump(&l, 0);
	for (int i = 0; i < NSRC; i++) {
		ssize_t n = recv(fd[i], buf, sizeof(buf), MSG_DONTWAIT);

		assert_int_equal(n, 7);
		assert_memory_equal(buf, "joined\n", 7);
		acks++;
		assert_int_equal(recv(fd[i], buf, sizeof(buf), MSG_DONTWAIT), -1);
	}
	/* the flood: without a server-wide bound, 40 x 40 x 1000 bytes in
	 * would be 40 x 40 x 39 x 1000 = 62 MB out */
	for (int k = 0; k < FLOOD_PER_SRC; k++) {
		for (int i = 0; i < NSRC; i++)
			(void)sendto(fd[i], big, sizeof(big), 0, (const struct sockaddr *)&sa->sa,
				     sa->len);
		pump(&l, 0);
		for (int i = 0; i < NSRC; i++) /* keep the receivers' buffers free */
			while (recv(fd[i], buf, sizeof(buf), MSG_DONTWAIT) > 0)
				;
	}
	for (int k = 0; k < 20; k++) {
		pump(&l, 10);
		for (int i = 0; i < NSRC; i++)
			while (recv(fd[i], buf, sizeof(buf), MSG_DONTWAIT) > 0)
				;
	}
	t1 = clock_now_ms();
	out = endpoint_stats(ep)->bytes_out;
	/* one burst, plus the rate over the whole time (rounded up) */
	bound = (uint64_t)EP_DGRAM_OUT_BYTES_PER_SEC +
		(uint64_t)EP_DGRAM_OUT_BYTES_PER_SEC * (uint64_t)(t1 - t0 + 1) / 1000 + acks * 7;
	print_message("bytes in %llu, out %llu, bound %llu over %lld ms\n",
		      (unsigned long long)endpoint_stats(ep)->bytes_in, (unsigned long long)out,
		      (unsigned long long)bound, (long long)(t1 - t0));
	assert_true(out <= bound);
	assert_true(out > 0); /* it did relay, within the bound */
	assert_true(tr_has(ep, "answers: not answering for now"));
	for (int i = 0; i < NSRC; i++)
		close(fd[i]);
	endpoint_free(ep);
}

static int group_setup(void **state)
{
	(void)state;
	real_root = geteuid() == 0;
	if (testns_enter() < 0)
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sv-guard-XXXXXX");
	if (!mkdtemp(tmpdir) || chmod(tmpdir, 0755) < 0)
		return -1;
	signal(SIGPIPE, SIG_DFL);
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deputy_echo),
		cmocka_unit_test(test_deputy_greeting),
		cmocka_unit_test(test_deputy_chat),
		cmocka_unit_test(test_own_path_answered),
		cmocka_unit_test(test_udp_chat_bounded),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
