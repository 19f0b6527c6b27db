/* settings.h - the live view's settings kept between runs (core).
 *
 * $XDG_CONFIG_HOME/sockview/sockviewrc (by default ~/.config/sockview/
 * sockviewrc) is a small text file of "key = value" lines, '#' comments:
 *
 *   columns = proto,state,recv-q,send-q,local,peer,process,rtt
 *   sort = local            sort_direction = ascending | descending
 *   delay = 1.5             (seconds, as -d)
 *   show = tcp,udp,unix,raw families = ipv4,ipv6   listening = yes | no
 *   color = yes | no        pane_height = 0 (lines, 0: as the panes need)
 *
 * Column names are the columns' titles in lower case. The live view reads
 * the file at start (the command line overrides what it gives) and, when
 * the user changed one of these while it ran, writes it back at exit,
 * atomically and private (safefile.h). --once never reads it: a script's
 * output does not depend on a file in the user's home.
 *
 * The file is data from outside: a line that is too long, holds control
 * bytes, or names an unknown key or a bad value is skipped with a warning;
 * a file that is not a regular file (a symlink, a FIFO), too large or
 * unreadable is not read at all, and never written over. The parser is
 * pure (settings_parse) so that all of it is tested without a file. */
#ifndef SOCKVIEW_SETTINGS_H
#define SOCKVIEW_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "cell.h"

struct app;
struct options;

/* Which keys a settings value holds (struct settings.have). */
#define SET_COLUMNS 0x01u
#define SET_SORT 0x02u
#define SET_SORT_DIR 0x04u
#define SET_DELAY 0x08u
#define SET_SHOW 0x10u
#define SET_FAMILIES 0x20u
#define SET_LISTENING 0x40u
#define SET_COLOR 0x80u
#define SET_PANE_HEIGHT 0x100u

/* Lines longer than this are skipped; files larger are not read. */
#define SETTINGS_LINE_MAX 1024
#define SETTINGS_FILE_MAX 65536
/* The largest pane_height. */
#define SETTINGS_PANE_MAX 200

struct settings {
	unsigned have;      /* SET_* bits */
	unsigned columns;   /* COL_BIT set */
	enum col sort_col;
	bool sort_reverse;
	int delay_ms;
	unsigned protos;    /* SP_MASK bits */
	unsigned families;  /* SF_* bits */
	bool listening;
	bool color;
	int pane_height;    /* 0: automatic */
};

/* The file's path into out; false if neither XDG_CONFIG_HOME nor HOME is
 * an absolute path, or out is too short. */
bool settings_path(char *out, size_t len);

/* Parses len bytes of a settings file into s (cleared first). Returns the
 * number of lines skipped; the first one's reason, translated and safe to
 * show (escaped), goes to warn. */
int settings_parse(struct settings *s, const char *text, size_t len, char *warn,
		   size_t warnlen);

/* Reads the file at path into s. Returns 0 (a missing file is no
 * settings), 1 if lines were skipped (warn says the first), or -1 if the
 * file was refused or unreadable (s empty; warn says why). */
int settings_load(struct settings *s, const char *path, char *warn, size_t warnlen);

/* The text of s, every key it has, in the file's format. */
void settings_format(const struct settings *s, struct buf *out);

/* Writes s to path (safefile_replace). Returns 0, or -1 with errno. */
int settings_save(const struct settings *s, const char *path);

/* What the app shows now, as settings (every key; color and pane_height
 * as the app has them). */
void settings_from_app(struct settings *s, const struct app *a, bool color);

/* Applies s to a new app, except what the command line o gave (toggles,
 * families, -l, -d, --no-color / NO_COLOR). *color is set from s only when
 * the command line did not decide it. */
void settings_apply(const struct settings *s, struct app *a, const struct options *o,
		    bool *color);

/* The settings to save at exit: old (as loaded) with the keys whose value
 * changed between start and now taken from now. Returns true if anything
 * changed (then the file should be written). */
bool settings_merge_changes(struct settings *out, const struct settings *old,
			    const struct settings *start, const struct settings *now);

/* A live view's session with the file: what was loaded, what the app
 * showed at start, where to save. */
struct settings_session {
	bool active;          /* read (or missing) and may be written at exit */
	char path[4096];
	bool color;           /* colours, after the file and the command line */
	struct settings old;  /* as loaded */
	struct settings start; /* the app after loading */
};

/* Loads the file (unless --no-config) and applies it to the new app a.
 * Returns a one-line warning in warn ("" if none) for the footer. */
void settings_session_open(struct settings_session *ss, struct app *a,
			   const struct options *o, char *warn, size_t warnlen);
/* At exit: writes the file if the user changed a setting during the
 * session. Returns 0, or -1 with errno when it could not be written. */
int settings_session_close(struct settings_session *ss, const struct app *a);

#endif
