#!/bin/sh
# dproxy.sh - rootlessnet-docker-proxy with Debian's real docker-proxy, through the builtin driver
#
# Runs the proxy inside the namespaces exactly as dockerd does (docker-proxy's flags, a report
# pipe on fd 3), against a "container" server on the namespace's loopback, and checks: the
# report, the host port reaching the container over IPv4 and IPv6, the port in the API, its
# removal on SIGINT, and docker-proxy run as itself when there is no port driver.
# RN_DOCKER_PROXY=/usr/bin/rootlesskit-docker-proxy runs the same test against rootlesskit's.
. "$top_srcdir/tests/integration/lib.sh"
rn_setup_user
PROXY=${RN_DOCKER_PROXY:-$top_builddir/rootlessnet/rootlessnet-docker-proxy}
[ -x /usr/sbin/docker-proxy ] || rn_fail "docker-proxy missing: apt-get install docker.io"
rn_need socat

base=$(rn_free_port 3) || exit 1
st=$RN_RUNTIME/state
w=$RN_RUNTIME/w
mkdir -p "$w" && chown "$RN_USER:" "$w"

# run_session DRIVER: the namespaces with a container server and two proxies (v4 and v6)
run_session() {
	rn_as_user "$ROOTLESSNET" --state-dir="$st" --net=slirp4netns --port-driver="$1" \
		sh -c '
		w=$1 proxy=$2 hp4=$3 hp6=$4 cp=$5
		socat TCP4-LISTEN:$cp,bind=127.0.0.1,fork,reuseaddr SYSTEM:"echo from-container" &
		PATH=/usr/sbin:$PATH
		export PATH
		"$proxy" -proto tcp -host-ip 0.0.0.0 -host-port $hp4 -container-ip 127.0.0.1 \
			-container-port $cp 3>"$w/report4" 2>"$w/err4" &
		echo $! >"$w/pid4"
		"$proxy" -proto tcp -host-ip :: -host-port $hp6 -container-ip 127.0.0.1 \
			-container-port $cp 3>"$w/report6" 2>"$w/err6" &
		echo $! >"$w/pid6"
		sleep 120' sh "$w" "$PROXY" "$base" "$((base + 1))" "$((base + 2))" \
		>"$w/session.log" 2>&1 &
}

api() { curl -s -m 5 --unix-socket "$st/api.sock" "http://x/v1/$1"; }
fetch() { socat -T 5 - "TCP:$1" </dev/null 2>/dev/null; }
report_ok() { [ "$(head -c 1 "$w/$1" 2>/dev/null)" = 0 ]; }

run_session builtin
rn_wait_for 30 report_ok report4 || { cat "$w"/*; rn_fail "v4 proxy did not report success"; }
rn_wait_for 30 report_ok report6 || { cat "$w"/*; rn_fail "v6 proxy did not report success"; }
rn_expect_eq "IPv4 through the proxy" "$(fetch "127.0.0.1:$base")" from-container
rn_expect_eq "IPv6 through the proxy" "$(fetch "[::1]:$((base + 1))")" from-container
ports=$(api ports)
echo "$ports" | jq -e --argjson p "$base" \
	'map(select(.spec.proto == "tcp4" and .spec.parentIP == "0.0.0.0" and .spec.parentPort == $p
		and .spec.childPort == $p)) | length == 1' >/dev/null ||
	rn_fail "v4 port not in the API as rootlesskit-docker-proxy publishes it: $ports"
echo "$ports" | jq -e --argjson p "$((base + 1))" \
	'map(select(.spec.proto == "tcp6" and .spec.parentIP == "::" and .spec.parentPort == $p))
		| length == 1' >/dev/null || rn_fail "v6 port not in the API: $ports"

# dockerd stops a proxy with SIGINT: its port goes away, the other stays
kill -INT "$(cat "$w/pid4")"
gone4() { api ports | jq -e --argjson p "$base" 'map(select(.spec.parentPort == $p)) | length == 0' >/dev/null; }
rn_wait_for 10 gone4 || rn_fail "port not removed after SIGINT: $(api ports)"
rn_expect_eq "IPv6 still served" "$(fetch "[::1]:$((base + 1))")" from-container
freed() { ! fetch "127.0.0.1:$base" | grep -q .; }
rn_wait_for 10 freed || rn_fail "host port $base still served after SIGINT"
kill -INT "$(cat "$w/pid6")"
empty() { [ "$(api ports)" = null ]; }
rn_wait_for 10 empty || rn_fail "ports left after both proxies stopped: $(api ports)"
rn_kill_test_procs
rn_wait_for 10 sh -c "! test -e '$st/api.sock'" || :

# no port driver (none; pasta's implicit): the proxy becomes the real docker-proxy with the
# same arguments, as rootlesskit-docker-proxy 2 and later do (Debian's 1.1.0 dereferences nil
# there and panics), and nothing is published through the API
case $PROXY in
*rootlessnet*) ;;
*) echo "dproxy: ok (no-driver case not checked for $PROXY)"; exit 0 ;;
esac
rm -f "$w"/report* "$w"/pid*
run_session none
rn_wait_for 30 report_ok report4 || { cat "$w"/*; rn_fail "no success report from docker-proxy without a port driver"; }
p4=$(cat "$w/pid4")
rn_expect_eq "without a port driver the proxy's process is docker-proxy" \
	"$(readlink "/proc/$p4/exe")" /usr/sbin/docker-proxy
tr '\0' ' ' <"/proc/$p4/cmdline" | grep -q -- "-host-port $base -container-ip 127.0.0.1" ||
	rn_fail "docker-proxy's arguments: $(tr '\0' ' ' <"/proc/$p4/cmdline")"
# it listens inside the namespace, on the host port: the container answers through it there
inside=$(rn_as_user nsenter --preserve-credentials -U -n -t "$(cat "$st/child_pid")" \
	socat -T 5 - "TCP:127.0.0.1:$base" </dev/null 2>&1)
rn_expect_eq "docker-proxy inside forwards to the container" "$inside" from-container
echo "dproxy: ok"
