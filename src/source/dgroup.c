/* dgroup.c - the destroy multicast groups of sock_diag. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <libmnl/libmnl.h>

#include "dgroup.h"
#include "diag_parse.h"
#include "i18n.h"
#include "snapshot.h"
#include "xalloc.h"

/* One destroy message is a few hundred bytes; a datagram holds one. */
#define DESTROY_BUF 8192
/* The receive buffer asked for: room for a burst of thousands of deaths
 * between two reads (the kernel may clamp it without privileges). */
#define DESTROY_RCVBUF (4 * 1024 * 1024)

struct destroy {
	struct mnl_socket *nl; /* NULL for a fake */
	destroy_recv_fn recv;
	void *recv_ctx;
	struct snapshot tmp; /* one record at a time */
	size_t bad;
	void *buf;           /* DESTROY_BUF bytes, aligned (malloc) */
};

/* The real socket: recvmsg with the group from NETLINK_PKTINFO. */
static ssize_t real_recv(void *ctx, void *buf, size_t len, unsigned *group)
{
	struct destroy *d = ctx;
	struct sockaddr_nl sa;
	struct iovec iov = { buf, len };
	char cbuf[CMSG_SPACE(sizeof(struct nl_pktinfo))];
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov,
			     .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	ssize_t n;

	n = recvmsg(mnl_socket_get_fd(d->nl), &mh, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0)
		return -1;
	*group = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_NETLINK && c->cmsg_type == NETLINK_PKTINFO) {
			struct nl_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			*group = pi.group;
		}
	}
	/* only the kernel may speak here */
	if (sa.nl_pid != 0) {
		*group = 0;
	}
	return n;
}

static struct destroy *destroy_alloc(void)
{
	struct destroy *d = xcalloc(1, sizeof(*d));

	d->buf = xmalloc(DESTROY_BUF);
	snapshot_init(&d->tmp);
	return d;
}

struct destroy *destroy_new_fake(destroy_recv_fn fn, void *ctx)
{
	struct destroy *d = destroy_alloc();

	d->recv = fn;
	d->recv_ctx = ctx;
	return d;
}

struct destroy *destroy_open(unsigned protos, unsigned families, char *err, size_t errlen)
{
	struct destroy *d;
	int fd, one = 1, size = DESTROY_RCVBUF;
	unsigned groups[4], ng = 0;

	if ((protos & SP_MASK(SP_TCP)) && (families & SF_INET))
		groups[ng++] = SKNLGRP_INET_TCP_DESTROY;
	if ((protos & SP_MASK(SP_UDP)) && (families & SF_INET))
		groups[ng++] = SKNLGRP_INET_UDP_DESTROY;
	if ((protos & SP_MASK(SP_TCP)) && (families & SF_INET6))
		groups[ng++] = SKNLGRP_INET6_TCP_DESTROY;
	if ((protos & SP_MASK(SP_UDP)) && (families & SF_INET6))
		groups[ng++] = SKNLGRP_INET6_UDP_DESTROY;
	if (!ng) {
		snprintf(err, errlen, "%s", _("no TCP or UDP sockets asked for"));
		errno = ENOENT;
		return NULL;
	}
	d = destroy_alloc();
	d->recv = real_recv;
	d->recv_ctx = d;
	d->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!d->nl)
		goto fail;
	fd = mnl_socket_get_fd(d->nl);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_PKTINFO, &one, sizeof(one)) < 0)
		goto fail;
	if (mnl_socket_bind(d->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	for (unsigned i = 0; i < ng; i++) {
		int g = (int)groups[i];

		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
			goto fail;
	}
	return d;
fail:
	{
		int e = errno;

		snprintf(err, errlen, _("cannot listen to socket destroy messages: %s"),
			 strerror(e));
		destroy_free(d);
		errno = e;
	}
	return NULL;
}

void destroy_free(struct destroy *d)
{
	if (!d)
		return;
	if (d->nl)
		mnl_socket_close(d->nl);
	snapshot_free(&d->tmp);
	free(d->buf);
	free(d);
}

int destroy_fd(const struct destroy *d)
{
	return d->nl ? mnl_socket_get_fd(d->nl) : -1;
}

int destroy_set_rcvbuf(struct destroy *d, int bytes)
{
	if (!d->nl) {
		errno = EINVAL;
		return -1;
	}
	return setsockopt(mnl_socket_get_fd(d->nl), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

size_t destroy_bad(const struct destroy *d)
{
	return d->bad;
}

static int group_proto(unsigned group)
{
	switch (group) {
	case SKNLGRP_INET_TCP_DESTROY:
	case SKNLGRP_INET6_TCP_DESTROY:
		return SP_TCP;
	case SKNLGRP_INET_UDP_DESTROY:
	case SKNLGRP_INET6_UDP_DESTROY:
		return SP_UDP;
	default:
		return -1;
	}
}

int destroy_read(struct destroy *d, size_t max, destroy_sock_fn cb, void *ctx)
{
	int reported = 0;

	for (size_t k = 0; k < max; k++) {
		unsigned group = 0;
		ssize_t n = d->recv(d->recv_ctx, d->buf, DESTROY_BUF, &group);
		struct diag_parser p;
		int proto;

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return reported;
			if (errno == EINTR)
				continue;
			return -1;
		}
		proto = group_proto(group);
		if (proto < 0 || (size_t)n > DESTROY_BUF) {
			d->bad++;
			continue;
		}
		snapshot_clear(&d->tmp);
		diag_parser_init(&p, &d->tmp, (unsigned)proto, 0, 0);
		if (diag_parse(&p, d->buf, (size_t)n) < 0)
			d->bad++;
		for (size_t i = 0; i < d->tmp.n; i++) {
			cb(ctx, &d->tmp.socks[i]);
			reported++;
		}
		if (!d->tmp.n && p.stats.skipped)
			d->bad++;
	}
	return reported;
}
