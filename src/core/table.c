/* table.c - the table model: rows, search, sort, selection. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "filter.h"
#include "filter_hist.h"
#include "table.h"
#include "traffic.h"
#include "xalloc.h"

/* What the toggles show now, as a scope. */
static struct sock_scope table_scope(const struct table *t)
{
	struct sock_scope sc = { t->protos, t->families, t->listening };

	return sc;
}

void table_init(struct table *t, enum esc_charset cs, unsigned protos, unsigned families,
		bool listening)
{
	memset(t, 0, sizeof(*t));
	t->cs = cs;
	t->protos = protos ? protos : SP_MASK_ALL;
	t->families = families ? families : SF_ALL;
	t->listening = listening;
	t->sort_col = COL_PROTO;
	t->columns = COL_DEFAULT_SET;
	t->page = 1;
	snapshot_init(&t->snaps[0]);
	snapshot_init(&t->snaps[1]);
	diff_init(&t->diffs[0]);
	diff_init(&t->diffs[1]);
	t->hist = history_new();
	buf_init(&t->scratch, 0);
	ownset_init(&t->own);
	t->scope_asked = table_scope(t);
	t->scope_cur = t->scope_asked;
}

static void stext_free(struct stext *st);

void table_free(struct table *t)
{
	snapshot_free(&t->snaps[0]);
	snapshot_free(&t->snaps[1]);
	diff_free(&t->diffs[0]);
	diff_free(&t->diffs[1]);
	history_free(t->hist);
	free(t->hist_ref[0]);
	free(t->hist_ref[1]);
	diag_peers_free(&t->peers);
	free(t->all);
	free(t->rows);
	free(t->sortbuf);
	free(t->sortidx);
	free(t->rank[0]);
	free(t->rank[1]);
	free(t->sortfp[0]);
	free(t->sortfp[1]);
	filter_free(t->filter);
	stext_free(&t->stext[0]);
	stext_free(&t->stext[1]);
	buf_free(&t->scratch);
	ownset_free(&t->own);
	memset(t, 0, sizeof(*t));
}


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

/* sock_in_scope() on the row's copy of the fields. */
static bool in_toggles(const struct table *t, const struct table_row *r)
{
	unsigned proto = r->scope & ROW_SCOPE_PROTO;

	if (proto >= SP_NPROTO || !(t->protos & SP_MASK(proto)))
		return false;
	if ((r->scope & ROW_SCOPE_INET) && !(t->families & SF_INET))
		return false;
	if ((r->scope & ROW_SCOPE_INET6) && !(t->families & SF_INET6))
		return false;
	return !t->listening || (r->scope & ROW_SCOPE_LISTEN);
}

static bool in_filter(const struct table *t, const struct sock *s)
{
	/* N chose one namespace of --all-netns */
	if (t->netns_only && s->key.netns != t->netns_only)
		return false;
	return !t->filter || filter_matches(t->filter, s, t->pm);
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

/* Which of the shown columns need what beyond the record's plain fields,
 * worked out once per build of the texts. */
struct fp_cols {
	unsigned tcp;   /* tcp_info values (RTT, Cwnd, Retr) */
	unsigned rates; /* the diff's rates */
};

static struct fp_cols fp_cols_of(const struct table *t)
{
	unsigned rates = cell_cols_showing_rates();
	struct fp_cols fc = {
		.tcp = t->columns & cell_cols_needing_tcp_info() & ~rates,
		.rates = t->columns & rates,
	};

	return fc;
}

/* A hash of everything the shown columns of s are made from. */
static uint64_t fingerprint(const struct table *t, const struct fp_cols *fc,
			    const struct sock *s, const struct diff_entry *d)
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
	h = mix_bytes(h, sock_x(s)->name, sock_x(s)->name_len);
	if (s->proto == SP_PACKET)
		h = mix_bytes(h, &sock_x(s)->pkt, sizeof(sock_x(s)->pkt));
	else if (s->proto == SP_NETLINK)
		h = mix_bytes(h, &sock_x(s)->nl, sizeof(sock_x(s)->nl));
	h = mix(h, (uint64_t)s->ifindex << 8 | s->source);
	h = mix(h, s->has);
	if (fc->tcp)
		h = mix(h, (uint64_t)sock_x(s)->tcp.rtt_us << 32 ^ (uint64_t)sock_x(s)->tcp.snd_cwnd << 16 ^
				   sock_x(s)->tcp.total_retrans);
	if (d && fc->rates) {
		uint32_t bits[2];

		memcpy(&bits[0], &d->rx_rate, sizeof(bits[0]));
		memcpy(&bits[1], &d->tx_rate, sizeof(bits[1]));
		h = mix(h, ((uint64_t)bits[0] << 32 | bits[1]) ^ d->flags);
	}
	h = mix(h, s->listener_inode);
	if (t->pm && sock_owner_inode(s) && (t->columns & COL_BIT(COL_PROCESS))) {
		struct proc_owner o;
		size_t n = procmap_owners(t->pm, sock_owner_inode(s), &o, 1), clen = 0;
		const char *comm = n ? procmap_comm(t->pm, o.pid, &clen) : NULL;

		h = mix(h, (uint64_t)n << 32 | (n ? (uint32_t)o.pid : 0));
		if (comm)
			h = mix_bytes(h, comm, clen);
	}
	if (t->columns & COL_BIT(COL_PROCESS)) {
		unsigned tag = 0;

		if (ownset_find(&t->own, sock_owner_inode(s), &tag))
			h = mix(h, 0x5eed0000u | tag);
	}
	return h;
}

/* Appends the search text of one row: its shown columns, lower case. */
static void search_text(const struct table *t, struct buf *out, const struct sock *s,
			const struct diff_entry *d)
{
	struct cell_ctx ctx = { .pm = t->pm, .cs = t->cs, .own = &t->own, .hist = t->hist, .ns = t->ns };
	size_t at = out->len;

	for (int c = 0; c < COL_MAX_; c++) {
		if (!(t->columns & COL_BIT(c)))
			continue;
		cell_format(out, (enum col)c, s, d, &ctx);
		buf_putc(out, '\t');
	}
	for (size_t i = at; i < out->len; i++)
		if (out->data[i] >= 'A' && out->data[i] <= 'Z')
			out->data[i] = (char)(out->data[i] - 'A' + 'a');
}

static void stext_free(struct stext *st)
{
	free(st->fp);
	free(st->off);
	free(st->len);
	buf_free(&st->text);
	memset(st, 0, sizeof(*st));
}

/* Makes the search texts of the current snapshot, reusing the previous
 * snapshot's where nothing shown changed. */
static void stext_build(struct table *t)
{
	struct stext *st = &t->stext[t->cur], *pt = &t->stext[1 - t->cur];
	const struct snapshot *s = &t->snaps[t->cur];
	const struct diff *d = &t->diffs[t->cur];
	bool reuse = t->have_prev && pt->valid && pt->columns == t->columns;
	size_t n = s->n ? s->n : 1;
	struct fp_cols fc = fp_cols_of(t);

	xgrow((void **)&st->fp, &st->cap, n, sizeof(*st->fp));
	st->off = xreallocarray(st->off, st->cap, sizeof(*st->off));
	st->len = xreallocarray(st->len, st->cap, sizeof(*st->len));
	buf_reset(&st->text);
	for (size_t i = 0; i < s->n; i++) {
		const struct diff_entry *e = i < d->n ? &d->e[i] : NULL;
		uint64_t fp = fingerprint(t, &fc, &s->socks[i], e);
		size_t at = st->text.len;

		if (reuse && e && e->prev < pt->n && pt->fp[e->prev] == fp)
			buf_append(&st->text, pt->text.data + pt->off[e->prev], pt->len[e->prev]);
		else
			search_text(t, &st->text, &s->socks[i], e);
		st->fp[i] = fp;
		st->off[i] = at;
		st->len[i] = st->text.len - at;
	}
	buf_putc(&st->text, '\0');
	/* the texts are NUL-separated for strstr */
	st->n = s->n;
	st->columns = t->columns;
	st->valid = true;
}

/* Match of the search text (lower case in t->search_lc) against a row. */
static bool in_search(struct table *t, const struct table_row *r)
{
	const struct snapshot *s = &t->snaps[t->cur];
	struct stext *st = &t->stext[t->cur];
	size_t i;

	if (!t->search[0])
		return true;
	if (r->flags & ROW_GONE) {
		/* few of them: made on the spot */
		buf_reset(&t->scratch);
		search_text(t, &t->scratch, r->s, NULL);
		buf_putc(&t->scratch, '\0');
		return strstr(t->scratch.data, t->search_lc) != NULL;
	}
	if (!st->valid || st->columns != t->columns)
		stext_build(t);
	i = (size_t)(r->s - s->socks);
	if (i >= st->n)
		return false;
	return memmem(st->text.data + st->off[i], st->len[i], t->search_lc, t->search_lc_len) != NULL;
}

void table_set_search(struct table *t, const char *text)
{
	size_t i;

	snprintf(t->search, sizeof(t->search), "%s", text);
	for (i = 0; t->search[i]; i++) {
		char c = t->search[i];

		t->search_lc[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	t->search_lc[i] = '\0';
	t->search_lc_len = i;
}

/* ---- sorting ----
 * Rows are sorted through a decorated copy: the order of cell_compare()
 * encoded in integers (cell_sortkey(), cell_sortkey_ties()) next to each
 * other in memory, so the 10^6 or so comparisons of a 10^5-socket snapshot
 * do not chase pointers into the records. Where the integers cannot tell
 * (long names), cell_compare() decides. */

struct sortkey {
	uint64_t k[11];     /* primary (3), proto/type, local (3), peer (3), cookie */
	uint32_t idx;       /* into t->all */
	uint8_t exact;      /* SK_* bits: the parts that are complete */
};

#define SK_PRIMARY 1u
#define SK_LOCAL 2u

struct sortctx {
	const struct table *t;
};

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
	const struct table *t = sc->t;
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
		const struct table_row *ra = &t->all[x->idx], *rb = &t->all[y->idx];

		r = cell_compare(t->sort_col, ra->s, ra->d, rb->s, rb->d, t->pm);
	}
out:
	return t->sort_reverse ? -r : r;
}

static void sortkey_make(const struct table *t, uint32_t i, struct sortkey *k)
{
	const struct table_row *r = &t->all[i];

	k->idx = i;
	k->exact = 0;
	if (cell_sortkey(t->sort_col, r->s, r->d, t->pm, &t->own, k->k))
		k->exact |= SK_PRIMARY;
	if (cell_sortkey_ties(r->s, k->k + 3))
		k->exact |= SK_LOCAL;
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
		h = mix_bytes(h, sock_x(s)->name, sock_x(s)->name_len);
	return h;
}

/* The record number in the current snapshot of row i of all, or SIZE_MAX
 * for a gone row. all is in record order only right after rebuild_all(): a
 * resort (a new column, the processes known) finds it in the last order. */
static size_t row_record(const struct table *t, size_t i)
{
	const struct snapshot *cs = &t->snaps[t->cur];
	const struct sock *s = t->all[i].s;

	if ((t->all[i].flags & ROW_GONE) || s < cs->socks || s >= cs->socks + cs->n)
		return SIZE_MAX;
	return (size_t)(s - cs->socks);
}

/* Stores the fingerprint of row i of all, by its record. */
static void sortfp_set(struct table *t, size_t i, uint64_t fp)
{
	size_t rec = row_record(t, i);

	if (rec != SIZE_MAX)
		t->sortfp[t->cur][rec] = fp;
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
static bool sort_adaptive(struct table *t)
{
	const int prev = 1 - t->cur;
	const struct snapshot *cs = &t->snaps[t->cur];
	const struct diff *d = &t->diffs[t->cur];
	struct sortctx sc = { t };
	struct sortkey k, *bk;
	size_t pn, nk = 0, nb = 0, o = 0, i, j, lo;
	uint32_t *order, *slot;

	if (t->nall < 2 || !t->have_prev || !t->rank_ok[prev] ||
	    t->rank_col[prev] != t->sort_col || t->rank_rev[prev] != t->sort_reverse ||
	    d->n != cs->n)
		return false;
	pn = t->rank_n[prev];
	xgrow((void **)&t->sortidx, &t->sortidx_cap, t->nall + pn, sizeof(*t->sortidx));
	order = t->sortidx;
	slot = t->sortidx + t->nall;
	for (i = 0; i < pn; i++)
		slot[i] = NO_RANK;
	for (i = 0; i < t->nall; i++) {
		size_t rec = row_record(t, i);
		size_t p = rec < cs->n ? d->e[rec].prev : DIFF_NO_PREV;
		uint32_t r = p < t->snaps[prev].n ? t->rank[prev][p] : NO_RANK;
		uint64_t fp;

		sortkey_make(t, (uint32_t)i, &k);
		fp = sortkey_fp(&k, t->all[i].s);
		sortfp_set(t, i, fp);
		if (r < pn && fp == t->sortfp[prev][p]) {
			slot[r] = (uint32_t)i;
			continue;
		}
		if (nb >= t->nall / 16 + 16)
			return false;
		xgrow(&t->sortbuf, &t->sortbuf_cap, (nb + 1) * sizeof(*bk), 1);
		bk = t->sortbuf;
		bk[nb++] = k;
	}
	for (i = 0; i < pn; i++)
		if (slot[i] != NO_RANK)
			slot[nk++] = slot[i];
	bk = t->sortbuf;
	if (nb > 1)
		qsort_r(bk, nb, sizeof(*bk), key_cmp, &sc);
	/* each moved row goes before the first kept one that sorts after it */
	for (j = 0, lo = 0, i = 0; j < nb; j++) {
		size_t hi = nk;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			sortkey_make(t, slot[mid], &k);
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
static void remember_ranks(struct table *t)
{
	const struct snapshot *cs = &t->snaps[t->cur];
	uint32_t *rank;

	xgrow((void **)&t->rank[t->cur], &t->rank_cap[t->cur], cs->n ? cs->n : 1,
	      sizeof(*rank));
	rank = t->rank[t->cur];
	for (size_t i = 0; i < cs->n; i++)
		rank[i] = NO_RANK;
	for (size_t p = 0; p < t->nall; p++) {
		const struct sock *s = t->all[p].s;

		if (!(t->all[p].flags & ROW_GONE) && s >= cs->socks && s < cs->socks + cs->n)
			rank[s - cs->socks] = (uint32_t)p;
	}
	t->rank_n[t->cur] = t->nall;
	t->rank_col[t->cur] = t->sort_col;
	t->rank_rev[t->cur] = t->sort_reverse;
	t->rank_ok[t->cur] = t->nall < NO_RANK;
}

/* Sorts everything with a key per row, in memory given back at once:
 * this happens on the first snapshot and when the sort changes, not at
 * every refresh. The keys are made in one pass (in 2 MiB pages where the
 * kernel allows, xadvise_huge) and the row numbers are sorted by them:
 * sorting the 96-byte keys themselves would make the C library copy them
 * all into a temporary array as large again. Returns false if there was no
 * memory for the keys. */
struct idxctx {
	struct sortctx sc;
	const struct sortkey *keys;
};

static int idx_cmp(const void *pa, const void *pb, void *ctx)
{
	struct idxctx *c = ctx;

	return key_cmp(&c->keys[*(const uint32_t *)pa], &c->keys[*(const uint32_t *)pb], &c->sc);
}

static bool sort_full(struct table *t)
{
	const size_t align = (size_t)2 << 20;
	size_t len = t->nall * sizeof(struct sortkey) + align;
	struct idxctx c = { { t }, NULL };
	struct sortkey *keys;
	char *map;

	xgrow((void **)&t->sortidx, &t->sortidx_cap, t->nall, sizeof(*t->sortidx));
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return false;
	keys = (struct sortkey *)(void *)(map + ((align - (uintptr_t)map % align) % align));
	xadvise_huge(keys, t->nall * sizeof(struct sortkey));
	for (size_t i = 0; i < t->nall; i++) {
		sortkey_make(t, (uint32_t)i, &keys[i]);
		sortfp_set(t, i, sortkey_fp(&keys[i], t->all[i].s));
		t->sortidx[i] = (uint32_t)i;
	}
	c.keys = keys;
	t->full_sorts++;
	qsort_r(t->sortidx, t->nall, sizeof(*t->sortidx), idx_cmp, &c);
	munmap(map, len);
	return true;
}

/* Moves h[i] down to its place in the max-heap h[0..n) (key_cmp order). */
static void heap_sift(struct sortkey *h, size_t n, size_t i, struct sortctx *sc)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < n && key_cmp(&h[l], &h[m], sc) > 0)
			m = l;
		if (r < n && key_cmp(&h[r], &h[m], sc) > 0)
			m = r;
		if (m == i)
			return;

		struct sortkey x = h[i];

		h[i] = h[m];
		h[m] = x;
		i = m;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The first paint's sort (t->sort_defer): only the rows a first page can
 * show are put in order, the first ones among those that pass the toggles,
 * the filter and the search, found with a bounded heap (n log k rather
 * than n log n comparisons, and no key per row kept); the others follow in
 * dump order until table_finish_sort(), which the live view calls right
 * after that paint. The order being total, the full sort then leaves the
 * first page as it was. Returns false (nothing done) without memory. */
static bool sort_first_page(struct table *t)
{
	size_t k = t->page + 1 > TABLE_FIRST_ROWS ? t->page + 1 : TABLE_FIRST_ROWS;
	struct sortctx sc = { t };
	struct sortkey key, *h;
	uint32_t *picked;
	size_t nh = 0, o = 0;

	h = malloc(k * (sizeof(*h) + sizeof(*picked)));
	if (!h)
		return false;
	picked = (uint32_t *)(void *)(h + k);
	for (size_t i = 0; i < t->nall; i++) {
		const struct table_row *r = &t->all[i];

		if (!in_toggles(t, r) || !in_filter(t, r->s) || !in_search(t, r))
			continue;
		sortkey_make(t, (uint32_t)i, &key);
		if (nh < k) {
			/* sift up */
			size_t j = nh++;

			h[j] = key;
			while (j && key_cmp(&h[(j - 1) / 2], &h[j], &sc) < 0) {
				struct sortkey x = h[j];

				h[j] = h[(j - 1) / 2];
				h[(j - 1) / 2] = x;
				j = (j - 1) / 2;
			}
		} else if (key_cmp(&key, &h[0], &sc) < 0) {
			h[0] = key;
			heap_sift(h, nh, 0, &sc);
		}
	}
	xgrow((void **)&t->sortidx, &t->sortidx_cap, t->nall, sizeof(*t->sortidx));
	/* pop the largest to the back: the picked rows, in order, first */
	for (size_t n = nh; n > 0; n--) {
		t->sortidx[n - 1] = h[0].idx;
		h[0] = h[n - 1];
		heap_sift(h, n - 1, 0, &sc);
	}
	memcpy(picked, t->sortidx, nh * sizeof(*picked));
	qsort(picked, nh, sizeof(*picked), cmp_u32);
	o = nh;
	for (size_t i = 0, j = 0; i < t->nall; i++) {
		if (j < nh && picked[j] == i) {
			j++;
			continue;
		}
		t->sortidx[o++] = (uint32_t)i;
	}
	free(h);
	return true;
}

static void sort_all(struct table *t)
{
	struct table_row *tmp;
	size_t n = t->snaps[t->cur].n;
	bool first = t->sort_defer;

	t->sort_defer = false;
	t->sort_pending = false;

	xgrow((void **)&t->sortfp[t->cur], &t->sortfp_cap[t->cur], n ? n : 1,
	      sizeof(*t->sortfp[t->cur]));
	if (t->nall < 2) {
		struct sortkey k;

		if (t->nall) {
			sortkey_make(t, 0, &k);
			sortfp_set(t, 0, sortkey_fp(&k, t->all[0].s));
		}
		remember_ranks(t);
		return;
	}
	t->sort_pending = first && sort_first_page(t);
	if (!t->sort_pending && !sort_adaptive(t) && !sort_full(t)) {
		/* no memory for keys: the rows stay in dump order */
		t->rank_ok[t->cur] = false;
		return;
	}
	/* permute through the rows array (rebuilt from all right after) */
	xgrow((void **)&t->rows, &t->rows_cap, t->nall, sizeof(*t->rows));
	tmp = t->rows;
	for (size_t i = 0; i < t->nall; i++)
		tmp[i] = t->all[t->sortidx[i]];
	memcpy(t->all, tmp, t->nall * sizeof(*tmp));
	t->nrows = 0;
	remember_ranks(t);
	if (t->sort_pending)
		t->rank_ok[t->cur] = false; /* not an order to start from */
}

/* Keeps top such that the selection is visible and no rows are wasted at
 * the end of the table. */
static void scroll_fix(struct table *t)
{
	size_t page = t->page ? t->page : 1;

	if (!t->nrows) {
		t->sel = 0;
		t->top = 0;
		return;
	}
	if (t->sel >= t->nrows)
		t->sel = t->nrows - 1;
	if (t->top + page > t->nrows)
		t->top = t->nrows > page ? t->nrows - page : 0;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + page)
		t->top = t->sel - page + 1;
}

void table_select_index(struct table *t, size_t i)
{
	if (!t->nrows) {
		t->sel = 0;
		scroll_fix(t);
		return;
	}
	if (i >= t->nrows)
		i = t->nrows - 1;
	t->sel = i;
	t->sel_key = t->rows[i].s->key;
	t->sel_valid = true;
	scroll_fix(t);
}

static bool find_row(const struct table *t, const struct sock_key *k, size_t *at)
{
	for (size_t i = 0; i < t->nrows; i++) {
		if (sock_key_equal(&t->rows[i].s->key, k)) {
			*at = i;
			return true;
		}
	}
	return false;
}

/* After the rows changed: back on the same socket if it is still a row,
 * else on the row at the same position. */
static void reselect(struct table *t)
{
	size_t i;

	if (t->sel_valid && find_row(t, &t->sel_key, &i))
		table_select_index(t, i);
	else
		table_select_index(t, t->sel);
}

/* Rebuilds rows from all. With narrow set, only rows that passed before are
 * looked at (the search text grew, so fewer can match). */
void table_refilter(struct table *t, bool narrow)
{
	const struct table_row *src = narrow ? t->rows : t->all;
	size_t n = narrow ? t->nrows : t->nall, out = 0, gone = 0;

	if (!narrow)
		xgrow((void **)&t->rows, &t->rows_cap, t->nall ? t->nall : 1, sizeof(*t->rows));
	for (size_t i = 0; i < n; i++) {
		const struct table_row *r = &src[i];

		if (!narrow && (!in_toggles(t, r) || !in_filter(t, r->s)))
			continue;
		if (!in_search(t, r))
			continue;
		/* out <= i: in-place compaction is safe when narrowing */
		t->rows[out++] = *r;
		if (r->flags & ROW_GONE)
			gone++;
	}
	t->nrows = out;
	t->nlive = out - gone;
	reselect(t);
}

static void rebuild_all(struct table *t)
{
	const struct snapshot *s = &t->snaps[t->cur];
	const struct diff *d = &t->diffs[t->cur];
	size_t n = s->n + d->ngone, k = 0;

	xgrow((void **)&t->all, &t->all_cap, n ? n : 1, sizeof(*t->all));
	for (size_t i = 0; i < s->n; i++) {
		t->all[k].s = &s->socks[i];
		t->all[k].d = i < d->n ? &d->e[i] : NULL;
		t->all[k].flags = 0;
		t->all[k].scope = row_scope(&s->socks[i]);
		k++;
	}
	for (size_t i = 0; i < d->ngone; i++) {
		t->all[k].s = &d->gone[i];
		t->all[k].d = NULL;
		t->all[k].flags = ROW_GONE;
		t->all[k].scope = row_scope(&d->gone[i]);
		k++;
	}
	t->nall = k;
	sort_all(t);
	table_refilter(t, false);
}

static void count_totals(struct table *t)
{
	const struct snapshot *s = &t->snaps[t->cur];

	memset(t->totals, 0, sizeof(t->totals));
	for (size_t i = 0; i < s->n; i++) {
		const struct sock *r = &s->socks[i];

		if (r->proto < SP_NPROTO && r->state < SS_MAX_)
			t->totals[r->proto][r->state]++;
	}
	t->total = s->n;
}

struct snapshot *table_spare_snapshot(struct table *t)
{
	struct snapshot *s = &t->snaps[1 - t->cur];

	snapshot_clear(s);
	t->stext[1 - t->cur].valid = false;
	t->scope_asked = table_scope(t);
	t->have_prev = false; /* the spare no longer holds the previous one */
	t->rank_ok[1 - t->cur] = false;
	return s;
}

/* Keeps a copy of the selected socket as the current snapshot shows it, so
 * that the details can show its last values once it is gone. */
static void remember_selected(struct table *t)
{
	const struct sock *s;

	if (!t->have_snap || !t->sel_valid)
		return;
	s = snapshot_find(&t->snaps[t->cur], &t->sel_key);
	if (s) {
		t->last_sel = *s;
		if (s->x) {
			t->last_sel_x = *s->x;
			t->last_sel.x = &t->last_sel_x;
		}
		t->have_last_sel = true;
	}
}

void table_commit(struct table *t, const struct procmap *pm, int64_t now)
{
	int next = 1 - t->cur;

	remember_selected(t);
	t->pm = pm;
	t->diffs[next].ask = !t->no_history; /* DIFF_ASK for traffic_commit */
	if (t->have_snap)
		diff_compute(&t->diffs[next], &t->snaps[next], &t->scope_asked,
			     &t->snaps[t->cur], &t->diffs[t->cur], &t->scope_cur, now);
	else
		diff_compute(&t->diffs[next], &t->snaps[next], &t->scope_asked,
			     NULL, NULL, NULL, now);
	t->cur = next;
	t->generation++;
	t->have_prev = t->have_snap;
	t->have_snap = true;
	t->scope_cur = t->scope_asked;
	count_totals(t);
	traffic_commit(t, now);
	rebuild_all(t);
}

/* ---- queries ---- */

const struct table_row *table_selected(const struct table *t)
{
	return t->nrows ? &t->rows[t->sel < t->nrows ? t->sel : t->nrows - 1] : NULL;
}

const struct snapshot *table_snapshot(const struct table *t)
{
	return &t->snaps[t->cur];
}

const struct diff_entry *table_diff_of(const struct table *t, const struct sock *s)
{
	const struct snapshot *snap = &t->snaps[t->cur];
	const struct diff *d = &t->diffs[t->cur];

	if (!snap->n || s < snap->socks || s >= snap->socks + snap->n)
		return NULL;
	return (size_t)(s - snap->socks) < d->n ? &d->e[s - snap->socks] : NULL;
}

const struct sock *table_details_sock(const struct table *t, bool *gone)
{
	const struct sock *s = NULL;

	*gone = false;
	if (t->sel_valid)
		s = snapshot_find(&t->snaps[t->cur], &t->sel_key);
	if (s)
		return s;
	if (t->have_last_sel && t->sel_valid && sock_key_equal(&t->last_sel.key, &t->sel_key)) {
		*gone = true;
		return &t->last_sel;
	}
	return NULL;
}

bool table_is_new(const struct diff_entry *d, int64_t now)
{
	return d && d->first_seen_ms != DIFF_SEEN_ALWAYS && now - d->first_seen_ms < TABLE_NEW_MS;
}

int64_t table_next_change(const struct table *t, int64_t now)
{
	int64_t next = -1;
	const struct diff *d = &t->diffs[t->cur];

	for (size_t i = 0; i < d->n; i++) {
		int64_t when;

		if (d->e[i].first_seen_ms == DIFF_SEEN_ALWAYS)
			continue;
		when = d->e[i].first_seen_ms + TABLE_NEW_MS;
		if (when > now && (next < 0 || when < next))
			next = when;
	}
	return next;
}

/* ---- filter ---- */

int table_set_filter(struct table *t, const char *text, struct filter_error *fe)
{
	memset(fe, 0, sizeof(*fe));
	if (filter_apply(&t->filter, text, fe) < 0)
		return -1;
	if (t->filter && filter_is_empty(t->filter)) {
		filter_free(t->filter);
		t->filter = NULL;
	}
	snprintf(t->filter_text, sizeof(t->filter_text), "%s", t->filter ? text : "");
	table_refilter(t, false);
	return 0;
}

/* ---- selection ---- */

bool table_select_key(struct table *t, const struct sock_key *k)
{
	size_t i;

	if (!find_row(t, k, &i))
		return false;
	table_select_index(t, i);
	return true;
}

bool table_find_inode_row(const struct table *t, uint32_t inode, size_t *at)
{
	for (size_t i = 0; i < t->nrows; i++) {
		if (!(t->rows[i].flags & ROW_GONE) && t->rows[i].s->inode == inode) {
			*at = i;
			return true;
		}
	}
	return false;
}

void table_set_page(struct table *t, size_t rows)
{
	t->page = rows ? rows : 1;
	scroll_fix(t);
}

/* ---- sorting ---- */

void table_resort(struct table *t)
{
	sort_all(t);
	table_refilter(t, false);
}

bool table_finish_sort(struct table *t)
{
	if (!t->sort_pending)
		return false;
	table_resort(t);
	return true;
}

void table_reverse(struct table *t)
{
	t->sort_reverse = !t->sort_reverse;
	if (t->have_snap && !t->rank_ok[t->cur]) {
		table_resort(t); /* the rows were not sorted (no memory for keys) */
		return;
	}
	/* the order being total, the other direction is the rows reversed,
	 * with no sort (a key press stays cheap at 10^5 rows) */
	for (size_t i = 0, j = t->nall; i + 1 < j; i++, j--) {
		struct table_row r = t->all[i];

		t->all[i] = t->all[j - 1];
		t->all[j - 1] = r;
	}
	if (t->have_snap)
		remember_ranks(t);
	table_refilter(t, false);
}

void table_sort_by(struct table *t, enum col c)
{
	if (c >= COL_MAX_)
		return;
	/* the same column: the other way; a new one starts ascending */
	if (t->sort_col == c) {
		t->sort_reverse = !t->sort_reverse;
	} else {
		t->sort_col = c;
		t->sort_reverse = false;
	}
	table_resort(t);
}

void table_procs_changed(struct table *t)
{
	if (!t->have_snap)
		return;
	/* Process and User texts, and the order by them, may have changed */
	t->stext[t->cur].valid = false;
	traffic_round(t);
	table_resort(t);
}

/* ---- the endpoints' own sockets ---- */

void table_own_changed(struct table *t)
{
	/* the Process texts of those rows changed: search them again */
	t->stext[t->cur].valid = false;
	if (t->search[0])
		table_refilter(t, false);
}
