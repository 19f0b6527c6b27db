/* diag_parse.c - netlink sock_diag replies to socket records.
 *
 * The message loop is ours rather than mnl_cb_run2(): libmnl fails a whole
 * buffer on a message of another sequence number (we drop those quietly,
 * they belong to an abandoned dump), turns NLM_F_DUMP_INTR into an error
 * before the dump is read to its end, and its mnl_nlmsg_ok() compares
 * (int)nlmsg_len, letting a length of 2^31 or more through. libmnl still
 * walks and validates the attributes (mnl_attr_ok, 16-bit lengths). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/mptcp.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/unix_diag.h>

#include "diag_parse.h"

/* The fixed headers start the payload; attributes follow, aligned. */
#define INET_HDR_LEN NLMSG_ALIGN(sizeof(struct inet_diag_msg))
#define UNIX_HDR_LEN NLMSG_ALIGN(sizeof(struct unix_diag_msg))
#define PACKET_HDR_LEN NLMSG_ALIGN(sizeof(struct packet_diag_msg))
#define NETLINK_HDR_LEN NLMSG_ALIGN(sizeof(struct netlink_diag_msg))

uint32_t diag_parse_packet_show(void)
{
	return PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO | PACKET_SHOW_FANOUT;
}

uint32_t diag_parse_netlink_show(void)
{
	return NDIAG_SHOW_GROUPS | NDIAG_SHOW_MEMINFO | NDIAG_SHOW_FLAGS;
}

uint32_t diag_parse_unix_show(void)
{
	return UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
}

void diag_parser_init(struct diag_parser *p, struct snapshot *snap,
		      unsigned proto, uint32_t seq, uint32_t portid)
{
	memset(p, 0, sizeof(*p));
	p->snap = snap;
	p->proto = (uint8_t)proto;
	p->seq = seq;
	p->portid = portid;
	p->udiag_show = diag_parse_unix_show();
}

/* A kernel error number from an int the kernel (or a liar) sent: negative
 * errnos come back positive; anything else is a protocol error. */
static int kernel_errno(int32_t v)
{
	if (v < 0 && v > -4096)
		return -v;
	return EPROTO;
}

static uint32_t get_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t cookie_of(const uint32_t c[2])
{
	return (uint64_t)c[1] << 32 | c[0];
}

/* SK_MEMINFO_* array (INET_DIAG_SKMEMINFO, UNIX_DIAG_MEMINFO): as many
 * values as this kernel's version has (WMEM_QUEUED since 2.6, DROPS since
 * 4.x); the first four at least. */
/* The side part of the record being parsed, made on first use: only the
 * attributes that fill it (memory, tcp_info, names...) give a record one. */
static struct sock_ext *ext_of(struct diag_parser *p, struct sock *s)
{
	return snapshot_ext(p->snap, s);
}

static bool put_skmeminfo(struct diag_parser *p, struct sock *s, const void *pl, size_t len)
{
	uint32_t m[SK_MEMINFO_VARS];
	size_t n = len / sizeof(m[0]);

	if (n < SK_MEMINFO_SNDBUF + 1)
		return false;
	memset(m, 0, sizeof(m));
	memcpy(m, pl, n < SK_MEMINFO_VARS ? n * sizeof(m[0]) : sizeof(m));
	ext_of(p, s)->rmem_alloc = m[SK_MEMINFO_RMEM_ALLOC];
	ext_of(p, s)->rcvbuf = m[SK_MEMINFO_RCVBUF];
	ext_of(p, s)->wmem_alloc = m[SK_MEMINFO_WMEM_ALLOC];
	ext_of(p, s)->sndbuf = m[SK_MEMINFO_SNDBUF];
	ext_of(p, s)->wmem_queued = m[SK_MEMINFO_WMEM_QUEUED];
	ext_of(p, s)->drops = m[SK_MEMINFO_DROPS];
	ext_of(p, s)->fwd_alloc = m[SK_MEMINFO_FWD_ALLOC];
	ext_of(p, s)->optmem = m[SK_MEMINFO_OPTMEM];
	ext_of(p, s)->backlog = m[SK_MEMINFO_BACKLOG];
	s->has |= SOCK_HAS_MEM | SOCK_HAS_MEMBUF;
	if (n > SK_MEMINFO_WMEM_QUEUED)
		s->has |= SOCK_HAS_MEMQ;
	if (n > SK_MEMINFO_DROPS)
		s->has |= SOCK_HAS_DROPS;
	return true;
}

static uint32_t clamp_u32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* INET_DIAG_INFO: the kernel's struct tcp_info, of whatever length its
 * version has; copy what fits into a zeroed one so missing fields read 0. */
static bool put_tcp_info(struct diag_parser *p, struct sock *s, const void *pl, size_t len)
{
	struct tcp_info ti;
	struct sock_tcp *t = &ext_of(p, s)->tcp;

	if (len == 0)
		return false;
	memset(&ti, 0, sizeof(ti));
	memcpy(&ti, pl, len < sizeof(ti) ? len : sizeof(ti));
	t->rtt_us = ti.tcpi_rtt;
	t->rttvar_us = ti.tcpi_rttvar;
	t->snd_cwnd = ti.tcpi_snd_cwnd;
	t->snd_ssthresh = ti.tcpi_snd_ssthresh;
	t->snd_mss = ti.tcpi_snd_mss;
	t->rcv_mss = ti.tcpi_rcv_mss;
	t->pmtu = ti.tcpi_pmtu;
	t->rto_us = ti.tcpi_rto;
	t->ato_us = ti.tcpi_ato;
	t->unacked = ti.tcpi_unacked;
	t->sacked = ti.tcpi_sacked;
	t->lost = ti.tcpi_lost;
	t->retrans = ti.tcpi_retrans;
	t->total_retrans = ti.tcpi_total_retrans;
	t->last_data_sent_ms = ti.tcpi_last_data_sent;
	t->last_data_recv_ms = ti.tcpi_last_data_recv;
	t->last_ack_recv_ms = ti.tcpi_last_ack_recv;
	t->segs_out = ti.tcpi_segs_out;
	t->segs_in = ti.tcpi_segs_in;
	t->rcv_space = ti.tcpi_rcv_space;
	t->snd_wnd = ti.tcpi_snd_wnd;
	t->bytes_acked = ti.tcpi_bytes_acked;
	t->bytes_received = ti.tcpi_bytes_received;
	t->bytes_sent = ti.tcpi_bytes_sent;
	t->bytes_retrans = ti.tcpi_bytes_retrans;
	t->delivery_rate = ti.tcpi_delivery_rate;
	t->pacing_rate = ti.tcpi_pacing_rate;
	t->busy_time_ms = clamp_u32(ti.tcpi_busy_time / 1000);
	t->retransmits = ti.tcpi_retransmits;
	t->probes = ti.tcpi_probes;
	t->backoff = ti.tcpi_backoff;
	t->ca_state = ti.tcpi_ca_state;
	t->options = ti.tcpi_options;
	t->snd_wscale = ti.tcpi_snd_wscale;
	t->rcv_wscale = ti.tcpi_rcv_wscale;
	t->info_len = (uint8_t)(len > UINT8_MAX ? UINT8_MAX : len);
	s->has |= SOCK_HAS_TCP;
	return true;
}

/* INET_DIAG_CONG: a name, normally NUL-terminated; keep what fits. */
static bool put_cong(struct diag_parser *p, struct sock *s, const char *pl, size_t len)
{
	size_t n = 0;

	while (n < len && n < SOCK_CONG_MAX - 1 && pl[n])
		n++;
	memcpy(ext_of(p, s)->cong, pl, n);
	ext_of(p, s)->cong[n] = '\0';
	s->has |= SOCK_HAS_CONG;
	return true;
}

/* INET_DIAG_INFO of an MPTCP socket: struct mptcp_info, of whatever
 * length this kernel's version has (it grew), copied into a zeroed one. */
static bool put_mptcp_info(struct diag_parser *p, struct sock *s, const void *pl, size_t len)
{
	struct mptcp_info mi;
	struct sock_mptcp *m = &ext_of(p, s)->mptcp;

	if (len == 0)
		return false;
	memset(&mi, 0, sizeof(mi));
	memcpy(&mi, pl, len < sizeof(mi) ? len : sizeof(mi));
	m->subflows = mi.mptcpi_subflows;
	m->subflows_max = mi.mptcpi_subflows_max;
	m->add_addr_signal = mi.mptcpi_add_addr_signal;
	m->add_addr_accepted = mi.mptcpi_add_addr_accepted;
	m->local_addr_used = mi.mptcpi_local_addr_used;
	m->local_addr_max = mi.mptcpi_local_addr_max;
	m->csum_enabled = mi.mptcpi_csum_enabled;
	m->flags = mi.mptcpi_flags;
	m->token = mi.mptcpi_token;
	m->write_seq = mi.mptcpi_write_seq;
	m->snd_una = mi.mptcpi_snd_una;
	m->rcv_nxt = mi.mptcpi_rcv_nxt;
	s->has |= SOCK_HAS_MPTCP;
	return true;
}

/* Handles one attribute of an inet record; false if it is malformed. */
static bool inet_attr(struct diag_parser *p, struct sock *s, uint16_t type, const void *pl, size_t len)
{
	switch (type) {
	case INET_DIAG_INFO:
		/* TCP sends struct tcp_info under this type, MPTCP its own */
		if (s->proto == SP_MPTCP)
			return put_mptcp_info(p, s, pl, len);
		if (s->proto != SP_TCP)
			return true;
		return put_tcp_info(p, s, pl, len);
	case INET_DIAG_CONG:
		if (s->proto != SP_TCP)
			return true;
		return put_cong(p, s, pl, len);
	case INET_DIAG_SKMEMINFO:
		return put_skmeminfo(p, s, pl, len);
	case INET_DIAG_MARK:
		if (len < sizeof(uint32_t))
			return false;
		memcpy(&s->mark, pl, sizeof(uint32_t));
		s->has |= SOCK_HAS_MARK;
		return true;
	case INET_DIAG_CGROUP_ID:
		if (len < sizeof(uint64_t))
			return false;
		memcpy(&s->cgroup_id, pl, sizeof(uint64_t));
		s->has |= SOCK_HAS_CGROUP;
		return true;
	case INET_DIAG_SHUTDOWN: /* one byte: sk_shutdown */
		if (len < 1)
			return false;
		s->shutdown = (uint8_t)(*(const uint8_t *)pl &
					(SOCK_SHUT_RD | SOCK_SHUT_WR));
		s->has |= SOCK_HAS_SHUTDOWN;
		return true;
	case INET_DIAG_MEMINFO: {
		struct inet_diag_meminfo mi;

		if (len < sizeof(mi))
			return false;
		/* The older, shorter form: only used if SKMEMINFO is absent. */
		if (s->has & SOCK_HAS_MEM)
			return true;
		memcpy(&mi, pl, sizeof(mi));
		/* idiag_wmem is the send queue, idiag_tmem what left it
		 * (inet_diag.c); no buffer sizes in this form */
		ext_of(p, s)->rmem_alloc = mi.idiag_rmem;
		ext_of(p, s)->wmem_queued = mi.idiag_wmem;
		ext_of(p, s)->wmem_alloc = mi.idiag_tmem;
		s->has |= SOCK_HAS_MEM | SOCK_HAS_MEMQ;
		return true;
	}
	default:
		return true; /* not ours to know: skipped */
	}
}

/* Handles one attribute of a Unix record; false if it is malformed. */
static bool unix_attr(struct diag_parser *p, struct sock *s, uint16_t type, const void *pl, size_t len)
{
	const char *name = pl;

	switch (type) {
	case UNIX_DIAG_NAME:
		if (len > SOCK_NAME_MAX) {
			/* A path of the full 108 bytes comes with the NUL
			 * the kernel adds (109 bytes): keep it when its NUL
			 * falls within sun_path. Else (an abstract name is
			 * at most 108 bytes) the name is unknown, not
			 * "unnamed". */
			const char *nul = len > 0 && name[0] != '\0'
						  ? memchr(name, '\0', len) : NULL;

			if (!nul || (size_t)(nul - name) > SOCK_NAME_MAX) {
				s->has &= ~SOCK_HAS_NAME;
				return false;
			}
			len = (size_t)(nul - name);
		}
		memcpy(ext_of(p, s)->name, pl, len);
		if (len > 0 && name[0] != '\0') {
			/* A path: the kernel counts its terminating NUL, and
			 * the path ends at the first NUL anyway. */
			size_t n = 0;

			while (n < len && name[n])
				n++;
			ext_of(p, s)->name_len = (uint8_t)n;
		} else {
			/* Abstract: every byte counts, NUL and ESC included. */
			ext_of(p, s)->name_len = (uint8_t)len;
		}
		s->has |= SOCK_HAS_NAME;
		return true;
	case UNIX_DIAG_PEER:
		if (len < sizeof(uint32_t)) {
			s->has &= ~SOCK_HAS_PEER;
			return false;
		}
		s->peer_inode = get_u32(pl);
		s->has |= SOCK_HAS_PEER;
		return true;
	case UNIX_DIAG_RQLEN: {
		struct unix_diag_rqlen rq;

		if (len < sizeof(rq))
			return false;
		memcpy(&rq, pl, sizeof(rq));
		s->recv_q = rq.udiag_rqueue;
		s->send_q = rq.udiag_wqueue;
		s->has |= SOCK_HAS_QUEUE;
		return true;
	}
	case UNIX_DIAG_UID:
		if (len < sizeof(uint32_t))
			return false;
		s->uid = get_u32(pl);
		s->has |= SOCK_HAS_UID;
		return true;
	case UNIX_DIAG_MEMINFO:
		return put_skmeminfo(p, s, pl, len);
	default:
		return true;
	}
}

/* Handles one attribute of a packet record; false if it is malformed. */
static bool packet_attr(struct diag_parser *p, struct sock *s, uint16_t type, const void *pl, size_t len)
{
	switch (type) {
	case PACKET_DIAG_INFO: {
		struct packet_diag_info pi;

		if (len < sizeof(pi))
			return false;
		memcpy(&pi, pl, sizeof(pi));
		s->ifindex = pi.pdi_index;
		ext_of(p, s)->pkt.version = pi.pdi_version;
		ext_of(p, s)->pkt.copy_thresh = pi.pdi_copy_thresh;
		ext_of(p, s)->pkt.tstamp = pi.pdi_tstamp;
		ext_of(p, s)->pkt.flags = pi.pdi_flags;
		s->has |= SOCK_HAS_PKTINFO;
		return true;
	}
	case PACKET_DIAG_UID:
		if (len < sizeof(uint32_t))
			return false;
		s->uid = get_u32(pl);
		s->has |= SOCK_HAS_UID;
		return true;
	case PACKET_DIAG_FANOUT:
		if (len < sizeof(uint32_t))
			return false;
		ext_of(p, s)->pkt.fanout = get_u32(pl);
		s->has |= SOCK_HAS_FANOUT;
		return true;
	case PACKET_DIAG_MEMINFO:
		if (!put_skmeminfo(p, s, pl, len))
			return false;
		/* as ss: what waits to be read is the receive queue */
		s->recv_q = ext_of(p, s)->rmem_alloc;
		s->send_q = 0;
		s->has |= SOCK_HAS_QUEUE;
		return true;
	default:
		return true;
	}
}

/* Handles one attribute of a netlink record; false if it is malformed. */
static bool netlink_attr(struct diag_parser *p, struct sock *s, uint16_t type, const void *pl, size_t len)
{
	switch (type) {
	case NETLINK_DIAG_GROUPS: {
		size_t n = len / sizeof(uint32_t);

		if (len % sizeof(uint32_t))
			return false;
		if (n > SOCK_NL_GROUP_WORDS)
			n = SOCK_NL_GROUP_WORDS;
		memset(ext_of(p, s)->nl.groups, 0, sizeof(ext_of(p, s)->nl.groups));
		memcpy(ext_of(p, s)->nl.groups, pl, n * sizeof(uint32_t));
		ext_of(p, s)->nl.ngroups = (uint16_t)(len * 8 > UINT16_MAX ? UINT16_MAX : len * 8);
		s->has |= SOCK_HAS_GROUPS;
		return true;
	}
	case NETLINK_DIAG_MEMINFO:
		if (!put_skmeminfo(p, s, pl, len))
			return false;
		/* as ss: queued memory both ways */
		s->recv_q = ext_of(p, s)->rmem_alloc;
		s->send_q = ext_of(p, s)->wmem_alloc;
		s->has |= SOCK_HAS_QUEUE;
		return true;
	case NETLINK_DIAG_FLAGS:
		if (len < sizeof(uint32_t))
			return false;
		ext_of(p, s)->nl.flags = get_u32(pl);
		return true;
	default:
		return true;
	}
}

/* Walks the attributes in [start, start + len) of record s. */
static void parse_attrs(struct diag_parser *p, struct sock *s,
			const char *start, size_t len)
{
	const char *pos = start;
	size_t left = len;

	while (left >= sizeof(struct nlattr)) {
		const struct nlattr *a = (const struct nlattr *)(const void *)pos;
		size_t step;
		bool ok;

		/* left fits an int: it is bounded by the buffer length,
		 * itself capped at INT_MAX. nla_len is 16 bits, so libmnl's
		 * check is sound here. */
		if (!mnl_attr_ok(a, (int)left)) {
			p->stats.bad_attrs++;
			return;
		}
		if (s->family == AF_UNIX)
			ok = unix_attr(p, s, mnl_attr_get_type(a), mnl_attr_get_payload(a),
				       mnl_attr_get_payload_len(a));
		else if (s->family == AF_PACKET)
			ok = packet_attr(p, s, mnl_attr_get_type(a), mnl_attr_get_payload(a),
					 mnl_attr_get_payload_len(a));
		else if (s->family == AF_NETLINK)
			ok = netlink_attr(p, s, mnl_attr_get_type(a), mnl_attr_get_payload(a),
					  mnl_attr_get_payload_len(a));
		else
			ok = inet_attr(p, s, mnl_attr_get_type(a), mnl_attr_get_payload(a),
				       mnl_attr_get_payload_len(a));
		if (!ok)
			p->stats.bad_attrs++;
		step = MNL_ALIGN(a->nla_len);
		if (step > left)
			step = left; /* the last attribute may lack its padding */
		pos += step;
		left -= step;
	}
	if (left)
		p->stats.bad_attrs++; /* stray bytes shorter than a header */
}

/* Copies the fixed header of a record (len bytes) into m; false, counted
 * as skipped, when the payload is shorter or its family (the first byte of
 * every sock_diag reply) is neither fam1 nor fam2. */
static bool take_header(struct diag_parser *p, const struct nlmsghdr *nlh, void *m, size_t len,
			uint8_t fam1, uint8_t fam2)
{
	uint8_t fam;

	if (mnl_nlmsg_get_payload_len(nlh) < len) {
		p->stats.skipped++;
		return false;
	}
	memcpy(m, mnl_nlmsg_get_payload(nlh), len);
	fam = *(const uint8_t *)m;
	if (fam != fam1 && fam != fam2) {
		p->stats.skipped++;
		return false;
	}
	return true;
}

/* A new record of this kind, with its identity. */
static struct sock *new_record(struct diag_parser *p, unsigned proto, unsigned family,
			       uint32_t inode, const uint32_t cookie[2])
{
	struct sock *s = snapshot_add(p->snap);

	s->proto = (uint8_t)proto;
	s->family = (uint8_t)family;
	s->inode = inode;
	s->cookie = cookie_of(cookie);
	s->key.cookie = s->cookie;
	s->key.inode = s->inode;
	s->key.proto = s->proto;
	s->key.family = s->family;
	return s;
}

/* The attributes after a header of hdr_len bytes; the record counts. */
static void finish_record(struct diag_parser *p, struct sock *s, const struct nlmsghdr *nlh,
			  size_t hdr_len)
{
	size_t plen = mnl_nlmsg_get_payload_len(nlh);

	parse_attrs(p, s, (const char *)mnl_nlmsg_get_payload(nlh) + hdr_len,
		    plen > hdr_len ? plen - hdr_len : 0);
	p->stats.records++;
}

static void parse_inet(struct diag_parser *p, const struct nlmsghdr *nlh)
{
	struct inet_diag_msg m;
	struct sock *s;

	if (!take_header(p, nlh, &m, sizeof(m), AF_INET, AF_INET6))
		return;
	s = new_record(p, p->proto, m.idiag_family, m.idiag_inode, m.id.idiag_cookie);
	s->type = p->proto == SP_TCP || p->proto == SP_MPTCP ? SOCK_STREAM
		  : p->proto == SP_UDP ? SOCK_DGRAM : SOCK_RAW;
	s->state = m.idiag_state;
	s->timer = m.idiag_timer;
	s->retrans = m.idiag_retrans;
	s->lport = ntohs(m.id.idiag_sport);
	s->rport = ntohs(m.id.idiag_dport);
	memcpy(s->laddr, m.id.idiag_src, s->family == AF_INET ? 4 : 16);
	memcpy(s->raddr, m.id.idiag_dst, s->family == AF_INET ? 4 : 16);
	s->ifindex = m.id.idiag_if;
	s->expires_ms = m.idiag_expires;
	s->recv_q = m.idiag_rqueue;
	s->send_q = m.idiag_wqueue;
	s->uid = m.idiag_uid;
	s->has = SOCK_HAS_QUEUE;
	/* TIME-WAIT and request sockets have no owner: their uid reads 0. */
	if (!(s->inode == 0 && (s->state == SS_TIME_WAIT || s->state == SS_SYN_RECV ||
				s->state == SS_NEW_SYN_RECV)))
		s->has |= SOCK_HAS_UID;
	finish_record(p, s, nlh, INET_HDR_LEN);
}

static void parse_unix(struct diag_parser *p, const struct nlmsghdr *nlh)
{
	struct unix_diag_msg m;
	struct sock *s;

	if (!take_header(p, nlh, &m, sizeof(m), AF_UNIX, AF_UNIX))
		return;
	s = new_record(p, SP_UNIX, AF_UNIX, m.udiag_ino, m.udiag_cookie);
	s->type = m.udiag_type;
	s->state = m.udiag_state;
	/* The kernel sends a name only for bound sockets: when names were
	 * asked for, no attribute means "unnamed". */
	if (p->udiag_show & UDIAG_SHOW_NAME)
		s->has |= SOCK_HAS_NAME;
	/* Likewise the peer: none sent means no peer (peer_inode 0). */
	if (p->udiag_show & UDIAG_SHOW_PEER)
		s->has |= SOCK_HAS_PEER;
	finish_record(p, s, nlh, UNIX_HDR_LEN);
}

static void parse_packet(struct diag_parser *p, const struct nlmsghdr *nlh)
{
	struct packet_diag_msg m;
	struct sock *s;

	if (!take_header(p, nlh, &m, sizeof(m), AF_PACKET, AF_PACKET))
		return;
	s = new_record(p, SP_PACKET, AF_PACKET, m.pdiag_ino, m.pdiag_cookie);
	s->type = m.pdiag_type;
	s->state = SS_CLOSE; /* packet sockets have no state: UNCONN, as ss */
	ext_of(p, s)->pkt.ethproto = m.pdiag_num;
	finish_record(p, s, nlh, PACKET_HDR_LEN);
}

static void parse_netlink(struct diag_parser *p, const struct nlmsghdr *nlh)
{
	struct netlink_diag_msg m;
	struct sock *s;

	if (!take_header(p, nlh, &m, sizeof(m), AF_NETLINK, AF_NETLINK))
		return;
	s = new_record(p, SP_NETLINK, AF_NETLINK, m.ndiag_ino, m.ndiag_cookie);
	s->type = m.ndiag_type;
	s->state = SS_CLOSE; /* UNCONN, as ss shows every netlink socket */
	ext_of(p, s)->nl.protocol = m.ndiag_protocol;
	ext_of(p, s)->nl.connected = m.ndiag_state == 1; /* NETLINK_CONNECTED */
	ext_of(p, s)->nl.portid = m.ndiag_portid;
	ext_of(p, s)->nl.dst_portid = m.ndiag_dst_portid;
	ext_of(p, s)->nl.dst_group = m.ndiag_dst_group;
	finish_record(p, s, nlh, NETLINK_HDR_LEN);
}

/* Ends the dump with the int result in a DONE or ERROR payload. */
static void end_dump(struct diag_parser *p, const struct nlmsghdr *nlh, bool is_error)
{
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	int32_t v;

	p->done = true;
	if (plen < sizeof(v)) {
		/* A DONE without the int is an old kernel's success; an
		 * ERROR without it is nonsense. */
		p->error = is_error ? EBADMSG : 0;
		return;
	}
	memcpy(&v, mnl_nlmsg_get_payload(nlh), sizeof(v));
	p->error = v == 0 ? 0 : kernel_errno(v);
}

static bool is_ours(const struct diag_parser *p, const struct nlmsghdr *nlh)
{
	if (p->seq && nlh->nlmsg_seq != p->seq)
		return false;
	if (p->portid && nlh->nlmsg_pid && nlh->nlmsg_pid != p->portid)
		return false;
	return true;
}

int diag_parse(struct diag_parser *p, const void *buf, size_t len)
{
	const char *base = buf;
	size_t off = 0;

	p->consumed = 0;
	if (p->done || ((uintptr_t)buf & 3) || !p->snap) {
		errno = EINVAL;
		return -1;
	}
	/* Datagrams are at most a few pages; this keeps libmnl's int lengths
	 * meaningful for any replayed file. */
	if (len > INT_MAX)
		len = INT_MAX & ~3u;
	while (len - off >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(const void *)(base + off);
		size_t step;

		/* Not mnl_nlmsg_ok(): it compares (int)nlmsg_len, so a length
		 * of 2^31 or more would pass as negative. */
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len - off) {
			p->consumed = off;
			errno = EBADMSG;
			return -1;
		}
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step > len - off)
			step = len - off;
		off += step;
		if (!is_ours(p, nlh)) {
			p->stats.stale++;
			continue;
		}
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			p->intr = true;
		switch (nlh->nlmsg_type) {
		case NLMSG_DONE:
			end_dump(p, nlh, false);
			break;
		case NLMSG_ERROR:
			end_dump(p, nlh, true);
			break;
		case NLMSG_OVERRUN:
			p->done = true;
			p->error = ENOBUFS;
			break;
		case TCPDIAG_GETSOCK:
			/* replies to the legacy request (TCP, both families) */
			if (p->proto == SP_TCP)
				parse_inet(p, nlh);
			else
				p->stats.skipped++;
			break;
		case SOCK_DIAG_BY_FAMILY:
			if (p->proto == SP_UNIX)
				parse_unix(p, nlh);
			else if (p->proto == SP_PACKET)
				parse_packet(p, nlh);
			else if (p->proto == SP_NETLINK)
				parse_netlink(p, nlh);
			else if (p->proto < SP_NPROTO)
				parse_inet(p, nlh);
			else
				p->stats.skipped++;
			break;
		default:
			/* NLMSG_NOOP and anything unknown */
			if (nlh->nlmsg_type >= NLMSG_MIN_TYPE)
				p->stats.skipped++;
			break;
		}
		if (p->done) {
			p->consumed = off;
			return 0;
		}
	}
	p->consumed = off;
	if (off != len) {
		errno = EBADMSG; /* a truncated header */
		return -1;
	}
	return 1;
}
