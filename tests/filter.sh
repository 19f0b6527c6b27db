# filter.sh - `sockview --once --format=json -f EXPR` over sockets this test
# holds (tests/sockholder.py): for each expression, the test's own sockets
# in the output must be exactly the expected subset; bad expressions must
# exit 2 with the position of the mistake.
. "$TESTS_SRCDIR/lib.sh"

# --hold: long enough for a loaded machine; the holder is killed at the end.
t_holder h --comm svfilterhold --hold 1800
H=$T_TMP/h.json

# The checker: reads the holder's description and one sockview JSON output,
# keeps the sockets the holder owns (by inode) and compares their names with
# the expected ones.
cat >"$T_TMP/check.py" <<'EOF'
import json, sys
holder = json.load(open(sys.argv[1]))
names = {
    holder["tcp4"]["listen_inode"]: "L4", holder["tcp4"]["client_inode"]: "C4",
    holder["tcp4"]["server_inode"]: "S4", holder["tcp6"]["listen_inode"]: "L6",
    holder["tcp6"]["client_inode"]: "C6", holder["tcp6"]["server_inode"]: "S6",
    holder["udp4"]["inode"]: "U4", holder["udp6"]["inode"]: "U6",
    holder["unix_stream"]["inode"]: "XS", holder["unix_dgram"]["inode"]: "XD",
    holder["unix_abstract"]["inode"]: "XA",
}
try:
    out = json.load(open(sys.argv[2]))
except ValueError as e:
    print("output is not JSON: %s" % e)
    sys.exit(1)
got = sorted(names[o["inode"]] for o in out if o.get("inode") in names)
want = sorted(sys.argv[3].split())
if got != want:
    print("got %s, want %s" % (" ".join(got) or "-", " ".join(want) or "-"))
    sys.exit(1)
EOF

# Values from the holder.
hv() {
	"$PYTHON3" -c 'import json,sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    d = d[k]
print(d)' "$H" "$1"
}
P4=$(hv tcp4.listen_port)
C4P=$(hv tcp4.client_port)
P6=$(hv tcp6.listen_port)
U4P=$(hv udp4.port)
DIR=$(hv dir)
PID=$(hv pid)
XS_INODE=$(hv unix_stream.inode)
ABSTRACT=$(hv unix_abstract.name)
MYUID=$(id -u)
ALL="L4 C4 S4 L6 C6 S6 U4 U6 XS XD XA"

# check EXPR EXPECTED...: runs sockview with the filter and compares.
check() {
	expr=$1
	want=$2
	if ! kill -0 "$PID" 2>/dev/null; then
		fail "-f '$expr': the socket holder is gone"
		return
	fi
	if ! "$SOCKVIEW" --once --format=json -f "$expr" >"$T_TMP/out.json" 2>"$T_TMP/err"; then
		fail "-f '$expr' exited with failure: $(head -c 300 "$T_TMP/err")"
		return
	fi
	if msg=$("$PYTHON3" "$T_TMP/check.py" "$H" "$T_TMP/out.json" "$want"); then
		pass "-f '$expr'"
	else
		fail "-f '$expr': $msg"
	fi
}

check "tcp" "L4 C4 S4 L6 C6 S6"
check "udp" "U4 U6"
check "unix" "XS XD XA"
check "not unix" "L4 C4 S4 L6 C6 S6 U4 U6"
check "! unix && ! tcp" "U4 U6"
check "inet6" "L6 C6 S6 U6"
check "tcp and inet" "L4 C4 S4"
check "state listening" "L4 L6 XS XA"
check "state established and not unix" "C4 S4 C6 S6"
check "exclude listening and tcp" "C4 S4 C6 S6"
check "state unconn and (udp or unix)" "U4 U6 XD"
check "sport = $P4" "L4 S4"
check "dport = :$P4" "C4"
check "port $P4" "L4 C4 S4"
check "sport >= $P4 and sport <= $P4 and tcp" "L4 S4"
check "sport != $P4 and tcp and inet" "C4"
check "sport = $C4P or dport = $C4P" "C4 S4"
check "udp and sport > 0" "U4 U6"
check "src 127.0.0.1" "L4 C4 S4 U4"
check "src 127.0.0.0/8 and not tcp" "U4"
check "src :$P4" "L4 S4"
check "src 127.0.0.1:$U4P" "U4"
check "dst [::1]:$P6" "C6"
check "src [::1]" "L6 C6 S6 U6"
check "addr ::1/128 and state established" "C6 S6"
check "src ::/0 or src 0.0.0.0/0" "L4 C4 S4 L6 C6 S6 U4 U6"
check "path $DIR/*.sock" "XS XD"
check "path '$DIR/stream.sock' or udp" "XS U4 U6"
check "path $ABSTRACT" "XA"
check "path @svtest-*" "XA"
check "path != $DIR/*" "XA"
check "pid $PID" "$ALL"
check "pid != $PID" ""
check "comm svfilterhold" "$ALL"
check "comm svfilt* and unix" "XS XD XA"
check "user $MYUID" "$ALL"
check "user != $MYUID" ""
check "inode $XS_INODE" "XS"
check "svtest-$PID" "XA"
check "(tcp or udp) and state established and dport = $P4 or path $DIR/dgram.sock" "C4 XD"
check "state established ( dport = $P4 or sport = $P4 )" "C4 S4"
check "not (tcp or udp or unix)" ""
check "tcp and udp" ""
check "" "$ALL"

# Mistakes: exit 2, and the message names the place.
bad() {
	expr=$1
	want=$2
	"$SOCKVIEW" --once --format=json -f "$expr" >"$T_TMP/out.json" 2>"$T_TMP/err"
	rc=$?
	if [ "$rc" -ne 2 ]; then
		fail "-f '$expr' exited $rc, want 2"
	elif ! grep -qF -- "$want" "$T_TMP/err"; then
		fail "-f '$expr': stderr lacks '$want': $(head -c 300 "$T_TMP/err")"
	elif [ -s "$T_TMP/out.json" ]; then
		fail "-f '$expr' printed a result despite the error"
	else
		pass "-f '$expr' rejected"
	fi
}

bad "tcp and )" "filter: unexpected ')' at column 9"
bad "(tcp or udp" "filter: unclosed '(' at column 1"
bad "sport = 99999" "filter: bad port '99999' at column 9"
bad "state nosuch" "filter: unknown state 'nosuch' at column 7"
bad "src 10.0.0.0/40" "filter: bad prefix length '40' at column 14"
bad "user no-such-user-here" "filter: unknown user 'no-such-user-here' at column 6"
bad "tcp and" "filter: missing operand after 'and' at column 8"

t_done
