/* export.c - the session export: the prompt, the file and the document. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "epman.h"
#include "evout.h"
#include "export.h"
#include "i18n.h"
#include "output.h"
#include "pane.h"
#include "safefile.h"
#include "transcript.h"

#define EXPORT_DIR "sockview"

static void iso_time(struct buf *out, int64_t wall_ms)
{
	time_t secs = (time_t)(wall_ms / 1000);
	struct tm tm;
	char s[64];

	if (!gmtime_r(&secs, &tm)) {
		buf_puts(out, "?");
		return;
	}
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(out, "%s.%03dZ", s, (int)(wall_ms % 1000));
}

/* Makes dir (0700) and its missing parents. */
static int make_dirs(char *dir)
{
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	for (char *p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

bool export_default_path(char *out, size_t len, int64_t wall_ms)
{
	char dir[4096], name[64];
	time_t secs = (time_t)(wall_ms / 1000);
	struct tm tm;
	int n;

	if (!localtime_r(&secs, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(name, sizeof(name), "session-%Y%m%d-%H%M%S.json", &tm);
	if (safefile_xdg_path(dir, sizeof(dir), "XDG_STATE_HOME", ".local/state", EXPORT_DIR) &&
	    make_dirs(dir) == 0)
		n = snprintf(out, len, "%s/%s", dir, name);
	else
		n = snprintf(out, len, "sockview-%s", name);
	return n > 0 && (size_t)n < len;
}

FILE *export_create(const char *path, char *err, size_t errlen)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	struct stat st;
	int fd;
	FILE *f;

	if (!*path) {
		snprintf(err, errlen, "%s", _("no file name given"));
		return NULL;
	}
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (stat(dir, &st) == 0 && (st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
		snprintf(err, errlen,
			 _("refused: anyone may write to the directory %s (and it has no sticky bit)"),
			 dir);
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			snprintf(err, errlen, "%s", _("refused: the name is a symbolic link"));
		else if (errno == EEXIST)
			snprintf(err, errlen, "%s", _("refused: the file exists (choose another name)"));
		else
			snprintf(err, errlen, _("cannot create the file: %s"), strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		snprintf(err, errlen, _("cannot create the file: %s"), strerror(errno));
		close(fd);
		unlink(path);
	}
	return f;
}

/* Writes out and empties it; remembers the first error. */
static void flush_part(FILE *f, struct buf *out, int *err)
{
	if (out->len && !*err && fwrite(out->data, 1, out->len, f) != out->len)
		*err = errno ? errno : EIO;
	buf_reset(out);
}

static void write_panes(FILE *f, struct buf *out, const struct app *a, int *err)
{
	size_t np = a->panes.em ? epman_count(a->panes.em) : 0;

	buf_puts(out, ",\n\"panes\": [");
	for (size_t i = 0; i < np; i++) {
		struct pane *p = epman_pane(a->panes.em, i);
		struct transcript *tr = endpoint_transcript(p->ep);
		struct buf title = BUF_INIT;
		size_t n = tr ? transcript_count(tr) : 0;

		/* the title is escaped for a terminal: JSON takes it as text */
		endpoint_title(p->ep, ESC_UTF8, &title);
		buf_printf(out, "%s\n{\"id\": %u, \"title\": \"", i ? "," : "", p->id);
		esc_json(out, title.data ? title.data : "", title.len);
		buf_printf(out, "\", \"evicted\": %" PRIu64 ", \"transcript\": [",
			   tr ? transcript_evicted(tr) : 0);
		buf_free(&title);
		for (size_t k = 0; k < n; k++) {
			const struct tr_entry *e = transcript_get(tr, k);

			buf_printf(out, "%s\n {\"time\": \"", k ? "," : "");
			iso_time(out, e->wall_ms);
			buf_printf(out, "\", \"kind\": \"%s\", \"peer\": \"",
				   transcript_kind_name(e->kind));
			esc_json(out, e->peer, e->peer_len);
			buf_puts(out, "\", \"data\": \"");
			esc_json(out, e->data, e->len);
			buf_printf(out, "\", \"bytes\": %zu}", e->orig_len);
			if (out->len > 65536)
				flush_part(f, out, err);
		}
		buf_puts(out, "]}");
	}
	buf_puts(out, "]");
}

int export_write(FILE *f, const struct app *a, int64_t now)
{
	struct buf out = BUF_INIT;
	int err = 0;

	buf_printf(&out, "{\"sockview_export\": 1, \"version\": \"%s\", \"time\": \"",
		   PACKAGE_VERSION);
	iso_time(&out, now + a->wall_off);
	buf_puts(&out, "\",\n\"sockets\": [");
	for (size_t i = 0, k = 0; i < a->table.nrows; i++) {
		const struct table_row *r = &a->table.rows[i];

		if (r->flags & ROW_GONE)
			continue;
		buf_puts(&out, k++ ? ",\n" : "\n");
		output_json_sock_pm(&out, a->table.pm, r->s);
		if (out.len > 65536)
			flush_part(f, &out, &err);
	}
	buf_printf(&out, "],\n\"events\": {\"kept\": %zu, \"dropped\": %" PRIu64
		   ", \"bound\": %zu, \"list\": [",
		   a->events.n, a->events.dropped, a->events.cap);
	for (size_t i = 0; i < a->events.n; i++) {
		const struct ev_event *e = ev_log_at(&a->events, i);

		buf_puts(&out, i ? ",\n" : "\n");
		evout_json(&out, e, e->t_ms + a->wall_off, a->table.pm);
		if (out.len > 65536)
			flush_part(f, &out, &err);
	}
	buf_puts(&out, "]}");
	write_panes(f, &out, a, &err);
	buf_puts(&out, "}\n");
	flush_part(f, &out, &err);
	buf_free(&out);
	if (!err && fflush(f) == EOF)
		err = errno ? errno : EIO;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

unsigned app_export_prompt(struct app *a, int64_t now)
{
	char path[LINEEDIT_TEXT_MAX + 1];

	if (!export_default_path(path, sizeof(path), now + a->wall_off))
		snprintf(path, sizeof(path), "sockview-session.json");
	a->prompt = PROMPT_EXPORT;
	lineedit_set(&a->edit, path);
	return APP_REDRAW;
}

unsigned app_export_submit(struct app *a, int64_t now)
{
	char err[512];
	FILE *f = export_create(a->edit.text, err, sizeof(err));

	if (!f) {
		/* the prompt stays open: another name may do */
		app_message(a, true, now, "%s", err);
		return APP_REDRAW;
	}
	if (export_write(f, a, now) < 0) {
		int e = errno;

		fclose(f);
		app_message(a, true, now, _("export to %s failed: %s"), a->edit.text, strerror(e));
		a->prompt = PROMPT_NONE;
		return APP_REDRAW;
	}
	if (fclose(f) == EOF) {
		app_message(a, true, now, _("export to %s failed: %s"), a->edit.text,
			    strerror(errno));
	} else {
		app_message(a, false, now, _("session written to %s"), a->edit.text);
	}
	a->prompt = PROMPT_NONE;
	return APP_REDRAW;
}
