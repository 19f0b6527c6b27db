#!/bin/sh
# harden.sh - the attacks of issue 18 (second hardening round) replayed
# against the real binary, in a private network namespace (see harden.py).
command -v unshare >/dev/null || { echo "FAIL: unshare is missing"; exit 1; }
if [ "$(id -u)" = 0 ]; then
	exec unshare -n "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/harden.py"
fi
exec unshare -rn "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/harden.py"
