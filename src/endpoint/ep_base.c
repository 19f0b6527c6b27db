/* ep_base.c - what both transports and the life cycle share: the
 * transcript and dirty flag, the loop's fd hooks, socket creation and the
 * error texts. It calls nothing above it (see ep_priv.h). */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ep_base.h"
#include "i18n.h"
#include "nsrun.h"

void ep_record(struct endpoint *ep, enum tr_kind kind, const char *label, size_t label_len,
	       const void *data, size_t len)
{
	transcript_add(ep->tr, kind, label, label_len, data, len);
	ep->dirty = true;
}

void ep_note(struct endpoint *ep, enum tr_kind kind, const char *label, size_t label_len,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	transcript_vaddf(ep->tr, kind, label, label_len, fmt, ap);
	va_end(ap);
	ep->dirty = true;
}

int ep_fd_add(struct endpoint *ep, int fd, short events)
{
	if (!ep->cfg.ops.add_fd)
		return 0;
	return ep->cfg.ops.add_fd(ep->cfg.ops.ctx, ep, fd, events);
}

void ep_fd_mod(struct endpoint *ep, int fd, short *cur, short events)
{
	if (*cur == events)
		return;
	*cur = events;
	if (ep->cfg.ops.mod_fd)
		ep->cfg.ops.mod_fd(ep->cfg.ops.ctx, ep, fd, events);
}

void ep_fd_del(struct endpoint *ep, int fd)
{
	if (ep->cfg.ops.del_fd)
		ep->cfg.ops.del_fd(ep->cfg.ops.ctx, ep, fd);
}

uint32_t ep_fd_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0;
	return (uint32_t)st.st_ino;
}

char *ep_label_addr(const struct epaddr *a, size_t *len)
{
	struct buf b = BUF_INIT;

	epaddr_format(a, &b);
	*len = b.len;
	return buf_steal(&b);
}

void ep_errtext(int e, const struct epaddr *a, char *out, size_t len)
{
	char as[EPADDR_STRLEN];

	epaddr_str(a, as, sizeof(as));
	switch (e) {
	case EADDRINUSE:
		snprintf(out, len, _("address %s is already in use"), as);
		break;
	case EACCES:
	case EPERM:
		if ((a->family == AF_INET || a->family == AF_INET6) && epaddr_port(a) &&
		    epaddr_port(a) < 1024)
			snprintf(out, len,
				 _("permission denied for %s (ports below 1024 need privileges)"),
				 as);
		else
			snprintf(out, len, _("permission denied for %s"), as);
		break;
	case EADDRNOTAVAIL:
		snprintf(out, len, _("address %s is not available on this machine"), as);
		break;
	case ECONNREFUSED:
		snprintf(out, len, _("connection refused by %s (nothing is listening there)"), as);
		break;
	case ETIMEDOUT:
		snprintf(out, len, _("connection to %s timed out"), as);
		break;
	case EHOSTUNREACH:
		snprintf(out, len, _("host unreachable: %s"), as);
		break;
	case ENETUNREACH:
		snprintf(out, len, _("network unreachable: %s"), as);
		break;
	case ENOENT:
		snprintf(out, len, _("%s does not exist"), as);
		break;
	case EEXIST:
		snprintf(out, len, _("path exists: %s"), as);
		break;
	case EAFNOSUPPORT:
		snprintf(out, len, _("address family of %s not supported (IPv6 disabled?)"), as);
		break;
	case EAGAIN:
		snprintf(out, len, _("%s is too busy: its backlog is full"), as);
		break;
	case EPROTOTYPE:
		snprintf(out, len, _("%s is a socket of the other type (stream or datagram): "
				     "choose the other Unix transport"), as);
		break;
	default:
		snprintf(out, len, "%s: %s", as, strerror(e));
		break;
	}
}

void ep_fail(struct endpoint *ep, int e)
{
	ep->err = e;
	ep_errtext(e, &ep->remote, ep->errmsg, sizeof(ep->errmsg));
	ep->state = EP_STATE_FAILED;
	ep_record(ep, TR_ERROR, NULL, 0, ep->errmsg, strlen(ep->errmsg));
}

/* socket() where the thread is (ns_run_in's callback). */
static int open_socket(void *arg)
{
	struct endpoint *ep = arg;

	return socket(ep->family, ep->socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

struct socket_args {
	int domain, type;
};

static int open_socket_of(void *arg)
{
	const struct socket_args *s = arg;

	return socket(s->domain, s->type, 0);
}

int ep_socket(struct endpoint *ep, int domain, int type)
{
	struct socket_args s = { domain, type };

	return ns_run_in(ep->nsfd, open_socket_of, &s);
}

int ep_new_socket(struct endpoint *ep, int *fdp)
{
	int fd, one = 1;

	/* in the endpoint's namespace, if it has one: a socket stays in the
	 * namespace it was created in, whatever the thread does next */
	fd = ns_run_in(ep->nsfd, open_socket, ep);
	if (fd < 0)
		return -1;
	/* Whether "::" also takes IPv4 depends on a sysctl: decide here. */
	if (ep->family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	/* Unix datagram servers learn who sent each datagram (ep_dgram.c,
	 * dg_may_answer): the kernel then attaches the sender's credentials. */
	if (ep->family == AF_UNIX && ep->socktype == SOCK_DGRAM &&
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	*fdp = fd;
	return 0;
}
