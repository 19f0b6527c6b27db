/* endpoint.c - life cycle, loop glue and accessors of the test endpoints.
 * The transports (ep_stream.c, ep_dgram.c) are reached only through the
 * ops table an endpoint gets at creation; see ep_priv.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ep_base.h"
#include "i18n.h"
#include "xalloc.h"

/* File descriptors left for the rest of sockview (netlink, /proc scans,
 * the terminal, other endpoints) when capping the clients. */
#define EP_FD_RESERVE 64

/* The transport behind each enum ep_transport. */
static const struct ep_transport_ops *const transport_ops[EP_NTRANSPORTS] = {
	[EP_TCP] = &ep_stream_ops,
	[EP_UDP] = &ep_dgram_ops,
	[EP_UNIX_STREAM] = &ep_stream_ops,
	[EP_UNIX_DGRAM] = &ep_dgram_ops,
	[EP_UNIX_SEQPACKET] = &ep_seqpacket_ops,
};

void endpoint_config_init(struct endpoint_config *cfg, enum ep_kind kind,
			  enum ep_transport transport)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->kind = kind;
	cfg->transport = transport;
	cfg->max_clients = EP_DEFAULT_MAX_CLIENTS;
	cfg->queue_limit = EP_DEFAULT_QUEUE_LIMIT;
	cfg->connect_timeout_ms = EP_DEFAULT_CONNECT_TIMEOUT_MS;
	cfg->dgram_rate = EP_DEFAULT_DGRAM_RATE;
}

bool endpoint_transport_is_dgram(enum ep_transport t)
{
	return t == EP_UDP || t == EP_UNIX_DGRAM;
}

static int config_check(const struct endpoint_config *cfg, char *err, size_t errlen)
{
	bool unix_tr = cfg->transport == EP_UNIX_STREAM || cfg->transport == EP_UNIX_DGRAM ||
		       cfg->transport == EP_UNIX_SEQPACKET;
	int fam = cfg->addr.family;

	if (cfg->lab != EP_LAB_NONE) {
		if ((unsigned)cfg->lab >= EP_LAB_NPRESETS || cfg->kind != EP_CLIENT) {
			snprintf(err, errlen, "%s", _("unknown state lab preset"));
			return -1;
		}
		return 0;
	}
	if ((unsigned)cfg->kind >= EP_NKINDS || (unsigned)cfg->transport >= EP_NTRANSPORTS) {
		snprintf(err, errlen, "%s", _("unknown endpoint kind or transport"));
		return -1;
	}
	if (unix_tr ? fam != AF_UNIX : (fam != AF_INET && fam != AF_INET6)) {
		snprintf(err, errlen, "%s",
			 unix_tr ? _("a Unix socket needs a path or an @name")
				 : _("TCP and UDP need an IP address and a port"));
		return -1;
	}
	if (fam == AF_UNIX && epaddr_is_unnamed(&cfg->addr)) {
		snprintf(err, errlen, "%s", _("a Unix socket needs a path or an @name"));
		return -1;
	}
	if (cfg->kind == EP_CLIENT && fam != AF_UNIX && epaddr_port(&cfg->addr) == 0) {
		snprintf(err, errlen, "%s", _("a client needs the server's port (1 to 65535)"));
		return -1;
	}
	if (cfg->greeting && cfg->greeting_len > EP_GREETING_MAX) {
		snprintf(err, errlen, _("the greeting is longer than %d bytes"), EP_GREETING_MAX);
		return -1;
	}
	if (cfg->queue_limit &&
	    (cfg->queue_limit < EP_QUEUE_LIMIT_MIN || cfg->queue_limit > EP_QUEUE_LIMIT_MAX)) {
		snprintf(err, errlen, _("the queue limit must be between %d and %d bytes"),
			 EP_QUEUE_LIMIT_MIN, EP_QUEUE_LIMIT_MAX);
		return -1;
	}
	if (cfg->connect_timeout_ms < 0) {
		snprintf(err, errlen, "%s", _("the connect timeout cannot be negative"));
		return -1;
	}
	return 0;
}

/* The client limit, kept below the soft RLIMIT_NOFILE (each client costs
 * one fd; running out makes accept() fail in a loop). */
static size_t client_cap(size_t want)
{
	struct rlimit rl;
	size_t cap;

	if (!want)
		want = EP_DEFAULT_MAX_CLIENTS;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		cap = rl.rlim_cur > 2 * EP_FD_RESERVE ? (size_t)rl.rlim_cur - EP_FD_RESERVE
						       : (size_t)rl.rlim_cur / 2;
		if (cap < 1)
			cap = 1;
		if (want > cap)
			want = cap;
	}
	return want;
}

/* True if path's directory is exactly dir. */
static bool path_in_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	const char *rest;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (strncmp(path, dir, n) || path[n] != '/')
		return false;
	rest = path + n + 1;
	return *rest && !strchr(rest, '/');
}

bool endpoint_path_is_stale(const char *path)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET };
	struct sockaddr_un su;
	struct stat st;
	size_t n = strlen(path), i;
	bool stale = false;

	if (n == 0 || n > EPADDR_UNIX_PATH_MAX || lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return false;
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	memcpy(su.sun_path, path, n);
	/* A socket of another type answers EPROTOTYPE, so try each type: it
	 * is stale only if every try is refused. Non-blocking, so a live
	 * server with a full backlog (EAGAIN) never blocks us. */
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		int fd = socket(AF_UNIX, types[i] | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), r, e;

		if (fd < 0)
			return false;
		r = connect(fd, (struct sockaddr *)&su, sizeof(su));
		e = errno;
		close(fd);
		if (r == 0 || e != ECONNREFUSED) {
			if (r < 0 && e == EPROTOTYPE)
				continue;
			return false;
		}
		stale = true;
	}
	return stale;
}

bool endpoint_path_is_socket(const char *path)
{
	struct stat st;

	return path && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* Checks an existing file at the Unix path; may remove a stale socket
 * when the config allows it. Returns 0 (path free) or -1 with errno. */
static int unix_path_prepare(struct endpoint *ep, const char *path, char *err, size_t errlen)
{
	char as[EPADDR_STRLEN];
	struct stat st;

	if (ep->private_dir && path_in_dir(path, ep->private_dir) &&
	    epaddr_private_dir_ensure(ep->private_dir, err, errlen) < 0)
		return -1;
	if (lstat(path, &st) < 0)
		return 0;
	epaddr_str(&ep->cfg.addr, as, sizeof(as));
	if (S_ISSOCK(st.st_mode) && endpoint_path_is_stale(path)) {
		if (ep->cfg.replace_stale) {
			if (unlink(path) == 0) {
				ep_note(ep, TR_INFO, NULL, 0,
					_("removed the stale socket file %s"), as);
				return 0;
			}
			snprintf(err, errlen, _("cannot remove the stale socket file %s: %s"), as,
				 strerror(errno));
			errno = EEXIST;
			return -1;
		}
		snprintf(err, errlen,
			 _("path exists: %s is a stale socket file (nothing listens on it: a "
			   "check connection to it was refused)"), as);
		errno = ESTALE;
		return -1;
	} else if (S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen,
			 _("path exists: %s is a socket in use (a check connection to it was "
			   "answered)"), as);
	} else if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, _("path exists: %s is a symbolic link"), as);
	} else if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, _("path exists: %s is a directory"), as);
	} else {
		snprintf(err, errlen, _("path exists: %s is not a socket"), as);
	}
	errno = EEXIST;
	return -1;
}

/* Creates the server socket, binds it and (stream) listens. */
static int server_start(struct endpoint *ep, char *err, size_t errlen)
{
	const char *path = epaddr_path(&ep->cfg.addr);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd, one = 1, r, e;
	mode_t old;

	if (path && unix_path_prepare(ep, path, err, errlen) < 0)
		return -1;
	if (ep_new_socket(ep, &fd) < 0) {
		e = errno;
		ep_errtext(e, &ep->cfg.addr, err, errlen);
		errno = e;
		return -1;
	}
	/* A restarted server must not wait for old TIME-WAIT connections. */
	if (ep->cfg.transport == EP_TCP)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* The socket file gets 0777 & ~umask: make it ours alone whatever the
	 * umask (single thread: nothing else runs meanwhile). */
	old = umask(0177);
	r = bind(fd, (const struct sockaddr *)&ep->cfg.addr.sa, ep->cfg.addr.len);
	e = errno;
	umask(old);
	if (r < 0) {
		char as[EPADDR_STRLEN];

		epaddr_str(&ep->cfg.addr, as, sizeof(as));
		/* binding a path: ENOENT and ENOTDIR are about its directory */
		if (path && e == ENOENT)
			snprintf(err, errlen, _("the directory of %s does not exist"), as);
		else if (path && e == ENOTDIR)
			snprintf(err, errlen, _("a part of the directory of %s is not a directory"),
				 as);
		else
			ep_errtext(e, &ep->cfg.addr, err, errlen);
		goto fail;
	}
	if (path) {
		struct stat st;

		/* Remember the file by inode, to remove it and only it. */
		if (lstat(path, &st) == 0) {
			ep->made_file = true;
			ep->file_dev = st.st_dev;
			ep->file_ino = st.st_ino;
			ep->file_path = xstrdup(path);
		}
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0 ||
	    epaddr_from_sockaddr(&ep->local, (struct sockaddr *)&ss, sl) < 0)
		ep->local = ep->cfg.addr;
	if (!ep->dgram && listen(fd, SOMAXCONN) < 0) {
		e = errno;
		ep_errtext(e, &ep->cfg.addr, err, errlen);
		goto fail;
	}
	if (ep_fd_add(ep, fd, POLLIN) < 0) {
		e = errno;
		snprintf(err, errlen, _("cannot watch the socket: %s"), strerror(e));
		goto fail;
	}
	ep->fd = fd;
	ep->events = POLLIN;
	ep->inode = ep_fd_inode(fd);
	return 0;
fail:
	close(fd);
	errno = e;
	return -1;
}

struct endpoint *endpoint_new(const struct endpoint_config *cfg, char *err, size_t errlen)
{
	struct endpoint *ep;
	char dummy[8];
	char as[EPADDR_STRLEN];

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	if (config_check(cfg, err, errlen) < 0) {
		errno = EINVAL;
		return NULL;
	}
	ep = xcalloc(1, sizeof(*ep));
	ep->cfg = *cfg;
	if (!ep->cfg.queue_limit)
		ep->cfg.queue_limit = EP_DEFAULT_QUEUE_LIMIT;
	if (!ep->cfg.connect_timeout_ms)
		ep->cfg.connect_timeout_ms = EP_DEFAULT_CONNECT_TIMEOUT_MS;
	if (!ep->cfg.dgram_rate)
		ep->cfg.dgram_rate = EP_DEFAULT_DGRAM_RATE;
	if (cfg->greeting) {
		ep->greeting = xmemdup(cfg->greeting, cfg->greeting_len + 1);
		ep->greeting[cfg->greeting_len] = '\0';
	} else {
		ep->greeting = xstrdup(_("Thank you for connecting\n"));
		ep->cfg.greeting_len = strlen(ep->greeting);
	}
	ep->cfg.greeting = ep->greeting;
	if (cfg->private_dir)
		ep->private_dir = xstrdup(cfg->private_dir);
	ep->cfg.private_dir = ep->private_dir;
	ep->family = cfg->addr.family;
	ep->ops = cfg->lab != EP_LAB_NONE ? &ep_lab_ops : transport_ops[cfg->transport];
	ep->dgram = endpoint_transport_is_dgram(cfg->transport);
	ep->socktype = ep->ops->socktype;
	ep->fd = -1;
	ep->nsfd = cfg->in_netns ? fcntl(cfg->netns_fd, F_DUPFD_CLOEXEC, 0) : -1;
	if (cfg->in_netns && ep->nsfd < 0) {
		int e = errno;

		snprintf(err, errlen, _("network namespace: %s"), strerror(e));
		free(ep->greeting);
		free(ep->private_dir);
		free(ep);
		errno = e;
		return NULL;
	}
	ep->tr = transcript_new(cfg->transcript_entries, cfg->transcript_bytes);
	transcript_set_entry_max(ep->tr, EP_TRANSCRIPT_ENTRY_MAX);
	ep->rbuf = xmalloc(EP_RBUF_SIZE);
	ep->remote = cfg->addr;
	ep->local.family = ep->family;
	ep->max_clients = client_cap(cfg->max_clients);
	ep->next_id = 1;
	ep->state = EP_STATE_READY;

	if (cfg->kind == EP_CLIENT) {
		int e;

		if (ep->ops->client_start(ep) < 0) {
			e = errno;
			ep_errtext(e, &ep->remote, err, errlen);
			endpoint_free(ep);
			errno = e;
			return NULL;
		}
		if (cfg->fail_at_once && ep->state == EP_STATE_FAILED) {
			/* known now (a Unix path, an unreachable network): the
			 * caller keeps its form rather than open a dead pane */
			e = ep->err;
			snprintf(err, errlen, "%s", ep->errmsg);
			endpoint_free(ep);
			errno = e;
			return NULL;
		}
	} else {
		if (server_start(ep, err, errlen) < 0) {
			int e = errno;

			endpoint_free(ep);
			errno = e;
			return NULL;
		}
		ep_note(ep, TR_INFO, NULL, 0,
			ep->dgram ? _("%s bound to %s") : _("%s listening on %s"),
			endpoint_kind_name(cfg->kind), epaddr_str(&ep->local, as, sizeof(as)));
	}
	ep->dirty = true;
	return ep;
}

bool endpoint_can_reconnect(const struct endpoint *ep)
{
	return ep && ep->cfg.kind == EP_CLIENT &&
	       (ep->state == EP_STATE_CLOSED || ep->state == EP_STATE_FAILED);
}

int endpoint_reconnect(struct endpoint *ep)
{
	if (!endpoint_can_reconnect(ep)) {
		errno = EINVAL;
		return -1;
	}
	/* what is left of the last connection goes first */
	ep_file_stop(ep);
	ep->ops->close_all(ep);
	if (ep->fd >= 0) {
		ep_fd_del(ep, ep->fd);
		close(ep->fd);
		ep->fd = -1;
	}
	ep->err = 0;
	ep->errmsg[0] = '\0';
	ep->connect_deadline = 0;
	ep->state = EP_STATE_READY;
	ep_note(ep, TR_INFO, NULL, 0, "%s", _("connecting again"));
	ep->dirty = true;
	return ep->ops->client_start(ep);
}

void endpoint_close(struct endpoint *ep)
{
	if (!ep || (ep->state == EP_STATE_CLOSED && ep->fd < 0 && !ep->npeers))
		return;
	ep_file_stop(ep);
	ep->ops->close_all(ep);
	if (ep->fd >= 0) {
		ep_fd_del(ep, ep->fd);
		close(ep->fd);
		ep->fd = -1;
	}
	if (ep->made_file) {
		struct stat st;

		/* Only the very file we bound: someone may have replaced it. */
		if (lstat(ep->file_path, &st) == 0 && S_ISSOCK(st.st_mode) &&
		    st.st_dev == ep->file_dev && st.st_ino == ep->file_ino)
			unlink(ep->file_path);
		if (ep->private_dir && path_in_dir(ep->file_path, ep->private_dir))
			rmdir(ep->private_dir); /* fails harmlessly when not empty */
		ep->made_file = false;
	}
	if (ep->state != EP_STATE_FAILED && ep->state != EP_STATE_CLOSED) {
		ep->state = EP_STATE_CLOSED;
		ep_note(ep, TR_INFO, NULL, 0, "%s", _("closed"));
	}
	ep->accept_resume = 0;
	ep->connect_deadline = 0;
	ep->dirty = true;
}

void endpoint_free(struct endpoint *ep)
{
	if (!ep)
		return;
	endpoint_close(ep);
	ep_file_stop(ep);
	free(ep->peers);
	free(ep->by_fd);
	free(ep->dpeers);
	free(ep->file_path);
	free(ep->rlabel);
	free(ep->greeting);
	free(ep->private_dir);
	free(ep->rbuf);
	if (ep->ops->destroy)
		ep->ops->destroy(ep);
	transcript_free(ep->tr);
	if (ep->nsfd >= 0)
		close(ep->nsfd);
	free(ep);
}

/* Lets the transport free what it marked for closing. */
static void transport_reap(struct endpoint *ep)
{
	if (ep->ops->reap)
		ep->ops->reap(ep);
}

void endpoint_handle(struct endpoint *ep, int fd, short revents)
{
	if (fd < 0)
		return;
	if (fd == ep->fd && (revents & POLLNVAL)) {
		/* Someone closed our socket under us: give up on it rather
		 * than spin on POLLNVAL. */
		ep_fd_del(ep, ep->fd);
		ep->fd = -1;
		ep->err = EBADF;
		snprintf(ep->errmsg, sizeof(ep->errmsg), "%s",
			 _("the socket was closed unexpectedly"));
		ep_record(ep, TR_ERROR, NULL, 0, ep->errmsg, strlen(ep->errmsg));
		endpoint_close(ep);
		ep->state = EP_STATE_FAILED;
		return;
	}
	ep->ops->handle(ep, fd, revents);
	transport_reap(ep);
	ep_file_pump(ep);
}

int endpoint_next_timeout_ms(const struct endpoint *ep, int64_t now)
{
	int64_t next = ep->ops->next_deadline ? ep->ops->next_deadline(ep) : 0, d;

	if (!next)
		return -1;
	d = next - now;
	if (d < 0)
		return 0;
	return d > INT_MAX ? INT_MAX : (int)d;
}

void endpoint_tick(struct endpoint *ep, int64_t now)
{
	if (ep->ops->tick)
		ep->ops->tick(ep, now);
	transport_reap(ep);
	ep_file_pump(ep);
}

bool endpoint_accepts_input(const struct endpoint *ep)
{
	if (ep->state != EP_STATE_READY && ep->state != EP_STATE_CONNECTING)
		return false;
	return ep->cfg.kind == EP_CLIENT || ep->cfg.kind == EP_CHAT;
}

int endpoint_send(struct endpoint *ep, const void *data, size_t len)
{
	int r;

	if (ep->cfg.kind != EP_CLIENT && ep->cfg.kind != EP_CHAT) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (ep->state != EP_STATE_READY && ep->state != EP_STATE_CONNECTING) {
		errno = ENOTCONN;
		return -1;
	}
	r = ep->ops->send(ep, data, len);
	if (r < 0) {
		int e = errno;

		transport_reap(ep);
		errno = e;
		return -1;
	}
	transport_reap(ep);
	return 0;
}

int endpoint_send_line(struct endpoint *ep, const void *data, size_t len)
{
	struct buf line = BUF_INIT;
	size_t bad = 0;
	int r, e;

	if (len >= EP_QUEUE_LIMIT_MAX || (ep->dgram && !ep->cfg.escapes))
		return endpoint_send(ep, data, len);
	if (linecode_encode(data, len, ep->cfg.escapes, ep->dgram ? EP_EOL_NONE : ep->cfg.eol,
			    &line, &bad) < 0) {
		ep_note(ep, TR_ERROR, NULL, 0,
			_("not sent: a bad escape at column %zu (use \\\\ \\n \\r \\t \\0 "
			  "\\e or \\xHH with two hex digits)"), bad + 1);
		buf_free(&line);
		errno = EINVAL;
		return -1;
	}
	if (!line.len) {
		/* an empty line without a line ending: nothing to send */
		ep_note(ep, TR_INFO, NULL, 0, "%s", _("nothing to send (an empty line, line end: none)"));
		return 0;
	}
	r = endpoint_send(ep, line.data, line.len);
	e = errno;
	buf_free(&line);
	errno = e;
	return r;
}

int endpoint_shutdown_write(struct endpoint *ep)
{
	if (ep->cfg.kind != EP_CLIENT || ep->dgram || !ep->ops->shutdown_write) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (ep->state != EP_STATE_READY) {
		errno = ENOTCONN;
		return -1;
	}
	return ep->ops->shutdown_write(ep);
}

struct transcript *endpoint_transcript(struct endpoint *ep)
{
	return ep->tr;
}

const struct endpoint_stats *endpoint_stats(const struct endpoint *ep)
{
	return &ep->st;
}

enum ep_kind endpoint_kind(const struct endpoint *ep)
{
	return ep->cfg.kind;
}

enum ep_transport endpoint_transport(const struct endpoint *ep)
{
	return ep->cfg.transport;
}

int endpoint_family(const struct endpoint *ep)
{
	return ep->family;
}

enum ep_state endpoint_state(const struct endpoint *ep)
{
	return ep->state;
}

int endpoint_error(const struct endpoint *ep)
{
	return ep->err;
}

const struct epaddr *endpoint_local_addr(const struct endpoint *ep)
{
	return &ep->local;
}

const struct epaddr *endpoint_remote_addr(const struct endpoint *ep)
{
	return &ep->remote;
}

uint32_t endpoint_take_select(struct endpoint *ep)
{
	uint32_t i = ep->select_inode;

	ep->select_inode = 0;
	return i;
}

bool endpoint_take_dirty(struct endpoint *ep)
{
	bool d = ep->dirty;

	ep->dirty = false;
	return d;
}

const char *endpoint_kind_name(enum ep_kind kind)
{
	static const char *const names[EP_NKINDS] = {
		N_("echo server"), N_("chat server"), N_("greeting server"),
		N_("sink server"), N_("client"),
	};

	return (unsigned)kind < EP_NKINDS ? _(names[kind]) : "?";
}

const char *endpoint_transport_name(enum ep_transport t)
{
	static const char *const names[EP_NTRANSPORTS] = {
		N_("TCP"), N_("UDP"), N_("Unix stream"), N_("Unix datagram"), N_("Unix seqpacket"),
	};

	return (unsigned)t < EP_NTRANSPORTS ? _(names[t]) : "?";
}

/* Appends an address escaped for the terminal. */
static void put_addr(const struct epaddr *a, enum esc_charset cs, struct buf *out)
{
	struct buf raw = BUF_INIT;

	epaddr_format(a, &raw);
	esc_display(out, raw.data, raw.len, cs);
	buf_free(&raw);
}

void endpoint_title(const struct endpoint *ep, enum esc_charset cs, struct buf *out)
{
	if (ep->ops->title) {
		ep->ops->title(ep, cs, out);
		return;
	}
	buf_printf(out, "%s, %s ", endpoint_kind_name(ep->cfg.kind),
		   endpoint_transport_name(ep->cfg.transport));
	if (ep->cfg.kind == EP_CLIENT) {
		buf_puts(out, _("to"));
		buf_putc(out, ' ');
		put_addr(&ep->remote, cs, out);
	} else {
		put_addr(ep->local.len ? &ep->local : &ep->cfg.addr, cs, out);
	}
}

/* Appends a byte count in a short human form (B, KiB, MiB, GiB). */
static void put_bytes(struct buf *out, uint64_t n)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	unsigned u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		buf_printf(out, "%llu %s", (unsigned long long)n, unit[0]);
	else
		buf_printf(out, "%.1f %s", v, unit[u]);
}

void endpoint_state_text(const struct endpoint *ep, enum esc_charset cs, struct buf *out)
{
	if (ep->ops->state_text && ep->state == EP_STATE_READY) {
		ep->ops->state_text(ep, cs, out);
		return;
	}
	switch (ep->state) {
	case EP_STATE_CONNECTING:
		buf_puts(out, _("connecting to "));
		put_addr(&ep->remote, cs, out);
		return;
	case EP_STATE_FAILED:
		esc_display(out, ep->errmsg, strlen(ep->errmsg), cs);
		return;
	case EP_STATE_CLOSED:
		buf_puts(out, _("closed"));
		break;
	case EP_STATE_READY:
		if (ep->cfg.kind == EP_CLIENT) {
			buf_puts(out, ep->dgram ? _("sending datagrams") : _("connected"));
		} else {
			buf_puts(out, ep->dgram ? _("bound") : _("listening"));
			buf_puts(out, ", ");
			buf_printf(out,
				   ep->dgram ? P_("%zu peer", "%zu peers", ep->st.clients)
					     : P_("%zu client", "%zu clients", ep->st.clients),
				   ep->st.clients);
			if (ep->accept_resume) {
				buf_puts(out, ", ");
				buf_puts(out, _("not accepting: out of file descriptors"));
			}
		}
		break;
	}
	buf_puts(out, ", ");
	put_bytes(out, ep->st.bytes_in);
	buf_putc(out, ' ');
	buf_puts(out, _("in"));
	buf_puts(out, ", ");
	put_bytes(out, ep->st.bytes_out);
	buf_putc(out, ' ');
	buf_puts(out, _("out"));
}

size_t endpoint_fds(const struct endpoint *ep, int *out, size_t max)
{
	size_t n = 0, i;

	if (ep->fd >= 0) {
		if (n < max)
			out[n] = ep->fd;
		n++;
	}
	for (i = 0; i < ep->npeers; i++) {
		if (ep->peers[i]->fd < 0)
			continue;
		if (n < max)
			out[n] = ep->peers[i]->fd;
		n++;
	}
	return n;
}

static uint64_t fp_mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ull;
	return h ^ h >> 29;
}

uint64_t endpoint_inodes_fp(const struct endpoint *ep)
{
	uint64_t h = fp_mix(0, ep->fd >= 0 ? (uint64_t)ep->inode << 1 | 1 : 0);

	for (size_t i = 0; i < ep->npeers; i++)
		if (ep->peers[i]->fd >= 0)
			h = fp_mix(h, ep->peers[i]->inode);
	return h;
}

size_t endpoint_inodes(const struct endpoint *ep, uint32_t *out, size_t max)
{
	size_t n = 0, i;

	if (ep->fd >= 0) {
		if (n < max)
			out[n] = ep->inode;
		n++;
	}
	for (i = 0; i < ep->npeers; i++) {
		if (ep->peers[i]->fd < 0)
			continue;
		if (n < max)
			out[n] = ep->peers[i]->inode;
		n++;
	}
	return n;
}
