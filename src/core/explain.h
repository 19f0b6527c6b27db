/* explain.h - what a socket's queues and timer mean, in words, for the
 * learner (no curses): one line under the table for the selected row, and
 * lines in the details. The state's own meaning is view_state_explain()
 * (screen_details.c). Texts are the program's (translated); the numbers
 * come from the record. */
#ifndef SOCKVIEW_EXPLAIN_H
#define SOCKVIEW_EXPLAIN_H

#include "buf.h"
#include "sock.h"

/* What Recv-Q and Send-Q hold for this socket in its state (the accept
 * queue of a listener, unread and unacknowledged bytes of a connection). */
void explain_queues(const struct sock *s, struct buf *out);
/* What the running kernel timer is for; nothing when none runs. */
void explain_timer(const struct sock *s, struct buf *out);
/* One line: "STATE: meaning; queues; timer" (for the table's footer). */
void explain_line(const struct sock *s, struct buf *out);

#endif
