#!/usr/bin/env python3
# tests/e2e/docker28-replay.py - replay what dockerd 28.0.0 / 28.0.1 say to api.sock for `-p PORT:80`, judge the answers
"""Replays, on one keep-alive connection as Go's net/http client does, the conversation a
rootless dockerd 28.0.x has with the port driver API when a container is started with
`-p PORT:80`, and concludes what that daemon would conclude from our answers.

What dockerd 28.0.0 does (libnetwork/drivers/bridge, rlkclient and port_mapping_linux.go):
 - at start-up: GET /v1/info. No portDriver (or "none"/"implicit"): the API is never called.
   With portDriver.disallowLoopbackChildIP, networkDriver.childIP is the child address of every
   binding (networkDriver is dereferenced without a nil check). The address is decoded into a
   16-byte net.IP and turned into a netip.Addr without Unmap(): an IPv4 child IP is therefore
   sent back as "::ffff:a.b.c.d". Otherwise the child address is 127.0.0.1 / ::1.
 - per container: an IPv4 binding (host 0.0.0.0) then, when IPv6 can be listened on in the
   namespace, an IPv6 binding (host ::), both on the same host port. It binds (not yet listens)
   a socket in its namespace on (child address, port) per binding, then calls AddPort in order:
   proto "tcp" becomes "tcp4"/"tcp6"; a proto missing from portDriver.protos is an error, as is
   a non-2xx answer to POST /v1/ports {"proto","parentIP","parentPort","childPort","childIP"};
   any error rolls back every binding (DELETE /v1/ports/ID for those added).
 - then listens on the bound sockets: two bindings on the same child address and port fail
   (EADDRINUSE) and roll everything back.
28.0.1 differs in one place: a proto missing from protos is a typed error; the binding is
skipped with a warning (no listen either) and the others proceed.

The judge: every answer must be well formed; 28.0.1 must succeed for every driver; 28.0.0
must succeed where the driver can serve both families (--expect-2800=ok); whatever is
concluded, every binding the daemon kept must carry traffic from the host's loopback of its
family, and after removal (or rollback) no port is left in the table or bound on the host.
"""
import argparse
import http.client
import ipaddress
import json
import socket
import sys
import time

FAILURES = []


def log(msg):
    print("# " + msg, file=sys.stderr)


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAIL: " + msg, file=sys.stderr)
    return cond


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP/1.1 over a unix socket, kept alive like Go's Transport."""

    def __init__(self, path):
        super().__init__("rootlesskit", timeout=10)
        self.path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(self.path)
        self.sock = s


class GoClient:
    """The requests rootlesskit's pkg/api/client makes (Host "rootlesskit", prefix /v1)."""

    def __init__(self, sock):
        self.conn = UnixHTTPConnection(sock)

    def call(self, method, path, body=None):
        headers = {"User-Agent": "Go-http-client/1.1", "Accept-Encoding": "gzip"}
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, "/v1" + path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException):
            # Go retries an idempotent request once on a fresh connection; so do we, for all
            self.conn.close()
            self.conn.request(method, "/v1" + path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
        log("%s /v1%s %s -> %d %s" % (method, path, data.decode() if data else "", resp.status,
                                       raw.decode(errors="replace").strip()))
        return resp.status, raw


def go_error(raw):
    """The message Go's httputil.HTTPStatusError would produce."""
    try:
        return json.loads(raw)["message"]
    except (ValueError, KeyError, TypeError):
        return "unexpected HTTP status, body=%r" % raw


def go_child_ip(s):
    """netip.AddrFromSlice(net.ParseIP(s)).String(): IPv4 comes out IPv4-mapped."""
    a = ipaddress.ip_address(s)
    if a.version == 4:
        return "::ffff:" + str(a)
    return str(a)


def unmap(s):
    a = ipaddress.ip_address(s)
    if a.version == 6 and a.ipv4_mapped:
        return str(a.ipv4_mapped)
    return str(a)


def http_get(family, port):
    host = "127.0.0.1" if family == 4 else "::1"
    fam = socket.AF_INET if family == 4 else socket.AF_INET6
    for _ in range(20):
        try:
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.settimeout(3)
            s.connect((host, port))
            s.sendall(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
            data = b""
            while True:
                b = s.recv(65536)
                if not b:
                    break
                data += b
            s.close()
            if data:
                return data.decode(errors="replace").split("\r\n\r\n", 1)[-1]
        except OSError:
            pass
        time.sleep(0.25)
    return None


def port_free(port):
    for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        try:
            s.bind((addr, port))
            s.listen(1)
        except OSError:
            return False
        finally:
            s.close()
    return True


def table_empty(c):
    st, raw = c.call("GET", "/ports")
    if not check(st == 200, "GET /v1/ports: status %d" % st):
        return False
    lst = json.loads(raw)
    return lst is None or lst == []


def daemon(version, c, info, port):
    """Play dockerd VERSION for `-p PORT:80`; return (concluded ok?, kept bindings)."""
    pd = info.get("portDriver")
    if not pd or pd.get("driver") in ("none", "implicit"):
        check(False, "%s: no port driver in /v1/info: dockerd would never call the API" % version)
        return False, []
    protos = set(pd.get("protos") or [])
    if pd.get("disallowLoopbackChildIP"):
        nd = info.get("networkDriver")
        if not check(nd is not None, "%s: disallowLoopbackChildIP without networkDriver: "
                     "dockerd dereferences nil and crashes" % version):
            return False, []
        if not check(bool(nd.get("childIP")), "%s: disallowLoopbackChildIP but no "
                     "networkDriver.childIP: dockerd refuses to start" % version):
            return False, []
        child4 = child6 = go_child_ip(nd["childIP"])
    else:
        child4, child6 = "127.0.0.1", "::1"
    bindings = [
        {"family": 4, "proto": "tcp4", "parentIP": "0.0.0.0", "childIP": child4},
        {"family": 6, "proto": "tcp6", "parentIP": "::", "childIP": child6},
    ]
    added = []

    def rollback(why):
        log("%s concludes: container start FAILS (%s); rolling back %s" % (version, why, added))
        for i in added:
            st, raw = c.call("DELETE", "/ports/%d" % i)
            check(st // 100 == 2, "%s rollback: DELETE /v1/ports/%d: %d %s"
                  % (version, i, st, go_error(raw)))
        return False, []

    kept = []
    for b in bindings:
        if b["proto"] not in protos:
            if version == "28.0.0":
                return rollback('protocol "tcp" is not supported by the RootlessKit port driver '
                                '"%s", discarding request for "[%s]:%d"'
                                % (pd.get("driver"), b["parentIP"], port))
            log("%s: warning: protocol %r is not supported by the RootlessKit port driver %r: "
                "discarding request for %s port %d" % (version, b["proto"], pd.get("driver"),
                                                         b["parentIP"], port))
            continue
        spec = {"proto": b["proto"], "parentIP": b["parentIP"], "parentPort": port,
                "childPort": port, "childIP": b["childIP"]}
        st, raw = c.call("POST", "/ports", spec)
        if st // 100 != 2:
            return rollback("error while calling RootlessKit PortManager.AddPort(): "
                            + go_error(raw))
        try:
            status = json.loads(raw)
            pid = status["id"]
        except (ValueError, KeyError, TypeError):
            check(False, "%s: POST /v1/ports answer is not a status object: %r" % (version, raw))
            return rollback("undecodable answer")
        check(isinstance(pid, int) and pid > 0, "%s: bad port id %r" % (version, pid))
        check(status.get("spec", {}).get("proto") == b["proto"] and
              status.get("spec", {}).get("parentPort") == port,
              "%s: status spec does not echo the request: %r" % (version, status))
        added.append(pid)
        kept.append(dict(b, id=pid))
    # the listen phase in the daemon's namespace: one socket per kept (child address, port)
    seen = set()
    for b in kept:
        key = unmap(b["childIP"])
        if key in seen:
            return rollback("failed to listen on TCP socket: address already in use "
                            "(two bindings on child address %s port %d)" % (key, port))
        seen.add(key)
    log("%s concludes: container starts, published on %s" % (
        version, ", ".join("%s %s:%d" % (b["proto"], b["parentIP"], port) for b in kept)))
    return True, kept


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sock", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--body", required=True, help="what the command inside serves")
    ap.add_argument("--expect-2800", choices=("ok", "any"), default="any")
    ap.add_argument("--need-v6", action="store_true",
                    help="28.0.1 must publish IPv6 too (the driver can serve it)")
    ap.add_argument("--api-version", default="1.1.2",
                    help="apiVersion expected (1.1.1: a rootlesskit before 3.0.2, no ipv6 field)")
    ap.add_argument("--ipv6", action="store_true",
                    help="the instance runs with --ipv6: networkDriver.ipv6 must be true")
    a = ap.parse_args()

    c = GoClient(a.sock)
    st, raw = c.call("GET", "/info")
    if not check(st == 200, "GET /v1/info: status %d" % st):
        return 1
    info = json.loads(raw)
    check(info.get("apiVersion") == a.api_version, "apiVersion %r, want %s" % (
        info.get("apiVersion"), a.api_version))
    # API 1.1.2: networkDriver.ipv6, Go's omitempty (absent, never false), the last field of
    # networkDriver; dockerd 28 vendors API 1.1.1 and must ignore it
    nd = info.get("networkDriver") or {}
    if a.api_version < "1.1.2":
        check("ipv6" not in nd, "API %s has no networkDriver.ipv6: %r" % (a.api_version, nd))
    elif a.ipv6:
        check(nd.get("ipv6") is True, "--ipv6 but networkDriver.ipv6 is %r" % nd.get("ipv6"))
        check(list(nd)[-1:] == ["ipv6"], "networkDriver.ipv6 not last: %r" % list(nd))
    else:
        check("ipv6" not in nd, "no --ipv6 but networkDriver has ipv6: %r" % nd)
    check(isinstance(info.get("childPID"), int) and info["childPID"] > 0, "childPID %r"
          % info.get("childPID"))
    pd = info.get("portDriver") or {}
    check("tcp4" in (pd.get("protos") or []), "portDriver.protos lacks tcp4: %r" % pd)

    for version in ("28.0.0", "28.0.1"):
        check(table_empty(c), "%s: port table not empty before the container starts" % version)
        ok, kept = daemon(version, c, info, a.port)
        if version == "28.0.1":
            check(ok, "28.0.1 would fail to start the container")
            if a.need_v6:
                check(any(b["family"] == 6 for b in kept), "28.0.1 publishes no IPv6 binding")
        elif a.expect_2800 == "ok":
            check(ok, "28.0.0 would fail to start the container")
        for b in kept:
            got = http_get(b["family"], a.port)
            check(got is not None and got.strip() == a.body,
                  "%s: %s binding kept but %s:%d serves %r" % (
                      version, b["proto"], "127.0.0.1" if b["family"] == 4 else "[::1]",
                      a.port, got))
        if kept:
            st, raw = c.call("GET", "/ports")
            ids = sorted(p["id"] for p in (json.loads(raw) or []))
            check(ids == sorted(b["id"] for b in kept),
                  "%s: GET /v1/ports ids %r, want %r" % (version, ids, [b["id"] for b in kept]))
        # the container is removed: the daemon deletes what it added
        for b in kept:
            st, raw = c.call("DELETE", "/ports/%d" % b["id"])
            check(st // 100 == 2, "%s: DELETE /v1/ports/%d: %d" % (version, b["id"], st))
        check(table_empty(c), "%s: port table not empty after removal/rollback" % version)
        for _ in range(40):
            if port_free(a.port):
                break
            time.sleep(0.25)
        else:
            check(False, "%s: host port %d still bound after removal/rollback" % (version, a.port))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
