# lib.sh - helpers shared by sockview's shell tests (sourced, not run).
# The harness exports SOCKVIEW, TESTS_SRCDIR, TESTS_BUILDDIR and PYTHON3.

: "${SOCKVIEW:?SOCKVIEW must point to the built binary}"
: "${TESTS_SRCDIR:?}"
PYTHON3=${PYTHON3:-python3}
[ -n "$PYTHON3" ] || PYTHON3=python3

T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/svtest.XXXXXX")
T_PIDS=""
T_FAILS=0

t_cleanup() {
	for p in $T_PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $T_PIDS; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	T_FAILS=$((T_FAILS + 1))
}

pass() {
	printf 'ok: %s\n' "$*"
}

# t_wait_file FILE [TRIES]: waits (0.1 s steps, bounded) for FILE to be non-empty.
t_wait_file() {
	n=${2:-100}
	while [ "$n" -gt 0 ]; do
		[ -s "$1" ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# t_holder NAME [ARGS]: starts sockholder.py; its description goes to
# $T_TMP/NAME.json, its pid into T_PIDS and into the variable HOLDER_PID.
t_holder() {
	name=$1
	shift
	mkfifo "$T_TMP/$name.in"
	"$PYTHON3" "$TESTS_SRCDIR/support/sockholder.py" "$@" <"$T_TMP/$name.in" >"$T_TMP/$name.json" &
	HOLDER_PID=$!
	T_PIDS="$T_PIDS $HOLDER_PID"
	# keep the fifo's write end open so the holder's stdin stays open
	exec 9>"$T_TMP/$name.in"
	t_wait_file "$T_TMP/$name.json" || { fail "sockholder did not start"; exit 1; }
}

t_done() {
	if [ "$T_FAILS" -ne 0 ]; then
		printf '%d check(s) failed\n' "$T_FAILS" >&2
		exit 1
	fi
	exit 0
}
