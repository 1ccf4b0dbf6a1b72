#!/bin/sh
# net-slirp.sh - --net=slirp4netns: the namespace's address, routes and MTU; TCP and UDP to
# loopback servers on the host through 10.0.2.2; --disable-host-loopback; --mtu and --cidr
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
rn_setup_user
[ -c /dev/net/tun ] || rn_skip "no /dev/net/tun"

# defaults: 10.0.2.100/24 on tap0, default route via 10.0.2.2, MTU 65520; at this MTU the
# tap's routes acknowledge at once (quickack: libslirp's 64 KiB window holds one segment)
out=$(rn_net sh -c 'ip -o -4 addr show dev tap0; ip -4 route show; ip -o link show dev tap0; ip -o link show dev lo') ||
	rn_fail "run with defaults failed: $out"
echo "$out" | grep -q 'inet 10.0.2.100/24' || rn_fail "no 10.0.2.100/24 on tap0: $out"
echo "$out" | grep -q '^default via 10.0.2.2 dev tap0' || rn_fail "no default route: $out"
echo "$out" | grep -q '^10.0.2.0/24 dev tap0 proto kernel scope link src 10.0.2.100' ||
	rn_fail "no prefix route: $out"
[ "$(echo "$out" | grep -c '^10.0.2.0/24')" = 1 ] || rn_fail "two prefix routes: $out"
if rn_is_ours; then
	echo "$out" | grep -q '^default via 10.0.2.2 dev tap0 .*quickack 1' ||
		rn_fail "no quickack on the default route: $out"
	echo "$out" | grep -q '^10.0.2.0/24 .*quickack 1' || rn_fail "no quickack on the prefix route: $out"
fi
echo "$out" | grep -q 'tap0: <[A-Z_,]*UP[A-Z_,]*> mtu 65520 ' || rn_fail "tap0 not up with MTU 65520: $out"
echo "$out" | grep -q 'lo: <LOOPBACK,UP' || rn_fail "lo is not up: $out"

# --mtu, --cidr, --ifname
out=$(RN_NET_FLAGS="--mtu=1500 --cidr=10.0.5.0/24 --ifname=eth7" rn_net sh -c \
	'ip -o -4 addr show dev eth7; ip -4 route show; ip -o link show dev eth7') ||
	rn_fail "run with --mtu/--cidr/--ifname failed: $out"
echo "$out" | grep -q 'inet 10.0.5.100/24' || rn_fail "--cidr not applied: $out"
echo "$out" | grep -q '^default via 10.0.5.2 dev eth7' || rn_fail "--cidr route: $out"
echo "$out" | grep -q '^10.0.5.0/24 dev eth7 proto kernel scope link src 10.0.5.100' ||
	rn_fail "--cidr prefix route: $out"
# small segments: quick ACKs would only double libslirp's work
echo "$out" | grep -q quickack && rn_fail "quickack at --mtu=1500: $out"
echo "$out" | grep -q 'eth7: <[A-Z_,]*> mtu 1500 ' || rn_fail "--mtu=1500 not applied: $out"

# an MTU above 65521 is refused
if RN_NET_FLAGS="--mtu=65522" rn_net true 2>/dev/null; then
	rn_fail "--mtu=65522 was accepted"
fi

# TCP and UDP to loopback servers on the host, through 10.0.2.2
tp=$(rn_free_port 2) || exit 1
up=$((tp + 1))
rn_bg_server socat TCP-LISTEN:"$tp",bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo tcp-ok'
rn_bg_server socat UDP-RECVFROM:"$up",bind=127.0.0.1,reuseaddr,fork SYSTEM:'read x; echo udp-ok'
rn_wait_for 5 rn_listening "$tp" || rn_fail "TCP server did not start"
rn_wait_for 5 rn_listening "$up" udp || rn_fail "UDP server did not start"

out=$(rn_net sh -c "socat -T5 - TCP:10.0.2.2:$tp,connect-timeout=5 </dev/null; for i in 1 2 3; do r=\$(echo x | socat -T2 - UDP:10.0.2.2:$up); [ -n \"\$r\" ] && break; done; echo \"\$r\"") ||
	rn_fail "TCP/UDP through 10.0.2.2 failed: $out"
echo "$out" | grep -qx tcp-ok || rn_fail "no TCP answer through 10.0.2.2: $out"
echo "$out" | grep -qx udp-ok || rn_fail "no UDP answer through 10.0.2.2: $out"

# --disable-host-loopback: the same connections must not reach the host's loopback
out=$(RN_NET_FLAGS="--disable-host-loopback" rn_net sh -c \
	"socat -T3 - TCP:10.0.2.2:$tp,connect-timeout=3 </dev/null; echo x | socat -T2 - UDP:10.0.2.2:$up; true") ||
	rn_fail "run with --disable-host-loopback failed: $out"
echo "$out" | grep -q tcp-ok && rn_fail "TCP reached the host loopback with --disable-host-loopback"
echo "$out" | grep -q udp-ok && rn_fail "UDP reached the host loopback with --disable-host-loopback"
exit 0
