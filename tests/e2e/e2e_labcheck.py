#!/usr/bin/env python3
"""e2e_labcheck.py - what `sockview --once --format=json` says about the
sockets of the state lab (tests/e2e/e2e_lab.sh).

  e2e_labcheck.py JSONFILE has PID STATE [PROTO]
      a socket held by process PID is in STATE (exit 0), else exit 1
  e2e_labcheck.py JSONFILE any STATE PORT
      a socket in STATE has PORT as its local or peer port (held or not)
  e2e_labcheck.py JSONFILE none PID
      no socket is held by process PID
"""
import json
import sys


def held(s, pid):
    return any(p.get("pid") == pid for p in s.get("processes", []))


def port_of(e):
    return e.get("port") if isinstance(e, dict) else None


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        socks = json.load(f)
    mode = sys.argv[2]
    if mode == "has":
        pid, state = int(sys.argv[3]), sys.argv[4]
        proto = sys.argv[5] if len(sys.argv) > 5 else None
        ok = any(held(s, pid) and s["state"] == state and (proto is None or s["proto"] == proto)
                 for s in socks)
    elif mode == "any":
        state, port = sys.argv[3], int(sys.argv[4])
        ok = any(s["state"] == state and port in (port_of(s.get("local")), port_of(s.get("peer")))
                 for s in socks)
    elif mode == "none":
        pid = int(sys.argv[3])
        ok = not any(held(s, pid) for s in socks)
    else:
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
