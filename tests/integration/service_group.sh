#!/bin/sh
# service_group.sh - --once --group=service --format=json and the socket's
# own cgroup, with real sockets (see service_group.py).
exec "${PYTHON3:-python3}" "$TESTS_SRCDIR/integration/service_group.py"
