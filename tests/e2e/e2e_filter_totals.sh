#!/bin/sh
# e2e_filter_totals.sh - with a filter on, the header still counts the
# machine's sockets, and says how many of them the filter lets through
# (issue 12 item 8): "Unix 0" while Unix sockets exist was a lie.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_sockets "$TL_TMP/s1" basic "$TL_TMP"
P=$(tl_get "$TL_TMP/s1" PORT)
[ -n "$P" ] || tl_fail "no port from the helper"

tl_start_shell 120 40
tl_start_sockview -f "'tcp and port $P'"
tl_wait_for 'F1Help' || tl_fail "no table"
tl_wait_for "Filter tcp and port $P" || tl_fail "the filter is not shown"
# the helper's two listeners and its connection (both ends) match
tl_wait_for "Shown 4 of [0-9]+" || tl_fail "the header does not say how many of all match"
# the machine's totals: the UDP socket and the Unix listener are counted
tl_wait_for "UDP [1-9][0-9]*  Unix [1-9]" || tl_fail "the totals count only what the filter matches"
N=$(tl_screen | sed -n 's/.*Shown 4 of \([0-9][0-9]*\).*/\1/p' | head -n 1)
[ -n "$N" ] && [ "$N" -ge 6 ] || tl_fail "the total ($N) is not the machine's"
# the rows are only the matching ones
tl_screen | grep -Eq '^(udp|u_str) ' && tl_fail "the table shows sockets the filter excludes"
tl_keys F10
tl_wait_for '^SV-EXIT=0$' || tl_fail "F10 did not quit"
exit 0
