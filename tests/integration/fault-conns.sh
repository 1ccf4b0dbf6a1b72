#!/bin/sh
# fault-conns.sh - 1000 connections at once through each port driver, none lost: a client on
# the host fires 1000 non-blocking connects together, sends a unique line on each and checks
# every echo, against an echo server in the namespace that takes them all (backlog 4096).
# Rounds: builtin 2, slirp4netns 3 (a listener with a short backlog drops SYNs, which may
# take more than one burst to show); each round 15 s at most.
set -u
. "$top_srcdir/tests/integration/lib.sh"
rn_setup_user
rn_need python3
[ -c /dev/net/tun ] || rn_skip "no /dev/net/tun: the kernel gives no tap device"
N=1000
hard=$(rn_as_user sh -c 'ulimit -Hn')
[ "$hard" = unlimited ] || [ "$hard" -ge $((N + 100)) ] ||
	rn_fail "$RN_USER may open only $hard files (ulimit -Hn): $N connections need more"
rn_workdir fconn
P=$(rn_free_port 2) || exit 1

cat >"$W/cmd.sh" <<EOS
exec python3 "$FAULTKIT" echo-server 0.0.0.0 80 4096 >"$W/echo.\$1" 2>&1
EOS
# through DRIVER PORT ROUNDS: N connections at once, ROUNDS times, through DRIVER's PORT
through() {
	rn_instance_start "$W/$1" "$W/$1.log" --net=slirp4netns --port-driver="$1" \
		-p "127.0.0.1:$2:80/tcp" sh "$W/cmd.sh" "$1"
	rn_wait_for 10 grep -q listening "$W/echo.$1" || rn_fail "$1: no echo server: $(cat "$W/echo.$1")"
	rn_as_user python3 "$FAULTKIT" burst 127.0.0.1 "$2" $N 15 "$3" >"$W/burst.$1" 2>&1
	_rc=$?
	sed "s/^/# $1: /" "$W/burst.$1" >&2
	[ $_rc = 0 ] || rn_fail "$1 driver: $(tail -n 1 "$W/burst.$1")"
	kill -0 "$RN_PARENT" 2>/dev/null || rn_fail "$1: rootlessnet died: $(tail -c 1000 "$W/$1.log")"
	rn_instance_stop
}
through builtin "$P" 2
through slirp4netns "$((P + 1))" 3
echo "fault-conns: ok"
