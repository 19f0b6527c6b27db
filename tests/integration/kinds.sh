#!/bin/sh
# kinds.sh - packet, netlink, MPTCP and raw sockets (issue 13): real ones,
# opened in a private user+network namespace (CAP_NET_RAW there), listed by
# `sockview --once --format=json` with the right fields and owners, and
# agreeing with ss -0, ss -A netlink, ss -M and ss -w.
command -v ss >/dev/null || { echo "FAIL: ss (iproute2) is missing"; exit 1; }
command -v unshare >/dev/null || { echo "FAIL: unshare is missing"; exit 1; }
exec unshare -rn "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/kinds.py"
