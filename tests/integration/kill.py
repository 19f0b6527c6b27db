#!/usr/bin/env python3
"""sockview -K in a private namespace (run by kill.sh under unshare -rn).

A test-owned TCP connection on loopback is destroyed by
`sockview --once -K -tn 'dport = :N'`: sockview prints it, exits 0, the
peer's recv() fails with ECONNRESET and the socket is gone from the next
listing. Refusals: a Unix socket gets its sentence and exit status 1; -K
without a filter is a usage error (2)."""
import os
import socket
import subprocess
import sys
import tempfile

SV = os.environ["SOCKVIEW"]
fails = 0


def check(cond, what):
    global fails
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        fails += 1


def sv(*args):
    p = subprocess.run([SV, *args], capture_output=True, text=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


subprocess.run(["ip", "link", "set", "lo", "up"], check=True, timeout=10)

if sys.argv[1:] == ["eperm"]:
    # run by kill.sh as root in a namespace of root's: sockview as nobody
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.bind(("127.0.0.1", 0))
    lst.listen(1)
    port = lst.getsockname()[1]
    cli = socket.create_connection(("127.0.0.1", port), timeout=5)
    p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        SV, "--once", "-K", "-t", "dport = :%d" % port],
                       capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    check(p.returncode == 1 and "CAP_NET_ADMIN" in p.stderr and ":%d" % port in p.stderr,
          "without CAP_NET_ADMIN: exit 1 and the EPERM sentence: %d %r" % (p.returncode, p.stderr))
    cli.settimeout(0.2)
    try:
        cli.recv(1)
        check(False, "the connection was not touched (it got EOF)")
    except socket.timeout:
        check(True, "the connection was not touched")
    sys.exit(1 if fails else 0)

lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
lst.bind(("127.0.0.1", 0))
lst.listen(4)
port = lst.getsockname()[1]
cli = socket.create_connection(("127.0.0.1", port), timeout=5)
srv, _ = lst.accept()
srv.settimeout(5)
cport = cli.getsockname()[1]

# no filter: refused
rc, out, err = sv("--once", "-K", "-t")
check(rc == 2 and "filter" in err, "-K without a filter is refused: %d %r" % (rc, err))

rc, out, err = sv("--once", "-K", "-tn", "dport = :%d" % port)
check(rc == 0, "-K -tn 'dport = :%d' exits 0 (%d, %r)" % (port, rc, err))
check(":%d" % cport in out and ":%d" % port in out and "ESTAB" in out,
      "the destroyed socket is printed: %r" % out)
check(out.count("\n") == 2, "one socket (and the heading) printed: %r" % out)

try:
    data = srv.recv(16)
    check(False, "the peer saw a reset (got %r instead)" % data)
except ConnectionResetError:
    check(True, "the peer saw ECONNRESET")
except OSError as e:
    check(False, "the peer saw a reset (got %r)" % e)

rc, out, err = sv("--once", "-H", "-tn", "dport = :%d" % port)
check(rc == 0 and out == "", "the destroyed socket is gone: %r" % out)

# JSON output of -K: the chosen format
c2 = socket.create_connection(("127.0.0.1", port), timeout=5)
s2, _ = lst.accept()
rc, out, err = sv("--once", "-K", "--format=json", "-t", "sport = :%d" % c2.getsockname()[1])
check(rc == 0 and '"state": "ESTAB"' in out and out.startswith("["),
      "-K --format=json prints the destroyed socket as JSON: %r %r" % (out, err))
c2.close()
s2.close()

# a Unix socket cannot be destroyed: its sentence, exit 1
tmp = tempfile.mkdtemp(prefix="svkill.")
path = os.path.join(tmp, "s.sock")
u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
u.bind(path)
u.listen(1)
rc, out, err = sv("--once", "-K", "-x", "path", path)
check(rc == 1 and "Unix sockets cannot be destroyed" in err,
      "a Unix socket is refused with its sentence: %d %r" % (rc, err))
check(u.fileno() >= 0, "the Unix socket is untouched")
u.close()
os.unlink(path)
os.rmdir(tmp)
cli.close()
srv.close()
lst.close()
sys.exit(1 if fails else 0)
