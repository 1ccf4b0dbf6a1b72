#!/bin/sh
# tests/patches/libslirp-close-wait-probe.sh - a connection the guest half-closed is probed: dropped once the guest's end is gone, kept while it answers (as root)
#
# Usage: tests/patches/libslirp-close-wait-probe.sh SLIRP4NETNS [LIBSLIRP_DIR]
#
# Tests patches/libslirp/0003-tcp-probe-close-wait.patch for real: SLIRP4NETNS runs with
# LD_LIBRARY_PATH=LIBSLIRP_DIR (a patched libslirp build; empty: the installed one), attached
# to a network namespace made here with unshare. Two servers on the host's loopback never
# close first: one never answers, one answers after 100 s. In the namespace
# (net.ipv4.tcp_fin_timeout=1 there, a setting of that namespace only):
#   - a client of the first is killed after a second: its kernel sends a FIN and forgets the
#     connection a second later. libslirp's half of it, and slirp4netns' host socket in
#     FIN-WAIT-2, must be gone within 110 s (the first probe, 75 s after the guest's last
#     segment, is answered with a reset); libslirp 4.7.0 keeps them for good
#     (slirp4netns#350);
#   - a client of the second shuts its sending side and waits: the probe is answered, the
#     connection stays, and the answer arrives after 100 s.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

s4n_args slirp-cwprobe "$@"
command -v python3 >/dev/null || fail "python3 missing"

port=$(rn_free_port 2) || exit 1
p_hold=$port p_late=$((port + 1))
# host_server PORT DELAY: takes connections for 200 s; each gets "late" after DELAY seconds,
# then is closed (DELAY 0: never answered nor closed)
host_server() {
	python3 -c 'import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
s.settimeout(0.5)
delay = float(sys.argv[2])
held, pending = [], []
end = time.time() + 200
while time.time() < end:
    try:
        c = s.accept()[0]
        held.append(c)
        if delay:
            pending.append((time.time() + delay, c))
    except socket.timeout:
        pass
    now = time.time()
    for when, c in pending:
        if when <= now:
            c.sendall(b"late\n")
            c.close()
    pending = [p for p in pending if p[0] > now]' \
		"$1" "$2" &
	host_pids="$host_pids $!"
}
host_server "$p_hold" 0
host_server "$p_late" 100

s4n_netns
# shellcheck disable=SC2119 # no flags beyond lib.sh's
s4n_start
s4n_ready
innet sysctl -qw net.ipv4.tcp_fin_timeout=1 || fail "tcp_fin_timeout in the namespace"

# fw2 PORT: slirp4netns' host sockets in FIN-WAIT-2 to 127.0.0.1:PORT
fw2() { ss -Htnp state fin-wait-2 "( dport = :$1 )" | grep -c "pid=$s4n_pid," || :; }
# fw2_is PORT N: fw2 PORT is N (for wait_for, which runs it anew each time)
fw2_is() { [ "$(fw2 "$1")" = "$2" ]; }
innet timeout 1 socat -u "TCP:10.0.2.2:$p_hold,connect-timeout=5" - || :
innet socat -t 130 - "TCP:10.0.2.2:$p_late,connect-timeout=5" </dev/null >"$tmp/late" 2>&1 &
late_pid=$!
wait_for 10 fw2_is "$p_hold" 1 || fail "no half-closed host socket for the killed client"
wait_for 10 fw2_is "$p_late" 1 || fail "no half-closed host socket for the waiting client"
log "both host sockets half-closed; waiting for libslirp's probe (75 s)"
wait_for 110 fw2_is "$p_hold" 0 ||
	fail "the killed client's host socket is still half-closed after 110 s: $(ss -Htnp "( dport = :$p_hold )")"
log "the killed client's connection dropped"
[ "$(fw2 "$p_late")" = 1 ] || fail "the waiting client's connection was dropped: $(cat "$tmp/late")"
wait_for 60 sh -c "! kill -0 $late_pid" || fail "the waiting client got no answer within 180 s"
wait "$late_pid" || fail "the waiting client failed: $(cat "$tmp/late")"
[ "$(cat "$tmp/late")" = late ] || fail "the waiting client got '$(cat "$tmp/late")'"
log "the waiting client got its answer after 100 s"
log "libslirp-close-wait-probe: all passed"
