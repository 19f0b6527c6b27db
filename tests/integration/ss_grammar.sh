#!/bin/sh
# ss_grammar.sh - the filter language against ss's: the same expressions
# over the same sockets in a private network namespace (ss_grammar.py);
# the differences that are meant are listed in ss_grammar.expected.
command -v ss >/dev/null || { echo "FAIL: ss (iproute2) is missing"; exit 1; }
command -v unshare >/dev/null || { echo "FAIL: unshare is missing"; exit 1; }
# -r: this user is root of a new user namespace that owns the network
# namespace, so it may set socket marks, bind low ports, and see marks.
if ! unshare -rn true 2>/dev/null; then
	echo "SKIP: cannot create a user and network namespace (unshare -rn)"
	exit 77
fi
exec timeout 240 unshare -rn "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/ss_grammar.py"
