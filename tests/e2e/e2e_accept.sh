#!/bin/sh
# e2e_accept.sh - accept() in the live view: the connection waiting in the
# accept queue (inode 0) names the listener's owner, marked as waiting;
# after accept() it is the same socket (same cookie) with a file: one row,
# no dimmed ghost of it beside a "new" one, and the selection stays on it.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_sockets "$TL_TMP/s1" backlog
P=$(tl_get "$TL_TMP/s1" PORT)
C=$(tl_get "$TL_TMP/s1" CPORT)
HELPER=$(tl_get "$TL_TMP/s1" PID)
[ -n "$P" ] && [ -n "$C" ] && [ -n "$HELPER" ] || tl_fail "no port from the helper"

# A slow refresh: a gone row would stay on screen for 2 s, long enough to
# be seen.
tl_start_shell 140 30
tl_start_sockview -d 2
tl_wait_for 'F1Help' || tl_fail "no table"

# The server side (local 127.0.0.1:P) sorts before the client side
# (local 127.0.0.2:C); both contain "127.0.0.2:C".
# (a row without a process ends there: capture-pane drops trailing blanks)
ROW="^tcp +ESTAB .*127\\.0\\.0\\.1:$P +127\\.0\\.0\\.2:$C( |\$)"
tl_keys /
tl_text "127.0.0.2:$C"
tl_keys Enter
tl_wait_for "${ROW}.*/$HELPER \\(accept queue\\)" ||
	tl_fail "the waiting connection does not name the listener's owner"
tl_keys Home
tl_keys Enter
tl_wait_for "Details of tcp 127\\.0\\.0\\.1:$P" || tl_fail "no details of the waiting connection"
tl_wait_for "waits in the listener's accept queue for" || tl_fail "the details do not say it waits for accept()"
tl_wait_for "^Its owner +pid $HELPER, fd [0-9]+" || tl_fail "the details do not name the listener's owner"
tl_keys Escape
tl_wait_for "Local.+Peer" || tl_fail "Esc did not close the details"

kill -USR1 "$HELPER"
# The first screen that shows it accepted must show it once.
i=0
while [ "$i" -lt "$TL_WAIT" ]; do
	scr=$(tl_screen)
	if printf '%s\n' "$scr" | grep -Eq "${ROW}.*/$HELPER *\$"; then
		n=$(printf '%s\n' "$scr" | grep -Ec "$ROW")
		[ "$n" -eq 1 ] || tl_fail "accept() shows the socket $n times (a ghost row)"
		break
	fi
	i=$((i + 1))
	sleep 0.1
done
[ "$i" -lt "$TL_WAIT" ] || tl_fail "the accepted connection was not shown"
tl_screen | grep -Eq "accept queue" && tl_fail "still marked as waiting after accept()"

# The selection stayed on it: its details, with the owner it has now.
tl_keys Enter
tl_wait_for "Details of tcp 127\\.0\\.0\\.1:$P" || tl_fail "the selection left the accepted socket"
tl_screen | grep -q "closed: last known values" && tl_fail "the selection stayed on a ghost"
tl_wait_for "^Owner +pid $HELPER, fd [0-9]+" || tl_fail "no owner after accept()"
tl_keys Escape

tl_keys q
tl_wait_for '^SV-EXIT=0$' || tl_fail "q did not quit"
tl_check_shell_back q
exit 0
