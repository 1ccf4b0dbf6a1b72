#!/bin/sh
# ports-tcpcc.sh - TCP on host-local hops does not pace (tcpcc.c). With bbr made the
# default: the namespace's default becomes cubic, or reno when cubic is restricted to
# privileged users; the builtin driver's socket to a loopback client does the same; a client
# on another machine (here: another network namespace, over a veth) keeps bbr, and so does
# the client's own socket. Checked once with cubic allowed and once with only reno and bbr.
#
# rootlessnet runs in a network namespace this test makes (A, its "host"), and the other
# client in a second one (B), so all traffic stays in namespaces of this test. A and B are
# made after bbr became the default, and inherit it.
set -u
. "$top_srcdir/tests/integration/lib.sh"
rn_setup_user
rn_is_ours || rn_skip "rootlesskit keeps the host's congestion control: nothing to test"
rn_need socat ip:iproute2

S=/proc/sys/net/ipv4
modprobe tcp_bbr 2>/dev/null || :
grep -qw bbr $S/tcp_available_congestion_control || rn_skip "the kernel has no bbr"
grep -qw cubic $S/tcp_available_congestion_control || rn_skip "the kernel has no cubic"
cc0=$(cat $S/tcp_congestion_control)
allowed0=$(cat $S/tcp_allowed_congestion_control)
rn_workdir tcpcc
NA=rn-tcpcc-a-$$
NB=rn-tcpcc-b-$$
RN_CLEANUP_HOOK='rn_kill_test_procs; ip netns del $NA 2>/dev/null; ip netns del $NB 2>/dev/null
	echo "$cc0" >$S/tcp_congestion_control; echo "$allowed0" >$S/tcp_allowed_congestion_control'
echo bbr >$S/tcp_congestion_control || rn_fail "cannot make bbr the default"

ip netns add $NA && ip netns add $NB || rn_fail "ip netns add"
ip link add rncca$$ netns $NA type veth peer name rnccb$$ netns $NB || rn_fail "veth"
ip -n $NA addr add 198.18.77.1/30 dev rncca$$ && ip -n $NB addr add 198.18.77.2/30 dev rnccb$$ &&
	ip -n $NA link set rncca$$ up && ip -n $NB link set rnccb$$ up &&
	ip -n $NA link set lo up && ip -n $NB link set lo up || rn_fail "addresses"
rn_expect_eq "default of a namespace made now" "$(ip netns exec $NA cat $S/tcp_congestion_control)" bbr

# cc_names: the algorithm of each socket in ss -i output (not bbr's "bbr:(...)" details)
cc_names() { grep -o -E '(^|[[:space:]])(bbr[0-9]*|cubic|reno)([[:space:]]|$)' | tr -d ' \t'; }
# cc_of NETNS SELECTOR: the algorithm of the one established socket ss selects there
cc_of() { ip netns exec "$1" ss -Htin state established "$2" | cc_names; }
# two_conns: both clients are connected (two forwarder sockets on port 8080)
two_conns() { [ "$(ip netns exec $NA ss -Htn state established '( sport = :8080 )' | wc -l)" = 2 ]; }

# lo_fwd_cc_is ALG: the forwarder's socket to the loopback client runs ALG
lo_fwd_cc_is() { [ "$(cc_of $NA '( sport = :8080 and dst 127.0.0.1 )')" = "$1" ]; }
# inside_ccs SD: the algorithms of the established sockets in that instance's namespace, counted
inside_ccs() {
	nsenter -t "$(cat "$1/child_pid")" -n ss -Htin state established | cc_names | sort | uniq -c |
		tr -s ' '
}
# inside_pairs SD N: N established sockets in that instance's namespace
inside_pairs() {
	[ "$(nsenter -t "$(cat "$1/child_pid")" -n ss -Htn state established | wc -l)" = "$2" ]
}

for want in cubic reno; do
	if [ $want = cubic ]; then
		echo "reno cubic bbr" >$S/tcp_allowed_congestion_control
	else
		echo "reno bbr" >$S/tcp_allowed_congestion_control
	fi
	sd=$W/sd-$want
	ip netns exec $NA runuser -u "$RN_USER" -- env -i HOME="$RN_HOME" PATH=/usr/bin:/bin:/usr/sbin:/sbin \
		XDG_RUNTIME_DIR="$RN_RUNTIME" RN_TEST_ID="$RN_TEST_ID" timeout -k 5 60 \
		"$ROOTLESSNET" --state-dir="$sd" --net=slirp4netns --port-driver=builtin \
		-p 0.0.0.0:8080:80/tcp sh -c "cat $S/tcp_congestion_control >$W/ns-$want;
			exec socat TCP4-LISTEN:80,fork,reuseaddr EXEC:cat" >"$W/rn-$want.log" 2>&1 &
	rn_wait_for 20 test -s "$W/ns-$want" || rn_fail "rootlessnet did not start: $(cat "$W/rn-$want.log")"
	rn_wait_for 10 sh -c "ip netns exec $NA ss -Hltn '( sport = :8080 )' | grep -q ." ||
		rn_fail "8080 not published: $(cat "$W/rn-$want.log")"
	rn_expect_eq "namespace's default ($want allowed)" "$(cat "$W/ns-$want")" $want

	ip netns exec $NA env RN_TEST_ID="$RN_TEST_ID" sh -c 'sleep 20 | socat - TCP4:127.0.0.1:8080' &
	ip netns exec $NB env RN_TEST_ID="$RN_TEST_ID" sh -c 'sleep 20 | socat - TCP4:198.18.77.1:8080' &
	rn_wait_for 10 two_conns || rn_fail "clients did not connect: $(ip netns exec $NA ss -tn)"
	# the kernel establishes both before the forwarder accepts them and sets the algorithm
	# (seen under load): wait for its sockets inside, then for the one it changes
	rn_wait_for 10 inside_pairs "$sd" 4 || :
	rn_wait_for 10 lo_fwd_cc_is $want || :
	rn_expect_eq "forwarder's socket to the loopback client" \
		"$(cc_of $NA '( sport = :8080 and dst 127.0.0.1 )')" $want
	rn_expect_eq "forwarder's socket to the client in another namespace" \
		"$(cc_of $NA '( sport = :8080 and dst 198.18.77.2 )')" bbr
	rn_expect_eq "loopback client's own socket" "$(cc_of $NA '( dport = :8080 )')" bbr
	# the sockets in rootlessnet's namespace: the forwarder's and the server's, one pair per client
	inside=$(inside_ccs "$sd")
	rn_expect_eq "sockets in the namespace" "$inside" " 4 $want"
	rn_kill_test_procs
done
exit 0
