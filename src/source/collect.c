/* collect.c - a collection cycle: sock_diag dump, then the process map. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cgpath.h"
#include "runtime.h"
#include "collect.h"
#include "recdir.h"
#include "diag.h"
#include "fallback.h"
#include "filter.h"
#include "filter_bc.h"
#include "i18n.h"
#include "netns.h"
#include "nstab.h"
#include "procscan.h"
#include "xalloc.h"

/* /proc work (procscan units: a process opened or a link read, ~5 us
 * each) of one collect_step in the live view, so a step stays near 10 ms
 * and keys are answered between steps; and of one whole refresh, so the
 * first scan of a machine with 10^5 sockets spreads over a few refreshes
 * instead of one long one. */
#define COLLECT_STEP_UNITS 2000
#define COLLECT_REFRESH_UNITS 20000
/* Until the first scan of /proc has seen every process, a refresh goes on
 * up to this much work (~1 s): the live view paints the dump at once and
 * fills the Process column when the scan ends (collect_dumped), so the
 * first scan of a machine with 10^5 sockets is one refresh, not five. */
#define COLLECT_FIRST_SCAN_UNITS 250000
/* The background reread of unchanged processes (procscan's slice: the
 * safety net for an fd swapped without changing the fd count, and for
 * renamed processes) runs every this many refreshes: on a quiet machine it
 * is most of what a refresh costs besides the dump. */
#define COLLECT_SLICE_EVERY 2

/* idiag_states bits (1 << TCP_xxx). */
#define STATES_ALL 0xffffffffu
#define STATES_LISTENING ((1u << SS_LISTEN) | (1u << SS_CLOSE))

/* The diag socket of one namespace (d == the collector's own diag for the
 * current namespace; NULL for one that could not be entered). */
struct nsdiag {
	uint64_t dev;
	uint32_t ino;
	struct diag *d;
};

struct collect {
	struct diag *diag;
	struct procscan *ps; /* NULL with --no-processes */
	struct procmap *pm;  /* NULL with --no-processes */
	bool scanned;        /* the first full /proc scan is done */
	bool complete;       /* a process phase has ended with nothing pending */
	unsigned protos, families;
	bool listening;
	uint32_t filter_states;
	unsigned filter_protos;   /* protocols the filter can match at all */
	unsigned filter_families; /* IP families it can match */
	void *bytecode;
	size_t bytecode_len;
	struct snapshot *snap; /* target of the cycle in flight */
	bool procs_phase;      /* the dump is over, the process map is updated */
	bool first_step;       /* of the process phase */
	size_t units;          /* /proc work done in this refresh */
	unsigned refreshes;    /* live refreshes started */
	int wake_fd;           /* always readable: polled in the process phase */
	uid_t uid;             /* effective uid: 0 sees every process */
	int proc_errno;        /* why processes went unmapped this refresh (0: ok) */
	uint32_t *orphans;     /* scratch: inodes without owner */
	size_t orphans_cap;
	/* --all-netns: one diag per namespace, in the table's order */
	bool all_netns;
	struct netns_list *nsl; /* NULL until all_netns is first on */
	struct {
		struct nsdiag *v;
		size_t n, cap;
	} ns;
	struct nstab nstab;     /* the last cycle's namespaces, with counts */
	size_t ns_cur;          /* live cycle: the namespace being dumped */
	struct snapshot part;   /* one namespace's dump, merged into snap */
	bool tcp_info;
	bool cgroups;           /* owners' services are read */
	bool cgroups_reread;    /* just turned on: read every process again */
	struct cgpath *cgp;     /* sockets' cgroup ids -> paths (cgroups on) */
	struct runtime *rt;     /* container names (cgroups on) */
};

/* With cgroups on, names the cgroup ids of the dump's inet sockets that
 * the process map's service table does not know yet (cgpath.h): one hash
 * lookup per socket, a walk of the cgroup2 tree only for a new id. */
static void cgroups_fill(struct collect *c, const struct snapshot *snap)
{
	if (!c->cgroups || !c->pm)
		return;
	if (!c->cgp)
		c->cgp = cgpath_new(NULL);
	cgpath_refresh(c->cgp);
	cgpath_fill(c->cgp, procmap_cgsvc(c->pm), snap->socks, snap->n, runtime_name, c->rt);
}

/* Hands the kernel the combined prefilter: states of -l and of the filter
 * (both supersets, so their intersection is too) and the filter's code. */
static void push_filter(struct collect *c)
{
	uint32_t states = c->filter_states;

	if (c->listening)
		states &= STATES_LISTENING;
	diag_set_inet_filter(c->diag, states, c->bytecode, c->bytecode_len);
	for (size_t i = 0; i < c->ns.n; i++)
		if (c->ns.v[i].d && c->ns.v[i].d != c->diag)
			diag_set_inet_filter(c->ns.v[i].d, states, c->bytecode, c->bytecode_len);
}

struct collect *collect_new(const struct collect_config *cfg, char *err, size_t errlen)
{
	struct collect *c = xcalloc(1, sizeof(*c));

	c->diag = diag_open();
	if (!c->diag) {
		snprintf(err, errlen, _("cannot open a sock_diag netlink socket: %s"),
			 strerror(errno));
		free(c);
		return NULL;
	}
	if (cfg->record_dir) {
		char why[200];

		/* refuse an unsafe directory at once (recdir.h) */
		if (recdir_check(cfg->record_dir, why, sizeof(why)) < 0) {
			snprintf(err, errlen, _("--record-dump %s: %s"), cfg->record_dir, why);
			diag_free(c->diag);
			free(c);
			return NULL;
		}
		diag_set_record_dir(c->diag, cfg->record_dir);
	}
	c->wake_fd = -1;
	if (!cfg->no_processes) {
		uint64_t one = 1;

		c->ps = procscan_new("/proc");
		c->pm = procmap_new();
		/* the live view's loop calls collect_step while this fd is
		 * readable: it stays readable, and is polled only while a
		 * process phase has work left */
		if (cfg->live) {
			c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
			if (c->wake_fd < 0 || write(c->wake_fd, &one, sizeof(one)) != sizeof(one)) {
				snprintf(err, errlen, _("cannot create an eventfd: %s"),
					 strerror(errno));
				collect_free(c);
				return NULL;
			}
		}
	}
	diag_set_tcp_info(c->diag, cfg->tcp_info);
	diag_set_meminfo(c->diag, cfg->meminfo);
	c->tcp_info = cfg->tcp_info;
	c->all_netns = cfg->all_netns;
	c->cgroups = cfg->cgroups;
	if (c->ps) {
		/* container names: read from the runtimes' files, once per id */
		c->rt = runtime_new("/");
		procscan_set_runtime(c->ps, c->rt);
		procscan_set_cgroups(c->ps, cfg->cgroups);
	}
	snapshot_init(&c->part);
	nstab_init(&c->nstab);
	c->uid = geteuid();
	c->protos = cfg->protos;
	c->families = cfg->families;
	c->listening = cfg->listening;
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
	for (size_t i = 0; i < c->ns.n; i++)
		if (c->ns.v[i].d != c->diag)
			diag_free(c->ns.v[i].d);
	free(c->ns.v);
	netns_list_free(c->nsl);
	nstab_free(&c->nstab);
	snapshot_free(&c->part);
	diag_free(c->diag);
	if (c->wake_fd >= 0)
		close(c->wake_fd);
	procscan_free(c->ps);
	procmap_free(c->pm);
	cgpath_free(c->cgp);
	runtime_free(c->rt);
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
	c->tcp_info = on;
	diag_set_tcp_info(c->diag, on);
	for (size_t i = 0; i < c->ns.n; i++)
		if (c->ns.v[i].d && c->ns.v[i].d != c->diag)
			diag_set_tcp_info(c->ns.v[i].d, on);
}

void collect_set_meminfo(struct collect *c, bool on)
{
	diag_set_meminfo(c->diag, on);
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

/* Tells the scanner which sockets of the dump have no owner yet, so that
 * it hunts for them (see procscan_want_inodes). */
static void want_orphans(struct collect *c, const struct snapshot *snap)
{
	size_t n = 0;

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
}

/* Begins bringing the process map up to date after a live dump. The live
 * view never rescans all of /proc: each step is one incremental update
 * (new and changed processes, a round-robin slice, a hunt for owners of
 * new sockets) of at most COLLECT_STEP_UNITS, and steps go on while work
 * is pending, up to COLLECT_REFRESH_UNITS per refresh (until the first
 * scan is complete, COLLECT_FIRST_SCAN_UNITS: see there). */
static void procs_begin(struct collect *c, const struct snapshot *snap)
{
	c->procs_phase = true;
	c->first_step = true;
	c->units = 0;
	c->refreshes++;
	c->proc_errno = 0;
	cgroups_fill(c, snap);
	if (c->cgroups_reread) {
		c->cgroups_reread = false;
		(void)procscan_full(c->ps, c->pm); /* on failure the map stays */
	}
	if (c->scanned)
		want_orphans(c, snap);
	c->scanned = true;
}

/* One step of the process phase: returns 1 while more steps are wanted,
 * 0 when the phase is over. */
static int procs_step(struct collect *c)
{
	static const struct procscan_budget defaults = PROCSCAN_BUDGET_DEFAULT;
	struct procscan_budget b = {
		.changed = COLLECT_STEP_UNITS,
		/* the background reread: in the first step of every
		 * COLLECT_SLICE_EVERY-th refresh */
		.slice = c->first_step && c->refreshes % COLLECT_SLICE_EVERY == 0
				 ? defaults.slice
				 : 0,
		.hunt = COLLECT_STEP_UNITS,
	};
	const struct procscan_stats *st;

	c->first_step = false;
	if (procscan_update(c->ps, c->pm, &b) < 0) {
		c->proc_errno = errno;
		c->procs_phase = false; /* the map stays as it was */
		return 0;
	}
	st = procscan_stats(c->ps);
	if (st->fd_errno)
		c->proc_errno = st->fd_errno;
	c->units += st->scanned + st->links;
	if (st->pending &&
	    c->units < (c->complete ? COLLECT_REFRESH_UNITS : COLLECT_FIRST_SCAN_UNITS))
		return 1;
	if (!st->pending)
		c->complete = true;
	/* a hunt that cannot succeed (a socket whose process is out of
	 * sight) must not cost more per refresh than procscan's default */
	if (st->hunting && c->units < defaults.hunt)
		return 1;
	c->procs_phase = false;
	return 0;
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

/* ---- every namespace (--all-netns) ---- */

static struct diag *ns_open_diag(struct collect *c, size_t i)
{
	struct diag *d = diag_open_in(netns_list_fd(c->nsl, i));
	uint32_t states = c->filter_states;

	if (!d)
		return NULL;
	if (c->listening)
		states &= STATES_LISTENING;
	diag_set_tcp_info(d, c->tcp_info);
	diag_set_inet_filter(d, states, c->bytecode, c->bytecode_len);
	return d;
}

/* Finds the namespaces again and gives each its diag socket: kept for
 * those already known, opened (inside it) for new ones, closed for those
 * gone. */
static void ns_sync(struct collect *c)
{
	const struct nstab *t;
	struct nsdiag *old = c->ns.v;
	size_t nold = c->ns.n;

	if (!c->nsl)
		c->nsl = netns_list_new("/proc", "/run/netns");
	(void)netns_list_refresh(c->nsl); /* empty on failure: the own ns below */
	t = netns_list_table(c->nsl);
	c->ns.v = NULL;
	c->ns.n = c->ns.cap = 0;
	xgrow((void **)&c->ns.v, &c->ns.cap, t->n ? t->n : 1, sizeof(*c->ns.v));
	for (size_t i = 0; i < t->n; i++) {
		const struct nstab_ent *e = &t->v[i];
		struct nsdiag *nd = &c->ns.v[c->ns.n++];

		nd->dev = e->dev;
		nd->ino = e->ino;
		nd->d = NULL;
		if (e->current) {
			nd->d = c->diag;
			continue;
		}
		if (e->denied)
			continue;
		for (size_t j = 0; j < nold; j++) {
			if (old[j].d && old[j].dev == e->dev && old[j].ino == e->ino) {
				nd->d = old[j].d;
				old[j].d = NULL;
				break;
			}
		}
		if (!nd->d)
			nd->d = ns_open_diag(c, i);
		if (!nd->d)
			netns_list_deny(c->nsl, i); /* EPERM: no CAP_SYS_ADMIN */
	}
	for (size_t j = 0; j < nold; j++)
		if (old[j].d && old[j].d != c->diag)
			diag_free(old[j].d);
	free(old);
	/* the table beside the snapshot: a copy, with the counts added */
	nstab_clear(&c->nstab);
	for (size_t i = 0; i < t->n; i++)
		*nstab_add(&c->nstab) = t->v[i];
	c->nstab.denied = t->denied;
	if (!t->n) {
		/* the current namespace could not be identified: dump it alone */
		c->ns.v[0] = (struct nsdiag){ 0, 0, c->diag };
		c->ns.n = 1;
	}
}

static int status_rank(enum snap_status s)
{
	return s == SNAP_FAILED ? 3 : s == SNAP_UNAVAILABLE ? 2 : s == SNAP_OK ? 1 : 0;
}

/* Adds namespace i's dump (c->part) to snap, each record tagged with it. */
static void ns_merge(struct collect *c, size_t i, struct snapshot *snap)
{
	const struct snapshot *p = &c->part;

	for (size_t k = 0; k < p->n; k++) {
		struct sock *s = snapshot_add_copy(snap, &p->socks[k]);

		s->key.netns = c->ns.v[i].ino;
	}
	for (unsigned k = 0; k < SP_NPROTO; k++) {
		if (status_rank(p->status[k]) > status_rank(snap->status[k])) {
			snap->status[k] = p->status[k];
			snap->error[k] = p->error[k];
		}
	}
	snap->inconsistent |= p->inconsistent;
	if (i < c->nstab.n)
		c->nstab.v[i].nsocks = p->n;
}

static int ns_once(struct collect *c, struct snapshot *snap)
{
	bool any = false;
	int err = EIO;

	ns_sync(c);
	snapshot_clear(snap);
	for (size_t i = 0; i < c->ns.n; i++) {
		if (!c->ns.v[i].d)
			continue;
		/* a namespace that vanished mid-dump answers what it had */
		if (diag_dump(c->ns.v[i].d, scope_protos(c), scope_families(c), &c->part) < 0) {
			err = errno;
			continue;
		}
		ns_merge(c, i, snap);
		any = true;
	}
	snapshot_finish(snap);
	if (!any) {
		errno = err;
		return -1;
	}
	return 0;
}

/* Starts the dump of the next namespace from i on that can start one;
 * returns false when none is left. */
static bool ns_start_from(struct collect *c, size_t i)
{
	for (; i < c->ns.n; i++) {
		if (!c->ns.v[i].d)
			continue;
		if (diag_start(c->ns.v[i].d, scope_protos(c), scope_families(c), &c->part) < 0)
			continue;
		c->ns_cur = i;
		if (!diag_busy(c->ns.v[i].d)) {
			ns_merge(c, i, c->snap); /* nothing asked: finished at once */
			continue;
		}
		return true;
	}
	c->ns_cur = c->ns.n;
	return false;
}

/* One live step of the dumps: returns 1 while a namespace is in flight, 0
 * when every namespace is merged and snap finished. */
static int ns_step(struct collect *c)
{
	struct diag *d;
	int r;

	if (c->ns_cur >= c->ns.n)
		return 0;
	d = c->ns.v[c->ns_cur].d;
	r = diag_step(d);
	if (r == 1)
		return 1;
	/* over (r < 0: broken, what arrived is kept): the next one */
	ns_merge(c, c->ns_cur, c->snap);
	if (ns_start_from(c, c->ns_cur + 1))
		return 1;
	snapshot_finish(c->snap);
	return 0;
}

void collect_set_all_netns(struct collect *c, bool on)
{
	if (c->all_netns == on)
		return;
	collect_cancel(c);
	c->all_netns = on;
	if (!on) {
		for (size_t i = 0; i < c->ns.n; i++)
			if (c->ns.v[i].d != c->diag)
				diag_free(c->ns.v[i].d);
		c->ns.n = 0;
		nstab_clear(&c->nstab);
	}
}

bool collect_all_netns(const struct collect *c)
{
	return c->all_netns;
}

const struct nstab *collect_netns(const struct collect *c)
{
	return c->all_netns ? &c->nstab : NULL;
}

void collect_set_cgroups(struct collect *c, bool on)
{
	/* the processes read so far have no service: read them all once
	 * more at the next process phase, rather than over many refreshes */
	if (on && !c->cgroups && c->scanned)
		c->cgroups_reread = true;
	c->cgroups = on;
	if (c->ps)
		procscan_set_cgroups(c->ps, on);
}

/* Batch: the second reader of the full /proc walk (procscan_full_work). */
static void *procs_reader(void *arg)
{
	struct collect *c = arg;

	procscan_full_work(c->ps, 1, NULL);
	return NULL;
}

/* Starts procs_reader in a thread of its own with every signal blocked
 * (the main thread keeps handling them); false if no thread could be
 * made. */
static bool procs_thread(struct collect *c, pthread_t *th)
{
	sigset_t all, old;
	bool ok;

	sigfillset(&all);
	if (pthread_sigmask(SIG_SETMASK, &all, &old) != 0)
		return false;
	ok = pthread_create(th, NULL, procs_reader, c) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ok;
}

int collect_once(struct collect *c, struct snapshot *snap)
{
	/* Every process once, the cheapest way to see them all, on both
	 * cores: a second thread starts reading /proc at once while this
	 * one dumps the sockets, then this one joins in (procscan_full_work
	 * hands out the processes a couple at a time), and this one alone
	 * writes the map, between its reads and after the join
	 * (procscan_full_end). Without the thread, this one
	 * reads them all after the dump. The live view stays one thread:
	 * its process phase is stepped. */
	pthread_t th;
	bool began = false, threaded = false;
	int r = 0, err = 0;

	if (c->ps) {
		began = procscan_full_begin(c->ps, c->pm, 2) == 0;
		if (!began)
			c->proc_errno = errno;
		threaded = began && procs_thread(c, &th);
	}
	if (c->all_netns)
		r = ns_once(c, snap);
	else
		r = diag_dump(c->diag, scope_protos(c), scope_families(c), snap);
	if (r < 0)
		err = errno;
	else
		fallback_complete(snap, scope_protos(c), scope_families(c), NULL);
	if (began) {
		/* about one owner per socket: the map's tables at once */
		if (r == 0)
			procmap_reserve(c->pm, snap->n);
		procscan_full_work(c->ps, 0, c->pm); /* applies as it goes */
		if (threaded)
			pthread_join(th, NULL);
		procscan_full_end(c->ps, c->pm);
		c->scanned = true;
		c->complete = true;
		c->proc_errno = procscan_stats(c->ps)->fd_errno;
	}
	if (r < 0) {
		errno = err;
		return -1;
	}
	cgroups_fill(c, snap);
	return 0;
}

int collect_start(struct collect *c, struct snapshot *snap)
{
	c->procs_phase = false;
	if (c->all_netns) {
		ns_sync(c);
		snapshot_clear(snap);
		c->snap = snap;
		if (!ns_start_from(c, 0)) {
			/* nothing in flight: straight to the process phase,
			 * whose fd is always readable */
			snapshot_finish(snap);
			c->snap = NULL;
			if (c->ps)
				procs_begin(c, snap);
		}
		return 0;
	}
	if (diag_start(c->diag, scope_protos(c), scope_families(c), snap) < 0) {
		c->snap = NULL;
		return -1;
	}
	c->snap = snap;
	return 0;
}

int collect_step(struct collect *c)
{
	int r;

	if (c->procs_phase)
		return procs_step(c);
	r = c->all_netns ? ns_step(c) : diag_step(c->diag);
	if (r == 0 && c->snap) {
		struct snapshot *snap = c->snap;

		c->snap = NULL;
		fallback_complete(snap, scope_protos(c), scope_families(c), NULL);
		if (!c->ps)
			return 0;
		procs_begin(c, snap);
		return procs_step(c);
	}
	if (r < 0)
		c->snap = NULL;
	return r;
}

bool collect_dumped(const struct collect *c)
{
	return c->procs_phase;
}

bool collect_procs_complete(const struct collect *c)
{
	return !c->ps || c->complete;
}

bool collect_busy(const struct collect *c)
{
	if (c->all_netns)
		return c->procs_phase || c->snap;
	return c->procs_phase || diag_busy(c->diag);
}

void collect_cancel(struct collect *c)
{
	diag_cancel(c->diag);
	if (c->all_netns && c->snap && c->ns_cur < c->ns.n && c->ns.v[c->ns_cur].d)
		diag_cancel(c->ns.v[c->ns_cur].d);
	c->snap = NULL;
	c->procs_phase = false;
}

int collect_fd(const struct collect *c)
{
	if (c->procs_phase)
		return c->wake_fd;
	if (c->all_netns)
		return c->snap && c->ns_cur < c->ns.n ? diag_fd(c->ns.v[c->ns_cur].d) : c->wake_fd;
	return diag_fd(c->diag);
}

int collect_proc_error(const struct collect *c)
{
	return c->proc_errno;
}

int collect_record_error(const struct collect *c)
{
	return diag_record_error(c->diag);
}

const struct procmap *collect_procmap(const struct collect *c)
{
	return c->pm;
}
