#!/bin/sh
# e2e_resize.sh - any terminal size: down to 20x6 (what fits), below it (a
# notice), back to 120x40; nothing crashes and the table comes back.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_sockets "$TL_TMP/s1" basic "$TL_TMP"
P=$(tl_get "$TL_TMP/s1" PORT)

tl_start_shell 120 40
tl_start_sockview
tl_wait_for 'Proto. +State +Recv-Q +Send-Q +Local +Peer +Process' || tl_fail "no table"
tl_keys /
tl_text "127.0.0.1:$P"
tl_keys Enter
tl_wait_for "^tcp +LISTEN .*127\.0\.0\.1:$P " || tl_fail "listener not shown"

# 80x24: every default column still fits.
tmx resize-window -t "$TL_SESSION" -x 80 -y 24
tl_wait_for '^Proto. +State +Recv-Q +Send-Q +Local +Peer +Process' || tl_fail "80x24: columns missing"
[ "$(tl_screen | wc -l)" -eq 24 ] || tl_fail "80x24: wrong number of lines"

# 20x6: the header, the protocol and local address, the footer.
tmx resize-window -t "$TL_SESSION" -x 20 -y 6
tl_wait_for '^Proto. +Local' || tl_fail "20x6: no column titles"
tl_wait_for "^tcp +127\.0\..*:$P" || tl_fail "20x6: the row does not show"
tl_wait_for '^F1Help' || tl_fail "20x6: no footer"
# keys still work there
tl_keys '?'
tl_wait_for 'sockview keys' || tl_fail "20x6: no help"
tl_keys Escape
tl_wait_for '^Proto. +Local' || tl_fail "20x6: help did not close"

# Smaller than 20x6: a notice.
tmx resize-window -t "$TL_SESSION" -x 12 -y 4
tl_wait_for 'terminal' || tl_fail "12x4: no notice"
tmx resize-window -t "$TL_SESSION" -x 3 -y 2
tl_wait_format '#{window_width}' 3 || tl_fail "cannot resize to 3x2"
tmx resize-window -t "$TL_SESSION" -x 1 -y 1
tl_wait_format '#{window_width}' 1 || tl_fail "cannot resize to 1x1"

# Back to 120x40: the whole table again, still running.
tmx resize-window -t "$TL_SESSION" -x 120 -y 40
tl_wait_for 'Proto. +State +Recv-Q +Send-Q +Local +Peer +Process' || tl_fail "120x40: no table after resizing back"
tl_wait_for "^tcp +LISTEN .*127\.0\.0\.1:$P " || tl_fail "120x40: listener not shown after resizing back"
kill -0 "$TL_SV_PID" 2>/dev/null || tl_fail "sockview died"

tl_keys q
tl_wait_for '^SV-EXIT=0$' || tl_fail "q did not quit"
tl_check_shell_back q
exit 0
