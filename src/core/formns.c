/* formns.c - the form's network namespace field (formns.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "formns.h"
#include "i18n.h"
#include "netns.h"

void formns_fill(struct formns *f, const struct nstab *t, uint32_t shown)
{
	size_t own = 0;

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; t && i < t->n; i++) {
		if (f->n == FORMNS_MAX) {
			f->more = t->n - i;
			break;
		}
		f->v[f->n++] = t->v[i];
	}
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].current) {
			own = i;
			break;
		}
	f->def = own;
	for (size_t i = 0; shown && i < f->n; i++)
		if (f->v[i].ino == shown) {
			f->def = i;
			break;
		}
	f->cur = f->def;
}

bool formns_offered(const struct formns *f)
{
	return f->n > 1;
}

void formns_step(struct formns *f, int dir)
{
	if (f->n < 2)
		return;
	f->cur = (f->cur + (dir < 0 ? f->n - 1 : 1)) % f->n;
}

const struct nstab_ent *formns_chosen(const struct formns *f)
{
	return f->n ? &f->v[f->cur < f->n ? f->cur : 0] : NULL;
}

bool formns_is_own(const struct formns *f)
{
	const struct nstab_ent *e = formns_chosen(f);

	return !e || e->current;
}

size_t formns_label(const struct formns *f, size_t i, char *dst, size_t len)
{
	if (i >= f->n) {
		if (len)
			dst[0] = '\0';
		return 0;
	}
	return nstab_label(&f->v[i], dst, len);
}

/* Does nothing: entering the namespace and coming back is the test. */
static int nothing(void *arg)
{
	(void)arg;
	return 0;
}

int formns_open(const struct formns *f, int *fd, char *err, size_t errlen)
{
	const struct nstab_ent *e = formns_chosen(f);
	char label[FORMNS_LABEL_MAX];
	int nsfd, en;

	*fd = -1;
	if (!e || e->current)
		return 0;
	nstab_label(e, label, sizeof(label));
	nsfd = netns_open_entry(e);
	if (nsfd < 0) {
		en = errno;
		if (en == ENOENT)
			snprintf(err, errlen,
				 _("Namespace: %s no longer exists (deleted, or its processes "
				   "ended): choose another"), label);
		else if (en == EACCES || en == EPERM)
			snprintf(err, errlen,
				 _("Namespace: %s cannot be opened: permission denied (needs "
				   "CAP_SYS_ADMIN)"), label);
		else
			snprintf(err, errlen, _("Namespace: %s cannot be opened: %s"), label,
				 strerror(en));
		errno = en;
		return -1;
	}
	if (netns_run_in(nsfd, nothing, NULL) < 0) {
		en = errno;
		close(nsfd);
		if (en == EPERM)
			snprintf(err, errlen,
				 _("Namespace: %s cannot be entered: permission denied (needs "
				   "CAP_SYS_ADMIN)"), label);
		else
			snprintf(err, errlen, _("Namespace: %s cannot be entered: %s"), label,
				 strerror(en));
		errno = en;
		return -1;
	}
	*fd = nsfd;
	return 0;
}
