/* service.c - a socket's service (see service.h). */
#include "config.h"

#include "cgsvc.h"
#include "service.h"

#define SERVICE_OWNERS 16

const char *service_of_cgroup(const struct sock *s, const struct procmap *pm, size_t *len,
			      unsigned *kind)
{
	const char *l = NULL;

	*len = 0;
	if (kind)
		*kind = 0;
	if (!pm || !(s->has & SOCK_HAS_CGROUP) || !s->cgroup_id)
		return NULL;
	if (!cgsvc_get(procmap_cgsvc_get(pm), s->cgroup_id, &l, len, kind) || !*len)
		return NULL;
	return l;
}

const char *service_of_sock(const struct sock *s, const struct procmap *pm, size_t *len,
			    unsigned *kind)
{
	struct proc_owner o[SERVICE_OWNERS];
	const char *l = service_of_cgroup(s, pm, len, kind);
	uint32_t inode = sock_owner_inode(s);
	size_t n;

	if (l || !pm || !inode)
		return l;
	n = procmap_owners(pm, inode, o, SERVICE_OWNERS);
	if (n > SERVICE_OWNERS)
		n = SERVICE_OWNERS;
	for (size_t i = 0; i < n; i++) {
		l = procmap_service(pm, o[i].pid, len, kind);
		if (l)
			return l;
	}
	*len = 0;
	if (kind)
		*kind = 0;
	return NULL;
}
