#!/bin/sh
# bench/ports.sh - throughput through the port drivers: rootlessnet against rootlesskit
# (builtin and slirp4netns drivers) and plain loopback, alternately in one run.
#
# Run as root with top_srcdir/top_builddir set (make bench does), or:
#   sudo top_srcdir=. top_builddir=_build bench/ports.sh [SECONDS] [ROUNDS]
# It drops to the test user (tests/integration/lib.sh) and starts, each with iperf3 -s
# inside and one -p for TCP and UDP: ours and rootlesskit with --net=slirp4netns --mtu=65520
# and --port-driver=builtin, then the same with --port-driver=slirp4netns; plus iperf3 -s on
# the host (plain loopback, the limit). Each round runs iperf3 -c 127.0.0.1 against every one
# in turn: TCP host -> namespace, TCP namespace -> host (iperf3 -R: a download from a
# server in the namespace), then UDP host -> namespace (-u -b 0 -l 1400: the rate received
# counts). Targets (issue 5, host -> namespace): builtin TCP >= 1.2x rootlesskit's builtin
# and >= 0.85x loopback; slirp4netns driver TCP >= rootlesskit+slirp4netns; builtin UDP >=
# rootlesskit.
# On a loaded machine throughput follows the scheduler as much as the forwarder, so for the
# builtin drivers the CPU time of the forwarding process (the parent, from /proc/PID/stat)
# per GiB is printed too: it does not depend on what else runs.
# Then the client's own address (--source-ip-transparent, the default, issue 14): loopback
# clients are shown as before, so the figures above do not use it. A network namespace
# made here holds 198.18.99.1 on a veth, two of ours with --port-driver=builtin
# (--source-ip-transparent=true and =false) and the client, which connects to 198.18.99.1:
# a non-loopback client, the way through the namespace's nftables, conntrack and policy
# routing. Target: builtin TCP on >= 0.95x off, host -> namespace.
# The loopback figure depends on the host's TCP congestion control, which the TCP client
# uses (printed first). With bbr, loopback is held back by bbr's pacing, not by the CPU, and
# leaves time for a forwarder (2 cores: about 16 Gbit/s, CPUs partly idle); with reno or
# cubic it is CPU-bound and about twice as fast, and a second TCP hop costs more of it.
# RN_BENCH_CC=NAME runs every TCP client with iperf3 -C NAME (an unprivileged user may
# choose those in net.ipv4.tcp_allowed_congestion_control) to measure the other case.
# Environment: ROOTLESSNET (ours), RN_REF (default /usr/bin/rootlesskit), RN_BENCH_CC.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
secs=${1:-5}
rounds=${2:-5}
cc=${RN_BENCH_CC:-}
rn_setup_user
rn_need iperf3 jq "$RN_REF:rootlesskit"
[ -x "$ROOTLESSNET" ] || rn_fail "$ROOTLESSNET is needed (make)"
rn_workdir bench-ports
base=$(rn_free_port 5) || exit 1
listening() { ss -Hlnt | grep -q "127.0.0.1:$1 "; }

# config NAME PORT [BINARY DRIVER]: start it (plain loopback without BINARY)
configs=
config() {
	configs="$configs $1:$2"
	if [ $# -eq 2 ]; then
		rn_as_user iperf3 -s -B 127.0.0.1 -p "$2" >"$W/$1.log" 2>&1 &
	else
		rn_as_user "$3" --state-dir="$W/$1" --net=slirp4netns --mtu=65520 \
			--port-driver="$4" -p "127.0.0.1:$2:5201/tcp" -p "127.0.0.1:$2:5201/udp" \
			iperf3 -s -p 5201 >"$W/$1.log" 2>&1 &
	fi
}
config lo "$base"
config rk_builtin $((base + 1)) "$RN_REF" builtin
config rn_builtin $((base + 2)) "$ROOTLESSNET" builtin
config rk_slirp $((base + 3)) "$RN_REF" slirp4netns
config rn_slirp $((base + 4)) "$ROOTLESSNET" slirp4netns
for c in $configs; do
	rn_wait_for 20 listening "${c#*:}" || rn_fail "${c%:*} did not start: $(cat "$W/${c%:*}.log")"
done
sleep 2

# parent NAME: pid of the process of that run still in the host user namespace (its parent)
parent() {
	for p in $(pgrep -u "$RN_USER" -f -- "--state-dir=$W/$1 "); do
		[ "$(readlink "/proc/$p/ns/user")" = "$(readlink /proc/self/ns/user)" ] || continue
		grep -q '^PPid:' "/proc/$p/status" || continue
		case "$(cat "/proc/$p/comm")" in rootless*) echo "$p" && return ;; esac
	done
}
cpu_ticks() { if [ -n "$1" ]; then awk '{ print $14 + $15 }' "/proc/$1/stat"; else echo 0; fi; }
tck=$(getconf CLK_TCK)

# run NAME PORT tcp|tcp-back|udp: prints "Gbit/s-received forwarder-CPU-s-per-GiB"
# (tcp-back: iperf3 -R, the server in the namespace sends: a download from a published port);
# the client connects to RUN_HOST (127.0.0.1), from the network namespace RUN_NS if set
run() {
	rhost=${RUN_HOST:-127.0.0.1}
	rns=${RUN_NS:+ip netns exec $RUN_NS}
	pid=
	case $1 in *builtin | srcip_*) pid=$(parent "$1") ;; esac
	c0=$(cpu_ticks "$pid")
	if [ "$3" = udp ]; then
		timeout $((secs + 20)) $rns iperf3 -c "$rhost" -p "$2" -t "$secs" -u -b 0 -l 1400 -J \
			>"$W/$1.json" 2>&1 || rn_fail "$1 udp: $(tail -n 3 "$W/$1.json")"
	else
		timeout $((secs + 20)) $rns iperf3 -c "$rhost" -p "$2" -t "$secs" ${cc:+-C "$cc"} \
			$([ "$3" = tcp-back ] && echo -R) -J \
			>"$W/$1.json" 2>&1 || rn_fail "$1 $3: $(tail -n 3 "$W/$1.json")"
	fi
	c1=$(cpu_ticks "$pid")
	jq -r --argjson c "$((c1 - c0))" --argjson t "$tck" --arg proto "$3" '
		(if $proto == "udp" then (100 - .end.sum.lost_percent) / 100 else 1 end) as $ok |
		(if $proto == "udp" then .end.sum else .end.sum_received end) as $s |
		($s.bytes * $ok) as $bytes |
		"\($s.bits_per_second * $ok / 1e9) \(if $bytes > 0 then $c / $t / ($bytes / 1073741824) else 0 end)"' \
		"$W/$1.json"
}

# fmt_cpu "GBITS CPU": "GBITS (CPU)"; fmt_rate "GBITS CPU": "GBITS"
fmt_cpu() { echo "$1" | awk '{ printf "%.2f (%.2f)", $1, $2 }'; }
fmt_rate() { echo "$1" | awk '{ printf "%.2f", $1 }'; }

# rounds_of PROTO NAME:PORT...: $rounds rounds of run over those, a line per round (with
# the parent's CPU per GiB where it is measured), every result in $W/sums
rounds_of() {
	_proto=$1
	shift
	: >"$W/sums"
	i=1
	while [ "$i" -le "$rounds" ]; do
		line="round $i:"
		for c in "$@"; do
			r=$(run "${c%:*}" "${c#*:}" "$_proto")
			echo "${c%:*} $r" >>"$W/sums"
			case $c in
			*builtin* | srcip_*) line="$line ${c%:*} $(fmt_cpu "$r")" ;;
			*) line="$line ${c%:*} $(fmt_rate "$r")" ;;
			esac
		done
		echo "$line"
		i=$((i + 1))
	done
}

# (no apostrophe inside the ${...:-...}: bash and dash read one there differently)
host_cc="$(cat /proc/sys/net/ipv4/tcp_congestion_control) (the host's default)"
echo "# TCP congestion control of the clients: ${cc:-$host_cc}"
for proto in tcp tcp-back udp; do
	case $proto in
	tcp-back) way="namespace -> host tcp (iperf3 -R)" ;;
	*) way="host -> namespace $proto" ;;
	esac
	echo "# $way, iperf3 -t $secs, $rounds rounds: Gbit/s received (builtin: parent CPU s/GiB)"
	rounds_of "$proto" $configs
	awk -v p="$proto" '
		{ g[$1] += $2; cpu[$1] += $3; n[$1]++ }
		END {
			for (k in g) { g[k] /= n[k]; cpu[k] /= n[k] }
			printf "%s mean Gbit/s: loopback %.2f  rootlesskit builtin %.2f  rootlessnet builtin %.2f" \
				"  rootlesskit slirp4netns %.2f  rootlessnet slirp4netns %.2f\n",
				p, g["lo"], g["rk_builtin"], g["rn_builtin"], g["rk_slirp"], g["rn_slirp"]
			printf "%s builtin: rootlessnet/rootlesskit %.2f%s, rootlessnet/loopback %.2f%s\n",
				p, g["rn_builtin"] / g["rk_builtin"],
				p == "tcp" ? " (target >= 1.2)" : p == "udp" ? " (target >= 1.0)" : "",
				g["rn_builtin"] / g["lo"], p == "tcp" ? " (target >= 0.85)" : ""
			if (cpu["rn_builtin"] > 0)
				printf "%s builtin parent CPU per GiB: rootlesskit %.2f s, rootlessnet %.2f s (%.2fx less)\n",
					p, cpu["rk_builtin"], cpu["rn_builtin"], cpu["rk_builtin"] / cpu["rn_builtin"]
			if (g["rk_slirp"] > 0)
				printf "%s slirp4netns driver: rootlessnet/rootlesskit %.2f%s\n",
					p, g["rn_slirp"] / g["rk_slirp"], p == "tcp" ? " (target >= 1.0)" : ""
		}' "$W/sums"
done

# --- the client's own address: on and off, with a client on another address ---
command -v ip >/dev/null || rn_fail "ip is needed (iproute2)"
ns=rn-bench-srcip-$$
RN_CLEANUP_HOOK="ip netns del $ns 2>/dev/null"
ip netns add $ns && ip link add rnbs0$$ netns $ns type veth peer name rnbs1$$ netns $ns &&
	ip -n $ns addr add 198.18.99.1/24 dev rnbs0$$ && ip -n $ns link set rnbs0$$ up &&
	ip -n $ns link set rnbs1$$ up && ip -n $ns link set lo up || rn_fail "the namespace"
sconfigs=
for v in true false; do
	p=$([ $v = true ] && echo $((base + 5)) || echo $((base + 6)))
	sconfigs="$sconfigs srcip_$v:$p"
	ip netns exec $ns runuser -u "$RN_USER" -- env -i HOME="$RN_HOME" PATH=/usr/bin:/bin:/usr/sbin:/sbin \
		XDG_RUNTIME_DIR="$RN_RUNTIME" RN_TEST_ID="$RN_TEST_ID" "$ROOTLESSNET" \
		--state-dir="$W/srcip_$v" --net=slirp4netns --mtu=65520 --port-driver=builtin \
		--source-ip-transparent=$v -p "0.0.0.0:$p:5201/tcp" -p "0.0.0.0:$p:5201/udp" \
		iperf3 -s -p 5201 >"$W/srcip_$v.log" 2>&1 &
done
for c in $sconfigs; do
	rn_wait_for 20 sh -c "ip netns exec $ns ss -Hlnt | grep -q ':${c#*:} '" ||
		rn_fail "${c%:*} did not start: $(cat "$W/${c%:*}.log")"
done
sleep 2
for proto in tcp tcp-back udp; do
	case $proto in
	tcp-back) way="namespace -> client tcp (iperf3 -R)" ;;
	*) way="client -> namespace $proto" ;;
	esac
	echo "# --source-ip-transparent, a client on 198.18.99.1, $way, $rounds rounds: Gbit/s (parent CPU s/GiB)"
	RUN_NS=$ns RUN_HOST=198.18.99.1 rounds_of "$proto" $sconfigs
	awk -v p="$proto" '
		{ g[$1] += $2; cpu[$1] += $3; n[$1]++ }
		END {
			for (k in g) { g[k] /= n[k]; cpu[k] /= n[k] }
			printf "%s --source-ip-transparent mean Gbit/s: on %.2f  off %.2f  on/off %.2f%s\n",
				p, g["srcip_true"], g["srcip_false"], g["srcip_true"] / g["srcip_false"],
				p == "tcp" ? " (target >= 0.95)" : ""
			printf "%s --source-ip-transparent parent CPU per GiB: on %.2f s, off %.2f s\n",
				p, cpu["srcip_true"], cpu["srcip_false"]
		}' "$W/sums"
done
# the service saw the client, not 127.0.0.1 (iperf3 -s logs it)
grep -q 'Accepted connection from 198.18.99.1' "$W/srcip_true.log" ||
	rn_fail "with --source-ip-transparent=true iperf3 did not see 198.18.99.1: $(tail -n 5 "$W/srcip_true.log")"
grep -q 'Accepted connection from 127.0.0.1' "$W/srcip_false.log" ||
	rn_fail "with --source-ip-transparent=false iperf3 did not see 127.0.0.1: $(tail -n 5 "$W/srcip_false.log")"
echo "# the service saw 198.18.99.1 with it on, 127.0.0.1 with it off"
