#!/usr/bin/env python3
"""soak.py - the live view over a long run with churn (issue 18 item 10).

usage: soak.py --sockview PATH --load PATH [--sockets N] [--procs N]
               [--secs N] [--sample N] [--churn N] [--tmux PATH]
               [--max-rss-kb-min X] [--max-fds-min X] [--max-cpu-min X]

Holds --sockets sockets (default 10^5) with bench/load (--procs processes),
adds continuous churn - --churn TCP connections per second opened and
closed on loopback, and short-lived processes (a few a second, each holding
a socketpair and a Unix listener for about a second) - and runs `sockview
-d 1` in a private tmux server for --secs seconds (default 600: ten
minutes). Every --sample seconds it reads the live view's VmRSS, its number
of open fds and its CPU use over the interval (/proc/PID/status, fd/,
stat). At the end it fits a line (least squares) through the second half
of each series - the first half is warm-up: the process map and the
snapshots grow to the socket count - and fails (exit 1) when a slope is
above its bound:

  RSS  --max-rss-kb-min KiB per minute (default 1024)
  fds  --max-fds-min    fds per minute (default 0.5)
  CPU  --max-cpu-min    percentage points per minute (default 2)

and the growth it implies over the second half is material (at least 2 MiB,
2 fds, 5 CPU points): a short run's noise is not a trend.

It prints every sample (seconds, RSS KiB, fds, CPU %) and one summary line
per series. As root it runs everything in a network namespace of its own
(unshare -n, only lo up): the churn and the load use loopback only, and
the table holds nothing of the machine's. Every process it starts is
stopped by PID (or by killing its own tmux server), and every wait has a
deadline. On a loaded machine, shorten --secs and say so with the figures;
the default stays ten minutes.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time

from svbench import own_cpu, status_kb


# ---- churn: connections and processes coming and going -----------------

def churn_main(rate):
    """Runs until killed: rate TCP connections a second on loopback, each
    opened, written to and closed, and ~4 short-lived processes a second,
    each holding a socketpair and a Unix listener for about a second."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", 0))
    lst.listen(1024)
    lst.setblocking(False)
    addr = lst.getsockname()
    kids = []
    tick = 0.1
    per_tick = max(1, int(rate * tick))
    held = []
    n = 0
    while True:
        t0 = time.monotonic()
        for c in held:  # last tick's connections go
            c.close()
        held = []
        for _ in range(per_tick):
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            # reset on close: no TIME-WAIT pile-up over ten minutes
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
            try:
                c.connect(addr)
                c.send(b"x")
                held.append(c)
            except OSError:
                c.close()
        while True:
            try:
                a, _ = lst.accept()
                a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
                held.append(a)
            except OSError:
                break
        n += 1
        if n % 2 == 0:  # processes: ~5 a second, each living ~1 s
            pid = os.fork()
            if pid == 0:
                try:
                    a, b = socket.socketpair()
                    u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    u.bind(b"\0sv-soak-%d" % os.getpid())
                    u.listen(1)
                    time.sleep(1.0)
                finally:
                    os._exit(0)
            kids.append(pid)
        kids = [k for k in kids if os.waitpid(k, os.WNOHANG) == (0, 0)]
        time.sleep(max(0.0, tick - (time.monotonic() - t0)))


# ---- the measurement -----------------------------------------------------

def slope(xs, ys):
    """Least-squares slope of ys over xs."""
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0


def nfds(pid):
    """Open fds of pid, the least of a few looks over ~0.5 s: a scan of
    /proc holds a directory open for a moment, a leak stays."""
    best = -1
    for _ in range(10):
        try:
            n = len(os.listdir(f"/proc/{pid}/fd"))
        except OSError:
            continue
        best = n if best < 0 else min(best, n)
        time.sleep(0.05)
    return best


def tmux(args, *rest, text=False):
    return subprocess.run([args.tmux, "-L", args.sock, *rest], check=True,
                          capture_output=True, text=text)


def wait_for(pred, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.2)
    raise SystemExit(f"soak: timed out waiting for {what}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sockview", required=True)
    ap.add_argument("--load", required=True, help="bench/load")
    ap.add_argument("--tmux", default="tmux")
    ap.add_argument("--sockets", type=int, default=100000)
    ap.add_argument("--procs", type=int, default=200)
    ap.add_argument("--secs", type=float, default=600.0)
    ap.add_argument("--sample", type=float, default=5.0)
    ap.add_argument("--churn", type=int, default=200, help="connections per second")
    ap.add_argument("--max-rss-kb-min", type=float, default=1024.0)
    ap.add_argument("--max-fds-min", type=float, default=0.5)
    ap.add_argument("--max-cpu-min", type=float, default=2.0)
    ap.add_argument("--churn-only", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--in-netns", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.churn_only is not None:
        churn_main(args.churn_only)
        return 0
    if os.geteuid() == 0 and not args.in_netns:
        # a network namespace of our own, loopback only
        return subprocess.call(["unshare", "-n", "sh", "-c",
                                'ip link set lo up && exec "$@"', "sh",
                                sys.executable, os.path.abspath(__file__), "--in-netns",
                                *sys.argv[1:]])
    args.sock = f"sv-soak-{os.getpid()}"
    started = []
    load = None
    try:
        load = subprocess.Popen([args.load, "-n", str(args.sockets), "-p", str(args.procs),
                                 "-t", str(int(args.secs + 300))],
                                stdout=subprocess.PIPE, text=True)
        started.append(load)
        line = load.stdout.readline()  # "ready N" (bench/load's own deadline)
        if not line.startswith("ready"):
            raise SystemExit(f"soak: bench/load did not start: {line!r}")
        print(f"# load: {line.strip()} sockets in {args.procs} processes", flush=True)
        churn = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--sockview", "-",
                                  "--load", "-", "--churn-only", str(args.churn)])
        started.append(churn)
        pidfile = f"/tmp/{args.sock}.pid"
        subprocess.run([args.tmux, "-L", args.sock, "kill-server"], capture_output=True)
        tmux(args, "new-session", "-d", "-x", "160", "-y", "50",
             f"sh -c 'echo $$ > {pidfile}; exec {args.sockview} -d 1'")
        wait_for(lambda: os.path.exists(pidfile) and open(pidfile).read().strip(), 30,
                 "sockview to start")
        pid = int(open(pidfile).read())
        os.unlink(pidfile)
        wait_for(lambda: "sockets" in tmux(args, "capture-pane", "-p", text=True).stdout,
                 120, "the first table")
        print("# secs\trss_kb\tfds\tcpu_pct", flush=True)
        t0 = time.monotonic()
        cpu0, tprev = own_cpu(pid), t0
        samples = []
        while time.monotonic() - t0 < args.secs:
            time.sleep(args.sample)
            now = time.monotonic()
            cpu = own_cpu(pid)
            pct = 100.0 * (cpu - cpu0) / (now - tprev)
            cpu0, tprev = cpu, now
            s = (now - t0, status_kb(pid, "VmRSS"), nfds(pid), pct)
            samples.append(s)
            print("%.0f\t%d\t%d\t%.1f" % s, flush=True)
        half = samples[len(samples) // 2:]
        xs = [s[0] / 60.0 for s in half]
        fails = 0
        span = xs[-1] - xs[0] if len(xs) > 1 else 0.0
        for idx, name, bound, unit, floor in ((1, "rss", args.max_rss_kb_min, "KiB/min", 2048),
                                              (2, "fds", args.max_fds_min, "fds/min", 2),
                                              (3, "cpu", args.max_cpu_min, "points/min", 5)):
            ys = [s[idx] for s in half]
            sl = slope(xs, ys)
            ok = sl <= bound or sl * span < floor
            fails += not ok
            print(f"{name}: first {samples[0][idx]:.1f} last {samples[-1][idx]:.1f} "
                  f"mean(2nd half) {sum(ys) / len(ys):.1f} slope(2nd half) {sl:+.2f} {unit} "
                  f"(bound {bound}) {'ok' if ok else 'FAIL'}", flush=True)
        print(f"# {len(samples)} samples over {samples[-1][0]:.0f} s, {args.sockets} sockets, "
              f"churn {args.churn} connections/s", flush=True)
        return 1 if fails else 0
    finally:
        subprocess.run([args.tmux, "-L", args.sock, "kill-server"], capture_output=True)
        for p in reversed(started):
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


if __name__ == "__main__":
    sys.exit(main())
