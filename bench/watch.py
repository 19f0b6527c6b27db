#!/usr/bin/env python3
"""Benchmark of `sockview --watch` under churn (issue 14).

Holds --sockets sockets (bench/load), then runs `sockview --watch` while a
churn generator opens and closes --rate loopback TCP connections per second
(each close is a reset: both ends die at once, no TIME-WAIT pile-up), for
--secs seconds. Reports:
  - deaths of the churn's sockets that --watch reported, by source (destroy
    message or dump), against the deaths generated (2 per connection);
  - sockview's CPU (% of one core) and RSS, sampled every --sample seconds,
    with churn and, for the same socket count, without it first (the cost
    of the dumps alone: the difference is what the events cost);
  - gap events (destroy messages lost).
Figures depend on the machine and its load: this is never a test.

usage: bench/watch.py [--sockets N] [--secs S] [--rate R] [--interval I]
       [--idle-secs S] [--builddir DIR] [--host-netns]
It runs in a private network namespace (unshare -rn) where it can.
"""
import argparse
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

CLK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Counter:
    """Reads --watch's NDJSON (from the file it wrote: a reader that falls
    behind would block --watch's writes and make it miss destroy messages,
    measuring the reader); counts the churn's events."""

    def __init__(self, stream, port, clients):
        self.stream, self.port, self.clients = stream, port, clients
        self.lines = self.bad = self.gaps = 0
        self.gone = {"destroy": 0, "dump": 0}
        self.born = 0

    def run(self):
        for line in self.stream:
            self.lines += 1
            if b'"event": "gap"' in line:
                self.gaps += 1
                continue
            try:
                ev = json.loads(line)
            except ValueError:
                self.bad += 1
                continue
            s = ev.get("socket") or {}
            # the accepted end by its local port; the client by its own
            # (a reset client's destroy message has lost its peer)
            lport = (s.get("local") or {}).get("port")
            if s.get("state") == "LISTEN" or (lport != self.port and
                                               lport not in self.clients):
                continue
            if ev["event"] == "gone":
                self.gone[ev["source"]] = self.gone.get(ev["source"], 0) + 1
            elif ev["event"] == "born":
                self.born += 1


def churn(lst, rate, stop, made, clients):
    """Opens and resets rate connections per second until stop is set."""
    addr = lst.getsockname()
    linger = struct.pack("ii", 1, 0)
    t0 = time.monotonic()
    n = 0
    while not stop.is_set():
        due = t0 + n / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        try:
            c = socket.create_connection(addr)
            clients.add(c.getsockname()[1])
            a, _ = lst.accept()
        except OSError:
            continue
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        c.close()
        a.close()
        n += 1
        made[0] = n


def measure(pid, secs, sample, label, rows):
    t_end = time.monotonic() + secs
    last_t, last_c = time.monotonic(), cpu_ticks(pid)
    while time.monotonic() < t_end:
        time.sleep(min(sample, max(0.1, t_end - time.monotonic())))
        now, c = time.monotonic(), cpu_ticks(pid)
        cpu = (c - last_c) / CLK / (now - last_t) * 100.0
        rows.append((label, round(now - rows_t0[0], 1), cpu, rss_kb(pid)))
        print("bench: %-6s t=%6.1fs cpu=%5.1f%% rss=%d KiB" % rows[-1], file=sys.stderr)
        last_t, last_c = now, c


rows_t0 = [0.0]


def private_netns():
    """Re-runs this script in a private network namespace (unshare -rn),
    so that only its own sockets come and go there: on a shared machine
    other programs' deaths would be counted too."""
    if os.environ.get("SV_BENCH_NETNS") == "1" or "--host-netns" in sys.argv:
        return
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        print("bench: no private network namespace here; counting on the host's",
              file=sys.stderr)
        return
    os.environ["SV_BENCH_NETNS"] = "1"
    os.execvp("unshare", ["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"',
                          "sh", sys.executable] + sys.argv)


def main():
    private_netns()
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sockets", type=int, default=100000)
    ap.add_argument("--procs", type=int, default=200)
    ap.add_argument("--secs", type=float, default=600)
    ap.add_argument("--idle-secs", type=float, default=30)
    ap.add_argument("--rate", type=float, default=1000)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--sample", type=float, default=10)
    ap.add_argument("--host-netns", action="store_true",
                    help="count in the host's network namespace")
    ap.add_argument("--builddir", default=os.environ.get("SV_BUILDDIR", "."))
    o = ap.parse_args()
    sv = os.path.join(o.builddir, "src", "sockview")
    load_bin = os.path.join(o.builddir, "bench", "load")

    load = None
    if o.sockets > 0:
        load = subprocess.Popen([load_bin, "-n", str(o.sockets), "-p", str(o.procs), "-t",
                                 str(int(o.secs + o.idle_secs + 300))],
                                stdout=subprocess.PIPE, text=True)
        line = load.stdout.readline()
        if not line.startswith("ready"):
            sys.exit("bench: load did not start: %r" % line)
        print("bench: load %s" % line.strip(), file=sys.stderr)

    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(4096)
    port = lst.getsockname()[1]
    out_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "sv-bench-watch.%d" % os.getpid())
    out = open(out_path, "wb")
    w = subprocess.Popen([sv, "--watch", "-t", "--interval", str(o.interval)], stdout=out)
    clients = set()
    rows = []
    rows_t0[0] = time.monotonic()
    try:
        measure(w.pid, o.idle_secs, o.sample, "idle", rows)
        stop, made = threading.Event(), [0]
        th = threading.Thread(target=churn, args=(lst, o.rate, stop, made, clients), daemon=True)
        t_churn = time.monotonic()
        th.start()
        measure(w.pid, o.secs, o.sample, "churn", rows)
        stop.set()
        th.join()
        churn_secs = time.monotonic() - t_churn
        # the last deaths: destroy messages at once, dump deaths after two dumps
        time.sleep(3 * o.interval + 1)
    finally:
        w.send_signal(signal.SIGINT)
        try:
            rc = w.wait(timeout=30)
        except subprocess.TimeoutExpired:
            w.kill()
            rc = w.wait()
        out.close()
        if load:
            load.send_signal(signal.SIGTERM)
            load.wait(timeout=30)
    counter = Counter(open(out_path, "rb"), port, clients)
    counter.run()
    counter.stream.close()
    os.unlink(out_path)
    gen = 2 * made[0]
    rep = counter.gone["destroy"] + counter.gone["dump"]
    idle = [r[2] for r in rows if r[0] == "idle"]
    busy = [r[2] for r in rows if r[0] == "churn"]
    rss = [r[3] for r in rows if r[0] == "churn"]
    avg = lambda v: sum(v) / len(v) if v else 0.0
    print("| sockets held | churn (conn/s, achieved) | deaths generated | reported "
          "(destroy / dump) | gaps | CPU idle | CPU churn | RSS first / last / max |")
    print("|---|---|---|---|---|---|---|---|")
    print("| %d | %.0f | %d | %d (%d / %d) | %d | %.1f%% | %.1f%% | %d / %d / %d KiB |" % (
        o.sockets, made[0] / churn_secs if churn_secs else 0, gen, rep,
        counter.gone["destroy"], counter.gone["dump"], counter.gaps, avg(idle), avg(busy),
        rss[0] if rss else 0, rss[-1] if rss else 0, max(rss) if rss else 0))
    print("bench: --watch exit status %s, %d lines, %d unparsable" %
          (rc, counter.lines, counter.bad), file=sys.stderr)


main()
