# filter.sh - `sockview --once --format=json -f EXPR` over sockets this test
# holds (tests/support/sockholder.py): for each expression, the test's own sockets
# in the output must be exactly the expected subset; bad expressions must
# exit 2 with the position of the mistake.
. "$TESTS_SRCDIR/support/lib.sh"

# --hold: long enough for a loaded machine; the holder is killed at the end.
t_holder h --comm svfilterhold --hold 1800
H=$T_TMP/h.json

# The checker, run once at the end over every output (one Python start
# instead of one per expression): keeps the sockets the holder owns (by
# inode) and compares their names with the expected ones. Prints ok/FAIL
# lines; its exit status is the number of failures.
cat >"$T_TMP/check.py" <<'PYEOF'
import json, sys
holder = json.load(open(sys.argv[1]))
tmp, count = sys.argv[2], int(sys.argv[3])
names = {
    holder["tcp4"]["listen_inode"]: "L4", holder["tcp4"]["client_inode"]: "C4",
    holder["tcp4"]["server_inode"]: "S4", holder["tcp6"]["listen_inode"]: "L6",
    holder["tcp6"]["client_inode"]: "C6", holder["tcp6"]["server_inode"]: "S6",
    holder["udp4"]["inode"]: "U4", holder["udp6"]["inode"]: "U6",
    holder["unix_stream"]["inode"]: "XS", holder["unix_dgram"]["inode"]: "XD",
    holder["unix_abstract"]["inode"]: "XA",
}
fails = 0
for i in range(1, count + 1):
    expr = open("%s/expr.%d" % (tmp, i)).read().rstrip("\n")
    want = sorted(open("%s/want.%d" % (tmp, i)).read().split())
    rc = int(open("%s/rc.%d" % (tmp, i)).read())
    err = open("%s/err.%d" % (tmp, i), errors="replace").read()[:300]
    if rc != 0:
        print("FAIL: -f '%s' exited %d: %s" % (expr, rc, err))
        fails += 1
        continue
    try:
        out = json.load(open("%s/out.%d.json" % (tmp, i)))
    except ValueError as e:
        print("FAIL: -f '%s': output is not JSON: %s" % (expr, e))
        fails += 1
        continue
    got = sorted(names[o["inode"]] for o in out if o.get("inode") in names)
    if got != want:
        print("FAIL: -f '%s': got %s, want %s"
              % (expr, " ".join(got) or "-", " ".join(want) or "-"))
        fails += 1
    else:
        print("ok: -f '%s'" % expr)
sys.exit(min(fails, 100))
PYEOF

# Values from the holder, as shell assignments.
cat >"$T_TMP/vars.py" <<'PYEOF'
import json, shlex, sys
d = json.load(open(sys.argv[1]))
for k, v in (("P4", d["tcp4"]["listen_port"]), ("C4P", d["tcp4"]["client_port"]),
             ("P6", d["tcp6"]["listen_port"]), ("U4P", d["udp4"]["port"]),
             ("DIR", d["dir"]), ("PID", d["pid"]),
             ("XS_INODE", d["unix_stream"]["inode"]),
             ("ABSTRACT", d["unix_abstract"]["name"])):
    print("%s=%s" % (k, shlex.quote(str(v))))
PYEOF
eval "$("$PYTHON3" "$T_TMP/vars.py" "$H")"
if [ -z "$P4" ] || [ -z "$PID" ]; then
	fail "cannot read the holder's description"
	t_done
fi
MYUID=$(id -u)
ALL="L4 C4 S4 L6 C6 S6 U4 U6 XS XD XA"

# check EXPR EXPECTED: runs sockview with the filter now; judged at the end.
N=0
check() {
	if ! kill -0 "$PID" 2>/dev/null; then
		fail "-f '$1': the socket holder is gone"
		return
	fi
	N=$((N + 1))
	printf '%s\n' "$1" >"$T_TMP/expr.$N"
	printf '%s\n' "$2" >"$T_TMP/want.$N"
	"$SOCKVIEW" --once --format=json -f "$1" >"$T_TMP/out.$N.json" 2>"$T_TMP/err.$N"
	echo $? >"$T_TMP/rc.$N"
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

# Mistakes: exit 2, nothing on standard output, and the message names the
# place.
bad() {
	"$SOCKVIEW" --once --format=json -f "$1" >"$T_TMP/bad.json" 2>"$T_TMP/bad.err"
	rc=$?
	if [ "$rc" -ne 2 ]; then
		fail "-f '$1' exited $rc, want 2"
	elif ! grep -qF -- "$2" "$T_TMP/bad.err"; then
		fail "-f '$1': stderr lacks \"$2\": $(head -c 300 "$T_TMP/bad.err")"
	elif [ -s "$T_TMP/bad.json" ]; then
		fail "-f '$1' printed a result despite the error"
	else
		pass "-f '$1' rejected"
	fi
}

bad "tcp and )" "filter: unexpected ')' at column 9"
bad "(tcp or udp" "filter: unclosed '(' at column 1"
bad "sport = 99999" "filter: bad port '99999' at column 9"
bad "state nosuch" "filter: unknown state 'nosuch' at column 7"
bad "src 10.0.0.0/40" "filter: bad prefix length '40' at column 14"
bad "user no-such-user-here" "filter: unknown user 'no-such-user-here' at column 6"
bad "tcp and" "filter: missing operand after 'and' at column 8"

"$PYTHON3" "$T_TMP/check.py" "$H" "$T_TMP" "$N"
T_FAILS=$((T_FAILS + $?))
[ "$N" -eq 44 ] || fail "ran $N filter checks, expected 44"
t_done
