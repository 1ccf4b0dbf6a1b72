# tests/integration/lib.sh - shared helpers for integration tests (sourced, POSIX sh)
#
# ROOTLESSNET names the binary under test (make check sets ours; point it at
# /usr/bin/rootlesskit to run the same test against the reference). Tests run as root from
# make check and drop to the unprivileged user RN_USER (default rlt), created here with
# subordinate ids. Exit 77 = skip, allowed only where the kernel cannot do it;
# ROOTLESSNET_MUST_WORK=1 (CI) turns a skip into a failure.

: "${ROOTLESSNET:=rootlessnet}"
: "${RN_USER:=rlt}"
RN_SUBID_START=${RN_SUBID_START:-200000}
RN_SUBID_COUNT=${RN_SUBID_COUNT:-65536}

rn_log() { echo "# $*" >&2; }
rn_fail() { echo "FAIL: $*" >&2; exit 1; }
rn_skip() {
	if [ "${ROOTLESSNET_MUST_WORK:-0}" = 1 ]; then
		echo "FAIL (skip not allowed, ROOTLESSNET_MUST_WORK=1): $*" >&2
		exit 1
	fi
	echo "SKIP: $*" >&2
	exit 77
}

# rn_is_ours: true when the binary under test is rootlessnet (not the reference rootlesskit)
rn_is_ours() { "$ROOTLESSNET" --version 2>/dev/null | grep -q rootlessnet; }

# rn_setup_user: create RN_USER with subordinate ids, make /dev/net/tun usable (root only)
rn_setup_user() {
	[ "$(id -u)" = 0 ] || rn_skip "integration tests run as root (they drop to $RN_USER)"
	if ! id "$RN_USER" >/dev/null 2>&1; then
		# useradd would take subordinate ids of its own (SUB_UID_COUNT in login.defs):
		# then RN_SUBID_START would be ignored
		useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$RN_USER" ||
			rn_fail "useradd $RN_USER"
	fi
	for f in /etc/subuid /etc/subgid; do
		touch "$f"
		grep -q "^$RN_USER:" "$f" || echo "$RN_USER:$RN_SUBID_START:$RN_SUBID_COUNT" >>"$f"
	done
	command -v newuidmap >/dev/null || rn_fail "newuidmap missing: apt-get install uidmap"
	[ -c /dev/net/tun ] && chmod 0666 /dev/net/tun
	RN_UID=$(id -u "$RN_USER")
	RN_GID=$(id -g "$RN_USER")
	RN_HOME=$(getent passwd "$RN_USER" | cut -d: -f6)
	RN_RUNTIME=$(mktemp -d /tmp/rn-runtime.XXXXXX)
	chown "$RN_USER:" "$RN_RUNTIME"
	chmod 0700 "$RN_RUNTIME"
	# the binary must be reachable by the test user
	chmod o+x "$(dirname "$ROOTLESSNET")" 2>/dev/null || :
	trap 'rn_cleanup' EXIT
	rn_kernel_userns_ok || rn_skip "unprivileged user namespaces are disabled by the kernel"
}

# rn_kernel_userns_ok: the kernel lets an unprivileged user create a user namespace
rn_kernel_userns_ok() {
	[ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)" != 0 ] || return 1
	[ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" != 0 ] || return 1
	rn_as_user unshare -U true 2>/dev/null
}

# Every process a test starts as the user carries RN_TEST_ID in its environment (rn_as_user
# sets it); cleanup kills exactly those, so tests running side by side (developers' machines)
# do not kill each other's processes.
RN_TEST_ID=${RN_TEST_ID:-rn$$.$(date +%s%N)}

# rn_test_pids: pids of processes whose environment carries this test's RN_TEST_ID
rn_test_pids() {
	# one grep over every environ (it runs in polling loops: a shell loop took seconds)
	# (none found is not a failure: "|| :" also keeps a caller's set -e from exiting)
	grep -lzx "RN_TEST_ID=$RN_TEST_ID" /proc/[0-9]*/environ 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | grep -vx "$$" || :
}

# rn_kill_test_procs: SIGKILL this test's processes, bounded to 5 rounds
rn_kill_test_procs() {
	_i=0
	while [ $_i -lt 5 ]; do
		_pids=$(rn_test_pids)
		[ -n "$_pids" ] || return 0
		kill -KILL $_pids 2>/dev/null || :
		sleep 0.2
		_i=$((_i + 1))
	done
}

# rn_cleanup: the EXIT trap rn_setup_user sets: RN_CLEANUP_HOOK (a test's own cleanup, eval'd),
# then every process of the test killed, then its directories removed
rn_cleanup() {
	[ -n "${RN_CLEANUP_HOOK:-}" ] && eval "$RN_CLEANUP_HOOK"
	# leave nothing this test started running
	rn_kill_test_procs
	[ -n "${RN_RUNTIME:-}" ] && rm -rf "$RN_RUNTIME"
	if [ -n "${RN_WORKDIR:-}" ]; then
		if [ -n "${RN_KEEP:-}" ]; then
			echo "# RN_KEEP: kept $RN_WORKDIR" >&2
		else
			rm -rf "$RN_WORKDIR"
		fi
	fi
	:
}

# rn_workdir NAME: W, a new directory /tmp/rn-NAME.XXXXXX for the test's files, owned by the
# test user and readable by all; removed at exit (RN_KEEP=1 keeps it). After rn_setup_user.
rn_workdir() {
	W=$(mktemp -d "/tmp/rn-$1.XXXXXX") || rn_fail "mktemp"
	chmod 0755 "$W"
	chown "$RN_USER:" "$W"
	RN_WORKDIR=$W
}

# rn_need TOOL[:PACKAGE]...: fail (not skip: a tool is a package, not the kernel) when TOOL
# is not on PATH, naming the Debian package (PACKAGE, by default TOOL): rn_need socat ip:iproute2
rn_need() {
	for _need in "$@"; do
		command -v "${_need%%:*}" >/dev/null ||
			rn_fail "${_need%%:*} missing: apt-get install ${_need#*:} (tools/install-deps)"
	done
}

# rn_as_user CMD...: run as the test user with a clean environment
rn_as_user() {
	runuser -u "$RN_USER" -- env -i HOME="$RN_HOME" USER="$RN_USER" LOGNAME="$RN_USER" \
		PATH="/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" \
		XDG_RUNTIME_DIR="$RN_RUNTIME" RN_TEST_ID="$RN_TEST_ID" ${RN_USER_ENV:-} "$@"
}

# rn ARGS...: the binary under test as the test user, in the foreground: out=$(rn --pidns id -u)
rn() { rn_as_user "$ROOTLESSNET" "$@"; }

# rn_bg PIDFILE ARGS...: "$ROOTLESSNET ARGS" as the test user in the background ($! waits for
# it); PIDFILE gets the pid of the binary itself (the top process, to send signals to).
# An ignored signal stays ignored across exec (for rootlessnet as for rootlesskit), and a
# shell cannot trap one that was ignored when it started. A shell starts background jobs with
# SIGINT and SIGQUIT ignored, nohup ignores SIGHUP: the signals a test sends get their default
# action back, whatever the test itself inherited.
RN_BG_SIGNALS=HUP,INT,QUIT,USR1,USR2,WINCH,ALRM,CONT,TERM
rn_bg() {
	_pf=$1
	shift
	# shellcheck disable=SC2016
	rn_as_user env --default-signal="$RN_BG_SIGNALS" \
		sh -c '_pf=$1; shift; echo $$ >"$_pf"; exec "$@"' sh "$_pf" "$ROOTLESSNET" "$@" &
}

# rn_wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds; false on timeout
rn_wait_for() {
	_t=$(($1 * 10))
	shift
	while [ "$_t" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}

# rn_free_port [N]: print a port P such that P..P+N-1 (N: 1 by default) are all free for TCP
# and UDP on 127.0.0.1, 0.0.0.0 and [::] of the host: each can be bound there, so nothing
# listens, is connected or lingers in TIME_WAIT on it (any of them makes a later bind fail).
# From 20000 to below the ephemeral range (where clients' ports come from, and would take a
# port the test picked); 200 random tries at most, else the test fails. The ports are not
# held: take them at once, and ask for a range once rather than for single ports in a row
# (two calls may give the same port): P=$(rn_free_port 3) || exit 1
rn_free_port() {
	command -v python3 >/dev/null || rn_fail "python3 missing: apt-get install python3"
	python3 - "${1:-1}" <<'EOF' || rn_fail "no ${1:-1} free ports in a row found"
import errno, random, socket, sys
n = int(sys.argv[1])
try:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        end = int(f.read().split()[0])
except (OSError, ValueError, IndexError):
    end = 32768
if end < 20000 + 2 * n:
    end = 65000


def free(port):
    for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET, "0.0.0.0"),
                      (socket.AF_INET6, "::")):
        for typ in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            try:
                s = socket.socket(fam, typ)
            except OSError as e:
                if e.errno == errno.EAFNOSUPPORT:
                    continue  # a kernel without IPv6
                raise
            try:
                if fam == socket.AF_INET6:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                s.bind((addr, port))
            except OSError as e:
                if fam == socket.AF_INET6 and e.errno == errno.EADDRNOTAVAIL:
                    continue  # IPv6 disabled
                return False
            finally:
                s.close()
    return True


for _ in range(200):
    base = random.randrange(20000, end - n + 1)
    if all(free(p) for p in range(base, base + n)):
        print(base)
        sys.exit(0)
sys.exit(1)
EOF
}

# rn_clients N GAP HOLD OUT LINE CMD...: N clients in the background, GAP seconds apart (0:
# all at once): client I sends LINE (a printf format: %d is I) to CMD, a client reading its
# stdin (socat -, as root), keeps that open HOLD seconds, and CMD's output goes to OUT.I
rn_clients() {
	_n=$1 _gap=$2 _hold=$3 _out=$4 _line=$5
	shift 5
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		# shellcheck disable=SC2059
		( (printf "$_line\n" "$_i"; sleep "$_hold") | "$@" >"$_out.$_i" 2>&1) &
		[ "$_gap" = 0 ] || sleep "$_gap"
		_i=$((_i + 1))
	done
}

# rn_expect_clients N SECONDS OUT WANT WHAT: once the N clients of rn_clients wrote a line each
# (SECONDS at most), OUT.I must be WANT (a printf format: %d is I) for every I
rn_expect_clients() {
	_n=$1 _out=$3 _want=$4
	rn_wait_for "$2" rn_clients_done "$_n" "$_out" || :
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		# shellcheck disable=SC2059
		rn_expect_eq "$5 $_i" "$(cat "$_out.$_i")" "$(printf "$_want" "$_i")"
		_i=$((_i + 1))
	done
}
rn_clients_done() { [ "$(cat "$2".* 2>/dev/null | wc -l)" -ge "$1" ]; }

# rn_deadline SECONDS: the time SECONDS from now, for rn_by (ns since the epoch)
rn_deadline() { echo $(($(date +%s%N) + $1 * 1000000000)); }

# rn_by DEADLINE CMD...: poll CMD every 0.1 s until it succeeds; false once the wall clock
# passes DEADLINE (rn_deadline) with CMD still failing (an attempt starts before it)
rn_by() {
	_dl=$1
	shift
	while :; do
		"$@" && return 0
		[ "$(date +%s%N)" -lt "$_dl" ] || return 1
		sleep 0.1
	done
}

# rn_expect_eq WHAT GOT WANT
rn_expect_eq() {
	[ "$2" = "$3" ] || rn_fail "$1: got '$2', want '$3'"
}

# --- instances and their processes (the fault tests) ---
# FAULTKIT: clients and a server for many connections at once (tests/integration/faultkit.py)
FAULTKIT=${top_srcdir:-.}/tests/integration/faultkit.py

# rn_instance_start SD LOG ARGS...: start "$ROOTLESSNET --state-dir=SD ARGS" as the user in the
# background (through $RN_INSTANCE_WRAP, e.g. "prlimit --nofile=128:128", when set), output
# to LOG; wait (20 s) for child_pid and api.sock; RN_PARENT is its pid
rn_instance_start() {
	_sd=$1
	_lg=$2
	shift 2
	# shellcheck disable=SC2086
	rn_as_user ${RN_INSTANCE_WRAP:-} "$ROOTLESSNET" --state-dir="$_sd" "$@" >"$_lg" 2>&1 \
		</dev/null &
	rn_wait_for 20 test -S "$_sd/api.sock" -a -s "$_sd/child_pid" ||
		rn_fail "the instance in $_sd did not start: $(tail -c 2000 "$_lg")"
	RN_PARENT=$(rn_ppid "$(cat "$_sd/child_pid")")
	[ -n "$RN_PARENT" ] || rn_fail "no parent process for the child in $_sd"
}

# rn_ppid PID: the parent of PID (empty if PID is gone)
rn_ppid() { sed -n 's/^.*) [A-Za-z] \([0-9]*\) .*$/\1/p' "/proc/$1/stat" 2>/dev/null; }

# rn_children PID: the live pids whose parent is PID, one a line (not zombies: a killed helper
# not yet reaped keeps its name)
rn_children() {
	# one awk over every stat (it runs in polling loops). cat, not awk's own file list: a
	# process that exits between the glob and the open is skipped by cat, while Debian's
	# mawk stops at the first file it cannot open and misses every child listed after it
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '{ pid = $1; sub(/^.*\) /, "") }
		$2 == p && $1 != "Z" { print pid }' || :
}

# rn_children_named PID: "pid=comm ..." of PID's live children, for failure messages
rn_children_named() {
	for _c in $(rn_children "$1"); do
		printf '%s=%s ' "$_c" "$(cat "/proc/$_c/comm" 2>/dev/null)"
	done
}

# rn_child_named PID COMM [EXCEPT]: the first child of PID whose comm is COMM (not EXCEPT);
# false when there is none
rn_child_named() {
	for _c in $(rn_children "$1"); do
		[ "$_c" != "${3:-}" ] || continue
		[ "$(cat "/proc/$_c/comm" 2>/dev/null)" = "$2" ] && echo "$_c" && return 0
	done
	return 1
}

# rn_netproc_pid PARENT: the instance's network process: libslirp in rootlessnet-net (ours),
# or slirp4netns (rootlesskit's)
rn_netproc_pid() { rn_child_named "$1" rootlessnet-net || rn_child_named "$1" slirp4netns; }

# rn_porthelper_pid PARENT SD: the builtin driver's helper in the namespace: comm
# rootlessnet-ns, or (before helpers had names) the child named rootlessnet that is not the
# namespace's child (SD/child_pid)
rn_porthelper_pid() {
	rn_child_named "$1" rootlessnet-ns ||
		rn_child_named "$1" rootlessnet "$(cat "$2/child_pid" 2>/dev/null)"
}

# rn_fd_count PID: open descriptors of PID
rn_fd_count() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }

# rn_cpu_ticks PID: utime+stime of PID, in clock ticks
rn_cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# rn_ctl_cycles WHAT SOCK PID N SPEC...: a port added and removed through the API on SOCK
# (rootlessctl, as the test user) N times, the SPECs in turn, after one warm-up cycle of each:
# PID (the parent) must hold as many descriptors after as before
rn_ctl_cycles() {
	_what=$1 _sock=$2 _pid=$3 _n=$4
	shift 4
	for _spec in "$@"; do rn_ctl_cycle "$_what: warm-up" "$_sock" "$_spec"; done
	_fds0=$(rn_fd_count "$_pid")
	rn_log "$_what: $_n add/remove cycles through the API, parent $_pid with $_fds0 descriptors"
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		rn_ctl_cycle "$_what: cycle $_i" "$_sock" "$1"
		set -- "$@" "$1"
		shift
		_i=$((_i + 1))
	done
	rn_expect_eq "$_what: parent descriptors after $_n add/remove cycles" \
		"$(rn_fd_count "$_pid")" "$_fds0"
}
# rn_ctl_cycle WHAT SOCK SPEC: add-ports SPEC, then remove-ports its ID
rn_ctl_cycle() {
	_cid=$(rn_as_user rootlessctl --socket "$2" add-ports "$3") || rn_fail "$1: add-ports: $_cid"
	rn_as_user rootlessctl --socket "$2" remove-ports "$_cid" >/dev/null ||
		rn_fail "$1: remove-ports $_cid"
}

# rn_instance_stop: SIGTERM to the instance RN_PARENT; wait (10 s) until it is gone
rn_instance_stop() {
	kill -TERM "$RN_PARENT" 2>/dev/null || :
	rn_wait_for 10 sh -c "! kill -0 $RN_PARENT 2>/dev/null" || rn_fail "instance $RN_PARENT did not stop"
}

# rn_api SOCK METHOD PATH [BODY]: one API request (2 s at most); prints the status code, the
# body goes to $RN_API_BODY (default /dev/null)
rn_api() {
	if [ $# -ge 4 ]; then
		set -- "$1" "$2" "$3" -H 'Content-Type: application/json' -d "$4"
	fi
	_sock=$1
	_meth=$2
	_path=$3
	shift 3
	curl -sS --unix-socket "$_sock" --max-time 2 -X "$_meth" -o "${RN_API_BODY:-/dev/null}" \
		-w '%{http_code}' "$@" "http://rootlesskit/v1$_path" 2>/dev/null || :
}
