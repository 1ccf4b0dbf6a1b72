# tests/e2e/lib.sh - shared helpers for the end-to-end tests: real clients (rootless dockerd) (sourced, POSIX sh)
#
# Builds on tests/integration/lib.sh (user RN_USER with subordinate ids, rn_as_user, rn_skip,
# rn_wait_for). A test puts a `rootlesskit` link to $ROOTLESSNET first on PATH (with
# ROOTLESSNET=/usr/bin/rootlesskit that is a no-op that proves the harness), starts Debian's
# unmodified dockerd-rootless.sh as RN_USER and drives it with Debian's docker CLI.
# E2E_INSTALLED=1 (the packages installed, ROOTLESSNET=/usr/bin/rootlessnet): no link is made;
# the `rootlesskit` and `rootlesskit-docker-proxy` that the system PATH gives must be the binary
# under test and its docker proxy (the rootlessnet-rootlesskit package's links). Every wait
# is bounded; the EXIT trap kills the top process, then whatever this test started (rn_test_pids,
# plus the user namespaces of its daemons), and removes the temporary directories, pass or fail.

# shellcheck source=../integration/lib.sh
. "${top_srcdir:-.}/tests/integration/lib.sh"

E2E_DOCKER=${E2E_DOCKER:-/usr/bin/docker}
E2E_DOCKERD_ROOTLESS=${E2E_DOCKERD_ROOTLESS:-/usr/share/docker.io/contrib/dockerd-rootless.sh}
E2E_BUSYBOX=${E2E_BUSYBOX:-/bin/busybox}
E2E_PYTHON=${E2E_PYTHON:-/usr/bin/python3}
E2E_IMAGE=rn-e2e-busybox:latest
E2E_TOP=
E2E_RUNUSER=
E2E_NSTART=0
E2E_USERNS=

# e2e_need CMD...: fail (never skip: these are packages, not the kernel) when a tool is missing
e2e_need() {
	for _c in "$@"; do
		[ -x "$_c" ] || command -v "$_c" >/dev/null 2>&1 ||
			rn_fail "$_c missing: run tools/install-deps (docker.io, busybox-static, socat, python3)"
	done
}

# e2e_setup: user, temp dirs, the PATH directory holding the `rootlesskit` link; arms cleanup
e2e_setup() {
	e2e_need "$E2E_DOCKER" dockerd "$E2E_DOCKERD_ROOTLESS" "$E2E_BUSYBOX" "$E2E_PYTHON" \
		socat curl jq newuidmap
	case "$ROOTLESSNET" in
	/*) ;;
	*) ROOTLESSNET=$(command -v "$ROOTLESSNET") || rn_fail "ROOTLESSNET not found" ;;
	esac
	[ -x "$ROOTLESSNET" ] || rn_fail "ROOTLESSNET=$ROOTLESSNET is not executable (build it first)"
	rn_setup_user
	[ -c /dev/net/tun ] || rn_skip "no /dev/net/tun: the kernel gives no tap device for a rootless network"
	# sh runs the EXIT trap on exit only: turn the usual signals into an exit
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	RN_CLEANUP_HOOK='e2e_cleanup'
	E2E_TMP=$(mktemp -d /tmp/rn-e2e.XXXXXX) || rn_fail "mktemp"
	chmod 0755 "$E2E_TMP"
	E2E_BIN=$E2E_TMP/bin
	mkdir "$E2E_BIN"
	E2E_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	if [ "${E2E_INSTALLED:-0}" = 1 ]; then
		_rk=$(PATH=$E2E_PATH command -v rootlesskit) ||
			rn_fail "E2E_INSTALLED=1: no rootlesskit on PATH (install the packages)"
		[ "$(readlink -f "$_rk")" = "$(readlink -f "$ROOTLESSNET")" ] ||
			rn_fail "E2E_INSTALLED=1: $_rk is $(readlink -f "$_rk"), not $ROOTLESSNET"
		rn_log "E2E_INSTALLED=1: no PATH link; $_rk -> $(readlink -f "$_rk")"
	else
		ln -s "$ROOTLESSNET" "$E2E_BIN/rootlesskit"
		E2E_PATH="$E2E_BIN:$E2E_PATH"
	fi
	# a directory the test user owns, for state dirs and dockerd's data root
	E2E_USERDIR=$E2E_TMP/user
	mkdir "$E2E_USERDIR"
	chown "$RN_USER:" "$E2E_USERDIR"
	# our docker proxy, when built next to the binary (the drop-in package installs it as
	# rootlesskit-docker-proxy)
	E2E_OUR_DPROXY=$(dirname "$ROOTLESSNET")/rootlessnet-docker-proxy
	[ -x "$E2E_OUR_DPROXY" ] && rn_is_ours || E2E_OUR_DPROXY=
	rn_log "binary under test: $ROOTLESSNET ($("$ROOTLESSNET" --version 2>&1 | head -n 1))"
}

# e2e_cleanup: the EXIT hook: stop what we started, then kill what is left of it, bounded
e2e_cleanup() {
	[ -n "$E2E_TOP" ] && kill -TERM "$E2E_TOP" 2>/dev/null
	if [ -n "$E2E_TOP" ] && ! rn_wait_for 15 e2e_user_idle; then
		rn_log "cleanup: processes of this test left after SIGTERM, killing them"
	fi
	_i=0
	while [ $_i -lt 5 ] && ! e2e_user_idle; do
		# shellcheck disable=SC2046
		kill -KILL $(e2e_pids) 2>/dev/null
		sleep 0.2
		_i=$((_i + 1))
	done
	e2e_user_idle || rn_log "cleanup: processes of this test remain: $(e2e_pids)"
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		rn_log "E2E_KEEP=1: keeping $E2E_TMP"
	elif [ -n "${E2E_TMP:-}" ]; then
		rm -rf "$E2E_TMP"
	fi
	:
}

# e2e_pids: the processes of this test: those carrying its RN_TEST_ID (everything started
# through rn_as_user inherits it) and those in a user namespace it made (E2E_USERNS: containers
# get their own environment, but live in dockerd's user namespace), ascending
e2e_pids() {
	{
		# one pass each (this runs in polling loops): every environ, every user namespace link
		rn_test_pids
		if [ -n "$E2E_USERNS" ]; then
			stat -L -c '%i %n' /proc/[0-9]*/ns/user 2>/dev/null | while read -r _ep_i _ep_n; do
				case " $E2E_USERNS " in
				*" $_ep_i "*)
					_ep_p=${_ep_n#/proc/}
					echo "${_ep_p%/ns/user}"
					;;
				esac
			done
		fi
	} | sort -nu
}

# e2e_user_idle: true when no process of this test is left
e2e_user_idle() { [ -z "$(e2e_pids)" ]; }

# e2e_pid_of NAME: the lowest pid of this test's processes named NAME (comm); false if none
e2e_pid_of() {
	for _epo_p in $(e2e_pids); do
		if [ "$(cat "/proc/$_epo_p/comm" 2>/dev/null)" = "$1" ]; then
			echo "$_epo_p"
			return 0
		fi
	done
	return 1
}

# e2e_ps: show this test's processes (for failures)
e2e_ps() {
	# shellcheck disable=SC2046
	_eps=$(e2e_pids | tr '\n' ',' | sed 's/,$//')
	[ -n "$_eps" ] && ps -o pid,ppid,user,stat,args -p "$_eps" >&2
	:
}

# e2e_user CMD...: run CMD as the test user with our PATH (the `rootlesskit` link first)
e2e_user() { rn_as_user PATH="$E2E_PATH" "$@"; }

# e2e_port_bindable PORT [udp]: we can bind PORT ourselves on 0.0.0.0 and [::]: it is released
e2e_port_bindable() {
	"$E2E_PYTHON" - "$1" "${2:-tcp}" 2>/dev/null <<'EOF'
import socket, sys
p = int(sys.argv[1])
typ = socket.SOCK_DGRAM if sys.argv[2] == "udp" else socket.SOCK_STREAM
for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
    s = socket.socket(fam, typ)
    if typ == socket.SOCK_STREAM:
        # connections in TIME_WAIT do not hold the port; a listener does
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, p))
    if typ == socket.SOCK_STREAM:
        s.listen(1)
    s.close()
EOF
}

# e2e_listening_inside STATE_DIR PORT: within 10 s, something listens on TCP PORT in the network
# namespace of the instance on STATE_DIR (the command is up); with --detach-netns, the one
# bind-mounted on STATE_DIR/netns in the child's mount namespace
e2e_listening_inside() {
	_eli_cpid=$(cat "$1/child_pid") || return 1
	_eli_net="-t $_eli_cpid -n"
	[ -e "/proc/$_eli_cpid/root$1/netns" ] && _eli_net="--net=/proc/$_eli_cpid/root$1/netns"
	rn_wait_for 10 sh -c "nsenter $_eli_net ss -ltn 2>/dev/null | grep -q ':$2 '"
}

# e2e_http URL: print the body of URL (bounded); false when unreachable
e2e_http() { curl -fsS --max-time 5 --noproxy '*' "$1" 2>/dev/null; }

# e2e_http_expect URL WANT WAIT: URL serves WANT within WAIT seconds (a proxy may come up late)
e2e_http_expect() {
	_w=$3
	while [ "$_w" -gt 0 ]; do
		_got=$(e2e_http "$1") && [ "$_got" = "$2" ] && return 0
		sleep 1
		_w=$((_w - 1))
	done
	rn_log "$1: got '$(e2e_http "$1" || echo "(unreachable: $(curl -sS --max-time 5 --noproxy '*' "$1" 2>&1 | tail -n 1))")', want '$2'"
	return 1
}

# e2e_http_refused URL: URL is not served (connection refused or reset)
e2e_http_refused() { ! e2e_http "$1" >/dev/null; }

# e2e_udp_echo HOST PORT MSG: send one datagram, print the reply (bounded)
e2e_udp_echo() {
	"$E2E_PYTHON" - "$@" <<'EOF'
import socket, sys
host, port, msg = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.settimeout(1)
for _ in range(5):  # datagrams may be lost while the flow is set up
    s.sendto(msg, (host, port))
    try:
        print(s.recv(65536).decode(), end="")
        break
    except socket.timeout:
        continue
else:
    raise SystemExit("no UDP reply from %s:%d" % (host, port))
EOF
}

# e2e_image_tar DIR: make a root filesystem from busybox-static (httpd, sh) plus socat and its
# libraries (busybox nc has no UDP server), print the path of its tarball
e2e_image_tar() {
	_root=$E2E_TMP/rootfs
	rm -rf "$_root"
	mkdir -p "$_root/bin" "$_root/www" "$_root/tmp" "$_root/etc" "$_root/proc" "$_root/sys" \
		"$_root/dev"
	cp "$E2E_BUSYBOX" "$_root/bin/busybox"
	for _a in sh httpd cat sleep echo ls true; do
		ln -s busybox "$_root/bin/$_a"
	done
	_socat=$(command -v socat)
	cp "$_socat" "$_root/bin/socat"
	# the dynamic loader and libraries socat needs, at the paths it looks for them
	ldd "$_socat" | awk '/=> \// { print $3 } /^\t\// { print $1 }' | while read -r _lib; do
		mkdir -p "$_root$(dirname "$_lib")"
		cp -L "$_lib" "$_root$_lib"
	done
	echo "rn-e2e" >"$_root/www/index.html"
	echo "root:x:0:0:root:/:/bin/sh" >"$_root/etc/passwd"
	echo "root:x:0:" >"$_root/etc/group"
	tar -C "$_root" -cf "$E2E_TMP/rootfs.tar" . || rn_fail "tar the image"
	chmod 0644 "$E2E_TMP/rootfs.tar"
	echo "$E2E_TMP/rootfs.tar"
}

# e2e_docker ARGS...: Debian's docker CLI as the test user, talking to the rootless daemon
e2e_docker() {
	rn_as_user DOCKER_HOST="unix://$RN_RUNTIME/docker.sock" "$E2E_DOCKER" "$@"
}

# e2e_docker_ready: the daemon answers
e2e_docker_ready() { e2e_docker info >/dev/null 2>&1; }

# e2e_docker_ready_or_gone: the daemon answers, or the top process is gone (no use waiting)
e2e_docker_ready_or_gone() { ! kill -0 "$E2E_TOP" 2>/dev/null || e2e_docker_ready; }

# e2e_is_bin PID: PID runs the binary under test
e2e_is_bin() { [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$(readlink -f "$ROOTLESSNET")" ]; }

# e2e_find_top: set E2E_TOP to the top process of the test user running the binary under test
# (what dockerd-rootless.sh exec'd; its children may run the same binary)
e2e_find_top() {
	for _eft_p in $(e2e_pids); do
		e2e_is_bin "$_eft_p" || continue
		_eft_pp=$(awk '{ print $4 }' "/proc/$_eft_p/stat" 2>/dev/null) || continue
		e2e_is_bin "$_eft_pp" && continue
		E2E_TOP=$_eft_p
		return 0
	done
	return 1
}

# e2e_find_top_or_gone: e2e_find_top succeeded, or what e2e_dockerd_start started has ended
e2e_find_top_or_gone() { e2e_find_top || ! kill -0 "$E2E_RUNUSER" 2>/dev/null; }

# e2e_dockerd_log: show the end of the current daemon's log (for failures)
e2e_dockerd_log() {
	[ -n "${E2E_LOG:-}" ] && [ -f "$E2E_LOG" ] || return 0
	echo "----- last lines of $E2E_LOG" >&2
	tail -n "${1:-40}" "$E2E_LOG" >&2
	echo "-----" >&2
}

# e2e_fail MSG: fail with the daemon's log
e2e_fail() {
	e2e_dockerd_log 60
	rn_fail "$*"
}

# e2e_dockerd_start PORT_DRIVER [ROOTLESSKIT_FLAGS]: start the unmodified dockerd-rootless.sh as
# the test user (data root in the temp dir, reused across starts); wait until docker answers
e2e_dockerd_start() {
	E2E_NSTART=$((E2E_NSTART + 1))
	E2E_LOG=$E2E_TMP/dockerd.$E2E_NSTART.log
	E2E_DATA=$E2E_USERDIR/docker-data
	# dockerd 20.10 finds rootlesskit-docker-proxy on PATH: ours (E2E_DOCKER_PROXY=ours, the
	# default when built) or Debian's (E2E_DOCKER_PROXY=debian)
	rm -f "$E2E_BIN/rootlesskit-docker-proxy"
	E2E_DPROXY=$(PATH=$E2E_PATH command -v rootlesskit-docker-proxy)
	if [ "${E2E_INSTALLED:-0}" = 1 ]; then
		# the package's link: ours, whichever E2E_DOCKER_PROXY asks for
		[ -n "$E2E_OUR_DPROXY" ] &&
			[ "$(readlink -f "$E2E_DPROXY")" = "$(readlink -f "$E2E_OUR_DPROXY")" ] ||
			rn_fail "E2E_INSTALLED=1: rootlesskit-docker-proxy on PATH ('$E2E_DPROXY') is not $E2E_OUR_DPROXY"
	elif [ -n "$E2E_OUR_DPROXY" ] && [ "${E2E_DOCKER_PROXY:-ours}" = ours ]; then
		ln -s "$E2E_OUR_DPROXY" "$E2E_BIN/rootlesskit-docker-proxy"
		E2E_DPROXY=$E2E_OUR_DPROXY
	fi
	[ -n "$E2E_DPROXY" ] || rn_fail "no rootlesskit-docker-proxy (rootlesskit package)"
	rn_log "start dockerd-rootless.sh: port driver $1${2:+, flags $2}; docker proxy $E2E_DPROXY"
	e2e_user DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER="$1" \
		DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS="${2:-}" \
		"$E2E_DOCKERD_ROOTLESS" --data-root="$E2E_DATA" >"$E2E_LOG" 2>&1 &
	E2E_RUNUSER=$!
	E2E_TOP=
	rn_wait_for 20 e2e_find_top_or_gone
	[ -n "$E2E_TOP" ] || e2e_fail "the rootlesskit process ($ROOTLESSNET) did not appear (or exited at once)"
	if ! rn_wait_for 90 e2e_docker_ready_or_gone; then
		e2e_docker info >&2 || :
		e2e_fail "dockerd did not answer within 90 s"
	fi
	kill -0 "$E2E_TOP" 2>/dev/null || e2e_fail "the top process ($ROOTLESSNET) exited"
	# containers run in dockerd's user namespace with an environment of their own: count
	# what runs in that namespace as ours too
	_dpid=$(e2e_pid_of dockerd) || e2e_fail "no dockerd process"
	E2E_USERNS="$E2E_USERNS $(stat -L -c %i "/proc/$_dpid/ns/user")"
	rn_log "dockerd is up (top process $E2E_TOP)"
}

# e2e_dockerd_stop: SIGTERM to the top process (what systemd sends); everything of the test
# user must end within a bounded time
e2e_dockerd_stop() {
	[ -n "$E2E_TOP" ] || rn_fail "e2e_dockerd_stop: nothing started"
	kill -TERM "$E2E_TOP" || rn_fail "SIGTERM $E2E_TOP"
	if ! rn_wait_for 45 e2e_user_idle; then
		e2e_ps
		e2e_fail "processes of this test remain 45 s after SIGTERM to the top process"
	fi
	wait "$E2E_RUNUSER" 2>/dev/null
	_code=$?
	# dockerd exits 0 on SIGTERM; so must the top process (systemd counts anything else as a
	# failed stop)
	[ "$_code" = 0 ] || e2e_fail "exit status $_code after SIGTERM, want dockerd's 0"
	rn_log "stopped: exit status 0, no process of this test left"
	E2E_TOP=
	E2E_RUNUSER=
}

# e2e_image_import: docker import the busybox image (nothing can be pulled)
e2e_image_import() {
	_tar=$(e2e_image_tar)
	rn_as_user DOCKER_HOST="unix://$RN_RUNTIME/docker.sock" "$E2E_DOCKER" import \
		--change 'CMD ["/bin/sh"]' - "$E2E_IMAGE" <"$_tar" >/dev/null ||
		e2e_fail "docker import"
}

# e2e_api_sock: the API socket of the running instance (from the child's environment)
e2e_state_dir() {
	_pid=$(e2e_pid_of dockerd) || return 1
	tr '\0' '\n' <"/proc/$_pid/environ" | sed -n 's/^ROOTLESSKIT_STATE_DIR=//p'
}

# e2e_api METHOD PATH [BODY]: one request to the instance's api.sock the way Go's client sends
# it (Host: rootlesskit); prints the body, then the status code on a last line of its own
e2e_api() {
	_sock=$E2E_API_SOCK
	if [ -n "${3:-}" ]; then
		curl -sS --max-time 10 --unix-socket "$_sock" -X "$1" -H 'Content-Type: application/json' \
			--data-binary "$3" -w '\n%{http_code}\n' "http://rootlesskit$2"
	else
		curl -sS --max-time 10 --unix-socket "$_sock" -X "$1" -w '\n%{http_code}\n' \
			"http://rootlesskit$2"
	fi
}

# e2e_running NAME: the container is running
e2e_running() { [ "$(e2e_docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }

# e2e_docker_run NAME ARGS...: docker run -d a container of our image; it must be running
e2e_docker_run() {
	_name=$1
	shift
	e2e_docker run -d --name "$_name" --stop-timeout 2 "$@" >/dev/null ||
		e2e_fail "docker run $_name $* failed"
	rn_wait_for 10 e2e_running "$_name" || e2e_fail "container $_name is not running"
}

# e2e_docker_ports V6 UDP: the published-port checks on a running daemon. V6=yes: -p PORT:80
# must also be reachable on [::1]; V6=no: only 127.0.0.1 is required (the container must still
# start). UDP=yes: a datagram to 127.0.0.1 must get its echo back; UDP=no: the container must
# start, the echo is only logged (libslirp 4.7 drops UDP replies to loopback clients under
# --disable-host-loopback, which dockerd-rootless.sh always passes: the slirp4netns driver)
e2e_docker_ports() {
	_p1=$(rn_free_port 3) || exit 1
	_p2=$((_p1 + 1))
	_p3=$((_p1 + 2))
	rn_log "ports: web $_p1, loopback-only $_p2, udp $_p3; [::1] required: $1"

	e2e_docker_run web -p "$_p1:80" "$E2E_IMAGE" httpd -f -p 80 -h /www
	e2e_dproxy_used || e2e_fail "no process of $E2E_DPROXY runs for -p $_p1:80"
	e2e_http_expect "http://127.0.0.1:$_p1/" rn-e2e 10 || e2e_fail "-p $_p1:80 not served on 127.0.0.1"
	if [ "$1" = yes ]; then
		e2e_http_expect "http://[::1]:$_p1/" rn-e2e 10 || e2e_fail "-p $_p1:80 not served on [::1]"
	else
		e2e_http "http://[::1]:$_p1/" >/dev/null && _v6=served || _v6="not served"
		rn_log "-p $_p1:80 on [::1]: $_v6 (not required here)"
	fi

	e2e_docker_run local -p "127.0.0.1:$_p2:80" "$E2E_IMAGE" httpd -f -p 80 -h /www
	e2e_http_expect "http://127.0.0.1:$_p2/" rn-e2e 10 ||
		e2e_fail "-p 127.0.0.1:$_p2:80 not served on 127.0.0.1"
	e2e_http_refused "http://[::1]:$_p2/" || e2e_fail "-p 127.0.0.1:$_p2:80 is served on [::1] too"

	e2e_docker_run udp -p "$_p3:53/udp" "$E2E_IMAGE" socat -v UDP-RECVFROM:53,fork PIPE
	_got=
	_tries="1 2 3 4 5"
	[ "$2" = yes ] || _tries=1
	for _i in $_tries; do
		_got=$(e2e_udp_echo 127.0.0.1 "$_p3" "rn-e2e-udp" 2>&1) && break
		sleep 1
	done
	if [ "$2" = yes ]; then
		rn_expect_eq "UDP echo through -p $_p3:53/udp" "$_got" rn-e2e-udp
	else
		rn_log "UDP echo through -p $_p3:53/udp: '$_got' (not required here)"
	fi
	# either way the datagrams must have reached the container (socat -v logs what it got)
	e2e_docker logs udp 2>&1 | grep -q rn-e2e-udp ||
		e2e_fail "no datagram sent to 127.0.0.1:$_p3 reached the container"

	# stop and start: the mapping goes away and comes back
	e2e_docker stop web >/dev/null || e2e_fail "docker stop web"
	rn_wait_for 10 e2e_http_refused "http://127.0.0.1:$_p1/" || e2e_fail "stopped container still served"
	e2e_docker start web >/dev/null || e2e_fail "docker start web"
	e2e_http_expect "http://127.0.0.1:$_p1/" rn-e2e 10 || e2e_fail "-p $_p1:80 not served after docker start"
	if [ "$1" = yes ]; then
		e2e_http_expect "http://[::1]:$_p1/" rn-e2e 10 ||
			e2e_fail "-p $_p1:80 not served on [::1] after docker start"
	fi

	# removal releases the host ports: bind them ourselves
	e2e_docker rm -f web local udp >/dev/null || e2e_fail "docker rm -f"
	rn_wait_for 10 e2e_port_bindable "$_p1" || e2e_fail "port $_p1 still bound after docker rm"
	rn_wait_for 10 e2e_port_bindable "$_p2" || e2e_fail "port $_p2 still bound after docker rm"
	rn_wait_for 10 e2e_port_bindable "$_p3" udp || e2e_fail "udp port $_p3 still bound after docker rm"
	rn_log "ports: all checks passed"
}

# e2e_slirp_udp_loopback: "yes" when UDP replies to loopback clients through libslirp are
# required (E2E_SLIRP_UDP_LOOPBACK=1: ours, built with patches/libslirp/0001), else "no"
e2e_slirp_udp_loopback() {
	if [ "${E2E_SLIRP_UDP_LOOPBACK:-0}" = 1 ] && rn_is_ours; then
		echo yes
	else
		echo no
	fi
}

# e2e_dproxy_used: a process of this test runs the selected docker proxy
e2e_dproxy_used() {
	_edu_want=$(readlink -f "$E2E_DPROXY")
	for _edu_p in $(e2e_pids); do
		[ "$(readlink "/proc/$_edu_p/exe" 2>/dev/null)" = "$_edu_want" ] && return 0
	done
	return 1
}

# e2e_docker_info_rootless: docker info reports the rootless security option
e2e_docker_info_rootless() {
	_so=$(e2e_docker info --format '{{json .SecurityOptions}}') || e2e_fail "docker info"
	case "$_so" in
	*name=rootless*) rn_log "docker info: security options $_so" ;;
	*) e2e_fail "docker info shows no rootless security option: $_so" ;;
	esac
}
