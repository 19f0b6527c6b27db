/* test_diag_kinds.c - the sock_diag parser on packet, netlink and MPTCP
 * messages: dumps recorded on this kernel (tests/fixtures/kinds/, made with
 * `sockview --once -0 -M --netlink --format=json --record-dump DIR` inside
 * `unshare -rn` while a script held the sockets named below), then
 * hand-built and truncated messages; and the addresses as ss shows them. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>

#include "diag_parse.h"
#include "snapshot.h"
#include "sockkind.h"

#define SEQ 99u

static char *read_fixture(const char *name, size_t *len)
{
	char path[PATH_MAX];
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/fixtures/kinds/%s.bin", TEST_SRCDIR, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0 && n < 1 << 20);
	rewind(fp);
	/* malloc'd: aligned as a recv buffer */
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* Replays a recording of proto into snap; returns the dump's error. */
static int replay(const char *name, unsigned proto, struct snapshot *snap,
		  struct diag_parse_stats *st)
{
	size_t len, off = 0;
	char *buf = read_fixture(name, &len);
	struct diag_parser p;
	int r = 1;

	snapshot_clear(snap);
	diag_parser_init(&p, snap, proto, 0, 0);
	while (off < len && r == 1) {
		r = diag_parse(&p, buf + off, len - off);
		assert_true(r >= 0);
		off += p.consumed;
	}
	assert_int_equal(r, 0);
	assert_int_equal(off, len);
	snapshot_finish(snap);
	if (st)
		*st = p.stats;
	free(buf);
	return p.error;
}

static void test_packet_recorded(void **state)
{
	struct snapshot snap;
	struct diag_parse_stats st;
	int seen_all = 0, seen_ip = 0;
	char a[64];

	(void)state;
	snapshot_init(&snap);
	/* a SOCK_RAW socket for ETH_P_ALL, a SOCK_DGRAM one for ETH_P_IP on lo */
	assert_int_equal(replay("packet", SP_PACKET, &snap, &st), 0);
	assert_int_equal(snap.n, 2);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.bad_attrs, 0);
	for (size_t i = 0; i < snap.n; i++) {
		const struct sock *s = &snap.socks[i];

		assert_int_equal(s->proto, SP_PACKET);
		assert_int_equal(s->family, AF_PACKET);
		assert_int_equal(s->state, SS_CLOSE);
		assert_string_equal(sock_state_name(s), "UNCONN");
		assert_true(s->has & SOCK_HAS_PKTINFO);
		assert_true(s->has & SOCK_HAS_UID);
		assert_true(s->has & SOCK_HAS_QUEUE);
		assert_int_equal(s->uid, 0);
		assert_true(s->inode != 0);
		assert_true(s->cookie != 0);
		assert_int_equal(sock_x(s)->pkt.flags & 1, 1); /* PDI_RUNNING */
		sockkind_local(s, a, sizeof(a));
		if (sock_x(s)->pkt.ethproto == 3) {
			seen_all++;
			assert_int_equal(s->type, SOCK_RAW);
			assert_int_equal(s->ifindex, 0);
			assert_string_equal(sock_netid(s), "p_raw");
			assert_string_equal(a, "*:*");
		} else {
			seen_ip++;
			assert_int_equal(sock_x(s)->pkt.ethproto, 0x0800);
			assert_int_equal(s->type, SOCK_DGRAM);
			assert_int_equal(s->ifindex, 1);
			assert_string_equal(sock_netid(s), "p_dgr");
			/* no name resolved (that is fallback.c's): the number */
			assert_string_equal(a, "ip:1");
		}
		sockkind_peer(s, a, sizeof(a));
		assert_string_equal(a, "*");
		assert_null(snapshot_find_peer(&snap, s));
	}
	assert_int_equal(seen_all, 1);
	assert_int_equal(seen_ip, 1);
	snapshot_free(&snap);
}

static void test_netlink_recorded(void **state)
{
	struct snapshot snap;
	struct diag_parse_stats st;
	bool kernel_rtnl = false, user_rtnl = false, bound = false, connected = false;
	char a[64];

	(void)state;
	snapshot_init(&snap);
	/* the kernel's sockets of a fresh namespace, sockview's own
	 * (tcpdiag), and the script's: NETLINK_ROUTE bound to group 1, two
	 * NETLINK_USERSOCK, port 0x4000 and 0x4001 connected to it */
	assert_int_equal(replay("netlink", SP_NETLINK, &snap, &st), 0);
	assert_true(snap.n >= 5);
	assert_int_equal(st.skipped, 0);
	assert_int_equal(st.bad_attrs, 0);
	for (size_t i = 0; i < snap.n; i++) {
		const struct sock *s = &snap.socks[i];

		assert_int_equal(s->proto, SP_NETLINK);
		assert_int_equal(s->family, AF_NETLINK);
		assert_string_equal(sock_netid(s), "nl");
		assert_string_equal(sock_state_name(s), "UNCONN");
		assert_false(s->has & SOCK_HAS_UID); /* netlink_diag sends none */
		sockkind_local(s, a, sizeof(a));
		if (sock_x(s)->nl.protocol == 0 && sock_x(s)->nl.portid == 0) {
			kernel_rtnl = true;
			assert_string_equal(a, "rtnl:kernel");
		}
		if (sock_x(s)->nl.protocol == 0 && sock_x(s)->nl.portid != 0 && (s->has & SOCK_HAS_GROUPS) &&
		    (sock_x(s)->nl.groups[0] & 1)) {
			user_rtnl = true;
			assert_true(sock_x(s)->nl.ngroups >= 32);
		}
		if (sock_x(s)->nl.protocol == 2 && sock_x(s)->nl.portid == 0x4000) {
			bound = true;
			assert_false(sock_x(s)->nl.connected);
			assert_string_equal(a, "usersock:16384");
			sockkind_peer(s, a, sizeof(a));
			assert_string_equal(a, "*");
		}
		if (sock_x(s)->nl.protocol == 2 && sock_x(s)->nl.portid == 0x4001) {
			connected = true;
			assert_true(sock_x(s)->nl.connected);
			assert_int_equal(sock_x(s)->nl.dst_portid, 0x4000);
			sockkind_peer(s, a, sizeof(a));
			assert_string_equal(a, "0:16384");
			/* p in the live view jumps to it */
			assert_non_null(snapshot_find_peer(&snap, s));
			assert_int_equal(sock_x(snapshot_find_peer(&snap, s))->nl.portid, 0x4000);
		} else {
			assert_null(snapshot_find_peer(&snap, s));
		}
	}
	assert_true(kernel_rtnl);
	assert_true(user_rtnl);
	assert_true(bound);
	assert_true(connected);
	snapshot_free(&snap);
}

static void test_mptcp_recorded(void **state)
{
	struct snapshot snap;
	struct diag_parse_stats st;
	int listen = 0, estab = 0;

	(void)state;
	snapshot_init(&snap);
	/* a listener on 127.0.0.1:41500 and one connection to it (both ends) */
	assert_int_equal(replay("mptcp-inet", SP_MPTCP, &snap, &st), 0);
	assert_int_equal(snap.n, 3);
	assert_int_equal(st.bad_attrs, 0);
	for (size_t i = 0; i < snap.n; i++) {
		const struct sock *s = &snap.socks[i];

		assert_int_equal(s->proto, SP_MPTCP);
		assert_int_equal(s->family, AF_INET);
		assert_int_equal(s->type, SOCK_STREAM);
		assert_string_equal(sock_netid(s), "mptcp");
		assert_true(s->has & SOCK_HAS_MPTCP);
		assert_false(s->has & SOCK_HAS_TCP); /* INET_DIAG_INFO is mptcp_info */
		if (s->state == SS_LISTEN) {
			listen++;
			assert_int_equal(s->lport, 41500);
			assert_int_equal(s->send_q, 128);
		} else {
			estab++;
			assert_int_equal(s->state, SS_ESTABLISHED);
			assert_int_equal(sock_x(s)->mptcp.subflows_max, 2);
			assert_true(sock_x(s)->mptcp.token != 0);
			assert_true(s->lport == 41500 || s->rport == 41500);
			/* the other end of the connection */
			assert_non_null(snapshot_find_peer(&snap, s));
			assert_int_equal(snapshot_find_peer(&snap, s)->lport, s->rport);
		}
	}
	assert_int_equal(listen, 1);
	assert_int_equal(estab, 2);
	assert_int_equal(replay("mptcp-inet6", SP_MPTCP, &snap, NULL), 0);
	assert_int_equal(snap.n, 1);
	assert_int_equal(snap.socks[0].family, AF_INET6);
	assert_int_equal(snap.socks[0].lport, 41501);
	snapshot_free(&snap);
}

/* Every recorded message cut at every length: never a crash, never a read
 * outside the message (ASan), and a record only with its whole header. */
static void cut_every_length(const char *name, unsigned proto, size_t hdr)
{
	size_t len;
	char *buf = read_fixture(name, &len);
	struct nlmsghdr *first = (struct nlmsghdr *)(void *)buf;
	uint32_t full = first->nlmsg_len;
	struct snapshot snap;

	snapshot_init(&snap);
	assert_true(full <= len);
	for (uint32_t cut = sizeof(struct nlmsghdr); cut <= full; cut++) {
		struct diag_parser p;
		char *copy = malloc(NLMSG_ALIGN(cut));
		struct nlmsghdr *nlh = (struct nlmsghdr *)(void *)copy;
		int r;

		assert_non_null(copy);
		memset(copy, 0, NLMSG_ALIGN(cut));
		memcpy(copy, buf, cut);
		nlh->nlmsg_len = cut;
		snapshot_clear(&snap);
		diag_parser_init(&p, &snap, proto, 0, 0);
		r = diag_parse(&p, copy, cut);
		assert_true(r == 1 || (r < 0 && cut % 4));
		if (r == 1) {
			if (cut - sizeof(struct nlmsghdr) < hdr) {
				assert_int_equal(snap.n, 0);
				assert_int_equal(p.stats.skipped, 1);
			} else {
				assert_int_equal(snap.n, 1);
			}
		}
		free(copy);
	}
	snapshot_free(&snap);
	free(buf);
}

static void test_truncated(void **state)
{
	(void)state;
	cut_every_length("packet", SP_PACKET, sizeof(struct packet_diag_msg));
	cut_every_length("netlink", SP_NETLINK, sizeof(struct netlink_diag_msg));
	cut_every_length("mptcp-inet", SP_MPTCP, sizeof(struct inet_diag_msg));
}

/* ---- hand-built messages with bad attributes ---- */

struct mbuf {
	uint32_t words[1024];
	size_t len;
};

static struct nlmsghdr *msg_start(struct mbuf *b)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header((char *)b->words + b->len);

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = SEQ;
	return nlh;
}

static void msg_end(struct mbuf *b, struct nlmsghdr *nlh)
{
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void done(struct mbuf *b)
{
	struct nlmsghdr *nlh = msg_start(b);
	int32_t zero = 0;

	nlh->nlmsg_type = NLMSG_DONE;
	mnl_nlmsg_put_extra_header(nlh, sizeof(zero));
	msg_end(b, nlh);
}

static void test_bad_attrs(void **state)
{
	struct mbuf *b = calloc(1, sizeof(*b));
	struct snapshot snap;
	struct diag_parser p;
	struct nlmsghdr *nlh;
	struct packet_diag_msg *pm;
	struct netlink_diag_msg *nm;
	uint32_t groups[6] = { 0x5, 0, 0, 0, 0, 0x80000000u };

	(void)state;
	assert_non_null(b);
	snapshot_init(&snap);

	/* packet: PACKET_DIAG_INFO too short, UID too short, a fanout */
	nlh = msg_start(b);
	pm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pm));
	pm->pdiag_family = AF_PACKET;
	pm->pdiag_type = SOCK_RAW;
	pm->pdiag_num = 0x86dd;
	pm->pdiag_ino = 77;
	mnl_attr_put(nlh, PACKET_DIAG_INFO, 4, "abcd");
	mnl_attr_put(nlh, PACKET_DIAG_UID, 2, "ab");
	mnl_attr_put_u32(nlh, PACKET_DIAG_FANOUT, 7 | 2u << 16);
	mnl_attr_put(nlh, 200, 3, "xyz"); /* unknown: skipped */
	msg_end(b, nlh);
	diag_parser_init(&p, &snap, SP_PACKET, SEQ, 0);
	assert_int_equal(diag_parse(&p, b->words, b->len), 1);
	assert_int_equal(snap.n, 1);
	assert_int_equal(p.stats.bad_attrs, 2);
	assert_false(snap.socks[0].has & (SOCK_HAS_PKTINFO | SOCK_HAS_UID));
	assert_true(snap.socks[0].has & SOCK_HAS_FANOUT);
	assert_int_equal(sock_x(&snap.socks[0])->pkt.fanout, 7 | 2u << 16);
	assert_int_equal(sock_x(&snap.socks[0])->pkt.ethproto, 0x86dd);
	{
		char a[32];

		sockkind_local(&snap.socks[0], a, sizeof(a));
		assert_string_equal(a, "ipv6:*");
	}

	/* netlink: groups of 6 words (only 4 kept), then a bad length */
	b->len = 0;
	snapshot_clear(&snap);
	nlh = msg_start(b);
	nm = mnl_nlmsg_put_extra_header(nlh, sizeof(*nm));
	nm->ndiag_family = AF_NETLINK;
	nm->ndiag_type = SOCK_RAW;
	nm->ndiag_protocol = 250; /* no name */
	nm->ndiag_portid = (uint32_t)-4242;
	mnl_attr_put(nlh, NETLINK_DIAG_GROUPS, sizeof(groups), groups);
	mnl_attr_put(nlh, NETLINK_DIAG_FLAGS, 1, "x");
	msg_end(b, nlh);
	/* a netlink message of the wrong family, and one too short */
	nlh = msg_start(b);
	nm = mnl_nlmsg_put_extra_header(nlh, sizeof(*nm));
	nm->ndiag_family = AF_INET;
	msg_end(b, nlh);
	nlh = msg_start(b);
	mnl_nlmsg_put_extra_header(nlh, 8);
	msg_end(b, nlh);
	done(b);
	diag_parser_init(&p, &snap, SP_NETLINK, SEQ, 0);
	assert_int_equal(diag_parse(&p, b->words, b->len), 0);
	assert_int_equal(p.error, 0);
	assert_int_equal(snap.n, 1);
	assert_int_equal(p.stats.skipped, 2);
	assert_int_equal(p.stats.bad_attrs, 1);
	assert_true(snap.socks[0].has & SOCK_HAS_GROUPS);
	assert_int_equal(sock_x(&snap.socks[0])->nl.groups[0], 5);
	assert_int_equal(sock_x(&snap.socks[0])->nl.ngroups, 6 * 32);
	{
		char a[32];

		sockkind_local(&snap.socks[0], a, sizeof(a));
		/* ss prints the port id as an int */
		assert_string_equal(a, "250:-4242");
	}
	snapshot_free(&snap);
	free(b);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sockkind_ethproto_name(0x0806), "arp");
	assert_null(sockkind_ethproto_name(0x1234));
	assert_string_equal(sockkind_netlink_name(16), "genl");
	assert_null(sockkind_netlink_name(200));
	assert_int_equal(sockkind_netlink_parse("rtnl"), 0);
	assert_int_equal(sockkind_netlink_parse("16"), 16);
	assert_int_equal(sockkind_netlink_parse("256"), -1);
	assert_int_equal(sockkind_netlink_parse("nope"), -1);
	assert_int_equal(sock_proto_parse("packet"), SP_PACKET);
	assert_int_equal(sock_proto_parse("netlink"), SP_NETLINK);
	assert_int_equal(sock_proto_parse("mptcp"), SP_MPTCP);
	assert_string_equal(sock_family_name(AF_PACKET), "packet");
	assert_string_equal(sock_family_name(AF_NETLINK), "netlink");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packet_recorded),
		cmocka_unit_test(test_netlink_recorded),
		cmocka_unit_test(test_mptcp_recorded),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_attrs),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
