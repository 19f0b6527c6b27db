/* evout.h - socket events as text: NDJSON objects and human lines.
 *
 * The one place that says what an event looks like outside: --watch
 * prints these, the export embeds the same objects, the event log screen
 * shows the human line. The socket inside an event is output.c's object,
 * exactly as --once --format=json prints it. Everything from outside
 * (names, process names) is escaped here.
 *
 * An NDJSON event object (keys are only ever added):
 *   {"time": "2026-12-05T14:40:01.123Z", "seq": 7, "event": "gone",
 *    "source": "destroy", "lifetime_ms": 1200, "lifetime": "exact",
 *    "process": {"pid": 42, "comm": "curl"}, "socket": {...}}
 * "event" is born, gone, change or gap; "source" dump or destroy; a change
 * has "changes" (a list of "state", "accept", "queue") and "old_state"
 * when the state changed; an inferred birth (seen only dying) has
 * "inferred": true; a death of a kind without destroy messages (Unix, raw)
 * has "destroy_messages": false; a gap has neither socket nor process. */
#ifndef SOCKVIEW_EVOUT_H
#define SOCKVIEW_EVOUT_H

#include <stdint.h>

#include "buf.h"
#include "escape.h"
#include "events.h"
#include "procmap.h"

/* Appends e as one JSON object (no newline). wall_ms is its time on the
 * real clock (milliseconds since the epoch); pm names the socket object's
 * processes (NULL: none). */
void evout_json(struct buf *out, const struct ev_event *e, int64_t wall_ms,
		const struct procmap *pm);
/* Appends e as one human line (no newline), escaped for cs:
 * "14:40:01.123 gone   tcp ESTAB 127.0.0.1:5000 127.0.0.1:41234 curl/42
 * lived 1.2s (destroy)". With wall_ms < 0 no time is printed. */
void evout_line(struct buf *out, const struct ev_event *e, int64_t wall_ms,
		enum esc_charset cs);
/* A lifetime in a short human form ("850ms", "1.2s", "3m05s", "2h10m"). */
void evout_duration(struct buf *out, int64_t ms);

#endif
