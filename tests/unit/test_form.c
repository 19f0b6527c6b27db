/* test_form.c - the new endpoint form: defaults, keys, validation, the
 * stale socket file offer, and who holds a port. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
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

/* The filter's field enum sits next to the form's: their enumerators must
 * not clash (FLD_PORT there, FF_PORT here). */
#include "filter_ast.h"
#include "form.h"
#include "keys.h"
#include "uitest.h"

struct fixture {
	char dir[64];   /* stands for the private directory */
	int dir_calls;
	bool dir_fails;
};

static const char *fake_dir(void *ctx, char *err, size_t errlen)
{
	struct fixture *f = ctx;

	f->dir_calls++;
	if (f->dir_fails) {
		snprintf(err, errlen, "no room for a directory");
		return NULL;
	}
	return f->dir;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/sv-test-form.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* /etc/services as the tests see it: http and domain only. */
static int fake_service(const char *name, void *ctx)
{
	(void)ctx;
	if (!strcmp(name, "http"))
		return 80;
	if (!strcmp(name, "domain"))
		return 53;
	return -1;
}

static void env_of(struct fixture *f, struct form_env *env)
{
	memset(env, 0, sizeof(*env));
	env->private_dir = fake_dir;
	env->ctx = f;
	env->service = fake_service;
}

static void keys(struct form *fm, const int *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		form_key(fm, k[i]);
}

static void type(struct form *fm, const char *s)
{
	for (; *s; s++)
		form_key(fm, (unsigned char)*s);
}

/* A TCP listener on 127.0.0.1:port, or -1 if someone else has it. */
static int hold_port(unsigned port)
{
	struct epaddr a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	epaddr_loopback(&a, AF_INET, (uint16_t)port);
	if (bind(fd, (struct sockaddr *)&a.sa, a.len) < 0 || listen(fd, 1) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_server_defaults(void **state)
{
	struct fixture *f = *state;
	struct form_env env;
	struct form fm;
	struct endpoint_config cfg;
	char want[200];
	unsigned long port;
	int held;

	env_of(f, &env);
	/* hold the first port tried: the suggestion must skip it (other
	 * tests running meanwhile may take ports too, so no check that the
	 * suggestion is still free by the time we look) */
	held = hold_port(FORM_PORT_BASE);
	form_open(&fm, EP_ECHO, &env);
	assert_int_equal(fm.transport, EP_TCP);
	assert_int_equal(fm.family, AF_INET);
	assert_int_equal(fm.focus, FF_TRANSPORT);
	assert_string_equal(fm.field[FF_ADDR].text, "127.0.0.1");
	port = strtoul(fm.field[FF_PORT].text, NULL, 10);
	assert_true(port >= FORM_PORT_BASE && port <= 65535);
	if (held >= 0) {
		assert_true(port != FORM_PORT_BASE);
		close(held);
	}
	/* no Unix path asked for yet: no private directory made */
	assert_int_equal(f->dir_calls, 0);
	assert_true(form_field_shown(&fm, FF_PORT));
	assert_false(form_field_shown(&fm, FF_PATH));
	assert_false(form_field_shown(&fm, FF_GREETING));

	/* the defaults make a config: the loopback and that port */
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(cfg.kind, EP_ECHO);
	assert_int_equal(cfg.addr.family, AF_INET);
	assert_int_equal(epaddr_port(&cfg.addr), port);
	{
		struct epaddr lo;

		epaddr_loopback(&lo, AF_INET, (uint16_t)port);
		assert_true(epaddr_equal(&lo, &cfg.addr));
	}

	/* IPv6: the untouched address follows, the port is suggested anew */
	form_key(&fm, KC_DOWN);
	assert_int_equal(fm.focus, FF_FAMILY);
	form_key(&fm, KC_RIGHT);
	assert_int_equal(fm.family, AF_INET6);
	assert_string_equal(fm.field[FF_ADDR].text, "::1");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(cfg.addr.family, AF_INET6);

	/* an address the user typed stays when the version changes */
	form_key(&fm, KC_DOWN);
	assert_int_equal(fm.focus, FF_ADDR);
	form_key(&fm, KC_CTRL('u'));
	type(&fm, "127.0.0.7");
	assert_true(fm.edited[FF_ADDR]);
	form_key(&fm, KC_UP);
	form_key(&fm, KC_LEFT);
	assert_string_equal(fm.field[FF_ADDR].text, "127.0.0.7");

	/* Unix stream: a path in the private directory */
	form_key(&fm, KC_UP);
	assert_int_equal(fm.focus, FF_TRANSPORT);
	form_key(&fm, KC_RIGHT);
	form_key(&fm, KC_RIGHT);
	assert_int_equal(fm.transport, EP_UNIX_STREAM);
	assert_int_equal(f->dir_calls, 1);
	snprintf(want, sizeof(want), "%s/echo.sock", f->dir);
	assert_string_equal(fm.field[FF_PATH].text, want);
	assert_true(form_field_shown(&fm, FF_PATH));
	assert_false(form_field_shown(&fm, FF_PORT));
	/* Down skips the hidden fields */
	form_key(&fm, KC_DOWN);
	assert_int_equal(fm.focus, FF_PATH);
	form_key(&fm, KC_DOWN);
	assert_int_equal(fm.focus, FF_TRANSPORT);
	form_key(&fm, KC_BTAB);
	assert_int_equal(fm.focus, FF_PATH);
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(cfg.addr.family, AF_UNIX);
	assert_string_equal(epaddr_path(&cfg.addr), want);
	assert_int_equal(cfg.transport, EP_UNIX_STREAM);

	/* no private directory: a note says why, the path is to be typed */
	f->dir_fails = true;
	form_open(&fm, EP_SINK, &env);
	form_key(&fm, KC_LEFT); /* TCP -> Unix seqpacket */
	assert_int_equal(fm.transport, EP_UNIX_SEQPACKET);
	form_key(&fm, KC_LEFT); /* -> Unix datagram */
	assert_int_equal(fm.transport, EP_UNIX_DGRAM);
	assert_string_equal(fm.field[FF_PATH].text, "");
	assert_string_equal(fm.note, "no room for a directory");
	assert_int_equal(form_config(&fm, &cfg), -1);
	assert_int_equal(fm.err_field, FF_PATH);
	assert_non_null(strstr(fm.err, "Path"));
}

static void test_keys(void **state)
{
	struct fixture *f = *state;
	struct form_env env;
	struct form fm;
	static const int to_port[] = { KC_TAB, KC_TAB, KC_TAB };

	env_of(f, &env);
	form_open(&fm, EP_GREETING, &env);
	assert_true(form_field_shown(&fm, FF_GREETING));
	assert_int_equal(form_key(&fm, KC_ESC), FORM_CANCEL);
	assert_int_equal(form_key(&fm, KC_ENTER), FORM_SUBMIT);
	/* letters on a choice field: nothing (Space changes it) */
	assert_int_equal(form_key(&fm, 'x'), FORM_IGNORED);
	assert_int_equal(form_key(&fm, ' '), FORM_CHANGED);
	assert_int_equal(fm.transport, EP_UDP);
	form_key(&fm, KC_LEFT);
	keys(&fm, to_port, 3);
	assert_int_equal(fm.focus, FF_PORT);
	assert_int_equal(form_key(&fm, KC_F5), FORM_IGNORED);
	assert_int_equal(form_key(&fm, KC_CTRL('u')), FORM_CHANGED);
	assert_string_equal(fm.field[FF_PORT].text, "");
	assert_true(fm.edited[FF_PORT]);
	/* choice names */
	assert_int_equal(form_choices(FF_TRANSPORT), EP_NTRANSPORTS);
	assert_string_equal(form_choice_name(FF_FAMILY, 1), "IPv6");
	assert_int_equal(form_choice_current(&fm, FF_TRANSPORT), EP_TCP);
	assert_true(form_field_is_choice(FF_FAMILY));
	assert_false(form_field_is_choice(FF_PORT));
	assert_string_equal(form_field_label(FF_PORT), "Port");
	assert_string_equal(form_kind_help(EP_ECHO), "sends back every byte it receives");
}

/* Issue 12: a greeting takes any UTF-8 text; past the one limit the
 * field refuses the rest, says so, and the form does not open. */
static void test_long_and_utf8_fields(void **state)
{
	static const int word[] = { 0x107, ' ', 0x161, ' ', 0x112, ' ', 0x148, ' ', 0x436, 0x6f22,
				    0x1f600, 'e', 0x301 };
	struct fixture *f = *state;
	struct form_env env;
	struct form fm;
	struct endpoint_config cfg;

	env_of(f, &env);
	form_open(&fm, EP_GREETING, &env);
	fm.focus = FF_GREETING;
	form_key(&fm, KC_CTRL('u'));
	keys(&fm, word, sizeof(word) / sizeof(word[0]));
	assert_string_equal(fm.field[FF_GREETING].text, "ć š Ē ň ж漢😀e\xcc\x81");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_memory_equal(cfg.greeting, "ć š Ē ň ж漢😀e\xcc\x81\n", cfg.greeting_len);

	form_key(&fm, KC_CTRL('u'));
	for (int i = 0; i < LINEEDIT_TEXT_MAX; i++)
		form_key(&fm, 'g');
	assert_string_equal(fm.err, "");
	form_key(&fm, 'h');
	assert_int_equal(fm.field[FF_GREETING].len, LINEEDIT_TEXT_MAX);
	assert_non_null(strstr(fm.err, "too long"));
	assert_int_equal(fm.err_field, FF_GREETING);
	fm.focus = FF_PORT;
	assert_int_equal(form_config(&fm, &cfg), -1);
	assert_int_equal(fm.focus, FF_GREETING);
	assert_non_null(strstr(fm.err, "too long"));
}

static void test_validation(void **state)
{
	struct fixture *f = *state;
	struct form_env env;
	struct form fm;
	struct endpoint_config cfg;

	env_of(f, &env);
	form_open(&fm, EP_ECHO, &env);
	fm.focus = FF_PORT;
	form_key(&fm, KC_CTRL('u'));
	assert_int_equal(form_config(&fm, &cfg), -1);
	assert_int_equal(fm.err_field, FF_PORT);
	assert_non_null(strstr(fm.err, "0 lets the kernel choose"));
	type(&fm, "12ab");
	assert_int_equal(form_config(&fm, &cfg), -1);
	assert_non_null(strstr(fm.err, "\"12ab\" is not a number"));
	form_key(&fm, KC_CTRL('u'));
	type(&fm, "70000");
	assert_int_equal(form_config(&fm, &cfg), -1);
	form_key(&fm, KC_CTRL('u'));
	type(&fm, "-1");
	assert_int_equal(form_config(&fm, &cfg), -1);
	/* 0: the kernel picks one */
	form_key(&fm, KC_CTRL('u'));
	type(&fm, "0");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(epaddr_port(&cfg.addr), 0);
	assert_string_equal(fm.err, "");

	/* a bad address: the error names the field and focuses it */
	fm.focus = FF_ADDR;
	form_key(&fm, KC_CTRL('u'));
	type(&fm, "300.1.1.1");
	assert_int_equal(form_config(&fm, &cfg), -1);
	assert_int_equal(fm.focus, FF_ADDR);
	assert_memory_equal(fm.err, "Address: ", 9);
	/* editing the field clears the error */
	form_key(&fm, KC_BACKSPACE);
	assert_string_equal(fm.err, "");
	/* an IPv6 address typed while IPv4 was chosen: IPv6 it is */
	form_key(&fm, KC_CTRL('u'));
	type(&fm, "::1");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(cfg.addr.family, AF_INET6);
	assert_int_equal(fm.family, AF_INET6);
	/* blanks around are ignored; empty means the loopback */
	form_key(&fm, KC_CTRL('u'));
	type(&fm, "  ");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(cfg.addr.family, AF_INET6);
	/* "*": every address */
	type(&fm, "*");
	assert_int_equal(form_config(&fm, &cfg), 0);
	{
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&cfg.addr.sa;

		assert_true(IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr));
	}

	/* a client needs a real port */
	form_open(&fm, EP_CLIENT, &env);
	assert_string_equal(fm.field[FF_PORT].text, "");
	assert_int_equal(form_config(&fm, &cfg), -1);
	assert_non_null(strstr(fm.err, "server's port"));
	fm.focus = FF_PORT;
	type(&fm, "0");
	assert_int_equal(form_config(&fm, &cfg), -1);
	form_key(&fm, KC_BACKSPACE);
	type(&fm, "7");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(cfg.kind, EP_CLIENT);
	assert_int_equal(epaddr_port(&cfg.addr), 7);

	/* the greeting is sent as a line */
	form_open(&fm, EP_GREETING, &env);
	assert_string_equal(fm.field[FF_GREETING].text, "Thank you for connecting");
	fm.focus = FF_GREETING;
	form_key(&fm, KC_CTRL('u'));
	type(&fm, "hi");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(cfg.greeting_len, 3);
	assert_memory_equal(cfg.greeting, "hi\n", 3);

	/* Unix: empty path, abstract name */
	form_open(&fm, EP_ECHO, &env);
	form_key(&fm, KC_LEFT);
	fm.focus = FF_PATH;
	form_key(&fm, KC_CTRL('u'));
	assert_int_equal(form_config(&fm, &cfg), -1);
	assert_non_null(strstr(fm.err, "@name"));
	type(&fm, "@sv-form-test");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_true(epaddr_is_abstract(&cfg.addr));
}

static void test_client_defaults(void **state)
{
	struct fixture *f = *state;
	struct form_env env;
	struct form fm;
	struct endpoint_config cfg;
	char err[128];

	env_of(f, &env);
	/* the last server was an echo server on every IPv4 address */
	env.have_last = true;
	env.last_transport = EP_TCP;
	assert_int_equal(epaddr_parse(&env.last_addr, "*:6123", AF_INET, err, sizeof(err)), 0);
	form_open(&fm, EP_CLIENT, &env);
	assert_int_equal(fm.transport, EP_TCP);
	assert_string_equal(fm.field[FF_ADDR].text, "127.0.0.1");
	assert_string_equal(fm.field[FF_PORT].text, "6123");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(epaddr_port(&cfg.addr), 6123);
	/* another transport: no target to suggest */
	form_key(&fm, KC_RIGHT);
	assert_int_equal(fm.transport, EP_UDP);
	assert_string_equal(fm.field[FF_PORT].text, "");
	form_key(&fm, KC_LEFT);
	assert_string_equal(fm.field[FF_PORT].text, "6123");

	/* an IPv6 server */
	assert_int_equal(epaddr_parse(&env.last_addr, "[::1]:6124", AF_INET6, err, sizeof(err)), 0);
	env.last_transport = EP_UDP;
	form_open(&fm, EP_CLIENT, &env);
	assert_int_equal(fm.transport, EP_UDP);
	assert_int_equal(fm.family, AF_INET6);
	assert_string_equal(fm.field[FF_ADDR].text, "::1");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(cfg.addr.family, AF_INET6);

	/* a Unix server: its path */
	assert_int_equal(epaddr_parse(&env.last_addr, "/tmp/x/chat.sock", AF_UNIX, err, sizeof(err)),
			 0);
	env.last_transport = EP_UNIX_STREAM;
	form_open(&fm, EP_CLIENT, &env);
	assert_int_equal(fm.transport, EP_UNIX_STREAM);
	assert_string_equal(fm.field[FF_PATH].text, "/tmp/x/chat.sock");
	/* a client makes no private directory */
	assert_int_equal(f->dir_calls, 0);
	/* an abstract one, as typed */
	assert_int_equal(epaddr_parse(&env.last_addr, "@chat", AF_UNIX, err, sizeof(err)), 0);
	form_open(&fm, EP_CLIENT, &env);
	assert_string_equal(fm.field[FF_PATH].text, "@chat");
}

/* A Unix datagram client's empty path shows /dev/log as its example
 * where the system logger's socket exists; nothing else has one. */
static void test_dgram_placeholder(void **state)
{
	struct fixture *f = *state;
	struct form_env env;
	struct form fm;
	const char *want;

	env_of(f, &env);
	env.have_last = false;
	form_open(&fm, EP_CLIENT, &env);
	assert_null(form_placeholder(&fm, FF_PATH)); /* TCP */
	for (int i = 0; i < 8 && fm.transport != EP_UNIX_DGRAM; i++)
		form_key(&fm, KC_RIGHT);
	assert_int_equal(fm.transport, EP_UNIX_DGRAM);
	assert_string_equal(fm.field[FF_PATH].text, "");
	want = endpoint_path_is_socket("/dev/log") ? "/dev/log" : NULL;
	if (want)
		assert_string_equal(form_placeholder(&fm, FF_PATH), want);
	else
		assert_null(form_placeholder(&fm, FF_PATH));
	assert_null(form_placeholder(&fm, FF_ADDR));
	/* typed text replaces the example */
	fm.focus = FF_PATH;
	form_key(&fm, 'x');
	assert_string_equal(fm.field[FF_PATH].text, "x");
	assert_null(form_placeholder(&fm, FF_PATH));
	/* a server's path has none */
	form_open(&fm, EP_SINK, &env);
	for (int i = 0; i < 8 && fm.transport != EP_UNIX_DGRAM; i++)
		form_key(&fm, KC_RIGHT);
	assert_null(form_placeholder(&fm, FF_PATH));
}

/* A stale socket file is reported; Enter again (same path) replaces it;
 * another path forgets the offer. */
static void test_stale_offer(void **state)
{
	struct fixture *f = *state;
	struct form_env env;
	struct form fm;
	struct endpoint_config cfg;
	struct sockaddr_un su;
	char path[96];
	int fd;

	env_of(f, &env);
	snprintf(path, sizeof(path), "%s/old.sock", f->dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	snprintf(su.sun_path, sizeof(su.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&su, sizeof(su)), 0);
	close(fd);

	form_open(&fm, EP_ECHO, &env);
	form_key(&fm, KC_RIGHT);
	form_key(&fm, KC_RIGHT);
	fm.focus = FF_PATH;
	form_key(&fm, KC_CTRL('u'));
	type(&fm, path);
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_false(cfg.replace_stale);
	form_set_error(&fm, ESTALE, "path exists: stale");
	assert_true(fm.stale_offer);
	assert_int_equal(fm.focus, FF_PATH);
	assert_string_equal(fm.err, "path exists: stale");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_true(cfg.replace_stale);
	/* the user edits the path: no offer any more */
	form_set_error(&fm, ESTALE, "path exists: stale");
	form_key(&fm, 'x');
	assert_false(fm.stale_offer);
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_false(cfg.replace_stale);
	/* a regular file is never offered for replacement */
	form_key(&fm, KC_CTRL('u'));
	snprintf(path, sizeof(path), "%s/plain", f->dir);
	fclose(fopen(path, "w"));
	type(&fm, path);
	form_set_error(&fm, EEXIST, "path exists: not a socket");
	assert_false(fm.stale_offer);
	/* EADDRINUSE on TCP focuses the port */
	form_open(&fm, EP_ECHO, &env);
	form_set_error(&fm, EADDRINUSE, "in use");
	assert_int_equal(fm.focus, FF_PORT);
}

static void test_retry_port(void **state)
{
	struct fixture *f = *state;
	struct form_env env;
	struct form fm;
	struct epaddr a;
	int fd, one = 1;
	unsigned long p1;

	env_of(f, &env);
	form_open(&fm, EP_ECHO, &env);
	p1 = strtoul(fm.field[FF_PORT].text, NULL, 10);
	/* someone takes the suggested port: another one is suggested */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	epaddr_loopback(&a, AF_INET, (uint16_t)p1);
	/* (if another test took it first, it is taken all the same) */
	if (bind(fd, (struct sockaddr *)&a.sa, a.len) == 0)
		assert_int_equal(listen(fd, 1), 0);
	assert_true(form_retry_port(&fm));
	assert_true(strtoul(fm.field[FF_PORT].text, NULL, 10) != p1);
	close(fd);
	/* a port the user typed is theirs: no retry */
	fm.focus = FF_PORT;
	type(&fm, "1");
	assert_false(form_retry_port(&fm));
	/* nor for a client */
	form_open(&fm, EP_CLIENT, &env);
	assert_false(form_retry_port(&fm));
}

static void test_holder(void **state)
{
	struct snapshot snap;
	struct procmap *pm = procmap_new();
	struct ownset own;
	struct epaddr want;
	struct buf b = BUF_INIT;
	char err[128];

	(void)state;
	snapshot_init(&snap);
	ownset_init(&own);
	ut_inet(&snap, SP_TCP, SS_LISTEN, "0.0.0.0", 7000, "0.0.0.0", 0, 1, 55);
	ut_inet(&snap, SP_TCP, SS_TIME_WAIT, "127.0.0.1", 7001, "127.0.0.1", 9, 2, 0);
	ut_inet(&snap, SP_UDP, SS_CLOSE, "127.0.0.1", 7002, "0.0.0.0", 0, 3, 57);
	ut_inet(&snap, SP_TCP, SS_LISTEN, "127.0.0.5", 7003, "0.0.0.0", 0, 4, 58);
	ut_unix(&snap, SOCK_STREAM, SS_LISTEN, "/run/a.sock", 11, 59, 0);
	ut_finish(&snap, 1);
	procmap_set_proc(pm, 4242, "python3\x1b", 8, 0);
	procmap_add_owner(pm, 55, 4242, 3);
	procmap_add_owner(pm, 55, 4242, 4);
	procmap_set_proc(pm, 4343, "child", 5, 0);
	procmap_add_owner(pm, 55, 4343, 3);

	/* a wildcard listener holds 127.0.0.1:7000; its processes named (raw) */
	assert_int_equal(epaddr_parse(&want, "127.0.0.1:7000", AF_INET, err, sizeof(err)), 0);
	assert_int_equal(form_describe_holder(&snap, pm, &own, EP_TCP, &want, &b),
			 FORM_HOLDER_NAMED);
	assert_string_equal(b.data, "held by python3\x1b (pid 4242) and 1 more process");
	/* UDP is another table */
	buf_reset(&b);
	assert_int_equal(form_describe_holder(&snap, pm, &own, EP_UDP, &want, &b), FORM_HOLDER_NONE);
	assert_int_equal(b.len, 0);
	/* a TIME-WAIT holds nothing */
	assert_int_equal(epaddr_parse(&want, "127.0.0.1:7001", AF_INET, err, sizeof(err)), 0);
	assert_int_equal(form_describe_holder(&snap, pm, &own, EP_TCP, &want, &b), FORM_HOLDER_NONE);
	/* a socket whose process is not known (yet) */
	assert_int_equal(epaddr_parse(&want, "127.0.0.1:7002", AF_INET, err, sizeof(err)), 0);
	assert_int_equal(form_describe_holder(&snap, pm, &own, EP_UDP, &want, &b),
			 FORM_HOLDER_SOCKET);
	assert_non_null(strstr(b.data, "uid 1000"));
	/* another address on the same port holds nothing */
	buf_reset(&b);
	assert_int_equal(epaddr_parse(&want, "127.0.0.6:7003", AF_INET, err, sizeof(err)), 0);
	assert_int_equal(form_describe_holder(&snap, pm, &own, EP_TCP, &want, &b), FORM_HOLDER_NONE);
	/* one of ours */
	ownset_add(&own, 58, 2);
	ownset_finish(&own);
	assert_int_equal(epaddr_parse(&want, "127.0.0.5:7003", AF_INET, err, sizeof(err)), 0);
	assert_int_equal(form_describe_holder(&snap, pm, &own, EP_TCP, &want, &b),
			 FORM_HOLDER_NAMED);
	assert_string_equal(b.data, "held by sockview itself (pane [2])");
	/* a Unix path */
	buf_reset(&b);
	assert_int_equal(epaddr_parse(&want, "/run/a.sock", AF_UNIX, err, sizeof(err)), 0);
	assert_int_equal(form_describe_holder(&snap, NULL, &own, EP_UNIX_STREAM, &want, &b),
			 FORM_HOLDER_NAMED);
	assert_non_null(strstr(b.data, "processes are not mapped"));
	/* no table at all */
	buf_reset(&b);
	assert_int_equal(form_describe_holder(NULL, pm, NULL, EP_TCP, &want, &b), FORM_HOLDER_NONE);

	buf_free(&b);
	ownset_free(&own);
	procmap_free(pm);
	snapshot_free(&snap);
}

/* Issue 12 item 12: the form never probes a path itself (endpoint_new's
 * one check connection is enough; a second one showed as another client
 * of the server there). A socket in use at the path sees no connection
 * from form_set_error, and only ESTALE offers the replacement. */
static void test_set_error_makes_no_probe(void **state)
{
	struct fixture *f = *state;
	struct form_env env;
	struct form fm;
	struct sockaddr_un su;
	char path[96];
	int lfd, cfd;

	env_of(f, &env);
	snprintf(path, sizeof(path), "%s/live.sock", f->dir);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(lfd >= 0);
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	snprintf(su.sun_path, sizeof(su.sun_path), "%s", path);
	assert_int_equal(bind(lfd, (struct sockaddr *)&su, sizeof(su)), 0);
	assert_int_equal(listen(lfd, 4), 0);

	form_open(&fm, EP_ECHO, &env);
	form_key(&fm, KC_RIGHT);
	form_key(&fm, KC_RIGHT);
	fm.focus = FF_PATH;
	form_key(&fm, KC_CTRL('u'));
	type(&fm, path);
	form_set_error(&fm, EEXIST, "path exists: a socket in use");
	assert_false(fm.stale_offer);
	assert_int_equal(fm.focus, FF_PATH);
	/* nobody connected to the listener */
	cfd = accept(lfd, NULL, NULL);
	assert_int_equal(cfd, -1);
	close(lfd);
	/* now stale, but EEXIST alone is no reason to offer (nor to look) */
	form_set_error(&fm, EEXIST, "path exists");
	assert_false(fm.stale_offer);
	/* a client never replaces anything */
	form_open(&fm, EP_CLIENT, &env);
	form_key(&fm, KC_RIGHT);
	form_key(&fm, KC_RIGHT);
	fm.focus = FF_PATH;
	type(&fm, path);
	form_set_error(&fm, ESTALE, "stale");
	assert_false(fm.stale_offer);
	unlink(path);
}

/* Issue 12 item 11: a client's connect errors known at once keep the
 * form, with the field to fix focused; its config asks for that. */
static void test_client_errors(void **state)
{
	struct fixture *f = *state;
	struct form_env env;
	struct form fm;
	struct endpoint_config cfg;
	static const int errs[] = { ENOENT, ECONNREFUSED, EPROTOTYPE, EACCES };

	env_of(f, &env);
	form_open(&fm, EP_CLIENT, &env);
	form_key(&fm, KC_RIGHT);
	form_key(&fm, KC_RIGHT);
	assert_int_equal(fm.transport, EP_UNIX_STREAM);
	fm.focus = FF_PATH;
	type(&fm, "/nonexistent/sv.sock");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_true(cfg.fail_at_once);
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		fm.focus = FF_TRANSPORT;
		form_set_error(&fm, errs[i], "no server there");
		assert_int_equal(fm.focus, FF_PATH);
		assert_string_equal(fm.err, "no server there");
		assert_false(fm.stale_offer);
	}
	/* a server's config leaves a failed connect alone: it has none */
	form_open(&fm, EP_ECHO, &env);
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_false(cfg.fail_at_once);
	/* an unreachable network: the address */
	form_open(&fm, EP_CLIENT, &env);
	type(&fm, "");
	fm.focus = FF_PORT;
	type(&fm, "9");
	assert_int_equal(form_config(&fm, &cfg), 0);
	form_set_error(&fm, ENETUNREACH, "network unreachable");
	assert_int_equal(fm.focus, FF_ADDR);
}

/* Issue 12 item 11: Port takes a service name as the filter does, shows
 * its number, and names an unknown one clearly. */
static void test_port_service_names(void **state)
{
	struct fixture *f = *state;
	struct form_env env;
	struct form fm;
	struct endpoint_config cfg;

	env_of(f, &env);
	form_open(&fm, EP_CLIENT, &env);
	assert_int_equal(fm.port_service, FORM_PORT_NUMBER);
	fm.focus = FF_PORT;
	type(&fm, "http");
	/* looked up as typed (the screen shows the number beside it) */
	assert_int_equal(fm.port_service, 80);
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(epaddr_port(&cfg.addr), 80);
	assert_string_equal(fm.field[FF_PORT].text, "http");
	/* blanks around it are fine, as for a number */
	form_key(&fm, KC_CTRL('u'));
	type(&fm, " domain ");
	assert_int_equal(fm.port_service, 53);
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(epaddr_port(&cfg.addr), 53);
	/* an unknown name: said so, the port focused */
	form_key(&fm, KC_CTRL('u'));
	type(&fm, "nosuchsvc");
	assert_int_equal(fm.port_service, FORM_PORT_UNKNOWN);
	fm.focus = FF_ADDR;
	assert_int_equal(form_config(&fm, &cfg), -1);
	assert_int_equal(fm.focus, FF_PORT);
	assert_non_null(strstr(fm.err, "\"nosuchsvc\" is not a known service name"));
	/* back to a number */
	form_key(&fm, KC_CTRL('u'));
	type(&fm, "8080");
	assert_int_equal(fm.port_service, FORM_PORT_NUMBER);
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(epaddr_port(&cfg.addr), 8080);
	/* a server too, over UDP */
	form_open(&fm, EP_ECHO, &env);
	form_key(&fm, KC_RIGHT);
	fm.focus = FF_PORT;
	form_key(&fm, KC_CTRL('u'));
	type(&fm, "domain");
	assert_int_equal(form_config(&fm, &cfg), 0);
	assert_int_equal(epaddr_port(&cfg.addr), 53);
	/* without a hook, the system's lookup (the filter's) is used */
	env.service = NULL;
	form_open(&fm, EP_CLIENT, &env);
	fm.focus = FF_PORT;
	type(&fm, "no-such-service-sv");
	assert_int_equal(fm.port_service, FORM_PORT_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_server_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_and_utf8_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dgram_placeholder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_offer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_error_makes_no_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_service_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_port, setup, teardown),
		cmocka_unit_test(test_holder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
