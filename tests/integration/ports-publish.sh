#!/bin/sh
# ports-publish.sh - --port-driver=builtin with -p through the program itself: ports listen
# before child_pid is written, traffic reaches the command's servers, a bad -p fails start-up
#
# Runs against rootlesskit too (ROOTLESSNET=/usr/bin/rootlesskit): it needs --net=slirp4netns
# for the builtin driver; ours runs with --net=none (builtin needs only the namespace) and
# with --net=slirp4netns.
set -u
. "$top_srcdir/tests/integration/lib.sh"

rn_setup_user
rn_need socat
rn_workdir publish
if rn_is_ours; then
	NETS=${RN_PORTS_NET:-none slirp4netns}
else
	NETS=slirp4netns
fi
NET=${NETS%% *}
# ports: two for each network, then six for the start-up failures below
n=0
for net in $NETS; do n=$((n + 1)); done
BASE=$(rn_free_port $((n * 2 + 6))) || exit 1
P=$BASE
host_listening() { ss -Hln"$1" | grep -q "$2 "; }

# the command: servers on the namespace's loopback, then a marker, then wait
cat >"$W/cmd.sh" <<'EOF'
ip link set lo up 2>/dev/null
socat TCP4-LISTEN:80,bind=127.0.0.1,fork,reuseaddr SYSTEM:"read x; echo tcp-\$x" &
socat TCP6-LISTEN:80,bind=[::1],fork,reuseaddr,ipv6only=1 SYSTEM:"read x; echo tcp6-\$x" &
socat UDP4-RECVFROM:53,bind=127.0.0.1,fork,reuseaddr SYSTEM:"read x; echo udp-\$x" &
sleep 0.5
echo up >"$1/ready.$2"
sleep 60
EOF
# publish NET: start with -p on ports P.., check them, leave it running
publish() {
	rn_as_user "$ROOTLESSNET" --state-dir="$W/state.$1" --net="$1" --port-driver=builtin \
		-p "127.0.0.1:$P:80/tcp" -p "[::1]:$((P + 1)):80/tcp6" -p "127.0.0.1:$P:53/udp" \
		sh "$W/cmd.sh" "$W" "$1" >"$W/log.$1" 2>&1 &
	rn_wait_for 20 test -s "$W/state.$1/child_pid" || rn_fail "$1: no child_pid: $(cat "$W/log.$1")"
	# child_pid is written only once the -p ports are published: they listen now, no waiting
	host_listening t "127.0.0.1:$P" ||
		rn_fail "$1: tcp 127.0.0.1:$P not listening when child_pid appeared"
	host_listening t "\\[::1\\]:$((P + 1))" ||
		rn_fail "$1: tcp6 [::1]:$((P + 1)) not listening when child_pid appeared"
	host_listening u "127.0.0.1:$P" ||
		rn_fail "$1: udp 127.0.0.1:$P not bound when child_pid appeared"
	rn_wait_for 20 test -s "$W/ready.$1" || rn_fail "$1: the command did not start: $(cat "$W/log.$1")"

	rn_expect_eq "$1: tcp" "$(echo a | timeout 10 socat -t5 - "TCP:127.0.0.1:$P")" tcp-a
	# a specific parent IP is the target (rootlesskit v2); Debian's 1.1.0 always dials 127.0.0.1
	got=$(echo b | timeout 10 socat -t5 - "TCP:[::1]:$((P + 1))")
	if rn_is_ours; then
		rn_expect_eq "$1: tcp6 targets [::1]" "$got" tcp6-b
	else
		[ -n "$got" ] || rn_fail "$1: tcp6: no answer"
	fi
	rn_expect_eq "$1: udp" "$(echo c | timeout 10 socat -t2 - "UDP:127.0.0.1:$P")" udp-c
}
# parent_of NET: the program's process in the host user namespace (the parent)
parent_of() {
	for _p in $(pgrep -u "$RN_USER" -f -- "--state-dir=$W/state.$1 "); do
		[ "$(readlink "/proc/$_p/ns/user")" = "$(readlink /proc/self/ns/user)" ] && echo "$_p"
	done | head -n 1
}
# cycles NET: 500 add/remove through the API (rootlessctl), tcp and udp in turn: the parent's
# descriptors do not grow (only when the API is built: it is its own module)
cycles() {
	_sock="$W/state.$1/api.sock"
	rn_is_ours && [ -S "$_sock" ] || return 0
	_pp=$(parent_of "$1")
	[ -n "$_pp" ] || rn_fail "$1: parent not found"
	rn_ctl_cycles "$1" "$_sock" "$_pp" 500 "127.0.0.1:$((P + 1)):80/tcp" "127.0.0.1:$((P + 1)):80/udp"
	# the table still works: a port added through the API carries traffic
	_id=$(rn_as_user rootlessctl --socket "$_sock" add-ports "127.0.0.1:$((P + 1)):80/tcp")
	rn_expect_eq "$1: tcp through an API port" \
		"$(echo d | timeout 10 socat -t5 - "TCP:127.0.0.1:$((P + 1))")" tcp-d
}
for net in $NETS; do
	publish "$net"
	cycles "$net"
	P=$((P + 2))
done
P=$((P + 2))

# a bad -p fails start-up, naming what is wrong
for bad in "127.0.0.1:70000:80/tcp" "127.0.0.1:$((P + 2)):80/sctp"; do
	if rn_as_user "$ROOTLESSNET" --state-dir="$W/bad" --net="$NET" --port-driver=builtin \
		-p "$bad" true >"$W/bad.log" 2>&1; then
		rn_fail "-p $bad did not fail start-up"
	fi
	rn_is_ours && ! grep -q -e "70000" -e "sctp" "$W/bad.log" && rn_fail "-p $bad: $(cat "$W/bad.log")"
done
# a port the host already uses fails start-up; ours says why
rn_as_user socat TCP4-LISTEN:$((P + 3)),bind=127.0.0.1,reuseaddr - >/dev/null 2>&1 &
rn_wait_for 10 host_listening t "127.0.0.1:$((P + 3))" || rn_fail "host listener did not start"
if rn_as_user "$ROOTLESSNET" --state-dir="$W/inuse" --net="$NET" --port-driver=builtin \
	-p "127.0.0.1:$((P + 3)):80/tcp" true >"$W/inuse.log" 2>&1; then
	rn_fail "-p on a port in use did not fail start-up"
fi
rn_is_ours && ! grep -q "address already in use" "$W/inuse.log" && rn_fail "in use: $(cat "$W/inuse.log")"
# a privileged port fails start-up; ours names the sysctl
if [ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)" -gt 80 ]; then
	if rn_as_user "$ROOTLESSNET" --state-dir="$W/priv" --net="$NET" --port-driver=builtin \
		-p "127.0.0.1:80:80/tcp" true >"$W/priv.log" 2>&1; then
		rn_fail "-p on a privileged port did not fail start-up"
	fi
	rn_is_ours && ! grep -q "net.ipv4.ip_unprivileged_port_start" "$W/priv.log" &&
		rn_fail "privileged: $(cat "$W/priv.log")"
fi
echo ok
