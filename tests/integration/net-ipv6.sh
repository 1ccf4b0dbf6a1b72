#!/bin/sh
# net-ipv6.sh - --ipv6: fd00::100/64 usable at once, default route via fd00::2, TCP and UDP
# to IPv6 loopback servers on the host through fd00::2
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
rn_setup_user
[ -c /dev/net/tun ] || rn_skip "no /dev/net/tun"
[ -e /proc/net/if_inet6 ] || rn_skip "the kernel has no IPv6"
ip -6 addr show dev lo | grep -q '::1/128' || rn_skip "no ::1 on the host's loopback"

tp=$(rn_free_port 2) || exit 1
up=$((tp + 1))
rn_bg_server socat TCP6-LISTEN:"$tp",bind=[::1],reuseaddr,fork SYSTEM:'echo tcp6-ok'
rn_bg_server socat UDP6-RECVFROM:"$up",bind=[::1],reuseaddr,fork SYSTEM:'read x; echo udp6-ok'
rn_wait_for 5 rn_listening "$tp" || rn_fail "TCP server did not start"
rn_wait_for 5 rn_listening "$up" udp || rn_fail "UDP server did not start"

# ours has the address at once; slirp4netns' comes from a router advertisement later
wait6=""
rn_is_ours || wait6="i=0; while [ \$i -lt 50 ] && ! ip -6 addr show dev tap0 scope global | grep -q fd00; do sleep 0.1; i=\$((i+1)); done; sleep 1;"
out=$(RN_NET_FLAGS="--ipv6" rn_net sh -c "$wait6 ip -o -6 addr show dev tap0 scope global; ip -6 route show;
	socat -T5 - TCP6:[fd00::2]:$tp,connect-timeout=5 </dev/null; for i in 1 2 3; do r=\$(echo x | socat -T2 - UDP6:[fd00::2]:$up); [ -n \"\$r\" ] && break; done; echo \"\$r\"") ||
	rn_fail "run with --ipv6 failed: $out"
echo "$out" | grep -q 'inet6 fd00::' || rn_fail "no address in fd00::/64: $out"
if rn_is_ours; then
	# a fixed fd00::100/64 (slirp4netns under rootlesskit takes a SLAAC address)
	echo "$out" | grep -q 'inet6 fd00::100/64' || rn_fail "no fd00::100/64: $out"
	# we add it without duplicate address detection, so it is never tentative
	echo "$out" | grep 'fd00::100/64' | grep -q tentative && rn_fail "fd00::100 is tentative: $out"
	echo "$out" | grep -q '^default via fd00::2 dev tap0' || rn_fail "no IPv6 default route: $out"
	# quick ACKs at the default MTU, as for IPv4 (net-slirp.sh), on the replaced prefix route too
	echo "$out" | grep -q '^default via fd00::2 dev tap0 .*quickack 1' ||
		rn_fail "no quickack on the IPv6 default route: $out"
	echo "$out" | grep -q '^fd00::/64 dev tap0 proto kernel metric 256 quickack 1' ||
		rn_fail "no quickack on the IPv6 prefix route: $out"
	[ "$(echo "$out" | grep -c '^fd00::/64')" = 1 ] || rn_fail "two IPv6 prefix routes: $out"
fi
echo "$out" | grep -qx tcp6-ok || rn_fail "no TCP answer through fd00::2: $out"
echo "$out" | grep -qx udp6-ok || rn_fail "no UDP answer through fd00::2: $out"

# without --ipv6 there is no IPv6 address
out=$(rn_net sh -c 'ip -o -6 addr show dev tap0 scope global') || rn_fail "run failed: $out"
echo "$out" | grep -q fd00:: && rn_fail "an IPv6 address without --ipv6: $out"
exit 0
