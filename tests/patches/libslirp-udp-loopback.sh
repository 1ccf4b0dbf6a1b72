#!/bin/sh
# tests/patches/libslirp-udp-loopback.sh - UDP host forwarding to loopback clients with --disable-host-loopback (as root)
#
# Usage: tests/patches/libslirp-udp-loopback.sh SLIRP4NETNS [LIBSLIRP_DIR]
#
# Tests patches/libslirp/0001-udp-hostfwd-reply-loopback.patch for real: SLIRP4NETNS runs with
# LD_LIBRARY_PATH=LIBSLIRP_DIR (a patched libslirp build; empty: the installed one) and
# --disable-host-loopback, attached to a network namespace made here with unshare. Over its API:
# UDP 127.0.0.1:P -> 10.0.2.100:53 (socat echo inside): a client on 127.0.0.1 must get its
# echo. The namespace must still not reach the host's loopback: from inside, a datagram to
# 10.0.2.2:Q (a UDP listener on the host's 127.0.0.1:Q) must not arrive, whether sent from an
# ordinary port or from the forward's guest port. With IPv6 (when SLIRP4NETNS takes udp6, i.e.
# it carries patches/slirp4netns/0001), the same over [::1] and fd00::2.
# Against the unpatched libslirp 4.7.0 the echo check fails.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

s4n_args slirp-udp-lo "$@"

port=$(rn_free_port 6) || exit 1
p_fwd=$port p_fwd6=$((port + 1)) p_deaf=$((port + 2)) p_host=$((port + 3)) p_host6=$((port + 4))

s4n_netns
v6=
"$s4n" --help 2>&1 | grep -q -- --enable-ipv6 && v6=--enable-ipv6
# shellcheck disable=SC2086
s4n_start $v6 --disable-host-loopback
s4n_ready
innet ip -6 addr add fd00::100/64 dev tap0 nodad 2>/dev/null || :

# inside: a UDP echo on port 53; on the host: UDP listeners on loopback that write what they get
# (bound to the forwards' guest addresses: a reply from another address of the namespace, e.g.
# its SLAAC one, would not match the forward)
nsenter -t "$ns_pid" -n socat UDP4-RECVFROM:53,bind=10.0.2.100,fork PIPE </dev/null >/dev/null 2>&1 &
wait_for 5 innet sh -c 'ss -Hlun | grep -q "10.0.2.100:53 "' || fail "UDP server not listening"
if [ -n "$v6" ]; then
	nsenter -t "$ns_pid" -n socat UDP6-RECVFROM:53,bind=[fd00::100],ipv6only=1,fork PIPE \
		</dev/null >/dev/null 2>&1 &
	wait_for 5 innet sh -c 'ss -Hlun | grep -q "fd00::100\]:53 "' || fail "UDP6 server not listening"
fi
socat -u UDP4-RECV:$p_host,bind=127.0.0.1 OPEN:"$tmp/host4.got",creat,append </dev/null 2>/dev/null &
host_pids="$host_pids $!"
socat -u UDP6-RECV:$p_host6,bind=[::1] OPEN:"$tmp/host6.got",creat,append </dev/null 2>/dev/null &
host_pids="$host_pids $!"

log "udp 127.0.0.1:$p_fwd -> 10.0.2.100:53 with --disable-host-loopback: the loopback client gets its reply"
expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"udp","host_addr":"127.0.0.1","host_port":'"$p_fwd"',"guest_addr":"10.0.2.100","guest_port":53}}' >/dev/null
expect_reply "UDP echo via 127.0.0.1:$p_fwd" ping4 udp_echo "UDP4:127.0.0.1:$p_fwd" ping4
expect_reply "second UDP echo via 127.0.0.1:$p_fwd" again udp_echo "UDP4:127.0.0.1:$p_fwd" again

# ns_send ADDRESS TEXT: send one datagram from inside the namespace (socat address syntax)
ns_send() { innet sh -c 'printf "%s\n" "$2" | timeout 5 socat -t 1 - "$1"' sh "$1" "$2" || :; }

log "the namespace still cannot send to the host's loopback"
# from an ordinary port
ns_send "UDP4:10.0.2.2:$p_host" from-ns-any
# from the guest port of a forward (no server behind it, so the port is free inside)
expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"udp","host_addr":"127.0.0.1","host_port":'"$p_deaf"',"guest_addr":"10.0.2.100","guest_port":54}}' >/dev/null
ns_send "UDP4:10.0.2.2:$p_host,sourceport=54" from-ns-fwd
# from the forward's port, after a loopback client used it: only that client's port is answered
printf 'hello\n' | timeout 5 socat -t 1 - UDP4:127.0.0.1:$p_deaf,bind=127.0.0.1:$((port + 5)) || :
ns_send "UDP4:10.0.2.2:$p_host,sourceport=54" to-other-port
sleep 1
[ ! -s "$tmp/host4.got" ] || fail "the namespace reached 127.0.0.1:$p_host: $(cat "$tmp/host4.got")"

if [ -n "$v6" ] && api '{"execute":"add_hostfwd","arguments":{"proto":"udp6","host_addr":"::1","host_port":'"$p_fwd6"',"guest_addr":"fd00::100","guest_port":53}}' |
	grep -q '"return"'; then
	log "udp6 [::1]:$p_fwd6 -> [fd00::100]:53: the loopback client gets its reply"
	got=$(udp_echo "UDP6:[::1]:$p_fwd6" ping6) || :
	[ "$got" = ping6 ] || fail "UDP echo via [::1]:$p_fwd6: got '$got'; namespace: $(innet ip -6 addr show dev tap0; innet ip -6 neigh)"
	log "the namespace still cannot send to the host's ::1"
	ns_send "UDP6:[fd00::2]:$p_host6" from-ns-any
	sleep 1
	[ ! -s "$tmp/host6.got" ] || fail "the namespace reached [::1]:$p_host6: $(cat "$tmp/host6.got")"
else
	log "IPv6: SLIRP4NETNS has no udp6 forwarding, IPv6 part not run"
fi

echo "libslirp-udp-loopback: all passed"
