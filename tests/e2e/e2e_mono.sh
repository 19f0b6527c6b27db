#!/bin/sh
# e2e_mono.sh - usable without colours (issue 6 item 4): with TERM=vt100
# (no colours, no alternate screen), NO_COLOR and --no-color, the screen has
# no colour codes at all, the column header and the selected row are in
# reverse video, exactly one table row is, and it follows the selection.
# The C locale with a Unix socket named in UTF-8 with wide characters: the
# name's bytes are escaped (\xNN), the screen is pure ASCII, and the columns
# after it stay aligned with their titles; in a UTF-8 locale the same name
# shows as is (two cells per wide character), still aligned.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_sockets "$TL_TMP/s1" basic "$TL_TMP"
# sv-é漢字-x.sock
tl_sockets "$TL_TMP/s2" unixhex "$TL_TMP" 73762dc3a9e6bca2e5ad972d782e736f636b
HOLDER=$(tl_get "$TL_TMP/s2" PID)
tl_start_shell 200 40

screen_e() {
	tmx capture-pane -e -p -t "$TL_SESSION"
}

# The table rows drawn in reverse video, as "N:TEXT".
reverse_rows() {
	screen_e | "$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_screen.py" reverse |
		grep -E '^[0-9]+:(tcp|udp|u_[a-z]+|raw|p_[a-z]+) '
}

# mono WHAT: the screen of the running sockview is usable monochrome.
mono() {
	tl_wait_for '^Proto' || tl_fail "$1: no table"
	tl_wait_for '^tcp ' || tl_fail "$1: no TCP row"
	n=$(screen_e | "$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_screen.py" colours)
	[ "$n" -eq 0 ] || tl_fail "$1: $n colour codes on the screen"
	screen_e | "$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_screen.py" reverse | grep -q '^[0-9]*:Proto' ||
		tl_fail "$1: the column header is not in reverse video"
	[ "$(reverse_rows | wc -l)" -eq 1 ] ||
		tl_fail "$1: not exactly one table row in reverse video: $(reverse_rows)"
	before=$(reverse_rows | cut -d: -f1)
	tl_keys Down
	i=0
	while [ "$(reverse_rows | cut -d: -f1)" != $((before + 1)) ]; do
		i=$((i + 1))
		[ "$i" -lt "$TL_WAIT" ] || tl_fail "$1: the reverse-video row does not follow the selection (was line $before, now $(reverse_rows))"
		sleep 0.1
	done
	[ "$(reverse_rows | wc -l)" -eq 1 ] || tl_fail "$1: after Down, not one row in reverse video"
	tl_keys q
	tl_wait_for '^SV-EXIT=0$' || tl_fail "$1: q did not quit"
	tl_check_shell_back "$2"
	tl_type clear
	tl_wait_gone 'SV-EXIT' || tl_fail "clear failed"
}

TL_ENV="TERM=vt100" tl_start_sockview
mono "TERM=vt100" vt100
TL_ENV="NO_COLOR=1" tl_start_sockview
mono "NO_COLOR" nocolor
tl_start_sockview --no-color
mono "--no-color" nocolor2

# The Peer and Process columns start at their headers' columns in the row
# of the socket named (a regex) $2.
check_aligned() {
	tl_screen | "$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_screen.py" column Peer "$2" '*' ||
		tl_fail "$1: the Peer column is not aligned after the name"
	tl_screen | "$PYTHON3" "$TESTS_SRCDIR/e2e/e2e_screen.py" column Process "$2" "python3/$HOLDER" ||
		tl_fail "$1: the Process column is not aligned after the name"
}

# The C locale: the UTF-8 name escaped byte by byte, ASCII only, aligned.
ESCAPED='sv-\\xc3\\xa9\\xe6\\xbc\\xa2\\xe5\\xad\\x97-x\.sock'
TL_ENV="LC_ALL=C" tl_start_sockview -x
tl_wait_for "^u_str +LISTEN .*$ESCAPED" || tl_fail "C locale: the name is not escaped as \\xNN"
# the owner may come with a later refresh
tl_wait_for "^u_str +LISTEN .*$ESCAPED .*python3/$HOLDER" || tl_fail "C locale: no owner shown"
tl_screen | LC_ALL=C grep -q '[^ -~]' && tl_fail "C locale: non-ASCII bytes on the screen"
check_aligned "C locale" "$ESCAPED"
tl_keys q
tl_wait_for '^SV-EXIT=0$' || tl_fail "q did not quit"
tl_type clear
tl_wait_gone 'SV-EXIT' || tl_fail "clear failed"

# A UTF-8 locale: the name as is, wide characters two cells each, aligned.
tl_start_sockview -x
tl_wait_for '^u_str +LISTEN .*sv-é漢字-x\.sock' || tl_fail "UTF-8: the name is not shown as is"
tl_wait_for "^u_str +LISTEN .*sv-é漢字-x\\.sock .*python3/$HOLDER" || tl_fail "UTF-8: no owner shown"
check_aligned UTF-8 'sv-é漢字-x\.sock'
tl_keys q
tl_wait_for '^SV-EXIT=0$' || tl_fail "q did not quit"
tl_check_shell_back utf8
exit 0
