#!/bin/sh
# net-transfer.sh - large transfers through the user-mode network arrive intact, both ways:
# namespace -> host loopback and host loopback -> namespace (connection made from inside)
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
rn_setup_user
[ -c /dev/net/tun ] || rn_skip "no /dev/net/tun"
rn_need openssl

# RN_TRANSFER_MIB (default 1024): size of each transfer
mib=${RN_TRANSFER_MIB:-1024}
bytes=$((mib * 1024 * 1024))
RN_NET_TIMEOUT=$((60 + mib / 4))
# a deterministic pseudo-random stream: AES-CTR over zeros
gen="openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f -iv 0 -in /dev/zero 2>/dev/null | head -c $bytes"
want=$(sh -c "$gen" | sha256sum | cut -d' ' -f1)
rn_workdir transfer

# namespace -> host (the command lingers a moment: rootlesskit drops what is in flight
# when the command exits; ours is checked for that below)
p=$(rn_free_port 1) || exit 1
rn_bg_server sh -c "socat -u TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr - | sha256sum | cut -d' ' -f1 >'$W/up.tmp' && mv '$W/up.tmp' '$W/up'"
rn_wait_for 5 rn_listening "$p" || rn_fail "receiver did not start"
t0=$(date +%s)
rn_net sh -c "$gen | socat -u - TCP:10.0.2.2:$p; sleep 2" || rn_fail "sending from the namespace failed"
rn_wait_for 30 test -s "$W/up" || rn_fail "the host did not receive the whole stream"
rn_expect_eq "sha256 of $mib MiB namespace -> host" "$(cat "$W/up")" "$want"
rn_log "namespace -> host: $mib MiB in $(($(date +%s) - t0)) s"

# host -> namespace
p=$(rn_free_port 1) || exit 1
rn_bg_server sh -c "$gen | socat -u - TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr"
rn_wait_for 5 rn_listening "$p" || rn_fail "sender did not start"
t0=$(date +%s)
got=$(rn_net sh -c "socat -u TCP:10.0.2.2:$p - | sha256sum | cut -d' ' -f1") ||
	rn_fail "receiving in the namespace failed"
rn_expect_eq "sha256 of $mib MiB host -> namespace" "$got" "$want"
rn_log "host -> namespace: $mib MiB in $(($(date +%s) - t0)) s"

# ours: the command exits right after its last write, and the data still arrives whole
if rn_is_ours; then
	small="openssl enc -aes-128-ctr -nosalt -K 0f0e0d0c0b0a09080706050403020100 -iv 0 -in /dev/zero 2>/dev/null | head -c 67108864"
	want=$(sh -c "$small" | sha256sum | cut -d' ' -f1)
	for i in 1 2 3; do
		p=$(rn_free_port 1) || exit 1
		rm -f "$W/last"
		# the receiver stalls a moment, so data is still queued when the command exits
		rn_bg_server sh -c "socat -u TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr - | (sleep 1; tee '$W/last.data' | sha256sum | cut -d' ' -f1) >'$W/last.tmp' && mv '$W/last.tmp' '$W/last'"
		rn_wait_for 5 rn_listening "$p" || rn_fail "receiver did not start"
		rn_net sh -c "$small | socat -u - TCP:10.0.2.2:$p" || rn_fail "sending failed"
		rn_wait_for 10 test -s "$W/last" || rn_fail "the host did not get the end of the stream"
		rn_expect_eq "bytes sent just before the command exited (run $i)" \
			"$(wc -c <"$W/last.data")" 67108864
		rn_expect_eq "sha256 of 64 MiB sent just before the command exited (run $i)" \
			"$(cat "$W/last")" "$want"
	done
fi
exit 0
