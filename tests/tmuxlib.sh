# tmuxlib.sh - helpers for the end-to-end tests of the live view.
#
# Sourced by tests/e2e_*.sh. Each test runs sockview inside a private tmux
# server (its own socket, no configuration file), sends keys and reads the
# screen with capture-pane. Synchronisation is always "wait until the screen
# shows X", polled with a deadline, never a bare sleep. Every process a test
# starts is remembered and killed by PID on exit.
#
# Environment (set by make check): SOCKVIEW, TMUX_BIN, PYTHON3,
# TESTS_SRCDIR. A missing tool is a failure, not a skip.

set -u

: "${TESTS_SRCDIR:=$(cd "$(dirname "$0")" && pwd)}"
TL_NAME=$(basename "$0" .sh)
TL_SOCK="sv-$TL_NAME-$$"
TL_SESSION=e2e
TL_TMP=
TL_PIDS=
TL_FAILED=0
# Deadline for one wait, in tenths of a second (generous: CI machines are
# slow, and a wait ends as soon as the text shows up).
TL_WAIT=${TL_WAIT:-400}

tl_log() {
	printf '%s: %s\n' "$TL_NAME" "$*" >&2
}

tl_cleanup() {
	if [ -n "${TMUX_BIN:-}" ]; then
		"$TMUX_BIN" -L "$TL_SOCK" kill-server 2>/dev/null
	fi
	for p in $TL_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $TL_PIDS; do
		wait "$p" 2>/dev/null
	done
	if [ -n "$TL_TMP" ] && [ -d "$TL_TMP" ]; then
		rm -rf "$TL_TMP"
	fi
}

# Fails the test: shows the screen, cleans up, exits 1.
tl_fail() {
	tl_log "FAIL: $*"
	if [ -n "${TMUX_BIN:-}" ]; then
		tl_log "screen:"
		"$TMUX_BIN" -L "$TL_SOCK" capture-pane -p -t "$TL_SESSION" 2>/dev/null | sed 's/^/| /' >&2
	fi
	exit 1
}

tl_require() {
	for v in SOCKVIEW TMUX_BIN PYTHON3; do
		eval "val=\${$v:-}"
		if [ -z "$val" ]; then
			# shellcheck disable=SC2154
			tl_log "FAIL: \$$v is not set (configure did not find the tool; install tmux and python3)"
			exit 1
		fi
	done
	[ -x "$SOCKVIEW" ] || { tl_log "FAIL: $SOCKVIEW is not executable"; exit 1; }
	"$TMUX_BIN" -V >/dev/null 2>&1 || { tl_log "FAIL: $TMUX_BIN does not run"; exit 1; }
	"$PYTHON3" -c 'import socket' 2>/dev/null || { tl_log "FAIL: $PYTHON3 does not run"; exit 1; }
}

# Sets up: a private temporary directory, the cleanup trap, the tools.
tl_init() {
	tl_require
	TL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/sv-e2e.XXXXXX") || exit 1
	# the private server's socket lives in TL_TMP and goes with it
	TMUX_TMPDIR=$TL_TMP
	export TMUX_TMPDIR
	unset TMUX
	trap tl_cleanup EXIT
	trap 'exit 1' INT TERM HUP
}

tmx() {
	"$TMUX_BIN" -L "$TL_SOCK" "$@"
}

# Starts the tmux server with a plain shell in a W x H window (default
# 120x40). The shell's prompt is "$ ".
tl_start_shell() {
	w=${1:-120}
	h=${2:-40}
	tmx -f /dev/null new-session -d -s "$TL_SESSION" -x "$w" -y "$h" \
		"env -i PATH=\"$PATH\" HOME=\"$TL_TMP\" TERM=screen LANG=${TL_LANG:-C.UTF-8} PS1='$ ' /bin/sh" ||
		tl_fail "cannot start tmux"
	tmx set-option -t "$TL_SESSION" status off >/dev/null
	tmx set-option -g remain-on-exit on >/dev/null
	tl_wait_for '^\$' || tl_fail "no shell prompt"
}

# Types a command line into the pane's shell and presses Enter.
tl_type() {
	tmx send-keys -t "$TL_SESSION" -l "$1"
	tmx send-keys -t "$TL_SESSION" Enter
}

# Starts sockview (with arguments) from the pane's shell, with the
# environment assignments in $TL_ENV; its PID goes to $TL_TMP/sv.pid and its
# exit status appears on screen as "SV-EXIT=N".
tl_start_sockview() {
	rm -f "$TL_TMP/sv.pid"
	tl_type "${TL_ENV:-} sh -c 'echo \$\$ > $TL_TMP/sv.pid; exec \"\$0\" \"\$@\"' $SOCKVIEW $*; echo SV-EXIT=\$?"
	tl_wait_file "$TL_TMP/sv.pid" || tl_fail "sockview did not start"
	TL_SV_PID=$(cat "$TL_TMP/sv.pid")
}

# Sends tmux key names (Enter, Escape, Down, C-c, F4...) or literal words.
tl_keys() {
	tmx send-keys -t "$TL_SESSION" "$@"
}

# Sends literal text (no key-name interpretation).
tl_text() {
	tmx send-keys -t "$TL_SESSION" -l "$1"
}

tl_screen() {
	tmx capture-pane -p -t "$TL_SESSION"
}

# Waits until a line of the screen matches the extended regex; returns 1
# at the deadline.
tl_wait_for() {
	i=0
	while [ "$i" -lt "$TL_WAIT" ]; do
		if tl_screen | grep -Eq -- "$1"; then
			return 0
		fi
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# Waits until no line of the screen matches the regex.
tl_wait_gone() {
	i=0
	while [ "$i" -lt "$TL_WAIT" ]; do
		if ! tl_screen | grep -Eq -- "$1"; then
			return 0
		fi
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# Waits for a file to exist and be non-empty.
tl_wait_file() {
	i=0
	while [ "$i" -lt "$TL_WAIT" ]; do
		[ -s "$1" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# Waits until a tmux format (e.g. '#{alternate_on}') has the value.
tl_wait_format() {
	i=0
	while [ "$i" -lt "$TL_WAIT" ]; do
		[ "$(tmx display-message -p -t "$TL_SESSION" "$1")" = "$2" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# Line number (1-based) of the first screen line matching the regex, or 0.
tl_line_of() {
	tl_screen | grep -En -- "$1" | head -n 1 | cut -d: -f1 | grep . || echo 0
}

# Starts the socket helper (tests/e2e_sockets.py MODE ARGS...) in the
# background; waits until it wrote its KEY=VALUE lines to the file $1.
tl_sockets() {
	out=$1
	shift
	"$PYTHON3" "$TESTS_SRCDIR/e2e_sockets.py" "$out" "$@" </dev/null &
	TL_PIDS="$TL_PIDS $!"
	TL_LAST_PID=$!
	tl_wait_file "$out" || tl_fail "socket helper did not start ($*)"
}

# Starts an outside peer (tests/e2e_peer.py MODE ARGS...) in the
# background; waits until it wrote its KEY=VALUE lines to the file $1.
tl_peer() {
	out=$1
	shift
	"$PYTHON3" "$TESTS_SRCDIR/e2e_peer.py" "$out" "$@" </dev/null &
	TL_PIDS="$TL_PIDS $!"
	TL_LAST_PID=$!
	tl_wait_file "$out" || tl_fail "peer did not start ($*)"
}

# Waits until the file $1 contains the fixed string $2.
tl_wait_file_has() {
	i=0
	while [ "$i" -lt "$TL_WAIT" ]; do
		[ -f "$1" ] && grep -qF -- "$2" "$1" && return 0
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# Waits until the path $1 no longer exists.
tl_wait_no_path() {
	i=0
	while [ "$i" -lt "$TL_WAIT" ]; do
		[ -e "$1" ] || [ -L "$1" ] || return 0
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# Value of KEY in a helper's output file.
tl_get() {
	sed -n "s/^$2=//p" "$1"
}

# sockview has gone and the terminal is back to the shell: the alternate
# screen is off and the shell answers.
tl_check_shell_back() {
	tl_wait_format '#{alternate_on}' 0 || tl_fail "the terminal stayed in the alternate screen"
	tag="shell-ok-$$-$1"
	tl_type "echo $tag"
	tl_wait_for "^$tag\$" || tl_fail "the shell does not answer after sockview exited"
}
