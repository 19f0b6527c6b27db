/* fuzz_cgroup.c - fuzz target: the /proc/PID/cgroup parser (src/model/cgroup.h).
 *
 * Properties, for any bytes:
 *  - cgroup_parse() returns a known kind, and the one it stored;
 *  - the label is NUL-terminated at its length, shorter than
 *    CGROUP_LABEL_MAX, empty exactly for CG_NONE;
 *  - a container's id is 64 lower-case hex digits, and its short form
 *    is what the label shows;
 *  - the label escaped for the terminal is safe (escape.h). */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "cgroup.h"
#include "escape.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cgroup_info cg;
	struct buf out = BUF_INIT;
	int k = cgroup_parse((const char *)data, size, &cg);

	if (k != cg.kind || k < CG_NONE || k > CG_K8S)
		fuzz_fail("cgroup_parse: kind out of range", data, size);
	if (cg.len >= CGROUP_LABEL_MAX || cg.label[cg.len] != '\0')
		fuzz_fail("cgroup_parse: label not terminated at its length", data, size);
	if ((k == CG_NONE) != (cg.len == 0))
		fuzz_fail("cgroup_parse: empty label and CG_NONE disagree", data, size);
	if (cg.id[0]) {
		if (strlen(cg.id) != 64 || strspn(cg.id, "0123456789abcdef") != 64)
			fuzz_fail("cgroup_parse: bad container id", data, size);
		if (k >= CG_DOCKER && !memmem(cg.label, cg.len, cg.id, CGROUP_ID_SHORT))
			fuzz_fail("cgroup_parse: label lacks the short id", data, size);
	}
	esc_display(&out, cg.label, cg.len, ESC_UTF8);
	fuzz_check_safe("cgroup label", out.data ? out.data : "", out.len, false, false);
	buf_free(&out);
	return 0;
}
