#!/bin/sh
# fault-cli.sh - bad command lines: each ends with exit status 1 and a message on stderr that
# names the problem; never a signal (status > 128), a hang, or exit 0.
#
# Every case runs; the failures are listed together at the end. The message is checked for
# ours only (rootlesskit words its own); where rootlesskit accepts what we refuse, the case
# is ours only (the README's "refused, never ignored").
set -u
. "$top_srcdir/tests/integration/lib.sh"
rn_setup_user
rn_workdir fcli
NFAIL=0
NCASE=0

# has_all FILE WANT: FILE holds every part of WANT (fixed strings separated by "*")
has_all() {
	_rest=$2
	while :; do
		grep -qF -- "${_rest%%\**}" "$1" || return 1
		case $_rest in *"*"*) _rest=${_rest#*\*} ;; *) return 0 ;; esac
	done
}
# bad WANT ARGS...: run rootlessnet ARGS as the user (stdin /dev/null, 20 s at most); it must
# exit 1 with a message naming the problem (WANT: fixed strings separated by "*"; ours only)
bad() {
	_want=$1
	shift
	NCASE=$((NCASE + 1))
	rn_as_user timeout -k 5 20 "$ROOTLESSNET" "$@" </dev/null >"$W/out" 2>"$W/err"
	_rc=$?
	_what="case $NCASE ($(printf '%s ' "$@" | cut -c1-80 | tr -c '[:print:]' '?'))"
	_why=
	if [ "$_rc" = 0 ]; then
		_why="accepted (exit 0)"
	elif [ "$_rc" = 124 ] || [ "$_rc" = 137 ]; then
		_why="hung (killed after 20 s)"
	elif [ "$_rc" -gt 128 ]; then
		_why="killed by signal $((_rc - 128))"
	elif ! [ -s "$W/err" ]; then
		_why="exit $_rc without a message"
	elif rn_is_ours && [ "$_rc" != 1 ]; then
		_why="exit $_rc, want 1"
	elif rn_is_ours && ! has_all "$W/err" "$_want"; then
		_why="message lacks '$_want': $(head -c 600 "$W/err" | tr -c '[:print:]\n' '?')"
	fi
	if [ -n "$_why" ]; then
		echo "FAIL: $_what: $_why" >&2
		NFAIL=$((NFAIL + 1))
	fi
	# a failed start leaves nothing running
	rn_kill_test_procs
}
# ours CASE...: a case for ours only: rootlesskit 1.1.0 accepts it with a warning
# (--propagation=bogus) or hangs (a --state-dir too long for api.sock)
ours() { if rn_is_ours; then bad "$@"; fi; }

lng() { head -c "$1" /dev/zero | tr '\0' "$2"; }
L100K=$(lng 100000 1)
SLIRP="--net=slirp4netns --state-dir=$W/sd"
B="$SLIRP --port-driver=builtin"

# --- flags that do not exist, values that are missing, bad flag syntax ---
bad "flag provided but not defined: -no-such-flag" --no-such-flag true
bad "flag provided but not defined" "--$(printf '\377\376')" true
bad "flag needs an argument: --mtu" --mtu
bad "flag needs an argument: --publish" --net=slirp4netns --port-driver=builtin -p
bad "bad flag syntax" --- true
bad "bad flag syntax" -= true
bad "invalid boolean value \"yes\" for flag --pidns" --pidns=yes true

# --- no command ---
bad "no command specified"
bad "no command specified" --
bad "no command specified" --debug --net=host --
bad "the command is an empty string" ''
bad "the command is an empty string" -- ''

# --- bad numbers ---
bad "for flag --mtu: not a number" --mtu=abc true
bad "for flag --mtu: not a number" --mtu= true
bad "for flag --mtu: not a number" "--mtu= 1500" true
bad "for flag --mtu: not a number" "--mtu=1500 " true
bad "for flag --mtu: out of range" --mtu=99999999999999999999 true
bad "--mtu must be between 0 and 65521" --mtu=-1 true
bad "--mtu must be between 0 and 65521" $SLIRP --mtu=65522 true
bad "for flag --mtu: out of range" "--mtu=$L100K" true

# --- bad --cidr ---
bad "--cidr=abc: not an IPv4 network" $SLIRP --cidr=abc true
bad "--cidr=10.0.2.0/33: not an IPv4 network" $SLIRP --cidr=10.0.2.0/33 true
bad "--cidr=10.0.2.0: not an IPv4 network" $SLIRP --cidr=10.0.2.0 true
bad "--cidr=::1/64: not an IPv4 network" $SLIRP --cidr=::1/64 true
bad "not a host address like" $SLIRP --cidr=10.0.2.100/24 true
bad "--cidr=224.0.0.0/24: a multicast network" $SLIRP --cidr=224.0.0.0/24 true
bad "not an IPv4 network" $SLIRP "--cidr=10.0.2.0/$L100K" true

# --- bad -p, of many shapes ---
bad "want [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT" $B -p 80 true
bad "want [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT" $B -p 1:2:3:4:5 true
bad "want [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT" $B -p '[::1:8080:80' true
bad "want [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT" $B -p '[::1]8080:80' true
bad "want [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT" $B -p , true
bad "unknown proto \"sctp\"" $B -p 8080:80/sctp true
bad "proto is missing" $B -p 8080:80/ true
bad "parentPort 0 is outside 1..65535" $B -p 0:80 true
bad "childPort 70000 is outside 1..65535" $B -p 127.0.0.1:8080:70000/tcp true
bad "(port ranges are not supported)" $B -p 8080-8081:80/tcp true
bad "parentIP \"a b\" is not an IP address" $B -p 'a b:8080:80/tcp' true
bad "parentIP \"999.0.0.1\" is not an IP address" $B -p 999.0.0.1:8080:80/tcp true
bad "childPort \"80*\" is not a number" $B -p "127.0.0.1:8080:80$(printf '\001')/tcp" true
bad "unknown proto \"tcp%\"" $B -p 127.0.0.1:8080:80/tcp% true
bad "is not a number" $B -p "127.0.0.1:$(printf '\377\376'):80/tcp" true
# very long ones: the reason still shows, after the value
bad "want [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT" $B -p "$L100K" true
bad "is outside 1..65535" $B -p "127.0.0.1:$L100K:80/tcp" true
bad "is not an IP address" $B -p "$(lng 5000 a):8080:80/tcp" true
bad "want one of tcp, tcp4, tcp6, udp, udp4, udp6" $B -p "127.0.0.1:8080:80/$(lng 100000 x)" true

# --- combinations rootlesskit refuses ---
bad "--port-driver=slirp4netns needs --net=slirp4netns" --port-driver=slirp4netns true
bad "--publish needs a port driver" --net=host -p 8080:80 true
bad "--evacuate-cgroup2 needs --cgroupns" --evacuate-cgroup2=x --pidns true
bad "--evacuate-cgroup2 needs --pidns" --evacuate-cgroup2=x --cgroupns true
# repeated, conflicting flags: the last one counts
bad "--port-driver=slirp4netns needs --net=slirp4netns" \
	--net=slirp4netns --port-driver=slirp4netns --net=host true
bad "--publish needs a port driver" --net=slirp4netns --port-driver=builtin \
	--port-driver=none -p 8080:80 true

# --- rootlesskit 3's drivers we do not provide (rootlesskit 3 accepts them): refused with what
# to use instead, for the launchers too (their variables) ---
ours "--net=gvisor-tap-vsock: this network driver is not provided*use --net=slirp4netns*DOCKERD_ROOTLESS_ROOTLESSKIT_NET=slirp4netns" \
	--net=gvisor-tap-vsock --port-driver=gvisor-tap-vsock true
ours "--net=gvisor-tap-vsock*CONTAINERD_ROOTLESS_ROOTLESSKIT_NET=slirp4netns" \
	--net=gvisor-tap-vsock true
ours "--port-driver=gvisor-tap-vsock: this port driver is not provided*use --port-driver=builtin*DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=builtin" \
	$SLIRP --port-driver=gvisor-tap-vsock true
ours "--port-driver=pesto: this port driver is not provided*or --port-driver=builtin*DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=builtin" \
	$SLIRP --port-driver=pesto true
ours "--port-driver=pesto: this port driver is not provided" --net=none --port-driver=pesto true
# pesto with pasta (dockerd-rootless.sh's _PORT_DRIVER=pesto): the passt version it needs
ours "--port-driver=pesto*needs passt 2026_05_07 or later*use --port-driver=implicit with --net=pasta" \
	--state-dir="$W/sd" --net=pasta --mtu=65520 --disable-host-loopback --port-driver=pesto \
	--copy-up=/etc --copy-up=/run --propagation=rslave --detach-netns true

# --- --net=pasta: the port drivers rootlesskit 3 allows with it (none, implicit), and back ---
bad "--net=pasta needs --port-driver=none or --port-driver=implicit" \
	--net=pasta --port-driver=builtin true
bad "--net=pasta needs --port-driver=none or --port-driver=implicit" \
	--net=pasta --port-driver=slirp4netns true
bad "--port-driver=implicit needs --net=pasta" $SLIRP --port-driver=implicit true
bad "--port-driver=implicit needs --net=pasta" --port-driver=implicit true
bad "--net=none needs --port-driver=none or --port-driver=builtin" \
	--net=none --port-driver=implicit true
ours "--mtu=65521 is out of range for --net=pasta: use 68 to 65520" --net=pasta --mtu=65521 true
ours "--mtu=1279 is too small for --ipv6" --net=pasta --ipv6 --mtu=1279 true
# a pasta that cannot run: the start fails with what to install, and nothing is left
ours "--version\" exited with status 127: make sure pasta is installed*--pasta-binary" \
	--state-dir="$W/sd" --net=pasta --port-driver=implicit --pasta-binary=/nonexistent/pasta true

# --- paths ---
bad "--copy-up=relative: give an absolute path" --copy-up=relative true
bad "--copy-up=: give an absolute path" --copy-up= true
bad "--copy-up=/ccc*too long" --copy-up="/$(lng 5000 c)" true
bad "--state-dir=*too long" --state-dir="$W/$(lng 10000 s)" true
ours "--state-dir=*too long" --state-dir="$W/$(lng 200 s)" true

# --- names and words ---
ours "--propagation=bogus: use rprivate" --propagation=bogus true
bad "--subid-source=bogus" --subid-source=bogus true
bad "--reaper=bogus: use auto, true or false" --reaper=bogus true
bad "--copy-up-mode=bogus: the only mode is tmpfs+symlink" --copy-up-mode=bogus true
bad "unknown network driver" --net="$(printf '\377')" true
bad "unknown network driver" --net="$(lng 10000 n)" true
bad "--evacuate-cgroup2=eee*too long" --evacuate-cgroup2="$(lng 300 e)" --pidns --cgroupns true
bad "--ifname=a b: not a valid interface name" $SLIRP --ifname='a b' true
bad "--ifname=a:b: not a valid interface name" $SLIRP --ifname=a:b true
bad "--ifname=..: not a valid interface name" $SLIRP --ifname=.. true
bad "--ifname=lo: the namespace's loopback" $SLIRP --ifname=lo true

# --- start-up failures after the namespaces exist: the reason with its context, logged once ---
# once WANT ARGS...: as bad, and stderr holds exactly one "error:" line (ours only)
once() {
	bad "$@"
	if rn_is_ours && [ "$(grep -c 'error:' "$W/err")" != 1 ]; then
		echo "FAIL: case $NCASE: want one error line, got: $(head -c 600 "$W/err")" >&2
		NFAIL=$((NFAIL + 1))
	fi
}
P=$(rn_free_port 1) || exit 1
python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
print("up", flush=True)
time.sleep(120)' "$P" >"$W/holder" &
HOLDER=$!
rn_wait_for 20 grep -q up "$W/holder" || rn_fail "no listener on 127.0.0.1:$P"
once "cannot publish -p 127.0.0.1:$P:80/tcp: cannot listen on tcp 127.0.0.1:$P: address already in use" \
	$B -p "127.0.0.1:$P:80/tcp" true
once "cannot publish -p 127.0.0.1:$P:80/tcp: cannot listen on tcp 127.0.0.1:$P: address already in use" \
	$SLIRP --port-driver=slirp4netns -p "127.0.0.1:$P:80/tcp" true
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
# two -p that collide (ours: rootlesskit's rule compares only proto, address text and port):
# the message names the new request's listener, then the one of the port it collides with
if rn_is_ours; then
	once "cannot publish -p 0.0.0.0:$P:80/tcp: conflict with ID 1: [::]:$P would collide with its listener tcp 0.0.0.0:$P -> 127.0.0.1:80" \
		$B -p "0.0.0.0:$P:80/tcp4" -p "0.0.0.0:$P:80/tcp" true
fi

rn_log "$NCASE bad command lines, $NFAIL misbehaved"
[ "$NFAIL" = 0 ] || rn_fail "$NFAIL of $NCASE bad command lines misbehaved (listed above)"
echo "fault-cli: ok"
