#!/bin/sh
# e2e_destroy.sh - F9 in the live view: the confirmation names the socket and
# its process, y destroys it (SOCK_DESTROY), the peer sees the reset, the
# row goes and the footer says what happened; a Unix socket is refused
# with its sentence. Needs the private namespace (CAP_NET_ADMIN there).
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
[ -n "$TL_NS_PID" ] || { tl_log "SKIP: no private network namespace here"; exit 77; }

# A connection the test owns: the server side waits in recv() and writes
# RESET to a file when the peer's reset arrives; a Unix listener too.
cat >"$TL_TMP/conn.py" <<'PY'
import os, socket, sys
out, d = sys.argv[1], sys.argv[2]
lst = socket.socket(); lst.bind(("127.0.0.1", 0)); lst.listen(1)
port = lst.getsockname()[1]
cli = socket.create_connection(("127.0.0.1", port))
srv, _ = lst.accept()
u = socket.socket(socket.AF_UNIX); u.bind(os.path.join(d, "sv-destroy.sock")); u.listen(1)
with open(out + ".tmp", "w") as f:
    f.write("PORT=%d\nCPORT=%d\n" % (port, cli.getsockname()[1]))
os.rename(out + ".tmp", out)
srv.settimeout(120)
try:
    srv.recv(16)
    res = "EOF"
except ConnectionResetError:
    res = "RESET"
except OSError as e:
    res = "ERR %s" % e
with open(out + ".peer.tmp", "w") as f:
    f.write(res + "\n")
os.rename(out + ".peer.tmp", out + ".peer")
u.accept()
PY
$TL_NSENTER "$PYTHON3" "$TL_TMP/conn.py" "$TL_TMP/c" "$TL_TMP" </dev/null &
TL_PIDS="$TL_PIDS $!"
tl_wait_file "$TL_TMP/c" || tl_fail "the connection helper did not start"
P=$(tl_get "$TL_TMP/c" PORT)
C=$(tl_get "$TL_TMP/c" CPORT)

tl_start_shell 160 30
tl_start_sockview -f "'sport = :$C'"
ROW="^tcp +ESTAB +[0-9]+ +[0-9]+ +127\.0\.0\.1:$C +127\.0\.0\.1:$P "
tl_wait_for "$ROW" || tl_fail "the test's connection does not appear"

# F9 asks, naming the socket and its process; another key keeps it.
tl_keys F9
tl_wait_joined "Destroy tcp ESTAB 127\.0\.0\.1:$C -> 127\.0\.0\.1:$P, process python3? \(pid [0-9]+\)\?" ||
	tl_fail "F9 does not ask naming the socket and its process"
tl_keys n
tl_wait_for "destroy cancelled" || tl_fail "another key does not cancel"
tl_wait_for "$ROW" || tl_fail "the row went although cancelled"
[ ! -e "$TL_TMP/c.peer" ] || tl_fail "the peer saw something after a cancel"

# F9 then y: destroyed, the peer sees the reset, the row goes.
tl_keys F9
tl_wait_joined "Destroy tcp ESTAB" || tl_fail "F9 does not ask again"
tl_keys y
tl_wait_joined "destroyed tcp ESTAB 127\.0\.0\.1:$C -> 127\.0\.0\.1:$P" ||
	tl_fail "no message saying the socket was destroyed"
tl_wait_file "$TL_TMP/c.peer" || tl_fail "the peer saw nothing"
grep -qx RESET "$TL_TMP/c.peer" || tl_fail "the peer saw $(cat "$TL_TMP/c.peer"), not a reset"
tl_wait_gone "$ROW" || tl_fail "the destroyed socket's row stays"
tl_keys q
tl_wait_for "SV-EXIT=0" || tl_fail "sockview did not quit"

# A Unix socket: refused with its sentence, nothing asked.
tl_type clear
tl_start_sockview -x -f "'path $TL_TMP/sv-destroy.sock'"
tl_wait_for "^u_str +LISTEN .*sv-destroy\.sock" || tl_fail "the Unix listener does not appear"
tl_keys F9
tl_wait_joined "Unix sockets cannot be destroyed" || tl_fail "no sentence for a Unix socket"
tl_wait_for "^u_str +LISTEN .*sv-destroy\.sock" || tl_fail "the Unix listener went"
tl_keys q
tl_wait_for "SV-EXIT=0" || tl_fail "sockview did not quit"
tl_log "ok"
