/* transcript.h - the bounded, timestamped event log of one endpoint.
 *
 * A ring of entries bounded both by count and by bytes (label + data): when
 * a new entry does not fit, the oldest ones go. Entries keep the RAW bytes
 * that came from or went to a peer, and raw peer labels (a Unix abstract
 * name may hold any byte); whoever displays them escapes them, with
 * transcript_format_text() / transcript_format_hex() or escape.h directly.
 *
 * Ownership: entries belong to the transcript. A pointer returned by
 * transcript_get()/transcript_add() stays valid until the next
 * transcript_add() (which may evict it) or transcript_free(). Entries are
 * numbered by seq (1, 2, 3...): seq never repeats, so a pane can remember
 * "the entry at the top of my view" as a seq across additions. */
#ifndef SOCKVIEW_TRANSCRIPT_H
#define SOCKVIEW_TRANSCRIPT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "escape.h"

enum tr_kind {
	TR_CONNECT,    /* a peer connected (or a client's connection completed) */
	TR_DISCONNECT, /* a peer went away; data holds the reason as text */
	TR_RECV,       /* bytes received from the peer */
	TR_SEND,       /* bytes sent to the peer */
	TR_ERROR,      /* something failed; data holds the message */
	TR_INFO,       /* anything else worth telling; data holds the message */
	TR_NKINDS
};

/* Defaults used when transcript_new() gets 0. */
#define TRANSCRIPT_DEFAULT_ENTRIES 2000
#define TRANSCRIPT_DEFAULT_BYTES (1024 * 1024)

struct tr_entry {
	uint64_t seq;        /* 1 for the first entry ever added */
	int64_t wall_ms;     /* CLOCK_REALTIME in ms, for display */
	int64_t mono_ms;     /* clock_now_ms(), for ages and ordering */
	enum tr_kind kind;
	const char *peer;    /* raw label, NUL-terminated ("" when none) */
	size_t peer_len;
	const unsigned char *data; /* raw bytes kept (NUL-terminated too) */
	size_t len;          /* bytes kept */
	size_t orig_len;     /* bytes the event had; > len when it was cut */
};

struct transcript;

/* A transcript keeping at most max_entries entries and max_bytes bytes of
 * labels and data (0: the defaults). An entry larger than max_bytes is cut
 * to it (orig_len tells). Never NULL (allocation failure is fatal). */
struct transcript *transcript_new(size_t max_entries, size_t max_bytes);
void transcript_free(struct transcript *t);
/* From now on keeps at most n bytes of each new entry's data (orig_len
 * still tells how many the event had); 0: only the byte bound cuts. The
 * shown entries are formatted again at every redraw, so a bulky event
 * costs time as well as memory. */
void transcript_set_entry_max(struct transcript *t, size_t n);

/* Appends an event, stamping it with both clocks and evicting old entries
 * as needed. peer may be NULL; peer_len and len are the raw lengths. Returns
 * the new entry. */
const struct tr_entry *transcript_add(struct transcript *t, enum tr_kind kind,
				      const char *peer, size_t peer_len,
				      const void *data, size_t len);
/* The same with a printf-formatted message as data (a translated text). */
const struct tr_entry *transcript_addf(struct transcript *t, enum tr_kind kind,
				       const char *peer, size_t peer_len,
				       const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
const struct tr_entry *transcript_vaddf(struct transcript *t, enum tr_kind kind,
					const char *peer, size_t peer_len,
					const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/* Removes every entry (seq keeps counting). */
void transcript_clear(struct transcript *t);

/* Entries held now; entry i (0 = oldest) or NULL when out of range. */
size_t transcript_count(const struct transcript *t);
const struct tr_entry *transcript_get(const struct transcript *t, size_t i);
/* Seq of the oldest entry held (the next seq when empty): the entry with
 * seq s is at index s - transcript_first_seq(t). */
uint64_t transcript_first_seq(const struct transcript *t);
/* Entries dropped so far to keep the bounds. */
uint64_t transcript_evicted(const struct transcript *t);
/* Bytes of labels and data held now (never above the byte bound). */
size_t transcript_bytes(const struct transcript *t);

/* A short fixed symbol for the kind: "+" connect, "-" disconnect, "<" recv,
 * ">" send, "!" error, "*" info. */
const char *transcript_kind_symbol(enum tr_kind kind);
/* The translated name of the kind ("connect", "received"...). */
const char *transcript_kind_name(enum tr_kind kind);

/* Appends the entry's local wall-clock time as "HH:MM:SS.mmm". */
void transcript_format_time(const struct tr_entry *e, struct buf *out);

/* Appends one line of safe text for the entry: time, symbol, escaped peer
 * label, escaped data (newlines shown as \n), and a note when bytes were
 * not kept. No trailing newline. Returns the display width appended. */
size_t transcript_format_text(const struct tr_entry *e, enum esc_charset cs,
			      struct buf *out);

/* Appends the entry as text lines: the data split at its line breaks (a
 * CR before LF is part of the break), the first line after the head, the
 * others on lines of their own ('\n'-separated, indented by 4), every
 * other control byte still escaped. An HTTP reply reads as it is written.
 * No trailing newline. */
void transcript_format_lines(const struct tr_entry *e, enum esc_charset cs, struct buf *out);

/* Appends the entry as a hex dump: a header line (time, symbol, escaped
 * label, byte count), then lines "0000  68 65 6c ...  |hel...|" of 16 bytes
 * whose right column shows printable ASCII only. Lines end with '\n'. */
void transcript_format_hex(const struct tr_entry *e, enum esc_charset cs, struct buf *out);

#endif
