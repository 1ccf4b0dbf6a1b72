#!/usr/bin/env python3
"""bench/soak.py - the soak run's driver: churn, traffic through both drivers, helper kills.

Run by bench/soak.sh (as root) against two rootlessnet instances it started as the test user:
one with the builtin port driver, one with the slirp4netns port driver, each with a TCP and
UDP echo server inside and a TCP and a UDP port published with -p. For SECONDS seconds, in
rounds of about a second:

  - API churn: a TCP port added through api.sock, one connection through it checked, removed;
  - TCP: CONNS connections at once through each instance's -p port, each echoing a line;
  - UDP: DGRAMS datagrams through each instance's -p port, each echoed;
  - every KILL_EVERY seconds, kill -9 of one helper in turn (the builtin instance's port
    helper, the slirp4netns instance's network process, the builtin instance's network
    process), then the time until traffic passes again is measured.

The warm-up replaces each helper once, then runs rounds for SOAK_WARM_SECONDS (30): a
replacement is forked from the parent as it is at that moment, and as the parent writes to
the pages they share, the replacement keeps its own copies, up to the size of the parent's
own memory. That is a step, bounded, and the warm-up lets it complete; what is measured is
whether anything grows after it. PSS splits shared library pages among all the processes
that map them, on the whole machine: run it on a quiet machine.

Losses in a round that overlapped a kill (from the kill to the recovery) are counted apart:
those are the connections open at the kill. Anything lost in any other round is a failure.
At the start (after a warm-up) and at the end, with the same ports published and no traffic,
the descriptors and the PSS of every process of each instance are read. Prints one line per
figure and exits 1 if something was lost outside a kill, a helper did not come back within
RECOVER_S, descriptors grew by more than 2 or PSS by more than 10%.

Only loopback and the instances' own namespaces are reached.
"""
import json
import os
import signal
import socket
import sys
import time

# the fault tests' clients (tests/integration/faultkit.py)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
import faultkit  # noqa: E402

RECOVER_S = 5.0
SETTLE_S = 60.0
SETTLE_MIN_S = 15.0


def env_int(name, default):
    return int(os.environ.get(name, default))


SECONDS = env_int("SOAK_SECONDS", 600)
KILL_EVERY = env_int("SOAK_KILL_EVERY", 60)
CONNS = env_int("SOAK_CONNS", 50)
DGRAMS = env_int("SOAK_DGRAMS", 50)
WARM_S = env_int("SOAK_WARM_SECONDS", 30)


def http(sock_path, method, path, body=None, timeout=5.0):
    """One HTTP/1.1 request on api.sock; returns (status, body bytes)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(sock_path)
        data = body.encode() if body is not None else b""
        req = "%s %s HTTP/1.1\r\nHost: rootlesskit\r\nConnection: close\r\n" % (method, path)
        if body is not None:
            req += "Content-Type: application/json\r\n"
        req += "Content-Length: %d\r\n\r\n" % len(data)
        s.sendall(req.encode() + data)
        resp = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            resp += chunk
        head, _, rest = resp.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1]) if head else 0
        return status, rest
    finally:
        s.close()


def tcp_round(port, n, tag, timeout=10.0):
    """n connections at once to 127.0.0.1:port, each sends a line and wants it back (a round
    of the fault tests' burst, tests/integration/faultkit.py).

    Returns the number that failed."""
    ok, _, _ = faultkit.burst_round("127.0.0.1", port, n, timeout, tag)
    return n - ok


UDP_CLIENTS = {}


def udp_round(port, n, timeout=2.0):
    """n datagrams to 127.0.0.1:port; returns how many were not echoed.

    One client socket per port for the whole run: a new source port each round would be a
    new flow each round, which the forwarders keep for 90 s (libslirp longer) by design."""
    s = UDP_CLIENTS.get(port)
    if s is None:
        s = UDP_CLIENTS[port] = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(0.2)
    while True:
        # replies that came late (a round near a kill) are not this round's
        try:
            s.setblocking(False)
            s.recv(65536)
        except OSError:
            break
        finally:
            s.settimeout(0.2)
    want = set()
    for i in range(n):
        m = b"d-%d-%d" % (os.getpid(), i)
        want.add(m)
        try:
            s.sendto(m, ("127.0.0.1", port))
        except OSError:
            pass
    deadline = time.monotonic() + timeout
    while want and time.monotonic() < deadline:
        try:
            want.discard(s.recv(65536))
        except socket.timeout:
            continue
        except OSError:
            break
    return len(want)


def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
            ppid = int(st[st.rindex(")") + 2:].split()[1])
        except (OSError, ValueError):
            continue
        if ppid == pid:
            out.append(int(d))
    return out


def comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


def tree(pid):
    """pid and all its descendants."""
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children(p))
    return seen


def ours(pid):
    """The instance's own processes: the parent and its helpers (not the command's)."""
    procs = [pid]
    for c in children(pid):
        if comm(c).startswith("rootlessnet"):
            procs.append(c)
    return procs


def nfds(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return 0


# /proc/PID/net tables and the column of their inode
SOCKET_TABLES = (("tcp", 9), ("tcp6", 9), ("udp", 9), ("udp6", 9), ("raw", 9), ("raw6", 9),
                 ("unix", 6), ("netlink", 9), ("packet", 8))


def socket_inodes(pid):
    """Inodes of the sockets the network namespace of pid lists: every socket but an inet
    one that is neither bound nor connected."""
    inodes = set()
    for name, col in SOCKET_TABLES:
        try:
            with open("/proc/%d/net/%s" % (pid, name)) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if len(fields) > col:
                        inodes.add(fields[col])
        except (OSError, StopIteration):
            pass
    return inodes


def spare_sockets(pid, ns_pids):
    """Sockets pid holds that are neither bound nor connected anywhere: the port driver's
    spare sockets made in advance in the namespace (up to 8 of each kind), whose number
    depends only on how many connections came since the last batch."""
    known = socket_inodes(pid)
    for p in ns_pids:
        known |= socket_inodes(p)
    n = 0
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                link = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if link.startswith("socket:[") and link[8:-1] not in known:
                n += 1
    except OSError:
        pass
    return n


def pss_kib(pid, field="Pss:"):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def helper(pid, name):
    for c in children(pid):
        if comm(c) == name:
            return c
    return 0


class Instance:
    def __init__(self, name, pid, state, tcp, udp):
        self.name, self.pid, self.state = name, pid, state
        self.tcp, self.udp = tcp, udp
        self.sock = os.path.join(state, "api.sock")

    def measure(self):
        """Descriptors (the spare sockets apart), PSS in KiB, processes."""
        procs = ours(self.pid)
        spares = spare_sockets(self.pid, procs[1:])
        self.detail = " ".join("%s:%d/%dK(anon %dK)" % (comm(p), nfds(p), pss_kib(p),
                                                       pss_kib(p, "Pss_Anon:"))
                               for p in procs) + " spare sockets %d" % spares
        return (sum(nfds(p) for p in procs) - spares, sum(pss_kib(p) for p in procs),
                len(procs))


def settled(insts):
    """Measure once the descriptor counts stopped falling for 3 s (bounded by SETTLE_S).

    Connections of the last rounds are still in the TCP state machines for a while (libslirp
    keeps a host socket through its TIME_WAIT, 2 MSL): they close by themselves."""
    t0 = time.monotonic()
    last, still = None, 0
    while time.monotonic() - t0 < SETTLE_S:
        m = {i.name: i.measure() for i in insts}
        fds = tuple(m[n][0] for n in sorted(m))
        still = still + 1 if fds == last else 0
        if still >= 5 and time.monotonic() - t0 >= SETTLE_MIN_S:
            break
        last = fds
        time.sleep(1)
    return m


def churn(inst, port):
    spec = json.dumps({"proto": "tcp", "parentIP": "127.0.0.1", "parentPort": port,
                       "childIP": "", "childPort": 80})
    st, body = http(inst.sock, "POST", "/v1/ports", spec)
    if st != 201:
        return "add: %d %s" % (st, body[:200])
    try:
        pid = json.loads(body)["id"]
    except (ValueError, KeyError):
        return "add: bad answer %r" % body[:200]
    lost = tcp_round(port, 1, "churn")
    st, body = http(inst.sock, "DELETE", "/v1/ports/%d" % pid)
    if st != 200:
        return "remove: %d %s" % (st, body[:200])
    return "lost a connection through an added port" if lost else None


def serve():
    """Inside an instance: TCP echo on port 80, UDP echo on port 53, any address."""
    import resource
    import selectors
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(65536, hard), hard))
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", 80))
    ls.listen(4096)
    ls.setblocking(False)
    us = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    us.bind(("0.0.0.0", 53))
    us.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(ls, selectors.EVENT_READ)
    sel.register(us, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            if s is ls:
                for _ in range(256):
                    try:
                        c, _ = ls.accept()
                    except OSError:
                        break
                    c.setblocking(False)
                    sel.register(c, selectors.EVENT_READ)
            elif s is us:
                for _ in range(256):
                    try:
                        d, a = us.recvfrom(65536)
                        us.sendto(d, a)
                    except OSError:
                        break
            else:
                try:
                    d = s.recv(65536)
                except OSError:
                    d = b""
                if d:
                    try:
                        s.send(d)
                    except OSError:
                        d = b""
                if not d:
                    sel.unregister(s)
                    s.close()


def main():
    if sys.argv[1:2] == ["serve"]:
        serve()
        return 0
    b_pid, b_state, b_tcp, b_udp, s_pid, s_state, s_tcp, s_udp, churn_base = map(
        str, sys.argv[1:10])
    insts = [Instance("builtin", int(b_pid), b_state, int(b_tcp), int(b_udp)),
             Instance("slirp4netns", int(s_pid), s_state, int(s_tcp), int(s_udp))]
    churn_port = int(churn_base)
    kills = [(insts[0], "rootlessnet-ns"), (insts[1], "rootlessnet-net"),
             (insts[0], "rootlessnet-net")]
    failures = []
    # warm-up: traffic, every helper replaced once (a replacement starts as a copy of the
    # parent of that moment, so it holds more than the first did; that is a step, not a
    # leak), then traffic again: everything allocated once (flow tables, pipes, libslirp's
    # sockets, the replacements' copies)
    t = time.monotonic()
    while time.monotonic() - t < WARM_S / 2:
        for inst in insts:
            tcp_round(inst.tcp, CONNS, "warm")
            udp_round(inst.udp, DGRAMS)
            churn(inst, churn_port)
        time.sleep(0.2)
    for inst, name in kills:
        hp = helper(inst.pid, name)
        if hp:
            os.kill(hp, signal.SIGKILL)
        t = time.monotonic()
        while tcp_round(inst.tcp, 1, "warm", timeout=1.0) and time.monotonic() - t < RECOVER_S:
            pass
    t = time.monotonic()
    while time.monotonic() - t < WARM_S:
        for inst in insts:
            tcp_round(inst.tcp, CONNS, "warm")
            udp_round(inst.udp, DGRAMS)
            churn(inst, churn_port)
        time.sleep(0.2)
    before = settled(insts)
    details = {i.name: i.detail for i in insts}
    t0 = time.monotonic()
    next_kill = t0 + KILL_EVERY
    rounds = conns = dgrams = churns = 0
    lost_at_kill = 0
    recov = []
    k = 0
    while time.monotonic() - t0 < SECONDS:
        killed = None
        if time.monotonic() >= next_kill:
            inst, name = kills[k % len(kills)]
            k += 1
            hp = helper(inst.pid, name)
            if not hp:
                failures.append("%s: no %s to kill" % (inst.name, name))
            else:
                os.kill(hp, signal.SIGKILL)
                killed = (inst, name, time.monotonic())
            next_kill += KILL_EVERY
        for inst in insts:
            if killed and killed[0] is inst:
                # until the helper is back, what is lost was open at the kill
                lost = 0
                while True:
                    l1 = tcp_round(inst.tcp, 1, "probe", timeout=1.0)
                    l2 = udp_round(inst.udp, 1, timeout=0.3)
                    lost += l1 + l2
                    if not l1 and not l2:
                        break
                    if time.monotonic() - killed[2] > RECOVER_S:
                        failures.append("%s: %s killed, no traffic after %.0f s" %
                                        (inst.name, killed[1], RECOVER_S))
                        break
                recov.append((inst.name, killed[1], time.monotonic() - killed[2]))
                lost_at_kill += lost
            lt = tcp_round(inst.tcp, CONNS, "r%d" % rounds)
            lu = udp_round(inst.udp, DGRAMS)
            conns += CONNS
            dgrams += DGRAMS
            if lt or lu:
                failures.append("%s: round %d lost %d of %d connections, %d of %d datagrams"
                                % (inst.name, rounds, lt, CONNS, lu, DGRAMS))
            why = churn(inst, churn_port)
            churns += 1
            if why:
                failures.append("%s: API churn: %s" % (inst.name, why))
        rounds += 1
        time.sleep(0.2)
    elapsed = time.monotonic() - t0
    # what the last rounds left in the TCP state machines (libslirp's TIME_WAIT holds its host
    # socket for 2 MSL) closes by itself: wait for that, bounded
    settle = time.monotonic()
    after = settled(insts)
    print("soak: measured %.0f s after the last round" % (time.monotonic() - settle))
    print("soak: %.0f s, %d rounds: %d connections, %d datagrams, %d API add/remove, "
          "%d helper kills" % (elapsed, rounds, conns, dgrams, churns, k))
    for name, helper_name, secs in recov:
        print("soak: %s: %s killed, traffic again after %.2f s" % (name, helper_name, secs))
    if recov:
        print("soak: slowest recovery %.2f s; lost at kills (probes while down): %d" %
              (max(r[2] for r in recov), lost_at_kill))
    for inst in insts:
        (f0, p0, n0), (f1, p1, n1) = before[inst.name], after[inst.name]
        print("soak: %s: descriptors %d -> %d, PSS %d -> %d KiB (%d -> %d processes)" %
              (inst.name, f0, f1, p0, p1, n0, n1))
        if f1 > f0 + 2 or p1 > p0 * 1.10:
            failures.append("%s: descriptors %d -> %d, PSS %d -> %d KiB: before %s, after %s"
                            % (inst.name, f0, f1, p0, p1, details[inst.name], inst.detail))
    for f in failures[:50]:
        print("soak: FAIL: %s" % f)
    if len(failures) > 50:
        print("soak: FAIL: %d more" % (len(failures) - 50))
    print("soak: %s" % ("FAILED" if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
