#!/bin/sh
# proc-signals.sh - signals to the top process reach the command; exit status passes through
. "${top_srcdir:-.}/tests/integration/lib.sh"
rn_setup_user

cd "$RN_RUNTIME" || rn_fail "cd"

# the command's exit status is ours
rn sh -c 'exit 42'
rn_expect_eq "exit status" "$?" 42
rn true || rn_fail "true failed"

# a command killed by signal N: non-zero; ours documents 128+N
rn sh -c 'kill -TERM $$'
st=$?
[ "$st" != 0 ] || rn_fail "a command killed by SIGTERM gave status 0"
if rn_is_ours; then
	rn_expect_eq "status of a command killed by SIGTERM" "$st" 143
	rn sh -c 'kill -KILL $$'
	rn_expect_eq "status of a command killed by SIGKILL" "$?" 137
	"$ROOTLESSNET" --help | grep -q "128+N" || rn_fail "--help does not document 128+N"
fi

# nohup's promise holds: a signal ignored when we start is still ignored by the command
# (SigIgn bit 0 is SIGHUP)
ign=$(rn_as_user python3 -c 'import os, signal, sys
signal.signal(signal.SIGHUP, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])' "$ROOTLESSNET" sh -c 'sed -n "s/^SigIgn:[[:space:]]*//p" /proc/self/status')
[ -n "$ign" ] || rn_fail "no SigIgn line from the command"
[ $((0x$ign & 1)) = 1 ] || rn_fail "SIGHUP ignored at start is not ignored by the command (SigIgn $ign)"

# signals sent to the top process reach the command (with and without a PID namespace)
for mode in "" --pidns; do
	log=$RN_RUNTIME/signals$mode
	: >"$log"
	chown "$RN_USER:" "$log"
	# shellcheck disable=SC2016
	script='f=$1
for s in HUP INT QUIT USR1 USR2 WINCH ALRM CONT; do trap "echo $s >>$f" $s; done
trap "echo TERM >>$f; exit 7" TERM
echo ready >>$f
i=0; while [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
exit 9'
	rn_bg "$RN_RUNTIME/top" $mode sh -c "$script" sh "$log"
	bg=$!
	rn_wait_for 20 grep -q ready "$log" || rn_fail "the command did not start ($mode)"
	top=$(cat "$RN_RUNTIME/top")
	for s in HUP INT QUIT USR1 USR2 WINCH ALRM CONT TERM; do
		kill -s "$s" "$top" || rn_fail "kill -$s $top"
		rn_wait_for 20 grep -qx "$s" "$log" || rn_fail "SIG$s did not reach the command ($mode)"
	done
	wait "$bg"
	rn_expect_eq "status after the command's TERM trap ($mode)" "$?" 7
done
echo "proc-signals: ok"
