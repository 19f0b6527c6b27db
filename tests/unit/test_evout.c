/* test_evout.c - the NDJSON event writer and the human line: hostile names
 * (control bytes, quotes, NUL, bad UTF-8, bidi) stay valid, escaped JSON on
 * one line; the socket inside is output.c's --once object, byte for byte. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "buf.h"
#include "events.h"
#include "evout.h"
#include "output.h"
#include "utext.h"

static const char hostile[] = "@x\"\\\x1b[31m\n\r\t\x7f\xff\xe2\x80\xae\x00z";

static void hostile_event(struct ev_event *e)
{
	memset(e, 0, sizeof(*e));
	e->kind = EV_GONE;
	e->source = EVS_DUMP;
	e->flags = EVF_NO_DESTROY;
	e->life = EVL_EXACT;
	e->life_ms = 1234;
	e->seq = 9;
	e->pid = 42;
	memcpy(e->comm, "\x1b]0;pwn\x07\"\\\n", 12);
	e->comm_len = 12;
	e->sock.proto = SP_UNIX;
	e->sock.family = AF_UNIX;
	e->sock.type = SOCK_STREAM;
	e->sock.state = SS_ESTABLISHED;
	e->sock.has = SOCK_HAS_NAME;
	ut_ext(&e->sock)->name[0] = '\0'; /* abstract */
	memcpy(ut_ext(&e->sock)->name + 1, hostile + 1, sizeof(hostile) - 2);
	ut_ext(&e->sock)->name_len = (uint8_t)(sizeof(hostile) - 1);
}

/* No raw control byte, no raw DEL: a JSON string can hold neither. */
static void assert_clean(const struct buf *b)
{
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];

		assert_true(c >= 0x20 && c != 0x7f);
	}
}

static void test_json_hostile(void **state)
{
	struct ev_event e;
	struct buf b = BUF_INIT, sock = BUF_INIT;
	int depth = 0;
	bool in_str = false;

	(void)state;
	hostile_event(&e);
	evout_json(&b, &e, 1764945601123LL, NULL);
	assert_clean(&b);
	assert_non_null(strstr(b.data, "\"time\": \"2025-12-05T14:40:01.123Z\""));
	assert_non_null(strstr(b.data, "\"event\": \"gone\""));
	assert_non_null(strstr(b.data, "\"lifetime_ms\": 1234, \"lifetime\": \"exact\""));
	assert_non_null(strstr(b.data, "\"destroy_messages\": false"));
	assert_non_null(strstr(b.data, "\"comm\": \"\\u001b]0;pwn\\u0007\\\"\\\\"));
	/* the socket object is the one --once prints */
	output_json_sock_pm(&sock, NULL, &e.sock);
	assert_non_null(strstr(b.data, sock.data));
	/* strings closed, braces balanced */
	for (size_t i = 0; i < b.len; i++) {
		char c = b.data[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
		assert_true(depth >= 0);
	}
	assert_false(in_str);
	assert_int_equal(depth, 0);
	buf_free(&b);
	buf_free(&sock);
}

static void test_json_kinds(void **state)
{
	struct ev_event e;
	struct buf b = BUF_INIT;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.kind = EV_GAP;
	e.source = EVS_DESTROY;
	evout_json(&b, &e, 0, NULL);
	assert_non_null(strstr(b.data, "\"event\": \"gap\""));
	assert_null(strstr(b.data, "\"socket\""));
	buf_reset(&b);

	e.kind = EV_CHANGE;
	e.source = EVS_DUMP;
	e.flags = EVF_STATE | EVF_ACCEPT;
	e.old_state = SS_SYN_SENT;
	e.sock.proto = SP_TCP;
	e.sock.family = AF_INET;
	e.sock.state = SS_ESTABLISHED;
	evout_json(&b, &e, 0, NULL);
	assert_non_null(strstr(b.data, "\"changes\": [\"state\", \"accept\"]"));
	assert_non_null(strstr(b.data, "\"old_state\": \"SYN-SENT\""));
	assert_non_null(strstr(b.data, "\"process\": null"));
	buf_reset(&b);

	e.kind = EV_BORN;
	e.flags = EVF_INFERRED;
	e.source = EVS_DESTROY;
	evout_json(&b, &e, 0, NULL);
	assert_non_null(strstr(b.data, "\"inferred\": true"));
	buf_free(&b);
}

static void test_line(void **state)
{
	struct ev_event e;
	struct buf b = BUF_INIT;

	(void)state;
	hostile_event(&e);
	evout_line(&b, &e, -1, ESC_UTF8);
	assert_clean(&b);
	assert_non_null(strstr(b.data, "gone"));
	assert_non_null(strstr(b.data, "lived 1.2s"));
	buf_reset(&b);
	evout_duration(&b, 185000);
	assert_string_equal(b.data, "3m05s");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_hostile),
		cmocka_unit_test(test_json_kinds),
		cmocka_unit_test(test_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
