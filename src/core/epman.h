/* epman.h - sockview's open test endpoints, each with its pane, wired into
 * the one poll() loop (no curses).
 *
 * The manager registers every endpoint socket in the loop (through the
 * endpoint's ops), hands poll() results to endpoint_handle(), keeps one
 * loop timer armed at the earliest endpoint_next_timeout_ms() and runs
 * endpoint_tick() when it fires. It also owns the private directory where
 * the Unix socket files of sockview's servers live, and knows the newest
 * server still open (the client form's default target).
 *
 * Contract: epman_free() must run before loop_free(); it closes every
 * endpoint, which removes the Unix socket files sockview created (and only
 * those), then the private directory if it is empty. Every way out of the
 * live view goes through it (quit, SIGINT/SIGTERM/SIGHUP, end of input). */
#ifndef SOCKVIEW_EPMAN_H
#define SOCKVIEW_EPMAN_H

#include <stdbool.h>
#include <stddef.h>

#include "endpoint.h"
#include "epaddr.h"
#include "ownset.h"
#include "pane.h"

struct loop;
struct epman;

/* A server of ours, for the client form. */
struct epman_server {
	enum ep_kind kind;
	enum ep_transport transport;
	struct epaddr addr; /* as bound (the real port) */
	uint32_t netns_ino; /* its network namespace (pane.h), 0: sockview's own */
};

/* A manager whose endpoints are polled by l (l outlives it). Never NULL. */
struct epman *epman_new(struct loop *l);
/* Closes and frees every endpoint and pane, removes the private directory
 * if empty; NULL is allowed. */
void epman_free(struct epman *m);

/* Number of panes, and pane i (0 = the oldest), or NULL. */
size_t epman_count(const struct epman *m);
struct pane *epman_pane(const struct epman *m, size_t i);
/* Index of the pane numbered id, or PANE_NONE. */
size_t epman_find(const struct epman *m, unsigned id);
/* Endpoints that still hold sockets (listening, connected, connecting). */
size_t epman_live(const struct epman *m);

/* Opens an endpoint as cfg says (cfg->ops are set here) and adds its pane
 * at the end. Returns the pane, or NULL with errno and a translated message
 * in err (see endpoint_new). A server at a Unix path one of ours holds
 * fails with EADDRINUSE before endpoint_new() could probe the path with a
 * check connection (which our server would count as a client). */
struct pane *epman_open(struct epman *m, struct endpoint_config *cfg, char *err, size_t errlen);
/* Closes pane i: its sockets are closed (del_fd first), its socket file
 * removed, the pane freed. */
void epman_close(struct epman *m, size_t i);

/* The private directory for Unix socket files, created (0700) on first use
 * under $XDG_RUNTIME_DIR or /tmp; NULL with a translated reason in err if
 * it cannot be made. */
const char *epman_private_dir(struct epman *m, char *err, size_t errlen);

/* The newest server that is still open (listening or bound), skipping
 * those closed since; false if none. */
bool epman_last_server(const struct epman *m, struct epman_server *out);

/* Refills out with the inodes of every endpoint socket, tagged with the
 * number of its pane (finished: ready for lookups). */
void epman_collect(const struct epman *m, struct ownset *out);
/* A fingerprint of what epman_collect() would give: callers refill their
 * set only when it changed (this runs at every loop pass). */
uint64_t epman_collect_fp(const struct epman *m);

/* True, and cleared, if anything a pane shows changed since the last
 * call (data arrived, a peer came or went, a pane opened or closed). */
bool epman_take_dirty(struct epman *m);

/* Re-arms the loop timer for the endpoints' timers (after sends or
 * anything else done to an endpoint outside the loop's callbacks). */
void epman_sync(struct epman *m);

#endif
