#!/bin/sh
# e2e_nslab.sh - the guided tour and the state lab inside -N NAME (issue
# 17 item 4). A namespace made with `ip netns add` (unique name, lo up,
# removed at exit). sockview -N NAME --tour: the tour's first step (an echo
# server) is confirmed from NAME's dump; the lab's CLOSE-WAIT preset makes
# its sockets in NAME (its pane names it): `sockview --once -N NAME` and
# `ip netns exec NAME ss` list them, the initial namespace does not. Runs
# in the host namespace (TL_NO_NETNS=1): making namespaces needs root;
# SKIP (77) without it.
TL_NO_NETNS=1
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null 2>&1 || ! command -v ss >/dev/null 2>&1; then
	echo "SKIP: needs root, ip(8) and ss(8) to make network namespaces"
	exit 77
fi
NL="svl-$$"

tl_init
trap 'ip netns del "$NL" 2>/dev/null; tl_cleanup' EXIT
ip netns add "$NL" || tl_fail "ip netns add failed"
ip -n "$NL" link set lo up || tl_fail "no lo in $NL"
mkdir -m 700 "$TL_TMP/xdg" || tl_fail "no runtime dir"
TL_ENV="XDG_RUNTIME_DIR=$TL_TMP/xdg"

# Polls the JSON of a --once run in NL until the check passes (a deadline).
json_until() {
	i=0
	while [ "$i" -lt 100 ]; do
		"$SOCKVIEW" --once -N "$NL" --format=json >"$TL_TMP/once.json" 2>/dev/null
		"$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_labcheck.py" "$TL_TMP/once.json" "$@" && return 0
		i=$((i + 1))
		sleep 0.2
	done
	return 1
}

tl_start_shell 150 45
tl_start_sockview -N "$NL" -d 0.3 --tour
tl_wait_for 'Guided tour: the tutorials' || tl_fail "--tour: no tour page"
tl_keys Enter
tl_wait_for 'Tour, step 1 of 8: What a socket is' || tl_fail "no tour box in the table"
tl_wait_for "Netns $NL" || tl_fail "the header does not name $NL"

# the tour's first step, in NL: an echo server, confirmed from NL's dump
tl_keys n 1
tl_wait_for '^ New echo server' || tl_fail "no echo form"
tl_keys Enter
tl_wait_for "^\\[1\\] echo server, TCP 127\\.0\\.0\\.1:[0-9]+ \\(netns $NL\\)" ||
	tl_fail "no echo pane naming $NL"
tl_wait_for 'Tour, step 2 of 8' || tl_fail "step 1 not confirmed inside $NL"
EPORT=$(tl_screen | sed -n "s/^\\[1\\] echo server, TCP 127\\.0\\.0\\.1:\\([0-9]*\\) .*/\\1/p" | head -n 1)
[ -n "$EPORT" ] || tl_fail "no port in the echo pane's title"
i=0
until ip netns exec "$NL" ss -Hltn "sport = :$EPORT" | grep -q "127\\.0\\.0\\.1:$EPORT"; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || tl_fail "ss in $NL does not list the echo server"
	sleep 0.1
done
tl_keys Escape
tl_wait_for 'left the tour' || tl_fail "Esc did not leave the tour"

# the lab's CLOSE-WAIT preset, in NL
tl_keys n
tl_wait_for 'New endpoint: choose what to open' || tl_fail "n: no menu"
tl_keys 6
tl_wait_for 'State lab: make a socket state' || tl_fail "6: no lab menu"
tl_keys 1
tl_wait_for "\\[2\\] state lab: CLOSE-WAIT and FIN-WAIT-2 \\(netns $NL\\)" ||
	tl_fail "no lab pane naming $NL"
tl_wait_for 'Done\. Enter in this pane runs it again' || tl_fail "the preset did not finish"
tl_wait_joined 'CLOSE-WAIT: the peer has closed' || tl_fail "no explanation"
tl_wait_for '^tcp +CLOSE-WAIT .*sockview' || tl_fail "CLOSE-WAIT not in the table"
tl_wait_for 'selected the socket of pane' || tl_fail "the lab's socket was not selected"
json_until has "$TL_SV_PID" CLOSE-WAIT tcp || tl_fail "--once -N $NL shows no CLOSE-WAIT of sockview"
json_until has "$TL_SV_PID" FIN-WAIT-2 tcp || tl_fail "--once -N $NL shows no FIN-WAIT-2 of sockview"
CPORT=$(tl_screen | sed -n 's/^tcp  *CLOSE-WAIT  *[0-9]*  *[0-9]*  *127\.0\.0\.1:\([0-9]*\) .*/\1/p' | head -n 1)
[ -n "$CPORT" ] || tl_fail "no port on the CLOSE-WAIT row"
ip netns exec "$NL" ss -Htn state close-wait "sport = :$CPORT" | grep -q ":$CPORT" ||
	tl_fail "ss in $NL does not list the CLOSE-WAIT socket"
if ss -Htn state close-wait "sport = :$CPORT" | grep -q "127\\.0\\.0\\.1:$CPORT"; then
	tl_fail "the CLOSE-WAIT socket is in the initial namespace"
fi

tl_keys F10
tl_wait_for 'quit and close (it|them)\?' || tl_fail "no quit question"
tl_keys y
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit cleanly"
json_until none "$TL_SV_PID" || tl_fail "a socket of sockview is left in $NL"
tl_log "ok"
