/* diag.h - the netlink sock_diag source: dumps the kernel's sockets.
 *
 * One struct diag owns one NETLINK_SOCK_DIAG socket (close-on-exec,
 * non-blocking) and runs dump cycles on it. A cycle is one request per
 * (protocol, family) pair asked for: TCP, UDP, raw over IPv4/IPv6, then
 * Unix; except that TCP over both families goes as one legacy
 * TCPDIAG_GETSOCK request, whose dump walks the kernel's TCP tables once
 * instead of twice (diag_set_combined_tcp; never while recording, so that
 * recordings stay one file per family; a kernel that refuses it, with an
 * error and no record, gets the two requests then and from then on). Requests go one at
 * a time (the kernel allows one dump per socket),
 * each with a fresh sequence number; replies are parsed by diag_parse.h
 * straight into the caller's snapshot, without per-record allocation.
 *
 * Contract (call order and ownership):
 *   d = diag_open();                       the socket lives in the network
 *                                          namespace current at this call
 *   [diag_set_inet_filter / diag_set_record_dir / diag_set_transport]
 *                                          between cycles only
 *   then, any number of times, either
 *     diag_dump(d, protos, families, snap)          blocking (batch mode)
 *   or
 *     diag_start(d, protos, families, snap);        non-blocking (UI)
 *     while diag_busy(d): poll diag_fd(d) for POLLIN, then diag_step(d)
 *     (or diag_cancel(d) to abandon the cycle)
 *   diag_free(d);
 *
 *  - snap is the caller's; diag_start() clears it, and it must stay alive
 *    and untouched until diag_step() returns 0 or -1 (then it is finished:
 *    de-duplicated and indexed by snapshot_finish()) or diag_cancel() is
 *    called (then its contents are unspecified: clear it before use).
 *  - diag_fd() may change after diag_step() or diag_cancel() (a socket is
 *    reopened to throw away a broken dump): read it again before each poll.
 *    Reopening happens in the namespace the process is in then, so enter a
 *    namespace for good (netns_enter) before diag_open(), never for a while.
 *  - Per-protocol results are in snap->status[]/snap->error[]: SNAP_OK,
 *    SNAP_UNAVAILABLE (the kernel has no diag handler: error ENOENT or
 *    EOPNOTSUPP...), SNAP_FAILED (error holds the errno; records that arrived
 *    before the failure are kept). When IPv4 and IPv6 of one protocol
 *    differ, the worse result wins. snap->inconsistent is set when a dump
 *    kept being interrupted (NLM_F_DUMP_INTR) DIAG_MAX_INTR_RETRIES times.
 *  - Nothing here prints or exits; errors are -1 with errno. */
#ifndef SOCKVIEW_DIAG_H
#define SOCKVIEW_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "snapshot.h"

/* Receive buffer for one reply datagram. The kernel fills dump datagrams up
 * to 32 KiB; anything shorter truncates them (the rest is lost). */
#define DIAG_RECV_BUF_SIZE (64 * 1024)
/* SO_RCVBUF asked for (the kernel may clamp it without privileges). */
#define DIAG_SO_RCVBUF (1024 * 1024)
/* Restarts of one request after NLM_F_DUMP_INTR before the data is kept
 * and the snapshot marked inconsistent. */
#define DIAG_MAX_INTR_RETRIES 3
/* Restarts of one request after ENOBUFS or EBUSY before it fails. */
#define DIAG_MAX_RESTARTS 3
/* Datagrams one diag_step() reads at most, so that the UI loop stays
 * responsive during a dump of 10^5 sockets. */
#define DIAG_STEP_MAX_DGRAMS 16
/* diag_dump() gives a request up after this long without a reply. */
#define DIAG_TIMEOUT_MS 5000

struct diag;

/* How requests leave and replies arrive: the real netlink socket, or a test
 * double. ctx is the pointer given to diag_set_transport(). */
struct diag_transport_ops {
	/* Sends one request; returns the bytes sent or -1 with errno. */
	ssize_t (*send)(void *ctx, const void *buf, size_t len);
	/* Receives one reply datagram into buf without blocking; returns its
	 * full length (more than len if it did not fit: the dump is then
	 * failed), or -1 with errno (EAGAIN: nothing pending now). diag_dump()
	 * waits by polling diag_fd() only with the real socket: with another
	 * transport EAGAIN there counts as a timeout at once. */
	ssize_t (*recv)(void *ctx, void *buf, size_t len);
	/* Optional: forget any dump in flight (the real socket is closed and
	 * reopened). Returns 0, or -1 with errno (the cycle then fails). */
	int (*reset)(void *ctx);
};

/* Counters since diag_open(), for tests and a debug view. */
struct diag_stats {
	size_t requests;       /* requests sent (restarts included) */
	size_t datagrams;      /* reply datagrams received */
	size_t intr_restarts;  /* restarts after NLM_F_DUMP_INTR */
	size_t other_restarts; /* restarts after ENOBUFS or EBUSY */
	size_t resets;         /* sockets reopened / transport resets */
	size_t skipped;        /* unusable messages (diag_parse.h) */
	size_t bad_attrs;      /* malformed attributes ignored */
	size_t stale;          /* messages of an old dump dropped */
};

/* Opens the sock_diag socket in the current network namespace. Returns a
 * new struct diag (free with diag_free), or NULL with errno. */
struct diag *diag_open(void);
/* The same in the network namespace nsfd (a descriptor of it, duplicated;
 * -1: the current one): the thread enters it to open the socket, and
 * again for every reopen, and always comes back (netns_run_in). */
struct diag *diag_open_in(int nsfd);
/* Closes the socket and frees everything d owns; NULL is allowed. */
void diag_free(struct diag *d);

/* Blocking full cycle: clears snap, dumps every protocol in protos (SP_MASK
 * bits) for every family in families (SF_* bits; Unix is dumped whenever
 * SP_UNIX is in protos), finishes snap. Returns 0, or -1 with errno only if
 * not one request was answered (no socket, every send failed or timed out);
 * per-protocol failures are in snap->status/error either way. */
int diag_dump(struct diag *d, unsigned protos, unsigned families,
	      struct snapshot *snap);

/* The fd to poll for POLLIN while diag_busy(); -1 if the socket is closed
 * (a reopen failed). Only meaningful with the real transport. */
int diag_fd(const struct diag *d);
/* Begins a non-blocking cycle into snap (cleared first; a cycle already in
 * flight is cancelled). Returns 0 (diag_busy() says whether anything is in
 * flight; with nothing to dump, snap is already finished), or -1 with errno
 * if the socket cannot be opened. */
int diag_start(struct diag *d, unsigned protos, unsigned families,
	       struct snapshot *snap);
/* Reads what is available (at most DIAG_STEP_MAX_DGRAMS datagrams) without
 * blocking, sends the next request when one ends. Returns 1 while in
 * flight, 0 when the cycle is over and snap finished, -1 with errno if the
 * socket broke beyond repair (the cycle is over: snap is finished, the
 * requests not done are SNAP_FAILED). Without a cycle, returns 0. */
int diag_step(struct diag *d);
/* True while a cycle is in flight. */
bool diag_busy(const struct diag *d);
/* Abandons the cycle in flight (if any): the socket is reopened, so the
 * next request does not meet the old dump (EBUSY). */
void diag_cancel(struct diag *d);

/* Kernel-side filtering for inet requests from the next cycle on: states
 * is the idiag_states bitmap (1u << TCP_xxx; 0 or ~0u: all), also used as
 * udiag_states for Unix (whose sockets are TCP_LISTEN, TCP_ESTABLISHED or
 * TCP_CLOSE, the latter for unconnected datagram sockets too); bytecode (copied; NULL/0: none) goes out as
 * INET_DIAG_REQ_BYTECODE. Bytecode longer than an attribute can hold makes
 * the inet requests fail with EMSGSIZE (shown in snap->status). */
void diag_set_inet_filter(struct diag *d, uint32_t states, const void *bytecode,
			  size_t len);

/* Whether TCP requests ask for tcp_info, the congestion control name and
 * SK_MEMINFO (from the next cycle on; on by default). Without them TCP
 * records lack SOCK_HAS_TCP, SOCK_HAS_CONG and SOCK_HAS_MEM, and the
 * kernel's dump costs about a third less. */
void diag_set_tcp_info(struct diag *d, bool on);

/* Whether every request asks for SK_MEMINFO (INET_DIAG_SKMEMINFO,
 * UDIAG_SHOW_MEMINFO), from the next cycle on; off by default (TCP gets
 * it with tcp_info anyway). For -m: records then have SOCK_HAS_MEM. */
void diag_set_meminfo(struct diag *d, bool on);

/* Destroys the socket s describes (SOCK_DESTROY over a netlink socket of
 * its own, in the current network namespace), identified by its protocol,
 * family, addresses, ports, interface and cookie. Returns 0, or -1 with
 * errno: EPERM (no CAP_NET_ADMIN over the namespace), EOPNOTSUPP (a kernel
 * without CONFIG_INET_DIAG_DESTROY, or a kind it cannot destroy), ENOENT
 * (the socket is gone), EAFNOSUPPORT (not a TCP/UDP/raw inet socket: never
 * sent), ETIMEDOUT (no answer). */
int diag_destroy(const struct sock *s);

/* Whether TCP over both families goes as one combined (legacy) request
 * when the cycle asks for both (from the next cycle on). On with the real
 * socket, off after diag_set_transport() installs a test transport (whose
 * tests expect one request per family) unless turned on again. */
void diag_set_combined_tcp(struct diag *d, bool on);

/* Test seam: replies come from ops (NULL: back to the real socket). ops and
 * ctx are not copied and must outlive their use. */
void diag_set_transport(struct diag *d, const struct diag_transport_ops *ops,
			void *ctx);

/* Appends every raw reply datagram of each request to DIR/NAME.bin, NAME
 * being diag_record_name() (dir copied; NULL stops recording). Errors do
 * not stop the dump; the first one is kept for diag_record_error(). */
void diag_set_record_dir(struct diag *d, const char *dir);
/* The first errno recording met (0: none). */
int diag_record_error(const struct diag *d);
/* "tcp-inet", "udp-inet6", "unix", "tcp" (TCP with AF_UNSPEC: the combined
 * request) ...: the recording's base name for a request (static string; NULL for a pair that is never requested). */
const char *diag_record_name(unsigned proto, unsigned family);

/* Counters since diag_open() (pointer valid until diag_free). */
const struct diag_stats *diag_get_stats(const struct diag *d);

#endif
