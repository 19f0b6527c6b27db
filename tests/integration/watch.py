#!/usr/bin/env python3
"""Integration test of `sockview --watch`: while it runs, this script opens
and closes TCP connections, UDP and Unix sockets on loopback and checks every
event: kind, order (born, change, gone; seq and time increasing), lifetimes
within tolerance, a TCP and a UDP socket that live shorter than the dump
interval still reported born and gone (the destroy messages), Unix deaths
said to come from the dumps; every line parses as JSON whatever the names
(a hostile abstract Unix name); --format=table prints one line per event;
SIGINT exits 0; a closed pipe exits 1 with a message. Every wait has a
deadline; every process started is stopped by its pid."""
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time

SOCKVIEW = os.environ["SOCKVIEW"]
INTERVAL = 0.5
DEADLINE = 15.0
failures = []


def check(cond, what):
    if cond:
        print("ok:", what)
    else:
        print("FAIL:", what)
        failures.append(what)


class Watch:
    """sockview --watch with a reader thread; lines land in a queue."""

    def __init__(self, *args, env=None):
        self.p = subprocess.Popen([SOCKVIEW, "--watch", "--interval", str(INTERVAL)] +
                                  list(args), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=env)
        self.q = queue.Queue()
        self.events = []
        self.bad = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.q.put(line)
        self.q.put(None)

    def pump(self, until, what):
        """Reads events until until(events) holds or the deadline."""
        end = time.monotonic() + DEADLINE
        while not until(self.events):
            left = end - time.monotonic()
            if left <= 0:
                check(False, "in time: " + what)
                return False
            try:
                line = self.q.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                check(False, "sockview ended while waiting for " + what)
                return False
            try:
                self.events.append(json.loads(line))
            except ValueError:
                self.bad.append(line)
        return True

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)
        try:
            rc = self.p.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        return rc


def port_of(ev, peer=False):
    s = ev.get("socket") or {}
    ep = s.get("peer" if peer else "local") or {}
    return ep.get("port")


def of_tcp(port):
    """Events of the TCP/UDP socket whose local port is port."""
    return lambda e: e.get("socket") and port_of(e) == port


def find(evs, pred, kind=None):
    return [e for e in evs if pred(e) and (kind is None or e["event"] == kind)]


def wait_kind(w, pred, kind, what):
    return w.pump(lambda evs: find(evs, pred, kind), what)


def ready(w):
    """Opens listeners until one is reported born (the first dump, whose
    sockets were there from the start, makes no events); returns it."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        lst = socket.socket()
        lst.bind(("127.0.0.1", 0))
        lst.listen(16)
        port = lst.getsockname()[1]
        is_lst = lambda e, port=port: of_tcp(port)(e) and e["socket"]["state"] == "LISTEN"
        w_end = time.monotonic() + 3 * INTERVAL
        while time.monotonic() < w_end and not find(w.events, is_lst, "born"):
            try:
                line = w.q.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                return None
            try:
                w.events.append(json.loads(line))
            except ValueError:
                w.bad.append(line)
        if find(w.events, is_lst, "born"):
            return lst
        lst.close()
    return None


def main():
    w = Watch("-t", "-u", "-x")
    lst = ready(w)
    check(lst is not None, "a listener is born")
    if lst is None:
        w.stop()
        sys.exit(1)
    lport = lst.getsockname()[1]

    # a connection that lives across dumps, changes state, then dies
    c = socket.create_connection(("127.0.0.1", lport))
    a, _ = lst.accept()
    cport = c.getsockname()[1]
    check(wait_kind(w, of_tcp(cport), "born", "client born"), "the client is born")
    srv = lambda e: of_tcp(lport)(e) and port_of(e, True) == cport
    check(wait_kind(w, srv, "born", "accepted socket born"), "the accepted socket is born")
    c.close()  # the server side goes to CLOSE-WAIT: a change
    check(wait_kind(w, srv, "change", "CLOSE-WAIT change"), "the accepted socket changes")
    ch = find(w.events, srv, "change")
    if ch:
        check(ch[0]["socket"]["state"] == "CLOSE-WAIT" and "state" in ch[0]["changes"]
              and ch[0]["old_state"] == "ESTAB", "the change says ESTAB -> CLOSE-WAIT")
    held_from = time.monotonic()
    time.sleep(INTERVAL * 2)
    a.close()
    held = time.monotonic() - held_from
    check(wait_kind(w, srv, "gone", "accepted socket gone"), "the accepted socket dies")
    g = find(w.events, srv, "gone")
    destroy = None
    if g:
        destroy = g[0]["source"] == "destroy"
        check(g[0]["lifetime"] == "exact", "its lifetime is exact (its birth was seen)")
        # born at most one interval after it was made, died within one
        check(held <= g[0]["lifetime_ms"] / 1000.0 <= held + 10 * INTERVAL + 2,
              "its lifetime %.2fs is within tolerance of %.2fs" %
              (g[0]["lifetime_ms"] / 1000.0, held))
    b = find(w.events, srv, "born")
    ch = find(w.events, srv, "change")
    if b and ch and g:
        check(b[0]["seq"] < ch[0]["seq"] < g[0]["seq"], "born, change, gone in that order")

    if not destroy:
        print("note: no destroy messages here; short-lived sockets cannot be seen")
    else:
        # a TCP connection shorter than the dump interval
        c = socket.create_connection(("127.0.0.1", lport))
        a, _ = lst.accept()
        sport = c.getsockname()[1]
        c.close()
        a.close()
        check(wait_kind(w, of_tcp(sport), "gone", "short TCP gone"),
              "a short TCP connection dies")
        evs = find(w.events, of_tcp(sport))
        kinds = [e["event"] for e in evs]
        check(kinds[:1] == ["born"] and "gone" in kinds,
              "a short TCP connection is born then gone: %s" % kinds)
        gg = find(w.events, of_tcp(sport), "gone")
        if gg:
            check(gg[0]["source"] == "destroy", "its death comes from the destroy message")
            check(gg[0]["lifetime_ms"] <= (2 * INTERVAL + 2) * 1000,
                  "its lifetime is short (%d ms)" % gg[0]["lifetime_ms"])
        # a short UDP socket
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        uport = u.getsockname()[1]
        u.close()
        check(wait_kind(w, of_tcp(uport), "gone", "short UDP gone"), "a short UDP socket dies")
        kinds = [e["event"] for e in find(w.events, of_tcp(uport))]
        check(kinds == ["born", "gone"], "a short UDP socket is born then gone: %s" % kinds)

    # a UDP socket held across dumps
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    uport = u.getsockname()[1]
    check(wait_kind(w, of_tcp(uport), "born", "UDP born"), "a UDP socket is born")
    u.close()
    check(wait_kind(w, of_tcp(uport), "gone", "UDP gone"), "the UDP socket dies")
    gg = find(w.events, of_tcp(uport), "gone")
    if gg:
        check(gg[0]["lifetime"] == "exact", "the UDP socket's lifetime is exact")

    # a Unix socket with a hostile abstract name
    name = b"\0sv-watch-\x1b[31m\"\\\n\x7f\xff" + str(os.getpid()).encode()
    x = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    x.bind(name)
    x.listen(1)
    xino = os.fstat(x.fileno()).st_ino
    is_x = lambda e: e.get("socket") and e["socket"].get("inode") == xino \
        and e["socket"]["proto"] == "unix"
    check(wait_kind(w, is_x, "born", "Unix born"), "a Unix socket is born")
    x.close()
    check(wait_kind(w, is_x, "gone", "Unix gone"), "the Unix socket dies")
    gg = find(w.events, is_x, "gone")
    if gg:
        check(gg[0]["source"] == "dump" and gg[0].get("destroy_messages") is False,
              "a Unix death comes from the dumps and says so")
        path = (gg[0]["socket"].get("local") or {}).get("path", "")
        check(path.startswith("@sv-watch-") and "\x1b" in path,
              "the hostile name survives as escaped JSON: %r" % path)

    lst.close()
    rc = w.stop()
    check(rc == 0, "SIGINT ends --watch with status 0 (got %s)" % rc)
    # drain what was printed before the end
    while True:
        try:
            line = w.q.get(timeout=DEADLINE)
        except queue.Empty:
            break
        if line is None:
            break
        try:
            w.events.append(json.loads(line))
        except ValueError:
            w.bad.append(line)
    check(not w.bad, "every line is valid JSON (%d bad)" % len(w.bad))
    seqs = [e["seq"] for e in w.events]
    check(seqs == sorted(seqs) and len(set(seqs)) == len(seqs), "seq increases")
    times = [e["time"] for e in w.events]
    check(times == sorted(times), "times never go back")
    deaths = {}
    for e in w.events:
        if e["event"] == "gone":
            k = (e["socket"]["proto"], e["socket"]["cookie"])
            deaths[k] = deaths.get(k, 0) + 1
    check(all(n == 1 for n in deaths.values()), "no socket dies twice")

    # --format=table: one human line per event
    w = Watch("-t", "--format=table")
    found = b""
    end = time.monotonic() + DEADLINE
    while not found and time.monotonic() < end:
        l2 = socket.socket()
        l2.bind(("127.0.0.1", 0))
        l2.listen(1)
        p2 = l2.getsockname()[1]
        w_end = time.monotonic() + 3 * INTERVAL
        while time.monotonic() < w_end:
            try:
                line = w.q.get(timeout=0.1) or b""
            except queue.Empty:
                continue
            if (":%d " % p2).encode() in line:
                found = line
                break
        l2.close()
    check(b"born" in found and b"LISTEN" in found, "a table line: %r" % found)
    check(w.stop() == 0, "SIGINT ends the table output with status 0")

    # a flood of destroy messages while sockview is stopped overflows its
    # (tiny) receive buffer: a gap event, then life goes on, nothing twice
    env = dict(os.environ, SOCKVIEW_TEST_DESTROY_RCVBUF="1")
    w = Watch("-t", env=env)
    lst = ready(w)
    check(lst is not None, "flood: a listener is born")
    if lst is not None:
        w.p.send_signal(signal.SIGSTOP)
        try:
            for i in range(300):
                c = socket.create_connection(lst.getsockname())
                a, _ = lst.accept()
                c.close()
                a.close()
        finally:
            w.p.send_signal(signal.SIGCONT)
        check(w.pump(lambda evs: [e for e in evs if e["event"] == "gap"], "gap"),
              "flood: lost destroy messages make a gap event")
        gap = [e for e in w.events if e["event"] == "gap"]
        if gap:
            check(gap[0]["source"] == "destroy" and "socket" not in gap[0],
                  "flood: the gap names no socket")
        # after the gap, deaths are still reported
        c = socket.create_connection(lst.getsockname())
        a, _ = lst.accept()
        cport = c.getsockname()[1]
        time.sleep(INTERVAL * 3)
        c.close()
        a.close()
        check(wait_kind(w, of_tcp(cport), "gone", "death after the gap"),
              "flood: a death after the gap is reported")
        lst.close()
    check(w.stop() == 0, "flood: SIGINT ends it with status 0")
    deaths = {}
    for e in w.events:
        if e["event"] == "gone":
            k = (e["socket"]["proto"], e["socket"]["cookie"])
            deaths[k] = deaths.get(k, 0) + 1
    check(all(n == 1 for n in deaths.values()), "flood: no socket dies twice")

    # a reader that goes away: EPIPE is an error with a message
    r, wfd = os.pipe()
    p = subprocess.Popen([SOCKVIEW, "--watch", "-t", "--interval", str(INTERVAL)],
                         stdout=wfd, stderr=subprocess.PIPE)
    os.close(wfd)
    os.close(r)
    # births until it has something to write (the first dump makes none)
    end = time.monotonic() + DEADLINE
    rc = None
    while rc is None and time.monotonic() < end:
        l3 = socket.socket()
        l3.bind(("127.0.0.1", 0))
        l3.listen(1)
        try:
            rc = p.wait(timeout=3 * INTERVAL)
        except subprocess.TimeoutExpired:
            pass
        l3.close()
    if rc is None:
        p.kill()
        rc = p.wait()
    err = p.stderr.read().decode(errors="replace")
    check(rc == 1 and "write error" in err, "a closed pipe: status 1 and a message (%s, %r)" %
          (rc, err.strip()))

    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)


main()
