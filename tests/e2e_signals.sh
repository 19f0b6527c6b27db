#!/bin/sh
# e2e_signals.sh - SIGTERM, SIGHUP and Ctrl-C (SIGINT) end sockview and
# give the terminal back; F10 quits; an unknown TERM or a missing terminal
# is a clear error with status 1.
. "${TESTS_SRCDIR:-$(dirname "$0")}/tmuxlib.sh"

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
