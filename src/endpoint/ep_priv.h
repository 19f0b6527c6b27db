/* ep_priv.h - the inside of struct endpoint, shared by endpoint.c (life
 * cycle, accessors), ep_stream.c (TCP and Unix stream) and ep_dgram.c
 * (UDP and Unix datagram). Nothing outside those files includes it. */
#ifndef SOCKVIEW_EP_PRIV_H
#define SOCKVIEW_EP_PRIV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "endpoint.h"
#include "epaddr.h"
#include "transcript.h"

/* One read or datagram at most: the largest UDP payload fits. */
#define EP_RBUF_SIZE 65536
/* Work per endpoint_handle() call, so that one busy socket cannot stall the
 * loop: accepts per listener wake-up, datagrams per wake-up. */
#define EP_ACCEPT_BATCH 64
#define EP_DGRAM_BATCH 32
/* After EMFILE/ENFILE from accept(): stop polling the listener this long. */
#define EP_ACCEPT_BACKOFF_MS 1000
/* A greeting server waits this long for the client to close after the
 * greeting went out, then closes anyway. */
#define EP_GREETING_LINGER_MS 2000
/* An empty output queue keeps at most this much storage. */
#define EP_QUEUE_KEEP 65536

/* A connected stream peer: an accepted client, or a client's server. */
struct ep_peer {
	int fd;
	uint32_t inode;
	unsigned id;        /* 1, 2, 3... per endpoint */
	char *label;        /* raw (escape on display) */
	size_t label_len;
	struct buf out;     /* bounded output queue */
	short events;       /* registered with the loop now */
	bool connecting;    /* client: non-blocking connect in flight */
	bool paused;        /* reading stopped by back-pressure */
	bool eof;           /* the peer shut its sending side */
	bool shut_wr;       /* we shut our sending side */
	bool quiet;         /* do not log each send (chat logs one summary) */
	bool dead;          /* closing: skipped by everything, reaped soon */
	bool registered;    /* add_fd succeeded: del_fd it before closing */
	int64_t deadline;   /* greeting close delay; 0: none */
};

/* A datagram peer a server has heard from. */
struct dg_peer {
	struct epaddr addr;
	char *label;
	size_t label_len;
	int64_t last_seen;
	int64_t refill_at;   /* token bucket: last refill (ms) */
	int64_t tokens;      /* in thousandths of a datagram */
	bool muted;          /* over the rate: ignored until refilled */
	bool gone;           /* its socket is gone: forget it */
};

struct endpoint {
	struct endpoint_config cfg; /* strings point to the copies below */
	char *greeting;
	char *private_dir;
	enum ep_state state;
	int err;             /* errno of the fatal error, 0: none */
	char errmsg[512];    /* its translated, safe text */
	int family, socktype;
	bool dgram;

	int fd;              /* listener, datagram socket; -1: none */
	uint32_t inode;
	short events;
	struct epaddr local, remote;
	char *rlabel;        /* raw label of remote (datagram client) */
	size_t rlabel_len;

	/* The Unix socket file we bound, to unlink it and only it. */
	bool made_file;
	dev_t file_dev;
	ino_t file_ino;
	char *file_path;

	struct transcript *tr;
	struct endpoint_stats st;
	bool dirty;
	size_t max_clients;
	unsigned char *rbuf; /* EP_RBUF_SIZE scratch */

	/* Stream peers (a stream client has one: its server). */
	struct ep_peer **peers;
	size_t npeers, peers_cap;
	struct ep_peer **by_fd; /* indexed by fd */
	size_t by_fd_cap;
	unsigned next_id;
	size_t ndead;
	int64_t accept_resume; /* back-off: listener off until then; 0 none */
	int64_t connect_deadline;

	/* Datagram peers of a datagram server. */
	struct dg_peer *dpeers;
	size_t ndpeers, dpeers_cap;
};

/* endpoint.c */
void ep_record(struct endpoint *ep, enum tr_kind kind, const char *label, size_t label_len,
	       const void *data, size_t len);
void ep_note(struct endpoint *ep, enum tr_kind kind, const char *label, size_t label_len,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int ep_fd_add(struct endpoint *ep, int fd, short events);
void ep_fd_mod(struct endpoint *ep, int fd, short *cur, short events);
void ep_fd_del(struct endpoint *ep, int fd);
uint32_t ep_fd_inode(int fd);
void ep_errtext(int e, const struct epaddr *a, char *out, size_t len);
void ep_fail(struct endpoint *ep, int e);
int ep_new_socket(struct endpoint *ep, int *fdp);
char *ep_label_addr(const struct epaddr *a, size_t *len);

/* ep_stream.c */
int ep_stream_client_start(struct endpoint *ep);
void ep_listener_handle(struct endpoint *ep, short revents);
struct ep_peer *ep_peer_by_fd(struct endpoint *ep, int fd);
void ep_peer_handle(struct endpoint *ep, struct ep_peer *p, short revents);
int ep_stream_send(struct endpoint *ep, const void *data, size_t len);
void ep_stream_tick(struct endpoint *ep, int64_t now);
int64_t ep_stream_next_deadline(const struct endpoint *ep);
void ep_stream_reap(struct endpoint *ep);
void ep_stream_close_all(struct endpoint *ep);

/* ep_dgram.c */
int ep_dgram_client_start(struct endpoint *ep);
void ep_dgram_handle(struct endpoint *ep, short revents);
int ep_dgram_send(struct endpoint *ep, const void *data, size_t len);
void ep_dgram_forget_all(struct endpoint *ep);

#endif
