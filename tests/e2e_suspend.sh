#!/bin/sh
# e2e_suspend.sh - Ctrl-Z gives the terminal back and stops sockview like any
# job; fg brings the live view back, redrawn; q then quits cleanly.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tmuxlib.sh"

tl_init
tl_start_shell 100 30

rm -f "$TL_TMP/sv.pid"
tl_type "sh -c 'echo \$\$ > $TL_TMP/sv.pid; exec \"\$0\"' $SOCKVIEW"
tl_wait_file "$TL_TMP/sv.pid" || tl_fail "sockview did not start"
pid=$(cat "$TL_TMP/sv.pid")
tl_wait_for 'F1Help' || tl_fail "no table"

tl_keys C-z
tl_wait_format '#{alternate_on}' 0 || tl_fail "Ctrl-Z: the terminal stayed in the alternate screen"
tl_wait_for 'Stopped' || tl_fail "Ctrl-Z: the shell does not report a stopped job"
state=$(sed 's/.*) \(.\).*/\1/' "/proc/$pid/stat")
[ "$state" = T ] || tl_fail "Ctrl-Z: sockview is in state '$state', not stopped (T)"
tl_type "echo shell-ok-$$"
tl_wait_for "^shell-ok-$$\$" || tl_fail "the shell does not answer while sockview is stopped"

tl_type fg
tl_wait_format '#{alternate_on}' 1 || tl_fail "fg: no alternate screen"
tl_wait_for 'F1Help' || tl_fail "fg: the live view is not redrawn"
tl_wait_for '^Proto' || tl_fail "fg: no table header"

tl_keys q
tl_check_shell_back suspend
kill -0 "$pid" 2>/dev/null && tl_fail "sockview is still running after q"
exit 0
