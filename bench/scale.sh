#!/bin/sh
# scale.sh - how sockview's cost grows with sockets and processes (issue 19):
# `make bench-scale`.
#
#   bench/scale.sh [SCALE...]        default: 1000 10000 100000 1000000
#
# For each scale N and each process count P of SCALE_PROCS (default
# "1 20 200 2000"; a P over N/5 is left out), bench/load holds N sockets
# over P processes, and bench/timeit times `sockview --once` and
# `ss -tuxanp` interleaved (BENCH_ROUNDS rounds, default 3; a command over
# 20 s runs once). With SCALE_LIVE_SECS > 0 (default 0) the live view
# (`sockview -d 1`, bench/live.py) is measured too, for that many seconds:
# its CPU and peak RSS. A pair the machine cannot hold (RLIMIT_NOFILE: the
# share of one process must fit under its hard limit unless root may raise
# it) is a row saying so. Prints one markdown table: wall time (median), CPU
# time (median), peak RSS, for both commands, and sockview's share of ss.
# Environment: SV_BUILDDIR (a built tree; default: build this one),
# SCALE_PROCS, BENCH_ROUNDS, SCALE_LIVE_SECS.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here") # for benchlib.sh's bl_setup
scales=${*:-1000 10000 100000 1000000}
plist=${SCALE_PROCS:-1 20 200 2000}
rounds=${BENCH_ROUNDS:-3}
live_secs=${SCALE_LIVE_SECS:-0}

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
say "kernel $(uname -r), $(nproc) CPUs; scales: $scales; processes: $plist"
rows=$res/rows
: >"$rows"
for n in $scales; do
	for p in $plist; do
		[ "$p" -gt $((n / 5)) ] && continue
		if ! bl_start_load "$n" "$p" 3600 900; then
			printf '%s\t%s\tfailed\t%s\n' "$n" "$p" \
			    "$(head -1 "$load_out" | tr '\t' ' ')" >>"$rows"
			continue
		fi
		la0=$(bl_loadavg)
		say "$n sockets over $p processes ($load_made held), load average $la0"
		"$build/bench/timeit" -r "$rounds" -m 1 -s 20000 -T 900 \
			"sv" "$sv --once" "ss" "ss -tuxanp" >"$res/t"
		live="-	-"
		if [ "$live_secs" -gt 0 ]; then
			python3 "$here/live.py" --sockview "$sv" --secs "$live_secs" --warmup 5 \
				--keys 0 --wait 60 --no-watch >"$res/l" || true
			live=$(awk -F'\t' '$1 == "sockview-live" { printf "%s\t%s", $2, $4 }' "$res/l")
			[ -n "$live" ] || live="-	-"
		fi
		bl_stop_load
		awk -F'\t' -v n="$n" -v p="$p" -v la="$la0 $(bl_loadavg)" -v live="$live" '
			{ med[$1] = $3; cpu[$1] = $5; rss[$1] = $6; st[$1] = $8; runs[$1] = $2 }
			END { printf "%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", n, p,
			      med["sv"], cpu["sv"], rss["sv"], med["ss"], cpu["ss"], rss["ss"],
			      st["sv"], st["ss"], la, live, runs["sv"] }' "$res/t" >>"$rows"
	done
done

echo
echo "sockview $("$sv" --version | cut -d' ' -f2), kernel $(uname -r), $(nproc) CPUs;" \
	"medians of up to $rounds interleaved runs (one run past 20 s)"
echo
if [ "$live_secs" -gt 0 ]; then
	echo "| sockets | processes | sockview --once | CPU | peak RSS | ss -tuxanp | CPU | peak RSS | sockview / ss | live -d 1 CPU | live peak RSS | load avg |"
	echo "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:--|"
else
	echo "| sockets | processes | sockview --once | CPU | peak RSS | ss -tuxanp | CPU | peak RSS | sockview / ss | load avg |"
	echo "|--:|--:|--:|--:|--:|--:|--:|--:|--:|:--|"
fi
awk -F'\t' -v live="$live_secs" '
function ms(v) { return v >= 1000 ? sprintf("%.2f s", v / 1000) : sprintf("%.1f ms", v) }
function mib(k) { return sprintf("%.1f MiB", k / 1024) }
$3 == "failed" {
	printf "| %s | %s | not run: %s |\n", $1, $2, $4; next }
{
	ratio = $4 > 0 && $7 > 0 ? sprintf("%.2fx (CPU %.2fx)", $4 / $7, $8 > 0 ? $5 / $8 : 0) : "-"
	sv = $10 == "ok" ? ms($4) : $10; ss = $11 == "ok" ? ms($7) : $11
	printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |", $1, $2, sv, ms($5), mib($6),
	    ss, ms($8), mib($9), ratio
	if (live > 0)
		printf " %s | %s |", $13 == "-" ? "-" : sprintf("%.1f%%", $13),
		    $14 == "-" ? "-" : mib($14)
	printf " %s |\n", $12
}' "$rows"
