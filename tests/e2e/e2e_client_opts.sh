#!/bin/sh
# e2e_client_opts.sh - a client as an ncat user drives it (issue 16): line
# end CRLF (ncat -C) reaches an HTTP-like test server byte for byte, the
# client stays open when the server closes (CLOSE-WAIT in the table and in
# --once --format=json), Ctrl-T shows the reply as text lines with its
# control bytes still escaped, and Ctrl-X's hex view stays.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
mkdir -m 700 "$TL_TMP/xdg" || tl_fail "no runtime dir"
TL_ENV="XDG_RUNTIME_DIR=$TL_TMP/xdg"
tl_start_shell 140 50
tl_start_sockview
tl_wait_for 'F1Help' || tl_fail "no table"

# shellcheck disable=SC2086
$TL_NSENTER "$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_httpd.py" "$TL_TMP/httpd" </dev/null &
TL_PIDS="$TL_PIDS $!"
tl_wait_file "$TL_TMP/httpd" || tl_fail "the test server did not start"
HP=$(tl_get "$TL_TMP/httpd" PORT)

tl_keys n 5
tl_wait_for '^ New client' || tl_fail "no client form"
tl_wait_for '^  Line end +\[LF\] +CRLF +none' || tl_fail "no line end choice"
tl_wait_for '^  Peer closes +\[close too\]' || tl_fail "no keep-open choice"
tl_keys Down Down Down
tl_wait_for '^> Port' || tl_fail "Down does not reach the port"
tl_keys C-u
tl_text "$HP"
tl_keys Down
tl_wait_for '^> Line end' || tl_fail "Down does not reach the line end"
tl_keys Right
tl_wait_for '^> Line end +LF +\[CRLF\]' || tl_fail "Right does not choose CRLF"
tl_keys Down Down
tl_wait_for '^> Peer closes' || tl_fail "Down does not reach Peer closes"
tl_keys Right
tl_wait_for '\[stay open \(CLOSE-WAIT\)\]' || tl_fail "Right does not choose stay open"
tl_keys Enter
tl_wait_for "client, TCP to 127\.0\.0\.1:$HP" || tl_fail "no client pane"
tl_wait_for 'connected, ' || tl_fail "the client did not connect"

tl_text "GET / HTTP/1.0"
tl_keys Enter Enter
tl_wait_file "$TL_TMP/httpd.req" || tl_fail "the server got no request"
grep -qx "REQ=b'GET / HTTP/1.0\\\\r\\\\n\\\\r\\\\n'" "$TL_TMP/httpd.req" ||
	tl_fail "the request bytes differ: $(cat "$TL_TMP/httpd.req")"

# The server closed its side; the client stays: CLOSE-WAIT.
tl_wait_joined 'this side stays open \(CLOSE-WAIT\)' || tl_fail "the client did not stay open"
tl_wait_for "^tcp +CLOSE-WAIT .*127\.0\.0\.1:$HP .*sockview" || tl_fail "no CLOSE-WAIT row"
i=0
until tl_ns "$SOCKVIEW" --once --format=json >"$TL_TMP/once.json" &&
	"$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_labcheck.py" "$TL_TMP/once.json" has "$TL_SV_PID" CLOSE-WAIT tcp; do
	i=$((i + 1))
	[ "$i" -lt 50 ] || tl_fail "--once does not show the CLOSE-WAIT"
	sleep 0.2
done

# The reply as one escaped stream, then as text lines, then as hex.
tl_wait_for 'HTTP/1\.0 200 OK\\r\\nContent-Type' || tl_fail "the stream view is not escaped"
tl_keys C-t
tl_wait_for 'text lines view' || tl_fail "Ctrl-T: no message"
tl_wait_for '\[lines\]' || tl_fail "the pane does not say lines"
tl_wait_for ' HTTP/1\.0 200 OK *$' || tl_fail "the status line is not a line of its own"
tl_wait_for '^ +Content-Type: text/plain *$' || tl_fail "a header is not a line of its own"
tl_wait_for '^ +X-Ctl: a\\x1bb\\x07c *$' || tl_fail "control bytes are not escaped"
tl_wait_for '^ +hello from the test server *$' || tl_fail "the body is not a line"
tl_keys C-x
tl_wait_for '\[hex\]' || tl_fail "Ctrl-X: no hex view"
tl_wait_for '0000  48 54 54 50' || tl_fail "no hex dump"
tl_keys C-x C-t
tl_wait_for 'escaped stream view' || tl_fail "Ctrl-T again: not the stream view"

tl_keys F8
tl_wait_for 'closed pane \[1\]' || tl_fail "F8 did not close"
tl_keys q
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit cleanly"
tl_log "ok"
