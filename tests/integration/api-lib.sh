# tests/integration/api-lib.sh - the api-*.sh tests' clients and server harness (sourced after lib.sh)
#
#   api_ctls                 OURSCTL: our rootlessnetctl (it must be built); REFCTL: Debian's
#                            rootlessctl (or RN_ROOTLESSCTL)
#   api_user_ctl             $D/rootlessnetctl: a copy of OURSCTL the test user can run
#
# tests/harness/api-harness serves the API on DIR/api.sock as the daemon would (the routes,
# the port table, the JSON) with no namespace behind it, as root:
#   api_harness_init NAME    H: the harness (it must be built); D: a new directory
#                            /tmp/rn-NAME.XXXXXX, removed at exit with the harness killed;
#                            S: $D/api.sock
#   start_harness NET DRIVER serve on $S (HPID is the harness); wait until it answers
#   stop_harness             SIGTERM: it must exit 0 and remove the socket

# api_ctls: OURSCTL and REFCTL, both checked
api_ctls() {
	OURSCTL=${top_builddir:-.}/rootlessnet/rootlessnetctl
	REFCTL=${RN_ROOTLESSCTL:-/usr/bin/rootlessctl}
	[ -x "$OURSCTL" ] || rn_fail "$OURSCTL not built"
	[ -x "$REFCTL" ] || rn_fail "$REFCTL missing: apt-get install rootlesskit"
}

# api_user_ctl: the build dir may be closed to the test user: D opened, the client copied in
api_user_ctl() {
	chmod 0755 "$D"
	cp "$OURSCTL" "$D/rootlessnetctl"
	chmod 0755 "$D/rootlessnetctl"
}

# api_harness_init NAME: H, D, S and the EXIT trap (api_cleanup)
api_harness_init() {
	H=${top_builddir:-.}/tests/harness/api-harness
	[ -x "$H" ] || rn_fail "$H not built"
	D=$(mktemp -d "/tmp/rn-$1.XXXXXX")
	S=$D/api.sock
	HPID=
	trap 'api_cleanup' EXIT
}

# api_cleanup: kill the harness if it runs, remove D (a test that also calls rn_setup_user
# traps EXIT with 'api_cleanup; rn_cleanup')
api_cleanup() {
	[ -n "$HPID" ] && kill "$HPID" 2>/dev/null
	rm -rf "$D"
}

# start_harness NET PORT_DRIVER: serve on $S (NET: slirp4netns, slirp4netns-ipv6, none or
# host; PORT_DRIVER: builtin, slirp4netns or none), its stderr appended to $D/log
start_harness() {
	"$H" "$D" "$1" "$2" 2>>"$D/log" &
	HPID=$!
	# a stale socket may still be there: wait until the new server answers
	rn_wait_for 10 curl -s -o /dev/null --unix-socket "$S" http://rootlesskit/v1/info ||
		rn_fail "harness did not listen on $S: $(cat "$D/log")"
}

# stop_harness: SIGTERM must stop it cleanly and remove the socket
stop_harness() {
	[ -n "$HPID" ] || return 0
	kill -TERM "$HPID"
	wait "$HPID"
	_rc=$?
	HPID=
	[ "$_rc" = 0 ] || rn_fail "harness exited with $_rc: $(cat "$D/log")"
	[ ! -e "$S" ] || rn_fail "api.sock left behind after SIGTERM"
}
