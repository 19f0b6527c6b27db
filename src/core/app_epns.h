/* app_epns.h - endpoints in a network namespace: the app's side (no
 * curses). The form offers the namespaces (formns.h) and opens the
 * endpoint in the one chosen; the state lab opens in the namespace the
 * table shows; a pane made elsewhere than sockview's own namespace says
 * which in its title (pane.h: netns); and when the table would not show
 * the new endpoint's namespace, it turns to every namespace. */
#ifndef SOCKVIEW_APP_EPNS_H
#define SOCKVIEW_APP_EPNS_H

#include <stddef.h>

#include "app.h"
#include "form.h"

/* Opens the form (form_open) with the namespaces to offer: the N
 * chooser's list when every namespace is dumped, else a fresh look at
 * /run/netns and /proc when a->panes.netns_scan allows it (the live view;
 * tests leave it off). The default is the namespace shown, or for a
 * client the newest server's (its target). */
void app_epns_form_open(struct app *a, enum ep_kind kind, struct form_env *env);

/* Sets cfg's namespace from the form's choice (formns_open). Returns 0,
 * or -1 with the reason shown in the form (Namespace focused). The caller
 * closes cfg->netns_fd when cfg->in_netns. */
int app_epns_form_config(struct app *a, struct endpoint_config *cfg);

/* Sets cfg's namespace to the one the table shows (N), if it is not
 * sockview's own. Returns 0, or -1 with errno and a translated reason in
 * err if it is gone. The caller closes cfg->netns_fd when cfg->in_netns. */
int app_epns_shown(const struct app *a, struct endpoint_config *cfg, char *err,
		   size_t errlen);

/* After pane p was opened in the namespace of entry e (NULL: sockview's
 * own): labels the pane, and turns the table to every namespace when it
 * would not show that one. Appends to msg (escaped, for the message line)
 * what the user should know: " in network namespace X", and that the
 * table now shows every namespace. */
struct pane;
void app_epns_opened(struct app *a, struct pane *p, const struct nstab_ent *e, struct buf *msg);

/* The table's entry of the namespace it shows (N), or NULL (sockview's
 * own, or every namespace). */
const struct nstab_ent *app_epns_shown_entry(const struct app *a);

#endif
