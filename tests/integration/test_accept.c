/* test_accept.c - a socket's identity across accept(), and the memory of a
 * full send queue, against the real kernel on 127.0.0.1.
 *
 * A connection waiting in a listener's accept queue has inode 0; accept()
 * gives the same kernel socket (same cookie) a file. The collector must
 * see one socket that changed, linked to its listener while it waits, and
 * the table (two commits) must show no ghost of it. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cell.h"
#include "clock.h"
#include "collect.h"
#include "options.h"
#include "output.h"
#include "snapshot.h"
#include "table.h"

static void opts(struct collect_config *cfg)
{
	struct options o;

	memset(&o, 0, sizeof(o));
	o.protos = SP_MASK(SP_TCP);
	o.families = SF_INET;
	o.delay_ms = 1000;
	o.once = true;
	o.format = FMT_JSON; /* with tcp_info and meminfo */
	options_collect_config(&o, cfg);
}

static uint32_t inode_of(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return (uint32_t)st.st_ino;
}

static uint16_t port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	return ntohs(a.sin_port);
}

/* A listener on 127.0.0.1 (a free port) that nobody accept()s from yet. */
static int listener(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 4), 0);
	return fd;
}

/* A client connected to 127.0.0.1:port (loopback completes the handshake
 * at once: the server side waits in the accept queue). */
static int client(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/* The server side of the connection from the client on cport to lport. */
static const struct sock *server_side(const struct snapshot *s, uint16_t lport, uint16_t cport)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct sock *r = &s->socks[i];

		if (r->proto == SP_TCP && r->family == AF_INET && r->lport == lport &&
		    r->rport == cport && r->state != SS_LISTEN)
			return r;
	}
	fail_msg("no server side for %u <- %u", lport, cport);
	return NULL;
}

/* One collection into the table's spare snapshot, then the commit. */
static void cycle(struct collect *c, struct table *t, int64_t now)
{
	assert_int_equal(collect_once(c, table_spare_snapshot(t)), 0);
	table_commit(t, collect_procmap(c), now);
}

/* The JSON object of one socket. */
static void json_of(const struct sock *s, const struct procmap *pm, struct buf *out)
{
	struct output_ctx ctx = { FMT_JSON, ESC_UTF8, pm };
	const struct sock *rows[1] = { s };

	buf_reset(out);
	output_format(out, &ctx, rows, 1);
	buf_putc(out, '\0');
}

static void test_accept_keeps_identity(void **state)
{
	struct collect_config o;
	char err[256], want[96];
	struct collect *c;
	struct table t;
	struct buf b = BUF_INIT;
	struct cell_ctx cx = { NULL, ESC_UTF8, NULL };
	const struct sock *s;
	const struct table_row *sel;
	int l = listener(), cl, a;
	uint16_t lport = port_of(l), cport;
	uint32_t lino = inode_of(l), ino;
	uint64_t cookie;
	size_t rows_on_port = 0;

	(void)state;
	cl = client(lport);
	cport = port_of(cl);
	opts(&o);
	c = collect_new(&o, err, sizeof(err));
	assert_non_null(c);
	table_init(&t, ESC_UTF8, 0, 0, false);

	/* before accept(): inode 0, linked to the listener */
	cycle(c, &t, 1000);
	s = server_side(table_snapshot(&t), lport, cport);
	assert_int_equal(s->inode, 0);
	assert_int_equal(s->state, SS_ESTABLISHED);
	assert_int_equal(s->listener_inode, lino);
	assert_true(sock_awaits_accept(s));
	assert_true(s->cookie != 0);
	cookie = s->cookie;
	/* whose it will be: ours, marked as waiting */
	cx.pm = collect_procmap(c);
	cell_format(&b, COL_PROCESS, s, NULL, &cx);
	buf_putc(&b, '\0');
	snprintf(want, sizeof(want), "/%d (accept queue)", (int)getpid());
	assert_non_null(strstr(b.data, want));
	json_of(s, collect_procmap(c), &b);
	snprintf(want, sizeof(want), "\"listener_inode\": %u", lino);
	assert_non_null(strstr(b.data, want));
	assert_non_null(strstr(b.data, "\"inode\": 0,"));
	assert_true(table_select_key(&t, &s->key));

	/* accept(): the same socket, now with a file */
	a = accept(l, NULL, NULL);
	assert_true(a >= 0);
	ino = inode_of(a);
	cycle(c, &t, 2000);
	s = server_side(table_snapshot(&t), lport, cport);
	assert_int_equal(s->cookie, cookie);
	assert_int_equal(s->inode, ino);
	assert_int_equal(s->listener_inode, 0);
	assert_false(sock_awaits_accept(s));
	json_of(s, collect_procmap(c), &b);
	assert_null(strstr(b.data, "listener_inode"));
	snprintf(want, sizeof(want), "\"cookie\": %llu", (unsigned long long)cookie);
	assert_non_null(strstr(b.data, want));
	/* one row, not a ghost plus a new one */
	for (size_t i = 0; i < t.nrows; i++) {
		const struct table_row *r = &t.rows[i];

		if (r->s->proto != SP_TCP || r->s->lport != lport || r->s->rport != cport)
			continue;
		rows_on_port++;
		assert_false(r->flags & ROW_GONE);
		assert_non_null(r->d);
		assert_false(r->d->flags & DIFF_NEW);
		assert_true(r->d->flags & DIFF_CHANGED);
	}
	assert_int_equal(rows_on_port, 1);
	for (size_t i = 0; i < t.diffs[t.cur].ngone; i++)
		assert_false(t.diffs[t.cur].gone[i].cookie == cookie);
	/* the selection followed it */
	sel = table_selected(&t);
	assert_non_null(sel);
	assert_int_equal(sel->s->cookie, cookie);
	assert_int_equal(sel->s->inode, ino);

	close(a);
	close(cl);
	close(l);
	buf_free(&b);
	table_free(&t);
	collect_free(c);
}

/* A sender whose peer never reads: Send-Q holds megabytes, and so must the
 * memory the details show (wmem_queued, ss -m's w), not wmem_alloc (t,
 * about 0 once loopback delivered it). */
static void test_full_send_queue(void **state)
{
	struct collect_config o;
	char err[256], chunk[65536];
	struct collect *c;
	struct snapshot snap;
	const struct sock *s;
	int l = listener(), cl, a;
	size_t sent = 0;
	int64_t deadline = clock_now_ms() + 20000;

	(void)state;
	cl = client(port_of(l));
	a = accept(l, NULL, NULL); /* and never read */
	assert_true(a >= 0);
	assert_int_equal(fcntl(cl, F_SETFL, fcntl(cl, F_GETFL) | O_NONBLOCK), 0);
	memset(chunk, 'x', sizeof(chunk));
	for (;;) {
		ssize_t n = send(cl, chunk, sizeof(chunk), MSG_NOSIGNAL);

		if (n < 0) {
			assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
			break;
		}
		sent += (size_t)n;
		assert_true(clock_now_ms() < deadline);
	}
	assert_true(sent > 65536);

	opts(&o);
	c = collect_new(&o, err, sizeof(err));
	assert_non_null(c);
	snapshot_init(&snap);
	assert_int_equal(collect_once(c, &snap), 0);
	s = snapshot_find_inode(&snap, inode_of(cl));
	assert_non_null(s);
	assert_true(s->has & SOCK_HAS_MEMQ);
	assert_true(s->has & SOCK_HAS_MEMBUF);
	assert_true(s->has & SOCK_HAS_DROPS);
	assert_true(s->send_q > 16384);
	/* memory counts the buffers' overhead too: same order as Send-Q */
	assert_true(sock_x(s)->wmem_queued >= s->send_q);
	assert_true(sock_x(s)->wmem_queued <= 4 * (uint64_t)s->send_q + 65536);
	assert_true(sock_x(s)->wmem_queued <= sock_x(s)->sndbuf + 65536 * 4);

	close(a);
	close(cl);
	close(l);
	snapshot_free(&snap);
	collect_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_keeps_identity),
		cmocka_unit_test(test_full_send_queue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
