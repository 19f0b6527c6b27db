#!/usr/bin/env python3
"""firstpaint.py - how long the live view takes to show the sockets.

usage: firstpaint.py --sockview PATH [--runs N] [--rows N] [--cols N]
                     [--expect TEXT] [-- EXTRA ARGS]

Starts `sockview` on a pseudo-terminal of ROWS x COLS (40 x 120) and reads
what it writes until the table shows sockets: the text EXPECT ("ESTAB" by
default, which only rows carry; a bench/load run holds established
connections) has appeared in the output. The time from fork() to that
byte is the first paint. Then it waits for the Process column to be filled
(the name of a process holding sockets, --proc TEXT, "load" by default) and
reports that time too; then sends 'q' and reaps the process (SIGKILL after
a deadline). Prints one tab-separated line per run and a median line:

  firstpaint RUN PAINT_MS PROCS_MS
  firstpaint median PAINT_MS PROCS_MS

Every wait has a deadline (--timeout seconds, 30 by default).
"""
import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time


def one_run(args):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["LC_ALL"] = "C.UTF-8"
        os.execv(args.sockview, [args.sockview] + args.extra)
    t0 = time.monotonic()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", args.rows, args.cols, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    seen = b""
    paint = procs = None
    deadline = t0 + args.timeout
    want = args.expect.encode()
    want_proc = args.proc.encode()
    while time.monotonic() < deadline and procs is None:
        r, _, _ = select.select([fd], [], [], 0.05)
        if not r:
            continue
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:
            break
        if not chunk:
            break
        # keep a tail across reads so a word split between reads is found
        seen = seen[-64:] + chunk
        now = time.monotonic()
        if paint is None and want in seen:
            paint = now - t0
        if paint is not None and want_proc in seen:
            procs = now - t0
    try:
        os.write(fd, b"q")
    except OSError:
        pass
    end = time.monotonic() + 5
    while time.monotonic() < end:
        try:
            wpid, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            break
        if wpid:
            break
        try:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                os.read(fd, 1 << 16)
        except OSError:
            pass
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)
    return paint, procs


def ms(v):
    return "-" if v is None else "%.0f" % (v * 1000)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sockview", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--cols", type=int, default=120)
    ap.add_argument("--expect", default="ESTAB")
    ap.add_argument("--proc", default="load")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("extra", nargs="*")
    args = ap.parse_args()
    paints, procs = [], []
    for i in range(args.runs):
        p, q = one_run(args)
        print("firstpaint\t%d\t%s\t%s" % (i + 1, ms(p), ms(q)), flush=True)
        if p is not None:
            paints.append(p)
        if q is not None:
            procs.append(q)
        time.sleep(0.3)
    print("firstpaint\tmedian\t%s\t%s" % (
        ms(statistics.median(paints)) if paints else "-",
        ms(statistics.median(procs)) if procs else "-"))
    return 0 if paints else 1


if __name__ == "__main__":
    sys.exit(main())
