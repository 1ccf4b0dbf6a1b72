#!/bin/sh
# bench/startup.sh - start-up cost: `X FLAGS true` for rootlessnet and rootlesskit, paired
#
# Run as root with top_srcdir/top_builddir set (make bench does), or:
#   sudo top_srcdir=. top_builddir=_build bench/startup.sh [RUNS]
# For each flag set below, RUNS pairs (default 11, at least 9) of one run of ours then one
# of rootlesskit's (A, B, A, B ...), timed from the start of the process to its exit by a
# loop that itself runs as the test user (bench/startup-time.py: no runuser or PAM inside
# the measured time). Prints the median wall time of each and the ratio rootlesskit/ours
# (above 1: we start faster; the target of issue 15 is 3x). Flag sets: --net=host;
# --net=slirp4netns with each port driver (builtin, none, slirp4netns); and
# dockerd-rootless.sh's own (MTU 65520, sandbox and seccomp auto, --disable-host-loopback,
# builtin, --copy-up=/etc --copy-up=/run, --propagation=rslave).
# Environment: ROOTLESSNET (ours), RN_REF (/usr/bin/rootlesskit).
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
runs=${1:-11}
[ "$runs" -ge 9 ] && [ "$runs" -le 1000 ] || { echo "RUNS: 9..1000" >&2; exit 2; }
rn_setup_user
rn_need python3 "$RN_REF:rootlesskit" slirp4netns
[ -x "$ROOTLESSNET" ] || rn_fail "$ROOTLESSNET is needed (make)"
rn_workdir bench-startup
cp "$top_srcdir/bench/startup-time.py" "$W/"
chmod 0755 "$W" "$W/startup-time.py"

dockerd="--net=slirp4netns --mtu=65520 --slirp4netns-sandbox=auto --slirp4netns-seccomp=auto"
dockerd="$dockerd --disable-host-loopback --port-driver=builtin --copy-up=/etc --copy-up=/run"
dockerd="$dockerd --propagation=rslave"
# name|flags
sets="host|--net=host
builtin|--net=slirp4netns --port-driver=builtin
none|--net=slirp4netns --port-driver=none
slirp4netns|--net=slirp4netns --port-driver=slirp4netns
dockerd|$dockerd"

echo "$sets" | while IFS='|' read -r name flags; do
	# shellcheck disable=SC2086
	rn_as_user python3 "$W/startup-time.py" "$runs" "$name" "$ROOTLESSNET" "$RN_REF" -- \
		$flags true || rn_fail "timing $name failed"
done
