#!/bin/sh
# procscan_unpriv.sh - the /proc scanner run as an unprivileged user.
#
# Starts a root-owned process (`sleep`), then runs test_procscan in its
# unprivileged mode as uid/gid 65534 (setpriv): it must still map its own
# socket and count the root process among the hidden ones (EACCES on
# /proc/PID/fd). Needs root to drop privileges; otherwise it reports SKIP
# (exit 77) with the reason, never a pass.
: "${TESTS_BUILDDIR:?TESTS_BUILDDIR must name the tests build directory}"

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root to start a root-owned process and drop to uid 65534"
	exit 77
fi
if ! command -v setpriv >/dev/null 2>&1; then
	echo "FAIL: setpriv (util-linux) not found"
	exit 1
fi

# A directory uid 65534 can reach, whatever TMPDIR and the build dir allow.
dir=$(mktemp -d /tmp/sv-unpriv.XXXXXX) || exit 1
holder=""
cleanup() {
	if [ -n "$holder" ]; then
		kill "$holder" 2>/dev/null
		wait "$holder" 2>/dev/null
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
chmod 755 "$dir" && cp "$TESTS_BUILDDIR/unit/test_procscan" "$dir/" &&
	chmod 755 "$dir/test_procscan" || exit 1

sleep 600 &
holder=$!

cd "$dir" || exit 1
PROCSCAN_UNPRIV_HOLDER=$holder setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$dir/test_procscan"
rc=$?
echo "unprivileged scanner test: exit $rc"
exit $rc
