/* sockkind.h - names for the socket kinds beyond inet and Unix: the
 * link-layer protocols of packet sockets and the netlink protocols, as ss
 * names them (pure tables, no I/O). */
#ifndef SOCKVIEW_SOCKKIND_H
#define SOCKVIEW_SOCKKIND_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"

/* "ip", "ipv6", "arp", ... for an ETH_P_* value in host order; "*" for
 * ETH_P_ALL (3, what ss prints); NULL when it has no name. */
const char *sockkind_ethproto_name(unsigned ethproto);
/* "rtnl", "tcpdiag", "genl", ... for a NETLINK_* protocol; NULL when it has
 * no name. */
const char *sockkind_netlink_name(unsigned protocol);
/* Parses a netlink protocol name or number (0..255); -1 if neither. */
int sockkind_netlink_parse(const char *s);

/* The local address of a packet or netlink socket as ss shows it, into dst
 * (NUL-terminated, cut to len): packet "proto:ifname" ("*" for all protocols
 * or interfaces; the interface as its number when no name was resolved),
 * netlink "proto:portid" (portid 0: "kernel"). The interface name is copied
 * raw: escape it before showing. Returns the length written. */
size_t sockkind_local(const struct sock *s, char *dst, size_t len);
/* The peer: "*" unless a netlink socket is connected ("group:portid"). */
size_t sockkind_peer(const struct sock *s, char *dst, size_t len);

#endif
