#!/bin/sh
# e2e_keys.sh - the other keys of SPEC §5: help, the filter prompt with its
# error message and history, 4/6, pause, +/-, the columns screen, the keys
# of the endpoints without any open; colours off with NO_COLOR; the C locale.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_sockets "$TL_TMP/s1" basic "$TL_TMP"
P=$(tl_get "$TL_TMP/s1" PORT)
C=$(tl_get "$TL_TMP/s1" CPORT)

tl_start_shell 120 40
tl_start_sockview -d 0.2
tl_wait_for 'F1Help' || tl_fail "no table"

# Help
tl_keys '?'
tl_wait_for 'sockview keys' || tl_fail "? shows no help"
tl_wait_for 'show/hide TCP, UDP, Unix, raw sockets' || tl_fail "the help lacks t u x w"
tl_wait_for 'jump to the local peer socket' || tl_fail "the help lacks p"
tl_keys Escape
tl_wait_gone 'sockview keys' || tl_fail "Esc does not close the help"
tl_keys F1
tl_wait_for 'sockview keys' || tl_fail "F1 shows no help"
tl_keys Escape

# Filter: only the sockets whose local port is P.
LISTENER="^tcp +LISTEN .*127\.0\.0\.1:$P "
CLIENT="^tcp +ESTAB +[0-9]+ +[0-9]+ +127\.0\.0\.2:$C "
tl_keys /
tl_text ":$P"
tl_keys Enter
tl_wait_for "$CLIENT" || tl_fail "client not shown"
tl_keys f
tl_wait_for '^Filter:' || tl_fail "f opens no prompt"
tl_text "sport = $P"
tl_keys Enter
tl_wait_for "Filter sport = $P" || tl_fail "the header does not show the filter"
tl_wait_gone "$CLIENT" || tl_fail "the filter did not hide the client side"
tl_wait_for "$LISTENER" || tl_fail "the filter hid the listener"
# a wrong expression: a message, the prompt stays, the old filter too
tl_keys F4
tl_keys C-u
tl_text "sport = )"
tl_keys Enter
tl_wait_for '^Filter: sport = \)' || tl_fail "the prompt closed on an error"
tl_wait_for 'filter: .*column' || tl_fail "no error message pointing at the column"
tl_wait_for "Filter sport = $P" || tl_fail "the old filter was lost"
tl_keys Escape
tl_wait_gone '^Filter:' || tl_fail "Esc does not close the prompt"
# history
tl_keys f
tl_keys Up
tl_wait_for '^Filter: sport = \)' || tl_fail "Up does not recall the last expression"
tl_keys Up
tl_wait_for "^Filter: sport = $P\$" || tl_fail "Up does not recall the one before"
tl_keys C-u
tl_keys Enter
tl_wait_for 'Filter none' || tl_fail "an empty filter does not clear it"
tl_wait_for "$CLIENT" || tl_fail "clearing the filter did not bring the client back"

# 4 / 6
tl_keys 4
tl_wait_for 'IPv4 only' || tl_fail "4 does nothing"
tl_wait_for "$CLIENT" || tl_fail "4 hid an IPv4 socket"
tl_keys 6
tl_wait_for 'IPv6 only' || tl_fail "6 does nothing"
tl_wait_gone "$CLIENT" || tl_fail "6 did not hide the IPv4 sockets"
tl_keys 6
tl_wait_gone 'IPv[46] only' || tl_fail "6 again does not show both"
tl_wait_for "$CLIENT" || tl_fail "both families: the client is missing"

# Pause: a new socket does not show until the refresh resumes.
tl_keys Space
tl_wait_for '^PAUSED' || tl_fail "Space does not pause"
tl_sockets "$TL_TMP/s2" listen 127.0.0.4 0
P2=$(tl_get "$TL_TMP/s2" PORT)
NEW="^tcp +LISTEN .*127\.0\.0\.4:$P2 "
tl_keys /
tl_keys C-u
tl_text "127.0.0.4:$P2"
tl_keys Enter
tl_wait_for "Search 127\.0\.0\.4:$P2" || tl_fail "search while paused"
# at -d 0.2, two seconds are ten refreshes
TL_WAIT=20 tl_wait_for "$NEW" && tl_fail "the table refreshed while paused"
tl_keys Space
tl_wait_gone '^PAUSED' || tl_fail "Space does not resume"
tl_wait_for "$NEW" || tl_fail "the new listener did not appear after resuming"

# + and -
tl_keys Escape
tl_keys -
tl_wait_for 'Refresh 500 ms' || tl_fail "- does not slow down"
tl_keys -
tl_wait_for 'Refresh 1 s' || tl_fail "- does not slow down to 1 s"
tl_keys +
tl_wait_for 'Refresh 500 ms' || tl_fail "+ does not speed up"

# The endpoint keys without any endpoint open: n and F2 open the menu (Esc
# closes it), Tab and F8 say there is no pane.
for k in n F2; do
	tl_keys "$k"
	tl_wait_for 'New endpoint: choose what to open' || tl_fail "$k: no endpoint menu"
	tl_keys Escape
	tl_wait_gone 'New endpoint: choose' || tl_fail "$k: Esc does not close the menu"
done
tl_keys Tab
tl_wait_for 'no panes yet' || tl_fail "Tab: no message"
tl_keys j
tl_wait_gone 'no panes yet' || tl_fail "the message stays after a key"
tl_keys F8
tl_wait_for 'no pane to close' || tl_fail "F8: no message"
tl_keys j
tl_wait_gone 'no pane to close' || tl_fail "the message stays after a key"

# Optional columns
tl_keys c
tl_wait_for '\[ \] User id' || tl_fail "c shows no column menu"
tl_keys Space
tl_wait_for '\[x\] User id' || tl_fail "Space does not tick a column"
tl_keys Escape
tl_wait_for 'Process +UID' || tl_fail "the UID column is not shown"

# Colours: on by default, none with NO_COLOR.
colours() {
	tmx capture-pane -e -p -t "$TL_SESSION" | grep -Ec '\[([0-9]*;)*(3[0-7]|4[0-7]|38|48)(;[0-9]*)*m'
}
[ "$(colours)" -gt 0 ] || tl_fail "no colours by default"
tl_keys q
tl_wait_for '^SV-EXIT=0$' || tl_fail "q did not quit"
tl_type clear
tl_wait_gone 'SV-EXIT' || tl_fail "clear failed"

TL_ENV="NO_COLOR=1" tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table with NO_COLOR"
[ "$(colours)" -eq 0 ] || tl_fail "colours despite NO_COLOR"
tmx capture-pane -e -p -t "$TL_SESSION" | grep -Eq '\[([0-9]*;)*7m' || tl_fail "no reverse video without colours"
tl_keys q
tl_wait_for '^SV-EXIT=0$' || tl_fail "q did not quit"
tl_type clear
tl_wait_gone 'SV-EXIT' || tl_fail "clear failed"

# The C locale: ASCII only (the sort mark is ^, not a triangle).
TL_ENV="LC_ALL=C" tl_start_sockview --no-color
tl_wait_for '^Proto\^ ' || tl_fail "no ASCII sort mark in the C locale"
tl_screen | LC_ALL=C grep -q '[^ -~]' && tl_fail "non-ASCII output in the C locale"
tl_keys q
tl_wait_for '^SV-EXIT=0$' || tl_fail "q did not quit"
tl_check_shell_back q
exit 0
