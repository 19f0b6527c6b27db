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
#
# Where the platform allows it (`unshare -rn` works: unprivileged user
# namespaces, or root), the tmux server - hence sockview - and the socket
# helpers all live in a private user + network namespace with only `lo` up,
# so the tables show the test's own sockets and nothing of the machine's.
# Otherwise (or with TL_NO_NETNS=1) they run in the host namespace; the log
# says which. Anything a test runs itself that must see the same sockets
# (ss, a connect to an endpoint) goes through tl_ns.

set -u

: "${TESTS_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
TL_NAME=$(basename "$0" .sh)
TL_SOCK=
TL_NS_PID=
# "nsenter ... --" into the namespace, or empty: a prefix for commands run
# in the background, so that $! is the command itself (nsenter execs it)
TL_NSENTER=
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
	if [ -n "${TMUX_BIN:-}" ] && [ -n "$TL_SOCK" ]; then
		"$TMUX_BIN" -S "$TL_SOCK" kill-server 2>/dev/null
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
	if [ -n "${TMUX_BIN:-}" ] && [ -n "$TL_SOCK" ]; then
		tl_log "screen:"
		"$TMUX_BIN" -S "$TL_SOCK" capture-pane -p -t "$TL_SESSION" 2>/dev/null | sed 's/^/| /' >&2
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
	# the private server's socket lives in TL_TMP and goes with it; a
	# path (-S), not a name (-L): inside a user namespace tmux would look
	# for it under another uid's directory
	TL_SOCK=$TL_TMP/tmux.sock
	TMUX_TMPDIR=$TL_TMP
	export TMUX_TMPDIR
	unset TMUX
	trap tl_cleanup EXIT
	trap 'exit 1' INT TERM HUP
	tl_ns_setup
}

# Makes the private network namespace (see the top of this file), held by
# a process of ours that lives as long as the test; TL_NS_PID is its PID.
tl_ns_setup() {
	if [ "${TL_NO_NETNS:-0}" = 1 ]; then
		tl_log "network namespace: the host's (TL_NO_NETNS=1)"
		return 0
	fi
	if ! command -v unshare >/dev/null 2>&1 || ! command -v nsenter >/dev/null 2>&1 ||
		! command -v ip >/dev/null 2>&1 ||
		! unshare -rn ip link set lo up >/dev/null 2>&1; then
		tl_log "network namespace: the host's (unshare -rn is not available here)"
		return 0
	fi
	# unshare and sh exec: $! is the process that holds the namespace
	unshare -rn sh -c 'ip link set lo up && echo ready >"$1" && exec sleep 3600' sh \
		"$TL_TMP/ns.ready" </dev/null >/dev/null 2>&1 &
	TL_NS_PID=$!
	TL_PIDS="$TL_PIDS $TL_NS_PID"
	tl_wait_file "$TL_TMP/ns.ready" || tl_fail "the private network namespace did not come up"
	TL_NSENTER="nsenter -t $TL_NS_PID -U -n --preserve-credentials --"
	tl_ns true || tl_fail "nsenter cannot enter the private namespace"
	tl_log "network namespace: private (unshare -rn, only lo)"
}

# Runs a command in the test's network namespace (the host's if none).
tl_ns() {
	# shellcheck disable=SC2086
	$TL_NSENTER "$@"
}

tmx() {
	"$TMUX_BIN" -S "$TL_SOCK" "$@"
}

# Starts the tmux server with a plain shell in a W x H window (default
# 120x40). The shell's prompt is "$ ".
tl_start_shell() {
	w=${1:-120}
	h=${2:-40}
	# the server, hence every pane, lives in the test's namespace
	tl_ns "$TMUX_BIN" -S "$TL_SOCK" -f /dev/null new-session -d -s "$TL_SESSION" -x "$w" -y "$h" \
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

# Waits until the screen with its lines joined (runs of blanks squeezed to
# one space) matches the extended regex: for a message the screen wraps.
tl_wait_joined() {
	i=0
	while [ "$i" -lt "$TL_WAIT" ]; do
		if tl_screen | tr '\n' ' ' | tr -s ' ' | grep -Eq -- "$1"; then
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
	# shellcheck disable=SC2086
	$TL_NSENTER "$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_sockets.py" "$out" "$@" </dev/null &
	TL_PIDS="$TL_PIDS $!"
	TL_LAST_PID=$!
	tl_wait_file "$out" || tl_fail "socket helper did not start ($*)"
}

# Starts an outside peer (tests/e2e_peer.py MODE ARGS...) in the
# background; waits until it wrote its KEY=VALUE lines to the file $1.
tl_peer() {
	out=$1
	shift
	# shellcheck disable=SC2086
	$TL_NSENTER "$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_peer.py" "$out" "$@" </dev/null &
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
	# typed before the shell printed its prompt, the line was echoed on
	# its own and the answer follows the prompt: "$ TAG"
	tl_wait_for "^(\\$ )?$tag\$" || tl_fail "the shell does not answer after sockview exited"
}

# The shell has the terminal in its own modes again: echo and icanon on (a
# program that dies in raw mode leaves them off), and the cursor shown.
TL_TTY_N=0
tl_check_tty_sane() {
	TL_TTY_N=$((TL_TTY_N + 1))
	tl_type "case \" \$(stty -a | tr '\\n' ' ') \" in *' -echo '*|*' -icanon '*) echo TTY-RAW-$TL_TTY_N;; *) echo TTY-SANE-$TL_TTY_N;; esac"
	tl_wait_for "^(\\$ )?TTY-(SANE|RAW)-$TL_TTY_N\$" || tl_fail "$1: the shell does not answer"
	tl_screen | grep -Eq "^(\\$ )?TTY-SANE-$TL_TTY_N\$" ||
		tl_fail "$1: the terminal was left without echo or icanon"
	tl_wait_for "stty -a" || tl_fail "$1: the command line was not echoed"
	[ "$(tmx display-message -p -t "$TL_SESSION" '#{cursor_flag}')" = 1 ] ||
		tl_fail "$1: the cursor stayed hidden"
}

# Opens a TCP server from the new-endpoint menu with its default form
# (KEY picks it in the menu: Enter for the first, echo; 2 for chat) and
# sets TL_PORT to the port its pane title shows. N is the pane's number.
tl_open_tcp_server() {
	key=$1 what=$2 n=$3
	tl_keys n
	tl_wait_for 'New endpoint: choose' || tl_fail "no new-endpoint menu"
	tl_keys "$key"
	tl_wait_for "^ New $what" || tl_fail "no $what form"
	tl_keys Enter
	tl_wait_for "^\\[$n\\] $what, TCP 127\\.0\\.0\\.1:[0-9]+" || tl_fail "no $what pane"
	TL_PORT=$(tl_screen | sed -n "s/^\\[$n\\] $what, TCP 127\\.0\\.0\\.1:\\([0-9]*\\).*/\\1/p" | head -n 1)
	[ -n "$TL_PORT" ] || tl_fail "no port in the $what pane's title"
}
