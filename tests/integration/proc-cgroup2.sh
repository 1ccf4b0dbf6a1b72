#!/bin/sh
# proc-cgroup2.sh - --evacuate-cgroup2 in a cgroup2 group delegated to the test user
. "${top_srcdir:-.}/tests/integration/lib.sh"
rn_setup_user

mp=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$mp" ] || rn_skip "cgroup2 is not mounted"
grp=$mp/rn-evac-$$
mkdir "$grp" || rn_skip "cannot create a cgroup2 group under $mp"
RN_CLEANUP_HOOK="rmdir '$grp/ev' '$grp' 2>/dev/null"
chown "$RN_USER:" "$grp" "$grp/cgroup.procs" "$grp/cgroup.subtree_control" "$grp/cgroup.threads" ||
	rn_fail "delegating $grp"

# start inside the delegated group; the command sees the evacuated group as its cgroup root
# shellcheck disable=SC2016
out=$(sh -c 'echo $$ >"$1/cgroup.procs"; shift; exec "$@"' sh "$grp" \
	runuser -u "$RN_USER" -- env -i PATH=/usr/bin:/bin "$ROOTLESSNET" --evacuate-cgroup2=ev \
	--pidns --cgroupns sh -c 'grep "^0::" /proc/self/cgroup; test -d /sys/fs/cgroup/ev && echo dir') ||
	rn_fail "--evacuate-cgroup2 run failed"
rn_expect_eq "cgroup inside" "$out" "0::/ev
dir"
[ -d "$grp/ev" ] || rn_fail "$grp/ev was not created"
echo "proc-cgroup2: ok"
