#!/bin/sh
# paste.sh - how long sockview takes to digest a large paste (issue 12).
#
#   bench/paste.sh [SOCKVIEW] [BYTES] [ascii|utf8]
#                                  default: src/sockview, 1048576, utf8
#
# Runs sockview in a private tmux server (120x40, TERM=screen, C.UTF-8),
# opens a prompt, pastes BYTES of text (no newline) with paste-buffer, then
# sends Esc F1 and waits for the help screen: keys are read in order, so
# the help shows once the whole paste was read. The same paste into
# `head -c BYTES` in a raw terminal gives the cost of tmux and the pty
# alone. Prints wall seconds for each target (search prompt, filter prompt,
# the baseline). Run by hand; figures depend on the machine.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
sv=${1:-$here/../src/sockview}
bytes=${2:-1048576}
kind=${3:-utf8}
tmux=${TMUX_BIN:-tmux}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sv-paste.XXXXXX")
sock=$tmp/tmux.sock
trap '"$tmux" -S "$sock" kill-server 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
unset TMUX

tmx() { "$tmux" -S "$sock" "$@"; }
now() { date +%s.%N; }
wait_for() {
	i=0
	while [ "$i" -lt 3000 ]; do
		tmx capture-pane -p -t bench >"$tmp/screen" || return 1
		grep -Eq -- "$1" "$tmp/screen" && return 0
		i=$((i + 1))
		sleep 0.01
	done
	echo "paste.sh: timed out waiting for $1" >&2
	return 1
}

# printable ASCII and (utf8) 2, 3 and 4-byte characters, no newline
"${PYTHON3:-python3}" - "$bytes" "$tmp/paste" "$kind" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
unit = "port 2200 and ćšĒň жук 漢字 😀 e\u0301 ".encode()
if sys.argv[3] == "ascii":
    unit = b"port 2200 and not port 22 "
data = (unit * (n // len(unit) + 1))[:n]
while data and (data[-1] & 0xc0) == 0x80:
    data = data[:-1]
if data and data[-1] >= 0xc0:
    data = data[:-1]
open(path, "wb").write(data)
PY

run() { # what, command, key that opens the prompt, text that shows it
	sock=$tmp/tmux.$1.sock
	tmx -f /dev/null new-session -d -s bench -x 120 -y 40 \
		"env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 $2"
	tmx set-option -t bench status off >/dev/null
	wait_for "$4"
	[ -n "$3" ] && tmx send-keys -t bench "$3"
	tmx load-buffer "$tmp/paste"
	t0=$(now)
	tmx paste-buffer -t bench
	if [ "$1" = baseline ]; then
		wait_for 'DONE'
	else
		tmx send-keys -t bench Escape F1
		wait_for '^ sockview keys'
	fi
	t1=$(now)
	printf '%-16s %8s s\n' "$1" "$(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')"
	tmx kill-server 2>/dev/null || true
}

echo "paste of $(wc -c <"$tmp/paste") bytes:"
run baseline "sh -c 'stty raw -echo; echo READY; head -c $(wc -c <"$tmp/paste") >$tmp/got; echo DONE; sleep 60'" "" '^READY'
run search "$sv" / 'F1Help'
run filter "$sv" f 'F1Help'
