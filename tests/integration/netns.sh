#!/bin/sh
# netns.sh - every network namespace at once (--all-netns, issue 17).
#
# Makes two named namespaces (`ip netns add`, unique names removed at exit)
# and one unnamed one (`unshare -n` with a process kept inside), each with
# a holder of a TCP listener and a UDP socket on the SAME address and port
# (127.0.0.1:PORT: the records must not collide), then checks that
#   - `--once --all-netns --format=json` lists each socket with its
#     namespace (name, or "pid N (comm)" for the unnamed one, and the
#     inode) and its owner resolved;
#   - `-N all` is the same; `-f 'netns NAME'` selects one namespace;
#   - the table has a Netns column;
#   - namespaces removed (and made) between and during dumps are survived:
#     every dump of a loop racing with `ip netns del` exits 0 with valid
#     JSON;
#   - without CAP_SYS_ADMIN (uid 65534) the namespaces that cannot be
#     entered are named once on stderr and the dump still succeeds.
# Needs root and ip(8); otherwise SKIP (exit 77) with the reason.
. "$TESTS_SRCDIR/support/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root to make network namespaces"
	exit 77
fi
if ! command -v ip >/dev/null 2>&1 || ! command -v unshare >/dev/null 2>&1; then
	echo "SKIP: ip(8) or unshare(1) not found"
	exit 77
fi

NA="svt-a-$$"
NB="svt-b-$$"
NC="svt-c-$$"
PORT=47$(($$ % 90 + 10))
cleanup_ns() {
	for n in "$NA" "$NB" "$NC"; do
		ip netns del "$n" 2>/dev/null || true
	done
}
trap 'cleanup_ns; t_cleanup' EXIT

if ! ip netns add "$NA" || ! ip netns add "$NB"; then
	echo "SKIP: ip netns add failed (no permission to make namespaces here)"
	exit 77
fi

# holder NAME CMD...: starts netns_holder.py under CMD, waits for its JSON
holder() {
	hn=$1
	shift
	mkfifo "$T_TMP/$hn.in"
	"$@" "$PYTHON3" "$TESTS_SRCDIR/integration/netns_holder.py" "$PORT" "$T_TMP/$hn.json" \
		<"$T_TMP/$hn.in" &
	T_PIDS="$T_PIDS $!"
	eval "exec ${FDN}>\"\$T_TMP/\$hn.in\""
	FDN=$((FDN + 1))
	t_wait_file "$T_TMP/$hn.json" || { fail "holder $hn did not start"; exit 1; }
}
FDN=5
holder a ip netns exec "$NA"
holder b ip netns exec "$NB"
holder c unshare -n

check() {
	# check WHAT JSONFILE ARGS...: runs the python check, one line per failure
	what=$1
	shift
	if out=$("$PYTHON3" - "$@" 2>&1 <<'PY'
import json, sys
mode, dump = sys.argv[1], sys.argv[2]
names = dict(a=sys.argv[3], b=sys.argv[4])
holders = {k: json.load(open(sys.argv[5] + "/" + k + ".json")) for k in "abc"}
port = int(sys.argv[6])
socks = json.load(open(dump))
bad = []
def find(h, proto):
    return [s for s in socks if s["proto"] == proto and s["inode"] == h[proto + "_inode"]]
if mode in ("all", "N"):
    for k, h in holders.items():
        for proto in ("tcp", "udp"):
            got = find(h, proto)
            if len(got) != 1:
                bad.append("%s %s: %d records" % (k, proto, len(got)))
                continue
            s = got[0]
            ns = s.get("netns")
            if not ns or ns["inode"] != h["netns"]:
                bad.append("%s %s: netns %r, want inode %d" % (k, proto, ns, h["netns"]))
            elif k in names and ns["name"] != names[k]:
                bad.append("%s: name %r, want %r" % (k, ns["name"], names[k]))
            elif k == "c" and (ns["name"] is not None or
                               not ns["label"].startswith("pid %d (" % h["pid"])):
                bad.append("c: unnamed namespace labelled %r" % (ns,))
            if s["local"]["port"] != port:
                bad.append("%s %s: port %r" % (k, proto, s["local"]))
            if [p["pid"] for p in s["processes"]] != [h["pid"]]:
                bad.append("%s %s: owners %r, want pid %d" % (k, proto, s["processes"], h["pid"]))
            if "service" not in s:
                bad.append("%s %s: no service key" % (k, proto))
    # the same address and port in three namespaces: three records each
    same = [s for s in socks if s["proto"] == "tcp" and s["local"]["port"] == port
            and s["state"] == "LISTEN"]
    if len(same) != 3:
        bad.append("tcp listeners on port %d: %d, want 3" % (port, len(same)))
elif mode == "filter":
    want = holders["a"]
    if not socks:
        bad.append("netns filter selected nothing")
    for s in socks:
        if s.get("netns", {}).get("inode") != want["netns"]:
            bad.append("netns filter let through %r" % (s.get("netns"),))
    if len(find(want, "tcp")) != 1 or len(find(want, "udp")) != 1:
        bad.append("netns filter lost the holder's sockets")
elif mode == "valid":
    pass
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
	); then
		pass "$what"
	else
		fail "$what: $out"
	fi
}

J=$T_TMP/all.json
if "$SOCKVIEW" --once --all-netns --format=json >"$J" 2>"$T_TMP/err"; then
	check "--all-netns lists each namespace's sockets with namespace and owner" \
		all "$J" "$NA" "$NB" "$T_TMP" "$PORT"
else
	fail "--all-netns failed: $(cat "$T_TMP/err")"
fi
[ -s "$T_TMP/err" ] && fail "--all-netns as root printed: $(cat "$T_TMP/err")"

if "$SOCKVIEW" --once -N all -t -u --format=json >"$J" 2>"$T_TMP/err"; then
	check "-N all is --all-netns" N "$J" "$NA" "$NB" "$T_TMP" "$PORT"
else
	fail "-N all failed: $(cat "$T_TMP/err")"
fi

if "$SOCKVIEW" --once --all-netns --format=json -f "netns $NA" >"$J" 2>"$T_TMP/err"; then
	check "-f 'netns NAME' selects that namespace" filter "$J" "$NA" "$NB" "$T_TMP" "$PORT"
else
	fail "netns filter failed: $(cat "$T_TMP/err")"
fi

if "$SOCKVIEW" --once --all-netns -t -l >"$T_TMP/table" 2>"$T_TMP/err" &&
	head -1 "$T_TMP/table" | grep -q '^Netns ' &&
	grep -q "^$NA .*127.0.0.1:$PORT" "$T_TMP/table" &&
	grep -q "^$NB .*127.0.0.1:$PORT" "$T_TMP/table"; then
	pass "the table has a Netns column naming the namespaces"
else
	fail "table: $(head -3 "$T_TMP/table") $(cat "$T_TMP/err")"
fi

if "$SOCKVIEW" --once -f "netns no-such-ns-$$" >/dev/null 2>"$T_TMP/err"; then
	fail "an unknown namespace in the filter was accepted"
else
	grep -q "unknown network namespace" "$T_TMP/err" &&
		pass "an unknown namespace name is a filter error" ||
		fail "unknown namespace: $(cat "$T_TMP/err")"
fi

# A process in namespace A holding a socket of ours (inherited across
# `ip netns exec`): JSON names the process's other namespace.
"$PYTHON3" -c '
import os, socket, subprocess, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
p = subprocess.Popen(["ip", "netns", "exec", sys.argv[1], "sleep", "600"], pass_fds=[s.fileno()])
open(sys.argv[2] + ".tmp", "w").write("%d %d\n" % (p.pid, os.fstat(s.fileno()).st_ino))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
s.close()
' "$NA" "$T_TMP/cross" &
T_PIDS="$T_PIDS $!"
t_wait_file "$T_TMP/cross" || fail "the cross-namespace holder did not start"
read -r xpid xino <"$T_TMP/cross"
T_PIDS="$T_PIDS $xpid"
ainode=$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["netns"])' "$T_TMP/a.json")
"$SOCKVIEW" --once --all-netns -t --format=json >"$J" 2>/dev/null
if "$PYTHON3" - "$J" "$xpid" "$xino" "$ainode" <<'PY'
import json, sys
socks = json.load(open(sys.argv[1]))
pid, ino, ans = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
s = [s for s in socks if s["inode"] == ino]
ok = len(s) == 1 and s[0]["netns"]["inode"] != ans and \
    [p.get("netns_inode") for p in s[0]["processes"] if p["pid"] == pid] == [ans]
if not ok:
    print(s)
sys.exit(0 if ok else 1)
PY
then
	pass "a process in another namespace than its socket is named with its namespace"
else
	fail "the cross-namespace owner is not marked"
fi
kill "$xpid" 2>/dev/null

# Namespaces come and go during the dumps: ip netns add/del and a holder
# killed in a loop while sockview dumps everything again and again.
(
	i=0
	while [ $i -lt 30 ]; do
		ip netns add "$NC" 2>/dev/null
		ip netns exec "$NC" true 2>/dev/null
		ip netns del "$NC" 2>/dev/null
		i=$((i + 1))
	done
) &
churn=$!
T_PIDS="$T_PIDS $churn"
ok=0
i=0
while [ $i -lt 15 ]; do
	if "$SOCKVIEW" --once --all-netns --format=json >"$T_TMP/r$i.json" 2>"$T_TMP/r$i.err" &&
		"$PYTHON3" -c 'import json,sys; json.load(open(sys.argv[1]))' "$T_TMP/r$i.json"; then
		ok=$((ok + 1))
	else
		fail "dump $i while namespaces come and go: $(cat "$T_TMP/r$i.err")"
	fi
	# half-way: B goes away for good, its holder with it
	if [ $i -eq 7 ]; then
		ip netns del "$NB"
	fi
	i=$((i + 1))
done
wait "$churn" 2>/dev/null
[ $ok -eq 15 ] && pass "15 dumps survived namespaces added and removed under them"
# after B's removal its holder still lives (a namespace lives while a
# process is in it): it is still listed, now unnamed
"$SOCKVIEW" --once --all-netns -t --format=json >"$J" 2>"$T_TMP/err" ||
	fail "dump after the removal of B: $(cat "$T_TMP/err")"
bpid=$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$T_TMP/b.json")
if "$PYTHON3" - "$J" "$bpid" <<'PY'
import json, sys
socks = json.load(open(sys.argv[1]))
pid = int(sys.argv[2])
hit = [s for s in socks if any(p["pid"] == pid for p in s["processes"])]
ok = hit and all(s["netns"]["name"] is None and
                 s["netns"]["label"].startswith("pid %d" % pid) for s in hit)
if not ok:
    print("holder %d: %r" % (pid, [(s["local"], s["netns"]) for s in hit]))
sys.exit(0 if ok else 1)
PY
then
	pass "a namespace whose name was removed is still found through its process"
else
	fail "the holder of the removed namespace is not listed as unnamed"
fi

# Unprivileged: what cannot be entered is said once, the rest is shown.
if command -v setpriv >/dev/null 2>&1; then
	if setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$SOCKVIEW" --once --all-netns -t >"$T_TMP/unpriv" 2>"$T_TMP/unpriv.err"; then
		n=$(grep -c "not shown" "$T_TMP/unpriv.err")
		if [ "$n" = 1 ] && grep -q "CAP_SYS_ADMIN" "$T_TMP/unpriv.err"; then
			pass "unprivileged: the namespaces not entered are named once on stderr"
		else
			fail "unprivileged stderr: $(cat "$T_TMP/unpriv.err")"
		fi
	else
		fail "unprivileged --all-netns failed: $(cat "$T_TMP/unpriv.err")"
	fi
else
	echo "note: setpriv not found, unprivileged case not tested"
fi
t_done
