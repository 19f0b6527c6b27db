/* epman.c - the open endpoints and their panes, in the poll loop. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "epman.h"
#include "i18n.h"
#include "loop.h"
#include "xalloc.h"

struct epman {
	struct loop *loop;
	struct pane **panes;
	size_t n, cap;
	unsigned next_id;
	unsigned timer;      /* loop timer for the endpoints' timers, or 0 */
	int64_t timer_due;
	bool dirty;
	char private_dir[256];
	bool have_dir;
	struct endpoint **by_fd; /* the endpoint of each watched fd */
	size_t by_fd_cap;
};

static void on_timer(struct loop *l, unsigned id, void *ctx);

void epman_sync(struct epman *m)
{
	int64_t now = clock_now_ms(), due = -1;

	for (size_t i = 0; i < m->n; i++) {
		int t = endpoint_next_timeout_ms(m->panes[i]->ep, now);

		if (t >= 0 && (due < 0 || now + t < due))
			due = now + t;
	}
	if (m->timer && due == m->timer_due)
		return;
	loop_cancel_timer(m->loop, m->timer);
	m->timer = 0;
	if (due >= 0) {
		m->timer = loop_add_timer(m->loop, due, on_timer, m);
		m->timer_due = due;
	}
}

static void on_timer(struct loop *l, unsigned id, void *ctx)
{
	struct epman *m = ctx;
	int64_t now = clock_now_ms();

	(void)l;
	(void)id;
	m->timer = 0;
	for (size_t i = 0; i < m->n; i++)
		endpoint_tick(m->panes[i]->ep, now);
	epman_sync(m);
}

/* An fd of an endpoint is ready: hand it to its endpoint. */
static void on_fd(struct loop *l, int fd, short revents, void *ctx)
{
	struct epman *m = ctx;
	struct endpoint *ep = (size_t)fd < m->by_fd_cap ? m->by_fd[fd] : NULL;

	if (!ep) {
		/* nobody owns it any more: stop watching (never spin on it) */
		loop_del_fd(l, fd);
		return;
	}
	endpoint_handle(ep, fd, revents);
	m->dirty = true;
	epman_sync(m);
}

static int op_add(void *ctx, struct endpoint *ep, int fd, short events)
{
	struct epman *m = ctx;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (loop_add_fd(m->loop, fd, events, on_fd, m) < 0)
		return -1;
	if ((size_t)fd >= m->by_fd_cap) {
		size_t old = m->by_fd_cap;

		xgrow((void **)&m->by_fd, &m->by_fd_cap, (size_t)fd + 1, sizeof(*m->by_fd));
		memset(m->by_fd + old, 0, (m->by_fd_cap - old) * sizeof(*m->by_fd));
	}
	m->by_fd[fd] = ep;
	m->dirty = true;
	return 0;
}

static int op_mod(void *ctx, struct endpoint *ep, int fd, short events)
{
	struct epman *m = ctx;

	(void)ep;
	return loop_mod_fd(m->loop, fd, events);
}

static void op_del(void *ctx, struct endpoint *ep, int fd)
{
	struct epman *m = ctx;

	(void)ep;
	if (fd >= 0 && (size_t)fd < m->by_fd_cap)
		m->by_fd[fd] = NULL;
	m->dirty = true;
	loop_del_fd(m->loop, fd);
}

struct epman *epman_new(struct loop *l)
{
	struct epman *m = xcalloc(1, sizeof(*m));

	m->loop = l;
	m->next_id = 1;
	return m;
}

void epman_free(struct epman *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		pane_free(m->panes[i]);
	free(m->panes);
	free(m->by_fd);
	loop_cancel_timer(m->loop, m->timer);
	if (m->have_dir)
		rmdir(m->private_dir); /* only when empty: never anyone else's file */
	free(m);
}

size_t epman_count(const struct epman *m)
{
	return m ? m->n : 0;
}

struct pane *epman_pane(const struct epman *m, size_t i)
{
	return m && i < m->n ? m->panes[i] : NULL;
}

size_t epman_find(const struct epman *m, unsigned id)
{
	for (size_t i = 0; m && i < m->n; i++)
		if (m->panes[i]->id == id)
			return i;
	return PANE_NONE;
}

size_t epman_live(const struct epman *m)
{
	size_t n = 0;

	for (size_t i = 0; m && i < m->n; i++) {
		enum ep_state st = endpoint_state(m->panes[i]->ep);

		if (st == EP_STATE_READY || st == EP_STATE_CONNECTING)
			n++;
	}
	return n;
}

/* The lowest pane number not in use, so numbers stay small. */
static unsigned free_id(const struct epman *m)
{
	for (unsigned id = 1;; id++)
		if (epman_find(m, id) == PANE_NONE)
			return id;
}

/* The live server of ours bound to the Unix path, or NULL. */
static const struct pane *own_path_holder(const struct epman *m, const char *path)
{
	for (size_t i = 0; path && i < m->n; i++) {
		const struct endpoint *ep = m->panes[i]->ep;
		const char *p;

		if (endpoint_kind(ep) == EP_CLIENT || endpoint_family(ep) != AF_UNIX ||
		    endpoint_state(ep) != EP_STATE_READY)
			continue;
		p = epaddr_path(endpoint_local_addr(ep));
		if (p && !strcmp(p, path))
			return m->panes[i];
	}
	return NULL;
}

struct pane *epman_open(struct epman *m, struct endpoint_config *cfg, char *err, size_t errlen)
{
	struct endpoint *ep;
	struct pane *p;

	/* A path one of our servers holds: say so without the check
	 * connection endpoint_new() would make to it (that connection would
	 * show in our own server's pane as a client). */
	if (cfg->kind != EP_CLIENT && cfg->addr.family == AF_UNIX &&
	    own_path_holder(m, epaddr_path(&cfg->addr))) {
		char as[EPADDR_STRLEN];

		snprintf(err, errlen, _("address %s is already in use"),
			 epaddr_str(&cfg->addr, as, sizeof(as)));
		errno = EADDRINUSE;
		return NULL;
	}
	cfg->ops.add_fd = op_add;
	cfg->ops.mod_fd = op_mod;
	cfg->ops.del_fd = op_del;
	cfg->ops.ctx = m;
	if (!cfg->private_dir && m->have_dir)
		cfg->private_dir = m->private_dir;
	ep = endpoint_new(cfg, err, errlen);
	if (!ep)
		return NULL;
	p = pane_new(ep, free_id(m));
	xgrow((void **)&m->panes, &m->cap, m->n + 1, sizeof(*m->panes));
	m->panes[m->n++] = p;
	m->dirty = true;
	epman_sync(m);
	return p;
}

void epman_close(struct epman *m, size_t i)
{
	if (i >= m->n)
		return;
	pane_free(m->panes[i]);
	memmove(&m->panes[i], &m->panes[i + 1], (m->n - i - 1) * sizeof(*m->panes));
	m->n--;
	m->dirty = true;
	epman_sync(m);
}

const char *epman_private_dir(struct epman *m, char *err, size_t errlen)
{
	if (m->have_dir) {
		/* an endpoint removes it when it empties: make it again */
		if (epaddr_private_dir_ensure(m->private_dir, err, errlen) < 0)
			return NULL;
		return m->private_dir;
	}
	if (epaddr_private_dir_create(m->private_dir, sizeof(m->private_dir), err, errlen) < 0)
		return NULL;
	m->have_dir = true;
	return m->private_dir;
}

bool epman_last_server(const struct epman *m, struct epman_server *out)
{
	/* the panes are in opening order: the newest live server wins; a
	 * closed one (its pane closed, or the endpoint ended) is no target */
	for (size_t i = m ? m->n : 0; i-- > 0;) {
		const struct endpoint *ep = m->panes[i]->ep;
		const struct epaddr *a = endpoint_local_addr(ep);

		if (endpoint_kind(ep) == EP_CLIENT || endpoint_state(ep) != EP_STATE_READY)
			continue;
		out->kind = endpoint_kind(ep);
		out->transport = endpoint_transport(ep);
		out->addr = a->len ? *a : *endpoint_remote_addr(ep);
		out->netns_ino = m->panes[i]->netns_ino;
		return true;
	}
	return false;
}

void epman_collect(const struct epman *m, struct ownset *out)
{
	uint32_t small[64];

	ownset_clear(out);
	for (size_t i = 0; m && i < m->n; i++) {
		const struct pane *p = m->panes[i];
		size_t n = endpoint_inodes(p->ep, small, 64);

		if (n > 64) {
			uint32_t *all = xcalloc(n, sizeof(*all));

			n = endpoint_inodes(p->ep, all, n);
			for (size_t k = 0; k < n; k++)
				ownset_add(out, all[k], p->id);
			free(all);
		} else {
			for (size_t k = 0; k < n; k++)
				ownset_add(out, small[k], p->id);
		}
	}
	ownset_finish(out);
}

uint64_t epman_collect_fp(const struct epman *m)
{
	uint64_t h = 0;

	for (size_t i = 0; m && i < m->n; i++) {
		h = (h ^ m->panes[i]->id) * 0x100000001b3ull;
		h = (h ^ endpoint_inodes_fp(m->panes[i]->ep)) * 0x9e3779b97f4a7c15ull;
	}
	return h;
}

bool epman_take_dirty(struct epman *m)
{
	bool d;

	if (!m)
		return false;
	d = m->dirty;
	m->dirty = false;
	for (size_t i = 0; i < m->n; i++)
		if (endpoint_take_dirty(m->panes[i]->ep))
			d = true;
	return d;
}
