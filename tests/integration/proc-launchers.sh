#!/bin/sh
# proc-launchers.sh - today's launchers' command lines (moby main's dockerd-rootless.sh,
# nerdctl main's containerd-rootless.sh), and what they do in the child before exec'ing the
# daemon: the forwarding sysctls entered into $STATE_DIR/netns, /etc/ssl re-bound, the
# copy-ups of /etc, /run and /var/lib bound over with the user's directories, --ipv6
#
# The scripts are not run (nor copied): the flag sets and the child's steps are written out
# here from what the scripts of 2026-08 do; the daemon they exec is replaced by checks.
. "${top_srcdir:-.}/tests/integration/lib.sh"
rn_setup_user
rn_need nsenter:util-linux sysctl:procps ip:iproute2 curl
rn_workdir launch
HOSTNET=$(readlink /proc/self/ns/net)
HOSTFWD=$(cat /proc/sys/net/ipv4/ip_forward)
HOSTVARLIB=$(ls -a /var/lib | tr '\n' ' ')

# the steps both scripts take in the child, then the checks; $NETNS is the namespace the
# sysctls go into, as the scripts pick it (detached: $ROOTLESSKIT_STATE_DIR/netns)
COMMON='set -e
[ "$(stat -c %T -f /etc)" = tmpfs ] || { echo "/etc is not copied up"; exit 1; }
# /etc/ssl: a symlink in the copy-up; bound over with what it points to
if [ -L /etc/ssl ]; then
	r=$(realpath /etc/ssl)
	rm -f /etc/ssl
	mkdir /etc/ssl
	mount --rbind "$r" /etc/ssl
fi
test -d /etc/ssl/certs
[ "$DETACH" = yes ] && NETNS=$ROOTLESSKIT_STATE_DIR/netns || NETNS=/proc/self/ns/net
nsenter -n"$NETNS" sysctl -w net.ipv4.ip_forward=1 >/dev/null
nsenter -n"$NETNS" sysctl -w net.ipv6.conf.all.forwarding=1 >/dev/null 2>&1 || true
echo "fwd $(nsenter -n"$NETNS" cat /proc/sys/net/ipv4/ip_forward)"
echo "cmdnet $(readlink /proc/self/ns/net)"
echo "nsnet $(nsenter -n"$NETNS" readlink /proc/self/ns/net)"
echo "mtu $(nsenter -n"$NETNS" ip -o link show tap0 | sed -n "s/.* mtu \([0-9]*\) .*/\1/p")"
echo "v6 $(nsenter -n"$NETNS" ip -o -6 addr show dev tap0 scope global | grep -c fd00::100 || true)"
i=0
while [ ! -S "$ROOTLESSKIT_STATE_DIR/api.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
echo "info $(curl -sS --max-time 10 --unix-socket "$ROOTLESSKIT_STATE_DIR/api.sock" http://rootlesskit/v1/info)"
'
# dockerd-rootless.sh's child: the symlinks left from the host's /run go
DOCKERD_CHILD='set -e
rm -f /run/docker /run/containerd /run/xtables.lock
'$COMMON'exit 7'
# containerd-rootless.sh's child: the symlinks go, the user's directories are bound over
CONTAINERD_CHILD='set -e
rm -f /run/containerd /run/nri /run/xtables.lock /var/lib/containerd \
	/var/lib/cni /etc/containerd
[ "$(stat -c %T -f /var/lib)" = tmpfs ] || { echo "/var/lib is not copied up"; exit 1; }
for m in "$XDG_RUNTIME_DIR/containerd:/run/containerd" \
	"$HOME/.local/share/containerd:/var/lib/containerd" \
	"$HOME/.local/share/cni:/var/lib/cni" "$HOME/.config/containerd:/etc/containerd"; do
	mkdir -p "${m%%:*}" "${m#*:}"
	mount --bind "${m%%:*}" "${m#*:}"
done
echo "$RN_TEST_ID" >/var/lib/containerd/written-inside
test -d /var/lib/dpkg
'$COMMON'exit 9'

# run NAME STATUS DETACH WANT_V6 CHILD FLAGS...: one launch, checked
run() {
	_name=$1 _status=$2 _det=$3 _v6=$4 _child=$5
	shift 5
	rn_as_user env DETACH="$_det" "$ROOTLESSNET" "$@" sh -c "$_child" >"$W/out" 2>"$W/err"
	_rc=$?
	_o=$W/out
	[ "$_rc" = "$_status" ] ||
		rn_fail "$_name: status $_rc, want the command's $_status: $(cat "$W/out" "$W/err")"
	rn_expect_eq "$_name: ip_forward in the namespace" "$(sed -n 's/^fwd //p' "$_o")" 1
	rn_expect_eq "$_name: tap0's MTU" "$(sed -n 's/^mtu //p' "$_o")" 65520
	_cmd=$(sed -n 's/^cmdnet //p' "$_o") _ns=$(sed -n 's/^nsnet //p' "$_o")
	if [ "$_det" = yes ]; then
		rn_expect_eq "$_name: the command's network (detached: the host's)" "$_cmd" "$HOSTNET"
		[ "$_ns" != "$HOSTNET" ] || rn_fail "$_name: \$STATE_DIR/netns is the host's network"
	else
		[ "$_cmd" != "$HOSTNET" ] || rn_fail "$_name: the command runs in the host's network"
		rn_expect_eq "$_name: sysctls went to the command's network" "$_ns" "$_cmd"
	fi
	rn_expect_eq "$_name: fd00::100 on tap0" "$(sed -n 's/^v6 //p' "$_o")" "$_v6"
	_info=$(sed -n 's/^info //p' "$_o")
	case $_v6 in
	1) _want='"childIP":"10.0.2.100","ipv6":true}' ;;
	*) _want='"childIP":"10.0.2.100"}' ;;
	esac
	case $_info in
	*'"networkDriver":{"driver":"slirp4netns",'*"$_want"*'"portDriver":{"driver":"builtin"'*) ;;
	*) rn_fail "$_name: /v1/info: $_info" ;;
	esac
	rn_expect_eq "$_name: the host's ip_forward" "$(cat /proc/sys/net/ipv4/ip_forward)" "$HOSTFWD"
	[ ! -e "$RN_RUNTIME/${_name%% *}-rootless" ] || rn_fail "$_name: state dir left after exit"
}

# moby main's dockerd-rootless.sh: DOCKERD_ROOTLESS_ROOTLESSKIT_DETACH_NETNS=true (the default)
# puts --detach-netns first in the flags, then false
DFLAGS="--state-dir=$RN_RUNTIME/dockerd-rootless --net=slirp4netns --mtu=65520
	--slirp4netns-sandbox=auto --slirp4netns-seccomp=auto --disable-host-loopback
	--port-driver=builtin --copy-up=/etc --copy-up=/run --propagation=rslave"
# shellcheck disable=SC2086
run "dockerd detached" 7 yes 0 "$DOCKERD_CHILD" $DFLAGS --detach-netns
# shellcheck disable=SC2086
run "dockerd attached" 7 no 0 "$DOCKERD_CHILD" $DFLAGS

# nerdctl main's containerd-rootless.sh: --detach-netns when `rootlesskit --help` shows it
# (grep -w), --ipv6 with CONTAINERD_ROOTLESS_ROOTLESSKIT_IPV6=true
"$ROOTLESSNET" --help 2>&1 | grep -qw -- "--detach-netns" || rn_fail "--help lacks --detach-netns"
CFLAGS="--state-dir=$RN_RUNTIME/containerd-rootless --net=slirp4netns --mtu=65520
	--slirp4netns-sandbox=auto --slirp4netns-seccomp=auto --disable-host-loopback
	--port-driver=builtin --copy-up=/etc --copy-up=/run --copy-up=/var/lib --propagation=rslave"
# shellcheck disable=SC2086
run "containerd detached ipv6" 9 yes 1 "$CONTAINERD_CHILD" $CFLAGS --ipv6 --detach-netns
rn_expect_eq "written to /var/lib/containerd inside" \
	"$(cat "$RN_HOME/.local/share/containerd/written-inside" 2>/dev/null)" "$RN_TEST_ID"
# shellcheck disable=SC2086
run "containerd detached" 9 yes 0 "$CONTAINERD_CHILD" $CFLAGS --detach-netns
rn_expect_eq "the host's /var/lib" "$(ls -a /var/lib | tr '\n' ' ')" "$HOSTVARLIB"
[ ! -e /var/lib/containerd/written-inside ] || rn_fail "the host's /var/lib/containerd written"
rm -rf "$RN_HOME/.local/share/containerd" "$RN_HOME/.local/share/cni" "$RN_HOME/.config/containerd"
echo "proc-launchers: ok"
