#!/bin/sh
# tests/e2e/rk-propagation.sh - rootlesskit's propagation scenarios: --propagation with a shared and a private root, and with --copy-up
#
# (rootlesskit hack/integration-propagation.sh, rewritten.) Each case runs in a mount
# namespace made by root for the purpose, its / made rshared or rprivate, so the result does
# not depend on how this machine's / is set up. Root mounts a tmpfs on a directory after the
# instance started: with a shared root, rslave and rshared instances see it and rprivate ones
# keep seeing the directory underneath; with a private root nothing propagates.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

e2e_setup
_d=$E2E_TMP/prop
_holder=
_bg=
RN_CLEANUP_HOOK='prop_cleanup; e2e_cleanup'
prop_cleanup() {
	[ -n "$_holder" ] && kill -KILL "$_holder" 2>/dev/null
	:
}

# in_ns CMD...: run CMD (as root) in the test's mount namespace
in_ns() { nsenter -t "$_holder" -m -- "$@"; }
# user_in_ns CMD...: run CMD as the test user in the test's mount namespace
user_in_ns() {
	nsenter -t "$_holder" -m -- runuser -u "$RN_USER" -- env -i HOME="$RN_HOME" \
		PATH="$E2E_PATH" XDG_RUNTIME_DIR="$RN_RUNTIME" RN_TEST_ID="$RN_TEST_ID" "$@"
}

# case ROOT PROPAGATION: ROOT is shared or private
prop_case() {
	_root=$1 _prop=$2
	unshare -m --propagation "$_root" sleep 120 &
	_holder=$!
	rn_wait_for 5 sh -c "[ \"\$(readlink /proc/$_holder/ns/mnt)\" != \"\$(readlink /proc/self/ns/mnt)\" ]" ||
		rn_fail "unshare -m did not make a mount namespace"
	rm -rf "$_d"
	mkdir -p "$_d/a"
	chmod -R 0755 "$_d"
	touch "$_d/a/before_mount"
	_st=$E2E_USERDIR/state.$_root.$_prop
	user_in_ns "$ROOTLESSNET" --state-dir="$_st" --propagation="$_prop" sleep 60 \
		>"$E2E_TMP/prop.log" 2>&1 &
	_bg=$!
	rn_wait_for 10 test -s "$_st/child_pid" || { cat "$E2E_TMP/prop.log" >&2; rn_fail "$_root root, --propagation=$_prop: no child_pid"; }
	_pid=$(cat "$_st/child_pid")
	in_ns mount -t tmpfs none "$_d/a" || rn_fail "mount tmpfs"
	in_ns touch "$_d/a/after_mount"
	_before=no _after=no
	[ -e "/proc/$_pid/root$_d/a/before_mount" ] && _before=yes
	[ -e "/proc/$_pid/root$_d/a/after_mount" ] && _after=yes
	_want=no
	if [ "$_root" = shared ]; then
		case $_prop in
		*slave | *shared) _want=yes ;;
		esac
	fi
	if [ "$_want" = yes ]; then
		_wantb=no
	else
		_wantb=yes
	fi
	rn_expect_eq "$_root root, --propagation=$_prop: the host's later mount seen inside" "$_after" "$_want"
	rn_expect_eq "$_root root, --propagation=$_prop: the directory under it seen inside" "$_before" "$_wantb"
	kill -TERM "$(cat "$_st/child_pid")" 2>/dev/null
	wait "$_bg"
	kill -KILL "$_holder"
	wait "$_holder" 2>/dev/null
	_holder=
	rn_log "$_root root, --propagation=$_prop: later mount seen: $_after (ok)"
}

for root in shared private; do
	for prop in rprivate private rslave slave rshared shared; do
		prop_case "$root" "$prop"
	done
done

# --copy-up works with private and slave propagation; with shared it cannot (the copied-up
# tmpfs would propagate back): refused, not ignored
for prop in rprivate rslave; do
	_out=$(e2e_user timeout 30 "$ROOTLESSNET" --propagation="$prop" --copy-up=/run \
		sh -c 'echo copied-up >/run/rn-e2e-copyup && cat /run/rn-e2e-copyup' 2>&1)
	rn_expect_eq "--propagation=$prop --copy-up=/run" "$(echo "$_out" | tail -n 1)" copied-up
done
[ ! -e /run/rn-e2e-copyup ] || rn_fail "a file written under the copied-up /run reached the host"
if e2e_user timeout 30 "$ROOTLESSNET" --propagation=rshared --copy-up=/run true >/dev/null 2>&1; then
	rn_fail "--propagation=rshared --copy-up=/run was accepted"
fi
rn_log "PASS"
