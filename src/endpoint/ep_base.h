/* ep_base.h - helpers shared by the endpoint life cycle (endpoint.c) and
 * the transports (ep_stream.c, ep_dgram.c). They sit at the bottom of the
 * endpoint files and call nothing above them: see ep_priv.h. */
#ifndef SOCKVIEW_EP_BASE_H
#define SOCKVIEW_EP_BASE_H

#include <stddef.h>
#include <stdint.h>

#include "ep_priv.h"

/* Adds len raw bytes to the transcript under label (NULL: the endpoint's
 * own line) and marks the endpoint dirty. */
void ep_record(struct endpoint *ep, enum tr_kind kind, const char *label, size_t label_len,
	       const void *data, size_t len);
/* Adds a formatted (translated) note to the transcript; marks dirty. */
void ep_note(struct endpoint *ep, enum tr_kind kind, const char *label, size_t label_len,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Registers fd with the loop through cfg.ops (none set: nothing to do).
 * Returns 0 or -1 with errno. */
int ep_fd_add(struct endpoint *ep, int fd, short events);
/* Tells the loop fd now wants events, if they differ from *cur (updated). */
void ep_fd_mod(struct endpoint *ep, int fd, short *cur, short events);
/* Tells the loop fd goes away; call it just before closing fd. */
void ep_fd_del(struct endpoint *ep, int fd);
/* The socket inode of fd (what sock_diag reports), 0 if fstat fails. */
uint32_t ep_fd_inode(int fd);

/* The address as a raw label; the caller frees it. */
char *ep_label_addr(const struct epaddr *a, size_t *len);
/* Writes a translated, one-line text for errno e about address a. */
void ep_errtext(int e, const struct epaddr *a, char *out, size_t len);
/* The endpoint failed for good with errno e: EP_STATE_FAILED, the reason
 * (about the remote address) in errmsg and the transcript. */
void ep_fail(struct endpoint *ep, int e);
/* A non-blocking, close-on-exec socket of the endpoint's family and type
 * (IPv6: v6 only). Returns 0 with *fdp set, or -1 with errno. */
int ep_new_socket(struct endpoint *ep, int *fdp);
/* socket(domain, type, 0) in the endpoint's network namespace (its
 * nsfd; sockview's own without one): the lab's sockets. -1 with errno. */
int ep_socket(struct endpoint *ep, int domain, int type);

#endif
