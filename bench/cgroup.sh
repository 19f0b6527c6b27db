#!/bin/sh
# cgroup.sh - the cost of the sockets' own cgroups in the Service column
# (issue 17: INET_DIAG_CGROUP_ID -> cgroup2 path -> service).
#
#   bench/cgroup.sh [BEFORE] [SOCKETS] [ROUNDS]
#       default: no BEFORE, 10000 sockets, 15 rounds
#
# In a private network namespace (unshare -n, its loopback up), bench/load
# holds SOCKETS sockets (100 processes) from inside a cgroup made under the
# cgroup2 mount, so that every inet socket has a cgroup id to resolve.
# bench/timeit then times, interleaved:
#   before     BEFORE --once --format=json (a sockview built without the
#              socket cgroups, e.g. the parent commit; skipped if not given)
#   json       sockview --once --format=json (services: the processes'
#              /proc/PID/cgroup and the sockets' cgroup ids, one walk of
#              the cgroup2 tree, one lookup per socket)
#   group-svc  sockview --once --group=service --format=json
#   table      sockview --once (no services read)
# Needs root. Figures depend on the machine and its load: say how loaded it
# was when quoting them.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
sv=${SOCKVIEW:-$here/../src/sockview}
before=${1:-}
n=${2:-10000}
rounds=${3:-15}
timeit=${TIMEIT:-$here/timeit}
load=${LOAD:-$here/load}
[ "$(id -u)" = 0 ] || { echo "cgroup.sh: needs root" >&2; exit 1; }
[ -x "$timeit" ] && [ -x "$load" ] || { echo "cgroup.sh: build bench/ first (make)" >&2; exit 1; }

if [ -z "${SV_CGBENCH_INNER:-}" ]; then
	SV_CGBENCH_INNER=1 exec unshare -n "$0" "$@"
fi
ip link set lo up
mnt=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
[ -n "$mnt" ] || { echo "cgroup.sh: no cgroup2 mount" >&2; exit 1; }
cg="$mnt/svbench-$$.service"
mkdir "$cg"
tmp=$(mktemp -d)
lpid=""
cleanup() {
	[ -n "$lpid" ] && kill "$lpid" 2>/dev/null && wait "$lpid" 2>/dev/null
	rmdir "$cg" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
mkfifo "$tmp/ready"
sh -c 'echo 0 >"$1/cgroup.procs" && shift && exec "$@"' sh "$cg" \
	"$load" -n "$n" -p 100 -t 900 >"$tmp/ready" &
lpid=$!
read -r word got <"$tmp/ready" || true
[ "$word" = ready ] || { echo "cgroup.sh: load did not start" >&2; exit 1; }
echo "load: $got sockets in $cg (private netns); $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg)"
set -- json "$sv --once --format=json" group-svc "$sv --once --group=service --format=json" \
	table "$sv --once"
[ -n "$before" ] && set -- before "$before --once --format=json" "$@"
"$timeit" -r "$rounds" "$@"
echo "after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
