#!/bin/sh
# harden.sh - the attacks of issue 18 (second hardening round) replayed
# against the real binary, in a private network and mount namespace (see
# harden.py): /run/netns there is a tmpfs of the test's own.
command -v unshare >/dev/null || { echo "FAIL: unshare is missing"; exit 1; }
if [ "$(id -u)" = 0 ]; then
	exec unshare -n -m --propagation private "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/harden.py"
fi
exec unshare -rnm --propagation private "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/harden.py"
