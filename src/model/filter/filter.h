/* filter.h - the filter language of SPEC §6 (model: no I/O once parsed).
 *
 * Contract:
 *  - filter_parse() turns an expression into a struct filter or fails with
 *    a filter_error that names the offending token and its column. Names
 *    (services from /etc/services, user names) are resolved while parsing,
 *    so filter_matches() does no I/O and no allocation: it may run over
 *    10^5 records per refresh.
 *  - A parsed filter is immutable; it can be shared read-only. It owns a
 *    copy of its text (filter_text()).
 *  - The empty (or all-blank) expression is valid and matches everything;
 *    filter_is_empty() tells the UI to show "no filter".
 *  - NULL stands for "no filter" where a filter is read: filter_matches(NULL,
 *    ...) is true, filter_protos(NULL) is SP_MASK_ALL.
 *  - The same language serves -f in batch mode and the f/F4 prompt; the
 *    grammar is in the man page (doc/filter.man).
 *
 * The kernel-side prefilter derived from a filter is in filter_bc.h; the
 * prompt's history and "apply or keep the old one" logic in filter_hist.h. */
#ifndef SOCKVIEW_FILTER_H
#define SOCKVIEW_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procmap.h"
#include "sock.h"

struct filter;

/* Longest expression accepted, in bytes. */
#define FILTER_MAX_LEN 4096
/* Deepest nesting of parentheses and "not". */
#define FILTER_MAX_DEPTH 64

struct filter_error {
	/* Translated, one line, safe to print (the token is escaped):
	 * "filter: unexpected ')' at column 14". */
	char msg[256];
	/* 1-based column (in characters) of the offending token; where
	 * something is missing, the column just past the last token. */
	unsigned column;
	size_t offset; /* the same place as a byte offset into the text */
	size_t length; /* bytes of the offending token in the text (0 at the end) */
	/* The offending token as written (raw bytes, truncated, NUL-ended;
	 * empty at the end of the text). */
	char token[64];
};

/* One address of a host name (filter_names.host). */
struct filter_addr {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
};

/* Name lookups made while parsing. filter_parse() uses the system's
 * (getservbyname, getpwnam); tests pass their own. */
struct filter_names {
	/* Port number of a service name, or -1 if unknown. */
	int (*service)(const char *name, void *ctx);
	/* Uid of a user name, or -1 if unknown. */
	long (*user)(const char *name, void *ctx);
	/* nsfs inode of a network namespace name (/run/netns/NAME), or 0 if
	 * unknown; NULL: the system's (filter_netns_inode). */
	uint32_t (*netns)(const char *name, void *ctx);
	void *ctx;
	/* The rest may be NULL (the system's), so that older initialisers
	 * { service, user, ctx } keep working. */
	/* Up to max addresses of a host name (family AF_INET, AF_INET6 or 0
	 * for both) into out; the count, or -1 if the name is unknown. */
	int (*host)(const char *name, int family, struct filter_addr *out, size_t max,
		    void *ctx);
	/* Index of an interface name, or -1 if there is none. */
	long (*ifindex)(const char *name, void *ctx);
	/* The id of a cgroup v2 path (relative to its mount, as ss takes it);
	 * 0 on success, -1 if there is no such cgroup. */
	int (*cgroup)(const char *path, uint64_t *id, void *ctx);
	/* The ephemeral port range (ip_local_port_range); 0, or -1 to use
	 * the kernel's default 32768-60999. */
	int (*ephemeral)(unsigned *lo, unsigned *hi, void *ctx);
};

/* The system's service lookup that filter_parse() uses (getservbyname,
 * any protocol): the port of a service name ("http": 80), or -1 if it is
 * unknown. ctx is unused (it fits filter_names.service). */
int filter_service_port(const char *name, void *ctx);

/* The system's namespace lookup: the inode of /run/netns/NAME, 0 if none. */
uint32_t filter_netns_inode(const char *name, void *ctx);

/* Parses text. Returns a new filter (free with filter_free), or NULL with
 * *err filled in (err may be NULL if the caller does not care). */
struct filter *filter_parse(const char *text, struct filter_error *err);
/* The same with other name lookups (names may be NULL: the system's). */
struct filter *filter_parse_with(const char *text, const struct filter_names *names,
				 struct filter_error *err);
/* Frees f; NULL is allowed. */
void filter_free(struct filter *f);

/* True if socket s passes f. pm maps inodes to processes for pid, comm and
 * the text match; with pm NULL (--no-processes) those terms match nothing.
 * "user" compares the socket's uid as the kernel reports it. */
bool filter_matches(const struct filter *f, const struct sock *s,
		    const struct procmap *pm);

/* The expression as it was given (owned by f). */
const char *filter_text(const struct filter *f);
/* True for the empty expression (matches everything). NULL counts too. */
bool filter_is_empty(const struct filter *f);
/* The protocols (SP_MASK bits) whose sockets f can possibly match, so the
 * data source can skip whole dumps ("tcp and port 22" -> SP_MASK(SP_TCP)). */
unsigned filter_protos(const struct filter *f);
/* The IP families (SF_* bits) that sockets of protocol proto can have and
 * still match f; 0 means no socket of proto can match. For SP_UNIX the
 * answer is SF_ALL or 0 (families do not apply). */
unsigned filter_families(const struct filter *f, unsigned proto);
/* True if f has terms that read the process map (pid, comm, bare words),
 * so batch mode can map processes even when nothing else shows them. */
bool filter_uses_processes(const struct filter *f);
/* True if f has a "service" term: the process scan must read cgroups. */
bool filter_uses_service(const struct filter *f);

#endif
