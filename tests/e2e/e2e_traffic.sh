#!/bin/sh
# e2e_traffic.sh - a receiver that never reads makes the sender's details
# say that the receiver is not reading (and the Hint column mark it); g
# shows the table grouped by process, Enter expands a process, g returns.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
$TL_NSENTER "$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_traffic.py" "$TL_TMP/t1" </dev/null &
TL_PIDS="$TL_PIDS $!"
tl_wait_file "$TL_TMP/t1" || tl_fail "traffic helper did not start"
P=$(tl_get "$TL_TMP/t1" PORT)
C=$(tl_get "$TL_TMP/t1" CPORT)
HELPER=$(tl_get "$TL_TMP/t1" PID)
[ -n "$P" ] && [ -n "$C" ] && [ -n "$HELPER" ] || tl_fail "no ports from the helper"

tl_start_shell 150 45
tl_start_sockview -d 0.3 -t -f "'sport = :$C or dport = :$C'"
tl_wait_for 'F1Help' || tl_fail "no table"
tl_wait_for "^tcp +ESTAB +[0-9]+ +[0-9]+ +127\.0\.0\.1:$C " || tl_fail "the sender is not shown"

# the Hint column marks it (c: the columns menu, down to the Hint entry)
tl_keys c
tl_wait_for 'Hint: what looks wrong' || tl_fail "no Hint entry in the columns menu"
first=$(tl_line_of 'User id')
hint=$(tl_line_of 'Hint: what looks wrong')
[ "$first" -gt 0 ] && [ "$hint" -gt "$first" ] || tl_fail "cannot find the menu's entries"
i=$first
while [ "$i" -lt "$hint" ]; do
	tl_keys Down
	i=$((i + 1))
done
tl_keys Enter Escape
tl_wait_for "Hint" || tl_fail "no Hint column"
tl_wait_for "127\.0\.0\.1:$C .*not reading" || tl_fail "the Hint column does not mark the sender"

# its details say it in words
tl_keys /
tl_text "127.0.0.1:$C"
tl_keys Enter
tl_wait_for "^tcp +ESTAB .*127\.0\.0\.1:$C " || tl_fail "search did not find the sender"
tl_keys Home Enter
tl_wait_for "Details of tcp " || tl_fail "Enter did not open the details"
# both ends match the search: from the receiver's, p jumps to the sender's
tl_screen | grep -Eq "Details of tcp 127\.0\.0\.1:$C " || tl_keys p
tl_wait_for "Details of tcp 127\.0\.0\.1:$C" || tl_fail "no details of the sender"
tl_wait_joined "Diagnosis The receiver is not reading" || tl_fail "the details do not say the receiver is not reading"
tl_keys End
tl_wait_for "^History" || tl_fail "no history section"
tl_wait_for "^Send-Q .*min .*max .*now" || tl_fail "no Send-Q sparkline"
tl_keys Escape
tl_keys Escape
tl_wait_for 'F1Help' || tl_fail "Esc did not return to the table"

# g: grouped by process; the helper's group holds both ends
tl_keys g
tl_wait_for "Process +PID +Socks" || tl_fail "g did not show the grouped view"
tl_wait_for "python3 +$HELPER +[0-9]+ " || tl_fail "no group for the helper"
tl_wait_for "TCP only" || tl_fail "the grouped view does not say rates are TCP only"
tl_keys Home Enter
tl_wait_for "^ +tcp +ESTAB +127\.0\.0\.1:$C" || tl_fail "Enter did not expand the process into its sockets"
tl_keys g
tl_wait_for 'F1Help' || tl_fail "g again did not return to the table"
tl_wait_for "Local.+Peer" || tl_fail "no table after g"

# S: grouped by service; g and S switch groupings, S again: the table
tl_keys S
tl_wait_for "Service +Socks +TCP" || tl_fail "S did not show the view grouped by service"
tl_wait_for "[0-9]+ services?," || tl_fail "the grouped view does not count services"
tl_wait_for "g ?Process" || tl_fail "the footer does not offer g for the process grouping"
tl_keys g
tl_wait_for "Process +PID +Socks" || tl_fail "g did not switch to the process grouping"
tl_keys S
tl_wait_for "Service +Socks +TCP" || tl_fail "S did not switch back to the service grouping"
tl_keys S
tl_wait_for 'F1Help' || tl_fail "S again did not return to the table"

tl_keys q
tl_wait_for '^SV-EXIT=0$' || tl_fail "q did not quit"
tl_check_shell_back q
exit 0
