#!/bin/sh
# bench/net-throughput.sh - TCP throughput through --net=slirp4netns at MTU 65520, namespace ->
# host (upload) and host -> namespace (download, iperf3 -R): rootlessnet against
# rootlesskit+slirp4netns in the same run, and CPU time per GiB.
#
# Run as root from the build directory's parent or with top_srcdir/top_builddir set:
#   sudo top_srcdir=. top_builddir=_build bench/net-throughput.sh [SECONDS] [ROUNDS]
# It drops to the test user (tests/integration/lib.sh), starts iperf3 -s on 127.0.0.1 and
# runs iperf3 -c 10.0.2.2 inside each, ROUNDS times alternately (default 10 s, 3 rounds),
# first without -R, then with it.
# CPU time is the user+system time of the network process (rootlessnet-net, slirp4netns)
# per GiB received, read from /proc by the command inside (same pid namespace).
# Environment: ROOTLESSNET (ours, default the build's rootlessnet),
# RN_REF (default /usr/bin/rootlesskit), RN_BENCH_FLAGS (extra flags for both).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=../tests/integration/net-lib.sh
. "$top_srcdir/tests/integration/net-lib.sh"
secs=${1:-10}
rounds=${2:-3}
rn_setup_user
rn_need iperf3 jq "$RN_REF:rootlesskit"
ours=$ROOTLESSNET
rn_workdir bench
port=$(rn_free_port 1) || exit 1
rn_bg_server sh -c "exec iperf3 -s -B 127.0.0.1 -p $port >/dev/null 2>&1"
rn_wait_for 5 rn_listening "$port" || rn_fail "iperf3 -s did not start"

# one RUNNER NAME PROC [-R]: prints "gbits cpu_s_per_gib"; PROC is the network process's name,
# whose user+system time is read from /proc inside the run, once iperf3 is done
one() {
	rn_as_user timeout -k 5 $((secs + 30)) "$1" --net=slirp4netns --mtu=65520 \
		${RN_BENCH_FLAGS:-} sh -c "iperf3 -c 10.0.2.2 -p $port -t $secs ${4:-} -J >$W/$2.json &&
			p=\$(pgrep -u 0 -n -x $3) && cut -d' ' -f14,15 /proc/\$p/stat >$W/$2.cpu" \
		2>"$W/$2.err" || rn_fail "$2: run failed: $(tail -n 5 "$W/$2.err")"
	bits=$(jq '.end.sum_received.bits_per_second' "$W/$2.json")
	bytes=$(jq '.end.sum_received.bytes' "$W/$2.json")
	awk -v b="$bits" -v n="$bytes" -v t="$(cat "$W/$2.cpu")" -v hz="$(getconf CLK_TCK)" 'BEGIN {
		split(t, a, " "); printf "%.2f %.2f\n", b / 1e9, (a[1] + a[2]) / hz / (n / 1073741824) }'
}

for dirflag in "" -R; do
	if [ -z "$dirflag" ]; then what="ns -> host"; else what="host -> ns (-R)"; fi
	echo "# $what TCP, iperf3 -t $secs, MTU 65520, $rounds rounds"
	echo "# ours: $ours"
	echo "# reference: $RN_REF"
	tot_o=0
	tot_r=0
	cpu_o=0
	cpu_r=0
	i=1
	while [ "$i" -le "$rounds" ]; do
		o=$(one "$ours" ours rootlessnet-net $dirflag)
		r=$(one "$RN_REF" ref slirp4netns $dirflag)
		echo "round $i: rootlessnet $(echo "$o" | cut -d' ' -f1) Gbit/s ($(echo "$o" | cut -d' ' -f2) CPU s/GiB)," \
			"rootlesskit $(echo "$r" | cut -d' ' -f1) Gbit/s ($(echo "$r" | cut -d' ' -f2) CPU s/GiB)"
		tot_o=$(awk -v a="$tot_o" -v b="${o% *}" 'BEGIN { print a + b }')
		tot_r=$(awk -v a="$tot_r" -v b="${r% *}" 'BEGIN { print a + b }')
		cpu_o=$(awk -v a="$cpu_o" -v b="${o#* }" 'BEGIN { print a + b }')
		cpu_r=$(awk -v a="$cpu_r" -v b="${r#* }" 'BEGIN { print a + b }')
		i=$((i + 1))
	done
	awk -v o="$tot_o" -v r="$tot_r" -v co="$cpu_o" -v cr="$cpu_r" -v n="$rounds" 'BEGIN {
		printf "mean: rootlessnet %.2f Gbit/s, rootlesskit %.2f Gbit/s, ratio %.2f\n", o / n, r / n, o / r
		printf "CPU per GiB: rootlessnet %.2f s, rootlesskit %.2f s, ratio %.2f\n", co / n, cr / n, co / cr
	}'
done
