/* sock.h - the socket record: one socket as the kernel described it.
 *
 * Records are plain values (no pointers), so a snapshot is one array that
 * can be copied, sorted and freed in one go. Names are stored raw with their
 * length; escaping happens at output (escape.h). */
#ifndef SOCKVIEW_SOCK_H
#define SOCKVIEW_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sock_proto {
	SP_TCP,
	SP_UDP,
	SP_RAW,
	SP_UNIX,
	SP_PACKET,  /* AF_PACKET (packet_diag) */
	SP_NETLINK, /* AF_NETLINK (netlink_diag) */
	SP_MPTCP,   /* IPPROTO_MPTCP over inet (mptcp_diag) */
	SP_NPROTO
};

/* Bit masks of protocols and families, used by options, toggles, requests. */
#define SP_MASK(p) (1u << (p))
#define SP_MASK_ALL ((1u << SP_NPROTO) - 1)
/* What is shown without a kind option: all but netlink, whose dozens of
 * kernel and daemon sockets would crowd the table (--netlink, 'L'). */
#define SP_MASK_DEFAULT (SP_MASK_ALL & ~SP_MASK(SP_NETLINK))
#define SF_INET 1u  /* IPv4 */
#define SF_INET6 2u /* IPv6 */
#define SF_ALL (SF_INET | SF_INET6)

/* States use the kernel's TCP numbering (linux/tcp.h TCP_ESTABLISHED = 1 ...
 * TCP_NEW_SYN_RECV = 12); UDP/raw/Unix sockets map onto the same numbers the
 * way the kernel reports them (TCP_CLOSE = 7 shown as UNCONN, like ss). */
enum sock_state {
	SS_UNKNOWN_ = 0,
	SS_ESTABLISHED = 1,
	SS_SYN_SENT,
	SS_SYN_RECV,
	SS_FIN_WAIT1,
	SS_FIN_WAIT2,
	SS_TIME_WAIT,
	SS_CLOSE,
	SS_CLOSE_WAIT,
	SS_LAST_ACK,
	SS_LISTEN,
	SS_CLOSING,
	SS_NEW_SYN_RECV,
	SS_MAX_
};

/* The stable identity of a socket across snapshots. The kernel's socket
 * cookie is unique per network namespace for the socket's lifetime (also for
 * TIME-WAIT and request sockets, whose inode is 0), so where there is one
 * it alone says which socket this is (with the protocol and family): the
 * inode is 0 while a connection waits in a listener's accept queue and
 * appears at accept(), on the same socket. Only a key without a cookie
 * (0: none given) is told apart by its inode too. */
struct sock_key {
	uint64_t cookie;
	uint32_t inode;
	uint8_t proto;  /* enum sock_proto */
	uint8_t family; /* AF_INET, AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK */
	/* The network namespace the socket was dumped in (its nsfs inode),
	 * with --all-netns; 0 when one namespace is dumped. Part of the
	 * identity: cookies and addresses are only unique per namespace. */
	uint32_t netns;
};

/* A subset of struct tcp_info, copied from the kernel's version of
 * whatever length into a zeroed struct first (older kernels send less). */
struct sock_tcp {
	uint32_t rtt_us, rttvar_us;
	uint32_t snd_cwnd, snd_ssthresh;
	uint32_t snd_mss, rcv_mss, pmtu;
	uint32_t rto_us, ato_us;
	uint32_t unacked, sacked, lost, retrans, total_retrans;
	uint32_t last_data_sent_ms, last_data_recv_ms, last_ack_recv_ms;
	uint32_t segs_out, segs_in;
	uint32_t rcv_space, snd_wnd;
	uint64_t bytes_acked, bytes_received, bytes_sent, bytes_retrans;
	uint64_t delivery_rate, pacing_rate;
	uint32_t busy_time_ms;
	uint8_t retransmits, probes, backoff, ca_state, options;
	uint8_t snd_wscale, rcv_wscale;
	uint8_t info_len; /* bytes the kernel actually sent (0..255 bytes kept) */
};

#define SOCK_NAME_MAX 108 /* sizeof(sun_path) */
#define SOCK_CONG_MAX 16

/* Flags in struct sock.has */
#define SOCK_HAS_UID 0x01u
#define SOCK_HAS_TCP 0x02u   /* tcp field valid */
#define SOCK_HAS_CONG 0x04u  /* cong valid */
#define SOCK_HAS_NAME 0x08u  /* Unix name valid (name_len may be 0: unnamed) */
#define SOCK_HAS_PEER 0x10u  /* Unix peer inode valid */
#define SOCK_HAS_QUEUE 0x20u /* recv_q/send_q valid */
#define SOCK_HAS_MEM 0x40u    /* meminfo valid: rmem_alloc, wmem_alloc */
#define SOCK_HAS_MEMBUF 0x80u /* rcvbuf, sndbuf valid (SK_MEMINFO) */
#define SOCK_HAS_MEMQ 0x100u  /* wmem_queued valid */
#define SOCK_HAS_DROPS 0x200u /* drops valid (SK_MEMINFO of kernels >= 4.x) */
#define SOCK_HAS_PKTINFO 0x400u /* packet: pkt.ifindex, version... (PACKET_DIAG_INFO) */
#define SOCK_HAS_FANOUT 0x800u  /* packet: pkt.fanout valid */
#define SOCK_HAS_GROUPS 0x1000u /* netlink: nl.groups valid */
#define SOCK_HAS_MPTCP 0x2000u  /* MPTCP: mptcp valid (INET_DIAG_INFO) */
#define SOCK_HAS_IFNAME 0x4000u /* packet: pkt.ifname resolved (may be "") */

/* Where a record came from (struct sock.source). */
enum sock_source {
	SOCK_SRC_DIAG = 0, /* netlink sock_diag */
	SOCK_SRC_PROC,     /* /proc/net/raw{,6}: the kernel has no raw_diag */
};

/* Packet sockets (AF_PACKET): the protocol they capture and where. */
struct sock_packet {
	uint16_t ethproto; /* ETH_P_* in host order (3: all) */
	uint32_t version, copy_thresh, tstamp, flags; /* PACKET_DIAG_INFO */
	uint32_t fanout;   /* PACKET_DIAG_FANOUT: id | type << 16 */
	char ifname[16];   /* interface name of ifindex, raw (IFNAMSIZ) */
};

#define SOCK_NL_GROUP_WORDS 4 /* the first 128 multicast groups kept */
/* Netlink sockets (AF_NETLINK). */
struct sock_netlink {
	uint8_t protocol;     /* NETLINK_ROUTE ... */
	uint8_t connected;    /* ndiag_state NETLINK_CONNECTED (shown UNCONN, as ss) */
	uint32_t portid;      /* 0: the kernel */
	uint32_t dst_portid, dst_group; /* connected: where to */
	uint32_t flags;       /* NDIAG_FLAG_* */
	uint32_t groups[SOCK_NL_GROUP_WORDS]; /* bit n-1: member of group n */
	uint16_t ngroups;     /* groups the kernel reported (bits) */
};

/* MPTCP connections: struct mptcp_info as far as it was sent. */
struct sock_mptcp {
	uint8_t subflows, subflows_max, add_addr_signal, add_addr_accepted;
	uint8_t local_addr_used, local_addr_max, csum_enabled;
	uint32_t flags, token;
	uint64_t write_seq, snd_una, rcv_nxt;
};
#define SOCK_HAS_MARK 0x8000u   /* mark valid (INET_DIAG_MARK: privileged dumps) */
#define SOCK_HAS_CGROUP 0x10000u /* cgroup_id valid (INET_DIAG_CGROUP_ID) */
#define SOCK_HAS_SHUTDOWN 0x20000u /* shutdown valid (INET_DIAG_SHUTDOWN) */
/* shutdown: the kernel's sk_shutdown bits */
#define SOCK_SHUT_RD 1u /* this side stopped receiving */
#define SOCK_SHUT_WR 2u /* this side stopped sending */

/* The parts of a record that only some sockets have, kept beside it (in
 * its snapshot's side storage, snapshot_ext): socket memory (-m, tcp_info),
 * and per kind the Unix name, TCP's tcp_info and congestion control, the
 * packet, netlink and MPTCP details. A record without any (most: an idle
 * TCP connection without tcp_info, an unnamed Unix socket) has none, and
 * reads zeroes through sock_x(). The union's members may only be read for
 * a record of that kind: name and name_len only for AF_UNIX, cong and tcp
 * only for SP_TCP with SOCK_HAS_CONG / SOCK_HAS_TCP. */
struct sock_ext {
	uint32_t rmem_alloc, rcvbuf, wmem_alloc, sndbuf; /* SK_MEMINFO */
	/* SK_MEMINFO_WMEM_QUEUED: what a TCP socket holds in its send queue
	 * (written, not yet acknowledged), the memory its sndbuf limits;
	 * wmem_alloc is only what left it for the layers below */
	uint32_t wmem_queued;
	uint32_t drops; /* SK_MEMINFO_DROPS: packets dropped on receive */
	/* SK_MEMINFO_FWD_ALLOC, _OPTMEM, _BACKLOG (0 where the kernel sent
	 * fewer values), for -m */
	uint32_t fwd_alloc, optmem, backlog;
	union {
		/* unix: name as the kernel gave it; abstract names start
		 * with '\0' */
		struct {
			uint8_t name_len;
			char name[SOCK_NAME_MAX];
		};
		/* TCP only */
		struct {
			char cong[SOCK_CONG_MAX]; /* NUL-terminated, control bytes possible */
			struct sock_tcp tcp;
		};
		struct sock_packet pkt;  /* SP_PACKET only */
		struct sock_netlink nl;  /* SP_NETLINK only */
		struct sock_mptcp mptcp; /* SP_MPTCP with SOCK_HAS_MPTCP only */
	};
};

/* A record is about 150 bytes (a snapshot of 10^5 sockets is 15 MB, and
 * the live view keeps two); what only some sockets have is in x. Records
 * are values that may be copied: a copy's x still points into the storage
 * of the snapshot it came from, so a copy that outlives that snapshot's
 * next dump must copy x too (sock_ext_dup, snapshot_add_copy: the diff's
 * gone records, the event log, the details' last known socket do). */
struct sock {
	struct sock_key key;
	uint8_t proto;  /* enum sock_proto (same as key.proto) */
	uint8_t family; /* AF_INET, AF_INET6, AF_UNIX */
	uint8_t type;   /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW */
	uint8_t state;  /* enum sock_state */
	uint32_t has;   /* SOCK_HAS_* */
	uint32_t inode;
	uint32_t uid;
	uint32_t ifindex;
	uint32_t recv_q, send_q; /* for LISTEN: accept queue length and backlog */
	uint64_t cookie;

	/* inet: addresses in network byte order (IPv4 in the first 4 bytes) */
	uint8_t laddr[16], raddr[16];
	uint16_t lport, rport; /* host byte order */
	uint8_t timer;         /* idiag_timer */
	uint8_t retrans;       /* idiag_retrans */
	uint8_t source;        /* enum sock_source */
	/* inet: SOCK_SHUT_RD | SOCK_SHUT_WR (shutdown(2)), with SOCK_HAS_SHUTDOWN */
	uint8_t shutdown;
	uint32_t expires_ms;   /* idiag_expires */
	/* unix: the peer's inode (0: none) */
	uint32_t peer_inode;
	/* TCP, inode 0: the inode of the listener in whose accept queue (or,
	 * for SYN-RECV, handshake) this connection waits; its processes get
	 * it at accept(). 0: none. Set by snapshot_finish(). */
	uint32_t listener_inode;
	/* inet: the socket's mark (SO_MARK, "fwmark"; the kernel reports it
	 * only to CAP_NET_ADMIN) and the id of its cgroup v2 (the inode
	 * number of the cgroup's directory) */
	uint32_t mark;
	uint64_t cgroup_id;
	struct sock_ext *x; /* NULL: none (read through sock_x) */
};

/* All zeroes: the side part of a record that has none. */
extern const struct sock_ext sock_ext_none;

/* The side part of s, never NULL (zeroes where s has none). */
static inline const struct sock_ext *sock_x(const struct sock *s)
{
	return s->x ? s->x : &sock_ext_none;
}

/* A copy of x in memory of its own (NULL for NULL); free() it. */
struct sock_ext *sock_ext_dup(const struct sock_ext *x);

/* "tcp", "udp", "raw", "unix", "packet", "netlink", "mptcp". */
const char *sock_proto_name(unsigned proto);
/* Parses a protocol name; returns the enum value or -1. */
int sock_proto_parse(const char *s);
/* State name as ss prints it: "ESTAB", "LISTEN", "UNCONN", "TIME-WAIT"...
 * UDP/raw/Unix sockets in TCP_CLOSE print "UNCONN". */
const char *sock_state_name(const struct sock *s);
/* Raw state-name table (by enum sock_state), for parsers and filters. */
const char *sock_state_str(unsigned state);
/* The Netid column as ss names it: tcp, udp, raw, u_str, u_dgr, u_seq,
 * p_raw, p_dgr, nl, mptcp. */
const char *sock_netid(const struct sock *s);
/* "inet", "inet6", "unix", "packet", "netlink". */
const char *sock_family_name(unsigned family);
/* "stream", "dgram", "seqpacket", "raw" ... */
const char *sock_type_name(unsigned type);

/* True for a listening socket or, for datagram/raw, an unconnected bound one
 * (what -l selects). */
bool sock_is_listening(const struct sock *s);
/* Which sockets were asked for: the protocol, family and -l choices of the
 * command line or of the toggles. The kernel may send more than that (a
 * dump cannot ask for every combination), so batch output checks each
 * record; the diff knows what each dump was asked for (diff.h). */
struct sock_scope {
	unsigned protos;   /* SP_MASK bits */
	unsigned families; /* SF_* bits, for inet sockets only */
	bool listening;    /* only listening/unconnected sockets were asked for */
};

/* True if s belongs to the scope: its protocol is one of sc->protos (a
 * protocol past SP_NPROTO never is), an IPv4 or IPv6 socket's family is one
 * of sc->families (other families do not look at them), and it listens
 * (sock_is_listening) if sc->listening says so. */
bool sock_in_scope(const struct sock_scope *sc, const struct sock *s);
/* True if the Unix name is abstract (first byte NUL). */
bool sock_is_abstract(const struct sock *s);

/* Formats the local/peer IP address into dst (INET6_ADDRSTRLEN at least). */
void sock_addr_str(const struct sock *s, bool peer, char *dst, size_t len);

/* The same socket: equal cookies (and protocol, family, netns) where the
 * kernel gave a cookie; without one, equal inodes too. */
bool sock_key_equal(const struct sock_key *a, const struct sock_key *b);
/* A hash that agrees with sock_key_equal (the inode counts only without a
 * cookie). */
uint64_t sock_key_hash(const struct sock_key *k);

/* The inode whose processes hold s or will: its own, or for a connection
 * waiting for accept() (listener_inode) its listener's. 0: none. */
uint32_t sock_owner_inode(const struct sock *s);
/* True if s waits in a listener's queue for accept() (listener_inode). */
bool sock_awaits_accept(const struct sock *s);

#endif
