#!/bin/sh
# proc-statedir.sh - state directory, lock, child_pid, cleanup, reuse after kill -9; environment
. "${top_srcdir:-.}/tests/integration/lib.sh"
rn_setup_user

cd "$RN_RUNTIME" || rn_fail "cd"

# environment, and the default state directory (a new one, removed afterwards)
out=$(rn sh -c 'echo "$ROOTLESSKIT_STATE_DIR"; echo "$ROOTLESSKIT_PARENT_EUID"; echo "$ROOTLESSKIT_PARENT_EGID"; ls "$ROOTLESSKIT_STATE_DIR"') ||
	rn_fail "run failed"
sd=$(echo "$out" | sed -n 1p)
case $sd in /*) ;; *) rn_fail "ROOTLESSKIT_STATE_DIR '$sd' is not absolute" ;; esac
rn_expect_eq "ROOTLESSKIT_PARENT_EUID" "$(echo "$out" | sed -n 2p)" "$RN_UID"
rn_expect_eq "ROOTLESSKIT_PARENT_EGID" "$(echo "$out" | sed -n 3p)" "$RN_GID"
echo "$out" | grep -qx lock || rn_fail "no lock file in $sd: $out"
echo "$out" | grep -qx child_pid || rn_fail "no child_pid in $sd: $out"
[ ! -e "$sd" ] || rn_fail "default state directory $sd left behind"

# --state-dir: made absolute, wiped of stale files, removed on exit
mkdir -p "$RN_RUNTIME/sd1"
echo stale >"$RN_RUNTIME/sd1/stale"
chown -R "$RN_USER:" "$RN_RUNTIME/sd1"
out=$(rn --state-dir=./sd1/ sh -c 'echo "$ROOTLESSKIT_STATE_DIR"; ls "$ROOTLESSKIT_STATE_DIR"') ||
	rn_fail "--state-dir run failed"
rn_expect_eq "relative --state-dir made absolute" "$(echo "$out" | sed -n 1p)" "$RN_RUNTIME/sd1"
echo "$out" | grep -qx stale && rn_fail "stale file not removed from the state directory"
[ ! -e "$RN_RUNTIME/sd1" ] || rn_fail "--state-dir not removed on exit"

# child_pid names a process in the namespaces (nsenter works); a second instance is refused
sd=$RN_RUNTIME/sd2
rn_bg "$RN_RUNTIME/top2" --state-dir="$sd" sleep 30
rn_wait_for 20 test -s "$sd/child_pid" || rn_fail "child_pid not written"
cpid=$(cat "$sd/child_pid")
case $cpid in '' | *[!0-9]*) rn_fail "child_pid holds '$cpid'" ;; esac
[ "$(readlink /proc/$cpid/ns/user)" != "$(readlink /proc/self/ns/user)" ] ||
	rn_fail "child_pid $cpid is not in a new user namespace"
out=$(rn_as_user nsenter -U --preserve-credentials -m -t "$cpid" id -u) || rn_fail "nsenter into $cpid"
rn_expect_eq "uid after nsenter" "$out" 0
if out=$(rn --state-dir="$sd" true 2>&1); then rn_fail "a second instance on $sd ran"; fi
if rn_is_ours; then
	echo "$out" | grep -q "another" || rn_fail "second instance: unclear message: $out"
fi
[ -s "$sd/child_pid" ] || rn_fail "the second instance disturbed the first one's state directory"

# reuse at once after kill -9 of the parent
kill -KILL "$(cat "$RN_RUNTIME/top2")"
wait
out=$(rn --state-dir="$sd" sh -c 'echo reused') || rn_fail "state directory not reusable after kill -9"
rn_expect_eq "run on a reused state directory" "$out" reused
[ ! -e "$sd" ] || rn_fail "reused state directory not removed"
echo "proc-statedir: ok"
