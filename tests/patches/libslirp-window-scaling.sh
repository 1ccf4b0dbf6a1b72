#!/bin/sh
# tests/patches/libslirp-window-scaling.sh - TCP window scaling (RFC 7323) through libslirp, both directions (as root)
#
# Usage: tests/patches/libslirp-window-scaling.sh SLIRP4NETNS [LIBSLIRP_DIR]
#
# Tests patches/libslirp/0002-tcp-window-scaling.patch for real: SLIRP4NETNS runs with
# LD_LIBRARY_PATH=LIBSLIRP_DIR (a patched libslirp build; empty: the installed one), attached
# to a network namespace made here with unshare, at MTU 65520. 16 MiB go each way, and on the
# namespace's socket of each connection `ss -ti` must show the scale both sides agreed on and a
# send window above 64 KiB (the namespace's kernel applies libslirp's shift to libslirp's
# window field), within what the shift can express:
#   - namespace -> host: a client inside connects to 10.0.2.2 (libslirp answers the SYN and
#     connects to the host's 127.0.0.1), sends, and the host receives it intact;
#   - host -> namespace: a TCP host forward 127.0.0.1:P -> 10.0.2.100 (libslirp sends the SYN),
#     the server inside waits 1 s before it reads, so libslirp fills the namespace's scaled
#     window, waits for it to open, and must deliver the data intact.
# Then the namespace's kernel stops offering the option (net.ipv4.tcp_window_scaling=0, a
# setting of that namespace only): both transfers again, intact, with no scale and windows of
# at most 65535 bytes. Against the unpatched libslirp 4.7.0 the first scale check fails.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

s4n_args slirp-wscale "$@"

port=$(rn_free_port 4) || exit 1
p_up=$port p_fwd=$((port + 1)) p_up2=$((port + 2)) p_fwd2=$((port + 3))
size=$((16 * 1024 * 1024))
head -c "$size" /dev/urandom >"$tmp/src"
want=$(sha256sum <"$tmp/src")

s4n_netns
# shellcheck disable=SC2119 # no flags beyond lib.sh's
s4n_start
s4n_ready

# tcp_of FILTER: the namespace's `ss -tin` line of the one connection FILTER selects
tcp_of() { innet ss -Htin state established "$@" | tr -s ' \t' ' '; }
# field LINE NAME: NAME's value in an ss -i line (wscale:7,7 -> 7,7)
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2://p" | head -n 1; }

# check_scaled WHAT LINE: both sides scale, and the window the namespace may send into is
# above 64 KiB and within libslirp's shift
check_scaled() {
	_ws=$(field "$2" wscale)
	[ -n "$_ws" ] || fail "$1: no window scaling negotiated: $2"
	_peer=${_ws%,*}
	if [ "$_peer" -lt 1 ] || [ "$_peer" -gt 14 ]; then fail "$1: libslirp's shift $_peer: $2"; fi
	_wnd=$(field "$2" snd_wnd)
	[ -n "$_wnd" ] || fail "$1: ss shows no snd_wnd: $2"
	[ "$_wnd" -gt 65535 ] || fail "$1: send window $_wnd, not above 64 KiB: $2"
	[ "$_wnd" -le $((65535 << _peer)) ] || fail "$1: send window $_wnd beyond 65535 << $_peer: $2"
	log "$1: wscale $_ws, the namespace's send window $_wnd bytes"
}

# check_unscaled WHAT LINE: no scale, windows as without the option
check_unscaled() {
	[ -z "$(field "$2" wscale)" ] || fail "$1: window scaling used although the namespace did not offer it: $2"
	_wnd=$(field "$2" snd_wnd)
	if [ -z "$_wnd" ] || [ "$_wnd" -le 0 ] || [ "$_wnd" -gt 65535 ]; then
		fail "$1: send window '$_wnd': $2"
	fi
	log "$1: no wscale, send window $_wnd bytes"
}

# same WHAT FILE: FILE holds the source data
same() {
	[ "$(sha256sum <"$2")" = "$want" ] || fail "$1: $(wc -c <"$2") bytes arrived, not the $size sent intact"
}

# upload PORT CHECK WHAT: namespace -> host through 10.0.2.2; the sender keeps its socket open
# (stdin held 5 s) so that ss can see it once everything has arrived
upload() {
	rm -f "$tmp/up.got"
	socat -u TCP-LISTEN:"$1",bind=127.0.0.1,reuseaddr OPEN:"$tmp/up.got",creat </dev/null \
		2>/dev/null &
	_srv=$!
	host_pids="$host_pids $_srv"
	wait_for 5 sh -c "ss -Hltn | grep -q '127.0.0.1:$1 '" || fail "$3: host server not listening"
	nsenter -t "$ns_pid" -n sh -c "{ cat '$tmp/src'; sleep 5; } | timeout 30 socat -u - TCP:10.0.2.2:$1" \
		</dev/null 2>/dev/null &
	_cli=$!
	wait_for 20 sh -c "[ \"\$(wc -c <'$tmp/up.got' 2>/dev/null)\" = $size ]" ||
		fail "$3: $(wc -c <"$tmp/up.got" 2>/dev/null || echo 0) of $size bytes arrived"
	_l=$(tcp_of dst "10.0.2.2:$1")
	"$2" "$3" "$_l"
	wait "$_cli" || :
	wait_for 5 sh -c "! kill -0 $_srv 2>/dev/null" || fail "$3: the host server did not see the end"
	same "$3" "$tmp/up.got"
}

# download PORT CHECK WHAT: host -> namespace through a host forward to 10.0.2.100:8080, the
# server inside reading after 1 s
download() {
	rm -f "$tmp/down.got"
	nsenter -t "$ns_pid" -n socat -u TCP-LISTEN:8080,bind=10.0.2.100,reuseaddr \
		SYSTEM:"sleep 1; cat >'$tmp/down.got'" </dev/null 2>/dev/null &
	_srv=$!
	wait_for 5 innet sh -c "ss -Hltn | grep -q '10.0.2.100:8080 '" || fail "$3: server inside not listening"
	expect_ok '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"127.0.0.1","host_port":'"$1"',"guest_addr":"10.0.2.100","guest_port":8080}}' >/dev/null
	{ cat "$tmp/src"; sleep 5; } | timeout 30 socat -u - TCP:127.0.0.1:"$1" 2>/dev/null &
	_cli=$!
	wait_for 20 sh -c "[ \"\$(wc -c <'$tmp/down.got' 2>/dev/null)\" = $size ]" ||
		fail "$3: $(wc -c <"$tmp/down.got" 2>/dev/null || echo 0) of $size bytes arrived"
	_l=$(tcp_of sport = :8080)
	"$2" "$3" "$_l"
	wait "$_cli" || :
	wait_for 5 sh -c "! kill -0 $_srv 2>/dev/null" || fail "$3: the server inside did not see the end"
	same "$3" "$tmp/down.got"
}

log "the namespace offers window scaling (its kernel's default)"
[ "$(innet sysctl -n net.ipv4.tcp_window_scaling)" = 1 ] || fail "net.ipv4.tcp_window_scaling is not 1 in a new namespace"
upload "$p_up" check_scaled "namespace -> host"
download "$p_fwd" check_scaled "host -> namespace (host forward)"

log "the namespace does not offer it (net.ipv4.tcp_window_scaling=0 in the namespace)"
innet sysctl -qw net.ipv4.tcp_window_scaling=0
upload "$p_up2" check_unscaled "namespace -> host, unscaled"
download "$p_fwd2" check_unscaled "host -> namespace (host forward), unscaled"

echo "libslirp-window-scaling: all passed"
