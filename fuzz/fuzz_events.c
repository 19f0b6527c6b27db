/* fuzz_events.c - fuzz target: destroy messages (src/source/destroy.h) into
 * events (src/model/events.h) and out as NDJSON and lines (evout.h).
 *
 * The input is a series of datagrams: a byte for the multicast group, two
 * for the length (little-endian), then that many bytes, as the kernel's
 * destroy groups would hand them over. Properties, for any bytes:
 *  - nothing reads outside a datagram (ASan), nothing crashes;
 *  - every event object is valid JSON with no raw control byte;
 *  - every human line is safe for a terminal;
 *  - a socket dies once, however often its message is repeated. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dgroup.h"
#include "events.h"
#include "evout.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		fuzz_fail("no C.UTF-8 locale", "", 0);
	return 0;
}

struct input {
	const uint8_t *p;
	size_t n;
};

static ssize_t next_dgram(void *ctx, void *buf, size_t len, unsigned *group)
{
	struct input *in = ctx;
	size_t dl;

	if (in->n < 3) {
		errno = EAGAIN;
		return -1;
	}
	*group = in->p[0] % 6; /* SKNLGRP_* and one past */
	dl = (size_t)in->p[1] | (size_t)in->p[2] << 8;
	in->p += 3;
	in->n -= 3;
	if (dl > in->n)
		dl = in->n;
	/* netlink buffers are aligned: copy, as recv would */
	memcpy(buf, in->p, dl < len ? dl : len);
	in->p += dl;
	in->n -= dl;
	return (ssize_t)dl;
}

struct state {
	struct ev_tracker *t;
	struct buf out;
	size_t deaths;
};

static void on_event(void *ctx, const struct ev_event *e)
{
	struct state *st = ctx;

	if (e->kind == EV_GONE)
		st->deaths++;
	buf_reset(&st->out);
	evout_json(&st->out, e, 1764945601123LL, NULL);
	fuzz_check_json("event JSON", st->out.data, st->out.len);
	fuzz_check_safe("event JSON", st->out.data, st->out.len, false, false);
	buf_reset(&st->out);
	evout_line(&st->out, e, 1764945601123LL, ESC_UTF8);
	fuzz_check_safe("event line", st->out.data, st->out.len, false, false);
	buf_reset(&st->out);
	evout_line(&st->out, e, -1, ESC_ASCII);
	fuzz_check_safe("event line (ASCII)", st->out.data, st->out.len, true, false);
}

static void on_dying(void *ctx, const struct sock *rec)
{
	struct state *st = ctx;

	ev_tracker_destroyed(st->t, rec, 1000);
	/* the same message again: no second death */
	ev_tracker_destroyed(st->t, rec, 1001);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct state st = { NULL, BUF_INIT, 0 };
	struct destroy *d;
	int r;

	st.t = ev_tracker_new(NULL, on_event, &st);
	d = destroy_new_fake(next_dgram, &in);
	do {
		r = destroy_read(d, 64, on_dying, &st);
	} while (r > 0 || (r == 0 && in.n >= 3));
	if (st.deaths > (size_t)size)
		fuzz_fail("more deaths than bytes", data, size);
	destroy_free(d);
	ev_tracker_free(st.t);
	buf_free(&st.out);
	return 0;
}
