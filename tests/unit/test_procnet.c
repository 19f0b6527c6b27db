/* test_procnet.c - raw sockets from /proc/net/raw{,6} text: lines recorded
 * on this kernel, then hostile input (control bytes, 4 KiB lines,
 * truncation, garbage). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fallback.h"
#include "procnet.h"
#include "snapshot.h"

/* Recorded from a kernel 6.18 (an ICMP socket, and one connected). */
static const char raw4[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	"   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4415664 2 0000000000000000 0\n"
	" 255: 0100007F:00FF 0200007F:0000 01 00000010:00000200 00:00000000 00000000  1000        0 4415700 2 0000000000000000 3\n";

static const char raw6[] =
	"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	"  58: 00000000000000000000000000000000:003A 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4415665 2 0000000000000000 0\n"
	"  58: 00000000000000000000000001000000:003A 00000000000000000000000001000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4415666 2 0000000000000000 0\n";

static size_t parse(const char *text, size_t len, int family, struct snapshot *snap,
		    struct procnet_stats *st)
{
	memset(st, 0, sizeof(*st));
	snapshot_clear(snap);
	return procnet_raw_parse(text, len, family, snap, st);
}

static void test_recorded(void **state)
{
	struct snapshot snap;
	struct procnet_stats st;
	char a[64];
	const struct sock *s;

	(void)state;
	snapshot_init(&snap);
	assert_int_equal(parse(raw4, strlen(raw4), AF_INET, &snap, &st), 2);
	assert_int_equal(st.records, 2);
	assert_int_equal(st.skipped, 0);
	s = &snap.socks[0];
	assert_int_equal(s->proto, SP_RAW);
	assert_int_equal(s->family, AF_INET);
	assert_int_equal(s->type, SOCK_RAW);
	assert_int_equal(s->source, SOCK_SRC_PROC);
	assert_int_equal(s->state, SS_CLOSE);
	assert_string_equal(sock_state_name(s), "UNCONN");
	assert_int_equal(s->lport, 1); /* ICMP: the protocol, as ss shows it */
	assert_int_equal(s->inode, 4415664);
	assert_int_equal(s->key.inode, 4415664);
	assert_int_equal(s->cookie, 0);
	assert_true(s->has & SOCK_HAS_UID);
	sock_addr_str(s, false, a, sizeof(a));
	assert_string_equal(a, "0.0.0.0");
	s = &snap.socks[1];
	sock_addr_str(s, false, a, sizeof(a));
	assert_string_equal(a, "127.0.0.1");
	sock_addr_str(s, true, a, sizeof(a));
	assert_string_equal(a, "127.0.0.2");
	assert_int_equal(s->lport, 255);
	assert_int_equal(s->state, SS_ESTABLISHED);
	assert_int_equal(s->send_q, 0x10);
	assert_int_equal(s->recv_q, 0x200);
	assert_int_equal(s->uid, 1000);
	assert_int_equal(sock_x(s)->drops, 3);
	assert_true(s->has & SOCK_HAS_DROPS);

	assert_int_equal(parse(raw6, strlen(raw6), AF_INET6, &snap, &st), 2);
	s = &snap.socks[1];
	assert_int_equal(s->family, AF_INET6);
	assert_int_equal(s->lport, 58);
	sock_addr_str(s, false, a, sizeof(a));
	assert_string_equal(a, "::1");
	/* a raw6 line is no raw line, and the other way round */
	assert_int_equal(parse(raw6, strlen(raw6), AF_INET, &snap, &st), 0);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(parse(raw4, strlen(raw4), AF_INET6, &snap, &st), 0);
	assert_int_equal(parse(raw4, strlen(raw4), AF_UNIX, &snap, &st), 0);
	snapshot_free(&snap);
}

/* Without the header, without a final newline, CRLF: what is a whole
 * kernel line counts, nothing else. */
static void test_shapes(void **state)
{
	struct snapshot snap;
	struct procnet_stats st;
	const char *line = strchr(raw4, '\n') + 1;
	char buf[512];

	(void)state;
	snapshot_init(&snap);
	assert_int_equal(parse(line, strlen(line), AF_INET, &snap, &st), 2);
	assert_int_equal(parse(line, strlen(line) - 1, AF_INET, &snap, &st), 2);
	assert_int_equal(parse("", 0, AF_INET, &snap, &st), 0);
	assert_int_equal(parse("\n\n\n", 3, AF_INET, &snap, &st), 0);
	assert_int_equal(st.skipped, 0);
	snprintf(buf, sizeof(buf), "%.*s\r\n", (int)(strchr(line, '\n') - line), line);
	assert_int_equal(parse(buf, strlen(buf), AF_INET, &snap, &st), 0);
	assert_int_equal(st.skipped, 1);
	/* fewer fields than the inode: not a socket */
	assert_int_equal(parse("   1: 00000000:0001 00000000:0000 07 00000000:00000000\n", 55,
			       AF_INET, &snap, &st),
			 0);
	assert_int_equal(st.skipped, 1);
	snapshot_free(&snap);
}

/* Every prefix of the recorded text: never a crash or an overread (ASan),
 * never a record from a cut line but for one cut after its inode. */
static void test_truncated(void **state)
{
	struct snapshot snap;
	struct procnet_stats st;
	size_t len = strlen(raw4);

	(void)state;
	snapshot_init(&snap);
	for (size_t cut = 0; cut <= len; cut++) {
		char *copy = malloc(cut ? cut : 1);
		size_t n;

		assert_non_null(copy);
		memcpy(copy, raw4, cut);
		n = parse(copy, cut, AF_INET, &snap, &st);
		assert_true(n <= 2);
		for (size_t i = 0; i < snap.n; i++)
			assert_true(snap.socks[i].inode == 4415664 || snap.socks[i].inode == 4415700 ||
				    /* a cut inode is a shorter number, still a line */
				    snap.socks[i].inode < 4415700);
		free(copy);
	}
	snapshot_free(&snap);
}

static void test_hostile(void **state)
{
	struct snapshot snap;
	struct procnet_stats st;
	const char *line = strchr(raw4, '\n') + 1;
	size_t ll = (size_t)(strchr(line, '\n') - line);
	char *big = malloc(8192);
	char buf[1024];

	(void)state;
	assert_non_null(big);
	snapshot_init(&snap);
	/* control bytes anywhere in a line: the line is refused */
	for (size_t at = 0; at < ll; at++) {
		static const char bad[] = { '\0', '\x1b', '\t', '\x7f', '\x80', '\r' };

		for (size_t k = 0; k < sizeof(bad); k++) {
			memcpy(buf, line, ll);
			buf[at] = bad[k];
			buf[ll] = '\n';
			/* a tab or CR where a space was is no kernel line either */
			assert_int_equal(parse(buf, ll + 1, AF_INET, &snap, &st), 0);
			assert_int_equal(st.skipped, 1);
		}
	}
	/* a 4 KiB line (of spaces and a real line), and 8 KiB of 'A' */
	memset(big, ' ', 4096);
	memcpy(big + 4096 - ll, line, ll);
	big[4096] = '\n';
	assert_int_equal(parse(big, 4097, AF_INET, &snap, &st), 0);
	assert_int_equal(st.skipped, 1);
	memset(big, 'A', 8192);
	assert_int_equal(parse(big, 8192, AF_INET, &snap, &st), 0);
	assert_int_equal(st.skipped, 1);
	/* numbers out of range, bad hex, wrong widths, a bad state */
	{
		static const char *const lines[] = {
			"   1: 0000000G:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n",
			"   1: 000000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n",
			"   1: 00000000:00001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n",
			"   1: 00000000:0001 00000000:0000 7 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n",
			"   1: 00000000:0001 00000000:0000 FF 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n",
			"   1: 00000000:0001 00000000:0000 00 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n",
			"   1: 00000000:0001 00000000:0000 07 0000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n",
			"   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 4294967296 0 5 2 0 0\n",
			"   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 -5 2 0 0\n",
			"   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 99999999999 2 0 0\n",
			"   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 5 2 0 x\n",
			"x1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n",
			"   1 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n",
			": 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0\n",
			"   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 5 2 0 0 1 2 3 4 5\n",
		};

		for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
			if (parse(lines[i], strlen(lines[i]), AF_INET, &snap, &st) != 0)
				fail_msg("line %zu was taken: %s", i, lines[i]);
			assert_int_equal(st.skipped, 1);
		}
		/* a negative timeout is the kernel's; the line stands */
		static const char neg[] = "   1: 00000000:0001 00000000:0000 07 00000000:00000000 "
					  "00:00000000 00000000 0 -1 5 2 0 0\n";

		assert_int_equal(parse(neg, sizeof(neg) - 1, AF_INET, &snap, &st), 1);
	}
	/* random bytes: no crash, and whatever is taken has a sane state */
	srand(13);
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(rand() % 600);

		for (size_t i = 0; i < n; i++)
			big[i] = (char)(rand() % 4 ? "0123456789ABCDEF: \n"[rand() % 19] : rand());
		parse(big, n, round % 2 ? AF_INET : AF_INET6, &snap, &st);
		for (size_t i = 0; i < snap.n; i++)
			assert_true(snap.socks[i].state > 0 && snap.socks[i].state < SS_MAX_);
	}
	free(big);
	snapshot_free(&snap);
}

/* procnet_raw_read() on a file, and on what is not there. */
static void test_read(void **state)
{
	struct snapshot snap;
	struct procnet_stats st = { 0 };
	char dir[] = "/tmp/sv-procnet.XXXXXX";
	char path[64];
	FILE *fp;

	(void)state;
	snapshot_init(&snap);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/raw", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(raw4, fp);
	fclose(fp);
	assert_int_equal(procnet_raw_read(path, AF_INET, &snap, &st), 0);
	assert_int_equal(snap.n, 2);
	unlink(path);
	assert_int_equal(procnet_raw_read(path, AF_INET, &snap, &st), -1);
	assert_int_equal(snap.n, 2);
	rmdir(dir);
	snapshot_free(&snap);
}

/* fallback_complete(): /proc only where sock_diag said it cannot; the
 * status tells the truth either way. */
static void test_fallback(void **state)
{
	struct snapshot snap;
	char dir[] = "/tmp/sv-fallback.XXXXXX";
	char path[64];
	FILE *fp;
	struct sock *s;

	(void)state;
	snapshot_init(&snap);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/raw", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(raw4, fp);
	fclose(fp);

	/* no raw_diag: the two raw lines come in, from /proc */
	s = snapshot_add(&snap);
	s->proto = SP_TCP;
	s->family = AF_INET;
	s->key.proto = SP_TCP;
	s->key.family = AF_INET;
	s->key.cookie = 1;
	snapshot_finish(&snap);
	snap.status[SP_TCP] = SNAP_OK;
	snap.status[SP_RAW] = SNAP_UNAVAILABLE;
	snap.error[SP_RAW] = ENOENT;
	fallback_complete(&snap, SP_MASK(SP_TCP) | SP_MASK(SP_RAW), SF_ALL, dir);
	assert_int_equal(snap.n, 3);
	assert_int_equal(snap.status[SP_RAW], SNAP_OK);
	assert_int_equal(snap.from_proc, SP_MASK(SP_RAW));
	assert_non_null(snapshot_find(&snap, &snap.socks[2].key)); /* indexed again */
	assert_int_equal(snap.socks[2].source, SOCK_SRC_PROC);

	/* raw_diag answered (even with none): /proc is not read */
	snapshot_clear(&snap);
	snapshot_finish(&snap);
	snap.status[SP_RAW] = SNAP_OK;
	fallback_complete(&snap, SP_MASK(SP_RAW), SF_ALL, dir);
	assert_int_equal(snap.n, 0);
	assert_int_equal(snap.from_proc, 0);

	/* raw not asked for: nothing either */
	snapshot_clear(&snap);
	snapshot_finish(&snap);
	snap.status[SP_RAW] = SNAP_UNAVAILABLE;
	fallback_complete(&snap, SP_MASK(SP_TCP), SF_ALL, dir);
	assert_int_equal(snap.n, 0);
	assert_int_equal(snap.status[SP_RAW], SNAP_UNAVAILABLE);

	/* IPv6 only: raw6 is missing here, so raw stays unseen, and says so */
	fallback_complete(&snap, SP_MASK(SP_RAW), SF_INET6, dir);
	assert_int_equal(snap.n, 0);
	assert_int_equal(snap.status[SP_RAW], SNAP_UNAVAILABLE);
	assert_int_equal(snap.error[SP_RAW], ENOENT);
	assert_int_equal(snap.from_proc, 0);

	unlink(path);
	rmdir(dir);
	snapshot_free(&snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_fallback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
