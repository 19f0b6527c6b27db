/* traffic.c - the live table's history and diagnosis (see traffic.h). */
#include "config.h"

#include "filter.h"
#include "traffic.h"
#include "xalloc.h"

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

/* Parts of a history round (one per second of a slot). */
#define TRAFFIC_PARTS 5u

void traffic_round(struct table *t)
{
	const struct snapshot *snap = &t->snaps[t->cur];
	uint32_t *ref = t->hist_ref[t->cur];
	size_t n = t->hist_ref_n[t->cur];

	if (!t->hist_defer)
		return;
	t->hist_defer = false;
	if (t->no_history || !t->have_snap || t->hist_rounds || !ref)
		return;
	/* the first round, whole, as traffic_commit takes it (every socket
	 * is new): no rule can read a history of one round yet */
	t->hist_rounds = TRAFFIC_PARTS;
	t->hist_round_ms = snap->taken_ms;
	history_begin(t->hist, snap->taken_ms);
	for (size_t i = 0; i < snap->n && i < n; i++) {
		const struct sock *s = &snap->socks[i];

		if (!t->filter || filter_matches(t->filter, s, t->pm))
			history_update_ref(t->hist, s, &ref[i]);
	}
	for (unsigned k = 0; k < TRAFFIC_PARTS; k++)
		history_end_part(t->hist, k, TRAFFIC_PARTS);
}

void traffic_commit(struct table *t, int64_t now)
{
	struct snapshot *snap = &t->snaps[t->cur];
	const struct snapshot *prev = t->have_prev ? &t->snaps[1 - t->cur] : NULL;
	const struct diff *pd = prev ? &t->diffs[1 - t->cur] : NULL;
	struct diff *d = &t->diffs[t->cur];
	unsigned nparts = 0, part0 = 0;
	uint32_t *ref;
	const uint32_t *pref = t->hist_ref[1 - t->cur];
	size_t pn = prev ? t->hist_ref_n[1 - t->cur] : 0;

	if (t->no_history) {
		/* the benchmark's baseline: the table as it was without them */
		history_clear(t->hist);
		t->hist_ref_n[0] = t->hist_ref_n[1] = 0;
		return;
	}
	/* each record's history reference, from the previous snapshot's
	 * through the diff (below): it spares a round the hashing */
	xgrow((void **)&t->hist_ref[t->cur], &t->hist_ref_cap[t->cur], snap->n ? snap->n : 1,
	      sizeof(*ref));
	ref = t->hist_ref[t->cur];
	t->hist_ref_n[t->cur] = snap->n;
	/* one round per slot, in TRAFFIC_PARTS parts: a refresh takes the
	 * parts due since the last one (one a second), each part the sockets
	 * whose reference is that part modulo TRAFFIC_PARTS, and the new
	 * ones; so a socket is sampled once per slot and a refresh pays a
	 * part of a round, not all of it every HIST_SLOT_MS */
	now = snap->taken_ms ? snap->taken_ms : now;
	if (t->hist_defer) {
		/* the first paint: the round waits for traffic_round() */
	} else if (!t->hist_rounds) {
		nparts = TRAFFIC_PARTS;
	} else if (now - t->hist_round_ms >= HIST_SLOT_MS / TRAFFIC_PARTS) {
		int64_t due = (now - t->hist_round_ms) / (HIST_SLOT_MS / TRAFFIC_PARTS);

		nparts = due < TRAFFIC_PARTS ? (unsigned)due : TRAFFIC_PARTS;
	}
	if (nparts) {
		part0 = (unsigned)(t->hist_rounds % TRAFFIC_PARTS);
		t->hist_rounds += nparts;
		t->hist_round_ms = now;
		history_begin(t->hist, now);
	}
	/* no TIME-WAIT rule can fire below DIAG_TW_MANY of them in all */
	if (snap->n && t->totals[SP_TCP][SS_TIME_WAIT] >= DIAG_TW_MANY)
		diag_peers_build(&t->peers, snap);
	else
		t->peers.n = 0;
	for (size_t i = d->n; i < snap->n; i++)
		ref[i] = HIST_NO_REF;
	for (size_t i = 0; i < snap->n && i < d->n; i++) {
		const struct sock *s = &snap->socks[i];
		struct diff_entry *e = &d->e[i];
		enum diag_rule now_r, hist_r = DR_NONE;
		const struct hist_entry *he = NULL;
		bool round;

		ref[i] = e->prev < pn ? pref[e->prev] : HIST_NO_REF;
		/* in a part due now (a new socket: any) */
		round = nparts && (ref[i] == HIST_NO_REF ||
				   (ref[i] % TRAFFIC_PARTS + TRAFFIC_PARTS - part0) % TRAFFIC_PARTS < nparts);
		if (round && (!t->filter || filter_matches(t->filter, s, t->pm)))
			he = history_update_ref(t->hist, s, &ref[i]);
		/* most sockets: no rule can fire (the diff saw it), and their
		 * hint bits are clear already; the record is not read */
		if (!(e->flags & DIFF_ASK))
			continue;
		/* the rules that read the history: at a round, from it; in
		 * between, what the last round said, while the state holds */
		if (round) {
			struct diag_in in = {
				.s = s,
				.h = he,
				.state_age_ms = he ? history_state_age(t->hist, he) : -1,
				.tw_to_peer = s->state == SS_TIME_WAIT ? diag_peers_count(&t->peers, s) : 0,
			};

			hist_r = diagnose(&in);
		} else if (pd && e->prev < pd->n && !(e->flags & (DIFF_NEW | DIFF_STATE))) {
			hist_r = (enum diag_rule)DIFF_HHINT(pd->e[e->prev].flags);
		}
		/* the rules on the record alone: the diff ran them; the one
		 * on TIME-WAIT peers needs the peers */
		now_r = (enum diag_rule)DIFF_HINT(e->flags);
		if (t->peers.n && !now_r && s->state == SS_TIME_WAIT)
			now_r = traffic_diagnose_with(NULL, &t->peers, s);
		e->flags = (e->flags & ~(0xffu << DIFF_HINT_SHIFT) & ~(0xffu << DIFF_HHINT_SHIFT)) |
			   (unsigned)first_of(now_r, hist_r) << DIFF_HINT_SHIFT |
			   (unsigned)hist_r << DIFF_HHINT_SHIFT;
	}
	for (unsigned k = 0; k < nparts; k++)
		history_end_part(t->hist, (part0 + k) % TRAFFIC_PARTS, TRAFFIC_PARTS);
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
