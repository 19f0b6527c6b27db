#!/bin/sh
# e2e_events.sh - the event log (e): a connection's birth, its change (the
# accept() that gives it a file: the same socket) and its death; Enter on
# the event of a living socket selects it in the table; E writes a session
# file (0600) that parses and holds an open pane's transcript; the export
# refuses a symbolic link, an existing file and a directory anyone may
# write to without the sticky bit.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_start_shell 160 40
TL_ENV="XDG_STATE_HOME=$TL_TMP/state"
tl_start_sockview -d 0.5
tl_wait_for 'F1Help' || tl_fail "no table"
tl_wait_for 'Events \+[0-9.]+/s -[0-9.]+/s in ' || tl_fail "the header shows no event rates"

# a pane whose transcript the export must hold
tl_open_tcp_server Enter "echo server" 1
EP=$TL_PORT

# sockets born after the first dump
tl_sockets "$TL_TMP/s1" backlog
P=$(tl_get "$TL_TMP/s1" PORT)
C=$(tl_get "$TL_TMP/s1" CPORT)
HELPER=$(tl_get "$TL_TMP/s1" PID)
[ -n "$P" ] && [ -n "$C" ] && [ -n "$HELPER" ] || tl_fail "no port from the helper"

tl_keys e
tl_wait_for '^ Events, newest first: ' || tl_fail "e did not open the event log"
tl_wait_for "born +tcp +ESTAB +127\\.0\\.0\\.2:$C 127\\.0\\.0\\.1:$P" ||
	tl_fail "the client's birth is not in the log"
tl_wait_for "born +tcp +ESTAB +127\\.0\\.0\\.1:$P 127\\.0\\.0\\.2:$C" ||
	tl_fail "the waiting connection's birth is not in the log"
tl_wait_for "born +tcp +LISTEN +127\\.0\\.0\\.1:$EP " || tl_fail "the pane's listener was not born"

# accept(): a change of the same socket, not a death and a birth
kill -USR1 "$HELPER"
tl_wait_for "change +tcp +ESTAB +127\\.0\\.0\\.1:$P 127\\.0\\.0\\.2:$C .*accepted" ||
	tl_fail "accept() is not a change in the log"
tl_screen | grep -Eq "gone +tcp +ESTAB +127\\.0\\.0\\.1:$P 127\\.0\\.0\\.2:$C" &&
	tl_fail "accept() was shown as a death"

# Enter on the newest event (the accept) selects the socket in the table
tl_keys Home
tl_keys Enter
tl_wait_for 'the socket of that event is selected' || tl_fail "Enter did not select the socket"
tl_wait_for 'Local.+Peer' || tl_fail "Enter did not go back to the table"
tl_keys Enter
tl_wait_for "Details of tcp 127\\.0\\.0\\.1:$P" || tl_fail "the selection is not the event's socket"
tl_keys Escape

# the export: refused names first
ln -s "$TL_TMP/target" "$TL_TMP/link.json"
mkdir "$TL_TMP/ww" && chmod 0777 "$TL_TMP/ww"
: >"$TL_TMP/exists.json"
tl_keys E
tl_wait_for '^Export to: .*/state/sockview/session-[0-9]+-[0-9]+\.json' ||
	tl_fail "E did not offer a default name under XDG_STATE_HOME"
tl_keys C-u
tl_text "$TL_TMP/link.json"
tl_keys Enter
tl_wait_for 'refused: the name is a symbolic link' || tl_fail "the export followed a symbolic link"
[ -e "$TL_TMP/target" ] && tl_fail "the symbolic link's target was created"
tl_keys C-u
tl_text "$TL_TMP/ww/s.json"
tl_keys Enter
tl_wait_for 'refused: anyone may write to the directory' || tl_fail "a world-writable directory was used"
tl_keys C-u
tl_text "$TL_TMP/exists.json"
tl_keys Enter
tl_wait_for 'refused: the file exists' || tl_fail "an existing file was overwritten"
tl_keys C-u
tl_text "$TL_TMP/session.json"
tl_keys Enter
tl_wait_for "session written to $TL_TMP/session\\.json" || tl_fail "no message saying where the export went"
[ "$(stat -c %a "$TL_TMP/session.json")" = 600 ] || tl_fail "the export is not mode 0600"
"$PYTHON3" - "$TL_TMP/session.json" "$P" "$C" "$EP" <<'PY' || tl_fail "the export is not what it should be"
import json, sys
doc = json.load(open(sys.argv[1]))
p, c, ep = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
assert doc["sockview_export"] == 1
ports = [(s.get("local") or {}).get("port") for s in doc["sockets"]]
assert p in ports and c in ports, ports
kinds = [(e["event"], (e.get("socket") or {}).get("local", {}) or {}) for e in doc["events"]["list"]]
assert any(k == "born" and l.get("port") == c for k, l in kinds), kinds
assert any(k == "change" and l.get("port") == p for k, l in kinds), kinds
panes = doc["panes"]
assert len(panes) == 1 and str(ep) in panes[0]["title"], panes
assert panes[0]["transcript"], "empty transcript"
assert all("time" in t and "kind" in t for t in panes[0]["transcript"])
PY

# death
kill "$HELPER"
tl_keys e
tl_wait_for "gone +tcp +[A-Z-]+ +127\\.0\\.0\\.2:$C 127\\.0\\.0\\.1:$P .*lived" ||
	tl_fail "the client's death is not in the log"
tl_keys Escape
tl_wait_for 'Local.+Peer' || tl_fail "Esc did not close the event log"

tl_keys F10
tl_wait_for 'quit and close it' || tl_fail "no quit question"
tl_keys y
tl_wait_for '^SV-EXIT=0$' || tl_fail "sockview did not quit"
exit 0
