#!/bin/sh
# e2e_kinds.sh - packet, netlink and raw sockets in the live view (issue 13):
# packet rows are there from the start, netlink ones are not (the default
# leaves them out and the header says "Netlink hidden"); L shows them
# (usersock:16962 of the helper), L again hides them; 0 hides and shows the
# packet rows; raw sockets read from /proc are marked so in the header; the
# help lists the keys.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
# packet sockets need CAP_NET_RAW: the private namespace gives it
$TL_NSENTER "$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_kinds.py" "$TL_TMP/k" </dev/null &
TL_PIDS="$TL_PIDS $!"
tl_wait_file "$TL_TMP/k" || tl_fail "the socket helper did not start (no CAP_NET_RAW?)"
HP=$(tl_get "$TL_TMP/k" PID)

tl_start_shell 130 40
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"
tl_wait_for "^p_raw +UNCONN .*\*:\* .*python3/$HP" || tl_fail "no packet row (ETH_P_ALL) of the helper"
tl_wait_for "^p_dgr +UNCONN .*ip:lo .*python3/$HP" || tl_fail "no packet row for IP on lo"
tl_wait_for 'Netlink hidden' || tl_fail "the header does not say netlink sockets are hidden"
tl_screen | grep -Eq '^nl ' && tl_fail "netlink rows shown by default"
if [ "$(tl_get "$TL_TMP/k" RAWDIAG)" = 0 ]; then
	tl_wait_for 'Raw [1-9][0-9]* \(from /proc\)' ||
		tl_fail "raw sockets from /proc are not marked in the header"
	tl_screen | grep -q 'Raw: cannot be seen' && tl_fail "raw said unseen though /proc stood in"
fi

tl_keys L
tl_wait_for "^nl +UNCONN .*usersock:16962 .*python3/$HP" || tl_fail "L did not show the netlink rows"
tl_wait_for 'netlink sockets shown' || tl_fail "no message for L"
tl_wait_for 'Netlink [1-9][0-9]*' || tl_fail "the header does not count netlink sockets"
tl_keys L
tl_wait_gone '^nl ' || tl_fail "L again did not hide the netlink rows"
tl_wait_for 'Netlink hidden' || tl_fail "the header does not say netlink is hidden again"

tl_keys 0
tl_wait_gone '^p_(raw|dgr) ' || tl_fail "0 did not hide the packet rows"
tl_wait_for 'Packet hidden' || tl_fail "the header does not say packet sockets are hidden"
tl_keys 0
tl_wait_for "^p_raw .*python3/$HP" || tl_fail "0 again did not show the packet rows"

# the details of a packet row
tl_keys F3
tl_text "ip:lo"
tl_keys Enter Enter
tl_wait_for 'Packet socket' || tl_fail "no packet section in the details"
tl_wait_for 'Interface +lo \(1\)' || tl_fail "the details do not name the interface"
tl_keys Escape Escape

tl_keys F1
tl_wait_joined '0 L M +show/hide packet, netlink \(hidden at start\), MPTCP sockets' ||
	tl_fail "the help does not list 0 L M"
tl_keys Escape
tl_keys F10
tl_wait_for '^SV-EXIT=0$' || tl_fail "F10 did not quit"
exit 0
