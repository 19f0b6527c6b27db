#!/bin/sh
# e2e_history.sh - the filter history is kept between runs (issue 12 item
# 14): an expression applied in one run comes back with Up at the filter
# prompt of the next; the file is the user's alone; a hostile history file
# is shown escaped, never raw.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_start_shell 120 40
STATE=$TL_TMP/state
TL_ENV="XDG_STATE_HOME=$STATE"

tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"
tl_keys f
tl_wait_for '^Filter: +F1: syntax, Up: history \| e\.g\. tcp and port 22' || tl_fail "no filter prompt with examples"
tl_text 'tcp and port 22'
tl_keys Enter
tl_wait_for 'Filter tcp and port 22' || tl_fail "the filter was not applied"
tl_keys F10
tl_wait_for '^SV-EXIT=0$' || tl_fail "F10 did not quit"
[ -f "$STATE/sockview/filter-history" ] || tl_fail "no history file"
[ "$(stat -c %a "$STATE/sockview/filter-history")" = 600 ] || tl_fail "the history file is not 0600"
grep -qx 'tcp and port 22' "$STATE/sockview/filter-history" || tl_fail "the expression is not in the file"

# the next run: Up at the prompt brings it back
tl_type clear
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "second run: no table"
tl_wait_for 'Filter none' || tl_fail "second run: a filter applied by itself"
tl_keys f
tl_wait_for '^Filter: ' || tl_fail "second run: no prompt"
tl_keys Up
tl_wait_for '^Filter: tcp and port 22 *$' || tl_fail "Up did not bring back the last run's filter"
tl_keys Escape F10
tl_wait_for '^SV-EXIT=0$' || tl_fail "F10 did not quit"

# a history file with an escape sequence in it: shown escaped
printf 'comm \033]0;pwned\007x\n' >"$STATE/sockview/filter-history"
tl_type clear
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "third run: no table"
tl_keys f Up
tl_wait_for '^Filter: comm \\x1b\]0;pwned\\x07x' || tl_fail "the hostile entry is not shown escaped"
tl_keys Escape F10
tl_wait_for '^SV-EXIT=0$' || tl_fail "F10 did not quit"
exit 0
