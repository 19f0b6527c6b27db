/* histfile.c - the filter history kept between runs. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_hist.h"
#include "histfile.h"
#include "lineedit.h"
#include "safefile.h"
#include "buf.h"

#define HISTFILE_DIR "sockview"
#define HISTFILE_NAME "filter-history"

bool histfile_path(char *out, size_t len)
{
	return safefile_xdg_path(out, len, "XDG_STATE_HOME", ".local/state",
				 HISTFILE_DIR "/" HISTFILE_NAME);
}

/* The history file is small: APP_HISTORY lines of at most a line editor's
 * text. A larger file is not ours to load whole. */
#define HISTFILE_MAX (1u << 20)

int histfile_load(struct filter_hist *h, const char *path)
{
	struct buf b;
	int added = 0;

	buf_init(&b, HISTFILE_MAX + 1);
	if (safefile_read(path, HISTFILE_MAX, &b) < 0) {
		int e = errno;

		buf_free(&b);
		errno = e;
		return e == ENOENT ? 0 : -1;
	}
	for (size_t at = 0; at < b.len;) {
		const char *line = b.data + at;
		const char *nl = memchr(line, '\n', b.len - at);
		size_t n = nl ? (size_t)(nl - line) : b.len - at;

		at += n + 1;
		/* too long for the line editor, or a NUL that would cut it:
		 * skipped, not cut */
		if (n == 0 || n >= LINEEDIT_MAX || memchr(line, '\0', n))
			continue;
		{
			char text[LINEEDIT_MAX];

			memcpy(text, line, n);
			text[n] = '\0';
			filter_hist_add(h, text);
			added++;
		}
	}
	buf_free(&b);
	return added;
}

int histfile_save(const struct filter_hist *h, const char *path)
{
	size_t n = filter_hist_len(h);
	struct buf b;
	int rc, e;

	buf_init(&b, 0);
	/* oldest first, so that loading adds them in the order they came */
	for (size_t i = n; i-- > 0;) {
		const char *t = filter_hist_get(h, i);

		if (t && !strpbrk(t, "\r\n"))
			buf_printf(&b, "%s\n", t);
	}
	rc = safefile_replace(path, b.data ? b.data : "", b.len);
	e = errno;
	buf_free(&b);
	errno = e;
	return rc;
}
