/* history.c - per-socket sample rings (see history.h). */
#include "config.h"

#include <math.h> /* NAN */
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "xalloc.h"

struct history {
	struct hist_entry *e; /* dense, in no particular order */
	size_t n, cap;
	uint32_t *idx;        /* open addressing: entry index + 1, 0 empty */
	size_t idx_cap;       /* power of two, at least twice n */
	uint32_t round;
	uint32_t now;         /* ms since epoch, this round */
	int64_t epoch;
	bool have_epoch;
};

struct history *history_new(void)
{
	return xcalloc(1, sizeof(struct history));
}

void history_free(struct history *h)
{
	if (!h)
		return;
	free(h->e);
	free(h->idx);
	free(h);
}

void history_clear(struct history *h)
{
	h->n = 0;
	if (h->idx)
		memset(h->idx, 0, h->idx_cap * sizeof(*h->idx));
}

size_t history_count(const struct history *h)
{
	return h->n;
}

size_t history_entry_bytes(void)
{
	return sizeof(struct hist_entry);
}

size_t history_bytes(const struct history *h)
{
	return sizeof(*h) + h->cap * sizeof(*h->e) + h->idx_cap * sizeof(*h->idx);
}

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

static size_t slot_of(const struct history *h, const struct sock_key *k)
{
	size_t mask = h->idx_cap - 1, i = (size_t)sock_key_hash(k) & mask;

	while (h->idx[i] && !sock_key_equal(&h->e[h->idx[i] - 1].key, k))
		i = (i + 1) & mask;
	return i;
}

static void reindex(struct history *h, size_t want)
{
	size_t cap = 64;

	while (cap < want * 2)
		cap *= 2;
	if (cap != h->idx_cap) {
		free(h->idx);
		h->idx = xcalloc(cap, sizeof(*h->idx));
		h->idx_cap = cap;
	} else {
		memset(h->idx, 0, cap * sizeof(*h->idx));
	}
	for (size_t j = 0; j < h->n; j++)
		h->idx[slot_of(h, &h->e[j].key)] = (uint32_t)(j + 1);
}

const struct hist_entry *history_find(const struct history *h, const struct sock_key *k)
{
	size_t i;

	if (!h || !h->n)
		return NULL;
	i = slot_of(h, k);
	return h->idx[i] ? &h->e[h->idx[i] - 1] : NULL;
}

void history_begin(struct history *h, int64_t now)
{
	if (!h->have_epoch) {
		h->epoch = now;
		h->have_epoch = true;
	}
	h->now = (uint32_t)(now - h->epoch);
	h->round++;
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

/* Puts reading s into the newest slot of e. */
static void record(struct history *h, struct hist_entry *e, const struct sock *s)
{
	uint8_t *q = e->q[e->head];
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
	e->head = (uint8_t)((e->head + 1) % HIST_SLOTS);
	if (e->count < HIST_SLOTS)
		e->count++;
	memcpy(e->q[e->head], q, HS_MAX_);
	e->slot_t = h->now;
	if (tcp) {
		e->rx_base = sock_x(s)->tcp.bytes_received;
		e->tx_base = sock_x(s)->tcp.bytes_acked;
	}
	if (has_loss) {
		e->loss_base = loss;
		e->q[e->head][HS_LOSS] = 0;
	}
}

void history_update(struct history *h, const struct sock *s)
{
	struct hist_entry *e;
	size_t i;

	if ((h->n + 1) * 2 > h->idx_cap)
		reindex(h, h->n + 1);
	i = slot_of(h, &s->key);
	if (h->idx[i]) {
		e = &h->e[h->idx[i] - 1];
		if (e->round == h->round)
			return;
	} else {
		if (h->n == h->cap) {
			h->cap = h->cap ? h->cap * 2 : 256;
			h->e = xreallocarray(h->e, h->cap, sizeof(*h->e));
		}
		e = &h->e[h->n++];
		memset(e, 0, sizeof(*e));
		memset(e->q, HIST_NONE, sizeof(e->q));
		e->key = s->key;
		e->count = 1;
		e->slot_t = h->now;
		e->state = s->state;
		e->state_t = h->now;
		h->idx[i] = (uint32_t)h->n;
	}
	e->round = h->round;
	record(h, e, s);
}

void history_end(struct history *h)
{
	size_t j = 0;

	for (size_t i = 0; i < h->n; i++) {
		if (h->e[i].round != h->round)
			continue;
		if (i != j)
			h->e[j] = h->e[i];
		j++;
	}
	if (j == h->n)
		return;
	h->n = j;
	reindex(h, h->n ? h->n : 1);
}

size_t hist_series(const struct hist_entry *e, enum hist_series s, double *out, size_t max)
{
	size_t n = e->count < max ? e->count : max;
	/* the oldest of the n newest slots */
	size_t first = (e->head + HIST_SLOTS + 1 - n) % HIST_SLOTS;

	for (size_t i = 0; i < n; i++)
		out[i] = hist_decode(e->q[(first + i) % HIST_SLOTS][s]);
	return n;
}

double hist_last(const struct hist_entry *e, enum hist_series s)
{
	return hist_decode(e->q[e->head][s]);
}
