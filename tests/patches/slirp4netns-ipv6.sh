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
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

s4n_args s4n-ipv6 "$@"

port=$(rn_free_port 6) || exit 1
p_tcp6=$port p_tcp6def=$((port + 1)) p_udp6=$((port + 2)) p_dual=$((port + 3)) p_tcp4=$((port + 4))

s4n_netns
s4n_start --enable-ipv6
s4n_ready
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
expect_reply "tcp6 via [::1]:$p_tcp6" hello-from-ns tcp_get "TCP6:[::1]:$p_tcp6"
# IPv6 only: nothing listens on 127.0.0.1 for it
got=$(tcp_get "TCP4:127.0.0.1:$p_tcp6") || :
[ -z "$got" ] || fail "tcp6 forward answered an IPv4 client: '$got'"

log "tcp6 with the default guest address (::, looked up in the neighbour table)"
r=$(expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"tcp6","host_addr":"::1","host_port":'"$p_tcp6def"',"guest_port":80}}')
# the guest becomes known to libslirp's neighbour table once it has sent something
innet ping -6 -c 1 -W 2 fd00::2 >/dev/null 2>&1 || :
expect_reply "tcp6 default guest via [::1]:$p_tcp6def" hello-from-ns tcp_get "TCP6:[::1]:$p_tcp6def"

log "udp6 [::1]:$p_udp6 -> [fd00::100]:53"
expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"udp6","host_addr":"::1","host_port":'"$p_udp6"',"guest_addr":"fd00::100","guest_port":53}}' >/dev/null
expect_reply "udp6 echo via [::1]:$p_udp6" ping6 udp_echo "UDP6:[::1]:$p_udp6" ping6

log "tcp on [::]:$p_dual: one forward per family, IPv4 and IPv6 clients both served"
r=$(expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"::","host_port":'"$p_dual"',"guest_port":80}}')
id_dual=$(printf '%s' "$r" | jq -r .return.id)
expect_reply "dual stack, IPv6 client" hello-from-ns tcp_get "TCP6:[::1]:$p_dual"
expect_reply "dual stack, IPv4 client" hello-from-ns tcp_get "TCP4:127.0.0.1:$p_dual"

log "IPv4 requests behave as before the patch"
expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"127.0.0.1","host_port":'"$p_tcp4"',"guest_port":80}}' >/dev/null
expect_reply "tcp (IPv4) via 127.0.0.1:$p_tcp4" hello-from-ns tcp_get "TCP4:127.0.0.1:$p_tcp4"

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
expect_reply "tcp6 after re-adding" hello-from-ns tcp_get "TCP6:[::1]:$p_tcp6"

echo "slirp4netns-ipv6: all passed"
