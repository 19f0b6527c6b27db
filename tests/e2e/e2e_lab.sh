#!/bin/sh
# e2e_lab.sh - the state lab (issue 16, SPEC §9: n/F2 then 6): each preset
# opens its pane, explains its steps, makes the named state - which the
# table shows and `sockview --once --format=json` agrees with - and F8 on
# its pane leaves no socket of sockview's and no file.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
mkdir -m 700 "$TL_TMP/xdg" || tl_fail "no runtime dir"
TL_ENV="XDG_RUNTIME_DIR=$TL_TMP/xdg"
tl_start_shell 160 50
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"

# Polls the JSON of a --once run until the check passes (a deadline).
json_until() {
	i=0
	while [ "$i" -lt 100 ]; do
		tl_ns "$SOCKVIEW" --once --format=json >"$TL_TMP/once.json" 2>/dev/null
		"$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_labcheck.py" "$TL_TMP/once.json" "$@" && return 0
		i=$((i + 1))
		sleep 0.2
	done
	return 1
}

# open_preset DIGIT NAME: the menu, the lab's menu, the preset's pane.
open_preset() {
	tl_keys n
	tl_wait_for 'New endpoint: choose what to open' || tl_fail "n: no menu"
	tl_keys 6
	tl_wait_for 'State lab: make a socket state' || tl_fail "6: no lab menu ($2)"
	tl_keys "$1"
	tl_wait_for "\[[0-9]+\] state lab: $2" || tl_fail "no pane for $2"
}

# close_preset NAME: F8 on the focused lab pane; nothing of ours is left.
close_preset() {
	tl_keys F8
	tl_wait_for 'closed pane \[[0-9]+\] and its sockets' || tl_fail "F8 did not close ($1)"
	json_until none "$TL_SV_PID" || tl_fail "$1: a socket of sockview is left"
	[ -z "$(ls -A "$TL_TMP/xdg")" ] || tl_fail "$1: a file is left in the runtime dir"
}

# The menu lists the lab and its presets.
tl_keys n
tl_wait_for '^  6  state lab' || tl_fail "no state lab in the menu"
tl_keys 6
for p in 'CLOSE-WAIT and FIN-WAIT-2' 'TIME-WAIT' 'half-close' 'zero window' \
	'full accept queue' 'connection refused' 'life of a connection'; do
	tl_wait_for "^  [1-7]  $p" || tl_fail "the lab menu lacks $p"
done
tl_keys Escape
tl_wait_gone 'State lab: make a socket state' || tl_fail "Esc: the lab menu stays"
tl_wait_for 'F2New' || tl_fail "Esc: not back in the table"

# --- 1: CLOSE-WAIT and FIN-WAIT-2 ---
open_preset 1 'CLOSE-WAIT and FIN-WAIT-2'
tl_wait_for 'Done\. Enter in this pane runs it again' || tl_fail "close-wait: not done"
tl_wait_joined 'CLOSE-WAIT: the peer has closed' || tl_fail "close-wait: no explanation"
tl_wait_for '^tcp +CLOSE-WAIT .*sockview' || tl_fail "close-wait: not in the table"
tl_wait_for '^tcp +FIN-WAIT-2 .*sockview' || tl_fail "fin-wait-2: not in the table"
tl_wait_for 'selected the socket of pane' || tl_fail "close-wait: no socket selected"
json_until has "$TL_SV_PID" CLOSE-WAIT tcp || tl_fail "close-wait: --once disagrees"
json_until has "$TL_SV_PID" FIN-WAIT-2 tcp || tl_fail "fin-wait-2: --once disagrees"
close_preset close-wait

# --- 2: TIME-WAIT ---
open_preset 2 'TIME-WAIT'
tl_wait_for 'Done\.' || tl_fail "time-wait: not done"
tl_wait_joined 'the side that closed first' || tl_fail "time-wait: no explanation"
PORT=$(tl_screen | tr '\n' ' ' | sed -n 's/.*127\.0\.0\.1:[0-9]* -> 127\.0\.0\.1:\([0-9]*\).*/\1/p' | head -n 1)
[ -n "$PORT" ] || tl_fail "time-wait: no port in the explanation"
json_until any TIME-WAIT "$PORT" || tl_fail "time-wait: --once shows no TIME-WAIT on $PORT"
tl_wait_for "^tcp +TIME-WAIT .*:$PORT" || tl_fail "time-wait: not in the table"
close_preset time-wait

# --- 3: half-close ---
open_preset 3 'half-close'
tl_wait_for 'Done\.' || tl_fail "half-close: not done"
tl_wait_joined "read\(\) returned 0: end of file" || tl_fail "half-close: no EOF explained"
tl_wait_for 'the reply, sent after your EOF' || tl_fail "half-close: no reply after the EOF"
json_until has "$TL_SV_PID" FIN-WAIT-2 tcp || tl_fail "half-close: no FIN-WAIT-2"
json_until has "$TL_SV_PID" CLOSE-WAIT tcp || tl_fail "half-close: no CLOSE-WAIT"
close_preset half-close

# --- 4: zero window ---
open_preset 4 'zero window'
tl_wait_for 'Done\.' || tl_fail "zero window: not done"
tl_wait_joined 'advertises a window of 0' || tl_fail "zero window: no explanation"
json_until has "$TL_SV_PID" ESTAB tcp || tl_fail "zero window: not established"
"$PYTHON3" - "$TL_TMP/once.json" "$TL_SV_PID" <<'PY' || tl_fail "zero window: queues not full"
import json, sys
socks = json.load(open(sys.argv[1]))
pid = int(sys.argv[2])
mine = [s for s in socks if any(p["pid"] == pid for p in s["processes"]) and s["proto"] == "tcp"]
assert any(s["recv_q"] > 0 for s in mine), "no Recv-Q"
assert any(s["send_q"] > 0 for s in mine), "no Send-Q"
PY
close_preset zero-window

# --- 5: full accept queue ---
open_preset 5 'full accept queue'
tl_wait_for 'Done\.' || tl_fail "accept queue: not done"
tl_wait_joined 'stuck in SYN-SENT' || tl_fail "accept queue: no explanation"
json_until has "$TL_SV_PID" SYN-SENT tcp || tl_fail "accept queue: no client in SYN-SENT"
json_until has "$TL_SV_PID" LISTEN tcp || tl_fail "accept queue: no listener"
tl_wait_for '^tcp +SYN-SENT .*sockview' || tl_fail "accept queue: SYN-SENT not in the table"
close_preset accept-queue

# --- 6: connection refused ---
open_preset 6 'connection refused'
tl_wait_for 'Done\.' || tl_fail "refused: not done"
tl_wait_joined 'connect\(\) failed: Connection refused' || tl_fail "refused: no TCP refusal"
tl_wait_joined 'recv\(\) failed: Connection refused' || tl_fail "refused: no UDP ICMP error"
json_until has "$TL_SV_PID" ESTAB udp || tl_fail "refused: the connected UDP socket"
close_preset refused

# --- 7: the life of a connection, one call per Enter ---
open_preset 7 'life of a connection'
tl_wait_for 'One system call per Enter' || tl_fail "life: no intro"
tl_keys Enter
tl_wait_for 'step 2 of 10' || tl_fail "life: socket() did not run"
tl_keys Enter
tl_wait_for 'step 3 of 10' || tl_fail "life: bind() did not run"
tl_keys Enter
tl_wait_joined 'a LISTEN row for 127\.0\.0\.1:[0-9]+ appears' || tl_fail "life: listen()"
json_until has "$TL_SV_PID" LISTEN tcp || tl_fail "life: no LISTEN after listen()"
tl_keys Enter
tl_wait_for 'step 5 of 10' || tl_fail "life: connect() did not run"
json_until has "$TL_SV_PID" ESTAB tcp || tl_fail "life: not ESTABLISHED after connect()"
tl_keys Enter
tl_wait_for 'step 6 of 10' || tl_fail "life: accept() did not run"
tl_keys Enter
tl_wait_for 'step 7 of 10' || tl_fail "life: send() did not run"
tl_keys Enter
tl_wait_for 'step 8 of 10' || tl_fail "life: recv() did not run"
tl_keys Enter
tl_wait_for 'step 9 of 10' || tl_fail "life: close() of the client"
json_until has "$TL_SV_PID" CLOSE-WAIT tcp || tl_fail "life: no CLOSE-WAIT"
tl_keys Enter
tl_wait_for 'step 10 of 10' || tl_fail "life: close() of the server side"
tl_keys Enter
tl_wait_joined 'whole life of a connection' || tl_fail "life: not finished"
close_preset life

tl_keys q
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit cleanly"
tl_log "ok"
