#!/bin/sh
# service.sh - the service of a socket's owner, from a real cgroup.
#
# Makes a cgroup named like a systemd unit (svtest-PID.service) where the
# machine lets us (cgroup2 first, else the v1 name=systemd hierarchy),
# moves a socket holder into it and checks that `--once --format=json`
# gives its sockets "service": "svtest-PID.service" and that
# `-f 'service svtest-*'` selects exactly them. If no cgroup can be made or
# joined, the test says why and reports SKIP (exit 77), never a pass.
. "$TESTS_SRCDIR/support/lib.sh"

unit="svtest-$$.service"
cg=""
for root in /sys/fs/cgroup/unified /sys/fs/cgroup /sys/fs/cgroup/systemd; do
	[ -f "$root/cgroup.procs" ] || continue
	if mkdir "$root/$unit" 2>"$T_TMP/mkdir.err"; then
		cg="$root/$unit"
		break
	fi
done
if [ -z "$cg" ]; then
	echo "SKIP: cannot create a cgroup here: $(cat "$T_TMP/mkdir.err" 2>/dev/null)"
	exit 77
fi
trap 'kill $HOLDER_PID 2>/dev/null; wait $HOLDER_PID 2>/dev/null; rmdir "$cg" 2>/dev/null; t_cleanup' EXIT

# The holder joins the cgroup before it makes its sockets: a socket's own
# cgroup (the kernel's INET_DIAG_CGROUP_ID, the one it was made in) wins
# over its holder's in the Service column.
mkfifo "$T_TMP/h.in"
sh -c 'echo 0 >"$1/cgroup.procs" || exit 3; shift; exec "$@"' sh "$cg" \
	"$PYTHON3" "$TESTS_SRCDIR/support/sockholder.py" <"$T_TMP/h.in" >"$T_TMP/h.json" \
	2>"$T_TMP/join.err" &
HOLDER_PID=$!
T_PIDS="$T_PIDS $HOLDER_PID"
exec 9>"$T_TMP/h.in"
if ! t_wait_file "$T_TMP/h.json"; then
	echo "SKIP: cannot move a process into $cg: $(cat "$T_TMP/join.err")"
	exit 77
fi
echo "cgroup: $cg; /proc/$HOLDER_PID/cgroup:"
cat "/proc/$HOLDER_PID/cgroup"

"$SOCKVIEW" --once --format=json >"$T_TMP/all.json" || fail "dump failed"
"$SOCKVIEW" --once --format=json -f "service svtest-$$.*" >"$T_TMP/sel.json" ||
	fail "filtered dump failed"
if out=$("$PYTHON3" - "$T_TMP/all.json" "$T_TMP/sel.json" "$HOLDER_PID" "$unit" <<'PY'
import json, sys
allj = json.load(open(sys.argv[1]))
sel = json.load(open(sys.argv[2]))
pid, unit = int(sys.argv[3]), sys.argv[4]
mine = [s for s in allj if any(p["pid"] == pid for p in s["processes"])]
bad = []
if not mine:
    bad.append("the holder's sockets are not listed")
for s in mine:
    if s.get("service") != unit:
        bad.append("service %r, want %r" % (s.get("service"), unit))
others = [s for s in allj if s not in mine and s.get("service") == unit]
if others:
    bad.append("%d other sockets claim the unit" % len(others))
if sorted(s["inode"] for s in sel) != sorted(s["inode"] for s in mine):
    bad.append("the service filter selected %d sockets, want the holder's %d" % (len(sel), len(mine)))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
); then
	pass "the holder's sockets carry service $unit; 'service GLOB' selects them"
else
	fail "$out"
fi
t_done
