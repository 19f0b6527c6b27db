#!/bin/sh
# e2e_deadfs.sh - the details of a Unix socket whose path crosses a dead
# FUSE mount (issue 18 item 4). Its lstat() sleeps in the kernel forever;
# the live view must not: the details show at once ("file metadata not
# available yet"), say after 2 s that the file system did not answer, keys
# still work, and SIGTERM and Ctrl-C end sockview while its helper is stuck
# (the helper then goes too). Needs root and /dev/fuse (the mount is made in
# a private mount namespace); skipped otherwise.
if [ "$(id -u)" != 0 ] || [ ! -c /dev/fuse ] || ! command -v unshare >/dev/null 2>&1; then
	echo "SKIP: needs root, /dev/fuse and unshare"
	exit 77
fi
if [ -z "${SV_DEADFS_MNTNS:-}" ]; then
	SV_DEADFS_MNTNS=1
	export SV_DEADFS_MNTNS
	exec unshare -m --propagation private sh "$0" "$@"
fi
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/support/tmuxlib.sh"

tl_init
MNT=$TL_TMP/mnt
mkdir -p "$MNT/sub" || tl_fail "mkdir"
FUSE_PID=
deadfs_cleanup() {
	# detach the dead mount first (no daemon needed), then let it go
	umount -l "$MNT" 2>/dev/null
	[ -n "$FUSE_PID" ] && kill "$FUSE_PID" 2>/dev/null
	tl_cleanup
}
trap deadfs_cleanup EXIT

# the listener, in the test's network namespace, at MNT/sub/x.sock
tl_sockets "$TL_TMP/s1" unixhex "$MNT/sub" "$(printf 'x.sock' | od -An -tx1 | tr -d ' \n')"
# then the dead file system over MNT: the path now crosses it
"$PYTHON3" "$TESTS_SRCDIR/e2e/deadfuse.py" "$MNT" "$TL_TMP/fuse.ready" </dev/null &
FUSE_PID=$!
TL_PIDS="$TL_PIDS $FUSE_PID"
if ! tl_wait_file "$TL_TMP/fuse.ready"; then
	if ! kill -0 "$FUSE_PID" 2>/dev/null; then
		wait "$FUSE_PID"
		[ $? = 77 ] && { echo "SKIP: FUSE cannot be mounted here"; exit 77; }
	fi
	tl_fail "the dead FUSE mount did not come up"
fi
# it is dead indeed: a plain stat of the path does not come back
timeout -s KILL 2 stat "$MNT/sub/x.sock" >/dev/null 2>&1
[ $? = 137 ] || tl_fail "stat of a path under the dead mount returned"

tl_start_shell 120 40
for how in TERM KEY-C; do
	tl_start_sockview -d 0.5
	tl_wait_for 'F1Help' || tl_fail "no table"
	tl_keys /
	tl_text "x.sock"
	tl_keys Enter
	tl_wait_for "^u_str +LISTEN .*/mnt/sub/x\.sock" || tl_fail "the listener is not shown"
	tl_keys Home
	tl_keys Enter
	# at once, not after the file system answers (it never does)
	tl_wait_for "Details of u_str .*/mnt/sub/x\.sock" || tl_fail "$how: the details did not open"
	tl_wait_for "^Socket file +file metadata not available yet" ||
		tl_fail "$how: no word that the metadata is not there yet"
	HELPER=$(pgrep -P "$TL_SV_PID" | head -n 1)
	[ -n "$HELPER" ] || tl_fail "$how: no helper process"
	tl_wait_for "^Socket file +file metadata not available: the file system did not answer within 2 s" ||
		tl_fail "$how: no time-out"
	# the loop is alive: keys work
	tl_keys Escape
	tl_wait_for "Local.+Peer" || tl_fail "$how: Esc did not close the details"
	tl_keys Enter
	tl_wait_for "^Socket file +file metadata not available: the file system did not answer" ||
		tl_fail "$how: the details did not reopen"
	case $how in
	TERM) kill -TERM "$TL_SV_PID" ;;
	KEY-C) tl_keys C-c ;;
	esac
	tl_wait_for '^SV-EXIT=0$' || tl_fail "$how: sockview did not end while its helper was stuck"
	# the stuck helper went with it (its sleep is killable)
	i=0
	while kill -0 "$HELPER" 2>/dev/null && [ "$(ps -o stat= -p "$HELPER" | cut -c1)" != Z ]; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || tl_fail "$how: the stuck helper $HELPER outlived sockview"
		sleep 0.1
	done
	tl_type clear
	tl_wait_gone 'SV-EXIT' || tl_fail "clear failed"
done
tl_log "ok: details over a dead FUSE mount, SIGTERM and Ctrl-C"
