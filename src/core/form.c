/* form.c - the new endpoint form: defaults, keys, validation. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "filter.h"
#include "form.h"
#include "i18n.h"
#include "keys.h"

const char *form_kind_help(enum ep_kind kind)
{
	switch (kind) {
	case EP_ECHO:
		return _("sends back every byte it receives");
	case EP_CHAT:
		return _("relays each message to the other clients; a client's \"bye\" ends its session");
	case EP_GREETING:
		return _("sends a greeting to each client and closes");
	case EP_SINK:
		return _("reads and counts the bytes, answers nothing");
	case EP_CLIENT:
		return _("connects to a server; type lines, Enter sends them");
	default:
		return "";
	}
}

bool form_field_is_choice(enum form_field field)
{
	return field == FF_TRANSPORT || field == FF_FAMILY || field == FF_EOL ||
	       field == FF_INPUT || field == FF_KEEP || field == FF_NETNS;
}

static bool is_unix(enum ep_transport t)
{
	return t == EP_UNIX_STREAM || t == EP_UNIX_DGRAM || t == EP_UNIX_SEQPACKET;
}

bool form_field_shown(const struct form *f, enum form_field field)
{
	switch (field) {
	case FF_TRANSPORT:
		return true;
	case FF_FAMILY:
	case FF_ADDR:
	case FF_PORT:
		return !is_unix(f->transport);
	case FF_PATH:
		return is_unix(f->transport);
	case FF_GREETING:
		return f->kind == EP_GREETING;
	case FF_EOL:
	case FF_KEEP:
		return f->kind == EP_CLIENT && !endpoint_transport_is_dgram(f->transport);
	case FF_INPUT:
		return f->kind == EP_CLIENT;
	case FF_NETNS:
		return formns_offered(&f->ns);
	default:
		return false;
	}
}

const char *form_field_label(enum form_field field)
{
	switch (field) {
	case FF_TRANSPORT: return _("Transport");
	case FF_FAMILY: return _("IP version");
	case FF_ADDR: return _("Address");
	case FF_PORT: return _("Port");
	case FF_PATH: return _("Path");
	case FF_GREETING: return _("Greeting");
	case FF_EOL: return _("Line end");
	case FF_INPUT: return _("Typed text");
	case FF_KEEP: return _("Peer closes");
	case FF_NETNS: return _("Namespace");
	default: return "";
	}
}

size_t form_choices(enum form_field field)
{
	switch (field) {
	case FF_TRANSPORT: return EP_NTRANSPORTS;
	case FF_EOL: return EP_EOL_N_;
	case FF_FAMILY:
	case FF_INPUT:
	case FF_KEEP: return 2;
	default: return 0;
	}
}

const char *form_choice_name(enum form_field field, size_t i)
{
	if (field == FF_TRANSPORT)
		return endpoint_transport_name((enum ep_transport)i);
	if (field == FF_FAMILY)
		return i ? "IPv6" : "IPv4";
	if (field == FF_EOL)
		return linecode_eol_name((enum ep_eol)i);
	if (field == FF_INPUT)
		return i ? _("with escapes") : _("as typed");
	if (field == FF_KEEP)
		return i ? _("stay open (CLOSE-WAIT)") : _("close too");
	return "";
}

size_t form_choice_current(const struct form *f, enum form_field field)
{
	if (field == FF_TRANSPORT)
		return (size_t)f->transport;
	if (field == FF_FAMILY)
		return f->family == AF_INET6 ? 1 : 0;
	if (field == FF_EOL)
		return (size_t)f->eol;
	if (field == FF_INPUT)
		return f->escapes;
	if (field == FF_KEEP)
		return f->keep_open;
	if (field == FF_NETNS)
		return f->ns.cur;
	return 0;
}

/* ---- defaults ---- */

static void set_field(struct form *f, enum form_field field, const char *text)
{
	lineedit_set(&f->field[field], text);
}

/* The host part of an IP address as the user would type it, without the
 * port or brackets; the wildcard becomes the loopback (a client cannot
 * usefully connect to "any"). */
static void host_text(const struct epaddr *a, char *out, size_t len)
{
	const void *addr;

	if (a->family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&a->sa;

		addr = &s6->sin6_addr;
		if (IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr))
			addr = &in6addr_loopback;
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)&a->sa;
		static const struct in_addr lo = { 0 };

		addr = &s4->sin_addr;
		if (s4->sin_addr.s_addr == lo.s_addr) {
			snprintf(out, len, "127.0.0.1");
			return;
		}
	}
	if (!inet_ntop(a->family, addr, out, (socklen_t)len))
		snprintf(out, len, "%s", a->family == AF_INET6 ? "::1" : "127.0.0.1");
}

static const char *kind_stem(enum ep_kind k)
{
	switch (k) {
	case EP_ECHO: return "echo";
	case EP_CHAT: return "chat";
	case EP_GREETING: return "greeting";
	case EP_SINK: return "sink";
	default: return "sockview";
	}
}

/* The text of a field without blanks around it, into out. */
static void trimmed(const struct lineedit *e, char *out, size_t len)
{
	size_t a = 0, b = e->len;

	while (a < b && (e->text[a] == ' ' || e->text[a] == '\t'))
		a++;
	while (b > a && (e->text[b - 1] == ' ' || e->text[b - 1] == '\t'))
		b--;
	snprintf(out, len, "%.*s", (int)(b - a), e->text + a);
}

/* True if a port text is meant as a service name: it starts with a
 * letter ("http", "ssh"); numbers, signs and blanks are numbers (or
 * wrong numbers). The filter's limit on a name's length applies. */
static bool is_service_name(const char *s)
{
	return ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) && strlen(s) < 64 &&
	       !strchr(s, '\\');
}

/* Looks the Port field up (outside the draw path: it reads
 * /etc/services): f->port_service. */
static void port_lookup(struct form *f)
{
	char port[LINEEDIT_MAX];
	int v;

	trimmed(&f->field[FF_PORT], port, sizeof(port));
	if (!is_service_name(port)) {
		f->port_service = FORM_PORT_NUMBER;
		return;
	}
	v = f->env.service ? f->env.service(port, f->env.ctx) : filter_service_port(port, NULL);
	f->port_service = v < 0 || v > 65535 ? FORM_PORT_UNKNOWN : v;
}

/* True if the client's default target is the last server. */
static bool use_last(const struct form *f)
{
	if (f->kind != EP_CLIENT || !f->env.have_last || f->env.last_transport != f->transport)
		return false;
	return is_unix(f->transport) || f->env.last_addr.family == f->family;
}

bool form_targets_last(const struct form *f, enum form_field field)
{
	return use_last(f) && !f->edited[field];
}

const char *form_placeholder(const struct form *f, enum form_field field)
{
	if (field != FF_PATH || f->kind != EP_CLIENT || f->transport != EP_UNIX_DGRAM ||
	    f->field[FF_PATH].len)
		return NULL;
	return endpoint_path_is_socket(FORM_PLACEHOLDER_DGRAM) ? FORM_PLACEHOLDER_DGRAM : NULL;
}

/* Fills the fields the user has not typed into with the defaults for the
 * current transport and IP version. */
static void apply_defaults(struct form *f)
{
	char tmp[EPADDR_STRLEN];
	bool last = use_last(f);

	f->note[0] = '\0';
	if (!is_unix(f->transport)) {
		if (!f->edited[FF_ADDR]) {
			if (last)
				host_text(&f->env.last_addr, tmp, sizeof(tmp));
			else
				snprintf(tmp, sizeof(tmp), "%s", f->family == AF_INET6 ? "::1" : "127.0.0.1");
			set_field(f, FF_ADDR, tmp);
		}
		if (!f->edited[FF_PORT]) {
			uint16_t port = 0;

			tmp[0] = '\0';
			if (f->kind == EP_CLIENT) {
				if (last)
					snprintf(tmp, sizeof(tmp), "%u",
						 (unsigned)epaddr_port(&f->env.last_addr));
			} else if (epaddr_suggest_port(f->family,
						       f->transport == EP_UDP ? SOCK_DGRAM
									      : SOCK_STREAM,
						       FORM_PORT_BASE, &port) == 0) {
				snprintf(tmp, sizeof(tmp), "%u", (unsigned)port);
			} else {
				/* 0: the kernel picks one when binding */
				snprintf(tmp, sizeof(tmp), "0");
			}
			set_field(f, FF_PORT, tmp);
		}
		port_lookup(f);
		return;
	}
	if (f->edited[FF_PATH])
		return;
	tmp[0] = '\0';
	if (f->kind == EP_CLIENT) {
		if (last) {
			const char *p = epaddr_path(&f->env.last_addr);
			struct buf b = BUF_INIT;

			if (p) {
				snprintf(tmp, sizeof(tmp), "%s", p);
			} else {
				/* an abstract name: as typed, "@name" */
				epaddr_format(&f->env.last_addr, &b);
				snprintf(tmp, sizeof(tmp), "%.*s", (int)b.len, b.data ? b.data : "");
				buf_free(&b);
			}
		}
	} else {
		char err[256];
		const char *dir = f->env.private_dir ? f->env.private_dir(f->env.ctx, err, sizeof(err))
						     : NULL;

		if (!dir)
			snprintf(f->note, sizeof(f->note), "%s",
				 f->env.private_dir ? err : _("no private directory: type a path"));
		else if (epaddr_suggest_path(dir, kind_stem(f->kind), tmp, sizeof(tmp)) < 0)
			tmp[0] = '\0';
	}
	set_field(f, FF_PATH, tmp);
}

void form_open(struct form *f, enum ep_kind kind, const struct form_env *env)
{
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->env = *env;
	f->transport = EP_TCP;
	f->family = AF_INET;
	f->focus = FF_TRANSPORT;
	f->port_service = FORM_PORT_NUMBER;
	if (kind == EP_CLIENT && env->have_last) {
		f->transport = env->last_transport;
		if (env->last_addr.family == AF_INET6)
			f->family = AF_INET6;
	}
	set_field(f, FF_GREETING, _("Thank you for connecting"));
	formns_fill(&f->ns, env->netns, env->netns_shown);
	f->env.netns = NULL; /* read here only */
	apply_defaults(f);
}

/* ---- keys ---- */

static void move_focus(struct form *f, int dir)
{
	int k = (int)f->focus;

	for (int i = 0; i < FF_MAX_; i++) {
		k = (k + dir + FF_MAX_) % FF_MAX_;
		if (form_field_shown(f, (enum form_field)k)) {
			f->focus = (enum form_field)k;
			return;
		}
	}
}

static void change_choice(struct form *f, int dir)
{
	if (f->focus == FF_TRANSPORT) {
		int t = ((int)f->transport + dir + EP_NTRANSPORTS) % EP_NTRANSPORTS;

		f->transport = (enum ep_transport)t;
		/* a client follows the last server when its transport is chosen */
		if (use_last(f) && !is_unix(f->transport))
			f->family = f->env.last_addr.family;
	} else if (f->focus == FF_FAMILY) {
		f->family = f->family == AF_INET6 ? AF_INET : AF_INET6;
	} else if (f->focus == FF_EOL) {
		f->eol = (enum ep_eol)(((int)f->eol + dir + EP_EOL_N_) % EP_EOL_N_);
		return;
	} else if (f->focus == FF_INPUT) {
		f->escapes = !f->escapes;
		return;
	} else if (f->focus == FF_KEEP) {
		f->keep_open = !f->keep_open;
		return;
	} else if (f->focus == FF_NETNS) {
		formns_step(&f->ns, dir);
		if (f->err_field == FF_NETNS)
			f->err[0] = '\0';
		return;
	}
	f->err[0] = '\0';
	f->stale_offer = false;
	apply_defaults(f);
}

/* A field refused input for want of room (lineedit_over): says so. */
static int too_long(struct form *f, enum form_field field)
{
	snprintf(f->err, sizeof(f->err),
		 _("%s: too long, at most %d bytes: the rest was refused; shorten it"),
		 form_field_label(field), LINEEDIT_TEXT_MAX);
	f->err_field = field;
	f->focus = field;
	return -1;
}

enum form_result form_key(struct form *f, int key)
{
	bool handled = false;

	if (!form_field_shown(f, f->focus))
		move_focus(f, 1);
	switch (key) {
	case KC_ESC:
		return FORM_CANCEL;
	case KC_ENTER:
		return FORM_SUBMIT;
	case KC_UP:
	case KC_BTAB:
		move_focus(f, -1);
		return FORM_CHANGED;
	case KC_DOWN:
	case KC_TAB:
		move_focus(f, 1);
		return FORM_CHANGED;
	default:
		break;
	}
	if (form_field_is_choice(f->focus)) {
		if (key == KC_LEFT) {
			change_choice(f, -1);
			return FORM_CHANGED;
		}
		if (key == KC_RIGHT || key == ' ') {
			change_choice(f, 1);
			return FORM_CHANGED;
		}
		return FORM_IGNORED;
	}
	if (key >= KC_F1 && key <= KC_F12)
		return FORM_IGNORED;
	if (lineedit_key(&f->field[f->focus], key, &handled)) {
		f->edited[f->focus] = true;
		if (f->focus == FF_PORT)
			port_lookup(f);
		if (f->focus == f->err_field || f->stale_offer) {
			f->err[0] = '\0';
			f->stale_offer = false;
		}
	}
	if (handled && lineedit_over(&f->field[f->focus]))
		too_long(f, f->focus);
	return handled ? FORM_CHANGED : FORM_IGNORED;
}

/* ---- validation ---- */

static int fail(struct form *f, enum form_field field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct form *f, enum form_field field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->err, sizeof(f->err), fmt, ap);
	va_end(ap);
	f->err_field = field;
	f->focus = field;
	return -1;
}

static int config_ip(struct form *f, struct endpoint_config *cfg)
{
	char host[LINEEDIT_MAX], port[LINEEDIT_MAX], text[2 * LINEEDIT_MAX + 8], err[256];
	unsigned long pv;
	char *end;
	int fam = f->family;

	trimmed(&f->field[FF_PORT], port, sizeof(port));
	if (!port[0])
		return fail(f, FF_PORT, "%s",
			    f->kind == EP_CLIENT ? _("Port: enter the server's port (1 to 65535)")
						 : _("Port: enter a port (0 lets the kernel choose one)"));
	port_lookup(f);
	if (f->port_service == FORM_PORT_UNKNOWN)
		return fail(f, FF_PORT,
			    _("Port: \"%s\" is not a known service name (see /etc/services): "
			      "enter a number from %d to 65535 or a name such as http"),
			    port, f->kind == EP_CLIENT ? 1 : 0);
	errno = 0;
	if (f->port_service >= 0) {
		pv = (unsigned long)f->port_service;
	} else {
		pv = strtoul(port, &end, 10);
		if (*end || port[0] == '-' || port[0] == '+' || errno || pv > 65535)
			return fail(f, FF_PORT,
				    _("Port: \"%s\" is not a number from %d to 65535 or a service "
				      "name"),
				    port, f->kind == EP_CLIENT ? 1 : 0);
	}
	if (f->kind == EP_CLIENT && pv == 0)
		return fail(f, FF_PORT, "%s", _("Port: a client needs the server's port (1 to 65535)"));

	trimmed(&f->field[FF_ADDR], host, sizeof(host));
	if (!host[0])
		snprintf(host, sizeof(host), "%s", fam == AF_INET6 ? "::1" : "127.0.0.1");
	/* the address says its version: follow it rather than refuse */
	if (strchr(host, ':') || host[0] == '[')
		fam = AF_INET6;
	else if (strspn(host, "0123456789.") == strlen(host))
		fam = AF_INET;
	f->family = fam;
	if (fam == AF_INET6 && host[0] != '[' && strcmp(host, "*"))
		snprintf(text, sizeof(text), "[%s]:%lu", host, pv);
	else
		snprintf(text, sizeof(text), "%s:%lu", host, pv);
	if (epaddr_parse(&cfg->addr, text, fam, err, sizeof(err)) < 0)
		return fail(f, FF_ADDR, _("Address: %s"), err);
	return 0;
}

int form_config(struct form *f, struct endpoint_config *cfg)
{
	char err[256];

	f->err[0] = '\0';
	/* never opened with a field cut: the end of what was typed is missing */
	for (int i = 0; i < FF_MAX_; i++)
		if (form_field_shown(f, (enum form_field)i) && lineedit_over(&f->field[i]))
			return too_long(f, (enum form_field)i);
	endpoint_config_init(cfg, f->kind, f->transport);
	/* a client that cannot connect, known at once, keeps the form with
	 * the reason, as a server's "in use" does */
	cfg->fail_at_once = f->kind == EP_CLIENT;
	if (f->kind == EP_CLIENT) {
		cfg->eol = f->eol;
		cfg->escapes = f->escapes;
		cfg->keep_open = f->keep_open;
	}
	if (!is_unix(f->transport)) {
		if (config_ip(f, cfg) < 0)
			return -1;
	} else {
		const char *path = f->field[FF_PATH].text;

		if (!path[0])
			return fail(f, FF_PATH, "%s",
				    _("Path: enter a socket path, or @name for an abstract socket"));
		if (epaddr_parse(&cfg->addr, path, AF_UNIX, err, sizeof(err)) < 0)
			return fail(f, FF_PATH, _("Path: %s"), err);
		if (f->stale_offer && !strcmp(path, f->stale_path))
			cfg->replace_stale = true;
	}
	if (f->kind == EP_GREETING) {
		/* the greeting is a line: it ends with a newline */
		snprintf(f->greeting, sizeof(f->greeting), "%s\n", f->field[FF_GREETING].text);
		cfg->greeting = f->greeting;
		cfg->greeting_len = strlen(f->greeting);
	}
	return 0;
}

bool form_retry_port(struct form *f)
{
	char before[LINEEDIT_MAX];

	if (f->kind == EP_CLIENT || is_unix(f->transport) || f->edited[FF_PORT])
		return false;
	snprintf(before, sizeof(before), "%s", f->field[FF_PORT].text);
	apply_defaults(f);
	return strcmp(before, f->field[FF_PORT].text) != 0;
}

void form_set_error(struct form *f, int e, const char *msg)
{
	enum form_field field = FF_TRANSPORT;
	const char *path = is_unix(f->transport) ? f->field[FF_PATH].text : NULL;

	snprintf(f->err, sizeof(f->err), "%s", msg);
	f->stale_offer = false;
	if (path && (e == EEXIST || e == ESTALE || e == EACCES || e == EPERM || e == ENOENT ||
		     e == ENOTDIR || e == EADDRINUSE || e == ECONNREFUSED || e == EPROTOTYPE ||
		     e == EAGAIN))
		field = FF_PATH;
	else if (!path && (e == EADDRINUSE || e == EACCES || e == EPERM || e == ECONNREFUSED))
		field = FF_PORT;
	else if (!path && (e == EADDRNOTAVAIL || e == EAFNOSUPPORT || e == EINVAL ||
			   e == ENETUNREACH || e == EHOSTUNREACH))
		field = FF_ADDR;
	/* endpoint_new found the file stale (its check connection was
	 * refused): probing again here would only make a second one */
	if (path && e == ESTALE && f->kind != EP_CLIENT && strlen(path) < sizeof(f->stale_path)) {
		f->stale_offer = true;
		snprintf(f->stale_path, sizeof(f->stale_path), "%s", path);
	}
	f->err_field = field;
	f->focus = field;
}

void form_netns_error(struct form *f, const char *msg)
{
	snprintf(f->err, sizeof(f->err), "%s", msg);
	f->stale_offer = false;
	f->err_field = FF_NETNS;
	if (form_field_shown(f, FF_NETNS))
		f->focus = FF_NETNS;
}

/* ---- who holds an address ---- */

static bool addr_any(const uint8_t *a, int family)
{
	static const uint8_t zero[16];

	return !memcmp(a, zero, family == AF_INET6 ? 16 : 4);
}

/* How well s matches the address wanted: 0 not at all, 1 the port or path
 * only through a connection, 2 a listener or bound datagram socket. */
static int holder_score(const struct sock *s, enum ep_transport t, const struct epaddr *want)
{
	if (is_unix(t)) {
		const char *path = epaddr_path(want);
		size_t n;

		if (s->proto != SP_UNIX || !path || !(s->has & SOCK_HAS_NAME))
			return 0;
		n = strlen(path);
		if (sock_x(s)->name_len < n || memcmp(sock_x(s)->name, path, n) ||
		    (sock_x(s)->name_len > n && sock_x(s)->name[n] != '\0'))
			return 0;
		return s->state == SS_LISTEN || s->type == SOCK_DGRAM ? 2 : 1;
	}
	if (s->proto != (t == EP_TCP ? SP_TCP : SP_UDP) || s->lport != epaddr_port(want) ||
	    s->family != want->family || s->state == SS_TIME_WAIT)
		return 0;
	{
		const uint8_t *wa;
		size_t alen = want->family == AF_INET6 ? 16 : 4;

		if (want->family == AF_INET6)
			wa = ((const struct sockaddr_in6 *)&want->sa)->sin6_addr.s6_addr;
		else
			wa = (const uint8_t *)&((const struct sockaddr_in *)&want->sa)->sin_addr;
		if (!addr_any(s->laddr, s->family) && !addr_any(wa, want->family) &&
		    memcmp(s->laddr, wa, alen))
			return 0;
	}
	if (s->state == SS_LISTEN || (t == EP_UDP && s->state == SS_CLOSE))
		return 2;
	return 1;
}

enum form_holder form_describe_holder(const struct snapshot *snap, const struct procmap *pm,
			  const struct ownset *own, enum ep_transport t,
			  const struct epaddr *want, struct buf *out)
{
	const struct sock *best = NULL;
	int best_score = 0;
	unsigned tag;

	for (size_t i = 0; snap && i < snap->n; i++) {
		int sc = holder_score(&snap->socks[i], t, want);

		if (sc > best_score) {
			best = &snap->socks[i];
			best_score = sc;
		}
	}
	if (!best)
		return FORM_HOLDER_NONE;
	if (own && ownset_find(own, best->inode, &tag)) {
		buf_printf(out, _("held by sockview itself (pane [%u])"), tag);
		return FORM_HOLDER_NAMED;
	}
	if (!best->inode) {
		buf_printf(out, _("held by a %s socket that no process owns"), sock_state_name(best));
		return FORM_HOLDER_NAMED;
	}
	if (pm) {
		struct proc_owner o[8];
		size_t n = procmap_owners(pm, best->inode, o, 8), clen = 0;
		const char *comm;

		if (n) {
			size_t pids = 1;

			for (size_t i = 1; i < n && i < 8; i++)
				if (o[i].pid != o[i - 1].pid)
					pids++;
			comm = procmap_comm(pm, o[0].pid, &clen);
			buf_puts(out, _("held by "));
			if (comm)
				buf_append(out, comm, clen);
			else
				buf_puts(out, "?");
			buf_printf(out, _(" (pid %d)"), (int)o[0].pid);
			if (pids > 1)
				buf_printf(out, P_(" and %zu more process", " and %zu more processes",
						   pids - 1), pids - 1);
			return FORM_HOLDER_NAMED;
		}
		buf_printf(out, _("held by a socket of uid %u whose process is not visible "
				  "(run as root to see it)"), best->uid);
		return FORM_HOLDER_SOCKET;
	}
	buf_printf(out, _("held by a socket of uid %u (processes are not mapped)"), best->uid);
	return FORM_HOLDER_NAMED;
}
