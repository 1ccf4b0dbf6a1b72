#!/bin/sh
# bench/ports.sh - host -> namespace throughput through the builtin port driver: rootlessnet
# against rootlesskit's builtin driver and plain loopback, alternately in one run, with ratios.
#
# Run as root with top_srcdir/top_builddir set (make bench does), or:
#   sudo top_srcdir=. top_builddir=_build bench/ports.sh [SECONDS] [ROUNDS]
# It drops to the test user (tests/integration/lib.sh). Each round runs iperf3 -c 127.0.0.1
# against: plain loopback (iperf3 -s on the host: the limit), rootlesskit
# --net=slirp4netns --port-driver=builtin -p ... iperf3 -s, and ours; TCP then UDP
# (-u -b 0 -l 1400, the rate received counts). Ours is the port table and builtin driver run
# by tests/integration/rn-ports-harness against a namespace with iperf3 -s inside (the same
# code the parent runs). Targets (issue 5): TCP >= 1.2x rootlesskit and >= 0.85x loopback;
# UDP >= rootlesskit. On a loaded machine throughput follows the scheduler more than the
# forwarder, so the CPU time the forwarding process spends per GiB (from /proc/PID/stat:
# our harness, rootlesskit's parent) is printed too: it does not depend on contention.
# Environment: RN_REF (default /usr/bin/rootlesskit), RN_PORTS_HARNESS.
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir/_build}"
RN_REF=${RN_REF:-/usr/bin/rootlesskit}
HARNESS=${RN_PORTS_HARNESS:-$top_builddir/tests/integration/rn-ports-harness}
secs=${1:-5}
rounds=${2:-3}
. "$top_srcdir/tests/integration/lib.sh"
rn_setup_user
for t in iperf3 jq unshare "$RN_REF" "$HARNESS"; do
	command -v "$t" >/dev/null || rn_fail "$t is needed (the harness: make check builds it)"
done
chmod o+rx "$top_builddir" "$top_builddir/tests" "$top_builddir/tests/integration" 2>/dev/null || :
dir=$(mktemp -d /tmp/rn-bench-ports.XXXXXX)
chmod 0777 "$dir"
RN_CLEANUP_HOOK="rm -rf '$dir'"
base=$((30000 + $$ % 1000 * 10))
p_lo=$base
p_ref=$((base + 1))
p_ours=$((base + 2))
listening() { ss -Hlnt | grep -q "127.0.0.1:$1 "; }

# plain loopback
rn_as_user iperf3 -s -B 127.0.0.1 -p "$p_lo" >"$dir/lo.log" 2>&1 &
# rootlesskit's builtin driver (it needs a non-host network)
rn_as_user "$RN_REF" --state-dir="$dir/ref" --net=slirp4netns --mtu=65520 \
	--port-driver=builtin -p "127.0.0.1:$p_ref:5201/tcp" -p "127.0.0.1:$p_ref:5201/udp" \
	iperf3 -s -p 5201 >"$dir/ref.log" 2>&1 &
# ours: a namespace with iperf3 -s, the harness publishing into it
rn_as_user unshare -r -n sh -c "echo \$\$ >'$dir/ns.pid'; ip link set lo up; exec iperf3 -s -p 5201" \
	>"$dir/ns.log" 2>&1 &
rn_wait_for 10 test -s "$dir/ns.pid" || rn_fail "namespace did not start: $(cat "$dir/ns.log")"
rn_as_user sh -c 'sleep 100000 | exec "$@"' sh "$HARNESS" "$(cat "$dir/ns.pid")" \
	-p "127.0.0.1:$p_ours:5201/tcp" -p "127.0.0.1:$p_ours:5201/udp" >"$dir/ours.log" 2>&1 &
# the forwarding processes: our harness; rootlesskit's parent (in the host user namespace)
pid_ours=
pid_ref=
find_pids() {
	pid_ours=$(sed -n 's/^ready //p' "$dir/ours.log")
	for p in $(pgrep -u "$RN_USER" -x rootlesskit); do
		[ "$(readlink "/proc/$p/ns/user")" = "$(readlink /proc/self/ns/user)" ] && pid_ref=$p
	done
	[ -n "$pid_ours" ] && [ -n "$pid_ref" ]
}
for p in "$p_lo" "$p_ref" "$p_ours"; do
	rn_wait_for 15 listening "$p" ||
		rn_fail "nothing listens on $p: $(cat "$dir/lo.log" "$dir/ref.log" "$dir/ours.log")"
done
rn_wait_for 10 find_pids || rn_fail "forwarding processes not found"
sleep 1

cpu_ticks() { [ -n "$1" ] && awk '{ print $14 + $15 }' "/proc/$1/stat" || echo 0; }
tck=$(getconf CLK_TCK)

# run NAME PORT tcp|udp [PID]: prints "Gbit/s-received CPU-s-per-GiB" (CPU of PID, 0 without)
run() {
	c0=$(cpu_ticks "${4:-}")
	run_iperf "$@"
	c1=$(cpu_ticks "${4:-}")
	jq -r --argjson c "$((c1 - c0))" --argjson t "$tck" --arg proto "$3" '
		(if $proto == "udp" then .end.sum.bits_per_second * (100 - .end.sum.lost_percent) / 100
		 else .end.sum_received.bits_per_second end) as $bps |
		(if $proto == "udp" then .end.sum.bytes * (100 - .end.sum.lost_percent) / 100
		 else .end.sum_received.bytes end) as $bytes |
		"\($bps / 1e9) \(if $bytes > 0 then $c / $t / ($bytes / 1073741824) else 0 end)"' \
		"$dir/$1.json"
}

# run_iperf NAME PORT tcp|udp: one iperf3 client run, JSON in $dir/NAME.json
run_iperf() {
	if [ "$3" = udp ]; then
		timeout $((secs + 20)) iperf3 -c 127.0.0.1 -p "$2" -t "$secs" -u -b 0 -l 1400 -J \
			>"$dir/$1.json" 2>&1 || rn_fail "$1 udp: $(tail -n 3 "$dir/$1.json")"
	else
		timeout $((secs + 20)) iperf3 -c 127.0.0.1 -p "$2" -t "$secs" -J \
			>"$dir/$1.json" 2>&1 || rn_fail "$1 tcp: $(tail -n 3 "$dir/$1.json")"
	fi
}
add() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }

for proto in tcp udp; do
	echo "# host -> namespace $proto, iperf3 -t $secs, $rounds rounds: Gbit/s received" \
		"(forwarder CPU s/GiB)"
	s_lo=0 s_ref=0 s_ours=0 c_ref=0 c_ours=0 i=1
	while [ "$i" -le "$rounds" ]; do
		lo=$(run lo "$p_lo" "$proto")
		ref=$(run ref "$p_ref" "$proto" "$pid_ref")
		ours=$(run ours "$p_ours" "$proto" "$pid_ours")
		echo "$lo $ref $ours" | awk -v i="$i" '{
			printf "round %d: loopback %.2f  rootlesskit builtin %.2f (%.2f)  rootlessnet builtin %.2f (%.2f)\n",
				i, $1, $3, $4, $5, $6 }'
		s_lo=$(add "$s_lo" "${lo% *}") s_ref=$(add "$s_ref" "${ref% *}")
		s_ours=$(add "$s_ours" "${ours% *}")
		c_ref=$(add "$c_ref" "${ref#* }") c_ours=$(add "$c_ours" "${ours#* }")
		i=$((i + 1))
	done
	awk -v l="$s_lo" -v r="$s_ref" -v o="$s_ours" -v cr="$c_ref" -v co="$c_ours" -v n="$rounds" \
		-v p="$proto" 'BEGIN {
		printf "%s mean: loopback %.2f  rootlesskit %.2f  rootlessnet %.2f Gbit/s\n",
			p, l / n, r / n, o / n
		printf "%s ratio: rootlessnet/rootlesskit %.2f (target >= %s)  rootlessnet/loopback %.2f%s\n",
			p, o / r, p == "tcp" ? "1.2" : "1.0", o / l, p == "tcp" ? " (target >= 0.85)" : ""
		if (co > 0)
			printf "%s CPU per GiB: rootlesskit %.2f s  rootlessnet %.2f s  (rootlesskit/rootlessnet %.2fx)\n",
				p, cr / n, co / n, cr / co
	}'
done