"""Opens loopback and Unix sockets for the end-to-end tests, then waits.

Usage: e2e_sockets.py OUTFILE MODE [ARGS]

  basic DIR     a TCP listener on 127.0.0.1:P (P chosen by the kernel), a UDP
                socket on 127.0.0.1:P, a Unix listener DIR/sv-e2e-P.sock, a
                second TCP listener on 127.0.0.3:P, and an established
                connection from 127.0.0.2:C to 127.0.0.1:P ("hello" one way,
                "world!" the other). On SIGUSR1 the client sends 1000 more
                bytes, which the server reads.
  listen ADDR PORT
                a TCP listener on ADDR:PORT.
  backlog       a TCP listener on 127.0.0.1:P that does not accept() yet and
                a client from 127.0.0.2:C connected to it: the server side
                waits in the accept queue. On SIGUSR1 the listener accepts it.
  unixhex DIR HEX
                a Unix stream listener at DIR/NAME, NAME given in hex (any
                bytes: UTF-8, wide characters), whatever the locale.
  many N        N Unix stream socket pairs (2N sockets, N at most 20000): a
                table whose dump takes a while, so that signals often
                arrive while one is in flight.

When the sockets are open it writes KEY=VALUE lines to OUTFILE (atomically)
and sleeps until it is killed (the test kills it by PID). Only loopback and
Unix sockets are used.
"""

import os
import signal
import socket
import sys


def write_out(path, values):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        for k, v in values.items():
            f.write("%s=%s\n" % (k, v))
    os.rename(tmp, path)


def mode_basic(out, directory):
    keep = []
    # The same port for TCP on 127.0.0.1 and .3 and for UDP: another
    # program may hold the UDP or .3 one, so try a few (bounded).
    for _ in range(50):
        lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lst.bind(("127.0.0.1", 0))
        lst.listen(8)
        port = lst.getsockname()[1]
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        lst3 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            udp.bind(("127.0.0.1", port))
            lst3.bind(("127.0.0.3", port))
        except OSError:
            for s in (lst, udp, lst3):
                s.close()
            continue
        lst3.listen(8)
        break
    else:
        raise OSError("no port free for TCP and UDP alike")
    keep.extend([lst, udp, lst3])

    path = os.path.join(directory, "sv-e2e-%d.sock" % port)
    ux = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ux.bind(path)
    ux.listen(8)
    keep.append(ux)

    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.bind(("127.0.0.2", 0))
    cli.connect(("127.0.0.1", port))
    srv, _ = lst.accept()
    keep.extend([cli, srv])
    cli.sendall(b"hello")
    got = b""
    while len(got) < 5:
        got += srv.recv(5 - len(got))
    srv.sendall(b"world!")
    got = b""
    while len(got) < 6:
        got += cli.recv(6 - len(got))

    def more(signum, frame):
        cli.sendall(b"x" * 1000)
        n = 0
        while n < 1000:
            n += len(srv.recv(1000 - n))

    signal.signal(signal.SIGUSR1, more)
    write_out(out, {"PORT": port, "CPORT": cli.getsockname()[1], "UNIX": path,
                    "PID": os.getpid()})
    return keep


def mode_listen(out, addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((addr, int(port)))
    s.listen(8)
    write_out(out, {"PORT": s.getsockname()[1], "PID": os.getpid()})
    return [s]


def mode_backlog(out):
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.bind(("127.0.0.1", 0))
    lst.listen(8)
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.bind(("127.0.0.2", 0))
    cli.connect(lst.getsockname())
    keep = [lst, cli]

    def accept(signum, frame):
        srv, _ = lst.accept()
        keep.append(srv)

    signal.signal(signal.SIGUSR1, accept)
    write_out(out, {"PORT": lst.getsockname()[1], "CPORT": cli.getsockname()[1],
                    "PID": os.getpid()})
    return keep


def mode_many(out, n):
    n = min(int(n), 20000)
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 2 * n + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
        soft = min(want, hard)
    n = min(n, (soft - 64) // 2)
    keep = []
    for _ in range(n):
        keep.extend(socket.socketpair())
    write_out(out, {"N": len(keep), "PID": os.getpid()})
    return keep


def mode_unixhex(out, directory, hexname):
    path = os.path.join(os.fsencode(directory), bytes.fromhex(hexname))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(8)
    write_out(out, {"PID": os.getpid()})
    return [s]


def main():
    out, mode = sys.argv[1], sys.argv[2]
    if mode == "basic":
        keep = mode_basic(out, sys.argv[3])
    elif mode == "listen":
        keep = mode_listen(out, sys.argv[3], sys.argv[4])
    elif mode == "unixhex":
        keep = mode_unixhex(out, sys.argv[3], sys.argv[4])
    elif mode == "backlog":
        keep = mode_backlog(out)
    elif mode == "many":
        keep = mode_many(out, sys.argv[3])
    else:
        sys.exit("unknown mode " + mode)
    signal.signal(signal.SIGTERM, lambda s, f: sys.exit(0))
    while True:
        signal.pause()
    del keep


if __name__ == "__main__":
    main()
