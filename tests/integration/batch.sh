#!/bin/sh
# batch.sh - sockview --once against real sockets (see batch.py).
exec "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/batch.py"
