#!/usr/bin/env python3
"""Faults of the environment around `sockview --once` (issue 6, item 4).

 - a protocol without a diag handler (raw here, or simulated elsewhere by
   tests/integration/test_diag.c and tests/integration/test_faults.c through the transport seam):
   it is reported as unavailable, the rest is listed, exit 0;
 - churn: processes that open sockets and exit while sockview scans /proc,
   connections opened and closed while it dumps: every run exits 0 with
   valid output, warning at most that the snapshot may be inconsistent;
 - unprivileged (setpriv --reuid=65534): its own processes are mapped, a
   root process (whose /proc/PID/fd it cannot read) is not, exit 0;
 - another network namespace (unshare -n): its sockets are not mixed into
   the host's list, and sockview run inside it lists them and not the host's;
 - output errors in every format: a full disk (/dev/full) and a pipe
   without reader exit 1 (not killed by SIGPIPE), with a reason for the
   full disk.
Cases already covered elsewhere are not repeated: --once >/dev/full and a
closed stdout in table format (cli.sh), -N (cli.sh), ") S 1 1" and
LC_ALL=C (hostile.sh), the /proc scanner as uid 65534 (procscan_unpriv.sh).
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SOCKVIEW = os.environ["SOCKVIEW"]
failures = []
procs = []
INCONSISTENT = b"may be inconsistent"


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)
    return cond


def run(args, timeout=60, **kw):
    return subprocess.run([SOCKVIEW, "--once"] + args, capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=timeout, **kw)


def as_nobody(cmd):
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] + cmd


def spawn(cmd, **kw):
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, **kw)
    procs.append(p)
    return p


def readline(p, what, timeout=30):
    """The next line of p's stdout, or fail after timeout seconds."""
    import select
    r, _, _ = select.select([p.stdout], [], [], timeout)
    if not r:
        raise SystemExit("FAIL: %s did not start" % what)
    line = p.stdout.readline()
    if not line:
        raise SystemExit("FAIL: %s exited early" % what)
    return json.loads(line)


# A process holding a TCP listener and an abstract Unix socket; prints
# {"pid", "port", "tcp", "unix", "name"} and holds them until stdin ends.
HOLDER = r"""
import json, os, select, socket, sys, time
tag = sys.argv[1]
t = socket.socket(); t.bind(("127.0.0.1", 0)); t.listen(4)
u = socket.socket(socket.AF_UNIX); u.bind(b"\0" + tag.encode()); u.listen(1)
print(json.dumps({"pid": os.getpid(), "port": t.getsockname()[1],
                  "tcp": os.fstat(t.fileno()).st_ino,
                  "unix": os.fstat(u.fileno()).st_ino, "name": "@" + tag}), flush=True)
end = time.monotonic() + 300
while time.monotonic() < end:
    r, _, _ = select.select([sys.stdin], [], [], 0.5)
    if r and not os.read(0, 64):
        break
"""

# Churn for at most its argument in seconds, or until stdin ends: children
# that open sockets and exit at once, connections opened and closed.
CHURN = r"""
import os, select, socket, sys, time
end = time.monotonic() + float(sys.argv[1])
lst = socket.socket(); lst.bind(("127.0.0.1", 0)); lst.listen(128)
lst.setblocking(False)
n = 0
while time.monotonic() < end and n < 100000:
    r, _, _ = select.select([sys.stdin], [], [], 0)
    if r and not os.read(0, 64):
        break
    pid = os.fork()
    if pid == 0:
        s = socket.socket(); s.connect(lst.getsockname())
        a, b = socket.socketpair()
        u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 0))
        os._exit(0)
    for _ in range(8):
        c = socket.socket(); c.connect(lst.getsockname()); c.close()
    try:
        while True:
            lst.accept()[0].close()
    except BlockingIOError:
        pass
    os.waitpid(pid, 0)
    n += 1
    if n == 1:
        print('{"started": true}', flush=True)
print('{"rounds": %d}' % n, flush=True)
"""


def json_rows(p, what):
    try:
        return json.loads(p.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        check(False, "%s: output is valid JSON (%s)" % (what, e))
        return None


def stop(p):
    try:
        p.stdin.close()
    except OSError:
        pass
    p.terminate()
    try:
        p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait(timeout=30)


def test_missing_module():
    """Raw: this kernel may lack raw_diag; then -w says so and -t -w still
    lists TCP. With raw_diag, a raw socket of ours must be listed."""
    h = spawn([sys.executable, "-c", HOLDER, "svflt-mod-%d" % os.getpid()])
    info = readline(h, "holder")
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    try:
        p = run(["-w", "--format=json"])
        rows = json_rows(p, "-w")
        check(p.returncode == 0, "-w exits 0 (%d)" % p.returncode)
        if b"not supported by this kernel" in p.stderr:
            check(rows == [], "-w without raw_diag: an empty list, not a failure")
            p = run(["-t", "-w", "--format=json"])
            rows = json_rows(p, "-t -w") or []
            check(p.returncode == 0 and b"raw sockets cannot be seen" in p.stderr,
                  "-t -w: raw reported unavailable on stderr, exit 0")
            check(any(r["inode"] == info["tcp"] for r in rows),
                  "-t -w: TCP still listed while raw is unavailable")
            p = run(["--format=json"])
            # issue 13: what cannot be seen is said, by default too (not
            # an error: exit 0)
            check(p.returncode == 0 and b"raw sockets cannot be seen" in p.stderr,
                  "by default: raw missing is reported, not an error (%r)" % p.stderr)
        else:
            ino = os.fstat(raw.fileno()).st_ino
            check(rows is not None and any(r["inode"] == ino for r in rows),
                  "raw_diag present: our raw socket is listed")
    finally:
        raw.close()
        stop(h)


def test_churn():
    ch = spawn([sys.executable, "-c", CHURN, "60"])
    readline(ch, "churner")
    runs = [["--format=json"], ["--format=json", "-x"], ["--format=table"],
            ["--format=csv", "-t"], ["--format=json", "-t", "-u"]] * 3
    bad = []
    try:
        for args in runs:
            p = run(args)
            err = p.stderr.replace(b"\r", b"")
            lines = [ln for ln in err.split(b"\n") if ln]
            if p.returncode != 0 or any(INCONSISTENT not in ln for ln in lines):
                bad.append("%s: exit %d, stderr %r" % (args, p.returncode, p.stderr[:300]))
            elif "json" in args[0] and json_rows(p, "churn %s" % args) is None:
                bad.append("%s: bad JSON" % args)
    finally:
        ch.stdin.close()
        try:
            ch.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    check(ch.returncode == 0, "the churner ran until told to stop (%s)" % ch.returncode)
    check(not bad, "%d runs during socket and process churn exit 0 with valid output %s"
          % (len(runs), bad))


def test_unprivileged(tmp):
    root = spawn([sys.executable, "-c", HOLDER, "svflt-root-%d" % os.getpid()])
    rinfo = readline(root, "root holder")
    mine = spawn(as_nobody([sys.executable, "-c", HOLDER, "svflt-nobody-%d" % os.getpid()]),
                 cwd=tmp)
    minfo = readline(mine, "unprivileged holder")
    try:
        for fmt in ("json", "table", "csv"):
            p = subprocess.run(as_nobody([SOCKVIEW, "--once", "--format=" + fmt]),
                               capture_output=True, stdin=subprocess.DEVNULL, timeout=60,
                               cwd=tmp)
            check(p.returncode == 0, "unprivileged --format=%s exits 0 (%r)"
                  % (fmt, p.stderr[:200]))
            if fmt != "json":
                continue
            rows = {r["inode"]: r for r in json_rows(p, "unprivileged") or []}
            r = rows.get(minfo["tcp"])
            check(r is not None and any(x["pid"] == minfo["pid"] for x in r["processes"]),
                  "unprivileged: its own process is mapped to its socket")
            r = rows.get(rinfo["tcp"])
            check(r is not None and r["processes"] == [],
                  "unprivileged: root's socket listed, its process (unreadable fd) not")
            r = rows.get(rinfo["unix"])
            check(r is not None and r["local"] == {"path": rinfo["name"]},
                  "unprivileged: root's Unix socket listed with its name")
    finally:
        stop(mine)
        stop(root)


def test_other_netns():
    tag = "svflt-ns-%d" % os.getpid()
    ns = spawn(["unshare", "-n", "sh", "-c",
                'ip link set lo up && exec "$0" -c "$1" "$2"',
                sys.executable, HOLDER, tag])
    info = readline(ns, "holder in a new network namespace")
    host = socket.socket()
    host.bind(("127.0.0.1", 0))
    host.listen(1)
    hino = os.fstat(host.fileno()).st_ino
    try:
        p = run(["--format=json", "-t", "-x"])
        rows = json_rows(p, "host") or []
        inodes = {r["inode"] for r in rows}
        check(p.returncode == 0 and hino in inodes, "host run lists the host's listener")
        check(info["tcp"] not in inodes and info["unix"] not in inodes,
              "host run does not mix in the other namespace's TCP and Unix sockets")
        p = subprocess.run(["nsenter", "-t", str(info["pid"]), "-n", "--", SOCKVIEW, "--once",
                            "--format=json", "-t", "-x"], capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=60)
        rows = json_rows(p, "inside") or []
        inodes = {r["inode"] for r in rows}
        check(p.returncode == 0 and info["tcp"] in inodes and info["unix"] in inodes,
              "inside the namespace: its TCP and Unix sockets are listed")
        check(hino not in inodes, "inside the namespace: the host's listener is not")
    finally:
        host.close()
        stop(ns)


def test_output_errors():
    for fmt in ("table", "json", "csv"):
        with open("/dev/full", "wb") as full:
            p = subprocess.run([SOCKVIEW, "--once", "--format=" + fmt], stdout=full,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60)
        check(p.returncode == 1 and b"No space" in p.stderr,
              "--format=%s >/dev/full: exit 1 with a reason (%d, %r)"
              % (fmt, p.returncode, p.stderr[:200]))
        r, w = os.pipe()
        os.close(r)  # nobody will ever read: the write gets EPIPE
        try:
            p = subprocess.run([SOCKVIEW, "--once", "--format=" + fmt], stdout=w,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=60)
        finally:
            os.close(w)
        check(p.returncode == 1, "--format=%s into a pipe without reader: exit 1, not a "
              "signal (%d)" % (fmt, p.returncode))


def main():
    if os.geteuid() != 0:
        # CI runs as root; without root there is no setpriv, unshare -n or
        # nsenter to run these cases, and a skip must not count as a pass.
        print("SKIP: needs root (setpriv, unshare -n, nsenter)")
        sys.exit(77)
    for tool in ("setpriv", "unshare", "nsenter", "ip"):
        if not shutil.which(tool):
            print("FAIL: %s not found (util-linux, iproute2)" % tool)
            sys.exit(1)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    tmp = tempfile.mkdtemp(prefix="svfaults.")
    os.chmod(tmp, 0o755)
    try:
        test_missing_module()
        test_output_errors()
        test_other_netns()
        test_unprivileged(tmp)
        test_churn()
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
