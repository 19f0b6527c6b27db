#!/bin/sh
# e2e_details.sh - the details view of an established loopback TCP
# connection shows tcp_info and keeps updating; p jumps to the peer; the
# selection stays on the same socket when a refresh inserts rows before it.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_sockets "$TL_TMP/s1" basic "$TL_TMP"
P=$(tl_get "$TL_TMP/s1" PORT)
C=$(tl_get "$TL_TMP/s1" CPORT)
HELPER=$(tl_get "$TL_TMP/s1" PID)
[ -n "$P" ] && [ -n "$C" ] && [ -n "$HELPER" ] || tl_fail "no port from the helper"

tl_start_shell 120 40
tl_start_sockview -d 0.2
tl_wait_for 'F1Help' || tl_fail "no table"

# The two ends of the connection: the server side (local 127.0.0.1:P) and
# the client side (local 127.0.0.2:C). Both contain "127.0.0.2:C"; the
# server side sorts first.
tl_keys /
tl_text "127.0.0.2:$C"
tl_wait_for "^tcp +ESTAB +[0-9]+ +[0-9]+ +127\.0\.0\.2:$C " || tl_fail "client side not shown"
tl_wait_for "^tcp +ESTAB .*127\.0\.0\.1:$P +127\.0\.0\.2:$C " || tl_fail "server side not shown"
tl_keys Enter
tl_keys Home
tl_keys Enter
tl_wait_for "Details of tcp 127\.0\.0\.1:$P" || tl_fail "Enter did not open the details"
tl_wait_for "^State +ESTAB" || tl_fail "no state in the details"
tl_wait_for "connected: data can flow both ways" || tl_fail "no explanation of the state"
tl_wait_for "^RTT +[0-9.]+(us|ms|s) \(variation" || tl_fail "no RTT from tcp_info"
tl_wait_for "^Window +cwnd [0-9]+ segments" || tl_fail "no cwnd from tcp_info"
tl_wait_for "^MSS +send [0-9]+" || tl_fail "no MSS from tcp_info"
tl_wait_for "^Bytes +sent [0-9]+, acked [0-9]+, received 5," || tl_fail "no byte counters from tcp_info"
tl_wait_for "^Owner +pid $HELPER, fd [0-9]+" || tl_fail "no owning process"
tl_wait_for "^Peer socket +inode [0-9]+, ESTAB \(p jumps to it\)" || tl_fail "no local peer"

# The details keep updating: the client sends 1000 more bytes.
kill -USR1 "$HELPER"
tl_wait_for "^Bytes .*received 1005," || tl_fail "the details did not update"

# p jumps to the peer, and the details follow it.
tl_keys p
tl_wait_for "Details of tcp 127\.0\.0\.2:$C" || tl_fail "p did not jump to the peer"
tl_keys p
tl_wait_for "Details of tcp 127\.0\.0\.1:$P" || tl_fail "p did not jump back"
tl_keys Escape
tl_wait_for "Local.+Peer" || tl_fail "Esc did not close the details"

# In the table too: select the client side, p selects the server side.
tl_keys End
tl_keys p
tl_wait_for "jumped to the peer socket" || tl_fail "p in the table did nothing"
tl_keys Enter
tl_wait_for "Details of tcp 127\.0\.0\.1:$P" || tl_fail "p in the table selected the wrong socket"
tl_keys Escape

# The selection stays on its socket across refreshes: select the listener
# on 127.0.0.3:P, then widen the view and open a listener on 127.0.0.2:P,
# which sorts before it.
tl_keys /
tl_keys C-u
tl_text "127.0.0.3:$P"
tl_wait_for "^tcp +LISTEN .*127\.0\.0\.3:$P " || tl_fail "127.0.0.3 listener not shown"
tl_keys Enter
tl_keys /
tl_keys C-u
tl_text ":$P"
tl_keys Enter
tl_wait_for "^tcp +LISTEN .*127\.0\.0\.1:$P " || tl_fail "the wider search does not show the listener"
tl_sockets "$TL_TMP/s2" listen 127.0.0.2 "$P"
tl_wait_for "^tcp +LISTEN .*127\.0\.0\.2:$P " || tl_fail "the new listener did not appear"
a=$(tl_line_of "^tcp +LISTEN .*127\.0\.0\.2:$P ")
b=$(tl_line_of "^tcp +LISTEN .*127\.0\.0\.3:$P ")
[ "$a" -gt 0 ] && [ "$b" -gt "$a" ] || tl_fail "the new row is not above the selected one ($a, $b)"
tl_keys Enter
tl_wait_for "Details of tcp 127\.0\.0\.3:$P" || tl_fail "the selection moved to another socket"
tl_keys Escape

# A Unix listener: its path, the socket file's owner and mode, and why
# they matter.
UNIXPATH=$(tl_get "$TL_TMP/s1" UNIX)
tl_keys /
tl_keys C-u
tl_text "sv-e2e-$P.sock"
tl_keys Enter
tl_wait_for "^u_str +LISTEN .*sv-e2e-$P\.sock" || tl_fail "Unix listener not shown"
tl_keys Home
tl_keys Enter
tl_wait_for "Details of u_str $UNIXPATH" || tl_fail "no details of the Unix listener"
tl_wait_for "^Path +$UNIXPATH" || tl_fail "no path in the Unix details"
tl_wait_for "^Socket file +srwx[-rwx]{6} owner [0-9]+, group [0-9]+" || tl_fail "no owner and mode of the socket file"
tl_wait_for "Unix sockets obey file permissions" || tl_fail "no word on permissions"
tl_wait_for "^Peer inode +none \(not connected\)" || tl_fail "no peer line"
tl_wait_for "^Owner +pid $HELPER, fd [0-9]+" || tl_fail "no owning process of the Unix socket"
tl_keys Escape

tl_keys q
tl_wait_for '^SV-EXIT=0$' || tl_fail "q did not quit"
tl_check_shell_back q
exit 0
