#!/bin/sh
# watch.sh - sockview --watch against real sockets (see watch.py).
exec "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/watch.py"
