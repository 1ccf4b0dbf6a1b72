#!/bin/sh
# tests/e2e/docker28-api.sh - Docker 28.0.0/28.0.1's API conversation for `-p PORT:80`, replayed per port driver
#
# No dockerd: the instance runs busybox httpd on the host port inside the namespace (where
# docker-proxy would listen) and docker28-replay.py plays the daemon on api.sock, then judges
# what 28.0.0 and 28.0.1 would conclude from our answers (see its docstring). With
# --detach-netns (dockerd-rootless.sh's default since moby 28) the daemon runs in the host's
# network and its proxies in $ROOTLESSKIT_STATE_DIR/netns: httpd is started there.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

e2e_setup
_www=$E2E_TMP/www
mkdir -p "$_www"
echo "rn-e2e-api" >"$_www/index.html"
chmod -R a+rX "$_www"
_n=0

# replay PORT_DRIVER EXPECT_2800 NEED_V6 [FLAGS...]
replay() {
	_drv=$1 _exp=$2 _v6=$3
	shift 3
	_n=$((_n + 1))
	_st=$E2E_USERDIR/state.$_n
	_port=$(rn_free_port 1) || exit 1
	_log=$E2E_TMP/instance.$_n.log
	rn_log "=== --port-driver=$_drv $* (port $_port)"
	_into=exec
	case " $* " in *" --detach-netns "*) _into='exec nsenter -n"$ROOTLESSKIT_STATE_DIR/netns"' ;; esac
	e2e_user "$ROOTLESSNET" --state-dir="$_st" --net=slirp4netns --mtu=65520 \
		--disable-host-loopback --port-driver="$_drv" "$@" \
		sh -c "$_into"' "$@"' sh "$E2E_BUSYBOX" httpd -f -p "$_port" -h "$_www" >"$_log" 2>&1 &
	E2E_TOP=
	rn_wait_for 20 e2e_find_top || { cat "$_log" >&2; rn_fail "the instance did not start"; }
	if ! rn_wait_for 20 test -S "$_st/api.sock"; then
		cat "$_log" >&2
		rn_fail "no $_st/api.sock"
	fi
	e2e_listening_inside "$_st" "$_port" || rn_fail "httpd does not listen on $_port inside the namespace"
	_args="--sock $_st/api.sock --port $_port --body rn-e2e-api --expect-2800 $_exp"
	[ "$_v6" = yes ] && _args="$_args --need-v6"
	case " $* " in *" --ipv6 "*) _args="$_args --ipv6" ;; esac
	# Debian's rootlesskit (the reference) serves API 1.1.1; ours 1.1.2, as rootlesskit 3 does
	rn_is_ours || _args="$_args --api-version 1.1.1"
	# shellcheck disable=SC2086
	if ! "$E2E_PYTHON" "${top_srcdir:-.}/tests/e2e/docker28-replay.py" $_args; then
		echo "----- instance log" >&2
		cat "$_log" >&2
		rn_fail "the replay for --port-driver=$_drv $* found problems (above)"
	fi
	kill -TERM "$E2E_TOP"
	rn_wait_for 20 e2e_user_idle || rn_fail "the instance did not end on SIGTERM"
	E2E_TOP=
}

# builtin serves both families: both daemons must publish both
replay builtin ok yes
replay builtin ok yes --ipv6
# dockerd-rootless.sh's default, --detach-netns: the same answers, ports reach the namespace
# (Debian's rootlesskit, 1.1.0, has no --detach-netns)
if rn_is_ours || "$ROOTLESSNET" --help 2>&1 | grep -qw -- --detach-netns; then
	replay builtin ok yes --detach-netns
	replay builtin ok yes --ipv6 --detach-netns
	replay slirp4netns any no --detach-netns
fi
# slirp4netns: 28.0.1 must publish (at least IPv4); 28.0.0 fails with rootlesskit (the bug,
# fixed in the client), whatever it concludes the table must be clean afterwards
replay slirp4netns any no
replay slirp4netns any no --ipv6
rn_log "PASS"
