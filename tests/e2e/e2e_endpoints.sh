#!/bin/sh
# e2e_endpoints.sh - the test endpoints over TCP as a user drives them
# (SPEC §7): an echo server from the menu with the defaults, a client to it
# from the menu, a line typed comes back in the client pane and the
# connection shows in the table as sockview's; F7 selects a pane's socket;
# a port in use names the process that holds it; F8 closes a pane and its
# socket leaves the table (the TIME-WAIT stays); a client form then has no
# closed server for a target, and its Port takes a service name (http); a chat server with a
# client pane and an outside client relays a line each way; quitting with
# endpoints open asks first.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
mkdir -m 700 "$TL_TMP/xdg" || tl_fail "no runtime dir"
TL_ENV="XDG_RUNTIME_DIR=$TL_TMP/xdg"
tl_start_shell 120 40
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"
tl_wait_for 'F2New' || tl_fail "no F2 hint"
ME="sockview/$TL_SV_PID"

# --- An echo server from the menu, with the defaults ---
tl_keys n
tl_wait_for 'New endpoint: choose what to open' || tl_fail "n: no menu"
tl_wait_for '^  1  echo server' || tl_fail "no echo server in the menu"
tl_keys Enter
tl_wait_for '^ New echo server' || tl_fail "Enter: no form"
tl_wait_for '^  Address +127\.0\.0\.1 *$' || tl_fail "the address is not the loopback"
tl_wait_for '^  Port +[0-9]+ +\(free right now\)' || tl_fail "no suggested port"
tl_wait_for 'loopback: only programs on this machine can connect' || tl_fail "no loopback hint"
tl_keys Enter
tl_wait_for '^\[1\] echo server, TCP 127\.0\.0\.1:[0-9]+ *$' || tl_fail "no echo server pane"
tl_wait_for '^listening, 0 clients, 0 B in, 0 B out' || tl_fail "no status line"
EP=$(tl_screen | sed -n 's/^\[1\] echo server, TCP 127\.0\.0\.1:\([0-9]*\).*/\1/p' | head -n 1)
[ -n "$EP" ] || tl_fail "no port in the pane title"
tl_wait_for "echo server listening on 127\.0\.0\.1:$EP" || tl_fail "no transcript"

# The table shows its LISTEN socket as sockview's (a filter on the port,
# F4: function keys work from any focus).
tl_keys F4
tl_text "port $EP"
tl_keys Enter
tl_wait_for "Filter port $EP" || tl_fail "no filter"
LISTEN="^tcp +LISTEN +[0-9]+ +[0-9]+ +127\.0\.0\.1:$EP +\*:\* +$ME \[1\]"
tl_wait_for "$LISTEN" || tl_fail "the LISTEN socket is not in the table as sockview's"

# --- A client from the menu, with the defaults: the last server ---
tl_keys n
tl_wait_for 'New endpoint: choose' || tl_fail "no menu"
tl_keys 5
tl_wait_for '^ New client' || tl_fail "5: no client form"
tl_wait_for "^  Port +$EP *\$" || tl_fail "the client form does not target the echo server"
tl_wait_for 'the newest open server' || tl_fail "no hint about the default target"
tl_keys Enter
tl_wait_for "\[2\] client, TCP to 127\.0\.0\.1:$EP" || tl_fail "no client pane"
tl_wait_for "connected, [0-9]+ B in" || tl_fail "the client did not connect"
tl_wait_for 'EnterSend' || tl_fail "the client pane has no input hints"

# Type a line (letters go to the input line: q does not quit): it comes back.
tl_text "hello q echo"
tl_wait_for '^.*> hello q echo' || tl_fail "the input line does not show the text"
tl_keys Enter
tl_wait_for "< 127\.0\.0\.1:$EP  hello q echo\\\\n" || tl_fail "the echo did not come back to the client"
tl_wait_for "> 127\.0\.0\.1:$EP  hello q echo\\\\n" || tl_fail "the client pane does not show what it sent"
# the echo server's pane saw it too
tl_wait_for "^[0-9:.]+ < 127\.0\.0\.1:[0-9]+  hello q echo" || tl_fail "the server pane shows nothing"

# The connection in the table: both ends, each marked with its pane.
SRV_ESTAB="^tcp +ESTAB +[0-9]+ +[0-9]+ +127\.0\.0\.1:$EP +127\.0\.0\.1:[0-9]+ +$ME \[1\]"
CLI_ESTAB="^tcp +ESTAB +[0-9]+ +[0-9]+ +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:$EP +$ME \[2\]"
tl_wait_for "$SRV_ESTAB" || tl_fail "the server's end is not in the table"
tl_wait_for "$CLI_ESTAB" || tl_fail "the client's end is not in the table"

# F7 from the client pane selects its socket in the table.
tl_keys F7
tl_wait_for 'selected the socket of pane \[2\]' || tl_fail "F7 did not select the client's (only) socket"

# History: Up brings the line back, Ctrl-U clears it.
tl_keys Up
tl_wait_for '> hello q echo *$' || tl_fail "Up does not recall the line"
tl_keys C-u
tl_wait_gone '> hello q echo *$' || tl_fail "Ctrl-U does not clear the line"

# Full screen and back (Ctrl-O), hex view (Ctrl-X).
tl_keys C-o
tl_wait_for 'full screen: F11' || tl_fail "Ctrl-O: no full screen"
tl_wait_gone '^Proto' || tl_fail "the full-screen pane leaves the table shown"
tl_keys C-x
tl_wait_for '^0000  68 65 6c 6c 6f 20 71 20  65 63 68 6f 0a +\|hello q echo\.\|' ||
	tl_fail "no hex view"
tl_keys C-x
tl_keys C-o
tl_wait_for '^Proto' || tl_fail "Ctrl-O again does not bring the table back"

# --- A port in use names the process that holds it ---
tl_peer "$TL_TMP/l1" listen
HP=$(tl_get "$TL_TMP/l1" PORT)
HPID=$(tl_get "$TL_TMP/l1" PID)
# the client pane has the focus: n would be text, F2 works everywhere
tl_keys F2
tl_wait_for 'New endpoint: choose' || tl_fail "no menu"
tl_keys 1
tl_wait_for '^ New echo server' || tl_fail "no form"
tl_keys Down Down Down
tl_wait_for '^> Port' || tl_fail "Down does not reach the port"
tl_keys C-u
tl_text "$HP"
tl_keys Enter
tl_wait_for "address 127\.0\.0\.1:$HP is already in use: held by python3? \(pid $HPID\)" ||
	tl_fail "the error does not name the holder"
tl_keys Escape
tl_wait_gone '^ New echo server' || tl_fail "Esc does not close the form"

# --- F8 closes a pane and its socket leaves the table ---
# Tab: client [2] -> table -> echo server [1]
tl_keys Tab
tl_keys Tab
tl_wait_for 'PgUp/DnScroll F7InTable' || tl_fail "Tab does not focus the echo server pane"
tl_keys F8
tl_wait_for 'closed pane \[1\] and its sockets' || tl_fail "F8: no message"
tl_wait_gone '^\[1\] echo server' || tl_fail "F8 did not close the pane"
tl_wait_gone "$LISTEN" || tl_fail "the LISTEN socket stays in the table"
tl_wait_gone "$SRV_ESTAB" || tl_fail "the server's connection stays in the table"
# the server closed first: its end waits in TIME-WAIT, owned by nobody
tl_wait_for "^tcp +TIME-WAIT +[0-9]+ +[0-9]+ +127\.0\.0\.1:$EP +127\.0\.0\.1:[0-9]+ *\$" ||
	tl_fail "no TIME-WAIT after closing"
tl_wait_for "the server closed the connection" || tl_fail "the client did not see the close"
# the client pane has the focus now; close it too
tl_keys F8
tl_wait_for 'closed pane \[2\]' || tl_fail "F8 did not close the client pane"
tl_wait_gone "$CLI_ESTAB" || tl_fail "the client's socket stays in the table"

# --- A client after its server closed: no target; Port takes "http" ---
tl_keys F2
tl_wait_for 'New endpoint: choose' || tl_fail "F2: no menu"
tl_keys 5
tl_wait_for '^ New client' || tl_fail "5: no client form"
tl_wait_for '^  Port *$' || tl_fail "the client form still targets the closed server"
tl_screen | grep -q "newest open server" && tl_fail "the hint names a closed server"
if getent services http >/dev/null 2>&1; then
	tl_keys Down Down Down
	tl_wait_for '^> Port' || tl_fail "Down does not reach the port"
	tl_text "http"
	tl_wait_for '^> Port +http +\(service: port 80\)' || tl_fail "the form does not show http's number"
	tl_keys Enter
	# nothing may listen on port 80 here: refused in the pane is fine,
	# the form took the name
	tl_wait_for '\[1\] client, TCP to 127\.0\.0\.1:80( |$)' || tl_fail "Port http did not open a client to :80"
	tl_keys F8
	tl_wait_for 'closed pane \[1\]' || tl_fail "F8 did not close the http client"
else
	tl_log "no http in the services database: the service name is not tried"
	tl_keys Escape
fi
tl_wait_gone '^ New client' || tl_fail "the client form stays"

# --- A chat server, a client pane and an outside client ---
tl_keys F4 C-u
tl_keys Enter
tl_wait_for 'Filter none' || tl_fail "the filter stays"
tl_open_tcp_server 2 'chat server' 1
CP=$TL_PORT
tl_keys F2
tl_wait_for 'New endpoint: choose' || tl_fail "F2: no menu"
tl_keys 5
tl_wait_for "^  Port +$CP *\$" || tl_fail "the client form does not target the chat server"
tl_keys Enter
tl_wait_for "\[2\] client, TCP to 127\.0\.0\.1:$CP" || tl_fail "no client pane"
tl_wait_for "connected, [0-9]+ B in" || tl_fail "the client pane did not connect"
tl_peer "$TL_TMP/chat" chat 127.0.0.1 "$CP"
tl_wait_for 'connected \(2 clients\)' || tl_fail "the chat server does not see two clients"
# typed in the client pane: arrives at the outside client
tl_text "from the pane"
tl_keys Enter
tl_wait_file_has "$TL_TMP/chat.recv" "from the pane" || tl_fail "the outside client did not get the line"
# sent by the outside client: arrives in the client pane
printf 'from outside\n' >"$TL_TMP/chat.send.tmp"
mv "$TL_TMP/chat.send.tmp" "$TL_TMP/chat.send"
tl_wait_for "< 127\.0\.0\.1:$CP  from outside\\\\n" || tl_fail "the client pane did not get the outside line"
# the chat server's own input line: its line reaches both clients
tl_keys BTab
tl_wait_for 'EnterSend' || tl_fail "Shift-Tab does not focus the chat server"
tl_text "from the server"
tl_keys Enter
tl_wait_file_has "$TL_TMP/chat.recv" "from the server" || tl_fail "the server's line did not reach the outside client"
tl_wait_for "< 127\.0\.0\.1:$CP  from the server" || tl_fail "the server's line did not reach the client pane"

# --- Quitting with endpoints open asks first ---
tl_keys F10
tl_wait_for 'panes are open: quit and close them\?' || tl_fail "F10 did not ask"
tl_keys n
tl_wait_gone 'panes are open' || tl_fail "n did not cancel"
tl_wait_for '\[1\] chat server' || tl_fail "the panes went away after cancelling"
tl_keys F10
tl_wait_for 'panes are open: quit and close them\?' || tl_fail "F10 did not ask again"
tl_keys y
tl_wait_for '^SV-EXIT=0$' || tl_fail "y did not quit with status 0"
tl_check_shell_back quit
# the outside client saw the server close (it exits on EOF)
i=0
while kill -0 "$TL_LAST_PID" 2>/dev/null && [ "$i" -lt "$TL_WAIT" ]; do
	i=$((i + 1))
	sleep 0.1
done
kill -0 "$TL_LAST_PID" 2>/dev/null && tl_fail "the chat server did not close its clients"
exit 0
