/* test_output.c - batch writers: exact formats, escaping, hostile names. */
#include "config.h"

#include <arpa/inet.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "output.h"
#include "procmap.h"
#include "snapshot.h"

struct fixture {
	struct snapshot snap;
	struct procmap *pm;
	const struct sock *rows[8];
	size_t n;
};

static void keyed(struct sock *r)
{
	r->key.cookie = r->cookie;
	r->key.inode = r->inode;
	r->key.proto = r->proto;
	r->key.family = r->family;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct sock *r;

	snapshot_init(&fx->snap);
	r = snapshot_add(&fx->snap);
	r->proto = SP_TCP; r->family = AF_INET; r->type = SOCK_STREAM;
	r->state = SS_LISTEN; r->inode = 1001; r->cookie = 1; r->uid = 0;
	r->has = SOCK_HAS_UID | SOCK_HAS_TCP | SOCK_HAS_CONG;
	inet_pton(AF_INET, "127.0.0.1", r->laddr);
	r->lport = 8080; r->send_q = 128;
	strcpy(r->cong, "cubic");
	r->tcp.rtt_us = 1234; r->tcp.snd_cwnd = 10; r->tcp.snd_mss = 65483;
	keyed(r);
	r = snapshot_add(&fx->snap);
	r->proto = SP_TCP; r->family = AF_INET6; r->type = SOCK_STREAM;
	r->state = SS_ESTABLISHED; r->inode = 1002; r->cookie = 2;
	inet_pton(AF_INET6, "::1", r->laddr);
	inet_pton(AF_INET6, "::1", r->raddr);
	r->lport = 5000; r->rport = 40000; r->recv_q = 3;
	keyed(r);
	r = snapshot_add(&fx->snap);
	r->proto = SP_UNIX; r->family = AF_UNIX; r->type = SOCK_STREAM;
	r->state = SS_LISTEN; r->inode = 1003; r->cookie = 3;
	r->has = SOCK_HAS_NAME | SOCK_HAS_PEER;
	memcpy(r->name, "\0evil\x1b]0;pwn\x07\0x", 15);
	r->name_len = 15;
	keyed(r);
	r = snapshot_add(&fx->snap);
	r->proto = SP_UNIX; r->family = AF_UNIX; r->type = SOCK_DGRAM;
	r->state = SS_CLOSE; r->inode = 1004; r->cookie = 4;
	r->has = SOCK_HAS_NAME | SOCK_HAS_PEER; r->peer_inode = 1003;
	memcpy(r->name, "/tmp/a,b\n\"c\".sock", 17);
	r->name_len = 17;
	keyed(r);
	r = snapshot_add(&fx->snap);
	r->proto = SP_UDP; r->family = AF_INET; r->type = SOCK_DGRAM;
	r->state = SS_CLOSE; r->inode = 1005; r->cookie = 5;
	keyed(r);
	snapshot_finish(&fx->snap);
	for (size_t i = 0; i < fx->snap.n; i++)
		fx->rows[fx->n++] = &fx->snap.socks[i];

	fx->pm = procmap_new();
	procmap_set_proc(fx->pm, 42, "srv\x1b[2J", 7, 0);
	procmap_set_proc(fx->pm, 43, "worker", 6, 1000);
	procmap_add_owner(fx->pm, 1001, 43, 5);
	procmap_add_owner(fx->pm, 1001, 42, 3);
	procmap_add_owner(fx->pm, 1003, 42, 4);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	snapshot_free(&fx->snap);
	procmap_free(fx->pm);
	free(fx);
	return 0;
}

static char *render(struct fixture *fx, enum out_format fmt, bool procs)
{
	struct buf b = BUF_INIT;
	struct output_ctx ctx = { fmt, ESC_UTF8, procs ? fx->pm : NULL };

	output_format(&b, &ctx, fx->rows, fx->n);
	return buf_steal(&b);
}

static void assert_no_controls(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			fail_msg("raw control byte 0x%02x at offset %zu", *p,
				 (size_t)(p - (const unsigned char *)s));
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("'%s' not found in:\n%s", needle, hay);
}

static void test_json(void **state)
{
	char *s = render(*state, FMT_JSON, true);

	assert_no_controls(s);
	assert_contains(s, "{\"proto\": \"tcp\", \"family\": \"inet\", \"state\": \"LISTEN\", "
			   "\"local\": {\"addr\": \"127.0.0.1\", \"port\": 8080}, "
			   "\"peer\": {\"addr\": \"0.0.0.0\", \"port\": 0}, "
			   "\"recv_q\": 0, \"send_q\": 128, \"inode\": 1001, \"uid\": 0");
	assert_contains(s, "\"congestion\": \"cubic\"");
	assert_contains(s, "\"rtt_us\": 1234");
	/* owners sorted by pid, hostile comm escaped */
	assert_contains(s, "\"processes\": [{\"pid\": 42, \"comm\": \"srv\\u001b[2J\", \"fd\": 3}, "
			   "{\"pid\": 43, \"comm\": \"worker\", \"fd\": 5}]");
	assert_contains(s, "\"local\": {\"addr\": \"::1\", \"port\": 5000}, "
			   "\"peer\": {\"addr\": \"::1\", \"port\": 40000}");
	/* abstract name with ESC, BEL and NUL bytes */
	assert_contains(s, "\"type\": \"stream\", \"state\": \"LISTEN\", "
			   "\"local\": {\"path\": \"@evil\\u001b]0;pwn\\u0007\\u0000x\"}, \"peer\": null");
	assert_contains(s, "\"path\": \"/tmp/a,b\\n\\\"c\\\".sock\"");
	assert_contains(s, "\"peer_inode\": 1003");
	assert_contains(s, "\"state\": \"UNCONN\"");
	assert_contains(s, "\"uid\": null");
	assert_int_equal(s[0], '[');
	assert_int_equal(s[strlen(s) - 2], ']');
	free(s);
}

static void test_json_empty(void **state)
{
	struct buf b = BUF_INIT;
	struct output_ctx ctx = { FMT_JSON, ESC_UTF8, NULL };

	(void)state;
	output_format(&b, &ctx, NULL, 0);
	assert_string_equal(b.data, "[]\n");
	buf_free(&b);
}

static void test_table(void **state)
{
	char *s = render(*state, FMT_TABLE, true);
	char *line2;

	assert_no_controls(s);
	assert_true(!strncmp(s, "Netid", 5));
	assert_contains(s, "127.0.0.1:8080");
	assert_contains(s, "[::1]:5000");
	assert_contains(s, "[::1]:40000");
	assert_contains(s, "@evil\\x1b]0;pwn\\x07\\x00x 1003");
	assert_contains(s, "/tmp/a,b\\n\"c\".sock 1004");
	assert_contains(s, "users:((\"srv\\x1b[2J\",pid=42,fd=3),(\"worker\",pid=43,fd=5))");
	assert_contains(s, "* 1003");
	/* columns line up: every row's Local column starts at the header's */
	line2 = strchr(s, '\n') + 1;
	{
		const char *h = strstr(s, "Local");
		size_t col = (size_t)(h - s);

		assert_true(line2[col - 1] == ' ');
		assert_true(line2[col] != ' ');
	}
	free(s);
}

static void test_table_no_processes(void **state)
{
	char *s = render(*state, FMT_TABLE, false);

	assert_null(strstr(s, "Process"));
	assert_null(strstr(s, "users:"));
	free(s);
}

static void test_csv(void **state)
{
	char *s = render(*state, FMT_CSV, true);

	assert_no_controls(s);
	assert_true(!strncmp(s, "proto,family,type,state,recv_q,send_q,local_addr,local_port,"
			     "peer_addr,peer_port,inode,uid,peer_inode,processes\n", 90));
	assert_contains(s, "tcp,inet,stream,LISTEN,0,128,127.0.0.1,8080,0.0.0.0,0,1001,0,,");
	assert_contains(s, "unix,unix,dgram,UNCONN,0,0,\"/tmp/a,b\\n\"\"c\"\".sock\",,,,1004,,1003,");
	/* every line has the same number of fields outside quotes */
	{
		int fields = 0, expect = -1;
		bool q = false;

		for (const char *p = s; *p; p++) {
			if (*p == '"')
				q = !q;
			else if (*p == ',' && !q)
				fields++;
			else if (*p == '\n' && !q) {
				if (expect < 0)
					expect = fields;
				assert_int_equal(fields, expect);
				fields = 0;
			}
		}
	}
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_no_processes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
	};

	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
