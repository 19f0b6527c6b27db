/* sock.c - names and small helpers for socket records. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "sock.h"
#include "xalloc.h"

static const char *const proto_names[SP_NPROTO] = { "tcp", "udp", "raw", "unix",
							   "packet", "netlink", "mptcp" };

static const char *const state_names[SS_MAX_] = {
	[SS_UNKNOWN_] = "UNKNOWN",
	[SS_ESTABLISHED] = "ESTAB",
	[SS_SYN_SENT] = "SYN-SENT",
	[SS_SYN_RECV] = "SYN-RECV",
	[SS_FIN_WAIT1] = "FIN-WAIT-1",
	[SS_FIN_WAIT2] = "FIN-WAIT-2",
	[SS_TIME_WAIT] = "TIME-WAIT",
	[SS_CLOSE] = "UNCONN",
	[SS_CLOSE_WAIT] = "CLOSE-WAIT",
	[SS_LAST_ACK] = "LAST-ACK",
	[SS_LISTEN] = "LISTEN",
	[SS_CLOSING] = "CLOSING",
	[SS_NEW_SYN_RECV] = "SYN-RECV",
};

const char *sock_proto_name(unsigned proto)
{
	return proto < SP_NPROTO ? proto_names[proto] : "?";
}

int sock_proto_parse(const char *s)
{
	for (int i = 0; i < SP_NPROTO; i++)
		if (!strcmp(s, proto_names[i]))
			return i;
	return -1;
}

const char *sock_state_str(unsigned state)
{
	return state < SS_MAX_ ? state_names[state] : "UNKNOWN";
}

const char *sock_state_name(const struct sock *s)
{
	/* A TCP socket in TCP_CLOSE is "CLOSE" for ss; other kinds "UNCONN". */
	if (s->state == SS_CLOSE && (s->proto == SP_TCP || s->proto == SP_MPTCP))
		return "CLOSE";
	return sock_state_str(s->state);
}

const char *sock_netid(const struct sock *s)
{
	if (s->proto == SP_PACKET)
		return s->type == SOCK_DGRAM ? "p_dgr" : "p_raw";
	if (s->proto == SP_NETLINK)
		return "nl";
	if (s->proto != SP_UNIX)
		return sock_proto_name(s->proto);
	switch (s->type) {
	case SOCK_STREAM: return "u_str";
	case SOCK_DGRAM: return "u_dgr";
	case SOCK_SEQPACKET: return "u_seq";
	default: return "unix";
	}
}

const char *sock_family_name(unsigned family)
{
	switch (family) {
	case AF_INET: return "inet";
	case AF_INET6: return "inet6";
	case AF_UNIX: return "unix";
	case AF_PACKET: return "packet";
	case AF_NETLINK: return "netlink";
	default: return "?";
	}
}

const char *sock_type_name(unsigned type)
{
	switch (type) {
	case SOCK_STREAM: return "stream";
	case SOCK_DGRAM: return "dgram";
	case SOCK_SEQPACKET: return "seqpacket";
	case SOCK_RAW: return "raw";
	default: return "?";
	}
}

bool sock_is_listening(const struct sock *s)
{
	if (s->state == SS_LISTEN)
		return true;
	/* Unconnected datagram/raw sockets are "listening" for ss -l. */
	return s->proto != SP_TCP && s->state == SS_CLOSE &&
	       (s->type == SOCK_DGRAM || s->type == SOCK_RAW || s->proto == SP_UDP ||
		s->proto == SP_RAW);
}

bool sock_in_scope(const struct sock_scope *sc, const struct sock *s)
{
	if (s->proto >= SP_NPROTO || !(sc->protos & SP_MASK(s->proto)))
		return false;
	if (s->family == AF_INET && !(sc->families & SF_INET))
		return false;
	if (s->family == AF_INET6 && !(sc->families & SF_INET6))
		return false;
	if (sc->listening && !sock_is_listening(s))
		return false;
	return true;
}

bool sock_is_abstract(const struct sock *s)
{
	return s->family == AF_UNIX && sock_x(s)->name_len > 0 && sock_x(s)->name[0] == '\0';
}

void sock_addr_str(const struct sock *s, bool peer, char *dst, size_t len)
{
	const uint8_t *a = peer ? s->raddr : s->laddr;

	if (!len)
		return;
	if (s->family == AF_INET || s->family == AF_INET6) {
		if (inet_ntop(s->family, a, dst, (socklen_t)len))
			return;
	}
	dst[0] = '\0';
}

bool sock_key_equal(const struct sock_key *a, const struct sock_key *b)
{
	/* a cookie is the socket's identity: an inode appearing at accept()
	 * is a change of the same socket, not another one */
	return a->cookie == b->cookie && (a->cookie || a->inode == b->inode) &&
	       a->proto == b->proto && a->family == b->family && a->netns == b->netns;
}

uint64_t sock_key_hash(const struct sock_key *k)
{
	uint64_t h = k->cookie * 0x9e3779b97f4a7c15ull;
	uint64_t inode = k->cookie ? 0 : k->inode;

	h ^= (inode << 16) ^ ((uint64_t)k->proto << 8) ^ k->family;
	h ^= (uint64_t)k->netns << 32;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h;
}

uint32_t sock_owner_inode(const struct sock *s)
{
	return s->inode ? s->inode : s->listener_inode;
}

bool sock_awaits_accept(const struct sock *s)
{
	return !s->inode && s->listener_inode;
}

const struct sock_ext sock_ext_none;

struct sock_ext *sock_ext_dup(const struct sock_ext *x)
{
	struct sock_ext *c;

	if (!x)
		return NULL;
	c = xmalloc(sizeof(*c));
	memcpy(c, x, sizeof(*c));
	return c;
}
