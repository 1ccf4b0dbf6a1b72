#!/bin/sh
# bench/net-throughput.sh - TCP throughput through --net=slirp4netns at MTU 65520, namespace ->
# host (upload) and host -> namespace (download, iperf3 -R): rootlessnet against
# rootlesskit+slirp4netns in the same run, how steady each is, and CPU time per GiB.
#
# Run as root from the build directory's parent or with top_srcdir/top_builddir set:
#   sudo top_srcdir=. top_builddir=_build bench/net-throughput.sh [SECONDS] [ROUNDS]
# It drops to the test user (tests/integration/lib.sh), starts iperf3 -s on 127.0.0.1 and
# runs iperf3 -c 10.0.2.2 inside each, ROUNDS times (default 10 s, 5 rounds), first without
# -R, then with it. Each round runs, one after the other: ours, the reference, ours with the
# libslirp in RN_LIBSLIRP_DIR when given, and plain loopback (iperf3 -c 127.0.0.1 on the
# host, the limit of what the host's TCP gives one connection here).
# For each: the mean, the median and the lowest round, and steadiness, the lowest round over
# the median (target >= 0.8 for ours); the ratios of ours to the reference (target >= 1.3
# both ways; with a libslirp that scales windows, >= 2 namespace -> host).
# CPU time is the user+system time of the network process (rootlessnet-net, slirp4netns)
# per GiB received, read from /proc by the command inside (same pid namespace).
# The host's TCP congestion control is printed first: the host-side sender of a download
# (iperf3 -s) and loopback use it, and with bbr they pace.
# Environment: ROOTLESSNET (ours, default the build's rootlessnet),
# RN_REF (default /usr/bin/rootlesskit), RN_BENCH_FLAGS (extra flags for both),
# RN_LIBSLIRP_DIR (a directory holding a libslirp.so.0, e.g. a build with
# patches/libslirp/0002-*: ours is run with it too, through LD_LIBRARY_PATH).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=../tests/integration/net-lib.sh
. "$top_srcdir/tests/integration/net-lib.sh"
secs=${1:-10}
rounds=${2:-5}
libdir=${RN_LIBSLIRP_DIR:-}
rn_setup_user
rn_need iperf3 jq "$RN_REF:rootlesskit"
ours=$ROOTLESSNET
if [ -n "$libdir" ]; then
	libdir=$(cd "$libdir" && pwd)
	[ -f "$libdir/libslirp.so.0" ] || rn_fail "RN_LIBSLIRP_DIR=$libdir holds no libslirp.so.0"
	# the loader's choice, as the run will make it
	lib=$(LD_LIBRARY_PATH=$libdir ldd "$ours" | awk '$1 == "libslirp.so.0" { print $3 }')
	[ "$lib" = "$libdir/libslirp.so.0" ] || rn_fail "$ours would load libslirp from '$lib', not $libdir"
	rn_as_user test -r "$lib" || rn_fail "$RN_USER cannot read $lib"
fi
rn_workdir bench
port=$(rn_free_port 1) || exit 1
rn_bg_server sh -c "exec iperf3 -s -B 127.0.0.1 -p $port >/dev/null 2>&1"
rn_wait_for 5 rn_listening "$port" || rn_fail "iperf3 -s did not start"

# result NAME: prints "gbits cpu_s_per_gib" from $W/NAME.json and $W/NAME.cpu ("-" for no CPU)
result() {
	bits=$(jq '.end.sum_received.bits_per_second' "$W/$1.json")
	bytes=$(jq '.end.sum_received.bytes' "$W/$1.json")
	awk -v b="$bits" -v n="$bytes" -v t="$(cat "$W/$1.cpu" 2>/dev/null || :)" \
		-v hz="$(getconf CLK_TCK)" 'BEGIN {
		if (split(t, a, " ") == 2)
			printf "%.2f %.2f\n", b / 1e9, (a[1] + a[2]) / hz / (n / 1073741824)
		else
			printf "%.2f -\n", b / 1e9 }'
}

# one RUNNER NAME PROC DIRFLAG [LIBDIR]: prints "gbits cpu_s_per_gib"; PROC is the network
# process's name, whose user+system time is read from /proc inside the run, once iperf3 is
# done; LIBDIR goes into LD_LIBRARY_PATH
one() {
	rm -f "$W/$2.json" "$W/$2.cpu"
	# shellcheck disable=SC2086 # RN_BENCH_FLAGS: words
	RN_USER_ENV=${5:+LD_LIBRARY_PATH=$5} rn_as_user timeout -k 5 $((secs + 30)) "$1" \
		--net=slirp4netns --mtu=65520 ${RN_BENCH_FLAGS:-} \
		sh -c "iperf3 -c 10.0.2.2 -p $port -t $secs $4 -J >$W/$2.json &&
			p=\$(pgrep -u 0 -n -x $3) && cut -d' ' -f14,15 /proc/\$p/stat >$W/$2.cpu" \
		2>"$W/$2.err" || rn_fail "$2: run failed: $(tail -n 5 "$W/$2.err")"
	result "$2"
}

# loopback DIRFLAG: plain iperf3 over the host's loopback, as the test user
loopback() {
	rm -f "$W/lo.json" "$W/lo.cpu"
	# shellcheck disable=SC2086 # DIRFLAG: none or -R
	rn_as_user timeout -k 5 $((secs + 30)) iperf3 -c 127.0.0.1 -p "$port" -t "$secs" $1 -J \
		>"$W/lo.json" 2>"$W/lo.err" || rn_fail "loopback: run failed: $(tail -n 5 "$W/lo.err")"
	result lo
}

# summary LABEL FILE: mean, median, lowest and steadiness of the rounds in FILE ("gbits cpu")
summary() {
	sort -n "$2" | awk -v label="$1" '
	{ g[NR] = $1; s += $1; if ($2 != "-") { c += $2; nc++ } }
	END {
		med = NR % 2 ? g[(NR + 1) / 2] : (g[NR / 2] + g[NR / 2 + 1]) / 2
		printf "%s: mean %.2f, median %.2f, lowest %.2f Gbit/s, steadiness %.2f (lowest / median)",
			label, s / NR, med, g[1], (med > 0 ? g[1] / med : 0)
		if (nc) printf ", CPU %.2f s/GiB", c / nc
		printf "\n"
	}'
}

# ratio LABEL FILE_A FILE_B TARGET: mean and median of A over B, and CPU per GiB
ratio() {
	awk -v label="$1" -v target="$4" '
	function median(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	FNR == 1 { f++ }
	f == 1 { na++; a[na] = $1; sa += $1; if ($2 != "-") { ca += $2; nca++ } }
	f == 2 { nb++; b[nb] = $1; sb += $1; if ($2 != "-") { cb += $2; ncb++ } }
	END {
		printf "ratio %s: mean %.2f, median %.2f", label, sa / na / (sb / nb), median(a, na) / median(b, nb)
		if (nca && ncb) printf ", CPU per GiB %.2f", (ca / nca) / (cb / ncb)
		if (target != "") printf " (target >= %s)", target
		printf "\n"
	}' "$2" "$3"
}

echo "# host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
	"TCP congestion control $(sysctl -n net.ipv4.tcp_congestion_control)"
echo "# ours: $ours"
echo "# reference: $RN_REF"
[ -z "$libdir" ] || echo "# ours with libslirp from $libdir (LD_LIBRARY_PATH)"
for dirflag in "" -R; do
	if [ -z "$dirflag" ]; then
		what="ns -> host" d=up target_lib=2
	else
		what="host -> ns (-R)" d=down target_lib=
	fi
	echo "# $what TCP, iperf3 -t $secs, MTU 65520, $rounds rounds"
	: >"$W/$d.ours"
	: >"$W/$d.ref"
	: >"$W/$d.lib"
	: >"$W/$d.lo"
	i=1
	while [ "$i" -le "$rounds" ]; do
		o=$(one "$ours" ours rootlessnet-net "$dirflag")
		r=$(one "$RN_REF" ref slirp4netns "$dirflag")
		echo "$o" >>"$W/$d.ours"
		echo "$r" >>"$W/$d.ref"
		line="round $i: rootlessnet ${o% *} Gbit/s (${o#* } CPU s/GiB), rootlesskit ${r% *} Gbit/s (${r#* } CPU s/GiB)"
		if [ -n "$libdir" ]; then
			p=$(one "$ours" lib rootlessnet-net "$dirflag" "$libdir")
			echo "$p" >>"$W/$d.lib"
			line="$line, rootlessnet+libslirp ${p% *} Gbit/s (${p#* } CPU s/GiB)"
		fi
		lo=$(loopback "$dirflag")
		echo "$lo" >>"$W/$d.lo"
		echo "$line, loopback ${lo% *} Gbit/s"
		i=$((i + 1))
	done
	summary rootlessnet "$W/$d.ours"
	summary rootlesskit "$W/$d.ref"
	[ -z "$libdir" ] || summary "rootlessnet+libslirp" "$W/$d.lib"
	summary loopback "$W/$d.lo"
	ratio "rootlessnet / rootlesskit" "$W/$d.ours" "$W/$d.ref" 1.3
	[ -z "$libdir" ] || ratio "rootlessnet+libslirp / rootlesskit" "$W/$d.lib" "$W/$d.ref" "$target_lib"
	ratio "rootlessnet / loopback" "$W/$d.ours" "$W/$d.lo" ""
done
