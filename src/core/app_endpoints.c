/* app_endpoints.c - the app's side of the test endpoints: the panes, their
 * focus, the new endpoint form and who holds a port (SPEC §7). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "app_epns.h"
#include "epman.h"
#include "i18n.h"
#include "pane.h"

void app_set_probe(struct app *a, app_probe_fn fn, void *ctx)
{
	a->panes.probe = fn;
	a->panes.probe_ctx = ctx;
}

void app_set_epman(struct app *a, struct epman *em)
{
	a->panes.em = em;
	a->panes.focus = PANE_NONE;
	app_sync_endpoints(a);
}

struct pane *app_focused_pane(const struct app *a)
{
	if (!a->panes.em || a->panes.focus == PANE_NONE)
		return NULL;
	return epman_pane(a->panes.em, a->panes.focus);
}

bool app_sync_endpoints(struct app *a)
{
	struct ownset now;
	uint64_t fp;

	if (a->panes.focus != PANE_NONE && a->panes.focus >= epman_count(a->panes.em))
		a->panes.focus = PANE_NONE;
	/* a state lab step wants its socket selected once the table has it */
	for (size_t i = 0, n = epman_count(a->panes.em); i < n; i++) {
		struct pane *p = epman_pane(a->panes.em, i);
		uint32_t ino = p ? endpoint_take_select(p->ep) : 0;

		if (ino) {
			a->panes.pending_waits = 0;
			a->panes.pending_inode = ino;
			a->panes.pending_nsocks = 1;
			return true;
		}
	}
	/* this runs at every loop pass, with hundreds of clients maybe */
	fp = epman_collect_fp(a->panes.em);
	if (a->panes.own_fp_ok && fp == a->panes.own_fp)
		return false;
	a->panes.own_fp = fp;
	a->panes.own_fp_ok = true;
	ownset_init(&now);
	epman_collect(a->panes.em, &now);
	if (ownset_equal(&now, &a->table.own)) {
		ownset_free(&now);
		return false;
	}
	ownset_copy(&a->table.own, &now);
	ownset_free(&now);
	table_own_changed(&a->table);
	return true;
}

/* Selects the socket with inode (of a pane with nsocks sockets); messages
 * say why not. */
static unsigned select_inode(struct app *a, uint32_t inode, unsigned tag, size_t nsocks,
			     int64_t now)
{
	size_t i;

	a->panes.pending_inode = 0;
	if (table_find_inode_row(&a->table, inode, &i)) {
		table_select_index(&a->table, i);
		if (nsocks > 1)
			app_message(a, false, now, _("selected a socket of pane [%u] (inode %u): F7 "
						     "again selects the next one"), tag, inode);
		else
			app_message(a, false, now, _("selected the socket of pane [%u] (inode %u)"),
				    tag, inode);
		return APP_REDRAW;
	}
	if (a->table.have_snap && snapshot_find_inode(app_snapshot(a), inode)) {
		app_message(a, true, now, _("the socket (inode %u) is hidden by the toggles, "
					    "filter or search"), inode);
		return APP_REDRAW;
	}
	/* opened since the last refresh: select it when the table has it */
	a->panes.pending_waits = 0;
	a->panes.pending_inode = inode;
	a->panes.pending_nsocks = nsocks;
	app_message(a, false, now, _("the socket (inode %u) is not in the table yet: it will be "
				     "selected after the refresh"), inode);
	return APP_REDRAW | APP_REFRESH;
}

unsigned app_show_socket(struct app *a, int64_t now)
{
	struct pane *p = app_focused_pane(a);
	uint32_t small[64], inode;
	size_t n;

	if (!p) {
		app_message(a, true, now, "%s", _("F7 selects a pane's socket: Tab moves the focus "
						  "to a pane first"));
		return APP_REDRAW;
	}
	n = endpoint_inodes(p->ep, small, 64);
	if (!n) {
		app_message(a, true, now, "%s", _("this endpoint has no socket open"));
		return APP_REDRAW;
	}
	if (n > 64)
		n = 64;
	inode = small[p->sock_cursor % n];
	p->sock_cursor++;
	a->panes.zoom = false;
	return select_inode(a, inode, p->id, n, now);
}

static const char *pane_private_dir(void *ctx, char *err, size_t errlen)
{
	return epman_private_dir(ctx, err, errlen);
}

unsigned app_open_form(struct app *a, enum ep_kind kind)
{
	struct form_env env;
	struct epman_server last;

	memset(&env, 0, sizeof(env));
	env.private_dir = pane_private_dir;
	env.ctx = a->panes.em;
	if (epman_last_server(a->panes.em, &last)) {
		env.have_last = true;
		env.last_transport = last.transport;
		env.last_addr = last.addr;
	}
	a->panes.kind_cur = (size_t)kind;
	app_epns_form_open(a, kind, &env);
	a->panes.holder_pending = false;
	return app_set_mode(a, MODE_FORM);
}

/* How many refreshes the form's "in use" error waits for the table to
 * name the holder (a new socket, a process the scan has not read yet). */
#define APP_HOLDER_TRIES 3

/* The form's "in use" error with who holds the address, from the table.
 * Returns true when it waits for another refresh. */
static bool holder_error(struct app *a)
{
	struct buf b = BUF_INIT;
	enum form_holder h;

	buf_puts(&b, a->panes.holder_base);
	buf_puts(&b, ": ");
	h = form_describe_holder(a->table.have_snap ? app_snapshot(a) : NULL, a->table.pm, &a->table.own,
				 a->panes.form.transport, &a->panes.holder_addr, &b);
	if (h != FORM_HOLDER_NAMED && a->panes.probe &&
	    a->panes.probe(a->panes.probe_ctx, a->panes.form.transport, &a->panes.holder_addr, &a->panes.probe_snap) == 0) {
		/* the table's filter or toggles may hide the holder: ask anew */
		struct buf pb = BUF_INIT;
		enum form_holder h2;

		h2 = form_describe_holder(&a->panes.probe_snap, a->table.pm, &a->table.own, a->panes.form.transport,
					  &a->panes.holder_addr, &pb);
		if (h2 > h) {
			b.len = strlen(a->panes.holder_base) + 2;
			buf_append(&b, pb.data, pb.len);
			h = h2;
		}
		buf_free(&pb);
	}
	if (h == FORM_HOLDER_NONE)
		buf_puts(&b, _("its holder is not in the table yet (refreshing)"));
	snprintf(a->panes.form.err, sizeof(a->panes.form.err), "%s", b.data ? b.data : "");
	buf_free(&b);
	a->panes.holder_pending = h != FORM_HOLDER_NAMED && a->panes.holder_tries++ < APP_HOLDER_TRIES;
	return a->panes.holder_pending;
}

unsigned app_submit_form(struct app *a, int64_t now)
{
	struct endpoint_config cfg;
	struct pane *p;
	char err[512];
	int e;

	a->panes.holder_pending = false;
	for (int tries = 0;; tries++) {
		if (form_config(&a->panes.form, &cfg) < 0)
			return APP_REDRAW;
		if (app_epns_form_config(a, &cfg) < 0)
			return APP_REDRAW;
		p = epman_open(a->panes.em, &cfg, err, sizeof(err));
		if (cfg.in_netns)
			close(cfg.netns_fd);
		/* our suggestion was taken meanwhile (another program bound
		 * it since): suggest again, a few times */
		if (p || errno != EADDRINUSE || tries >= 3 || !form_retry_port(&a->panes.form))
			break;
	}
	if (!p) {
		e = errno;
		form_set_error(&a->panes.form, e, err);
		/* who holds it: a port, or a Unix path that is a socket in use
		 * (a file or a directory there has no holder to look for) */
		if (e == EADDRINUSE ||
		    (e == EEXIST && !a->panes.form.stale_offer &&
		     endpoint_path_is_socket(epaddr_path(&cfg.addr)))) {
			snprintf(a->panes.holder_base, sizeof(a->panes.holder_base), "%s", err);
			a->panes.holder_addr = cfg.addr;
			a->panes.holder_tries = 0;
			/* look again once the table is fresh */
			if (holder_error(a))
				return APP_REDRAW | APP_REFRESH;
		}
		return APP_REDRAW;
	}
	a->mode = MODE_TABLE;
	/* a client is opened to type into; a server to watch, so the keys
	 * stay with the table ("n" then "5" opens its client) */
	a->panes.focus = endpoint_kind(p->ep) == EP_CLIENT ? epman_count(a->panes.em) - 1
							  : PANE_NONE;
	a->panes.zoom = false;
	a->panes.hidden = false;
	app_sync_endpoints(a);
	{
		struct buf t = BUF_INIT;

		endpoint_title(p->ep, a->cs, &t);
		app_epns_opened(a, p, formns_chosen(&a->panes.form.ns), &t);
		app_message(a, false, now, _("opened [%u] %s"), p->id, t.data ? t.data : "");
		/* the title is escaped already */
		a->msg_escaped = true;
		buf_free(&t);
	}
	return APP_REDRAW | APP_REFRESH;
}

unsigned app_close_pane(struct app *a, int64_t now)
{
	struct pane *p = app_focused_pane(a);
	unsigned id;
	size_t n;

	if (!p) {
		app_message(a, true, now, "%s", epman_count(a->panes.em)
						 ? _("F8 closes the focused pane: Tab moves the focus to one")
						 : _("no pane to close: n or F2 opens an endpoint"));
		return APP_REDRAW;
	}
	id = p->id;
	epman_close(a->panes.em, a->panes.focus);
	n = epman_count(a->panes.em);
	if (!n)
		a->panes.focus = PANE_NONE;
	else if (a->panes.focus >= n)
		a->panes.focus = n - 1;
	a->panes.zoom = false;
	app_sync_endpoints(a);
	app_message(a, false, now, _("closed pane [%u] and its sockets"), id);
	return APP_REDRAW | APP_REFRESH;
}

unsigned app_move_focus(struct app *a, bool next, int64_t now)
{
	size_t n = epman_count(a->panes.em);

	a->mode = MODE_TABLE;
	if (!n) {
		app_message(a, false, now, "%s", a->panes.em ? _("no panes yet: n or F2 opens an endpoint")
						       : _("no endpoints"));
		return APP_REDRAW;
	}
	a->panes.hidden = false; /* moving the focus shows them again */
	/* the cycle: table, pane 0, pane 1, ..., table */
	if (a->panes.focus == PANE_NONE)
		a->panes.focus = next ? 0 : n - 1;
	else if (next)
		a->panes.focus = a->panes.focus + 1 < n ? a->panes.focus + 1 : PANE_NONE;
	else
		a->panes.focus = a->panes.focus > 0 ? a->panes.focus - 1 : PANE_NONE;
	if (a->panes.focus == PANE_NONE)
		a->panes.zoom = false;
	return APP_REDRAW;
}

unsigned app_pane_toggle(struct app *a, enum action act, int64_t now)
{
	struct pane *p = app_focused_pane(a);

	if (!p) {
		app_message(a, true, now, "%s", act == ACT_ZOOM
				     ? _("the full-screen key works on a pane: Tab moves the focus to one")
				     : _("the hex view key works on a pane: Tab moves the focus to one"));
		return APP_REDRAW;
	}
	if (act == ACT_ZOOM) {
		a->panes.zoom = !a->panes.zoom;
	} else if (act == ACT_LINES) {
		p->lines = !p->lines;
		pane_scroll_end(p);
		app_message(a, false, now, "%s", p->lines ? _("text lines view (hex view: Ctrl-X)")
							  : _("escaped stream view"));
	} else {
		p->hex = !p->hex;
		pane_scroll_end(p);
		app_message(a, false, now, "%s", p->hex ? _("hex view") : _("text view"));
	}
	return APP_REDRAW;
}

/* Asks first while any pane is open, live or closed: its transcript would
 * be lost with it. */
unsigned app_ask_quit(struct app *a)
{
	if (epman_count(a->panes.em)) {
		a->prompt = PROMPT_QUIT;
		return APP_REDRAW;
	}
	return APP_QUIT;
}

/* How many refreshes a pending selection waits for its socket to show up
 * in the snapshot at all. */
#define APP_PENDING_TRIES 3

/* Runs after each new snapshot: pending selections and form errors that
 * waited for the table. */
void app_endpoints_after_refresh(struct app *a, int64_t now)
{
	if (a->panes.pending_inode) {
		size_t i;
		uint32_t inode = a->panes.pending_inode;

		if (table_find_inode_row(&a->table, inode, &i)) {
			unsigned tag = 0;

			ownset_find(&a->table.own, inode, &tag);
			select_inode(a, inode, tag, a->panes.pending_nsocks, now);
			a->panes.pending_inode = 0;
		} else if (!a->table.have_snap || snapshot_find_inode(app_snapshot(a), inode) ||
			   a->panes.pending_waits++ >= APP_PENDING_TRIES) {
			a->panes.pending_inode = 0;
		}
		/* else a dump that began before the socket was made: the
		 * next one has it */
	}
	if (a->panes.holder_pending && a->mode == MODE_FORM)
		holder_error(a);
	else
		a->panes.holder_pending = false;
}


/* Keys while a pane has the focus (in the table mode). */
/* Enter in a client pane whose connection ended: the first press says so
 * and offers, the second connects again and sends the line kept. */
static unsigned reconnect(struct app *a, struct pane *p, int64_t now)
{
	unsigned r;

	if (a->panes.reconnect_offer != p->id) {
		a->panes.reconnect_offer = p->id;
		app_message(a, false, now, "%s",
			    _("the connection has ended: Enter again connects again and sends "
			      "the line"));
		return APP_REDRAW;
	}
	a->panes.reconnect_offer = 0;
	if (endpoint_reconnect(p->ep) < 0) {
		app_message(a, true, now, _("cannot connect again: %s"), strerror(errno));
		return APP_REDRAW;
	}
	epman_sync(a->panes.em);
	app_sync_endpoints(a);
	if (!endpoint_accepts_input(p->ep)) {
		/* refused at once (nothing listens there now): the pane's
		 * transcript says why, the line stays */
		app_message(a, true, now, _("pane [%u]: could not connect again (see its transcript)"),
			    p->id);
		return APP_REDRAW;
	}
	/* connecting (or connected): the kept line goes out once it can */
	r = pane_key(p, KC_ENTER);
	if (r & PANE_SENT)
		epman_sync(a->panes.em);
	app_message(a, false, now, _("pane [%u]: connecting again"), p->id);
	return APP_REDRAW | APP_REFRESH;
}

/* Ctrl-D on an empty line of a client pane: half-close, as a shell's
 * end of file. */
static unsigned half_close(struct app *a, struct pane *p, int64_t now)
{
	if (endpoint_shutdown_write(p->ep) == 0) {
		epman_sync(a->panes.em);
		app_message(a, false, now, _("pane [%u]: sending side shut (half-close); what "
					     "the server sends still arrives"), p->id);
		return APP_REDRAW | APP_REFRESH;
	}
	app_message(a, true, now, _("pane [%u]: no half-close: %s"), p->id,
		    errno == EAGAIN ? _("bytes still wait to be sent")
		    : errno == EALREADY ? _("the sending side is shut already")
		    : errno == EOPNOTSUPP ? _("only a stream client can half-close")
					  : _("not connected"));
	return APP_REDRAW;
}

/* Ctrl-P in a client pane: the line typed names a file whose bytes are
 * sent ("put"), a piece at a time as the connection takes them. */
static unsigned send_file(struct app *a, struct pane *p, int64_t now)
{
	char err[256];

	if (endpoint_send_file(p->ep, p->in.text, err, sizeof(err)) == 0) {
		lineedit_clear(&p->in);
		epman_sync(a->panes.em);
		return APP_REDRAW | APP_REFRESH;
	}
	app_message(a, true, now, _("pane [%u]: file not sent: %s"), p->id, err);
	return APP_REDRAW;
}

unsigned app_pane_key(struct app *a, struct pane *p, int key, int64_t now)
{
	enum action act;
	unsigned r;

	if (key == KC_ESC) {
		/* back to the table */
		return app_focus(a, PANE_NONE);
	}
	if (key != KC_ENTER)
		a->panes.reconnect_offer = 0;
	if (pane_has_input(p)) {
		if (key == KC_CTRL('d') && p->in.len == 0 && endpoint_kind(p->ep) == EP_CLIENT &&
		    endpoint_lab(p->ep) == EP_LAB_NONE)
			return half_close(a, p, now);
		if (key == KC_CTRL('p') && p->in.len > 0 && endpoint_kind(p->ep) == EP_CLIENT)
			return send_file(a, p, now);
		act = keys_input_action(key);
		if (act != ACT_NONE)
			return app_do(a, act, now);
		r = pane_key(p, key);
		if (r & PANE_RECONNECT)
			return reconnect(a, p, now);
		if (r & PANE_SENT)
			epman_sync(a->panes.em);
		if (r & PANE_OVER)
			app_message(a, true, now,
				    _("too long: a line is limited to %d bytes, the rest was refused; "
				      "shorten it to send it"),
				    LINEEDIT_TEXT_MAX);
		return r ? APP_REDRAW : 0;
	}
	if (pane_key(p, key))
		return APP_REDRAW;
	/* Without an input line (its connection ended, or a server without
	 * one), letters are still never table commands: "quit" typed in a
	 * pane that just lost its line must not quit. Function keys, Tab,
	 * Esc and the pane's control keys act as in a pane with input. */
	act = keys_input_action(key);
	if (act != ACT_NONE)
		return app_do(a, act, now);
	if (key >= 0x20 && key < KC_SPECIAL && key != 0x7f) {
		app_message(a, true, now, "%s",
			    _("this pane takes no input now: Esc returns to the table"));
		return APP_REDRAW;
	}
	return 0;
}

unsigned app_hide_panes(struct app *a, int64_t now)
{
	if (!epman_count(a->panes.em)) {
		app_message(a, true, now, "%s", _("no panes to hide: n or F2 opens an endpoint"));
		return APP_REDRAW;
	}
	a->panes.hidden = !a->panes.hidden;
	if (a->panes.hidden) {
		a->panes.focus = PANE_NONE;
		a->panes.zoom = false;
		app_message(a, false, now, "%s", _("panes hidden: P (or Tab) shows them again"));
	} else {
		app_message(a, false, now, "%s", _("panes shown"));
	}
	return APP_REDRAW;
}

unsigned app_focus(struct app *a, size_t i)
{
	if (i != PANE_NONE && i >= epman_count(a->panes.em))
		return 0;
	a->panes.focus = i;
	if (i == PANE_NONE)
		a->panes.zoom = false;
	return APP_REDRAW;
}
