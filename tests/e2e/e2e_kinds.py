"""e2e_kinds.py OUT - holds a packet socket (every protocol), a packet
socket for IP on lo, a netlink usersock socket bound to port id 0x4242 and
an ICMP raw socket until killed; writes PID=, RAWDIAG= (1 if the kernel
dumps raw sockets through sock_diag) to OUT when they are open."""
import os
import signal
import socket
import struct
import sys


def raw_diag():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 4)
    req = struct.pack("=BBBBI", socket.AF_INET, 255, 0, 0, 0xffffffff) + b"\0" * 48
    s.send(struct.pack("=IHHII", 16 + len(req), 20, 0x301, 1, 0) + req)
    data = s.recv(65536)
    s.close()
    _, typ = struct.unpack_from("=IH", data, 0)
    if typ in (2, 3):
        return len(data) < 20 or struct.unpack_from("=i", data, 16)[0] == 0
    return True


keep = [socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))]
p = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
p.bind(("lo", 0x0800))
keep.append(p)
n = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 2)
n.bind((0x4242, 0))
keep.append(n)
keep.append(socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
out = sys.argv[1]
with open(out + ".tmp", "w") as f:
    f.write("PID=%d\nRAWDIAG=%d\n" % (os.getpid(), 1 if raw_diag() else 0))
os.rename(out + ".tmp", out)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
signal.pause()
