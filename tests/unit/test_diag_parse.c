/* test_diag_parse.c - the sock_diag parser on recorded dumps and on
 * hand-built (often broken) messages. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/unix_diag.h>

#include "diag_parse.h"
#include "snapshot.h"

#define SEQ 4242u
#define PORTID 777u

/* ---- building messages ---- */

struct mbuf {
	uint32_t words[16384]; /* 64 KiB, aligned like a recv buffer */
	size_t len;
};

static struct mbuf *mbuf_new(void)
{
	struct mbuf *b = calloc(1, sizeof(*b));

	assert_non_null(b);
	return b;
}

static struct nlmsghdr *msg_put(struct mbuf *b, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header((char *)b->words + b->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

static void msg_end(struct mbuf *b, struct nlmsghdr *nlh)
{
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static struct nlmsghdr *inet_msg(struct mbuf *b, uint8_t family, uint8_t state, uint16_t sport,
				 uint16_t dport, uint32_t inode)
{
	struct nlmsghdr *nlh = msg_put(b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, SEQ);
	struct inet_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

	m->idiag_family = family;
	m->idiag_state = state;
	m->idiag_timer = 1;
	m->idiag_retrans = 2;
	m->id.idiag_sport = htons(sport);
	m->id.idiag_dport = htons(dport);
	m->id.idiag_src[0] = htonl(0x7f000001);
	m->id.idiag_dst[0] = htonl(0x7f000002);
	m->id.idiag_if = 3;
	m->id.idiag_cookie[0] = 0x11223344;
	m->id.idiag_cookie[1] = 0x55667788;
	m->idiag_expires = 99;
	m->idiag_rqueue = 10;
	m->idiag_wqueue = 20;
	m->idiag_uid = 1000;
	m->idiag_inode = inode;
	return nlh;
}

static struct nlmsghdr *unix_msg(struct mbuf *b, uint8_t type, uint8_t state, uint32_t ino)
{
	struct nlmsghdr *nlh = msg_put(b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, SEQ);
	struct unix_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));

	m->udiag_family = AF_UNIX;
	m->udiag_type = type;
	m->udiag_state = state;
	m->udiag_ino = ino;
	m->udiag_cookie[0] = ino;
	m->udiag_cookie[1] = 1;
	return nlh;
}

static void put_done(struct mbuf *b, int32_t err, uint16_t flags)
{
	struct nlmsghdr *nlh = msg_put(b, NLMSG_DONE, NLM_F_MULTI | flags, SEQ);
	int32_t *v = mnl_nlmsg_put_extra_header(nlh, sizeof(*v));

	*v = err;
	msg_end(b, nlh);
}

static void put_error(struct mbuf *b, int32_t err)
{
	struct nlmsghdr *nlh = msg_put(b, NLMSG_ERROR, 0, SEQ);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	e->error = err;
	msg_end(b, nlh);
}

/* A raw attribute with a chosen nla_len (possibly a lie). */
static void attr_raw(struct nlmsghdr *nlh, uint16_t type, uint16_t nla_len, size_t real_len,
		     uint8_t fill)
{
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

	a->nla_type = type;
	a->nla_len = nla_len;
	memset(a + 1, fill, real_len);
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*a) + real_len);
}

struct fix {
	struct snapshot snap;
	struct diag_parser p;
	struct mbuf *b;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snapshot_init(&f->snap);
	f->b = mbuf_new();
	diag_parser_init(&f->p, &f->snap, SP_TCP, SEQ, PORTID);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	snapshot_free(&f->snap);
	free(f->b);
	free(f);
	return 0;
}

static int parse(struct fix *f)
{
	return diag_parse(&f->p, f->b->words, f->b->len);
}

/* ---- recorded fixtures ---- */

static char *read_file(const char *name, size_t *len)
{
	char path[PATH_MAX];
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/fixtures/%s", TEST_SRCDIR, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0 && n < 1 << 20);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static unsigned proto_of_file(const char *file)
{
	if (!strncmp(file, "tcp", 3))
		return SP_TCP;
	if (!strncmp(file, "udp", 3))
		return SP_UDP;
	if (!strncmp(file, "raw", 3))
		return SP_RAW;
	return SP_UNIX;
}

/* Replays FILE.bin into snap; returns the error the dump ended with. */
static int replay(const char *file, struct snapshot *snap, struct diag_parse_stats *st)
{
	char name[64];
	size_t len, off = 0;
	char *buf;
	struct diag_parser p;
	int r = 1;

	snprintf(name, sizeof(name), "%s.bin", file);
	buf = read_file(name, &len);
	snapshot_clear(snap);
	/* Recorded with real sequence numbers: accept any here. */
	diag_parser_init(&p, snap, proto_of_file(file), 0, 0);
	while (off < len && r == 1) {
		r = diag_parse(&p, buf + off, len - off);
		assert_true(r >= 0);
		off += p.consumed;
	}
	assert_int_equal(r, 0); /* every recording ends with DONE */
	assert_int_equal(off, len);
	snapshot_finish(snap);
	*st = p.stats;
	free(buf);
	return p.error;
}

static size_t unhex(const char *h, char *out, size_t max)
{
	size_t n = 0;

	if (!strcmp(h, "-"))
		return 0;
	for (; h[0] && h[1] && n < max; h += 2) {
		unsigned v;

		assert_int_equal(sscanf(h, "%2x", &v), 1);
		out[n++] = (char)v;
	}
	return n;
}

static const struct sock *find_tw(const struct snapshot *s, uint16_t lport, uint16_t rport)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->socks[i].state == SS_TIME_WAIT && s->socks[i].lport == lport &&
		    s->socks[i].rport == rport)
			return &s->socks[i];
	return NULL;
}

static void check_manifest_sock(const char *line, const struct snapshot *snap, unsigned proto)
{
	char file[32], state[16], laddr[64], raddr[64], namehex[256], name[SOCK_NAME_MAX];
	unsigned type, lport, rport, inode, uid, recvq, peer;
	unsigned long long cookie;
	const struct sock *s;
	size_t nlen;

	assert_int_equal(sscanf(line, "sock %31s %15s %u %63s %u %63s %u %u %llu %u %u %u %255s",
				file, state, &type, laddr, &lport, raddr, &rport, &inode,
				&cookie, &uid, &recvq, &peer, namehex),
			 13);
	if (cookie) {
		struct sock_key k = { .cookie = cookie, .inode = inode, .proto = (uint8_t)proto };

		k.family = proto == SP_UNIX ? AF_UNIX : strchr(laddr, ':') ? AF_INET6 : AF_INET;
		s = snapshot_find(snap, &k);
	} else {
		s = find_tw(snap, (uint16_t)lport, (uint16_t)rport);
	}
	if (!s) {
		fail_msg("manifest socket not found: %s", line);
		return;
	}
	assert_int_equal(s->proto, proto);
	assert_int_equal(s->key.proto, proto);
	assert_string_equal(sock_state_name(s), state);
	assert_int_equal(s->type, type);
	assert_int_equal(s->inode, inode);
	assert_int_equal(s->cookie, cookie ? cookie : s->cookie);
	assert_int_equal(s->recv_q, recvq);
	assert_true(s->has & SOCK_HAS_QUEUE);
	if (proto == SP_UNIX) {
		assert_int_equal(s->family, AF_UNIX);
		assert_true(s->has & SOCK_HAS_UID);
		assert_int_equal(s->uid, uid);
		assert_true(s->has & SOCK_HAS_NAME);
		nlen = unhex(namehex, name, sizeof(name));
		assert_int_equal(sock_x(s)->name_len, nlen);
		assert_memory_equal(sock_x(s)->name, name, nlen);
		assert_true(s->has & SOCK_HAS_PEER);
		assert_int_equal(s->peer_inode, peer);
		return;
	}
	{
		uint8_t want[16] = { 0 };
		int fam = strchr(laddr, ':') ? AF_INET6 : AF_INET;

		assert_int_equal(s->family, fam);
		assert_int_equal(s->lport, lport);
		assert_int_equal(s->rport, rport);
		assert_int_equal(inet_pton(fam, laddr, want), 1);
		assert_memory_equal(s->laddr, want, 16);
		memset(want, 0, sizeof(want));
		assert_int_equal(inet_pton(fam, raddr, want), 1);
		assert_memory_equal(s->raddr, want, 16);
	}
	if (s->state == SS_TIME_WAIT) {
		/* no owner: uid 0 is not a real uid */
		assert_false(s->has & SOCK_HAS_UID);
		assert_int_equal(s->inode, 0);
		assert_int_not_equal(s->cookie, 0);
	} else {
		assert_true(s->has & SOCK_HAS_UID);
		assert_int_equal(s->uid, uid);
	}
	if (proto == SP_TCP && s->state == SS_ESTABLISHED) {
		assert_true(s->has & SOCK_HAS_TCP);
		assert_true(sock_x(s)->tcp.info_len >= 104); /* any kernel of this decade */
		assert_true(sock_x(s)->tcp.snd_mss > 0);
		assert_true(sock_x(s)->tcp.rtt_us > 0);
		assert_true(s->has & SOCK_HAS_CONG);
		assert_true(strlen(sock_x(s)->cong) > 0);
		assert_true(s->has & SOCK_HAS_MEM);
		assert_true(sock_x(s)->rcvbuf > 0 && sock_x(s)->sndbuf > 0);
		if (s->lport == 41001)
			assert_int_equal(sock_x(s)->tcp.bytes_acked, 5 + 1); /* data + SYN */
	}
	if (proto != SP_TCP)
		assert_false(s->has & (SOCK_HAS_TCP | SOCK_HAS_CONG | SOCK_HAS_MEM));
}

static void test_fixtures(void **state)
{
	size_t len, nlines = 0, checked = 0, results = 0;
	char *text = read_file("manifest.txt", &len);
	char *lines[64];
	struct snapshot snap;

	(void)state;
	snapshot_init(&snap);
	text[len] = '\0';
	for (char *l = text; *l && nlines < 64;) {
		char *nl = strchr(l, '\n');

		lines[nlines++] = l;
		if (!nl)
			break;
		*nl = '\0';
		l = nl + 1;
	}
	for (size_t i = 0; i < nlines; i++) {
		char file[32];
		int err;
		struct diag_parse_stats st;
		size_t expected = 0;

		if (sscanf(lines[i], "result %31s %d", file, &err) != 2)
			continue;
		results++;
		assert_int_equal(replay(file, &snap, &st), err);
		assert_int_equal(st.skipped, 0);
		assert_int_equal(st.bad_attrs, 0);
		assert_int_equal(st.stale, 0);
		if (err)
			assert_int_equal(snap.n, 0);
		/* every socket the manifest lists for this file */
		for (size_t j = 0; j < nlines; j++) {
			char f2[32];

			if (sscanf(lines[j], "sock %31s", f2) == 1 && !strcmp(f2, file)) {
				check_manifest_sock(lines[j], &snap, proto_of_file(file));
				expected++;
				checked++;
			}
		}
		/* The namespace held nothing else (Unix: one socketpair end is
		 * unlisted). */
		if (proto_of_file(file) == SP_UNIX)
			assert_int_equal(snap.n, expected + 1);
		else
			assert_int_equal(snap.n, expected);
	}
	assert_int_equal(results, 7);
	assert_int_equal(checked, 18);
	snapshot_free(&snap);
	free(text);
}

/* Random corruption of real dumps: must never crash or read out of bounds
 * (ASan watches); deterministic, bounded. */
static void test_fixtures_mutated(void **state)
{
	static const char *const files[] = { "tcp-inet.bin", "tcp-inet6.bin", "unix.bin",
					     "udp-inet6.bin" };
	uint32_t rng = 12345;
	struct snapshot snap;

	(void)state;
	snapshot_init(&snap);
	for (size_t fi = 0; fi < sizeof(files) / sizeof(files[0]); fi++) {
		size_t len;
		char *orig = read_file(files[fi], &len);
		char *buf = malloc(len + 1);

		assert_non_null(buf);
		for (int iter = 0; iter < 3000; iter++) {
			struct diag_parser p;
			size_t cut = len, off = 0;
			int r = 1;

			memcpy(buf, orig, len);
			for (int k = 0; k < 1 + iter % 8; k++) {
				rng = rng * 1103515245u + 12345u;
				buf[(rng >> 8) % len] = (char)(rng >> 24);
			}
			rng = rng * 1103515245u + 12345u;
			if (iter % 3 == 0)
				cut = (rng >> 8) % (len + 1);
			snapshot_clear(&snap);
			diag_parser_init(&p, &snap, proto_of_file(files[fi]), 0, 0);
			/* a heap copy of exactly cut bytes: ASan sees overreads */
			{
				char *exact = malloc(cut ? cut : 1);

				assert_non_null(exact);
				memcpy(exact, buf, cut);
				while (r == 1 && off < cut) {
					r = diag_parse(&p, exact + off, cut - off);
					off += p.consumed;
				}
				free(exact);
			}
			assert_true(off <= cut);
			snapshot_finish(&snap);
			/* (only Unix records have a name: in the others those
			 * bytes hold TCP fields) */
			for (size_t i = 0; i < snap.n; i++)
				if (snap.socks[i].family == AF_UNIX)
					assert_true(sock_x(&snap.socks[i])->name_len <= SOCK_NAME_MAX);
		}
		free(buf);
		free(orig);
	}
	snapshot_free(&snap);
}

/* ---- hand-built messages ---- */

static void test_inet_record_fields(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 5000, 6000, 1234);
	const struct sock *s;

	mnl_attr_put_strz(nlh, INET_DIAG_CONG, "cubic");
	msg_end(f->b, nlh);
	put_done(f->b, 0, 0);
	assert_int_equal(parse(f), 0);
	assert_true(f->p.done);
	assert_int_equal(f->p.error, 0);
	assert_int_equal(f->snap.n, 1);
	s = &f->snap.socks[0];
	assert_int_equal(s->proto, SP_TCP);
	assert_int_equal(s->family, AF_INET);
	assert_int_equal(s->type, SOCK_STREAM);
	assert_int_equal(s->state, SS_ESTABLISHED);
	assert_int_equal(s->lport, 5000);
	assert_int_equal(s->rport, 6000);
	assert_memory_equal(s->laddr, "\x7f\0\0\x01\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	assert_memory_equal(s->raddr, "\x7f\0\0\x02\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	assert_int_equal(s->ifindex, 3);
	assert_int_equal(s->cookie, 0x5566778811223344ull);
	assert_int_equal(s->key.cookie, 0x5566778811223344ull);
	assert_int_equal(s->key.inode, 1234);
	assert_int_equal(s->key.proto, SP_TCP);
	assert_int_equal(s->key.family, AF_INET);
	assert_int_equal(s->inode, 1234);
	assert_int_equal(s->uid, 1000);
	assert_int_equal(s->recv_q, 10);
	assert_int_equal(s->send_q, 20);
	assert_int_equal(s->timer, 1);
	assert_int_equal(s->retrans, 2);
	assert_int_equal(s->expires_ms, 99);
	assert_int_equal(s->has, SOCK_HAS_UID | SOCK_HAS_QUEUE | SOCK_HAS_CONG);
	assert_string_equal(sock_x(s)->cong, "cubic");
	assert_int_equal(f->p.stats.records, 1);
}

static void test_udp_and_raw_types(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh;

	f->p.proto = SP_UDP;
	nlh = inet_msg(f->b, AF_INET6, SS_CLOSE, 53, 0, 1);
	/* UDP never has tcp_info: an INET_DIAG_INFO here is ignored */
	attr_raw(nlh, INET_DIAG_INFO, 4 + 16, 16, 0x55);
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	assert_int_equal(f->snap.n, 1);
	assert_int_equal(f->snap.socks[0].type, SOCK_DGRAM);
	assert_int_equal(f->snap.socks[0].family, AF_INET6);
	assert_string_equal(sock_state_name(&f->snap.socks[0]), "UNCONN");
	assert_false(f->snap.socks[0].has & SOCK_HAS_TCP);

	f->b->len = 0;
	diag_parser_init(&f->p, &f->snap, SP_RAW, SEQ, PORTID);
	nlh = inet_msg(f->b, AF_INET, SS_CLOSE, IPPROTO_ICMP, 0, 2);
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	assert_int_equal(f->snap.n, 2);
	assert_int_equal(f->snap.socks[1].type, SOCK_RAW);
	assert_int_equal(f->snap.socks[1].proto, SP_RAW);
	assert_int_equal(f->snap.socks[1].key.proto, SP_RAW);
}

static void test_truncated_header(void **state)
{
	struct fix *f = *state;

	/* 10 bytes: less than an nlmsghdr */
	memset(f->b->words, 0xab, 10);
	f->b->len = 10;
	errno = 0;
	assert_int_equal(parse(f), -1);
	assert_int_equal(errno, EBADMSG);

	/* one good record, then 8 stray bytes */
	f->b->len = 0;
	msg_end(f->b, inet_msg(f->b, AF_INET, SS_LISTEN, 80, 0, 5));
	memset((char *)f->b->words + f->b->len, 0, 8);
	f->b->len += 8;
	errno = 0;
	assert_int_equal(parse(f), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(f->snap.n, 1); /* what came before stays */
}

static void test_nlmsg_len_lies(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh;
	static const uint32_t lies[] = { 200, 0x80000000u, 0xffffffffu, 8, 0 };

	for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		f->b->len = 0;
		snapshot_clear(&f->snap);
		diag_parser_init(&f->p, &f->snap, SP_TCP, SEQ, PORTID);
		nlh = inet_msg(f->b, AF_INET, SS_LISTEN, 80, 0, 5);
		msg_end(f->b, nlh);
		nlh->nlmsg_len = lies[i]; /* the buffer holds 88 bytes */
		errno = 0;
		assert_int_equal(parse(f), -1);
		assert_int_equal(errno, EBADMSG);
		assert_int_equal(f->snap.n, 0);
	}
}

static void test_short_inet_msg(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh = msg_put(f->b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, SEQ);

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct inet_diag_msg) - 4);
	msg_end(f->b, nlh);
	put_done(f->b, 0, 0);
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->snap.n, 0);
	assert_int_equal(f->p.stats.skipped, 1);
	assert_int_equal(f->p.error, 0);
}

static void test_short_unix_msg(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh;

	f->p.proto = SP_UNIX;
	nlh = msg_put(f->b, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, SEQ);
	mnl_nlmsg_put_extra_header(nlh, 8);
	msg_end(f->b, nlh);
	msg_end(f->b, unix_msg(f->b, SOCK_STREAM, SS_LISTEN, 77));
	put_done(f->b, 0, 0);
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->snap.n, 1);
	assert_int_equal(f->snap.socks[0].inode, 77);
	assert_int_equal(f->p.stats.skipped, 1);
}

static void test_wrong_family_skipped(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh = inet_msg(f->b, AF_UNIX, SS_LISTEN, 80, 0, 5);
	struct nlmsghdr *other;

	msg_end(f->b, nlh);
	/* and a message type that is not a socket */
	other = msg_put(f->b, 0x55, 0, SEQ);
	mnl_nlmsg_put_extra_header(other, 100);
	msg_end(f->b, other);
	assert_int_equal(parse(f), 1);
	assert_int_equal(f->snap.n, 0);
	assert_int_equal(f->p.stats.skipped, 2);
}

/* Replies to the legacy TCP request carry its type (TCPDIAG_GETSOCK): they
 * are sockets in a TCP dump, of either family; in any other dump they are
 * not ours to know. */
static void test_legacy_tcp_type(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh = inet_msg(f->b, AF_INET, SS_LISTEN, 80, 0, 5);

	nlh->nlmsg_type = TCPDIAG_GETSOCK;
	msg_end(f->b, nlh);
	nlh = inet_msg(f->b, AF_INET6, SS_ESTABLISHED, 81, 82, 6);
	nlh->nlmsg_type = TCPDIAG_GETSOCK;
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	assert_int_equal(f->snap.n, 2);
	assert_int_equal(f->snap.socks[0].family, AF_INET);
	assert_int_equal(f->snap.socks[0].lport, 80);
	assert_int_equal(f->snap.socks[1].family, AF_INET6);
	assert_int_equal(f->snap.socks[1].proto, SP_TCP);
	assert_int_equal(f->snap.socks[1].inode, 6);
	assert_int_equal(f->p.stats.skipped, 0);

	/* the same bytes in a UDP dump: skipped */
	snapshot_clear(&f->snap);
	diag_parser_init(&f->p, &f->snap, SP_UDP, SEQ, PORTID);
	assert_int_equal(parse(f), 1);
	assert_int_equal(f->snap.n, 0);
	assert_int_equal(f->p.stats.skipped, 2);
}

static void test_unknown_attributes(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 3);

	attr_raw(nlh, 200, 4 + 7, 7, 0xee);              /* unknown type */
	attr_raw(nlh, INET_DIAG_TOS, 4 + 1, 1, 0x10);     /* known, unused */
	attr_raw(nlh, INET_DIAG_CONG | NLA_F_NESTED, 4 + 3, 3, 'b'); /* flags masked */
	attr_raw(nlh, 0x7fff, 4, 0, 0);                  /* empty unknown */
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	assert_int_equal(f->snap.n, 1);
	assert_int_equal(f->p.stats.bad_attrs, 0);
	assert_string_equal(sock_x(&f->snap.socks[0])->cong, "bbb");
}

static void test_short_tcp_info(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 3);
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);
	uint8_t *pl;
	const struct sock *s;

	attr_raw(nlh, INET_DIAG_INFO, 4 + 8, 8, 0);
	pl = mnl_attr_get_payload(a);
	pl[0] = SS_ESTABLISHED;   /* tcpi_state */
	pl[1] = 3;                /* ca_state */
	pl[2] = 4;                /* retransmits */
	pl[3] = 5;                /* probes */
	pl[4] = 6;                /* backoff */
	pl[5] = 7;                /* options */
	pl[6] = 0x21;             /* snd_wscale 1, rcv_wscale 2 */
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	s = &f->snap.socks[0];
	assert_true(s->has & SOCK_HAS_TCP);
	assert_int_equal(sock_x(s)->tcp.info_len, 8);
	assert_int_equal(sock_x(s)->tcp.ca_state, 3);
	assert_int_equal(sock_x(s)->tcp.retransmits, 4);
	assert_int_equal(sock_x(s)->tcp.probes, 5);
	assert_int_equal(sock_x(s)->tcp.backoff, 6);
	assert_int_equal(sock_x(s)->tcp.options, 7);
	assert_int_equal(sock_x(s)->tcp.snd_wscale, 1);
	assert_int_equal(sock_x(s)->tcp.rcv_wscale, 2);
	/* not sent: zero, not garbage */
	assert_int_equal(sock_x(s)->tcp.rto_us, 0);
	assert_int_equal(sock_x(s)->tcp.rtt_us, 0);
	assert_int_equal(sock_x(s)->tcp.bytes_acked, 0);
	assert_int_equal(f->p.stats.bad_attrs, 0);
}

static void test_long_tcp_info(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh = inet_msg(f->b, AF_INET6, SS_ESTABLISHED, 1, 2, 3);
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);
	struct tcp_info ti;
	size_t len = sizeof(ti) + 64; /* a newer kernel's longer struct */
	const struct sock *s;

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_rtt = 1500;
	ti.tcpi_rttvar = 250;
	ti.tcpi_snd_cwnd = 10;
	ti.tcpi_snd_ssthresh = 7;
	ti.tcpi_snd_mss = 65483;
	ti.tcpi_total_retrans = 3;
	ti.tcpi_bytes_acked = 1ull << 40;
	ti.tcpi_bytes_received = 12345;
	ti.tcpi_delivery_rate = 999999;
	ti.tcpi_busy_time = 5000000; /* usec */
	ti.tcpi_snd_wnd = 4321;
	attr_raw(nlh, INET_DIAG_INFO, (uint16_t)(4 + len), len, 0x77);
	memcpy(mnl_attr_get_payload(a), &ti, sizeof(ti));
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	s = &f->snap.socks[0];
	assert_true(s->has & SOCK_HAS_TCP);
	assert_int_equal(sock_x(s)->tcp.info_len, len > 255 ? 255 : len);
	assert_int_equal(sock_x(s)->tcp.rtt_us, 1500);
	assert_int_equal(sock_x(s)->tcp.rttvar_us, 250);
	assert_int_equal(sock_x(s)->tcp.snd_cwnd, 10);
	assert_int_equal(sock_x(s)->tcp.snd_ssthresh, 7);
	assert_int_equal(sock_x(s)->tcp.snd_mss, 65483);
	assert_int_equal(sock_x(s)->tcp.total_retrans, 3);
	assert_int_equal(sock_x(s)->tcp.bytes_acked, 1ull << 40);
	assert_int_equal(sock_x(s)->tcp.bytes_received, 12345);
	assert_int_equal(sock_x(s)->tcp.delivery_rate, 999999);
	assert_int_equal(sock_x(s)->tcp.busy_time_ms, 5000);
	assert_int_equal(sock_x(s)->tcp.snd_wnd, 4321);
}

static void test_oversized_attribute(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 3);
	const struct sock *s;

	mnl_attr_put_strz(nlh, INET_DIAG_CONG, "reno");
	attr_raw(nlh, INET_DIAG_SKMEMINFO, 1000, 8, 0x01); /* claims 1000 bytes */
	msg_end(f->b, nlh);
	/* a second record after it is still parsed: the lie stays inside
	 * its message */
	msg_end(f->b, inet_msg(f->b, AF_INET, SS_LISTEN, 80, 0, 9));
	assert_int_equal(parse(f), 1);
	assert_int_equal(f->snap.n, 2);
	s = &f->snap.socks[0];
	assert_string_equal(sock_x(s)->cong, "reno");
	assert_false(s->has & SOCK_HAS_MEM);
	assert_int_equal(f->p.stats.bad_attrs, 1);
	assert_int_equal(f->snap.socks[1].inode, 9);
}

static void test_tiny_and_wrong_size_attributes(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh;
	const struct sock *s;

	f->p.proto = SP_UNIX;
	nlh = unix_msg(f->b, SOCK_STREAM, SS_ESTABLISHED, 5);
	attr_raw(nlh, UNIX_DIAG_PEER, 4 + 2, 2, 0x01);  /* peer needs 4 bytes */
	attr_raw(nlh, UNIX_DIAG_RQLEN, 4 + 4, 4, 0x01); /* rqlen needs 8 */
	attr_raw(nlh, UNIX_DIAG_UID, 4 + 1, 1, 0x01);
	attr_raw(nlh, UNIX_DIAG_MEMINFO, 4 + 8, 8, 0x01);
	attr_raw(nlh, UNIX_DIAG_NAME, 4 + 112, 112, 'x'); /* over 108 */
	attr_raw(nlh, UNIX_DIAG_VFS, 2, 0, 0);            /* nla_len below 4 */
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	s = &f->snap.socks[0];
	assert_int_equal(s->has, 0); /* nothing believed, name unknown */
	assert_int_equal(sock_x(s)->name_len, 0);
	assert_int_equal(f->p.stats.bad_attrs, 6);

	/* inet: meminfo forms too short */
	f->b->len = 0;
	snapshot_clear(&f->snap);
	diag_parser_init(&f->p, &f->snap, SP_TCP, SEQ, PORTID);
	nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 3);
	attr_raw(nlh, INET_DIAG_SKMEMINFO, 4 + 12, 12, 0x01);
	attr_raw(nlh, INET_DIAG_MEMINFO, 4 + 8, 8, 0x01);
	attr_raw(nlh, INET_DIAG_INFO, 4, 0, 0); /* empty tcp_info */
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	assert_false(f->snap.socks[0].has & (SOCK_HAS_MEM | SOCK_HAS_TCP));
	assert_int_equal(f->p.stats.bad_attrs, 3);
}

static void test_meminfo(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 3);
	uint32_t sk[SK_MEMINFO_VARS] = { 11, 22, 33, 44, 55, 66, 77, 88, 99 };
	struct inet_diag_meminfo mi = { 1, 2, 3, 4 };

	mnl_attr_put(nlh, INET_DIAG_SKMEMINFO, sizeof(sk), sk);
	mnl_attr_put(nlh, INET_DIAG_MEMINFO, sizeof(mi), &mi); /* ignored after SK */
	msg_end(f->b, nlh);
	nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 4);
	mnl_attr_put(nlh, INET_DIAG_MEMINFO, sizeof(mi), &mi);
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	assert_true(f->snap.socks[0].has & SOCK_HAS_MEM);
	assert_int_equal(sock_x(&f->snap.socks[0])->rmem_alloc, 11);
	assert_int_equal(sock_x(&f->snap.socks[0])->rcvbuf, 22);
	assert_int_equal(sock_x(&f->snap.socks[0])->wmem_alloc, 33);
	assert_int_equal(sock_x(&f->snap.socks[0])->sndbuf, 44);
	/* the send queue (ss -m's w) and drops (d), not only t */
	assert_true(f->snap.socks[0].has & SOCK_HAS_MEMQ);
	assert_int_equal(sock_x(&f->snap.socks[0])->wmem_queued, 66);
	assert_true(f->snap.socks[0].has & SOCK_HAS_DROPS);
	assert_int_equal(sock_x(&f->snap.socks[0])->drops, 99);
	/* the old form: idiag_wmem is the queue, idiag_tmem what left it,
	 * and there are no buffer sizes */
	assert_int_equal(sock_x(&f->snap.socks[1])->rmem_alloc, 1);
	assert_int_equal(sock_x(&f->snap.socks[1])->wmem_queued, 2);
	assert_int_equal(sock_x(&f->snap.socks[1])->wmem_alloc, 4);
	assert_true(f->snap.socks[1].has & SOCK_HAS_MEMQ);
	assert_false(f->snap.socks[1].has & (SOCK_HAS_MEMBUF | SOCK_HAS_DROPS));
}

/* An older kernel's shorter SK_MEMINFO: what it lacks is not read as 0. */
static void test_meminfo_short(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 3);
	uint32_t sk[SK_MEMINFO_WMEM_QUEUED] = { 11, 22, 33, 44, 55 };

	mnl_attr_put(nlh, INET_DIAG_SKMEMINFO, sizeof(sk), sk);
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	assert_true(f->snap.socks[0].has & (SOCK_HAS_MEM | SOCK_HAS_MEMBUF));
	assert_false(f->snap.socks[0].has & (SOCK_HAS_MEMQ | SOCK_HAS_DROPS));
	assert_int_equal(sock_x(&f->snap.socks[0])->sndbuf, 44);
}

/* INET_DIAG_SHUTDOWN: one byte, sk_shutdown; other bits ignored; an
 * empty attribute is not believed. */
static void test_shutdown(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh;

	nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 3);
	mnl_attr_put_u8(nlh, INET_DIAG_SHUTDOWN, SOCK_SHUT_WR);
	msg_end(f->b, nlh);
	nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 4);
	mnl_attr_put_u8(nlh, INET_DIAG_SHUTDOWN, 0xff); /* RD|WR and junk */
	msg_end(f->b, nlh);
	nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 5);
	mnl_attr_put_u8(nlh, INET_DIAG_SHUTDOWN, 0);
	msg_end(f->b, nlh);
	nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 6);
	attr_raw(nlh, INET_DIAG_SHUTDOWN, 4, 0, 0); /* truncated: no byte */
	msg_end(f->b, nlh);
	nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 7); /* no attribute */
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	assert_int_equal(f->snap.n, 5);
	assert_true(f->snap.socks[0].has & SOCK_HAS_SHUTDOWN);
	assert_int_equal(f->snap.socks[0].shutdown, SOCK_SHUT_WR);
	assert_int_equal(f->snap.socks[1].shutdown, SOCK_SHUT_RD | SOCK_SHUT_WR);
	assert_true(f->snap.socks[2].has & SOCK_HAS_SHUTDOWN);
	assert_int_equal(f->snap.socks[2].shutdown, 0);
	assert_false(f->snap.socks[3].has & SOCK_HAS_SHUTDOWN);
	assert_false(f->snap.socks[4].has & SOCK_HAS_SHUTDOWN);
	assert_int_equal(f->p.stats.bad_attrs, 1);
}

static void test_nlmsg_error(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh;

	msg_end(f->b, inet_msg(f->b, AF_INET, SS_LISTEN, 80, 0, 5));
	put_error(f->b, -EACCES);
	msg_end(f->b, inet_msg(f->b, AF_INET, SS_LISTEN, 81, 0, 6)); /* after the end */
	assert_int_equal(parse(f), 0);
	assert_true(f->p.done);
	assert_int_equal(f->p.error, EACCES);
	assert_int_equal(f->snap.n, 1);
	assert_true(f->p.consumed < f->b->len);
	/* a finished dump takes no more input */
	errno = 0;
	assert_int_equal(parse(f), -1);
	assert_int_equal(errno, EINVAL);

	/* NLMSG_ERROR -ENOENT: a missing family */
	f->b->len = 0;
	diag_parser_init(&f->p, &f->snap, SP_TCP, SEQ, PORTID);
	put_error(f->b, -ENOENT);
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->p.error, ENOENT);

	/* an ERROR too short to hold its int */
	f->b->len = 0;
	diag_parser_init(&f->p, &f->snap, SP_TCP, SEQ, PORTID);
	nlh = msg_put(f->b, NLMSG_ERROR, 0, SEQ);
	nlh->nlmsg_len += 2;
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->p.error, EBADMSG);
}

static void test_done_enoent(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh;

	f->p.proto = SP_RAW;
	put_done(f->b, -ENOENT, 0);
	assert_int_equal(parse(f), 0);
	assert_true(f->p.done);
	assert_int_equal(f->p.error, ENOENT);
	assert_int_equal(f->snap.n, 0);

	/* a DONE without payload (old kernels) is success */
	f->b->len = 0;
	diag_parser_init(&f->p, &f->snap, SP_TCP, SEQ, PORTID);
	nlh = msg_put(f->b, NLMSG_DONE, NLM_F_MULTI, SEQ);
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->p.error, 0);

	/* nonsense values cannot overflow the negation */
	f->b->len = 0;
	diag_parser_init(&f->p, &f->snap, SP_TCP, SEQ, PORTID);
	put_done(f->b, INT32_MIN, 0);
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->p.error, EPROTO);
	f->b->len = 0;
	diag_parser_init(&f->p, &f->snap, SP_TCP, SEQ, PORTID);
	put_done(f->b, 17, 0); /* the kernel sends 0 or a negative errno */
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->p.error, EPROTO);
}

static void test_dump_intr(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh;

	msg_end(f->b, inet_msg(f->b, AF_INET, SS_LISTEN, 80, 0, 5));
	assert_int_equal(parse(f), 1);
	assert_false(f->p.intr);
	f->b->len = 0;
	nlh = inet_msg(f->b, AF_INET, SS_LISTEN, 81, 0, 6);
	nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1); /* read on to the end of the dump */
	assert_true(f->p.intr);
	f->b->len = 0;
	put_done(f->b, 0, 0);
	assert_int_equal(parse(f), 0);
	assert_true(f->p.intr);
	assert_int_equal(f->snap.n, 2);

	/* the flag on DONE alone counts too */
	f->b->len = 0;
	diag_parser_init(&f->p, &f->snap, SP_TCP, SEQ, PORTID);
	put_done(f->b, 0, NLM_F_DUMP_INTR);
	assert_int_equal(parse(f), 0);
	assert_true(f->p.intr);
}

static void test_stale_messages(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh;

	nlh = inet_msg(f->b, AF_INET, SS_LISTEN, 80, 0, 5);
	nlh->nlmsg_seq = SEQ - 1; /* an old dump's */
	msg_end(f->b, nlh);
	nlh = msg_put(f->b, NLMSG_DONE, NLM_F_MULTI, SEQ - 1);
	mnl_nlmsg_put_extra_header(nlh, 4);
	msg_end(f->b, nlh);
	nlh = inet_msg(f->b, AF_INET, SS_LISTEN, 81, 0, 6);
	nlh->nlmsg_pid = PORTID + 1; /* someone else's */
	msg_end(f->b, nlh);
	msg_end(f->b, inet_msg(f->b, AF_INET, SS_LISTEN, 82, 0, 7));
	assert_int_equal(parse(f), 1); /* the old DONE did not end ours */
	assert_int_equal(f->p.stats.stale, 3);
	assert_int_equal(f->snap.n, 1);
	assert_int_equal(f->snap.socks[0].lport, 82);
}

static void test_unaligned_buffer(void **state)
{
	struct fix *f = *state;

	put_done(f->b, 0, 0);
	memmove((char *)f->b->words + 1, f->b->words, f->b->len);
	errno = 0;
	assert_int_equal(diag_parse(&f->p, (char *)f->b->words + 1, f->b->len), -1);
	assert_int_equal(errno, EINVAL);
	assert_false(f->p.done);
}

static void test_multipart(void **state)
{
	struct fix *f = *state;

	for (int i = 0; i < 100; i++)
		msg_end(f->b, inet_msg(f->b, AF_INET, SS_LISTEN, (uint16_t)(1000 + i), 0,
				       (uint32_t)(100 + i)));
	assert_int_equal(parse(f), 1);
	f->b->len = 0;
	for (int i = 100; i < 150; i++)
		msg_end(f->b, inet_msg(f->b, AF_INET, SS_LISTEN, (uint16_t)(1000 + i), 0,
				       (uint32_t)(100 + i)));
	put_done(f->b, 0, 0);
	assert_int_equal(parse(f), 0);
	assert_int_equal(f->snap.n, 150);
	assert_int_equal(f->p.stats.records, 150);
	assert_int_equal(f->snap.socks[149].lport, 1149);
	/* an empty datagram is harmless */
	diag_parser_init(&f->p, &f->snap, SP_TCP, SEQ, PORTID);
	assert_int_equal(diag_parse(&f->p, f->b->words, 0), 1);
}

static void test_abstract_name_raw(void **state)
{
	struct fix *f = *state;
	static const char name[] = "\0evil\x1b]0;title\x07\0\ntail";
	const size_t len = sizeof(name) - 1;
	struct nlmsghdr *nlh;
	const struct sock *s;

	f->p.proto = SP_UNIX;
	nlh = unix_msg(f->b, SOCK_DGRAM, SS_CLOSE, 31);
	mnl_attr_put(nlh, UNIX_DIAG_NAME, len, name);
	mnl_attr_put_u32(nlh, UNIX_DIAG_UID, 1001);
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	s = &f->snap.socks[0];
	assert_true(s->has & SOCK_HAS_NAME);
	assert_int_equal(sock_x(s)->name_len, len);
	assert_memory_equal(sock_x(s)->name, name, len);
	assert_true(sock_is_abstract(s));
	assert_true(s->has & SOCK_HAS_UID);
	assert_int_equal(s->uid, 1001);
	assert_int_equal(s->type, SOCK_DGRAM);
	assert_string_equal(sock_state_name(s), "UNCONN");
}

/* Issue 18 item 3: a path of the full 108 bytes comes as 109 (with the
 * kernel's NUL); it is a name, not "unknown". 109 bytes without a NUL in
 * sun_path, or an abstract name over 108, stay unknown. */
static void test_name_108_with_nul(void **state)
{
	struct fix *f = *state;
	char name[SOCK_NAME_MAX + 1];
	struct nlmsghdr *nlh;
	const struct sock *s;

	f->p.proto = SP_UNIX;
	memset(name, 'q', sizeof(name));
	name[0] = '/';
	name[SOCK_NAME_MAX] = '\0';
	nlh = unix_msg(f->b, SOCK_STREAM, SS_LISTEN, 50);
	mnl_attr_put(nlh, UNIX_DIAG_NAME, sizeof(name), name);
	msg_end(f->b, nlh);
	name[SOCK_NAME_MAX] = 'q'; /* no NUL at all: unknown */
	nlh = unix_msg(f->b, SOCK_STREAM, SS_LISTEN, 51);
	mnl_attr_put(nlh, UNIX_DIAG_NAME, sizeof(name), name);
	msg_end(f->b, nlh);
	name[0] = '\0'; /* abstract, 109 bytes: impossible, unknown */
	name[SOCK_NAME_MAX] = '\0';
	nlh = unix_msg(f->b, SOCK_STREAM, SS_LISTEN, 52);
	mnl_attr_put(nlh, UNIX_DIAG_NAME, sizeof(name), name);
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	assert_int_equal(f->snap.n, 3);
	s = &f->snap.socks[0];
	assert_true(s->has & SOCK_HAS_NAME);
	assert_int_equal(sock_x(s)->name_len, SOCK_NAME_MAX);
	assert_int_equal(sock_x(s)->name[0], '/');
	assert_int_equal(sock_x(s)->name[SOCK_NAME_MAX - 1], 'q');
	assert_false(sock_is_abstract(s));
	assert_false(f->snap.socks[1].has & SOCK_HAS_NAME);
	assert_int_equal(sock_x(&f->snap.socks[1])->name_len, 0);
	assert_false(f->snap.socks[2].has & SOCK_HAS_NAME);
	assert_int_equal(sock_x(&f->snap.socks[2])->name_len, 0);
}

static void test_name_108_no_nul(void **state)
{
	struct fix *f = *state;
	char name[SOCK_NAME_MAX];
	struct nlmsghdr *nlh;
	const struct sock *s;

	f->p.proto = SP_UNIX;
	memset(name, 'p', sizeof(name));
	name[0] = '/';
	nlh = unix_msg(f->b, SOCK_STREAM, SS_LISTEN, 40);
	mnl_attr_put(nlh, UNIX_DIAG_NAME, sizeof(name), name);
	msg_end(f->b, nlh);
	/* a path as the kernel sends it: with its NUL, which is not kept */
	nlh = unix_msg(f->b, SOCK_STREAM, SS_LISTEN, 41);
	mnl_attr_put(nlh, UNIX_DIAG_NAME, sizeof("/run/x.sock"), "/run/x.sock");
	msg_end(f->b, nlh);
	/* unnamed: no attribute */
	nlh = unix_msg(f->b, SOCK_STREAM, SS_ESTABLISHED, 42);
	mnl_attr_put_u32(nlh, UNIX_DIAG_PEER, 41);
	{
		struct unix_diag_rqlen rq = { 3, 4 };

		mnl_attr_put(nlh, UNIX_DIAG_RQLEN, sizeof(rq), &rq);
	}
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	assert_int_equal(f->snap.n, 3);
	s = &f->snap.socks[0];
	assert_true(s->has & SOCK_HAS_NAME);
	assert_int_equal(sock_x(s)->name_len, SOCK_NAME_MAX);
	assert_memory_equal(sock_x(s)->name, name, SOCK_NAME_MAX);
	assert_false(sock_is_abstract(s));
	assert_true(s->has & SOCK_HAS_PEER); /* asked for, none: no peer */
	assert_int_equal(s->peer_inode, 0);
	s = &f->snap.socks[1];
	assert_int_equal(sock_x(s)->name_len, strlen("/run/x.sock"));
	assert_memory_equal(sock_x(s)->name, "/run/x.sock", sock_x(s)->name_len);
	s = &f->snap.socks[2];
	assert_true(s->has & SOCK_HAS_NAME);
	assert_int_equal(sock_x(s)->name_len, 0);
	assert_true(s->has & SOCK_HAS_PEER);
	assert_int_equal(s->peer_inode, 41);
	assert_true(s->has & SOCK_HAS_QUEUE);
	assert_int_equal(s->recv_q, 3);
	assert_int_equal(s->send_q, 4);
	assert_false(s->has & SOCK_HAS_UID);

	/* names not asked for: absence means "unknown", not "unnamed" */
	f->b->len = 0;
	snapshot_clear(&f->snap);
	diag_parser_init(&f->p, &f->snap, SP_UNIX, SEQ, PORTID);
	f->p.udiag_show = 0;
	msg_end(f->b, unix_msg(f->b, SOCK_STREAM, SS_ESTABLISHED, 43));
	assert_int_equal(parse(f), 1);
	assert_false(f->snap.socks[0].has & (SOCK_HAS_NAME | SOCK_HAS_PEER));
}

static void test_cong_bounded(void **state)
{
	struct fix *f = *state;
	struct nlmsghdr *nlh = inet_msg(f->b, AF_INET, SS_ESTABLISHED, 1, 2, 3);

	/* no NUL and longer than the field */
	attr_raw(nlh, INET_DIAG_CONG, 4 + 40, 40, 'z');
	msg_end(f->b, nlh);
	assert_int_equal(parse(f), 1);
	assert_int_equal(strlen(sock_x(&f->snap.socks[0])->cong), SOCK_CONG_MAX - 1);
}

static void test_time_wait_uid(void **state)
{
	struct fix *f = *state;

	msg_end(f->b, inet_msg(f->b, AF_INET, SS_TIME_WAIT, 1, 2, 0));
	msg_end(f->b, inet_msg(f->b, AF_INET, SS_NEW_SYN_RECV, 1, 3, 0));
	msg_end(f->b, inet_msg(f->b, AF_INET, SS_LISTEN, 1, 0, 0)); /* odd, but an owner */
	assert_int_equal(parse(f), 1);
	assert_false(f->snap.socks[0].has & SOCK_HAS_UID);
	assert_false(f->snap.socks[1].has & SOCK_HAS_UID);
	assert_true(f->snap.socks[2].has & SOCK_HAS_UID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_fixtures_mutated),
		cmocka_unit_test_setup_teardown(test_inet_record_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_and_raw_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nlmsg_len_lies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_inet_msg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_unix_msg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_family_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_tcp_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_tcp_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_tcp_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_attribute, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tiny_and_wrong_size_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meminfo_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meminfo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nlmsg_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_done_enoent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_intr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abstract_name_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_108_no_nul, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_108_with_nul, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cong_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_wait_uid, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
