/* ep_dgram.c - UDP and Unix datagram endpoints: servers that answer each
 * datagram (rate-limited per peer) and the datagram client. Nothing is
 * queued: a datagram the kernel will not take now is dropped and noted.
 * Only ep_dgram_ops leaves this file (see ep_priv.h). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "ep_base.h"
#include "i18n.h"
#include "xalloc.h"

/* Forgets every peer heard from. */
static void dgram_forget_all(struct endpoint *ep)
{
	size_t i;

	for (i = 0; i < ep->ndpeers; i++)
		free(ep->dpeers[i].label);
	ep->ndpeers = 0;
	if (ep->cfg.kind != EP_CLIENT)
		ep->st.clients = 0;
}

static void dg_remove(struct endpoint *ep, size_t i)
{
	free(ep->dpeers[i].label);
	memmove(&ep->dpeers[i], &ep->dpeers[i + 1], (ep->ndpeers - i - 1) * sizeof(ep->dpeers[0]));
	ep->ndpeers--;
	ep->st.clients = ep->ndpeers;
	ep->dirty = true;
}

/* Drops the peers found gone while answering. */
static void dg_reap(struct endpoint *ep)
{
	size_t i = 0;

	while (i < ep->ndpeers) {
		if (ep->dpeers[i].gone)
			dg_remove(ep, i);
		else
			i++;
	}
}

/* The index of the peer with address a, adding it (and forgetting the
 * longest silent one when the list is full). */
static size_t dg_lookup(struct endpoint *ep, const struct epaddr *a, int64_t now)
{
	struct dg_peer *d;
	size_t i, oldest = 0;

	for (i = 0; i < ep->ndpeers; i++)
		if (epaddr_equal(&ep->dpeers[i].addr, a))
			return i;
	if (ep->ndpeers >= ep->max_clients) {
		for (i = 1; i < ep->ndpeers; i++)
			if (ep->dpeers[i].last_seen < ep->dpeers[oldest].last_seen)
				oldest = i;
		d = &ep->dpeers[oldest];
		ep_note(ep, TR_DISCONNECT, d->label, d->label_len,
			_("forgotten: more than %zu peers"), ep->max_clients);
		dg_remove(ep, oldest);
	}
	xgrow((void **)&ep->dpeers, &ep->dpeers_cap, ep->ndpeers + 1, sizeof(*ep->dpeers));
	d = &ep->dpeers[ep->ndpeers++];
	memset(d, 0, sizeof(*d));
	d->addr = *a;
	d->label = ep_label_addr(a, &d->label_len);
	d->refill_at = now;
	d->tokens = (int64_t)ep->cfg.dgram_rate * 1000;
	d->last_seen = now;
	ep->st.clients = ep->ndpeers;
	ep->st.clients_total++;
	ep_note(ep, TR_CONNECT, d->label, d->label_len, "%s", _("new peer"));
	return ep->ndpeers - 1;
}

/* Token bucket per peer: up to dgram_rate answered datagrams per second,
 * bursts of as many. Two echo servers fed one forged datagram would answer
 * each other forever; the bucket empties within milliseconds and the
 * dropped answer ends the game. */
static bool dg_allow(struct endpoint *ep, struct dg_peer *d, int64_t now)
{
	int64_t cap = (int64_t)ep->cfg.dgram_rate * 1000;

	if (now > d->refill_at) {
		d->tokens += (now - d->refill_at) * (int64_t)ep->cfg.dgram_rate;
		if (d->tokens > cap)
			d->tokens = cap;
		d->refill_at = now;
	}
	if (d->tokens >= 1000) {
		d->tokens -= 1000;
		if (d->muted) {
			d->muted = false;
			ep_note(ep, TR_INFO, d->label, d->label_len, "%s", _("answering again"));
		}
		return true;
	}
	ep->st.dropped++;
	if (!d->muted) {
		d->muted = true;
		ep_note(ep, TR_INFO, d->label, d->label_len,
			_("sends more than %u datagrams per second: not answering for now"),
			ep->cfg.dgram_rate);
	}
	return false;
}

/* Whether a peer may be answered at all (issue 18 item 1: the confused
 * deputy). A reply to a Unix *path* is a fresh lookup of that path by the
 * kernel, with sockview's rights (often root's) and following symlinks.
 * A local user can bind a path, swap it for a symlink to a socket only we
 * can reach (a root-only log socket in a 0700 directory) and send: the
 * reply - the user's bytes, with our uid 0 credentials - would land there.
 * Looking at the path first (lstat, O_PATH) would race with the swap, would
 * miss a symlinked directory higher up, and would touch the file system
 * from the UI loop (a dead NFS mount blocks it, issue 18 item 4). So a
 * path is answered only when the sender's credentials (SO_PASSCRED: the
 * kernel's word, not the sender's) say it runs as our own uid, and so
 * could reach whatever the path leads to anyway. Anyone else gets no
 * answer at a path, and is told so once in the transcript; they can bind
 * an abstract name, or autobind as sockview's client does. Abstract names
 * have no file, no permissions and no symlinks, and belong to the socket
 * that sent: they are answered, as UDP peers are. */
static bool dg_may_answer(const struct epaddr *from, const struct ucred *cred)
{
	if (!epaddr_path(from))
		return true;
	return cred && cred->uid == geteuid();
}

/* The server-wide byte budget for answers: EP_DGRAM_OUT_BYTES_PER_SEC,
 * bursts of as many, however many peers there are (issue 18 item 2). Takes
 * n bytes from it, or says no (with a note when it starts saying no). */
static bool dg_budget(struct endpoint *ep, size_t n, int64_t now)
{
	const int64_t rate = EP_DGRAM_OUT_BYTES_PER_SEC, cap = rate * 1000;
	const int64_t need = (int64_t)n * 1000;

	if (!ep->out_refill_at) {
		ep->out_tokens = cap;
		ep->out_refill_at = now;
	} else if (now > ep->out_refill_at) {
		int64_t dt = now - ep->out_refill_at;

		ep->out_tokens = dt >= 1000 ? cap : ep->out_tokens + dt * rate;
		if (ep->out_tokens > cap)
			ep->out_tokens = cap;
		ep->out_refill_at = now;
	}
	if (ep->out_tokens >= need) {
		ep->out_tokens -= need;
		if (ep->out_muted) {
			ep->out_muted = false;
			ep_note(ep, TR_INFO, NULL, 0, "%s", _("answering again"));
		}
		return true;
	}
	ep->st.dropped++;
	if (!ep->out_muted) {
		ep->out_muted = true;
		ep_note(ep, TR_INFO, NULL, 0,
			_("more than %u KiB per second of answers: not answering for now"),
			(unsigned)(EP_DGRAM_OUT_BYTES_PER_SEC / 1024));
	}
	return false;
}

/* Sends one datagram to d (NULL: to the connected peer). quiet: do not
 * record it (a chat relay records one summary). Returns 0 or -1 with errno;
 * failures are noted. */
static int dg_send(struct endpoint *ep, struct dg_peer *d, const void *data, size_t n,
		   bool quiet)
{
	const char *label = d ? d->label : ep->rlabel;
	size_t llen = d ? d->label_len : ep->rlabel_len;
	ssize_t r;
	int e;

	do {
		if (d)
			r = sendto(ep->fd, data, n, MSG_NOSIGNAL | MSG_DONTWAIT,
				   (const struct sockaddr *)&d->addr.sa, d->addr.len);
		else
			r = send(ep->fd, data, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	} while (r < 0 && errno == EINTR);
	if (r >= 0) {
		ep->st.bytes_out += (uint64_t)r;
		ep->st.msgs_out++;
		if (!quiet)
			ep_record(ep, TR_SEND, label, llen, data, n);
		return 0;
	}
	e = errno;
	switch (e) {
	case EAGAIN:
#if EWOULDBLOCK != EAGAIN
	case EWOULDBLOCK:
#endif
	case ENOBUFS:
		ep->st.dropped++;
		ep_note(ep, TR_ERROR, label, llen, "%s",
			_("not sent: the receiver does not read (datagram dropped)"));
		e = ENOBUFS;
		break;
	case EMSGSIZE:
		ep->st.dropped++;
		ep_note(ep, TR_ERROR, label, llen,
			_("not sent: a datagram of %zu bytes is too large"), n);
		break;
	case ECONNREFUSED:
	case ENOENT:
	case ENOTCONN:
		if (d) {
			d->gone = true;
			ep_note(ep, TR_DISCONNECT, label, llen, "%s", _("gone (its socket is closed)"));
		} else {
			char msg[512];

			ep_errtext(ECONNREFUSED, &ep->remote, msg, sizeof(msg));
			ep_record(ep, TR_ERROR, label, llen, msg, strlen(msg));
		}
		break;
	default:
		ep_note(ep, TR_ERROR, label, llen, _("not sent: %s"), strerror(e));
		break;
	}
	errno = e;
	return -1;
}

/* A chat relay over datagrams: to every known peer but the sender (index
 * from, or SIZE_MAX for the user). */
static void dg_relay(struct endpoint *ep, size_t from, const void *data, size_t n)
{
	size_t i, count = 0;
	char label[64];

	int64_t now = clock_now_ms();

	for (i = 0; i < ep->ndpeers; i++) {
		if (i == from || ep->dpeers[i].gone || ep->dpeers[i].no_reply)
			continue;
		/* what peers send is bounded server-wide; what the user
		 * types is not an attack */
		if (from != SIZE_MAX && !dg_budget(ep, n, now))
			break;
		if (dg_send(ep, &ep->dpeers[i], data, n, true) == 0)
			count++;
	}
	if (count) {
		snprintf(label, sizeof(label), P_("to %zu peer", "to %zu peers", count), count);
		ep_record(ep, TR_SEND, label, strlen(label), data, n);
	} else if (from == SIZE_MAX) {
		ep_note(ep, TR_INFO, NULL, 0, "%s",
			_("no peer has sent anything yet: nobody to send to"));
	}
	dg_reap(ep);
}

/* Acts on one datagram a server received from `from`. */
static void server_datagram(struct endpoint *ep, const struct epaddr *from, size_t got,
			    size_t full, const struct ucred *cred)
{
	static const char unnamed[] = "(unnamed)";
	int64_t now = clock_now_ms();
	struct dg_peer *d = NULL;
	size_t idx = SIZE_MAX;
	bool joining = false;

	if (from->family && !epaddr_is_unnamed(from)) {
		size_t before = ep->st.clients_total;

		idx = dg_lookup(ep, from, now);
		d = &ep->dpeers[idx];
		d->last_seen = now;
		joining = ep->st.clients_total != before;
		if (joining && !dg_may_answer(from, cred))
			d->no_reply = true;
	}
	ep->st.bytes_in += got;
	ep->st.msgs_in++;
	if (ep->cfg.kind == EP_SINK)
		/* a sink only counts: the bytes are swallowed, not shown */
		ep_note(ep, TR_INFO, d ? d->label : unnamed, d ? d->label_len : strlen(unnamed),
			_("swallowed a datagram of %zu bytes (%llu bytes in all)"), got,
			(unsigned long long)ep->st.bytes_in);
	else
		ep_record(ep, TR_RECV, d ? d->label : unnamed, d ? d->label_len : strlen(unnamed),
			  ep->rbuf, got);
	if (full > got) {
		ep->st.truncated++;
		ep_note(ep, TR_INFO, d ? d->label : unnamed, d ? d->label_len : strlen(unnamed),
			_("a datagram of %zu bytes was truncated to %zu"), full, got);
	}
	if (ep->cfg.kind == EP_SINK)
		return;
	if (!d) {
		ep_note(ep, TR_INFO, unnamed, strlen(unnamed), "%s",
			_("the sender's socket has no address: cannot answer"));
		return;
	}
	if (d->no_reply) {
		if (joining)
			ep_note(ep, TR_INFO, d->label, d->label_len, "%s",
				_("not answered: a socket file of another user (a reply to a path "
				  "could be redirected; bind an abstract name instead)"));
		return;
	}
	if (!dg_allow(ep, d, now))
		return;
	switch (ep->cfg.kind) {
	case EP_ECHO:
		/* An empty datagram is never echoed: two echo servers could
		 * bounce it forever at no cost to either. */
		if (got == 0)
			ep_note(ep, TR_INFO, d->label, d->label_len, "%s",
				_("empty datagram: not echoed"));
		else if (dg_budget(ep, got, now))
			dg_send(ep, d, ep->rbuf, got, false);
		break;
	case EP_GREETING:
		if (dg_budget(ep, ep->cfg.greeting_len, now))
			dg_send(ep, d, ep->greeting, ep->cfg.greeting_len, false);
		break;
	case EP_CHAT:
		if (joining) {
			/* Enrolment is deliberate: the first datagram joins
			 * and is acknowledged to the sender alone, never
			 * relayed, so a forged source address costs one
			 * short answer, not a fan-out. */
			static const char ack[] = "joined\n";

			ep_note(ep, TR_INFO, d->label, d->label_len, "%s",
				_("joined the chat (its first datagram is not relayed)"));
			if (dg_budget(ep, sizeof(ack) - 1, now))
				dg_send(ep, d, ack, sizeof(ack) - 1, true);
			break;
		}
		dg_relay(ep, idx, ep->rbuf, got);
		return;
	default:
		break;
	}
	dg_reap(ep);
}

/* The socket is readable: reads a bounded batch of datagrams. The
 * endpoint has no other fd. */
static void dgram_handle(struct endpoint *ep, int fd, short revents)
{
	int i;

	(void)revents;
	if (fd != ep->fd)
		return;
	for (i = 0; i < EP_DGRAM_BATCH && ep->fd >= 0; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		struct epaddr from;
		ssize_t n;
		size_t got;
		/* the sender's credentials, for dg_may_answer */
		union {
			char buf[CMSG_SPACE(sizeof(struct ucred))];
			struct cmsghdr align;
		} cbuf;
		struct ucred cred;
		bool have_cred = false;

		memset(&ss, 0, sizeof(ss));
		if (ep->cfg.kind == EP_CLIENT) {
			n = recv(ep->fd, ep->rbuf, EP_RBUF_SIZE, MSG_TRUNC | MSG_DONTWAIT);
		} else {
			struct iovec iov = { ep->rbuf, EP_RBUF_SIZE };
			struct msghdr mh = {
				.msg_name = &ss, .msg_namelen = sl,
				.msg_iov = &iov, .msg_iovlen = 1,
				.msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
			};

			n = recvmsg(ep->fd, &mh, MSG_TRUNC | MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
			sl = mh.msg_namelen;
			for (struct cmsghdr *c = n >= 0 ? CMSG_FIRSTHDR(&mh) : NULL; c;
			     c = CMSG_NXTHDR(&mh, c)) {
				if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
				    c->cmsg_len >= CMSG_LEN(sizeof(cred))) {
					memcpy(&cred, CMSG_DATA(c), sizeof(cred));
					have_cred = true;
				}
			}
		}
		if (n < 0) {
			char msg[512];

			switch (errno) {
			case EAGAIN:
#if EWOULDBLOCK != EAGAIN
			case EWOULDBLOCK:
#endif
				return;
			case EINTR:
				continue;
			case ECONNREFUSED:
				/* An ICMP "port unreachable" for an earlier
				 * datagram; reading it cleared it. */
				ep_errtext(ECONNREFUSED, &ep->remote, msg, sizeof(msg));
				ep_record(ep, TR_ERROR, ep->rlabel, ep->rlabel_len, msg, strlen(msg));
				continue;
			default:
				ep_note(ep, TR_ERROR, NULL, 0, _("receive failed: %s"),
					strerror(errno));
				return;
			}
		}
		got = (size_t)n > EP_RBUF_SIZE ? EP_RBUF_SIZE : (size_t)n;
		if (ep->cfg.kind != EP_CLIENT) {
			if (sl < sizeof(sa_family_t) ||
			    epaddr_from_sockaddr(&from, (struct sockaddr *)&ss, sl) < 0)
				memset(&from, 0, sizeof(from));
			server_datagram(ep, &from, got, (size_t)n, have_cred ? &cred : NULL);
			continue;
		}
		ep->st.bytes_in += got;
		ep->st.msgs_in++;
		ep_record(ep, TR_RECV, ep->rlabel, ep->rlabel_len, ep->rbuf, got);
		if ((size_t)n > got) {
			ep->st.truncated++;
			ep_note(ep, TR_INFO, ep->rlabel, ep->rlabel_len,
				_("a datagram of %zu bytes was truncated to %zu"), (size_t)n, got);
		}
	}
}

/* Makes the client's connected socket (Unix: autobound first). */
static int dgram_client_start(struct endpoint *ep)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct buf b = BUF_INIT;
	int fd, e;

	ep->rlabel = ep_label_addr(&ep->remote, &ep->rlabel_len);
	if (ep_new_socket(ep, &fd) < 0)
		return -1;
	if (ep->family == AF_UNIX) {
		/* Without a name of its own the server could not answer:
		 * autobind to a kernel-chosen abstract name (no file). */
		sa_family_t fam = AF_UNIX;

		if (bind(fd, (const struct sockaddr *)&fam, sizeof(fam)) < 0) {
			e = errno;
			close(fd);
			errno = e;
			return -1;
		}
	}
	/* Connected: only the server's answers arrive, and errors such as
	 * "port unreachable" are reported to us. */
	if (connect(fd, (const struct sockaddr *)&ep->remote.sa, ep->remote.len) < 0) {
		e = errno;
		close(fd);
		ep_fail(ep, e);
		return 0;
	}
	if (ep_fd_add(ep, fd, POLLIN) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	ep->fd = fd;
	ep->events = POLLIN;
	ep->inode = ep_fd_inode(fd);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		epaddr_from_sockaddr(&ep->local, (struct sockaddr *)&ss, sl);
	epaddr_format(&ep->local, &b);
	ep_note(ep, TR_CONNECT, ep->rlabel, ep->rlabel_len, _("ready to send from %s"), b.data);
	buf_free(&b);
	return 0;
}

/* Sends the user's bytes as one datagram: to the server, or to every
 * chat peer. */
static int dgram_send(struct endpoint *ep, const void *data, size_t len)
{
	if (ep->fd < 0) {
		errno = ENOTCONN;
		return -1;
	}
	if (ep->cfg.kind == EP_CHAT) {
		dg_relay(ep, SIZE_MAX, data, len);
		return 0;
	}
	return dg_send(ep, NULL, data, len, false);
}

/* Datagrams have no timers and nothing to reap between calls. */
const struct ep_transport_ops ep_dgram_ops = {
	.name = "datagram",
	.socktype = SOCK_DGRAM,
	.client_start = dgram_client_start,
	.handle = dgram_handle,
	.send = dgram_send,
	.close_all = dgram_forget_all,
};
