#!/bin/sh
# proc-cli.sh - the rootlesskit command line: syntax, --help, --version, validation, refusals
. "${top_srcdir:-.}/tests/integration/lib.sh"
rn_setup_user


# the command runs, with its arguments untouched
out=$(rn sh -c 'echo "$0 $1"' zero one) || rn_fail "a plain run failed"
rn_expect_eq "arguments" "$out" "zero one"

# flags end at the first positional argument, and at "--"
out=$(rn echo --pidns -p 1:2) || rn_fail "flags after the command"
rn_expect_eq "flags after the command" "$out" "--pidns -p 1:2"
out=$(rn --net=host -- echo --debug) || rn_fail "-- terminator"
rn_expect_eq "after --" "$out" "--debug"

# value syntax: --flag=value, --flag value, -flag, booleans with =true|false
out=$(rn --net host --propagation=rslave -pidns=false --utsns=true sh -c 'hostname x && hostname') ||
	rn_fail "flag value syntax"
rn_expect_eq "hostname in --utsns=true" "$out" "x"
[ "$(hostname)" != x ] || rn_fail "--utsns=true changed the host's hostname"
# a boolean does not take the next argument: "true" is the command here
rn --pidns true || rn_fail "--pidns true: \"true\" must be the command"

# --help lists every flag (nerdctl greps it for --detach-netns)
help=$(rn --help) || rn_fail "--help failed"
for f in debug state-dir net mtu cidr ifname disable-host-loopback ipv6 detach-netns \
	slirp4netns-binary slirp4netns-sandbox slirp4netns-seccomp port-driver publish copy-up \
	copy-up-mode propagation pidns cgroupns utsns ipcns reaper evacuate-cgroup2 subid-source \
	print-semver version help; do
	case $f in detach-netns | print-semver)
		# rootlesskit before 2.0 lacks these
		rn_is_ours || echo "$help" | grep -q -- "--$f" || continue ;;
	esac
	echo "$help" | grep -q -- "--$f" || rn_fail "--help does not list --$f"
done

# --version; --print-semver gives integers
rn --version | grep -q "version" || rn_fail "--version"
if echo "$help" | grep -q -- --print-semver; then
	maj=$(rn --print-semver=major) || rn_fail "--print-semver=major"
	case $maj in '' | *[!0-9]*) rn_fail "--print-semver=major printed '$maj'" ;; esac
	if rn --print-semver=micro >/dev/null 2>&1; then rn_fail "--print-semver=micro accepted"; fi
fi
if rn_is_ours; then
	rn --version | grep -q rootlessnet || rn_fail "--version does not name rootlessnet"
	rn_expect_eq "--print-semver=major" "$maj" 3
	rn_expect_eq "--version" "$(rn --version)" \
		"rootlessnet version $(rn --version | sed -n 's/^rootlessnet version \([^ ]*\) .*/\1/p') (rootlesskit $maj.$(rn --print-semver=minor).$(rn --print-semver=patch) compatible)"
fi

# errors: exit status 1, the message names the problem
expect_fail() {
	want=$1
	shift
	if err=$(rn "$@" 2>&1); then rn_fail "accepted: $*"; fi
	if rn_is_ours && ! echo "$err" | grep -qF -- "$want"; then
		rn_fail "$*: message '$err' lacks '$want'"
	fi
	:
}
expect_fail "no command specified"
expect_fail "flag provided but not defined" --no-such-flag true
expect_fail "--evacuate-cgroup2 needs --cgroupns" --evacuate-cgroup2=x --pidns true
expect_fail "--evacuate-cgroup2 needs --pidns" --evacuate-cgroup2=x --cgroupns true
expect_fail "--port-driver=slirp4netns needs --net=slirp4netns" --port-driver=slirp4netns true
expect_fail "--port-driver=builtin needs a network namespace" --port-driver=builtin true
expect_fail "--publish needs a port driver" --net=host -p 8080:80 true
expect_fail "--cidr cannot be used with --net=host" --cidr=10.0.3.0/24 true
expect_fail "--ifname cannot be used with --net=host" --ifname=eth0 true
expect_fail "--mtu must be between 0 and 65521" --mtu=70000 true
expect_fail "--reaper=true needs --pidns" --reaper=true true
expect_fail "cannot be used with --copy-up" --propagation=rshared --copy-up=/etc true
expect_fail "unknown network driver" --net=nosuch true
expect_fail "parentPort 99999 is outside" --net=slirp4netns --port-driver=builtin \
	-p 127.0.0.1:99999:80/tcp true

# a command that does not exist: non-zero; ours says so with the shell's 127
if err=$(rn rn-no-such-command-$$ 2>&1); then rn_fail "a missing command succeeded"; fi
rn_expect_eq "status of a missing command" "$(rn rn-no-such-command-$$ 2>/dev/null; echo $?)" \
	"$(rn_is_ours && echo 127 || echo 1)"
if rn_is_ours; then
	echo "$err" | grep -q "cannot run rn-no-such-command-$$: No such file" ||
		rn_fail "missing command: unclear message: $err"
fi

# beyond rootlesskit: what we do not provide is refused, never ignored
if rn_is_ours; then
	expect_fail "--net=vpnkit" --net=vpnkit true
	expect_fail "--net=lxc-user-nic" --net=lxc-user-nic true
	expect_fail "--vpnkit-binary: the vpnkit network is not provided" --vpnkit-binary=/x true
	expect_fail "--lxc-user-nic-binary" --lxc-user-nic-binary=/x true
	expect_fail "--port-driver=implicit needs --net=pasta" --port-driver=implicit true
	expect_fail "--port-driver=pesto" --net=pasta --port-driver=pesto true
	expect_fail "--propagation=bogus" --propagation=bogus true
	# --slirp4netns-binary is harmless: a warning says it is not used
	err=$(rn --slirp4netns-binary=/nonexistent true 2>&1) || rn_fail "--slirp4netns-binary refused"
	echo "$err" | grep -q "links libslirp" || rn_fail "--slirp4netns-binary: no warning ($err)"
fi
echo "proc-cli: ok"
