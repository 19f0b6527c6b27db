/* utext.h - a writable side part for records that tests build by hand.
 *
 * Records keep their kind-specific parts (tcp_info, Unix names, memory) in
 * side storage that a snapshot owns (snapshot_ext). A test that fills a
 * record of its own on the stack gets the storage here instead: a static
 * pool, reused round-robin, so nothing is allocated or leaked. A record in
 * a snapshot keeps the part it has. */
#ifndef SOCKVIEW_UTEXT_H
#define SOCKVIEW_UTEXT_H

#include <string.h>

#include "sock.h"

#define UT_EXT_POOL 4096

static inline struct sock_ext *ut_ext(struct sock *s)
{
	static struct sock_ext pool[UT_EXT_POOL];
	static size_t next;

	if (!s->x) {
		s->x = &pool[next++ % UT_EXT_POOL];
		memset(s->x, 0, sizeof(*s->x));
	}
	return s->x;
}

#endif
