#!/bin/sh
# net-none.sh - --net=none: a network namespace with only lo, and lo is up
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
rn_setup_user

out=$(rn_as_user timeout -k 5 30 "$ROOTLESSNET" --net=none sh -c 'ip -o link show; ip -o addr show') ||
	rn_fail "--net=none failed: $out"
rn_expect_eq "links with --net=none" "$(echo "$out" | grep -c ': <')" 1
echo "$out" | grep -q '^1: lo: <LOOPBACK,UP' || rn_fail "lo is not up: $out"
echo "$out" | grep -q 'inet 127.0.0.1/8' || rn_fail "no 127.0.0.1 on lo: $out"
exit 0
