#!/bin/sh
# fault-fd-flood.sh - out of descriptors, rootlessnet neither spins nor floods its log: with
# ulimit -n 128 (soft and hard) and 400 clients held on a builtin port for 10 s, the parent
# uses under 2 s of CPU, all of rootlessnet's stderr stays under 64 KiB, the descriptor
# limit is reported at least once and at most a handful of times, and within 2 s of the
# clients leaving a new one is served again
set -u
. "$top_srcdir/tests/integration/lib.sh"
rn_setup_user
rn_need python3 prlimit:util-linux
rn_workdir ffd
P=$(rn_free_port 1) || exit 1
N=400
LOG_MAX=65536
HZ=$(getconf CLK_TCK)

# the namespace's echo server on 127.0.0.1:80 (it gets the same 128 descriptors)
cat >"$W/cmd.sh" <<EOS
python3 "$FAULTKIT" echo-server 127.0.0.1 80 >"$W/echo.out" 2>&1 &
exec sleep 120
EOS
RN_INSTANCE_WRAP="prlimit --nofile=128:128" rn_instance_start "$W/sd" "$W/rn.log" \
	--net=slirp4netns --port-driver=builtin -p "127.0.0.1:$P:80/tcp" sh "$W/cmd.sh"
rn_expect_eq "parent's descriptor limit" \
	"$(sed -n 's/^Max open files *\([0-9]*\) *\([0-9]*\).*/\1 \2/p' "/proc/$RN_PARENT/limits")" "128 128"
rn_wait_for 10 grep -q listening "$W/echo.out" || rn_fail "no echo server: $(cat "$W/echo.out")"
echo_once() { rn_as_user python3 "$FAULTKIT" burst 127.0.0.1 "$P" 1 "$1" >"$W/echo1.out" 2>&1; }
echo_once 5 || rn_fail "no echo through the port before the flood: $(cat "$W/echo1.out")"

# log_ok: all of rootlessnet's stderr is still under LOG_MAX (checked often: a loop that
# logs each turn writes megabytes a second)
log_ok() { [ "$(wc -c <"$W/rn.log")" -lt $LOG_MAX ]; }
rn_as_user python3 "$FAULTKIT" hold-tcp 127.0.0.1 "$P" $N 10 >"$W/hold.out" 2>&1 &
rn_wait_for 10 grep -q '^connecting' "$W/hold.out" || rn_fail "clients: $(cat "$W/hold.out")"
ticks0=$(rn_cpu_ticks "$RN_PARENT")
i=0
while ! grep -q '^closed' "$W/hold.out" && [ $i -lt 150 ]; do
	log_ok || rn_fail "rootlessnet's stderr passed $LOG_MAX bytes with $N clients held: $(
		grep -c . "$W/rn.log") lines, e.g. $(tail -n 1 "$W/rn.log" | cut -c1-200)"
	kill -0 "$RN_PARENT" 2>/dev/null || rn_fail "rootlessnet died: $(tail -c 1000 "$W/rn.log")"
	sleep 0.1
	i=$((i + 1))
done
ticks1=$(rn_cpu_ticks "$RN_PARENT")
grep -q '^closed' "$W/hold.out" || rn_fail "the clients did not end: $(cat "$W/hold.out")"
rn_log "$(sed -n 's/^connected //p' "$W/hold.out") of $N clients connected; the parent used $((ticks1 - ticks0)) ticks ($HZ/s)"
[ $((ticks1 - ticks0)) -lt $((2 * HZ)) ] ||
	rn_fail "the parent used $((ticks1 - ticks0)) ticks of CPU in 10 s out of descriptors (max $((2 * HZ)))"

# served again within 2 s of the clients leaving
echo_once 2 || rn_fail "no echo within 2 s after the flood: $(cat "$W/echo1.out")"
kill -0 "$RN_PARENT" 2>/dev/null || rn_fail "rootlessnet died: $(tail -c 1000 "$W/rn.log")"
log_ok || rn_fail "rootlessnet's stderr passed $LOG_MAX bytes"
# the limit was reported, and each kind of warning a handful of times at most: the first,
# then one every few seconds (rate-limited, with a count of the suppressed)
grep -i -e 'descriptor' -e 'too many open files' "$W/rn.log" >"$W/fdwarn" || :
n=$(wc -l <"$W/fdwarn")
kinds=$(sed 's/ ([0-9]* more like it suppressed[^)]*)$//; s/[0-9][0-9]*/N/g' "$W/fdwarn" |
	sort | uniq -c | sort -rn)
rn_log "descriptor warnings: $n; log $(wc -c <"$W/rn.log") bytes; by kind:"
echo "$kinds" | cut -c1-160 >&2
[ "$n" -ge 1 ] || rn_fail "nothing said the descriptor limit was reached: $(cat "$W/rn.log")"
most=$(echo "$kinds" | awk 'NR == 1 { print $1 }')
[ "$most" -le 4 ] || rn_fail "a descriptor warning repeated $most times in about 12 s, want a handful"
[ "$n" -le 12 ] || rn_fail "$n descriptor warnings in about 12 s, want a handful"
echo "fault-fd-flood: ok"
