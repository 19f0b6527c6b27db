#!/bin/sh
# e2e_valgrind.sh - the live view under valgrind (memcheck), driven like a
# user would (issue 6 item 1): the table, the details of a TCP connection,
# the help, a filter, an echo server and a client to it with a line typed in
# its pane, then F10 (quit and close the endpoints). valgrind must report no
# invalid access and no definite or indirect leak (ncurses keeps memory
# "still reachable" on purpose: that does not count), and sockview must exit
# with status 0.
#
# In a sanitizer build (--enable-sanitizers) valgrind cannot run the ASan
# binary: the same session runs under AddressSanitizer + LeakSanitizer,
# which makes the same checks.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
# valgrind is slow to start and to draw: generous deadlines (a wait still
# ends as soon as the text shows up)
TL_WAIT=1800

LOG=$TL_TMP/mem.log
if grep -q __asan_init "$SOCKVIEW" 2>/dev/null; then
	MODE=asan
	RUN="env ASAN_OPTIONS=detect_leaks=1:exitcode=99:log_path=$LOG LSAN_OPTIONS=exitcode=99 $SOCKVIEW"
else
	MODE=valgrind
	command -v valgrind >/dev/null 2>&1 ||
		tl_fail "valgrind is not installed (quickstart.sh installs it)"
	RUN="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --error-exitcode=99 --log-file=$LOG $SOCKVIEW"
fi
tl_log "memory checker: $MODE"

tl_sockets "$TL_TMP/s1" basic "$TL_TMP"
P=$(tl_get "$TL_TMP/s1" PORT)
C=$(tl_get "$TL_TMP/s1" CPORT)
[ -n "$P" ] && [ -n "$C" ] || tl_fail "no port from the helper"
mkdir -m 700 "$TL_TMP/xdg" || tl_fail "no runtime dir"

tl_start_shell 120 40
tl_type "XDG_RUNTIME_DIR=$TL_TMP/xdg $RUN -d 0.5; echo SV-EXIT=\$?"
tl_wait_for 'F1Help' || tl_fail "no table"
tl_wait_for '^Proto' || tl_fail "no table header"

# Details of the server side of the helper's connection.
tl_keys /
tl_text "127.0.0.2:$C"
tl_wait_for "^tcp +ESTAB .*127\.0\.0\.1:$P +127\.0\.0\.2:$C " || tl_fail "server side not shown"
tl_keys Enter Home Enter
tl_wait_for "Details of tcp 127\.0\.0\.1:$P" || tl_fail "Enter did not open the details"
tl_wait_for "^State +ESTAB" || tl_fail "no state in the details"
tl_keys Escape
tl_wait_gone "Details of tcp" || tl_fail "Esc does not close the details"

# The help.
tl_keys '?'
tl_wait_for 'sockview keys' || tl_fail "? shows no help"
tl_keys Escape
tl_wait_gone 'sockview keys' || tl_fail "Esc does not close the help"

# A filter.
tl_keys f
tl_wait_for '^Filter:' || tl_fail "f opens no prompt"
tl_text "tcp or unix"
tl_keys Enter
tl_wait_for 'Filter tcp or unix' || tl_fail "the filter was not applied"

# An echo server, a client to it, a line typed in the client's pane.
tl_open_tcp_server Enter 'echo server' 1
EP=$TL_PORT
tl_keys n
tl_wait_for 'New endpoint: choose' || tl_fail "no menu"
tl_keys 5
tl_wait_for '^ New client' || tl_fail "no client form"
tl_keys Enter
tl_wait_for "\[2\] client, TCP to 127\.0\.0\.1:$EP" || tl_fail "no client pane"
tl_wait_for 'connected, [0-9]+ B in' || tl_fail "the client did not connect"
tl_text "hello valgrind"
tl_keys Enter
tl_wait_for "< 127\.0\.0\.1:$EP  hello valgrind" || tl_fail "the echo did not come back"

# F10 asks first, since endpoints are open.
tl_keys F10
tl_wait_for 'panes are open: quit and close them\?' || tl_fail "F10 did not ask"
tl_keys y
tl_wait_for '^SV-EXIT=[0-9]+$' || tl_fail "sockview did not end"
st=$(tl_screen | sed -n 's/^SV-EXIT=\([0-9]*\)$/\1/p' | tail -n 1)
tl_check_shell_back valgrind
report=$(cat "$LOG"* 2>/dev/null | head -60)
[ "$st" != 99 ] || tl_fail "$MODE found memory errors or leaks:
$report"
[ "$st" = 0 ] || tl_fail "sockview exited with status $st:
$report"
if [ "$MODE" = valgrind ]; then
	grep -q 'ERROR SUMMARY: 0 errors' "$LOG" || tl_fail "valgrind reports errors:
$report"
	grep -Eq '(definitely|indirectly) lost: [1-9]' "$LOG" && tl_fail "valgrind reports leaks:
$report"
fi
tl_log "ok: no memory errors, no leaks ($MODE)"
exit 0
