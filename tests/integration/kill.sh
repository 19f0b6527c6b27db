#!/bin/sh
# kill.sh - -K destroys what the filter selects (SOCK_DESTROY), inside a
# private user+network namespace (unshare -rn: CAP_NET_ADMIN over it, no
# root needed); the peer sees the reset. See kill.py.
. "$TESTS_SRCDIR/support/lib.sh"

if ! command -v unshare >/dev/null 2>&1 || ! unshare -rn true >/dev/null 2>&1; then
	echo "SKIP: unshare -rn is not available here"
	exit 77
fi
exec unshare -rn "$PYTHON3" "$TESTS_SRCDIR/integration/kill.py"
