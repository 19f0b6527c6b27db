/* fuzz_diag_parse.c - libFuzzer target for the sock_diag parser.
 *
 * Build: ./configure CC=clang --enable-fuzzing --enable-sanitizers && make
 *        tests/fuzz_diag_parse
 * Run:   tests/fuzz_diag_parse -max_total_time=60 CORPUS_DIR tests/fixtures
 * The input is one byte choosing the protocol, then a stream of netlink
 * messages (the recorded fixtures, minus that byte, are good seeds). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag_parse.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot snap;
	struct diag_parser p;
	size_t off = 0, len;
	char *buf;
	int r = 1;

	if (size < 1)
		return 0;
	len = size - 1;
	/* netlink buffers are aligned; an exact-size copy lets ASan see any
	 * read past the end */
	buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, len);
	snapshot_init(&snap);
	diag_parser_init(&p, &snap, data[0] % SP_NPROTO, 0, 0);
	p.udiag_show = data[0] & 0x80 ? 0 : p.udiag_show;
	while (r == 1 && off < len) {
		r = diag_parse(&p, buf + off, len - off);
		off += p.consumed;
		if (r == 0 && off < len) {
			/* several dumps back to back, as in a recording */
			diag_parser_init(&p, &snap, data[0] % SP_NPROTO, 0, 0);
			r = 1;
		}
	}
	snapshot_finish(&snap);
	for (size_t i = 0; i < snap.n; i++)
		if (snap.socks[i].name_len > SOCK_NAME_MAX)
			abort();
	snapshot_free(&snap);
	free(buf);
	return 0;
}
