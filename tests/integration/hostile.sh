#!/bin/sh
# hostile.sh - hostile socket and process names in every batch output
# (see hostile_check.py).
exec "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/hostile_check.py"
