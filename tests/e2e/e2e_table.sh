#!/bin/sh
# e2e_table.sh - the live table: a listener the test opens appears; t u x
# hide and show each protocol; l; incremental search; sort; q quits and the
# shell is usable again.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_sockets "$TL_TMP/s1" basic "$TL_TMP"
P=$(tl_get "$TL_TMP/s1" PORT)
C=$(tl_get "$TL_TMP/s1" CPORT)
[ -n "$P" ] && [ -n "$C" ] || tl_fail "no port from the helper"

tl_start_shell 120 40
tl_start_sockview

# The table is up.
tl_wait_for 'Proto. +State +Recv-Q +Send-Q +Local +Peer +Process' || tl_fail "no table"
tl_wait_for 'F1Help' || tl_fail "no footer"

# Search for the port: only our sockets stay, one per line.
TCPL="^tcp +LISTEN +[0-9]+ +[0-9]+ +127\.0\.0\.1:$P "
TCPE="^tcp +ESTAB +[0-9]+ +[0-9]+ +127\.0\.0\.2:$C +127\.0\.0\.1:$P "
UDP="^udp +UNCONN +[0-9]+ +[0-9]+ +127\.0\.0\.1:$P "
UNIX="^u_str +LISTEN .*sv-e2e-$P\.sock"
tl_keys /
tl_text "$P"
tl_wait_for "^Search: $P" || tl_fail "no search prompt"
tl_wait_for "$TCPL" || tl_fail "the listener opened by the test does not appear"
tl_wait_for "$TCPE" || tl_fail "the connection does not appear"
tl_wait_for "$UDP" || tl_fail "the UDP socket does not appear"
tl_wait_for "$UNIX" || tl_fail "the Unix listener does not appear"
# the process column names the helper
tl_wait_for "127\.0\.0\.1:$P +\*:\* +python3?/[0-9]+" || tl_fail "no process for the listener"
# incremental: one more digit that no port has narrows to nothing
tl_text "x"
tl_wait_for "no sockets match the current view" || tl_fail "search did not narrow"
tl_keys BSpace
tl_wait_for "$TCPL" || tl_fail "backspace did not widen the search"
# Enter keeps the search; letters are keys again
tl_keys Enter
tl_wait_for "Search $P" || tl_fail "the header does not show the search"

# t hides TCP and shows it again.
tl_keys t
tl_wait_gone "$TCPL" || tl_fail "t did not hide TCP"
tl_wait_for "$UDP" || tl_fail "t hid UDP"
tl_wait_for "TCP hidden" || tl_fail "the header does not say TCP is hidden"
tl_keys t
tl_wait_for "$TCPL" || tl_fail "t did not show TCP again"

# u hides UDP.
tl_keys u
tl_wait_gone "$UDP" || tl_fail "u did not hide UDP"
tl_wait_for "$TCPL" || tl_fail "u hid TCP"
tl_keys u
tl_wait_for "$UDP" || tl_fail "u did not show UDP again"

# x hides Unix.
tl_keys x
tl_wait_gone "$UNIX" || tl_fail "x did not hide Unix"
tl_wait_for "$TCPL" || tl_fail "x hid TCP"
tl_keys x
tl_wait_for "$UNIX" || tl_fail "x did not show Unix again"

# l: listening (and unconnected) sockets only.
tl_keys l
tl_wait_gone "$TCPE" || tl_fail "l did not hide the connection"
tl_wait_for "$TCPL" || tl_fail "l hid the listener"
tl_wait_for "$UDP" || tl_fail "l hid the unconnected UDP socket"
tl_wait_for "listening only" || tl_fail "the header does not say listening only"
tl_keys l
tl_wait_for "$TCPE" || tl_fail "l did not show the connection again"

# Sort: by local address, then reversed. 127.0.0.1:P sorts before
# 127.0.0.2:C and 127.0.0.3:P (addresses compare before ports).
L1="^tcp +LISTEN .*127\.0\.0\.1:$P "
L3="^tcp +LISTEN .*127\.0\.0\.3:$P "
tl_keys s
tl_wait_for "Sort by" || tl_fail "no sort menu"
tl_keys Down Down Down Down
tl_keys Enter
tl_wait_for "Local.+Peer" || tl_fail "no table after sorting"
tl_wait_for "Sort Local address \(ascending\)" || tl_fail "not sorted by local address"
a=$(tl_line_of "$L1")
b=$(tl_line_of "$L3")
[ "$a" -gt 0 ] && [ "$b" -gt "$a" ] || tl_fail "ascending order wrong ($a, $b)"
tl_keys r
tl_wait_for "Sort Local address \(descending\)" || tl_fail "r did not reverse"
a=$(tl_line_of "$L1")
b=$(tl_line_of "$L3")
[ "$b" -gt 0 ] && [ "$a" -gt "$b" ] || tl_fail "descending order wrong ($a, $b)"

# Esc clears the search.
tl_keys Escape
tl_wait_gone "Search $P" || tl_fail "Esc did not clear the search"

# q quits and the shell is usable again, with status 0.
tl_keys q
tl_wait_for '^SV-EXIT=0$' || tl_fail "q did not quit with status 0"
tl_check_shell_back q
exit 0
