#!/bin/sh
# e2e_suspend.sh - job control (issue 6 item 5):
#  - Ctrl-Z gives the terminal back (alternate screen left, echo and icanon
#    on) and stops sockview like any job; fg brings the live view back;
#  - the same for `kill -TSTP PID` from outside;
#  - bg after a stop: sockview does not draw over the shell, it stops again
#    (SIGTTOU) until fg;
#  - kill -STOP / kill -CONT: continued in the background it stops again
#    rather than scribble; fg redraws it whole;
#  - SIGTERM while stopped in the background: once continued it exits
#    without touching the shell's terminal;
#  - `sockview &`: it waits, stopped, until fg, then shows the table;
#  - run by a script (no job control above it): kill -STOP, text written
#    over its screen, kill -CONT: the screen is repainted whole; kill -TSTP
#    leaves the screen, kill -CONT takes it again.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_start_shell 100 30

# state PID: the state letter of /proc/PID/stat (T: stopped).
state() {
	sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null
}

# wait_state PID LETTER: waits until the process is in that state.
wait_state() {
	i=0
	while [ "$i" -lt "$TL_WAIT" ]; do
		[ "$(state "$1")" = "$2" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# wait_exit PID: waits until the process has ended (gone, or a zombie).
wait_exit() {
	i=0
	while [ -e "/proc/$1" ] && [ "$(state "$1")" != Z ]; do
		i=$((i + 1))
		[ "$i" -lt "$TL_WAIT" ] || return 1
		sleep 0.1
	done
	return 0
}

# back_after_fg WHAT: fg brings sockview back in the alternate screen, with
# the whole table redrawn.
back_after_fg() {
	tl_type clear
	tl_wait_gone 'Stopped' || tl_fail "$1: clear failed"
	tl_type fg
	tl_wait_format '#{alternate_on}' 1 || tl_fail "$1, fg: no alternate screen"
	tl_wait_for 'F1Help' || tl_fail "$1, fg: the live view is not redrawn"
	tl_wait_for '^Proto' || tl_fail "$1, fg: no table header"
	tl_wait_for '^[0-9]+ sockets?: ' || tl_fail "$1, fg: no summary line"
	[ "$(state "$pid")" != T ] || tl_fail "$1, fg: sockview is still stopped"
}

# Starts sockview as a job of the shell (through sh -c, which tells its
# pid, then execs it) and sets pid. $1: what the shell line ends with.
# (A stopped job's command list is abandoned: no "; echo status" after it.)
start_job() {
	rm -f "$TL_TMP/sv.pid"
	tl_type "sh -c 'echo \$\$ > $TL_TMP/sv.pid; exec \"\$0\" -d 0.2' $SOCKVIEW$1"
	tl_wait_file "$TL_TMP/sv.pid" || tl_fail "sockview$1 did not start"
	pid=$(cat "$TL_TMP/sv.pid")
}

start_job ""
tl_wait_for 'F1Help' || tl_fail "no table"

# --- Ctrl-Z, then fg ---
tl_keys C-z
tl_wait_format '#{alternate_on}' 0 || tl_fail "Ctrl-Z: the terminal stayed in the alternate screen"
tl_wait_for 'Stopped' || tl_fail "Ctrl-Z: the shell does not report a stopped job"
wait_state "$pid" T || tl_fail "Ctrl-Z: sockview is in state '$(state "$pid")', not stopped (T)"
tl_check_tty_sane "Ctrl-Z"
back_after_fg "Ctrl-Z"

# --- kill -TSTP from outside, then fg ---
kill -TSTP "$pid"
tl_wait_format '#{alternate_on}' 0 || tl_fail "SIGTSTP: the terminal stayed in the alternate screen"
tl_wait_for 'Stopped' || tl_fail "SIGTSTP: the shell does not report a stopped job"
wait_state "$pid" T || tl_fail "SIGTSTP: sockview is in state '$(state "$pid")', not stopped (T)"
tl_check_tty_sane "SIGTSTP"
back_after_fg "SIGTSTP"
[ "$(tmx display-message -p -t "$TL_SESSION" '#{cursor_flag}')" = 0 ] ||
	tl_fail "SIGTSTP, fg: the cursor is shown over the table"

# --- Ctrl-Z, bg: in the background it does not draw, it stops again ---
tl_keys C-z
tl_wait_for 'Stopped' || tl_fail "Ctrl-Z (2): the shell does not report a stopped job (state $(state "$pid"); $(grep Sig /proc/$pid/status))"
wait_state "$pid" T || tl_fail "Ctrl-Z (2): sockview is not stopped"
tl_type clear
tl_wait_gone 'Stopped' || tl_fail "clear failed"
tl_type "bg; echo BG-DONE"
tl_wait_for '^(\$ )?BG-DONE$' || tl_fail "bg: the shell does not answer"
# continued, then stopped again by itself (a refresh is due every 0.2 s)
wait_state "$pid" T || tl_fail "bg: sockview runs in the background"
[ "$(tmx display-message -p -t "$TL_SESSION" '#{alternate_on}')" = 0 ] ||
	tl_fail "bg: sockview took the alternate screen from the shell"
tl_screen | grep -Eq '^Proto|F1Help' && tl_fail "bg: sockview drew over the shell"
tl_check_tty_sane "bg"
back_after_fg "bg"

# --- kill -STOP, kill -CONT: continued in the background, it stops again;
# fg redraws it. (SIGSTOP cannot be caught: the terminal stays as it was,
# in sockview's modes, so the shell's first line ends with Ctrl-J.)
kill -STOP "$pid"
wait_state "$pid" T || tl_fail "SIGSTOP: not stopped"
tl_wait_for 'Stopped' || tl_fail "SIGSTOP: the shell does not report a stopped job"
tl_text "stty sane; printf '\\033[?25h'; clear; echo STOP-SEEN"
tl_keys C-j
tl_wait_for '^(\$ )?STOP-SEEN$' || tl_fail "SIGSTOP: the shell does not answer"
# kill() returns once the process runs again: T now means stopped again
kill -CONT "$pid"
wait_state "$pid" T || tl_fail "SIGCONT in the background: sockview did not stop again"
tl_screen | grep -Eq '^Proto|F1Help' && tl_fail "SIGCONT in the background: sockview drew over the shell"
tl_check_tty_sane "SIGCONT"
back_after_fg "SIGSTOP/SIGCONT"

tl_keys q
tl_check_shell_back suspend
wait_exit "$pid" || tl_fail "sockview is still running after q"
tl_type clear

# --- SIGTERM while stopped in the background: once continued it exits,
# without touching the shell's terminal (that would only stop it again)
start_job ""
tl_wait_for 'F1Help' || tl_fail "no table"
tl_keys C-z
tl_wait_for 'Stopped' || tl_fail "Ctrl-Z (3): the shell does not report a stopped job"
wait_state "$pid" T || tl_fail "Ctrl-Z (3): not stopped"
tl_type clear
tl_wait_gone 'Stopped' || tl_fail "clear failed"
tl_type "bg; echo BG2-DONE"
tl_wait_for '^(\$ )?BG2-DONE$' || tl_fail "bg (2): the shell does not answer"
wait_state "$pid" T || tl_fail "bg (2): sockview runs in the background"
kill -TERM "$pid"
kill -CONT "$pid"
wait_exit "$pid" || tl_fail "SIGTERM in the background: sockview did not exit (state $(state "$pid"))"
[ "$(tmx display-message -p -t "$TL_SESSION" '#{alternate_on}')" = 0 ] ||
	tl_fail "SIGTERM in the background: sockview took the alternate screen"
tl_screen | grep -Eq '^Proto|F1Help' && tl_fail "SIGTERM in the background: sockview drew over the shell"
tl_check_tty_sane "SIGTERM in the background"
tl_type clear

# --- started in the background: stopped until fg, no scribbling ---
start_job " & echo BG-STARTED"
tl_wait_for '^(\$ )?BG-STARTED$' || tl_fail "sockview &: the shell does not answer"
wait_state "$pid" T || tl_fail "sockview &: it runs in the background (state $(state "$pid"))"
[ "$(tmx display-message -p -t "$TL_SESSION" '#{alternate_on}')" = 0 ] ||
	tl_fail "sockview &: it took the alternate screen"
tl_check_tty_sane "sockview &"
back_after_fg "sockview &"
tl_keys q
tl_check_shell_back background
wait_exit "$pid" || tl_fail "sockview & is still running after q"

# --- no job control above it (a script runs sockview and waits): after
# kill -STOP / kill -CONT it is still the foreground job, and SIGCONT
# repaints every cell (something wrote over its screen meanwhile); after
# kill -TSTP it leaves the screen, and kill -CONT brings it back.
cat >"$TL_TMP/wrap.sh" <<EOF
sh -c 'echo \$\$ > "$TL_TMP/sv2.pid"; exec "\$0" -d 0.2' "$SOCKVIEW"
echo WRAP-EXIT=\$?
EOF
tl_type clear
tl_type "sh $TL_TMP/wrap.sh"
tl_wait_file "$TL_TMP/sv2.pid" || tl_fail "wrapped sockview did not start"
pid=$(cat "$TL_TMP/sv2.pid")
tl_wait_for '^Proto' || tl_fail "wrapped: no table"
tty=$(tmx display-message -p -t "$TL_SESSION" '#{pane_tty}')
kill -STOP "$pid"
wait_state "$pid" T || tl_fail "wrapped: SIGSTOP did not stop it"
# on the first line, where nothing changes from one refresh to the next
printf '\033[1;1HGARBAGE-%s' $$ >"$tty"
tl_wait_for "GARBAGE-$$" || tl_fail "wrapped: the text written over it does not show"
kill -CONT "$pid"
tl_wait_gone "GARBAGE-$$" || tl_fail "wrapped: SIGCONT did not repaint the screen"
tl_wait_for '^[0-9]+ sockets?: ' || tl_fail "wrapped: no summary line after SIGCONT"
kill -TSTP "$pid"
tl_wait_format '#{alternate_on}' 0 || tl_fail "wrapped, SIGTSTP: the alternate screen stayed"
wait_state "$pid" T || tl_fail "wrapped, SIGTSTP: not stopped"
kill -CONT "$pid"
tl_wait_format '#{alternate_on}' 1 || tl_fail "wrapped, SIGCONT: no alternate screen"
tl_wait_for '^Proto' || tl_fail "wrapped, SIGCONT: the table is not redrawn"
tl_keys q
tl_wait_for '^WRAP-EXIT=0$' || tl_fail "wrapped: q did not quit"
tl_check_shell_back wrapped
exit 0
