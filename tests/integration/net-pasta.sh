#!/bin/sh
# net-pasta.sh - --net=pasta with the real pasta: address, route, MTU, --cidr; the host's
# loopback through 10.0.2.2 and --disable-host-loopback; --port-driver=implicit; GET /v1/info
# and the port endpoints; --detach-netns; pasta gone after exit, after a kill -9 of the
# parent, replaced after its own kill -9; the refusals
#
# In a network namespace of its own with a tap nobody reads as pasta's template
# (pasta-lib.sh): a connection pasta does not map to the host's loopback
# (--disable-host-loopback) goes nowhere but that tap.
set -u
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/pasta-lib.sh"
pasta_setup 4 pasta

# defaults: 10.0.2.100/24 on tap0, the default route via 10.0.2.2, MTU 65520, lo up
out=$(pn --port-driver=implicit sh -c 'ip -o -4 addr show dev tap0; ip -4 route show;
	ip -o link show dev tap0; ip -o link show dev lo; cat /etc/resolv.conf') ||
	rn_fail "run with defaults failed: $out"
echo "$out" | grep -q 'inet 10.0.2.100/24' || rn_fail "no 10.0.2.100/24 on tap0: $out"
echo "$out" | grep -q '^default via 10.0.2.2 dev tap0' || rn_fail "no default route: $out"
echo "$out" | grep -q 'tap0: <[A-Z_,]*UP[A-Z_,]*> mtu 65520 ' || rn_fail "tap0 not up, MTU 65520: $out"
echo "$out" | grep -q 'lo: <LOOPBACK,UP' || rn_fail "lo is not up: $out"
echo "$out" | grep -qx 'nameserver 10.0.2.3' || rn_fail "resolv.conf: $out"
[ -z "$(user_pastas)" ] || rn_fail "pasta left after the command exited: $(user_pastas)"

# --mtu, --cidr, --ifname, and the command's status
out=$(pn --mtu=1500 --cidr=10.0.5.0/24 --ifname=eth7 sh -c \
	'ip -o -4 addr show dev eth7; ip -4 route show; ip -o link show dev eth7; exit 7')
rn_expect_eq "the command's status through pasta" "$?" 7
echo "$out" | grep -q 'inet 10.0.5.100/24' || rn_fail "--cidr not applied: $out"
echo "$out" | grep -q '^default via 10.0.5.2 dev eth7' || rn_fail "--cidr route: $out"
echo "$out" | grep -q 'eth7: <[A-Z_,]*> mtu 1500 ' || rn_fail "--mtu=1500 not applied: $out"
[ -z "$(user_pastas)" ] || rn_fail "pasta left after exit 7: $(user_pastas)"

# the host's loopback through 10.0.2.2, not with --disable-host-loopback
tp=$(rn_free_port 1) || exit 1
socat TCP-LISTEN:"$tp",bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo tcp-ok' &
SRV=$!
RN_CLEANUP_HOOK="kill $SRV 2>/dev/null"
rn_wait_for 5 sh -c "ss -Hlnt '( sport = :$tp )' | grep -q ." || rn_fail "the host server did not start"
# (shut-none: after the namespace's side half-closes, Debian 12's pasta repeats the host's data
# many times over through the tap; net-pasta6.sh)
out=$(pn sh -c "socat -t5 -T5 - TCP:10.0.2.2:$tp,connect-timeout=5,shut-none </dev/null") ||
	rn_fail "TCP through 10.0.2.2 failed: $out"
rn_expect_eq "the host's loopback through 10.0.2.2" "$out" tcp-ok
out=$(pn --disable-host-loopback sh -c "socat -T3 - TCP:10.0.2.2:$tp,connect-timeout=3 </dev/null; true") ||
	rn_fail "run with --disable-host-loopback failed: $out"
echo "$out" | grep -q tcp-ok && rn_fail "the host's loopback reached with --disable-host-loopback"
kill "$SRV"

# --port-driver=implicit: a port the namespace listens on is the host's same port; the API
cat >"$W/cmd.sh" <<'EOF'
socat TCP-LISTEN:"$2",fork,reuseaddr SYSTEM:'echo implicit-ok' &
sleep 120
EOF
chmod 0755 "$W/cmd.sh"
ip=$(rn_free_port 1) || exit 1
rn_instance_start "$W/sd" "$W/log" --net=pasta --port-driver=implicit --disable-host-loopback \
	sh "$W/cmd.sh" "$W" "$ip"
rn_wait_for 15 sh -c "socat -T2 - TCP:127.0.0.1:$ip,connect-timeout=2 </dev/null 2>/dev/null |
	grep -qx implicit-ok" || rn_fail "port $ip not forwarded by pasta: $(cat "$W/log")"
RN_API_BODY=$W/info
rn_expect_eq "GET /v1/info" "$(rn_api "$W/sd/api.sock" GET /info)" 200
grep -q '"networkDriver":{"driver":"pasta","dns":\["10.0.2.3"\],"childIP":"10.0.2.100"}' "$W/info" ||
	rn_fail "networkDriver: $(cat "$W/info")"
grep -q portDriver "$W/info" && rn_fail "portDriver with implicit: $(cat "$W/info")"
RN_API_BODY=$W/ports
rn_expect_eq "GET /v1/ports with implicit" "$(rn_api "$W/sd/api.sock" GET /ports)" 400
grep -q 'no PortDriver is available' "$W/ports" || rn_fail "GET /v1/ports: $(cat "$W/ports")"
rn_expect_eq "POST /v1/ports with implicit" "$(rn_api "$W/sd/api.sock" POST /ports \
	'{"proto":"tcp","parentIP":"127.0.0.1","parentPort":1,"childPort":80}')" 400
grep -q 'no PortDriver is available' "$W/ports" || rn_fail "POST /v1/ports: $(cat "$W/ports")"
RN_API_BODY=/dev/null

# kill -9 of pasta: a new one configures the namespace again and forwards the port
pst=$(pasta_of "$RN_PARENT") || rn_fail "no pasta under the parent $RN_PARENT"
kill -KILL "$pst"
new_pasta() { _p=$(pasta_of "$RN_PARENT") && [ "$_p" != "$pst" ]; }
rn_wait_for 15 new_pasta || rn_fail "pasta was not replaced after kill -9: $(cat "$W/log")"
rn_wait_for 15 sh -c "socat -T2 - TCP:127.0.0.1:$ip,connect-timeout=2 </dev/null 2>/dev/null |
	grep -qx implicit-ok" || rn_fail "port $ip after pasta's restart: $(cat "$W/log")"
grep -q 'pasta' "$W/log" || rn_fail "pasta's death not logged: $(cat "$W/log")"

# kill -9 of the parent: pasta goes with it
pst=$(pasta_of "$RN_PARENT") || rn_fail "no pasta under the parent $RN_PARENT after the restart"
kill -KILL "$RN_PARENT"
no_pasta() { [ -z "$(user_pastas)" ]; }
rn_wait_for 5 no_pasta ||
	rn_fail "pasta left after kill -9 of the parent: $(user_pastas)"
rn_kill_test_procs

# --detach-netns: pasta on $STATE_DIR/netns, the command keeps the host's network
out=$(pn --detach-netns --state-dir="$W/sd2" sh -c \
	'nsenter -n"$ROOTLESSKIT_STATE_DIR/netns" ip -o -4 addr show dev tap0; ip -o link show rnpst0;
	cat "$ROOTLESSKIT_STATE_DIR/resolv.conf"') || rn_fail "--detach-netns failed: $out"
echo "$out" | grep -q 'inet 10.0.2.100/24' || rn_fail "no 10.0.2.100/24 in the detached netns: $out"
echo "$out" | grep -q 'rnpst0' || rn_fail "the command left the host's network: $out"
echo "$out" | grep -qx 'nameserver 10.0.2.3' || rn_fail "detached resolv.conf: $out"
[ -z "$(user_pastas)" ] || rn_fail "pasta left after --detach-netns: $(user_pastas)"

# --ipv6: "ipv6":true in networkDriver, as rootlesskit 3's pasta driver; then the command
# ends by itself
cat >"$W/cmd6.sh" <<'EOF'
sleep 5
EOF
rn_instance_start "$W/sd3" "$W/log3" --net=pasta --ipv6 --port-driver=none sh "$W/cmd6.sh"
RN_API_BODY=$W/info6
rn_expect_eq "GET /v1/info with --ipv6" "$(rn_api "$W/sd3/api.sock" GET /info)" 200
grep -q '"networkDriver":{"driver":"pasta","dns":\["10.0.2.3"\],"childIP":"10.0.2.100","ipv6":true}' \
	"$W/info6" || rn_fail "networkDriver with --ipv6: $(cat "$W/info6")"
# the command exits by itself: the instance ends, and pasta with it
pasta_of "$RN_PARENT" >/dev/null || rn_fail "no pasta under the parent $RN_PARENT"
rn_wait_for 20 sh -c "! kill -0 $RN_PARENT 2>/dev/null" || rn_fail "the instance did not end"
[ -z "$(user_pastas)" ] || rn_fail "pasta left after the command exited: $(user_pastas)"

# refusals, each naming what to use
refused() {
	_want=$1
	shift
	_out=$(pn "$@" true 2>&1) && rn_fail "accepted: --net=pasta $*"
	echo "$_out" | grep -q -- "$_want" || rn_fail "--net=pasta $*: $_out"
}
refused 'needs --port-driver=none or --port-driver=implicit' --port-driver=builtin
refused 'needs --port-driver=none or --port-driver=implicit' --port-driver=slirp4netns
refused 'passt 2026_05_07' --port-driver=pesto
refused 'out of range for --net=pasta' --mtu=65521
refused 'make sure pasta is installed' --pasta-binary=/nonexistent/pasta
[ -z "$(user_pastas)" ] || rn_fail "pasta left after the refusals: $(user_pastas)"
exit 0
