#!/usr/bin/env python3
"""Opens and holds sockets of every kind for sockview's integration tests.

Prints one JSON object describing them (pid, ports, inodes, names), then
holds them until stdin reaches EOF, SIGTERM, or the time limit (--hold).
"""
import argparse
import ctypes
import json
import os
import select
import signal
import socket
import sys
import tempfile
import time


def ino(s):
    return os.fstat(s.fileno()).st_ino


def set_comm(name):
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_NAME = 15
    libc.prctl(PR_SET_NAME, ctypes.c_char_p(name), 0, 0, 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hold", type=float, default=120.0)
    ap.add_argument("--comm", default=None, help="process name (bytes as latin-1)")
    ap.add_argument("--hostile", action="store_true", help="hostile Unix names")
    ap.add_argument("--unowned", action="store_true",
                    help="a Unix socket pair, and a socket no process holds")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    if args.comm:
        set_comm(args.comm.encode("latin-1"))
    keep = []
    out = {"pid": os.getpid()}

    def tcp_pair(fam, host):
        lst = socket.socket(fam, socket.SOCK_STREAM)
        lst.bind((host, 0))
        lst.listen(8)
        cli = socket.socket(fam, socket.SOCK_STREAM)
        cli.connect(lst.getsockname()[:2])
        srv, _ = lst.accept()
        keep.extend([lst, cli, srv])
        return {"listen_port": lst.getsockname()[1], "listen_inode": ino(lst),
                "client_port": cli.getsockname()[1], "client_inode": ino(cli),
                "server_inode": ino(srv), "host": host}

    out["tcp4"] = tcp_pair(socket.AF_INET, "127.0.0.1")
    out["tcp6"] = tcp_pair(socket.AF_INET6, "::1")
    for key, fam, host in (("udp4", socket.AF_INET, "127.0.0.1"),
                           ("udp6", socket.AF_INET6, "::1")):
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.bind((host, 0))
        keep.append(u)
        out[key] = {"port": u.getsockname()[1], "inode": ino(u), "host": host}
    d = tempfile.mkdtemp(prefix="svtest.")
    out["dir"] = d
    us = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    us.bind(os.path.join(d, "stream.sock"))
    us.listen(4)
    ud = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ud.bind(os.path.join(d, "dgram.sock"))
    keep.extend([us, ud])
    out["unix_stream"] = {"path": os.path.join(d, "stream.sock"), "inode": ino(us)}
    out["unix_dgram"] = {"path": os.path.join(d, "dgram.sock"), "inode": ino(ud)}
    ua = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    aname = "svtest-%d" % os.getpid()
    ua.bind("\0" + aname)
    ua.listen(1)
    keep.append(ua)
    out["unix_abstract"] = {"name": "@" + aname, "inode": ino(ua)}
    if args.hostile:
        hs = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        raw = (b"\0svevil\x1b]0;PWNED\x07\x1b[2J\n\r\x7f\xc2\x9b\xe2\x80\xae\xff\x00end"
               + str(os.getpid()).encode())
        hs.bind(raw)
        hs.listen(1)
        hp = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        hp.bind(os.path.join(d, "ev\x1b[31mil\nname.sock"))
        keep.extend([hs, hp])
        out["hostile_abstract_inode"] = ino(hs)
        out["hostile_path_inode"] = ino(hp)
    if args.unowned:
        pa, pb = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        keep.extend([pa, pb])
        out["unix_pair"] = [ino(pa), ino(pb)]
        # A socket whose only reference is an SCM_RIGHTS message waiting in
        # another socket's queue: listed by the kernel, held by no process.
        ca, cb = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        lone, lone_peer = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        out["unowned"] = {"inode": ino(lone), "peer_inode": ino(lone_peer)}
        socket.send_fds(ca, [b"x"], [lone.fileno()])
        lone.close()
        keep.extend([ca, cb, lone_peer])
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    deadline = time.monotonic() + args.hold
    while time.monotonic() < deadline:
        r, _, _ = select.select([sys.stdin], [], [], 0.5)
        if r and not os.read(sys.stdin.fileno(), 4096):
            break
    for s in keep:
        s.close()
    for f in os.listdir(d):
        os.unlink(os.path.join(d, f))
    os.rmdir(d)


if __name__ == "__main__":
    main()
