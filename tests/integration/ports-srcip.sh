#!/bin/sh
# ports-srcip.sh - the builtin driver shows the service its clients' own addresses
# (--source-ip-transparent, the default): TCP and UDP, IPv4 and IPv6, a dual-stack port, a
# specific parent address, loopback and childIP targets, a service behind DNAT in the
# namespace (a nested namespace behind a bridge standing for a container), and the
# answers reaching the client each time; loopback clients keep working; on a kernel without
# nftables (a seccomp filter says so) one warning and today's behaviour; with
# --source-ip-transparent=false today's behaviour on purpose.
#
# rootlessnet runs in a network namespace this test makes (A, its "host"); the remote
# clients are in a second one (B) joined to A by a veth, with two addresses of each family;
# the container is a third (C). All traffic stays in namespaces of this test. With the
# reference (ROOTLESSNET=/usr/bin/rootlesskit: 1.1.0 has no source IP) the same services
# are reached and answer, and the addresses they see are not checked.
set -u
. "$top_srcdir/tests/integration/lib.sh"
rn_setup_user
command -v ip >/dev/null || rn_fail "ip missing: apt-get install iproute2"
command -v iptables >/dev/null || rn_fail "iptables missing: apt-get install iptables"
command -v python3 >/dev/null || rn_fail "python3 missing: apt-get install python3"
PEER=$top_srcdir/tests/integration/srcip-peer.py
NONFT=$top_srcdir/tests/integration/no-nftables.py

W=$(mktemp -d /tmp/rn-srcip.XXXXXX)
chmod 0755 "$W"
chown "$RN_USER:" "$W"
NA=rn-srcip-a-$$
NB=rn-srcip-b-$$
NC=rn-srcip-c-$$
RN_CLEANUP_HOOK='rn_kill_test_procs; for n in $NA $NB $NC; do ip netns del $n 2>/dev/null; done
	rm -rf "$W"'
A4=198.18.77.1 B4=198.18.77.2 B4b=198.18.77.3
A6=2001:db8:77::1 B6=2001:db8:77::2 B6b=2001:db8:77::3
ip netns add $NA && ip netns add $NB && ip netns add $NC || rn_fail "ip netns add"
ip link add rnsa$$ netns $NA type veth peer name rnsb$$ netns $NB || rn_fail "veth"
ip -n $NA addr add $A4/24 dev rnsa$$ && ip -n $NB addr add $B4/24 dev rnsb$$ &&
	ip -n $NB addr add $B4b/24 dev rnsb$$ &&
	ip -n $NA addr add $A6/64 dev rnsa$$ nodad && ip -n $NB addr add $B6/64 dev rnsb$$ nodad &&
	ip -n $NB addr add $B6b/64 dev rnsb$$ nodad &&
	ip -n $NA link set rnsa$$ up && ip -n $NB link set rnsb$$ up &&
	ip -n $NA link set lo up && ip -n $NB link set lo up && ip -n $NC link set lo up ||
	rn_fail "addresses"

# start NAME FLAGS...: rootlessnet in A with the services below; RN_WRAP runs it through a
# wrapper (as root); SD is its state dir, LOG its log
B=$(rn_free_port 8) || exit 1
P0=$B P1=$((B + 1)) P2=$((B + 2)) P3=$((B + 3)) P4=$((B + 4)) P5=$((B + 5)) P6=$((B + 6))
start() {
	_name=$1
	shift
	SD=$W/sd-$_name
	LOG=$W/rn-$_name.log
	# the services (serve TAG PROTO ADDR PORT): wildcard, loopback-bound, childIP-bound
	_svc=
	for _s in "wild tcp 0.0.0.0 80" "wild udp 0.0.0.0 80" "wild6 tcp :: 80" "wild6 udp :: 80" \
		"lo tcp 127.0.0.1 81" "lo udp 127.0.0.1 81" "lo6 tcp ::1 81" "lo6 udp ::1 81" \
		"tap tcp 0.0.0.0 82" "tap udp 0.0.0.0 82"; do
		_svc="$_svc python3 $PEER serve $_s 120 &"
	done
	${RN_WRAP:-} ip netns exec $NA runuser -u "$RN_USER" -- env -i HOME="$RN_HOME" \
		PATH=/usr/bin:/bin:/usr/sbin:/sbin XDG_RUNTIME_DIR="$RN_RUNTIME" \
		RN_TEST_ID="$RN_TEST_ID" timeout -k 5 120 \
		"$ROOTLESSNET" --state-dir="$SD" --net=slirp4netns --ipv6 --port-driver=builtin "$@" \
		-p "0.0.0.0:$P0:80/tcp" -p "0.0.0.0:$P0:80/udp" \
		-p "[::]:$P1:80/tcp" -p "[::]:$P1:80/udp" \
		-p "$A4:$P2:127.0.0.1:81/tcp" -p "$A4:$P2:127.0.0.1:81/udp" \
		-p "[$A6]:$P3:[::1]:81/tcp" -p "[$A6]:$P3:[::1]:81/udp" \
		-p "0.0.0.0:$P4:10.0.2.100:82/tcp" -p "0.0.0.0:$P4:10.0.2.100:82/udp" \
		-p "0.0.0.0:$P5:10.0.2.100:83/tcp" -p "0.0.0.0:$P5:10.0.2.100:83/udp" \
		-p "[::]:$P6:[fd31::1]:83/tcp" -p "[::]:$P6:[fd31::1]:83/udp" \
		sh -c "$_svc touch $W/up-$_name; exec sleep 120" >"$LOG" 2>&1 &
	rn_wait_for 20 test -f "$W/up-$_name" -a -s "$SD/child_pid" ||
		rn_fail "$_name did not start: $(cat "$LOG")"
	rn_wait_for 10 sh -c "ip netns exec $NA ss -Hltn '( sport = :$P6 )' | grep -q ." ||
		rn_fail "$_name: ports not published: $(cat "$LOG")"
	CHILD=$(cat "$SD/child_pid")
	# the services listen
	rn_wait_for 10 sh -c "nsenter -t $CHILD -n ss -Hltn '( sport = :82 )' | grep -q ." ||
		rn_fail "$_name: the services did not start: $(cat "$LOG")"
}

# ask NS PROTO SRC SPORT DST DPORT: the answer of the service, from SRC:SPORT
ask() {
	_ns=$1
	shift
	ip netns exec "$_ns" env RN_TEST_ID="$RN_TEST_ID" timeout 20 python3 "$PEER" ask "$@" 2>&1
}
# expect WHAT GOT WANT-TAG WANT-HOST WANT-PORT: the answer came, from the right service, and
# the service saw WANT-HOST (and WANT-PORT, unless "-"). With the reference, only that an
# answer came (rootlesskit 1.1.0 has no source IP, and targets 127.0.0.1 for "[::]" too)
expect() {
	_what=$1 _got=$2 _tag=$3 _host=$4 _port=$5
	if ! rn_is_ours; then
		[ "$(echo "$_got" | wc -w)" = 3 ] || rn_fail "$_what: no answer: '$_got'"
		return 0
	fi
	case $_got in "$_tag "*) ;; *) rn_fail "$_what: no answer from the service '$_tag': '$_got'" ;; esac
	_seen=${_got#"$_tag "}
	[ "$_port" = - ] && _seen=${_seen% *} && _port=
	rn_expect_eq "$_what: the service saw" "$_seen" "$_host${_port:+ $_port}"
}

# the container: C behind a bridge in the namespace, a service of its own, and DNAT from the
# namespace's 10.0.2.100:83 and [fd31::1]:83 (the bridge's: rootlesskit's namespace has no
# fd00::100) to it, what dockerd does with --userland-proxy=false, as iptables rules
container() {
	_n="nsenter -t $CHILD -n"
	$_n ip link add rnsbr0 type bridge && $_n ip link set rnsbr0 up &&
		$_n ip addr add 172.31.0.1/24 dev rnsbr0 && $_n ip addr add fd31::1/64 dev rnsbr0 nodad &&
		ip -n $NC link add eth0 type veth peer name rnsvc0 netns "$CHILD" &&
		$_n ip link set rnsvc0 master rnsbr0 up &&
		ip -n $NC link set eth0 up && ip -n $NC addr add 172.31.0.2/24 dev eth0 &&
		ip -n $NC addr add fd31::2/64 dev eth0 nodad &&
		ip -n $NC route add default via 172.31.0.1 && ip -n $NC -6 route add default via fd31::1 ||
		rn_fail "the container's network"
	for _p in tcp udp; do
		$_n iptables -t nat -A OUTPUT -d 10.0.2.100 -p $_p --dport 83 \
			-j DNAT --to-destination 172.31.0.2:80 &&
			$_n ip6tables -t nat -A OUTPUT -d fd31::1 -p $_p --dport 83 \
				-j DNAT --to-destination "[fd31::2]:80" || rn_fail "DNAT rules"
		for _a in 0.0.0.0 ::; do
			ip netns exec $NC env RN_TEST_ID="$RN_TEST_ID" python3 "$PEER" serve \
				container $_p $_a 80 120 >>"$W/container.log" 2>&1 &
		done
	done
	rn_wait_for 10 sh -c "ip netns exec $NC ss -Hltun '( sport = :80 )' | grep -c . | grep -qx 4" ||
		rn_fail "the container's services did not start: $(cat "$W/container.log")"
}

# --- the default: clients shown as themselves ---
FLAGS=
rn_is_ours && FLAGS=--source-ip-transparent
start on $FLAGS
container
sp=41000
for p in tcp udp; do
	sp=$((sp + 1))
	expect "$p IPv4 client of a dual-stack port" "$(ask $NB $p $B4 $sp $A4 $P0)" wild $B4 $sp
	sp=$((sp + 1))
	expect "$p IPv6 client of [::]" "$(ask $NB $p $B6 $sp $A6 $P1)" wild6 $B6 $sp
	sp=$((sp + 1))
	expect "$p IPv4, specific parent address, service on 127.0.0.1" \
		"$(ask $NB $p $B4 $sp $A4 $P2)" lo $B4 $sp
	sp=$((sp + 1))
	expect "$p IPv6, specific parent address, service on ::1" \
		"$(ask $NB $p $B6 $sp $A6 $P3)" lo6 $B6 $sp
	# a UDP client's route has one source: B4b is the client of the 10.0.2.100 targets
	sp=$((sp + 1))
	expect "$p IPv4, childIP 10.0.2.100, service on 0.0.0.0" \
		"$(ask $NB $p $B4b $sp $A4 $P4)" tap $B4b $sp
	sp=$((sp + 1))
	expect "$p IPv4, behind DNAT" "$(ask $NB $p $B4b $sp $A4 $P5)" container $B4b $sp
	sp=$((sp + 1))
	expect "$p IPv6, behind DNAT" "$(ask $NB $p $B6b $sp $A6 $P6)" container $B6b $sp
	# the other family of a dual-stack port whose target is 127.0.0.1: as before
	sp=$((sp + 1))
	expect "$p IPv6 client of a dual-stack port with an IPv4 target" \
		"$(ask $NB $p $B6 $sp $A6 $P0)" wild 127.0.0.1 -
	# loopback clients on the host: as before
	sp=$((sp + 1))
	expect "$p 127.0.0.1 client" "$(ask $NA $p 127.0.0.1 $sp 127.0.0.1 $P0)" wild 127.0.0.1 -
	sp=$((sp + 1))
	expect "$p ::1 client" "$(ask $NA $p ::1 $sp ::1 $P1)" wild6 ::1 -
	# a client on the host's own address is a client like another
	sp=$((sp + 1))
	expect "$p client on the host's address" "$(ask $NA $p $A4 $sp $A4 $P0)" wild $A4 $sp
done
# many UDP datagrams from one client: one flow, every answer back
if rn_is_ours; then
	for i in 1 2 3 4 5; do
		expect "udp, again from one client ($i)" "$(ask $NB udp $B4 42000 $A4 $P0)" wild $B4 42000
	done
	n=$(grep -c 'source IP' "$LOG")
	rn_expect_eq "source IP messages with every piece there" "$n" 0
	rules=$(nsenter -t "$CHILD" -n ip rule; nsenter -t "$CHILD" -n ip -6 rule)
	n=$(echo "$rules" | grep -c 'lookup 2929[45]')
	rn_expect_eq "rules of ours in the namespace (two a family)" "$n" 4
	# the local table our TCP sockets route by acknowledges at once, as lo's own routes do
	for f in -4 -6; do
		r=$(nsenter -t "$CHILD" -n ip $f route show table 29294)
		case $r in *quickack\ 1*) ;; *) rn_fail "table 29294 ($f) without quickack: $r" ;; esac
	done
fi
rn_kill_test_procs
rn_is_ours || exit 0

# --- the kernel lacks nftables: one warning that names it, then today's behaviour ---
RN_WRAP="python3 $NONFT"
start nonft
RN_WRAP=
for p in tcp udp; do
	sp=$((sp + 1))
	expect "$p without nftables" "$(ask $NB $p $B4 $sp $A4 $P0)" wild 127.0.0.1 -
	sp=$((sp + 1))
	expect "$p IPv6 without nftables" "$(ask $NB $p $B6 $sp $A6 $P1)" wild6 ::1 -
	sp=$((sp + 1))
	expect "$p 127.0.0.1 client without nftables" "$(ask $NA $p 127.0.0.1 $sp 127.0.0.1 $P0)" \
		wild 127.0.0.1 -
done
n=$(grep -c 'source IP' "$LOG")
rn_expect_eq "source IP warnings without nftables" "$n" 1
grep 'warning: source IP (--source-ip-transparent):.*nftables' "$LOG" >/dev/null ||
	rn_fail "the warning does not name nftables: $(cat "$LOG")"
rn_kill_test_procs

# --- --source-ip-transparent=false: today's behaviour, on purpose and without a word ---
start off --source-ip-transparent=false
for p in tcp udp; do
	sp=$((sp + 1))
	expect "$p with =false" "$(ask $NB $p $B4 $sp $A4 $P0)" wild 127.0.0.1 -
	sp=$((sp + 1))
	expect "$p IPv6 with =false" "$(ask $NB $p $B6 $sp $A6 $P3)" lo6 ::1 -
done
n=$(grep -c 'source IP' "$LOG")
rn_expect_eq "source IP messages with =false" "$n" 0
# nothing was set up in the namespace (the rules of ours look up table 29294 or 29295)
rules=$(nsenter -t "$CHILD" -n ip rule; nsenter -t "$CHILD" -n ip -6 rule)
case $rules in *2929[45]*) rn_fail "rules set up with =false: $rules" ;; esac
exit 0
