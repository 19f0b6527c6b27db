/* sockkind.c - names of packet and netlink protocols, addresses as ss. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sockkind.h"

struct kind_name {
	unsigned id;
	const char *name;
};

/* The link-layer protocols people open packet sockets for (linux/if_ether.h
 * numbers, iproute2's names). */
static const struct kind_name eth_names[] = {
	{ 0x0001, "802_3" }, { 0x0002, "ax25" }, { 0x0003, "*" },
	{ 0x0004, "802_2" }, { 0x0005, "snap" }, { 0x0060, "loop" },
	{ 0x0800, "ip" }, { 0x0805, "x25" }, { 0x0806, "arp" },
	{ 0x8035, "rarp" }, { 0x809b, "atalk" }, { 0x8100, "802.1Q" },
	{ 0x8137, "ipx" }, { 0x86dd, "ipv6" }, { 0x8847, "mpls_uc" },
	{ 0x8848, "mpls_mc" }, { 0x8863, "ppp_disc" }, { 0x8864, "ppp_ses" },
	{ 0x888e, "eapol" }, { 0x88a8, "802.1ad" }, { 0x88cc, "lldp" },
	{ 0x88f7, "ptp" }, { 0x6558, "teb" }, { 0x000c, "can" },
};

static const char *const nl_names[] = {
	[0] = "rtnl", [1] = "unused", [2] = "usersock", [3] = "fw",
	[4] = "tcpdiag", [5] = "nflog", [6] = "xfrm", [7] = "selinux",
	[8] = "iscsi", [9] = "audit", [10] = "fiblookup", [11] = "connector",
	[12] = "nft", [13] = "ip6fw", [14] = "dec-rt", [15] = "uevent",
	[16] = "genl", [18] = "scsi-trans", [19] = "ecryptfs", [20] = "rdma",
	[21] = "crypto", [22] = "smc",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *sockkind_ethproto_name(unsigned ethproto)
{
	for (size_t i = 0; i < NELEM(eth_names); i++)
		if (eth_names[i].id == ethproto)
			return eth_names[i].name;
	return NULL;
}

const char *sockkind_netlink_name(unsigned protocol)
{
	return protocol < NELEM(nl_names) ? nl_names[protocol] : NULL;
}

int sockkind_netlink_parse(const char *s)
{
	char *end;
	long v;

	for (size_t i = 0; i < NELEM(nl_names); i++)
		if (nl_names[i] && !strcmp(s, nl_names[i]))
			return (int)i;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	return *end || v > 255 ? -1 : (int)v;
}

static size_t put(size_t len, int n)
{
	if (n < 0 || !len)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

size_t sockkind_local(const struct sock *s, char *dst, size_t len)
{
	if (!len)
		return 0;
	if (s->proto == SP_PACKET) {
		const char *pn = sockkind_ethproto_name(sock_x(s)->pkt.ethproto);
		char proto[16];

		if (pn)
			snprintf(proto, sizeof(proto), "%s", pn);
		else
			snprintf(proto, sizeof(proto), "0x%04x", sock_x(s)->pkt.ethproto);
		if (!(s->has & SOCK_HAS_PKTINFO) || s->ifindex == 0)
			return put(len, snprintf(dst, len, "%s:*", proto));
		if ((s->has & SOCK_HAS_IFNAME) && sock_x(s)->pkt.ifname[0])
			return put(len, snprintf(dst, len, "%s:%.*s", proto,
						      (int)strnlen(sock_x(s)->pkt.ifname, sizeof(sock_x(s)->pkt.ifname)),
						      sock_x(s)->pkt.ifname));
		return put(len, snprintf(dst, len, "%s:%u", proto, s->ifindex));
	}
	if (s->proto == SP_NETLINK) {
		const char *pn = sockkind_netlink_name(sock_x(s)->nl.protocol);
		char proto[16];

		if (pn)
			snprintf(proto, sizeof(proto), "%s", pn);
		else
			snprintf(proto, sizeof(proto), "%u", sock_x(s)->nl.protocol);
		if (sock_x(s)->nl.portid == 0)
			return put(len, snprintf(dst, len, "%s:kernel", proto));
		/* ss prints the port id as an int: autobound ones are negative */
		return put(len, snprintf(dst, len, "%s:%d", proto, (int32_t)sock_x(s)->nl.portid));
	}
	dst[0] = '\0';
	return 0;
}

size_t sockkind_peer(const struct sock *s, char *dst, size_t len)
{
	if (!len)
		return 0;
	if (s->proto == SP_NETLINK && sock_x(s)->nl.connected)
		return put(len, snprintf(dst, len, "%u:%d", sock_x(s)->nl.dst_group,
					      (int32_t)sock_x(s)->nl.dst_portid));
	return put(len, snprintf(dst, len, "*"));
}
