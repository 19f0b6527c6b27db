#!/bin/sh
# netns.sh - the cost of --all-netns (issue 17) against one `ss -N` per
# namespace, in the same run.
#
#   bench/netns.sh [SOCKVIEW] ["K1 K2 ..."] [SOCKETS_PER_NS] [ROUNDS]
#       default: src/sockview, "1 3 10", 300, 15
#
# For each K: makes K namespaces (`ip netns add`, removed at exit), each
# with a holder of SOCKETS_PER_NS sockets (TCP listeners, UDP, Unix), then
# times, interleaved by bench/timeit (ROUNDS rounds):
#   sv-all      sockview --once --all-netns (every namespace, processes)
#   ss-each     ss -tuxwap in the own namespace, then ss -N NAME -tuxwap
#               for each of the K namespaces (what a user of ss runs)
#   sv-all-np   the same without processes (--no-processes)
#   ss-each-np  the same without -p
# Every command runs through `sh FILE` so that both sides pay the same
# shell start-up. Prints timeit's lines and the ratios ss/sockview of the
# medians. Needs root (namespaces). Figures depend on the machine and its
# load: say how loaded it was when quoting them.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
sv=${1:-$here/../src/sockview}
ks=${2:-"1 3 10"}
per=${3:-300}
rounds=${4:-15}
timeit=${TIMEIT:-$here/timeit}
py=${PYTHON3:-python3}
[ "$(id -u)" = 0 ] || { echo "netns.sh: needs root (ip netns add)" >&2; exit 1; }
[ -x "$timeit" ] || { echo "netns.sh: build bench/timeit first (make)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-nsbench.XXXXXX")
names=""
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	for n in $names; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

cat >"$tmp/hold.py" <<'PY'
import os, socket, sys, time
n, out = int(sys.argv[1]), sys.argv[2]
os.system("ip link set lo up")
keep = []
for i in range(n):
    kind = i % 3
    if kind == 0:
        s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
    elif kind == 1:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
    else:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    keep.append(s)
open(out, "w").write("ok\n")
time.sleep(3600)
PY

made=0
for k in $ks; do
	while [ "$made" -lt "$k" ]; do
		n="svbench-$$-$made"
		ip netns add "$n"
		names="$names $n"
		ip netns exec "$n" "$py" "$tmp/hold.py" "$per" "$tmp/$n.ok" &
		pids="$pids $!"
		i=0
		while [ ! -s "$tmp/$n.ok" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
		made=$((made + 1))
	done
	set -- $names
	cur=""
	j=0
	for n in "$@"; do
		[ $j -lt "$k" ] && cur="$cur $n"
		j=$((j + 1))
	done
	# K namespaces and the own one: sockview sees every namespace of the
	# machine (those of other programs too), ss only those named: give
	# ss the same list, so that both read the same namespaces
	printf '%s --once --all-netns >/dev/null\n' "$sv" >"$tmp/sv.sh"
	printf '%s --once --all-netns --no-processes >/dev/null\n' "$sv" >"$tmp/svnp.sh"
	{
		echo "ss -tuxwap >/dev/null"
		for n in $cur; do echo "ss -N $n -tuxwap >/dev/null"; done
	} >"$tmp/ss.sh"
	{
		echo "ss -tuxwa >/dev/null"
		for n in $cur; do echo "ss -N $n -tuxwa >/dev/null"; done
	} >"$tmp/ssnp.sh"
	total=$(ls /run/netns | wc -l)
	echo "== K=$k namespaces of $per sockets (namespaces under /run/netns: $total; sockview also dumps unnamed ones)"
	"$timeit" -r "$rounds" sv-all "sh $tmp/sv.sh" ss-each "sh $tmp/ss.sh" \
		sv-all-np "sh $tmp/svnp.sh" ss-each-np "sh $tmp/ssnp.sh" | tee "$tmp/res"
	awk -F'\t' '{ m[$1] = $3 } END {
		if (m["sv-all"] > 0) printf "ratio ss-each/sv-all (with processes): %.2f\n", m["ss-each"] / m["sv-all"];
		if (m["sv-all-np"] > 0) printf "ratio ss-each-np/sv-all-np (no processes): %.2f\n", m["ss-each-np"] / m["sv-all-np"];
	}' "$tmp/res"
done
