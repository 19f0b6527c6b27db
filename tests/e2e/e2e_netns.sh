#!/bin/sh
# e2e_netns.sh - N chooses the network namespace shown, and back to all.
#
# Two namespaces made with `ip netns add` (unique names, removed at exit),
# each with a listener on the same 127.0.0.1:PORT. sockview starts in its
# own namespace only; N turns every namespace on and opens the chooser,
# which lists "all namespaces" first and each namespace with its socket
# count; choosing A shows only A's sockets (Netns column, header), N and
# "all" shows both again. Runs in the host namespace (TL_NO_NETNS=1): it
# needs root to make namespaces, and reports SKIP (77) without it.
TL_NO_NETNS=1
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null 2>&1; then
	echo "SKIP: needs root and ip(8) to make network namespaces"
	exit 77
fi
NA="sve-a-$$"
NB="sve-b-$$"
PORT=48$(($$ % 90 + 10))

tl_init
trap 'ip netns del "$NA" 2>/dev/null; ip netns del "$NB" 2>/dev/null; tl_cleanup' EXIT
ip netns add "$NA" && ip netns add "$NB" || tl_fail "ip netns add failed"
for n in a b; do
	eval "ns=\$N$(echo $n | tr ab AB)"
	mkfifo "$TL_TMP/$n.in"
	ip netns exec "$ns" "$PYTHON3" "$TESTS_SRCDIR/integration/netns_holder.py" "$PORT" \
		"$TL_TMP/$n.json" <"$TL_TMP/$n.in" &
	TL_PIDS="$TL_PIDS $!"
	# the holder's stdin opens once a writer does
	if [ $n = a ]; then exec 7>"$TL_TMP/a.in"; else exec 8>"$TL_TMP/b.in"; fi
	tl_wait_file "$TL_TMP/$n.json" || tl_fail "holder in $ns did not start"
done

tl_start_shell 140 40
tl_start_sockview -d 0.3 -t -l
tl_wait_for 'F1Help' || tl_fail "no table"
tl_wait_for 'Netns \(current\)' || tl_fail "the header does not name the namespace"

tl_keys N
tl_wait_for 'Network namespace shown' || tl_fail "N did not open the chooser"
tl_wait_for '\* +all namespaces' || tl_fail "no 'all namespaces' entry first"
tl_wait_for "$NA +[0-9]+ +[0-9]+ sockets?" || tl_fail "namespace A not listed with its count"
tl_wait_for "$NB +[0-9]+ +[0-9]+ sockets?" || tl_fail "namespace B not listed with its count"

# the current namespace comes second, then A, then B (by name)
tl_keys Down Down
tl_keys Enter
tl_wait_for "showing network namespace $NA" || tl_fail "Enter did not choose A"
tl_wait_for "Netns $NA" || tl_fail "the header does not name A"
tl_wait_for "127\.0\.0\.1:$PORT +.*$NA|$NA .*127\.0\.0\.1:$PORT" || tl_fail "A's listener not shown"
tl_wait_gone "$NB" || tl_fail "B's sockets still shown"

tl_keys N
tl_wait_for 'Network namespace shown' || tl_fail "N did not reopen the chooser"
tl_keys Home
tl_keys Enter
tl_wait_for 'showing every network namespace' || tl_fail "all was not chosen"
tl_wait_for 'Netns all \([0-9]+\)' || tl_fail "the header does not say all"
tl_wait_for "$NA" || tl_fail "A not shown with all"
tl_wait_for "$NB" || tl_fail "B not shown with all"

# B goes away while the view runs: the table goes on without it
kill "$(sed 's/.*"pid": \([0-9]*\).*/\1/' "$TL_TMP/b.json")"
ip netns del "$NB"
tl_wait_gone "$NB" || tl_fail "B's sockets stay after its removal"
tl_wait_for "$NA" || tl_fail "A lost after B's removal"

tl_keys F10
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit cleanly"
exit 0
