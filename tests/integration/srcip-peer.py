#!/usr/bin/env python3
"""srcip-peer.py - a service that answers with the address it sees, and its client (tests).

  srcip-peer.py serve TAG tcp|udp ADDR PORT [SECONDS]
      Listen on ADDR:PORT (an IPv6 one with IPV6_V6ONLY) and answer each TCP connection
      or UDP datagram with "TAG HOST PORT", the peer as this socket sees it. UDP answers
      go out of the listening socket itself, bound to ADDR: for a wildcard ADDR the kernel
      picks their source. Exits after SECONDS (default 300).
  srcip-peer.py ask tcp|udp SRC SPORT DST DPORT [TRIES]
      From SRC:SPORT (SPORT 0: any), send one line to DST:DPORT and print the answer;
      exit 1 without one. UDP sends up to TRIES (default 3) datagrams, 2 s apart.
"""
import signal
import socket
import sys


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def serve(tag, proto, addr, port, seconds):
    signal.alarm(seconds)
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(family(addr), kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family(addr) == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, port))
    if proto == "tcp":
        s.listen(64)
    while True:
        if proto == "tcp":
            c, peer = s.accept()
            c.settimeout(5)
            try:
                c.recv(256)
                c.sendall(("%s %s %d\n" % (tag, peer[0], peer[1])).encode())
            except OSError:
                pass
            c.close()
        else:
            _, peer = s.recvfrom(2048)
            try:
                s.sendto(("%s %s %d\n" % (tag, peer[0], peer[1])).encode(), peer)
            except OSError as e:
                print("sendto %s: %s" % (peer, e), file=sys.stderr, flush=True)


def ask(proto, src, sport, dst, dport, tries):
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(family(dst), kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((src, sport))
    try:
        if proto == "tcp":
            s.settimeout(10)
            s.connect((dst, dport))
            s.sendall(b"hello\n")
            print(s.recv(256).decode().strip())
            return 0
        s.settimeout(2)
        s.connect((dst, dport))
        for _ in range(tries):
            s.send(b"hello\n")
            try:
                print(s.recv(256).decode().strip())
                return 0
            except socket.timeout:
                continue
    except OSError as e:
        print("error: %s" % e, file=sys.stderr)
    return 1


def main(argv):
    if len(argv) >= 6 and argv[1] == "serve":
        serve(argv[2], argv[3], argv[4], int(argv[5]), int(argv[6]) if len(argv) > 6 else 300)
        return 0
    if len(argv) >= 7 and argv[1] == "ask":
        tries = int(argv[7]) if len(argv) > 7 else 3
        return ask(argv[2], argv[3], int(argv[4]), argv[5], int(argv[6]), tries)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
