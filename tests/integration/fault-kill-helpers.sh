#!/bin/sh
# fault-kill-helpers.sh - helpers come back: kill -9 of the network process (libslirp) or of the
# builtin driver's helper in the namespace, and within 2 s the namespace reaches the host
# again with the same addresses, routes and MTU, every published port (-p and the API's, TCP
# and UDP) serves again and a new API port works; each death is logged once with its cause.
# Restarts are bounded: a 6th death in a minute waits, an error says so, and meanwhile the
# API refuses a port that needs the dead network process (400, never a success).
#
# Traffic: the host's 127.0.0.1 and the namespace's own addresses (10.0.2.0/24) only.
# RN_FAULT_PARTS="b c" runs only those parts (debugging).
set -u
. "$top_srcdir/tests/integration/lib.sh"
rn_setup_user
rn_need python3 socat nsenter:util-linux ip:iproute2 curl jq
[ -c /dev/net/tun ] || rn_skip "no /dev/net/tun: the kernel gives no tap device"
rn_workdir fkill
BASE=$(rn_free_port 11) || exit 1
DEADLINE=2
part() { case " ${RN_FAULT_PARTS:-a b c} " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# the namespace's servers: TCP echo on 80 and 81, UDP echo on 53 and 54 (a UDP forward of
# libslirp's is found by the guest's address and port: two forwards need two), all addresses
cat >"$W/cmd.sh" <<EOS
python3 "$FAULTKIT" echo-server 0.0.0.0 80 >"$W/e80.\$1" 2>&1 &
python3 "$FAULTKIT" echo-server 0.0.0.0 81 >"$W/e81.\$1" 2>&1 &
socat UDP4-RECVFROM:53,fork,reuseaddr EXEC:cat &
socat UDP4-RECVFROM:54,fork,reuseaddr EXEC:cat &
exec sleep 120
EOS
# start NAME FLAGS...: an instance running the servers; CHILD is the namespace's first process
start() {
	_n=$1
	shift
	rn_instance_start "$W/$_n" "$W/$_n.log" --net=slirp4netns "$@" sh "$W/cmd.sh" "$_n"
	CHILD=$(cat "$W/$_n/child_pid")
	SOCK=$W/$_n/api.sock
	LOG=$W/$_n.log
	rn_wait_for 10 grep -q listening "$W/e80.$_n" || rn_fail "no server on 80: $(cat "$W/e80.$_n")"
	rn_wait_for 10 grep -q listening "$W/e81.$_n" || rn_fail "no server on 81: $(cat "$W/e81.$_n")"
}
# tcp_ok PORT: an echo through 127.0.0.1:PORT (0.5 s at most)
tcp_ok() { rn_as_user python3 "$FAULTKIT" burst 127.0.0.1 "$1" 1 0.5 >/dev/null 2>&1; }
# udp_ok PORT: a datagram echoed through 127.0.0.1:PORT (0.5 s at most)
udp_ok() { [ "$(echo "u$1" | timeout 2 socat -T0.5 - "UDP4:127.0.0.1:$1" 2>/dev/null)" = "u$1" ]; }
# host_ok: from inside, the host's 127.0.0.1:HOSTP through the gateway 10.0.2.2
host_ok() { nsenter -t "$CHILD" -n python3 "$FAULTKIT" burst 10.0.2.2 "$HOSTP" 1 0.5 >/dev/null 2>&1; }
# netconf: the namespace's tap0: address, default route, MTU
netconf() {
	nsenter -t "$CHILD" -n sh -c 'ip -4 -o addr show dev tap0 | awk "{ print \$4 }";
		ip -4 route show default; ip -o link show dev tap0 | grep -o "mtu [0-9]*"'
}
netconf_ok() { [ "$(netconf 2>/dev/null)" = "$NETCONF0" ]; }
# add_port PARENTPORT CHILDPORT [PROTO]: a port through the API; prints its ID
add_port() {
	RN_API_BODY=$W/post.json
	_c=$(rn_api "$SOCK" POST /ports \
		"{\"proto\":\"${3:-tcp}\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$1,\"childPort\":$2}")
	RN_API_BODY=
	[ "$_c" = 201 ] || rn_fail "POST /v1/ports $1:$2: $_c $(cat "$W/post.json")"
	jq -r .id "$W/post.json"
}
# new_pid FINDER...: FINDER prints a pid (_p) other than _old
new_pid() { _p=$("$@") && [ "$_p" != "$_old" ]; }
# wait_new NAME OLD FINDER...: wait (DEADLINE) for FINDER to print a pid other than OLD
wait_new() {
	_what=$1
	_old=$2
	shift 2
	_dl=$(rn_deadline $DEADLINE)
	rn_by "$_dl" new_pid "$@" || rn_fail "no new $_what within $DEADLINE s of killing $_old: $(tail -n 5 "$LOG")"
	echo "$_p"
}
# killed_told N: the instance's log told of N deaths by kill -9, each once
killed_told() {
	rn_expect_eq "log lines telling of a helper killed by signal 9 ($(grep -E 'signal 9|SIGKILL' \
		"$LOG" | head -n 3))" "$(grep -c -E 'signal 9|SIGKILL' "$LOG")" "$1"
}
# tcp_many PORT: 20 clients at once through 127.0.0.1:PORT, all echoed (1 s at most): more than
# the builtin driver's spare sockets made before its helper died
tcp_many() { rn_as_user python3 "$FAULTKIT" burst 127.0.0.1 "$1" 20 1 >/dev/null 2>&1; }
# udp_many PORT: 12 datagrams from 12 client ports, each echoed
udp_many() {
	_i=0
	while [ $_i -lt 12 ]; do
		udp_ok "$1" || return 1
		_i=$((_i + 1))
	done
}

# replaced PART WHAT OLD NEW PORT SERVES: the helper OLD killed in PART is now NEW, another
# process; a port added through the API after the restart (PORT) SERVES (tcp_ok, tcp_many),
# the death was logged once and the instance lives on; then it is stopped
replaced() {
	[ "$4" != "$3" ] || rn_fail "($1) the $2 $3 was not replaced"
	add_port "$5" 81 >/dev/null
	"$6" "$5" || rn_fail "($1) a port added after the restart does not serve"
	killed_told 1
	kill -0 "$RN_PARENT" 2>/dev/null || rn_fail "($1) rootlessnet died"
	rn_log "($1) $2 $3 killed, $4 serves; ${7:-ports serve again}"
	rn_instance_stop
}

# a server on the host's loopback, for the namespace to reach through 10.0.2.2
HOSTP=$((BASE + 9))
rn_as_user python3 "$FAULTKIT" echo-server 127.0.0.1 $HOSTP >"$W/host.out" 2>&1 &
rn_wait_for 10 grep -q listening "$W/host.out" || rn_fail "host server: $(cat "$W/host.out")"

# --- (a) the network process, with the slirp4netns port driver ---
if part a; then
	PT=$BASE
	PU=$((BASE + 1))
	PA=$((BASE + 2))
	PB=$((BASE + 3))
	PAU=$((BASE + 8))
	start a --port-driver=slirp4netns -p "127.0.0.1:$PT:80/tcp" -p "127.0.0.1:$PU:53/udp"
	add_port $PA 81 >/dev/null
	add_port $PAU 54 udp >/dev/null
	tcp_ok $PT && udp_ok $PU && tcp_ok $PA && udp_ok $PAU && host_ok ||
		rn_fail "(a) before the kill: ports or host"
	NETCONF0=$(netconf)
	case $NETCONF0 in
	*10.0.2.100/24*"default via 10.0.2.2 dev tap0"*mtu*) ;;
	*) rn_fail "(a) the namespace's network: $NETCONF0" ;;
	esac
	np=$(rn_netproc_pid "$RN_PARENT") || rn_fail "(a) no network process among $(rn_children_named "$RN_PARENT")"
	kill -KILL "$np"
	dl=$(rn_deadline $DEADLINE)
	rn_by "$dl" host_ok || rn_fail "(a) the namespace does not reach the host $DEADLINE s after kill -9 of the network process: $(tail -n 5 "$LOG")"
	rn_by "$dl" netconf_ok || rn_fail "(a) the namespace's network after the restart: $(netconf), before: $NETCONF0"
	rn_by "$dl" tcp_many $PT || rn_fail "(a) -p tcp $PT does not serve $DEADLINE s after the kill"
	rn_by "$dl" udp_ok $PU || rn_fail "(a) -p udp $PU does not serve $DEADLINE s after the kill"
	rn_by "$dl" tcp_ok $PA || rn_fail "(a) the API's tcp port $PA does not serve $DEADLINE s after the kill"
	rn_by "$dl" udp_ok $PAU || rn_fail "(a) the API's udp port $PAU does not serve $DEADLINE s after the kill"
	np2=$(rn_netproc_pid "$RN_PARENT") ||
		rn_fail "(a) no network process after the restart; children: $(rn_children_named "$RN_PARENT"); log: $(tail -n 8 "$LOG")"
	replaced a "network process" "$np" "$np2" "$PB" tcp_ok "ports and the host reached again"
fi

# --- (b) the builtin driver's helper in the namespace ---
if part b; then
	PT=$((BASE + 4))
	PU=$((BASE + 5))
	PA=$((BASE + 6))
	start b --port-driver=builtin -p "127.0.0.1:$PT:80/tcp" -p "127.0.0.1:$PU:53/udp"
	tcp_ok $PT && udp_ok $PU || rn_fail "(b) before the kill: ports"
	ph=$(rn_porthelper_pid "$RN_PARENT" "$W/b") || rn_fail "(b) no port helper among $(rn_children_named "$RN_PARENT")"
	kill -KILL "$ph"
	dl=$(rn_deadline $DEADLINE)
	rn_by "$dl" tcp_many $PT || rn_fail "(b) -p tcp $PT does not serve 20 clients $DEADLINE s after kill -9 of the port helper: $(tail -n 5 "$LOG")"
	rn_by "$dl" udp_many $PU || rn_fail "(b) -p udp $PU does not serve 12 clients $DEADLINE s after kill -9 of the port helper"
	ph2=$(rn_porthelper_pid "$RN_PARENT" "$W/b") ||
		rn_fail "(b) no port helper after the restart; children: $(rn_children_named "$RN_PARENT"); log: $(tail -n 8 "$LOG")"
	replaced b "port helper" "$ph" "$ph2" "$PA" tcp_many
fi

# --- (c) at most 5 restarts a minute ---
if part c; then
	PT=$((BASE + 7))
	start c --port-driver=slirp4netns -p "127.0.0.1:$PT:80/tcp"
	np=$(rn_netproc_pid "$RN_PARENT") || rn_fail "(c) no network process"
	for i in 1 2 3 4 5; do
		kill -KILL "$np"
		np=$(wait_new "(c) network process (restart $i)" "$np" rn_netproc_pid "$RN_PARENT") || exit 1
	done
	tcp_ok $PT || rn_fail "(c) -p tcp $PT does not serve after 5 restarts"
	lines=$(wc -l <"$LOG")
	kill -KILL "$np"
	sleep 3
	if np6=$(rn_netproc_pid "$RN_PARENT"); then
		rn_fail "(c) a 6th network process ($np6) started within 3 s: restarts are not bounded"
	fi
	tail -n +$((lines + 1)) "$LOG" | grep -q 'error' ||
		rn_fail "(c) no error says the network process is not restarted: $(tail -n +$((lines + 1)) "$LOG")"
	RN_API_BODY=$W/post.json
	code=$(rn_api "$SOCK" POST /ports \
		"{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":$((BASE + 10)),\"childPort\":80}")
	rn_expect_eq "(c) POST /v1/ports with no network process ($(cat "$W/post.json"))" "$code" 400
	[ -s "$W/post.json" ] || rn_fail "(c) the refusal says nothing"
	killed_told 6
	kill -0 "$RN_PARENT" 2>/dev/null || rn_fail "(c) rootlessnet died with its network process down"
	rn_log "(c) 6th death not restarted at once: $(tail -n +$((lines + 1)) "$LOG" | grep error | head -n 1)"
fi

echo "fault-kill-helpers: ok"
