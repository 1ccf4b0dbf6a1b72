#!/bin/sh
# net-none.sh - --net=none: a network namespace with only lo, and lo is up; its local routes
# acknowledge at once (quickack), and IPv4 and IPv6 loopback TCP work
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
rn_setup_user

out=$(rn_as_user timeout -k 5 30 "$ROOTLESSNET" --net=none sh -c 'ip -o link show; ip -o addr show') ||
	rn_fail "--net=none failed: $out"
rn_expect_eq "links with --net=none" "$(echo "$out" | grep -c ': <')" 1
echo "$out" | grep -q '^1: lo: <LOOPBACK,UP' || rn_fail "lo is not up: $out"
echo "$out" | grep -q 'inet 127.0.0.1/8' || rn_fail "no 127.0.0.1 on lo: $out"

# lo's local routes carry quickack (net.c, net_lo_quickack()); ::1 has exactly one route,
# ours, and loopback TCP still works in both families
p=$(rn_free_port 1) || exit 1
out=$(rn_as_user timeout -k 5 30 "$ROOTLESSNET" --net=none sh -c "ip route show table local;
	ip -6 route show table local; for f in 4:127.0.0.1 6:[::1]; do
		timeout 5 socat -T5 TCP\${f%%:*}-LISTEN:$p,bind=\${f#*:},reuseaddr SYSTEM:\"echo ok-\${f%%:*}\" &
		i=0; while [ \$i -lt 50 ] && ! socat -T5 - TCP\${f%%:*}:\${f#*:}:$p,connect-timeout=5 </dev/null 2>/dev/null; do
			sleep 0.1; i=\$((i + 1)); done; wait; done") || rn_fail "--net=none run failed: $out"
if rn_is_ours; then
	echo "$out" | grep -q '^local 127.0.0.0/8 dev lo .*quickack 1' || rn_fail "127.0.0.0/8 without quickack: $out"
	echo "$out" | grep -q '^local 127.0.0.1 dev lo .*quickack 1' || rn_fail "127.0.0.1 without quickack: $out"
	echo "$out" | grep -q '^local ::1 dev lo .*quickack 1' || rn_fail "::1 without quickack: $out"
	rn_expect_eq "routes for ::1" "$(echo "$out" | grep -c '^local ::1 ')" 1
fi
echo "$out" | grep -qx 'ok-4' || rn_fail "no IPv4 loopback TCP: $out"
echo "$out" | grep -qx 'ok-6' || rn_fail "no IPv6 loopback TCP: $out"
exit 0
