/* test_client_opts.c - the client's options over the real loopback, as a
 * socat or ncat user expects them: CRLF line endings reach the server
 * byte for byte, escapes send raw bytes, a half-close gives the server its
 * end of file while it can still send back, a client kept open shows
 * CLOSE-WAIT when the server closes, a chat "bye" ends that client's
 * session. The test's server is a plain socket; the endpoint's fds are
 * polled here (no loop ops), every wait has a deadline. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "endpoint.h"
#include "transcript.h"

#define WAIT_MS 10000

/* One pass: polls the endpoint's fds (and extra, if >= 0) for up to ms. */
static void pump(struct endpoint *ep, int ms)
{
	int fds[16];
	struct pollfd pfd[16];
	size_t n = endpoint_fds(ep, fds, 16);

	for (size_t i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN | POLLOUT };
	if (poll(pfd, n, ms) <= 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (pfd[i].revents)
			endpoint_handle(ep, pfd[i].fd, pfd[i].revents);
	endpoint_tick(ep, clock_now_ms());
}

#define WAIT_UNTIL(ep, cond)                                                      \
	do {                                                                      \
		int64_t end_ = clock_now_ms() + WAIT_MS;                          \
		while (!(cond)) {                                                 \
			assert_true(clock_now_ms() < end_);                       \
			pump((ep), 10);                                           \
		}                                                                 \
	} while (0)

static int listener(struct sockaddr_in *sin)
{
	socklen_t sl = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)sin, sizeof(*sin)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)sin, &sl), 0);
	return fd;
}

static struct endpoint *client(const struct sockaddr_in *sin, enum ep_eol eol, bool esc, bool keep)
{
	struct endpoint_config cfg;
	struct endpoint *ep;
	char err[256];

	endpoint_config_init(&cfg, EP_CLIENT, EP_TCP);
	assert_int_equal(epaddr_from_sockaddr(&cfg.addr, (const struct sockaddr *)sin, sizeof(*sin)), 0);
	cfg.eol = eol;
	cfg.escapes = esc;
	cfg.keep_open = keep;
	ep = endpoint_new(&cfg, err, sizeof(err));
	if (!ep)
		fail_msg("endpoint_new: %s", err);
	WAIT_UNTIL(ep, endpoint_state(ep) == EP_STATE_READY && endpoint_fds(ep, NULL, 0) &&
			       endpoint_local_addr(ep)->len);
	return ep;
}

/* Reads from the server's side until want bytes came (or EOF: -1). */
static ssize_t read_exact(struct endpoint *ep, int fd, char *buf, size_t want)
{
	size_t got = 0;
	int64_t end = clock_now_ms() + WAIT_MS;

	while (got < want) {
		ssize_t n = recv(fd, buf + got, want - got, MSG_DONTWAIT);

		if (n == 0)
			return -1;
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
		assert_true(clock_now_ms() < end);
		pump(ep, 10);
	}
	return (ssize_t)got;
}

static int accept_one(struct endpoint *ep, int lfd)
{
	int64_t end = clock_now_ms() + WAIT_MS;
	int fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0) {
		assert_true(clock_now_ms() < end);
		pump(ep, 10);
	}
	return fd;
}

static void test_crlf_exact(void **state)
{
	struct sockaddr_in sin;
	int lfd = listener(&sin), sfd;
	struct endpoint *ep = client(&sin, EP_EOL_CRLF, false, false);
	char buf[64];
	char extra;

	(void)state;
	sfd = accept_one(ep, lfd);
	assert_int_equal(endpoint_send_line(ep, "GET / HTTP/1.0", 14), 0);
	assert_int_equal(endpoint_send_line(ep, "", 0), 0);
	assert_int_equal(read_exact(ep, sfd, buf, 18), 18);
	assert_memory_equal(buf, "GET / HTTP/1.0\r\n\r\n", 18);
	/* exactly those bytes: nothing more follows */
	pump(ep, 50);
	assert_int_equal(recv(sfd, &extra, 1, MSG_DONTWAIT), -1);
	endpoint_free(ep);
	close(sfd);
	close(lfd);
}

static void test_escapes_none(void **state)
{
	struct sockaddr_in sin;
	int lfd = listener(&sin), sfd;
	struct endpoint *ep = client(&sin, EP_EOL_NONE, true, false);
	char buf[8];

	(void)state;
	sfd = accept_one(ep, lfd);
	assert_int_equal(endpoint_send_line(ep, "\\x00\\r\\n\\xff", 12), 0);
	assert_int_equal(read_exact(ep, sfd, buf, 4), 4);
	assert_memory_equal(buf, "\0\r\n\xff", 4);
	/* a malformed escape sends nothing and says where */
	assert_int_equal(endpoint_send_line(ep, "ab\\x4", 5), -1);
	assert_int_equal(errno, EINVAL);
	endpoint_free(ep);
	close(sfd);
	close(lfd);
}

static void test_half_close(void **state)
{
	struct sockaddr_in sin;
	int lfd = listener(&sin), sfd;
	struct endpoint *ep = client(&sin, EP_EOL_LF, false, false);
	char buf[16];

	(void)state;
	sfd = accept_one(ep, lfd);
	assert_int_equal(endpoint_send_line(ep, "last", 4), 0);
	assert_int_equal(read_exact(ep, sfd, buf, 5), 5);
	assert_int_equal(endpoint_shutdown_write(ep), 0);
	assert_int_equal(endpoint_shutdown_write(ep), -1);
	assert_int_equal(errno, EALREADY);
	/* the server reads its end of file... */
	assert_int_equal(read_exact(ep, sfd, buf, 1), -1);
	/* ...and can still send: the client receives it */
	assert_int_equal(send(sfd, "answer\n", 7, MSG_NOSIGNAL), 7);
	WAIT_UNTIL(ep, endpoint_stats(ep)->bytes_in == 7);
	assert_int_equal(endpoint_state(ep), EP_STATE_READY);
	/* no more sending on a shut side */
	assert_int_equal(endpoint_send_line(ep, "more", 4), -1);
	endpoint_free(ep);
	close(sfd);
	close(lfd);
}

static int fd_tcp_state(struct endpoint *ep)
{
	int fds[4];
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);

	if (endpoint_fds(ep, fds, 4) != 1 ||
	    getsockopt(fds[0], IPPROTO_TCP, TCP_INFO, &ti, &tl) < 0)
		return -1;
	return ti.tcpi_state;
}

static void test_keep_open(void **state)
{
	struct sockaddr_in sin;
	int lfd = listener(&sin), sfd;
	struct endpoint *ep = client(&sin, EP_EOL_LF, false, true);

	(void)state;
	sfd = accept_one(ep, lfd);
	close(sfd);
	WAIT_UNTIL(ep, fd_tcp_state(ep) == TCP_CLOSE_WAIT);
	/* still open and ours, and it stays so */
	pump(ep, 100);
	assert_int_equal(endpoint_state(ep), EP_STATE_READY);
	assert_int_equal(fd_tcp_state(ep), TCP_CLOSE_WAIT);
	endpoint_free(ep);
	close(lfd);
}

/* Without keep_open the client closes when the server does (as before). */
static void test_closes_by_default(void **state)
{
	struct sockaddr_in sin;
	int lfd = listener(&sin), sfd;
	struct endpoint *ep = client(&sin, EP_EOL_LF, false, false);

	(void)state;
	sfd = accept_one(ep, lfd);
	close(sfd);
	WAIT_UNTIL(ep, endpoint_state(ep) == EP_STATE_CLOSED);
	endpoint_free(ep);
	close(lfd);
}

/* A chat client saying "bye" gets "goodbye" and its session ends. */
static void test_chat_bye(void **state)
{
	struct endpoint_config cfg;
	struct endpoint *srv;
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int c, fds[8];
	char buf[16];
	ssize_t n;
	size_t got = 0;
	int64_t end = clock_now_ms() + WAIT_MS;
	char err[256];

	(void)state;
	endpoint_config_init(&cfg, EP_CHAT, EP_TCP);
	assert_int_equal(epaddr_parse(&cfg.addr, "127.0.0.1:0", AF_INET, err, sizeof(err)), 0);
	srv = endpoint_new(&cfg, err, sizeof(err));
	assert_non_null(srv);
	assert_int_equal(endpoint_fds(srv, fds, 8), 1);
	assert_int_equal(getsockname(fds[0], (struct sockaddr *)&sin, &sl), 0);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&sin, sizeof(sin)), 0);
	WAIT_UNTIL(srv, endpoint_stats(srv)->clients == 1);
	assert_int_equal(send(c, "bye\r\n", 5, MSG_NOSIGNAL), 5);
	for (;;) {
		n = recv(c, buf + got, sizeof(buf) - got, MSG_DONTWAIT);
		if (n == 0)
			break;
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		assert_true(clock_now_ms() < end);
		pump(srv, 10);
	}
	assert_int_equal(got, 8);
	assert_memory_equal(buf, "goodbye\n", 8);
	WAIT_UNTIL(srv, endpoint_stats(srv)->clients == 0);
	close(c);
	endpoint_free(srv);
}

/* A Unix seqpacket echo server: each message comes back whole (u_seq). */
static void test_seqpacket_echo(void **state)
{
	struct endpoint_config cfg;
	struct endpoint *srv;
	struct sockaddr_un su;
	char dir[] = "/tmp/sv-seqXXXXXX", path[64], err[256], buf[16];
	int c;
	ssize_t n;
	int64_t end;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/seq.sock", dir);
	endpoint_config_init(&cfg, EP_ECHO, EP_UNIX_SEQPACKET);
	assert_int_equal(epaddr_parse(&cfg.addr, path, AF_UNIX, err, sizeof(err)), 0);
	srv = endpoint_new(&cfg, err, sizeof(err));
	if (!srv)
		fail_msg("endpoint_new: %s", err);
	assert_string_equal(endpoint_transport_name(endpoint_transport(srv)), "Unix seqpacket");
	c = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	snprintf(su.sun_path, sizeof(su.sun_path), "%s", path);
	assert_int_equal(connect(c, (struct sockaddr *)&su, sizeof(su)), 0);
	for (int i = 0; i < 2; i++) {
		const char *msg = i ? "second" : "one";

		assert_int_equal(send(c, msg, strlen(msg), MSG_NOSIGNAL), (ssize_t)strlen(msg));
		end = clock_now_ms() + WAIT_MS;
		while ((n = recv(c, buf, sizeof(buf), MSG_DONTWAIT)) < 0) {
			assert_true(clock_now_ms() < end);
			pump(srv, 10);
		}
		assert_int_equal(n, (ssize_t)strlen(msg));
		assert_memory_equal(buf, msg, strlen(msg));
	}
	close(c);
	endpoint_free(srv);
	/* the socket file went with the server */
	assert_int_equal(access(path, F_OK), -1);
	rmdir(dir);
}

/* Ctrl-P's endpoint_send_file(): a file larger than the output queue
 * reaches the server byte for byte (through the poll loop, with the
 * queue's back-pressure); what is not a regular file, or too big, is
 * refused before anything is sent. */
static void test_send_file(void **state)
{
	enum { SIZE = 3 * 1024 * 1024 + 7 };
	char dir[] = "/tmp/sv-sendfile-XXXXXX", path[64], fifo[64], link[64], big[64];
	char err[256], extra;
	struct sockaddr_in sin;
	int lfd = listener(&sin), sfd, fd;
	struct endpoint *ep = client(&sin, EP_EOL_LF, false, false);
	unsigned char *data = malloc(SIZE), *got = malloc(SIZE);
	uint32_t x = 2463534242u;

	(void)state;
	assert_non_null(data);
	assert_non_null(got);
	for (size_t i = 0; i < SIZE; i++) { /* every byte value: NUL, CR, LF, ESC... */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		data[i] = (unsigned char)x;
	}
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/data", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(big, sizeof(big), "%s/big", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, SIZE), SIZE);
	close(fd);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(symlink(path, link), 0);
	fd = open(big, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)EP_FILE_MAX + 1), 0); /* sparse */
	close(fd);

	sfd = accept_one(ep, lfd);
	/* refused: nothing goes out, the endpoint carries on */
	assert_int_equal(endpoint_send_file(ep, dir, err, sizeof(err)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(endpoint_send_file(ep, fifo, err, sizeof(err)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(endpoint_send_file(ep, link, err, sizeof(err)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(endpoint_send_file(ep, "/dev/zero", err, sizeof(err)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(endpoint_send_file(ep, big, err, sizeof(err)), -1);
	assert_int_equal(errno, EFBIG);
	assert_true(strstr(err, "16") != NULL);
	assert_int_equal(endpoint_send_file(ep, "/nonexistent/sv", err, sizeof(err)), -1);
	assert_int_equal(errno, ENOENT);
	pump(ep, 20);
	assert_int_equal(recv(sfd, &extra, 1, MSG_DONTWAIT), -1);

	assert_int_equal(endpoint_send_file(ep, path, err, sizeof(err)), 0);
	if (endpoint_sending_file(ep)) { /* one at a time */
		assert_int_equal(endpoint_send_file(ep, path, err, sizeof(err)), -1);
		assert_int_equal(errno, EBUSY);
	}
	assert_int_equal(read_exact(ep, sfd, (char *)got, SIZE), SIZE);
	assert_memory_equal(got, data, SIZE);
	assert_false(endpoint_sending_file(ep));
	pump(ep, 50);
	assert_int_equal(recv(sfd, &extra, 1, MSG_DONTWAIT), -1);

	endpoint_free(ep);
	close(sfd);
	close(lfd);
	unlink(path);
	unlink(fifo);
	unlink(link);
	unlink(big);
	assert_int_equal(rmdir(dir), 0);
	free(data);
	free(got);
}

/* A Unix datagram client sends to a socket that is not sockview's (the
 * tutorial's /dev/log case): a socket the test binds in a temp dir gets
 * the exact bytes, one datagram per line. */
static void test_unix_dgram_foreign(void **state)
{
	char dir[] = "/tmp/sv-udg-XXXXXX", path[64], err[256], buf[64];
	struct sockaddr_un su = { .sun_family = AF_UNIX };
	struct endpoint_config cfg;
	struct endpoint *ep;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	(void)state;
	assert_true(fd >= 0);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log", dir);
	snprintf(su.sun_path, sizeof(su.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&su, sizeof(su)), 0);

	endpoint_config_init(&cfg, EP_CLIENT, EP_UNIX_DGRAM);
	assert_int_equal(epaddr_parse(&cfg.addr, path, AF_UNIX, err, sizeof(err)), 0);
	ep = endpoint_new(&cfg, err, sizeof(err));
	if (!ep)
		fail_msg("endpoint_new: %s", err);
	WAIT_UNTIL(ep, endpoint_state(ep) == EP_STATE_READY);
	assert_int_equal(endpoint_send_line(ep, "<14>hello", 9), 0);
	assert_int_equal(endpoint_send_line(ep, "x\\r\\n", 5), 0);
	for (int i = 0; i < 2; i++) {
		int64_t end = clock_now_ms() + WAIT_MS;

		while (poll(&pfd, 1, 10) == 0) {
			assert_true(clock_now_ms() < end);
			pump(ep, 0);
		}
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (i == 0) {
			assert_int_equal(n, 9);
			assert_memory_equal(buf, "<14>hello", 9);
		} else {
			/* escapes off: the backslashes as typed, no line end */
			assert_int_equal(n, 5);
			assert_memory_equal(buf, "x\\r\\n", 5);
		}
	}
	endpoint_free(ep);
	close(fd);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crlf_exact),
		cmocka_unit_test(test_escapes_none),
		cmocka_unit_test(test_half_close),
		cmocka_unit_test(test_keep_open),
		cmocka_unit_test(test_closes_by_default),
		cmocka_unit_test(test_chat_bye),
		cmocka_unit_test(test_seqpacket_echo),
		cmocka_unit_test(test_send_file),
		cmocka_unit_test(test_unix_dgram_foreign),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
