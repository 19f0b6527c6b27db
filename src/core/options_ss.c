/* options_ss.c - trailing filter words, -F FILE, and the ss-parity rules. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "lineedit.h"
#include "options.h"
#include "options_ss.h"
#include "xalloc.h"

void options_free(struct options *o)
{
	if (!o)
		return;
	free(o->filter_buf);
	o->filter_buf = NULL;
}

/* Reads at most max + 1 bytes of fd into a new buffer; *len gets the count.
 * Returns NULL with errno on a read error. */
static char *read_bounded(int fd, size_t max, size_t *len)
{
	char *b = xmalloc(max + 2);
	size_t n = 0;

	while (n < max + 1) {
		ssize_t r = read(fd, b + n, max + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';
	*len = n;
	return b;
}

int options_filter_text(char *b, size_t len, size_t max, const char *path, char *err,
			size_t errlen)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c == '\n' || c == '\r' || c == '\t') {
			b[i] = ' ';
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(err, errlen, _("the filter file '%s' is not text: byte 0x%02x at offset %zu"),
				 path, c, i);
			return -1;
		}
	}
	if (len > max) {
		snprintf(err, errlen, _("the filter file '%s' is too long: a filter expression has at most %zu bytes"),
			 path, max);
		return -1;
	}
	return 0;
}

char *options_read_filter_file(const char *path, size_t max, char *err, size_t errlen)
{
	bool in = !strcmp(path, "-");
	int fd = in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	size_t len = 0;
	char *b;

	if (fd < 0) {
		snprintf(err, errlen, _("cannot read the filter file '%s': %s"), path,
			 strerror(errno));
		return NULL;
	}
	/* O_NONBLOCK only so that opening a FIFO cannot hang; reading it then
	 * waits for its writer, as any reader of a FIFO does */
	if (!in)
		(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	b = read_bounded(fd, max, &len);
	if (!b) {
		snprintf(err, errlen, _("cannot read the filter file '%s': %s"), path,
			 strerror(errno));
		if (!in)
			close(fd);
		return NULL;
	}
	if (!in)
		close(fd);
	if (options_filter_text(b, len, max, path, err, errlen) < 0) {
		free(b);
		return NULL;
	}
	return b;
}

/* The trailing words joined with single spaces, or NULL if too long. */
static char *join_words(int n, char **w, size_t max, size_t *len)
{
	size_t total = 0;
	char *b;

	for (int i = 0; i < n; i++)
		total += strlen(w[i]) + (i ? 1 : 0);
	*len = total;
	if (total > max)
		return NULL;
	b = xmalloc(total + 1);
	b[0] = '\0';
	total = 0;
	for (int i = 0; i < n; i++) {
		size_t k = strlen(w[i]);

		if (i)
			b[total++] = ' ';
		memcpy(b + total, w[i], k);
		total += k;
	}
	b[total] = '\0';
	return b;
}

int options_ss_finish(struct options *o, int nargs, char **args, char *err, size_t errlen)
{
	if (nargs > 0 && (o->filter || o->filter_file)) {
		snprintf(err, errlen,
			 _("a filter expression after the options ('%s'...) and %s together: give the filter once"),
			 args[0], o->filter ? "-f" : "-F");
		return -1;
	}
	if (o->filter && o->filter_file) {
		snprintf(err, errlen, _("-f and -F together: give the filter once"));
		return -1;
	}
	if (nargs > 0) {
		size_t len;

		o->filter_buf = join_words(nargs, args, LINEEDIT_TEXT_MAX, &len);
		if (!o->filter_buf) {
			snprintf(err, errlen, _("filter expression too long: %zu bytes, at most %d"),
				 len, LINEEDIT_TEXT_MAX);
			return -1;
		}
		o->filter = o->filter_buf;
	} else if (o->filter_file) {
		o->filter_buf = options_read_filter_file(o->filter_file, LINEEDIT_TEXT_MAX,
							 err, errlen);
		if (!o->filter_buf)
			return -1;
		o->filter = o->filter_buf;
	}
	if (o->kill && o->summary) {
		snprintf(err, errlen, _("-K and -s together: choose one"));
		return -1;
	}
	if (o->kill && (!o->filter || !o->filter[strspn(o->filter, " ")])) {
		snprintf(err, errlen,
			 _("-K destroys what the filter selects and refuses to run without one (e.g. sockview -K -t 'dport = :8080')"));
		return -1;
	}
	if (o->kill || o->summary)
		o->once = true;
	return 0;
}
