#!/bin/sh
# tests/patches/slirp4netns-ipv6.sh - drive a patched slirp4netns' API with IPv6 forwards (as root)
#
# Usage: tests/patches/slirp4netns-ipv6.sh SLIRP4NETNS
#
# Tests patches/slirp4netns/0001-api-ipv6-hostfwd.patch for real: a network namespace made here
# with unshare, slirp4netns --enable-ipv6 attached to it, socat servers inside (TCP and UDP on the
# tap's fd00::100 and 10.0.2.100), then add_hostfwd/list_hostfwd/remove_hostfwd on the API socket
# and clients on ::1 and 127.0.0.1 only. Exit 77 when not root (it needs to create the namespace).
# Run against an unpatched slirp4netns, the IPv6 requests fail with "bad arguments.proto".
set -eu
# rn_free_port
# shellcheck source=../integration/lib.sh
. "$(dirname "$0")/../integration/lib.sh"

s4n=${1:?usage: $0 SLIRP4NETNS}
case $s4n in /*) ;; *) s4n=$(pwd)/$s4n ;; esac
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to create a network namespace" >&2; exit 77; }
for t in unshare nsenter socat jq ip timeout; do
	command -v "$t" >/dev/null || { echo "FAIL: $t missing" >&2; exit 1; }
done

tmp=$(mktemp -d /tmp/rn-s4n-ipv6.XXXXXX)
ns_pid=
s4n_pid=
cleanup() {
	# the servers run in the namespace made here: end every process in it, then slirp4netns
	# (only a namespace other than ours: never the processes of the host's)
	if [ -n "$ns_pid" ] && _ns=$(readlink "/proc/$ns_pid/ns/net") &&
		[ "$_ns" != "$(readlink /proc/self/ns/net)" ]; then
		for d in /proc/[0-9]*; do
			[ "$(readlink "$d/ns/net" 2>/dev/null)" = "$_ns" ] && kill "${d#/proc/}" 2>/dev/null
		done
	fi
	[ -n "$s4n_pid" ] && kill "$s4n_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/s4n.log" ] && sed 's/^/# slirp4netns: /' "$tmp/s4n.log" >&2; exit 1; }
log() { echo "# $*"; }

# wait_for SECONDS CMD...: poll every 0.1 s, bounded
wait_for() {
	_n=$(($1 * 10))
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# api JSON: one request on the API socket, prints the reply
api() { printf '%s' "$1" | timeout 5 socat -t 2 - "UNIX-CONNECT:$tmp/api.sock"; }
# expect_ok JSON: the request succeeds, prints the reply
expect_ok() {
	_r=$(api "$1") || fail "no reply to $1"
	[ "$(printf '%s' "$_r" | jq -r '.error // empty')" = "" ] || fail "$1 -> $_r"
	printf '%s' "$_r"
}
# expect_err JSON DESC: the request fails with DESC in error.desc
expect_err() {
	_r=$(api "$1") || fail "no reply to $1"
	printf '%s' "$_r" | jq -r '.error.desc' | grep -qF "$2" || fail "$1 -> $_r, want error '$2'"
}
innet() { nsenter -t "$ns_pid" -n "$@"; }
# tcp_get ADDRESS: connect (socat address syntax), print what the server sends. -t: after our
# EOF, socat waits this long for the peer (its default, 0.5 s, is too short on a busy machine)
tcp_get() { timeout 8 socat -t 5 -T 5 - "$1" </dev/null 2>/dev/null; }
# udp_echo ADDRESS TEXT: send TEXT, print the reply; up to 3 tries, since libslirp drops a
# datagram to a guest address it has no neighbour entry for yet (it solicits one instead)
udp_echo() {
	for _try in 1 2 3; do
		_got=$(printf '%s\n' "$2" | timeout 5 socat -t 2 -T 2 - "$1" 2>/dev/null) || :
		[ -n "$_got" ] && break
	done
	printf '%s\n' "$_got"
}

port=$(rn_free_port 6) || exit 1
p_tcp6=$port p_tcp6def=$((port + 1)) p_udp6=$((port + 2)) p_dual=$((port + 3)) p_tcp4=$((port + 4))

unshare -n sleep 300 &
ns_pid=$!
# until unshare has run, the pid is still in our namespace: never attach to that one
own_ns=$(readlink /proc/self/ns/net)
ns_ready() { _nsl=$(readlink "/proc/$ns_pid/ns/net") && [ "$_nsl" != "$own_ns" ]; }
wait_for 5 ns_ready || fail "namespace not ready"

"$s4n" --enable-ipv6 --configure --mtu=65520 --api-socket "$tmp/api.sock" \
	"$ns_pid" tap0 >"$tmp/s4n.log" 2>&1 &
s4n_pid=$!
wait_for 10 test -S "$tmp/api.sock" || fail "API socket not created"
has_v4() { innet ip -4 addr show dev tap0 | grep -q 'inet 10\.0\.2\.100/'; }
wait_for 20 has_v4 || fail "tap0 not configured: $(innet ip addr 2>&1)"
innet ip -6 addr add fd00::100/64 dev tap0 nodad || fail "ip -6 addr add"
innet ip -6 route replace default via fd00::2 dev tap0 || :

# servers inside the namespace: TCP says who it is, UDP echoes
nsenter -t "$ns_pid" -n socat TCP6-LISTEN:80,ipv6only=0,reuseaddr,fork SYSTEM:'echo hello-from-ns' \
	</dev/null >/dev/null 2>&1 &
# (UDP bound to the guest address: a reply from the namespace's SLAAC address would not match)
nsenter -t "$ns_pid" -n socat UDP6-RECVFROM:53,bind=[fd00::100],ipv6only=1,fork PIPE \
	</dev/null >/dev/null 2>&1 &
wait_for 5 innet sh -c 'ss -Hltn | grep -q ":80 "' || fail "TCP server not listening"
wait_for 5 innet sh -c 'ss -Hlun | grep -q ":53 "' || fail "UDP server not listening"

log "bad requests are refused with clear errors"
expect_err '{"execute":"add_hostfwd","arguments":{"proto":"tcp4","host_addr":"::1","host_port":'"$p_tcp6"',"guest_port":80}}' \
	"bad arguments.host_addr"
expect_err '{"execute":"add_hostfwd","arguments":{"proto":"tcp6","host_addr":"127.0.0.1","host_port":'"$p_tcp6"',"guest_port":80}}' \
	"bad arguments.host_addr"
expect_err '{"execute":"add_hostfwd","arguments":{"proto":"tcp6","host_addr":"::1","host_port":'"$p_tcp6"',"guest_addr":"10.0.2.100","guest_port":80}}' \
	"bad arguments.guest_addr"
expect_err '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"::","host_port":'"$p_dual"',"guest_addr":"fd00::100","guest_port":80}}' \
	"bad arguments.guest_addr"
expect_err '{"execute":"add_hostfwd","arguments":{"proto":"sctp6","host_port":'"$p_tcp6"',"guest_port":80}}' \
	"bad arguments.proto"
expect_err '{"execute":"add_hostfwd","arguments":{"host_port":'"$p_tcp6"',"guest_port":80}}' \
	"bad arguments.proto"

log "tcp6 [::1]:$p_tcp6 -> [fd00::100]:80"
r=$(expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"tcp6","host_addr":"::1","host_port":'"$p_tcp6"',"guest_addr":"fd00::100","guest_port":80}}')
id_tcp6=$(printf '%s' "$r" | jq -r .return.id)
got=$(tcp_get "TCP6:[::1]:$p_tcp6") || :
[ "$got" = hello-from-ns ] || fail "tcp6 via [::1]:$p_tcp6: got '$got'"
# IPv6 only: nothing listens on 127.0.0.1 for it
got=$(tcp_get "TCP4:127.0.0.1:$p_tcp6") || :
[ -z "$got" ] || fail "tcp6 forward answered an IPv4 client: '$got'"

log "tcp6 with the default guest address (::, looked up in the neighbour table)"
r=$(expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"tcp6","host_addr":"::1","host_port":'"$p_tcp6def"',"guest_port":80}}')
# the guest becomes known to libslirp's neighbour table once it has sent something
innet ping -6 -c 1 -W 2 fd00::2 >/dev/null 2>&1 || :
got=$(tcp_get "TCP6:[::1]:$p_tcp6def") || :
[ "$got" = hello-from-ns ] || fail "tcp6 default guest via [::1]:$p_tcp6def: got '$got'"

log "udp6 [::1]:$p_udp6 -> [fd00::100]:53"
expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"udp6","host_addr":"::1","host_port":'"$p_udp6"',"guest_addr":"fd00::100","guest_port":53}}' >/dev/null
got=$(udp_echo "UDP6:[::1]:$p_udp6" ping6) || :
[ "$got" = ping6 ] || fail "udp6 echo via [::1]:$p_udp6: got '$got'"

log "tcp on [::]:$p_dual: one forward per family, IPv4 and IPv6 clients both served"
r=$(expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"::","host_port":'"$p_dual"',"guest_port":80}}')
id_dual=$(printf '%s' "$r" | jq -r .return.id)
got=$(tcp_get "TCP6:[::1]:$p_dual") || :
[ "$got" = hello-from-ns ] || fail "dual stack, IPv6 client: got '$got'"
got=$(tcp_get "TCP4:127.0.0.1:$p_dual") || :
[ "$got" = hello-from-ns ] || fail "dual stack, IPv4 client: got '$got'"

log "IPv4 requests behave as before the patch"
expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"127.0.0.1","host_port":'"$p_tcp4"',"guest_port":80}}' >/dev/null
got=$(tcp_get "TCP4:127.0.0.1:$p_tcp4") || :
[ "$got" = hello-from-ns ] || fail "tcp (IPv4) via 127.0.0.1:$p_tcp4: got '$got'"

log "list_hostfwd reports each forward as requested"
l=$(expect_ok '{"execute":"list_hostfwd"}')
e=$(printf '%s' "$l" | jq -c '(.return.entries // .entries)[] | select(.id == '"$id_tcp6"') | [.proto, .host_addr, .host_port, .guest_addr, .guest_port]')
[ "$e" = '["tcp6","::1",'"$p_tcp6"',"fd00::100",80]' ] || fail "list tcp6 entry: $e"
e=$(printf '%s' "$l" | jq -c '(.return.entries // .entries)[] | select(.id == '"$id_dual"') | [.proto, .host_addr, .guest_addr, .guest_addr6]')
[ "$e" = '["tcp","::","10.0.2.100","::"]' ] || fail "list dual entry: $e"
e=$(printf '%s' "$l" | jq -c '[(.return.entries // .entries)[] | select(.host_port == '"$p_tcp4"') | [.proto, .host_addr, .guest_addr]]')
[ "$e" = '[["tcp","127.0.0.1","10.0.2.100"]]' ] || fail "list IPv4 entry: $e"

log "remove_hostfwd closes both families of a dual forward, and the tcp6 forward"
expect_ok '{"execute":"remove_hostfwd","arguments":{"id":'"$id_dual"'}}' >/dev/null
expect_ok '{"execute":"remove_hostfwd","arguments":{"id":'"$id_tcp6"'}}' >/dev/null
for a in "TCP6:[::1]:$p_dual" "TCP4:127.0.0.1:$p_dual" "TCP6:[::1]:$p_tcp6"; do
	got=$(tcp_get "$a") || :
	[ -z "$got" ] || fail "$a still forwarded after remove_hostfwd"
done
# the port can be forwarded again once removed
expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"tcp6","host_addr":"::1","host_port":'"$p_tcp6"',"guest_addr":"fd00::100","guest_port":80}}' >/dev/null
got=$(tcp_get "TCP6:[::1]:$p_tcp6") || :
[ "$got" = hello-from-ns ] || fail "tcp6 after re-adding: got '$got'"

echo "slirp4netns-ipv6: all passed"
