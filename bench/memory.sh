#!/bin/sh
# bench/memory.sh - memory of rootlessnet and of rootlesskit+slirp4netns, side by side
#
# Run as root with top_srcdir/top_builddir set (make bench does), or:
#   sudo top_srcdir=. top_builddir=_build bench/memory.sh [PORTS] [CONNS]
# As the test user, ours and rootlesskit each run --net=slirp4netns --port-driver=builtin
# with a line echo server inside (tests/integration/faultkit.py). Figures are the sum over
# the tool's own processes (the top process and those of its descendants that run the same
# executable, as rootlesskit's child does under the name "exe", or slirp4netns: the command
# and what it started left out) of Pss from /proc/PID/smaps_rollup,
# read 1 s after the step settled:
#   idle with one published TCP port (target of issue 15: ours 4x smaller);
#   after one API request (rootlessctl info: our API server's library is loaded then),
#   and idle again 7 s later (ours unloads it once no client came for 5 s);
#   per extra port: PORTS (default 10) more ports added through the API (rootlessctl
#   add-ports), the difference divided by PORTS;
#   per 1000 idle connections: CONNS (default 1000) TCP clients on the host's loopback
#   connected through the first port and held, the difference scaled to 1000.
# RSS idle is printed too, and the idle figure as on a machine where nothing else maps the
# tool's files (anonymous PSS plus each file's pages once). Shared pages count in PSS split between their users, so what
# else runs on the machine moves the figures a little; both are measured the same way. Environment: ROOTLESSNET (ours), RN_REF (/usr/bin/rootlesskit).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
nports=${1:-10}
conns=${2:-1000}
[ "$nports" -ge 1 ] && [ "$nports" -le 100 ] || { echo "PORTS: 1..100" >&2; exit 2; }
[ "$conns" -ge 100 ] && [ "$conns" -le 5000 ] || { echo "CONNS: 100..5000" >&2; exit 2; }
rn_setup_user
rn_need python3 "$RN_REF:rootlesskit" rootlessctl:rootlesskit slirp4netns ss:iproute2
[ -x "$ROOTLESSNET" ] || rn_fail "$ROOTLESSNET is needed (make)"
rn_workdir bench-memory
cp "$top_srcdir/tests/integration/faultkit.py" "$W/"
chmod 0755 "$W/faultkit.py"
base=$(rn_free_port $((nports + 1))) || exit 1
listening() { ss -Hlnt | grep -q "127.0.0.1:$1 "; }

# tree_pids TOP: TOP and its descendants that are the tool's own processes (the same
# executable as TOP, or slirp4netns: the command and what it started are left out).
# rootlesskit re-executes itself through /proc/self/exe, so its child's comm is "exe".
tree_pids() {
	_all=$1
	_new=$1
	_i=0
	while [ -n "$_new" ] && [ $_i -lt 20 ]; do
		_next=
		for _p in $_new; do
			_c=$(cat /proc/"$_p"/task/*/children 2>/dev/null || :)
			_next="$_next $_c"
		done
		# shellcheck disable=SC2086
		_new=$(echo $_next)
		_all="$_all $_new"
		_i=$((_i + 1))
	done
	_exe=$(readlink /proc/"$1"/exe 2>/dev/null) || return 0
	for _p in $_all; do
		case $(readlink /proc/"$_p"/exe 2>/dev/null) in
		"$_exe" | */slirp4netns) echo "$_p" ;;
		esac
	done
}

# tree_kb TOP FIELD: sum of FIELD (Pss, Rss, Pss_Anon: kB) over tree_pids TOP
tree_kb() {
	_sum=0
	for _p in $(tree_pids "$1"); do
		_kb=$(awk -v f="$2:" '$1 == f { print $2 }' /proc/"$_p"/smaps_rollup 2>/dev/null)
		_sum=$((_sum + ${_kb:-0}))
	done
	echo "$_sum"
}

# tree_alone TOP: what the tool would take on a machine where nothing else maps its files:
# anonymous PSS, plus each mapped file's resident size counted once (the largest over the
# tool's processes, from /proc/PID/smaps), in kB
tree_alone() {
	_anon=$(tree_kb "$1" Pss_Anon)
	for _p in $(tree_pids "$1"); do
		awk -v pid="$_p" '/^[0-9a-f]+-[0-9a-f]+ / { f = ($6 ~ /^\//) ? $6 : ""; next }
			$1 == "Rss:" && f != "" { print pid, f, $2 }' /proc/"$_p"/smaps 2>/dev/null || :
	done | awk -v anon="$_anon" '{ r[$1 " " $2] += $3; files[$2] = 1 }
		END {
			for (k in r) { split(k, a, " "); if (r[k] > m[a[2]]) m[a[2]] = r[k] }
			for (f in m) sum += m[f]
			print anon + sum
		}'
}

# tree_med TOP FIELD: the median of 5 tree_kb readings 0.2 s apart (processes elsewhere on
# the machine that map the same files come and go, and move Pss_File)
tree_med() {
	for _s in 1 2 3 4 5; do
		tree_kb "$1" "$2"
		sleep 0.2
	done | sort -n | sed -n 3p
}

# measure NAME BIN: start BIN with one port and print PSS (kB) idle and after one API
# request (GET /v1/info, rootlessctl info); anonymous PSS (Pss_Anon: heap, stacks, what
# grows with ports and connections) after that, with 1 + PORTS ports (added through the
# API) and with CONNS connections held through the first port; then RSS idle
measure() {
	rm -rf "$W/sd"
	rn_as_user "$2" --state-dir="$W/sd" --net=slirp4netns --port-driver=builtin \
		-p "127.0.0.1:$base:80/tcp" python3 "$W/faultkit.py" echo-server 0.0.0.0 80 \
		>"$W/$1.log" 2>&1 &
	_bg=$!
	rn_wait_for 20 listening "$base" || rn_fail "$1 did not publish its port"
	rn_wait_for 20 test -s "$W/sd/child_pid" || rn_fail "$1 did not start"
	_top=$(pgrep -u "$RN_USER" -o -f -- "--state-dir=$W/sd ") || rn_fail "$1: no top process"
	sleep 1
	_idle=$(tree_med "$_top" Pss)
	_rss=$(tree_kb "$_top" Rss)
	_alone=$(tree_alone "$_top")
	_nproc=$(tree_pids "$_top" | wc -l)
	rn_as_user rootlessctl --socket="$W/sd/api.sock" info >/dev/null ||
		rn_fail "$1: rootlessctl info"
	sleep 1
	_api=$(tree_med "$_top" Pss)
	# the base of the per-port cost, with the API's library loaded as when ports are added
	_anon=$(tree_med "$_top" Pss_Anon)
	# ours unloads libmicrohttpd 5 s after its last client left (APICONN_UNLOAD_S)
	sleep 6
	_apiidle=$(tree_med "$_top" Pss)
	_k=1
	while [ $_k -le "$nports" ]; do
		rn_as_user rootlessctl --socket="$W/sd/api.sock" add-ports \
			"127.0.0.1:$((base + _k)):80/tcp" >/dev/null || rn_fail "$1: add-ports"
		_k=$((_k + 1))
	done
	rn_wait_for 20 listening $((base + nports)) || rn_fail "$1 did not publish the ports"
	sleep 1
	_ports=$(tree_med "$_top" Pss_Anon)
	rm -f "$W/held"
	python3 "$W/faultkit.py" hold-tcp 127.0.0.1 "$base" "$conns" 30 >"$W/held" 2>&1 &
	_cl=$!
	rn_wait_for 20 grep -q "^connected" "$W/held" || rn_fail "$1: clients did not connect"
	grep -q "^connected $conns\$" "$W/held" || rn_fail "$1: not all connected: $(cat "$W/held")"
	sleep 2
	_conns=$(tree_med "$_top" Pss_Anon)
	kill "$_cl" 2>/dev/null || :
	wait "$_cl" 2>/dev/null || :
	kill -TERM "$_top"
	wait "$_bg" 2>/dev/null || :
	echo "$_idle $_api $_anon $_ports $_conns $_rss $_alone $_nproc $_apiidle"
}

# shellcheck disable=SC2046
set -- $(measure ours "$ROOTLESSNET") $(measure ref "$RN_REF")
awk -v n="$nports" -v c="$conns" -v oi="$1" -v oa="$2" -v on="$3" -v op="$4" -v oc="$5" \
	-v orss="$6" -v oal="$7" -v onp="$8" -v oai="$9" -v ri="${10}" -v ra="${11}" -v rn="${12}" \
	-v rp="${13}" -v rc="${14}" -v rrss="${15}" -v ral="${16}" -v rnp="${17}" -v rai="${18}" 'BEGIN {
	printf "memory idle, 1 port       rootlessnet PSS %5.2f MB (RSS %4.1f, %d processes)  rootlesskit+slirp4netns PSS %5.2f MB (RSS %4.1f, %d processes)  ratio %.2fx smaller\n",
		oi / 1024, orss / 1024, onp, ri / 1024, rrss / 1024, rnp, (oi > 0 ? ri / oi : 0)
	printf "memory idle, alone        rootlessnet     %5.2f MB  rootlesskit+slirp4netns     %5.2f MB  ratio %.2fx smaller  (files counted once, as if nothing else mapped them)\n",
		oal / 1024, ral / 1024, (oal > 0 ? ral / oal : 0)
	printf "memory after an API call  rootlessnet PSS %5.2f MB  rootlesskit+slirp4netns PSS %5.2f MB  ratio %.2fx smaller\n",
		oa / 1024, ra / 1024, (oa > 0 ? ra / oa : 0)
	printf "memory idle again         rootlessnet PSS %5.2f MB  rootlesskit+slirp4netns PSS %5.2f MB  ratio %.2fx smaller  (7 s after the API call)\n",
		oai / 1024, rai / 1024, (oai > 0 ? rai / oai : 0)
	printf "memory per extra port     rootlessnet PSS %5.1f kB  rootlesskit+slirp4netns PSS %5.1f kB  (anonymous; %d ports added through the API)\n",
		(op - on) / n, (rp - rn) / n, n
	printf "memory per 1000 conns     rootlessnet PSS %5.2f MB  rootlesskit+slirp4netns PSS %5.2f MB  (anonymous; %d idle loopback connections)\n",
		(oc - op) * 1000 / c / 1024, (rc - rp) * 1000 / c / 1024, c
}'
