#!/bin/sh
# net-orphans.sh - libslirp's half-closed connections (orphan.c): three whose program in the
# namespace was killed are closed, host sockets and all, although the remote end never
# closes them (slirp4netns#350 keeps them for good); one whose program only shut its
# sending side and waits is kept past two sweeps and gets its late answer; and one of a
# nested namespace behind NAT, as a container's under Docker (no socket of our namespace
# matches it), is kept too
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
rn_setup_user
rn_need python3 socat ss:iproute2 nft:nftables nsenter:util-linux
[ -c /dev/net/tun ] || rn_skip "no /dev/net/tun"
rn_is_ours || rn_skip "rootlesskit's slirp4netns keeps such connections (slirp4netns#350)"
rn_workdir orphans
name=$(rn_netproc_name)
p=$(rn_free_port 3) || exit 1
hold=$p
late=$((p + 1))
natlate=$((p + 2))

# on the host's loopback: a server that takes connections and never reads, writes or closes
# (it counts them in $W/held)
rn_bg_server python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
s.settimeout(1)
held = []
end = time.time() + 90
while time.time() < end:
    try:
        held.append(s.accept()[0])
        open(sys.argv[2], "w").write("%d\n" % len(held))
    except socket.timeout:
        pass' "$hold" "$W/held"
rn_wait_for 5 rn_listening "$hold" || rn_fail "the holding server did not start"
# late_server PORT: on the host's loopback, a server that answers its one client after 25 s,
# then closes
late_server() {
	rn_bg_server python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
c = s.accept()[0]
time.sleep(25)
c.sendall(b"late\n")
c.close()' "$1"
	rn_wait_for 5 rn_listening "$1" || rn_fail "the late server on $1 did not start"
}

late_server "$late"

# finwait2_to PORT: the network process's host sockets in FIN-WAIT-2 to 127.0.0.1:PORT
finwait2_to() {
	ss -Htnp state fin-wait-2 "( dport = :$1 )" | grep -c "\"$name\"" || :
}
none_to_hold() { [ "$(finwait2_to "$hold")" = 0 ]; }
# finwait2_is PORT N: finwait2_to PORT is N (for rn_wait_for, which runs it anew each time)
finwait2_is() { [ "$(finwait2_to "$1")" = "$2" ]; }

# three clients killed after a second (their kernel sends a FIN, the remote never closes;
# socat -u only reads from the server),
# then one that shuts its sending side (stdin at its end) and waits up to 40 s for an answer
RN_NET_TIMEOUT=80 rn_net sh -c "for i in 1 2 3; do
		timeout 1 socat -u TCP:10.0.2.2:$hold,connect-timeout=5 -
	done
	socat -t 40 - TCP:10.0.2.2:$late,connect-timeout=5 </dev/null >$W/late" \
	>"$W/log" 2>&1 &
bg=$!
rn_wait_for 15 grep -qsx 3 "$W/held" || rn_fail "the holding server did not get 3 clients: $(cat "$W/held" 2>/dev/null)"
# the sweeps run every 10 s; the late answer comes 25 s after its client connected
rn_wait_for 17 none_to_hold ||
	rn_fail "$(finwait2_to "$hold") of the killed clients' host sockets still in FIN-WAIT-2: $(ss -Htnp state fin-wait-2)"
[ "$(finwait2_to "$late")" = 1 ] ||
	rn_fail "the waiting client's connection was not kept half-closed: $(ss -Htnp "( dport = :$late )")"
wait "$bg" || rn_fail "the run failed: $(cat "$W/log")"
rn_expect_eq "the waiting client's late answer" "$(cat "$W/late")" late
grep -q "closed [0-9]* connections that a program in the namespace half-closed" "$W/log" ||
	rn_fail "no word of the closed connections: $(cat "$W/log")"

# behind NAT: a namespace in ours on a veth pair, masqueraded out of the tap; its client
# shuts its sending side and waits 25 s for the answer
late_server "$natlate"
RN_NET_TIMEOUT=80 rn_net sh -c "set -e
	ip link add rnorph0 type veth peer name rnorph1
	unshare -n sleep 60 &
	inner=\$!
	sleep 0.5
	ip link set rnorph1 netns \$inner
	ip addr add 192.168.77.1/24 dev rnorph0
	ip link set rnorph0 up
	nsenter -t \$inner -n sh -c 'ip addr add 192.168.77.2/24 dev rnorph1 &&
		ip link set rnorph1 up && ip link set lo up && ip route add default via 192.168.77.1'
	sysctl -qw net.ipv4.ip_forward=1
	nft add table ip rnorph
	nft add chain ip rnorph post '{ type nat hook postrouting priority 100; }'
	nft add rule ip rnorph post oifname tap0 masquerade
	echo ready >$W/natready
	nsenter -t \$inner -n socat -t 40 - TCP:10.0.2.2:$natlate,connect-timeout=5 </dev/null >$W/natlate
	kill \$inner" >"$W/natlog" 2>&1 &
bg=$!
rn_wait_for 20 test -s "$W/natready" || {
	grep -qi "unknown device type\|not supported\|No such file" "$W/natlog" &&
		rn_skip "no veth or NAT in the namespace: $(cat "$W/natlog")"
	rn_fail "the NAT set-up failed: $(cat "$W/natlog")"
}
rn_wait_for 10 finwait2_is "$natlate" 1 ||
	rn_fail "the NAT client's connection is not half-closed: $(ss -Htnp "( dport = :$natlate )")"
wait "$bg" || rn_fail "the NAT run failed: $(cat "$W/natlog")"
rn_expect_eq "the late answer through NAT" "$(cat "$W/natlate")" late
exit 0
