/* fallback.c - raw sockets from /proc without raw_diag; packet interfaces. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "fallback.h"
#include "procnet.h"

/* Raw sockets from procnet_dir/raw and raw6, if sock_diag could not. */
static void raw_from_proc(struct snapshot *snap, unsigned families, const char *dir)
{
	static const struct {
		const char *file;
		int family;
		unsigned sf;
	} files[] = { { "raw", AF_INET, SF_INET }, { "raw6", AF_INET6, SF_INET6 } };
	size_t before = snap->n;
	int read_ok = 0, err = 0;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[PATH_MAX];
		int n;

		if (!(families & files[i].sf))
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", dir, files[i].file);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			err = ENAMETOOLONG;
			continue;
		}
		if (procnet_raw_read(path, files[i].family, snap, NULL) == 0 || errno == EFBIG)
			read_ok++;
		else
			err = errno;
	}
	if (!read_ok) {
		/* still unseen: the status keeps saying so (with why) */
		snap->n = before;
		if (err == ENOENT)
			snap->error[SP_RAW] = ENOENT;
		return;
	}
	snap->status[SP_RAW] = SNAP_OK;
	snap->error[SP_RAW] = 0;
	snap->from_proc |= SP_MASK(SP_RAW);
}

/* Interface names of packet sockets, one if_indextoname() per interface. */
static void packet_ifnames(struct snapshot *snap)
{
	struct {
		unsigned idx;
		char name[IF_NAMESIZE];
	} cache[16];
	size_t ncache = 0;

	for (size_t i = 0; i < snap->n; i++) {
		struct sock *s = &snap->socks[i];
		const char *name = NULL;
		char buf[IF_NAMESIZE];

		if (s->proto != SP_PACKET || !(s->has & SOCK_HAS_PKTINFO) || !s->ifindex)
			continue;
		for (size_t c = 0; c < ncache; c++)
			if (cache[c].idx == s->ifindex)
				name = cache[c].name;
		if (!name) {
			if (!if_indextoname(s->ifindex, buf))
				buf[0] = '\0'; /* gone since: shown as its number */
			if (ncache < sizeof(cache) / sizeof(cache[0])) {
				cache[ncache].idx = s->ifindex;
				memcpy(cache[ncache].name, buf, sizeof(buf));
				ncache++;
			}
			name = buf;
		}
		memset(snapshot_ext(snap, s)->pkt.ifname, 0, sizeof(snapshot_ext(snap, s)->pkt.ifname));
		memcpy(snapshot_ext(snap, s)->pkt.ifname, name, strnlen(name, sizeof(snapshot_ext(snap, s)->pkt.ifname) - 1));
		s->has |= SOCK_HAS_IFNAME;
	}
}

void fallback_complete(struct snapshot *snap, unsigned protos, unsigned families,
		       const char *procnet_dir)
{
	size_t before = snap->n;

	if ((protos & SP_MASK(SP_RAW)) && snap->status[SP_RAW] == SNAP_UNAVAILABLE &&
	    (families & SF_ALL))
		raw_from_proc(snap, families, procnet_dir ? procnet_dir : "/proc/self/net");
	if (protos & SP_MASK(SP_PACKET))
		packet_ifnames(snap);
	if (snap->n != before)
		snapshot_finish(snap);
}
