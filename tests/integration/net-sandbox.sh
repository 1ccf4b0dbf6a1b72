#!/bin/sh
# net-sandbox.sh - the network process under --slirp4netns-sandbox/--slirp4netns-seccomp:
# only CAP_NET_BIND_SERVICE, no_new_privs, a seccomp filter, an empty read-only root that
# keeps /etc/resolv.conf; and the network still works. (That a forbidden call kills it is
# tested in a forked copy by tests/unit/test_sysfilter.)
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
rn_setup_user
[ -c /dev/net/tun ] || rn_skip "no /dev/net/tun"

name=$(rn_netproc_name)
rn_workdir sandbox
tp=$(rn_free_port 1) || exit 1
rn_bg_server socat TCP-LISTEN:"$tp",bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo tcp-ok'
rn_wait_for 5 rn_listening "$tp" || rn_fail "TCP server did not start"

# test_proc NAME: this test's process called NAME (tests may run side by side as the user)
test_proc() {
	for _q in $(rn_test_pids); do
		[ "$(cat "/proc/$_q/comm" 2>/dev/null)" = "$1" ] && echo "$_q" && return 0
	done
	:
}
# netproc_pid: the network process of the run in the background
netproc_pid() {
	test_proc "$name"
}
# run_bg FLAGS: a run whose command reaches the host, then waits to be inspected
run_bg() {
	rm -f "$W/ok"
	RN_NET_FLAGS="$1" RN_NET_TIMEOUT=30 rn_net sh -c \
		"socat -T5 - TCP:10.0.2.2:$tp,connect-timeout=5 </dev/null >$W/ok; sleep 20" &
	bg=$!
	rn_wait_for 10 test -s "$W/ok" || rn_fail "no network with '$1'"
	rn_expect_eq "answer through 10.0.2.2 with '$1'" "$(cat "$W/ok")" tcp-ok
	rn_wait_for 5 test -n "$(netproc_pid)" || rn_fail "no $name process"
	pid=$(netproc_pid)
}
stop_bg() {
	kill "$(test_proc sleep)" 2>/dev/null || :
	wait "$bg" 2>/dev/null || :
	rn_wait_for 5 sh -c "! kill -0 $pid 2>/dev/null" ||
		rn_fail "$name did not exit after the command"
}
field() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }

run_bg "--slirp4netns-sandbox=true --slirp4netns-seccomp=true"
rn_expect_eq "CapEff" "$(field CapEff)" 0000000000000400
rn_expect_eq "CapPrm" "$(field CapPrm)" 0000000000000400
rn_expect_eq "CapAmb" "$(field CapAmb)" 0000000000000000
rn_expect_eq "NoNewPrivs" "$(field NoNewPrivs)" 1
rn_expect_eq "Seccomp (2 = filter)" "$(field Seccomp)" 2
# the root: no /usr, /home, /tmp of the host; /etc/resolv.conf readable; read-only
[ -e "/proc/$pid/root/usr" ] && rn_fail "the sandbox root has /usr"
[ -e "/proc/$pid/root/home" ] && rn_fail "the sandbox root has /home"
[ -e /etc/resolv.conf ] && { [ -r "/proc/$pid/root/etc/resolv.conf" ] ||
	rn_fail "the sandbox root lacks /etc/resolv.conf"; }
rootopts=$(awk '$5 == "/" { print $6 }' "/proc/$pid/mountinfo")
case "$rootopts" in ro,* | ro) ;; *) rn_fail "the sandbox root is not read-only: $rootopts" ;; esac
if rn_is_ours; then
	rn_expect_eq "CapBnd" "$(field CapBnd)" 0000000000000400
	rn_expect_eq "sandbox root entries" "$(ls -A "/proc/$pid/root/" | tr '\n' ' ')" "etc "
fi
stop_bg

# auto (what dockerd-rootless.sh passes) confines it where the kernel can, as here
run_bg "--slirp4netns-sandbox=auto --slirp4netns-seccomp=auto"
rn_expect_eq "CapEff with auto" "$(field CapEff)" 0000000000000400
rn_expect_eq "Seccomp with auto" "$(field Seccomp)" 2
[ -e "/proc/$pid/root/usr" ] && rn_fail "the auto sandbox root has /usr"
stop_bg

# both off (the default, as rootlesskit's): the host's root and no filter
run_bg ""
rn_expect_eq "Seccomp without the filter" "$(field Seccomp)" 0
[ -e "/proc/$pid/root/usr" ] || rn_fail "no host root without the sandbox"
stop_bg
exit 0
