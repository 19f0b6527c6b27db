/* settings.c - the live view's settings kept between runs. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "options.h"
#include "safefile.h"
#include "settings.h"
#include "sock.h"

#define SETTINGS_DIR "sockview"
#define SETTINGS_NAME "sockviewrc"

/* The names of the protocol toggles and families, as the file spells them. */
static const struct {
	const char *name;
	unsigned bit;
} proto_names[] = {
	{ "tcp", SP_MASK(SP_TCP) },
	{ "udp", SP_MASK(SP_UDP) },
	{ "unix", SP_MASK(SP_UNIX) },
	{ "raw", SP_MASK(SP_RAW) },
	{ "packet", SP_MASK(SP_PACKET) },
	{ "netlink", SP_MASK(SP_NETLINK) },
	{ "mptcp", SP_MASK(SP_MPTCP) },
}, family_names[] = {
	{ "ipv4", SF_INET },
	{ "ipv6", SF_INET6 },
};

bool settings_path(char *out, size_t len)
{
	return safefile_xdg_path(out, len, "XDG_CONFIG_HOME", ".config",
				 SETTINGS_DIR "/" SETTINGS_NAME);
}

/* A column's name in the file: its untranslated title in lower case. */
static void col_key(enum col c, char *out, size_t len)
{
	const char *t = cell_col(c)->title;
	size_t i = 0;

	for (; t[i] && i + 1 < len; i++)
		out[i] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] - 'A' + 'a' : t[i]);
	out[i] = '\0';
}

static int col_by_key(const char *s, size_t n)
{
	char k[32];

	for (int c = 0; c < COL_MAX_; c++) {
		col_key((enum col)c, k, sizeof(k));
		if (strlen(k) == n && !strncmp(k, s, n))
			return c;
	}
	return -1;
}

static bool parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return false;
	return true;
}

/* A comma-separated list of column names into a COL_BIT set. */
static bool parse_columns(const char *v, unsigned *out)
{
	unsigned set = 0;

	while (*v) {
		size_t n = strcspn(v, ",");
		int c;

		while (n && v[n - 1] == ' ')
			n--;
		c = col_by_key(v, n);
		if (c < 0)
			return false;
		set |= COL_BIT(c);
		v += strcspn(v, ",");
		if (*v == ',')
			v++;
		v += strspn(v, " ");
	}
	*out = set;
	return true;
}

/* A comma-separated list of names from table t into a bit set. */
static bool parse_names(const char *v, const void *table, size_t count, unsigned *out)
{
	const struct { const char *name; unsigned bit; } *t = table;
	unsigned set = 0;

	while (*v) {
		size_t n = strcspn(v, ","), i;

		while (n && v[n - 1] == ' ')
			n--;
		for (i = 0; i < count; i++)
			if (strlen(t[i].name) == n && !strncmp(t[i].name, v, n))
				break;
		if (i == count)
			return false;
		set |= t[i].bit;
		v += strcspn(v, ",");
		if (*v == ',')
			v++;
		v += strspn(v, " ");
	}
	if (!set)
		return false;
	*out = set;
	return true;
}

/* One "key = value" line (trimmed, no control bytes); false if the key or
 * the value is not known, with *unknown_key telling which. */
static bool parse_line(struct settings *s, const char *key, const char *v, bool *unknown_key)
{
	*unknown_key = false;
	if (!strcmp(key, "columns")) {
		if (!parse_columns(v, &s->columns))
			return false;
		s->have |= SET_COLUMNS;
	} else if (!strcmp(key, "sort")) {
		int c = col_by_key(v, strlen(v));

		if (c < 0)
			return false;
		s->sort_col = (enum col)c;
		s->have |= SET_SORT;
	} else if (!strcmp(key, "sort_direction")) {
		if (!strcmp(v, "ascending"))
			s->sort_reverse = false;
		else if (!strcmp(v, "descending"))
			s->sort_reverse = true;
		else
			return false;
		s->have |= SET_SORT_DIR;
	} else if (!strcmp(key, "delay")) {
		if (options_parse_delay(v, &s->delay_ms) < 0)
			return false;
		s->have |= SET_DELAY;
	} else if (!strcmp(key, "show")) {
		if (!parse_names(v, proto_names, sizeof(proto_names) / sizeof(proto_names[0]),
				 &s->protos))
			return false;
		s->have |= SET_SHOW;
	} else if (!strcmp(key, "families")) {
		if (!parse_names(v, family_names, sizeof(family_names) / sizeof(family_names[0]),
				 &s->families))
			return false;
		s->have |= SET_FAMILIES;
	} else if (!strcmp(key, "listening")) {
		if (!parse_bool(v, &s->listening))
			return false;
		s->have |= SET_LISTENING;
	} else if (!strcmp(key, "color") || !strcmp(key, "colour")) {
		if (!parse_bool(v, &s->color))
			return false;
		s->have |= SET_COLOR;
	} else if (!strcmp(key, "pane_height")) {
		char *end;
		long n;

		if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 4)
			return false;
		n = strtol(v, &end, 10);
		if (n > SETTINGS_PANE_MAX || (n > 0 && n < PANE_MIN_H))
			return false;
		s->pane_height = (int)n;
		s->have |= SET_PANE_HEIGHT;
	} else {
		*unknown_key = true;
		return false;
	}
	return true;
}

/* The first skipped line's reason. The key or value comes from the file:
 * it is cut here, and escaped where the footer shows it (app_message). */
static void warn_line(char *warn, size_t warnlen, size_t lineno, const char *what,
		      const char *text, size_t n)
{
	snprintf(warn, warnlen, _("sockviewrc line %zu: %s '%.*s%s' (skipped)"), lineno, what,
		 (int)(n > 40 ? 40 : n), text, n > 40 ? "..." : "");
}

int settings_parse(struct settings *s, const char *text, size_t len, char *warn,
		   size_t warnlen)
{
	size_t lineno = 0;
	int skipped = 0;

	memset(s, 0, sizeof(*s));
	if (warnlen)
		warn[0] = '\0';
	for (size_t at = 0; at < len;) {
		const char *line = text + at;
		const char *nl = memchr(line, '\n', len - at);
		size_t n = nl ? (size_t)(nl - line) : len - at;
		char buf[SETTINGS_LINE_MAX + 1], *key, *val, *eq, *end;
		bool bad_ctl = false, unknown;

		at += n + 1;
		lineno++;
		if (n && line[n - 1] == '\r')
			n--;
		if (n > SETTINGS_LINE_MAX) {
			if (!skipped++)
				snprintf(warn, warnlen,
					 _("sockviewrc line %zu: longer than %d bytes (skipped)"),
					 lineno, SETTINGS_LINE_MAX);
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)line[i] < 0x20 && line[i] != '\t')
				bad_ctl = true;
			else if ((unsigned char)line[i] == 0x7f)
				bad_ctl = true;
		if (bad_ctl) {
			if (!skipped++)
				warn_line(warn, warnlen, lineno, _("control bytes in"), line, n);
			continue;
		}
		memcpy(buf, line, n);
		buf[n] = '\0';
		key = buf + strspn(buf, " \t");
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			if (!skipped++)
				warn_line(warn, warnlen, lineno, _("no '=' in"), key, strlen(key));
			continue;
		}
		val = eq + 1;
		for (end = eq; end > key && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = '\0';
		val += strspn(val, " \t");
		for (end = val + strlen(val); end > val && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = '\0';
		if (!parse_line(s, key, val, &unknown)) {
			if (!skipped++) {
				if (unknown)
					warn_line(warn, warnlen, lineno, _("unknown key"), key,
						  strlen(key));
				else
					warn_line(warn, warnlen, lineno, _("bad value"), val,
						  strlen(val));
			}
		}
	}
	return skipped;
}

int settings_load(struct settings *s, const char *path, char *warn, size_t warnlen)
{
	struct buf b;
	int skipped;

	memset(s, 0, sizeof(*s));
	if (warnlen)
		warn[0] = '\0';
	buf_init(&b, 0);
	if (safefile_read(path, SETTINGS_FILE_MAX, &b) < 0) {
		int e = errno;

		buf_free(&b);
		if (e == ENOENT)
			return 0;
		snprintf(warn, warnlen, _("settings not read from %s: %s"), path,
			 e == ELOOP   ? _("it is a symbolic link")
			 : e == EINVAL ? _("it is not a regular file")
			 : e == EFBIG  ? _("it is larger than 64 KiB")
				       : strerror(e));
		return -1;
	}
	skipped = settings_parse(s, b.data ? b.data : "", b.len, warn, warnlen);
	buf_free(&b);
	return skipped ? 1 : 0;
}

static void put_names(struct buf *out, const char *key, const void *table, size_t count,
		      unsigned set)
{
	const struct { const char *name; unsigned bit; } *t = table;
	bool first = true;

	buf_printf(out, "%s = ", key);
	for (size_t i = 0; i < count; i++) {
		if (!(set & t[i].bit))
			continue;
		buf_printf(out, "%s%s", first ? "" : ",", t[i].name);
		first = false;
	}
	buf_putc(out, '\n');
}

void settings_format(const struct settings *s, struct buf *out)
{
	char k[32];

	buf_puts(out, "# sockview settings (see sockview(1), FILES); written by sockview at exit\n");
	if (s->have & SET_COLUMNS) {
		bool first = true;

		buf_puts(out, "columns = ");
		for (int c = 0; c < COL_MAX_; c++) {
			if (!(s->columns & COL_BIT(c)))
				continue;
			col_key((enum col)c, k, sizeof(k));
			buf_printf(out, "%s%s", first ? "" : ",", k);
			first = false;
		}
		buf_putc(out, '\n');
	}
	if (s->have & SET_SORT) {
		col_key(s->sort_col, k, sizeof(k));
		buf_printf(out, "sort = %s\n", k);
	}
	if (s->have & SET_SORT_DIR)
		buf_printf(out, "sort_direction = %s\n",
			   s->sort_reverse ? "descending" : "ascending");
	if (s->have & SET_DELAY) {
		/* as few decimals as the value needs: "1", "0.5", "1.25" */
		char d[16];
		size_t n = (size_t)snprintf(d, sizeof(d), "%d.%03d", s->delay_ms / 1000,
					    s->delay_ms % 1000);

		while (n && d[n - 1] == '0')
			d[--n] = '\0';
		if (n && d[n - 1] == '.')
			d[--n] = '\0';
		buf_printf(out, "delay = %s\n", d);
	}
	if (s->have & SET_SHOW)
		put_names(out, "show", proto_names, sizeof(proto_names) / sizeof(proto_names[0]),
			  s->protos);
	if (s->have & SET_FAMILIES)
		put_names(out, "families", family_names,
			  sizeof(family_names) / sizeof(family_names[0]), s->families);
	if (s->have & SET_LISTENING)
		buf_printf(out, "listening = %s\n", s->listening ? "yes" : "no");
	if (s->have & SET_COLOR)
		buf_printf(out, "color = %s\n", s->color ? "yes" : "no");
	if (s->have & SET_PANE_HEIGHT)
		buf_printf(out, "pane_height = %d\n", s->pane_height);
}

int settings_save(const struct settings *s, const char *path)
{
	struct buf b;
	int rc, e;

	buf_init(&b, 0);
	settings_format(s, &b);
	rc = safefile_replace(path, b.data, b.len);
	e = errno;
	buf_free(&b);
	errno = e;
	return rc;
}

void settings_from_app(struct settings *s, const struct app *a, bool color)
{
	memset(s, 0, sizeof(*s));
	s->have = SET_COLUMNS | SET_SORT | SET_SORT_DIR | SET_DELAY | SET_SHOW | SET_FAMILIES |
		  SET_LISTENING | SET_COLOR | SET_PANE_HEIGHT;
	s->columns = a->table.columns;
	s->sort_col = a->table.sort_col;
	s->sort_reverse = a->table.sort_reverse;
	s->delay_ms = a->delay_ms;
	s->protos = a->table.protos;
	s->families = a->table.families;
	s->listening = a->table.listening;
	s->color = color;
	s->pane_height = a->panes.max_h;
}

void settings_apply(const struct settings *s, struct app *a, const struct options *o,
		    bool *color)
{
	if (s->have & SET_COLUMNS) {
		/* the file chooses the optional columns; the others stay */
		unsigned cols = 0;

		for (int c = 0; c < COL_MAX_; c++)
			if (cell_col((enum col)c)->optional ? (s->columns & COL_BIT(c)) != 0
							    : (a->table.columns & COL_BIT(c)) != 0)
				cols |= COL_BIT(c);
		a->table.columns = cols;
	}
	if ((s->have & SET_SORT) && s->sort_col != a->table.sort_col)
		app_sort_by(a, s->sort_col);
	if ((s->have & SET_SORT_DIR) && s->sort_reverse != a->table.sort_reverse)
		app_sort_by(a, a->table.sort_col);
	if ((s->have & SET_DELAY) && !o->delay_given)
		a->delay_ms = s->delay_ms;
	if ((s->have & SET_SHOW) && !o->protos_given)
		a->table.protos = s->protos;
	if ((s->have & SET_FAMILIES) && !o->families_given)
		a->table.families = s->families;
	if ((s->have & SET_LISTENING) && !o->listening)
		a->table.listening = s->listening;
	if ((s->have & SET_COLOR) && !o->no_color)
		*color = s->color;
	if (s->have & SET_PANE_HEIGHT)
		a->panes.max_h = s->pane_height;
}

bool settings_merge_changes(struct settings *out, const struct settings *old,
			    const struct settings *start, const struct settings *now)
{
	unsigned changed = 0;

	if (start->columns != now->columns)
		changed |= SET_COLUMNS;
	if (start->sort_col != now->sort_col)
		changed |= SET_SORT;
	if (start->sort_reverse != now->sort_reverse)
		changed |= SET_SORT_DIR;
	if (start->delay_ms != now->delay_ms)
		changed |= SET_DELAY;
	if (start->protos != now->protos)
		changed |= SET_SHOW;
	if (start->families != now->families)
		changed |= SET_FAMILIES;
	if (start->listening != now->listening)
		changed |= SET_LISTENING;
	*out = *old;
	if (!changed)
		return false;
	out->have |= changed;
	if (changed & SET_COLUMNS)
		out->columns = now->columns;
	if (changed & SET_SORT)
		out->sort_col = now->sort_col;
	if (changed & SET_SORT_DIR)
		out->sort_reverse = now->sort_reverse;
	if (changed & SET_DELAY)
		out->delay_ms = now->delay_ms;
	if (changed & SET_SHOW)
		out->protos = now->protos;
	if (changed & SET_FAMILIES)
		out->families = now->families;
	if (changed & SET_LISTENING)
		out->listening = now->listening;
	return true;
}

void settings_session_open(struct settings_session *ss, struct app *a,
			   const struct options *o, char *warn, size_t warnlen)
{
	memset(ss, 0, sizeof(*ss));
	ss->color = !o->no_color;
	if (warnlen)
		warn[0] = '\0';
	if (!o->no_config && settings_path(ss->path, sizeof(ss->path))) {
		/* a file we refused (a symlink, a FIFO...) is never written over */
		ss->active = settings_load(&ss->old, ss->path, warn, warnlen) >= 0;
		settings_apply(&ss->old, a, o, &ss->color);
	}
	settings_from_app(&ss->start, a, ss->color);
}

int settings_session_close(struct settings_session *ss, const struct app *a)
{
	struct settings now, out;

	if (!ss->active)
		return 0;
	settings_from_app(&now, a, ss->color);
	if (!settings_merge_changes(&out, &ss->old, &ss->start, &now))
		return 0;
	return settings_save(&out, ss->path);
}
