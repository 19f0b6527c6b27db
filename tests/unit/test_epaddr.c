/* test_epaddr.c - parsing, printing and suggesting endpoint addresses. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "epaddr.h"

/* Parses text and returns its escaped printed form (static buffer). */
static const char *roundtrip(const char *text, int family)
{
	static char out[EPADDR_STRLEN];
	struct epaddr a;
	char err[256];

	if (epaddr_parse(&a, text, family, err, sizeof(err)) < 0) {
		snprintf(out, sizeof(out), "ERR %s", err);
		return out;
	}
	return epaddr_str(&a, out, sizeof(out));
}

static void test_ip_forms(void **state)
{
	(void)state;
	assert_string_equal(roundtrip("127.0.0.1:5000", AF_UNSPEC), "127.0.0.1:5000");
	assert_string_equal(roundtrip("5000", AF_UNSPEC), "127.0.0.1:5000");
	assert_string_equal(roundtrip("5000", AF_INET6), "[::1]:5000");
	assert_string_equal(roundtrip("[::1]:80", AF_UNSPEC), "[::1]:80");
	assert_string_equal(roundtrip("[::1]:80", AF_INET6), "[::1]:80");
	assert_string_equal(roundtrip("[2001:db8::7]:65535", AF_UNSPEC), "[2001:db8::7]:65535");
	assert_string_equal(roundtrip("localhost:9", AF_UNSPEC), "127.0.0.1:9");
	assert_string_equal(roundtrip("localhost:9", AF_INET6), "[::1]:9");
	assert_string_equal(roundtrip("*:7", AF_INET), "0.0.0.0:7");
	assert_string_equal(roundtrip("*:7", AF_INET6), "[::]:7");
	assert_string_equal(roundtrip("0", AF_UNSPEC), "127.0.0.1:0");
	assert_string_equal(roundtrip("[::1%lo]:22", AF_INET6), "[::1%lo]:22");
}

static void expect_error(const char *text, int family, const char *needle)
{
	struct epaddr a;
	char err[256] = "";

	errno = 0;
	assert_int_equal(epaddr_parse(&a, text, family, err, sizeof(err)), -1);
	assert_int_equal(errno, EINVAL);
	if (!strstr(err, needle))
		fail_msg("parsing \"%s\": message \"%s\" lacks \"%s\"", text, err, needle);
}

static void test_ip_errors(void **state)
{
	(void)state;
	expect_error("", AF_UNSPEC, "empty");
	expect_error("65536", AF_UNSPEC, "0 to 65535");
	expect_error("127.0.0.1:99999", AF_UNSPEC, "0 to 65535");
	expect_error("127.0.0.1:-1", AF_UNSPEC, "0 to 65535");
	expect_error("127.0.0.1:80x", AF_UNSPEC, "0 to 65535");
	expect_error("127.0.0.1:", AF_UNSPEC, "missing");
	expect_error(":80", AF_UNSPEC, "empty");
	expect_error("::1:80", AF_UNSPEC, "brackets");
	expect_error("[::1]", AF_UNSPEC, "followed by :port");
	expect_error("[::1]x:80", AF_UNSPEC, "followed by :port");
	expect_error("300.1.1.1:80", AF_UNSPEC, "not an IPv4 address");
	expect_error("example.com:80", AF_UNSPEC, "not an IPv4 address");
	expect_error("[::zz]:80", AF_UNSPEC, "not an IPv6 address");
	expect_error("[::1]:80", AF_INET, "IPv6 address was given");
	expect_error("127.0.0.1:80", AF_INET6, "IPv4 address was given");
	expect_error("/tmp/x.sock", AF_INET, "Unix socket address");
	expect_error("[::1%nosuchif0]:80", AF_INET6, "unknown network interface");
}

static void test_unix_forms(void **state)
{
	struct epaddr a, b;
	char err[256];

	(void)state;
	assert_string_equal(roundtrip("/run/x.sock", AF_UNSPEC), "/run/x.sock");
	assert_string_equal(roundtrip("./x.sock", AF_UNSPEC), "./x.sock");
	assert_string_equal(roundtrip("x.sock", AF_UNIX), "x.sock");
	assert_string_equal(roundtrip("@sockview", AF_UNSPEC), "@sockview");

	assert_int_equal(epaddr_parse(&a, "/run/x.sock", AF_UNSPEC, err, sizeof(err)), 0);
	assert_int_equal(a.family, AF_UNIX);
	assert_string_equal(epaddr_path(&a), "/run/x.sock");
	assert_false(epaddr_is_abstract(&a));
	assert_int_equal(epaddr_port(&a), 0);

	assert_int_equal(epaddr_parse(&b, "@name", AF_UNIX, err, sizeof(err)), 0);
	assert_true(epaddr_is_abstract(&b));
	assert_null(epaddr_path(&b));
	/* The abstract name is the bytes after the NUL, no padding. */
	assert_int_equal(b.len, offsetof(struct sockaddr_un, sun_path) + 1 + 4);
	assert_false(epaddr_equal(&a, &b));
}

static void test_unix_limits(void **state)
{
	char path[200], err[256];
	struct epaddr a;

	(void)state;
	/* 107 bytes fit (with the NUL, sun_path's 108); 108 do not. */
	memset(path, 'p', sizeof(path));
	path[0] = '/';
	path[107] = '\0';
	assert_int_equal(epaddr_parse(&a, path, AF_UNIX, err, sizeof(err)), 0);
	assert_int_equal(strlen(epaddr_path(&a)), 107);
	path[107] = 'p';
	path[108] = '\0';
	expect_error(path, AF_UNIX, "108 bytes long; the limit is 107");
	expect_error(path, AF_UNSPEC, "limit is 107");

	path[0] = '@';
	path[108] = '\0'; /* 107 bytes of name */
	assert_int_equal(epaddr_parse(&a, path, AF_UNIX, err, sizeof(err)), 0);
	path[108] = 'p';
	path[109] = '\0';
	expect_error(path, AF_UNIX, "abstract name is 108 bytes");
	expect_error("@", AF_UNIX, "empty");
}

static void test_abstract_escaped(void **state)
{
	struct sockaddr_un su;
	struct epaddr a;
	char out[EPADDR_STRLEN];
	struct buf raw = BUF_INIT;

	(void)state;
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	memcpy(su.sun_path, "\0x\033]0;pwn\a\n", 11);
	assert_int_equal(epaddr_from_sockaddr(&a, (struct sockaddr *)&su,
					      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 11)),
			 0);
	assert_true(epaddr_is_abstract(&a));
	epaddr_str(&a, out, sizeof(out));
	assert_string_equal(out, "@x\\x1b]0;pwn\\x07\\n");
	/* The raw form keeps the bytes (the caller escapes). */
	epaddr_format(&a, &raw);
	assert_int_equal(raw.len, 11);
	assert_memory_equal(raw.data, "@x\033]0;pwn\a\n", 11);
	buf_free(&raw);
}

static void test_from_sockaddr(void **state)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	struct epaddr a, b;
	sa_family_t fam = AF_UNIX;
	char out[EPADDR_STRLEN];

	(void)state;
	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	s4.sin_port = htons(4242);
	s4.sin_addr.s_addr = htonl(0x7f000001);
	assert_int_equal(epaddr_from_sockaddr(&a, (struct sockaddr *)&s4, sizeof(s4)), 0);
	assert_int_equal(epaddr_port(&a), 4242);
	epaddr_loopback(&b, AF_INET, 4242);
	assert_true(epaddr_equal(&a, &b));
	epaddr_set_port(&b, 1);
	assert_false(epaddr_equal(&a, &b));

	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons(1);
	s6.sin6_addr = in6addr_loopback;
	assert_int_equal(epaddr_from_sockaddr(&a, (struct sockaddr *)&s6, sizeof(s6)), 0);
	assert_string_equal(epaddr_str(&a, out, sizeof(out)), "[::1]:1");
	/* Too short for its family, or no family at all. */
	assert_int_equal(epaddr_from_sockaddr(&a, (struct sockaddr *)&s6, 8), -1);
	assert_int_equal(epaddr_from_sockaddr(&a, (struct sockaddr *)&s6, 1), -1);

	/* An unnamed Unix peer (what recvfrom gives for one). */
	assert_int_equal(epaddr_from_sockaddr(&a, (struct sockaddr *)&fam, sizeof(fam)), 0);
	assert_true(epaddr_is_unnamed(&a));
	assert_string_equal(epaddr_str(&a, out, sizeof(out)), "(unnamed)");
	/* A small destination is cut, never overrun. */
	epaddr_loopback(&a, AF_INET, 5000);
	assert_string_equal(epaddr_str(&a, out, 5), "127.");
}

static void test_private_dir(void **state)
{
	char dir[256], path[256], err[256], tmpl[] = "/tmp/sv-epaddr-XXXXXX";
	struct stat st;
	int fd;

	(void)state;
	/* Under $XDG_RUNTIME_DIR when it names a directory. */
	assert_non_null(mkdtemp(tmpl));
	setenv("XDG_RUNTIME_DIR", tmpl, 1);
	assert_int_equal(epaddr_private_dir_create(dir, sizeof(dir), err, sizeof(err)), 0);
	assert_int_equal(strncmp(dir, tmpl, strlen(tmpl)), 0);
	assert_int_equal(lstat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);

	assert_int_equal(epaddr_suggest_path(dir, "echo", path, sizeof(path)), 0);
	assert_true(strlen(path) > strlen(dir));
	assert_string_equal(path + strlen(dir), "/echo.sock");
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(epaddr_suggest_path(dir, "echo", path, sizeof(path)), 0);
	assert_string_equal(path + strlen(dir), "/echo-2.sock");
	unlink(path);
	snprintf(path, sizeof(path), "%s/echo.sock", dir);
	unlink(path);

	/* ensure: recreates a removed one, accepts our own, refuses others. */
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(epaddr_private_dir_ensure(dir, err, sizeof(err)), 0);
	assert_int_equal(lstat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(epaddr_private_dir_ensure(dir, err, sizeof(err)), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(epaddr_private_dir_ensure(dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a private directory"));
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(symlink("/tmp", dir), 0);
	assert_int_equal(epaddr_private_dir_ensure(dir, err, sizeof(err)), -1);
	unlink(dir);

	/* Without a usable $XDG_RUNTIME_DIR: /tmp. */
	setenv("XDG_RUNTIME_DIR", "relative/dir", 1);
	assert_int_equal(epaddr_private_dir_create(dir, sizeof(dir), err, sizeof(err)), 0);
	assert_int_equal(strncmp(dir, "/tmp/sockview-", 14), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(rmdir(tmpl), 0);
	unsetenv("XDG_RUNTIME_DIR");
}

static void test_suggest_port(void **state)
{
	struct epaddr a;
	uint16_t port = 0, port2 = 0;
	int fd;

	(void)state;
	assert_int_equal(epaddr_suggest_port(AF_INET, SOCK_STREAM, 20000, &port), 0);
	assert_true(port >= 20000);
	/* Once that port is taken, the next suggestion differs. */
	epaddr_loopback(&a, AF_INET, port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a.sa, a.len), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(epaddr_suggest_port(AF_INET, SOCK_STREAM, port, &port2), 0);
	assert_true(port2 > port);
	close(fd);
	assert_int_equal(epaddr_suggest_port(AF_INET6, SOCK_DGRAM, 20000, &port), 0);
	assert_true(port >= 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_forms),
		cmocka_unit_test(test_ip_errors),
		cmocka_unit_test(test_unix_forms),
		cmocka_unit_test(test_unix_limits),
		cmocka_unit_test(test_abstract_escaped),
		cmocka_unit_test(test_from_sockaddr),
		cmocka_unit_test(test_private_dir),
		cmocka_unit_test(test_suggest_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
