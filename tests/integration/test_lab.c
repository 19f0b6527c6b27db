/* test_lab.c - the state lab's presets (ep_lab.c) over the real loopback,
 * without a terminal: each preset runs from endpoint_tick() until it says
 * it is done (a deadline bounds every wait), its transcript says what the
 * kernel reported, and closing it leaves no file descriptor open. The
 * life-of-a-connection preset is driven one call per endpoint_send(). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "endpoint.h"
#include "transcript.h"

#define WAIT_MS 15000

static size_t open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static struct endpoint *lab_new(enum ep_lab_preset p)
{
	struct endpoint_config cfg;
	struct endpoint *ep;
	char err[256];

	endpoint_config_init(&cfg, EP_CLIENT, EP_TCP);
	cfg.lab = p;
	cfg.addr.family = AF_INET;
	ep = endpoint_new(&cfg, err, sizeof(err));
	if (!ep)
		fail_msg("endpoint_new: %s", err);
	return ep;
}

/* Runs the preset's timers until it is done (or fails: test failure). */
static void run_until_done(struct endpoint *ep)
{
	int64_t end = clock_now_ms() + WAIT_MS;

	while (!endpoint_lab_done(ep)) {
		int64_t now = clock_now_ms();
		int t = endpoint_next_timeout_ms(ep, now);

		assert_int_equal(endpoint_state(ep), EP_STATE_READY);
		assert_true(now < end);
		assert_true(t >= 0); /* a running preset always has a timer */
		poll(NULL, 0, t);
		endpoint_tick(ep, clock_now_ms());
	}
}

/* True if an entry of the transcript contains text. */
static bool said(struct endpoint *ep, const char *text)
{
	const struct transcript *t = endpoint_transcript(ep);

	for (size_t i = 0; i < transcript_count(t); i++) {
		const struct tr_entry *e = transcript_get(t, i);

		if (e->len && memmem(e->data, e->len, text, strlen(text)))
			return true;
	}
	return false;
}

static void dump(struct endpoint *ep)
{
	const struct transcript *t = endpoint_transcript(ep);

	for (size_t i = 0; i < transcript_count(t); i++) {
		const struct tr_entry *e = transcript_get(t, i);

		print_message("  | %.*s\n", (int)e->len, (const char *)e->data);
	}
}

static size_t nsocks(const struct endpoint *ep)
{
	int fds[16];

	return endpoint_fds(ep, fds, 16);
}

/* One automatic preset: done, the kernel's states said, all closed. */
static void check_preset(enum ep_lab_preset p, const char *const *want, size_t nsock_min)
{
	size_t before = open_fds();
	struct endpoint *ep = lab_new(p);

	assert_int_equal(endpoint_lab(ep), p);
	run_until_done(ep);
	dump(ep);
	for (; *want; want++)
		if (!said(ep, *want))
			fail_msg("preset %s did not say \"%s\"", endpoint_lab_name(p), *want);
	assert_true(nsocks(ep) >= nsock_min);
	/* done: no timer left, nothing runs by itself any more */
	assert_int_equal(endpoint_next_timeout_ms(ep, clock_now_ms()), -1);
	/* Enter when done runs it again, to the same end */
	assert_int_equal(endpoint_send_line(ep, "", 0), 0);
	run_until_done(ep);
	endpoint_close(ep);
	assert_int_equal(nsocks(ep), 0);
	endpoint_free(ep);
	assert_int_equal(open_fds(), before);
}

static void test_close_wait(void **state)
{
	static const char *const want[] = { "in CLOSE-WAIT and the server side", "in FIN-WAIT-2",
					    NULL };
	(void)state;
	check_preset(EP_LAB_CLOSE_WAIT, want, 2);
}

static void test_time_wait(void **state)
{
	static const char *const want[] = { "got the FIN: CLOSE-WAIT", "TIME-WAIT: the client's side",
					    NULL };
	(void)state;
	check_preset(EP_LAB_TIME_WAIT, want, 0);
}

static void test_half_close(void **state)
{
	static const char *const want[] = { "returned 0: end of file",
					    "the reply, sent after your EOF", "FIN-WAIT-2", NULL };
	(void)state;
	check_preset(EP_LAB_HALF_CLOSE, want, 2);
}

static void test_zero_window(void **state)
{
	static const char *const want[] = { "send() said EAGAIN after", "window of 0", NULL };
	(void)state;
	check_preset(EP_LAB_ZERO_WINDOW, want, 2);
}

static void test_accept_queue(void **state)
{
	static const char *const want[] = { "client 1, 127.0.0.1:", ": SYN-SENT",
					    "accept queue holds 2 connections", NULL };
	(void)state;
	check_preset(EP_LAB_ACCEPT_QUEUE, want, 5);
}

static void test_refused(void **state)
{
	static const char *const want[] = { "connect() failed: Connection refused",
					    "recv() failed: Connection refused", NULL };
	(void)state;
	check_preset(EP_LAB_REFUSED, want, 1);
}

/* One call per Enter: the sockets come and go as the calls say. */
static void test_life(void **state)
{
	/* sockets open after each call: socket, bind, listen, connect,
	 * accept, send, recv, close, close, close */
	static const size_t socks[] = { 1, 1, 1, 2, 3, 3, 3, 2, 1, 0 };
	size_t before = open_fds();
	struct endpoint *ep = lab_new(EP_LAB_LIFE);

	(void)state;
	assert_int_equal(nsocks(ep), 0);
	assert_int_equal(endpoint_next_timeout_ms(ep, clock_now_ms()), -1);
	for (size_t i = 0; i < sizeof(socks) / sizeof(socks[0]); i++) {
		int64_t end = clock_now_ms() + WAIT_MS;

		assert_int_equal(endpoint_send_line(ep, "", 0), 0);
		/* accept() or recv() may find nothing yet: Enter again */
		while (nsocks(ep) != socks[i] || said(ep, "yet; Enter tries again")) {
			if (nsocks(ep) == socks[i])
				break;
			assert_true(clock_now_ms() < end);
			poll(NULL, 0, 10);
			assert_int_equal(endpoint_send_line(ep, "", 0), 0);
		}
		assert_int_equal(nsocks(ep), socks[i]);
		assert_int_equal(endpoint_state(ep), EP_STATE_READY);
	}
	dump(ep);
	assert_true(said(ep, "a LISTEN row for 127.0.0.1:"));
	assert_true(said(ep, "whole life of a connection"));
	assert_true(endpoint_lab_done(ep));
	/* again, from the start */
	assert_int_equal(endpoint_send_line(ep, "", 0), 0);
	assert_int_equal(nsocks(ep), 1);
	endpoint_free(ep);
	assert_int_equal(open_fds(), before);
}

/* Closing in the middle of a preset closes what it opened so far. */
static void test_close_midway(void **state)
{
	size_t before = open_fds();

	(void)state;
	for (int p = EP_LAB_CLOSE_WAIT; p < EP_LAB_NPRESETS; p++) {
		struct endpoint *ep = lab_new((enum ep_lab_preset)p);

		endpoint_tick(ep, clock_now_ms());
		endpoint_free(ep);
		assert_int_equal(open_fds(), before);
	}
}

/* Names and a bad preset. */
static void test_names(void **state)
{
	struct endpoint_config cfg;
	char err[128];

	(void)state;
	for (int p = EP_LAB_CLOSE_WAIT; p < EP_LAB_NPRESETS; p++) {
		assert_string_not_equal(endpoint_lab_name((enum ep_lab_preset)p), "?");
		assert_true(strlen(endpoint_lab_help((enum ep_lab_preset)p)) > 10);
	}
	assert_string_equal(endpoint_lab_name(EP_LAB_NPRESETS), "?");
	endpoint_config_init(&cfg, EP_CLIENT, EP_TCP);
	cfg.lab = EP_LAB_NPRESETS;
	assert_null(endpoint_new(&cfg, err, sizeof(err)));
	cfg.lab = EP_LAB_CLOSE_WAIT;
	cfg.kind = EP_ECHO;
	assert_null(endpoint_new(&cfg, err, sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_close_wait),
		cmocka_unit_test(test_time_wait),
		cmocka_unit_test(test_half_close),
		cmocka_unit_test(test_zero_window),
		cmocka_unit_test(test_accept_queue),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_life),
		cmocka_unit_test(test_close_midway),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
