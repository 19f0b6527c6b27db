/* recdir.c - safe files for --record-dump (recdir.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "recdir.h"

/* The directory through fd is safe (recdir.h); else errno EPERM and why. */
static int dir_safe(int fd, char *why, size_t whylen)
{
	struct stat st;
	uid_t me = geteuid();

	if (fstat(fd, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, whylen, _("not a directory"));
		errno = ENOTDIR;
		return -1;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
		snprintf(why, whylen,
			 _("others can write to this directory and it has no sticky bit: they could plant links there"));
		errno = EPERM;
		return -1;
	}
	if (st.st_uid != me && st.st_uid != 0) {
		snprintf(why, whylen, _("the directory belongs to another user (uid %u)"),
			 (unsigned)st.st_uid);
		errno = EPERM;
		return -1;
	}
	return 0;
}

int recdir_check(const char *dir, char *why, size_t whylen)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r, saved;

	if (fd < 0) {
		saved = errno;
		snprintf(why, whylen, "%s", strerror(saved));
		errno = saved;
		return -1;
	}
	r = dir_safe(fd, why, whylen);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

int recdir_open_file(const char *dir, const char *name)
{
	char why[160];
	struct stat st;
	int dfd, fd, saved;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	if (dir_safe(dfd, why, sizeof(why)) < 0) {
		saved = errno;
		close(dfd);
		errno = saved;
		return -1;
	}
	fd = openat(dfd, name, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (fd < 0 && errno == EEXIST) {
		/* ours from an earlier refresh, or planted: look before use
		 * (O_NONBLOCK: a planted FIFO must not block us) */
		fd = openat(dfd, name,
			    O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
				st.st_uid != geteuid() || st.st_nlink != 1)) {
			close(fd);
			fd = -1;
			errno = EEXIST;
		}
	}
	saved = errno;
	close(dfd);
	errno = saved;
	return fd;
}
