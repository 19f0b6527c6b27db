#!/usr/bin/env python3
"""Integration test of `sockview --once`: real sockets opened by a helper
process must be listed with the right protocol, state, addresses, inode and
owner; options select exactly what they should; hostile names never reach
the output raw; CSV says what JSON says (an empty field where JSON has null,
the first owner in columns of its own); an unprivileged run still lists
sockets."""
import csv
import io
import json
import os
import subprocess
import sys

SOCKVIEW = os.environ["SOCKVIEW"]
SRCDIR = os.environ["TESTS_SRCDIR"]
failures = []


def check(cond, what):
    if cond:
        print("ok:", what)
    else:
        print("FAIL:", what)
        failures.append(what)


def run(*args, user=None):
    cmd = [SOCKVIEW, "--once"] + list(args)
    if user:
        cmd = ["setpriv", "--reuid=%d" % user, "--regid=%d" % user,
               "--clear-groups", "--"] + cmd
    p = subprocess.run(cmd, capture_output=True, timeout=60)
    return p


def run_json(*args, user=None):
    p = run("--format=json", *args, user=user)
    if p.returncode != 0:
        raise SystemExit("sockview %s failed (%d): %s" % (args, p.returncode, p.stderr))
    return json.loads(p.stdout.decode("utf-8"))


def by_inode(rows):
    return {r["inode"]: r for r in rows if r["inode"]}


holder = subprocess.Popen([sys.executable, os.path.join(SRCDIR, "support", "sockholder.py"),
                           "--hostile", "--unowned", "--hold", "1800", "--comm", "sv\x1b]0;x\x07hold"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
try:
    info = json.loads(holder.stdout.readline())
    pid = info["pid"]

    rows = run_json()
    ino = by_inode(rows)
    t4, t6 = info["tcp4"], info["tcp6"]

    r = ino.get(t4["listen_inode"])
    check(r and r["proto"] == "tcp" and r["family"] == "inet" and r["state"] == "LISTEN"
          and r["local"] == {"addr": "127.0.0.1", "port": t4["listen_port"]},
          "TCP IPv4 listener listed with address, port and state")
    check(r and any(p["pid"] == pid for p in r["processes"]),
          "TCP listener mapped to the holder's pid")
    check(r and all(p["comm"] == "sv\x1b]0;x\x07hold"[:15] for p in r["processes"] if p["pid"] == pid),
          "hostile comm round-trips through JSON")
    r = ino.get(t4["client_inode"])
    check(r and r["state"] == "ESTAB" and r["peer"]["port"] == t4["listen_port"]
          and r["local"]["port"] == t4["client_port"], "TCP IPv4 client ESTAB with peer")
    check(r and "tcp_info" in r and r["tcp_info"]["mss"] > 0 and "congestion" in r["tcp_info"],
          "established TCP carries tcp_info and congestion algorithm")
    r = ino.get(t6["listen_inode"])
    check(r and r["family"] == "inet6" and r["local"] == {"addr": "::1", "port": t6["listen_port"]},
          "TCP IPv6 listener on ::1")
    check(ino.get(t6["server_inode"], {}).get("state") == "ESTAB", "TCP IPv6 accepted socket ESTAB")
    r = ino.get(info["udp4"]["inode"])
    check(r and r["proto"] == "udp" and r["state"] == "UNCONN"
          and r["local"]["port"] == info["udp4"]["port"], "UDP IPv4 socket")
    r = ino.get(info["udp6"]["inode"])
    check(r and r["proto"] == "udp" and r["family"] == "inet6", "UDP IPv6 socket")
    r = ino.get(info["unix_stream"]["inode"])
    check(r and r["proto"] == "unix" and r["type"] == "stream" and r["state"] == "LISTEN"
          and r["local"] == {"path": info["unix_stream"]["path"]}, "Unix stream listener with path")
    r = ino.get(info["unix_dgram"]["inode"])
    check(r and r["type"] == "dgram" and r["local"] == {"path": info["unix_dgram"]["path"]},
          "Unix datagram socket with path")
    r = ino.get(info["unix_abstract"]["inode"])
    check(r and r["local"] == {"path": info["unix_abstract"]["name"]}, "abstract Unix name as @name")
    r = ino.get(info["hostile_abstract_inode"])
    check(r and r["local"]["path"].startswith("@svevil\x1b]0;PWNED\x07"),
          "hostile abstract name decodes to its bytes in JSON")
    check(all("peer_inode" in x for x in rows if x["proto"] == "unix"), "Unix sockets carry peer_inode")

    # Options select exactly what they should.
    def protos(*args):
        return {x["proto"] for x in run_json(*args)}

    def inodes(*args):
        return {x["inode"] for x in run_json(*args)}

    check(protos("-t") == {"tcp"}, "-t lists only TCP")
    check(protos("-u") == {"udp"}, "-u lists only UDP")
    check(protos("-x") == {"unix"}, "-x lists only Unix")
    check(protos("-t", "-u") == {"tcp", "udp"}, "-t -u lists TCP and UDP")
    fam4 = {x["family"] for x in run_json("-4")}
    check("inet6" not in fam4 and "inet" in fam4 and "unix" in fam4,
          "-4 drops IPv6, keeps IPv4 and Unix")
    fam6 = {x["family"] for x in run_json("-t", "-6")}
    check(fam6 == {"inet6"}, "-t -6 lists only IPv6 TCP")
    lst = run_json("-l")
    states = {x["state"] for x in lst}
    check(states <= {"LISTEN", "UNCONN"}, "-l lists only LISTEN/UNCONN (%s)" % sorted(states))
    li = {x["inode"] for x in lst}
    check(t4["listen_inode"] in li and t4["client_inode"] not in li
          and info["udp4"]["inode"] in li, "-l keeps the listener and UDP, drops the client")
    tl = inodes("-t", "-l")
    check(t4["listen_inode"] in tl and info["unix_stream"]["inode"] not in tl, "-t -l")
    np = run_json("--no-processes", "-t")
    check(all(x["processes"] == [] for x in np), "--no-processes maps nothing")

    # Hostile names never reach any output raw.
    for fmt in ("table", "csv", "json"):
        p = run("--format=" + fmt)
        check(p.returncode == 0, "--format=%s exits 0" % fmt)
        bad = [b for b in p.stdout if (b < 0x20 and b != 0x0a) or b == 0x7f]
        check(not bad, "--format=%s has no raw control bytes" % fmt)
        check(b"\xe2\x80\xae" not in p.stdout, "--format=%s has no raw bidi override" % fmt)
        try:
            p.stdout.decode("utf-8")
            ok = True
        except UnicodeDecodeError:
            ok = False
        check(ok, "--format=%s output is valid UTF-8" % fmt)
    tab = run("--format=table").stdout.decode()
    check("@svevil\\x1b]0;PWNED\\x07" in tab, "table shows the hostile name with visible escapes")
    check("ev\\x1b[31mil\\nname.sock" in tab, "a path with ESC and newline is escaped on one line")
    lines = run("--format=csv").stdout.decode().splitlines()
    check(lines[0].startswith("proto,family,type,state,"), "csv header row")
    check(any(str(info["unix_stream"]["inode"]) in line for line in lines), "csv lists the Unix listener")

    # CSV and JSON agree, field by field, on the holder's sockets: a null in
    # JSON is an empty field in CSV, and the owner columns read like
    # JSON's processes list.
    def run_csv(*args):
        p = run("--format=csv", *args)
        if p.returncode != 0:
            raise SystemExit("sockview %s failed (%d): %s" % (args, p.returncode, p.stderr))
        recs = list(csv.reader(io.StringIO(p.stdout.decode("utf-8"), newline="")))
        hdr = recs[0]
        check(all(len(r) == len(hdr) for r in recs[1:]),
              "csv %s: every row has the %d fields of the header" % (args, len(hdr)))
        return {int(r[hdr.index("inode")]): dict(zip(hdr, r)) for r in recs[1:]
                if len(r) == len(hdr) and r[hdr.index("inode")] != "0"}

    def csv_of(v):
        return "" if v is None else str(v)

    pair, lone = info["unix_pair"], info["unowned"]
    mine = [t4["listen_inode"], t4["client_inode"], t6["server_inode"], info["udp4"]["inode"],
            info["unix_stream"]["inode"], info["unix_dgram"]["inode"],
            info["hostile_abstract_inode"], pair[0], pair[1], lone["inode"]]
    for extra in ((), ("--no-processes",)):
        js, cs = by_inode(run_json(*extra)), run_csv(*extra)
        what = " ".join(extra) or "with processes"
        check(all(i in js and i in cs for i in mine),
              "csv and json (%s) both list the holder's sockets" % what)
        for i in mine:
            j, c = js.get(i), cs.get(i)
            if not j or not c:
                continue
            for key in ("uid", "peer_inode"):
                if j["proto"] == "unix" or key != "peer_inode":
                    check(c[key] == csv_of(j[key]),
                          "csv %s of %d is %r, json says %r (%s)" % (key, i, c[key], j[key], what))
            first = j["processes"][0] if j["processes"] else {}
            check((c.get("pid"), c.get("fd"), c.get("owners")) ==
                  (csv_of(first.get("pid")), csv_of(first.get("fd")), str(len(j["processes"]))),
                  "csv pid, fd, owners of %d match json's processes (%s): %r"
                  % (i, what, (c.get("pid"), c.get("fd"), c.get("owners"))))
            comm = first.get("comm")
            if comm is None or (comm.isprintable() and "\\" not in comm):
                check(c.get("comm") == csv_of(comm),
                      "csv comm of %d is json's (%s): %r" % (i, what, c.get("comm")))
    cs = run_csv()
    r = cs.get(pair[0])
    check(r and r["peer_inode"] == str(pair[1]) and cs.get(pair[1], {}).get("peer_inode") ==
          str(pair[0]), "csv: a Unix socket pair names each other's inode")
    check(r and r.get("pid") == str(pid) and r.get("owners") == "1" and str(r.get("fd")).isdigit()
          and r.get("comm") == "sv\\x1b]0;x\\x07hold",
          "csv: the pair's owner in pid, comm (escaped), fd and owners columns: %r"
          % ((r.get("pid"), r.get("comm"), r.get("fd"), r.get("owners")) if r else None,))
    r = cs.get(lone["inode"])
    check(r and (r.get("pid"), r.get("comm"), r.get("fd"), r.get("owners"), r.get("processes")) ==
          ("", "", "", "0", "") and r["peer_inode"] == str(lone["peer_inode"]),
          "csv: a socket no process holds has empty owner fields and 0 owners: %r" % (r,))
    j = by_inode(run_json()).get(lone["inode"])
    check(j and j["processes"] == [] and j["peer_inode"] == lone["peer_inode"],
          "json: a socket no process holds has processes []")
    # listeners never get a peer, so two runs agree on them
    nulls = [x for x in run_json("-x", "-l") if x["peer_inode"] is None and x["state"] == "LISTEN"]
    check(any(x["inode"] == info["unix_stream"]["inode"] for x in nulls),
          "json: the Unix listener has peer_inode null")
    cx = run_csv("-x", "-l")
    check(all(cx[x["inode"]]["peer_inode"] == "" for x in nulls if x["inode"] in cx),
          "csv: every Unix socket without a peer has an empty peer_inode (not 0)")

    # Unprivileged: every socket of the namespace is still visible.
    rows = run_json("-t", user=65534)
    check(t4["listen_inode"] in by_inode(rows), "unprivileged run lists the TCP listener")
    check(all(not x["processes"] for x in rows if x["inode"] == t4["listen_inode"]),
          "unprivileged run cannot see root's process (and says nothing false)")
finally:
    holder.stdin.close()
    holder.terminate()
    holder.wait(timeout=30)

if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
