/* nsopen.c - a namespace file, checked before it is opened (nsopen.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "i18n.h"
#include "nsopen.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

const char *nsopen_type_name(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO: return _("a FIFO");
	case S_IFDIR: return _("a directory");
	case S_IFREG: return _("a regular file");
	case S_IFSOCK: return _("a socket");
	case S_IFCHR: return _("a character device");
	case S_IFBLK: return _("a block device");
	case S_IFLNK: return _("a symbolic link");
	default: return _("a file of unknown type");
	}
}

int nsopen(const char *path, char *why, size_t whylen)
{
	struct stat st, st2;
	struct statfs sf;
	int pfd, fd, saved;

	/* O_PATH: no open() of the file itself, so a FIFO cannot block us
	 * and a device sees nothing; we only learn what it is. */
	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	if (fstat(pfd, &st) < 0 || fstatfs(pfd, &sf) < 0) {
		saved = errno;
		close(pfd);
		errno = saved;
		return -1;
	}
	close(pfd);
	if ((unsigned long)sf.f_type != NSFS_MAGIC) {
		if (S_ISREG(st.st_mode))
			snprintf(why, whylen,
				 _("it is a regular file, not a namespace (nothing is mounted on it: was the namespace deleted?)"));
		else
			snprintf(why, whylen, _("it is %s, not a namespace file (ip netns add makes those)"),
				 nsopen_type_name((unsigned)st.st_mode));
		errno = EINVAL;
		return -1;
	}
	/* A namespace file; open it for real. O_NONBLOCK all the same: it
	 * could have been swapped for a FIFO since, and then we notice below. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st2) < 0 || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino) {
		close(fd);
		snprintf(why, whylen, _("it changed while it was being opened"));
		errno = EINVAL;
		return -1;
	}
	return fd;
}
