#!/usr/bin/env python3
"""The attacks of issue 18 (second hardening round), replayed.

Runs inside a private network namespace (harden.sh: `unshare -n` as root,
`unshare -rn` otherwise) with only lo up. Each case is a function named
case_*; they run in order and report "ok:"/"FAIL:" lines. Cases that need
root (another uid, /run/netns) say SKIP without it.
"""
import ctypes
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile

SOCKVIEW = os.environ["SOCKVIEW"]
SRCDIR = os.environ["TESTS_SRCDIR"]
ROOT = os.geteuid() == 0
failures = []
ENV = dict(os.environ, LC_ALL="C.UTF-8")
TMP = tempfile.mkdtemp(prefix="svharden.")


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what, flush=True)
    if not cond:
        failures.append(what)
    return cond


def run(args, env=ENV, timeout=60, **kw):
    return subprocess.run([SOCKVIEW] + args, capture_output=True, env=env,
                          timeout=timeout, stdin=subprocess.DEVNULL, **kw)


def bind_raw(s, name):
    """bind() with the full 108 bytes of sun_path, no NUL (Python refuses
    a path that long)."""
    libc = ctypes.CDLL(None, use_errno=True)
    addr = struct.pack("=H", socket.AF_UNIX) + name
    if libc.bind(s.fileno(), ctypes.c_char_p(addr), len(addr)) < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


def lo_up():
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)


def json_rows(args):
    p = run(["--once", "--format=json"] + args)
    if p.returncode != 0:
        check(False, "sockview %s: exit %d: %r" % (args, p.returncode, p.stderr))
        return []
    return json.loads(p.stdout.decode("utf-8"))


# --- item 3: a Unix path of the full 108 bytes -------------------------
def case_path_108():
    d = os.path.join(TMP, "p108")
    os.mkdir(d, 0o700)
    path = d + "/" + "L" * (108 - len(d) - 1)
    assert len(path.encode()) == 108
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    bind_raw(s, path.encode())
    s.listen(1)
    ino = os.fstat(s.fileno()).st_ino
    try:
        p = run(["--once", "-x", "--no-processes"])
        mine = [ln for ln in p.stdout.decode().splitlines() if " %d " % ino in ln + " "]
        check(len(mine) == 1 and (path + " %d" % ino) in mine[0],
              "108-byte path: shown in the table (%r)" % mine)
        rows = {r["inode"]: r for r in json_rows(["-x", "--no-processes"])}
        r = rows.get(ino)
        check(r is not None and r["local"] == {"path": path},
              "108-byte path: JSON local is the path (%r)" % (r and r["local"]))
        p = run(["--once", "-x", "--no-processes", "--format=csv"])
        check(path in p.stdout.decode(), "108-byte path: in the CSV")
        got = {r["inode"] for r in json_rows(["-x", "--no-processes", "-f",
                                               "path '%s'" % path])}
        check(got == {ino}, "108-byte path: `path PATH` selects it (%r)" % got)
        got = {r["inode"] for r in json_rows(["-x", "--no-processes", "-f",
                                               "path '%s/L*L'" % d])}
        check(got == {ino}, "108-byte path: `path GLOB` selects it (%r)" % got)
    finally:
        s.close()
        os.unlink(path)


# --- item 7: an invalid byte and the text "\xff" stay different ----------
def case_escape_reversible():
    tag = "svh%d" % os.getpid()
    names = [b"\0" + tag.encode() + b"-a\xff", b"\0" + tag.encode() + b"-a\\xff"]
    socks = []
    for n in names:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind(n)
        socks.append((s, os.fstat(s.fileno()).st_ino))
    try:
        shown = ["@%s-a\\xff" % tag, "@%s-a\\\\xff" % tag]
        decoded = ["@%s-a\\xff" % tag, "@%s-a\\\\xff" % tag]
        out = run(["--once", "-x", "--no-processes"]).stdout.decode()
        for (s, ino), want in zip(socks, shown):
            check(any((want + " %d" % ino) in ln for ln in out.splitlines()),
                  "table shows %r for inode %d" % (want, ino))
        out = run(["--once", "-x", "--no-processes", "--format=csv"]).stdout.decode()
        for (s, ino), want in zip(socks, shown):
            check(any(ln.find(want + ",") >= 0 and (",%d," % ino) in ln
                      for ln in out.splitlines()),
                  "CSV shows %r for inode %d" % (want, ino))
        rows = {r["inode"]: r for r in json_rows(["-x", "--no-processes"])}
        got = [rows.get(ino, {}).get("local") for s, ino in socks]
        check(got == [{"path": d} for d in decoded],
              "JSON decodes to %r (got %r)" % (decoded, got))
        check(got[0] != got[1], "JSON: the two names differ")
    finally:
        for s, ino in socks:
            s.close()


def main():
    lo_up()
    names = [n for n in sorted(globals()) if n.startswith("case_")]
    order = [n for n in CASES if n in names]
    for n in order:
        print("--- %s" % n, flush=True)
        try:
            globals()[n]()
        except Exception as e:  # a broken case is a failure, not a crash
            check(False, "%s raised %r" % (n, e))
    subprocess.run(["rm", "-rf", TMP])
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)


CASES = ["case_path_108", "case_escape_reversible"]

if __name__ == "__main__":
    main()
