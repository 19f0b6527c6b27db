#!/bin/sh
# e2e_settings.sh - settings that persist (sockviewrc), as a user meets
# them: a toggle changed in one run is there in the next; sort and columns
# come from the file; the command line wins over the file; --no-config ignores it; a hostile file
# (unknown key, control bytes) gives a one-line warning and the rest; a
# symlink in its place is neither read nor replaced.
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
tl_sockets "$TL_TMP/s1" basic "$TL_TMP"
P=$(tl_get "$TL_TMP/s1" PORT)
[ -n "$P" ] || tl_fail "no port from the helper"
# tl_start_shell gives the shell HOME=$TL_TMP and no XDG_CONFIG_HOME
RC=$TL_TMP/.config/sockview/sockviewrc
TCPL="^tcp +LISTEN +[0-9]+ +[0-9]+ +127\.0\.0\.1:$P "

tl_start_shell 120 40

# --- First run: no file. Hide TCP, quit. ---
tl_start_sockview -d 0.3
tl_wait_for "$TCPL" || tl_fail "no TCP listener"
tl_keys t
tl_wait_for 'TCP hidden' || tl_fail "t did not hide TCP"
tl_keys q
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit 0"
[ -f "$RC" ] || tl_fail "no settings file written at exit"
grep -qx 'show = udp,unix,raw,packet,mptcp' "$RC" || tl_fail "the file does not keep the toggle: $(cat "$RC")"
[ "$(stat -c %a "$RC")" = 600 ] || tl_fail "the file is not 0600"
[ "$(stat -c %a "$(dirname "$RC")")" = 700 ] || tl_fail "its directory is not 0700"
tl_type clear

# --- Second run: TCP is still hidden; -t on the command line wins. ---
tl_start_sockview -d 0.3
tl_wait_for 'TCP hidden' || tl_fail "the toggle did not persist"
tl_wait_gone "$TCPL" || tl_fail "TCP shown although the file hides it"
tl_keys q
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit 0"
tl_type clear
tl_start_sockview -d 0.3 -t
tl_wait_for "$TCPL" || tl_fail "-t did not win over the file"
tl_keys q
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit 0"
grep -qx 'show = udp,unix,raw,packet,mptcp' "$RC" || tl_fail "the command line's -t was saved"
tl_type clear

# --- The sort and the columns, from the file ---
cat >"$RC" <<RCEOF
# mine
columns = proto,state,local,peer,process,inode
sort = local
sort_direction = descending
RCEOF
tl_start_sockview -d 0.3
tl_wait_for 'Sort Local address \(descending\)' || tl_fail "the sort from the file is not used"
tl_wait_for 'Local.+Peer.+Process.+Inode' || tl_fail "the Inode column from the file is not shown"
tl_wait_for "$TCPL" || tl_fail "TCP hidden although the file no longer says so"
tl_keys q
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit 0"
grep -q '^# mine' "$RC" || tl_fail "the file was rewritten although nothing changed"
tl_type clear

# --- --no-config: the defaults, the file untouched ---
printf 'show = udp\n' >"$RC"
tl_start_sockview -d 0.3 --no-config
tl_wait_for "$TCPL" || tl_fail "--no-config still read the file"
tl_keys x
tl_wait_for 'Unix hidden' || tl_fail "x did not hide Unix"
tl_keys q
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit 0"
[ "$(cat "$RC")" = 'show = udp' ] || tl_fail "--no-config wrote the file"
tl_type clear

# --- A hostile file: control bytes and an unknown key ---
printf 'bogus\033]0;PWNED\007 = 1\nshow = tcp\n' >"$RC"
tl_start_sockview -d 0.3
tl_wait_for 'sockviewrc line 1: control bytes' || tl_fail "no warning for the hostile line"
tl_wait_for "$TCPL" || tl_fail "the good line was not used"
[ "$(tmx display-message -p -t "$TL_SESSION" '#{pane_title}')" != PWNED ] ||
	tl_fail "the file's bytes reached the terminal"
tl_keys q
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit 0"
tl_type clear

# --- A symlink in its place: a warning, the defaults, the link kept ---
rm -f "$RC"
printf 'show = udp\n' >"$TL_TMP/elsewhere"
ln -s "$TL_TMP/elsewhere" "$RC"
tl_start_sockview -d 0.3
tl_wait_for 'settings not read from .*symbolic link' || tl_fail "no warning for the symlink"
tl_wait_for "$TCPL" || tl_fail "the symlink's target was read"
tl_keys t
tl_wait_for 'TCP hidden' || tl_fail "t did not hide TCP"
tl_keys q
tl_wait_for 'SV-EXIT=0' || tl_fail "sockview did not exit 0"
[ -L "$RC" ] || tl_fail "the symlink was replaced"
[ "$(cat "$TL_TMP/elsewhere")" = 'show = udp' ] || tl_fail "the symlink's target was written"
tl_log "PASS"
