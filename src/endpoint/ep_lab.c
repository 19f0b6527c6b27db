/* ep_lab.c - the state lab: a transport (ep_priv.h) whose endpoint opens
 * its own sockets on the loopback and drives them, with real system calls,
 * into the states the tutorials only mention (CLOSE-WAIT, TIME-WAIT, a
 * half-closed connection, a zero window, a full accept queue, a refused
 * connection), telling each step in the transcript.
 *
 * No fd is registered with the loop: a preset waits by arming its tick
 * (LAB_POLL_MS) and trying its next non-blocking call again, for at most
 * LAB_WAIT_MS. Sockets that are never read (a CLOSE-WAIT client, a zero
 * window receiver) would otherwise wake poll() forever. The states are
 * checked with the kernel (TCP_INFO), not assumed. Every socket is a peer
 * of the endpoint (ep->peers), so the table marks it as the pane's and
 * endpoint_close() closes it. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "clock.h"
#include "ep_base.h"
#include "i18n.h"
#include "xalloc.h"

/* How often a waiting preset tries again, and for how long at most. */
#define LAB_POLL_MS 50
#define LAB_WAIT_MS 5000
/* The accept queue preset: the backlog, and the clients it opens. */
#define LAB_BACKLOG 1
#define LAB_QUEUE_CLIENTS 4
/* The zero window preset: the small buffers that fill quickly. */
#define LAB_SMALL_BUF 4096
#define LAB_WRITES_PER_TICK 64

struct ep_lab {
	enum ep_lab_preset preset;
	int step;
	bool done;
	int64_t next;       /* tick deadline; 0: none */
	int64_t wait_since; /* when the current wait began */
	int lfd, cfd, sfd, ufd, rfd; /* listener, client, server side, UDP, reserve */
	int qfd[LAB_QUEUE_CLIENTS];
	int nq;
	uint16_t port;      /* the listener's (or the closed) port */
	uint16_t cport;     /* the client's port */
	uint64_t written;
};

static const char *const preset_names[EP_LAB_NPRESETS] = {
	[EP_LAB_NONE] = "",
	[EP_LAB_CLOSE_WAIT] = N_("CLOSE-WAIT and FIN-WAIT-2"),
	[EP_LAB_TIME_WAIT] = N_("TIME-WAIT"),
	[EP_LAB_HALF_CLOSE] = N_("half-close (shutdown)"),
	[EP_LAB_ZERO_WINDOW] = N_("zero window"),
	[EP_LAB_ACCEPT_QUEUE] = N_("full accept queue"),
	[EP_LAB_REFUSED] = N_("connection refused"),
	[EP_LAB_LIFE] = N_("life of a connection"),
};

static const char *const preset_help[EP_LAB_NPRESETS] = {
	[EP_LAB_NONE] = "",
	[EP_LAB_CLOSE_WAIT] = N_("the server closes, the client does not"),
	[EP_LAB_TIME_WAIT] = N_("who gets it (the side closing first) and for how long"),
	[EP_LAB_HALF_CLOSE] = N_("shutdown(SHUT_WR): data still flows the other way"),
	[EP_LAB_ZERO_WINDOW] = N_("a receiver stops reading: queues fill, persist timer"),
	[EP_LAB_ACCEPT_QUEUE] = N_("backlog 1, never accepts: clients stuck in SYN-SENT"),
	[EP_LAB_REFUSED] = N_("TCP gets a RST; UDP gets the ICMP error"),
	[EP_LAB_LIFE] = N_("socket, bind, listen, connect...: one call per Enter"),
};

const char *endpoint_lab_name(enum ep_lab_preset p)
{
	return (unsigned)p < EP_LAB_NPRESETS && p != EP_LAB_NONE ? _(preset_names[p]) : "?";
}

const char *endpoint_lab_help(enum ep_lab_preset p)
{
	return (unsigned)p < EP_LAB_NPRESETS && p != EP_LAB_NONE ? _(preset_help[p]) : "";
}

enum ep_lab_preset endpoint_lab(const struct endpoint *ep)
{
	return ep->lab ? ep->lab->preset : EP_LAB_NONE;
}

bool endpoint_lab_done(const struct endpoint *ep)
{
	return ep->lab && ep->lab->done;
}

/* ---- the sockets ---- */

/* Makes fd one of the endpoint's sockets (listed, closed with it). */
static void track(struct endpoint *ep, int fd)
{
	struct ep_peer *p = xcalloc(1, sizeof(*p));

	p->fd = fd;
	p->inode = ep_fd_inode(fd);
	p->id = ep->next_id++;
	xgrow((void **)&ep->peers, &ep->peers_cap, ep->npeers + 1, sizeof(*ep->peers));
	ep->peers[ep->npeers++] = p;
	ep->dirty = true;
}

/* Closes *fdp (one of ours) and forgets it; *fdp becomes -1. */
static void drop(struct endpoint *ep, int *fdp)
{
	size_t i;

	if (*fdp < 0)
		return;
	for (i = 0; i < ep->npeers; i++) {
		if (ep->peers[i]->fd != *fdp)
			continue;
		free(ep->peers[i]);
		memmove(ep->peers + i, ep->peers + i + 1, (ep->npeers - i - 1) * sizeof(*ep->peers));
		ep->npeers--;
		break;
	}
	close(*fdp);
	*fdp = -1;
	ep->dirty = true;
}

static void lab_close_all(struct endpoint *ep)
{
	struct ep_lab *L = ep->lab;

	for (size_t i = 0; i < ep->npeers; i++) {
		close(ep->peers[i]->fd);
		free(ep->peers[i]);
	}
	ep->npeers = 0;
	if (L) {
		L->lfd = L->cfd = L->sfd = L->ufd = L->rfd = -1;
		for (int i = 0; i < LAB_QUEUE_CLIENTS; i++)
			L->qfd[i] = -1;
		L->nq = 0;
		L->next = 0;
	}
	ep->dirty = true;
}

static void loopback(struct sockaddr_in *sin, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin->sin_port = htons(port);
}

static uint16_t local_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	memset(&sin, 0, sizeof(sin));
	if (getsockname(fd, (struct sockaddr *)&sin, &sl) < 0)
		return 0;
	return ntohs(sin.sin_port);
}

/* A new non-blocking socket of ours, bound to 127.0.0.1:0 if bind_it;
 * -1 with errno. */
static int lab_socket(struct endpoint *ep, int type, bool bind_it, int rcvbuf)
{
	struct sockaddr_in sin;
	int fd = ep_socket(ep, AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return -1;
	if (rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	loopback(&sin, 0);
	if (bind_it && bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	track(ep, fd);
	return fd;
}

/* A listener on 127.0.0.1 (the kernel picks the port: L->port). */
static int lab_listen(struct endpoint *ep, int backlog, int rcvbuf)
{
	int fd = lab_socket(ep, SOCK_STREAM, true, rcvbuf);

	if (fd < 0)
		return -1;
	if (listen(fd, backlog) < 0) {
		int e = errno;

		drop(ep, &fd);
		errno = e;
		return -1;
	}
	ep->lab->port = local_port(fd);
	return fd;
}

/* A client that starts connecting to 127.0.0.1:port; -1 with errno. */
static int lab_connect(struct endpoint *ep, uint16_t port, int type, int sndbuf)
{
	struct sockaddr_in sin;
	int fd = lab_socket(ep, type, false, 0);

	if (fd < 0)
		return -1;
	if (sndbuf)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	loopback(&sin, port);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 && errno != EINPROGRESS) {
		int e = errno;

		drop(ep, &fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* 1 connected, 0 not yet, -errno when the connection failed. */
static int connect_result(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	int err = 0;
	socklen_t el = sizeof(err);

	if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & (POLLOUT | POLLERR | POLLHUP)))
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
		return -errno;
	return err ? -err : 1;
}

/* The TCP state the kernel reports for fd (TCP_INFO), -1 if unknown. */
static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);

	if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) < 0)
		return -1;
	return ti.tcpi_state;
}

static const char *tcp_state_name(int st)
{
	static const char *const names[] = {
		"?", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
		"TIME-WAIT", "CLOSE", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
	};
	const int n = (int)(sizeof(names) / sizeof(names[0]));

	if (st <= 0 || st >= n)
		return "?";
	return names[st];
}

/* ---- steps ---- */

static void note(struct endpoint *ep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct endpoint *ep, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ep_record(ep, TR_INFO, NULL, 0, line, strlen(line));
}

/* A system call failed: the preset stops, the pane says which and why. */
static void lab_failed(struct endpoint *ep, const char *what, int e)
{
	snprintf(ep->errmsg, sizeof(ep->errmsg), _("state lab: %s failed: %s"), what, strerror(e));
	ep->err = e;
	ep_record(ep, TR_ERROR, NULL, 0, ep->errmsg, strlen(ep->errmsg));
	lab_close_all(ep);
	ep->state = EP_STATE_FAILED;
}

/* Moves to the next step, now. */
static void next_step(struct ep_lab *L, int64_t now)
{
	L->step++;
	L->wait_since = now;
	L->next = now;
}

/* The current step waits: try again soon, or give up after LAB_WAIT_MS. */
static bool keep_waiting(struct endpoint *ep, const char *what, int64_t now)
{
	struct ep_lab *L = ep->lab;

	if (now - L->wait_since > LAB_WAIT_MS) {
		lab_failed(ep, what, ETIMEDOUT);
		return false;
	}
	L->next = now + LAB_POLL_MS;
	return true;
}

static void finished(struct endpoint *ep, int select_fd)
{
	struct ep_lab *L = ep->lab;

	L->done = true;
	L->next = 0;
	if (select_fd >= 0)
		ep->select_inode = ep_fd_inode(select_fd);
	note(ep, "%s", _("Done. Enter in this pane runs it again; F8 closes the pane and "
			 "every socket of it."));
}

/* Steps 0-2 of most presets: a listener, a client, the accepted side. */
static int connect_pair(struct endpoint *ep, int64_t now, int rcvbuf, int sndbuf)
{
	struct ep_lab *L = ep->lab;
	int r;

	switch (L->step) {
	case 0:
		if ((L->lfd = lab_listen(ep, 8, rcvbuf)) < 0) {
			lab_failed(ep, "listen()", errno);
			return -1;
		}
		if ((L->cfd = lab_connect(ep, L->port, SOCK_STREAM, sndbuf)) < 0) {
			lab_failed(ep, "connect()", errno);
			return -1;
		}
		note(ep, _("A server listens on 127.0.0.1:%u; a client connect()s to it."),
		     L->port);
		next_step(L, now);
		return 0;
	case 1:
		L->sfd = accept4(L->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (L->sfd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				lab_failed(ep, "accept()", errno);
				return -1;
			}
			keep_waiting(ep, "accept()", now);
			return 0;
		}
		track(ep, L->sfd);
		next_step(L, now);
		return 0;
	case 2:
		r = connect_result(L->cfd);
		if (r < 0) {
			lab_failed(ep, "connect()", -r);
			return -1;
		}
		if (!r) {
			keep_waiting(ep, "connect()", now);
			return 0;
		}
		note(ep, _("Connected: the client is 127.0.0.1:%u, the server's side of the "
			   "connection 127.0.0.1:%u (accept() gave it a socket of its own)."),
		     local_port(L->cfd), L->port);
		next_step(L, now);
		return 1;
	default:
		return 1;
	}
}

/* Waits until fd is in state want (TCP_INFO); true when it is. */
static bool wait_state(struct endpoint *ep, int fd, int want, int64_t now)
{
	if (tcp_state(fd) == want)
		return true;
	keep_waiting(ep, tcp_state_name(want), now);
	return false;
}

static void run_close_wait(struct endpoint *ep, int64_t now)
{
	struct ep_lab *L = ep->lab;

	if (connect_pair(ep, now, 0, 0) <= 0)
		return;
	switch (L->step) {
	case 3:
		/* shutdown() keeps the server's socket ours (an fd): close()
		 * would orphan it and the kernel would drop it after
		 * tcp_fin_timeout */
		shutdown(L->sfd, SHUT_WR);
		drop(ep, &L->lfd);
		note(ep, "%s", _("The server ends its side: shutdown(SHUT_WR) sends a FIN, as "
				 "close() would. The client's kernel acknowledges it, and the "
				 "client's read() would now return 0 (end of file)."));
		next_step(L, now);
		return;
	case 4:
		if (!wait_state(ep, L->cfd, TCP_CLOSE_WAIT, now) ||
		    !wait_state(ep, L->sfd, TCP_FIN_WAIT2, now))
			return;
		note(ep, _("The kernel now reports the client (port %u) in %s and the server "
			   "side (port %u) in %s."),
		     local_port(L->cfd), "CLOSE-WAIT", L->port, "FIN-WAIT-2");
		note(ep, "%s", _("CLOSE-WAIT: the peer has closed, and the kernel waits for THIS "
				 "program to close() too. It never ends by itself: many CLOSE-WAIT "
				 "sockets mean a program that forgets to close."));
		note(ep, "%s", _("FIN-WAIT-2: our FIN was acknowledged; waiting for the peer's "
				 "FIN. An orphan (after close()) is dropped after tcp_fin_timeout "
				 "(60 s by default); this one stays, its program holds it."));
		finished(ep, L->cfd);
		return;
	default:
		return;
	}
}

static void run_time_wait(struct endpoint *ep, int64_t now)
{
	struct ep_lab *L = ep->lab;

	if (connect_pair(ep, now, 0, 0) <= 0)
		return;
	switch (L->step) {
	case 3:
		L->cport = local_port(L->cfd);
		note(ep, _("The client closes first: close() on 127.0.0.1:%u sends a FIN "
			   "(FIN-WAIT-1, then FIN-WAIT-2 once acknowledged)."), L->cport);
		drop(ep, &L->cfd);
		next_step(L, now);
		return;
	case 4:
		if (!wait_state(ep, L->sfd, TCP_CLOSE_WAIT, now))
			return;
		note(ep, "%s", _("The server side got the FIN: CLOSE-WAIT. Now it closes too "
				 "(LAST-ACK, until the client acknowledges its FIN)."));
		drop(ep, &L->sfd);
		drop(ep, &L->lfd);
		next_step(L, now);
		return;
	case 5:
		note(ep, _("TIME-WAIT: the client's side, 127.0.0.1:%u -> 127.0.0.1:%u, the "
			   "side that closed first. It stays 60 seconds on Linux (twice the "
			   "longest a segment may live, fixed in the kernel): the Timer column "
			   "counts it down."), L->cport, L->port);
		note(ep, "%s", _("It belongs to no program any more (no inode, no process), so "
				 "closing this pane cannot remove it: the kernel does, when its "
				 "timer ends. The server's side is gone: the side closing second "
				 "gets no TIME-WAIT."));
		finished(ep, -1);
		return;
	default:
		return;
	}
}

static void run_half_close(struct endpoint *ep, int64_t now)
{
	static const char req[] = "GET /time\n", rep[] = "the reply, sent after your EOF\n";
	struct ep_lab *L = ep->lab;
	char buf[256];
	ssize_t n;

	if (connect_pair(ep, now, 0, 0) <= 0)
		return;
	switch (L->step) {
	case 3:
		if (send(L->cfd, req, sizeof(req) - 1, MSG_NOSIGNAL) < 0) {
			lab_failed(ep, "send()", errno);
			return;
		}
		ep_record(ep, TR_SEND, "client", 6, req, sizeof(req) - 1);
		shutdown(L->cfd, SHUT_WR);
		note(ep, "%s", _("The client sends its request, then shutdown(SHUT_WR): \"I have "
				 "nothing more to send\". Its receiving side stays open. The "
				 "kernel now reports its shutdown state: the details (Enter) of "
				 "the client's socket say \"Shutdown: this side stopped sending "
				 "(SHUT_WR)\", and -j gives \"shutdown\": \"wr\"."));
		next_step(L, now);
		return;
	case 4:
		n = recv(L->sfd, buf, sizeof(buf), 0);
		if (n > 0) {
			ep_record(ep, TR_RECV, "server", 6, buf, (size_t)n);
			keep_waiting(ep, "recv()", now);
			return;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				lab_failed(ep, "recv()", errno);
			else
				keep_waiting(ep, "recv()", now);
			return;
		}
		note(ep, "%s", _("The server's read() returned 0: end of file, the client will "
				 "send no more. The server can still send:"));
		if (send(L->sfd, rep, sizeof(rep) - 1, MSG_NOSIGNAL) < 0) {
			lab_failed(ep, "send()", errno);
			return;
		}
		ep_record(ep, TR_SEND, "server", 6, rep, sizeof(rep) - 1);
		next_step(L, now);
		return;
	case 5:
		n = recv(L->cfd, buf, sizeof(buf), 0);
		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
				lab_failed(ep, "recv()", errno);
			else
				keep_waiting(ep, "recv()", now);
			return;
		}
		ep_record(ep, TR_RECV, "client", 6, buf, (size_t)n);
		next_step(L, now);
		return;
	case 6:
		if (!wait_state(ep, L->cfd, TCP_FIN_WAIT2, now) ||
		    !wait_state(ep, L->sfd, TCP_CLOSE_WAIT, now))
			return;
		note(ep, _("The client received the reply after its shutdown. The kernel "
			   "reports the client (port %u) in %s (its sending side shut) and the "
			   "server side in %s (its receiving side got the EOF): a half-closed "
			   "connection, data still flowing one way."),
		     local_port(L->cfd), "FIN-WAIT-2", "CLOSE-WAIT");
		finished(ep, L->cfd);
		return;
	default:
		return;
	}
}

static void run_zero_window(struct endpoint *ep, int64_t now)
{
	static const char chunk[1024];
	struct ep_lab *L = ep->lab;
	int inq = 0, outq = 0, i;

	if (connect_pair(ep, now, LAB_SMALL_BUF, LAB_SMALL_BUF) <= 0)
		return;
	switch (L->step) {
	case 3:
		drop(ep, &L->lfd);
		note(ep, _("Both sockets have small buffers (SO_RCVBUF, SO_SNDBUF %d bytes). "
			   "The client now writes as fast as it can; the server never reads."),
		     LAB_SMALL_BUF);
		next_step(L, now);
		return;
	case 4:
		for (i = 0; i < LAB_WRITES_PER_TICK; i++) {
			ssize_t n = send(L->cfd, chunk, sizeof(chunk), MSG_NOSIGNAL);

			if (n < 0)
				break;
			L->written += (uint64_t)n;
		}
		if (i == LAB_WRITES_PER_TICK) {
			keep_waiting(ep, "send()", now);
			return;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			lab_failed(ep, "send()", errno);
			return;
		}
		ioctl(L->sfd, SIOCINQ, &inq);
		ioctl(L->cfd, SIOCOUTQ, &outq);
		note(ep, _("send() said EAGAIN after %llu bytes: the server's receive queue "
			   "holds %d bytes (its Recv-Q), the client's send queue %d bytes (its "
			   "Send-Q)."),
		     (unsigned long long)L->written, inq, outq);
		note(ep, "%s", _("The server's kernel advertises a window of 0: \"send nothing "
				 "more\". The client's kernel then probes it now and then with the "
				 "persist timer (Timer column: persist) until the window opens. Both "
				 "sockets stay ESTAB (established): a zero window is not an error."));
		finished(ep, L->cfd);
		return;
	default:
		return;
	}
}

static void run_accept_queue(struct endpoint *ep, int64_t now)
{
	struct ep_lab *L = ep->lab;
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);
	int est = 0, syn = 0;

	switch (L->step) {
	case 0:
		if ((L->lfd = lab_listen(ep, LAB_BACKLOG, 0)) < 0) {
			lab_failed(ep, "listen()", errno);
			return;
		}
		note(ep, _("A server listens on 127.0.0.1:%u with listen(fd, %d): a backlog of "
			   "%d. It never calls accept(). Clients connect one after the other:"),
		     L->port, LAB_BACKLOG, LAB_BACKLOG);
		next_step(L, now);
		return;
	case 1:
		if (L->nq < LAB_QUEUE_CLIENTS) {
			L->qfd[L->nq] = lab_connect(ep, L->port, SOCK_STREAM, 0);
			if (L->qfd[L->nq] < 0) {
				lab_failed(ep, "connect()", errno);
				return;
			}
			L->nq++;
			/* one at a time, so that the queue is full before the next */
			L->next = now + 4 * LAB_POLL_MS;
			return;
		}
		next_step(L, now);
		L->next = now + 10 * LAB_POLL_MS;
		return;
	case 2:
		for (int i = 0; i < L->nq; i++) {
			int st = tcp_state(L->qfd[i]);

			est += st == TCP_ESTABLISHED;
			syn += st == TCP_SYN_SENT;
			note(ep, _("client %d, 127.0.0.1:%u: %s"), i + 1, local_port(L->qfd[i]),
			     tcp_state_name(st));
		}
		if (getsockopt(L->lfd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0)
			note(ep, _("The listener's accept queue holds %u connections (its Recv-Q); "
				   "the limit is %u (its Send-Q). Linux admits backlog + 1."),
			     ti.tcpi_unacked, ti.tcpi_sacked);
		note(ep, _("%d clients are ESTAB (the kernel completed the handshake and "
			   "queued them for an accept() that never comes), %d are stuck in "
			   "SYN-SENT: the full queue makes the listener drop their SYN, and they "
			   "retry with growing delays until connect() times out."), est, syn);
		finished(ep, L->lfd);
		return;
	default:
		return;
	}
}

static void run_refused(struct endpoint *ep, int64_t now)
{
	static const char hello[] = "hello?";
	struct ep_lab *L = ep->lab;
	char buf[64];
	int r, tmp;

	switch (L->step) {
	case 0:
		/* a bound TCP socket that does not listen keeps the port ours
		 * and refuses every connection */
		if ((L->rfd = lab_socket(ep, SOCK_STREAM, true, 0)) < 0) {
			lab_failed(ep, "bind()", errno);
			return;
		}
		L->port = local_port(L->rfd);
		if ((L->cfd = lab_connect(ep, L->port, SOCK_STREAM, 0)) < 0) {
			lab_failed(ep, "connect()", errno);
			return;
		}
		note(ep, _("TCP: a client connect()s to 127.0.0.1:%u, where nothing listens."),
		     L->port);
		next_step(L, now);
		return;
	case 1:
		r = connect_result(L->cfd);
		if (!r) {
			keep_waiting(ep, "connect()", now);
			return;
		}
		note(ep, _("connect() failed: %s. The server's kernel answered the SYN with a "
			   "RST: no program listens on that port. The socket goes back to CLOSE "
			   "and leaves the table at once."),
		     r < 0 ? strerror(-r) : _("it succeeded (unexpected)"));
		drop(ep, &L->cfd);
		drop(ep, &L->rfd);
		/* a closed UDP port: bind one, note it, close it */
		tmp = ep_socket(ep, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC);
		{
			struct sockaddr_in sin;

			loopback(&sin, 0);
			if (tmp < 0 || bind(tmp, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
				int e = errno;

				if (tmp >= 0)
					close(tmp);
				lab_failed(ep, "bind()", e);
				return;
			}
			L->port = local_port(tmp);
			close(tmp);
		}
		if ((L->ufd = lab_connect(ep, L->port, SOCK_DGRAM, 0)) < 0) {
			lab_failed(ep, "connect()", errno);
			return;
		}
		if (send(L->ufd, hello, sizeof(hello) - 1, MSG_NOSIGNAL) < 0) {
			lab_failed(ep, "send()", errno);
			return;
		}
		ep_record(ep, TR_SEND, "udp", 3, hello, sizeof(hello) - 1);
		note(ep, _("UDP: a socket connect()s to 127.0.0.1:%u (no handshake: it only "
			   "sets the default peer) and sends a datagram. Nothing listens there."),
		     L->port);
		next_step(L, now);
		return;
	case 2:
		if (recv(L->ufd, buf, sizeof(buf), 0) >= 0 ||
		    errno == EAGAIN || errno == EWOULDBLOCK) {
			keep_waiting(ep, "recv()", now);
			return;
		}
		note(ep, _("recv() failed: %s. The kernel answered the datagram with an ICMP "
			   "\"port unreachable\"; a connected UDP socket reports it on its next "
			   "call. An unconnected one would never know: UDP has no connection."),
		     strerror(errno));
		finished(ep, L->ufd);
		return;
	default:
		return;
	}
}

/* ---- the life of one connection: one system call per Enter ---- */

static void life_intro(struct endpoint *ep)
{
	note(ep, "%s", _("One system call per Enter (type nothing, press Enter in this pane): "
			 "watch the table after each one. Next: socket() for the server."));
}

static void life_step(struct endpoint *ep)
{
	struct ep_lab *L = ep->lab;
	struct sockaddr_in sin;
	char buf[64];
	ssize_t n;
	int r;

	switch (L->step) {
	case 0:
		L->lfd = ep_socket(ep, AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (L->lfd < 0) {
			lab_failed(ep, "socket()", errno);
			return;
		}
		track(ep, L->lfd);
		note(ep, "%s", _("socket(AF_INET, SOCK_STREAM) = a new TCP socket. No row yet: a "
				 "socket with no address and no connection is in no table the "
				 "kernel dumps. Next: bind()."));
		break;
	case 1:
		loopback(&sin, 0);
		if (bind(L->lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
			lab_failed(ep, "bind()", errno);
			return;
		}
		L->port = local_port(L->lfd);
		note(ep, _("bind(127.0.0.1:0): the kernel picked port %u. Still no row: a "
			   "bound TCP socket is not listed until it listens or connects. "
			   "Next: listen()."), L->port);
		break;
	case 2:
		if (listen(L->lfd, 8) < 0) {
			lab_failed(ep, "listen()", errno);
			return;
		}
		ep->select_inode = ep_fd_inode(L->lfd);
		note(ep, _("listen(fd, 8): a LISTEN row for 127.0.0.1:%u appears (Send-Q: the "
			   "backlog 8). Next: socket() and connect() for a client."), L->port);
		break;
	case 3:
		if ((L->cfd = lab_connect(ep, L->port, SOCK_STREAM, 0)) < 0) {
			lab_failed(ep, "connect()", errno);
			return;
		}
		ep->select_inode = ep_fd_inode(L->cfd);
		note(ep, _("socket() and connect(127.0.0.1:%u): the kernels do the handshake "
			   "(SYN, SYN-ACK, ACK) at once. The client row (port %u) is ESTAB (established), "
			   "and so is the server's side, waiting in the accept queue: the "
			   "LISTEN row's Recv-Q is 1. Next: accept()."),
		     L->port, local_port(L->cfd));
		break;
	case 4:
		L->sfd = accept4(L->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (L->sfd < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				note(ep, "%s", _("accept(): nothing to accept yet; Enter tries again."));
				return;
			}
			lab_failed(ep, "accept()", errno);
			return;
		}
		track(ep, L->sfd);
		ep->select_inode = ep_fd_inode(L->sfd);
		note(ep, "%s", _("accept() = a new socket for this one connection; the listener "
				 "goes on listening (its Recv-Q is 0 again). Next: send() from the "
				 "client."));
		break;
	case 5:
		r = connect_result(L->cfd);
		if (r <= 0 || send(L->cfd, "hello\n", 6, MSG_NOSIGNAL) < 0) {
			lab_failed(ep, "send()", r < 0 ? -r : errno ? errno : ENOTCONN);
			return;
		}
		ep_record(ep, TR_SEND, "client", 6, "hello\n", 6);
		ep->select_inode = ep_fd_inode(L->sfd);
		note(ep, "%s", _("send(\"hello\\n\"): 6 bytes wait in the server side's receive "
				 "queue (its Recv-Q is 6) until the program reads them. "
				 "Next: recv()."));
		break;
	case 6:
		n = recv(L->sfd, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			note(ep, "%s", _("recv(): nothing arrived yet; Enter tries again."));
			return;
		}
		if (n < 0) {
			lab_failed(ep, "recv()", errno);
			return;
		}
		ep_record(ep, TR_RECV, "server", 6, buf, (size_t)n);
		note(ep, "%s", _("recv() took the bytes: Recv-Q is 0 again. Next: close() the "
				 "client."));
		break;
	case 7:
		ep->select_inode = ep_fd_inode(L->sfd);
		drop(ep, &L->cfd);
		note(ep, "%s", _("close() of the client: it sends a FIN. The server side is now "
				 "CLOSE-WAIT (its recv() would return 0); the client's socket, "
				 "orphaned, FIN-WAIT-2. Next: close() the server side."));
		break;
	case 8:
		drop(ep, &L->sfd);
		note(ep, "%s", _("close() of the server side: the client's side goes to "
				 "TIME-WAIT for 60 s (it closed first), the server side is gone. "
				 "Next: close() the listener."));
		break;
	case 9:
		drop(ep, &L->lfd);
		note(ep, "%s", _("close() of the listener: the LISTEN row goes. That was the "
				 "whole life of a connection."));
		L->done = true;
		note(ep, "%s", _("Enter starts again; F8 closes the pane."));
		L->step = 0;
		return;
	default:
		return;
	}
	L->step++;
}

/* ---- the transport ---- */

static void run(struct endpoint *ep, int64_t now)
{
	struct ep_lab *L = ep->lab;

	L->next = 0;
	switch (L->preset) {
	case EP_LAB_CLOSE_WAIT: run_close_wait(ep, now); break;
	case EP_LAB_TIME_WAIT: run_time_wait(ep, now); break;
	case EP_LAB_HALF_CLOSE: run_half_close(ep, now); break;
	case EP_LAB_ZERO_WINDOW: run_zero_window(ep, now); break;
	case EP_LAB_ACCEPT_QUEUE: run_accept_queue(ep, now); break;
	case EP_LAB_REFUSED: run_refused(ep, now); break;
	default: break;
	}
}

/* Starts (or starts again) the preset. */
static int lab_start(struct endpoint *ep)
{
	struct ep_lab *L = ep->lab;
	int64_t now = clock_now_ms();

	if (!L) {
		L = ep->lab = xcalloc(1, sizeof(*L));
		L->preset = ep->cfg.lab;
	}
	lab_close_all(ep);
	L->step = 0;
	L->done = false;
	L->written = 0;
	L->wait_since = now;
	note(ep, "%s: %s", endpoint_lab_name(L->preset), endpoint_lab_help(L->preset));
	if (L->preset == EP_LAB_LIFE) {
		life_intro(ep);
		return 0;
	}
	run(ep, now);
	return 0;
}

static void lab_tick(struct endpoint *ep, int64_t now)
{
	struct ep_lab *L = ep->lab;

	/* run each step that is due (a step moving on sets next = now) */
	for (int guard = 0; L && L->next && L->next <= now && guard < 16; guard++) {
		if (ep->state != EP_STATE_READY)
			return;
		run(ep, now);
	}
}

static int64_t lab_next_deadline(const struct endpoint *ep)
{
	return ep->lab && ep->state == EP_STATE_READY ? ep->lab->next : 0;
}

static void lab_handle(struct endpoint *ep, int fd, short revents)
{
	/* no fd is registered with the loop */
	(void)ep;
	(void)fd;
	(void)revents;
}

/* Enter in the pane: the next call of the life preset, or run again. */
static int lab_send(struct endpoint *ep, const void *data, size_t len)
{
	struct ep_lab *L = ep->lab;

	(void)data;
	(void)len;
	if (L->preset == EP_LAB_LIFE) {
		if (L->done && L->step == 0) {
			L->done = false;
			note(ep, "%s", _("Again, from the start."));
		}
		life_step(ep);
		return 0;
	}
	if (!L->done) {
		note(ep, "%s", _("The preset is still running: wait for its \"Done\"."));
		return 0;
	}
	return lab_start(ep);
}

static void lab_destroy(struct endpoint *ep)
{
	free(ep->lab);
	ep->lab = NULL;
}

static void lab_title(const struct endpoint *ep, enum esc_charset cs, struct buf *out)
{
	(void)cs;
	buf_printf(out, "%s: %s", _("state lab"), endpoint_lab_name(endpoint_lab(ep)));
}

static void lab_state_text(const struct endpoint *ep, enum esc_charset cs, struct buf *out)
{
	const struct ep_lab *L = ep->lab;

	(void)cs;
	if (!L)
		return;
	if (L->preset == EP_LAB_LIFE)
		buf_printf(out, _("step %d of 10, %zu sockets open: Enter makes the next call"),
			   L->step + 1, ep->npeers);
	else if (L->done)
		buf_printf(out, _("done, %zu sockets open: Enter runs it again"), ep->npeers);
	else
		buf_printf(out, _("running (step %d), %zu sockets open"), L->step + 1, ep->npeers);
}

const struct ep_transport_ops ep_lab_ops = {
	.name = "lab",
	.socktype = SOCK_STREAM,
	.client_start = lab_start,
	.handle = lab_handle,
	.send = lab_send,
	.tick = lab_tick,
	.next_deadline = lab_next_deadline,
	.close_all = lab_close_all,
	.title = lab_title,
	.state_text = lab_state_text,
	.destroy = lab_destroy,
};
