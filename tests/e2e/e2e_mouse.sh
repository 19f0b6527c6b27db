#!/bin/sh
# e2e_mouse.sh - the mouse of SPEC §5, as a terminal reports it: tmux hands
# the program the SGR mouse sequences (ESC [ < b ; x ; y M/m) typed here.
# A click on a column title sorts by it (again: reversed); a click on a row
# selects it (Enter then shows its details); a double click opens the
# details; the wheel moves the selection by three rows; a click in a pane
# focuses it and a click on the table gives the focus back.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_sockets "$TL_TMP/s1" basic "$TL_TMP"
P=$(tl_get "$TL_TMP/s1" PORT)
C=$(tl_get "$TL_TMP/s1" CPORT)
[ -n "$P" ] && [ -n "$C" ] || tl_fail "no port from the helper"
mkdir -m 700 "$TL_TMP/xdg" || tl_fail "no runtime dir"
TL_ENV="XDG_RUNTIME_DIR=$TL_TMP/xdg"

tl_start_shell 120 40
tl_start_sockview -d 0.3
tl_wait_for 'Proto. +State +Recv-Q +Send-Q +Local +Peer +Process' || tl_fail "no table"
tl_wait_for 'F1Help' || tl_fail "no footer"

# A click of button 1 at (x, y), 1-based as the terminal counts: the press
# and the release.
click() {
	tl_text "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' "$1" "$2" "$1" "$2")"
}
wheel_down() {
	tl_text "$(printf '\033[<65;%d;%dM' "$1" "$2")"
}
wheel_up() {
	tl_text "$(printf '\033[<64;%d;%dM' "$1" "$2")"
}
# The 1-based column where the word $2 starts in screen line $1 (1-based);
# the sort arrows are one character wide but three bytes, hence the sed.
col_of() {
	tl_screen | sed -n "${1}p" | sed 's/▲/^/g; s/▼/v/g' |
		awk -v w="$2" '{ i = index($0, w); print (i > 0 ? i : 0) }'
}

# --- Sorting by a click on a title ---
HEAD=$(tl_line_of '^Proto. +State +Recv-Q')
[ "$HEAD" -gt 0 ] || tl_fail "no title line"
X=$(col_of "$HEAD" Local)
[ "$X" -gt 0 ] || tl_fail "no Local title"
click "$((X + 1))" "$HEAD"
tl_wait_for 'Sort Local address \(ascending\)' || tl_fail "a click on Local did not sort by it"
tl_wait_for 'Local▲' || tl_fail "no sort arrow on Local"
click "$((X + 1))" "$HEAD"
tl_wait_for 'Sort Local address \(descending\)' || tl_fail "a second click did not reverse"
X=$(col_of "$HEAD" Recv-Q)
click "$X" "$HEAD"
tl_wait_for 'Sort Receive queue \(ascending\)' || tl_fail "a click on Recv-Q did not sort by it"
X=$(col_of "$HEAD" Proto)
click "$X" "$HEAD"
tl_wait_for 'Sort Protocol \(ascending\)' || tl_fail "a click on Proto did not sort by it"

# --- Selecting a row: Enter shows the socket clicked ---
TCPE="^tcp +ESTAB +[0-9]+ +[0-9]+ +127\.0\.0\.2:$C +127\.0\.0\.1:$P "
tl_wait_for "$TCPE" || tl_fail "the connection is not in the table"
Y=$(tl_line_of "$TCPE")
click 3 "$Y"
tl_keys Enter
tl_wait_for "Details of tcp 127\.0\.0\.2:$C" || tl_fail "a click did not select the connection's row"
tl_keys Escape
tl_wait_for 'F1Help' || tl_fail "Esc did not leave the details"

# A double click opens the details of the row at once.
UDP="^udp +UNCONN +[0-9]+ +[0-9]+ +127\.0\.0\.1:$P "
Y=$(tl_line_of "$UDP")
[ "$Y" -gt 0 ] || tl_fail "the UDP socket is not in the table"
click 3 "$Y"
click 3 "$Y"
tl_wait_for "Details of udp 127\.0\.0\.1:$P" || tl_fail "a double click did not open the details"
tl_keys Escape
tl_wait_for 'F1Help' || tl_fail "Esc did not leave the details"

# --- The wheel: three rows a notch ---
FIRST=$((HEAD + 1))
click 3 "$FIRST"
LOCAL1=$(tl_screen | sed -n "${FIRST}p" | awk '{ print $5 }')
LOCAL3=$(tl_screen | sed -n "$((FIRST + 3))p" | awk '{ print $5 }')
[ -n "$LOCAL3" ] || tl_fail "fewer than four rows"
wheel_down 3 "$FIRST"
tl_keys Enter
tl_wait_for "Details of [a-z_0-9]+ $(printf '%s' "$LOCAL3" | sed 's/[][\.*^$]/\\&/g')" ||
	tl_fail "the wheel did not move the selection three rows down (to $LOCAL3)"
tl_keys Escape
tl_wait_for 'F1Help' || tl_fail "Esc did not leave the details"
wheel_up 3 "$FIRST"
tl_keys Enter
tl_wait_for "Details of [a-z_0-9]+ $(printf '%s' "$LOCAL1" | sed 's/[][\.*^$]/\\&/g')" ||
	tl_fail "the wheel up did not come back to the first row ($LOCAL1)"
tl_keys Escape
tl_wait_for 'F1Help' || tl_fail "Esc did not leave the details"

# --- Panes: a click focuses one, a click on the table takes the focus back ---
tl_keys n
tl_wait_for 'New endpoint: choose what to open' || tl_fail "n: no menu"
tl_keys Enter
tl_wait_for '^ New echo server' || tl_fail "Enter: no form"
tl_keys Enter
tl_wait_for '^\[1\] echo server, TCP' || tl_fail "no echo server pane"
tl_wait_for 'F2New' || tl_fail "the table does not have the focus"
PY=$(tl_line_of '^\[1\] echo server, TCP')
click 10 "$((PY + 1))"
tl_wait_for 'EscTable' || tl_fail "a click in the pane did not focus it"
tl_wait_gone 'F2New' || tl_fail "the table kept the focus"
click 3 "$FIRST"
tl_wait_for 'F2New' || tl_fail "a click on the table did not take the focus back"
tl_wait_gone 'EscTable' || tl_fail "the pane kept the focus"
click 10 "$((PY + 2))"
tl_wait_for 'EscTable' || tl_fail "a second click in the pane did not focus it"

# Leave: close the pane (F8), then quit.
tl_keys F8
tl_wait_gone '^\[1\] echo server' || tl_fail "F8 did not close the pane"
tl_keys q
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit 0"
tl_log "PASS"
