/* ep_stream.c - TCP and Unix stream endpoints: the listener, accepted
 * clients with their bounded output queues, and the stream client. Only
 * ep_stream_ops leaves this file (see ep_priv.h). */
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

static struct ep_peer *peer_new(struct endpoint *ep, int fd, char *label, size_t label_len)
{
	struct ep_peer *p = xcalloc(1, sizeof(*p));

	p->fd = fd;
	p->inode = ep_fd_inode(fd);
	p->id = ep->next_id++;
	p->label = label;
	p->label_len = label_len;
	buf_init(&p->out, ep->cfg.queue_limit);
	xgrow((void **)&ep->peers, &ep->peers_cap, ep->npeers + 1, sizeof(*ep->peers));
	ep->peers[ep->npeers++] = p;
	xgrow((void **)&ep->by_fd, &ep->by_fd_cap, (size_t)fd + 1, sizeof(*ep->by_fd));
	ep->by_fd[fd] = p;
	if (ep->cfg.kind != EP_CLIENT) {
		ep->st.clients++;
		ep->st.clients_total++;
	}
	return p;
}

/* Frees a peer that is no longer in ep->peers' live part. */
static void peer_destroy(struct endpoint *ep, struct ep_peer *p)
{
	if (p->fd >= 0) {
		if (p->registered)
			ep_fd_del(ep, p->fd);
		if ((size_t)p->fd < ep->by_fd_cap && ep->by_fd[p->fd] == p)
			ep->by_fd[p->fd] = NULL;
		close(p->fd);
	}
	if (ep->cfg.kind != EP_CLIENT && ep->st.clients)
		ep->st.clients--;
	ep->st.queued -= p->out.len;
	if (p->paused)
		ep->st.paused--;
	buf_free(&p->out);
	free(p->label);
	free(p);
	ep->dirty = true;
}

static void peer_kill(struct endpoint *ep, struct ep_peer *p, enum tr_kind kind,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Marks a peer for closing (at the next reap, so that loops over the peers
 * stay valid) and notes why; fmt NULL notes nothing. */
static void peer_kill(struct endpoint *ep, struct ep_peer *p, enum tr_kind kind,
		      const char *fmt, ...)
{
	va_list ap;

	if (p->dead)
		return;
	p->dead = true;
	ep->ndead++;
	if (fmt) {
		va_start(ap, fmt);
		transcript_vaddf(ep->tr, kind, p->label, p->label_len, fmt, ap);
		va_end(ap);
	}
	ep->dirty = true;
}

/* Frees the peers marked dead. */
static void stream_reap(struct endpoint *ep)
{
	size_t i, j = 0;

	if (!ep->ndead)
		return;
	for (i = 0; i < ep->npeers; i++) {
		struct ep_peer *p = ep->peers[i];

		if (p->dead)
			peer_destroy(ep, p);
		else
			ep->peers[j++] = p;
	}
	ep->npeers = j;
	ep->ndead = 0;
}

/* Closes and frees every peer. */
static void stream_close_all(struct endpoint *ep)
{
	size_t i;

	for (i = 0; i < ep->npeers; i++)
		peer_destroy(ep, ep->peers[i]);
	ep->npeers = 0;
	ep->ndead = 0;
}

/* The peer on fd, NULL if none. */
static struct ep_peer *peer_by_fd(struct endpoint *ep, int fd)
{
	if (fd < 0 || (size_t)fd >= ep->by_fd_cap)
		return NULL;
	return ep->by_fd[fd];
}

/* The reason a connection ended, for the transcript. */
static const char *gone_reason(int e)
{
	switch (e) {
	case ECONNRESET:
		return _("connection reset by peer");
	case EPIPE:
		return _("the peer has gone (broken pipe)");
	case ETIMEDOUT:
		return _("connection timed out");
	default:
		return strerror(e);
	}
}

/* The connection failed with errno e: an ordinary close. */
static void peer_gone(struct endpoint *ep, struct ep_peer *p, int e)
{
	peer_kill(ep, p, TR_DISCONNECT, "%s", gone_reason(e));
	if (ep->cfg.kind == EP_CLIENT) {
		ep->err = e;
		ep->state = EP_STATE_CLOSED;
	}
}

/* Appends to a peer's queue (the caller checked the room). */
static void queue_add(struct endpoint *ep, struct ep_peer *p, const void *data, size_t n)
{
	if (buf_append(&p->out, data, n) < 0)
		return;
	ep->st.queued += n;
	if (p->out.len > ep->st.queue_peak)
		ep->st.queue_peak = p->out.len;
}

/* Sends what the peer's queue holds until the socket takes no more.
 * Returns -1 if the peer died. */
static int peer_flush(struct endpoint *ep, struct ep_peer *p)
{
	ssize_t n;

	while (p->out.len > 0 && !p->dead) {
		n = send(p->fd, p->out.data, p->out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			peer_gone(ep, p, errno);
			return -1;
		}
		if (!p->quiet)
			ep_record(ep, TR_SEND, p->label, p->label_len, p->out.data, (size_t)n);
		ep->st.bytes_out += (uint64_t)n;
		ep->st.msgs_out++;
		ep->st.queued -= (size_t)n;
		buf_consume(&p->out, (size_t)n);
		ep->dirty = true;
	}
	/* A drained queue gives back what a burst made it grow to. */
	if (p->out.len == 0 && p->out.cap > EP_QUEUE_KEEP)
		buf_free(&p->out);
	return p->dead ? -1 : 0;
}

/* After any I/O on a peer: finish half-closes, apply back-pressure, and
 * tell the loop what to wait for. */
static void peer_settle(struct endpoint *ep, struct ep_peer *p)
{
	size_t limit = ep->cfg.queue_limit;
	short ev = 0;

	if (p->dead)
		return;
	if (ep->cfg.kind == EP_ECHO && p->eof && p->out.len == 0) {
		peer_kill(ep, p, TR_DISCONNECT, "%s", _("closed the connection"));
		return;
	}
	if (ep->cfg.kind == EP_GREETING && !p->shut_wr && p->out.len == 0) {
		/* Shut our side and wait for the client's close: closing
		 * now with its bytes unread would reset the connection and
		 * could destroy the greeting in flight. */
		shutdown(p->fd, SHUT_WR);
		p->shut_wr = true;
		p->deadline = clock_now_ms() + EP_GREETING_LINGER_MS;
		ep_note(ep, TR_INFO, p->label, p->label_len, "%s",
			_("greeting sent; closing"));
	}
	if (ep->cfg.kind == EP_ECHO && !p->paused && !p->eof && buf_room(&p->out) == 0) {
		p->paused = true;
		ep->st.paused++;
		ep_note(ep, TR_INFO, p->label, p->label_len,
			_("not reading from this client: it does not read its echo (%zu bytes queued)"),
			p->out.len);
	} else if (p->paused && buf_room(&p->out) >= limit / 2) {
		p->paused = false;
		ep->st.paused--;
		ep_note(ep, TR_INFO, p->label, p->label_len, "%s",
			_("reading from this client again"));
	}
	if (p->connecting) {
		ev = POLLOUT;
	} else {
		if (!p->paused && !p->eof)
			ev |= POLLIN;
		if (p->out.len)
			ev |= POLLOUT;
	}
	ep_fd_mod(ep, p->fd, &p->events, ev);
}

/* Relays data from a client (or from the user when from is NULL) to every
 * other chat client. A client whose queue cannot take it is disconnected:
 * see the back-pressure notes in endpoint.h. */
static void chat_relay(struct endpoint *ep, struct ep_peer *from, const void *data, size_t n)
{
	size_t i, count = 0;
	char label[64];

	for (i = 0; i < ep->npeers; i++) {
		struct ep_peer *p = ep->peers[i];

		if (p == from || p->dead)
			continue;
		if (buf_room(&p->out) < n) {
			ep->st.dropped++;
			peer_kill(ep, p, TR_DISCONNECT,
				  _("disconnected: it does not read (its queue of %zu bytes is full)"),
				  p->out.len);
			continue;
		}
		queue_add(ep, p, data, n);
		if (peer_flush(ep, p) == 0)
			peer_settle(ep, p);
		count++;
	}
	if (count) {
		snprintf(label, sizeof(label), P_("to %zu client", "to %zu clients", count), count);
		ep_record(ep, TR_SEND, label, strlen(label), data, n);
	} else if (!from) {
		ep_note(ep, TR_INFO, NULL, 0, "%s", _("no client is connected: nothing sent"));
	}
}

/* True if a chat message is the line "bye" (any case, any line ending). */
static bool is_bye(const unsigned char *d, size_t n)
{
	while (n && (d[n - 1] == '\n' || d[n - 1] == '\r'))
		n--;
	return n == 3 && (d[0] | 0x20) == 'b' && (d[1] | 0x20) == 'y' && (d[2] | 0x20) == 'e';
}

/* A chat client said "bye": the server says goodbye and ends its session,
 * as the tutorial's chat does. */
static void chat_bye(struct endpoint *ep, struct ep_peer *p)
{
	static const char bye[] = "goodbye\n";

	if (buf_room(&p->out) >= sizeof(bye) - 1)
		queue_add(ep, p, bye, sizeof(bye) - 1);
	peer_flush(ep, p);
	if (!p->dead)
		peer_kill(ep, p, TR_DISCONNECT, "%s", _("said bye: the server said goodbye and "
							 "closed its session"));
}

/* Half-close of a client: shutdown(SHUT_WR) once its queue is empty. */
static int stream_shutdown_write(struct endpoint *ep)
{
	struct ep_peer *p = ep->npeers ? ep->peers[0] : NULL;

	if (!p || p->dead || p->connecting) {
		errno = ENOTCONN;
		return -1;
	}
	if (p->shut_wr) {
		errno = EALREADY;
		return -1;
	}
	if (p->out.len) {
		errno = EAGAIN;
		return -1;
	}
	if (shutdown(p->fd, SHUT_WR) < 0)
		return -1;
	p->shut_wr = true;
	ep_note(ep, TR_INFO, p->label, p->label_len, "%s",
		_("shut the sending side (shutdown SHUT_WR): the server reads the end of file; "
		  "what it still sends arrives here"));
	return 0;
}

/* The peer shut its sending side. Returns -1 if the peer is closing. */
static int peer_eof(struct endpoint *ep, struct ep_peer *p)
{
	p->eof = true;
	if (ep->cfg.kind == EP_ECHO && p->out.len) {
		ep_note(ep, TR_INFO, p->label, p->label_len,
			_("the client finished sending; echoing the last %zu bytes"), p->out.len);
		return 0;
	}
	if (ep->cfg.kind == EP_CLIENT && ep->cfg.keep_open) {
		/* as a program that never calls close(): CLOSE-WAIT */
		ep_note(ep, TR_DISCONNECT, p->label, p->label_len, "%s",
			_("the server closed its side (read() returned 0); this side stays open "
			  "(CLOSE-WAIT) and can still send: F8 closes it"));
		return 0;
	}
	if (ep->cfg.kind == EP_CLIENT) {
		peer_kill(ep, p, TR_DISCONNECT, "%s", _("the server closed the connection"));
		ep->state = EP_STATE_CLOSED;
	} else {
		/* a greeting server closed its side first: the client only
		 * answers; saying "it closed the connection" would blame it */
		peer_kill(ep, p, TR_DISCONNECT, "%s",
			  p->shut_wr ? _("closed its side after the server closed: the connection "
					 "is closed")
				     : _("closed the connection"));
	}
	return -1;
}

/* Reads once from a peer and acts on it. Returns -1 if the peer died. */
static int peer_read(struct endpoint *ep, struct ep_peer *p)
{
	size_t want = EP_RBUF_SIZE;
	ssize_t n;

	if (ep->cfg.kind == EP_ECHO && buf_room(&p->out) < want)
		want = buf_room(&p->out);
	/* A relayed chunk must fit an empty queue, or every receiver would
	 * be dropped for it. */
	if (ep->cfg.kind == EP_CHAT && ep->cfg.queue_limit < want)
		want = ep->cfg.queue_limit;
	if (want == 0)
		return 0;
	n = recv(p->fd, ep->rbuf, want, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		peer_gone(ep, p, errno);
		return -1;
	}
	if (n == 0)
		return peer_eof(ep, p);
	ep->st.bytes_in += (uint64_t)n;
	ep->st.msgs_in++;
	if (ep->cfg.kind == EP_SINK) {
		/* a sink only counts: the bytes are swallowed, not shown */
		ep_note(ep, TR_INFO, p->label, p->label_len, _("swallowed %zd bytes (%llu bytes in all)"), n,
			(unsigned long long)ep->st.bytes_in);
		return 0;
	}
	ep_record(ep, TR_RECV, p->label, p->label_len, ep->rbuf, (size_t)n);
	switch (ep->cfg.kind) {
	case EP_ECHO:
		queue_add(ep, p, ep->rbuf, (size_t)n);
		return peer_flush(ep, p);
	case EP_CHAT:
		chat_relay(ep, p, ep->rbuf, (size_t)n);
		if (!p->dead && is_bye(ep->rbuf, (size_t)n))
			chat_bye(ep, p);
		break;
	default:
		break;
	}
	return p->dead ? -1 : 0;
}

/* A client's connection is up. */
static void client_connected(struct endpoint *ep, struct ep_peer *p)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct buf b = BUF_INIT;

	p->connecting = false;
	ep->state = EP_STATE_READY;
	ep->connect_deadline = 0;
	if (getsockname(p->fd, (struct sockaddr *)&ss, &sl) == 0)
		epaddr_from_sockaddr(&ep->local, (struct sockaddr *)&ss, sl);
	/* The local name (an IP and port; for Unix, usually unnamed). */
	epaddr_format(&ep->local, &b);
	ep_note(ep, TR_CONNECT, p->label, p->label_len, _("connected from %s"), b.data);
	buf_free(&b);
	if (peer_flush(ep, p) == 0)
		peer_settle(ep, p);
}

/* The outcome of a non-blocking connect. */
static void client_connect_done(struct endpoint *ep, struct ep_peer *p, short revents)
{
	socklen_t sl = sizeof(int);
	int soerr = 0;

	if (!(revents & (POLLOUT | POLLERR | POLLHUP)))
		return;
	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr == 0 && !(revents & POLLOUT))
		soerr = ECONNREFUSED; /* hung up without a reason */
	if (soerr == EINPROGRESS || soerr == EALREADY)
		return;
	if (soerr) {
		peer_kill(ep, p, TR_ERROR, NULL);
		ep->connect_deadline = 0;
		ep_fail(ep, soerr);
		return;
	}
	client_connected(ep, p);
}

/* poll() results for a peer's fd. */
static void peer_handle(struct endpoint *ep, struct ep_peer *p, short revents)
{
	if (p->dead)
		return;
	if (revents & POLLNVAL) {
		peer_kill(ep, p, TR_ERROR, "%s", _("the socket was closed unexpectedly"));
		/* Not ours any more: forget it without closing it. */
		if (p->registered)
			ep_fd_del(ep, p->fd);
		ep->by_fd[p->fd] = NULL;
		p->fd = -1;
		if (ep->cfg.kind == EP_CLIENT)
			ep->state = EP_STATE_CLOSED;
		return;
	}
	if (p->connecting) {
		client_connect_done(ep, p, revents);
		return;
	}
	/* POLLHUP/POLLERR are hints: the read or send below finds out what
	 * happened (and a stale report for a reused fd number then does no
	 * harm). Each real one ends in a read of 0 or an error, so no spin. */
	if ((revents & (POLLIN | POLLHUP | POLLERR)) && !p->paused && !p->eof) {
		if (peer_read(ep, p) < 0)
			return;
	}
	if (p->out.len && (revents & (POLLOUT | POLLHUP | POLLERR))) {
		if (peer_flush(ep, p) < 0)
			return;
	}
	peer_settle(ep, p);
}

/* A label for an accepted peer: its address, or for an unnamed Unix peer
 * its number and the process that connected (SO_PEERCRED). */
static char *accept_label(struct endpoint *ep, int fd, const struct sockaddr_storage *ss,
			  socklen_t sl, size_t *len)
{
	struct epaddr a;
	struct buf b = BUF_INIT;

	if (epaddr_from_sockaddr(&a, (const struct sockaddr *)ss, sl) == 0 &&
	    !epaddr_is_unnamed(&a)) {
		epaddr_format(&a, &b);
	} else {
		struct ucred cred;
		socklen_t cl = sizeof(cred);

		buf_printf(&b, "#%u", ep->next_id);
		if (ep->family == AF_UNIX &&
		    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) == 0 && cred.pid > 0)
			buf_printf(&b, " pid %ld", (long)cred.pid);
	}
	*len = b.len;
	return buf_steal(&b);
}

/* The listener is readable: accepts a bounded batch of connections. */
static void listener_handle(struct endpoint *ep, short revents)
{
	int i;

	(void)revents;
	if (ep->accept_resume)
		return; /* backing off: a stale report */
	stream_reap(ep);
	for (i = 0; i < EP_ACCEPT_BATCH; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		struct ep_peer *p;
		size_t llen;
		char *label;
		int fd;

		fd = accept4(ep->fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			switch (errno) {
			case EAGAIN:
#if EWOULDBLOCK != EAGAIN
			case EWOULDBLOCK:
#endif
				return;
			case EINTR:
			case ECONNABORTED:
			case EPROTO:
			case ENETDOWN:
			case ENOPROTOOPT:
			case EHOSTDOWN:
			case ENONET:
			case EHOSTUNREACH:
			case EOPNOTSUPP:
			case ENETUNREACH:
			case ETIMEDOUT:
			case EPERM:
				/* That connection died in the queue: next. */
				continue;
			default:
				/* EMFILE, ENFILE, ENOBUFS, ENOMEM...: the
				 * listener stays readable, so stop polling it
				 * for a while instead of spinning. */
				ep_note(ep, TR_ERROR, NULL, 0,
					_("cannot accept connections: %s; trying again in %d s"),
					strerror(errno), EP_ACCEPT_BACKOFF_MS / 1000);
				ep->accept_resume = clock_now_ms() + EP_ACCEPT_BACKOFF_MS;
				ep_fd_mod(ep, ep->fd, &ep->events, 0);
				return;
			}
		}
		label = accept_label(ep, fd, &ss, sl, &llen);
		if (ep->st.clients >= ep->max_clients) {
			ep->st.refused++;
			ep_note(ep, TR_INFO, label, llen,
				_("refused: the limit of %zu clients is reached"), ep->max_clients);
			close(fd);
			free(label);
			continue;
		}
		p = peer_new(ep, fd, label, llen);
		p->quiet = ep->cfg.kind == EP_CHAT;
		p->events = POLLIN;
		if (ep_fd_add(ep, fd, POLLIN) < 0) {
			peer_kill(ep, p, TR_ERROR, _("cannot watch the connection: %s"),
				  strerror(errno));
			p->events = 0;
			continue;
		}
		p->registered = true;
		ep_note(ep, TR_CONNECT, p->label, p->label_len,
			P_("connected (%zu client)", "connected (%zu clients)", ep->st.clients),
			ep->st.clients);
		if (ep->cfg.kind == EP_GREETING) {
			queue_add(ep, p, ep->greeting, ep->cfg.greeting_len);
			if (peer_flush(ep, p) < 0)
				continue;
		}
		peer_settle(ep, p);
	}
}

/* Starts the client's non-blocking connect. */
static int stream_client_start(struct endpoint *ep)
{
	struct ep_peer *p;
	size_t llen;
	char *label;
	int fd, r, e;

	if (ep_new_socket(ep, &fd) < 0)
		return -1;
	r = connect(fd, (const struct sockaddr *)&ep->remote.sa, ep->remote.len);
	e = errno;
	if (r < 0 && e != EINPROGRESS) {
		close(fd);
		ep_fail(ep, e);
		return 0;
	}
	label = ep_label_addr(&ep->remote, &llen);
	p = peer_new(ep, fd, label, llen);
	p->connecting = r < 0;
	p->events = p->connecting ? POLLOUT : POLLIN;
	if (ep_fd_add(ep, fd, p->events) < 0) {
		e = errno;
		p->events = 0;
		peer_kill(ep, p, TR_ERROR, NULL);
		stream_reap(ep);
		errno = e;
		return -1;
	}
	p->registered = true;
	if (p->connecting) {
		ep->state = EP_STATE_CONNECTING;
		ep->connect_deadline = clock_now_ms() + ep->cfg.connect_timeout_ms;
		ep_note(ep, TR_INFO, p->label, p->label_len, "%s", _("connecting"));
	} else {
		client_connected(ep, p);
	}
	return 0;
}

/* Queues the user's bytes: to the server, or to every chat client. */
static int stream_send(struct endpoint *ep, const void *data, size_t len)
{
	struct ep_peer *p;

	if (ep->cfg.kind == EP_CHAT) {
		if (len > ep->cfg.queue_limit) {
			ep_note(ep, TR_ERROR, NULL, 0,
				_("not sent: %zu bytes exceed the output queue of %zu bytes"), len,
				ep->cfg.queue_limit);
			errno = ENOBUFS;
			return -1;
		}
		if (len)
			chat_relay(ep, NULL, data, len);
		return 0;
	}
	p = ep->npeers ? ep->peers[0] : NULL;
	if (!p || p->dead) {
		errno = ENOTCONN;
		return -1;
	}
	if (p->shut_wr) {
		ep_note(ep, TR_ERROR, NULL, 0, "%s",
			_("not sent: this side's sending side is shut (half-closed)"));
		errno = EPIPE;
		return -1;
	}
	if (buf_room(&p->out) < len) {
		ep_note(ep, TR_ERROR, NULL, 0,
			_("not sent: the output queue is full (%zu bytes wait for the server)"),
			p->out.len);
		errno = ENOBUFS;
		return -1;
	}
	queue_add(ep, p, data, len);
	if (!p->connecting) {
		if (peer_flush(ep, p) < 0) {
			errno = ep->err ? ep->err : ENOTCONN;
			return -1;
		}
		peer_settle(ep, p);
	}
	return 0;
}

/* Accept back-off, connect timeout, greeting close delay. */
static void stream_tick(struct endpoint *ep, int64_t now)
{
	size_t i;

	if (ep->accept_resume && now >= ep->accept_resume && ep->fd >= 0) {
		ep->accept_resume = 0;
		ep_fd_mod(ep, ep->fd, &ep->events, POLLIN);
		ep->dirty = true;
	}
	if (ep->connect_deadline && now >= ep->connect_deadline) {
		ep->connect_deadline = 0;
		if (ep->state == EP_STATE_CONNECTING && ep->npeers) {
			peer_kill(ep, ep->peers[0], TR_ERROR, NULL);
			ep_fail(ep, ETIMEDOUT);
		}
	}
	for (i = 0; i < ep->npeers; i++) {
		struct ep_peer *p = ep->peers[i];

		if (!p->dead && p->deadline && now >= p->deadline)
			peer_kill(ep, p, TR_DISCONNECT, "%s",
				  _("closed: the client did not close in time"));
	}
}

/* The earliest of the timers stream_tick() runs, 0: none. */
static int64_t stream_next_deadline(const struct endpoint *ep)
{
	int64_t next = 0;
	size_t i;

#define EARLIER(t) do { if ((t) && (!next || (t) < next)) next = (t); } while (0)
	EARLIER(ep->accept_resume);
	EARLIER(ep->connect_deadline);
	for (i = 0; i < ep->npeers; i++)
		if (!ep->peers[i]->dead)
			EARLIER(ep->peers[i]->deadline);
#undef EARLIER
	return next;
}

/* fd is the listener or a peer's. */
static void stream_handle(struct endpoint *ep, int fd, short revents)
{
	struct ep_peer *p;

	if (fd == ep->fd)
		listener_handle(ep, revents);
	else if ((p = peer_by_fd(ep, fd)))
		peer_handle(ep, p, revents);
}

const struct ep_transport_ops ep_stream_ops = {
	.name = "stream",
	.socktype = SOCK_STREAM,
	.client_start = stream_client_start,
	.handle = stream_handle,
	.send = stream_send,
	.tick = stream_tick,
	.next_deadline = stream_next_deadline,
	.reap = stream_reap,
	.close_all = stream_close_all,
	.shutdown_write = stream_shutdown_write,
};

/* Unix SEQPACKET: connected like a stream, each send one message; the
 * stream code serves it as it is (a read takes one message). */
const struct ep_transport_ops ep_seqpacket_ops = {
	.name = "seqpacket",
	.socktype = SOCK_SEQPACKET,
	.client_start = stream_client_start,
	.handle = stream_handle,
	.send = stream_send,
	.tick = stream_tick,
	.next_deadline = stream_next_deadline,
	.reap = stream_reap,
	.close_all = stream_close_all,
	.shutdown_write = stream_shutdown_write,
};
