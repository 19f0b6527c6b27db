/* traffic.c - the live table's history and diagnosis (see traffic.h). */
#include "config.h"

#include "filter.h"
#include "traffic.h"

/* Whether a rule could look at s's history (diagnose.c's rules): most
 * sockets are not, and are spared the look-up. */
static bool may_need_history(const struct sock *s)
{
	if (s->proto == SP_UDP || s->proto == SP_RAW)
		return true;
	if (s->proto != SP_TCP)
		return false;
	return (s->send_q && s->state != SS_LISTEN) || s->state == SS_CLOSE_WAIT ||
	       ((s->state == SS_FIN_WAIT1 || s->state == SS_FIN_WAIT2) && !s->inode);
}

enum diag_rule traffic_diagnose_with(const struct history *h, const struct diag_peers *peers,
				     const struct sock *s)
{
	const struct hist_entry *e = h && may_need_history(s) ? history_find(h, &s->key) : NULL;
	struct diag_in in = {
		.s = s,
		.h = e,
		.state_age_ms = e ? history_state_age(h, e) : -1,
		.tw_to_peer = peers && s->state == SS_TIME_WAIT ? diag_peers_count(peers, s) : 0,
	};

	return diagnose(&in);
}

/* The earlier of two rules (their order is their priority); 0 is none. */
static enum diag_rule first_of(enum diag_rule a, enum diag_rule b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

static void history_round(struct table *t, int64_t now)
{
	const struct snapshot *snap = &t->snaps[t->cur];

	t->hist_rounds++;
	t->hist_round_ms = now;
	history_begin(t->hist, now);
	for (size_t i = 0; i < snap->n; i++) {
		const struct sock *s = &snap->socks[i];

		if (!t->filter || filter_matches(t->filter, s, t->pm))
			history_update(t->hist, s);
	}
	history_end(t->hist);
}

void traffic_round(struct table *t)
{
	const struct snapshot *snap = &t->snaps[t->cur];

	if (!t->hist_defer)
		return;
	t->hist_defer = false;
	if (t->no_history || !t->have_snap)
		return;
	/* its first samples: no rule can read a history of one round yet */
	history_round(t, snap->taken_ms);
}

void traffic_commit(struct table *t, int64_t now)
{
	struct snapshot *snap = &t->snaps[t->cur];
	const struct snapshot *prev = t->have_prev ? &t->snaps[1 - t->cur] : NULL;
	const struct diff *pd = prev ? &t->diffs[1 - t->cur] : NULL;
	struct diff *d = &t->diffs[t->cur];
	bool round = false;

	if (t->no_history) {
		/* the benchmark's baseline: the table as it was without them */
		history_clear(t->hist);
		return;
	}
	/* one round per slot: a refresh in between leaves the history as it
	 * is (new sockets join it at the next round, gone ones leave then),
	 * so that its cost is paid once per HIST_SLOT_MS, not per refresh */
	now = snap->taken_ms ? snap->taken_ms : now;
	if (t->hist_defer) {
		/* the first paint: the round waits for traffic_round() */
	} else if (!t->hist_rounds || now - t->hist_round_ms >= HIST_SLOT_MS) {
		history_round(t, now);
		round = true;
	}
	diag_peers_build(&t->peers, snap);
	for (size_t i = 0; i < snap->n && i < d->n; i++) {
		const struct sock *s = &snap->socks[i];
		struct diff_entry *e = &d->e[i];
		enum diag_rule now_r, hist_r = DR_NONE;

		/* the rules that read the history: at a round, from it; in
		 * between, what the last round said, while the state holds */
		if (round) {
			hist_r = traffic_diagnose_with(t->hist, &t->peers, s);
		} else if (prev && pd && e->prev < prev->n && e->prev < pd->n &&
			   prev->socks[e->prev].state == s->state) {
			hist_r = (enum diag_rule)DIFF_HHINT(pd->e[e->prev].flags);
		}
		now_r = traffic_diagnose_with(NULL, &t->peers, s);
		e->flags = (e->flags & ~(0xffu << DIFF_HINT_SHIFT) & ~(0xffu << DIFF_HHINT_SHIFT)) |
			   (unsigned)first_of(now_r, hist_r) << DIFF_HINT_SHIFT |
			   (unsigned)hist_r << DIFF_HHINT_SHIFT;
	}
}

const struct hist_entry *traffic_history(const struct table *t, const struct sock *s)
{
	return t->no_history ? NULL : history_find(t->hist, &s->key);
}

enum diag_rule traffic_diagnose(const struct table *t, const struct sock *s)
{
	const struct diff_entry *d = table_diff_of(t, s);

	if (d)
		return (enum diag_rule)DIFF_HINT(d->flags);
	return traffic_diagnose_with(NULL, NULL, s);
}

size_t traffic_totals(const struct table *t, double *rx, double *tx)
{
	size_t n = 0;

	*rx = *tx = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct table_row *r = &t->rows[i];

		if (!r->d || r->s->proto != SP_TCP || !(r->d->flags & DIFF_RATES))
			continue;
		*rx += (double)r->d->rx_rate;
		*tx += (double)r->d->tx_rate;
		n++;
	}
	return n;
}
