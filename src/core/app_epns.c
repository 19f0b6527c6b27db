/* app_epns.c - endpoints in a network namespace, the app's side
 * (app_epns.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app_epns.h"
#include "epman.h"
#include "escape.h"
#include "i18n.h"
#include "netns.h"
#include "pane.h"

const struct nstab_ent *app_epns_shown_entry(const struct app *a)
{
	if (!a->all_netns || !a->table.netns_only)
		return NULL;
	return nstab_find(a->table.ns, a->table.netns_only);
}

void app_epns_form_open(struct app *a, enum ep_kind kind, struct form_env *env)
{
	struct netns_list *l = NULL;
	struct epman_server last;

	env->netns_shown = a->all_netns ? a->table.netns_only : 0;
	/* a client's target is the newest server: so is its namespace */
	if (kind == EP_CLIENT && epman_last_server(a->panes.em, &last))
		env->netns_shown = last.netns_ino;
	if (a->all_netns && a->table.ns) {
		env->netns = a->table.ns; /* the N chooser's list */
	} else if (a->panes.netns_scan) {
		/* the same look as the chooser's, once, and let go at once:
		 * holding the namespaces open would keep them alive */
		l = netns_list_new("/proc", "/run/netns");
		env->netns = netns_list_refresh(l) == 0 ? netns_list_table(l) : NULL;
	}
	form_open(&a->panes.form, kind, env);
	netns_list_free(l);
}

int app_epns_form_config(struct app *a, struct endpoint_config *cfg)
{
	char err[512];
	int fd;

	cfg->in_netns = false;
	cfg->netns_fd = -1;
	if (formns_open(&a->panes.form.ns, &fd, err, sizeof(err)) < 0) {
		form_netns_error(&a->panes.form, err);
		return -1;
	}
	if (fd >= 0) {
		cfg->in_netns = true;
		cfg->netns_fd = fd;
	}
	return 0;
}

int app_epns_shown(const struct app *a, struct endpoint_config *cfg, char *err, size_t errlen)
{
	const struct nstab_ent *e;

	cfg->in_netns = false;
	cfg->netns_fd = -1;
	if (!a->all_netns || !a->table.netns_only)
		return 0;
	e = nstab_find(a->table.ns, a->table.netns_only);
	if (e && e->current)
		return 0;
	cfg->netns_fd = e ? netns_open_entry(e) : -1;
	if (cfg->netns_fd < 0) {
		int en = e ? errno : ENOENT;

		snprintf(err, errlen, _("network namespace netns:[%u]: %s"),
			 (unsigned)a->table.netns_only, strerror(en));
		errno = en;
		return -1;
	}
	cfg->in_netns = true;
	return 0;
}

/* True if the table shows the sockets of the namespace of entry e (NULL:
 * sockview's own). */
static bool table_shows(const struct app *a, const struct nstab_ent *e)
{
	bool own = !e || e->current;

	if (!a->all_netns)
		return own; /* only sockview's own is dumped */
	if (!a->table.netns_only)
		return true;
	if (own) {
		const struct nstab_ent *s = nstab_find(a->table.ns, a->table.netns_only);

		return s && s->current;
	}
	return a->table.netns_only == e->ino;
}

void app_epns_opened(struct app *a, struct pane *p, const struct nstab_ent *e, struct buf *msg)
{
	size_t n = 0;

	p->netns_len = 0;
	p->netns_ino = e && !e->current ? e->ino : 0;
	if (e && (!e->current || a->netns))
		n = nstab_label(e, p->netns, sizeof(p->netns));
	else if (a->netns)
		n = (size_t)snprintf(p->netns, sizeof(p->netns), "%s", a->netns);
	if (n >= sizeof(p->netns))
		n = sizeof(p->netns) - 1;
	p->netns_len = n;
	if (n && msg) {
		buf_puts(msg, " ");
		buf_puts(msg, _("in network namespace"));
		buf_puts(msg, " ");
		esc_display(msg, p->netns, n, a->cs);
	}
	if (table_shows(a, e))
		return;
	/* the new sockets would not be in the table: show every namespace
	 * (as N does), with the Netns column */
	a->all_netns = true;
	a->table.columns |= COL_BIT(COL_NETNS);
	a->table.netns_only = 0;
	table_refilter(&a->table, false);
	if (msg)
		buf_puts(msg, _("; the table now shows every namespace (N chooses one)"));
}
