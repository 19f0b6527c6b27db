#!/bin/sh
# run.sh - sockview against ss, netstat and lsof at 10^3, 10^4, 10^5 sockets.
#
#   bench/run.sh [SCALE...]        default: 1000 10000 100000
#
# For each scale: starts bench/load (SCALE sockets held by BENCH_PROCS
# processes, default 200; it stops by itself after a time limit and is
# stopped by its pid at the end), then
#   - batch: bench/timeit runs every command interleaved, in random order per
#     round, and reports the median wall time, CPU time and peak RSS;
#   - live: bench/live.py runs `sockview -d 1` and `watch -n1 ss -tuxanp` in
#     tmux for BENCH_LIVE_SECS seconds each (default 20) and measures their
#     CPU and RSS, then sockview's key-press latency mid-refresh; and
#     `bench/bare -L`, a bare dump loop at the same rate (the kernel's cost);
#   - first paint: bench/firstpaint.py starts sockview on a pseudo-terminal
#     and times launch -> the table shows the sockets (5 runs).
# Prints two markdown tables (batch, live) with ratios to ss. (The test
# endpoints under load, 500 chat clients and a flood: `make bench-load`,
# bench/epload.py.)
#
# From a clean checkout it installs what is missing (Debian packages, with
# sudo when not root) and builds the tree with ./quickstart.sh; `make bench`
# runs it on the build directory instead (SV_BUILDDIR). Environment:
#   SV_BUILDDIR      a configured and built tree (src/sockview, bench/*)
#   BENCH_PROCS      processes holding the sockets (200)
#   BENCH_ROUNDS     timing rounds (10; commands slower than 5 s stop after 3)
#   BENCH_LIVE_SECS  length of each live measurement (20; 0 skips them)
#   BENCH_KEYS       key presses timed (10)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
procs=${BENCH_PROCS:-200}
rounds=${BENCH_ROUNDS:-10}
live_secs=${BENCH_LIVE_SECS:-20}
keys=${BENCH_KEYS:-10}
scales=${*:-1000 10000 100000}

# shellcheck source=bench/benchlib.sh
. "$here/benchlib.sh"

# ---- set-up: packages, build; the load generator, always stopped by its pid ----

bl_setup
res=$(mktemp -d)
cleanup() {
	bl_stop_load
	rm -rf "$load_out" "$res"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

start_load() { # start_load SCALE SECONDS
	bl_start_load "$1" "$procs" "$2" 120 || exit 1
}
stop_load() { bl_stop_load; }
loadavg() { bl_loadavg; }

# ---- measurements ----

say "kernel $(uname -r), $(nproc) CPUs; scales: $scales"
for n in $scales; do
	# generous limit: the batch rounds and both live runs must fit
	start_load "$n" 1800
	made=$(sed -n 's/^ready //p' "$load_out")
	la0=$(loadavg)
	say "$n sockets ($made held by $procs processes), load average $la0: batch"
	"$build/bench/timeit" -r "$rounds" -m 3 -s 5000 -T 120 \
		"sockview --once" "$sv --once" \
		"sockview --once -t" "$sv --once -t" \
		"sockview --once -t --no-processes" "$sv --once -t --no-processes" \
		"bare (dump + /proc walk)" "$build/bench/bare" \
		"ss -tuxanp" "ss -tuxanp" \
		"ss -tanp" "ss -tanp" \
		"ss -tan" "ss -tan" \
		"netstat -tanp" "netstat -tanp" \
		"lsof -nP -i" "lsof -nP -i" >"$res/batch.$n"
	la1=$(loadavg)
	echo "$la0 $la1 $made" >"$res/load.$n"
	if [ "$live_secs" -gt 0 ]; then
		say "$n sockets: live view (2 x ${live_secs} s)"
		warm=5
		[ "$n" -ge 50000 ] && warm=15
		python3 "$here/live.py" --sockview "$sv" --secs "$live_secs" \
			--warmup "$warm" --keys "$keys" >"$res/live.$n" || true
		# the kernel's own cost at the same rate: a bare dump loop
		"$build/bench/bare" -L "$live_secs" >"$res/bareloop.$n" || true
	fi
	# first paint: launch -> the table shows the sockets (issue 19)
	say "$n sockets: first paint"
	python3 "$here/firstpaint.py" --sockview "$sv" --runs 5 >"$res/paint.$n" || true
	stop_load
done

# ---- the tables ----

echo
echo "sockview $("$sv" --version | cut -d' ' -f2), kernel $(uname -r), $(nproc) CPUs," \
	"$procs processes holding the sockets; medians of up to $rounds interleaved runs"
echo
echo "| sockets | command | median | min | CPU (median) | peak RSS | lines | vs ss -tuxanp | vs ss -tan |"
echo "|--:|:--|--:|--:|--:|--:|--:|--:|--:|"
for n in $scales; do
	awk -F'\t' -v n="$n" '
	{ name[NR] = $1; runs[NR] = $2; med[NR] = $3; mn[NR] = $4; cpu[NR] = $5
	  rss[NR] = $6; lines[NR] = $7; st[NR] = $8
	  if ($1 == "ss -tuxanp") full = $3
	  if ($1 == "ss -tan") tan = $3 }
	function ms(v) { return v >= 1000 ? sprintf("%.2f s", v / 1000) : sprintf("%.1f ms", v) }
	function ratio(v, ref) { return ref > 0 && v > 0 ? sprintf("%.2fx", v / ref) : "-" }
	END {
		for (i = 1; i <= NR; i++) {
			if (st[i] != "ok" && runs[i] == 0) {
				printf "| %s | %s | %s | | | | | | |\n", n, name[i], st[i]
				continue
			}
			printf "| %s | %s | %s | %s | %s | %.1f MiB | %s | %s | %s |\n", n, name[i],
			    ms(med[i]), ms(mn[i]), ms(cpu[i]), rss[i] / 1024, lines[i],
			    ratio(med[i], full), ratio(med[i], tan)
		}
	}' "$res/batch.$n"
done
echo
for n in $scales; do
	read -r la0 la1 made <"$res/load.$n"
	echo "load average at $n sockets: $la0 -> $la1 (the machine's other work)"
done
# the issue's targets, from the largest scale (and 10^3 for the idle view)
big=$(for n in $scales; do echo "$n"; done | sort -n | tail -1)
small=$(for n in $scales; do echo "$n"; done | sort -n | head -1)
echo
echo "Targets at $big sockets (wall-time median ratio; CPU-time ratio in brackets):"
echo
awk -F'\t' '
{ med[$1] = $3; cpu[$1] = $5 }
function r(a, b) { return med[a] > 0 && med[b] > 0 ? med[a] / med[b] : -1 }
function rc(a, b) { return cpu[a] > 0 && cpu[b] > 0 ? cpu[a] / cpu[b] : -1 }
function line(what, a, b, lim) {
	x = r(a, b); y = rc(a, b)
	if (x < 0) { printf "- %s: not measured\n", what; return }
	printf "- %s: %.2fx (CPU %.2fx), target <= %.2fx: %s\n", what, x, y, lim,
	    x <= lim ? "met" : (y <= lim ? "met in CPU time, not in wall time" : "NOT met")
}
END {
	line("sockview --once vs ss -tuxanp", "sockview --once", "ss -tuxanp", 0.15)
	line("sockview --once vs bare dump + /proc walk", "sockview --once", "bare (dump + /proc walk)", 1.3)
	line("sockview --once -t --no-processes vs ss -tan", "sockview --once -t --no-processes", "ss -tan", 1.2)
	line("sockview --once vs ss -tuxanp (second round)", "sockview --once", "ss -tuxanp", 0.1)
	line("sockview --once vs bare dump + /proc walk (second round)", "sockview --once", "bare (dump + /proc walk)", 0.8)
}' "$res/batch.$big"
awk -F'\t' -v n="$big" '$2 == "median" {
	printf "- first paint at %s (launch -> the table shows the sockets): %s ms (target <= 250: %s); Process column filled at %s ms\n",
	    n, $3, ($3 + 0 <= 250 ? "met" : "NOT met"), $4 }' "$res/paint.$big" 2>/dev/null || true
if [ "$live_secs" -gt 0 ]; then
	awk -F'\t' -v n="$big" '$1 == "sockview-live" {
		printf "- live view at %s: %.1f%% of one core (target < 20%%: %s), peak RSS %.1f MiB (target < 100: %s), key latency max %s ms (target 100: %s)\n",
		    n, $2, $2 < 20 ? "met" : "NOT met", $4 / 1024, $4 / 1024 < 100 ? "met" : "NOT met",
		    $6, $6 + 0 <= 100 ? "met" : "NOT met" }' "$res/live.$big" 2>/dev/null || true
	awk -F'\t' -v n="$small" '$1 == "sockview-live" {
		printf "- idle live view at %s: %.2f%% of one core (target < 1%%: %s)\n", n, $2, $2 < 1 ? "met" : "NOT met" }' \
		"$res/live.$small" 2>/dev/null || true
	if [ -s "$res/bareloop.$big" ] && [ -s "$res/live.$big" ]; then
		awk -F'\t' -v n="$big" '
		FNR == NR && $1 == "bare-loop" { bare = $2 }
		FNR != NR && $1 == "sockview-live" {
			printf "- live view CPU at %s vs a bare dump loop at the same rate: %.1f%% vs %.1f%% = %.2fx (target <= 1.2x: %s); peak RSS %.1f MiB (target <= 40: %s)\n",
			    n, $2, bare, (bare > 0 ? $2 / bare : 0), (bare > 0 && $2 / bare <= 1.2 ? "met" : "NOT met"),
			    $4 / 1024, ($4 / 1024 <= 40 ? "met" : "NOT met") }' "$res/bareloop.$big" "$res/live.$big"
	fi
fi
if [ "$live_secs" -gt 0 ]; then
	echo
	echo "Live view, 1 s refresh, ${live_secs} s each:"
	echo
	echo "| sockets | command | CPU (% of one core) | RSS | peak RSS | key latency median / max (mid-refresh) |"
	echo "|--:|:--|--:|--:|--:|--:|"
	for n in $scales; do
		[ -s "$res/live.$n" ] || { echo "| $n | (live measurement failed) | | | | |"; continue; }
		awk -F'\t' -v n="$n" '
		$1 == "sockview-live" { printf "| %s | sockview -d 1 | %.1f%% | %.1f MiB | %.1f MiB | %s / %s ms (%s of %s) |\n", n, $2, $3 / 1024, $4 / 1024, $5, $6, $8, $7 }
		$1 == "watch-ss" { printf "| %s | watch -n1 ss -tuxanp | %.1f%% | %.1f MiB | %.1f MiB | |\n", n, $2, $3 / 1024, $4 / 1024 }
		' "$res/live.$n"
	done
fi
