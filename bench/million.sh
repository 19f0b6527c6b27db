#!/bin/sh
# million.sh - sockview at 10^6 sockets (issue 19): `make bench-1m`.
#
#   bench/million.sh [SOCKETS]        default 1000000
#
# Starts bench/load (SOCKETS held by BENCH_PROCS processes, default 2000:
# each process's share must fit under RLIMIT_NOFILE's hard limit unless
# root may raise it), then, side by side in one run:
#   - batch: bench/timeit runs, interleaved in random order per round,
#       sockview --once -t --no-processes   against   ss -tan  (target <= 0.6x)
#       sockview --once                     against   bench/bare, the floor:
#                                           a dump and a /proc walk (<= 1.0x)
#   - live: bench/live.py runs `sockview -d 1` in tmux: CPU, peak RSS
#     (target <= 400 MiB), key latency while a refresh runs (<= 100 ms), and
#     the header's Refresh line, which must show that the interval grew by
#     itself ("Refresh 1 s -> ...").
# Prints a markdown table and the targets met or not. Needs about 6 GiB of
# memory for the sockets and takes 20-30 minutes. Environment:
#   SV_BUILDDIR      a configured and built tree (default: build this one)
#   BENCH_PROCS      processes holding the sockets (2000)
#   BENCH_ROUNDS     timing rounds (3)
#   BENCH_LIVE_SECS  length of the live measurement (60; 0 skips it)
#   BENCH_KEYS       key presses timed (5: each waits for a refresh, and
#                    the interval grows to a minute)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here") # for benchlib.sh's bl_setup
n=${1:-1000000}
procs=${BENCH_PROCS:-2000}
rounds=${BENCH_ROUNDS:-3}
live_secs=${BENCH_LIVE_SECS:-60}
keys=${BENCH_KEYS:-5}

# shellcheck source=bench/benchlib.sh
. "$here/benchlib.sh"
res=$(mktemp -d)
cleanup() {
	bl_stop_load
	rm -rf "$load_out" "$res"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

bl_setup
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
[ "$avail" -lt $((n / 160)) ] && say "only $avail MiB available: $n sockets may not fit"

say "kernel $(uname -r), $(nproc) CPUs, $avail MiB available; starting $n sockets over $procs processes"
t0=$(date +%s)
bl_start_load "$n" "$procs" 3600 900 || exit 1
say "$load_made sockets ready after $(($(date +%s) - t0)) s, load average $(bl_loadavg)"
total=$(ss -s | sed -n 's/^Total: \([0-9]*\).*/\1/p')
la0=$(bl_loadavg)
"$build/bench/timeit" -r "$rounds" -m 1 -s 1000000 -T 900 \
	"sockview --once -t --no-processes" "$sv --once -t --no-processes" \
	"ss -tan" "ss -tan" \
	"sockview --once" "$sv --once" \
	"bare (dump + /proc walk)" "$build/bench/bare" >"$res/batch"
la1=$(bl_loadavg)
if [ "$live_secs" -gt 0 ]; then
	say "live view (${live_secs} s)"
	python3 "$here/live.py" --sockview "$sv" --secs "$live_secs" --warmup 20 \
		--keys "$keys" --wait 180 --no-watch >"$res/live" || true
fi
la2=$(bl_loadavg)
bl_stop_load

echo
echo "sockview $("$sv" --version | cut -d' ' -f2), kernel $(uname -r), $(nproc) CPUs;" \
	"$load_made sockets held by $procs processes ($total in the namespace, ss -s);" \
	"medians of $rounds interleaved runs; load average $la0 -> $la1 -> $la2"
echo
echo "| command | median | min | CPU (median) | peak RSS | lines |"
echo "|:--|--:|--:|--:|--:|--:|"
awk -F'\t' '
function ms(v) { return v >= 1000 ? sprintf("%.2f s", v / 1000) : sprintf("%.1f ms", v) }
$8 != "ok" && $2 == 0 { printf "| %s | %s | | | | |\n", $1, $8; next }
{ printf "| %s | %s | %s | %s | %.1f MiB | %s |\n", $1, ms($3), ms($4), ms($5), $6 / 1024, $7 }' "$res/batch"
echo
echo "Targets at $n sockets (wall-time median ratio; CPU-time ratio in brackets):"
echo
awk -F'\t' '
{ med[$1] = $3; cpu[$1] = $5 }
function line(what, a, b, lim,   x, y) {
	if (!(med[a] > 0 && med[b] > 0)) { printf "- %s: not measured\n", what; return }
	x = med[a] / med[b]; y = cpu[b] > 0 ? cpu[a] / cpu[b] : -1
	printf "- %s: %.2fx (CPU %.2fx), target <= %.1fx: %s\n", what, x, y, lim,
	    x <= lim ? "met" : (y >= 0 && y <= lim ? "met in CPU time, not in wall time" : "NOT met")
}
END {
	line("sockview --once -t --no-processes vs ss -tan", "sockview --once -t --no-processes", "ss -tan", 0.6)
	line("sockview --once vs bare dump + /proc walk", "sockview --once", "bare (dump + /proc walk)", 1.0)
}' "$res/batch"
if [ "$live_secs" -gt 0 ]; then
	if [ -s "$res/live" ]; then
		awk -F'\t' '
		$1 == "sockview-live" {
			printf "- live view, -d 1: %.1f%% of one core; peak RSS %.1f MiB (target <= 400: %s); key latency mid-refresh median %s ms, max %s ms over %s keys, %s sent while a refresh surely ran (target <= 100 ms: %s)\n",
			    $2, $4 / 1024, ($4 / 1024 <= 400) ? "met" : "NOT met", $5, $6, $7, $8,
			    ($7 > 0 && $6 + 0 <= 100) ? "met" : "NOT met" }
		$1 == "sockview-header" {
			grew = index($0, "\342\206\222") || index($0, " -> ")
			printf "- the interval grew by itself: %s (header: \"%s\")\n", grew ? "yes" : "NO", $2 }
		' "$res/live"
	else
		echo "- live view: the measurement failed"
	fi
fi
