#!/usr/bin/env python3
"""epload.py - sockview's test endpoints under load, with the UI watched.

    make bench-load                      (from a build directory), or
    python3 bench/epload.py --sockview BUILD/src/sockview [--secs 30]
        [--warmup 10] [--keys 20] [--clients 500] [--stuck 10] [--nice 10]
        [--no-unshare]

Issue 6, "Load": 500 clients connected to a sockview chat server and a peer
flooding an echo server at full speed, while the UI stays responsive (a key
press is handled within 100 ms) and memory stays bounded.

What it does, every wait bounded by a deadline and every loop by a count or
a time:
  - re-runs itself under `unshare -n` (`-rn` when not root) with the
    loopback up, so sockview sees only the sockets of this run (without it,
    with --no-unshare or when unshare fails, it runs in the host's
    namespace and says so);
  - starts sockview in a private tmux server (120x40) and drives its menu
    (F2) to open a TCP chat server and a TCP echo server on the loopback,
    on the free ports the form suggests, waiting for each pane to show;
  - connects the clients to the chat server from one child process
    (selectors): each sends a short line now and then, one "talker" sends
    a longer line 20 times a second, all read what the server relays,
    except the --stuck ones, which never read (small receive buffer and
    MSS, so that the server's queue for them fills within the run);
  - starts a flood peer (another child): one connection to the echo
    server, writing 64 KiB chunks as fast as the socket takes them and
    reading the echo as fast as it comes. Both children run at nice 10
    (--nice): on a small machine they share sockview's CPUs, which peers
    on other machines would not (--nice 0 lets them compete);
  - after --warmup seconds (10) of load, for --secs seconds (30) samples
    sockview's VmRSS, VmHWM and CPU time every second (memory from the
    start of the load) and times --keys key presses ('?' opens the help,
    '?' again closes it) through one tmux control-mode client, polling the
    screen every millisecond until the change shows;
  - checks on sockview's screen that the chat server counts the clients
    and the table the connections, and that the flood moved data;
  - prints one table and PASS/FAIL for "key latency <= 100 ms" and
    "memory bounded" (the RSS slope over the second half of the measured
    period at most 64 KiB/s).
Exit status: 0 if every check passed, 1 if one failed, 2 if the run could
not be set up. Every process started here is stopped by its PID (and the
tmux server killed) on every exit path, Ctrl-C included; the children also
get SIGTERM if this script dies (PR_SET_PDEATHSIG) and stop by themselves
after a time limit.
"""
import argparse
import ctypes
import errno
import heapq
import json
import os
import random
import re
import resource
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from svbench import Control, ctl_wait_text, own_cpu, status_kb

HOST = "127.0.0.1"
CHUNK = 65536
# Figures the checks hold sockview to.
LATENCY_MAX_MS = 100.0
RSS_SLOPE_MAX_KB_S = 64.0  # over the second half; a per-message leak is far above


class SetupError(Exception):
    pass


# ---------------------------------------------------------------- children

def child_setup(limit_s, nice):
    """A child dies with its parent and after limit_s seconds whatever
    happens; it yields the CPU to sockview by `nice`."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:
        sys.exit(0)  # the parent is already gone
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    signal.alarm(int(limit_s) + 1)
    if nice:
        os.nice(nice)


def raise_nofile(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft == resource.RLIM_INFINITY or soft >= want:
        return soft
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return want


def write_stats(path, d):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(d, f)
    os.replace(tmp, path)


class ChatClient:
    __slots__ = ("idx", "sock", "stuck", "talker", "state", "out", "rx", "lines", "why")

    def __init__(self, idx, stuck, talker):
        self.idx = idx
        self.sock = None
        self.stuck = stuck
        self.talker = talker
        self.state = "new"  # connecting, up, closed, failed
        self.out = b""
        self.rx = 0
        self.lines = 0
        self.why = ""


def role_chat(a):
    """The chat clients: connect, chatter, read (not the stuck ones), and
    report to a stats file twice a second; at the end (SIGUSR1 or the time
    limit) the stuck ones read to find out whether the server dropped them."""
    child_setup(a.limit, a.nice)
    raise_nofile(a.clients + 256)
    sel = selectors.DefaultSelector()
    rng = random.Random(1)
    clients = []
    for i in range(a.clients):
        clients.append(ChatClient(i, i >= a.clients - a.stuck, i == 0 and a.talk_rate > 0))
    stop = {"now": False}
    signal.signal(signal.SIGUSR1, lambda *_: stop.update(now=True))
    t_start = time.monotonic()
    deadline = t_start + a.limit
    pending = list(reversed(clients))
    connecting = 0
    sends = []  # heap of (due, idx)
    talk_line = (b"T" * max(1, a.talk_size - 1)) + b"\n"
    msgs_tx = 0
    tx_bytes = 0
    send_blocked = 0
    next_stats = 0.0
    history = []  # (t, lines received by the reading clients)
    connected_at = None

    def close(c, state, why):
        if c.sock is not None:
            try:
                sel.unregister(c.sock)
            except (KeyError, ValueError):
                pass
            c.sock.close()
            c.sock = None
        c.state = state
        c.why = why

    def flush(c):
        nonlocal send_blocked, tx_bytes
        try:
            n = c.sock.send(c.out, socket.MSG_DONTWAIT | socket.MSG_NOSIGNAL)
        except BlockingIOError:
            send_blocked += 1
            return
        except OSError as e:
            close(c, "closed", errno.errorcode.get(e.errno, str(e.errno)))
            return
        tx_bytes += n
        c.out = c.out[n:]

    def want(c):
        ev = 0 if c.stuck else selectors.EVENT_READ
        if c.out:
            ev |= selectors.EVENT_WRITE
        return ev

    def update(c):
        ev = want(c)
        key = sel.get_map().get(c.sock.fileno())
        if key is None:
            if ev:
                sel.register(c.sock, ev, c)
        elif not ev:
            sel.unregister(c.sock)
        elif key.events != ev:
            sel.modify(c.sock, ev, c)

    def stats(now, final=False):
        up = sum(1 for c in clients if c.state == "up")
        reading = [c for c in clients if not c.stuck]
        d = {
            "t": now - t_start,
            "connected_at": connected_at,
            "up": up,
            "connecting": connecting,
            "pending": len(pending),
            "closed": sum(1 for c in clients if c.state == "closed"),
            "failed": sum(1 for c in clients if c.state == "failed"),
            "reading_closed": sum(1 for c in reading if c.state == "closed"),
            "reading_closed_why": sorted({c.why for c in reading if c.state == "closed"})[:5],
            "rx_bytes": sum(c.rx for c in clients),
            "rx_lines": sum(c.lines for c in clients),
            "msgs_tx": msgs_tx,
            "tx_bytes": tx_bytes,
            "send_blocked": send_blocked,
            "history": history[-200:],
            "final": final,
        }
        if final:
            # dropped: EOF or reset when reading at the end, or a reset
            # met by one of their own sends earlier
            d["stuck_dropped"] = sum(1 for c in clients if c.stuck and c.state == "closed")
            d["stuck_alive"] = sum(1 for c in clients if c.stuck and c.state == "up")
            d["stuck"] = a.stuck
        write_stats(a.out, d)

    while not stop["now"] and time.monotonic() < deadline:
        now = time.monotonic()
        # start connections, a bounded number in flight (the listener
        # accepts a batch per wake-up; SYNs beyond its backlog would wait
        # a second to be sent again)
        while pending and connecting < 64:
            c = pending.pop()
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            if c.stuck:
                # a small window and MSS keep the server's kernel from
                # absorbing megabytes: its own queue for us fills soon
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 536)
            s.setblocking(False)
            c.sock = s
            r = s.connect_ex((HOST, a.port))
            if r not in (0, errno.EINPROGRESS):
                close(c, "failed", errno.errorcode.get(r, str(r)))
                continue
            c.state = "connecting"
            connecting += 1
            sel.register(s, selectors.EVENT_WRITE, c)
        if connected_at is None and not pending and connecting == 0:
            connected_at = now - t_start
        # chatter that is due
        n_due = 0
        while sends and sends[0][0] <= now and n_due < 1000:
            _, i = heapq.heappop(sends)
            n_due += 1
            c = clients[i]
            if c.state != "up":
                continue
            if c.talker:
                line = talk_line
                heapq.heappush(sends, (now + 1.0 / a.talk_rate, i))
            else:
                line = f"client {i} says hello at {now - t_start:.3f} ".ljust(63, ".")
                line = (line + "\n").encode()
                heapq.heappush(sends, (now + rng.uniform(0.5, 1.5) * a.interval, i))
            if len(c.out) < 1 << 20:
                c.out += line
                msgs_tx += 1
                flush(c)
                if c.sock is not None:
                    update(c)
        timeout = 0.05
        if sends:
            timeout = max(0.0, min(timeout, sends[0][0] - time.monotonic()))
        for key, ev in sel.select(timeout):
            c = key.data
            if c.sock is None:
                continue
            if c.state == "connecting":
                err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                connecting -= 1
                if err:
                    close(c, "failed", errno.errorcode.get(err, str(err)))
                    continue
                c.state = "up"
                first = rng.uniform(0.0, a.interval) if not c.talker else 0.5
                heapq.heappush(sends, (time.monotonic() + first, c.idx))
                update(c)
                continue
            if ev & selectors.EVENT_READ:
                # a bounded number of reads per wake-up per client
                for _ in range(4):
                    try:
                        data = c.sock.recv(CHUNK)
                    except BlockingIOError:
                        break
                    except OSError as e:
                        close(c, "closed", errno.errorcode.get(e.errno, str(e.errno)))
                        break
                    if not data:
                        close(c, "closed", "eof")
                        break
                    c.rx += len(data)
                    c.lines += data.count(b"\n")
                    if len(data) < CHUNK:
                        break
                if c.sock is None:
                    continue
            if ev & selectors.EVENT_WRITE and c.out:
                flush(c)
                if c.sock is not None:
                    update(c)
        if now >= next_stats:
            next_stats = now + 0.5
            history.append((round(now - t_start, 3), sum(c.lines for c in clients if not c.stuck)))
            stats(now)
    # the end: did the server drop the stuck clients? Read what they hold
    # (a bounded amount) until EOF (dropped) or nothing more comes.
    for c in clients:
        if not c.stuck or c.state != "up":
            continue
        c.sock.setblocking(True)
        c.sock.settimeout(0.2)
        for _ in range(2000):  # 2000 x 64 KiB is far above any queue
            try:
                data = c.sock.recv(CHUNK)
            except socket.timeout:
                break
            except OSError:
                close(c, "closed", "dropped")
                break
            if not data:
                close(c, "closed", "dropped")
                break
    stats(time.monotonic(), final=True)
    for c in clients:
        if c.sock is not None:
            c.sock.close()


def role_flood(a):
    """The flood peer: one connection to the echo server, written to as fast
    as it takes data and read as fast as the echo comes back."""
    child_setup(a.limit, a.nice)
    stop = {"now": False}
    signal.signal(signal.SIGUSR1, lambda *_: stop.update(now=True))
    s = socket.create_connection((HOST, a.port), timeout=10)
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    chunk = bytes(range(256)) * (CHUNK // 256)
    t0 = time.monotonic()
    deadline = t0 + a.limit
    tx = rx = 0
    next_stats = 0.0
    err = ""
    while not stop["now"] and time.monotonic() < deadline and not err:
        for _key, ev in sel.select(0.5):
            if ev & selectors.EVENT_WRITE:
                try:
                    tx += s.send(chunk, socket.MSG_NOSIGNAL)
                except BlockingIOError:
                    pass
                except OSError as e:
                    err = errno.errorcode.get(e.errno, str(e.errno))
            if ev & selectors.EVENT_READ:
                try:
                    data = s.recv(4 * CHUNK)
                except BlockingIOError:
                    data = None
                except OSError as e:
                    err = errno.errorcode.get(e.errno, str(e.errno))
                    data = None
                if data is not None:
                    if not data:
                        err = "eof"
                    rx += len(data)
        now = time.monotonic()
        if now >= next_stats:
            next_stats = now + 0.5
            write_stats(a.out, {"t": now - t0, "tx": tx, "rx": rx, "err": err})
    write_stats(a.out, {"t": time.monotonic() - t0, "tx": tx, "rx": rx, "err": err,
                        "final": True})
    s.close()


# ---------------------------------------------------------------- the run

def alive(pid):
    """True while pid runs (a zombie has finished)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return False
    return s[s.rindex(")") + 2:].split()[0] != "Z"


class Run:
    def __init__(self, a):
        self.a = a
        self.tmp = tempfile.mkdtemp(prefix="sv-epload.")
        self.sock = f"sv-epload-{os.getpid()}"
        # every tmux command, the control client's too, finds the private
        # server's socket in self.tmp (and goes with it)
        os.environ["TMUX_TMPDIR"] = self.tmp
        os.environ.pop("TMUX", None)
        self.env = dict(os.environ)
        self.children = {}  # name -> Popen
        self.ctl = None
        self.sv_pid = None
        self.tmux_pid = None
        self.tmux_up = False

    # -- processes

    def tmux(self, *args, check=True):
        return subprocess.run([self.a.tmux, "-L", self.sock, *args], env=self.env,
                              capture_output=True, text=True, check=check, timeout=30)

    def spawn(self, name, *args):
        out = os.path.join(self.tmp, name + ".json")
        p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--role", name,
                              "--out", out, "--nice", str(self.a.nice), *args],
                             stdin=subprocess.DEVNULL)
        self.children[name] = (p, out)
        return out

    def child_stats(self, name):
        try:
            with open(self.children[name][1]) as f:
                return json.load(f)
        except (OSError, ValueError, KeyError):
            return None

    def child_alive(self, name):
        return name in self.children and self.children[name][0].poll() is None

    def stop_child(self, name, sig=signal.SIGUSR1, grace=10.0):
        """Asks a child to finish (SIGUSR1: it writes its final stats),
        then SIGTERM, then SIGKILL, each with a deadline; by PID."""
        if name not in self.children:
            return
        p = self.children[name][0]
        for s, wait in ((sig, grace), (signal.SIGTERM, 3.0), (signal.SIGKILL, 3.0)):
            if p.poll() is not None:
                break
            try:
                p.send_signal(s)
            except ProcessLookupError:
                break
            try:
                p.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue

    def cleanup(self):
        if self.ctl:
            self.ctl.close()
            self.ctl = None
        for name in list(self.children):
            self.stop_child(name, sig=signal.SIGTERM, grace=3.0)
        if self.tmux_up:
            try:
                subprocess.run([self.a.tmux, "-L", self.sock, "kill-server"], env=self.env,
                               capture_output=True, timeout=30)
            except subprocess.TimeoutExpired:
                pass
            self.tmux_up = False
        # the end of the tmux server hangs sockview up; make sure of both,
        # by their PIDs
        for pid in (self.tmux_pid, self.sv_pid):
            if not pid:
                continue
            for _ in range(50):
                if not alive(pid):
                    break
                time.sleep(0.1)
            else:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the screen

    def sv_alive(self):
        return alive(self.sv_pid)

    def screen(self):
        return self.ctl.screen()

    def wait_screen(self, regex, what, timeout=30.0):
        """The first match of regex on the screen; SetupError at the deadline."""
        rx = re.compile(regex, re.M)
        t0 = time.monotonic()
        scr = ""
        while time.monotonic() - t0 < timeout:
            if not self.sv_alive():
                raise SetupError(f"sockview exited while waiting for {what}")
            scr = self.screen()
            m = rx.search(scr)
            if m:
                return m
            time.sleep(0.05)
        raise SetupError(f"no {what} on the screen within {timeout:.0f} s:\n{scr}")

    def key(self, k):
        self.ctl.cmd(f"send-keys {k}")

    # -- steps

    def start_sockview(self):
        xdg = os.path.join(self.tmp, "xdg")
        os.mkdir(xdg, 0o700)
        cmd = (f"exec env XDG_RUNTIME_DIR={xdg} TERM=screen LANG=C.UTF-8 "
               f"{self.a.sockview} -d {self.a.refresh}")
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", cmd)
        self.tmux_up = True
        self.tmux_pid = int(self.tmux("display-message", "-p", "#{pid}").stdout.split()[0])
        # the control client must not resize the window
        self.tmux("set-option", "-g", "window-size", "manual")
        self.tmux("set-option", "-g", "status", "off")
        self.sv_pid = int(self.tmux("list-panes", "-F", "#{pane_pid}").stdout.split()[0])
        self.ctl = Control(self.a.tmux, self.sock)
        self.wait_screen(r"F1Help", "table")

    def open_server(self, digit, kind, pane):
        self.key("F2")  # F2 works whatever has the focus (n would be text)
        self.wait_screen(r"New endpoint: choose", "new endpoint menu")
        self.key(digit)
        self.wait_screen(rf"^ New {kind}", f"{kind} form")
        self.wait_screen(r"^  Port +[0-9]+ +\(free right now\)", "suggested free port")
        self.key("Enter")
        m = self.wait_screen(rf"\[{pane}\] {kind}, TCP 127\.0\.0\.1:([0-9]+)", f"{kind} pane")
        return int(m.group(1))

    def pane_clients(self, scr):
        """Clients of the chat pane [1] and the echo pane [2] from their
        status lines (side by side: [1] on the left)."""
        found = re.findall(r"(?:listening|closed)[^,│]*, ([0-9]+) clients?", scr)
        return [int(x) for x in found]

    def table_estab(self, scr):
        m = re.search(r"^([0-9]+) sockets: TCP [0-9]+ \(estab ([0-9]+)", scr, re.M)
        return (int(m.group(1)), int(m.group(2))) if m else (None, None)

    def sched(self):
        """sockview's time on a CPU and waiting for one, in ms."""
        try:
            with open(f"/proc/{self.sv_pid}/schedstat") as f:
                run, wait = f.read().split()[:2]
            return int(run) / 1e6, int(wait) / 1e6
        except (OSError, ValueError):
            return 0.0, 0.0

    def press(self, n):
        """The nth key press ('?' toggles the help): its latency in ms,
        and how long sockview ran and waited for a CPU meanwhile."""
        present = n % 2 == 0
        r0, w0 = self.sched()
        t0 = time.monotonic()
        self.key("?")
        dt = ctl_wait_text(self.ctl, "sockview keys", present, timeout=10.0)
        lat = 10000.0 if dt is None else (time.monotonic() - t0) * 1000
        r1, w1 = self.sched()
        return lat, r1 - r0, w1 - w0

    def run(self):
        a = self.a
        raise_nofile(a.clients + 1024)  # for sockview: tmux passes it on
        self.start_sockview()
        chat_port = self.open_server("2", "chat server", 1)
        echo_port = self.open_server("1", "echo server", 2)
        # the help key must reach the UI, not a pane's input line: the echo
        # pane has the focus now, and has no input line
        if self.press(0)[0] >= 10000 or self.press(1)[0] >= 10000:
            raise SetupError("'?' does not open and close the help")
        say(f"sockview pid {self.sv_pid}: chat server on port {chat_port}, "
            f"echo server on port {echo_port}; connecting {a.clients} clients")

        # the chat clients, all connected (or refused) before the load
        limit = a.warmup + a.secs + 120
        self.spawn("chat", "--port", str(chat_port), "--clients", str(a.clients),
                   "--stuck", str(a.stuck), "--interval", str(a.interval),
                   "--talk-rate", str(a.talk_rate), "--talk-size", str(a.talk_size),
                   "--limit", str(limit))
        t0 = time.monotonic()
        st = None
        while time.monotonic() - t0 < 60:
            st = self.child_stats("chat")
            if st and st["connected_at"] is not None:
                break
            if not self.child_alive("chat"):
                raise SetupError("the chat clients' process died")
            time.sleep(0.1)
        else:
            raise SetupError(f"the clients did not all connect within 60 s: {st}")
        # sockview counts them (or the count stops moving: some were refused)
        want = a.clients
        t0 = time.monotonic()
        shown = None
        last, since = None, time.monotonic()
        while time.monotonic() - t0 < 30:
            counts = self.pane_clients(self.screen())
            shown = counts[0] if counts else None
            if shown == want:
                break
            if shown != last:
                last, since = shown, time.monotonic()
            elif time.monotonic() - since > 5:
                break
            time.sleep(0.1)
        st = self.child_stats("chat")
        say(f"clients up {st['up']} of {a.clients} (the chat pane shows {shown}); "
            f"starting the flood")

        self.spawn("flood", "--port", str(echo_port), "--limit", str(limit))
        t0 = time.monotonic()
        while time.monotonic() - t0 < 30:
            fs = self.child_stats("flood")
            if fs and fs["rx"] > 0:
                break
            if not self.child_alive("flood"):
                raise SetupError("the flood peer died")
            time.sleep(0.05)
        else:
            raise SetupError("the flood moved no data within 30 s")

        # ---- the warm-up (the bounded buffers and transcripts fill),
        # then the measured period; memory is sampled from the start
        say(f"warming up for {a.warmup:.0f} s, then measuring for {a.secs:.0f} s "
            f"({a.keys} key presses)")
        samples = []  # (t, rss_kb, hwm_kb, cpu_s)
        lat = []
        fl0 = ch0 = None
        load_start = time.monotonic()
        start = load_start + a.warmup
        end = start + a.secs
        # the presses spread over the period, each at a random point of
        # its own slot (not in step with sockview's refresh)
        gap = a.secs / max(1, a.keys)
        plan = [(k + random.uniform(0.1, 0.9)) * gap for k in range(a.keys)]
        next_sample = load_start
        i_start = None  # the first sample of the measured period
        peak_estab = 0
        max_shown = 0
        sv_died = False
        iters = 0
        while iters < 100000:
            iters += 1
            now = time.monotonic()
            if not self.sv_alive():
                sv_died = True
                break
            if now >= next_sample:
                if i_start is None and now >= start:
                    i_start = len(samples)
                    fl0 = self.child_stats("flood")
                    ch0 = self.child_stats("chat")
                    start = now
                    end = start + a.secs
                    plan = [start + t for t in plan]
                samples.append((now - load_start, status_kb(self.sv_pid, "VmRSS"),
                                status_kb(self.sv_pid, "VmHWM"), own_cpu(self.sv_pid)))
                next_sample += 1.0
                if len(lat) % 2 == 0:  # the help is closed: read the counts
                    scr = self.screen()
                    _, est = self.table_estab(scr)
                    peak_estab = max(peak_estab, est or 0)
                    counts = self.pane_clients(scr)
                    if counts:
                        max_shown = max(max_shown, counts[0])
                if now > end and (len(lat) >= a.keys or now > end + 10):
                    break
                continue
            if i_start is not None and len(lat) < a.keys and now >= plan[len(lat)]:
                lat.append(self.press(len(lat)))
                continue
            wake = next_sample
            if i_start is not None and len(lat) < a.keys:
                wake = min(wake, plan[len(lat)])
            time.sleep(max(0.0, min(0.2, wake - time.monotonic())))
        dt = time.monotonic() - start
        if i_start is None:
            raise SetupError("sockview exited during the warm-up")
        fl1 = self.child_stats("flood")
        ch1 = self.child_stats("chat")
        # leave the help closed, then read the final counts
        if len(lat) % 2 == 1 and not sv_died:
            self.press(len(lat))  # not timed: the period is over
        scr = self.screen() if not sv_died else ""
        total, est = self.table_estab(scr)
        counts = self.pane_clients(scr)
        self.stop_child("flood")
        self.stop_child("chat")
        chf = self.child_stats("chat") or ch1
        flf = self.child_stats("flood") or fl1
        return dict(samples=samples, i_start=i_start, lat=lat, dt=dt, fl0=fl0, fl1=fl1, flf=flf, ch0=ch0,
                    ch1=ch1, chf=chf, total=total, estab=est, peak_estab=peak_estab,
                    counts=counts, max_shown=max_shown, sv_died=sv_died, screen=scr)


def slope(points):
    """Least-squares slope of (x, y) points; 0 with fewer than two."""
    if len(points) < 2:
        return 0.0
    mx = statistics.fmean(p[0] for p in points)
    my = statistics.fmean(p[1] for p in points)
    den = sum((p[0] - mx) ** 2 for p in points)
    if den == 0:
        return 0.0
    return sum((p[0] - mx) * (p[1] - my) for p in points) / den


def report(a, r, ns_note):
    s = r["samples"]
    presses = r["lat"]
    lat = [p[0] for p in presses] or [0.0]
    ok = True
    rows = []

    def row(what, value, verdict=""):
        rows.append((what, value, verdict))

    ch0, ch1, chf = r["ch0"], r["ch1"], r["chf"]
    fl0, fl1 = r["fl0"], r["fl1"]
    up = chf["up"] if chf else 0
    counts = r["counts"]
    shown = counts[0] if counts else None
    row("clients connected (client side, at the end)", f"{up} of {a.clients}")
    row("clients the chat pane shows: peak / at the end",
        f"{r['max_shown']} / {shown if shown is not None else '?'}")
    # every reading client stayed; the stuck ones may be dropped by design
    conn_ok = (r["max_shown"] >= a.clients and r["peak_estab"] >= 2 * a.clients and chf
               and chf["reading_closed"] == 0)
    row("TCP ESTAB in the table: peak / end (2 per client + flood)",
        f"{r['peak_estab']} / {r['estab'] if r['estab'] is not None else '?'}")
    row(f"{a.clients} clients held (reading ones never dropped)", "",
        "PASS" if conn_ok else "FAIL")
    ok &= bool(conn_ok)
    if chf:
        row("reading clients disconnected", f"{chf['reading_closed']} {chf['reading_closed_why']}")
        row("stuck (never-reading) clients dropped by the server",
            f"{chf.get('stuck_dropped', '?')} of {a.stuck}")
    if ch0 and ch1:
        lines = ch1["rx_lines"] - ch0["rx_lines"]
        msgs = ch1["msgs_tx"] - ch0["msgs_tx"]
        row("chat: lines sent / lines relayed to readers per s",
            f"{msgs / r['dt']:.0f} / {lines / r['dt']:.0f}")
        # did the readers starve at any point? (seconds with nothing relayed)
        hist = [h for h in ch1["history"] if h[0] >= ch0["t"]]
        gaps = 0
        for (_, l_a), (_, l_b) in zip(hist, hist[1:]):
            if l_b == l_a:
                gaps += 1
        row("chat: half-second samples with nothing relayed", f"{gaps} of {max(0, len(hist) - 1)}")
    if fl0 and fl1:
        mb = (fl1["rx"] - fl0["rx"]) / r["dt"] / 1e6
        row("flood: echoed back (MB/s)", f"{mb:.1f}", "PASS" if mb > 0 else "FAIL")
        ok &= mb > 0
        if r["flf"] and r["flf"].get("err"):
            row("flood: the connection ended", r["flf"]["err"], "FAIL")
            ok = False
    med, mx = statistics.median(lat), max(lat)
    lat_ok = bool(presses) and mx <= LATENCY_MAX_MS
    row(f"key latency median / max of {len(presses)} (ms)", f"{med:.1f} / {mx:.1f}",
        f"{'PASS' if lat_ok else 'FAIL'} (<= {LATENCY_MAX_MS:.0f} ms)")
    ok &= lat_ok
    if presses:
        worst = max(presses)
        row("slowest press: sockview on a CPU / waiting for one (ms)",
            f"{worst[1]:.1f} / {worst[2]:.1f}")
    m = s[r["i_start"]:]  # the measured period
    if len(m) >= 2:
        cpu = 100.0 * (m[-1][3] - m[0][3]) / (m[-1][0] - m[0][0])
        row("sockview CPU (% of one core)", f"{cpu:.0f}%")
        half = [(t, rss) for t, rss, _, _ in m if t >= (m[0][0] + m[-1][0]) / 2]
        sl = slope(half)
        row("sockview RSS at load start / after warm-up / end (MiB)",
            f"{s[0][1] / 1024:.1f} / {m[0][1] / 1024:.1f} / {m[-1][1] / 1024:.1f}")
        row("sockview VmHWM at the end (MiB)", f"{m[-1][2] / 1024:.1f}")
        mem_ok = sl <= RSS_SLOPE_MAX_KB_S and not r["sv_died"]
        row("RSS slope over the second half (KiB/s)", f"{sl:+.1f}",
            f"{'PASS' if mem_ok else 'FAIL'} (memory bounded: <= {RSS_SLOPE_MAX_KB_S:.0f})")
        ok &= mem_ok
    if r["sv_died"]:
        row("sockview", "EXITED during the run", "FAIL")
        ok = False
    w = max(len(x[0]) for x in rows)
    v = max(len(x[1]) for x in rows)
    print()
    print(f"sockview endpoints under load: {a.clients} chat clients ({a.stuck} never read), "
          f"a flood on the echo server, {a.warmup:.0f} s warm-up + {r['dt']:.0f} s; "
          f"{os.cpu_count()} CPUs, "
          f"load average {open('/proc/loadavg').read().split()[0]}; load generators "
          f"at nice {a.nice}; {ns_note}")
    print()
    for what, value, verdict in rows:
        print(f"  {what:<{w}}  {value:>{v}}  {verdict}")
    print()
    print("  key latencies, sorted (ms):", " ".join(f"{x:.0f}" for x in sorted(lat)))
    print()
    print("RESULT:", "PASS" if ok else "FAIL")
    return ok


def say(msg):
    print(f"epload: {msg}", file=sys.stderr, flush=True)


def enter_netns(a):
    """Re-executes this script in its own network namespace (never returns
    on success); returns a note on where the run happens."""
    if a.in_ns:
        r = subprocess.run(["ip", "link", "set", "lo", "up"], capture_output=True, text=True)
        if r.returncode != 0:
            raise SetupError(f"ip link set lo up: {r.stderr.strip()}")
        return "own network namespace"
    if a.no_unshare:
        return "host network namespace (--no-unshare): the table holds the host's sockets too"
    flags = "-n" if os.geteuid() == 0 else "-rn"
    unshare = shutil.which("unshare")
    if unshare:
        r = subprocess.run([unshare, flags, "true"], capture_output=True, text=True)
        if r.returncode == 0:
            sys.stdout.flush()
            os.execv(unshare, [unshare, flags, sys.executable, os.path.abspath(__file__),
                               *sys.argv[1:], "--in-ns"])
        say(f"unshare {flags} fails ({r.stderr.strip()}): running in the host's namespace")
    else:
        say("no unshare: running in the host's namespace")
    return "host network namespace (unshare failed): the table holds the host's sockets too"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sockview", help="the sockview binary (default: $SV_BUILDDIR/src/sockview)")
    ap.add_argument("--tmux", default="tmux")
    ap.add_argument("--secs", type=float, default=30.0, help="measured period (30)")
    ap.add_argument("--warmup", type=float, default=10.0,
                    help="load before the measured period (10): the bounded queues and "
                    "transcripts fill")
    ap.add_argument("--keys", type=int, default=20, help="key presses timed (20)")
    ap.add_argument("--clients", type=int, default=500)
    ap.add_argument("--stuck", type=int, default=10, help="clients that never read (10)")
    ap.add_argument("--interval", type=float, default=10.0,
                    help="mean seconds between two lines of one client (10)")
    ap.add_argument("--talk-rate", type=float, default=20.0,
                    help="lines per second of the talker client (20; 0: none)")
    ap.add_argument("--talk-size", type=int, default=1024, help="bytes per talker line (1024)")
    ap.add_argument("--refresh", type=float, default=1.0, help="sockview's refresh, s (1)")
    ap.add_argument("--nice", type=int, default=10,
                    help="niceness of the load generators (10): on a small machine they "
                    "share sockview's CPUs, which remote peers would not (0: compete)")
    ap.add_argument("--no-unshare", action="store_true", help="stay in the host's namespace")
    ap.add_argument("--in-ns", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--role", choices=("chat", "flood"), help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=float, default=300.0, help=argparse.SUPPRESS)
    a = ap.parse_args()

    if a.role == "chat":
        role_chat(a)
        return 0
    if a.role == "flood":
        role_flood(a)
        return 0

    if not a.sockview:
        b = os.environ.get("SV_BUILDDIR")
        a.sockview = os.path.join(b, "src", "sockview") if b else None
    if not a.sockview or not os.access(a.sockview, os.X_OK):
        say("give --sockview PATH (or SV_BUILDDIR): the built binary")
        return 2
    a.sockview = os.path.abspath(a.sockview)
    if (not 0 <= a.stuck <= a.clients or a.clients < 1 or a.secs < 4 or a.keys < 0
            or a.warmup < 0):
        say("bad --clients/--stuck/--secs/--warmup/--keys")
        return 2
    if not shutil.which(a.tmux):
        say(f"no {a.tmux}")
        return 2

    # SIGTERM and SIGHUP end the run like Ctrl-C: through the cleanup
    def stop(signo, _frame):
        raise KeyboardInterrupt(signal.Signals(signo).name)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)

    try:
        ns_note = enter_netns(a)
    except SetupError as e:
        say(str(e))
        return 2
    run = Run(a)
    try:
        r = run.run()
    except SetupError as e:
        say(f"set-up failed: {e}")
        return 2
    except (OSError, EOFError, subprocess.SubprocessError) as e:
        # tmux or a control command failed (TimeoutError is an OSError)
        say(f"failed: {e!r}")
        return 2
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    finally:
        run.cleanup()
    return 0 if report(a, r, ns_note) else 1


if __name__ == "__main__":
    sys.exit(main())
