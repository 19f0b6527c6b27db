#!/usr/bin/env python3
"""Holds Unix sockets with hostile names under a hostile process name, for
tests/integration/hostile.sh.

  hostile_holder.py --comm HEX --dir DIR [--abstract HEX]... [--path HEX]...

Every name is given in hex (bytes of any value). Abstract names are bound as
given (the leading NUL is added here); paths are created inside DIR. Prints
one JSON line {"pid": P, "sockets": [{"name": HEX, "inode": N}, ...]} (name
as bound: abstract names with their leading NUL), then holds the sockets
until stdin reaches EOF, SIGTERM or the time limit.
"""
import argparse
import ctypes
import json
import os
import select
import signal
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--comm", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--abstract", action="append", default=[])
    ap.add_argument("--path", action="append", default=[])
    ap.add_argument("--hold", type=float, default=300.0)
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_NAME = 15
    if libc.prctl(PR_SET_NAME, ctypes.c_char_p(bytes.fromhex(args.comm)), 0, 0, 0) != 0:
        sys.exit("prctl(PR_SET_NAME) failed")
    keep, out = [], []
    names = [b"\0" + bytes.fromhex(h) for h in args.abstract]
    names += [os.fsencode(args.dir) + b"/" + bytes.fromhex(h) for h in args.path]
    for i, name in enumerate(names):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM if i % 2 == 0 else socket.SOCK_DGRAM)
        s.bind(name)
        if i % 2 == 0:
            s.listen(1)
        keep.append(s)
        out.append({"name": name.hex(), "inode": os.fstat(s.fileno()).st_ino})
    sys.stdout.write(json.dumps({"pid": os.getpid(), "sockets": out}) + "\n")
    sys.stdout.flush()
    deadline = time.monotonic() + args.hold
    while time.monotonic() < deadline:
        r, _, _ = select.select([sys.stdin], [], [], 0.5)
        if r and not os.read(sys.stdin.fileno(), 4096):
            break
    for s in keep:
        s.close()


if __name__ == "__main__":
    main()
