#!/bin/sh
# proc-namespaces.sh - which namespaces the command gets; --pidns, --reaper, --detach-netns;
# systemd socket activation (LISTEN_FDS/LISTEN_PID) and NOTIFY_SOCKET pass through
. "${top_srcdir:-.}/tests/integration/lib.sh"
rn_setup_user

has_net_none() { "$ROOTLESSNET" --help | grep -- '--net value' | grep -q none; }
has_detach() { "$ROOTLESSNET" --help | grep -q -- --detach-netns; }
ns() { readlink "/proc/self/ns/$1"; }
cd "$RN_RUNTIME" || rn_fail "cd"

# shellcheck disable=SC2016
show='for n in user mnt net pid uts ipc cgroup; do echo "$n $(readlink /proc/self/ns/$n)"; done'
inside() { echo "$1" | awk -v n="$2" '$1 == n { print $2 }'; }

out=$(rn sh -c "$show") || rn_fail "plain run"
[ "$(inside "$out" user)" != "$(ns user)" ] || rn_fail "no new user namespace"
[ "$(inside "$out" mnt)" != "$(ns mnt)" ] || rn_fail "no new mount namespace"
for n in net pid uts ipc cgroup; do
	rn_expect_eq "$n namespace without flags (--net=host)" "$(inside "$out" $n)" "$(ns $n)"
done
out=$(rn --pidns --utsns --ipcns --cgroupns sh -c "$show") || rn_fail "run with namespaces"
for n in pid uts ipc cgroup; do
	[ "$(inside "$out" $n)" != "$(ns $n)" ] || rn_fail "--${n}ns: no new $n namespace"
done
if has_net_none; then
	out=$(rn --net=none sh -c "$show") || rn_fail "--net=none"
	[ "$(inside "$out" net)" != "$(ns net)" ] || rn_fail "--net=none: no new network namespace"
fi

# --pidns: the command has a small pid, and orphans are reaped (no zombie stays)
# shellcheck disable=SC2016
out=$(rn --pidns sh -c 'echo $$; (sleep 0.1 &); sleep 0.6; grep -l "^State:.*Z" /proc/[0-9]*/status 2>/dev/null | wc -l') ||
	rn_fail "--pidns run"
[ "$(echo "$out" | sed -n 1p)" -le 50 ] || rn_fail "--pidns: the command's pid is $(echo "$out" | sed -n 1p)"
rn_expect_eq "zombies left in --pidns" "$(echo "$out" | sed -n 2p)" 0
if rn --reaper=true true 2>/dev/null; then rn_fail "--reaper=true without --pidns accepted"; fi
rn --pidns --reaper=false true || rn_fail "--reaper=false"

# systemd socket activation: fds from 3 on and LISTEN_PID naming the command itself
# (rootlesskit supports it since 2.0, where --print-semver appeared too)
major=$("$ROOTLESSNET" --print-semver=major 2>/dev/null) || major=1
case $major in '' | *[!0-9]*) major=1 ;; esac
[ "$major" -ge 2 ] || rn_log "socket activation not checked: this rootlesskit predates 2.0"
[ "$major" -ge 2 ] && {
echo activated >"$RN_RUNTIME/sock"
chown "$RN_USER:" "$RN_RUNTIME/sock"
# shellcheck disable=SC2016
out=$(rn_as_user sh -c 'exec 3<"$1"; export LISTEN_FDS=1 LISTEN_PID=$$ LISTEN_FDNAMES=x; exec "$2" sh -c "echo \$LISTEN_FDS \$LISTEN_FDNAMES; [ \"\$LISTEN_PID\" = \$\$ ] && echo pid-ok; cat <&3"' \
	sh "$RN_RUNTIME/sock" "$ROOTLESSNET") || rn_fail "socket activation run"
rn_expect_eq "socket activation" "$out" "1 x
pid-ok
activated"
}
out=$(RN_USER_ENV="NOTIFY_SOCKET=/run/rn-test-notify" rn sh -c 'echo $NOTIFY_SOCKET') || rn_fail "NOTIFY_SOCKET run"
rn_expect_eq "NOTIFY_SOCKET" "$out" /run/rn-test-notify

# --detach-netns: the command in the host network, the namespace at $STATE_DIR/netns
if has_detach && has_net_none; then
	# shellcheck disable=SC2016
	out=$(rn --net=none --detach-netns sh -c 'readlink /proc/self/ns/net; test -e "$ROOTLESSKIT_STATE_DIR/netns" && echo file; nsenter --net="$ROOTLESSKIT_STATE_DIR/netns" sh -c "readlink /proc/self/ns/net; ip -o link show lo"') ||
		rn_fail "--detach-netns run"
	rn_expect_eq "command's network namespace with --detach-netns" "$(echo "$out" | sed -n 1p)" "$(ns net)"
	rn_expect_eq "\$STATE_DIR/netns exists" "$(echo "$out" | sed -n 2p)" file
	[ "$(echo "$out" | sed -n 3p)" != "$(ns net)" ] || rn_fail "\$STATE_DIR/netns is the host's namespace"
	echo "$out" | sed -n 4p | grep -q "UP" || rn_fail "lo is not up in the detached namespace: $out"
fi
echo "proc-namespaces: ok"
