/* collect.c - a collection cycle: sock_diag dump, then the process map. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "diag.h"
#include "filter.h"
#include "filter_bc.h"
#include "i18n.h"
#include "procscan.h"
#include "xalloc.h"

/* idiag_states bits (1 << TCP_xxx). */
#define STATES_ALL 0xffffffffu
#define STATES_LISTENING ((1u << SS_LISTEN) | (1u << SS_CLOSE))

struct collect {
	struct diag *diag;
	struct procscan *ps; /* NULL with --no-processes */
	struct procmap *pm;  /* NULL with --no-processes */
	bool scanned;        /* the first full /proc scan is done */
	unsigned protos, families;
	bool listening;
	uint32_t filter_states;
	unsigned filter_protos;   /* protocols the filter can match at all */
	unsigned filter_families; /* IP families it can match */
	void *bytecode;
	size_t bytecode_len;
	struct snapshot *snap; /* target of the cycle in flight */
	uid_t uid;             /* effective uid: 0 sees every process */
	uint32_t *orphans;     /* scratch: inodes without owner */
	size_t orphans_cap;
};

/* Hands the kernel the combined prefilter: states of -l and of the filter
 * (both supersets, so their intersection is too) and the filter's code. */
static void push_filter(struct collect *c)
{
	uint32_t states = c->filter_states;

	if (c->listening)
		states &= STATES_LISTENING;
	diag_set_inet_filter(c->diag, states, c->bytecode, c->bytecode_len);
}

struct collect *collect_new(const struct options *o, char *err, size_t errlen)
{
	struct collect *c = xcalloc(1, sizeof(*c));

	c->diag = diag_open();
	if (!c->diag) {
		snprintf(err, errlen, _("cannot open a sock_diag netlink socket: %s"),
			 strerror(errno));
		free(c);
		return NULL;
	}
	if (o->record_dir)
		diag_set_record_dir(c->diag, o->record_dir);
	if (!o->no_processes) {
		c->ps = procscan_new("/proc");
		c->pm = procmap_new();
	}
	/* Batch tables and CSV show no tcp_info: asking the kernel for it
	 * would cost about a third of the TCP dump for nothing. */
	diag_set_tcp_info(c->diag, !o->once || o->format == FMT_JSON);
	c->uid = geteuid();
	c->protos = o->protos;
	c->families = o->families;
	c->listening = o->listening;
	c->filter_states = STATES_ALL;
	c->filter_protos = SP_MASK_ALL;
	c->filter_families = SF_ALL;
	push_filter(c);
	return c;
}

void collect_free(struct collect *c)
{
	if (!c)
		return;
	diag_free(c->diag);
	procscan_free(c->ps);
	procmap_free(c->pm);
	free(c->bytecode);
	free(c->orphans);
	free(c);
}

void collect_set_scope(struct collect *c, unsigned protos, unsigned families)
{
	c->protos = protos;
	c->families = families;
}

void collect_set_tcp_info(struct collect *c, bool on)
{
	diag_set_tcp_info(c->diag, on);
}

void collect_set_listening(struct collect *c, bool listening)
{
	c->listening = listening;
	push_filter(c);
}

void collect_set_filter(struct collect *c, const struct filter *f)
{
	free(c->bytecode);
	c->bytecode = NULL;
	c->bytecode_len = 0;
	c->filter_states = STATES_ALL;
	c->filter_protos = SP_MASK_ALL;
	c->filter_families = SF_ALL;
	if (f) {
		/* skip whole dumps the filter excludes ("tcp and ...") */
		c->filter_protos = filter_protos(f);
		c->filter_families = 0;
		for (unsigned p = 0; p < SP_NPROTO; p++)
			if (p != SP_UNIX && (c->filter_protos & SP_MASK(p)))
				c->filter_families |= filter_families(f, p);
	}
	if (f && filter_kernel(f, &c->filter_states, &c->bytecode, &c->bytecode_len) < 0) {
		/* nothing the kernel can check: filter in user space only */
		c->filter_states = STATES_ALL;
		c->bytecode = NULL;
		c->bytecode_len = 0;
	}
	push_filter(c);
}

/* Brings the process map up to date after a dump. Batch mode (full) reads
 * every process once. The live view never does: incremental updates with a
 * bounded budget per refresh (the first ones do the initial scan piecewise,
 * so a machine with 10^5 sockets never freezes the keyboard), told which
 * sockets of the dump still lack an owner. */
static void update_processes(struct collect *c, const struct snapshot *snap, bool full)
{
	size_t n = 0;

	if (!c->ps)
		return;
	if (full) {
		if (procscan_full(c->ps, c->pm) == 0)
			c->scanned = true;
		return;
	}
	if (!c->scanned) {
		/* the first update scans new processes within its budget */
		procscan_update(c->ps, c->pm, NULL);
		c->scanned = true;
		return;
	}
	xgrow((void **)&c->orphans, &c->orphans_cap, snap->n, sizeof(*c->orphans));
	for (size_t i = 0; i < snap->n; i++) {
		uint32_t ino = snap->socks[i].inode;

		/* Unprivileged, other users' processes cannot be read: their
		 * sockets would start hunts that can never succeed. */
		if (c->uid && snap->socks[i].uid != c->uid)
			continue;
		if (ino && !procmap_is_owned(c->pm, ino))
			c->orphans[n++] = ino;
	}
	if (n)
		procscan_want_inodes(c->ps, c->orphans, n);
	procscan_update(c->ps, c->pm, NULL);
}

/* Protocols and families worth asking the kernel for. */
static unsigned scope_protos(const struct collect *c)
{
	return c->protos & c->filter_protos;
}

static unsigned scope_families(const struct collect *c)
{
	return c->families & c->filter_families;
}

int collect_once(struct collect *c, struct snapshot *snap)
{
	if (diag_dump(c->diag, scope_protos(c), scope_families(c), snap) < 0)
		return -1;
	update_processes(c, snap, true);
	return 0;
}

int collect_start(struct collect *c, struct snapshot *snap)
{
	if (diag_start(c->diag, scope_protos(c), scope_families(c), snap) < 0)
		return -1;
	c->snap = snap;
	return 0;
}

int collect_step(struct collect *c)
{
	int r = diag_step(c->diag);

	if (r == 0 && c->snap) {
		update_processes(c, c->snap, false);
		c->snap = NULL;
	} else if (r < 0) {
		c->snap = NULL;
	}
	return r;
}

bool collect_busy(const struct collect *c)
{
	return diag_busy(c->diag);
}

void collect_cancel(struct collect *c)
{
	diag_cancel(c->diag);
	c->snap = NULL;
}

int collect_fd(const struct collect *c)
{
	return diag_fd(c->diag);
}

const struct procmap *collect_procmap(const struct collect *c)
{
	return c->pm;
}
