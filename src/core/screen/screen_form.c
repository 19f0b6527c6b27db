/* screen_form.c - the new endpoint form: its fields, errors and hints. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "screen.h"

static unsigned form_action(struct app *a, enum action act, int64_t now)
{
	if (act == ACT_QUIT)
		return app_ask_quit(a);
	if (act == ACT_BACK) {
		a->mode = MODE_TABLE;
		return APP_REDRAW;
	}
	if (act == ACT_HELP || act == ACT_REDRAW)
		return act == ACT_REDRAW ? APP_REDRAW | APP_REFRESH : screen_table_action(a, act, now);
	return 0;
}

/* Function keys act (F10 quits, F1 helps); letters are text. */
static unsigned form_screen_key(struct app *a, int key, int64_t now)
{
	enum action act = keys_prompt_action(key);

	if (act != ACT_NONE && key != KC_TAB && key != KC_BTAB)
		return form_action(a, act, now);
	switch (form_key(&a->panes.form, key)) {
	case FORM_IGNORED:
		return 0;
	case FORM_CHANGED:
		a->panes.holder_pending = false;
		return APP_REDRAW;
	case FORM_SUBMIT:
		return app_submit_form(a, now);
	case FORM_CANCEL:
		a->mode = MODE_TABLE;
		a->panes.holder_pending = false;
		return APP_REDRAW;
	}
	return 0;
}

/* A one-line hint about who can reach the address in the form. */
static const char *form_reach_hint(const struct form *f)
{
	const char *host;

	if (f->transport == EP_UNIX_STREAM || f->transport == EP_UNIX_DGRAM ||
	    f->transport == EP_UNIX_SEQPACKET) {
		bool abstract = f->field[FF_PATH].text[0] == '@';

		/* a datagram client may send to a socket that is not ours:
		 * the tutorial's example (the system logger) */
		if (f->kind == EP_CLIENT && f->transport == EP_UNIX_DGRAM &&
		    !f->field[FF_PATH].text[0])
			return _("a path, e.g. /dev/log: the system logger's socket where a syslog "
				 "daemon runs (a line such as <14>hello is one log message)");
		/* a client's path is the server's: its file, its permissions */
		if (f->kind == EP_CLIENT)
			return abstract ? _("an abstract name: no file; it reaches the program that "
					    "bound the name, whoever that is")
					: _("the server's socket file: connecting needs write "
					    "permission on it, which its owner decides");
		if (abstract)
			return _("an abstract name: no file, and anyone on this machine can connect");
		return _("a socket file: its permissions say who may connect (sockview makes "
			 "it yours alone, and removes it when it closes)");
	}
	host = f->field[FF_ADDR].text;
	if (f->kind == EP_CLIENT)
		return "";
	if (!host[0] || !strcmp(host, "127.0.0.1") || !strcmp(host, "::1") ||
	    !strcmp(host, "localhost") || !strncmp(host, "127.", 4))
		return _("loopback: only programs on this machine can connect");
	if (!strcmp(host, "*") || !strcmp(host, "0.0.0.0") || !strcmp(host, "::"))
		return _("every address: other machines may be able to connect");
	return _("this address may be reachable from other machines");
}

struct form_row {
	int field;           /* a field, or -1 for a line of text */
	size_t off, len, w;  /* text lines: safe text in the row buffer */
	enum view_style st;
	size_t c0, c1;       /* choice fields: the choices [c0, c1) on this row */
	bool cont;           /* a choice field's second row or later: no label */
};

/* Fields, their wrapped choice rows, up to 4 rows each of error, stale
 * offer, note and hint, and the blank line. */
#define FORM_ROWS_MAX (FF_MAX_ + 24)

/* Columns of choice i as drawn ("[TCP]" or " UDP "). */
static size_t choice_width(enum form_field fld, size_t i, enum esc_charset cs)
{
	struct buf t = BUF_INIT;
	const char *name = form_choice_name(fld, i);
	size_t w = esc_display(&t, name, strlen(name), cs) + 2;

	buf_free(&t);
	return w;
}

/* Adds the rows of choice field fld: its choices wrapped to room columns
 * (at least one a row), the later rows without the label. */
static void form_choice_rows(struct form_row *rows, int *n, enum form_field fld, size_t room,
			     enum esc_charset cs)
{
	size_t nc = form_choices(fld), c = 0;

	while (c < nc && *n < FORM_ROWS_MAX) {
		size_t x = 0, c0 = c;

		do {
			x += choice_width(fld, c, cs);
			c++;
		} while (c < nc && x + choice_width(fld, c, cs) <= room);
		rows[(*n)++] = (struct form_row){ (int)fld, 0, 0, 0, VS_NORMAL, c0, c, c0 > 0 };
	}
}

/* Adds raw text as rows, escaped and wrapped to width (at most 4 rows). */
static void form_text(struct form_row *rows, int *n, struct buf *t, const char *text,
		      enum view_style st, size_t width, enum esc_charset cs)
{
	size_t at = t->len, len, pos;

	esc_display(t, text, strlen(text), cs);
	len = t->len - at;
	pos = 0;
	for (int k = 0; k < 4 && *n < FORM_ROWS_MAX; k++) {
		size_t plen = 0, pw = 0, adv;

		adv = tl_wrap(t->data + at + pos, len - pos, width ? width : 1, cs, &plen, &pw);
		rows[*n].field = -1;
		rows[*n].off = at + pos;
		rows[*n].len = plen;
		rows[*n].w = pw;
		rows[*n].st = st;
		(*n)++;
		pos += adv;
		if (pos >= len)
			break;
	}
}

/* The Namespace field: the choice in brackets (escaped: a name is any
 * bytes), where it stands in the list, and what it is. */
static void form_netns_row(struct lb *b, const struct form *f, enum esc_charset cs)
{
	const struct nstab_ent *e = formns_chosen(&f->ns);
	char raw[FORMNS_LABEL_MAX];
	struct buf t = BUF_INIT;
	size_t n = formns_label(&f->ns, f->ns.cur, raw, sizeof(raw)), w;

	buf_putc(&t, '[');
	w = esc_display(&t, raw, n, cs) + 2;
	buf_putc(&t, ']');
	ln_safe(b, t.data, t.len, w, VS_CHOICE);
	buf_free(&t);
	ln_printf(b, VS_DIM, _("  %zu of %zu"), f->ns.cur + 1, f->ns.n);
	if (f->ns.more)
		ln_printf(b, VS_WARN, P_(" (%zu more not listed)", " (%zu more not listed)",
					 f->ns.more), f->ns.more);
	if (e && e->current)
		ln_puts(b, _(", sockview's own"), VS_DIM);
	if (f->ns.cur == f->ns.def && !(e && e->current))
		ln_puts(b, _(", the default"), VS_DIM);
	if (e && e->denied)
		ln_puts(b, _(", not entered so far (needs CAP_SYS_ADMIN)"), VS_WARN);
	ln_puts(b, _("  (Left/Right: another)"), VS_DIM);
}

static void form_build(struct view *v, const struct app *a, int y0, int h, int64_t now)
{
	const struct form *f = &a->panes.form;
	struct form_row rows[FORM_ROWS_MAX];
	struct lb b = LB_INIT(v);
	struct buf t = BUF_INIT;
	int nrows = 0, focus_row = 0, first = 0, y;
	const size_t lw = 14;
	size_t tw = v->width > 4 ? (size_t)v->width - 2 : 1;
	char title[256];

	(void)now;

	snprintf(title, sizeof(title), _(" New %s (Enter opens it, Esc cancels)"),
		 endpoint_kind_name(f->kind));
	for (int k = 0; k < FF_MAX_; k++) {
		if (!form_field_shown(f, (enum form_field)k))
			continue;
		if (k == (int)f->focus)
			focus_row = nrows;
		if (form_field_is_choice((enum form_field)k) && k != FF_NETNS)
			form_choice_rows(rows, &nrows, (enum form_field)k,
					 (size_t)v->width > lw ? (size_t)v->width - lw : 1, v->cs);
		else
			rows[nrows++] = (struct form_row){ k, 0, 0, 0, VS_NORMAL, 0, 0, false };
	}
	rows[nrows++] = (struct form_row){ -1, 0, 0, 0, VS_NORMAL, 0, 0, false };
	if (f->err[0]) {
		form_text(rows, &nrows, &t, f->err, VS_ERROR, tw, v->cs);
		if (f->stale_offer)
			form_text(rows, &nrows, &t,
				  _("Enter again replaces the stale socket file; or type another path"),
				  VS_MSG, tw, v->cs);
	} else if (f->note[0]) {
		form_text(rows, &nrows, &t, f->note, VS_WARN, tw, v->cs);
	}
	if (!f->err[0]) {
		const char *hint = form_reach_hint(f);

		if (hint[0])
			form_text(rows, &nrows, &t, hint, VS_DIM, tw, v->cs);
	}
	ln_start(&b, y0, VS_TITLE);
	ln_puts(&b, title, VS_TITLE);
	/* keep the focused field in view when the area is short */
	if (h > 1 && focus_row >= h - 1)
		first = focus_row - (h - 2);
	y = y0 + 1;
	for (int r = first; r < nrows && y < y0 + h; r++, y++) {
		const struct form_row *fr = &rows[r];

		ln_start(&b, y, VS_NORMAL);
		if (fr->field < 0) {
			ln_puts(&b, "  ", VS_NORMAL);
			if (fr->len)
				ln_safe(&b, t.data + fr->off, fr->len, fr->w, fr->st);
			continue;
		}
		{
			enum form_field fld = (enum form_field)fr->field;
			bool focused = fld == f->focus;

			if (fr->cont) {
				ln_to(&b, lw, VS_NORMAL);
			} else {
				ln_puts(&b, focused ? "> " : "  ", VS_KEY);
				ln_puts(&b, form_field_label(fld), focused ? VS_LABEL : VS_NORMAL);
				ln_to(&b, lw, VS_NORMAL);
			}
			if (fld == FF_NETNS) {
				form_netns_row(&b, f, a->cs);
			} else if (form_field_is_choice(fld)) {
				size_t cur = form_choice_current(f, fld);

				for (size_t c = fr->c0; c < fr->c1; c++)
					ln_printf(&b, c == cur ? VS_CHOICE : VS_NORMAL, c == cur ? "[%s]" : " %s ",
						  form_choice_name(fld, c));
			} else {
				/* wide enough for a path, with room for a hint */
				size_t room = ln_room(&b), fw = room > 76 ? room - 28 : room > 48 ? 48 : room;
				size_t start = b.x, cx;
				const char *ph = form_placeholder(f, (enum form_field)fld);

				if (ph) { /* an example, dimmed: typing replaces it */
					ln_puts(&b, ph, VS_DIM);
					cx = 0;
				} else {
					cx = ln_field(&b, &f->field[fld], fw ? fw - 1 : 0, focused,
						      VS_FIELD);
				}
				ln_to(&b, start + fw, VS_FIELD);
				if (focused && a->prompt == PROMPT_NONE) {
					v->cursor_on = true;
					v->cursor_y = y;
					v->cursor_x = (int)(start + cx);
					if (v->cursor_x >= v->width)
						v->cursor_x = v->width - 1;
				}
				if (fld == FF_PORT && f->port_service >= 0)
					ln_printf(&b, VS_DIM, _("  (service: port %d)"), f->port_service);
				else if (fld == FF_PORT && f->port_service == FORM_PORT_UNKNOWN)
					ln_puts(&b, _("  (no such service name)"), VS_WARN);
				else if (fld == FF_PORT && f->kind != EP_CLIENT && !f->edited[FF_PORT])
					ln_puts(&b, _("  (free right now)"), VS_DIM);
				if ((fld == FF_ADDR || fld == FF_PATH) && form_targets_last(f, fld))
					ln_puts(&b, _("  (the newest open server)"), VS_DIM);
			}
		}
	}
	for (; y < y0 + h; y++)
		ln_blank(&b, y);
	buf_free(&t);
}

static const struct hint *form_hints(const struct app *a, size_t *n)
{
	/* the form reads its keys itself (form_key), function keys aside */
	static const struct hint hints[] = {
		{ KEYS_RAW(KC_ENTER), N_("Open") },
		{ KEYS_RAW(KC_UP, KC_DOWN), N_("Field") },
		{ KEYS_RAW(KC_LEFT, KC_RIGHT), N_("Change") },
		{ KEYS_RAW(KC_ESC), N_("Cancel") },
		{ KEYS_ACT(ACT_QUIT), N_("Quit") },
	};

	(void)a;
	return SCREEN_HINTS(hints, n);
}

const struct screen screen_form = {
	.name = "form",
	.key = form_screen_key,
	.action = form_action,
	.build = form_build,
	.hints = form_hints,
};
