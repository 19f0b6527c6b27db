/* keyin.c - terminal bytes to key events. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "keyin.h"
#include "keys.h"
#include "utf8.h"
#include "xalloc.h"

/* A CSI sequence longer than this is not one: its Esc is a key. */
#define CSI_MAX 64
/* The longest terminal key string kept (keyin_define). */
#define DEF_MAX 32

struct keydef {
	char seq[DEF_MAX];
	size_t n;
	int key;
};

struct keyin {
	bool utf8;
	unsigned char *buf; /* bytes fed: [off, len) not decoded yet */
	size_t off, len, cap;
	size_t flushed; /* keyin_flush: bytes up to here are complete as they stand */
	struct keydef *defs;
	size_t ndefs;
	/* button 1: pressed at (px, py); the last click, for double clicks */
	bool down, clicked;
	int px, py, cx, cy;
	int64_t click_at;
};

/* Result of decoding one item at the front of the bytes. */
enum dec {
	DEC_MORE,  /* cut short: wait for more bytes */
	DEC_EVENT, /* an event, *used bytes */
	DEC_DROP,  /* *used bytes that make no event (an unknown sequence) */
};

struct keyin *keyin_new(bool utf8)
{
	struct keyin *k = xcalloc(1, sizeof(*k));

	k->utf8 = utf8;
	return k;
}

void keyin_free(struct keyin *k)
{
	if (!k)
		return;
	free(k->buf);
	free(k->defs);
	free(k);
}

void keyin_define(struct keyin *k, const char *seq, int key)
{
	size_t n;

	if (!seq || seq[0] != 0x1b)
		return;
	n = strlen(seq);
	if (n < 2 || n >= DEF_MAX)
		return;
	k->defs = xreallocarray(k->defs, k->ndefs + 1, sizeof(*k->defs));
	memcpy(k->defs[k->ndefs].seq, seq, n);
	k->defs[k->ndefs].n = n;
	k->defs[k->ndefs].key = key;
	k->ndefs++;
}

void keyin_feed(struct keyin *k, const void *bytes, size_t n)
{
	if (!n)
		return;
	/* decoded bytes are dropped here, once per feed, never per event:
	 * a large paste costs one pass over its bytes */
	if (k->off) {
		memmove(k->buf, k->buf + k->off, k->len - k->off);
		k->len -= k->off;
		k->flushed = k->flushed > k->off ? k->flushed - k->off : 0;
		k->off = 0;
	}
	if (k->len + n > k->cap) {
		size_t cap = k->cap ? k->cap : 256;

		while (cap < k->len + n)
			cap *= 2;
		k->buf = xreallocarray(k->buf, cap, 1);
		k->cap = cap;
	}
	memcpy(k->buf + k->len, bytes, n);
	k->len += n;
}

size_t keyin_pending(const struct keyin *k)
{
	return k->len - k->off;
}

bool keyin_partial(const struct keyin *k)
{
	return k->off < k->len && k->buf[k->off] == 0x1b;
}

void keyin_flush(struct keyin *k)
{
	k->flushed = k->len;
}

static enum dec key(struct key_event *ev, int key, size_t n, size_t *used)
{
	ev->key = key;
	*used = n;
	return key == KC_NONE ? DEC_DROP : DEC_EVENT;
}

/* A mouse report: button byte b (xterm's encoding), cell (x, y) from 0. */
static enum dec mouse(struct keyin *k, unsigned b, int x, int y, bool release,
		      struct key_event *ev, int64_t now)
{
	bool double_click;

	ev->key = KC_MOUSE;
	ev->x = x < 0 ? 0 : x;
	ev->y = y < 0 ? 0 : y;
	if (b & 32)
		return DEC_DROP; /* motion */
	if (b & 64) {
		if (release || (b & 3) > 1)
			return DEC_DROP;
		ev->mouse = (b & 3) == 0 ? KM_WHEEL_UP : KM_WHEEL_DOWN;
		return DEC_EVENT;
	}
	if (!release) {
		if ((b & 3) == 0) {
			k->down = true;
			k->px = ev->x;
			k->py = ev->y;
		}
		return DEC_DROP;
	}
	/* a release: xterm's old encoding says 3, not which button */
	if (!k->down || ((b & 3) != 0 && (b & 3) != 3))
		return DEC_DROP;
	k->down = false;
	ev->x = k->px;
	ev->y = k->py;
	double_click = k->clicked && now - k->click_at <= KEYIN_DOUBLE_MS && k->cx == k->px &&
		       k->cy == k->py;
	ev->mouse = double_click ? KM_DOUBLE : KM_CLICK;
	k->clicked = !double_click;
	k->click_at = now;
	k->cx = k->px;
	k->cy = k->py;
	return DEC_EVENT;
}

/* The cursor keys and F1-F4, which CSI and SS3 sequences name by the
 * same final byte; KC_NONE for another byte. */
static int final_key(int f)
{
	switch (f) {
	case 'A': return KC_UP;
	case 'B': return KC_DOWN;
	case 'C': return KC_RIGHT;
	case 'D': return KC_LEFT;
	case 'H': return KC_HOME;
	case 'F': return KC_END;
	case 'P': return KC_F1;
	case 'Q': return KC_F2;
	case 'R': return KC_F3;
	case 'S': return KC_F4;
	default: return KC_NONE;
	}
}

/* The key of a CSI sequence with final byte f and first parameter a
 * (-1 if none); modifiers (the other parameters) are ignored. */
static int csi_key(int f, long a)
{
	if (f == 'Z')
		return KC_BTAB;
	if (f != '~')
		return final_key(f);
	switch (a) {
	case 1: case 7: return KC_HOME;
	case 4: case 8: return KC_END;
	case 3: return KC_DELETE;
	case 5: return KC_PGUP;
	case 6: return KC_PGDN;
	case 11: case 12: case 13: case 14: case 15:
		return KC_F1 + (int)(a - 11);
	case 17: case 18: case 19: case 20: case 21:
		return KC_F6 + (int)(a - 17);
	case 23: return KC_F11;
	case 24: return KC_F12;
	default: return KC_NONE;
	}
}

/* An SS3 sequence (Esc O f): cursor and function keys, and the keypad in
 * application mode as the characters on its keys. */
static int ss3_key(int f)
{
	static const char pad[] = "*+,-./0123456789"; /* Esc O j .. Esc O y */

	if (f == 'M')
		return KC_ENTER;
	if (f == 'X')
		return '=';
	if (f >= 'j' && f <= 'y')
		return pad[f - 'j'];
	return final_key(f);
}

/* Parses up to three numbers of an SGR mouse report "<b;x;y". */
static int sgr_params(const unsigned char *s, size_t n, long v[3])
{
	int i = 0;

	v[0] = v[1] = v[2] = 0;
	for (size_t j = 0; j < n; j++) {
		if (s[j] == ';') {
			if (++i > 2)
				return -1;
		} else if (s[j] >= '0' && s[j] <= '9') {
			if (v[i] < 100000)
				v[i] = v[i] * 10 + (s[j] - '0');
		} else {
			return -1;
		}
	}
	return i == 2 ? 0 : -1;
}

/* A sequence starting with Esc (p[0]), n bytes available. */
static enum dec escape(struct keyin *k, const unsigned char *p, size_t n, bool final,
		       struct key_event *ev, size_t *used, int64_t now)
{
	size_t best = 0, i;
	int best_key = KC_NONE;
	bool longer = false;

	for (size_t d = 0; d < k->ndefs; d++) {
		const struct keydef *kd = &k->defs[d];

		if (kd->n <= n && !memcmp(kd->seq, p, kd->n)) {
			if (kd->n > best) {
				best = kd->n;
				best_key = kd->key;
			}
		} else if (kd->n > n && !memcmp(kd->seq, p, n)) {
			longer = true;
		}
	}
	if (longer && !final)
		return DEC_MORE;
	if (best)
		return key(ev, best_key, best, used);
	if (n < 2)
		return final ? key(ev, KC_ESC, 1, used) : DEC_MORE;
	if (p[1] == 'O') {
		if (n < 3)
			return final ? key(ev, KC_ESC, 1, used) : DEC_MORE;
		return key(ev, ss3_key(p[2]), 3, used);
	}
	if (p[1] != '[')
		return key(ev, KC_ESC, 1, used); /* Alt-x: Esc, then x */
	/* CSI: parameter bytes, intermediate bytes, a final byte */
	i = 2;
	while (i < n && i < CSI_MAX && p[i] >= 0x30 && p[i] <= 0x3f)
		i++;
	while (i < n && i < CSI_MAX && p[i] >= 0x20 && p[i] <= 0x2f)
		i++;
	if (i >= CSI_MAX || (i < n && (p[i] < 0x40 || p[i] > 0x7e)))
		return key(ev, KC_ESC, 1, used); /* not a sequence */
	if (i >= n)
		return final ? key(ev, KC_ESC, 1, used) : DEC_MORE;
	if (p[i] == 'M' && i == 2) {
		/* xterm's mouse report: three bytes follow, each + 32 */
		if (n < 6)
			return final ? key(ev, KC_ESC, 1, used) : DEC_MORE;
		*used = 6;
		return mouse(k, (unsigned)(p[3] - 32) & 0xff, p[4] - 33, p[5] - 33, (p[3] & 3) == 3,
			     ev, now);
	}
	if (p[i] == '[' && i == 2) {
		/* the Linux console's F1-F5: Esc [ [ A .. Esc [ [ E */
		if (n < 4)
			return final ? key(ev, KC_ESC, 1, used) : DEC_MORE;
		return key(ev, p[3] >= 'A' && p[3] <= 'E' ? KC_F1 + (p[3] - 'A') : KC_NONE, 4, used);
	}
	if (p[2] == '<' && (p[i] == 'M' || p[i] == 'm')) {
		long v[3];

		*used = i + 1;
		if (sgr_params(p + 3, i - 3, v) < 0)
			return DEC_DROP;
		return mouse(k, (unsigned)v[0], (int)v[1] - 1, (int)v[2] - 1, p[i] == 'm', ev, now);
	}
	if (p[2] >= 0x3c && p[2] <= 0x3f)
		return key(ev, KC_NONE, i + 1, used); /* private: a report, not a key */
	{
		long a = -1;

		for (size_t j = 2; j < i && p[j] >= '0' && p[j] <= '9'; j++) {
			a = (a < 0 ? 0 : a) * 10 + (p[j] - '0');
			if (a > 1000)
				a = 1000;
		}
		return key(ev, csi_key(p[i], a), i + 1, used);
	}
}

/* A character from lead byte p[0] (0x80 and up), n bytes available. */
static enum dec text(struct keyin *k, const unsigned char *p, size_t n, bool final,
		     struct key_event *ev, size_t *used)
{
	size_t need, i, got;
	uint32_t cp;

	if (!k->utf8)
		return key(ev, KC_NONE, 1, used);
	need = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc0 ? 2 : 1;
	for (i = 1; i < need && i < n && (p[i] & 0xc0) == 0x80; i++)
		;
	if (i < need && i == n && !final)
		return DEC_MORE; /* the rest is on its way */
	got = utf8_decode((const char *)p, i, &cp);
	if (got)
		return key(ev, (int)cp, got, used);
	/* not UTF-8: one replacement character for the lead byte and the
	 * continuation bytes that followed it */
	return key(ev, 0xfffd, i, used);
}

/* Decodes one item at the front of p[0, n). */
static enum dec decode(struct keyin *k, const unsigned char *p, size_t n, bool final,
		       struct key_event *ev, size_t *used, int64_t now)
{
	memset(ev, 0, sizeof(*ev));
	switch (p[0]) {
	case 0x1b:
		return escape(k, p, n, final, ev, used, now);
	case '\r':
	case '\n':
		return key(ev, KC_ENTER, 1, used);
	case '\t':
		return key(ev, KC_TAB, 1, used);
	case 0x7f:
	case 0x08:
		return key(ev, KC_BACKSPACE, 1, used);
	default:
		break;
	}
	if (p[0] < 0x80)
		return key(ev, p[0], 1, used); /* NUL is KC_NONE: dropped */
	return text(k, p, n, final, ev, used);
}

bool keyin_next(struct keyin *k, struct key_event *ev, int64_t now)
{
	while (k->off < k->len) {
		size_t used = 0;
		enum dec d = decode(k, k->buf + k->off, k->len - k->off, k->flushed >= k->len, ev,
				    &used, now);

		if (d == DEC_MORE)
			return false;
		k->off += used;
		if (k->off == k->len) {
			k->off = k->len = 0;
			k->flushed = 0;
		}
		if (d == DEC_EVENT)
			return true;
	}
	return false;
}
