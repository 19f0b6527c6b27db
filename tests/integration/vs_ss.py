#!/usr/bin/env python3
"""Compares sockview --once -t with ss -tan / ss -tanp inside a private
network namespace (this script runs under `unshare -n`)."""
import json
import os
import re
import signal
import socket
import subprocess
import sys

SOCKVIEW = os.environ["SOCKVIEW"]
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)

NPROC, NCONN = 8, 40
children = []
r, w = os.pipe()
for i in range(NPROC):
    pid = os.fork()
    if pid == 0:
        os.close(r)
        keep = []
        lst = socket.socket()
        lst.bind(("127.0.0.%d" % (i + 1), 0))
        lst.listen(128)
        keep.append(lst)
        l6 = socket.socket(socket.AF_INET6)
        l6.bind(("::1", 0))
        l6.listen(128)
        keep.append(l6)
        for k in range(NCONN):
            target = lst if k % 2 else l6
            c = socket.socket(target.family)
            c.connect(target.getsockname()[:2])
            a, _ = target.accept()
            keep += [c, a]
        # some TIME-WAIT sockets (no inode, no owner)
        for k in range(3):
            c = socket.socket()
            c.connect(lst.getsockname())
            a, _ = lst.accept()
            c.close()
            a.close()
        os.write(w, b"x")
        try:
            signal.pause()
        finally:
            os._exit(0)
    children.append(pid)
os.close(w)
got = 0
while got < NPROC:
    b = os.read(r, NPROC)
    if not b:
        break
    got += len(b)

failures = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def norm(addr):
    host, port = addr.rsplit(":", 1)
    host = host.strip("[]")
    if "%" in host:
        host = host.split("%")[0]
    if host == "*":
        host = "0.0.0.0"
    return host, 0 if port == "*" else int(port)


try:
    ss = subprocess.run(["ss", "-tanpH"], capture_output=True, text=True, check=True).stdout
    ss_set, ss_owners = set(), {}
    for line in ss.splitlines():
        f = line.split()
        state, local, peer = f[0], norm(f[3]), norm(f[4])
        key = (local, peer)
        ss_set.add(key)
        pids = set(int(p) for p in re.findall(r"pid=(\d+)", line))
        ss_owners[key] = pids
    out = subprocess.run([SOCKVIEW, "--once", "-t", "--format=json"],
                         capture_output=True, check=True).stdout
    rows = json.loads(out)
    sv_set, sv_owners = set(), {}
    for x in rows:
        key = ((x["local"]["addr"], x["local"]["port"]), (x["peer"]["addr"], x["peer"]["port"]))
        if x["family"] == "inet6" and x["peer"]["addr"] == "::":
            key = (key[0], ("::", 0))
        sv_set.add(key)
        sv_owners[key] = {p["pid"] for p in x["processes"]}

    def canon(s):
        return {((l[0] if l[0] != "::" else "::"), l[1], p[0] if p[1] else "*", p[1]) for l, p in s}

    check(len(rows) == len(ss.splitlines()),
          "same number of TCP sockets (sockview %d, ss %d)" % (len(rows), len(ss.splitlines())))
    a, b = canon(sv_set), canon(ss_set)
    check(a == b, "same 4-tuples (only sockview: %s; only ss: %s)" % (sorted(a - b)[:5], sorted(b - a)[:5]))
    expected = NPROC * (2 + 2 * NCONN)
    check(len(rows) >= expected, "at least the %d sockets the test holds" % expected)
    mism = [k for k in ss_owners if ss_owners[k] and sv_owners.get(k) != ss_owners[k]]
    check(not mism, "owners equal to ss -p for every socket ss maps (%d differ)" % len(mism))
    check(sum(1 for k in ss_owners if ss_owners[k]) >= expected, "ss mapped the held sockets too")
finally:
    for pid in children:
        os.kill(pid, 15)
    for pid in children:
        os.waitpid(pid, 0)

sys.exit(1 if failures else 0)
