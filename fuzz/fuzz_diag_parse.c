/* fuzz_diag_parse.c - fuzz target: the sock_diag parser (src/diag_parse.h)
 * and the batch writers fed with what it parsed (src/output.h).
 *
 * Input: byte 0 chooses the protocol of the dump (mod SP_NPROTO: 0 tcp,
 * 1 udp, 2 raw, 3 unix, 4 packet, 5 netlink, 6 mptcp), byte 1
 * how it is fed (see the MODE_ bits), the rest is reply datagrams as
 * recorded in tests/fixtures/ (fuzz/corpus/diag_parse/ starts from them).
 * Properties: the parser never reads outside its buffer (each datagram is an
 * exact-size heap copy for ASan), never reports consuming more than it was
 * given, keeps every record sane (protocol, name length); and table, CSV and
 * JSON output of those records is safe text (no control but '\n', valid
 * UTF-8, ASCII only in the C locale) and the JSON is valid, whatever names
 * the bytes carry. Process names come from the input too. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "diag_parse.h"
#include "escape.h"
#include "fuzz.h"
#include "output.h"
#include "procmap.h"
#include "snapshot.h"
#include "xalloc.h"

#define MODE_SPLIT 0x01u  /* one datagram per netlink message, not one in all */
#define MODE_SEQ 0x02u    /* expect sequence number 1 (others are stale) */
#define MODE_PORTID 0x04u /* expect port id 1 */
#define MODE_SHOW 0x08u   /* Unix: take udiag_show from the high nibble */
#define MODE_PROCS 0x10u  /* map records to processes named by input bytes */

/* Output of more records only repeats itself; keep inputs fast. */
#define MAX_OUTPUT_ROWS 256

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_CTYPE, "C.UTF-8");
	return 0;
}

/* Length of the next datagram at p when splitting by messages: the
 * message's aligned length if it is plausible, else everything left. */
static size_t next_dgram(const uint8_t *p, size_t n)
{
	uint32_t l;

	if (n < 16)
		return n;
	memcpy(&l, p, sizeof(l));
	l = (l + 3u) & ~3u;
	return l >= 16 && l <= n ? l : n;
}

static void check_records(const struct snapshot *snap, unsigned proto)
{
	for (size_t i = 0; i < snap->n; i++) {
		const struct sock *s = &snap->socks[i];

		if (s->proto != proto || s->key.proto != proto)
			fuzz_fail("record of another protocol", s, sizeof(*s));
		/* (name shares its storage with the TCP fields: Unix only) */
		if (proto == SP_UNIX && sock_x(s)->name_len > SOCK_NAME_MAX)
			fuzz_fail("name longer than sun_path", s, sizeof(*s));
		if (proto == SP_UNIX && s->family != AF_UNIX)
			fuzz_fail("Unix record of another family", s, sizeof(*s));
		if (proto == SP_PACKET && s->family != AF_PACKET)
			fuzz_fail("packet record of another family", s, sizeof(*s));
		if (proto == SP_NETLINK && s->family != AF_NETLINK)
			fuzz_fail("netlink record of another family", s, sizeof(*s));
		if (proto == SP_NETLINK && (s->has & SOCK_HAS_GROUPS) &&
		    sock_x(s)->nl.ngroups % 32)
			fuzz_fail("netlink groups not in whole words", s, sizeof(*s));
		if (proto != SP_UNIX && proto != SP_PACKET && proto != SP_NETLINK &&
		    s->family != AF_INET && s->family != AF_INET6)
			fuzz_fail("inet record of another family", s, sizeof(*s));
		if (snapshot_find(snap, &s->key) == NULL)
			fuzz_fail("record not found by its own key", s, sizeof(*s));
	}
}

static void check_output(const struct snapshot *snap, const struct procmap *pm)
{
	size_t n = snap->n < MAX_OUTPUT_ROWS ? snap->n : MAX_OUTPUT_ROWS;
	const struct sock **rows = xcalloc(n ? n : 1, sizeof(*rows));
	static const enum out_format fmts[] = { FMT_TABLE, FMT_CSV, FMT_JSON };
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		rows[i] = &snap->socks[i];
	for (size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++) {
		for (int cs = ESC_ASCII; cs <= ESC_UTF8; cs++) {
			struct output_ctx ctx = { fmts[f], (enum esc_charset)cs, pm };

			buf_reset(&out);
			output_format(&out, &ctx, rows, n);
			if (fmts[f] == FMT_JSON) {
				fuzz_check_json("JSON output", out.data, out.len);
				fuzz_check_safe("JSON output", out.data, out.len, false, true);
			} else {
				fuzz_check_safe(fmts[f] == FMT_CSV ? "CSV output" : "table output",
						out.data, out.len, cs == ESC_ASCII, true);
			}
		}
	}
	buf_free(&out);
	free(rows);
}

/* Gives each record with an inode an owner whose name is 15 input bytes. */
static struct procmap *make_procmap(const struct snapshot *snap, const uint8_t *d, size_t n)
{
	struct procmap *pm = procmap_new();

	for (size_t i = 0; i < snap->n && n; i++) {
		int32_t pid = (int32_t)(i % 5) + 1;
		size_t off = (i * 15) % n;
		size_t len = n - off < 15 ? n - off : 15;

		procmap_set_proc(pm, pid, (const char *)d + off, len, 0);
		procmap_add_owner(pm, snap->socks[i].inode, pid, (int32_t)i + 3);
	}
	return pm;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot snap;
	struct diag_parser p;
	struct procmap *pm = NULL;
	unsigned proto, mode;
	size_t off = 2;
	int r = 1;

	if (size < 2)
		return 0;
	proto = data[0] % SP_NPROTO;
	mode = data[1];
	snapshot_init(&snap);
	diag_parser_init(&p, &snap, proto, mode & MODE_SEQ ? 1 : 0, mode & MODE_PORTID ? 1 : 0);
	if (mode & MODE_SHOW)
		p.udiag_show = mode >> 4;
	while (r == 1 && off < size) {
		size_t n = mode & MODE_SPLIT ? next_dgram(data + off, size - off) : size - off;
		void *dg = xmalloc(n ? n : 1);

		memcpy(dg, data + off, n);
		r = diag_parse(&p, dg, n);
		free(dg);
		if (p.consumed > n)
			fuzz_fail("consumed more than the datagram", data, size);
		if (r < 0 && errno != EBADMSG)
			fuzz_fail("parse failed with an errno other than EBADMSG", data, size);
		if (r == 0 && !p.done)
			fuzz_fail("dump ended without done", data, size);
		off += r == 1 ? n : p.consumed;
	}
	if (r == 0) {
		uint32_t word = 0;

		/* A finished dump takes nothing more. */
		if (diag_parse(&p, &word, sizeof(word)) != -1 || errno != EINVAL)
			fuzz_fail("a finished dump accepted another datagram", data, size);
	}
	snapshot_finish(&snap);
	check_records(&snap, proto);
	if (mode & MODE_PROCS)
		pm = make_procmap(&snap, data + 2, size - 2);
	check_output(&snap, pm);
	procmap_free(pm);
	snapshot_free(&snap);
	return 0;
}
