/* export.h - the session export (E in the live view): one JSON document
 * with the table as --once prints it, the event log, and every pane's
 * transcript with timestamps.
 *
 * The document (keys are only ever added):
 *   {"sockview_export": 1, "version": "0.1.0", "time": "...Z",
 *    "sockets": [ the --once --format=json objects of the table's rows ],
 *    "events": {"kept": N, "dropped": D, "bound": B,
 *               "list": [ the --watch event objects, oldest first ]},
 *    "panes": [ {"id": 1, "title": "...", "evicted": E,
 *                "transcript": [ {"time": "...Z", "kind": "recv",
 *                                 "peer": "...", "data": "...",
 *                                 "bytes": N} ] } ] }
 *
 * The file is created new (O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600): an
 * existing file or a symbolic link is refused, and so is a directory that
 * anyone may write to without the sticky bit (another user could swap the
 * name). Errors are messages; nothing here prints. */
#ifndef SOCKVIEW_EXPORT_H
#define SOCKVIEW_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct app;

/* The default file name for a session exported at wall_ms (ms since the
 * epoch): sockview/session-YYYYmmdd-HHMMSS.json under $XDG_STATE_HOME (or
 * ~/.local/state), made 0700 if missing; else in the current directory.
 * Returns false if it does not fit in len. */
bool export_default_path(char *out, size_t len, int64_t wall_ms);
/* Creates path for writing as said above. Returns the stream, or NULL
 * with a translated reason in err. */
FILE *export_create(const char *path, char *err, size_t errlen);
/* Writes the document for a to f at time now (clock_now_ms). Returns 0, or
 * -1 with errno. */
int export_write(FILE *f, const struct app *a, int64_t now);

#endif
