/* fuzz_procnet.c - fuzz target: the /proc/net/raw{,6} parser
 * (src/source/procnet.h) and the batch writers over what it took.
 *
 * Input: byte 0 chooses the file (even: raw, IPv4; odd: raw6), the rest is
 * its text. Properties: no read outside the buffer (an exact-size heap
 * copy, for ASan); every record is a raw socket of that family, read from
 * /proc, in a state the kernel has, found by its own key; records plus
 * skipped lines never exceed the lines given; table, CSV and JSON output
 * of the records is safe text and the JSON is valid. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "escape.h"
#include "fuzz.h"
#include "output.h"
#include "procnet.h"
#include "snapshot.h"
#include "xalloc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_CTYPE, "C.UTF-8");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum out_format fmts[] = { FMT_TABLE, FMT_CSV, FMT_JSON };
	struct snapshot snap;
	struct procnet_stats st = { 0 };
	struct buf out = BUF_INIT;
	const struct sock **rows;
	size_t n, lines = 0;
	int family;
	char *text;

	if (size < 1)
		return 0;
	family = data[0] % 2 ? AF_INET6 : AF_INET;
	n = size - 1;
	text = xmalloc(n ? n : 1);
	memcpy(text, data + 1, n);
	for (size_t i = 0; i < n; i++)
		lines += text[i] == '\n';
	if (n && text[n - 1] != '\n')
		lines++;
	snapshot_init(&snap);
	if (procnet_raw_parse(text, n, family, &snap, &st) != snap.n || st.records != snap.n)
		fuzz_fail("records counted wrong", data, size);
	if (st.records + st.skipped > lines)
		fuzz_fail("more records and skipped lines than lines", data, size);
	free(text);
	snapshot_finish(&snap);
	for (size_t i = 0; i < snap.n; i++) {
		const struct sock *s = &snap.socks[i];

		if (s->proto != SP_RAW || s->family != family || s->source != SOCK_SRC_PROC)
			fuzz_fail("record of another kind", s, sizeof(*s));
		if (s->state == 0 || s->state >= SS_MAX_)
			fuzz_fail("state the kernel does not have", s, sizeof(*s));
		if (!snapshot_find(&snap, &s->key))
			fuzz_fail("record not found by its own key", s, sizeof(*s));
	}
	rows = xcalloc(snap.n ? snap.n : 1, sizeof(*rows));
	for (size_t i = 0; i < snap.n && i < 256; i++)
		rows[i] = &snap.socks[i];
	for (size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++) {
		struct output_ctx ctx = { fmts[f], ESC_UTF8, NULL };

		buf_reset(&out);
		output_format(&out, &ctx, rows, snap.n < 256 ? snap.n : 256);
		if (fmts[f] == FMT_JSON)
			fuzz_check_json("JSON output", out.data, out.len);
		fuzz_check_safe("output", out.data, out.len, false, true);
	}
	buf_free(&out);
	free(rows);
	snapshot_free(&snap);
	return 0;
}
