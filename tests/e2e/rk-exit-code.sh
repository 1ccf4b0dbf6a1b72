#!/bin/sh
# tests/e2e/rk-exit-code.sh - rootlesskit's exit-code scenarios: 0, 42 and a signal, across --pidns and --reaper
#
# (rootlesskit hack/integration-exit-code.sh, rewritten.) The plain case is in
# tests/integration/proc-signals.sh; this covers the PID-namespace and reaper variants, where
# the status has to cross an extra process (the reaper / init of the namespace).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

e2e_setup
_n=0
for mode in "--pidns=false" "--pidns=true --reaper=auto" "--pidns=true --reaper=true" \
	"--pidns=true --reaper=false"; do
	for code in 0 42; do
		# shellcheck disable=SC2086
		e2e_user timeout 30 "$ROOTLESSNET" $mode sh -c "exit $code" >/dev/null 2>&1
		rn_expect_eq "exit status ($mode, exit $code)" "$?" "$code"
	done
	# killed by a signal: SIGUSR1 to the command (child_pid is the command, or the namespace's
	# init with --pidns: then the signal goes to the init, which has no handler either)
	_n=$((_n + 1))
	_st=$E2E_USERDIR/state.$_n
	_out=$E2E_TMP/out.$_n
	# shellcheck disable=SC2086
	e2e_user timeout 30 "$ROOTLESSNET" --state-dir="$_st" $mode sleep 20 >"$_out" 2>&1 &
	_bg=$!
	rn_wait_for 10 test -s "$_st/child_pid" || rn_fail "no child_pid ($mode)"
	# signal once the command runs (before, the signal would hit the set-up, not the command)
	rn_wait_for 10 e2e_pid_of sleep >/dev/null || rn_fail "the command did not start ($mode)"
	kill -USR1 "$(cat "$_st/child_pid")" || rn_fail "kill -USR1 child_pid ($mode)"
	wait "$_bg"
	_code=$?
	if rn_is_ours; then
		# ours: 128+N (documented in --help)
		rn_expect_eq "exit status of a command killed by SIGUSR1 ($mode)" "$_code" 138
	else
		# rootlesskit: 255, and it says which signal
		rn_expect_eq "exit status of a command killed by SIGUSR1 ($mode)" "$_code" 255
		grep -q "user defined signal 1" "$_out" || rn_fail "no mention of SIGUSR1: $(cat "$_out")"
	fi
	rn_log "$mode: 0, 42 and SIGUSR1 ($_code) ok"
done
rn_log "PASS"
