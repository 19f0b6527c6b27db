/* histfile.c - the filter history kept between runs. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filter_hist.h"
#include "histfile.h"
#include "lineedit.h"

#define HISTFILE_DIR "sockview"
#define HISTFILE_NAME "filter-history"

bool histfile_path(char *out, size_t len)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (state && state[0] == '/')
		n = snprintf(out, len, "%s/" HISTFILE_DIR "/" HISTFILE_NAME, state);
	else if (home && home[0] == '/')
		n = snprintf(out, len, "%s/.local/state/" HISTFILE_DIR "/" HISTFILE_NAME, home);
	else
		return false;
	return n > 0 && (size_t)n < len;
}

int histfile_load(struct filter_hist *h, const char *path)
{
	char line[LINEEDIT_MAX + 2];
	int fd, added = 0;
	FILE *f;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	{
		struct stat st;

		/* a FIFO or a device would block or never end */
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			errno = EINVAL;
			return -1;
		}
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -1;
	}
	for (;;) {
		size_t n = 0;
		bool nul = false, long_line = false;
		int c;

		while ((c = getc(f)) != EOF && c != '\n') {
			if (c == '\0')
				nul = true;
			if (n + 1 < sizeof(line))
				line[n++] = (char)c;
			else
				long_line = true;
		}
		if (c == EOF && n == 0 && !long_line)
			break;
		line[n] = '\0';
		/* too long for the line editor, or a NUL that would cut it:
		 * skipped, not cut */
		if (!nul && !long_line && n < LINEEDIT_MAX && n > 0) {
			filter_hist_add(h, line);
			added++;
		}
		if (c == EOF)
			break;
	}
	fclose(f);
	return added;
}

/* Makes the directory of path (one level, 0700) if it is missing. */
static int make_dir_of(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash || slash == path)
		return 0;
	n = (size_t)(slash - path);
	if (n >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, n);
	dir[n] = '\0';
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return 0;
	if (errno == ENOENT) {
		/* ~/.local/state itself may be missing: make the parents too */
		char *p = dir + 1;

		while ((p = strchr(p, '/'))) {
			*p = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST)
				return -1;
			*p++ = '/';
		}
		if (mkdir(dir, 0700) == 0 || errno == EEXIST)
			return 0;
	}
	return -1;
}

int histfile_save(const struct filter_hist *h, const char *path)
{
	char tmp[4200];
	size_t n = filter_hist_len(h);
	int fd, e;
	FILE *f;

	if (make_dir_of(path) < 0)
		return -1;
	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return -1;
	}
	/* oldest first, so that loading adds them in the order they came */
	for (size_t i = n; i-- > 0;) {
		const char *t = filter_hist_get(h, i);

		if (t && !strpbrk(t, "\r\n"))
			fprintf(f, "%s\n", t);
	}
	if (fflush(f) != 0 || ferror(f)) {
		e = errno;
		fclose(f);
		unlink(tmp);
		errno = e;
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}
