/* destroy.c - what can be destroyed and what to say about it. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "destroy.h"
#include "i18n.h"
#include "output.h"

const char *destroy_refusal(const struct sock *s)
{
	if (s->family == AF_UNIX)
		return _("Unix sockets cannot be destroyed: the kernel's SOCK_DESTROY works on TCP and UDP sockets only (close the owning process instead)");
	if (s->proto != SP_TCP && s->proto != SP_UDP)
		return _("only TCP and UDP sockets can be destroyed: the kernel has no SOCK_DESTROY for this kind");
	if (s->proto == SP_TCP && s->state == SS_TIME_WAIT)
		return _("a TIME-WAIT socket is already closed: it has no connection left to reset");
	return NULL;
}

void destroy_describe(struct buf *out, const struct sock *s, const struct procmap *pm,
		      enum esc_charset cs)
{
	struct proc_owner own[2];
	size_t n = 0;

	buf_printf(out, "%s %s ", sock_netid(s), sock_state_name(s));
	output_addr(out, s, false, cs);
	buf_puts(out, " -> ");
	output_addr(out, s, true, cs);
	if (pm && sock_owner_inode(s))
		n = procmap_owners(pm, sock_owner_inode(s), own, 2);
	if (n) {
		size_t clen = 0;
		const char *comm = procmap_comm(pm, own[0].pid, &clen);

		buf_puts(out, _(", process "));
		if (comm)
			esc_display(out, comm, clen, cs);
		else
			buf_puts(out, "?");
		buf_printf(out, _(" (pid %d)"), (int)own[0].pid);
		if (n > 1)
			buf_puts(out, _(" and others"));
	} else {
		buf_puts(out, _(", no process known"));
	}
}

const char *destroy_strerror(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return _("permission denied: destroying a socket needs CAP_NET_ADMIN (run as root)");
	case EOPNOTSUPP:
		return _("this kernel cannot destroy sockets (it was built without CONFIG_INET_DIAG_DESTROY), or not this kind");
	case ENOENT:
		return _("the socket is gone: it closed before it could be destroyed");
	case EAFNOSUPPORT:
		return _("only TCP and UDP sockets can be destroyed");
	case ETIMEDOUT:
		return _("the kernel did not answer the destroy request");
	default:
		return strerror(err);
	}
}
