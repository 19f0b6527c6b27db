/* epaddr.c - endpoint addresses: the text forms of epaddr.h. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "epaddr.h"
#include "escape.h"
#include "i18n.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fills err (if any) and returns -1 with errno EINVAL. */
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	errno = EINVAL;
	return -1;
}

void epaddr_loopback(struct epaddr *out, int family, uint16_t port)
{
	memset(out, 0, sizeof(*out));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->sa;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		s6->sin6_port = htons(port);
		out->len = sizeof(*s6);
		out->family = AF_INET6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&out->sa;

		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		s4->sin_port = htons(port);
		out->len = sizeof(*s4);
		out->family = AF_INET;
	}
}

/* Parses a decimal port of exactly the bytes s[0..n). */
static int parse_port(const char *s, size_t n, uint16_t *port, char *err, size_t errlen)
{
	unsigned long v = 0;
	size_t i;

	if (n == 0)
		return fail(err, errlen, "%s", _("the port is missing (a number from 0 to 65535)"));
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > 65535)
			break;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (i < n || v > 65535 || n > 5)
		return fail(err, errlen, _("port \"%.*s\" is not a number from 0 to 65535"),
			    (int)(n > 32 ? 32 : n), s);
	*port = (uint16_t)v;
	return 0;
}

static int parse_unix(struct epaddr *out, const char *text, char *err, size_t errlen)
{
	struct sockaddr_un *su = (struct sockaddr_un *)&out->sa;
	size_t n = strlen(text);

	su->sun_family = AF_UNIX;
	out->family = AF_UNIX;
	if (text[0] == '@') {
		n--;
		if (n == 0)
			return fail(err, errlen, "%s", _("the abstract name after '@' is empty"));
		if (n > EPADDR_UNIX_ABSTRACT_MAX)
			return fail(err, errlen,
				    _("the abstract name is %zu bytes long; the limit is %d"),
				    n, EPADDR_UNIX_ABSTRACT_MAX);
		su->sun_path[0] = '\0';
		memcpy(su->sun_path + 1, text + 1, n);
		out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
		return 0;
	}
	if (n == 0)
		return fail(err, errlen, "%s", _("the Unix socket path is empty"));
	if (n > EPADDR_UNIX_PATH_MAX)
		return fail(err, errlen,
			    _("the Unix socket path is %zu bytes long; the limit is %d"),
			    n, EPADDR_UNIX_PATH_MAX);
	memcpy(su->sun_path, text, n + 1);
	out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	return 0;
}

static bool looks_like_path(const char *text)
{
	return text[0] == '/' || !strncmp(text, "./", 2) || !strncmp(text, "../", 3);
}

/* Parses an IPv6 literal of n bytes (without brackets), with an optional
 * "%scope" (interface name or number). */
static int parse_in6(struct sockaddr_in6 *s6, const char *h, size_t n, char *err,
		     size_t errlen)
{
	char tmp[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	char *pct;

	if (n >= sizeof(tmp))
		return fail(err, errlen, "%s", _("the IPv6 address is too long"));
	memcpy(tmp, h, n);
	tmp[n] = '\0';
	pct = strchr(tmp, '%');
	if (pct) {
		char *end;
		unsigned long idx;

		*pct++ = '\0';
		idx = if_nametoindex(pct);
		if (!idx) {
			idx = strtoul(pct, &end, 10);
			if (!*pct || *end || !idx || idx > UINT32_MAX)
				return fail(err, errlen, _("unknown network interface \"%s\""), pct);
		}
		s6->sin6_scope_id = (uint32_t)idx;
	}
	if (inet_pton(AF_INET6, tmp, &s6->sin6_addr) != 1)
		return fail(err, errlen, _("\"%s\" is not an IPv6 address"), tmp);
	return 0;
}

static int parse_ip(struct epaddr *out, const char *text, int family, char *err,
		    size_t errlen)
{
	const char *host, *port, *colon;
	size_t hlen;
	uint16_t p = 0; /* set by parse_port(); the analyzer cannot see through fail() */
	int fam;

	colon = strrchr(text, ':');
	if (!colon) {
		/* A port alone: the loopback of the asked family. */
		if (parse_port(text, strlen(text), &p, err, errlen) < 0)
			return -1;
		epaddr_loopback(out, family == AF_INET6 ? AF_INET6 : AF_INET, p);
		return 0;
	}
	port = colon + 1;
	if (text[0] == '[') {
		const char *close = strchr(text, ']');

		if (!close || close + 1 != colon)
			return fail(err, errlen, "%s",
				    _("an IPv6 address in brackets must be followed by :port, as in [::1]:5000"));
		host = text + 1;
		hlen = (size_t)(close - host);
		fam = AF_INET6;
	} else {
		host = text;
		hlen = (size_t)(colon - text);
		if (memchr(host, ':', hlen))
			return fail(err, errlen, "%s",
				    _("write an IPv6 address in brackets: [::1]:5000"));
		fam = AF_INET;
	}
	if (parse_port(port, strlen(port), &p, err, errlen) < 0)
		return -1;
	if (hlen == 0)
		return fail(err, errlen, "%s", _("the address before ':' is empty"));

	if (hlen == 9 && !strncmp(host, "localhost", 9) && fam == AF_INET) {
		epaddr_loopback(out, family == AF_INET6 ? AF_INET6 : AF_INET, p);
		return 0;
	}
	if (hlen == 1 && host[0] == '*') {
		/* Any address of the asked family. */
		if (family == AF_INET6 || (text[0] == '[')) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->sa;

			s6->sin6_family = AF_INET6;
			s6->sin6_addr = in6addr_any;
			s6->sin6_port = htons(p);
			out->len = sizeof(*s6);
			out->family = AF_INET6;
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&out->sa;

			s4->sin_family = AF_INET;
			s4->sin_addr.s_addr = htonl(INADDR_ANY);
			s4->sin_port = htons(p);
			out->len = sizeof(*s4);
			out->family = AF_INET;
		}
		return 0;
	}
	if (family != AF_UNSPEC && family != fam)
		return fail(err, errlen, "%s",
			    fam == AF_INET6 ? _("an IPv6 address was given where IPv4 is expected")
					    : _("an IPv4 address was given where IPv6 is expected"));
	if (fam == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->sa;

		if (parse_in6(s6, host, hlen, err, errlen) < 0)
			return -1;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(p);
		out->len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&out->sa;
		char tmp[INET_ADDRSTRLEN];

		if (hlen >= sizeof(tmp) || (memcpy(tmp, host, hlen), tmp[hlen] = '\0',
					    inet_pton(AF_INET, tmp, &s4->sin_addr) != 1))
			return fail(err, errlen,
				    _("\"%.*s\" is not an IPv4 address (names are not looked up; use localhost or a number)"),
				    (int)(hlen > 64 ? 64 : hlen), host);
		s4->sin_family = AF_INET;
		s4->sin_port = htons(p);
		out->len = sizeof(*s4);
	}
	out->family = fam;
	return 0;
}

int epaddr_parse(struct epaddr *out, const char *text, int family, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (!text || !text[0])
		return fail(err, errlen, "%s", _("the address is empty"));
	if (family == AF_UNIX || (family == AF_UNSPEC && (text[0] == '@' || looks_like_path(text))))
		return parse_unix(out, text, err, errlen);
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return fail(err, errlen, "%s", _("unsupported address family"));
	if (text[0] == '@' || looks_like_path(text))
		return fail(err, errlen, "%s", _("a Unix socket address was given where an IP address is expected"));
	return parse_ip(out, text, family, err, errlen);
}

int epaddr_from_sockaddr(struct epaddr *out, const struct sockaddr *sa, socklen_t len)
{
	memset(out, 0, sizeof(*out));
	if (len < sizeof(sa_family_t) || len > sizeof(out->sa)) {
		errno = EINVAL;
		return -1;
	}
	switch (sa->sa_family) {
	case AF_INET:
		if (len < sizeof(struct sockaddr_in))
			break;
		len = sizeof(struct sockaddr_in);
		goto copy;
	case AF_INET6:
		if (len < sizeof(struct sockaddr_in6))
			break;
		len = sizeof(struct sockaddr_in6);
		goto copy;
	case AF_UNIX:
		if (len > sizeof(struct sockaddr_un))
			len = sizeof(struct sockaddr_un);
		goto copy;
	default:
		errno = EAFNOSUPPORT;
		return -1;
	}
	errno = EINVAL;
	return -1;
copy:
	memcpy(&out->sa, sa, len);
	out->len = len;
	out->family = sa->sa_family;
	return 0;
}

uint16_t epaddr_port(const struct epaddr *a)
{
	if (a->family == AF_INET)
		return ntohs(((const struct sockaddr_in *)&a->sa)->sin_port);
	if (a->family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)&a->sa)->sin6_port);
	return 0;
}

void epaddr_set_port(struct epaddr *a, uint16_t port)
{
	if (a->family == AF_INET)
		((struct sockaddr_in *)&a->sa)->sin_port = htons(port);
	else if (a->family == AF_INET6)
		((struct sockaddr_in6 *)&a->sa)->sin6_port = htons(port);
}

/* Bytes of the Unix name (after the family), 0 when unnamed. */
static size_t unix_name_len(const struct epaddr *a)
{
	size_t off = offsetof(struct sockaddr_un, sun_path);

	return a->len > off ? a->len - off : 0;
}

bool epaddr_is_unnamed(const struct epaddr *a)
{
	return a->family == AF_UNIX && unix_name_len(a) == 0;
}

bool epaddr_is_abstract(const struct epaddr *a)
{
	const struct sockaddr_un *su = (const struct sockaddr_un *)&a->sa;

	return a->family == AF_UNIX && unix_name_len(a) > 0 && su->sun_path[0] == '\0';
}

const char *epaddr_path(const struct epaddr *a)
{
	const struct sockaddr_un *su = (const struct sockaddr_un *)&a->sa;

	if (a->family != AF_UNIX || unix_name_len(a) == 0 || su->sun_path[0] == '\0')
		return NULL;
	/* The kernel may hand over a path without its NUL; sa is zeroed past
	 * len and sockaddr_storage is longer than sockaddr_un, so the byte
	 * after sun_path exists and is 0. */
	return su->sun_path;
}

bool epaddr_equal(const struct epaddr *a, const struct epaddr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET) {
		const struct sockaddr_in *x = (const void *)&a->sa, *y = (const void *)&b->sa;

		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)&a->sa, *y = (const void *)&b->sa;

		return x->sin6_port == y->sin6_port && x->sin6_scope_id == y->sin6_scope_id &&
		       !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
	}
	if (a->family == AF_UNIX) {
		size_t na = unix_name_len(a), nb = unix_name_len(b);
		const struct sockaddr_un *x = (const void *)&a->sa, *y = (const void *)&b->sa;

		/* A path may come with or without its NUL: compare names. */
		if (na && x->sun_path[0] && x->sun_path[na - 1] == '\0')
			na--;
		if (nb && y->sun_path[0] && y->sun_path[nb - 1] == '\0')
			nb--;
		return na == nb && !memcmp(x->sun_path, y->sun_path, na);
	}
	return a->family == 0;
}

void epaddr_format(const struct epaddr *a, struct buf *out)
{
	char host[INET6_ADDRSTRLEN];

	if (a->family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)&a->sa;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		buf_printf(out, "%s:%u", host, (unsigned)ntohs(s4->sin_port));
	} else if (a->family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)&a->sa;
		char ifname[IF_NAMESIZE];

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		buf_printf(out, "[%s", host);
		if (s6->sin6_scope_id) {
			if (if_indextoname(s6->sin6_scope_id, ifname))
				buf_printf(out, "%%%s", ifname);
			else
				buf_printf(out, "%%%u", (unsigned)s6->sin6_scope_id);
		}
		buf_printf(out, "]:%u", (unsigned)ntohs(s6->sin6_port));
	} else if (a->family == AF_UNIX) {
		const struct sockaddr_un *su = (const void *)&a->sa;
		size_t n = unix_name_len(a);

		if (n == 0) {
			buf_puts(out, _("(unnamed)"));
		} else if (su->sun_path[0] == '\0') {
			buf_putc(out, '@');
			buf_append(out, su->sun_path + 1, n - 1);
		} else {
			buf_append(out, su->sun_path, strnlen(su->sun_path, n));
		}
	} else {
		buf_puts(out, "-");
	}
}

const char *epaddr_str(const struct epaddr *a, char *dst, size_t len)
{
	struct buf raw = BUF_INIT, safe = BUF_INIT;

	if (!len)
		return dst;
	epaddr_format(a, &raw);
	esc_display(&safe, raw.data, raw.len, ESC_ASCII);
	snprintf(dst, len, "%s", safe.data ? safe.data : "");
	buf_free(&raw);
	buf_free(&safe);
	return dst;
}

int epaddr_private_dir_create(char *dir, size_t len, char *err, size_t errlen)
{
	const char *base = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int n;

	if (!base || base[0] != '/' || stat(base, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    access(base, W_OK | X_OK) < 0)
		base = "/tmp";
	n = snprintf(dir, len, "%s/sockview-XXXXXX", base);
	if (n < 0 || (size_t)n >= len || (size_t)n + 16 > EPADDR_UNIX_PATH_MAX) {
		/* The directory must leave room for a socket name below it. */
		n = snprintf(dir, len, "/tmp/sockview-XXXXXX");
		if (n < 0 || (size_t)n >= len) {
			errno = ENAMETOOLONG;
			if (err && errlen)
				snprintf(err, errlen, "%s", _("no room for the directory name"));
			return -1;
		}
	}
	/* mkdtemp creates the directory with mode 0700 whatever the umask. */
	if (!mkdtemp(dir)) {
		int e = errno;

		if (err && errlen)
			snprintf(err, errlen, _("cannot create a private directory %s: %s"), dir,
				 strerror(e));
		errno = e;
		return -1;
	}
	return 0;
}

int epaddr_private_dir_ensure(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	int e;

	if (mkdir(dir, 0700) == 0)
		return 0;
	e = errno;
	if (e == EEXIST && lstat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 077))
			return 0;
		e = EPERM;
		if (err && errlen)
			snprintf(err, errlen,
				 _("%s exists but is not a private directory of this user"), dir);
		errno = e;
		return -1;
	}
	if (err && errlen)
		snprintf(err, errlen, _("cannot create the directory %s: %s"), dir, strerror(e));
	errno = e;
	return -1;
}

int epaddr_suggest_path(const char *dir, const char *stem, char *out, size_t len)
{
	struct stat st;
	int i, n;

	for (i = 1; i <= 1000; i++) {
		if (i == 1)
			n = snprintf(out, len, "%s/%s.sock", dir, stem);
		else
			n = snprintf(out, len, "%s/%s-%d.sock", dir, stem, i);
		if (n < 0 || (size_t)n >= len || n > EPADDR_UNIX_PATH_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (lstat(out, &st) < 0 && errno == ENOENT)
			return 0;
	}
	errno = EEXIST;
	return -1;
}

int epaddr_suggest_port(int family, int socktype, uint16_t from, uint16_t *port)
{
	struct epaddr a;
	unsigned p;
	int fd, one = 1;

	if (from == 0)
		from = 1;
	for (p = from; p <= 65535 && p < (unsigned)from + 1000; p++) {
		epaddr_loopback(&a, family, (uint16_t)p);
		fd = socket(a.family, socktype | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		/* Ports in TIME-WAIT are fine for a server with SO_REUSEADDR,
		 * which is what the TCP endpoints set. */
		if (socktype == SOCK_STREAM)
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (const struct sockaddr *)&a.sa, a.len) == 0) {
			close(fd);
			*port = (uint16_t)p;
			return 0;
		}
		close(fd);
	}
	errno = EADDRINUSE;
	return -1;
}
