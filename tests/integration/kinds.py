"""kinds.py - run by kinds.sh inside `unshare -rn`: opens packet, netlink,
MPTCP and raw sockets, then checks sockview's JSON and table against them
and against ss. MPTCP: if this kernel refuses MPTCP sockets, the test
checks instead that sockview says MPTCP cannot be seen (or, if the kernel
has mptcp_diag, that it lists none) -- never a silent skip."""
import errno
import json
import os
import socket
import struct
import subprocess
import sys

SV = os.environ["SOCKVIEW"]
fails = 0


def check(cond, what):
    global fails
    if cond:
        print("ok:", what)
    else:
        print("FAIL:", what)
        fails += 1


def run(*args):
    p = subprocess.run([SV, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def ss(*args):
    p = subprocess.run(["ss", *args], capture_output=True, text=True, timeout=60)
    return [l.split() for l in p.stdout.splitlines()[1:] if l.strip()]


def diag_has(family, protocol):
    """True if the kernel answers a sock_diag dump for (family, protocol)
    with sockets or success; False if it has no handler (DONE/ERROR with
    an errno)."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 4)  # NETLINK_SOCK_DIAG
    try:
        req = struct.pack("=BBBBI", family, protocol & 0xff, 0, 0, 0xffffffff) + b"\0" * 48
        if protocol > 255:  # INET_DIAG_REQ_PROTOCOL
            req += struct.pack("=HHI", 8, 8, protocol)
        s.send(struct.pack("=IHHII", 16 + len(req), 20, 0x301, 1, 0) + req)
        data = s.recv(65536)
        _, typ = struct.unpack_from("=IH", data, 0)
        if typ in (2, 3):  # NLMSG_ERROR, NLMSG_DONE
            return len(data) < 20 or struct.unpack_from("=i", data, 16)[0] == 0
        return True
    finally:
        s.close()


def ino(sock):
    return os.fstat(sock.fileno()).st_ino


subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
pid = os.getpid()
held = []

# packet: every protocol on every interface (SOCK_RAW), IP on lo (SOCK_DGRAM)
p_all = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
p_ip = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
p_ip.bind(("lo", 0x0800))
# netlink: route with group 1, two usersock, the second connected to the first
nl_route = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
nl_route.bind((0, 1))
nl_a = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 2)
nl_a.bind((0x4000, 0))
nl_b = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 2)
nl_b.bind((0x4001, 0))
nl_b.connect((0x4000, 0))
# raw: ICMP and ICMPv6
raw4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
raw6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
# MPTCP, if the kernel allows it
mptcp_ok = True
try:
    m_l = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
    m_l.bind(("127.0.0.1", 0))
    m_l.listen()
    m_port = m_l.getsockname()[1]
    m_c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
    m_c.connect(("127.0.0.1", m_port))
    m_a, _ = m_l.accept()
except OSError as e:
    if e.errno not in (errno.EPROTONOSUPPORT, errno.ENOPROTOOPT, errno.EINVAL, errno.EAFNOSUPPORT):
        raise
    mptcp_ok = False
    print("note: this kernel refuses MPTCP sockets:", e)

rc, out, err = run("--once", "--format=json", "-0", "--netlink", "-M", "-w")
check(rc == 0, "sockview --once --format=json -0 --netlink -M -w exits 0 (%d: %s)" % (rc, err.strip()))
rows = json.loads(out)
by_ino = {r["inode"]: r for r in rows if r["inode"]}


def mine(r, sock):
    return any(p["pid"] == pid and p["fd"] == sock.fileno() for p in r["processes"])


# packet
r = by_ino.get(ino(p_all))
check(r is not None and r["proto"] == "packet" and r["family"] == "packet" and r["type"] == "raw",
      "packet SOCK_RAW listed as packet/raw")
if r:
    check(r["state"] == "UNCONN" and r["local"] == {"protocol": "*", "ifname": None}
          and r["packet"]["protocol"] == 3 and r["packet"]["ifindex"] == 0
          and r["source"] == "sock_diag" and r["uid"] == os.getuid() and mine(r, p_all),
          "packet ETH_P_ALL: local *, any interface, owner %d" % pid)
r = by_ino.get(ino(p_ip))
check(r is not None and r["type"] == "dgram" and r["local"] == {"protocol": "ip", "ifname": "lo"}
      and r["packet"]["protocol"] == 0x0800 and r["packet"]["ifindex"] == 1 and mine(r, p_ip),
      "packet SOCK_DGRAM ETH_P_IP bound to lo")

# netlink
r = by_ino.get(ino(nl_route))
check(r is not None and r["proto"] == "netlink" and r["local"]["protocol"] == "rtnl"
      and r["local"]["portid"] == nl_route.getsockname()[0] and r["netlink"]["groups"] == [1]
      and r["peer"] is None and mine(r, nl_route),
      "netlink route socket: rtnl:portid, group 1, owner")
r = by_ino.get(ino(nl_b))
check(r is not None and r["local"] == {"protocol": "usersock", "portid": 0x4001}
      and r["peer"] == {"group": 0, "portid": 0x4000} and r["netlink"]["dst_portid"] == 0x4000,
      "connected netlink socket: its peer's port id")
check(any(x["proto"] == "netlink" and x["local"] == {"protocol": "rtnl", "portid": 0} for x in rows),
      "the kernel's rtnl socket (port id 0)")

# raw (from /proc without raw_diag)
want_src = "sock_diag" if diag_has(socket.AF_INET, 255) else "proc"
for s, fam, proto in ((raw4, "inet", 1), (raw6, "inet6", 58)):
    r = by_ino.get(ino(s))
    check(r is not None and r["proto"] == "raw" and r["family"] == fam
          and r["local"]["port"] == proto and r["state"] == "UNCONN"
          and r["source"] == want_src and mine(r, s),
          "raw %s socket (protocol %d) listed, source %s" % (fam, proto, want_src))
check("raw sockets cannot be seen" not in err, "no 'cannot be seen' for raw: /proc stood in")

# MPTCP
if mptcp_ok:
    r = by_ino.get(ino(m_l))
    check(r is not None and r["proto"] == "mptcp" and r["state"] == "LISTEN"
          and r["local"] == {"addr": "127.0.0.1", "port": m_port} and "mptcp" in r and mine(r, m_l),
          "MPTCP listener with its mptcp object")
    est = [x for x in rows if x["proto"] == "mptcp" and x["state"] == "ESTAB"
           and m_port in (x["local"]["port"], x["peer"]["port"])]
    check(len(est) == 2 and all(x["mptcp"]["token"] != 0 for x in est),
          "both ends of the MPTCP connection, with their tokens")
else:
    if diag_has(socket.AF_INET, 262):
        check(not any(x["proto"] == "mptcp" for x in rows) and "mptcp" not in err,
              "MPTCP refused but mptcp_diag present: none listed, nothing to report")
    else:
        check("mptcp sockets cannot be seen" in err,
              "MPTCP not in this kernel: sockview says it cannot be seen")

# the default set leaves netlink out, and the kinds are selectable alone
rc, out, err = run("--once", "--format=json")
dflt = json.loads(out)
check(not any(x["proto"] == "netlink" for x in dflt) and any(x["proto"] == "packet" for x in dflt),
      "default: packet shown, netlink not")
rc, out, err = run("--once", "--format=json", "--netlink")
check(rc == 0 and {x["proto"] for x in json.loads(out)} == {"netlink"}, "--netlink alone: netlink only")
rc, out, err = run("--once", "--format=json", "-f", "netlink")
check(rc == 0 and out.strip() != "[]" and {x["proto"] for x in json.loads(out)} == {"netlink"},
      "-f netlink shows netlink sockets without --netlink")
rc, out, err = run("--once", "--format=json", "-f", "packet or netlink", "-0", "--netlink", "-t")
check(rc == 0 and {x["proto"] for x in json.loads(out)} == {"packet", "netlink"},
      "the filter's kind terms: 'packet or netlink'")

# against ss: packet (protocol and interface), netlink (protocol number and
# port id, leaving out the two dumpers' own sockets), MPTCP, raw
def sv_table(*args):
    rc, out, _ = run("--once", *args)
    return [l.split() for l in out.splitlines()[1:] if l.strip()]


ssp = sorted((f[0], f[4]) for f in ss("-0", "-a"))
svp = sorted((f[0], f[4]) for f in sv_table("-0"))
check(ssp == svp, "packet sockets as ss -0 -a shows them: %s / %s" % (ssp, svp))


def nl_set(rows_):
    return sorted((x["netlink"]["protocol"], x["netlink"]["portid"]) for x in rows_
                  if not (x["netlink"]["protocol"] == 4 and x["netlink"]["portid"] != 0))


rc, out, _ = run("--once", "--format=json", "--netlink")
# (a socket in a multicast group comes twice in the kernel's dump: ss
# prints it twice, sockview keeps one, by its cookie)
ssn = sorted({(int(f[3].split(":")[0]), int(f[3].split(":")[1])) for f in ss("-A", "netlink", "-an")
              if not (f[3].startswith("4:") and f[3] != "4:0")})
svn = nl_set(json.loads(out))
check(ssn == svn, "netlink sockets as ss -A netlink -an lists them: %s / %s" % (ssn, svn))
if mptcp_ok:
    ssm = sorted((f[0], f[3], f[4]) for f in ss("-M", "-an"))
    svm = sorted((f[1], f[4], f[5].replace("*:*", "0.0.0.0:*")) for f in sv_table("-M"))
    check(ssm == svm, "MPTCP sockets as ss -M -an: %s / %s" % (ssm, svm))
ssw = sorted((f[0], f[3].rsplit(":", 1)[1]) for f in ss("-w", "-an"))
svw = sorted((f[1], f[4].rsplit(":", 1)[1]) for f in sv_table("-w"))
check(ssw == svw, "raw sockets as ss -w -an: %s / %s" % (ssw, svw))

print("%d failed" % fails)
sys.exit(1 if fails else 0)
