#!/bin/sh
# bench/startup.sh - start-up cost: `X true` for rootlessnet and rootlesskit, alternately
#
# Run as root with top_srcdir/top_builddir set (make bench does), or:
#   sudo top_srcdir=. top_builddir=_build bench/startup.sh [RUNS]
# As the test user, each round times one run of each, with --net=host and with
# --net=slirp4netns --port-driver=builtin (namespaces, tap, network process, port helper,
# API socket), and prints the median wall time of each and the ratio rootlesskit/ours
# (above 1: we start faster). Environment: ROOTLESSNET (ours), RN_REF (/usr/bin/rootlesskit).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
runs=${1:-20}
[ "$runs" -ge 1 ] && [ "$runs" -le 1000 ] || { echo "RUNS: 1..1000" >&2; exit 2; }
rn_setup_user

# ms BIN FLAGS...: wall time of one `BIN FLAGS true` as the test user, in milliseconds
ms() {
	_b=$1
	shift
	_t0=$(date +%s%N)
	rn_as_user timeout 30 "$_b" "$@" true >/dev/null 2>&1 || echo "warning: $_b $* failed" >&2
	_t1=$(date +%s%N)
	echo $(((_t1 - _t0) / 1000000))
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for mode in host slirp; do
	case $mode in
	host) flags="--net=host" ;;
	slirp) flags="--net=slirp4netns --port-driver=builtin" ;;
	esac
	ours=$(mktemp)
	ref=$(mktemp)
	i=0
	while [ $i -lt "$runs" ]; do
		# shellcheck disable=SC2086
		ms "$ROOTLESSNET" $flags >>"$ours"
		# shellcheck disable=SC2086
		ms "$RN_REF" $flags >>"$ref"
		i=$((i + 1))
	done
	mo=$(median <"$ours")
	mr=$(median <"$ref")
	rm -f "$ours" "$ref"
	awk -v m="$mode" -v o="$mo" -v r="$mr" 'BEGIN {
		printf "startup %-6s rootlessnet %5d ms  rootlesskit %5d ms  ratio rootlesskit/ours %.2fx\n",
			m, o, r, (o > 0 ? r / o : 0) }'
done
