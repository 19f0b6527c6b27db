#!/bin/sh
# e2e_signals.sh - SIGTERM, SIGHUP and Ctrl-C (SIGINT) end sockview and
# give the terminal back (alternate screen left, echo and icanon on, cursor
# shown): while idle, while the new endpoint form or the filter prompt is
# open, with endpoints open (their Unix socket file is removed, their TCP
# port is free, an outside client sees the end), and while a refresh of
# 12000 sockets is in flight; F10 quits; an unknown TERM or a missing
# terminal is a clear error with status 1.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_start_shell 120 40

# SIGTERM
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"
tl_wait_format '#{alternate_on}' 1 || tl_fail "sockview did not use the alternate screen"
kill -TERM "$TL_SV_PID"
tl_wait_for '^SV-EXIT=0$' || tl_fail "SIGTERM: no clean exit"
tl_check_shell_back term
tl_type clear
tl_wait_gone 'SV-EXIT' || tl_fail "clear failed"

# SIGHUP
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"
kill -HUP "$TL_SV_PID"
tl_wait_for '^SV-EXIT=0$' || tl_fail "SIGHUP: no clean exit"
tl_check_shell_back hup
tl_type clear
tl_wait_gone 'SV-EXIT' || tl_fail "clear failed"

# Ctrl-C in the terminal
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"
tl_keys C-c
tl_wait_for '^SV-EXIT=0$' || tl_fail "Ctrl-C: no clean exit"
tl_check_shell_back int
tl_type clear
tl_wait_gone 'SV-EXIT' || tl_fail "clear failed"

# F10
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"
tl_keys F10
tl_wait_for '^SV-EXIT=0$' || tl_fail "F10 did not quit"
tl_check_shell_back f10
tl_type clear
tl_wait_gone 'SV-EXIT' || tl_fail "clear failed"

# --- The signals in the middle of things (issue 6 item 5) ---
# end_by SIG WHAT: SIG (INT, TERM, HUP by kill; KEY-C: Ctrl-C typed) ends
# sockview with status 0 and leaves the shell a sane terminal.
end_by() {
	if [ "$1" = KEY-C ]; then
		tl_keys C-c
	else
		kill -"$1" "$TL_SV_PID"
	fi
	tl_wait_for '^SV-EXIT=0$' || tl_fail "$2: no clean exit"
	tl_check_shell_back "$2"
	tl_check_tty_sane "$2"
	tl_type clear
	tl_wait_gone 'SV-EXIT' || tl_fail "clear failed"
}

mkdir -m 700 "$TL_TMP/xdg" || tl_fail "no runtime dir"
TL_ENV="XDG_RUNTIME_DIR=$TL_TMP/xdg"

# While the new endpoint form is open, and while the filter prompt is.
for sig in TERM HUP KEY-C; do
	tl_start_sockview
	tl_wait_for 'F1Help' || tl_fail "no table"
	tl_keys n
	tl_wait_for 'New endpoint: choose' || tl_fail "n: no menu"
	tl_keys 1
	tl_wait_for '^ New echo server' || tl_fail "no form"
	end_by "$sig" "form-$sig"
done
for sig in INT TERM HUP; do
	tl_start_sockview
	tl_wait_for 'F1Help' || tl_fail "no table"
	tl_keys f
	tl_wait_for '^Filter:' || tl_fail "f opens no prompt"
	tl_text "tcp and sport = 1"
	tl_wait_for '^Filter: tcp and sport = 1' || tl_fail "the prompt does not show the text"
	end_by "$sig" "prompt-$sig"
done

# With endpoints open: a TCP echo server with an outside client connected,
# and a Unix stream echo server. Afterwards the socket file and sockview's
# private directory are gone, the port is free (a connect is refused, and a
# new listener can bind it) and the outside client saw the end.
for sig in INT TERM HUP; do
	tl_start_sockview
	tl_wait_for 'F1Help' || tl_fail "no table"
	tl_open_tcp_server Enter 'echo server' 1
	EP=$TL_PORT
	tl_keys n
	tl_keys 1
	tl_wait_for '^ New echo server' || tl_fail "no Unix form"
	tl_keys Right Right
	tl_wait_for '^> Transport +TCP +UDP +\[Unix stream\]' || tl_fail "no Unix stream"
	tl_keys Enter
	tl_wait_for '\[2\] echo server, Unix stream .*echo\.sock' || tl_fail "no Unix echo server"
	set -- "$TL_TMP"/xdg/sockview-*/echo.sock
	SOCK=$1
	[ -S "$SOCK" ] || tl_fail "no socket file at $SOCK"
	rm -f "$TL_TMP/peer" "$TL_TMP/peer.recv"
	tl_peer "$TL_TMP/peer" chat 127.0.0.1 "$EP"
	PEER=$TL_LAST_PID
	tl_wait_for '1 client' || tl_fail "the outside client is not counted"
	end_by "$sig" "endpoints-$sig"
	tl_wait_no_path "$SOCK" || tl_fail "$sig: the Unix socket file stays"
	tl_wait_no_path "$(dirname "$SOCK")" || tl_fail "$sig: the private directory stays"
	# the outside client got the end of the connection and exited
	i=0
	while kill -0 "$PEER" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -lt "$TL_WAIT" ] || tl_fail "$sig: the outside client's connection was not closed"
		sleep 0.1
	done
	# shellcheck disable=SC2016
	tl_ns "$PYTHON3" -c '
import errno, socket, sys
port = int(sys.argv[1])
c = socket.socket()
try:
    c.connect(("127.0.0.1", port))
    sys.exit("connect to the port succeeded: something still listens")
except ConnectionRefusedError:
    pass
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(1)
' "$EP" || tl_fail "$sig: the TCP port $EP is not free"
	tl_ns ss -Htln "sport = :$EP" | grep -q . && tl_fail "$sig: ss still lists a listener on $EP"
done

# While a refresh is in flight: with 12000 Unix sockets a dump takes a
# good part of the 0.1 s refresh interval, and the signal comes at moments
# spread over several intervals (bounded: three rounds per signal).
tl_sockets "$TL_TMP/many" many 6000
MANY=$TL_LAST_PID
for sig in INT TERM HUP; do
	for round in 1 2 3; do
		tl_start_sockview -d 0.1
		tl_wait_for '^[0-9]+ sockets?: ' || tl_fail "no table"
		delay=$(awk -v s="$$$round" 'BEGIN { srand(s); printf "%.2f", rand() * 0.4 }')
		sleep "$delay" # not a synchronisation: a random moment to send the signal
		end_by "$sig" "dump-$sig-$round"
	done
done
kill "$MANY"

# An unknown terminal type: a message and status 1, no half-set-up screen.
tl_type "TERM=no-such-terminal $SOCKVIEW; echo SV-EXIT=\$?"
tl_wait_for "unknown terminal type 'no-such-terminal'" || tl_fail "no message for an unknown TERM"
tl_wait_for '^SV-EXIT=1$' || tl_fail "unknown TERM: status is not 1"
tl_type "env -u TERM $SOCKVIEW; echo SV-EXIT=\$?"
tl_wait_for "TERM is not set" || tl_fail "no message for a missing TERM"
# a terminal that cannot move the cursor would get a garbled screen
tl_type "TERM=dumb $SOCKVIEW; echo SV-DUMB=\$?"
tl_wait_for "terminal type 'dumb' \(TERM\) cannot move the cursor" || tl_fail "no message for TERM=dumb"
tl_wait_for '^SV-DUMB=1$' || tl_fail "TERM=dumb: status is not 1"

# Not a terminal at all (outside tmux).
out=$("$SOCKVIEW" </dev/null 2>&1 >/dev/null)
st=$?
[ "$st" -eq 1 ] || tl_fail "stdin not a terminal: status $st, not 1"
echo "$out" | grep -q 'needs a terminal' || tl_fail "stdin not a terminal: no message ($out)"
exit 0
