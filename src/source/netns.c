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
#include "nsopen.h"

#define NETNS_DIR "/run/netns"

int netns_enter(const char *name, char *err, size_t errlen)
{
	char path[4096], why[256];
	int fd, saved;

	if (snprintf(path, sizeof(path), "%s/%s", NETNS_DIR, name) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		snprintf(err, errlen, _("network namespace '%s': name too long"), name);
		return -1;
	}
	fd = nsopen(path, why, sizeof(why));
	if (fd < 0) {
		saved = errno;
		if (saved == EINVAL) /* not a namespace: say what it is */
			snprintf(err, errlen, _("network namespace '%s': %s: %s"), name, path, why);
		else if (saved == ENOENT)
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
			 : saved == EINVAL ? _("network namespace '%s': a namespace file, but not of a network namespace")
					   : _("network namespace '%s': cannot enter it"),
			 name);
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}
