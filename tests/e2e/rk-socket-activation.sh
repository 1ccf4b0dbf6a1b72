#!/bin/sh
# tests/e2e/rk-socket-activation.sh - systemd socket activation through the instance: LISTEN_FDS, LISTEN_PID, the sockets themselves
#
# (rootlesskit hack/integration-systemd-socket.sh, rewritten.) systemd-socket-activate listens,
# and on the first connection execs the instance with the listening sockets as fds 3.. and
# LISTEN_FDS/LISTEN_PID set for it; the command inside must get them renumbered for itself
# (LISTEN_PID = its own pid, as rootlesskit does since 2.2.0; 1.1.0 leaves it stale) and must
# be able to accept the pending connection on them.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

e2e_setup
e2e_need systemd-socket-activate

# the command inside: checks the variables and fds, then answers one client per socket
_srv=$E2E_TMP/serve.py
cat >"$_srv" <<'EOF'
import os, socket, sys
want = int(sys.argv[1])
strict_pid = sys.argv[2] == "yes"
n = os.environ.get("LISTEN_FDS")
if n != str(want):
    sys.exit("LISTEN_FDS=%r, want %d" % (n, want))
if strict_pid and os.environ.get("LISTEN_PID") != str(os.getpid()):
    sys.exit("LISTEN_PID=%r, not our pid %d" % (os.environ.get("LISTEN_PID"), os.getpid()))
socks = []
for fd in range(3, 3 + want):
    try:
        s = socket.socket(fileno=fd)
    except OSError as e:
        sys.exit("fd %d: %s" % (fd, e))
    if s.family != socket.AF_UNIX or s.type != socket.SOCK_STREAM:
        sys.exit("fd %d: not a unix stream socket" % fd)
    socks.append(s)
for i, s in enumerate(socks):
    s.settimeout(20)
    c, _ = s.accept()
    c.sendall(b"socket %d of %d, pid %d\n" % (i + 1, want, os.getpid()))
    c.close()
EOF
chmod 0644 "$_srv"

# ask SOCK: connect (bounded), print what the server says
ask() {
	"$E2E_PYTHON" - "$1" <<'EOF'
import socket, sys, time
for _ in range(50):
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(20)
        s.connect(sys.argv[1])
        break
    except OSError:
        time.sleep(0.2)
else:
    raise SystemExit("cannot connect to " + sys.argv[1])
print(s.makefile().read().strip())
EOF
}

# socket activation is in rootlesskit since 2.1.0, the LISTEN_PID fix since 2.2.0: against an
# older reference (Debian 12 has 1.1.0) the checker must see the feature missing, which proves
# that it can fail
_ver=$("$ROOTLESSNET" --version 2>/dev/null | sed -n 's/.*version \([0-9][0-9.]*\).*/\1/p')
ver_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }
_strict=no _expect=ok
if rn_is_ours || ver_ge "$_ver" 2.2.0; then
	_strict=yes
elif ! ver_ge "$_ver" 2.1.0; then
	_expect=fail
fi
rn_log "reference version '$_ver': sockets expected to work: $_expect, LISTEN_PID checked: $_strict"
for n in 1 2 3; do
	_dir=$E2E_USERDIR/sa.$n
	mkdir "$_dir"
	chown "$RN_USER:" "$_dir"
	_ls=
	_i=1
	while [ "$_i" -le "$n" ]; do
		_ls="$_ls -l $_dir/sock$_i"
		_i=$((_i + 1))
	done
	# shellcheck disable=SC2086
	e2e_user timeout 60 systemd-socket-activate $_ls "$ROOTLESSNET" \
		"$E2E_PYTHON" "$_srv" "$n" "$_strict" >"$E2E_TMP/sa.$n.log" 2>&1 &
	_bg=$!
	_i=1
	while [ "$_i" -le "$n" ]; do
		_got=$(ask "$_dir/sock$_i" 2>&1)
		case $_got in
		"socket $_i of $n, pid "*) ;;
		*)
			if [ "$_expect" = fail ]; then
				wait "$_bg"
				rn_log "as expected of $_ver, no socket activation: socket $_i answered" \
					"'$(echo "$_got" | tail -n 1)'"
				rn_log "PASS"
				exit 0
			fi
			cat "$E2E_TMP/sa.$n.log" >&2
			rn_fail "$n socket(s): socket $_i answered '$_got'"
			;;
		esac
		_i=$((_i + 1))
	done
	wait "$_bg"
	_code=$?
	if [ "$_code" != 0 ]; then
		cat "$E2E_TMP/sa.$n.log" >&2
		rn_fail "$n socket(s): exit status $_code"
	fi
	[ "$_expect" = ok ] || rn_fail "socket activation works with $ROOTLESSNET $_ver: update this test"
	rn_log "$n socket(s): LISTEN_FDS, LISTEN_PID and every socket ok"
done
rn_log "PASS"
