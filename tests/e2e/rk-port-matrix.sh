#!/bin/sh
# tests/e2e/rk-port-matrix.sh - rootlesskit's port matrix: -p with tcp/tcp4/tcp6, v4/v6 parents and children, per port driver
#
# (rootlesskit hack/integration-port.sh, rewritten.) One instance per case, as the reference
# does: --net=slirp4netns --disable-host-loopback --copy-up=/etc, busybox httpd on port 80
# inside, curl from the host's loopback of one family.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

e2e_setup
_www=$E2E_TMP/www
mkdir -p "$_www" && echo rn-e2e-matrix >"$_www/index.html" && chmod -R a+rX "$_www"
_n=0

# pm DRIVER FAMILY(4|6) EXPECT(ok|fail) -p SPEC...: SPEC has PORT where the host port goes
pm() {
	_drv=$1 _fam=$2 _exp=$3
	shift 3
	_n=$((_n + 1))
	_port=$(rn_free_port 1) || exit 1
	_args=
	for _a in "$@"; do
		_args="$_args $(echo "$_a" | sed "s/PORT/$_port/")"
	done
	_st=$E2E_USERDIR/state.$_n
	# shellcheck disable=SC2086
	e2e_user "$ROOTLESSNET" --state-dir="$_st" --net=slirp4netns --disable-host-loopback \
		--copy-up=/etc --port-driver="$_drv" $_args \
		"$E2E_BUSYBOX" httpd -f -p 80 -h "$_www" >"$E2E_TMP/pm.$_n.log" 2>&1 &
	_bg=$!
	if ! rn_wait_for 20 test -s "$_st/child_pid"; then
		cat "$E2E_TMP/pm.$_n.log" >&2
		rn_fail "$_drv$_args: the instance did not start"
	fi
	e2e_listening_inside "$_st" 80 || rn_fail "$_drv$_args: httpd does not listen inside"
	if [ "$_fam" = 4 ]; then
		_url=http://127.0.0.1:$_port/
	else
		_url="http://[::1]:$_port/"
	fi
	if [ "$_exp" = ok ]; then
		e2e_http_expect "$_url" rn-e2e-matrix 5 || {
			cat "$E2E_TMP/pm.$_n.log" >&2
			rn_fail "--port-driver=$_drv$_args: $_url not served"
		}
	else
		e2e_http_refused "$_url" || rn_fail "--port-driver=$_drv$_args: $_url served, must not be"
	fi
	kill -TERM "$(cat "$_st/child_pid")"
	wait "$_bg"
	rn_log "--port-driver=$_drv$_args: $_url $_exp"
}

# builtin: "tcp" listens on both families
pm builtin 4 ok -p 0.0.0.0:PORT:80/tcp
pm builtin 6 ok -p 0.0.0.0:PORT:80/tcp
# "tcp4" is strictly IPv4, "tcp6" strictly IPv6
pm builtin 4 ok -p 0.0.0.0:PORT:80/tcp4
pm builtin 6 fail -p 0.0.0.0:PORT:80/tcp4
pm builtin 4 fail -p "[::]:PORT:80/tcp6"
pm builtin 6 ok -p "[::]:PORT:80/tcp6"
# child addresses of either family, from parents of either family
pm builtin 6 ok -p "[::]:PORT:[::1]:80/tcp6"
pm builtin 6 ok -p "[::]:PORT:[::1]:80/tcp"
pm builtin 6 ok -p "[::]:PORT:[127.0.0.1]:80/tcp6"
pm builtin 6 ok -p "[::]:PORT:[127.0.0.1]:80/tcp"
pm builtin 4 ok -p "0.0.0.0:PORT:[::1]:80/tcp4"
pm builtin 4 ok -p "0.0.0.0:PORT:[::1]:80/tcp"
# "tcp4" and "tcp6" on the same port do not conflict
pm builtin 4 ok -p 0.0.0.0:PORT:80/tcp4 -p "[::]:PORT:80/tcp6"
pm builtin 6 ok -p 0.0.0.0:PORT:80/tcp4 -p "[::]:PORT:80/tcp6"

# slirp4netns: IPv4 ("tcp" listens on IPv4), "tcp4" strictly IPv4
pm slirp4netns 4 ok -p 0.0.0.0:PORT:80/tcp
pm slirp4netns 6 fail -p 0.0.0.0:PORT:80/tcp4
rn_log "PASS"
