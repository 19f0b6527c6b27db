/* app_destroy.c - F9: destroy the selected socket, after a confirmation
 * naming it (SPEC §5, §9). The act goes through app->destroy (the live
 * view gives diag_destroy; tests give a fake). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "destroy.h"
#include "i18n.h"

void app_set_destroyer(struct app *a, destroy_fn fn, void *ctx)
{
	a->destroy = fn;
	a->destroy_ctx = ctx;
}

unsigned app_destroy_ask(struct app *a, int64_t now)
{
	const struct table_row *r = app_selected(a);
	const char *why;
	struct buf b = BUF_INIT;

	if (!r) {
		app_message(a, true, now, "%s", _("no socket selected"));
		return APP_REDRAW;
	}
	if (r->flags & ROW_GONE) {
		app_message(a, true, now, "%s", _("this socket is gone already: nothing to destroy"));
		return APP_REDRAW;
	}
	why = destroy_refusal(r->s);
	if (why) {
		app_message(a, true, now, "%s", why);
		return APP_REDRAW;
	}
	if (!a->destroy) {
		app_message(a, true, now, "%s", _("destroying sockets is not available here"));
		return APP_REDRAW;
	}
	a->destroy_sock = *r->s;
	if (r->s->x) {
		a->destroy_x = *r->s->x;
		a->destroy_sock.x = &a->destroy_x;
	}
	destroy_describe(&b, r->s, a->table.pm, a->cs);
	snprintf(a->destroy_desc, sizeof(a->destroy_desc), "%s", b.data ? b.data : "");
	buf_free(&b);
	a->prompt = PROMPT_DESTROY;
	return APP_REDRAW;
}

unsigned app_destroy_key(struct app *a, int key, int64_t now)
{
	a->prompt = PROMPT_NONE;
	if (key != 'y' && key != 'Y') {
		app_message(a, false, now, "%s", _("destroy cancelled: the socket stays"));
		return APP_REDRAW;
	}
	if (a->destroy(a->destroy_ctx, &a->destroy_sock) < 0) {
		int e = errno;

		app_message(a, true, now, _("not destroyed: %s"), destroy_strerror(e));
		/* ENOENT: it is gone; the next refresh shows so */
		return APP_REDRAW | (e == ENOENT ? APP_REFRESH : 0);
	}
	if (a->destroy_sock.proto == SP_TCP && a->destroy_sock.state != SS_LISTEN)
		app_message(a, false, now, _("destroyed %s: its peer sees a reset"), a->destroy_desc);
	else
		app_message(a, false, now, _("destroyed %s"), a->destroy_desc);
	a->msg_escaped = true;
	return APP_REDRAW | APP_REFRESH;
}
