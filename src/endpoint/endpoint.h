/* endpoint.h - the test endpoints: echo, chat, greeting and sink servers
 * and a client, over TCP, UDP, Unix stream and Unix datagram sockets.
 *
 * No terminal code here. An endpoint owns its sockets, a bounded output
 * queue per peer and a bounded transcript (transcript.h); a pane shows the
 * transcript and, when endpoint_accepts_input(), sends typed lines.
 *
 * Loop contract. Everything is non-blocking and runs in the caller's one
 * poll() loop:
 *   - the endpoint registers its fds through cfg->ops (add_fd, mod_fd,
 *     del_fd), from inside endpoint_new(), endpoint_handle(), endpoint_tick(),
 *     endpoint_send*() and endpoint_close(). An fd's events may be 0 for a
 *     while (back-pressure, back-off): the loop keeps the fd but must not
 *     wake for it (poll() still reports POLLHUP/POLLERR; such reports are
 *     handled, never ignored, so they cannot spin);
 *   - when poll() reports revents for a registered fd, the loop calls
 *     endpoint_handle(ep, fd, revents);
 *   - del_fd(fd) is called just before the endpoint closes fd. The number may
 *     be reused at once by a new accept() in the same pass, so the loop must
 *     not deliver revents it polled before the del_fd for that number;
 *   - the loop's timeout includes endpoint_next_timeout_ms(); when it
 *     elapses the loop calls endpoint_tick() (calling it early is harmless).
 * endpoint_handle() does a bounded amount of work per call (one read per
 * peer, a bounded number of accepts and datagrams) so that one flooding
 * peer cannot stall the loop.
 *
 * Back-pressure. Every peer has an output queue bounded by
 * cfg->queue_limit. Echo: when a client's queue is full the server stops
 * reading from that client until the queue drains (the client's own sends
 * then block in its kernel buffers). Chat (stream): a receiver whose queue
 * cannot take a relayed message is disconnected with a transcript note -
 * skipping the message instead would silently tear holes in its byte
 * stream, and pausing the sender would let one stuck client stall them all.
 * Datagrams: a datagram that the kernel will not take now (EAGAIN) is
 * dropped with a note, as UDP itself would; nothing is queued, so a stuck
 * datagram peer costs no memory. Memory per endpoint is thus bounded by
 * max_clients x queue_limit plus the transcript bounds.
 *
 * Errors. endpoint_new() fails (NULL, errno set, a translated message in
 * err) when a server cannot bind/listen or a socket cannot be made; a
 * client whose connection fails (refused, unreachable, timed out) is
 * created anyway and ends in EP_STATE_FAILED with the reason in its
 * transcript and endpoint_error() (unless cfg->fail_at_once and the
 * failure is known at once). Peers that reset or vanish (ECONNRESET,
 * EPIPE, ETIMEDOUT) are an ordinary disconnect. Sends use MSG_NOSIGNAL.
 *
 * Inside (ep_priv.h): endpoint.c drives one transport file per socket
 * type (ep_stream.c, ep_dgram.c) through a table of operations; both
 * build on ep_base.c. */
#ifndef SOCKVIEW_ENDPOINT_H
#define SOCKVIEW_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "epaddr.h"
#include "escape.h"
#include "linecode.h"
#include "transcript.h"

enum ep_kind {
	EP_ECHO,     /* sends back every byte to its sender */
	EP_CHAT,     /* relays every message to every other client (over
		      * datagrams: to every peer that has joined: a peer's
		      * first datagram joins it, is acknowledged to it alone
		      * and is not relayed) */
	EP_GREETING, /* sends the greeting and closes */
	EP_SINK,     /* reads and counts, answers nothing */
	EP_CLIENT,   /* connects (or sends datagrams) to a server */
	EP_NKINDS
};

enum ep_transport {
	EP_TCP,
	EP_UDP,
	EP_UNIX_STREAM,
	EP_UNIX_DGRAM,
	EP_UNIX_SEQPACKET, /* connected, with message boundaries (u_seq) */
	EP_NTRANSPORTS
};

enum ep_state {
	EP_STATE_CONNECTING, /* client: non-blocking connect in progress */
	EP_STATE_READY,      /* server listening/bound; client connected */
	EP_STATE_CLOSED,     /* closed by the user or the server */
	EP_STATE_FAILED,     /* a client whose connection failed */
};

struct endpoint;

/* The state lab (ep_lab.c): ready-made socket states. A lab endpoint is a
 * client (cfg.kind EP_CLIENT, cfg.lab set, no address) that opens its own
 * sockets on the loopback, drives them into the named state with real
 * system calls run from endpoint_tick() (no threads, no sleeping) and tells
 * what it does, step by step, in its transcript. Enter in its pane
 * (endpoint_send) makes the next system call of EP_LAB_LIFE, or runs a
 * finished preset again. Its sockets are its own, listed by
 * endpoint_inodes(); endpoint_close() closes them all. */
enum ep_lab_preset {
	EP_LAB_NONE,
	EP_LAB_CLOSE_WAIT,   /* the server closes, the client does not */
	EP_LAB_TIME_WAIT,    /* the side that closes first */
	EP_LAB_HALF_CLOSE,   /* shutdown(SHUT_WR), data still flows back */
	EP_LAB_ZERO_WINDOW,  /* a receiver that stops reading */
	EP_LAB_ACCEPT_QUEUE, /* a listener that never accepts */
	EP_LAB_REFUSED,      /* TCP RST and the ICMP error of UDP */
	EP_LAB_LIFE,         /* one system call per Enter */
	EP_LAB_NPRESETS
};

/* How an endpoint gets its fds polled (see the loop contract above). add_fd
 * and mod_fd return 0 or -1 with errno; ctx is passed back unchanged. */
struct endpoint_ops {
	int (*add_fd)(void *ctx, struct endpoint *ep, int fd, short events);
	int (*mod_fd)(void *ctx, struct endpoint *ep, int fd, short events);
	void (*del_fd)(void *ctx, struct endpoint *ep, int fd);
	void *ctx;
};

#define EP_DEFAULT_MAX_CLIENTS 1024
#define EP_DEFAULT_QUEUE_LIMIT (256 * 1024)
#define EP_DEFAULT_CONNECT_TIMEOUT_MS 10000
#define EP_DEFAULT_DGRAM_RATE 200 /* datagrams per second per peer */
/* A datagram server sends at most this many bytes per second in answers
 * (echoes, greetings, chat relays), bursts of as many, whatever the number
 * of peers: 50 forged datagrams to a chat of 1,024 peers must not become
 * 50,000 (issue 18 item 2). */
#define EP_DGRAM_OUT_BYTES_PER_SEC (256 * 1024)
#define EP_GREETING_MAX 4096
#define EP_QUEUE_LIMIT_MIN 4096
#define EP_QUEUE_LIMIT_MAX (64 * 1024 * 1024)
/* Bytes of one read or send kept in the transcript (the rest is noted as
 * not kept): enough for a screenful, even as a hex dump, and cheap to
 * format at every redraw while a peer floods 64 KiB reads. */
#define EP_TRANSCRIPT_ENTRY_MAX 4096

struct endpoint_config {
	enum ep_kind kind;
	enum ep_transport transport;
	/* Server: where to bind (port 0: the kernel picks one). Client: the
	 * server. AF_INET/AF_INET6 for TCP/UDP, AF_UNIX for the Unix ones. */
	struct epaddr addr;
	/* Optional: sockview's private directory (epaddr.h). If the Unix path
	 * lies directly in it, it is created again if missing, and removed
	 * when the endpoint is freed if it is then empty. */
	const char *private_dir;
	/* Replace an existing socket file at the path when it is stale
	 * (endpoint_path_is_stale()); never a live socket, a symlink or any
	 * other file. */
	bool replace_stale;
	/* Client: a connection that fails at once (a Unix path that does not
	 * exist or nothing listens on, a socket of the other type, a network
	 * that is unreachable) makes endpoint_new() fail with its errno and
	 * message instead of creating an endpoint in EP_STATE_FAILED. A TCP
	 * connect is never known at once: its refusal comes later. */
	bool fail_at_once;
	/* Greeting server text (raw bytes, up to EP_GREETING_MAX); NULL: the
	 * translated "Thank you for connecting" and a newline. */
	const char *greeting;
	size_t greeting_len;
	size_t max_clients;     /* 0: EP_DEFAULT_MAX_CLIENTS; always kept below
				 * the RLIMIT_NOFILE soft limit */
	size_t queue_limit;     /* bytes per peer output queue; 0: default */
	int connect_timeout_ms; /* client; 0: default */
	unsigned dgram_rate;    /* datagram servers: answered datagrams per
				 * second per peer; 0: default */
	size_t transcript_entries, transcript_bytes; /* 0: defaults */
	enum ep_lab_preset lab; /* EP_LAB_NONE: an ordinary endpoint */
	/* Client: what endpoint_send_line() adds to a typed line on a stream
	 * (a datagram carries the line alone), and whether it decodes escapes
	 * (\x00 \r \n... linecode.h); whether the connection stays open on
	 * this side when the server closes (the client then is CLOSE-WAIT
	 * until closed, and can still send). */
	enum ep_eol eol;
	bool escapes;
	bool keep_open;
	struct endpoint_ops ops;
	/* In another network namespace: with in_netns, every socket of the
	 * endpoint (also a client's reconnections) is created inside the
	 * namespace netns_fd (duplicated by endpoint_new; nsrun.h). */
	bool in_netns;
	int netns_fd;
};

/* Counters, updated as events happen. */
struct endpoint_stats {
	uint64_t bytes_in, bytes_out;   /* payload bytes received / sent */
	uint64_t msgs_in, msgs_out;     /* reads / sends that moved bytes */
	uint64_t clients_total;         /* peers ever accepted or seen */
	uint64_t refused;               /* connections refused by the limit */
	uint64_t dropped;               /* datagrams or messages dropped */
	uint64_t truncated;             /* datagrams cut by the receive buffer */
	size_t clients;                 /* peers now (datagram: peers known) */
	size_t paused;                  /* peers whose reading is paused now */
	size_t queued;                  /* bytes in all output queues now */
	size_t queue_peak;              /* largest single queue ever seen */
};

/* Fills cfg with defaults for kind over transport; the caller then sets
 * addr (and ops). */
void endpoint_config_init(struct endpoint_config *cfg, enum ep_kind kind,
			  enum ep_transport transport);

/* Creates the endpoint: a server binds (and listens); a client starts a
 * non-blocking connect. Registers its fds through cfg->ops (copied; strings
 * of cfg are copied too). Returns NULL with errno and a translated message
 * in err on failure (EADDRINUSE: "address ... is already in use" - the
 * caller may add who holds it; EEXIST: the Unix path exists; ESTALE: it is
 * a stale socket file, which replace_stale would replace). A server's Unix
 * path that is a socket file is probed with a check connection
 * (endpoint_path_is_stale), which its server, if any, sees as a client;
 * the messages say so. */
struct endpoint *endpoint_new(const struct endpoint_config *cfg, char *err, size_t errlen);

/* Closes every socket (del_fd first), unlinks the Unix socket file this
 * endpoint created (and only that file, checked by inode), removes the
 * private directory if it is now empty. The endpoint stays readable
 * (transcript, stats) in EP_STATE_CLOSED. Idempotent. */
void endpoint_close(struct endpoint *ep);
/* endpoint_close() and frees everything; NULL is allowed. */
void endpoint_free(struct endpoint *ep);

/* Handles poll() results for one of the endpoint's fds (unknown fds are
 * ignored). */
void endpoint_handle(struct endpoint *ep, int fd, short revents);
/* Milliseconds from now (clock_now_ms() time) until the endpoint needs
 * endpoint_tick(), 0 if overdue, -1 if it has no timer. */
int endpoint_next_timeout_ms(const struct endpoint *ep, int64_t now);
/* Runs the timers due at now: connect timeout, accept back-off, greeting
 * close delay. */
void endpoint_tick(struct endpoint *ep, int64_t now);

/* True when typing makes sense: a client that is connecting or connected,
 * or a chat server. */
bool endpoint_accepts_input(const struct endpoint *ep);
/* Sends len raw bytes as the user: a client to its server, a chat server to
 * every client. Stream bytes are queued (sent as the socket takes them); a
 * datagram goes out at once as one message. Returns 0, or -1 with errno:
 * EOPNOTSUPP (this endpoint takes no input), ENOTCONN (closed or failed),
 * ENOBUFS (the output queue is full), EMSGSIZE (datagram too large), or the
 * send error; the transcript says what happened. */
int endpoint_send(struct endpoint *ep, const void *data, size_t len);
/* endpoint_send() of a typed line: escapes decoded if cfg.escapes (a
 * malformed one: -1 with EINVAL, nothing sent, the transcript says where);
 * on stream transports the line ending of cfg.eol (LF by default) is
 * added; a datagram carries the line as typed (its boundary ends it). */
int endpoint_send_line(struct endpoint *ep, const void *data, size_t len);
/* Half-close: a connected stream client shuts its sending side
 * (shutdown(SHUT_WR)): the server reads the end of file and can still
 * send. Returns 0, or -1 with errno: EOPNOTSUPP (not a stream client),
 * ENOTCONN (not connected), EAGAIN (bytes are still queued: try again
 * once they went), EALREADY (done before). */
int endpoint_shutdown_write(struct endpoint *ep);
/* Sends the bytes of the regular file at path (at most EP_FILE_MAX) as
 * the user would, a piece at a time as the output queue has room (the
 * rest goes from endpoint_handle()/endpoint_tick()). Stream clients only.
 * Returns 0 (the transcript says how it went), or -1 with errno and a
 * message in err: EOPNOTSUPP, ENOTCONN, EBUSY (one is on its way), EINVAL
 * (a directory, FIFO, device, symbolic link), EFBIG, or open()'s error. */
#define EP_FILE_MAX (16u * 1024 * 1024)
int endpoint_send_file(struct endpoint *ep, const char *path, char *err, size_t errlen);
bool endpoint_sending_file(const struct endpoint *ep);

struct transcript *endpoint_transcript(struct endpoint *ep);
const struct endpoint_stats *endpoint_stats(const struct endpoint *ep);
enum ep_kind endpoint_kind(const struct endpoint *ep);
enum ep_transport endpoint_transport(const struct endpoint *ep);
/* AF_INET, AF_INET6 or AF_UNIX. */
int endpoint_family(const struct endpoint *ep);
enum ep_state endpoint_state(const struct endpoint *ep);
/* The last fatal error of the endpoint (errno value), 0 if none. */
int endpoint_error(const struct endpoint *ep);
/* Server: the bound address (with the real port); client: its own address
 * once connected (family only before). */
const struct epaddr *endpoint_local_addr(const struct endpoint *ep);
/* Client: the server's address; server: the configured address. */
const struct epaddr *endpoint_remote_addr(const struct endpoint *ep);

/* Appends a safe title line: "echo server, TCP 127.0.0.1:5000". */
void endpoint_title(const struct endpoint *ep, enum esc_charset cs, struct buf *out);
/* Appends a safe status line: "listening, 3 clients, 120 B in, 45 B out"
 * or "connection refused". */
void endpoint_state_text(const struct endpoint *ep, enum esc_charset cs, struct buf *out);

/* Returns true, and clears the flag, if anything a pane shows changed
 * since the last call. */
bool endpoint_take_dirty(struct endpoint *ep);

/* Writes up to max of the endpoint's open socket fds / socket inodes
 * (fstat st_ino, what sock_diag reports) to out; returns how many there
 * are (may exceed max). */
size_t endpoint_fds(const struct endpoint *ep, int *out, size_t max);
size_t endpoint_inodes(const struct endpoint *ep, uint32_t *out, size_t max);
/* A fingerprint of the same list: it changes when endpoint_inodes() would
 * give another answer (but for a 2^-64 chance), and costs no allocation. */
uint64_t endpoint_inodes_fp(const struct endpoint *ep);

/* True if path is a socket file (lstat: no symlink followed) that nothing
 * listens on: a connect() gets ECONNREFUSED. */
bool endpoint_path_is_stale(const char *path);
/* True for a client whose connection ended (closed, refused, reset...):
 * endpoint_reconnect can start it again. */
bool endpoint_can_reconnect(const struct endpoint *ep);
/* Connects a client again to the same address, keeping its transcript.
 * Returns 0 (connecting or connected; a quick failure shows as
 * EP_STATE_FAILED with its transcript note), or -1 with errno (EINVAL if
 * it cannot reconnect). */
int endpoint_reconnect(struct endpoint *ep);

/* The lab: the preset of ep (EP_LAB_NONE for other endpoints); the
 * translated name and one-line description of a preset; true once the
 * preset reached its state (what it set out to show). */
enum ep_lab_preset endpoint_lab(const struct endpoint *ep);
const char *endpoint_lab_name(enum ep_lab_preset p);
const char *endpoint_lab_help(enum ep_lab_preset p);
bool endpoint_lab_done(const struct endpoint *ep);
/* The inode of a socket the endpoint wants selected in the table (a lab
 * step made or changed it), once: the next call returns 0. */
uint32_t endpoint_take_select(struct endpoint *ep);

/* True if path names a socket file (not following a symbolic link). */
bool endpoint_path_is_socket(const char *path);

/* Translated names: "echo server", "chat server", "greeting server",
 * "sink server", "client"; "TCP", "UDP", "Unix stream", "Unix datagram", "Unix seqpacket". */
const char *endpoint_kind_name(enum ep_kind kind);
const char *endpoint_transport_name(enum ep_transport t);
/* True for UDP and Unix datagram. */
bool endpoint_transport_is_dgram(enum ep_transport t);

#endif
