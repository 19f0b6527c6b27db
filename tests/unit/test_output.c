/* test_output.c - batch writers: exact formats, escaping, hostile names. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
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
#include "utext.h"

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
	strcpy(ut_ext(r)->cong, "cubic");
	ut_ext(r)->tcp.rtt_us = 1234; ut_ext(r)->tcp.snd_cwnd = 10; ut_ext(r)->tcp.snd_mss = 65483;
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
	memcpy(ut_ext(r)->name, "\0evil\x1b]0;pwn\x07\0x", 15);
	ut_ext(r)->name_len = 15;
	keyed(r);
	r = snapshot_add(&fx->snap);
	r->proto = SP_UNIX; r->family = AF_UNIX; r->type = SOCK_DGRAM;
	r->state = SS_CLOSE; r->inode = 1004; r->cookie = 4;
	r->has = SOCK_HAS_NAME | SOCK_HAS_PEER; r->peer_inode = 1003;
	memcpy(ut_ext(r)->name, "/tmp/a,b\n\"c\".sock", 17);
	ut_ext(r)->name_len = 17;
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
	/* a name a spreadsheet would split: comma, quote, newline, space */
	procmap_set_proc(fx->pm, 44, "a,\"b\"\nc d", 9, 0);
	procmap_add_owner(fx->pm, 1004, 44, 7);
	procmap_add_owner(fx->pm, 1004, 44, 6);
	/* a pid whose name is not known (yet) */
	procmap_add_owner(fx->pm, 1005, 45, 9);
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
			     "peer_addr,peer_port,inode,uid,peer_inode,processes,", 90));
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

/* Splits the RFC 4180 record that starts at *p into at most max fields
 * (unquoted, each a malloc'd string) and moves *p past it; returns the number
 * of fields. */
static size_t csv_record(const char **p, char **fld, size_t max)
{
	const char *c = *p;
	size_t n = 0;

	for (;;) {
		struct buf b = BUF_INIT;

		if (*c == '"') {
			for (c++; *c; c++) {
				if (*c == '"' && c[1] == '"')
					buf_putc(&b, *c++);
				else if (*c == '"')
					break;
				else
					buf_putc(&b, *c);
			}
			assert_int_equal(*c, '"');
			c++;
		} else {
			while (*c && *c != ',' && *c != '\n')
				buf_putc(&b, *c++);
		}
		buf_putc(&b, '\0');
		assert_true(n < max);
		fld[n++] = buf_steal(&b);
		if (*c != ',')
			break;
		c++;
	}
	assert_int_equal(*c, '\n');
	*p = c + 1;
	return n;
}

struct csv_doc {
	char *f[16][24];   /* [row][field]; row 0 is the header */
	size_t rows, cols;
};

static void csv_parse(struct csv_doc *d, const char *s)
{
	memset(d, 0, sizeof(*d));
	while (*s) {
		size_t n;

		assert_true(d->rows < 16);
		n = csv_record(&s, d->f[d->rows], 24);
		if (!d->rows)
			d->cols = n;
		assert_int_equal(n, d->cols);
		d->rows++;
	}
}

static void csv_free(struct csv_doc *d)
{
	for (size_t r = 0; r < d->rows; r++)
		for (size_t c = 0; c < d->cols; c++)
			free(d->f[r][c]);
}

/* The field named col of the row whose inode is inode. */
static const char *csv_get(const struct csv_doc *d, unsigned inode, const char *col)
{
	size_t c, ci = SIZE_MAX, ii = SIZE_MAX;
	char want[16];

	for (c = 0; c < d->cols; c++) {
		if (!strcmp(d->f[0][c], col))
			ci = c;
		if (!strcmp(d->f[0][c], "inode"))
			ii = c;
	}
	if (ci == SIZE_MAX || ii == SIZE_MAX)
		fail_msg("no column %s", col);
	snprintf(want, sizeof(want), "%u", inode);
	for (size_t r = 1; r < d->rows; r++)
		if (!strcmp(d->f[r][ii], want))
			return d->f[r][ci];
	fail_msg("no row with inode %u", inode);
	return NULL;
}

/* Wherever JSON says null, CSV has an empty field, and the other way round:
 * the Unix listener has no peer (the kernel says peer 0), the IPv6 socket no
 * uid; a value (uid 0, peer_inode 1003) is never empty. */
static void test_csv_nulls(void **state)
{
	char *c = render(*state, FMT_CSV, true);
	char *j = render(*state, FMT_JSON, true);
	struct csv_doc d;

	csv_parse(&d, c);
	assert_contains(j, "\"inode\": 1003, \"uid\": null, \"cookie\": 3, \"peer_inode\": null");
	assert_string_equal(csv_get(&d, 1003, "peer_inode"), "");
	assert_contains(j, "\"inode\": 1004, \"uid\": null, \"cookie\": 4, \"peer_inode\": 1003");
	assert_string_equal(csv_get(&d, 1004, "peer_inode"), "1003");
	assert_string_equal(csv_get(&d, 1001, "peer_inode"), "");
	assert_contains(j, "\"inode\": 1001, \"uid\": 0,");
	assert_string_equal(csv_get(&d, 1001, "uid"), "0");
	assert_contains(j, "\"inode\": 1002, \"uid\": null");
	assert_string_equal(csv_get(&d, 1002, "uid"), "");
	/* Unix: an unnamed peer is null in JSON, empty here; no ports */
	assert_string_equal(csv_get(&d, 1003, "peer_addr"), "");
	assert_string_equal(csv_get(&d, 1003, "local_port"), "");
	assert_string_equal(csv_get(&d, 1003, "peer_port"), "");
	csv_free(&d);
	free(c);
	free(j);
}

/* pid, comm and fd of the first owner (lowest pid, then fd) and the number
 * of owners, each a field of its own; the ss-style processes column stays. */
static void test_csv_owner_columns(void **state)
{
	char *c = render(*state, FMT_CSV, true);
	struct csv_doc d;

	assert_no_controls(c);
	assert_contains(c, ",processes,pid,comm,fd,owners,cookie,listener_inode\n");
	csv_parse(&d, c);
	assert_int_equal(d.cols, 20);
	/* two processes: the first one's pid, hostile name escaped, fd */
	assert_string_equal(csv_get(&d, 1001, "pid"), "42");
	assert_string_equal(csv_get(&d, 1001, "comm"), "srv\\x1b[2J");
	assert_string_equal(csv_get(&d, 1001, "fd"), "3");
	assert_string_equal(csv_get(&d, 1001, "owners"), "2");
	assert_string_equal(csv_get(&d, 1001, "processes"),
			    "users:((\"srv\\x1b[2J\",pid=42,fd=3),(\"worker\",pid=43,fd=5))");
	/* one process holding the socket twice: the lower fd, two owners; the
	 * comma, quotes and space stay in one quoted field, the newline is
	 * shown as \n as everywhere else */
	assert_string_equal(csv_get(&d, 1004, "pid"), "44");
	assert_string_equal(csv_get(&d, 1004, "comm"), "a,\"b\"\\nc d");
	assert_string_equal(csv_get(&d, 1004, "fd"), "6");
	assert_string_equal(csv_get(&d, 1004, "owners"), "2");
	assert_contains(c, ",44,\"a,\"\"b\"\"\\nc d\",6,2,4,\n");
	/* no owner: empty pid, comm and fd (JSON: "processes": []), 0 owners */
	assert_string_equal(csv_get(&d, 1002, "pid"), "");
	assert_string_equal(csv_get(&d, 1002, "comm"), "");
	assert_string_equal(csv_get(&d, 1002, "fd"), "");
	assert_string_equal(csv_get(&d, 1002, "owners"), "0");
	assert_string_equal(csv_get(&d, 1002, "processes"), "");
	/* a pid whose name is unknown: comm is empty (JSON: null) */
	assert_string_equal(csv_get(&d, 1005, "pid"), "45");
	assert_string_equal(csv_get(&d, 1005, "comm"), "");
	assert_string_equal(csv_get(&d, 1005, "fd"), "9");
	assert_string_equal(csv_get(&d, 1005, "owners"), "1");
	csv_free(&d);
	free(c);
}

/* Without the process map every owner field is empty and owners is 0, as
 * JSON's processes is []. */
static void test_csv_no_processes(void **state)
{
	char *c = render(*state, FMT_CSV, false);
	struct csv_doc d;

	csv_parse(&d, c);
	assert_string_equal(csv_get(&d, 1001, "pid"), "");
	assert_string_equal(csv_get(&d, 1001, "comm"), "");
	assert_string_equal(csv_get(&d, 1001, "fd"), "");
	assert_string_equal(csv_get(&d, 1001, "owners"), "0");
	assert_string_equal(csv_get(&d, 1001, "processes"), "");
	csv_free(&d);
	free(c);
}

/* Addresses are formatted without inet_ntop(), and must read exactly as it
 * writes them: RFC 5952 zero compression, IPv4-mapped and -compatible
 * forms, every IPv4 byte value. */
static void check_addr(int family, const uint8_t *a, uint16_t port)
{
	struct sock r;
	struct buf b = BUF_INIT;
	char want[INET6_ADDRSTRLEN + 16], txt[INET6_ADDRSTRLEN];
	size_t w;

	memset(&r, 0, sizeof(r));
	r.proto = SP_TCP;
	r.family = (uint8_t)family;
	memcpy(r.laddr, a, family == AF_INET ? 4 : 16);
	r.lport = port;
	assert_non_null(inet_ntop(family, a, txt, sizeof(txt)));
	if (port)
		snprintf(want, sizeof(want), family == AF_INET6 ? "[%s]:%u" : "%s:%u", txt, port);
	else
		snprintf(want, sizeof(want), family == AF_INET6 ? "[%s]:*" : "%s:*", txt);
	w = output_addr(&b, &r, false, ESC_UTF8);
	assert_string_equal(b.data, want);
	assert_int_equal(w, strlen(want));
	buf_free(&b);
}

static void test_addr_text(void **state)
{
	static const char *const v6[] = {
		"::", "::1", "1::", "::ffff:127.0.0.1", "::127.0.0.1", "::0.0.0.2",
		"::ffff:0:1.2.3.4", "fe80::1", "2001:db8::1:0:0:1", "2001:db8:0:0:1::1",
		"2001:0:0:1::1", "1:0:2:0:3:0:4:0", "1:0:0:2:0:0:3:4", "0:0:1:0:0:0:0:0",
		"abcd:ef01:2345:6789:abcd:ef01:2345:6789", "ffff::ffff:ffff:ffff",
		"1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "0:1::", "::ffff:ffff:ffff",
		"0:0:0:0:0:ffff:ffff:0", "64:ff9b::192.0.2.33", "::1:0:0:0",
	};
	uint8_t a[16];
	unsigned seed = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
		assert_int_equal(inet_pton(AF_INET6, v6[i], a), 1);
		check_addr(AF_INET6, a, (uint16_t)(i * 1000));
	}
	for (unsigned v = 0; v < 256; v++) {
		uint8_t q[4] = { (uint8_t)v, (uint8_t)(255 - v), (uint8_t)(v / 10), (uint8_t)(v % 7) };

		check_addr(AF_INET, q, (uint16_t)v);
	}
	/* random addresses, most groups zero so that runs of every length
	 * and position appear */
	for (int i = 0; i < 20000; i++) {
		for (int g = 0; g < 8; g++) {
			seed = seed * 1103515245u + 12345u;
			unsigned x = (seed >> 16) % 6 ? 0 : seed >> 8;

			if ((seed >> 12) % 13 == 0)
				x = 0xffff;
			a[2 * g] = (uint8_t)(x >> 8);
			a[2 * g + 1] = (uint8_t)x;
		}
		check_addr(AF_INET6, a, (uint16_t)i);
	}
}

/* output_write() streams in chunks: it must write exactly what
 * output_format() builds, for documents far longer than a chunk. */
static void test_write_streams(void **state)
{
	struct snapshot snap;
	const struct sock **rows;
	struct procmap *pm = procmap_new();
	const size_t n = 5000;
	enum out_format fmts[] = { FMT_TABLE, FMT_JSON, FMT_CSV };

	(void)state;
	snapshot_init(&snap);
	for (size_t i = 0; i < n; i++) {
		struct sock *r = snapshot_add(&snap);

		r->cookie = i + 1;
		r->inode = (uint32_t)(i + 100);
		if (i % 3 == 0) {
			r->proto = SP_UNIX;
			r->family = AF_UNIX;
			r->type = SOCK_STREAM;
			r->state = SS_ESTABLISHED;
			r->has = SOCK_HAS_NAME | SOCK_HAS_PEER;
			ut_ext(r)->name_len = (uint8_t)snprintf(ut_ext(r)->name, sizeof(ut_ext(r)->name),
							"/run/a/rather/long/path/%zu.sock", i);
			r->peer_inode = (uint32_t)(i + 5);
		} else {
			r->proto = i % 3 == 1 ? SP_TCP : SP_UDP;
			r->family = i % 2 ? AF_INET6 : AF_INET;
			r->type = r->proto == SP_TCP ? SOCK_STREAM : SOCK_DGRAM;
			r->state = r->proto == SP_TCP ? SS_ESTABLISHED : SS_CLOSE;
			r->laddr[0] = 127;
			r->laddr[3] = (uint8_t)i;
			r->raddr[15] = (uint8_t)(i * 7);
			r->lport = (uint16_t)(i * 13);
			r->rport = (uint16_t)(i * 31);
			r->recv_q = (uint32_t)(i * i);
		}
		r->key.cookie = r->cookie;
		r->key.inode = r->inode;
		r->key.proto = r->proto;
		r->key.family = r->family;
		procmap_set_proc(pm, (int32_t)(i % 50 + 1), "worker", 6, 0);
		procmap_add_owner(pm, r->inode, (int32_t)(i % 50 + 1), (int32_t)(i % 1000));
	}
	snapshot_finish(&snap);
	rows = calloc(snap.n, sizeof(*rows));
	assert_non_null(rows);
	for (size_t i = 0; i < snap.n; i++)
		rows[i] = &snap.socks[i];
	for (size_t k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		for (int procs = 0; procs < 2; procs++) {
			struct output_ctx ctx = { fmts[k], ESC_UTF8, procs ? pm : NULL };
			struct buf want = BUF_INIT;
			FILE *f = tmpfile();
			char *got;
			long len;

			assert_non_null(f);
			output_format(&want, &ctx, rows, snap.n);
			assert_true(want.len > 3 * 65536);
			assert_int_equal(output_write(f, &ctx, rows, snap.n), 0);
			len = ftell(f);
			assert_int_equal((size_t)len, want.len);
			got = malloc((size_t)len);
			assert_non_null(got);
			rewind(f);
			assert_int_equal(fread(got, 1, (size_t)len, f), (size_t)len);
			assert_memory_equal(got, want.data, want.len);
			free(got);
			fclose(f);
			buf_free(&want);
		}
	}
	free(rows);
	procmap_free(pm);
	snapshot_free(&snap);
}

/* A failing stream is reported, not ignored. */
static void test_write_error(void **state)
{
	struct fixture *fx = *state;
	struct output_ctx ctx = { FMT_TABLE, ESC_UTF8, fx->pm };
	FILE *f = fopen("/dev/full", "w");

	if (!f)
		skip();
	errno = 0;
	assert_int_equal(output_write(f, &ctx, fx->rows, fx->n), -1);
	assert_int_equal(errno, ENOSPC);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_no_processes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_nulls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_owner_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_no_processes, setup, teardown),
		cmocka_unit_test(test_addr_text),
		cmocka_unit_test(test_write_streams),
		cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
	};

	setlocale(LC_CTYPE, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
