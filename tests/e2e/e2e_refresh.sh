#!/bin/sh
# e2e_refresh.sh - Ctrl-L refreshes now (issue 12 item 5): with -d 3600 the
# table would wait an hour for a socket opened after the start; the header
# says the interval is long and how to refresh; Ctrl-L brings the socket in
# at once, on the table and on the help screen, and the view stays paused
# when it was.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_start_shell 120 40

tl_start_sockview -t -d 3600
tl_wait_for 'F1Help' || tl_fail "no table"
tl_wait_for 'Refresh 1 h \(Ctrl-L refreshes now\)' || tl_fail "the long interval is not shown"

tl_sockets "$TL_TMP/s1" listen 127.0.0.1 0
P=$(sed -n 's/^PORT=//p' "$TL_TMP/s1")
[ -n "$P" ] || tl_fail "no port from the socket helper"
# an hour-long interval: the listener opened after the start is not shown
# yet, whatever the machine's speed (no refresh is due)
tl_screen | grep -Eq "127\.0\.0\.1:$P " && tl_fail "the table refreshed by itself"
tl_keys C-l
tl_wait_for "127\.0\.0\.1:$P +\*" || tl_fail "Ctrl-L did not refresh the table"

# paused, then a second socket and Ctrl-L in the help screen
tl_keys Space
tl_wait_for 'PAUSED' || tl_fail "Space did not pause"
tl_sockets "$TL_TMP/s2" listen 127.0.0.1 0
P2=$(sed -n 's/^PORT=//p' "$TL_TMP/s2")
tl_keys '?'
tl_wait_for 'sockview keys' || tl_fail "no help"
tl_wait_for 'Ctrl-L +redraw the screen and refresh the sockets now' ||
	tl_fail "the help does not say what Ctrl-L does"
tl_keys C-l Escape
tl_wait_for "127\.0\.0\.1:$P2 +\*" || tl_fail "Ctrl-L in the help did not refresh"
tl_wait_for 'PAUSED' || tl_fail "Ctrl-L resumed the live refresh"

tl_keys F10
tl_wait_for '^SV-EXIT=0$' || tl_fail "F10 did not quit"
exit 0
