#!/bin/sh
# api-ctl.sh - rootlessnetctl against Debian's rootlessctl: the same commands on the same server
# give the same output, errors and exit codes; and rootlessnetctl drives Debian's rootlesskit
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/integration/api-lib.sh"

api_ctls
api_harness_init ctl

# session CTL OUT: a sequence of commands on a fresh server, every output and status into OUT
session() {
	_c=$1
	_o=$2
	start_harness slirp4netns builtin
	{
		for args in \
			"list-ports" \
			"add-ports 127.0.0.1:18090:80/tcp [::1]:18091:[::1]:80/tcp6" \
			"add-ports --json 127.0.0.1:18092:80/udp" \
			"add-ports 0.0.0.0:18093:10.0.2.100:81/tcp4" \
			"list-ports" \
			"list-ports --json" \
			"list-ports -json=false" \
			"info" \
			"info --json" \
			"remove-ports 1 2 77" \
			"remove-ports 3" \
			"add-ports 127.0.0.1:18092:80/sctp" \
			"add-ports 127.0.0.1:18093:80/tcp4 127.0.0.1:18094:80/tcp" \
			"add-ports 127.0.0.1:18095:80/tcp 127.0.0.1:18095:81/tcp" \
			"add-ports 127.0.0.1:18096:10.0.2.100:80/tcp" \
			"list-ports" \
			"remove-ports x" \
			"remove-ports 99999999999999999999" \
			"remove-ports" \
			"add-ports" \
			"add-ports 18093:80/tcp" \
			"add-ports 127.0.0.1:18093:80" \
			"add-ports 127.0.0.1:18093:80/xyz" \
			"add-ports 1.2.3:18093:80/tcp" \
			"add-ports 127.0.0.1:18093:bad:80/tcp" \
			"add-ports 127.0.0.1:x:80/tcp" \
			"add-ports 127.0.0.1:1:y/tcp" \
			"add-ports 127.0.0.1:0:80/tcp" \
			"add-ports 127.0.0.1:70000:80/tcp" \
			"list-ports"; do
			echo "### $args"
			# shellcheck disable=SC2086
			"$_c" --socket "$S" $args 2>&1
			echo "rc=$?"
		done
		echo "### env"
		ROOTLESSKIT_STATE_DIR=$D "$_c" list-ports 2>&1
		echo "rc=$?"
		echo "### no socket"
		env -u ROOTLESSKIT_STATE_DIR "$_c" list-ports 2>&1
		echo "rc=$?"
		echo "### missing socket"
		"$_c" --socket "$D/nonexistent" info 2>&1
		echo "rc=$?"
		echo "### socket=value"
		"$_c" --socket="$S" --debug=false info --json >/dev/null 2>&1
		echo "rc=$?"
		echo "### unknown command"
		"$_c" --socket "$S" bogus 2>&1
		echo "rc=$?"
		echo "### bad flag"
		"$_c" --socket "$S" info --bar 2>&1 | grep -v '^ \|^$\|^[A-Z]*:$'
		echo "rc=$?"
	} >"$_o"
	stop_harness
	# a refused connection: a stale socket file that nobody listens on
	socat UNIX-LISTEN:"$S" /dev/null </dev/null >/dev/null 2>&1 &
	_sp=$!
	rn_wait_for 5 test -S "$S" || rn_fail "socat did not listen"
	kill -KILL "$_sp"
	wait "$_sp" 2>/dev/null
	echo "### refused" >>"$_o"
	"$_c" --socket "$S" info >>"$_o" 2>&1
	echo "rc=$?" >>"$_o"
	rm -f "$S"
}

session "$REFCTL" "$D/ref.out"
session "$OURSCTL" "$D/ours.out"
# each session has its own server, whose PID is the childPID
for f in ref ours; do
	sed 's/\(Child PID: \|"childPID": \)[0-9]*/\1PID/' "$D/$f.out" >"$D/$f.norm"
done
if ! diff -u "$D/ref.norm" "$D/ours.norm" >"$D/diff"; then
	cat "$D/diff" >&2
	rn_fail "rootlessnetctl and rootlessctl differ"
fi
grep -q '^1     tcp      127.0.0.1    18090' "$D/ours.out" || rn_fail "session did not run: $(head "$D/ours.out")"
grep -q 'connection refused' "$D/ours.out" || rn_fail "refused connection not tested"

# help, version and usage errors
"$OURSCTL" --help | grep -q 'add-ports' || rn_fail "--help"
"$OURSCTL" --version | grep -q 'version 0\.' || rn_fail "--version"
"$OURSCTL" --nope >/dev/null 2>&1
rn_expect_eq "unknown global flag status" "$?" 1
"$OURSCTL" --socket >/dev/null 2>&1
rn_expect_eq "--socket without a value" "$?" 1
"$OURSCTL" >/dev/null 2>&1 || rn_fail "no command: help and status 0"

# --- rootlessnetctl against Debian's rootlesskit: the client speaks the real server's API ---
command -v rootlesskit >/dev/null || rn_fail "rootlesskit missing: apt-get install rootlesskit"
rn_setup_user
trap 'api_cleanup; rn_cleanup' EXIT
api_user_ctl
RK=$RN_RUNTIME/rk
rn_as_user rootlesskit --state-dir="$RK" --net=slirp4netns --disable-host-loopback \
	--port-driver=builtin sleep 120 >"$D/rk.log" 2>&1 &
RKPID=$!
RN_CLEANUP_HOOK="kill $RKPID 2>/dev/null"
rn_wait_for 20 test -S "$RK/api.sock" ||
	rn_skip "rootlesskit did not start here: $(tail -3 "$D/rk.log")"
ctl() { rn_as_user "$D/rootlessnetctl" --socket "$RK/api.sock" "$@"; }
ref() { rn_as_user "$REFCTL" --socket "$RK/api.sock" "$@"; }
# the host ports rootlesskit publishes (the harness above binds none)
P=$(rn_free_port 2) || exit 1

ctl info >"$D/i1" || rn_fail "info on rootlesskit: $(cat "$D/i1")"
ref info >"$D/i2"
diff -u "$D/i2" "$D/i1" >&2 || rn_fail "info on rootlesskit differs"
ctl info --json >"$D/j1" || rn_fail "info --json on rootlesskit"
ref info --json >"$D/j2"
diff -u "$D/j2" "$D/j1" >&2 || rn_fail "info --json on rootlesskit differs"
rn_expect_eq "add-ports on rootlesskit" "$(ctl add-ports "127.0.0.1:$P:80/tcp" "[::1]:$((P + 1)):[::1]:80/tcp6")" "1
2"
ctl add-ports "127.0.0.1:$P:81/tcp" >"$D/e" 2>&1 && rn_fail "conflict accepted by rootlesskit?"
rn_expect_eq "conflict from rootlesskit" "$(cat "$D/e")" "error: conflict with ID 1"
ctl list-ports >"$D/l1"
ref list-ports >"$D/l2"
# rootlesskit lists from a Go map: compare the rows in order
sort "$D/l1" >"$D/l1s"
sort "$D/l2" >"$D/l2s"
diff -u "$D/l2s" "$D/l1s" >&2 || rn_fail "list-ports on rootlesskit differs"
grep -q "^2     tcp6     ::1          $((P + 1))         ::1        80" "$D/l1" ||
	rn_fail "list-ports on rootlesskit: $(cat "$D/l1")"
ctl remove-ports 1 2 >/dev/null || rn_fail "remove-ports on rootlesskit"
ctl remove-ports 1 >"$D/e" 2>&1 && rn_fail "removed twice on rootlesskit"
rn_expect_eq "unknown id from rootlesskit" "$(cat "$D/e")" "error: unknown id: 1"
rn_expect_eq "empty list on rootlesskit" "$(ctl list-ports --json)" ""
exit 0
