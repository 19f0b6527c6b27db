#!/usr/bin/env python3
"""live.py - what a live view costs: sockview in tmux vs watch -n1 ss -tuxanp.

usage: live.py --sockview PATH [--secs N] [--warmup N] [--keys N] [--tmux PATH]
               [--wait N] [--no-watch]

Runs `sockview -d 1` in a private tmux server for a fixed period and reads
its CPU seconds (utime + stime, /proc/PID/stat) and memory (VmRSS, VmHWM,
/proc/PID/status); then `watch -n1 ss -tuxanp` over the same period, counting
the CPU of watch and of every ss it ran (reaped children, plus those still
running at either end). Then the key-press latency: it waits until a
sockview refresh has begun (its on-CPU time, /proc/PID/schedstat, starts
moving after an idle spell), sends a key ('?' opens the help, and closes
it) through a tmux control-mode client and polls the screen through it
every millisecond until the change shows (no tmux client is started per
key or per look, which would cost more than what is measured). Prints tab-separated lines:

  sockview-live CPU_PCT RSS_KB HWM_KB KEY_MED_MS KEY_MAX_MS KEYS MID_REFRESH
  watch-ss      CPU_PCT RSS_KB HWM_KB -          -          -    -
  sockview-header TEXT  (the header's "Refresh" line at the end: at 10^6
                        sockets it says how far the interval grew)

--wait N stretches the waits for a refresh (10 s) and the longest
refresh (5 s) to N and N/2 seconds: at 10^6 sockets the interval grows
by itself to tens of seconds.

Every process started here is stopped by killing its tmux server (each run
has its own socket name), and every wait has a deadline.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time

from svbench import (Control, ctl_wait_text, own_cpu, reaped_cpu, sched_ns,
                     stat_fields, status_kb)


def tmux(args, sock, *rest, text=False):
    return subprocess.run([args.tmux, "-L", sock, *rest], check=True,
                          capture_output=True, text=text)


def capture(args, sock):
    return tmux(args, sock, "capture-pane", "-p", text=True).stdout


def children_of(pid):
    kids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            if int(stat_fields(d)[1]) == pid:
                kids.append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    return kids


def tree_cpu(pid):
    """CPU seconds of pid and all its descendants, living or reaped."""
    total = own_cpu(pid) + reaped_cpu(pid)
    for k in children_of(pid):
        try:
            total += tree_cpu(k)
        except (OSError, ValueError):
            pass  # exited meanwhile: now in the parent's reaped time
    return total


def start(args, sock, cmd):
    subprocess.run([args.tmux, "-L", sock, "kill-server"], capture_output=True)
    tmux(args, sock, "new-session", "-d", "-x", "160", "-y", "50", "exec " + cmd)
    # the control client used for key timing must not resize the window
    tmux(args, sock, "set-option", "-g", "window-size", "manual")
    return int(tmux(args, sock, "list-panes", "-F", "#{pane_pid}", text=True).stdout.split()[0])


def stop(args, sock):
    subprocess.run([args.tmux, "-L", sock, "kill-server"], capture_output=True)


def wait_text(args, sock, text, present=True, timeout=60.0, poll=0.1):
    """Seconds until text is (or is no longer) on the screen; None on timeout."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if (text in capture(args, sock)) == present:
            return time.monotonic() - t0
        time.sleep(poll)
    return None


WAIT = 10.0  # --wait


def wait_refresh_start(pid, idle=0.15, timeout=None):
    """Waits until pid starts using the CPU after at least `idle` seconds of
    rest (the start of a refresh). Returns True, or False on timeout."""
    timeout = WAIT if timeout is None else timeout
    t0 = time.monotonic()
    last = sched_ns(pid)
    quiet_since = time.monotonic()
    while time.monotonic() - t0 < timeout:
        time.sleep(0.001)
        cur = sched_ns(pid)
        now = time.monotonic()
        if cur != last:
            if now - quiet_since >= idle:
                return True
            quiet_since = now
            last = cur
    return False


def busy_span(pid, idle=0.1, timeout=None):
    """After a refresh began: seconds until pid rests for `idle` seconds
    (measured to its last CPU activity)."""
    timeout = WAIT / 2 if timeout is None else timeout
    t0 = time.monotonic()
    last = sched_ns(pid)
    last_change = t0
    while time.monotonic() - last_change < idle and time.monotonic() - t0 < timeout:
        time.sleep(0.001)
        cur = sched_ns(pid)
        if cur != last:
            last, last_change = cur, time.monotonic()
    return last_change - t0


def key_latency(args, sock, pid, n):
    """Latencies in ms of n key presses sent while a refresh runs, and how
    many of them went out before that refresh could have ended (the
    shortest of three refreshes timed first)."""
    lat, busy = [], 0
    spans = [busy_span(pid) for _ in range(3) if wait_refresh_start(pid)]
    shortest = min(spans) if spans else 0.0
    # '?' opens the help and closes it again (Escape would add ncurses'
    # ESCDELAY, 25 ms, to every other sample)
    keys = [("?", "sockview keys", True), ("?", "sockview keys", False)]
    ctl = Control(args.tmux, sock)
    try:
        for i in range(n):
            key, text, present = keys[i % 2]
            if not wait_refresh_start(pid):
                continue
            started = time.monotonic()
            time.sleep(random.uniform(0.005, 0.06))
            t0 = time.monotonic()
            if t0 - started < shortest:
                busy += 1
            ctl.cmd(f"send-keys {key}")
            if ctl_wait_text(ctl, text, present) is None:
                print(f"live: key {key} not answered within 10 s", file=sys.stderr)
                lat.append(10000.0)
                continue
            lat.append((time.monotonic() - t0) * 1000)
            time.sleep(0.05)
    finally:
        ctl.close()
    return lat, busy


def measure(args, sock, cmd, ready_text, keys):
    pid = start(args, sock, cmd)
    try:
        if ready_text and wait_text(args, sock, ready_text, timeout=max(120.0, 6 * WAIT),
                                poll=0.1) is None:
            print(f"live: '{cmd}' never showed '{ready_text}'", file=sys.stderr)
            return None
        time.sleep(args.warmup)
        c0 = tree_cpu(pid)
        peak = 0
        t0 = time.monotonic()
        while time.monotonic() - t0 < args.secs:
            time.sleep(0.1)
            rss = status_kb(pid, "VmRSS") + sum(status_kb(k, "VmRSS") for k in children_of(pid))
            peak = max(peak, rss)
        c1 = tree_cpu(pid)
        dt = time.monotonic() - t0
        res = {
            "cpu": 100.0 * (c1 - c0) / dt,
            "rss": status_kb(pid, "VmRSS"),
            "hwm": max(status_kb(pid, "VmHWM"), peak),
        }
        if keys:
            lat, busy = key_latency(args, sock, pid, keys)
            res["lat"] = lat
            res["busy"] = busy
        res["header"] = next((ln.strip() for ln in capture(args, sock).splitlines()
                              if "Refresh" in ln), "")
        return res
    finally:
        stop(args, sock)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sockview", required=True)
    ap.add_argument("--tmux", default="tmux")
    ap.add_argument("--secs", type=float, default=20.0)
    ap.add_argument("--warmup", type=float, default=10.0)
    ap.add_argument("--keys", type=int, default=10)
    ap.add_argument("--no-watch", action="store_true")
    ap.add_argument("--wait", type=float, default=10.0)
    args = ap.parse_args()
    global WAIT
    WAIT = args.wait
    sock = f"svbench{os.getpid()}"

    sv = measure(args, sock, f"{args.sockview} -d 1", "sockets:", args.keys)
    if sv:
        lat = sv.get("lat") or [0.0]
        print(f"sockview-live\t{sv['cpu']:.2f}\t{sv['rss']}\t{sv['hwm']}\t"
              f"{statistics.median(lat):.0f}\t{max(lat):.0f}\t{len(sv.get('lat', []))}\t"
              f"{sv.get('busy', 0)}")
        print(f"sockview-header\t{sv.get('header', '')}")
    if not args.no_watch:
        w = measure(args, sock, "watch -n1 ss -tuxanp", "Every", 0)
        if w:
            print(f"watch-ss\t{w['cpu']:.2f}\t{w['rss']}\t{w['hwm']}\t-\t-\t-\t-")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
