#!/usr/bin/env python3
"""e2e_httpd.py OUT - a one-shot HTTP-like server on 127.0.0.1 for
tests/e2e/e2e_client_opts.sh. Writes PORT=N to OUT, accepts one client,
reads its request up to the blank line and writes REQ=<repr of the bytes>
to OUT.req, then sends a reply holding control bytes and closes its side
(the client may stay open: CLOSE-WAIT). Waits until the client closes or
60 s pass, then exits."""
import socket
import sys

REPLY = (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nX-Ctl: a\x1bb\x07c\r\n\r\n"
         b"hello from the test server\r\n")


def main():
    out = sys.argv[1]
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(60)
    with open(out + ".tmp", "w", encoding="ascii") as f:
        f.write("PORT=%d\n" % srv.getsockname()[1])
    import os
    os.rename(out + ".tmp", out)
    conn, _ = srv.accept()
    conn.settimeout(60)
    req = b""
    while b"\r\n\r\n" not in req and b"\n\n" not in req and len(req) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        req += chunk
    with open(out + ".req", "w", encoding="ascii") as f:
        f.write("REQ=%r\n" % req)
    conn.sendall(REPLY)
    conn.shutdown(socket.SHUT_WR)
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass
    conn.close()


if __name__ == "__main__":
    main()
