/* uitest.h - building fake snapshots for the app and view tests. */
#ifndef SOCKVIEW_UITEST_H
#define SOCKVIEW_UITEST_H

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "app.h"
#include "options.h"
#include "snapshot.h"
#include "utext.h"

/* Options as the command line gives them without arguments. */
static inline void ut_options(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->protos = SP_MASK_ALL;
	o->families = SF_ALL;
	o->delay_ms = 1000;
}

/* Adds a TCP/UDP socket "laddr:lport -> raddr:rport" (IPv4 or IPv6 by the
 * text) with the given cookie (also its key) and inode. */
static inline struct sock *ut_inet(struct snapshot *s, unsigned proto, unsigned state,
				   const char *laddr, unsigned lport,
				   const char *raddr, unsigned rport,
				   uint64_t cookie, uint32_t inode)
{
	struct sock *r = snapshot_add(s);
	int fam = strchr(laddr, ':') ? AF_INET6 : AF_INET;

	r->proto = (uint8_t)proto;
	r->family = (uint8_t)fam;
	r->type = proto == SP_TCP ? SOCK_STREAM : proto == SP_UDP ? SOCK_DGRAM : SOCK_RAW;
	r->state = (uint8_t)state;
	r->has = SOCK_HAS_UID | SOCK_HAS_QUEUE;
	r->inode = inode;
	r->cookie = cookie;
	r->uid = 1000;
	inet_pton(fam, laddr, r->laddr);
	inet_pton(fam, raddr, r->raddr);
	r->lport = (uint16_t)lport;
	r->rport = (uint16_t)rport;
	r->key.cookie = cookie;
	r->key.inode = inode;
	r->key.proto = r->proto;
	r->key.family = r->family;
	return r;
}

/* Adds a Unix socket; name may hold any bytes (len of them); abstract names
 * start with '\0'. peer 0: not connected. */
static inline struct sock *ut_unix(struct snapshot *s, unsigned type, unsigned state,
				   const char *name, size_t len, uint32_t inode, uint32_t peer)
{
	struct sock *r = snapshot_add(s);

	r->proto = SP_UNIX;
	r->family = AF_UNIX;
	r->type = (uint8_t)type;
	r->state = (uint8_t)state;
	r->has = SOCK_HAS_NAME | SOCK_HAS_QUEUE | (peer ? SOCK_HAS_PEER : 0);
	r->inode = inode;
	r->cookie = inode;
	r->peer_inode = peer;
	if (len > SOCK_NAME_MAX)
		len = SOCK_NAME_MAX;
	memcpy(snapshot_ext(s, r)->name, name, len);
	snapshot_ext(s, r)->name_len = (uint8_t)len;
	r->key.cookie = inode;
	r->key.inode = inode;
	r->key.proto = SP_UNIX;
	r->key.family = AF_UNIX;
	return r;
}

/* Marks every protocol as dumped successfully and finishes the snapshot. */
static inline void ut_finish(struct snapshot *s, int64_t taken)
{
	for (int p = 0; p < SP_NPROTO; p++)
		s->status[p] = SNAP_OK;
	snapshot_finish(s);
	s->taken_ms = taken;
}

#endif
