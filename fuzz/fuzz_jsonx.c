/* fuzz_jsonx.c - fuzz target: the JSON string extractor (src/util/jsonx.h)
 * that reads container runtimes' state files (src/source/runtime.h).
 *
 * The input is one document. Properties, for any bytes:
 *  - every lookup stays inside the span it is given (ASan), ends, and a
 *    value found is a sub-span of its parent;
 *  - a decoded string is NUL-terminated at its length, shorter than the
 *    buffer, and never longer than its JSON text;
 *  - the lookups runtime.c makes (Docker's "Name", Podman's list, an OCI
 *    spec's annotations) and an array walk give consistent answers;
 *  - a decoded string escaped for the terminal is safe (escape.h). */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "escape.h"
#include "fuzz.h"
#include "jsonx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void inside(struct jsonx parent, struct jsonx v, const uint8_t *data, size_t size)
{
	if (v.p < parent.p || v.p + v.n > parent.p + parent.n || !v.n)
		fuzz_fail("jsonx: value outside its parent", data, size);
}

static void check_string(struct jsonx v, const uint8_t *data, size_t size)
{
	char out[256];
	size_t len = 12345;
	struct buf b = BUF_INIT;

	if (jsonx_string(v, out, sizeof(out), &len) < 0) {
		if (len != 0)
			fuzz_fail("jsonx_string: failed with a length", data, size);
		return;
	}
	if (len >= sizeof(out) || out[len] != '\0')
		fuzz_fail("jsonx_string: not terminated at its length", data, size);
	/* \uXXXX (6 bytes) gives at most 3 bytes; a pair (12) 4 */
	if (len + 2 > v.n)
		fuzz_fail("jsonx_string: longer than its text", data, size);
	esc_display(&b, out, len, ESC_UTF8);
	fuzz_check_safe("jsonx string", b.data ? b.data : "", b.len, false, false);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "Name", "id", "names", "annotations",
					    "io.kubernetes.cri.container-name", "nerdctl/name" };
	static const char *const path[] = { "annotations", "nerdctl/name" };
	struct jsonx doc = jsonx_doc((const char *)data, size), v, el, sub;
	char out[64];
	size_t pos = 0, len, n = 0;

	if (doc.p < (const char *)data || doc.p + doc.n > (const char *)data + size)
		fuzz_fail("jsonx_doc: outside the input", data, size);
	check_string(doc, data, size);
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		if (jsonx_member(doc, keys[k], &v) == 0) {
			inside(doc, v, data, size);
			check_string(v, data, size);
		}
	}
	if (jsonx_path_string(doc, path, 2, out, sizeof(out), &len) == 0 &&
	    (len >= sizeof(out) || out[len]))
		fuzz_fail("jsonx_path_string: not terminated", data, size);
	while (jsonx_next(doc, &pos, &el) == 0) {
		size_t npos = 0;

		inside(doc, el, data, size);
		if (++n > size)
			fuzz_fail("jsonx_next: more elements than bytes", data, size);
		check_string(el, data, size);
		if (jsonx_member(el, "names", &sub) == 0 && jsonx_next(sub, &npos, &v) == 0) {
			inside(sub, v, data, size);
			check_string(v, data, size);
		}
	}
	return 0;
}
