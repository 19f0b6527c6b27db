/* epaddr.h - addresses of the test endpoints: parse, print, suggest.
 *
 * The text forms a user types into the endpoint form:
 *   "5000"            port alone: the loopback address (127.0.0.1, or ::1
 *                     when IPv6 was asked for)
 *   "127.0.0.1:5000"  IPv4 address and port ("*:5000": any address)
 *   "[::1]:5000"      IPv6 address in brackets ("[fe80::1%lo]:5000" too)
 *   "localhost:5000"  the loopback of the asked family (no name lookup:
 *                     a DNS query would block the one loop of sockview)
 *   "/run/x.sock"     Unix socket path ("./x.sock", "../x" are paths too)
 *   "@name"           Linux abstract Unix name (no file)
 * Port 0 is accepted (a server then gets a port from the kernel); callers
 * that need a real port check epaddr_port().
 *
 * A struct epaddr is a plain value: copy it freely. Unix names keep their
 * raw bytes (abstract names may hold anything); epaddr_format() writes them
 * raw, so escape before display, or use epaddr_str() which does. */
#ifndef SOCKVIEW_EPADDR_H
#define SOCKVIEW_EPADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "buf.h"

/* Longest Unix path (without its NUL) and longest abstract name (without
 * the leading NUL): sun_path is 108 bytes. A longer path must be refused:
 * a truncated copy would bind a different name. */
#define EPADDR_UNIX_PATH_MAX 107
#define EPADDR_UNIX_ABSTRACT_MAX 107

/* Room for any epaddr_str() result, NUL included (an abstract name of 107
 * bytes escaped as \xNN is 428 bytes). */
#define EPADDR_STRLEN 440

struct epaddr {
	struct sockaddr_storage sa; /* sockaddr_in, _in6 or _un */
	socklen_t len;              /* bytes of sa in use (what bind() takes) */
	int family;                 /* AF_INET, AF_INET6, AF_UNIX; 0: unset */
};

/* Parses text into *out. family is AF_UNSPEC (any form), AF_INET or
 * AF_INET6 (an IP form of that family) or AF_UNIX (a path or @name; any
 * text without '@' is a path). Returns 0, or -1 with errno EINVAL and a
 * translated one-line reason in err (e.g. the port range, the path limit). */
int epaddr_parse(struct epaddr *out, const char *text, int family, char *err,
		 size_t errlen);

/* Sets *out to the loopback address of family (AF_INET or AF_INET6). */
void epaddr_loopback(struct epaddr *out, int family, uint16_t port);

/* Copies a kernel-returned address (getsockname, recvfrom...) of len bytes;
 * returns -1 (EAFNOSUPPORT, EINVAL) for other families or bad lengths. */
int epaddr_from_sockaddr(struct epaddr *out, const struct sockaddr *sa, socklen_t len);

/* Port in host byte order (0 for Unix addresses). */
uint16_t epaddr_port(const struct epaddr *a);
/* Sets the port of an IP address (no effect on Unix addresses). */
void epaddr_set_port(struct epaddr *a, uint16_t port);
/* True for an abstract Unix name. */
bool epaddr_is_abstract(const struct epaddr *a);
/* True for a Unix address without a name (an unbound or autobound peer
 * shows as one of these). */
bool epaddr_is_unnamed(const struct epaddr *a);
/* The NUL-terminated path of a path-named Unix address, else NULL. Points
 * into *a. */
const char *epaddr_path(const struct epaddr *a);
/* The same address (family, bytes, port). */
bool epaddr_equal(const struct epaddr *a, const struct epaddr *b);

/* Appends the address as the user would type it ("127.0.0.1:5000",
 * "[::1]:80", "/path", "@name", "(unnamed)") to out, RAW: Unix names may
 * contain control bytes, so escape before display. */
void epaddr_format(const struct epaddr *a, struct buf *out);
/* The same, escaped for any terminal (ESC_ASCII), into dst of len bytes
 * (EPADDR_STRLEN always suffices; shorter output is cut). Returns dst. */
const char *epaddr_str(const struct epaddr *a, char *dst, size_t len);

/* Creates a fresh private directory (mode 0700) for sockview's Unix socket
 * files: "$XDG_RUNTIME_DIR/sockview-XXXXXX" when that variable names a
 * directory, else "/tmp/sockview-XXXXXX". Writes its path into dir (len
 * bytes). Returns 0, or -1 with errno and a translated reason in err. The
 * caller removes it (rmdir) when done; endpoints remove it when empty. */
int epaddr_private_dir_create(char *dir, size_t len, char *err, size_t errlen);

/* Makes sure the private directory dir exists again (an endpoint may have
 * removed it once empty): creates it 0700 if missing, and accepts an
 * existing one only if it is a real directory (no symlink) owned by us with
 * no access for others. Returns 0, or -1 with errno and a reason in err. */
int epaddr_private_dir_ensure(const char *dir, char *err, size_t errlen);

/* Suggests "DIR/STEM.sock", or "DIR/STEM-2.sock"... for the first name that
 * does not exist, into out (len bytes). Returns 0, or -1 (ENAMETOOLONG when
 * the path would exceed EPADDR_UNIX_PATH_MAX, EEXIST after many tries). */
int epaddr_suggest_path(const char *dir, const char *stem, char *out, size_t len);

/* Suggests a port, from `from` upwards, that a server of socket type
 * socktype (SOCK_STREAM or SOCK_DGRAM) can bind on the loopback address of
 * family right now. Returns 0 with *port set, or -1 with errno. */
int epaddr_suggest_port(int family, int socktype, uint16_t from, uint16_t *port);

#endif
