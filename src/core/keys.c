/* keys.c - the key bindings of SPEC §5, and the key names of the help and
 * the footer, made from them. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "keys.h"

struct binding {
	int key;
	enum action act;
	unsigned flags; /* KB_* */
};

#define KB_HELP 1u   /* listed in the help (else a synonym it leaves out) */
#define KB_FOOTER 2u /* the footer's key for act (else the first binding of act) */

/* Letters act only where no text input has the focus. The order is the
 * help's: the help lists the KB_HELP keys of a line's actions as they come
 * here ("Up Down j k"). */
static const struct binding table[] = {
	{ 'q', ACT_QUIT, KB_HELP },
	{ KC_F10, ACT_QUIT, KB_HELP | KB_FOOTER },
	{ '?', ACT_HELP, KB_HELP },
	{ 'h', ACT_HELP, KB_HELP },
	{ KC_F1, ACT_HELP, KB_HELP | KB_FOOTER },
	{ 't', ACT_TOGGLE_TCP, KB_HELP },
	{ 'u', ACT_TOGGLE_UDP, KB_HELP },
	{ 'x', ACT_TOGGLE_UNIX, KB_HELP },
	{ 'w', ACT_TOGGLE_RAW, KB_HELP },
	{ '0', ACT_TOGGLE_PACKET, KB_HELP },
	{ 'L', ACT_TOGGLE_NETLINK, KB_HELP },
	{ 'M', ACT_TOGGLE_MPTCP, KB_HELP },
	{ '4', ACT_IPV4, KB_HELP },
	{ '6', ACT_IPV6, KB_HELP },
	{ 'l', ACT_LISTENING, KB_HELP },
	{ '/', ACT_SEARCH, KB_HELP },
	{ KC_F3, ACT_SEARCH, KB_HELP },
	{ 'f', ACT_FILTER, KB_HELP },
	{ KC_F4, ACT_FILTER, KB_HELP | KB_FOOTER },
	{ 's', ACT_SORT, KB_HELP },
	{ KC_F6, ACT_SORT, KB_HELP | KB_FOOTER },
	{ 'r', ACT_REVERSE, KB_HELP },
	{ KC_UP, ACT_UP, KB_HELP },
	{ KC_DOWN, ACT_DOWN, KB_HELP },
	{ 'j', ACT_DOWN, KB_HELP },
	{ 'k', ACT_UP, KB_HELP },
	{ KC_PGUP, ACT_PGUP, KB_HELP },
	{ KC_CTRL('b'), ACT_PGUP, 0 },
	{ KC_PGDN, ACT_PGDN, KB_HELP },
	{ KC_CTRL('f'), ACT_PGDN, 0 },
	{ KC_HOME, ACT_HOME, KB_HELP },
	{ KC_END, ACT_END, KB_HELP },
	{ 'G', ACT_END, 0 },
	{ KC_ENTER, ACT_DETAILS, KB_HELP },
	{ 'p', ACT_PEER, KB_HELP },
	{ ' ', ACT_PAUSE, KB_HELP },
	{ '+', ACT_FASTER, KB_HELP },
	{ '=', ACT_FASTER, 0 },
	{ '-', ACT_SLOWER, KB_HELP },
	{ 'c', ACT_COLUMNS, KB_HELP },
	{ KC_F5, ACT_COLUMNS, KB_HELP },
	{ 'n', ACT_NEW_ENDPOINT, KB_HELP },
	{ KC_F2, ACT_NEW_ENDPOINT, KB_HELP | KB_FOOTER },
	{ KC_TAB, ACT_FOCUS_NEXT, KB_HELP },
	{ KC_BTAB, ACT_FOCUS_PREV, KB_HELP },
	{ KC_F8, ACT_CLOSE_PANE, KB_HELP },
	{ KC_F7, ACT_SHOW_SOCKET, KB_HELP },
	{ KC_F11, ACT_ZOOM, KB_HELP },
	{ KC_CTRL('o'), ACT_ZOOM, KB_HELP | KB_FOOTER },
	{ KC_F12, ACT_HEX, KB_HELP },
	{ KC_CTRL('x'), ACT_HEX, KB_HELP | KB_FOOTER },
	{ 'P', ACT_PANES, KB_HELP },
	{ 'N', ACT_NETNS, KB_HELP },
	{ KC_F9, ACT_DESTROY, KB_HELP },
	{ 'e', ACT_EVENTS, KB_HELP },
	{ 'E', ACT_EXPORT, KB_HELP },
	{ KC_ESC, ACT_BACK, KB_HELP },
	{ KC_CTRL('l'), ACT_REDRAW, KB_HELP },
	{ 'g', ACT_GROUP, KB_HELP },
	{ 'S', ACT_GROUP_SERVICE, KB_HELP },
	{ 'T', ACT_TOUR, KB_HELP },
	{ KC_CTRL('t'), ACT_LINES, KB_HELP },
};

#define NBINDINGS (sizeof(table) / sizeof(table[0]))

enum action keys_action(int key)
{
	for (size_t i = 0; i < NBINDINGS; i++)
		if (table[i].key == key)
			return table[i].act;
	return ACT_NONE;
}

enum action keys_prompt_action(int key)
{
	/* Function keys and Ctrl-L only: anything printable is text. */
	if ((key >= KC_F1 && key <= KC_F12) || key == KC_CTRL('l') ||
	    key == KC_TAB || key == KC_BTAB)
		return keys_action(key);
	return ACT_NONE;
}

enum action keys_input_action(int key)
{
	if ((key >= KC_F1 && key <= KC_F12) || key == KC_CTRL('l') ||
	    key == KC_TAB || key == KC_BTAB || key == KC_ESC || key == KC_CTRL('o') ||
	    key == KC_CTRL('x') || key == KC_CTRL('t'))
		return keys_action(key);
	return ACT_NONE;
}

/* Most lines name actions. The exceptions name key codes that other code
 * reads before the table (the reader says which; the unit test checks). */
static const struct key_help help[] = {
	{ KEYS_ACT(ACT_QUIT), KR_TABLE, N_("quit") },
	{ KEYS_ACT(ACT_HELP), KR_TABLE, N_("this help (Esc closes)") },
	{ KEYS_ACT(ACT_TOGGLE_TCP, ACT_TOGGLE_UDP, ACT_TOGGLE_UNIX, ACT_TOGGLE_RAW), KR_TABLE,
	  N_("show/hide TCP, UDP, Unix, raw sockets") },
	{ KEYS_ACT(ACT_TOGGLE_PACKET, ACT_TOGGLE_NETLINK, ACT_TOGGLE_MPTCP), KR_TABLE,
	  N_("show/hide packet, netlink (hidden at start), MPTCP sockets") },
	{ KEYS_ACT(ACT_IPV4, ACT_IPV6), KR_TABLE,
	  N_("IPv4 only / IPv6 only (press again: both)") },
	{ KEYS_ACT(ACT_LISTENING), KR_TABLE, N_("listening (and unconnected bound) sockets only") },
	{ KEYS_ACT(ACT_SEARCH), KR_TABLE,
	  N_("search: incremental match on the visible columns; Esc clears") },
	{ KEYS_ACT(ACT_FILTER), KR_TABLE,
	  N_("filter expression, with history (Up/Down on the prompt)") },
	/* the filter prompt reads F1 itself (app.c's prompt_key) */
	{ KEYS_RAW(KC_F1), KR_PROMPT,
	  N_("on the filter prompt: the filter language, its terms and examples "
	     "(Esc: back to the prompt)") },
	{ KEYS_ACT(ACT_SORT), KR_TABLE, N_("choose the sort column") },
	{ KEYS_ACT(ACT_REVERSE), KR_TABLE, N_("reverse the sort order") },
	{ KEYS_ACT(ACT_UP, ACT_DOWN), KR_TABLE, N_("move the selection") },
	{ KEYS_ACT(ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END), KR_TABLE,
	  N_("move the selection by pages, to the ends") },
	{ KEYS_ACT(ACT_DETAILS), KR_TABLE, N_("details of the selected socket (Esc closes)") },
	{ KEYS_ACT(ACT_PEER), KR_TABLE,
	  N_("jump to the local peer socket (other end of the connection)") },
	{ KEYS_ACT(ACT_PAUSE), KR_TABLE, N_("pause / resume the live refresh") },
	{ KEYS_ACT(ACT_FASTER, ACT_SLOWER), KR_TABLE, N_("refresh faster / slower (slower by itself while refreshes are slow)") },
	{ KEYS_ACT(ACT_COLUMNS), KR_TABLE,
	  N_("choose the optional columns (UID, inode, RTT, rates...)") },
	{ KEYS_ACT(ACT_NETNS), KR_TABLE,
	  N_("choose the network namespace shown, or all of them (Netns column)") },
	{ KEYS_ACT(ACT_NEW_ENDPOINT), KR_TABLE,
	  N_("new test endpoint: echo, chat, greeting or sink server, or a client") },
	{ KEYS_ACT(ACT_FOCUS_NEXT, ACT_FOCUS_PREV), KR_TABLE,
	  N_("move the focus between the table and the panes") },
	/* the pane's line editor and transcript read these (pane.c) */
	{ KEYS_RAW(KC_ENTER), KR_PANE,
	  N_("in a pane: send the line typed (Up/Down: earlier lines)") },
	{ KEYS_RAW(KC_PGUP, KC_PGDN), KR_PANE, N_("in a pane: scroll its transcript") },
	{ KEYS_RAW(KC_CTRL('d')), KR_PANE,
	  N_("in a client pane, on an empty line: half-close (shut the sending side; the "
	     "server reads the end of file and can still answer)") },
	{ KEYS_RAW(KC_CTRL('p')), KR_PANE,
	  N_("in a client pane: send the bytes of the file whose path is typed (a regular "
	     "file, at most 16 MiB)") },
	/* app_pane_key reads Esc itself; the test checks it is ACT_BACK's key */
	{ KEYS_ACT(ACT_BACK), KR_TABLE, N_("in a pane: back to the table") },
	{ KEYS_ACT(ACT_SHOW_SOCKET), KR_TABLE,
	  N_("select the focused pane's socket in the table (again: the next one)") },
	{ KEYS_ACT(ACT_CLOSE_PANE), KR_TABLE, N_("close the focused pane and its sockets") },
	{ KEYS_ACT(ACT_ZOOM), KR_TABLE, N_("the focused pane on the whole screen, and back") },
	{ KEYS_ACT(ACT_HEX), KR_TABLE, N_("hex view of the focused pane's data, and back") },
	{ KEYS_ACT(ACT_LINES), KR_TABLE,
	  N_("the focused pane's data as text lines (an HTTP reply as written), or as one "
	     "escaped stream") },
	{ KEYS_ACT(ACT_PANES), KR_TABLE,
	  N_("hide or show all the panes (the table takes the whole body)") },
	{ KEYS_ACT(ACT_DESTROY), KR_TABLE, N_("destroy the selected socket (SOCK_DESTROY, asks first; needs CAP_NET_ADMIN)") },
	{ KEYS_ACT(ACT_REDRAW), KR_TABLE, N_("redraw the screen and refresh the sockets now") },
	{ KEYS_ACT(ACT_GROUP), KR_TABLE,
	  N_("group by process: sockets per kind and state, summed TCP rates (s sorts, "
	     "Enter expands a process); again: back to the table") },
	{ KEYS_ACT(ACT_GROUP_SERVICE), KR_TABLE,
	  N_("group by service or container (the Service column's: systemd unit, "
	     "container, pod); again: back to the table; g and S switch between the "
	     "two groupings") },
	{ KEYS_ACT(ACT_EVENTS), KR_TABLE,
	  N_("the event log: births, deaths and changes of sockets (Enter: select it)") },
	{ KEYS_ACT(ACT_EXPORT), KR_TABLE,
	  N_("export the session (table, event log, pane transcripts) to a JSON file") },
	{ KEYS_ACT(ACT_TOUR), KR_TABLE,
	  N_("the guided tour of the tutorials' experiments (Esc leaves it, T resumes it)") },
	/* the terminal driver turns Ctrl-Z into SIGTSTP, which the loop
	 * handles; the mouse comes as KC_MOUSE events (live.c) */
	{ KEYS_RAW(KC_CTRL('z')), KR_TERMINAL,
	  N_("suspend sockview (fg in the shell brings it back)") },
	{ KEYS_RAW(KC_MOUSE), KR_TERMINAL,
	  N_("click a row to select it (double click: details), a column title "
	     "to sort by it (again: reverse), the wheel scrolls") },
};

const struct key_help *keys_help(size_t *n)
{
	*n = sizeof(help) / sizeof(help[0]);
	return help;
}

void keys_name(int key, bool brief, char *dst, size_t len)
{
	static const char *const names[] = {
		"Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End",
		"Enter", "Esc", "Backspace", "Delete", "Tab", "S-Tab",
	};

	if (!len)
		return;
	if (key >= KC_F1 && key <= KC_F12)
		snprintf(dst, len, "F%d", key - KC_F1 + 1);
	else if (brief && key == KC_DOWN)
		snprintf(dst, len, "Dn");
	else if (key >= KC_SPECIAL && key - KC_SPECIAL < (int)(sizeof(names) / sizeof(names[0])))
		snprintf(dst, len, "%s", names[key - KC_SPECIAL]);
	else if (key == KC_MOUSE)
		snprintf(dst, len, "%s", N_("mouse")); /* the help screen translates it */
	else if (key == ' ')
		snprintf(dst, len, "Space");
	else if (key > 0 && key < 0x20)
		snprintf(dst, len, brief ? "^%c" : "Ctrl-%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(dst, len, "%c", key);
	else
		snprintf(dst, len, "U+%04X", (unsigned)key);
}

/* Appends s to dst (len bytes, NUL-terminated), cutting what does not fit. */
static void keys_append(char *dst, size_t len, const char *s)
{
	size_t at = strlen(dst);

	if (at < len)
		snprintf(dst + at, len - at, "%s", s);
}

static bool keys_set_has(const struct key_set *ks, enum action act)
{
	for (size_t i = 0; i < KEYS_SET_MAX && ks->act[i] != ACT_NONE; i++)
		if (ks->act[i] == act)
			return true;
	return false;
}

void keys_help_text(const struct key_set *ks, char *dst, size_t len)
{
	char name[32];

	if (!len)
		return;
	dst[0] = '\0';
	if (ks->act[0] == ACT_NONE) {
		for (size_t i = 0; i < KEYS_SET_MAX && ks->key[i] != KC_NONE; i++) {
			keys_name(ks->key[i], false, name, sizeof(name));
			if (i)
				keys_append(dst, len, " ");
			keys_append(dst, len, name);
		}
		return;
	}
	for (size_t i = 0; i < NBINDINGS; i++) {
		if (!(table[i].flags & KB_HELP) || !keys_set_has(ks, table[i].act))
			continue;
		keys_name(table[i].key, false, name, sizeof(name));
		if (dst[0])
			keys_append(dst, len, " ");
		keys_append(dst, len, name);
	}
}

/* The footer's key for act: the binding marked so, else the first. */
static int keys_footer_key(enum action act)
{
	int key = KC_NONE;

	for (size_t i = 0; i < NBINDINGS; i++) {
		if (table[i].act != act)
			continue;
		if (table[i].flags & KB_FOOTER)
			return table[i].key;
		if (key == KC_NONE)
			key = table[i].key;
	}
	return key;
}

void keys_hint_text(const struct key_set *ks, char *dst, size_t len)
{
	char name[32], prev[32] = "";
	bool acts = ks->act[0] != ACT_NONE;

	if (!len)
		return;
	dst[0] = '\0';
	for (size_t i = 0; i < KEYS_SET_MAX; i++) {
		int key = acts ? (ks->act[i] == ACT_NONE ? KC_NONE : keys_footer_key(ks->act[i]))
			       : ks->key[i];
		size_t same = 0;

		if (key == KC_NONE)
			break;
		keys_name(key, true, name, sizeof(name));
		/* PgUp/PgDn reads as PgUp/Dn: drop a prefix shared with the
		 * name before, up to where a new capitalised word starts */
		while (name[same] && name[same] == prev[same])
			same++;
		while (same && !isupper((unsigned char)name[same]))
			same--;
		if (i) {
			char sep[2] = { ks->sep ? ks->sep : '/', '\0' };

			keys_append(dst, len, sep);
		}
		keys_append(dst, len, name + same);
		snprintf(prev, sizeof(prev), "%s", name);
	}
}
