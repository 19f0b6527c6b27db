"""kinds.py - the cost of the socket kinds of issue 13 in batch mode, run
by hand inside `unshare -rn` (packet sockets need CAP_NET_RAW there):

    unshare -rn python3 bench/kinds.py src/sockview

Opens 50 packet, 200 netlink and 100 raw sockets, then times (best of 20)
`sockview --once --no-processes` with each kind option against the matching
ss command. Process start-up dominates at this size; the figures are for
comparing kinds, not a load test (bench/run.sh is that)."""
import socket
import subprocess
import sys
import time

subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
keep = [socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)) for _ in range(50)]
keep += [socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0) for _ in range(200)]
keep += [socket.socket(socket.AF_INET, socket.SOCK_RAW, 1) for _ in range(100)]
SV = sys.argv[1] if len(sys.argv) > 1 else "src/sockview"


def best(cmd, n=20):
    b = 1e9
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        b = min(b, time.perf_counter() - t)
    return b * 1000


for args, ss in (([], None), (["-t", "-u", "-x", "-w"], None), (["-0"], ["-0", "-a"]),
                 (["--netlink"], ["-A", "netlink", "-a"]), (["-M"], ["-M", "-a"]),
                 (["-w"], ["-w", "-a"])):
    line = "sockview --once --no-processes %-12s %7.2f ms" % (" ".join(args), best([SV, "--once", "--no-processes", *args]))
    if ss:
        line += "   ss %-14s %7.2f ms" % (" ".join(ss), best(["ss", *ss]))
    print(line)
