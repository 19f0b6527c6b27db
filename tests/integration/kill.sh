#!/bin/sh
# kill.sh - -K destroys what the filter selects (SOCK_DESTROY), inside a
# private user+network namespace (unshare -rn: CAP_NET_ADMIN over it, no
# root needed); the peer sees the reset. See kill.py.
. "$TESTS_SRCDIR/support/lib.sh"

if ! command -v unshare >/dev/null 2>&1 || ! unshare -rn true >/dev/null 2>&1; then
	echo "SKIP: unshare -rn is not available here"
	exit 77
fi
unshare -rn "$PYTHON3" "$TESTS_SRCDIR/integration/kill.py" || fail "-K in a private namespace"
# Without CAP_NET_ADMIN: EPERM gets its sentence (root makes the namespace,
# sockview runs as nobody in it); only where root and setpriv are at hand.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SOCKVIEW" --version >/dev/null 2>&1; then
	unshare -n "$PYTHON3" "$TESTS_SRCDIR/integration/kill.py" eperm || fail "-K without the privilege"
else
	echo "note: the EPERM case needs root and setpriv; not run"
fi
t_done
