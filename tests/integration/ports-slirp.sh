#!/bin/sh
# ports-slirp.sh - --port-driver=slirp4netns: libslirp forwards per family, the client's address
# seen inside, IPv6 with --ipv6 (skipped with a warning, or refused, without), 200 concurrent
# connections, 1 GiB intact, and 500 add/remove cycles through the API when it is built
set -u
. "$top_srcdir/tests/integration/lib.sh"

rn_setup_user
rn_need socat openssl
rn_workdir slirp
BASE=$(rn_free_port 6) || exit 1
P=$BASE
host_listening() { ss -Hln"$1" | grep -q "$2 "; }

# servers on every address of the namespace: who answers, and whom they saw
cat >"$W/cmd.sh" <<'EOF'
socat TCP4-LISTEN:80,fork,reuseaddr,backlog=512 SYSTEM:'read x; echo "$x v4 $SOCAT_PEERADDR"' &
socat TCP6-LISTEN:80,fork,reuseaddr,ipv6only=1 SYSTEM:'read x; echo "$x v6 $SOCAT_PEERADDR"' &
socat TCP4-LISTEN:81,fork,reuseaddr EXEC:cat &
socat UDP4-RECVFROM:53,fork,reuseaddr SYSTEM:'read x; echo "$x udp4 $SOCAT_PEERADDR"' &
socat UDP6-RECVFROM:53,fork,reuseaddr,ipv6only=1 SYSTEM:'read x; echo "$x udp6 $SOCAT_PEERADDR"' 2>/dev/null &
sleep 0.5
echo up >"$1/ready.$2"
sleep 300
EOF
# start NAME FLAGS...: run the program with the slirp4netns driver until the test ends
start() {
	_n=$1
	shift
	rn_as_user "$ROOTLESSNET" --state-dir="$W/$_n" --net=slirp4netns --mtu=65520 \
		--port-driver=slirp4netns "$@" sh "$W/cmd.sh" "$W" "$_n" >"$W/$_n.log" 2>&1 &
	rn_wait_for 30 test -s "$W/ready.$_n" || rn_fail "$_n did not start: $(cat "$W/$_n.log")"
}
ask() { echo "$2" | timeout 10 socat -t5 - "TCP:$1" 2>/dev/null; }

# --- IPv4 only (no --ipv6): a dual-stack request binds IPv4 and skips IPv6 with a warning ---
start v4 -p "0.0.0.0:$P:80/tcp" -p "127.0.0.1:$((P + 1)):81/tcp" -p "127.0.0.1:$P:53/udp"
host_listening t "0.0.0.0:$P" || rn_fail "tcp 0.0.0.0:$P not listening"
rn_expect_eq "tcp v4, the client seen as the gateway" "$(ask "127.0.0.1:$P" a)" "a v4 10.0.2.2"
rn_expect_eq "udp v4" "$(echo u | timeout 10 socat -t3 - "UDP:127.0.0.1:$P")" "u udp4 10.0.2.2"
if rn_is_ours; then
	grep -q 'skipping request for "\[::\]:'"$P"'"' "$W/v4.log" ||
		rn_fail "no warning for the IPv6 half: $(cat "$W/v4.log")"
	host_listening t "\\[::\\]:$P" && rn_fail "IPv6 listener without --ipv6"
fi
# an explicit IPv6 request without --ipv6 fails start-up
if rn_as_user "$ROOTLESSNET" --state-dir="$W/bad6" --net=slirp4netns --port-driver=slirp4netns \
	-p "[::1]:$((P + 2)):80/tcp6" true >"$W/bad6.log" 2>&1; then
	rn_fail "tcp6 without --ipv6 did not fail start-up"
fi
rn_is_ours && ! grep -q -e "--ipv6" "$W/bad6.log" && rn_fail "tcp6 refusal: $(cat "$W/bad6.log")"

# --- 200 concurrent connections ---
# libslirp listens with a backlog of 1 (slirp_add_hostxfwd): a burst of 200 SYNs at once would
# be dropped and retried for minutes, so the clients start 20 ms apart and each holds its
# connection 8 s, all 200 open together
rn_clients 200 0.02 8 "$W/c" c%d timeout 40 socat -t10 - "TCP:127.0.0.1:$P"
rn_expect_clients 200 50 "$W/c" "c%d v4 10.0.2.2" "concurrent connection"

# --- 1 GiB echoed intact ---
gen() {
	openssl enc -aes-128-ctr -nosalt -K 0f0e0d0c0b0a09080706050403020100 \
		-iv 00000000000000000000000000000000 </dev/zero 2>/dev/null | head -c 1073741824
}
want=$(gen | sha256sum | cut -d' ' -f1)
got=$(gen | timeout 300 socat -b 262144 -t 60 - "TCP:127.0.0.1:$((P + 1))" | sha256sum | cut -d' ' -f1)
rn_expect_eq "1 GiB echoed through libslirp" "$got" "$want"

# --- 500 add/remove cycles through the API: the parent's descriptors do not grow ---
sock="$W/v4/api.sock"
if rn_is_ours && [ -S "$sock" ]; then
	ppid=$(pgrep -u "$RN_USER" -f -- "--state-dir=$W/v4" | head -n 1)
	rn_ctl_cycles v4 "$sock" "$ppid" 500 "127.0.0.1:$((P + 2)):80/tcp"
elif rn_is_ours; then
	rn_log "no API socket in this build: add/remove cycles are covered by ports-builtin.sh"
fi

# --- with --ipv6: each family its own forward, IPv6 clients seen as the IPv6 gateway ---
if rn_is_ours; then
	start v6 --ipv6 -p "0.0.0.0:$((P + 4)):80/tcp" -p "[::1]:$((P + 5)):80/tcp6" \
		-p "127.0.0.1:$((P + 5)):[fd00::100]:80/tcp" -p "[::1]:$((P + 4)):53/udp6"
	host_listening t "0.0.0.0:$((P + 4))" || rn_fail "v4 half of the dual-stack request"
	host_listening t "\\[::\\]:$((P + 4))" || rn_fail "v6 half of the dual-stack request"
	rn_expect_eq "dual stack via 127.0.0.1" "$(ask "127.0.0.1:$((P + 4))" b)" "b v4 10.0.2.2"
	rn_expect_eq "dual stack via ::1" "$(ask "[::1]:$((P + 4))" c)" \
		"c v6 [fd00:0000:0000:0000:0000:0000:0000:0002]"
	rn_expect_eq "tcp6" "$(ask "[::1]:$((P + 5))" d)" \
		"d v6 [fd00:0000:0000:0000:0000:0000:0000:0002]"
	# childIP of the other family naming the namespace itself: its own family's address
	rn_expect_eq "childIP fd00::100 from an IPv4 listener" "$(ask "127.0.0.1:$((P + 5))" e)" \
		"e v4 10.0.2.2"
	# udp6: the reply of a service on a wildcard socket comes back to the [::1] client. It
	# leaves from the namespace's preferred source address, which must be fd00::100, the
	# forward's target: libslirp matches replies to forwards by it (a SLAAC address from a
	# router advertisement made the reply leave from a new port, lost to the client). After
	# 3 s, when libslirp's first advertisement has come, fd00::100 is still the only one.
	sleep 3
	for i in 1 2 3; do
		r=$(echo "f$i" | timeout 10 socat -t2 - "UDP6:[::1]:$((P + 4))")
		[ -n "$r" ] && break
	done
	rn_expect_eq "udp6 via ::1" "$r" "f$i udp6 [fd00:0000:0000:0000:0000:0000:0000:0002]"
fi
echo ok
