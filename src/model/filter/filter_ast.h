/* filter_ast.h - the parsed form of a filter, shared by the evaluator
 * (filter.c) and the kernel bytecode compiler (filter_bc.c). Not for other
 * modules: they use the opaque struct filter of filter.h.
 *
 * A filter is a flat array of nodes. AND and OR are n-ary (children linked
 * through `next`), so a long chain of "or" costs no recursion depth; only
 * parentheses and "not" nest, and the parser bounds that. */
#ifndef SOCKVIEW_FILTER_AST_H
#define SOCKVIEW_FILTER_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter_lex.h"

#define FN_NONE UINT32_MAX

enum fnode_kind {
	FN_ALL,    /* the empty expression: everything */
	FN_AND,    /* children: all true */
	FN_OR,     /* children: one true */
	FN_NOT,    /* one child */
	FN_PROTO,  /* u.mask: SP_MASK() bits */
	FN_FAMILY, /* u.family: AF_INET or AF_INET6 */
	FN_STATE,  /* u.mask: 1 << state, both SYN-RECV numbers together */
	FN_NUM,    /* field cmp u.num */
	FN_HOST,   /* address condition (src/dst/addr); cmp is EQ or NE */
	FN_PATH,   /* glob over the Unix name; cmp is EQ or NE */
	FN_COMM,   /* glob over the owners' command names; cmp EQ or NE */
	FN_TEXT,   /* case-insensitive substring of the shown text; field:
		    * TEXT_ADDR if the needle can occur in an address:port */
	FN_DEV,    /* interface index cmp u.num (0: no interface) */
	FN_MARK,   /* (mark & u.mark.mask) == u.mark.val, where reported */
	FN_CGROUP, /* cgroup id == u.id, where reported */
	FN_AUTO,   /* ss's "autobound": u.range is the ephemeral port range */
	FN_SERVICE, /* glob over the owners' service labels (cgroup.h); EQ/NE */
};

/* FN_STATE: how the node was written, so that terms side by side can add
 * up the way ss reads its leading state arguments */
#define STATE_PLAIN 0u
#define STATE_STATE 1u   /* "state S" */
#define STATE_EXCLUDE 2u /* "exclude S" (the mask already inverted) */

#define TEXT_ADDR 0x01u

enum ffield {
	FLD_SPORT, /* local port */
	FLD_DPORT, /* peer port */
	FLD_PORT,  /* either port */
	FLD_PID,   /* any owning process */
	FLD_UID,   /* the socket's uid (from the kernel) */
	FLD_INODE,
	FLD_PEER,  /* a Unix socket's peer inode */
	FLD_NETNS, /* the namespace's nsfs inode (sock_key.netns) */
};

enum fside {
	FS_SRC,
	FS_DST,
	FS_ANY,
};

/* Same meaning as the kernel's inet_diag_hostcond, so the user-space test
 * and the kernel test agree bit for bit: family 0 matches any address. */
struct fhost {
	uint8_t side;   /* enum fside */
	uint8_t family; /* 0, AF_INET or AF_INET6 */
	uint8_t plen;   /* prefix length in bits */
	int32_t port;   /* -1: any port */
	uint8_t addr[16];
};

struct fnode {
	uint8_t kind;  /* enum fnode_kind */
	uint8_t field; /* FN_NUM: enum ffield */
	uint8_t cmp;   /* FN_NUM, FN_HOST, FN_PATH, FN_COMM: enum fcmp */
	uint32_t child; /* AND, OR, NOT: first child */
	uint32_t next;  /* next sibling under AND/OR */
	union {
		uint32_t mask;
		uint32_t num;
		uint8_t family;
		struct fhost host;
		struct {
			uint32_t val, mask;
		} mark;
		uint64_t id;
		struct {
			uint16_t lo, hi;
		} range;
		struct {
			uint32_t off, len; /* pattern/needle bytes in filter.pool */
		} str;
	} u;
};

struct filter {
	char *text;          /* the expression as given, owned */
	struct fnode *nodes; /* owned */
	size_t n, cap;
	uint32_t root;
	char *pool;          /* compiled patterns and needles, owned */
	size_t pool_len, pool_cap;
};

/* Matches raw bytes s against a compiled glob (in which a backslash makes
 * the next byte literal): '*', '?', '[set]' with ranges and '!'/'^'. Works
 * on bytes and does not stop at NUL. */
bool filter_glob(const char *pat, size_t plen, const char *s, size_t slen);

/* Three-valued evaluation over what is known about a socket before it is
 * seen: which protocol, family and reported states it can have. Used to
 * tell the data source what it may skip and by the bytecode compiler. */
enum ftv {
	FTV_FALSE,
	FTV_TRUE,
	FTV_MAYBE,
};

struct fknown {
	unsigned protos; /* SP_MASK() bits of the protocols it can have */
	int family;      /* AF_INET, AF_INET6, AF_UNIX, or 0 if unknown */
	uint32_t states; /* the reported states the socket can be in (bits) */
};

enum ftv filter_eval3(const struct filter *f, uint32_t node, const struct fknown *k);

/* ASCII lower case (the language folds ASCII only). */
static inline char filter_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

#endif
