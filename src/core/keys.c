/* keys.c - the key bindings of SPEC §5. */
#include "config.h"

#include <stdio.h>

#include "i18n.h"
#include "keys.h"

struct binding {
	int key;
	enum action act;
};

/* Letters act only where no text input has the focus. */
static const struct binding table[] = {
	{ 'q', ACT_QUIT },
	{ KC_F10, ACT_QUIT },
	{ '?', ACT_HELP },
	{ 'h', ACT_HELP },
	{ KC_F1, ACT_HELP },
	{ 't', ACT_TOGGLE_TCP },
	{ 'u', ACT_TOGGLE_UDP },
	{ 'x', ACT_TOGGLE_UNIX },
	{ 'w', ACT_TOGGLE_RAW },
	{ '4', ACT_IPV4 },
	{ '6', ACT_IPV6 },
	{ 'l', ACT_LISTENING },
	{ '/', ACT_SEARCH },
	{ KC_F3, ACT_SEARCH },
	{ 'f', ACT_FILTER },
	{ KC_F4, ACT_FILTER },
	{ 's', ACT_SORT },
	{ KC_F6, ACT_SORT },
	{ 'r', ACT_REVERSE },
	{ KC_UP, ACT_UP },
	{ 'k', ACT_UP },
	{ KC_DOWN, ACT_DOWN },
	{ 'j', ACT_DOWN },
	{ KC_PGUP, ACT_PGUP },
	{ KC_CTRL('b'), ACT_PGUP },
	{ KC_PGDN, ACT_PGDN },
	{ KC_CTRL('f'), ACT_PGDN },
	{ KC_HOME, ACT_HOME },
	{ 'g', ACT_HOME },
	{ KC_END, ACT_END },
	{ 'G', ACT_END },
	{ KC_ENTER, ACT_DETAILS },
	{ 'p', ACT_PEER },
	{ ' ', ACT_PAUSE },
	{ '+', ACT_FASTER },
	{ '=', ACT_FASTER },
	{ '-', ACT_SLOWER },
	{ 'c', ACT_COLUMNS },
	{ KC_F5, ACT_COLUMNS },
	{ 'n', ACT_NEW_ENDPOINT },
	{ KC_F2, ACT_NEW_ENDPOINT },
	{ KC_TAB, ACT_FOCUS_NEXT },
	{ KC_BTAB, ACT_FOCUS_PREV },
	{ KC_F8, ACT_CLOSE_PANE },
	{ KC_F7, ACT_SHOW_SOCKET },
	{ KC_F11, ACT_ZOOM },
	{ KC_CTRL('o'), ACT_ZOOM },
	{ KC_F12, ACT_HEX },
	{ KC_CTRL('x'), ACT_HEX },
	{ KC_F9, ACT_DESTROY },
	{ KC_ESC, ACT_BACK },
	{ KC_CTRL('l'), ACT_REDRAW },
	{ KC_RESIZE, ACT_REDRAW },
};

enum action keys_action(int key)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].key == key)
			return table[i].act;
	return ACT_NONE;
}

enum action keys_prompt_action(int key)
{
	/* Function keys and Ctrl-L only: anything printable is text. */
	if ((key >= KC_F1 && key <= KC_F12) || key == KC_CTRL('l') || key == KC_RESIZE ||
	    key == KC_TAB || key == KC_BTAB)
		return keys_action(key);
	return ACT_NONE;
}

enum action keys_input_action(int key)
{
	if ((key >= KC_F1 && key <= KC_F12) || key == KC_CTRL('l') || key == KC_RESIZE ||
	    key == KC_TAB || key == KC_BTAB || key == KC_ESC || key == KC_CTRL('o') ||
	    key == KC_CTRL('x'))
		return keys_action(key);
	return ACT_NONE;
}

static const struct key_help help[] = {
	{ "q F10", N_("quit") },
	{ "? h F1", N_("this help (Esc closes)") },
	{ "t u x w", N_("show/hide TCP, UDP, Unix, raw sockets") },
	{ "4 6", N_("IPv4 only / IPv6 only (press again: both)") },
	{ "l", N_("listening (and unconnected bound) sockets only") },
	{ "/ F3", N_("search: incremental match on the visible columns; Esc clears") },
	{ "f F4", N_("filter expression, with history (Up/Down on the prompt)") },
	{ "s F6", N_("choose the sort column") },
	{ "r", N_("reverse the sort order") },
	{ "Up Down j k", N_("move the selection") },
	{ "PgUp PgDn Home End", N_("move the selection by pages, to the ends") },
	{ "Enter", N_("details of the selected socket (Esc closes)") },
	{ "p", N_("jump to the local peer socket (other end of the connection)") },
	{ "Space", N_("pause / resume the live refresh") },
	{ "+ -", N_("refresh faster / slower") },
	{ "c F5", N_("choose the optional columns (UID, inode, RTT, rates...)") },
	{ "n F2", N_("new test endpoint: echo, chat, greeting or sink server, or a client") },
	{ "Tab S-Tab", N_("move the focus between the table and the panes") },
	{ "Enter", N_("in a pane: send the line typed (Up/Down: earlier lines)") },
	{ "PgUp PgDn", N_("in a pane: scroll its transcript") },
	{ "Esc", N_("in a pane: back to the table") },
	{ "F7", N_("select the focused pane's socket in the table (again: the next one)") },
	{ "F8", N_("close the focused pane and its sockets") },
	{ "F11 Ctrl-O", N_("the focused pane on the whole screen, and back") },
	{ "F12 Ctrl-X", N_("hex view of the focused pane's data, and back") },
	{ "F9", N_("destroy the selected socket (not available yet)") },
	{ "Ctrl-L", N_("redraw the screen") },
	{ "Ctrl-Z", N_("suspend sockview (fg in the shell brings it back)") },
	{ N_("mouse"), N_("click a row to select it (double click: details), a column title "
			  "to sort by it (again: reverse), the wheel scrolls") },
};

const struct key_help *keys_help(size_t *n)
{
	*n = sizeof(help) / sizeof(help[0]);
	return help;
}

void keys_name(int key, char *dst, size_t len)
{
	static const char *const names[] = {
		"Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End",
		"Enter", "Esc", "Backspace", "Delete", "Tab", "S-Tab",
	};

	if (!len)
		return;
	if (key >= KC_F1 && key <= KC_F12)
		snprintf(dst, len, "F%d", key - KC_F1 + 1);
	else if (key >= KC_SPECIAL && key - KC_SPECIAL < (int)(sizeof(names) / sizeof(names[0])))
		snprintf(dst, len, "%s", names[key - KC_SPECIAL]);
	else if (key == ' ')
		snprintf(dst, len, "Space");
	else if (key > 0 && key < 0x20)
		snprintf(dst, len, "Ctrl-%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(dst, len, "%c", key);
	else
		snprintf(dst, len, "U+%04X", (unsigned)key);
}
