#!/bin/sh
# traffic.sh - --rate, --group=process and the hints against real loopback
# traffic (see traffic.py).
exec "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/traffic.py"
