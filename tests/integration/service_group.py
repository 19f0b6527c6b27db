"""service_group.py - sockview --once --group=service, and the kernel's
socket cgroup id (INET_DIAG_CGROUP_ID) in the Service column.

Always: a listener and a connection of this process on loopback;
`--once --group=service --format=json` (and with --rate, table and CSV)
must group them, each socket in the group its "service" key names, the
totals counting each socket once.

Where the machine lets us make a cgroup under the cgroup2 mount: a holder
process joins a new cgroup named svgrp-PID.service, then opens a
connection to us and a second one whose unsent data it abandons by
closing it (the kernel keeps that socket as an orphan in FIN-WAIT-1, with
no process, but with the cgroup it was made in). The holder's socket and
the orphan must both carry "service": "svgrp-PID.service" and form that
group, the orphan too, and `-f 'service svgrp-*'` must select them. If no
cgroup can be made or joined, that part says why and is skipped; the rest
still runs. Every process started is stopped by its pid; every wait has a
deadline.
"""
import json
import os
import socket
import subprocess
import sys
import time

SV = os.environ.get("SOCKVIEW", "src/sockview")
PY = sys.executable
FAILS = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what)


def sockview(*args):
    p = subprocess.run([SV, "--once"] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    check(p.returncode == 0, "sockview --once %s exits 0 (%s)" % (" ".join(args),
                                                               p.stderr.decode(errors="replace").strip()))
    return p.stdout.decode(errors="replace")


def cgroup2_mount():
    with open("/proc/self/mounts") as f:
        for line in f:
            dev, d, t = line.split()[:3]
            if t == "cgroup2" and "\\" not in d:
                return d
    return None


HOLDER = r"""
import socket, sys, time
cg, port = sys.argv[1], int(sys.argv[2])
with open(cg + "/cgroup.procs", "w") as f:
    f.write("0")          # this process joins the cgroup; sockets made from now on are its
kept = socket.create_connection(("127.0.0.1", port))
gone = socket.create_connection(("127.0.0.1", port))
gone.setblocking(False)
sent = 0
deadline = time.monotonic() + 20
while time.monotonic() < deadline:   # fill the peer's window and our send buffer
    try:
        sent += gone.send(b"x" * 65536)
    except BlockingIOError:
        break
gone.close()                          # unsent data: the kernel keeps an orphan
print("ready %d %d" % (kept.getsockname()[1], sent), flush=True)
sys.stdin.read()
"""


def group_checks(port):
    flt = "sport = :%d or dport = :%d" % (port, port)
    plain = json.loads(sockview("--format=json", "-t", "-f", flt))
    doc = json.loads(sockview("--group=service", "--format=json", "-t", "-f", flt))
    check(doc.get("group_by") == "service", "grouped JSON says group_by service")
    groups = doc.get("groups", [])
    for g in groups:
        check("service" in g and "kind" in g, "a group has service and kind: %r" %
              {k: g.get(k) for k in ("service", "kind", "count")})
        if g.get("service") is None:
            check(g.get("kind") in ("no service", "no process"),
                  "a group without a service says why: %r" % g.get("kind"))
        for s in g.get("sockets", []):
            check(s.get("service") == g.get("service") or
                  (g.get("kind") == "no service" and s.get("service") is None),
                  "socket %s:%s sits in its service's group (%r, %r)" %
                  (s["local"].get("port"), s["peer"].get("port"), s.get("service"), g.get("service")))
    total = doc.get("totals", {}).get("count")
    check(total == len(plain), "the totals count every socket once: %r of %d" % (total, len(plain)))
    return doc, plain


def main():
    lis = socket.socket()
    lis.bind(("127.0.0.1", 0))
    lis.listen(8)
    port = lis.getsockname()[1]
    mine = socket.create_connection(("127.0.0.1", port))
    acc, _ = lis.accept()
    holder = None
    peers = []
    cg = None
    try:
        doc, plain = group_checks(port)
        check(sum(g["count"] for g in doc["groups"]) >= 3, "our three sockets are grouped")
        rate = sockview("--group=service", "--rate=0.2", "--format=json", "-t", "-f",
                        "sport = :%d" % port)
        check(json.loads(rate).get("group_by") == "service", "--rate works grouped by service")
        table = sockview("--group=service", "-t", "-f", "sport = :%d" % port)
        check(table.startswith("Service"), "the grouped table starts with Service")
        csv = sockview("--group=service", "--format=csv", "-t", "-f", "sport = :%d" % port)
        check(csv.startswith("service,kind,count,"), "the grouped CSV has its header")

        mnt = cgroup2_mount()
        name = "svgrp-%d.service" % os.getpid()
        why = None
        if not mnt:
            why = "no cgroup2 mount"
        else:
            cg = os.path.join(mnt, name)
            try:
                os.mkdir(cg)
            except OSError as e:
                why = "cannot create %s: %s" % (cg, e)
                cg = None
        if why:
            print("SKIP (cgroup part): %s" % why)
            return
        holder = subprocess.Popen([PY, "-c", HOLDER, cg, str(port)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lis.settimeout(20)
        for _ in range(2):
            try:
                c, _ = lis.accept()
            except OSError:
                break
            c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            peers.append(c)   # never read: the holder's data stays unsent
        line = holder.stdout.readline().decode().split()
        if not line or line[0] != "ready":
            err = holder.stderr.read().decode(errors="replace") if holder.poll() is not None else ""
            print("SKIP (cgroup part): the holder could not join %s: %s" % (cg, err.strip()))
            return
        kept_port = int(line[1])
        flt = "sport = :%d or dport = :%d" % (port, port)
        deadline = time.monotonic() + 20
        orphan = []
        while time.monotonic() < deadline:
            socks = json.loads(sockview("--format=json", "-t", "-f", flt))
            orphan = [s for s in socks if s["local"]["addr"] == "127.0.0.1" and
                      s["peer"].get("port") == port and not s.get("processes") and
                      s["state"] in ("FIN-WAIT-1", "FIN-WAIT-2", "CLOSING", "LAST-ACK")]
            if orphan:
                break
            time.sleep(0.2)
        kept = [s for s in socks if s["local"].get("port") == kept_port]
        check(len(kept) == 1 and kept[0].get("service") == name,
              "the holder's socket carries its cgroup's service: %r" %
              [s.get("service") for s in kept])
        check(len(orphan) == 1, "the abandoned connection is an orphan without a process: %r" %
              [(s["state"], s.get("processes")) for s in orphan])
        if orphan:
            check(orphan[0].get("service") == name,
                  "the orphan keeps the service of the cgroup it was made in: %r" %
                  orphan[0].get("service"))
        doc, _ = group_checks(port)
        grp = [g for g in doc["groups"] if g.get("service") == name]
        check(len(grp) == 1 and grp[0]["kind"] == "systemd",
              "one group for %s, a systemd unit" % name)
        if grp:
            states = grp[0].get("states", {})
            check(grp[0]["count"] == 1 + len(orphan),
                  "the group counts the holder's socket and the orphan: %r" % grp[0]["count"])
            check(any(k.startswith("FIN") or k in ("CLOSING", "LAST-ACK") for k in states),
                  "the orphan's state is in the group: %r" % states)
        sel = json.loads(sockview("--format=json", "-t", "-f", "service svgrp-%d.*" % os.getpid()))
        check(sorted(s["inode"] for s in sel) == sorted(s["inode"] for s in kept + orphan),
              "'service GLOB' selects the holder's socket and the orphan (%d)" % len(sel))
    finally:
        if holder:
            holder.kill()
            holder.wait(timeout=10)
        for s in peers + [acc, mine, lis]:
            s.close()
        if cg:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    os.rmdir(cg)
                    break
                except OSError:
                    time.sleep(0.1)
    if FAILS:
        print("%d check(s) failed" % len(FAILS))
        sys.exit(1)


main()
