#!/bin/sh
# e2e_unix.sh - Unix socket endpoints as a user drives them (SPEC §7): an
# echo server with the default path in sockview's private directory under
# $XDG_RUNTIME_DIR, a client to it (the default), a line comes back; the
# socket shows in the table as sockview's; a second server at its path is
# refused without a check connection to it (none shows in its pane); a
# client to a path with no server keeps the form with the reason; a stale
# socket file is reported (saying a check connection was made), not
# removed, until the user confirms; quitting removes the socket files
# sockview created and its private directory, and leaves other files alone;
# SIGTERM does the same; the panes fit an 80x24 terminal.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
XDG="$TL_TMP/xdg"
mkdir -m 700 "$XDG" || tl_fail "no runtime dir"
# a file of someone else's next to ours must survive
: >"$XDG/not-ours.sock"
TL_ENV="XDG_RUNTIME_DIR=$XDG"
tl_start_shell 120 40
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"
ME="sockview/$TL_SV_PID"

# --- A Unix stream echo server with the default path ---
tl_keys n
tl_wait_for 'New endpoint: choose' || tl_fail "no menu"
tl_keys 1
tl_wait_for '^ New echo server' || tl_fail "no form"
tl_keys Right Right
tl_wait_for '^> Transport +TCP +UDP +\[Unix stream\]' || tl_fail "Right does not choose Unix stream"
tl_wait_for "^  Path +$XDG/sockview-[A-Za-z0-9]+/echo\.sock *\$" ||
	tl_fail "the default path is not in a private directory of XDG_RUNTIME_DIR"
tl_wait_for 'a socket file: its permissions say who may connect' || tl_fail "no hint for the path"
tl_keys Enter
tl_wait_for '^\[1\] echo server, Unix stream .*echo\.sock *$' || tl_fail "no Unix echo pane"
tl_wait_for '^listening, 0 clients' || tl_fail "the Unix echo server is not listening"
set -- "$XDG"/sockview-*/echo.sock
SOCK=$1
[ -S "$SOCK" ] || tl_fail "no socket file at $SOCK"
DIR=$(dirname "$SOCK")
[ "$(stat -c %a "$DIR")" = 700 ] || tl_fail "the private directory is not 0700"
[ "$(stat -c %a "$SOCK")" = 600 ] || tl_fail "the socket file is not 0600"

# In the table, as sockview's.
tl_keys F3
tl_text "echo.sock"
tl_keys Enter
tl_wait_for "^u_str +LISTEN .*echo\.sock .*$ME \[1\]" || tl_fail "the Unix listener is not in the table"

# --- A client to it: the form's default ---
tl_keys F2
tl_keys 5
tl_wait_for '^ New client' || tl_fail "no client form"
tl_wait_for '^> Transport +TCP +UDP +\[Unix stream\]' || tl_fail "the client does not default to Unix stream"
tl_wait_for "^  Path +$SOCK +\(the newest open server\) *\$" ||
	tl_fail "the client does not default to the server's path"
tl_keys Enter
tl_wait_for '\[2\] client, Unix stream to .*echo\.sock' || tl_fail "no client pane"
tl_wait_for 'connected, [0-9]+ B in' || tl_fail "the client did not connect"
tl_text "over unix"
tl_keys Enter
# the whole line is wide: look at it with the pane on the whole screen
tl_keys C-o
tl_wait_for "^[0-9:.]+ < .*echo\.sock  over unix\\\\n" || tl_fail "the echo did not come back"
tl_keys C-o
tl_wait_for "^u_str +ESTAB .*$ME \[1\]" || tl_fail "the server's end of the connection is not in the table"

# --- A second server at our server's path: refused, and not probed ---
tl_keys F2
tl_keys 4
tl_wait_for '^ New sink server' || tl_fail "no sink form"
tl_keys Right Right Down
tl_wait_for '^> Path' || tl_fail "no path field"
tl_keys C-u
tl_text "$SOCK"
tl_keys Enter
tl_wait_joined "address $SOCK is already in use: held by sockview itself \(pane \[1\]\)" ||
	tl_fail "the path of our own server is not said to be ours"
tl_keys Escape
tl_wait_gone '^ New sink server' || tl_fail "Esc does not close the form"
# a line through the client: every event before it has been handled
tl_keys F2
tl_keys 5
tl_wait_for "^  Path +$SOCK +\(the newest open server\)" || tl_fail "the client form does not target the server"
tl_keys Escape
tl_wait_gone '^ New client' || tl_fail "Esc does not close the client form"
# the client pane [2] kept the focus
tl_text "after the check"
tl_keys Enter
tl_keys C-o
tl_wait_for "^[0-9:.]+ < .*echo\.sock  after the check\\\\n" || tl_fail "the client's line did not come back"
tl_keys C-o
# the server's whole transcript: one client ever, the pane's
tl_keys BTab C-o
tl_wait_for '\[1\] echo server' || tl_fail "no zoomed server pane"
tl_wait_for 'connected \(1 client\)' || tl_fail "the server pane lost its client"
tl_screen | grep -Eq 'connected \(2 clients\)|closed the connection' &&
	tl_fail "a check connection shows in our own server's pane"
tl_keys C-o

# --- A client to a path with no server keeps the form ---
tl_keys F2
tl_keys 5
tl_wait_for '^ New client' || tl_fail "no client form"
tl_keys Down
tl_wait_for '^> Path' || tl_fail "no path field"
tl_keys C-u
tl_text "$TL_TMP/nobody.sock"
tl_keys Enter
tl_wait_joined "$TL_TMP/nobody\.sock does not exist" || tl_fail "no error for a missing path"
tl_wait_for '^ New client' || tl_fail "the form did not stay"
tl_wait_for '^> Path' || tl_fail "the path is not focused"
tl_screen | grep -Eq '^\[3\] client' && tl_fail "a dead client pane opened"
tl_keys Escape
tl_wait_gone '^ New client' || tl_fail "Esc does not close the form"

# --- A stale socket file is reported, then replaced on confirmation ---
tl_peer "$TL_TMP/st" stale "$TL_TMP/stale.sock"
[ -S "$TL_TMP/stale.sock" ] || tl_fail "the helper made no stale socket"
INO_OLD=$(stat -c %i "$TL_TMP/stale.sock")
tl_keys F2
tl_keys 1
tl_wait_for '^ New echo server' || tl_fail "no form"
tl_keys Right Right Down
tl_wait_for '^> Path' || tl_fail "no path field"
tl_keys C-u
tl_text "$TL_TMP/stale.sock"
tl_keys Enter
tl_wait_joined 'stale socket file \(nothing listens on it: a check connection to it was refused\)' ||
	tl_fail "the stale file is not reported, with the check connection"
tl_wait_for 'Enter again replaces the stale socket file' || tl_fail "no offer to replace it"
[ "$(stat -c %i "$TL_TMP/stale.sock")" = "$INO_OLD" ] || tl_fail "the stale file was removed without asking"
tl_keys Enter
tl_wait_for '\[3\] echo server.*stale\.sock' ||
	tl_fail "Enter again did not replace the stale file"
# a server does not take the focus: Shift-Tab gives it to the last pane
tl_keys BTab C-o
tl_wait_for 'removed the stale socket file' || tl_fail "the transcript does not say the file was replaced"
tl_keys C-o

# --- 80x24: the table and the panes share the screen ---
tmx resize-window -t "$TL_SESSION" -x 80 -y 24
tl_wait_for '^Proto' || tl_fail "80x24: no table"
tl_wait_for '^\[1\] echo server' || tl_fail "80x24: no first pane"
tl_wait_for '\[3\] echo server' || tl_fail "80x24: the focused pane is not shown"
tmx resize-window -t "$TL_SESSION" -x 120 -y 40
tl_wait_for '^\[1\] echo server ' || tl_fail "no panes after growing again"

# --- Quitting removes the socket files sockview made, and only those ---
tl_keys F10
tl_wait_for 'panes are open: quit and close them\?' || tl_fail "F10 did not ask"
tl_keys y
tl_wait_for '^SV-EXIT=0$' || tl_fail "no clean exit"
tl_check_shell_back quit
[ -e "$SOCK" ] && tl_fail "the socket file stays after quitting"
[ -e "$DIR" ] && tl_fail "the private directory stays after quitting"
[ -e "$TL_TMP/stale.sock" ] && tl_fail "the replacing socket file stays after quitting"
[ -f "$XDG/not-ours.sock" ] || tl_fail "a file sockview did not make was removed"

# --- SIGTERM closes the endpoints and removes their files too ---
tl_type clear
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"
tl_keys n
tl_keys 1
tl_wait_for '^ New echo server' || tl_fail "no form"
tl_keys Right Right Right
tl_wait_for '^> Transport +TCP +UDP +Unix stream +\[Unix datagram\]' || tl_fail "no Unix datagram"
tl_keys Enter
tl_wait_for '^\[1\] echo server, Unix datagram .*echo\.sock *$' || tl_fail "no datagram server"
tl_wait_for '^bound, 0 peers' || tl_fail "the datagram server is not bound"
set -- "$XDG"/sockview-*/echo.sock
SOCK2=$1
[ -S "$SOCK2" ] || tl_fail "no datagram socket file"
kill -TERM "$TL_SV_PID"
tl_wait_for '^SV-EXIT=0$' || tl_fail "SIGTERM: no clean exit"
tl_check_shell_back term
tl_wait_no_path "$SOCK2" || tl_fail "SIGTERM left the socket file"
tl_wait_no_path "$(dirname "$SOCK2")" || tl_fail "SIGTERM left the private directory"
[ -f "$XDG/not-ours.sock" ] || tl_fail "a file sockview did not make was removed"
exit 0
