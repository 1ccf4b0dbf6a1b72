#!/bin/sh
# proc-lifecycle.sh - beyond rootlesskit: nothing of the session outlives the command or a
# killed parent (rootlesskit leaves such processes running)
. "${top_srcdir:-.}/tests/integration/lib.sh"
rn_setup_user
rn_is_ours || rn_skip "rootlesskit leaves the session's processes running: nothing to test"

alive() { pgrep -u "$RN_USER" -f "sleep $1" >/dev/null; }
all_four() { [ "$(pgrep -c -u "$RN_USER" -f "sleep $1")" -ge 4 ]; }
gone() { ! alive "$1"; }
cd "$RN_RUNTIME" || rn_fail "cd"

# leftovers of every kind: a background child, a daemon (setsid + double fork), a grandchild
# whose parent still runs; they do not hold our stdout (the test would wait for them)
spawn='sleep $1 >/dev/null 2>&1 & setsid sh -c "sleep $1 &" >/dev/null 2>&1 &
sh -c "sleep $1 & wait" >/dev/null 2>&1 & sleep 0.3; echo started'

n=0
for mode in "" --pidns; do
	n=$((n + 1))
	tag=3141$n
	out=$(rn $mode sh -c "$spawn" sh "$tag") || rn_fail "run failed ($mode)"
	rn_expect_eq "command output" "$out" started
	rn_wait_for 15 gone "$tag" || rn_fail "processes left running after the command exited ($mode)"

	# the parent killed with SIGKILL: the command and all it started die
	tag=2718$n
	rn_bg "$RN_RUNTIME/top" $mode --state-dir="$RN_RUNTIME/sd$n" sh -c "$spawn; sleep \$1" sh "$tag"
	bg=$!
	rn_wait_for 20 test -s "$RN_RUNTIME/sd$n/child_pid" || rn_fail "child_pid not written ($mode)"
	rn_wait_for 20 all_four "$tag" ||
		rn_fail "the session did not start ($mode)"
	kill -KILL "$(cat "$RN_RUNTIME/top")"
	wait "$bg" 2>/dev/null
	rn_wait_for 15 gone "$tag" || rn_fail "processes left running after kill -9 of the parent ($mode)"
	out=$(rn --state-dir="$RN_RUNTIME/sd$n" echo again) || rn_fail "state dir not reusable ($mode)"
	rn_expect_eq "rerun" "$out" again
done
# the same as real root (identity-mapped): the session still ends with the command
n=0
for mode in "" --pidns; do
	n=$((n + 1))
	tag=1618$n
	out=$(cd / && "$ROOTLESSNET" $mode sh -c "$spawn" sh "$tag" 2>/dev/null) || rn_fail "as root: run failed ($mode)"
	rn_expect_eq "command output as root" "$out" started
	rootgone() { ! pgrep -u root -f "sleep $1" >/dev/null; }
	rn_wait_for 15 rootgone "$tag" || rn_fail "as root: processes left running ($mode)"
done
echo "proc-lifecycle: ok"
