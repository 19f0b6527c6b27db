/* jsonx.h - strings out of hostile JSON, without a parser or a tree.
 *
 * Container runtimes keep their state as JSON files that anyone who can
 * start a container shapes (names, labels, annotations). sockview wants
 * one string here and there ("Name" of Docker's config.v2.json, a name in
 * Podman's containers.json, an annotation of an OCI config.json), so this
 * is a navigator over the bytes: a value is a span, a member of an object
 * or an element of an array is found by skipping the values before it,
 * and only the string asked for is decoded.
 *
 * Tolerant and bounded: it never reads outside the span it is given,
 * never recurses (nesting is counted, at most JSONX_DEPTH_MAX deep), and
 * anything it cannot skip (truncated, unbalanced, a stray byte where a
 * value should start) makes the lookup fail, not crash. It does not
 * validate numbers or literals. Decoded strings are raw bytes: \uXXXX
 * becomes UTF-8 (a lone surrogate U+FFFD), and control bytes stay as they
 * are (whoever shows them escapes them). No allocation, no I/O. */
#ifndef SOCKVIEW_JSONX_H
#define SOCKVIEW_JSONX_H

#include <stddef.h>

#define JSONX_DEPTH_MAX 512

/* A span holding one JSON value (or a whole document). */
struct jsonx {
	const char *p;
	size_t n;
};

/* The document buf[0..len) as a value (surrounding white space dropped;
 * a UTF-8 byte order mark skipped). */
struct jsonx jsonx_doc(const char *buf, size_t len);

/* The value of member key (raw bytes compared with the key as written,
 * without escapes) of the object v, its first occurrence at v's own
 * level. 0, or -1 if v is no object, has no such member or is broken
 * before it. */
int jsonx_member(struct jsonx v, const char *key, struct jsonx *out);

/* Walks the array v: *pos starts at 0; each call gives the next element.
 * 0, or -1 at the end, if v is no array or is broken. */
int jsonx_next(struct jsonx v, size_t *pos, struct jsonx *out);

/* The string v, decoded, into out (size bytes, NUL-terminated; the
 * length in *len, which may count NUL bytes decoded from \u0000). 0, or
 * -1 if v is no string, is broken, or needs more than size - 1 bytes. */
int jsonx_string(struct jsonx v, char *out, size_t size, size_t *len);

/* Convenience: the string at the end of a path of member keys from v
 * ("annotations", "io.kubernetes.cri.container-name"); npath >= 1. Same
 * answers as jsonx_string. */
int jsonx_path_string(struct jsonx v, const char *const *path, size_t npath, char *out,
		      size_t size, size_t *len);

#endif
