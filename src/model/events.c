/* events.c - births, deaths and changes from dumps and destroy messages. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "xalloc.h"

/* ---- the log ---- */

void ev_log_init(struct ev_log *l, size_t cap, int64_t now)
{
	memset(l, 0, sizeof(*l));
	l->cap = cap ? cap : 1;
	l->started_ms = now;
}

void ev_log_free(struct ev_log *l)
{
	for (size_t i = 0; l->ring && i < l->n; i++)
		free(l->ring[(l->head + i) % l->cap].sock.x);
	free(l->ring);
	l->ring = NULL;
	l->n = 0;
	l->head = 0;
}

void ev_log_push(struct ev_log *l, const struct ev_event *e)
{
	if (!l->ring)
		l->ring = xcalloc(l->cap, sizeof(*l->ring));
	if (e->kind < EV_KIND_MAX_)
		l->total[e->kind]++;
	/* the log outlives the snapshots: each event keeps its own copy of
	 * its socket's side part */
	if (l->n == l->cap) {
		free(l->ring[l->head].sock.x);
		l->ring[l->head] = *e;
		l->ring[l->head].sock.x = sock_ext_dup(e->sock.x);
		l->head = (l->head + 1) % l->cap;
		l->dropped++;
		return;
	}
	l->ring[(l->head + l->n) % l->cap] = *e;
	l->ring[(l->head + l->n) % l->cap].sock.x = sock_ext_dup(e->sock.x);
	l->n++;
}

const struct ev_event *ev_log_at(const struct ev_log *l, size_t i)
{
	if (i >= l->n)
		return NULL;
	return &l->ring[(l->head + i) % l->cap];
}

void ev_log_rates(const struct ev_log *l, int64_t now, int64_t window_ms,
		  double *births, double *deaths)
{
	size_t b = 0, d = 0;
	int64_t span = window_ms;

	for (size_t i = l->n; i-- > 0;) {
		const struct ev_event *e = &l->ring[(l->head + i) % l->cap];

		if (e->t_ms < now - window_ms)
			break;
		if (e->kind == EV_BORN)
			b++;
		else if (e->kind == EV_GONE)
			d++;
	}
	/* a log younger than the window: per second of its age */
	if (now - l->started_ms < span)
		span = now - l->started_ms;
	if (span < 1000)
		span = 1000;
	*births = (double)b * 1000.0 / (double)span;
	*deaths = (double)d * 1000.0 / (double)span;
}

const char *ev_kind_name(unsigned kind)
{
	static const char *const names[] = { "born", "gone", "change", "gap" };

	return kind < EV_KIND_MAX_ ? names[kind] : "?";
}

const char *ev_source_name(unsigned source)
{
	return source == EVS_DESTROY ? "destroy" : "dump";
}

const char *ev_life_name(unsigned life)
{
	switch (life) {
	case EVL_EXACT: return "exact";
	case EVL_AT_LEAST: return "at_least";
	case EVL_AT_MOST: return "at_most";
	default: return NULL;
	}
}

/* ---- a small index: socket key -> entry number ---- */

struct keyidx {
	uint32_t *slot; /* entry + 1; 0: empty */
	size_t cap;     /* power of two, at most half full */
};

static void keyidx_free(struct keyidx *x)
{
	free(x->slot);
	memset(x, 0, sizeof(*x));
}

/* Empties x and sizes it for n keys. */
static void keyidx_reset(struct keyidx *x, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n + 2)
		cap *= 2;
	if (cap != x->cap) {
		free(x->slot);
		x->slot = xcalloc(cap, sizeof(*x->slot));
		x->cap = cap;
	} else {
		memset(x->slot, 0, cap * sizeof(*x->slot));
	}
}

static void keyidx_put(struct keyidx *x, const struct sock_key *k, uint32_t entry)
{
	size_t m = x->cap - 1, i = (size_t)sock_key_hash(k) & m;

	while (x->slot[i])
		i = (i + 1) & m;
	x->slot[i] = entry + 1;
}

/* ---- the tracker ---- */

/* What the tracker remembers of each socket of the last dump. */
struct ev_side {
	int64_t first_ms; /* when it was first seen */
	int32_t pid;
	uint8_t born_seen; /* its birth was seen: the lifetime is exact */
	uint8_t comm_len;
	char comm[PROCMAP_COMM_MAX];
};

/* A death the destroy groups reported: dumps stay silent about the key. */
struct ev_dead {
	struct sock_key key;
	int64_t dead_ms;
	uint64_t seen_gen; /* last dump that still had it (a TIME-WAIT remnant) */
};

/* A TCP/UDP socket missing from a dump, waiting one dump for its destroy
 * message. */
struct ev_pending {
	struct sock sock;
	struct ev_side side;
	bool done; /* its destroy message came */
};

struct ev_tracker {
	struct ev_log *log;
	ev_emit_fn emit;
	void *ctx;
	bool destroy_on;
	uint64_t seq;
	uint64_t gen; /* dumps seen */

	const struct snapshot *last; /* the last dump (not owned) */
	int64_t last_ms;
	int64_t last_started; /* when the last dump began */
	struct sock_scope last_scope; /* what the last dump was asked for */
	bool last_scoped;     /* false: it was asked for everything */
	struct ev_side *side, *side_next; /* parallel to last / to the next */
	size_t side_cap, side_next_cap;
	uint64_t *matched;
	size_t matched_cap;

	struct ev_dead *dead;
	size_t ndead, dead_cap;
	struct keyidx dead_idx;

	struct ev_pending *pend;
	size_t npend, pend_cap;
	struct keyidx pend_idx;
};

struct ev_tracker *ev_tracker_new(struct ev_log *log, ev_emit_fn emit, void *ctx)
{
	struct ev_tracker *t = xcalloc(1, sizeof(*t));

	t->log = log;
	t->emit = emit;
	t->ctx = ctx;
	keyidx_reset(&t->dead_idx, 0);
	keyidx_reset(&t->pend_idx, 0);
	return t;
}

void ev_tracker_free(struct ev_tracker *t)
{
	if (!t)
		return;
	free(t->side);
	free(t->side_next);
	free(t->matched);
	free(t->dead);
	for (size_t i = 0; i < t->npend; i++)
		free(t->pend[i].sock.x);
	free(t->pend);
	keyidx_free(&t->dead_idx);
	keyidx_free(&t->pend_idx);
	free(t);
}

void ev_tracker_set_destroy(struct ev_tracker *t, bool on)
{
	t->destroy_on = on;
}

uint64_t ev_tracker_count(const struct ev_tracker *t)
{
	return t->seq;
}

static void emit(struct ev_tracker *t, struct ev_event *e)
{
	e->seq = ++t->seq;
	if (t->log)
		ev_log_push(t->log, e);
	if (t->emit)
		t->emit(t->ctx, e);
}

static void ev_fill(struct ev_event *e, unsigned kind, unsigned source, const struct sock *s,
		    const struct ev_side *side, int64_t now)
{
	memset(e, 0, sizeof(*e));
	e->t_ms = now;
	e->kind = (uint8_t)kind;
	e->source = (uint8_t)source;
	if (s)
		e->sock = *s;
	if (side) {
		e->pid = side->pid;
		e->comm_len = side->comm_len;
		memcpy(e->comm, side->comm, sizeof(e->comm));
	}
}

static void set_life(struct ev_event *e, const struct ev_side *side, int64_t now)
{
	e->life_ms = now - side->first_ms;
	if (e->life_ms < 0)
		e->life_ms = 0;
	e->life = side->born_seen ? EVL_EXACT : EVL_AT_LEAST;
}

static bool tracks_destroy(const struct sock *s)
{
	return s->proto == SP_TCP || s->proto == SP_UDP;
}

/* Index of key in the dead set, or -1. */
static long dead_find(const struct ev_tracker *t, const struct sock_key *k)
{
	size_t m = t->dead_idx.cap - 1, i = (size_t)sock_key_hash(k) & m;

	for (; t->dead_idx.slot[i]; i = (i + 1) & m) {
		uint32_t e = t->dead_idx.slot[i] - 1;

		if (sock_key_equal(&t->dead[e].key, k))
			return (long)e;
	}
	return -1;
}

static void dead_reindex(struct ev_tracker *t)
{
	keyidx_reset(&t->dead_idx, t->ndead);
	for (size_t i = 0; i < t->ndead; i++)
		keyidx_put(&t->dead_idx, &t->dead[i].key, (uint32_t)i);
}

/* A key for a connection's addresses and ports: the kernel gives the
 * TIME-WAIT remnant of a dead connection a cookie of its own, so the
 * remnant is recognised by its four-tuple. */
static struct sock_key tuple_key(const struct sock *s)
{
	struct sock_key k;
	uint64_t h = 1469598103934665603ull;
	uint8_t b[36];

	memcpy(b, s->laddr, 16);
	memcpy(b + 16, s->raddr, 16);
	b[32] = (uint8_t)(s->lport >> 8);
	b[33] = (uint8_t)s->lport;
	b[34] = (uint8_t)(s->rport >> 8);
	b[35] = (uint8_t)s->rport;
	for (size_t i = 0; i < sizeof(b); i++)
		h = (h ^ b[i]) * 1099511628211ull;
	memset(&k, 0, sizeof(k));
	k.cookie = h | (uint64_t)1 << 63;
	k.proto = s->proto;
	k.family = (uint8_t)(s->family | 0x80); /* never a real family */
	return k;
}

static void dead_add(struct ev_tracker *t, const struct sock_key *k, int64_t now)
{
	xgrow((void **)&t->dead, &t->dead_cap, t->ndead + 1, sizeof(*t->dead));
	t->dead[t->ndead].key = *k;
	t->dead[t->ndead].dead_ms = now;
	t->dead[t->ndead].seen_gen = t->gen;
	t->ndead++;
	if (2 * t->ndead + 2 > t->dead_idx.cap)
		dead_reindex(t);
	else
		keyidx_put(&t->dead_idx, k, (uint32_t)(t->ndead - 1));
}

static long pend_find(const struct ev_tracker *t, const struct sock_key *k)
{
	size_t m = t->pend_idx.cap - 1, i = (size_t)sock_key_hash(k) & m;

	for (; t->pend_idx.slot[i]; i = (i + 1) & m) {
		uint32_t e = t->pend_idx.slot[i] - 1;

		if (sock_key_equal(&t->pend[e].sock.key, k))
			return (long)e;
	}
	return -1;
}

/* The owner of s in pm, into side (kept as it was if pm knows none). */
static void side_owner(struct ev_side *side, const struct procmap *pm, const struct sock *s)
{
	struct proc_owner own;
	uint32_t ino = sock_owner_inode(s);
	const char *comm;
	size_t len = 0;

	if (!pm || !ino || procmap_owners(pm, ino, &own, 1) == 0)
		return;
	side->pid = own.pid;
	comm = procmap_comm(pm, own.pid, &len);
	if (len > sizeof(side->comm))
		len = sizeof(side->comm);
	side->comm_len = comm ? (uint8_t)len : 0;
	memset(side->comm, 0, sizeof(side->comm));
	if (comm)
		memcpy(side->comm, comm, len);
}

/* What changed between the last dump's p and this dump's s (EVF_*). */
static unsigned changes(const struct sock *p, const struct sock *s)
{
	unsigned f = 0;

	if (p->state != s->state)
		f |= EVF_STATE;
	if (!p->inode && s->inode)
		f |= EVF_ACCEPT;
	if (s->proto == SP_TCP && ((!p->recv_q && s->recv_q) || (!p->send_q && s->send_q)))
		f |= EVF_QUEUE;
	return f;
}

/* The record of the last dump with s's key (the kernel dumps in the same
 * order each time: the one after the previous match is tried first). */
static const struct sock *find_last(const struct snapshot *last, const struct sock *s,
				    size_t *next)
{
	const struct sock *p;

	if (*next < last->n && sock_key_equal(&last->socks[*next].key, &s->key))
		p = &last->socks[*next];
	else
		p = snapshot_find(last, &s->key);
	if (p)
		*next = (size_t)(p - last->socks) + 1;
	return p;
}

static void gone_from_dump(struct ev_tracker *t, const struct sock *p, const struct ev_side *side,
			   int64_t now)
{
	struct ev_event e;

	ev_fill(&e, EV_GONE, EVS_DUMP, p, side, now);
	set_life(&e, side, now);
	if (!tracks_destroy(p))
		e.flags |= EVF_NO_DESTROY;
	emit(t, &e);
}

void ev_tracker_dump(struct ev_tracker *t, const struct snapshot *cur,
		     const struct sock_scope *scope, const struct procmap *pm,
		     int64_t started_ms, int64_t now)
{
	const struct snapshot *last = t->last;
	size_t next = 0, words = last ? last->n / 64 + 1 : 0;
	struct ev_event e;
	struct ev_pending *old_pend = t->pend;
	size_t old_npend = t->npend;

	t->gen++;
	xgrow((void **)&t->side_next, &t->side_next_cap, cur->n ? cur->n : 1,
	      sizeof(*t->side_next));
	if (last) {
		xgrow((void **)&t->matched, &t->matched_cap, words, sizeof(*t->matched));
		memset(t->matched, 0, words * sizeof(*t->matched));
	}
	/* the sockets of this dump */
	for (size_t i = 0; i < cur->n; i++) {
		const struct sock *s = &cur->socks[i];
		struct ev_side *sd = &t->side_next[i];
		const struct sock *p = last ? find_last(last, s, &next) : NULL;
		long d = t->ndead ? dead_find(t, &s->key) : -1;

		if (d < 0 && !p && t->ndead && s->state == SS_TIME_WAIT) {
			struct sock_key tk = tuple_key(s);

			if (dead_find(t, &tk) >= 0) {
				/* the remnant of a reported death: silent, now
				 * and when it goes */
				dead_add(t, &s->key, now);
				d = (long)t->ndead - 1;
			}
		}

		if (p) {
			size_t pi = (size_t)(p - last->socks);

			t->matched[pi / 64] |= (uint64_t)1 << (pi % 64);
			*sd = t->side[pi];
		} else {
			memset(sd, 0, sizeof(*sd));
			sd->first_ms = now;
			/* born if the last dump could have seen it (one the
			 * user's wider toggles just brought into view is not) */
			sd->born_seen = last && d < 0 &&
					(!t->last_scoped || sock_in_scope(&t->last_scope, s));
		}
		/* The holder, for the death event to name: looked up for a new
		 * socket and one without a holder yet, and for the others in
		 * turns (an eighth per dump): two lookups into the process map
		 * per socket were most of this function at 10^6 sockets, and
		 * a socket seldom changes hands. */
		if (!p || !sd->pid || (i + t->gen) % EV_OWNER_EVERY == 0)
			side_owner(sd, pm, s);
		if (d >= 0) {
			/* its death was reported: a remnant (TIME-WAIT) */
			t->dead[d].seen_gen = t->gen;
			continue;
		}
		if (!last)
			continue;
		if (!p) {
			if (sd->born_seen) {
				ev_fill(&e, EV_BORN, EVS_DUMP, s, sd, now);
				emit(t, &e);
			}
			continue;
		}
		{
			unsigned f = changes(p, s);

			if (f) {
				ev_fill(&e, EV_CHANGE, EVS_DUMP, s, sd, now);
				e.flags = (uint8_t)f;
				e.old_state = p->state;
				emit(t, &e);
			}
		}
	}

	/* the pending deaths of the dump before: their destroy message did
	 * not come, the dump's word stands */
	t->pend = NULL;
	t->npend = 0;
	t->pend_cap = 0;
	for (size_t i = 0; i < old_npend; i++) {
		struct ev_pending *pp = &old_pend[i];

		if (!pp->done && dead_find(t, &pp->sock.key) < 0)
			gone_from_dump(t, &pp->sock, &pp->side, now);
		free(pp->sock.x);
	}
	free(old_pend);

	/* the sockets of the last dump not in this one */
	for (size_t i = 0; last && i < last->n; i++) {
		const struct sock *p = &last->socks[i];

		if (t->matched[i / 64] & (uint64_t)1 << (i % 64))
			continue;
		if (scope && !sock_in_scope(scope, p))
			continue; /* out of view, not dead */
		if (dead_find(t, &p->key) >= 0)
			continue;
		if (t->destroy_on && tracks_destroy(p)) {
			xgrow((void **)&t->pend, &t->pend_cap, t->npend + 1, sizeof(*t->pend));
			t->pend[t->npend].sock = *p;
			/* it waits past the dump that had it: a copy of its own */
			t->pend[t->npend].sock.x = sock_ext_dup(p->x);
			t->pend[t->npend].side = t->side[i];
			t->pend[t->npend].done = false;
			t->npend++;
			continue;
		}
		gone_from_dump(t, p, &t->side[i], now);
	}
	keyidx_reset(&t->pend_idx, t->npend);
	for (size_t i = 0; i < t->npend; i++)
		keyidx_put(&t->pend_idx, &t->pend[i].sock.key, (uint32_t)i);

	/* forget reported deaths that a dump begun after them no longer has */
	{
		size_t k = 0;

		for (size_t i = 0; i < t->ndead; i++) {
			if (t->dead[i].seen_gen != t->gen && t->dead[i].dead_ms < started_ms)
				continue;
			t->dead[k++] = t->dead[i];
		}
		if (k != t->ndead) {
			t->ndead = k;
			dead_reindex(t);
		}
	}

	/* this dump becomes the last */
	{
		struct ev_side *sw = t->side;
		size_t cw = t->side_cap;

		t->side = t->side_next;
		t->side_cap = t->side_next_cap;
		t->side_next = sw;
		t->side_next_cap = cw;
	}
	t->last = cur;
	t->last_ms = now;
	t->last_started = started_ms;
	t->last_scoped = scope != NULL;
	if (scope)
		t->last_scope = *scope;
}

void ev_tracker_destroyed(struct ev_tracker *t, const struct sock *rec, int64_t now)
{
	struct ev_event e;
	struct sock s = *rec;
	const struct sock *p;
	long pi;

	if (dead_find(t, &rec->key) >= 0)
		return; /* already reported */
	dead_add(t, &rec->key, now);
	if (rec->proto == SP_TCP) {
		struct sock_key tk = tuple_key(rec);

		dead_add(t, &tk, now);
	}
	p = t->last ? snapshot_find(t->last, &rec->key) : NULL;
	pi = p ? -1 : pend_find(t, &rec->key);
	if (p || pi >= 0) {
		const struct sock *known = p ? p : &t->pend[pi].sock;
		const struct ev_side *side = p ? &t->side[p - t->last->socks] : &t->pend[pi].side;

		/* the dying record has lost its file: the inode was the dump's */
		if (!s.inode)
			s.inode = known->inode;
		if (!s.listener_inode)
			s.listener_inode = known->listener_inode;
		if (pi >= 0)
			t->pend[pi].done = true;
		ev_fill(&e, EV_GONE, EVS_DESTROY, &s, side, now);
		set_life(&e, side, now);
		emit(t, &e);
		return;
	}
	/* never dumped: it lived between two dumps */
	ev_fill(&e, EV_BORN, EVS_DESTROY, &s, NULL, now);
	e.flags = EVF_INFERRED;
	emit(t, &e);
	ev_fill(&e, EV_GONE, EVS_DESTROY, &s, NULL, now);
	if (t->last) {
		e.life = EVL_AT_MOST;
		e.life_ms = now - t->last_started;
		if (e.life_ms < 0)
			e.life_ms = 0;
	} else {
		e.life = EVL_AT_LEAST;
	}
	emit(t, &e);
}

void ev_tracker_gap(struct ev_tracker *t, int64_t now)
{
	struct ev_event e;

	ev_fill(&e, EV_GAP, EVS_DESTROY, NULL, NULL, now);
	emit(t, &e);
}
