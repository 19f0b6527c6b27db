/* safefile.c - reading and replacing a user's own small files safely. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safefile.h"

int safefile_read(const char *path, size_t max, struct buf *out)
{
	size_t start = out->len;
	struct stat st;
	int fd, e;

	/* O_NONBLOCK: a FIFO put there must not hang us before fstat() */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if ((unsigned long long)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	for (;;) {
		char chunk[4096];
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		/* the file may grow while we read it */
		if (out->len - start + (size_t)n > max) {
			errno = EFBIG;
			goto fail;
		}
		if (buf_append(out, chunk, (size_t)n) < 0)
			goto fail;
	}
	close(fd);
	return 0;
fail:
	e = errno;
	close(fd);
	out->len = start;
	errno = e;
	return -1;
}

/* Makes the directories leading to path (mode 0700) where missing. */
static int make_dirs_for(const char *path)
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
	if (errno != ENOENT)
		return -1;
	for (char *p = dir + 1; (p = strchr(p, '/')); *p++ = '/') {
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int safefile_replace(const char *path, const void *data, size_t len)
{
	char tmp[4200];
	int fd, e;

	if (make_dirs_for(path) < 0)
		return -1;
	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* a leftover of ours from a crash may be there; anything else of
	 * that name (a planted symlink) makes O_EXCL fail, as it should */
	(void)unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

bool safefile_xdg_path(char *out, size_t len, const char *env, const char *home_rel,
		       const char *rel)
{
	const char *base = getenv(env);
	const char *home = getenv("HOME");
	int n;

	if (base && base[0] == '/')
		n = snprintf(out, len, "%s/%s", base, rel);
	else if (home && home[0] == '/')
		n = snprintf(out, len, "%s/%s/%s", home, home_rel, rel);
	else
		return false;
	return n > 0 && (size_t)n < len;
}
