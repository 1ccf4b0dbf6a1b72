# tests/integration/net-lib.sh - helpers for the network tests (sourced after lib.sh)
#
# rn_net CMD...: run "$ROOTLESSNET --net=slirp4netns $RN_NET_FLAGS CMD..." as the test user,
# bounded by RN_NET_TIMEOUT seconds (default 60).
# rn_bg_server CMD...: start a loopback server in the background, killed at exit.

RN_NET_TIMEOUT=${RN_NET_TIMEOUT:-60}
RN_BG_PIDS=""

rn_net() {
	# shellcheck disable=SC2086
	rn_as_user timeout -k 5 "$RN_NET_TIMEOUT" "$ROOTLESSNET" --net=slirp4netns \
		${RN_NET_FLAGS:-} "$@"
}

rn_bg_server() {
	"$@" &
	RN_BG_PIDS="$RN_BG_PIDS $!"
}

rn_net_cleanup() {
	for _p in $RN_BG_PIDS; do
		kill "$_p" 2>/dev/null || :
	done
	RN_BG_PIDS=""
}
RN_CLEANUP_HOOK="rn_net_cleanup"

# rn_listening PORT [udp]: something listens on loopback PORT
rn_listening() {
	if [ "${2:-tcp}" = udp ]; then
		ss -Hlnu "( sport = :$1 )" | grep -q .
	else
		ss -Hlnt "( sport = :$1 )" | grep -q .
	fi
}

# the network process's name: ours, or slirp4netns under rootlesskit
rn_netproc_name() {
	if rn_is_ours; then echo rootlessnet-net; else echo slirp4netns; fi
}
