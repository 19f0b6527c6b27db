#!/usr/bin/env python3
"""Holds a TCP listener and a UDP socket in the network namespace it runs in
(started by `ip netns exec` or `unshare -n`), for tests/integration/netns.sh.

Brings lo up if it can, binds 127.0.0.1:PORT (TCP, listening) and
127.0.0.1:PORT (UDP), writes one JSON line (pid, inodes, netns inode) to
the file named in argv[2], then holds them until stdin reaches EOF, SIGTERM,
or 600 s.
"""
import json
import os
import select
import socket
import subprocess
import sys


def main():
    port = int(sys.argv[1])
    subprocess.run(["ip", "link", "set", "lo", "up"], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.bind(("127.0.0.1", port))
    t.listen(8)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", port))
    desc = {
        "pid": os.getpid(),
        "tcp_inode": os.fstat(t.fileno()).st_ino,
        "udp_inode": os.fstat(u.fileno()).st_ino,
        "netns": os.stat("/proc/self/ns/net").st_ino,
    }
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as f:
        f.write(json.dumps(desc) + "\n")
    os.rename(tmp, sys.argv[2])
    select.select([sys.stdin], [], [], 600)


if __name__ == "__main__":
    main()
