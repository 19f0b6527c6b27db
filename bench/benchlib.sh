# shellcheck shell=sh disable=SC2034
# benchlib.sh - what bench/million.sh and bench/scale.sh share: the build
# to measure, and the load generator, always stopped by its pid.
# Sourced (POSIX sh); expects $here (bench/) and $src (the tree) set.
#
#   bl_setup          installs missing Debian packages (sudo when not root),
#                     builds with ./quickstart.sh unless SV_BUILDDIR is set;
#                     sets $build and $sv
#   bl_start_load N P SECS [WAIT_S]
#                     N sockets over P processes; waits for "ready" (WAIT_S,
#                     default 600 s); returns 1 (and says why) if it fails;
#                     sets $load_made
#   bl_stop_load      stops it (also on exit)
#   bl_loadavg        the 1-minute load average

say() { printf 'bench: %s\n' "$*" >&2; }

bl_setup() {
	PKGS="iproute2 net-tools lsof procps tmux python3"
	missing=""
	for p in $PKGS; do
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
			missing="$missing $p"
		fi
	done
	if [ -n "$missing" ]; then
		sudo=""
		[ "$(id -u)" -ne 0 ] && sudo=sudo
		say "installing:$missing"
		$sudo apt-get update -qq
		# shellcheck disable=SC2086
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
	fi
	if [ -z "${SV_BUILDDIR:-}" ]; then
		say "building (./quickstart.sh)"
		"$src/quickstart.sh" --version >/dev/null
		SV_BUILDDIR=$src
	fi
	build=$(cd "$SV_BUILDDIR" && pwd)
	sv=$build/src/sockview
	for b in "$sv" "$build/bench/load" "$build/bench/bare" "$build/bench/timeit"; do
		if [ ! -x "$b" ]; then
			say "missing $b: build the tree first (make)"
			exit 1
		fi
	done
}

load_pid=""
load_out=$(mktemp)
bl_stop_load() {
	if [ -n "$load_pid" ]; then
		kill "$load_pid" 2>/dev/null || true
		wait "$load_pid" 2>/dev/null || true
	fi
	load_pid=""
}

bl_start_load() {
	: >"$load_out"
	"$build/bench/load" -n "$1" -p "$2" -t "$3" >"$load_out" 2>&1 &
	load_pid=$!
	i=0
	limit=$((${4:-600} * 10))
	while ! grep -q '^ready' "$load_out"; do
		i=$((i + 1))
		if [ "$i" -gt "$limit" ] || ! kill -0 "$load_pid" 2>/dev/null; then
			say "load generator failed ($1 sockets, $2 processes): $(cat "$load_out")"
			bl_stop_load
			return 1
		fi
		sleep 0.1
	done
	load_made=$(sed -n 's/^ready //p' "$load_out")
	return 0
}

bl_loadavg() { cut -d' ' -f1 /proc/loadavg; }
