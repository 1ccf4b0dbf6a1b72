#!/bin/sh
# ports-builtin.sh - builtin port driver data path: TCP and UDP, v4/v6/dual stack, child IPs,
# errors users meet, 200 concurrent connections, 1 GiB intact, 500 add/remove without fd growth
#
# The port table and driver run in ports-harness (the same code the parent runs) against a
# user+network namespace this test makes with unshare, with servers listening inside on
# loopback and on extra addresses the test gives its lo. Clients connect from the
# host to 127.0.0.1 and ::1 only.
set -u
. "$top_srcdir/tests/integration/lib.sh"

rn_setup_user
HARNESS="$top_builddir/tests/harness/ports-harness"
[ -x "$HARNESS" ] || rn_fail "$HARNESS not built (make check builds it)"
rn_need socat openssl
chmod o+rx "$top_builddir" "$top_builddir/tests" "$top_builddir/tests/integration" 2>/dev/null || :

rn_workdir ports
RN_CLEANUP_HOOK='exec 3>&- 2>/dev/null'
BASE=$(rn_free_port 17) || exit 1

# --- the namespace, with servers inside ---
# port 80: TCP echo on 127.0.0.1 and ::1; 81: TCP "who am I" on each address;
# 53: UDP echo on 127.0.0.1 and ::1; 54: UDP "who am I"
cat >"$W/ns.sh" <<'EOF'
set -e
echo $$ >"$1/ns.pid"
ip link set lo up
ip addr add 10.99.0.1/32 dev lo
ip addr add fd99::1/128 dev lo
L() { socat "$@" >/dev/null 2>&1 & }
L TCP4-LISTEN:80,bind=127.0.0.1,fork,reuseaddr,backlog=512 EXEC:cat
L TCP6-LISTEN:80,bind=[::1],fork,reuseaddr,ipv6only=1 EXEC:cat
L TCP4-LISTEN:81,bind=127.0.0.1,fork,reuseaddr SYSTEM:"read x; echo lo4"
L TCP6-LISTEN:81,bind=[::1],fork,reuseaddr,ipv6only=1 SYSTEM:"read x; echo lo6"
L TCP4-LISTEN:81,bind=10.99.0.1,fork,reuseaddr SYSTEM:"read x; echo d4"
L TCP6-LISTEN:81,bind=[fd99::1],fork,reuseaddr,ipv6only=1 SYSTEM:"read x; echo d6"
L UDP4-RECVFROM:53,bind=127.0.0.1,fork,reuseaddr EXEC:cat
L UDP6-RECVFROM:53,bind=[::1],fork,reuseaddr,ipv6only=1 EXEC:cat
L UDP4-RECVFROM:54,bind=127.0.0.1,fork,reuseaddr SYSTEM:"cat >/dev/null; echo lo4"
L UDP6-RECVFROM:54,bind=[::1],fork,reuseaddr,ipv6only=1 SYSTEM:"cat >/dev/null; echo lo6"
echo up >"$1/ns.ready"
exec sleep 600
EOF
rn_as_user unshare -r -n sh "$W/ns.sh" "$W" >"$W/ns.log" 2>&1 &
rn_wait_for 10 test -s "$W/ns.ready" || rn_fail "namespace did not start: $(cat "$W/ns.log")"
NSPID=$(cat "$W/ns.pid")
ns_listening() { nsenter -t "$NSPID" -n ss -Hlntu | grep -q "$1"; }
rn_wait_for 10 ns_listening '\[::1\]:54' || rn_fail "servers in the namespace did not start"

# --- the harness: commands on fd 3, answers in $W/out ---
mkfifo "$W/ctl"
RN_USER_ENV="${RN_HARNESS_DEBUG:+RN_HARNESS_DEBUG=1}" rn_as_user ${RN_HARNESS_WRAP:-} "$HARNESS" "$NSPID" <"$W/ctl" >"$W/out" 2>"$W/err" &
exec 3>"$W/ctl"
rn_wait_for 10 grep -q '^ready' "$W/out" || rn_fail "harness did not start: $(cat "$W/err")"
HPID=$(sed -n 's/^ready //p' "$W/out")
echo 1 >"$W/nlines"

# pt CMD: send a command, print its answer (the line count is kept in a file: pt runs in $())
pt() {
	NLINES=$(($(cat "$W/nlines") + 1))
	echo "$NLINES" >"$W/nlines"
	echo "$*" >&3 || rn_fail "cannot write to the harness"
	rn_wait_for 60 pt_answered || rn_fail "harness gave no answer to '$*': $(cat "$W/err")"
	sed -n "${NLINES}p" "$W/out"
}
pt_answered() { [ "$(wc -l <"$W/out")" -ge "$NLINES" ]; }
# pt_add SPEC: publish, print the ID, fail on error
pt_add() {
	_a=$(pt add "$1")
	case "$_a" in "ok "*) echo "${_a#ok }" ;; *) rn_fail "add $1: $_a" ;; esac
}
pt_remove() { rn_expect_eq "remove $1" "$(pt remove "$1")" ok; }
nfds() { ls "/proc/$HPID/fd" | wc -l; }

# tcp_ask HOST PORT: the line a "who am I" server answers (empty on failure)
tcp_ask() { echo q | timeout 10 socat -t5 - "TCP:$1:$2" 2>/dev/null; }
udp_ask() { echo q | timeout 10 socat -t2 - "UDP:$1:$2" 2>/dev/null; }

# --- TCP and UDP: families and child IPs, a case a row ---
# OFFSET SPEC CLIENT WANT WHAT: with SPEC published (PORT: BASE + OFFSET), a client on CLIENT
# asks PORT ("who am I", TCP or UDP as SPEC says) and gets WANT ("-": no answer, nothing
# listens there for it). Consecutive rows of one SPEC share the port; it is removed after them.
ncases=0
while read -r off spec client want what <&4; do
	case $off in '' | '#'*) continue ;; esac
	ncases=$((ncases + 1))
	P=$((BASE + off))
	spec=${spec%%PORT*}$P${spec#*PORT}
	if [ "$spec" != "${published:-}" ]; then
		[ -z "${published:-}" ] || pt_remove "$id"
		id=$(pt_add "$spec")
		published=$spec
	fi
	[ "$want" != - ] || want=
	case $spec in
	*/udp*) rn_expect_eq "$what" "$(udp_ask "$client" "$P")" "$want" ;;
	*) rn_expect_eq "$what" "$(tcp_ask "$client" "$P")" "$want" ;;
	esac
done 4<<'EOF'
# off spec                      client     want what
0   0.0.0.0:PORT:81/tcp         127.0.0.1  lo4  tcp 0.0.0.0 (dual stack) via 127.0.0.1
0   0.0.0.0:PORT:81/tcp         [::1]      lo4  tcp 0.0.0.0 (dual stack) via ::1
1   [::]:PORT:81/tcp            [::1]      lo6  tcp [::] via ::1 targets ::1
1   [::]:PORT:81/tcp            127.0.0.1  lo6  tcp [::] is dual stack: via 127.0.0.1
2   0.0.0.0:PORT:81/tcp4        127.0.0.1  lo4  tcp4 via 127.0.0.1
2   0.0.0.0:PORT:81/tcp4        [::1]      -    tcp4 does not listen on ::1
3   [::]:PORT:81/tcp6           [::1]      lo6  tcp6 via ::1
3   [::]:PORT:81/tcp6           127.0.0.1  -    tcp6 does not listen on 127.0.0.1
4   127.0.0.1:PORT:81/tcp       127.0.0.1  lo4  tcp 127.0.0.1 targets the parent IP
4   127.0.0.1:PORT:81/tcp       [::1]      -    tcp 127.0.0.1 does not listen on ::1
5   [::1]:PORT:81/tcp           [::1]      lo6  tcp [::1] targets the parent IP
10  0.0.0.0:PORT:54/udp         127.0.0.1  lo4  udp dual stack via 127.0.0.1
10  0.0.0.0:PORT:54/udp         [::1]      lo4  udp dual stack via ::1
10  [::]:PORT:54/udp6           [::1]      lo6  udp6 via ::1
10  [::]:PORT:54/udp6           127.0.0.1  -    udp6 does not listen on 127.0.0.1
10  127.0.0.1:PORT:[::1]:54/udp4 127.0.0.1 lo6  udp4 to childIP ::1
EOF
pt_remove "$id"
rn_expect_eq "port cases checked" "$ncases" 16

# --- TCP: child IPs of the other family, several ports at once ---
P=$((BASE + 6))
id1=$(pt_add "127.0.0.1:$P:[::1]:81/tcp")
id2=$(pt_add "[::1]:$P:10.99.0.1:81/tcp")
id3=$(pt_add "127.0.0.2:$P:[fd99::1]:81/tcp4")
id4=$(pt_add "[::]:$((P + 1)):0.0.0.0:81/tcp6")
rn_expect_eq "childIP ::1 from an IPv4 listener" "$(tcp_ask 127.0.0.1 $P)" lo6
rn_expect_eq "childIP 10.99.0.1 from an IPv6 listener" "$(tcp_ask '[::1]' $P)" d4
rn_expect_eq "childIP fd99::1" "$(tcp_ask 127.0.0.2 $P)" d6
rn_expect_eq "childIP 0.0.0.0 is the namespace's 127.0.0.1" "$(tcp_ask '[::1]' $((P + 1)))" lo4
rn_expect_eq "list" "$(pt list)" "ok ,$id1,$id2,$id3,$id4"
for i in $id1 $id2 $id3 $id4; do pt_remove "$i"; done
rn_expect_eq "empty list" "$(pt list)" "ok "

# --- UDP: replies to the right client ---
P=$((BASE + 11))
id=$(pt_add "0.0.0.0:$P:53/udp")
rn_clients 30 0 0 "$W/u" client-%d timeout 10 socat -t2 - "UDP:127.0.0.1:$P"
rn_expect_clients 30 15 "$W/u" client-%d "udp reply to client"
rn_expect_eq "udp echo via ::1" "$(echo six | timeout 10 socat -t2 - "UDP:[::1]:$P")" six
pt_remove "$id"

# --- errors users meet ---
P=$((BASE + 12))
rn_as_user socat TCP4-LISTEN:$P,bind=127.0.0.1,reuseaddr - >/dev/null 2>&1 &
host_listening() { ss -Hlnt | grep -q "127.0.0.1:$P "; }
rn_wait_for 10 host_listening || rn_fail "host listener did not start"
a=$(pt add "127.0.0.1:$P:81/tcp")
case "$a" in
*"address already in use"*) ;;
*) rn_fail "address in use: got '$a'" ;;
esac
start=$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
if [ "$start" -gt 80 ]; then
	a=$(pt add "127.0.0.1:80:81/tcp")
	case "$a" in
	*"net.ipv4.ip_unprivileged_port_start"*) ;;
	*) rn_fail "privileged port: got '$a'" ;;
	esac
fi
P=$((BASE + 13))
id=$(pt_add "127.0.0.1:$P:9/tcp")
# curl: 56 = reset after connecting; 7 and 55 = reset before curl saw the connection complete
# (the listener is there: checked first); 52 would be an orderly close
port_listening() { ss -Hlnt | grep -q "127.0.0.1:$1 "; }
port_listening "$P" || rn_fail "port $P is not listening on the host"
i=0
while [ $i -lt 5 ]; do
	curl -sS -m 10 "http://127.0.0.1:$P/" >"$W/curl.out" 2>&1
	rc=$?
	case $rc in
	56 | 55 | 7) ;;
	*) rn_fail "target not listening: the client must see a reset, got curl exit $rc: $(cat "$W/curl.out")" ;;
	esac
	i=$((i + 1))
done
grep -q "nothing listens there" "$W/err" || rn_fail "target not listening is not explained"
a=$(pt add "127.0.0.1:$P:9/tcp")
rn_expect_eq "conflict" "$a" "err conflict with ID $id"
pt_remove "$id"
case "$(pt remove 9999)" in "err "*) ;; *) rn_fail "removing an unknown ID did not fail" ;; esac

# a bad -p fails start-up with its reason
if rn_as_user "$HARNESS" "$NSPID" -p "127.0.0.1:70000:80/tcp" </dev/null >"$W/bad.out" 2>"$W/bad.err"; then
	rn_fail "a bad -p did not fail start-up"
fi
grep -q "70000" "$W/bad.err" || rn_fail "bad -p message: $(cat "$W/bad.err")"

# --- 200 concurrent connections, all served ---
P=$((BASE + 14))
id=$(pt_add "127.0.0.1:$P:80/tcp")
fds0=$(nfds)
rn_clients 200 0 2 "$W/c" conn-%d timeout 20 socat -t5 - "TCP:127.0.0.1:$P"
rn_expect_clients 200 30 "$W/c" conn-%d "concurrent connection"
conns_closed() { [ "$(nfds)" -le "$fds0" ]; }
rn_wait_for 30 conns_closed || rn_fail "descriptors after 200 connections: $(nfds), before $fds0"

# --- 1 GiB through the echo server, both directions, checksum compared ---
gen() {
	openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
		-iv 00000000000000000000000000000000 </dev/zero 2>/dev/null | head -c 1073741824
}
want=$(gen | sha256sum | cut -d' ' -f1)
mkfifo "$W/big"
wc -c <"$W/big" >"$W/big.len" &
got=$(gen | timeout 180 socat -b 262144 -t 30 - "TCP:127.0.0.1:$P" | tee "$W/big" | sha256sum | cut -d' ' -f1)
wait $!
rn_expect_eq "1 GiB echoed through the port ($(cat "$W/big.len") bytes back)" "$got" "$want"
pt_remove "$id"

# --- 500 add/remove cycles: no growth in open descriptors ---
# (a flow first: the helper's spare sockets, a bounded cache, are then in place)
id=$(pt_add "0.0.0.0:$((BASE + 16)):53/udp")
rn_expect_eq "udp flow before removal" "$(echo flow | timeout 10 socat -t2 - "UDP:127.0.0.1:$((BASE + 16))")" flow
pt_remove "$id"
fds0=$(nfds)
rn_expect_eq "500 tcp cycles" "$(pt cycle 500 "0.0.0.0:$((BASE + 15)):80/tcp")" ok
rn_expect_eq "500 udp cycles" "$(pt cycle 500 "[::1]:$((BASE + 15)):53/udp")" ok
rn_expect_eq "descriptors after 500+500 cycles" "$(nfds)" "$fds0"

echo quit >&3
rn_wait_for 10 sh -c "! kill -0 $HPID 2>/dev/null" || rn_fail "harness did not quit"
exec 3>&-
echo "ok"
