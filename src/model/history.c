/* history.c - per-socket sample rings (see history.h).
 *
 * Storage: entries live in chunks of HIST_ECHUNK (never moved, so a
 * reference, the entry's number, stays valid while it lives; freed ones go
 * on a free list), ring blocks in two slabs of chunks (TCP: HIST_RING slots
 * of HS_MAX_ codes; others: HIST_RING slots of HIST_QSERIES codes), and the
 * index is open addressing with linear probing over (entry, hash tag)
 * pairs, so a probe reads an entry only when the tags agree; removal
 * shifts the cluster back (no tombstones). Nothing is allocated per socket:
 * memory is the chunks, counted by history_bytes(). */
#include "config.h"

#include <math.h> /* NAN */
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "xalloc.h"

#define HIST_ECHUNK 1024u /* entries per chunk */
#define HIST_BCHUNK 256u  /* ring blocks per chunk */

struct hslab {
	uint8_t **chunk;
	size_t nchunk;
	size_t bsize;   /* bytes per block */
	uint8_t *free;  /* free blocks, linked through their first bytes */
	size_t used;    /* blocks handed out and not given back */
	size_t fresh;   /* blocks of the last chunk never handed out yet */
};

struct hidx {
	uint32_t ent; /* entry number + 1; 0: empty */
	uint32_t tag; /* the key's hash; its low bits are the home slot */
};

struct history {
	struct hist_entry **echunk;
	size_t nechunk;
	uint32_t hiwater;  /* entry numbers handed out so far */
	uint32_t free_ent; /* free list of entry numbers + 1 (through .slot_t) */
	size_t n;          /* live entries */
	uint64_t *seen;    /* bit per entry number: updated this round */
	uint64_t *live;    /* bit per entry number: in use */
	size_t seen_words;
	struct hidx *idx;
	size_t idx_cap;    /* power of two, at least twice n; 0 before use */
	struct hslab slab[2]; /* [0]: other kinds, [1]: TCP */
	uint32_t now;      /* ms since epoch, this round */
	int64_t epoch;
	bool have_epoch;
};

static struct hist_entry *ent(const struct history *h, uint32_t i)
{
	return &h->echunk[i / HIST_ECHUNK][i % HIST_ECHUNK];
}

/* ---- ring block slabs ---- */

static uint8_t *slab_get(struct hslab *s)
{
	uint8_t *b;

	s->used++;
	if (s->free) {
		b = s->free;
		memcpy(&s->free, b, sizeof(s->free));
		return b;
	}
	if (!s->fresh) {
		s->chunk = xreallocarray(s->chunk, s->nchunk + 1, sizeof(*s->chunk));
		s->chunk[s->nchunk++] = xmalloc(HIST_BCHUNK * s->bsize);
		s->fresh = HIST_BCHUNK;
	}
	return s->chunk[s->nchunk - 1] + (HIST_BCHUNK - s->fresh--) * s->bsize;
}

static void slab_put(struct hslab *s, uint8_t *b)
{
	memcpy(b, &s->free, sizeof(s->free));
	s->free = b;
	s->used--;
}

static void slab_free(struct hslab *s)
{
	for (size_t i = 0; i < s->nchunk; i++)
		free(s->chunk[i]);
	free(s->chunk);
	s->chunk = NULL;
	s->nchunk = s->used = s->fresh = 0;
	s->free = NULL;
}

/* ---- the index ---- */

/* A 32-bit hash of k, consistent with sock_key_equal (a cookie alone
 * identifies; the inode counts only without one). */
static uint32_t key_hash(const struct sock_key *k)
{
	uint64_t x = k->cookie ? k->cookie : (uint64_t)k->inode << 20 | 1;

	x ^= (uint64_t)k->proto << 56 ^ (uint64_t)k->family << 48 ^ (uint64_t)k->netns << 24;
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 29;
	x *= 0x94d049bb133111ebull;
	return (uint32_t)(x >> 32);
}

/* The slot holding k, or the empty one where it would go. */
static size_t idx_slot(const struct history *h, const struct sock_key *k, uint32_t tag)
{
	size_t mask = h->idx_cap - 1, i = tag & mask;

	while (h->idx[i].ent &&
	       (h->idx[i].tag != tag || !sock_key_equal(&ent(h, h->idx[i].ent - 1)->key, k)))
		i = (i + 1) & mask;
	return i;
}

static void idx_build(struct history *h, size_t want)
{
	size_t cap = 64;

	while (cap < want * 2)
		cap *= 2;
	if (cap != h->idx_cap) {
		free(h->idx);
		h->idx = xcalloc_big(cap, sizeof(*h->idx));
		h->idx_cap = cap;
	} else {
		memset(h->idx, 0, cap * sizeof(*h->idx));
	}
	for (uint32_t j = 0; j < h->hiwater; j++) {
		const struct hist_entry *e = ent(h, j);
		uint32_t tag;
		size_t i;

		if (!(h->live[j / 64] & (1ull << (j % 64))))
			continue;
		tag = key_hash(&e->key);
		for (i = tag & (cap - 1); h->idx[i].ent; i = (i + 1) & (cap - 1))
			;
		h->idx[i].ent = j + 1;
		h->idx[i].tag = tag;
	}
}

/* Removes entry j from the index: the slots after it that may move back
 * into the hole do (linear probing's deletion). */
static void idx_remove(struct history *h, uint32_t j)
{
	const struct hist_entry *e = ent(h, j);
	size_t mask = h->idx_cap - 1, i = key_hash(&e->key) & mask, k;

	while (h->idx[i].ent != j + 1)
		i = (i + 1) & mask;
	for (k = (i + 1) & mask; h->idx[k].ent; k = (k + 1) & mask) {
		size_t home = h->idx[k].tag & mask;

		/* the slot at k may fill the hole unless its home lies
		 * between the hole and k */
		if (((k - home) & mask) >= ((k - i) & mask)) {
			h->idx[i] = h->idx[k];
			i = k;
		}
	}
	h->idx[i].ent = 0;
	h->idx[i].tag = 0;
}

/* ---- life cycle ---- */

struct history *history_new(void)
{
	struct history *h = xcalloc(1, sizeof(struct history));

	h->slab[0].bsize = HIST_RING * HIST_QSERIES;
	h->slab[1].bsize = HIST_RING * HS_MAX_;
	return h;
}

void history_clear(struct history *h)
{
	if (!h->hiwater)
		return;
	for (size_t i = 0; i < h->nechunk; i++)
		free(h->echunk[i]);
	free(h->echunk);
	free(h->seen);
	free(h->live);
	free(h->idx);
	slab_free(&h->slab[0]);
	slab_free(&h->slab[1]);
	h->echunk = NULL;
	h->nechunk = 0;
	h->hiwater = h->free_ent = 0;
	h->n = 0;
	h->seen = h->live = NULL;
	h->seen_words = 0;
	h->idx = NULL;
	h->idx_cap = 0;
}

void history_free(struct history *h)
{
	if (!h)
		return;
	history_clear(h);
	free(h);
}

size_t history_count(const struct history *h)
{
	return h->n;
}

size_t history_entry_bytes(void)
{
	return sizeof(struct hist_entry);
}

size_t history_ring_bytes(bool tcp)
{
	return tcp ? HIST_RING * HS_MAX_ : HIST_RING * HIST_QSERIES;
}

size_t history_rings(const struct history *h)
{
	return h->slab[0].used + h->slab[1].used;
}

size_t history_bytes(const struct history *h)
{
	size_t b = sizeof(*h) + h->nechunk * (sizeof(*h->echunk) +
					      HIST_ECHUNK * sizeof(struct hist_entry));

	b += 2 * h->seen_words * sizeof(*h->seen) + h->idx_cap * sizeof(*h->idx);
	for (int k = 0; k < 2; k++)
		b += h->slab[k].nchunk * (sizeof(uint8_t *) + HIST_BCHUNK * h->slab[k].bsize);
	return b;
}

/* ---- codes ---- */

uint8_t hist_code(uint64_t v)
{
	unsigned e = 0;
	uint64_t x = v;
	unsigned code;

	if (v < 16)
		return (uint8_t)v;
	while (x >>= 1)
		e++;
	/* e >= 4: the top bit, then 3 bits of mantissa */
	code = 16 + (e - 4) * 8 + (unsigned)((v >> (e - 3)) & 7);
	return (uint8_t)(code > 254 ? 254 : code);
}

double hist_decode(uint8_t code)
{
	unsigned e, m;

	if (code == HIST_NONE)
		return NAN;
	if (code < 16)
		return code;
	e = (code - 16u) / 8 + 4;
	m = (code - 16u) % 8;
	/* the middle of the step [(8+m) << (e-3), (9+m) << (e-3)) */
	return (double)(17u + 2u * m) * (double)(1ull << (e - 4));
}

bool hist_counter_delta(uint64_t cur, uint64_t base, uint64_t *delta)
{
	if (cur >= base) {
		*delta = cur - base;
		return true;
	}
	/* went back: a wrap only if it went from the top half to the bottom */
	if (base > UINT64_MAX / 2 && cur < UINT64_MAX / 2) {
		*delta = cur - base; /* modulo 2^64 */
		return true;
	}
	return false;
}

/* ---- rounds ---- */

const struct hist_entry *history_find(const struct history *h, const struct sock_key *k)
{
	size_t i;

	if (!h || !h->n)
		return NULL;
	i = idx_slot(h, k, key_hash(k));
	return h->idx[i].ent ? ent(h, h->idx[i].ent - 1) : NULL;
}

void history_begin(struct history *h, int64_t now)
{
	if (!h->have_epoch) {
		h->epoch = now;
		h->have_epoch = true;
	}
	h->now = (uint32_t)(now - h->epoch);
}

int64_t history_state_age(const struct history *h, const struct hist_entry *e)
{
	return (int64_t)(uint32_t)(h->now - e->state_t);
}

/* A rate code from a counter moved by delta in dt ms. */
static uint8_t rate_code(uint64_t delta, uint32_t dt)
{
	return hist_code((uint64_t)((double)delta * 1000.0 / dt + 0.5));
}

/* The series a non-TCP ring keeps, in its order; -1: not kept. */
static int qpos(enum hist_series s)
{
	switch (s) {
	case HS_LOSS:
		return 0;
	case HS_SENDQ:
		return 1;
	case HS_RECVQ:
		return 2;
	default:
		return -1;
	}
}

static void ring_put(const struct hist_entry *e, size_t r, const uint8_t *codes)
{
	if (e->flags & HE_TCP) {
		memcpy(e->ring + r * HS_MAX_, codes, HS_MAX_);
	} else {
		uint8_t *q = e->ring + r * HIST_QSERIES;

		q[0] = codes[HS_LOSS];
		q[1] = codes[HS_SENDQ];
		q[2] = codes[HS_RECVQ];
	}
}

/* Code of series s in closed slot k (0: the oldest closed one). */
static uint8_t closed_code(const struct hist_entry *e, size_t k, enum hist_series s)
{
	size_t nclosed = (size_t)e->count - 1, r;
	int p;

	if (!e->ring)
		return e->flat[s];
	r = (e->head + HIST_RING - (nclosed - 1 - k)) % HIST_RING;
	if (e->flags & HE_TCP)
		return e->ring[r * HS_MAX_ + s];
	p = qpos(s);
	return p < 0 ? HIST_NONE : e->ring[r * HIST_QSERIES + (size_t)p];
}

/* Whether the non-TCP part of two code rows differs (a non-TCP entry keeps
 * only those series; the others are HIST_NONE there anyway). */
static bool row_differs(const struct hist_entry *e, const uint8_t *a, const uint8_t *b)
{
	if (e->flags & HE_TCP)
		return memcmp(a, b, HS_MAX_) != 0;
	return a[HS_LOSS] != b[HS_LOSS] || a[HS_SENDQ] != b[HS_SENDQ] ||
	       a[HS_RECVQ] != b[HS_RECVQ];
}

/* Closes the open slot: its codes join the closed ones. */
static void close_slot(struct history *h, struct hist_entry *e)
{
	size_t nclosed = (size_t)e->count - 1, keep;
	struct hslab *sl = &h->slab[(e->flags & HE_TCP) ? 1 : 0];

	if (!e->ring) {
		if (!nclosed || !row_differs(e, e->cur, e->flat)) {
			/* still all alike: nothing to store */
			memcpy(e->flat, e->cur, HS_MAX_);
			e->same = (uint8_t)(nclosed + 1 < HIST_RING ? nclosed + 1 : HIST_RING);
			goto done;
		}
		/* the first change: the closed slots so far become a ring */
		e->ring = slab_get(sl);
		for (size_t r = 0; r < nclosed; r++)
			ring_put(e, r, e->flat);
		e->head = (uint8_t)(nclosed - 1);
		e->same = (uint8_t)nclosed;
	}
	{
		uint8_t prev[HS_MAX_];

		for (int s = 0; s < HS_MAX_; s++)
			prev[s] = closed_code(e, nclosed - 1, (enum hist_series)s);
		e->same = row_differs(e, e->cur, prev) ? 1 :
			  (uint8_t)(e->same < HIST_RING ? e->same + 1 : HIST_RING);
	}
	e->head = (uint8_t)((e->head + 1) % HIST_RING);
	ring_put(e, e->head, e->cur);
	keep = nclosed + 1 < HIST_RING ? nclosed + 1 : HIST_RING;
	if (e->same >= keep) {
		/* every closed slot alike again: the ring goes back */
		slab_put(sl, e->ring);
		e->ring = NULL;
		memcpy(e->flat, e->cur, HS_MAX_);
	}
done:
	if (e->count < HIST_SLOTS)
		e->count++;
}

/* Puts reading s into the newest slot of e. */
static void record(struct history *h, struct hist_entry *e, const struct sock *s)
{
	uint8_t *q = e->cur;
	uint32_t dt = h->now - e->slot_t;
	bool tcp = s->proto == SP_TCP && (s->has & SOCK_HAS_TCP);
	uint32_t loss = 0;
	bool has_loss = false;

	if (tcp) {
		const struct sock_tcp *t = &sock_x(s)->tcp;
		uint64_t drx, dtx;

		if (!(e->flags & HE_BASES)) {
			e->rx_base = t->bytes_received;
			e->tx_base = t->bytes_acked;
			e->flags |= HE_BASES;
		} else if (!hist_counter_delta(t->bytes_received, e->rx_base, &drx) ||
			   !hist_counter_delta(t->bytes_acked, e->tx_base, &dtx)) {
			/* reset: start counting again from here */
			e->rx_base = t->bytes_received;
			e->tx_base = t->bytes_acked;
			q[HS_RX] = q[HS_TX] = HIST_NONE;
		} else if (dt > 0) {
			q[HS_RX] = rate_code(drx, dt);
			q[HS_TX] = rate_code(dtx, dt);
		}
		q[HS_RTT] = hist_code(t->rtt_us);
		q[HS_CWND] = hist_code(t->snd_cwnd);
		q[HS_WND] = hist_code(t->snd_wnd);
		loss = t->total_retrans;
		has_loss = true;
	} else if (s->proto != SP_TCP && (s->has & SOCK_HAS_DROPS)) {
		loss = sock_x(s)->drops;
		has_loss = true;
	}
	if (has_loss) {
		if (!(e->flags & HE_LOSS) || loss < e->loss_base) {
			e->loss_base = loss;
			e->flags |= HE_LOSS;
		}
		q[HS_LOSS] = hist_code(loss - e->loss_base);
	}
	if (s->has & SOCK_HAS_QUEUE) {
		q[HS_SENDQ] = hist_code(s->send_q);
		q[HS_RECVQ] = hist_code(s->recv_q);
	}
	if (s->state != e->state) {
		e->state = s->state;
		e->state_t = h->now;
	}
	if (dt < HIST_SLOT_MS)
		return;
	/* the slot is full: open the next one, from this reading on */
	close_slot(h, e);
	e->slot_t = h->now;
	if (tcp) {
		e->rx_base = sock_x(s)->tcp.bytes_received;
		e->tx_base = sock_x(s)->tcp.bytes_acked;
	}
	if (has_loss) {
		e->loss_base = loss;
		q[HS_LOSS] = 0;
	}
}

/* A new entry for s: its number. */
static uint32_t entry_new(struct history *h, const struct sock *s)
{
	struct hist_entry *e;
	uint32_t j;

	if (h->free_ent) {
		j = h->free_ent - 1;
		h->free_ent = ent(h, j)->slot_t;
	} else {
		j = h->hiwater++;
		if (j / HIST_ECHUNK >= h->nechunk) {
			h->echunk = xreallocarray(h->echunk, h->nechunk + 1, sizeof(*h->echunk));
			h->echunk[h->nechunk++] = xmalloc(HIST_ECHUNK * sizeof(struct hist_entry));
		}
		if (j / 64 >= h->seen_words) {
			/* a chunk's worth of bits at a time */
			size_t w = h->seen_words, nw = h->nechunk * HIST_ECHUNK / 64;

			h->seen = xreallocarray(h->seen, nw, sizeof(*h->seen));
			h->live = xreallocarray(h->live, nw, sizeof(*h->live));
			memset(h->seen + w, 0, (nw - w) * sizeof(*h->seen));
			memset(h->live + w, 0, (nw - w) * sizeof(*h->live));
			h->seen_words = nw;
		}
	}
	e = ent(h, j);
	memset(e, 0, sizeof(*e));
	memset(e->cur, HIST_NONE, sizeof(e->cur));
	memset(e->flat, HIST_NONE, sizeof(e->flat));
	e->key = s->key;
	e->count = 1;
	e->slot_t = h->now;
	e->state = s->state;
	e->state_t = h->now;
	e->flags = HE_LIVE | (s->proto == SP_TCP ? HE_TCP : 0);
	h->live[j / 64] |= 1ull << (j % 64);
	h->n++;
	return j;
}

const struct hist_entry *history_update_ref(struct history *h, const struct sock *s,
					    uint32_t *ref)
{
	struct hist_entry *e;
	uint32_t j = ref ? *ref : HIST_NO_REF;

	if (j >= h->hiwater || !(ent(h, j)->flags & HE_LIVE) ||
	    !sock_key_equal(&ent(h, j)->key, &s->key)) {
		uint32_t tag = key_hash(&s->key);
		size_t i;

		if ((h->n + 1) * 2 > h->idx_cap)
			idx_build(h, h->n + 1);
		i = idx_slot(h, &s->key, tag);
		if (h->idx[i].ent) {
			j = h->idx[i].ent - 1;
		} else {
			j = entry_new(h, s);
			h->idx[i].ent = j + 1;
			h->idx[i].tag = tag;
		}
		if (ref)
			*ref = j;
	}
	e = ent(h, j);
	if (h->seen[j / 64] & (1ull << (j % 64)))
		return e;
	h->seen[j / 64] |= 1ull << (j % 64);
	record(h, e, s);
	return e;
}

const struct hist_entry *history_update(struct history *h, const struct sock *s)
{
	return history_update_ref(h, s, NULL);
}

/* The bits of word w whose entry numbers are p modulo k. */
static uint64_t part_mask(size_t w, unsigned p, unsigned k)
{
	uint64_t m = 0;

	if (k <= 1)
		return ~0ull;
	for (size_t b = (p + k - (w * 64) % k) % k; b < 64; b += k)
		m |= 1ull << b;
	return m;
}

/* Drops the live entries of part p of k (all: k == 1) whose seen bit is
 * clear, then clears the seen bits of that part. */
static void end_part(struct history *h, unsigned p, unsigned k)
{
	size_t gone = 0;
	bool rebuild;

	for (size_t w = 0; w < h->seen_words; w++)
		gone += (size_t)__builtin_popcountll(h->live[w] & ~h->seen[w] & part_mask(w, p, k));
	/* many gone (a filter change): cheaper to index afresh */
	rebuild = gone * 4 > h->n;
	for (size_t w = 0; w < h->seen_words; w++) {
		uint64_t m = part_mask(w, p, k), drop = h->live[w] & ~h->seen[w] & m;

		while (drop) {
			uint32_t j = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(drop));
			struct hist_entry *e = ent(h, j);

			drop &= drop - 1;
			if (!rebuild)
				idx_remove(h, j);
			if (e->ring)
				slab_put(&h->slab[(e->flags & HE_TCP) ? 1 : 0], e->ring);
			e->ring = NULL;
			e->flags = 0;
			e->slot_t = h->free_ent;
			h->free_ent = j + 1;
			h->live[w] &= ~(1ull << (j % 64));
			h->n--;
		}
		h->seen[w] &= ~m;
	}
	if (gone && rebuild)
		idx_build(h, h->n ? h->n : 1);
}

void history_end(struct history *h)
{
	end_part(h, 0, 1);
}

void history_end_part(struct history *h, unsigned p, unsigned k)
{
	end_part(h, k > 1 ? p % k : 0, k > 1 ? k : 1);
}

/* ---- reading ---- */

static uint8_t slot_code(const struct hist_entry *e, size_t k, enum hist_series s)
{
	return k + 1 == e->count ? e->cur[s] : closed_code(e, k, s);
}

size_t hist_series(const struct hist_entry *e, enum hist_series s, double *out, size_t max)
{
	size_t n = e->count < max ? e->count : max;
	/* the oldest of the n newest slots */
	size_t first = (size_t)e->count - n;

	for (size_t i = 0; i < n; i++)
		out[i] = hist_decode(slot_code(e, first + i, s));
	return n;
}

double hist_last(const struct hist_entry *e, enum hist_series s)
{
	return hist_decode(e->cur[s]);
}
