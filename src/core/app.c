/* app.c - state and actions of the live view. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app.h"
#include "clock.h"
#include "epman.h"
#include "filter.h"
#include "filter_hist.h"
#include "i18n.h"
#include "pane.h"
#include "xalloc.h"


struct app *app_new(const struct options *o, enum esc_charset cs)
{
	struct app *a = xcalloc(1, sizeof(*a));

	a->cs = cs;
	a->netns = o->netns;
	a->no_processes = o->no_processes;
	a->protos = o->protos ? o->protos : SP_MASK_ALL;
	a->families = o->families ? o->families : SF_ALL;
	a->listening = o->listening;
	a->delay_ms = o->delay_ms >= APP_DELAY_MIN && o->delay_ms <= APP_DELAY_MAX
			      ? o->delay_ms : 1000;
	a->sort_col = COL_PROTO;
	a->columns = COL_DEFAULT_SET;
	a->page = 1;
	snapshot_init(&a->snaps[0]);
	snapshot_init(&a->snaps[1]);
	diff_init(&a->diffs[0]);
	diff_init(&a->diffs[1]);
	buf_init(&a->scratch, 0);
	a->scope_asked.protos = a->protos;
	a->scope_asked.families = a->families;
	a->scope_asked.listening = a->listening;
	a->scope_cur = a->scope_asked;
	a->hist = filter_hist_new(APP_HISTORY);
	a->focus = PANE_NONE;
	a->pane_first = PANE_NONE;
	ownset_init(&a->own);
	snapshot_init(&a->probe_snap);
	return a;
}

static void stext_free(struct stext *t);
static void app_after_refresh(struct app *a, int64_t now);

static void filter_release(struct app *a)
{
	filter_free(a->filter);
	a->filter = NULL;
}

void app_free(struct app *a)
{
	if (!a)
		return;
	snapshot_free(&a->snaps[0]);
	snapshot_free(&a->snaps[1]);
	diff_free(&a->diffs[0]);
	diff_free(&a->diffs[1]);
	free(a->all);
	free(a->rows);
	free(a->sortbuf);
	free(a->sortidx);
	free(a->rank[0]);
	free(a->rank[1]);
	free(a->sortfp[0]);
	free(a->sortfp[1]);
	filter_release(a);
	filter_hist_free(a->hist);
	stext_free(&a->stext[0]);
	stext_free(&a->stext[1]);
	buf_free(&a->scratch);
	ownset_free(&a->own);
	snapshot_free(&a->probe_snap);
	free(a);
}

/* ---- messages ---- */

void app_message(struct app *a, bool error, int64_t now, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
	a->msg_error = error;
	a->msg_escaped = false;
	a->msg_until = now + APP_MSG_MS;
}

static void message_clear(struct app *a)
{
	a->msg[0] = '\0';
	a->msg_error = false;
	a->msg_escaped = false;
	a->msg_until = 0;
}

/* ---- rows ---- */

/* What the quick toggles look at, kept in the row: the toggles then test
 * 10^5 rows without reading their records, which the sorted order visits
 * all over memory. */
#define ROW_SCOPE_PROTO 0x0fu  /* enum sock_proto */
#define ROW_SCOPE_INET 0x10u
#define ROW_SCOPE_INET6 0x20u
#define ROW_SCOPE_LISTEN 0x40u

static uint8_t row_scope(const struct sock *s)
{
	return (uint8_t)((s->proto < SP_NPROTO ? s->proto : ROW_SCOPE_PROTO) |
			 (s->family == AF_INET ? ROW_SCOPE_INET : 0) |
			 (s->family == AF_INET6 ? ROW_SCOPE_INET6 : 0) |
			 (sock_is_listening(s) ? ROW_SCOPE_LISTEN : 0));
}

/* diff_in_scope() on the row's copy of the fields. */
static bool in_toggles(const struct app *a, const struct app_row *r)
{
	unsigned proto = r->scope & ROW_SCOPE_PROTO;

	if (proto >= SP_NPROTO || !(a->protos & SP_MASK(proto)))
		return false;
	if ((r->scope & ROW_SCOPE_INET) && !(a->families & SF_INET))
		return false;
	if ((r->scope & ROW_SCOPE_INET6) && !(a->families & SF_INET6))
		return false;
	return !a->listening || (r->scope & ROW_SCOPE_LISTEN);
}

static bool in_filter(const struct app *a, const struct sock *s)
{
	return !a->filter || filter_matches(a->filter, s, a->pm);
}

/* ---- search texts ----
 * The search looks at the text of every shown column of every row. Making
 * that text costs microseconds per row, too much per keystroke at 10^5
 * sockets: it is made once per snapshot, in lower case, and a socket whose
 * shown values did not change since the previous snapshot (same
 * fingerprint) takes its text from the previous one. */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

static uint64_t mix_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* A hash of everything the shown columns of s are made from. */
static uint64_t fingerprint(const struct app *a, const struct sock *s,
			    const struct diff_entry *d)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = mix(h, (uint64_t)s->proto << 24 | (uint64_t)s->family << 16 |
			   (uint64_t)s->type << 8 | s->state);
	h = mix(h, (uint64_t)s->recv_q << 32 | s->send_q);
	h = mix(h, (uint64_t)s->uid << 32 | s->inode);
	h = mix(h, (uint64_t)s->lport << 16 | s->rport);
	h = mix(h, s->peer_inode);
	h = mix_bytes(h, s->laddr, sizeof(s->laddr));
	h = mix_bytes(h, s->raddr, sizeof(s->raddr));
	h = mix_bytes(h, s->name, s->name_len);
	h = mix(h, s->has);
	if (a->columns & (COL_BIT(COL_RTT) | COL_BIT(COL_CWND) | COL_BIT(COL_RETRANS)))
		h = mix(h, (uint64_t)s->tcp.rtt_us << 32 ^ (uint64_t)s->tcp.snd_cwnd << 16 ^
				   s->tcp.total_retrans);
	if (d && (a->columns & (COL_BIT(COL_RX) | COL_BIT(COL_TX)))) {
		uint32_t bits[2];

		memcpy(&bits[0], &d->rx_rate, sizeof(bits[0]));
		memcpy(&bits[1], &d->tx_rate, sizeof(bits[1]));
		h = mix(h, ((uint64_t)bits[0] << 32 | bits[1]) ^ d->flags);
	}
	if (a->pm && s->inode && (a->columns & COL_BIT(COL_PROCESS))) {
		struct proc_owner o;
		size_t n = procmap_owners(a->pm, s->inode, &o, 1), clen = 0;
		const char *comm = n ? procmap_comm(a->pm, o.pid, &clen) : NULL;

		h = mix(h, (uint64_t)n << 32 | (n ? (uint32_t)o.pid : 0));
		if (comm)
			h = mix_bytes(h, comm, clen);
	}
	if (a->columns & COL_BIT(COL_PROCESS)) {
		unsigned tag = 0;

		if (ownset_find(&a->own, s->inode, &tag))
			h = mix(h, 0x5eed0000u | tag);
	}
	return h;
}

/* Appends the search text of one row: its shown columns, lower case. */
static void search_text(const struct app *a, struct buf *out, const struct sock *s,
			const struct diff_entry *d)
{
	struct cell_ctx ctx = { a->pm, a->cs, &a->own };
	size_t at = out->len;

	for (int c = 0; c < COL_MAX_; c++) {
		if (!(a->columns & COL_BIT(c)))
			continue;
		cell_format(out, (enum col)c, s, d, &ctx);
		buf_putc(out, '\t');
	}
	for (size_t i = at; i < out->len; i++)
		if (out->data[i] >= 'A' && out->data[i] <= 'Z')
			out->data[i] = (char)(out->data[i] - 'A' + 'a');
}

static void stext_free(struct stext *t)
{
	free(t->fp);
	free(t->off);
	free(t->len);
	buf_free(&t->text);
	memset(t, 0, sizeof(*t));
}

/* Makes the search texts of the current snapshot, reusing the previous
 * snapshot's where nothing shown changed. */
static void stext_build(struct app *a)
{
	struct stext *t = &a->stext[a->cur], *pt = &a->stext[1 - a->cur];
	const struct snapshot *s = &a->snaps[a->cur];
	const struct diff *d = &a->diffs[a->cur];
	bool reuse = a->have_prev && pt->valid && pt->columns == a->columns;
	size_t n = s->n ? s->n : 1;

	xgrow((void **)&t->fp, &t->cap, n, sizeof(*t->fp));
	t->off = xreallocarray(t->off, t->cap, sizeof(*t->off));
	t->len = xreallocarray(t->len, t->cap, sizeof(*t->len));
	buf_reset(&t->text);
	for (size_t i = 0; i < s->n; i++) {
		const struct diff_entry *e = i < d->n ? &d->e[i] : NULL;
		uint64_t fp = fingerprint(a, &s->socks[i], e);
		size_t at = t->text.len;

		if (reuse && e && e->prev < pt->n && pt->fp[e->prev] == fp)
			buf_append(&t->text, pt->text.data + pt->off[e->prev], pt->len[e->prev]);
		else
			search_text(a, &t->text, &s->socks[i], e);
		t->fp[i] = fp;
		t->off[i] = at;
		t->len[i] = t->text.len - at;
	}
	buf_putc(&t->text, '\0');
	/* the texts are NUL-separated for strstr */
	t->n = s->n;
	t->columns = a->columns;
	t->valid = true;
}

/* Match of the search text (lower case in a->search_lc) against a row. */
static bool in_search(struct app *a, const struct app_row *r)
{
	const struct snapshot *s = &a->snaps[a->cur];
	struct stext *t = &a->stext[a->cur];
	size_t i;

	if (!a->search[0])
		return true;
	if (r->flags & ROW_GONE) {
		/* few of them: made on the spot */
		buf_reset(&a->scratch);
		search_text(a, &a->scratch, r->s, NULL);
		buf_putc(&a->scratch, '\0');
		return strstr(a->scratch.data, a->search_lc) != NULL;
	}
	if (!t->valid || t->columns != a->columns)
		stext_build(a);
	i = (size_t)(r->s - s->socks);
	if (i >= t->n)
		return false;
	return memmem(t->text.data + t->off[i], t->len[i], a->search_lc, a->search_lc_len) != NULL;
}

static void set_search(struct app *a, const char *text)
{
	size_t i;

	snprintf(a->search, sizeof(a->search), "%s", text);
	for (i = 0; a->search[i]; i++) {
		char c = a->search[i];

		a->search_lc[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	a->search_lc[i] = '\0';
	a->search_lc_len = i;
}

/* ---- sorting ----
 * Rows are sorted through a decorated copy: the order of cell_compare()
 * encoded in integers next to each other in memory, so the 10^6 or so
 * comparisons of a 10^5-socket snapshot do not chase pointers into the
 * records. Where the integers cannot tell (long names), cell_compare()
 * decides. */

struct sortkey {
	uint64_t k[11];     /* primary (3), proto/type, local (3), peer (3), cookie */
	uint32_t idx;       /* into a->all */
	uint8_t exact;      /* SK_* bits: the parts that are complete */
};

#define SK_PRIMARY 1u
#define SK_LOCAL 2u

struct sortctx {
	const struct app *a;
};

static uint64_t be_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t v = 0;

	for (size_t i = 0; i < 8; i++)
		v = v << 8 | (i < n ? b[i] : 0);
	return v;
}

/* Three words in the order of cell.c's address comparison; false if they
 * are only a prefix (a long Unix name). */
static bool addr_key(const struct sock *s, bool peer, uint64_t w[3])
{
	/* cell.c: IPv4, IPv6, other families by number, Unix last */
	unsigned rank = s->family == AF_INET ? 0 : s->family == AF_INET6 ? 1
						      : s->family == AF_UNIX ? 3 : 2;

	if (s->family == AF_INET || s->family == AF_INET6) {
		const uint8_t *a = peer ? s->raddr : s->laddr;

		w[0] = (uint64_t)rank << 56 | be_bytes(a, 7) >> 8;
		w[1] = be_bytes(a + 7, 8);
		w[2] = (uint64_t)a[15] << 56 | (uint64_t)(peer ? s->rport : s->lport) << 40;
		return true;
	}
	if (s->family != AF_UNIX) {
		w[0] = (uint64_t)rank << 56;
		w[1] = s->family;
		w[2] = 0;
		return true;
	}
	if (peer) {
		w[0] = (uint64_t)rank << 56;
		w[1] = s->peer_inode;
		w[2] = 0;
		return true;
	}
	w[0] = (uint64_t)rank << 56 | be_bytes(s->name, s->name_len < 7 ? s->name_len : 7) >> 8;
	w[1] = s->name_len > 7 ? be_bytes(s->name + 7, s->name_len - 7u) : 0;
	w[2] = (s->name_len > 15 ? be_bytes(s->name + 15, s->name_len - 15u) >> 8 << 8 : 0) |
	       s->name_len;
	return s->name_len <= 22;
}

static uint64_t state_rank(const struct sock *s)
{
	/* cell.c sorts states by name */
	static const char *const order[] = {
		"CLOSE", "CLOSE-WAIT", "CLOSING", "ESTAB", "FIN-WAIT-1", "FIN-WAIT-2",
		"LAST-ACK", "LISTEN", "SYN-RECV", "SYN-SENT", "TIME-WAIT", "UNCONN",
		"UNKNOWN",
	};
	const char *n = sock_state_name(s);

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (!strcmp(order[i], n))
			return i;
	return 99;
}

static uint64_t rate_key(bool has, float v)
{
	uint32_t bits;

	if (!has)
		return 0;
	if (v < 0)
		v = 0;
	memcpy(&bits, &v, sizeof(bits));
	return (uint64_t)1 << 63 | bits;
}

static uint64_t tcp_key(const struct sock *s, uint64_t v)
{
	return s->proto == SP_TCP && (s->has & SOCK_HAS_TCP) ? (uint64_t)1 << 32 | v : 0;
}

/* The primary part; false if it is only a prefix. */
static bool primary_key(const struct app *a, const struct app_row *r, uint64_t w[3])
{
	const struct sock *s = r->s;
	const struct diff_entry *d = r->d;
	bool rates = d && (d->flags & DIFF_RATES);

	w[0] = w[1] = w[2] = 0;
	switch (a->sort_col) {
	case COL_PROTO: w[0] = (uint64_t)s->proto << 8 | s->type; return true;
	case COL_STATE: w[0] = state_rank(s); return true;
	case COL_RECVQ: w[0] = s->recv_q; return true;
	case COL_SENDQ: w[0] = s->send_q; return true;
	case COL_LOCAL: return addr_key(s, false, w);
	case COL_PEER: return addr_key(s, true, w);
	case COL_UID: w[0] = s->uid; return true;
	case COL_INODE: w[0] = s->inode; return true;
	case COL_RTT: w[0] = tcp_key(s, s->tcp.rtt_us); return true;
	case COL_CWND: w[0] = tcp_key(s, s->tcp.snd_cwnd); return true;
	case COL_RETRANS: w[0] = tcp_key(s, s->tcp.total_retrans); return true;
	case COL_RX: w[0] = rate_key(rates, d ? d->rx_rate : 0); return true;
	case COL_TX: w[0] = rate_key(rates, d ? d->tx_rate : 0); return true;
	case COL_PROCESS: {
		struct proc_owner o;
		size_t clen = 0;
		const char *comm;

		if (ownset_find(&a->own, s->inode, NULL)) {
			/* shown as sockview/PID whatever the last scan saw */
			w[0] = be_bytes("sockview", 8);
			w[1] = 8;
			w[2] = (uint32_t)getpid();
			return true;
		}
		if (!a->pm)
			return true; /* all equal */
		if (!s->inode || !procmap_owners(a->pm, s->inode, &o, 1)) {
			/* no process: after all the others */
			w[0] = w[1] = w[2] = UINT64_MAX;
			return true;
		}
		comm = procmap_comm(a->pm, o.pid, &clen);
		if (!comm)
			clen = 0;
		w[0] = be_bytes(comm, clen < 8 ? clen : 8);
		w[1] = (clen > 8 ? be_bytes(comm + 8, clen - 8) >> 8 << 8 : 0) | clen;
		w[2] = (uint32_t)o.pid;
		return clen <= 15;
	}
	case COL_MAX_:
		break;
	}
	return true;
}

static int cmp_words(const uint64_t *x, const uint64_t *y, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

static int key_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct sortctx *sc = ctx;
	const struct sortkey *x = pa, *y = pb;
	const struct app *a = sc->a;
	int r;

	if ((r = cmp_words(x->k, y->k, 3)))
		goto out;
	if (!(x->exact & y->exact & SK_PRIMARY))
		goto full;
	if ((r = cmp_words(x->k + 3, y->k + 3, 4)))
		goto out;
	if (!(x->exact & y->exact & SK_LOCAL))
		goto full;
	if ((r = cmp_words(x->k + 7, y->k + 7, 4)))
		goto out;
full:
	{
		const struct app_row *ra = &a->all[x->idx], *rb = &a->all[y->idx];

		r = cell_compare(a->sort_col, ra->s, ra->d, rb->s, rb->d, a->pm);
	}
out:
	return a->sort_reverse ? -r : r;
}

static void sortkey_make(const struct app *a, uint32_t i, struct sortkey *k)
{
	const struct sock *s = a->all[i].s;

	k->idx = i;
	k->exact = 0;
	if (primary_key(a, &a->all[i], k->k))
		k->exact |= SK_PRIMARY;
	k->k[3] = (uint64_t)s->proto << 8 | s->type;
	if (addr_key(s, false, k->k + 4))
		k->exact |= SK_LOCAL;
	addr_key(s, true, k->k + 7);
	k->k[10] = s->key.cookie;
}

#define NO_RANK UINT32_MAX

/* A fingerprint of everything the order of s's row depends on: the key's
 * words and, where they hold only a prefix, the whole Unix name. */
static uint64_t sortkey_fp(const struct sortkey *k, const struct sock *s)
{
	uint64_t h = k->exact;

	for (size_t w = 0; w < sizeof(k->k) / sizeof(k->k[0]); w++) {
		h = (h ^ k->k[w]) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 31;
	}
	if (k->exact != (SK_PRIMARY | SK_LOCAL) && s->family == AF_UNIX)
		h = mix_bytes(h, s->name, s->name_len);
	return h;
}

/* Stores the fingerprint of record i of the current snapshot. */
static void sortfp_set(struct app *a, size_t i, uint64_t fp)
{
	if (i < a->snaps[a->cur].n)
		a->sortfp[a->cur][i] = fp;
}

/* The refresh-to-refresh sort. Most sockets keep their place between two
 * snapshots, so the rows are laid out in the previous sort's order
 * (through the diff's link to the previous record and that record's
 * rank). Those whose sort key did not change (same fingerprint) are in
 * order among themselves, without a comparison; the others, the new
 * sockets and the gone rows are sorted alone and put in place by binary
 * search. O(n) plus O(m log n) for m moved rows, and the records are read
 * in their order in memory (keys are not kept for every row). Returns false
 * (nothing done) when there is no usable previous order or too much moved:
 * the caller sorts everything. A fingerprint collision (2^-64) would leave
 * one row out of place until its key changes again. */
static bool sort_adaptive(struct app *a)
{
	const int prev = 1 - a->cur;
	const struct snapshot *cs = &a->snaps[a->cur];
	const struct diff *d = &a->diffs[a->cur];
	struct sortctx sc = { a };
	struct sortkey k, *bk;
	size_t pn, nk = 0, nb = 0, o = 0, i, j, lo;
	uint32_t *order, *slot;

	if (a->nall < 2 || !a->have_prev || !a->rank_ok[prev] ||
	    a->rank_col[prev] != a->sort_col || a->rank_rev[prev] != a->sort_reverse ||
	    d->n != cs->n)
		return false;
	pn = a->rank_n[prev];
	xgrow((void **)&a->sortidx, &a->sortidx_cap, a->nall + pn, sizeof(*a->sortidx));
	order = a->sortidx;
	slot = a->sortidx + a->nall;
	for (i = 0; i < pn; i++)
		slot[i] = NO_RANK;
	for (i = 0; i < a->nall; i++) {
		size_t p = i < cs->n ? d->e[i].prev : DIFF_NO_PREV;
		uint32_t r = p < a->snaps[prev].n ? a->rank[prev][p] : NO_RANK;
		uint64_t fp;

		sortkey_make(a, (uint32_t)i, &k);
		fp = sortkey_fp(&k, a->all[i].s);
		sortfp_set(a, i, fp);
		if (r < pn && fp == a->sortfp[prev][p]) {
			slot[r] = (uint32_t)i;
			continue;
		}
		if (nb >= a->nall / 16 + 16)
			return false;
		xgrow(&a->sortbuf, &a->sortbuf_cap, (nb + 1) * sizeof(*bk), 1);
		bk = a->sortbuf;
		bk[nb++] = k;
	}
	for (i = 0; i < pn; i++)
		if (slot[i] != NO_RANK)
			slot[nk++] = slot[i];
	bk = a->sortbuf;
	if (nb > 1)
		qsort_r(bk, nb, sizeof(*bk), key_cmp, &sc);
	/* each moved row goes before the first kept one that sorts after it */
	for (j = 0, lo = 0, i = 0; j < nb; j++) {
		size_t hi = nk;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			sortkey_make(a, slot[mid], &k);
			if (key_cmp(&k, &bk[j], &sc) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		while (i < lo)
			order[o++] = slot[i++];
		order[o++] = bk[j].idx;
	}
	while (i < nk)
		order[o++] = slot[i++];
	return true;
}

/* Remembers where each record of the current snapshot is, for the next
 * sort_adaptive(). */
static void remember_ranks(struct app *a)
{
	const struct snapshot *cs = &a->snaps[a->cur];
	uint32_t *rank;

	xgrow((void **)&a->rank[a->cur], &a->rank_cap[a->cur], cs->n ? cs->n : 1,
	      sizeof(*rank));
	rank = a->rank[a->cur];
	for (size_t i = 0; i < cs->n; i++)
		rank[i] = NO_RANK;
	for (size_t p = 0; p < a->nall; p++) {
		const struct sock *s = a->all[p].s;

		if (!(a->all[p].flags & ROW_GONE) && s >= cs->socks && s < cs->socks + cs->n)
			rank[s - cs->socks] = (uint32_t)p;
	}
	a->rank_n[a->cur] = a->nall;
	a->rank_col[a->cur] = a->sort_col;
	a->rank_rev[a->cur] = a->sort_reverse;
	a->rank_ok[a->cur] = a->nall < NO_RANK;
}

/* Sorts everything with a key per row, in memory given back at once:
 * this happens on the first snapshot and when the sort changes, not at
 * every refresh. Returns false if there was no memory for the keys. */
static bool sort_full(struct app *a)
{
	size_t len = a->nall * sizeof(struct sortkey);
	struct sortctx sc = { a };
	struct sortkey *keys;

	xgrow((void **)&a->sortidx, &a->sortidx_cap, a->nall, sizeof(*a->sortidx));
	keys = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (keys == MAP_FAILED)
		return false;
	for (size_t i = 0; i < a->nall; i++) {
		sortkey_make(a, (uint32_t)i, &keys[i]);
		sortfp_set(a, i, sortkey_fp(&keys[i], a->all[i].s));
	}
	qsort_r(keys, a->nall, sizeof(*keys), key_cmp, &sc);
	for (size_t i = 0; i < a->nall; i++)
		a->sortidx[i] = keys[i].idx;
	munmap(keys, len);
	return true;
}

static void sort_all(struct app *a)
{
	struct app_row *tmp;
	size_t n = a->snaps[a->cur].n;

	xgrow((void **)&a->sortfp[a->cur], &a->sortfp_cap[a->cur], n ? n : 1,
	      sizeof(*a->sortfp[a->cur]));
	if (a->nall < 2) {
		struct sortkey k;

		if (a->nall) {
			sortkey_make(a, 0, &k);
			sortfp_set(a, 0, sortkey_fp(&k, a->all[0].s));
		}
		remember_ranks(a);
		return;
	}
	if (!sort_adaptive(a) && !sort_full(a)) {
		/* no memory for keys: the rows stay in dump order */
		a->rank_ok[a->cur] = false;
		return;
	}
	/* permute through the rows array (rebuilt from all right after) */
	xgrow((void **)&a->rows, &a->rows_cap, a->nall, sizeof(*a->rows));
	tmp = a->rows;
	for (size_t i = 0; i < a->nall; i++)
		tmp[i] = a->all[a->sortidx[i]];
	memcpy(a->all, tmp, a->nall * sizeof(*tmp));
	a->nrows = 0;
	remember_ranks(a);
}

/* Keeps top such that the selection is visible and no rows are wasted at
 * the end of the table. */
static void scroll_fix(struct app *a)
{
	size_t page = a->page ? a->page : 1;

	if (!a->nrows) {
		a->sel = 0;
		a->top = 0;
		return;
	}
	if (a->sel >= a->nrows)
		a->sel = a->nrows - 1;
	if (a->top + page > a->nrows)
		a->top = a->nrows > page ? a->nrows - page : 0;
	if (a->sel < a->top)
		a->top = a->sel;
	if (a->sel >= a->top + page)
		a->top = a->sel - page + 1;
}

static void select_index(struct app *a, size_t i)
{
	if (!a->nrows) {
		a->sel = 0;
		scroll_fix(a);
		return;
	}
	if (i >= a->nrows)
		i = a->nrows - 1;
	a->sel = i;
	a->sel_key = a->rows[i].s->key;
	a->sel_valid = true;
	scroll_fix(a);
}

static bool find_row(const struct app *a, const struct sock_key *k, size_t *at)
{
	for (size_t i = 0; i < a->nrows; i++) {
		if (sock_key_equal(&a->rows[i].s->key, k)) {
			*at = i;
			return true;
		}
	}
	return false;
}

/* After the rows changed: back on the same socket if it is still a row,
 * else on the row at the same position. */
static void reselect(struct app *a)
{
	size_t i;

	if (a->sel_valid && find_row(a, &a->sel_key, &i))
		select_index(a, i);
	else
		select_index(a, a->sel);
}

/* Rebuilds rows from all. With narrow set, only rows that passed before are
 * looked at (the search text grew, so fewer can match). */
static void refilter(struct app *a, bool narrow)
{
	const struct app_row *src = narrow ? a->rows : a->all;
	size_t n = narrow ? a->nrows : a->nall, out = 0, gone = 0;

	if (!narrow)
		xgrow((void **)&a->rows, &a->rows_cap, a->nall ? a->nall : 1, sizeof(*a->rows));
	for (size_t i = 0; i < n; i++) {
		const struct app_row *r = &src[i];

		if (!narrow && (!in_toggles(a, r) || !in_filter(a, r->s)))
			continue;
		if (!in_search(a, r))
			continue;
		/* out <= i: in-place compaction is safe when narrowing */
		a->rows[out++] = *r;
		if (r->flags & ROW_GONE)
			gone++;
	}
	a->nrows = out;
	a->nlive = out - gone;
	reselect(a);
}

static void rebuild_all(struct app *a)
{
	const struct snapshot *s = &a->snaps[a->cur];
	const struct diff *d = &a->diffs[a->cur];
	size_t n = s->n + d->ngone, k = 0;

	xgrow((void **)&a->all, &a->all_cap, n ? n : 1, sizeof(*a->all));
	for (size_t i = 0; i < s->n; i++) {
		a->all[k].s = &s->socks[i];
		a->all[k].d = i < d->n ? &d->e[i] : NULL;
		a->all[k].flags = 0;
		a->all[k].scope = row_scope(&s->socks[i]);
		k++;
	}
	for (size_t i = 0; i < d->ngone; i++) {
		a->all[k].s = &d->gone[i];
		a->all[k].d = NULL;
		a->all[k].flags = ROW_GONE;
		a->all[k].scope = row_scope(&d->gone[i]);
		k++;
	}
	a->nall = k;
	sort_all(a);
	refilter(a, false);
}

static void count_totals(struct app *a)
{
	const struct snapshot *s = &a->snaps[a->cur];

	memset(a->totals, 0, sizeof(a->totals));
	for (size_t i = 0; i < s->n; i++) {
		const struct sock *r = &s->socks[i];

		if (r->proto < SP_NPROTO && r->state < SS_MAX_)
			a->totals[r->proto][r->state]++;
	}
	a->total = s->n;
}

struct snapshot *app_spare_snapshot(struct app *a)
{
	struct snapshot *s = &a->snaps[1 - a->cur];

	snapshot_clear(s);
	a->stext[1 - a->cur].valid = false;
	a->scope_asked.protos = a->protos;
	a->scope_asked.families = a->families;
	a->scope_asked.listening = a->listening;
	a->have_prev = false; /* the spare no longer holds the previous one */
	a->rank_ok[1 - a->cur] = false;
	return s;
}

void app_commit_snapshot(struct app *a, const struct procmap *pm, int64_t now)
{
	int next = 1 - a->cur;

	a->pm = pm;
	if (a->have_snap)
		diff_compute(&a->diffs[next], &a->snaps[next], &a->scope_asked,
			     &a->snaps[a->cur], &a->diffs[a->cur], &a->scope_cur, now);
	else
		diff_compute(&a->diffs[next], &a->snaps[next], &a->scope_asked,
			     NULL, NULL, NULL, now);
	a->cur = next;
	a->have_prev = a->have_snap;
	a->have_snap = true;
	a->scope_cur = a->scope_asked;
	count_totals(a);
	rebuild_all(a);
	app_after_refresh(a, now);
}

/* ---- queries ---- */

const struct app_row *app_selected(const struct app *a)
{
	return a->nrows ? &a->rows[a->sel < a->nrows ? a->sel : a->nrows - 1] : NULL;
}

const struct snapshot *app_snapshot(const struct app *a)
{
	return &a->snaps[a->cur];
}

const struct diff_entry *app_diff_of(const struct app *a, const struct sock *s)
{
	const struct snapshot *snap = &a->snaps[a->cur];
	const struct diff *d = &a->diffs[a->cur];

	if (!snap->n || s < snap->socks || s >= snap->socks + snap->n)
		return NULL;
	return (size_t)(s - snap->socks) < d->n ? &d->e[s - snap->socks] : NULL;
}

/* The address as IPv6 (IPv4 as ::ffff:a.b.c.d), so that a dual-stack
 * server's socket matches its IPv4 client. */
static void addr_v6(const struct sock *s, bool peer, uint8_t out[16])
{
	const uint8_t *a = peer ? s->raddr : s->laddr;

	if (s->family == AF_INET) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, a, 4);
	} else {
		memcpy(out, a, 16);
	}
}

const struct sock *app_find_peer(const struct app *a, const struct sock *s)
{
	const struct snapshot *snap = &a->snaps[a->cur];
	uint8_t sl[16], sr[16], rl[16], rr[16];

	if (s->proto == SP_UNIX) {
		if (!(s->has & SOCK_HAS_PEER) || !s->peer_inode)
			return NULL;
		for (size_t i = 0; i < snap->n; i++) {
			const struct sock *r = &snap->socks[i];

			if (r->proto == SP_UNIX && r->inode == s->peer_inode)
				return r;
		}
		return NULL;
	}
	/* raw sockets have no peer; an unconnected socket neither */
	if ((s->proto != SP_TCP && s->proto != SP_UDP) || !s->rport ||
	    (s->family != AF_INET && s->family != AF_INET6))
		return NULL;
	addr_v6(s, false, sl);
	addr_v6(s, true, sr);
	for (size_t i = 0; i < snap->n; i++) {
		const struct sock *r = &snap->socks[i];

		if (r == s || r->proto != s->proto || r->lport != s->rport ||
		    r->rport != s->lport || (r->family != AF_INET && r->family != AF_INET6))
			continue;
		addr_v6(r, false, rl);
		addr_v6(r, true, rr);
		if (!memcmp(rl, sr, 16) && !memcmp(rr, sl, 16) && !sock_key_equal(&r->key, &s->key))
			return r;
	}
	return NULL;
}

const struct sock *app_details_sock(struct app *a, bool *gone)
{
	const struct sock *s = NULL;

	*gone = false;
	if (a->sel_valid)
		s = snapshot_find(&a->snaps[a->cur], &a->sel_key);
	if (s) {
		a->details_last = *s;
		a->details_have = true;
		return s;
	}
	if (a->details_have && a->sel_valid && sock_key_equal(&a->details_last.key, &a->sel_key)) {
		*gone = true;
		return &a->details_last;
	}
	return NULL;
}

bool app_is_new(const struct diff_entry *d, int64_t now)
{
	return d && d->first_seen_ms != DIFF_SEEN_ALWAYS && now - d->first_seen_ms < APP_NEW_MS;
}

int64_t app_next_change(const struct app *a, int64_t now)
{
	int64_t next = -1;
	const struct diff *d = &a->diffs[a->cur];

	if (a->msg[0] && a->msg_until > now)
		next = a->msg_until;
	for (size_t i = 0; i < d->n; i++) {
		int64_t t;

		if (d->e[i].first_seen_ms == DIFF_SEEN_ALWAYS)
			continue;
		t = d->e[i].first_seen_ms + APP_NEW_MS;
		if (t > now && (next < 0 || t < next))
			next = t;
	}
	return next;
}

int app_delay_step(int delay_ms, bool faster)
{
	static const int steps[] = {
		100, 200, 500, 1000, 2000, 3000, 5000, 10000, 30000, 60000,
		300000, 600000, 1800000, 3600000,
	};
	size_t n = sizeof(steps) / sizeof(steps[0]);

	if (faster) {
		for (size_t i = n; i-- > 0;)
			if (steps[i] < delay_ms)
				return steps[i];
		return steps[0];
	}
	for (size_t i = 0; i < n; i++)
		if (steps[i] > delay_ms)
			return steps[i];
	return steps[n - 1];
}

/* ---- filter ---- */

int app_set_filter(struct app *a, const char *text, char *err, size_t errlen)
{
	struct filter_error fe;

	memset(&fe, 0, sizeof(fe));
	a->filter_err_col = 0;
	if (filter_apply(&a->filter, text, &fe) < 0) {
		snprintf(err, errlen, "%s", fe.msg);
		a->filter_err_col = fe.offset;
		return -1;
	}
	if (a->filter && filter_is_empty(a->filter))
		filter_release(a);
	snprintf(a->filter_text, sizeof(a->filter_text), "%s", a->filter ? text : "");
	refilter(a, false);
	return 0;
}

/* ---- selection ---- */

bool app_select_key(struct app *a, const struct sock_key *k)
{
	size_t i;

	if (!find_row(a, k, &i))
		return false;
	select_index(a, i);
	return true;
}

unsigned app_select_row(struct app *a, size_t i)
{
	if (i >= a->nrows)
		return 0;
	select_index(a, i);
	return APP_REDRAW;
}

void app_set_page(struct app *a, size_t rows)
{
	a->page = rows ? rows : 1;
	scroll_fix(a);
}

static void resort(struct app *a)
{
	sort_all(a);
	refilter(a, false);
}

/* The other direction: the order being total, that is the rows reversed,
 * with no sort (a key press stays cheap at 10^5 rows). */
static void reverse_rows(struct app *a)
{
	a->sort_reverse = !a->sort_reverse;
	if (a->have_snap && !a->rank_ok[a->cur]) {
		resort(a); /* the rows were not sorted (no memory for keys) */
		return;
	}
	for (size_t i = 0, j = a->nall; i + 1 < j; i++, j--) {
		struct app_row t = a->all[i];

		a->all[i] = a->all[j - 1];
		a->all[j - 1] = t;
	}
	if (a->have_snap)
		remember_ranks(a);
	refilter(a, false);
}

unsigned app_sort_by(struct app *a, enum col c)
{
	if (c >= COL_MAX_)
		return 0;
	if (a->sort_col == c)
		a->sort_reverse = !a->sort_reverse;
	else
		a->sort_col = c;
	resort(a);
	return APP_REDRAW;
}

/* ---- endpoints and panes ---- */

void app_set_probe(struct app *a, app_probe_fn fn, void *ctx)
{
	a->probe = fn;
	a->probe_ctx = ctx;
}

void app_set_epman(struct app *a, struct epman *em)
{
	a->em = em;
	a->focus = PANE_NONE;
	app_sync_endpoints(a);
}

struct pane *app_focused_pane(const struct app *a)
{
	if (!a->em || a->focus == PANE_NONE)
		return NULL;
	return epman_pane(a->em, a->focus);
}

bool app_sync_endpoints(struct app *a)
{
	struct ownset now;
	uint64_t fp;

	if (a->focus != PANE_NONE && a->focus >= epman_count(a->em))
		a->focus = PANE_NONE;
	/* this runs at every loop pass, with hundreds of clients maybe */
	fp = epman_collect_fp(a->em);
	if (a->own_fp_ok && fp == a->own_fp)
		return false;
	a->own_fp = fp;
	a->own_fp_ok = true;
	ownset_init(&now);
	epman_collect(a->em, &now);
	if (ownset_equal(&now, &a->own)) {
		ownset_free(&now);
		return false;
	}
	ownset_copy(&a->own, &now);
	ownset_free(&now);
	/* the Process texts of those rows changed: search them again */
	a->stext[a->cur].valid = false;
	if (a->search[0])
		refilter(a, false);
	return true;
}

/* A row whose socket has this inode, if the rows show it. */
static bool find_inode_row(const struct app *a, uint32_t inode, size_t *at)
{
	for (size_t i = 0; i < a->nrows; i++) {
		if (!(a->rows[i].flags & ROW_GONE) && a->rows[i].s->inode == inode) {
			*at = i;
			return true;
		}
	}
	return false;
}

/* Selects the socket with inode; messages say why not. */
static unsigned select_inode(struct app *a, uint32_t inode, unsigned tag, int64_t now)
{
	size_t i;

	a->pending_inode = 0;
	if (find_inode_row(a, inode, &i)) {
		select_index(a, i);
		app_message(a, false, now, _("selected a socket of pane [%u] (inode %u): F7 again "
					     "selects the next one"), tag, inode);
		return APP_REDRAW;
	}
	if (a->have_snap && snapshot_find_inode(app_snapshot(a), inode)) {
		app_message(a, true, now, _("the socket (inode %u) is hidden by the toggles, "
					    "filter or search"), inode);
		return APP_REDRAW;
	}
	/* opened since the last refresh: select it when the table has it */
	a->pending_inode = inode;
	app_message(a, false, now, _("the socket (inode %u) is not in the table yet: it will be "
				     "selected after the refresh"), inode);
	return APP_REDRAW | APP_REFRESH;
}

static unsigned show_socket(struct app *a, int64_t now)
{
	struct pane *p = app_focused_pane(a);
	uint32_t small[64], inode;
	size_t n;

	if (!p) {
		app_message(a, true, now, "%s", _("F7 selects a pane's socket: Tab moves the focus "
						  "to a pane first"));
		return APP_REDRAW;
	}
	n = endpoint_inodes(p->ep, small, 64);
	if (!n) {
		app_message(a, true, now, "%s", _("this endpoint has no socket open"));
		return APP_REDRAW;
	}
	if (n > 64)
		n = 64;
	inode = small[p->sock_cursor % n];
	p->sock_cursor++;
	a->zoom = false;
	return select_inode(a, inode, p->id, now);
}

static const char *pane_private_dir(void *ctx, char *err, size_t errlen)
{
	return epman_private_dir(ctx, err, errlen);
}

static unsigned open_form(struct app *a, enum ep_kind kind)
{
	struct form_env env;
	struct epman_server last;

	memset(&env, 0, sizeof(env));
	env.private_dir = pane_private_dir;
	env.ctx = a->em;
	if (epman_last_server(a->em, &last)) {
		env.have_last = true;
		env.last_transport = last.transport;
		env.last_addr = last.addr;
	}
	a->kind_cur = (size_t)kind;
	form_open(&a->form, kind, &env);
	a->holder_pending = false;
	a->mode = MODE_FORM;
	return APP_REDRAW;
}

/* How many refreshes the form's "in use" error waits for the table to
 * name the holder (a new socket, a process the scan has not read yet). */
#define APP_HOLDER_TRIES 3

/* The form's "in use" error with who holds the address, from the table.
 * Returns true when it waits for another refresh. */
static bool holder_error(struct app *a)
{
	struct buf b = BUF_INIT;
	enum form_holder h;

	buf_puts(&b, a->holder_base);
	buf_puts(&b, ": ");
	h = form_describe_holder(a->have_snap ? app_snapshot(a) : NULL, a->pm, &a->own,
				 a->form.transport, &a->holder_addr, &b);
	if (h != FORM_HOLDER_NAMED && a->probe &&
	    a->probe(a->probe_ctx, a->form.transport, &a->holder_addr, &a->probe_snap) == 0) {
		/* the table's filter or toggles may hide the holder: ask anew */
		struct buf pb = BUF_INIT;
		enum form_holder h2;

		h2 = form_describe_holder(&a->probe_snap, a->pm, &a->own, a->form.transport,
					  &a->holder_addr, &pb);
		if (h2 > h) {
			b.len = strlen(a->holder_base) + 2;
			buf_append(&b, pb.data, pb.len);
			h = h2;
		}
		buf_free(&pb);
	}
	if (h == FORM_HOLDER_NONE)
		buf_puts(&b, _("its holder is not in the table yet (refreshing)"));
	snprintf(a->form.err, sizeof(a->form.err), "%s", b.data ? b.data : "");
	buf_free(&b);
	a->holder_pending = h != FORM_HOLDER_NAMED && a->holder_tries++ < APP_HOLDER_TRIES;
	return a->holder_pending;
}

static unsigned submit_form(struct app *a, int64_t now)
{
	struct endpoint_config cfg;
	struct pane *p;
	char err[512];
	int e;

	a->holder_pending = false;
	for (int tries = 0;; tries++) {
		if (form_config(&a->form, &cfg) < 0)
			return APP_REDRAW;
		p = epman_open(a->em, &cfg, err, sizeof(err));
		/* our suggestion was taken meanwhile (another program bound
		 * it since): suggest again, a few times */
		if (p || errno != EADDRINUSE || tries >= 3 || !form_retry_port(&a->form))
			break;
	}
	if (!p) {
		e = errno;
		form_set_error(&a->form, e, err);
		if (e == EADDRINUSE || (e == EEXIST && !a->form.stale_offer)) {
			snprintf(a->holder_base, sizeof(a->holder_base), "%s", err);
			a->holder_addr = cfg.addr;
			a->holder_tries = 0;
			/* look again once the table is fresh */
			if (holder_error(a))
				return APP_REDRAW | APP_REFRESH;
		}
		return APP_REDRAW;
	}
	a->mode = MODE_TABLE;
	a->focus = epman_count(a->em) - 1;
	a->zoom = false;
	app_sync_endpoints(a);
	{
		struct buf t = BUF_INIT;

		endpoint_title(p->ep, a->cs, &t);
		app_message(a, false, now, _("opened [%u] %s"), p->id, t.data ? t.data : "");
		/* the title is escaped already */
		a->msg_escaped = true;
		buf_free(&t);
	}
	return APP_REDRAW | APP_REFRESH;
}

static unsigned close_pane(struct app *a, int64_t now)
{
	struct pane *p = app_focused_pane(a);
	unsigned id;
	size_t n;

	if (!p) {
		app_message(a, true, now, "%s", epman_count(a->em)
						 ? _("F8 closes the focused pane: Tab moves the focus to one")
						 : _("no pane to close: n or F2 opens an endpoint"));
		return APP_REDRAW;
	}
	id = p->id;
	epman_close(a->em, a->focus);
	n = epman_count(a->em);
	if (!n)
		a->focus = PANE_NONE;
	else if (a->focus >= n)
		a->focus = n - 1;
	a->zoom = false;
	app_sync_endpoints(a);
	app_message(a, false, now, _("closed pane [%u] and its sockets"), id);
	return APP_REDRAW | APP_REFRESH;
}

static unsigned move_focus(struct app *a, bool next, int64_t now)
{
	size_t n = epman_count(a->em);

	a->mode = MODE_TABLE;
	if (!n) {
		app_message(a, false, now, "%s", a->em ? _("no panes yet: n or F2 opens an endpoint")
						       : _("no endpoints"));
		return APP_REDRAW;
	}
	/* the cycle: table, pane 0, pane 1, ..., table */
	if (a->focus == PANE_NONE)
		a->focus = next ? 0 : n - 1;
	else if (next)
		a->focus = a->focus + 1 < n ? a->focus + 1 : PANE_NONE;
	else
		a->focus = a->focus > 0 ? a->focus - 1 : PANE_NONE;
	if (a->focus == PANE_NONE)
		a->zoom = false;
	return APP_REDRAW;
}

static unsigned pane_toggle(struct app *a, enum action act, int64_t now)
{
	struct pane *p = app_focused_pane(a);

	if (!p) {
		app_message(a, true, now, "%s", act == ACT_ZOOM
				     ? _("the full-screen key works on a pane: Tab moves the focus to one")
				     : _("the hex view key works on a pane: Tab moves the focus to one"));
		return APP_REDRAW;
	}
	if (act == ACT_ZOOM) {
		a->zoom = !a->zoom;
	} else {
		p->hex = !p->hex;
		pane_scroll_end(p);
		app_message(a, false, now, "%s", p->hex ? _("hex view") : _("text view"));
	}
	return APP_REDRAW;
}

static unsigned ask_quit(struct app *a)
{
	if (epman_live(a->em)) {
		a->prompt = PROMPT_QUIT;
		return APP_REDRAW;
	}
	return APP_QUIT;
}

/* Runs after each new snapshot: pending selections and form errors that
 * waited for the table. */
static void app_after_refresh(struct app *a, int64_t now)
{
	if (a->pending_inode) {
		size_t i;
		uint32_t inode = a->pending_inode;

		if (find_inode_row(a, inode, &i)) {
			unsigned tag = 0;

			ownset_find(&a->own, inode, &tag);
			select_inode(a, inode, tag, now);
		}
		a->pending_inode = 0;
	}
	if (a->holder_pending && a->mode == MODE_FORM)
		holder_error(a);
	else
		a->holder_pending = false;
}

/* ---- actions ---- */

static unsigned toggle_proto(struct app *a, unsigned proto, int64_t now)
{
	unsigned mask = a->protos ^ SP_MASK(proto);

	if (!mask) {
		app_message(a, true, now, "%s", _("at least one protocol must stay shown"));
		return APP_REDRAW;
	}
	a->protos = mask;
	refilter(a, false);
	app_message(a, false, now, (a->protos & SP_MASK(proto)) ? _("%s sockets shown")
								  : _("%s sockets hidden"),
		    proto == SP_UNIX ? "Unix" : proto == SP_RAW ? _("raw")
								 : proto == SP_TCP ? "TCP" : "UDP");
	/* turning a protocol on needs a dump; turning it off only hides */
	return APP_REDRAW | APP_RESCOPE;
}

static unsigned toggle_family(struct app *a, unsigned fam)
{
	a->families = a->families == fam ? SF_ALL : fam;
	refilter(a, false);
	return APP_REDRAW | APP_RESCOPE;
}

static unsigned change_delay(struct app *a, bool faster, int64_t now)
{
	int d = app_delay_step(a->delay_ms, faster);

	if (d == a->delay_ms) {
		app_message(a, false, now, faster ? _("refresh interval is already the shortest")
						  : _("refresh interval is already the longest"));
		return APP_REDRAW;
	}
	a->delay_ms = d;
	if (d < 1000)
		app_message(a, false, now, _("refresh every %d ms"), d);
	else
		app_message(a, false, now, _("refresh every %g s"), d / 1000.0);
	return APP_REDRAW | APP_TIMING;
}

static unsigned jump_peer(struct app *a, int64_t now)
{
	const struct app_row *r = app_selected(a);
	const struct sock *p;

	if (!r)
		return 0;
	if (r->flags & ROW_GONE) {
		app_message(a, true, now, "%s", _("this socket is closed"));
		return APP_REDRAW;
	}
	p = app_find_peer(a, r->s);
	if (!p) {
		app_message(a, true, now, "%s",
			    r->s->proto == SP_UNIX
				    ? _("no peer socket: not connected, or the peer is outside this view")
				    : _("no local peer: the other end is not a socket on this machine"));
		return APP_REDRAW;
	}
	if (!app_select_key(a, &p->key)) {
		app_message(a, true, now, _("the peer (inode %u) is hidden by the toggles, filter or search"),
			    p->inode);
		return APP_REDRAW;
	}
	app_message(a, false, now, _("jumped to the peer socket (inode %u)"), p->inode);
	return APP_REDRAW;
}

static unsigned open_prompt(struct app *a, enum app_prompt p)
{
	a->mode = MODE_TABLE;
	a->prompt = p;
	lineedit_set(&a->edit, p == PROMPT_SEARCH ? a->search : a->filter_text);
	filter_hist_reset(a->hist);
	return APP_REDRAW;
}

static unsigned table_action(struct app *a, enum action act, int64_t now)
{
	switch (act) {
	case ACT_NONE:
		return 0;
	case ACT_QUIT:
		return ask_quit(a);
	case ACT_HELP:
		a->mode = MODE_HELP;
		a->scroll = 0;
		return APP_REDRAW;
	case ACT_TOGGLE_TCP:
		return toggle_proto(a, SP_TCP, now);
	case ACT_TOGGLE_UDP:
		return toggle_proto(a, SP_UDP, now);
	case ACT_TOGGLE_UNIX:
		return toggle_proto(a, SP_UNIX, now);
	case ACT_TOGGLE_RAW:
		return toggle_proto(a, SP_RAW, now);
	case ACT_IPV4:
		return toggle_family(a, SF_INET);
	case ACT_IPV6:
		return toggle_family(a, SF_INET6);
	case ACT_LISTENING:
		a->listening = !a->listening;
		refilter(a, false);
		return APP_REDRAW | APP_RESCOPE;
	case ACT_SEARCH:
		return open_prompt(a, PROMPT_SEARCH);
	case ACT_FILTER:
		return open_prompt(a, PROMPT_FILTER);
	case ACT_SORT:
		a->mode = MODE_SORT;
		a->menu_cur = a->sort_col;
		return APP_REDRAW;
	case ACT_REVERSE:
		reverse_rows(a);
		return APP_REDRAW;
	case ACT_UP:
		if (a->sel > 0)
			select_index(a, a->sel - 1);
		return APP_REDRAW;
	case ACT_DOWN:
		select_index(a, a->sel + 1);
		return APP_REDRAW;
	case ACT_PGUP:
		select_index(a, a->sel > a->page ? a->sel - a->page : 0);
		return APP_REDRAW;
	case ACT_PGDN:
		select_index(a, a->sel + a->page);
		return APP_REDRAW;
	case ACT_HOME:
		select_index(a, 0);
		return APP_REDRAW;
	case ACT_END:
		select_index(a, a->nrows ? a->nrows - 1 : 0);
		return APP_REDRAW;
	case ACT_DETAILS:
		if (!a->nrows) {
			app_message(a, true, now, "%s", _("no socket selected"));
			return APP_REDRAW;
		}
		select_index(a, a->sel); /* makes sel_key current */
		a->mode = MODE_DETAILS;
		a->scroll = 0;
		return APP_REDRAW;
	case ACT_PEER:
		return jump_peer(a, now);
	case ACT_PAUSE:
		a->paused = !a->paused;
		app_message(a, false, now, "%s", a->paused ? _("paused: Space resumes")
							   : _("live refresh resumed"));
		return APP_REDRAW | APP_TIMING | (a->paused ? 0 : APP_REFRESH);
	case ACT_FASTER:
		return change_delay(a, true, now);
	case ACT_SLOWER:
		return change_delay(a, false, now);
	case ACT_COLUMNS:
		a->mode = MODE_COLUMNS;
		a->menu_cur = 0;
		return APP_REDRAW;
	case ACT_NEW_ENDPOINT:
		if (!a->em) {
			app_message(a, true, now, "%s", _("test endpoints are not available here"));
			return APP_REDRAW;
		}
		a->mode = MODE_MENU;
		a->zoom = false;
		return APP_REDRAW;
	case ACT_FOCUS_NEXT:
	case ACT_FOCUS_PREV:
		return move_focus(a, act == ACT_FOCUS_NEXT, now);
	case ACT_CLOSE_PANE:
		return close_pane(a, now);
	case ACT_SHOW_SOCKET:
		return show_socket(a, now);
	case ACT_ZOOM:
	case ACT_HEX:
		return pane_toggle(a, act, now);
	case ACT_DESTROY:
		app_message(a, true, now, "%s",
			    _("destroying sockets is not available in this version"));
		return APP_REDRAW;
	case ACT_BACK:
		if (a->search[0]) {
			set_search(a, "");
			refilter(a, false);
			app_message(a, false, now, "%s", _("search cleared"));
		}
		return APP_REDRAW;
	case ACT_REDRAW:
		return APP_REDRAW;
	case ACT_MAX_:
		break;
	}
	return 0;
}

/* Scrolling keys of the help and details screens. */
static bool scroll_action(struct app *a, enum action act)
{
	size_t page = a->page > 2 ? a->page - 1 : 1;

	switch (act) {
	case ACT_UP:
		if (a->scroll)
			a->scroll--;
		return true;
	case ACT_DOWN:
		a->scroll++;
		return true;
	case ACT_PGUP:
		a->scroll = a->scroll > page ? a->scroll - page : 0;
		return true;
	case ACT_PGDN:
		a->scroll += page;
		return true;
	case ACT_HOME:
		a->scroll = 0;
		return true;
	case ACT_END:
		a->scroll = (size_t)-1 / 2; /* clamped by the view */
		return true;
	default:
		return false;
	}
}

/* Moves the cursor *cur of a menu of n entries; false if act is not a move. */
static bool menu_move(size_t *cur, size_t n, enum action act)
{
	switch (act) {
	case ACT_UP:
		if (*cur)
			(*cur)--;
		return true;
	case ACT_DOWN:
		if (*cur + 1 < n)
			(*cur)++;
		return true;
	case ACT_HOME:
	case ACT_PGUP:
		*cur = 0;
		return true;
	case ACT_END:
	case ACT_PGDN:
		*cur = n ? n - 1 : 0;
		return true;
	default:
		return false;
	}
}

static unsigned menu_action(struct app *a, enum action act, int64_t now)
{
	size_t n = a->mode == MODE_SORT ? COL_MAX_ : 0;

	if (a->mode == MODE_COLUMNS)
		for (int c = 0; c < COL_MAX_; c++)
			n += cell_col((enum col)c)->optional;
	if (menu_move(&a->menu_cur, n, act))
		return APP_REDRAW;
	switch (act) {
	case ACT_DETAILS: /* Enter */
	case ACT_PAUSE:   /* Space */
		if (a->mode == MODE_SORT) {
			enum col c = (enum col)a->menu_cur;

			a->mode = MODE_TABLE;
			if (c != a->sort_col) {
				a->sort_col = c;
				resort(a);
			}
			app_message(a, false, now, _("sorted by %s"), _(cell_col(c)->name));
		} else {
			size_t k = 0;

			for (int c = 0; c < COL_MAX_; c++) {
				if (!cell_col((enum col)c)->optional)
					continue;
				if (k++ == a->menu_cur) {
					a->columns ^= COL_BIT(c);
					if (a->search[0])
						refilter(a, false);
					break;
				}
			}
		}
		return APP_REDRAW;
	case ACT_BACK:
	case ACT_SORT:
	case ACT_COLUMNS:
		a->mode = MODE_TABLE;
		return APP_REDRAW;
	case ACT_QUIT:
		return ask_quit(a);
	case ACT_REVERSE:
		if (a->mode == MODE_SORT)
			reverse_rows(a);
		return APP_REDRAW;
	default:
		return 0;
	}
}

/* The new endpoint menu: Up/Down and Enter, or the digit of a kind. */
static unsigned kind_menu_action(struct app *a, enum action act, int64_t now)
{
	if (menu_move(&a->kind_cur, EP_NKINDS, act))
		return APP_REDRAW;
	switch (act) {
	case ACT_DETAILS: /* Enter */
		return open_form(a, (enum ep_kind)a->kind_cur);
	case ACT_BACK:
	case ACT_NEW_ENDPOINT:
		a->mode = MODE_TABLE;
		return APP_REDRAW;
	case ACT_QUIT:
		return ask_quit(a);
	case ACT_HELP:
		a->mode = MODE_HELP;
		a->scroll = 0;
		return APP_REDRAW;
	case ACT_REDRAW:
		return APP_REDRAW;
	default:
		(void)now;
		return 0;
	}
}

unsigned app_do(struct app *a, enum action act, int64_t now)
{
	switch (a->mode) {
	case MODE_HELP:
		if (scroll_action(a, act))
			return APP_REDRAW;
		if (act == ACT_BACK || act == ACT_HELP || act == ACT_DETAILS) {
			a->mode = MODE_TABLE;
			return APP_REDRAW;
		}
		if (act == ACT_NONE || act == ACT_REDRAW)
			return act == ACT_REDRAW ? APP_REDRAW : 0;
		/* any other key leaves the help and acts on the table */
		a->mode = MODE_TABLE;
		return APP_REDRAW | table_action(a, act, now);
	case MODE_DETAILS:
		if (scroll_action(a, act))
			return APP_REDRAW;
		if (act == ACT_BACK || act == ACT_DETAILS) {
			a->mode = MODE_TABLE;
			return APP_REDRAW;
		}
		if (act == ACT_PEER) {
			unsigned fx = jump_peer(a, now);

			a->scroll = 0;
			return fx;
		}
		return table_action(a, act, now);
	case MODE_SORT:
	case MODE_COLUMNS:
		return menu_action(a, act, now);
	case MODE_MENU:
		return kind_menu_action(a, act, now);
	case MODE_FORM:
		if (act == ACT_QUIT)
			return ask_quit(a);
		if (act == ACT_BACK) {
			a->mode = MODE_TABLE;
			return APP_REDRAW;
		}
		if (act == ACT_HELP || act == ACT_REDRAW)
			return act == ACT_REDRAW ? APP_REDRAW : table_action(a, act, now);
		return 0;
	case MODE_TABLE:
		break;
	}
	return table_action(a, act, now);
}

static void history_move(struct app *a, bool up)
{
	const char *t = up ? filter_hist_up(a->hist, a->edit.text) : filter_hist_down(a->hist);

	if (t)
		lineedit_set(&a->edit, t);
}

static unsigned search_update(struct app *a)
{
	bool narrow = a->search[0] && strstr(a->edit.text, a->search) &&
		      strlen(a->edit.text) > strlen(a->search);

	/* a longer text can only match fewer rows: look at the current ones */
	set_search(a, a->edit.text);
	refilter(a, narrow);
	return APP_REDRAW;
}

static unsigned prompt_key(struct app *a, int key, int64_t now)
{
	enum action act = keys_prompt_action(key);
	bool handled;

	if (act != ACT_NONE) {
		/* a function key leaves the prompt (a search stays active) */
		a->prompt = PROMPT_NONE;
		return APP_REDRAW | app_do(a, act, now);
	}
	if (key == KC_ENTER) {
		if (a->prompt == PROMPT_SEARCH) {
			a->prompt = PROMPT_NONE;
			if (a->search[0])
				app_message(a, false, now, P_("%zu socket matches \"%s\"",
							      "%zu sockets match \"%s\"", a->nrows),
					    a->nrows, a->search);
			return APP_REDRAW;
		} else {
			char err[256];

			/* kept even when wrong, so Up brings it back to fix */
			filter_hist_add(a->hist, a->edit.text);
			if (app_set_filter(a, a->edit.text, err, sizeof(err)) < 0) {
				app_message(a, true, now, "%s", err);
				/* the filter module escaped its token already */
				a->msg_escaped = true;
				if (a->filter_err_col <= a->edit.len)
					a->edit.cur = a->filter_err_col;
				return APP_REDRAW;
			}
			a->prompt = PROMPT_NONE;
			if (a->filter_text[0])
				app_message(a, false, now, _("filter: %s"), a->filter_text);
			else
				app_message(a, false, now, "%s", _("filter cleared"));
			return APP_REDRAW | APP_FILTER;
		}
	}
	if (key == KC_ESC) {
		if (a->prompt == PROMPT_SEARCH && a->search[0]) {
			set_search(a, "");
			refilter(a, false);
		}
		a->prompt = PROMPT_NONE;
		return APP_REDRAW;
	}
	if (key == KC_UP || key == KC_DOWN) {
		if (a->prompt == PROMPT_FILTER)
			history_move(a, key == KC_UP);
		else
			table_action(a, key == KC_UP ? ACT_UP : ACT_DOWN, now);
		return APP_REDRAW;
	}
	if (key == KC_PGUP || key == KC_PGDN) {
		if (a->prompt == PROMPT_SEARCH)
			table_action(a, key == KC_PGUP ? ACT_PGUP : ACT_PGDN, now);
		return APP_REDRAW;
	}
	if (lineedit_key(&a->edit, key, &handled)) {
		if (a->prompt == PROMPT_SEARCH)
			return search_update(a);
		return APP_REDRAW;
	}
	return handled ? APP_REDRAW : 0;
}

/* "Endpoints are open: quit?" y or F10 confirms, anything else cancels. */
static unsigned quit_key(struct app *a, int key)
{
	a->prompt = PROMPT_NONE;
	if (key == 'y' || key == 'Y' || key == KC_F10)
		return APP_QUIT;
	return APP_REDRAW;
}

static unsigned form_mode_key(struct app *a, int key, int64_t now)
{
	enum action act = keys_prompt_action(key);

	/* function keys act (F10 quits, F1 helps); letters are text */
	if (act != ACT_NONE && key != KC_TAB && key != KC_BTAB)
		return app_do(a, act, now);
	switch (form_key(&a->form, key)) {
	case FORM_IGNORED:
		return 0;
	case FORM_CHANGED:
		a->holder_pending = false;
		return APP_REDRAW;
	case FORM_SUBMIT:
		return submit_form(a, now);
	case FORM_CANCEL:
		a->mode = MODE_TABLE;
		a->holder_pending = false;
		return APP_REDRAW;
	}
	return 0;
}

static unsigned menu_mode_key(struct app *a, int key, int64_t now)
{
	if (key >= '1' && key < '1' + EP_NKINDS)
		return open_form(a, (enum ep_kind)(key - '1'));
	return app_do(a, keys_action(key), now);
}

/* Keys while a pane has the focus (in the table mode). */
static unsigned pane_mode_key(struct app *a, struct pane *p, int key, int64_t now)
{
	enum action act;
	unsigned r;

	if (key == KC_ESC) {
		/* back to the table */
		a->focus = PANE_NONE;
		a->zoom = false;
		return APP_REDRAW;
	}
	if (pane_has_input(p)) {
		act = keys_input_action(key);
		if (act != ACT_NONE)
			return app_do(a, act, now);
		r = pane_key(p, key);
		if (r & PANE_SENT)
			epman_sync(a->em);
		return r ? APP_REDRAW : 0;
	}
	if (pane_key(p, key))
		return APP_REDRAW;
	act = keys_action(key);
	/* Enter would open the details of the table's selection: not here */
	if (act == ACT_DETAILS)
		return 0;
	return app_do(a, act, now);
}

unsigned app_key(struct app *a, int key, int64_t now)
{
	unsigned had_msg = a->msg[0] ? APP_REDRAW : 0;
	struct pane *p;

	/* a message lasts until the next key */
	message_clear(a);
	if (a->prompt == PROMPT_QUIT)
		return had_msg | quit_key(a, key);
	if (a->prompt != PROMPT_NONE)
		return had_msg | prompt_key(a, key, now);
	if (a->mode == MODE_FORM)
		return had_msg | form_mode_key(a, key, now);
	if (a->mode == MODE_MENU)
		return had_msg | menu_mode_key(a, key, now);
	if (a->mode == MODE_TABLE && (p = app_focused_pane(a)))
		return had_msg | pane_mode_key(a, p, key, now);
	return had_msg | app_do(a, keys_action(key), now);
}
