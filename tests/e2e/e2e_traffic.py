"""e2e_traffic.py OUT - a TCP receiver that never reads and a sender that
fills its window: the sender ends up probing a zero window.

Writes PORT (the receiver's), CPORT (the sender's local port) and PID to
OUT once the sender's writes block, then keeps the sockets until killed.
"""
import os
import select
import socket
import sys
import time


def main():
    out = sys.argv[1]
    lis = socket.socket()
    lis.bind(("127.0.0.1", 0))
    lis.listen(1)
    port = lis.getsockname()[1]
    snd = socket.create_connection(("127.0.0.1", port))
    rcv, _ = lis.accept()
    # small buffers: the window closes sooner
    rcv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    snd.setblocking(False)
    chunk = b"y" * 65536
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            snd.send(chunk)
        except BlockingIOError:
            # full: wait a moment in case the window opens again
            if not select.select([], [snd], [], 0.5)[1]:
                break
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        f.write("PORT=%d\nCPORT=%d\nPID=%d\n" % (port, snd.getsockname()[1], os.getpid()))
    os.rename(tmp, out)
    while True:
        time.sleep(3600)


main()
