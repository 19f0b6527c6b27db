/* diag_parse.h - netlink sock_diag replies to socket records (pure, no I/O).
 *
 * The parser turns the bytes of sock_diag reply datagrams into records
 * appended to a snapshot. It reads nothing but the buffer it is handed, so
 * canned dumps (tests/fixtures/) and fuzzers drive it without a kernel.
 *
 * One struct diag_parser follows one dump (one request): initialise it with
 * diag_parser_init(), then hand it each datagram in turn until diag_parse()
 * returns 0 (the dump ended) or -1 (the byte stream is broken).
 *
 * What is checked, and what happens to bad input:
 *  - framing (an nlmsghdr shorter than its header, nlmsg_len past the end of
 *    the buffer, stray bytes after the last message): the stream can no
 *    longer be trusted, diag_parse() returns -1 with errno EBADMSG. Records
 *    parsed before the bad spot stay in the snapshot.
 *  - a message of our dump that cannot be a socket (payload shorter than
 *    struct inet_diag_msg / unix_diag_msg / packet_diag_msg /
 *    netlink_diag_msg, wrong address family, unknown
 *    message type): skipped and counted in stats.skipped; parsing goes on.
 *    Socket messages are SOCK_DIAG_BY_FAMILY, or TCPDIAG_GETSOCK in a TCP
 *    dump (the reply type of the legacy request diag.c uses for TCP over
 *    both families).
 *  - Unix records: when names (peers) were asked for, a socket without a
 *    UNIX_DIAG_NAME (_PEER) attribute is unnamed (has no peer): SOCK_HAS_NAME
 *    (SOCK_HAS_PEER) is set with name_len (peer_inode) 0.
 *  - attributes: unknown types are skipped; a known one of the wrong size is
 *    ignored (its SOCK_HAS_ flag stays clear) and counted in
 *    stats.bad_attrs; an attribute whose nla_len is impossible ends the
 *    attribute walk of that record (the record is kept with what came
 *    before) and is counted in stats.bad_attrs.
 *  - messages of another sequence number or port id (an old, abandoned dump)
 *    are dropped quietly and counted in stats.stale.
 *  - NLMSG_DONE ends the dump; its int payload is the dump's result
 *    (-ENOENT: the kernel has no diag handler for this protocol).
 *    NLMSG_ERROR ends it too, with its error. NLM_F_DUMP_INTR on any message
 *    sets p->intr (the dump went on while the socket tables changed); the
 *    parser keeps going so that the dump is read to its end.
 *
 * The buffer must be 4-byte aligned, as every netlink buffer is (recv into
 * malloc'd memory); otherwise diag_parse() returns -1 with errno EINVAL. */
#ifndef SOCKVIEW_DIAG_PARSE_H
#define SOCKVIEW_DIAG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

struct diag_parse_stats {
	size_t records;   /* records appended */
	size_t skipped;   /* messages of our dump that were not usable sockets */
	size_t bad_attrs; /* malformed attributes ignored */
	size_t stale;     /* messages of another seq/portid, dropped */
};

struct diag_parser {
	/* set by diag_parser_init(); the caller may change them before use */
	struct snapshot *snap; /* records go here (not owned) */
	uint8_t proto;         /* enum sock_proto the request asked for */
	uint32_t seq;          /* expected nlmsg_seq; 0 accepts any */
	uint32_t portid;       /* expected nlmsg_pid; 0 accepts any */
	uint32_t udiag_show;   /* UDIAG_SHOW_* the Unix request asked for */

	/* results */
	bool done;     /* NLMSG_DONE or NLMSG_ERROR seen */
	bool intr;     /* NLM_F_DUMP_INTR seen: the dump may be inconsistent */
	int error;     /* positive errno the dump ended with (0: success) */
	size_t consumed; /* bytes of the last buffer parsed (up to and with DONE) */
	struct diag_parse_stats stats;
};

/* Prepares p for one dump of proto (enum sock_proto) into snap, expecting
 * sequence number seq and port id portid (0: any). For Unix dumps
 * udiag_show defaults to the flags diag.c asks for (names, peers, queues,
 * uid); set it before parsing when replaying other requests. */
void diag_parser_init(struct diag_parser *p, struct snapshot *snap,
		      unsigned proto, uint32_t seq, uint32_t portid);

/* Parses one reply datagram of len bytes. Returns 1 when more datagrams of
 * the dump are expected, 0 when the dump ended (p->error holds its result,
 * bytes after the final message are left alone: p->consumed says where it
 * stopped), or -1 with errno EBADMSG (broken framing) or EINVAL (unaligned
 * buffer, or a dump already over). Never reads outside buf. */
int diag_parse(struct diag_parser *p, const void *buf, size_t len);

/* The UDIAG_SHOW_* flags diag.c requests for Unix sockets. */
uint32_t diag_parse_unix_show(void);
/* The PACKET_SHOW_* and NDIAG_SHOW_* flags diag.c requests for packet and
 * netlink sockets. Packet records take recv_q from the memory info (as
 * ss), netlink ones both queues; both are in state TCP_CLOSE (UNCONN). */
uint32_t diag_parse_packet_show(void);
uint32_t diag_parse_netlink_show(void);

#endif
