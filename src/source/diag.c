/* diag.c - the netlink sock_diag socket, its requests and its retries. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "clock.h"
#include "diag.h"
#include "diag_parse.h"
#include "recdir.h"
#include "netns.h"
#include "xalloc.h"

/* TCP/UDP/raw/MPTCP x inet/inet6, plus Unix, packet and netlink (a
 * combined TCP request that the kernel refuses is split in two, so one
 * slot to spare). */
#define DIAG_MAX_REQS 12

/* nla_len is 16 bits: the bytecode plus its attribute header must fit. */
#define DIAG_MAX_BYTECODE (UINT16_MAX - MNL_ATTR_HDRLEN)

/* Request header sizes: the largest of the request structs. */
#define DIAG_MAX3(a, b, c) ((a) > (b) ? ((a) > (c) ? (a) : (c)) : ((b) > (c) ? (b) : (c)))
#define DIAG_REQ_HDR_LEN                                                         \
	(MNL_ALIGN(sizeof(struct nlmsghdr)) +                                    \
	 MNL_ALIGN(DIAG_MAX3(sizeof(struct inet_diag_req_v2), sizeof(struct inet_diag_req), \
			     sizeof(struct unix_diag_req))) +                    \
	 MNL_ATTR_HDRLEN + MNL_ALIGN(sizeof(uint32_t))) /* INET_DIAG_REQ_PROTOCOL */

struct diag_req {
	uint8_t proto;  /* enum sock_proto */
	uint8_t family; /* AF_INET, AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK;
			 * AF_UNSPEC: TCP over both
			 * families in one legacy TCPDIAG_GETSOCK request */
};

struct diag {
	struct mnl_socket *nl; /* NULL while closed */
	uint32_t portid;
	const struct diag_transport_ops *ops;
	void *ops_ctx;
	bool real; /* ops is the real socket */

	uint32_t seq;
	char *rxbuf; /* DIAG_RECV_BUF_SIZE bytes, malloc-aligned */
	char *txbuf;
	size_t txcap;

	uint32_t states;
	void *bc;
	size_t bc_len;
	bool tcp_info;     /* ask for tcp_info, congestion control, meminfo */
	bool meminfo;      /* SK_MEMINFO for every protocol (-m) */
	bool combined;     /* TCP over both families in one request */
	bool no_combined;  /* the kernel refused a combined TCP request */

	char *record_dir;
	int record_fd;
	int record_errno;

	/* the cycle in flight */
	bool busy;
	bool idle;     /* the last step ended on EAGAIN */
	bool answered; /* some request got an answer from the kernel */
	int first_err; /* the first request failure of the cycle */
	struct snapshot *snap;
	struct diag_req reqs[DIAG_MAX_REQS];
	unsigned nreqs, cur;
	size_t mark; /* snap->n when the current request began */
	unsigned intr_tries, restarts;
	struct diag_parser parser;

	struct diag_stats stats;
	int nsfd; /* the namespace its socket lives in (diag_open_in), or -1 */
};

static const struct diag_transport_ops real_ops;

/* ---- the real socket ---- */

static void sock_close(struct diag *d)
{
	if (d->nl)
		mnl_socket_close(d->nl);
	d->nl = NULL;
	d->portid = 0;
}

static int sock_open_here(struct diag *d);

static int sock_open_cb(void *arg)
{
	return sock_open_here(arg);
}

/* Opens the socket in the diag's namespace: a reopen after a broken dump
 * must not land in the namespace the thread happens to be in. */
static int sock_open(struct diag *d)
{
	return netns_run_in(d->nsfd, sock_open_cb, d);
}

static int sock_open_here(struct diag *d)
{
	struct mnl_socket *nl;
	int fd, size = DIAG_SO_RCVBUF;

	sock_close(d);
	nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!nl)
		return -1;
	fd = mnl_socket_get_fd(nl);
	/* FORCE passes the rmem_max cap when privileged; else ask politely. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl);
		errno = e;
		return -1;
	}
	d->nl = nl;
	d->portid = mnl_socket_get_portid(nl);
	return 0;
}

static ssize_t real_send(void *ctx, const void *buf, size_t len)
{
	struct diag *d = ctx;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	if (!d->nl) {
		errno = EBADF;
		return -1;
	}
	return sendto(mnl_socket_get_fd(d->nl), buf, len, 0,
		      (const struct sockaddr *)&kernel, sizeof(kernel));
}

static ssize_t real_recv(void *ctx, void *buf, size_t len)
{
	struct diag *d = ctx;

	if (!d->nl) {
		errno = EBADF;
		return -1;
	}
	/* Only the kernel (port 0) answers dumps; anything else is dropped.
	 * Bounded: a flood of foreign datagrams ends as EAGAIN for now. */
	for (int i = 0; i < 64; i++) {
		struct sockaddr_nl from;
		struct iovec iov = { buf, len };
		struct msghdr msg = {
			.msg_name = &from,
			.msg_namelen = sizeof(from),
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};
		/* MSG_TRUNC: the return value is the datagram's real length. */
		ssize_t n = recvmsg(mnl_socket_get_fd(d->nl), &msg, MSG_TRUNC);

		if (n < 0)
			return -1;
		if (msg.msg_namelen == sizeof(from) && from.nl_family == AF_NETLINK &&
		    from.nl_pid == 0)
			return n;
	}
	errno = EAGAIN;
	return -1;
}

static int real_reset(void *ctx)
{
	return sock_open(ctx);
}

static const struct diag_transport_ops real_ops = {
	.send = real_send,
	.recv = real_recv,
	.reset = real_reset,
};

/* ---- public set-up ---- */

struct diag *diag_open(void)
{
	return diag_open_in(-1);
}

struct diag *diag_open_in(int nsfd)
{
	struct diag *d = xcalloc(1, sizeof(*d));

	d->nsfd = -1;
	if (nsfd >= 0) {
		d->nsfd = fcntl(nsfd, F_DUPFD_CLOEXEC, 0);
		if (d->nsfd < 0) {
			int e = errno;

			free(d);
			errno = e;
			return NULL;
		}
	}

	d->record_fd = -1;
	d->tcp_info = true;
	d->combined = true;
	d->ops = &real_ops;
	d->ops_ctx = d;
	d->real = true;
	/* Any start will do; what matters is that each request gets a new one. */
	d->seq = (uint32_t)clock_now_ms();
	if (sock_open(d) < 0) {
		int e = errno;

		if (d->nsfd >= 0)
			close(d->nsfd);
		free(d);
		errno = e;
		return NULL;
	}
	d->rxbuf = xmalloc(DIAG_RECV_BUF_SIZE);
	d->txcap = DIAG_REQ_HDR_LEN;
	d->txbuf = xmalloc(d->txcap);
	return d;
}

static void record_close(struct diag *d)
{
	if (d->record_fd >= 0)
		close(d->record_fd);
	d->record_fd = -1;
}

void diag_free(struct diag *d)
{
	if (!d)
		return;
	record_close(d);
	sock_close(d);
	free(d->rxbuf);
	free(d->txbuf);
	free(d->bc);
	free(d->record_dir);
	if (d->nsfd >= 0)
		close(d->nsfd);
	free(d);
}

int diag_fd(const struct diag *d)
{
	return d->nl ? mnl_socket_get_fd(d->nl) : -1;
}

bool diag_busy(const struct diag *d)
{
	return d->busy;
}

const struct diag_stats *diag_get_stats(const struct diag *d)
{
	return &d->stats;
}

int diag_record_error(const struct diag *d)
{
	return d->record_errno;
}

void diag_set_inet_filter(struct diag *d, uint32_t states, const void *bytecode,
			  size_t len)
{
	free(d->bc);
	d->bc = NULL;
	d->bc_len = 0;
	d->states = states;
	if (bytecode && len) {
		d->bc = xmemdup(bytecode, len);
		d->bc_len = len;
	}
	if (len <= DIAG_MAX_BYTECODE && DIAG_REQ_HDR_LEN + MNL_ATTR_HDRLEN +
						    MNL_ALIGN(len) > d->txcap) {
		d->txcap = DIAG_REQ_HDR_LEN + MNL_ATTR_HDRLEN + MNL_ALIGN(len);
		free(d->txbuf);
		d->txbuf = xmalloc(d->txcap);
	}
}

void diag_set_tcp_info(struct diag *d, bool on)
{
	d->tcp_info = on;
}

void diag_set_meminfo(struct diag *d, bool on)
{
	d->meminfo = on;
}

void diag_set_combined_tcp(struct diag *d, bool on)
{
	d->combined = on;
}

void diag_set_transport(struct diag *d, const struct diag_transport_ops *ops,
			void *ctx)
{
	if (ops) {
		d->ops = ops;
		d->ops_ctx = ctx;
		d->real = false;
	} else {
		d->ops = &real_ops;
		d->ops_ctx = d;
		d->real = true;
	}
	d->combined = d->real;
	d->no_combined = false;
}

void diag_set_record_dir(struct diag *d, const char *dir)
{
	record_close(d);
	free(d->record_dir);
	d->record_dir = dir ? xstrdup(dir) : NULL;
}

const char *diag_record_name(unsigned proto, unsigned family)
{
	static const char *const names[SP_UNIX][2] = {
		{ "tcp-inet", "tcp-inet6" },
		{ "udp-inet", "udp-inet6" },
		{ "raw-inet", "raw-inet6" },
	};

	if (proto == SP_UNIX)
		return family == AF_UNIX ? "unix" : NULL;
	if (proto == SP_PACKET)
		return family == AF_PACKET ? "packet" : NULL;
	if (proto == SP_NETLINK)
		return family == AF_NETLINK ? "netlink" : NULL;
	if (proto == SP_MPTCP)
		return family == AF_INET ? "mptcp-inet" : family == AF_INET6 ? "mptcp-inet6" : NULL;
	if (proto == SP_TCP && family == AF_UNSPEC)
		return "tcp";
	if (proto >= SP_UNIX)
		return NULL;
	if (family == AF_INET)
		return names[proto][0];
	if (family == AF_INET6)
		return names[proto][1];
	return NULL;
}

/* ---- recording ---- */

static void record_note(struct diag *d, int e)
{
	if (!d->record_errno)
		d->record_errno = e;
	record_close(d);
}

static void record_open(struct diag *d, const struct diag_req *r)
{
	char path[PATH_MAX];
	int n;

	record_close(d);
	if (!d->record_dir)
		return;
	n = snprintf(path, sizeof(path), "%s/%s.bin", d->record_dir,
		     diag_record_name(r->proto, r->family));
	if (n < 0 || (size_t)n >= sizeof(path)) {
		record_note(d, ENAMETOOLONG);
		return;
	}
	/* never through a symlink or into someone else's file (recdir.h) */
	d->record_fd = recdir_open_file(d->record_dir, path + strlen(d->record_dir) + 1);
	if (d->record_fd < 0)
		record_note(d, errno);
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Appends one datagram, padded to netlink alignment so that a replay can
 * walk the concatenated datagrams as one stream of messages. */
static void record_write(struct diag *d, const void *buf, size_t len)
{
	static const char zeros[NLMSG_ALIGNTO];
	size_t pad = NLMSG_ALIGN(len) - len;

	if (d->record_fd < 0)
		return;
	if (write_all(d->record_fd, buf, len) < 0 ||
	    (pad && write_all(d->record_fd, zeros, pad) < 0))
		record_note(d, errno ? errno : EIO);
}

/* ---- requests ---- */

static unsigned inet_protocol(unsigned proto)
{
	switch (proto) {
	case SP_TCP: return IPPROTO_TCP;
	case SP_UDP: return IPPROTO_UDP;
	case SP_MPTCP: return IPPROTO_MPTCP;
	default: return IPPROTO_RAW;
	}
}

/* The idiag_ext bits of a request for proto: only TCP has tcp_info,
 * congestion control and meminfo worth the bytes (and the kernel's time:
 * filling tcp_info costs about as much as the rest of the record); UDP and
 * raw give their queues in the header. */
static uint8_t request_ext(const struct diag *d, unsigned proto)
{
	uint8_t mem = d->meminfo ? (uint8_t)(1u << (INET_DIAG_SKMEMINFO - 1)) : 0;

	/* MPTCP: its own mptcp_info under INET_DIAG_INFO, and its memory */
	if (proto == SP_MPTCP && d->tcp_info)
		return (1u << (INET_DIAG_INFO - 1)) | (1u << (INET_DIAG_SKMEMINFO - 1));
	if (proto != SP_TCP || !d->tcp_info)
		return mem;
	/* INET_DIAG_SHUTDOWN: one byte (kernels send it unasked too) */
	return (uint8_t)((1u << (INET_DIAG_INFO - 1)) | (1u << (INET_DIAG_CONG - 1)) |
			 (1u << (INET_DIAG_SKMEMINFO - 1)) |
			 (1u << (INET_DIAG_SHUTDOWN - 1)));
}

/* Builds the request for r into d->txbuf; returns its length, or 0 with
 * errno EMSGSIZE if the bytecode cannot fit an attribute. */
static size_t build_request(struct diag *d, const struct diag_req *r, uint32_t seq)
{
	struct nlmsghdr *nlh;
	uint32_t states = d->states ? d->states : ~0u;

	memset(d->txbuf, 0, DIAG_REQ_HDR_LEN);
	nlh = mnl_nlmsg_put_header(d->txbuf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	if (r->proto == SP_UNIX) {
		struct unix_diag_req *u = mnl_nlmsg_put_extra_header(nlh, sizeof(*u));

		u->sdiag_family = AF_UNIX;
		u->udiag_states = states;
		u->udiag_show = diag_parse_unix_show() | (d->meminfo ? UDIAG_SHOW_MEMINFO : 0);
		u->udiag_cookie[0] = INET_DIAG_NOCOOKIE;
		u->udiag_cookie[1] = INET_DIAG_NOCOOKIE;
		return nlh->nlmsg_len;
	}
	if (r->proto == SP_PACKET) {
		struct packet_diag_req *q = mnl_nlmsg_put_extra_header(nlh, sizeof(*q));

		q->sdiag_family = AF_PACKET;
		q->pdiag_show = diag_parse_packet_show();
		q->pdiag_cookie[0] = INET_DIAG_NOCOOKIE;
		q->pdiag_cookie[1] = INET_DIAG_NOCOOKIE;
		return nlh->nlmsg_len;
	}
	if (r->proto == SP_NETLINK) {
		struct netlink_diag_req *q = mnl_nlmsg_put_extra_header(nlh, sizeof(*q));

		q->sdiag_family = AF_NETLINK;
		q->sdiag_protocol = NDIAG_PROTO_ALL;
		q->ndiag_show = diag_parse_netlink_show();
		q->ndiag_cookie[0] = INET_DIAG_NOCOOKIE;
		q->ndiag_cookie[1] = INET_DIAG_NOCOOKIE;
		return nlh->nlmsg_len;
	}
	if (r->family == AF_UNSPEC) {
		/* The legacy request: its dump walks the TCP hash tables once
		 * for both families (the kernel treats it as AF_UNSPEC), where
		 * two SOCK_DIAG_BY_FAMILY requests walk them twice, each
		 * skipping the other family's sockets. Replies carry its type. */
		struct inet_diag_req *q = mnl_nlmsg_put_extra_header(nlh, sizeof(*q));

		nlh->nlmsg_type = TCPDIAG_GETSOCK;
		q->idiag_family = AF_INET; /* ignored by dumps */
		q->idiag_ext = request_ext(d, r->proto);
		q->idiag_states = states;
		q->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
		q->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	} else {
		struct inet_diag_req_v2 *q = mnl_nlmsg_put_extra_header(nlh, sizeof(*q));

		q->sdiag_family = r->family;
		/* MPTCP's number (262) does not fit the byte: it goes in an
		 * attribute, the byte keeps its low bits (as ss sends it) */
		q->sdiag_protocol = (uint8_t)inet_protocol(r->proto);
		q->idiag_states = states;
		q->idiag_ext = request_ext(d, r->proto);
		q->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
		q->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
		if (inet_protocol(r->proto) > UINT8_MAX)
			mnl_attr_put_u32(nlh, INET_DIAG_REQ_PROTOCOL, inet_protocol(r->proto));
	}
	if (d->bc_len) {
		if (d->bc_len > DIAG_MAX_BYTECODE) {
			errno = EMSGSIZE;
			return 0;
		}
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, d->bc_len, d->bc);
	}
	return nlh->nlmsg_len;
}

static enum snap_status status_of(int err)
{
	switch (err) {
	case 0:
		return SNAP_OK;
	case ENOENT:
	case EOPNOTSUPP:
	case EPROTONOSUPPORT:
	case EAFNOSUPPORT:
		return SNAP_UNAVAILABLE;
	default:
		return SNAP_FAILED;
	}
}

static int status_rank(enum snap_status s)
{
	switch (s) {
	case SNAP_OK: return 1;
	case SNAP_UNAVAILABLE: return 2;
	case SNAP_FAILED: return 3;
	default: return 0;
	}
}

/* Merges the result of the current request into its protocol's status. */
static void req_result(struct diag *d, int err)
{
	unsigned p = d->reqs[d->cur].proto;
	enum snap_status st = status_of(err);

	if (err && !d->first_err)
		d->first_err = err;
	if (status_rank(st) > status_rank(d->snap->status[p])) {
		d->snap->status[p] = st;
		d->snap->error[p] = err;
	}
}

/* Throws away whatever dump is in flight. Returns 0 or -1 with errno. */
static int transport_reset(struct diag *d)
{
	d->stats.resets++;
	if (d->ops->reset)
		return d->ops->reset(d->ops_ctx);
	return 0;
}

/* Sends the current request (again). Returns 0 when it is in flight, or a
 * positive errno for this request's failure. */
static int req_send(struct diag *d)
{
	const struct diag_req *r = &d->reqs[d->cur];
	size_t len;
	ssize_t n;

	if (++d->seq == 0)
		d->seq = 1; /* 0 would make the parser accept any sequence */
	len = build_request(d, r, d->seq);
	if (!len)
		return errno;
	diag_parser_init(&d->parser, d->snap, r->proto, d->seq, d->real ? d->portid : 0);
	d->stats.requests++;
	n = d->ops->send(d->ops_ctx, d->txbuf, len);
	if (n < 0)
		return errno ? errno : EIO;
	if ((size_t)n != len)
		return EMSGSIZE;
	return 0;
}

/* Starts the current request: remembers where its records begin. */
static int req_begin(struct diag *d)
{
	d->mark = d->snap->n;
	d->intr_tries = 0;
	d->restarts = 0;
	record_open(d, &d->reqs[d->cur]);
	return req_send(d);
}

static void cycle_finish(struct diag *d)
{
	record_close(d);
	snapshot_finish(d->snap);
	d->busy = false;
	d->idle = false;
}

/* The socket is gone for good: fail what is left and end the cycle. */
static int cycle_fatal(struct diag *d, int err)
{
	for (; d->cur < d->nreqs; d->cur++)
		req_result(d, err);
	cycle_finish(d);
	errno = err;
	return -1;
}

/* Moves on from the current request (its result recorded) to the next one
 * that can be sent. Returns 0, or -1 with errno if the socket is lost. */
static int cycle_next(struct diag *d)
{
	record_close(d);
	d->cur++;
	while (d->cur < d->nreqs) {
		int err = req_begin(d);

		if (!err)
			return 0;
		if (err == EBUSY) {
			/* The socket still carries an old dump: start afresh. */
			if (transport_reset(d) < 0)
				return cycle_fatal(d, errno);
			err = req_send(d);
			if (!err)
				return 0;
		}
		req_result(d, err);
		record_close(d);
		d->cur++;
	}
	cycle_finish(d);
	return 0;
}

/* The current request failed after its dump began: the socket may still
 * carry the rest of it, so reset before the next request. */
static int req_fail(struct diag *d, int err)
{
	req_result(d, err);
	if (transport_reset(d) < 0)
		return cycle_fatal(d, errno);
	return cycle_next(d);
}

/* Restarts the current request from scratch (its records dropped).
 * reset: the socket must be reopened first. */
static int req_restart(struct diag *d, bool reset)
{
	int err;

	d->snap->n = d->mark;
	if (reset && transport_reset(d) < 0)
		return cycle_fatal(d, errno);
	err = req_send(d);
	if (err)
		return req_fail(d, err);
	return 0;
}

/* The kernel refused the combined TCP request (a kernel without the legacy
 * handler): ask once per family instead, now and from now on. */
static int req_split(struct diag *d)
{
	int err;

	d->no_combined = true;
	memmove(&d->reqs[d->cur + 2], &d->reqs[d->cur + 1],
		(d->nreqs - d->cur - 1) * sizeof(d->reqs[0]));
	d->reqs[d->cur] = (struct diag_req){ SP_TCP, AF_INET };
	d->reqs[d->cur + 1] = (struct diag_req){ SP_TCP, AF_INET6 };
	d->nreqs++;
	d->snap->n = d->mark;
	err = req_send(d);
	if (err)
		return req_fail(d, err);
	return 0;
}

/* A reply ended the dump (DONE or ERROR). */
static int req_done(struct diag *d)
{
	const struct diag_parser *p = &d->parser;
	const struct diag_req *r = &d->reqs[d->cur];

	if (p->error && r->family == AF_UNSPEC && d->snap->n == d->mark &&
	    d->nreqs < DIAG_MAX_REQS)
		return req_split(d);
	d->answered = true;
	if (p->error == 0 && p->intr) {
		if (d->intr_tries < DIAG_MAX_INTR_RETRIES) {
			d->intr_tries++;
			d->stats.intr_restarts++;
			return req_restart(d, false);
		}
		/* Keep the last attempt: better than nothing, but say so. */
		d->snap->inconsistent = true;
	}
	if (p->error == EBUSY && d->restarts < DIAG_MAX_RESTARTS) {
		d->restarts++;
		d->stats.other_restarts++;
		return req_restart(d, true);
	}
	req_result(d, p->error);
	return cycle_next(d);
}

static void add_parse_stats(struct diag *d)
{
	d->stats.skipped += d->parser.stats.skipped;
	d->stats.bad_attrs += d->parser.stats.bad_attrs;
	d->stats.stale += d->parser.stats.stale;
	memset(&d->parser.stats, 0, sizeof(d->parser.stats));
}

/* Handles one received datagram (or receive error). Returns 0 or -1. */
static int handle_recv(struct diag *d, ssize_t n)
{
	int r;

	if (n < 0) {
		int err = errno ? errno : EIO;

		if (err == ENOBUFS && d->restarts < DIAG_MAX_RESTARTS) {
			/* Replies were dropped: this dump has holes. */
			d->restarts++;
			d->stats.other_restarts++;
			return req_restart(d, true);
		}
		return req_fail(d, err);
	}
	d->stats.datagrams++;
	if ((size_t)n > DIAG_RECV_BUF_SIZE)
		return req_fail(d, EMSGSIZE); /* truncated: the rest is lost */
	record_write(d, d->rxbuf, (size_t)n);
	r = diag_parse(&d->parser, d->rxbuf, (size_t)n);
	add_parse_stats(d);
	if (r > 0)
		return 0;
	if (r < 0)
		return req_fail(d, EBADMSG);
	return req_done(d);
}

/* ---- the cycle ---- */

void diag_cancel(struct diag *d)
{
	if (!d->busy)
		return;
	d->busy = false;
	d->idle = false;
	record_close(d);
	/* If this fails the socket stays closed; diag_start reopens it. */
	(void)transport_reset(d);
}

int diag_start(struct diag *d, unsigned protos, unsigned families,
	       struct snapshot *snap)
{
	static const uint8_t inet_protos[] = { SP_TCP, SP_UDP, SP_RAW, SP_MPTCP };

	diag_cancel(d);
	snapshot_clear(snap);
	if (d->real && !d->nl && sock_open(d) < 0) {
		int e = errno;

		snapshot_finish(snap); /* empty, but valid to look at */
		errno = e;
		return -1;
	}
	d->snap = snap;
	d->nreqs = 0;
	d->answered = false;
	d->first_err = 0;
	for (size_t i = 0; i < sizeof(inet_protos); i++) {
		if (!(protos & SP_MASK(inet_protos[i])))
			continue;
		/* TCP over both families in one walk of the kernel's tables
		 * (recordings keep one file per family) */
		if (inet_protos[i] == SP_TCP && (families & SF_ALL) == SF_ALL && d->combined &&
		    !d->record_dir && !d->no_combined) {
			d->reqs[d->nreqs++] = (struct diag_req){ SP_TCP, AF_UNSPEC };
			continue;
		}
		if (families & SF_INET)
			d->reqs[d->nreqs++] = (struct diag_req){ inet_protos[i], AF_INET };
		if (families & SF_INET6)
			d->reqs[d->nreqs++] = (struct diag_req){ inet_protos[i], AF_INET6 };
	}
	if (protos & SP_MASK(SP_UNIX))
		d->reqs[d->nreqs++] = (struct diag_req){ SP_UNIX, AF_UNIX };
	if (protos & SP_MASK(SP_PACKET))
		d->reqs[d->nreqs++] = (struct diag_req){ SP_PACKET, AF_PACKET };
	if (protos & SP_MASK(SP_NETLINK))
		d->reqs[d->nreqs++] = (struct diag_req){ SP_NETLINK, AF_NETLINK };
	d->busy = true;
	d->idle = false;
	/* cycle_next() moves from "cur - 1": start one before the first. */
	d->cur = (unsigned)-1;
	if (cycle_next(d) < 0)
		return d->answered ? 0 : -1;
	return 0;
}

int diag_step(struct diag *d)
{
	d->idle = false;
	for (int i = 0; i < DIAG_STEP_MAX_DGRAMS && d->busy; i++) {
		ssize_t n = d->ops->recv(d->ops_ctx, d->rxbuf, DIAG_RECV_BUF_SIZE);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			d->idle = true;
			return 1;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (handle_recv(d, n) < 0)
			return -1;
	}
	return d->busy ? 1 : 0;
}

/* Waits up to DIAG_TIMEOUT_MS for the socket to become readable.
 * Returns 1 if readable, 0 on timeout, -1 with errno. */
static int wait_readable(struct diag *d)
{
	int64_t deadline = clock_now_ms() + DIAG_TIMEOUT_MS;

	if (!d->real)
		return 0; /* a test transport with nothing to say: timeout */
	for (;;) {
		int64_t left = deadline - clock_now_ms();
		struct pollfd pfd = { .fd = diag_fd(d), .events = POLLIN };
		int r;

		if (left <= 0 || pfd.fd < 0)
			return 0;
		r = poll(&pfd, 1, (int)left);
		if (r > 0)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

int diag_dump(struct diag *d, unsigned protos, unsigned families,
	      struct snapshot *snap)
{
	if (diag_start(d, protos, families, snap) < 0)
		return -1;
	while (d->busy) {
		int r = diag_step(d);

		if (r < 0)
			return d->answered ? 0 : -1;
		if (r == 0)
			break;
		if (!d->idle)
			continue;
		r = wait_readable(d);
		if (r < 0)
			r = 0; /* poll itself failed: treat as no answer */
		if (r == 0 && req_fail(d, ETIMEDOUT) < 0)
			return d->answered ? 0 : -1;
	}
	if (d->nreqs && !d->answered) {
		/* Not one reply: nothing to show, say why. */
		errno = d->first_err ? d->first_err : EIO;
		return -1;
	}
	return 0;
}

/* ---- destroying one socket (SOCK_DESTROY) ---- */

int diag_destroy(const struct sock *s)
{
	char buf[8192];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct inet_diag_req_v2 *q;
	struct timeval tv = { 2, 0 };
	uint32_t seq, portid;
	ssize_t n;
	int rc = -1, e;

	if ((s->family != AF_INET && s->family != AF_INET6) ||
	    (s->proto != SP_TCP && s->proto != SP_UDP)) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	/* a socket of its own: the table's may be in the middle of a dump */
	nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!nl)
		return -1;
	(void)setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	portid = mnl_socket_get_portid(nl);
	seq = (uint32_t)clock_now_ms();
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DESTROY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	q = mnl_nlmsg_put_extra_header(nlh, sizeof(*q));
	q->sdiag_family = s->family;
	q->sdiag_protocol = inet_protocol(s->proto);
	q->idiag_states = ~0u;
	q->id.idiag_sport = htons(s->lport);
	q->id.idiag_dport = htons(s->rport);
	memcpy(q->id.idiag_src, s->laddr, sizeof(q->id.idiag_src));
	memcpy(q->id.idiag_dst, s->raddr, sizeof(q->id.idiag_dst));
	q->id.idiag_if = s->ifindex;
	q->id.idiag_cookie[0] = (uint32_t)s->cookie;
	q->id.idiag_cookie[1] = (uint32_t)(s->cookie >> 32);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto out;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				errno = ETIMEDOUT;
			goto out;
		}
		/* the ACK (error 0) stops; an error reply sets errno */
		rc = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
		if (rc <= MNL_CB_STOP)
			break;
	}
	rc = rc == MNL_CB_ERROR ? -1 : 0;
out:
	e = errno;
	mnl_socket_close(nl);
	errno = e;
	return rc;
}
