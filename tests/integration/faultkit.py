#!/usr/bin/env python3
# faultkit.py - clients and a server for the fault tests (tests/integration/fault-*.sh)
"""Clients and a server for the fault tests; every wait is bounded.

  hold-unix PATH SILENT PARTIAL SECONDS
      Connect SILENT clients that send nothing and PARTIAL that send part of an HTTP
      request (half of them part of the request line, half all but the blank line ending
      the headers), all to the unix socket PATH, for 10 s at most. Prints "held K of N",
      then "all-closed T" as soon as the server has closed every one (T: seconds since
      "held"), or "still-open M after T s" when SECONDS pass first; keeps its own ends
      open until SECONDS have passed.
  hold-tcp HOST PORT N SECONDS
      Open N TCP connections at once and hold them SECONDS; prints "connecting N" when
      every connect() is under way, "connected K" (those complete within 10 s), and
      "closed" when it has closed them.
  echo-server HOST PORT [BACKLOG]
      Line echo server for many clients at once (selectors, backlog 4096 by default); prints
      "listening" when it listens. Runs until killed.
  burst HOST PORT N TIMEOUT [ROUNDS]
      ROUNDS times (default 1): N connections at once (non-blocking connects fired
      together), a unique line sent on each, every echo checked, all N kept open until
      the last echo; a round must end within TIMEOUT seconds. Prints one line per round; exits 1 at the first round that loses a
      connection (refused, reset, not echoed in time, or a wrong echo).
Each raises its soft limit on open files to the hard limit first.
"""
import errno
import os
import resource
import selectors
import socket
import sys
import time


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def say(*a):
    print(*a, flush=True)


def die(msg):
    print("faultkit: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def need_fds(n):
    hard = raise_nofile()
    if hard < n + 64:
        die("the open file limit (%d) is too low for %d connections: raise it (ulimit -Hn)"
            % (hard, n))


def hold_unix(path, silent, partial, seconds):
    n = silent + partial
    need_fds(n)
    partial_msgs = [b"GET /v1/in", b"GET /v1/info HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n"]
    socks = []
    deadline = time.monotonic() + 10
    # non-blocking: a full backlog (EAGAIN) is retried, not waited for in connect()
    while len(socks) < n and time.monotonic() < deadline:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect(path)
        except BlockingIOError:
            s.close()
            time.sleep(0.01)
            continue
        except OSError as e:
            die("client %d of %d could not connect to %s: %s" % (len(socks) + 1, n, path, e))
        if len(socks) >= silent:
            s.send(partial_msgs[len(socks) % 2])
        socks.append(s)
    held_at = time.monotonic()
    say("held %d of %d" % (len(socks), n))
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    open_ = len(socks)
    end = held_at + seconds
    while open_ and time.monotonic() < end:
        for key, _ in sel.select(timeout=max(0.0, min(0.5, end - time.monotonic()))):
            try:
                data = key.fileobj.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                data = b""
            except BlockingIOError:
                continue
            if not data:
                sel.unregister(key.fileobj)
                open_ -= 1
    if open_:
        say("still-open %d after %.1f s" % (open_, time.monotonic() - held_at))
    else:
        say("all-closed %.1f" % (time.monotonic() - held_at))
    # keep our ends until SECONDS: the server's descriptors are counted meanwhile
    time.sleep(max(0.0, end - time.monotonic()))
    for s in socks:
        s.close()


def hold_tcp(host, port, n, seconds):
    need_fds(n)
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        s.setblocking(False)
        err = s.connect_ex((host, port))
        if err not in (0, errno.EINPROGRESS):
            die("connect: %s" % os.strerror(err))
        socks.append(s)
    say("connecting %d" % n)
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_WRITE)
    connected = 0
    t0 = time.monotonic()
    while sel.get_map() and time.monotonic() < t0 + 10:
        for key, _ in sel.select(timeout=0.5):
            sel.unregister(key.fileobj)
            if key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                connected += 1
    say("connected %d" % connected)
    time.sleep(max(0.0, t0 + seconds - time.monotonic()))
    for s in socks:
        s.close()
    say("closed")


def echo_server(host, port, backlog):
    raise_nofile()
    ls = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, port))
    ls.listen(backlog)
    ls.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(ls, selectors.EVENT_READ, None)
    say("listening")
    while True:
        for key, _ in sel.select():
            if key.data is None:
                for _ in range(256):
                    try:
                        c, _ = ls.accept()
                    except (BlockingIOError, InterruptedError):
                        break
                    except OSError:
                        time.sleep(0.01)  # out of descriptors: rest, do not spin
                        break
                    c.setblocking(False)
                    sel.register(c, selectors.EVENT_READ, [b""])
                continue
            c, buf = key.fileobj, key.data
            try:
                data = c.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                sel.unregister(c)
                c.close()
                continue
            buf[0] += data
            while b"\n" in buf[0]:
                line, buf[0] = buf[0].split(b"\n", 1)
                try:
                    c.sendall(line + b"\n")
                except OSError:
                    break


def burst_round(host, port, n, timeout, tag):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    conns = {}
    sel = selectors.DefaultSelector()
    lost = {"refused": 0, "reset": 0, "timeout": 0, "wrong": 0}
    for i in range(n):
        s = socket.socket(fam)
        s.setblocking(False)
        err = s.connect_ex((host, port))
        if err not in (0, errno.EINPROGRESS):
            lost["refused"] += 1
            s.close()
            continue
        line = ("%s-%d\n" % (tag, i)).encode()
        conns[s] = [line, b"", False]
        sel.register(s, selectors.EVENT_WRITE)
    t0 = time.monotonic()
    ok = 0
    done = []
    while conns and time.monotonic() < t0 + timeout:
        for key, ev in sel.select(timeout=0.5):
            s = key.fileobj
            st = conns[s]
            try:
                if not st[2]:
                    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if err:
                        raise OSError(err, os.strerror(err))
                    s.send(st[0])  # a short line: one send
                    st[2] = True
                    sel.modify(s, selectors.EVENT_READ)
                    continue
                data = s.recv(4096)
                if not data:
                    raise ConnectionResetError("closed before the echo")
                st[1] += data
                if b"\n" not in st[1]:
                    continue
                if st[1] == st[0]:
                    ok += 1
                else:
                    lost["wrong"] += 1
            except ConnectionRefusedError:
                lost["refused"] += 1
                s.close()
            except OSError:
                lost["reset"] += 1
                s.close()
            # an echoed connection stays open until the round ends: all N at once
            sel.unregister(s)
            del conns[s]
            done.append(s)
    lost["timeout"] = len(conns)
    for s in list(conns) + done:
        s.close()
    return ok, lost, time.monotonic() - t0


def burst(host, port, n, timeout, rounds):
    need_fds(n)
    for r in range(1, rounds + 1):
        ok, lost, took = burst_round(host, port, n, timeout, "r%d-%d" % (r, os.getpid()))
        nlost = sum(lost.values())
        say("round %d: %d of %d echoed in %.1f s; lost %d (%s)"
            % (r, ok, n, took, nlost, ", ".join("%s %d" % kv for kv in lost.items())))
        if nlost:
            sys.exit(1)


def main(argv):
    if len(argv) < 2:
        die("usage: see the header of " + argv[0])
    cmd, a = argv[1], argv[2:]
    if cmd == "hold-unix" and len(a) == 4:
        hold_unix(a[0], int(a[1]), int(a[2]), float(a[3]))
    elif cmd == "hold-tcp" and len(a) == 4:
        hold_tcp(a[0], int(a[1]), int(a[2]), float(a[3]))
    elif cmd == "echo-server" and len(a) in (2, 3):
        echo_server(a[0], int(a[1]), int(a[2]) if len(a) == 3 else 4096)
    elif cmd == "burst" and len(a) in (4, 5):
        burst(a[0], int(a[1]), int(a[2]), float(a[3]), int(a[4]) if len(a) == 5 else 1)
    else:
        die("bad arguments: %s (see the header of %s)" % (" ".join(argv[1:]), argv[0]))


if __name__ == "__main__":
    main(sys.argv)
