/* fuzz_filter_file.c - fuzz target: what -F makes of a file's bytes
 * (options_filter_text), then the filter language on the result.
 *
 * Properties: an accepted text holds no control byte (line breaks became
 * spaces), keeps its length and is at most the limit; a refused one gets a
 * NUL-terminated message; either way the filter parser takes the accepted
 * text without crashing and with a NUL-terminated error. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "fuzz.h"
#include "lineedit.h"
#include "options_ss.h"
#include "xalloc.h"

/* Longer inputs only test the length check again and again. */
#define FUZZ_FILE_MAX (LINEEDIT_TEXT_MAX + 64)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_CTYPE, "C.UTF-8");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512], *b;
	struct filter_error fe;
	struct filter *f;

	if (size > FUZZ_FILE_MAX)
		size = FUZZ_FILE_MAX;
	b = xmalloc(size + 1);
	memcpy(b, data, size);
	b[size] = '\0';
	memset(err, 0x5a, sizeof(err));
	if (options_filter_text(b, size, LINEEDIT_TEXT_MAX, "f", err, sizeof(err)) < 0) {
		if (strnlen(err, sizeof(err)) == sizeof(err) || !err[0])
			fuzz_fail("error message empty or not NUL-terminated", err, sizeof(err));
		free(b);
		return 0;
	}
	if (size > LINEEDIT_TEXT_MAX)
		fuzz_fail("a text over the limit was accepted", data, size);
	for (size_t i = 0; i < size; i++)
		if ((unsigned char)b[i] < 0x20 || b[i] == 0x7f)
			fuzz_fail("a control byte was accepted", data, size);
	if (strlen(b) != size)
		fuzz_fail("the accepted text lost bytes", data, size);
	f = filter_parse(b, &fe);
	if (!f && strnlen(fe.msg, sizeof(fe.msg)) == sizeof(fe.msg))
		fuzz_fail("filter error not NUL-terminated", data, size);
	filter_free(f);
	free(b);
	return 0;
}
