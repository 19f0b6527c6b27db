#!/bin/sh
# e2e_crash.sh - a crash (SIGSEGV, SIGBUS, SIGABRT, SIGFPE) gives the
# terminal back: the alternate screen left, the cursor shown, echo and
# icanon on; and the process still dies of that signal (status 128 + N),
# so core dumps and the shell's report are unchanged.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_start_shell 120 40

for sig in SEGV BUS ABRT FPE; do
	num=$(kill -l "$sig")
	tl_start_sockview
	tl_wait_for 'F1Help' || tl_fail "$sig: no table"
	tl_wait_format '#{alternate_on}' 1 || tl_fail "$sig: not in the alternate screen"
	kill -"$sig" "$TL_SV_PID"
	tl_wait_for "^SV-EXIT=$((128 + num))\$" || tl_fail "$sig: did not die of the signal"
	tl_check_shell_back "crash-$sig"
	tl_check_tty_sane "crash-$sig"
	tl_type clear
	tl_wait_gone 'SV-EXIT' || tl_fail "clear failed"
done
exit 0
