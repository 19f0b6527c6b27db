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
import stat
import struct
import subprocess
import sys
import tempfile

SOCKVIEW = os.environ["SOCKVIEW"]
SRCDIR = os.environ["TESTS_SRCDIR"]


def real_root():
    """Root of the initial user namespace (not the root of unshare -r,
    which cannot give files to other uids)."""
    try:
        with open("/proc/self/uid_map") as f:
            return os.geteuid() == 0 and f.read().split()[:3] == ["0", "0", "4294967295"]
    except OSError:
        return False


ROOT = real_root()
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

# --- item 6: -N NAME where /run/netns/NAME is not a namespace -------------
def case_netns_types():
    # a tmpfs of our own on /run/netns (or /run when there is none), in the
    # private mount namespace harden.sh made: the host's is not touched
    where = "/run/netns" if os.path.isdir("/run/netns") else "/run"
    if subprocess.run(["mount", "-t", "tmpfs", "svharden", where]).returncode != 0:
        print("SKIP: cannot mount a tmpfs on %s" % where)
        return
    d = "/run/netns"
    os.makedirs(d, exist_ok=True)
    os.mkfifo(d + "/fifo")
    os.mkdir(d + "/dir")
    open(d + "/reg", "w").close()
    us = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    us.bind(d + "/sock")
    os.symlink("fifo", d + "/link")
    cases = [("fifo", "it is a FIFO, not a namespace file"),
             ("link", "it is a FIFO, not a namespace file"),
             ("dir", "it is a directory, not a namespace file"),
             ("reg", "it is a regular file, not a namespace (nothing is mounted on it"),
             ("sock", "it is a socket, not a namespace file")]
    try:
        os.mknod(d + "/null", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        cases.append(("null", "it is a character device, not a namespace file"))
    except OSError:
        print("SKIP: no mknod here (a device file)")
    open(d + "/uts", "w").close()
    open(d + "/good", "w").close()
    have_ns = (subprocess.run(["mount", "--bind", "/proc/self/ns/uts", d + "/uts"]).returncode == 0 and
               subprocess.run(["mount", "--bind", "/proc/self/ns/net", d + "/good"]).returncode == 0)
    for name, why in cases:
        try:
            p = run(["-N", name, "--once", "-x", "--no-processes"], timeout=10)
        except subprocess.TimeoutExpired:
            check(False, "-N %s: hangs" % name)
            continue
        err = p.stderr.decode()
        check(p.returncode == 1 and why in err and ("/run/netns/" + name) in err,
              "-N %s: exit %d, %r" % (name, p.returncode, err.strip()))
    if have_ns:
        p = run(["-N", "uts", "--once", "-x", "--no-processes"], timeout=10)
        check(p.returncode == 1 and b"not of a network namespace" in p.stderr,
              "-N uts (a UTS namespace): %r" % p.stderr)
        p = run(["-N", "good", "--once", "-x", "--no-processes"], timeout=10)
        check(p.returncode == 0, "-N good (a network namespace): exit %d %r" % (p.returncode, p.stderr))
    else:
        print("SKIP: cannot bind-mount namespace files here")
    p = run(["-N", "missing", "--once"], timeout=10)
    check(p.returncode == 2 and b"not found" in p.stderr, "-N missing: %r" % p.stderr)
    us.close()
    subprocess.run(["umount", "-l", where])


# --- item 5: --record-dump DIR with planted links -------------------------
def case_record_dump():
    base = os.path.join(TMP, "rec")
    os.mkdir(base, 0o700)
    victim = os.path.join(base, "victim")
    with open(victim, "w") as f:
        f.write("precious\n")
    # a sticky, world-writable directory (like /tmp) with a planted symlink
    # and a planted hard link: nothing may reach the victim
    d = os.path.join(base, "sticky")
    os.mkdir(d)
    os.chmod(d, 0o1777)
    os.symlink(victim, d + "/unix.bin")
    os.link(victim, d + "/tcp-inet.bin")
    p = run(["--once", "--no-processes", "--record-dump", d])
    with open(victim) as f:
        check(f.read() == "precious\n", "planted symlink and hard link: the victim is untouched")
    check(p.returncode == 0 and b"some dumps were not recorded" in p.stderr,
          "planted links: a warning on stderr (%r)" % p.stderr)
    check(os.path.islink(d + "/unix.bin"), "the planted symlink is left alone")
    # files it made itself: 0600, regular, appended to by the next run
    os.unlink(d + "/unix.bin")
    os.unlink(d + "/tcp-inet.bin")
    run(["--once", "-x", "--no-processes", "--record-dump", d])
    st = os.lstat(d + "/unix.bin")
    check(stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600,
          "a recording is a regular file, mode 0600 (%o)" % st.st_mode)
    p = run(["--once", "-x", "--no-processes", "--record-dump", d])
    check(p.returncode == 0 and p.stderr == b"" and os.lstat(d + "/unix.bin").st_size > st.st_size,
          "the next run appends to our own recording (%r)" % p.stderr)
    # unsafe directories are refused before anything is written
    w = os.path.join(base, "open")
    os.mkdir(w)
    os.chmod(w, 0o777)
    p = run(["--once", "--no-processes", "--record-dump", w])
    check(p.returncode == 1 and b"no sticky bit" in p.stderr and os.listdir(w) == [],
          "world-writable without sticky bit: refused (%r)" % p.stderr)
    if ROOT:
        o = os.path.join(base, "other")
        os.mkdir(o, 0o755)
        os.chown(o, 65534, 65534)
        p = run(["--once", "--no-processes", "--record-dump", o])
        check(p.returncode == 1 and b"belongs to another user" in p.stderr,
              "a directory of another user: refused (%r)" % p.stderr)
    p = run(["--once", "--no-processes", "--record-dump", victim])
    check(p.returncode == 1 and b"record-dump" in p.stderr, "not a directory: refused (%r)" % p.stderr)


# --- item 8: too few file descriptors is said, not silent -----------------
def case_few_fds():
    name = b"\0svh-fds-%d" % os.getpid()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(name)
    s.listen(1)
    ino = os.fstat(s.fileno()).st_ino
    try:
        rows = {r["inode"]: r for r in json_rows(["-x"])}
        procs = rows.get(ino, {}).get("processes") or []
        check(any(p["pid"] == os.getpid() for p in procs),
              "enough fds: the socket's process is mapped")
        for n in (4, 5):
            p = subprocess.run(["prlimit", "--nofile=%d" % n, SOCKVIEW, "--once", "-x",
                                "--format=json"], capture_output=True, env=ENV, timeout=60,
                               stdin=subprocess.DEVNULL)
            err = p.stderr.decode()
            check(p.returncode == 0 and
                  "some sockets were not mapped to their processes: Too many open files" in err,
                  "--nofile=%d: exit 0 with a warning on stderr (exit %d, %r)"
                  % (n, p.returncode, err))
            rows = {r["inode"]: r for r in json.loads(p.stdout.decode() or "[]")}
            check(ino in rows, "--nofile=%d: the socket is still listed" % n)
        p = run(["--once", "-x"])
        check(p.returncode == 0 and b"not mapped" not in p.stderr,
              "enough fds: no warning (%r)" % p.stderr)
    finally:
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


CASES = ["case_path_108", "case_escape_reversible", "case_netns_types",
         "case_record_dump", "case_few_fds"]

if __name__ == "__main__":
    main()
