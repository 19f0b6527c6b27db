/* netns.c - network namespaces by name. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "netns.h"

#define NETNS_DIR "/run/netns"

int netns_enter(const char *name, char *err, size_t errlen)
{
	char path[4096];
	int fd, saved;

	if (snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, name) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		snprintf(err, errlen, _("network namespace '%s': name too long"), name);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		if (saved == ENOENT)
			snprintf(err, errlen,
				 _("network namespace '%s' not found (no %s; see 'ip netns list')"),
				 name, path);
		else
			snprintf(err, errlen, _("network namespace '%s': %s"), name, strerror(saved));
		errno = saved;
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		saved = errno;
		snprintf(err, errlen,
			 saved == EPERM ? _("network namespace '%s': permission denied (entering a namespace needs CAP_SYS_ADMIN)")
					: _("network namespace '%s': cannot enter it"),
			 name);
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}
