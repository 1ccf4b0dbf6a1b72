#!/bin/sh
# net-hostfwd.sh - the host-forward API the slirp4netns port driver uses (net_hostfwd_add and
# net_hostfwd_remove), through the network module's harness: TCP and UDP over IPv4, TCP over
# IPv6, an unspecified guest address meaning the namespace's own, add/remove round trips.
# The harness is our library's, whatever ROOTLESSNET names: rootlesskit has no such API.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
rn_setup_user
[ -c /dev/net/tun ] || rn_skip "no /dev/net/tun"

harness="$top_builddir/tests/harness/net-harness"
rn_workdir hostfwd
t4=$(rn_free_port 3) || exit 1
u4=$((t4 + 1))
t6=$((t4 + 2))
v6=""
ip -6 addr show dev lo | grep -q '::1/128' && v6=1

flags="--hostfwd=tcp:127.0.0.1:$t4:0.0.0.0:8080 --hostfwd=udp:127.0.0.1:$u4:10.0.2.100:8081 --hostfwd-check"
inner="socat TCP-LISTEN:8080,reuseaddr,fork SYSTEM:'echo tcp-fwd-ok' & socat UDP-RECVFROM:8081,reuseaddr,fork SYSTEM:'read x; echo udp-fwd-ok' &"
if [ -n "$v6" ]; then
	flags="$flags --ipv6 --hostfwd=tcp:[::1]:$t6:[::]:8086"
	inner="$inner socat TCP6-LISTEN:8086,reuseaddr,fork SYSTEM:'echo tcp6-fwd-ok' &"
fi
# shellcheck disable=SC2086
rn_as_user timeout -k 5 40 "$harness" $flags sh -c \
	"$inner i=0; while [ \$i -lt 100 ] && ! { ss -Hlnt | grep -q ':8080 ' && ss -Hlnu | grep -q ':8081 '; }; do sleep 0.1; i=\$((i+1)); done; sleep 0.5; touch $W/up; i=0; while [ ! -e $W/done ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i+1)); done" \
	2>"$W/log" &
bg=$!
rn_wait_for 15 test -e "$W/up" || rn_fail "the harness did not start: $(cat "$W/log")"
n=$(grep -c 'hostfwd-check ok' "$W/log")
want=2
[ -n "$v6" ] && want=3
rn_expect_eq "add/remove round trips" "$n" "$want"

out=$(socat -T5 - TCP:127.0.0.1:"$t4",connect-timeout=5 </dev/null)
rn_expect_eq "TCP 127.0.0.1:$t4 -> namespace :8080" "$out" tcp-fwd-ok
# UDP may lose a datagram on a busy machine: a few tries
for _t in 1 2 3; do
	out=$(echo x | socat -T3 - UDP:127.0.0.1:"$u4")
	[ "$out" = udp-fwd-ok ] && break
done
rn_expect_eq "UDP 127.0.0.1:$u4 -> namespace :8081" "$out" udp-fwd-ok
if [ -n "$v6" ]; then
	out=$(socat -T5 - TCP6:[::1]:"$t6",connect-timeout=5 </dev/null)
	rn_expect_eq "TCP [::1]:$t6 -> namespace :8086" "$out" tcp6-fwd-ok
	# V6ONLY: the IPv6 listener takes no IPv4 client
	ss -Hlnt "( sport = :$t6 )" | grep -q '\[::1\]' || rn_fail "no [::1]:$t6 listener"
fi
touch "$W/done"
wait "$bg" || rn_fail "the harness failed: $(cat "$W/log")"
# the forwards are gone with the network process
rn_wait_for 5 sh -c "! ss -Hlnt '( sport = :$t4 )' | grep -q ." || rn_fail "forward $t4 still listening"
exit 0
