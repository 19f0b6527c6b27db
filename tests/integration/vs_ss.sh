#!/bin/sh
# vs_ss.sh - sockview --once -t lists the same TCP sockets as ss -tan, with
# the owners ss -tanp finds; run in a private network namespace holding a
# known, stable set of sockets (hundreds of connections, many processes).
command -v ss >/dev/null || { echo "FAIL: ss (iproute2) is missing"; exit 1; }
command -v unshare >/dev/null || { echo "FAIL: unshare is missing"; exit 1; }
exec unshare -n "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/vs_ss.py"
