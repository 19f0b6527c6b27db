#!/bin/sh
# cli.sh - options, exit statuses and error messages of SPEC §3.
. "$TESTS_SRCDIR/support/lib.sh"

# expect_exit CODE NEEDLE ARGS...: sockview ARGS exits CODE, stderr holds NEEDLE.
expect_exit() {
	code=$1
	needle=$2
	shift 2
	"$SOCKVIEW" "$@" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
	got=$?
	if [ "$got" -ne "$code" ]; then
		fail "sockview $* exited $got, expected $code ($(cat "$T_TMP/err"))"
		return
	fi
	if [ -n "$needle" ] && ! grep -qF -- "$needle" "$T_TMP/err"; then
		fail "sockview $*: stderr does not name '$needle': $(cat "$T_TMP/err")"
		return
	fi
	pass "sockview $* -> $code"
}

expect_exit 2 "abc" -d abc
expect_exit 2 "'0'" -d 0
expect_exit 2 "0.1" -d 0
expect_exit 2 "3600" -d 99999
expect_exit 2 "xml" --once --format=xml
expect_exit 2 "--format" --format=json
expect_exit 2 "nosuch" -N nosuch
expect_exit 2 "nosuch" --once -N nosuch
expect_exit 2 "--bogus" --bogus
expect_exit 2 "-Z" -Z
expect_exit 2 "stray" -f tcp stray
expect_exit 2 "column" --once -f "tcp and ("
expect_exit 0 "" --help
grep -q -- "--once" "$T_TMP/out" || fail "--help does not list --once"
expect_exit 0 "" --version
grep -q "^sockview [0-9]" "$T_TMP/out" || fail "--version prints no version"

# ss habits (issue 13): the commands as ss users type them.
expect_exit 0 "" --once -tlnp
head -1 "$T_TMP/out" | grep -q "^Netid" || fail "--once -tlnp prints no table"
grep -v '^Netid' "$T_TMP/out" | grep -qv '^tcp  *LISTEN' && fail "--once -tlnp lists a socket that is not a TCP listener"
expect_exit 0 "" --once -tuna
grep -v '^Netid' "$T_TMP/out" | grep -Eqv '^(tcp|udp) ' && fail "--once -tuna lists something that is not TCP or UDP"
expect_exit 0 "" --once -tn 'dport = :22'
expect_exit 0 "" --once -H -tn 'dport = :1'
[ -s "$T_TMP/out" ] && fail "-H with nothing selected prints something: $(cat "$T_TMP/out")"
expect_exit 0 "" -s
grep -q "^Total: " "$T_TMP/out" || fail "-s prints no Total line"
grep -q "CLOSE-WAIT" "$T_TMP/out" || fail "-s does not state what estab counts"
grep -q "TIME-WAIT" "$T_TMP/out" || fail "-s does not state what the total leaves out"
expect_exit 0 "" -s --format=json
"$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if "tcp" in d and "estab" in d["tcp"] else 1)' "$T_TMP/out" ||
	fail "-s --format=json is not the summary object: $(cat "$T_TMP/out")"
expect_exit 0 "" --once -t -e -i -m -o
head -1 "$T_TMP/out" | grep -q "Timer.*UID.*Inode.*Cookie.*Skmem.*Cwnd" || fail "-e -i -m -o add no columns: $(head -1 "$T_TMP/out")"
expect_exit 2 "-f" --once -f tcp udp
expect_exit 2 "without" --once -K -t
expect_exit 2 "not text" --once -F /dev/zero
expect_exit 2 "cannot read" --once -F /nonexistent/filter
printf 'tcp\nand state listening\n' >"$T_TMP/filter"
expect_exit 0 "" --once -H -F "$T_TMP/filter"
grep -v '^tcp  *LISTEN' "$T_TMP/out" | grep -q . && fail "-F FILE did not apply the file's filter"
"$SOCKVIEW" --help | grep -q "FOR SS USERS" || fail "--help does not point ss users to the man page"

# Output errors: a full disk and a closed stdout are runtime failures (1).
"$SOCKVIEW" --once >/dev/full 2>"$T_TMP/err"
rc=$?
[ "$rc" -eq 1 ] && grep -q "No space" "$T_TMP/err" && pass "--once >/dev/full exits 1 with a reason" ||
	fail "--once >/dev/full: exit $rc, stderr: $(cat "$T_TMP/err")"
"$SOCKVIEW" --once >&- 2>"$T_TMP/err"
rc=$?
[ "$rc" -eq 1 ] && [ -s "$T_TMP/err" ] && pass "--once with stdout closed exits 1 with a reason" ||
	fail "--once >&-: exit $rc, stderr: $(cat "$T_TMP/err")"

# A named network namespace made by the test: its sockets, not ours.
if [ "$(id -u)" -eq 0 ]; then
	ns="svtest$$"
	if ip netns add "$ns"; then
		ip -n "$ns" link set lo up
		ip netns exec "$ns" "$PYTHON3" -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
time.sleep(60)' >"$T_TMP/ns.port" &
		nspid=$!
		T_PIDS="$T_PIDS $nspid"
		t_wait_file "$T_TMP/ns.port" || fail "netns listener did not start"
		port=$(cat "$T_TMP/ns.port")
		"$SOCKVIEW" --once -t -l -N "$ns" --format=json >"$T_TMP/ns.json" 2>"$T_TMP/err"
		if "$PYTHON3" -c '
import json, sys
rows = json.load(open(sys.argv[1]))
ports = {r["local"]["port"] for r in rows}
sys.exit(0 if int(sys.argv[2]) in ports and len(rows) == 1 else 1)' "$T_TMP/ns.json" "$port"; then
			pass "-N lists exactly the namespace's listener"
		else
			fail "-N $ns: $(cat "$T_TMP/ns.json") $(cat "$T_TMP/err")"
		fi
		"$SOCKVIEW" --once -t -l --format=json >"$T_TMP/host.json"
		if "$PYTHON3" -c '
import json, sys
rows = json.load(open(sys.argv[1]))
sys.exit(1 if any(r["local"]["port"] == int(sys.argv[2]) and r["local"]["addr"] == "127.0.0.1" for r in rows) else 0)' "$T_TMP/host.json" "$port"; then
			pass "the namespace's socket is not mixed into the host's list"
		else
			fail "host list shows the other namespace's listener"
		fi
		kill "$nspid" 2>/dev/null
		wait "$nspid" 2>/dev/null
		ip netns del "$ns"
	else
		fail "cannot create a network namespace as root"
	fi
else
	fail "this test needs root for ip netns (CI runs as root)"
fi

t_done
