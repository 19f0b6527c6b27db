"""traffic.py - sockview --once --rate / --group=process / hints, on loopback.

A sender process paces 1 MB/s to a receiver process that reads it all;
`--once --group=process --rate=1 --format=json` must show about that rate
(within a generous tolerance: the machine may be loaded) in the sender's
and the receiver's groups, and on their sockets. A listener with a full
backlog gets the accept_queue_full hint in plain --once output. Every
process started is stopped by its pid; every wait has a deadline.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time

SV = os.environ.get("SOCKVIEW", "src/sockview")
PY = sys.executable
RATE = 1000000  # bytes per second
FAILS = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what)


RECEIVER = r"""
import socket, sys
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(1)
print(l.getsockname()[1], flush=True)
c, _ = l.accept()
while c.recv(65536):
    pass
"""

SENDER = r"""
import socket, sys, time
rate, port = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port))
print("connected", flush=True)
chunk = b"x" * (rate // 50)
t0 = time.monotonic()
sent = 0
while time.monotonic() - t0 < 60:
    # an absolute schedule: a late wake-up catches up, the average holds
    due = t0 + sent / rate
    now = time.monotonic()
    if due > now:
        time.sleep(due - now)
    s.sendall(chunk)
    sent += len(chunk)
"""


def sockview(*args, timeout=30):
    r = subprocess.run([SV, "--once"] + list(args), capture_output=True, timeout=timeout)
    if r.returncode != 0:
        print(r.stderr.decode(errors="replace"), file=sys.stderr)
    check(r.returncode == 0, "sockview --once %s exits 0" % " ".join(args))
    return r.stdout.decode()


def test_rates():
    recv = subprocess.Popen([PY, "-c", RECEIVER], stdout=subprocess.PIPE)
    send = None
    try:
        port = int(recv.stdout.readline())
        send = subprocess.Popen([PY, "-c", SENDER, str(RATE), str(port)], stdout=subprocess.PIPE)
        check(send.stdout.readline().strip() == b"connected", "the sender connected")
        time.sleep(1.0)  # past TCP's start

        doc = json.loads(sockview("--group=process", "--rate=1", "--format=json", "-t",
                                  "-f", "dport = :%d or sport = :%d" % (port, port)))
        check(doc.get("group_by") == "process", "grouped JSON says group_by process")
        groups = {g["process"]["pid"]: g for g in doc["groups"] if g["process"]}
        for pid, key, who in ((send.pid, "tx_rate", "sender"), (recv.pid, "rx_rate", "receiver")):
            g = groups.get(pid)
            check(g is not None, "the %s (pid %d) has a group" % (who, pid))
            if not g:
                continue
            r = g.get(key)
            check(r is not None and 0.6 * RATE <= r <= 1.5 * RATE,
                  "the %s's %s is about 1 MB/s: %r" % (who, key, r))
            check(g["kinds"]["tcp"] >= 1 and g["count"] == len(g["sockets"]),
                  "the %s's group counts its sockets" % who)
            # members are the socket objects of --format=json, plus keys
            s = g["sockets"][0]
            check(all(k in s for k in ("proto", "state", "local", "peer", "processes")),
                  "members are socket objects")
        t = doc["totals"]
        check(t["tx_rate"] is not None and t["tx_rate"] >= 0.6 * RATE,
              "the totals count the transfer: %r" % (t,))

        # the plain table's JSON gets the rates per socket
        socks = json.loads(sockview("--rate=1", "--format=json", "-t",
                                    "-f", "sport = :%d" % port))
        est = [s for s in socks if s["state"] == "ESTAB"]
        check(len(est) == 1 and 0.6 * RATE <= est[0].get("rx_rate", -1) <= 1.5 * RATE,
              "the receiver's socket has rx_rate about 1 MB/s: %r"
              % ([s.get("rx_rate") for s in est],))
        out = sockview("--rate=0.5", "-t", "-f", "sport = :%d" % port)
        check("Rx/s" in out.splitlines()[0], "the table gets Rx/s and Tx/s with --rate")
        csv = sockview("--rate=0.5", "--format=csv", "-t", "-f", "sport = :%d" % port)
        check(csv.splitlines()[0].endswith(",rx_rate,tx_rate,hint"), "csv adds its columns at the end")
        grp = sockview("--group=process", "--format=csv", "-t")
        check(grp.startswith("pid,comm,count,"), "grouped csv has its header")
    finally:
        for p in (send, recv):
            if p:
                p.kill()
                p.wait(timeout=10)


def test_backlog_hint():
    l = socket.socket()
    l.bind(("127.0.0.1", 0))
    l.listen(1)
    port = l.getsockname()[1]
    clients = []
    try:
        for _ in range(4):
            c = socket.socket()
            c.setblocking(False)
            c.connect_ex(("127.0.0.1", port))
            clients.append(c)
        deadline = time.monotonic() + 10
        hint = None
        while time.monotonic() < deadline:
            socks = json.loads(sockview("--format=json", "-t", "-l", "-f", "sport = :%d" % port))
            lis = [s for s in socks if s["state"] == "LISTEN"]
            if lis and lis[0]["recv_q"] >= lis[0]["send_q"]:
                hint = lis[0].get("hint")
                break
            time.sleep(0.1)
        check(hint is not None and hint.get("id") == "accept_queue_full"
              and "accept()" in hint.get("text", ""),
              "a listener with a full backlog gets its hint: %r" % (hint,))
        out = sockview("--format=json", "-t", "-f", "dport = :%d" % port)
        check(all("hint" not in s or s["hint"]["id"] == "syn_retrying"
                  for s in json.loads(out)),
              "its clients get no other hint")
    finally:
        for c in clients:
            c.close()
        l.close()


def main():
    signal.alarm(120)
    test_rates()
    test_backlog_hint()
    if FAILS:
        print("%d check(s) failed" % len(FAILS), file=sys.stderr)
        sys.exit(1)


main()
