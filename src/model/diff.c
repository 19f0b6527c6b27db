/* diff.c - new, gone and changed sockets between two snapshots. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "diff.h"
#include "xalloc.h"

void diff_init(struct diff *d)
{
	memset(d, 0, sizeof(*d));
}

void diff_free(struct diff *d)
{
	free(d->e);
	free(d->gone);
	free(d->gone_x);
	free(d->matched);
	diff_init(d);
}

void diff_clear(struct diff *d)
{
	d->n = 0;
	d->ngone = 0;
	d->nnew = 0;
	d->nchanged = 0;
}

static bool sock_changed(const struct sock *a, const struct sock *b)
{
	if (a->state != b->state || a->recv_q != b->recv_q || a->send_q != b->send_q)
		return true;
	/* the same socket (cookie) with a file now: accept() took it */
	if (a->inode != b->inode || a->listener_inode != b->listener_inode)
		return true;
	if ((a->has & SOCK_HAS_TCP) && (b->has & SOCK_HAS_TCP))
		return sock_x(a)->tcp.bytes_received != sock_x(b)->tcp.bytes_received ||
		       sock_x(a)->tcp.bytes_acked != sock_x(b)->tcp.bytes_acked;
	return false;
}

/* Bytes per second from two counter readings dt_ms apart; a counter that
 * went backwards (it should not, for the same socket) gives 0. */
static double rate(uint64_t now, uint64_t before, int64_t dt_ms)
{
	if (now < before || dt_ms <= 0)
		return 0.0;
	return (double)(now - before) * 1000.0 / (double)dt_ms;
}

/* The record of prev with cur's key. The kernel dumps its tables in the
 * same order each time, so the record after the previous match is tried
 * before the index (*next: where the next guess is). */
static const struct sock *find_prev(const struct snapshot *prev, const struct sock *s,
				    size_t *next)
{
	const struct sock *p = NULL;

	if (*next < prev->n && sock_key_equal(&prev->socks[*next].key, &s->key))
		p = &prev->socks[*next];
	else
		p = snapshot_find(prev, &s->key);
	if (p)
		*next = (size_t)(p - prev->socks) + 1;
	return p;
}

void diff_compute(struct diff *d, const struct snapshot *cur,
		  const struct sock_scope *cur_scope, const struct snapshot *prev,
		  const struct diff *pd, const struct sock_scope *prev_scope, int64_t now)
{
	int64_t dt = prev ? cur->taken_ms - prev->taken_ms : 0;
	size_t next = 0, words = prev ? prev->n / 64 + 1 : 0;

	diff_clear(d);
	xgrow((void **)&d->e, &d->cap, cur->n ? cur->n : 1, sizeof(*d->e));
	d->n = cur->n;
	if (prev) {
		xgrow((void **)&d->matched, &d->matched_cap, words, sizeof(*d->matched));
		memset(d->matched, 0, words * sizeof(*d->matched));
	}
	for (size_t i = 0; i < cur->n; i++) {
		const struct sock *s = &cur->socks[i];
		struct diff_entry *e = &d->e[i];
		const struct sock *p = prev ? find_prev(prev, s, &next) : NULL;

		memset(e, 0, sizeof(*e));
		e->prev = p ? (uint32_t)(p - prev->socks) : DIFF_NO_PREV;
		/* here, while the record is in cache: the live table then
		 * diagnoses only the sockets this flags */
		if (d->ask && !diag_quiet(s)) {
			struct diag_in in = { .s = s, .state_age_ms = -1 };

			e->flags |= DIFF_ASK | (unsigned)diagnose(&in) << DIFF_HINT_SHIFT;
		}
		if (!prev) {
			e->first_seen_ms = DIFF_SEEN_ALWAYS;
			continue;
		}
		if (!p) {
			/* A socket the previous dump could not have seen is not
			 * new, only newly shown. */
			if (prev_scope && !sock_in_scope(prev_scope, s)) {
				e->first_seen_ms = DIFF_SEEN_ALWAYS;
			} else {
				e->first_seen_ms = now;
				e->flags |= DIFF_NEW;
				d->nnew++;
			}
			continue;
		}
		d->matched[e->prev / 64] |= (uint64_t)1 << (e->prev % 64);
		e->first_seen_ms = pd && e->prev < pd->n ? pd->e[e->prev].first_seen_ms
							 : DIFF_SEEN_ALWAYS;
		if (p->state != s->state)
			e->flags |= DIFF_STATE;
		if (sock_changed(s, p)) {
			e->flags |= DIFF_CHANGED;
			d->nchanged++;
		}
		if ((s->has & SOCK_HAS_TCP) && (p->has & SOCK_HAS_TCP) && dt > 0) {
			e->rx_rate = (float)rate(sock_x(s)->tcp.bytes_received, sock_x(p)->tcp.bytes_received, dt);
			e->tx_rate = (float)rate(sock_x(s)->tcp.bytes_acked, sock_x(p)->tcp.bytes_acked, dt);
			e->flags |= DIFF_RATES;
		}
	}
	if (!prev)
		return;
	for (size_t i = 0; i < prev->n; i++) {
		const struct sock *p = &prev->socks[i];

		if (d->matched[i / 64] & (uint64_t)1 << (i % 64))
			continue;
		/* Out of the new scope is hidden, not gone. */
		if (cur_scope && !sock_in_scope(cur_scope, p))
			continue;
		xgrow((void **)&d->gone, &d->gone_cap, d->ngone + 1, sizeof(*d->gone));
		xgrow((void **)&d->gone_x, &d->gone_x_cap, d->ngone + 1, sizeof(*d->gone_x));
		d->gone_x[d->ngone] = *sock_x(p);
		d->gone[d->ngone++] = *p;
	}
	/* the copies outlive prev, whose side storage the next dump reuses:
	 * their side parts are the diff's own (pointed to once gone_x has
	 * stopped moving) */
	for (size_t k = 0; k < d->ngone; k++)
		if (d->gone[k].x)
			d->gone[k].x = &d->gone_x[k];
}
