/* traffic.c - the live table's history and diagnosis (see traffic.h). */
#include "config.h"

#include "filter.h"
#include "traffic.h"

enum diag_rule traffic_diagnose_with(const struct history *h, const struct diag_peers *peers,
				     const struct sock *s)
{
	const struct hist_entry *e = h ? history_find(h, &s->key) : NULL;
	struct diag_in in = {
		.s = s,
		.h = e,
		.state_age_ms = e ? history_state_age(h, e) : -1,
		.tw_to_peer = peers && s->state == SS_TIME_WAIT ? diag_peers_count(peers, s) : 0,
	};

	return diagnose(&in);
}

void traffic_commit(struct table *t, int64_t now)
{
	struct snapshot *snap = &t->snaps[t->cur];
	struct diff *d = &t->diffs[t->cur];
	const struct history *h = t->no_history ? NULL : t->hist;

	if (!t->no_history) {
		history_begin(t->hist, snap->taken_ms ? snap->taken_ms : now);
		for (size_t i = 0; i < snap->n; i++) {
			const struct sock *s = &snap->socks[i];

			if (!t->filter || filter_matches(t->filter, s, t->pm))
				history_update(t->hist, s);
		}
		history_end(t->hist);
	} else {
		history_clear(t->hist);
	}
	diag_peers_build(&t->peers, snap);
	for (size_t i = 0; i < snap->n && i < d->n; i++) {
		enum diag_rule r = traffic_diagnose_with(h, &t->peers, &snap->socks[i]);

		d->e[i].flags = (d->e[i].flags & ~(0xffu << DIFF_HINT_SHIFT)) |
				(unsigned)r << DIFF_HINT_SHIFT;
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
