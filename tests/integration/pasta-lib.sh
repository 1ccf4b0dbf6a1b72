# tests/integration/pasta-lib.sh - the net-pasta*.sh tests' namespace and pasta helpers
# (sourced after lib.sh, before anything else is done: it re-executes the test)
#
# The test runs in a network namespace of its own (re-executed under unshare -n as root),
# with lo and a tap nobody reads as pasta's template (the kernel may lack the dummy and veth
# drivers): what pasta does not map to the host's loopback goes nowhere but that tap.
#   pasta_template 4|6  make the tap rnpst0: 10.77.0.1/24, the default route via 10.77.0.2;
#                       with 6 also fd77::1/64, the default route via fd77::2 and the
#                       link-local fe80::77:1 (a tap without carrier gets none by itself,
#                       and pasta takes no IPv6 template without one)
#   pasta_setup 4|6 NAME  the test user, the tools, pasta_template, W (rn_workdir NAME), and
#                       no pasta of the user's running yet
#   pn FLAGS...         "$ROOTLESSNET --net=pasta FLAGS..." as the test user, bounded (TO s)
#   user_pastas         the test user's pasta processes
#   pasta_of PARENT     the pasta under the parent PARENT
if [ -z "${RN_PASTA_NETNS:-}" ]; then
	command -v unshare >/dev/null || { echo "FAIL: unshare missing (util-linux)" >&2; exit 1; }
	RN_PASTA_NETNS=1 exec unshare -n sh "$0" "$@"
fi
TO=60

pasta_template() {
	[ -c /dev/net/tun ] || rn_skip "no /dev/net/tun"
	ip link set lo up || rn_fail "lo up in the test's namespace"
	ip tuntap add mode tap rnpst0 && ip addr add 10.77.0.1/24 dev rnpst0 &&
		ip link set rnpst0 up && ip route add default via 10.77.0.2 dev rnpst0 ||
		rn_fail "the test namespace's template interface"
	[ "$1" = 6 ] || return 0
	[ -e /proc/net/if_inet6 ] || rn_skip "no IPv6 in the kernel"
	ip -6 addr add fe80::77:1/64 dev rnpst0 nodad &&
		ip -6 addr add fd77::1/64 dev rnpst0 nodad &&
		ip -6 route add default via fd77::2 dev rnpst0 ||
		rn_fail "IPv6 on the test namespace's template interface"
}

# pasta_setup 4|6 NAME: what every net-pasta*.sh starts with
pasta_setup() {
	rn_setup_user
	rn_need pasta:passt socat ip:iproute2 curl ss:iproute2
	pasta_template "$1"
	rn_workdir "$2"
	[ -z "$(user_pastas)" ] || rn_fail "pasta runs as $RN_USER before the test: $(user_pastas)"
}

# pn FLAGS...: a run with --net=pasta, bounded
pn() { rn_as_user timeout -k 5 "$TO" "$ROOTLESSNET" --net=pasta "$@"; }
# PASTA_COMM: pasta's comm (Debian's re-executes itself as passt.avx2 where the CPU has AVX2)
PASTA_COMM='pasta|passt|passt[.]avx2|pasta[.]avx2'
# user_pastas: the test user's pasta processes
user_pastas() { ps -u "$RN_USER" -o pid=,comm= | awk -v re="^($PASTA_COMM)\$" '$2 ~ re { print $1 }'; }
# pasta_of PARENT: the pasta under the parent PARENT
pasta_of() {
	for _c in $(rn_children "$1"); do
		grep -qxE "$PASTA_COMM" "/proc/$_c/comm" 2>/dev/null && echo "$_c" && return 0
	done
	return 1
}
