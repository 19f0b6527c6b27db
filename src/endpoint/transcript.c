/* transcript.c - bounded ring of timestamped endpoint events. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "i18n.h"
#include "transcript.h"
#include "xalloc.h"

/* Labels are addresses or short names; a longer one is cut so that the
 * byte bound is spent on data. */
#define LABEL_MAX 256

struct transcript {
	struct tr_entry **ring; /* ring[(head + i) % cap], i < count */
	size_t cap, head, count;
	size_t max_entries, max_bytes;
	size_t entry_max; /* data bytes kept per entry; 0: only max_bytes */
	size_t bytes;
	uint64_t next_seq;
	uint64_t evicted;
};

static size_t entry_bytes(const struct tr_entry *e)
{
	return e->peer_len + e->len;
}

struct transcript *transcript_new(size_t max_entries, size_t max_bytes)
{
	struct transcript *t = xcalloc(1, sizeof(*t));

	t->max_entries = max_entries ? max_entries : TRANSCRIPT_DEFAULT_ENTRIES;
	t->max_bytes = max_bytes ? max_bytes : TRANSCRIPT_DEFAULT_BYTES;
	t->next_seq = 1;
	return t;
}

void transcript_set_entry_max(struct transcript *t, size_t n)
{
	t->entry_max = n;
}

void transcript_clear(struct transcript *t)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		free(t->ring[(t->head + i) % t->cap]);
	t->head = t->count = 0;
	t->bytes = 0;
}

void transcript_free(struct transcript *t)
{
	if (!t)
		return;
	transcript_clear(t);
	free(t->ring);
	free(t);
}

static void evict_oldest(struct transcript *t)
{
	struct tr_entry *e = t->ring[t->head];

	t->bytes -= entry_bytes(e);
	free(e);
	t->ring[t->head] = NULL;
	t->head = (t->head + 1) % t->cap;
	t->count--;
	t->evicted++;
}

/* Makes room for one more slot in the ring, growing it (up to max_entries)
 * before evicting. */
static void make_slot(struct transcript *t)
{
	if (t->count == t->cap && t->cap < t->max_entries) {
		size_t ncap = t->cap ? t->cap * 2 : 64, i;
		struct tr_entry **n;

		if (ncap > t->max_entries)
			ncap = t->max_entries;
		n = xcalloc(ncap, sizeof(*n));
		for (i = 0; i < t->count; i++)
			n[i] = t->ring[(t->head + i) % t->cap];
		free(t->ring);
		t->ring = n;
		t->cap = ncap;
		t->head = 0;
	}
	if (t->count == t->cap)
		evict_oldest(t);
}

const struct tr_entry *transcript_add(struct transcript *t, enum tr_kind kind,
				      const char *peer, size_t peer_len,
				      const void *data, size_t len)
{
	struct tr_entry *e;
	struct timespec ts;
	size_t keep;
	char *p;

	if (!peer)
		peer_len = 0;
	if (peer_len > LABEL_MAX)
		peer_len = LABEL_MAX;
	if (peer_len > t->max_bytes)
		peer_len = t->max_bytes;
	if (!data)
		len = 0;
	keep = len;
	if (t->entry_max && keep > t->entry_max)
		keep = t->entry_max;
	if (keep > t->max_bytes - peer_len)
		keep = t->max_bytes - peer_len;

	make_slot(t);
	while (t->count && t->bytes + peer_len + keep > t->max_bytes)
		evict_oldest(t);

	e = xmalloc(sizeof(*e) + peer_len + 1 + keep + 1);
	p = (char *)(e + 1);
	if (peer_len)
		memcpy(p, peer, peer_len);
	p[peer_len] = '\0';
	e->peer = p;
	e->peer_len = peer_len;
	p += peer_len + 1;
	if (keep)
		memcpy(p, data, keep);
	p[keep] = '\0';
	e->data = (const unsigned char *)p;
	e->len = keep;
	e->orig_len = len;
	e->kind = kind;
	e->seq = t->next_seq++;
	e->mono_ms = clock_now_ms();
	clock_gettime(CLOCK_REALTIME, &ts);
	e->wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;

	t->ring[(t->head + t->count) % t->cap] = e;
	t->count++;
	t->bytes += entry_bytes(e);
	return e;
}

const struct tr_entry *transcript_vaddf(struct transcript *t, enum tr_kind kind,
					const char *peer, size_t peer_len,
					const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	const struct tr_entry *e;

	buf_vprintf(&b, fmt, ap);
	e = transcript_add(t, kind, peer, peer_len, b.data, b.len);
	buf_free(&b);
	return e;
}

const struct tr_entry *transcript_addf(struct transcript *t, enum tr_kind kind,
				       const char *peer, size_t peer_len,
				       const char *fmt, ...)
{
	const struct tr_entry *e;
	va_list ap;

	va_start(ap, fmt);
	e = transcript_vaddf(t, kind, peer, peer_len, fmt, ap);
	va_end(ap);
	return e;
}

size_t transcript_count(const struct transcript *t)
{
	return t->count;
}

const struct tr_entry *transcript_get(const struct transcript *t, size_t i)
{
	if (i >= t->count)
		return NULL;
	return t->ring[(t->head + i) % t->cap];
}

uint64_t transcript_first_seq(const struct transcript *t)
{
	return t->count ? t->ring[t->head]->seq : t->next_seq;
}

uint64_t transcript_evicted(const struct transcript *t)
{
	return t->evicted;
}

size_t transcript_bytes(const struct transcript *t)
{
	return t->bytes;
}

const char *transcript_kind_symbol(enum tr_kind kind)
{
	static const char *const sym[TR_NKINDS] = { "+", "-", "<", ">", "!", "*" };

	return (unsigned)kind < TR_NKINDS ? sym[kind] : "?";
}

const char *transcript_kind_name(enum tr_kind kind)
{
	static const char *const names[TR_NKINDS] = {
		N_("connect"), N_("disconnect"), N_("received"),
		N_("sent"), N_("error"), N_("info"),
	};

	return (unsigned)kind < TR_NKINDS ? _(names[kind]) : "?";
}

void transcript_format_time(const struct tr_entry *e, struct buf *out)
{
	time_t sec = (time_t)(e->wall_ms / 1000);
	struct tm tm;

	if (!localtime_r(&sec, &tm)) {
		buf_puts(out, "??:??:??.???");
		return;
	}
	buf_printf(out, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
		   (int)(e->wall_ms % 1000));
}

/* Appends the part shared by both formats: "time sym label" (label
 * escaped); returns its display width. */
static size_t format_head(const struct tr_entry *e, enum esc_charset cs, struct buf *out)
{
	size_t start = out->len, w;

	transcript_format_time(e, out);
	buf_putc(out, ' ');
	buf_puts(out, transcript_kind_symbol(e->kind));
	w = out->len - start; /* ASCII so far */
	if (e->peer_len) {
		buf_putc(out, ' ');
		w += 1 + esc_display(out, e->peer, e->peer_len, cs);
	}
	return w;
}

/* Appends the note for bytes that were not kept. */
static size_t format_cut(const struct tr_entry *e, struct buf *out)
{
	size_t start = out->len;

	if (e->orig_len <= e->len)
		return 0;
	buf_printf(out, " ");
	buf_printf(out, _("[%zu more bytes not kept]"), e->orig_len - e->len);
	return esc_width(out->data + start, out->len - start, ESC_UTF8);
}

size_t transcript_format_text(const struct tr_entry *e, enum esc_charset cs, struct buf *out)
{
	size_t w = format_head(e, cs, out);

	buf_puts(out, "  ");
	w += 2;
	w += esc_display(out, e->data, e->len, cs);
	w += format_cut(e, out);
	return w;
}

void transcript_format_lines(const struct tr_entry *e, enum esc_charset cs, struct buf *out)
{
	const unsigned char *d = e->data;
	size_t pos = 0, n = e->len;

	format_head(e, cs, out);
	buf_puts(out, "  ");
	while (pos < n) {
		size_t eol = pos, end;

		while (eol < n && d[eol] != '\n')
			eol++;
		end = eol;
		if (end > pos && end < n && d[end - 1] == '\r')
			end--; /* CRLF: the CR belongs to the break */
		esc_display(out, d + pos, end - pos, cs);
		if (eol >= n)
			break;
		pos = eol + 1;
		if (pos < n)
			buf_puts(out, "\n    ");
	}
	format_cut(e, out);
}

void transcript_format_hex(const struct tr_entry *e, enum esc_charset cs, struct buf *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t off, i;

	format_head(e, cs, out);
	buf_printf(out, "  ");
	buf_printf(out, P_("(%zu byte)", "(%zu bytes)", e->orig_len), e->orig_len);
	format_cut(e, out);
	buf_putc(out, '\n');
	for (off = 0; off < e->len; off += 16) {
		char line[128];
		size_t n = e->len - off < 16 ? e->len - off : 16, p;

		p = (size_t)snprintf(line, sizeof(line), "%04zx ", off);
		for (i = 0; i < 16; i++) {
			if (i == 8)
				line[p++] = ' ';
			if (i < n) {
				line[p++] = ' ';
				line[p++] = hex[e->data[off + i] >> 4];
				line[p++] = hex[e->data[off + i] & 15];
			} else {
				line[p++] = ' ';
				line[p++] = ' ';
				line[p++] = ' ';
			}
		}
		line[p++] = ' ';
		line[p++] = ' ';
		line[p++] = '|';
		for (i = 0; i < n; i++) {
			unsigned char c = e->data[off + i];

			line[p++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
		}
		line[p++] = '|';
		line[p++] = '\n';
		buf_append(out, line, p);
	}
}
