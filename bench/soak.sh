#!/bin/sh
# bench/soak.sh - a bounded soak run: API churn, TCP and UDP through both port drivers, helpers
# killed now and then; descriptors and memory must stay flat, nothing lost but what was open
# at a kill
#
# Not part of make check (about 10 minutes): make soak, or as root
#   top_srcdir=. top_builddir=_build bench/soak.sh
# Environment: SOAK_SECONDS (600), SOAK_KILL_EVERY (60), SOAK_CONNS (50 per round),
# SOAK_DGRAMS (50 per round), ROOTLESSNET. Two instances run as the test user with a TCP and
# UDP echo server inside (bench/soak.py serve); the driver (bench/soak.py, as root, so that
# it can read every process's PSS) reaches them on 127.0.0.1 only.
set -eu
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
rn_need python3
rn_setup_user
SOAK=$top_srcdir/bench/soak.py
# (soak.py serve runs as the user, and imports tests/integration/faultkit.py)
chmod o+rx "$top_srcdir" "$top_srcdir/bench" "$top_srcdir/tests" "$top_srcdir/tests/integration" \
	2>/dev/null || :
BASE=$(rn_free_port 5) || exit 1

# start NAME DRIVER TCP UDP: an instance as the test user; sets PID_NAME
start() {
	_sd=$RN_RUNTIME/$1
	rn_as_user "$ROOTLESSNET" --net=slirp4netns --port-driver="$2" --state-dir="$_sd" \
		-p "127.0.0.1:$3:80/tcp" -p "127.0.0.1:$4:53/udp" \
		python3 "$SOAK" serve >"$RN_RUNTIME/$1.log" 2>&1 &
	rn_wait_for 20 test -S "$_sd/api.sock" || rn_fail "$1 did not start: $(cat "$RN_RUNTIME/$1.log")"
	eval "PID_$1=\$(pgrep -o -u \"\$RN_USER\" -f -- \"--state-dir=\$_sd\")"
}
start builtin builtin $((BASE)) $((BASE + 1))
start slirp slirp4netns $((BASE + 2)) $((BASE + 3))
# the servers inside are up once a connection echoes
up() { python3 -c "
import socket,sys
for p in sys.argv[1:]:
    s=socket.create_connection(('127.0.0.1',int(p)),1); s.sendall(b'x\n')
    assert s.recv(2)==b'x\n'
" "$@" 2>/dev/null; }
rn_wait_for 20 up $((BASE)) $((BASE + 2)) || rn_fail "the echo servers did not answer"

code=0
python3 "$SOAK" "$PID_builtin" "$RN_RUNTIME/builtin" $((BASE)) $((BASE + 1)) \
	"$PID_slirp" "$RN_RUNTIME/slirp" $((BASE + 2)) $((BASE + 3)) $((BASE + 4)) || code=$?
for n in builtin slirp; do
	echo "soak: $n: $(wc -l <"$RN_RUNTIME/$n.log") lines of log, $(grep -c 'warning' "$RN_RUNTIME/$n.log" || :) warnings"
done
[ "$code" = 0 ] || { echo "--- logs"; tail -n 30 "$RN_RUNTIME/builtin.log" "$RN_RUNTIME/slirp.log"; }
exit "$code"
