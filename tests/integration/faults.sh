#!/bin/sh
# faults.sh - sockview --once when the environment misbehaves (see
# hostile_faults.py): a missing diag module, churn, no privileges, another
# network namespace, output errors.
exec "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/hostile_faults.py"
