/* ui_caps.h - questions to the terminfo entry (curses). Kept apart because
 * <term.h> defines every capability name (lines, columns, key_help...) as a
 * macro, which would clash with ordinary identifiers elsewhere. */
#ifndef SOCKVIEW_UI_CAPS_H
#define SOCKVIEW_UI_CAPS_H

#include <stdbool.h>

/* True if the current terminal (after newterm/set_term) can address the
 * cursor; "dumb" terminals cannot. */
bool ui_caps_can_move(void);

#endif
