#!/bin/sh
# e2e_nsform.sh - the new endpoint form's Namespace field (issue 17 item 4).
#
# Two namespaces made with `ip netns add` (unique names, removed at exit,
# lo up). sockview starts in its own namespace only; the echo server's
# form offers the namespaces, sockview's own first and chosen; choosing A
# opens the server inside A: `ip netns exec A ss` lists its listener, the
# initial namespace has none on that port, the pane title names A, and
# the table turns to every namespace to show it; a client's namespace is
# its server's and the echo comes back. Then B is chosen and
# deleted before Enter: a one-line error in the form, nothing else breaks.
# Last, N shows A and the state lab opens its sockets inside A.
# Runs in the host namespace (TL_NO_NETNS=1): making namespaces needs
# root; SKIP (77) without it.
TL_NO_NETNS=1
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null 2>&1 || ! command -v ss >/dev/null 2>&1; then
	echo "SKIP: needs root, ip(8) and ss(8) to make network namespaces"
	exit 77
fi
NA="svf-a-$$"
NB="svf-b-$$"

tl_init
trap 'ip netns del "$NA" 2>/dev/null; ip netns del "$NB" 2>/dev/null; tl_cleanup' EXIT
ip netns add "$NA" && ip netns add "$NB" || tl_fail "ip netns add failed"
ip -n "$NA" link set lo up || tl_fail "no lo in $NA"
mkdir -m 700 "$TL_TMP/xdg" || tl_fail "no runtime dir"
TL_ENV="XDG_RUNTIME_DIR=$TL_TMP/xdg"

# choose_ns NAME: with the form open, focuses the Namespace field and
# presses Right until the choice is NAME (at most one lap of the list).
choose_ns() {
	tl_keys Up
	tl_wait_for '^> Namespace +\[' || tl_fail "Up did not focus the Namespace field"
	k=0
	while ! tl_screen | grep -Eq "^> Namespace +\\[$1\\]"; do
		k=$((k + 1))
		[ "$k" -le 70 ] || tl_fail "$1 is not among the choices"
		cur=$(tl_screen | sed -n 's/^> Namespace .*\]  \([0-9]*\) of \([0-9]*\).*/\1 \2/p')
		set -- "$1" $cur
		[ $# -eq 3 ] || tl_fail "no 'K of N' on the Namespace field"
		next=$(($2 % $3 + 1))
		tl_keys Right
		tl_wait_for "^> Namespace +\\[.*\\]  $next of $3" || tl_fail "Right did not move to $next"
	done
}

tl_start_shell 200 50
# the form suggests ports from 5000 up: the filter keeps the table short on a
# busy machine (the row to see stays on the first screen)
tl_start_sockview -d 0.3 -t -l -f "'sport >= :5000 and sport <= :5999'"
tl_wait_for 'F1Help' || tl_fail "no table"

tl_keys n
tl_wait_for 'New endpoint: choose' || tl_fail "no new-endpoint menu"
tl_keys Enter
tl_wait_for '^ New echo server' || tl_fail "no echo form"
# the default: sockview's own (nothing chosen with N)
tl_wait_for "^  Namespace +\\[.*\\]  1 of [0-9]+, sockview's own" ||
	tl_fail "the Namespace field does not start on sockview's own"
choose_ns "$NA"
tl_keys Enter
tl_wait_for "^\\[1\\] echo server, TCP 127\\.0\\.0\\.1:[0-9]+ \\(netns $NA\\)" ||
	tl_fail "no pane naming $NA"
PORT=$(tl_screen | sed -n "s/^\\[1\\] echo server, TCP 127\\.0\\.0\\.1:\\([0-9]*\\) .*/\\1/p" | head -n 1)
[ -n "$PORT" ] || tl_fail "no port in the pane's title"
tl_wait_joined "in network namespace $NA; the table now shows every namespace" ||
	tl_fail "no message naming the namespace"
tl_wait_for "127\\.0\\.0\\.1:$PORT .*sockview.* $NA" || tl_fail "the table does not show it in $NA"

# where the listener really is: in A, not in the initial namespace
i=0
until ip netns exec "$NA" ss -Hltn "sport = :$PORT" | grep -q "127\\.0\\.0\\.1:$PORT"; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || tl_fail "ss in $NA does not list 127.0.0.1:$PORT"
	sleep 0.1
done
if ss -Hltn "sport = :$PORT" | grep -q "127\\.0\\.0\\.1:$PORT"; then
	tl_fail "a listener on 127.0.0.1:$PORT in the initial namespace"
fi
"$SOCKVIEW" --once -N "$NA" -t -l >"$TL_TMP/once.txt" 2>&1 || tl_fail "sockview --once -N $NA failed"
grep -q "127\\.0\\.0\\.1:$PORT .*sockview" "$TL_TMP/once.txt" || tl_fail "--once -N $NA does not list it"

# a client's namespace is its target's: the newest server's, A
tl_keys n 5
tl_wait_for '^ New client' || tl_fail "no client form"
tl_wait_for "^  Namespace +\\[$NA\\]" || tl_fail "the client's namespace is not the server's"
tl_keys Enter
tl_wait_for "\\[2\\] client, TCP to 127\\.0\\.0\\.1:$PORT \\(netns $NA\\)" ||
	tl_fail "no client pane naming $NA"
tl_text hello
tl_keys Enter
tl_wait_for 'connected, [0-9]+ B in' || tl_fail "the client in $NA did not connect"
tl_wait_for 'connected, 6 B in, 6 B out' || tl_fail "no echo in $NA"
tl_keys Escape

# B vanishes between the choice and Enter
tl_keys n
tl_wait_for 'New endpoint: choose' || tl_fail "no new-endpoint menu (2)"
tl_keys 1
tl_wait_for '^ New echo server' || tl_fail "no echo form (2)"
choose_ns "$NB"
ip netns del "$NB" || tl_fail "ip netns del $NB failed"
tl_keys Enter
tl_wait_for "Namespace: $NB no longer exists" || tl_fail "no error for the vanished namespace"
tl_wait_for '^ New echo server' || tl_fail "the form closed on the error"
tl_keys Escape
tl_wait_for 'F1Help' || tl_fail "Esc: not back to the table"
tl_wait_for "127\\.0\\.0\\.1:$PORT .*sockview.* $NA" || tl_fail "the table lost A's listener"

# N chooses A for the table; the state lab then opens inside A
k=0
while ! tl_screen | grep -Eq "Netns $NA "; do
	k=$((k + 1))
	[ "$k" -le 20 ] || tl_fail "N never showed $NA"
	tl_keys N
	tl_wait_for 'Network namespace shown' || tl_fail "N did not open the chooser"
	tl_keys Down Enter
	tl_wait_gone 'Network namespace shown' || tl_fail "Enter did not close the chooser"
done
tl_keys n
tl_wait_for 'New endpoint: choose' || tl_fail "no new-endpoint menu (3)"
tl_keys 6
tl_wait_for 'State lab: make a socket state' || tl_fail "6: no lab menu"
tl_keys 1
tl_wait_for "\\[3\\] state lab: CLOSE-WAIT and FIN-WAIT-2 \\(netns $NA\\)" ||
	tl_fail "no lab pane naming $NA"
tl_wait_for 'Done\. Enter in this pane runs it again' || tl_fail "the preset did not finish in $NA"
i=0
until "$SOCKVIEW" --once -N "$NA" -t --format=json >"$TL_TMP/once.json" 2>/dev/null &&
	"$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_labcheck.py" "$TL_TMP/once.json" has "$TL_SV_PID" CLOSE-WAIT tcp; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || tl_fail "--once -N $NA shows no CLOSE-WAIT of sockview"
	sleep 0.2
done

tl_keys F10
tl_wait_for 'quit and close (it|them)\?' || tl_fail "no quit question"
tl_keys y
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit cleanly"
if ip netns exec "$NA" ss -Hltn "sport = :$PORT" | grep -q "127\\.0\\.0\\.1:$PORT"; then
	tl_fail "the listener in $NA outlived sockview"
fi
tl_log "ok"
