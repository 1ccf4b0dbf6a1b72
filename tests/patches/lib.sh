# tests/patches/lib.sh - what the patch tests on a slirp4netns build share (sourced, POSIX sh, as root)
#
# The tests attach SLIRP4NETNS to a network namespace made here with unshare and drive its API
# socket; traffic goes only to loopback and into that namespace. s4n_args NAME "$@" first
# (SLIRP4NETNS [LIBSLIRP_DIR]: s4n and s4n_libdir), which calls s4n_init NAME: it skips
# (77) unless root, fails when a tool is missing, makes $tmp (/tmp/rn-NAME.XXXXXX) and arms
# the cleanup (every process in the namespace, slirp4netns, $host_pids; $tmp). Then:
#   s4n_netns              the namespace: ns_pid is a process in it
#   s4n_start FLAGS...     SLIRP4NETNS FLAGS --configure --mtu=65520 on the namespace's tap0,
#                          with LD_LIBRARY_PATH=$s4n_libdir; log in $tmp/s4n.log; s4n_pid
#   s4n_ready              slirp4netns loaded libslirp from $s4n_libdir (when set), its API
#                          socket is there and tap0 has 10.0.2.100
#   api JSON, expect_ok JSON, expect_err JSON DESC, innet CMD..., tcp_get ADDRESS,
#   udp_echo ADDRESS TEXT, expect_reply WHAT WANT CMD..., fail MSG, log MSG, wait_for SECONDS CMD...
# shellcheck source=../integration/lib.sh
. "$(dirname "$0")/../integration/lib.sh"

tmp=
ns_pid=
s4n_pid=
host_pids=
s4n_libdir=

# s4n_args NAME SLIRP4NETNS [LIBSLIRP_DIR]: the test's arguments (s4n made absolute), then
# s4n_init NAME
s4n_args() {
	_name=$1
	shift
	s4n=${1:?usage: $0 SLIRP4NETNS [LIBSLIRP_DIR]}
	s4n_libdir=${2:-}
	case $s4n in /*) ;; *) s4n=$(pwd)/$s4n ;; esac
	s4n_init "$_name"
}

# s4n_init NAME: the checks, $tmp and the cleanup
s4n_init() {
	[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to create a network namespace" >&2; exit 77; }
	for t in unshare nsenter socat jq ip timeout; do
		command -v "$t" >/dev/null || { echo "FAIL: $t missing" >&2; exit 1; }
	done
	tmp=$(mktemp -d "/tmp/rn-$1.XXXXXX")
	trap s4n_cleanup EXIT
}

s4n_cleanup() {
	# the servers run in the namespace made here: end every process in it, then slirp4netns
	# (only a namespace other than ours: never the processes of the host's)
	if [ -n "$ns_pid" ] && _ns=$(readlink "/proc/$ns_pid/ns/net") &&
		[ "$_ns" != "$(readlink /proc/self/ns/net)" ]; then
		for d in /proc/[0-9]*; do
			[ "$(readlink "$d/ns/net" 2>/dev/null)" = "$_ns" ] && { kill "${d#/proc/}" 2>/dev/null || :; }
		done
	fi
	for p in $s4n_pid $host_pids; do kill "$p" 2>/dev/null || :; done
	rm -rf "$tmp"
}

fail() { echo "FAIL: $*" >&2; [ -f "$tmp/s4n.log" ] && sed 's/^/# slirp4netns: /' "$tmp/s4n.log" >&2; exit 1; }
log() { echo "# $*"; }

# wait_for SECONDS CMD...: poll every 0.1 s, bounded (CMD's output discarded)
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

# s4n_netns: a new network namespace (unshare -n sleep), ns_pid in it
s4n_netns() {
	unshare -n sleep 300 &
	ns_pid=$!
	# until unshare has run, the pid is still in our namespace: never attach to that one
	own_ns=$(readlink /proc/self/ns/net)
	wait_for 5 s4n_ns_ready || fail "namespace not ready"
}
s4n_ns_ready() { _nsl=$(readlink "/proc/$ns_pid/ns/net") && [ "$_nsl" != "$own_ns" ]; }

# s4n_start FLAGS...: slirp4netns on the namespace, its API on $tmp/api.sock
s4n_start() {
	LD_LIBRARY_PATH=$s4n_libdir "${s4n:?the test sets s4n}" "$@" --configure --mtu=65520 \
		--api-socket "$tmp/api.sock" "$ns_pid" tap0 >"$tmp/s4n.log" 2>&1 &
	s4n_pid=$!
}

# s4n_ready: the library under test is the one loaded, the API socket is there, tap0
# configured
s4n_ready() {
	if [ -n "$s4n_libdir" ]; then
		wait_for 10 grep -q "$s4n_libdir" "/proc/$s4n_pid/maps" ||
			fail "slirp4netns did not load libslirp from $s4n_libdir"
	fi
	wait_for 10 test -S "$tmp/api.sock" || fail "API socket not created"
	wait_for 20 s4n_has_v4 || fail "tap0 not configured: $(innet ip addr 2>&1)"
}
s4n_has_v4() { innet ip -4 addr show dev tap0 | grep -q 'inet 10\.0\.2\.100/'; }

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
# expect_reply WHAT WANT CMD...: CMD (tcp_get, udp_echo) prints WANT
expect_reply() {
	_what=$1 _want=$2
	shift 2
	_got=$("$@") || :
	[ "$_got" = "$_want" ] || fail "$_what: got '$_got'"
}
