"""Outside peers for the end-to-end tests of sockview's endpoints.

Usage: e2e_peer.py OUTFILE MODE [ARGS]

  chat HOST PORT   connects to a (chat) server over TCP, appends every byte
                   it receives to OUTFILE.recv, and sends the content of
                   OUTFILE.send once that file appears (the test writes it
                   atomically), then renames it to OUTFILE.sent. Ends when
                   the server closes, or after 120 seconds.
  listen           a TCP listener on 127.0.0.1 (port from the kernel); sleeps
                   until killed.
  stale PATH       binds a Unix stream socket to PATH and exits without
                   removing the file: a stale socket file.

When ready it writes KEY=VALUE lines to OUTFILE (atomically): PORT, PID.
Only loopback and Unix sockets are used; every wait is bounded.
"""

import os
import select
import socket
import sys
import time


def write_out(path, values):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        for k, v in values.items():
            f.write("%s=%s\n" % (k, v))
    os.rename(tmp, path)


def mode_chat(out, host, port):
    s = socket.create_connection((host, int(port)), timeout=10)
    s.setblocking(False)
    recv_path = out + ".recv"
    send_path = out + ".send"
    open(recv_path, "wb").close()
    write_out(out, {"PORT": s.getsockname()[1], "PID": os.getpid()})
    deadline = time.monotonic() + 120
    sent = False
    while time.monotonic() < deadline:
        r, _, _ = select.select([s], [], [], 0.05)
        if r:
            data = s.recv(65536)
            if not data:
                return 0
            with open(recv_path, "ab") as f:
                f.write(data)
        if not sent and os.path.exists(send_path):
            with open(send_path, "rb") as f:
                line = f.read()
            s.setblocking(True)
            s.sendall(line)
            s.setblocking(False)
            os.rename(send_path, out + ".sent")
            sent = True
    return 0


def mode_listen(out):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(4)
    write_out(out, {"PORT": s.getsockname()[1], "PID": os.getpid()})
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        time.sleep(0.5)
    return 0


def mode_stale(out, path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.close()
    write_out(out, {"STALE": path, "PID": os.getpid()})
    return 0


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    out, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if mode == "chat" and len(args) == 2:
        return mode_chat(out, *args)
    if mode == "listen" and not args:
        return mode_listen(out)
    if mode == "stale" and len(args) == 1:
        return mode_stale(out, *args)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
