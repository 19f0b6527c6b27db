/* ep_priv.h - the inside of struct endpoint and the transport interface.
 * Nothing outside src/endpoint/ includes it.
 *
 * Who calls whom; no call goes upwards:
 *
 *   endpoint.c     life cycle, loop glue, accessors, server bind/listen
 *        |         (calls a transport only through ep->ops, the table
 *        |          transport_ops[] gives it once in endpoint_new())
 *        v
 *   ep_stream.c    ep_stream_ops: TCP, Unix stream
 *   ep_dgram.c     ep_dgram_ops: UDP, Unix datagram
 *        |
 *        v
 *   ep_base.c      transcript notes, the loop's fd hooks, socket creation,
 *                  error texts (ep_base.h); endpoint.c uses it too
 *
 * A transport file keeps its functions static and exports only its ops
 * table, so endpoint.c never tests the transport to decide what to call,
 * and a transport never calls endpoint.c. A third transport, say Unix
 * SEQPACKET, is one new file filling a struct ep_transport_ops (socktype
 * SOCK_SEQPACKET and its own client_start, handle, send...); endpoint.c
 * only learns the new enum value (its row in transport_ops[], its name,
 * and that it is a Unix one in config_check()). */
#ifndef SOCKVIEW_EP_PRIV_H
#define SOCKVIEW_EP_PRIV_H

#include <stdbool.h>
#include <stddef.h>
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
	bool no_reply;       /* never answered: a Unix path of another user
			      * (ep_dgram.c, dg_may_answer) */
};

struct endpoint {
	struct endpoint_config cfg; /* strings point to the copies below */
	char *greeting;
	char *private_dir;
	enum ep_state state;
	int err;             /* errno of the fatal error, 0: none */
	char errmsg[512];    /* its translated, safe text */
	const struct ep_transport_ops *ops; /* set once by endpoint_new() */
	int family, socktype;
	bool dgram;          /* connectionless: never listens, has peers
			      * rather than clients; for wording, not dispatch */

	int fd;              /* listener, datagram socket; -1: none */
	int nsfd;            /* its network namespace (cfg.in_netns); -1: ours */
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
	/* the server's byte budget for answers (EP_DGRAM_OUT_BYTES_PER_SEC) */
	int64_t out_tokens;  /* in thousandths of a byte */
	int64_t out_refill_at; /* ms; 0: not used yet (full) */
	bool out_muted;

	/* The state lab (ep_lab.c): its progress; NULL for other endpoints. */
	struct ep_lab *lab;
	/* A file being sent (ep_file.c); NULL: none. */
	struct ep_file *file;
	uint32_t select_inode; /* endpoint_take_select() */
};

/* What a transport does for an endpoint. endpoint.c calls these and
 * nothing else of the transport; a NULL member means "nothing to do". */
struct ep_transport_ops {
	const char *name;    /* "stream", "datagram": for debugging */
	int socktype;        /* for ep_new_socket(): SOCK_STREAM, SOCK_DGRAM */
	/* Client: creates the socket and starts connecting (or gets ready to
	 * send). A connection that fails at once leaves the endpoint in
	 * EP_STATE_FAILED and returns 0; -1 with errno only when the endpoint
	 * cannot be made at all (endpoint_new() then fails). */
	int (*client_start)(struct endpoint *ep);
	/* poll() results for fd: ep->fd (the listener or the datagram socket,
	 * POLLNVAL already dealt with) or another fd of the endpoint; unknown
	 * fds are ignored. */
	void (*handle)(struct endpoint *ep, int fd, short revents);
	/* endpoint_send() after its checks: 0 or -1 with errno. */
	int (*send)(struct endpoint *ep, const void *data, size_t len);
	/* Runs the timers due at now. */
	void (*tick)(struct endpoint *ep, int64_t now);
	/* The earliest timer (clock_now_ms() time), 0: none. */
	int64_t (*next_deadline)(const struct endpoint *ep);
	/* Frees what handle, send and tick marked for closing; endpoint.c
	 * calls it after each of them, so that they may mark peers while
	 * looping over them. */
	void (*reap)(struct endpoint *ep);
	/* Closes and forgets every peer (not ep->fd: endpoint.c closes it). */
	void (*close_all)(struct endpoint *ep);
	/* Optional: the pane's title and status line (safe text), instead of
	 * the address-based ones. */
	void (*title)(const struct endpoint *ep, enum esc_charset cs, struct buf *out);
	void (*state_text)(const struct endpoint *ep, enum esc_charset cs, struct buf *out);
	/* Optional: endpoint_shutdown_write() after its checks. */
	int (*shutdown_write)(struct endpoint *ep);
	/* Optional: frees the transport's own state (endpoint_free). */
	void (*destroy)(struct endpoint *ep);
};

extern const struct ep_transport_ops ep_stream_ops;
extern const struct ep_transport_ops ep_dgram_ops;
extern const struct ep_transport_ops ep_lab_ops;
extern const struct ep_transport_ops ep_seqpacket_ops;

/* ep_file.c: queues more of the file being sent as the queue has room;
 * stops (closes) it. */
void ep_file_pump(struct endpoint *ep);
void ep_file_stop(struct endpoint *ep);

#endif
