"""A FUSE mount whose daemon never answers: what a dead network or FUSE
file system looks like to lstat(), which then sleeps in the kernel.

Usage: deadfuse.py MOUNTPOINT READYFILE

Opens /dev/fuse, mounts it on MOUNTPOINT (root, in the caller's mount
namespace: the test runs in a private one), writes "ready" to READYFILE,
and never reads a request. Killed (SIGTERM), it closes /dev/fuse, which
aborts the connection: the sleepers get ENOTCONN. Exits 77 (skip) when
FUSE cannot be mounted here.
"""
import ctypes
import os
import sys
import time

mnt, ready = sys.argv[1], sys.argv[2]
libc = ctypes.CDLL(None, use_errno=True)
try:
    fd = os.open("/dev/fuse", os.O_RDWR)
except OSError as e:
    print("deadfuse: /dev/fuse: %s" % e, file=sys.stderr)
    sys.exit(77)
opts = "fd=%d,rootmode=40000,user_id=0,group_id=0" % fd
if libc.mount(b"svdeadfs", mnt.encode(), b"fuse", 0, opts.encode()) != 0:
    print("deadfuse: mount: %s" % os.strerror(ctypes.get_errno()), file=sys.stderr)
    sys.exit(77)
with open(ready + ".tmp", "w") as f:
    f.write("ready\n")
os.rename(ready + ".tmp", ready)
while True:
    time.sleep(3600)
