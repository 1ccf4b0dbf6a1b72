#!/bin/sh
# net-dns.sh - DNS through 10.0.2.3 reaches the resolver that /etc/resolv.conf names, also
# from inside the sandbox. The resolver is our own responder on a loopback address, named by
# a resolv.conf bound over /etc/resolv.conf in a private mount namespace: the machine's
# real resolver is never queried.
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
rn_setup_user
[ -c /dev/net/tun ] || rn_skip "no /dev/net/tun"
[ -e /etc/resolv.conf ] || rn_skip "no /etc/resolv.conf to bind over"

rn_workdir dns
ns=127.$(($$ % 200 + 20)).$(($$ % 97 + 1)).53
echo "nameserver $ns" >"$W/resolv.conf"
chmod 0644 "$W/resolv.conf"

# everything below runs in a private mount namespace where /etc/resolv.conf names $ns
export W ns RN_USER RN_HOME RN_RUNTIME RN_TEST_ID
export RN_FN_NET="$ROOTLESSNET"
unshare -m sh -ec '
	mount --make-rprivate /
	mount --bind "$W/resolv.conf" /etc/resolv.conf
	grep -q "^nameserver $ns\$" /etc/resolv.conf
	"$top_builddir/tests/harness/dns-responder" "$ns" 53 127.1.2.3 40 >"$W/queries" &
	r=$!
	i=0
	while [ $i -lt 50 ] && ! ss -Hlnu "( sport = :53 )" | grep -q "$ns"; do sleep 0.1; i=$((i+1)); done
	for flags in "--slirp4netns-sandbox=true" "--slirp4netns-sandbox=false"; do
		echo "== $flags" >>"$W/out"
		runuser -u "$RN_USER" -- env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin HOME="$RN_HOME" \
			XDG_RUNTIME_DIR="$RN_RUNTIME" RN_TEST_ID="$RN_TEST_ID" timeout -k 5 30 "$RN_FN_NET" --net=slirp4netns $flags \
			busybox nslookup -type=a rn-test.example 10.0.2.3 >>"$W/out" 2>&1 || :
	done
	kill $r
' || rn_fail "the mount namespace set-up failed"
rn_log "$(cat "$W/out")"
n=$(grep -c 'Address: 127.1.2.3' "$W/out")
rn_expect_eq "answers from our responder (sandbox on, off)" "$n" 2
grep -q '^query rn-test.example 1$' "$W/queries" || rn_fail "the responder saw no query"
exit 0
