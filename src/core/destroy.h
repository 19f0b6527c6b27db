/* destroy.h - destroying sockets (SPEC §5 F9, §9 -K): which kinds can be
 * destroyed, how a socket is named in the confirmation, and the sentence
 * for each failure. The act itself goes through a destroy_fn, so the app
 * and batch mode are testable without the kernel (the real one is
 * diag_destroy()). */
#ifndef SOCKVIEW_DESTROY_H
#define SOCKVIEW_DESTROY_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "escape.h"
#include "procmap.h"
#include "sock.h"

/* Destroys s; returns 0, or -1 with errno (diag_destroy's). */
typedef int (*destroy_fn)(void *ctx, const struct sock *s);

/* NULL if sockview can ask the kernel to destroy s (TCP and UDP over IPv4
 * or IPv6, not TIME-WAIT); else the translated sentence that says why not. */
const char *destroy_refusal(const struct sock *s);

/* Appends the socket as the confirmation names it, escaped for cs:
 * "tcp ESTAB 127.0.0.1:5000 -> 127.0.0.1:41234, process nc (pid 42)"
 * (", no process known" without an owner; pm may be NULL). */
void destroy_describe(struct buf *out, const struct sock *s, const struct procmap *pm,
		      enum esc_charset cs);

/* The translated sentence for a failed destroy with errno err. */
const char *destroy_strerror(int err);

#endif
