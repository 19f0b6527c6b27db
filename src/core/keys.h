/* keys.h - key codes and the key -> action table (no curses).
 *
 * The terminal layer turns whatever the terminal sent into a key code: a
 * Unicode code point for text (and control characters as themselves, e.g.
 * 0x0c for Ctrl-L), or one of the KC_* values below for special keys. The
 * table maps key codes to actions; the same table feeds the help screen and
 * the footer: they name actions, and the key names they show are made from
 * the table here, so what is documented is what is bound. */
#ifndef SOCKVIEW_KEYS_H
#define SOCKVIEW_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* Special keys live past the last Unicode code point. */
enum key_code {
	KC_NONE = 0,
	KC_SPECIAL = 0x110000,
	KC_UP = KC_SPECIAL,
	KC_DOWN,
	KC_LEFT,
	KC_RIGHT,
	KC_PGUP,
	KC_PGDN,
	KC_HOME,
	KC_END,
	KC_ENTER,
	KC_ESC,
	KC_BACKSPACE,
	KC_DELETE,
	KC_TAB,
	KC_BTAB, /* Shift-Tab */
	KC_F1,
	KC_F2,
	KC_F3,
	KC_F4,
	KC_F5,
	KC_F6,
	KC_F7,
	KC_F8,
	KC_F9,
	KC_F10,
	KC_F11,
	KC_F12,
	KC_MOUSE, /* handled by the terminal layer, never in the table */
	KC_MAX_
};

#define KC_CTRL(c) ((c) & 0x1f)

enum action {
	ACT_NONE,
	ACT_QUIT,
	ACT_HELP,
	ACT_TOGGLE_TCP,
	ACT_TOGGLE_UDP,
	ACT_TOGGLE_UNIX,
	ACT_TOGGLE_RAW,
	ACT_TOGGLE_PACKET,  /* '0', as ss -0 */
	ACT_TOGGLE_NETLINK, /* 'L' */
	ACT_TOGGLE_MPTCP,   /* 'M', as ss -M */
	ACT_IPV4,
	ACT_IPV6,
	ACT_LISTENING,
	ACT_SEARCH,
	ACT_FILTER,
	ACT_SORT,
	ACT_REVERSE,
	ACT_UP,
	ACT_DOWN,
	ACT_PGUP,
	ACT_PGDN,
	ACT_HOME,
	ACT_END,
	ACT_DETAILS,
	ACT_PEER,
	ACT_PAUSE,
	ACT_FASTER,
	ACT_SLOWER,
	ACT_COLUMNS,
	ACT_NEW_ENDPOINT,
	ACT_FOCUS_NEXT,
	ACT_FOCUS_PREV,
	ACT_CLOSE_PANE,
	ACT_SHOW_SOCKET, /* select the focused pane's socket in the table */
	ACT_ZOOM,        /* the focused pane on the whole body, and back */
	ACT_HEX,         /* hex view of the focused pane's data */
	ACT_PANES,       /* hide or show all the panes */
	ACT_DESTROY,
	ACT_EVENTS, /* the event log screen */
	ACT_EXPORT, /* export the session to a JSON file */
	ACT_BACK,   /* Esc: close the current screen, clear the search */
	ACT_REDRAW, /* Ctrl-L */
	ACT_GROUP,  /* g: the table grouped by process, and back */
	ACT_GROUP_SERVICE, /* S: the table grouped by service, and back */
	ACT_NETNS,  /* N: choose the network namespace shown, or all */
	ACT_TOUR,   /* T: the guided tour */
	ACT_LINES,  /* a pane's data as text lines, and back */
	ACT_MAX_
};

/* The most actions (or keys) one help line or footer hint names. */
#define KEYS_SET_MAX 4

/* The keys a help line or a footer hint shows, named by what they do:
 * actions of the key table (the names are then made from the table, so
 * what is shown is what is bound), or, as an exception, key codes that
 * some code reads itself before the table looks (a pane's line editor,
 * the form, the terminal layer); each such use says which code. */
struct key_set {
	enum action act[KEYS_SET_MAX]; /* ACT_NONE after the last */
	int key[KEYS_SET_MAX];         /* when act[0] is ACT_NONE; KC_NONE after the last */
	char sep;                      /* footer: between keys, '/' if 0; '-': a range */
};

/* Who reads the keys of a help line: the table, or (for key codes) the
 * code that reads them first. The unit test checks each against the
 * table: a pane's keys must not be taken by the table in a pane, the
 * terminal's must not be bound at all. */
enum key_reader {
	KR_TABLE,    /* the line names actions */
	KR_PANE,     /* a focused pane, before the table (pane.c) */
	KR_PROMPT,   /* the filter prompt, before the table (app.c's prompt_key) */
	KR_TERMINAL, /* the terminal layer; they never reach the table */
};

/* One line of the help screen. */
struct key_help {
	struct key_set keys;
	enum key_reader reader;
	const char *what; /* N_() marked; translate with _() when shown */
};

/* A key_set naming actions (the usual case), or key codes (an exception). */
#define KEYS_ACT(...) { .act = { __VA_ARGS__ } }
#define KEYS_RAW(...) { .key = { __VA_ARGS__ } }

/* The action bound to key where no text input has the focus (letters and
 * function keys), or ACT_NONE. */
enum action keys_action(int key);
/* The action of key while a text prompt has the focus: only function keys
 * act (F1, F10...), letters are text. ACT_NONE for everything else. */
enum action keys_prompt_action(int key);
/* The action of key while a pane's input line has the focus: function keys,
 * Tab/Shift-Tab, Esc and the pane's control keys (Ctrl-O zoom, Ctrl-X hex,
 * Ctrl-L); everything else is for the input line (ACT_NONE). */
enum action keys_input_action(int key);

/* The help lines, in display order; *n receives their number. */
const struct key_help *keys_help(size_t *n);

/* A name for key into dst: the help's ("F4", "Enter", "q", "Down",
 * "Ctrl-O"), or with brief the footer's, where space is short ("Dn",
 * "^O"). */
void keys_name(int key, bool brief, char *dst, size_t len);
/* The keys of ks as the help lists them into dst, separated by spaces: for
 * actions, every binding of one of them marked for the help, in table
 * order ("Up Down j k"). "" if none. */
void keys_help_text(const struct key_set *ks, char *dst, size_t len);
/* The keys of ks as the footer shows them into dst: one key per action
 * (the binding marked for the footer, else its first), brief names,
 * joined by ks->sep ("t/u/x/w", "1-5"); a name that starts like the one
 * before it drops the shared word ("PgUp/Dn"). "" if none. */
void keys_hint_text(const struct key_set *ks, char *dst, size_t len);

#endif
