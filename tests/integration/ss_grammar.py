#!/usr/bin/env python3
"""The filter language against ss's, on the same sockets (run by
ss_grammar.sh under `unshare -rn`: a private network namespace in which
this user has CAP_NET_ADMIN, so the kernel reports socket marks).

Opens a fixed, varied set of sockets, then for each expression of the list
below runs `ss -H -a -n EXPR` and `sockview --once --format=json -f
EXPR` and compares the sets of sockets they select (inet: protocol and both
endpoints; Unix: the inode). An expression on which both refuse, or both
select the same set, agrees. Every other outcome is a difference; the
expected ones are listed, each with its reason, in ss_grammar.expected (one
"EXPR<TAB>REASON" a line). The test fails on a difference not listed there
and prints the agree/differ counts. Listed differences that now agree are
reported (and fail too, so that the list stays true)."""
import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

SOCKVIEW = os.environ["SOCKVIEW"]
HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = os.path.join(HERE, "ss_grammar.expected")
SO_MARK = 36
# about 20 s on an idle machine; the limit is for a machine shared with
# many builds
START = time.monotonic()
DEADLINE = START + 150

subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
tmp = tempfile.mkdtemp(prefix="svgrammar.")
keep = []


def tcp(family, addr, port=0, listen=False, mark=None, dev=None, v6only=False):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
    if mark is not None:
        s.setsockopt(socket.SOL_SOCKET, SO_MARK, mark)
    if dev:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
    if addr is not None:
        s.bind((addr, port))
    if listen:
        s.listen(16)
    keep.append(s)
    return s


def connect(listener, family, target, src=None, mark=None):
    c = tcp(family, src[0] if src else None, src[1] if src else 0, mark=mark)
    c.connect(target)
    a, _ = listener.accept()
    keep.append(a)
    return c, a


# ---- inet ---------------------------------------------------------------
L22 = tcp(socket.AF_INET, "0.0.0.0", 22, listen=True)
L80 = tcp(socket.AF_INET6, "::", 80, listen=True)                 # dual stack
L8765 = tcp(socket.AF_INET, "127.0.0.1", 8765, listen=True, mark=0x24)
L8080 = tcp(socket.AF_INET6, "::1", 8080, listen=True, v6only=True)
L2222 = tcp(socket.AF_INET, "0.0.0.0", 2222, listen=True, dev="lo")
L443 = tcp(socket.AF_INET, "127.0.0.2", 443, listen=True, mark=0x1ff)
connect(L22, socket.AF_INET, ("127.0.0.1", 22), src=("127.0.0.1", 40001))
connect(L8765, socket.AF_INET, ("127.0.0.1", 8765), mark=0x10)
connect(L80, socket.AF_INET, ("127.0.0.1", 80), src=("127.0.0.2", 1234))   # v4-mapped
connect(L8080, socket.AF_INET6, ("::1", 8080))
connect(L443, socket.AF_INET, ("127.0.0.2", 443), src=("127.0.0.1", 5000))
# TIME-WAIT: the client closes first
c, a = connect(L22, socket.AF_INET, ("127.0.0.1", 22), src=("127.0.0.1", 33333))
c.close()
a.close()
# CLOSE-WAIT (and FIN-WAIT-2 on the other side)
c, a = connect(L8080, socket.AF_INET6, ("::1", 8080), src=("::1", 44444))
c.shutdown(socket.SHUT_WR)
# UDP
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("0.0.0.0", 53))
keep.append(u)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 5353))
u.connect(("127.0.0.1", 53))
keep.append(u)
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u.bind(("::1", 5353))
keep.append(u)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))   # an ephemeral port
keep.append(u)

# ---- Unix ---------------------------------------------------------------
def unix(kind, name=None, listen=False):
    s = socket.socket(socket.AF_UNIX, kind)
    if name is not None:
        s.bind(name)
    if listen:
        s.listen(4)
    keep.append(s)
    return s


SRV = os.path.join(tmp, "srv.sock")
xs = unix(socket.SOCK_STREAM, SRV, listen=True)
xc = unix(socket.SOCK_STREAM)
xc.connect(SRV)
keep.append(xs.accept()[0])
unix(socket.SOCK_DGRAM, os.path.join(tmp, "dgram.sock"))
unix(socket.SOCK_DGRAM, os.path.join(tmp, "UPPER.sock"))
xa = unix(socket.SOCK_STREAM, "\0svgrammar.abs", listen=True)
xac = unix(socket.SOCK_STREAM)
xac.connect("\0svgrammar.abs")
keep.append(xa.accept()[0])
keep += list(socket.socketpair())
unix(socket.SOCK_DGRAM, "")          # autobind: "@" and five hex digits
unix(socket.SOCK_SEQPACKET, os.path.join(tmp, "seq.sock"), listen=True)
unix(socket.SOCK_DGRAM)              # unnamed, unbound


def ss_set(expr):
    """ss -a -n EXPR, as its users type it (all socket tables; the netlink
    and packet sockets it also lists are left out until sockview lists
    them). ss reads "state" as separate arguments: the words go one by
    one. (ss -t -u -x together loses the inet sockets as soon as an
    expression has an inet term: not used.)"""
    p = subprocess.run(["ss", "-H", "-a", "-n"] + expr.split(),
                       capture_output=True, text=True, timeout=20)
    if p.returncode != 0:
        return None, (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
    out = set()
    for line in p.stdout.splitlines():
        # the State column comes and goes with the states asked for: read
        # the endpoints from the right
        f = line.split()
        if not f:
            continue
        if f[0].startswith("u_"):
            out.add(("unix", int(f[-3])))
            continue
        if f[0] not in ("tcp", "udp"):
            continue

        def ep(s):
            host, port = s.rsplit(":", 1)
            host = host.split("%")[0].strip("[]")
            return ("::" if host == "*" else host), (0 if port == "*" else int(port))
        out.add((f[0],) + ep(f[-2]) + ep(f[-1]))
    return out, None


def sv_set(expr):
    p = subprocess.run([SOCKVIEW, "--once", "--format=json", "--no-processes", "-f", expr],
                       capture_output=True, text=True, timeout=20)
    if p.returncode != 0:
        return None, (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[0]
    out = set()
    for x in json.loads(p.stdout):
        if x["proto"] == "unix":
            out.add(("unix", x["inode"]))
        elif x["proto"] in ("tcp", "udp"):
            out.add((x["proto"], x["local"]["addr"], x["local"]["port"],
                     x["peer"]["addr"], x["peer"]["port"]))
    return out, None


# the closes above settle in microseconds on loopback; wait (bounded) until
# the TIME-WAIT and CLOSE-WAIT sockets are there, so both tools see them
settle = time.monotonic() + 10
while time.monotonic() < settle:
    got = subprocess.run(["ss", "-Htan", "state", "time-wait", "state", "close-wait"],
                         capture_output=True, text=True).stdout.splitlines()
    if len(got) >= 2:
        break
    time.sleep(0.05)
else:
    print("FAIL: the TIME-WAIT and CLOSE-WAIT sockets did not appear")
    sys.exit(1)

# ---- the expressions ------------------------------------------------------
# iproute2's testsuite/tests/ss/ssfilter.t, as it writes them
EXPRS = [
    "dport = 22", "dport 22", "( dport = 22 )", "src = 0.0.0.0", "src 0.0.0.0",
    "src 0.0.0.0 sport = 22", "src 0.0.0.0 and sport = 22",
    "src 10.0.0.1 and sport = 22 and dport = 50312",
    "src 10.0.0.1 and sport = 22 and ( dport = 50312 )",
    "src 10.0.0.1 and ( sport = 22 and dport = 50312 )",
    "( src 10.0.0.1 and sport = 22 ) and dport = 50312",
    "( src 0.0.0.0 or src 10.0.0.1 ) and dst 10.0.0.2",
]
# every state name and group, alone, repeated and excluded
STATES = ["established", "syn-sent", "syn-recv", "syn-rcv", "fin-wait-1", "fin-wait-2",
          "time-wait", "closed", "close", "unconnected", "close-wait", "last-ack",
          "listening", "closing", "all", "connected", "synchronized", "bucket", "big",
          "ESTABLISHED", "Listening"]
EXPRS += ["state %s" % s for s in STATES]
EXPRS += ["exclude %s" % s for s in STATES[:19]]
EXPRS += ["excl listening", "state listening state established",
          "state established state close-wait state time-wait",
          "exclude listening exclude unconnected", "state connected exclude established",
          "exclude connected state listening", "state bucket state big",
          "state listening sport = :22", "state established ( dport = :22 or sport = :22 )",
          "state connected dport = :8080", "state synchronized sport = :8080",
          "state all src 127.0.0.1", "state new-syn-recv", "state bogus", "state listen",
          "state estab"]
# ports: every operator, word form, service name, wildcard
for kw in ("sport", "dport"):
    for op in ("=", "==", "eq", "", "!=", "ne", "neq", ">=", "ge", "geq", "<=", "le",
               "leq", ">", "gt", "<", "lt"):
        EXPRS.append(" ".join(x for x in (kw, op, ":1024") if x))
    EXPRS += ["%s = :ssh" % kw, "%s = :http" % kw, "%s = :*" % kw, "%s != :*" % kw,
              "%s = 8080" % kw, "%s = :domain" % kw, "%s > :40000" % kw,
              "%s < :100" % kw, "%s = :0" % kw, "%s = :65535" % kw, "%s = :70000" % kw,
              "%s = :nosuchservice" % kw, "%s geq :30000 and %s leq :50000" % (kw, kw)]
# addresses: v4, v6, prefixes, ports, wildcards, family prefixes, names
for kw in ("src", "dst"):
    for a in ("127.0.0.1", "127.0.0.2", "127.0.0.0/8", "127.0.0.1:22", "127.0.0.1:*",
              "*:22", "*:*", "*", ":22", "0.0.0.0", "0.0.0.0/0", "::1", "[::1]",
              "[::1]:8080", "[::]", "[::]:80", "::/0", "[::ffff:127.0.0.1]", "::ffff:127.0.0.2",
              "[::ffff:127.0.0.0]/104", "10.0.0.0/8", "192.168.0.1",
              "inet:127.0.0.1", "inet:*", "inet:*:22", "inet6:*", "inet6:[::1]",
              "inet6:[::1]:8080", "inet:127.0.0.0/8:8765", "localhost", "localhost:22",
              "inet:localhost", "inet6:localhost", "ip6-localhost", "127.0.0.1:ssh",
              "unix:*", "unix:" + tmp + "/*", "unix:" + SRV, "unix:@svgrammar*",
              "unix:*UPPER*", "unix:*upper*", "link:*", "netlink:*", "300.0.0.1",
              "[::1", "1.2.3.4/33", "nosuchhost.invalid"):
        EXPRS.append("%s %s" % (kw, a))
    EXPRS += ["%s = 127.0.0.1" % kw, "%s eq ::1" % kw, "%s == 127.0.0.2" % kw]
# operators, grouping, negation, precedence
EXPRS += [
    "sport = :22 or sport = :80", "sport = :22 | sport = :80", "sport = :22 || sport = :80",
    "sport = :22 and dport = :40001", "sport = :22 & dport = :40001",
    "sport = :22 && dport = :40001", "sport = :22 dport = :40001",
    "! sport = :22", "not sport = :22", "not ( sport = :22 or dport = :22 )",
    "! ( src 127.0.0.1 )", "not not sport = :22",
    "sport = :22 or sport = :80 and dport = :1234",
    "sport = :22 or sport = :80 dport = :1234",
    "sport = :80 and dport = :1234 or sport = :22",
    "( sport = :22 or sport = :80 ) and dport = :1234",
    "sport = :22 or ( sport = :80 and dport = :1234 )",
    "src 127.0.0.1 or src 127.0.0.2 and sport = :443",
    "( ( ( sport = :22 ) ) )", "( sport = :22", "sport = :22 )", "( )", "and", "or sport = :22",
    "sport = :22 or", "not", "sport = :22 and and dport = :1",
    "dport = :22 or dport = :8080 or dport = :80 or dport = :8765",
    "src 127.0.0.1 and not dst 127.0.0.1", "src ::1 or src 127.0.0.2",
    "state listening ( src 127.0.0.1 or src ::1 )",
]
# dev, fwmark, cgroup, autobound
EXPRS += [
    "dev lo", "dev = lo", "dev != lo", "dev 1", "dev 0", "dev nosuchdev0",
    "fwmark 0x24", "fwmark = 0x24", "fwmark != 0x24", "fwmark 36", "fwmark 0x10",
    "fwmark 0x10/0x10", "fwmark 0x4/0x4", "fwmark 0/0", "fwmark 0x1ff", "fwmark 0xff/0xff",
    "fwmark 0", "fwmark bogus", "fwmark 0x1/", "not fwmark 0x24",
    "cgroup /", "cgroup /nosuch.slice", "cgroup != /",
    "autobound", "not autobound", "autobound and sport > :40000", "! autobound",
]
# misc: ss keywords in odd places, text that is no keyword in ss
EXPRS += [
    "geq", "sport geq", "src", "dst", "dport", "dev", "fwmark", "cgroup",
    "src unix:" + tmp + "/dgram.sock or src unix:" + tmp + "/seq.sock",
    "src unix:" + tmp + "/*.sock and not src unix:*srv*",
    "dst unix:*", "src vsock:*", "src inet:::1",
    "src 127.0.0.1 dst 127.0.0.1 sport = :40001",
    "dst 127.0.0.1:22 or dst [::1]:8080",
    "sport >= :1024 and sport <= :9000", "dport > :0", "sport < :1",
    "src 127.0.0.0/24 and dport != :22", "dst 127.0/16", "src 127/8 and sport = :22",
    "src 127.0.0/24:8765", "src " + tmp + "/*", "src @svgrammar*",
    "state established ( dport = :ssh or sport = :ssh )",
    "state fin-wait-2 ( sport = :http or sport = :https ) dst 127.0/16",
]

# ---- run ------------------------------------------------------------------
expected = {}
with open(EXPECTED) as f:
    for line in f:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        expr, _, why = line.partition("\t")
        expected[expr.replace("$TMP", tmp)] = why

# every socket this script holds must be seen by both, with no filter
base_ss, _ = ss_set("")
base_sv, _ = sv_set("")
agree, differ, listed, unlisted, stale = 0, 0, 0, [], []
if base_ss != base_sv:
    print("FAIL: without a filter, ss and sockview list different sockets:")
    print("  only ss:", sorted(base_ss - base_sv, key=str)[:10])
    print("  only sockview:", sorted(base_sv - base_ss, key=str)[:10])
    sys.exit(1)
print("ok: without a filter both list the same %d sockets" % len(base_ss))

seen, todo = set(), []
for expr in EXPRS:
    if expr not in seen:
        seen.add(expr)
        todo.append(expr)


def both(expr):
    if time.monotonic() > DEADLINE:
        return expr, None, "out of time", None, "out of time"
    return (expr,) + ss_set(expr) + sv_set(expr)


# a few at a time: each run is a process start and a dump
with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
    results = list(pool.map(both, todo))

# A TIME-WAIT socket lives 60 s: on a slow machine it can end between the
# two runs of one expression. What is gone from both by now may differ.
end_ss, _ = ss_set("")
end_sv, _ = sv_set("")
gone = (base_ss - (end_ss or set())) | (base_sv - (end_sv or set()))
if gone:
    print("note: %d sockets ended during the run (%s); a difference in them "
          "alone is not counted" % (len(gone), sorted(gone, key=str)))

for expr, a, aerr, b, berr in results:
    if aerr == "out of time":
        print("FAIL: out of time before '%s'" % expr)
        unlisted.append(expr)
        continue
    shown = expr.replace(tmp, "$TMP")
    if a is None and b is None:
        same, what = True, "both refuse"
    elif a is None:
        same, what = False, "ss refuses (%s), sockview selects %d" % (aerr, len(b))
    elif b is None:
        same, what = False, "sockview refuses (%s), ss selects %d" % (berr, len(a))
    else:
        same = a == b or (a ^ b) <= gone
        what = "%d sockets" % len(a) if same else "only ss: %s; only sockview: %s" % (
            sorted(a - b, key=str)[:4], sorted(b - a, key=str)[:4])
    if same:
        agree += 1
        if expr in expected:
            stale.append(shown)
            print("FAIL: '%s' is listed as a difference but agrees (%s)" % (shown, what))
        else:
            print("ok: '%s': %s" % (shown, what))
        continue
    differ += 1
    if expr in expected:
        listed += 1
        print("ok (listed difference): '%s': %s -- %s" % (shown, what, expected[expr]))
    else:
        unlisted.append(shown)
        print("FAIL: '%s': %s" % (shown, what))

print("%d expressions: %d agree, %d differ (%d listed with a reason, %d not), in %.0f s"
      % (len(seen), agree, differ, listed, len(unlisted), time.monotonic() - START))
for s in keep:
    s.close()
sys.exit(1 if unlisted or stale else 0)
