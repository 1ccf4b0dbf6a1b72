#!/bin/sh
# tests/packaging/apparmor.sh - the AppArmor profile: Debian 12's parser accepts it, AppArmor 4 compiles it to Ubuntu's userns profile
#
# Usage: tests/packaging/apparmor.sh [TOP]   (TOP: the source tree, default: this file's)
#   1. packaging/apparmor/apparmor-userns, run against this system's /etc/apparmor.d (Debian 12:
#      AppArmor 3, no abi/4.0), writes no AppArmor 4 rule, and this system's apparmor_parser
#      (Debian's apparmor package) accepts the profile so (-Q: nothing is loaded).
#   2. Against an /etc/apparmor.d holding abi/4.0, the helper writes "abi <abi/4.0>," and
#      "userns,", and removes them again once abi/4.0 is gone.
#   3. AppArmor 4: Debian 13's apparmor package (4.1) and the libc6 it needs are fetched with a
#      private apt configuration (tools/apt-private.sh; nothing on the system changes) and run
#      from a temporary directory: the profile with the helper's rules must compile to the
#      same policy as the profile Ubuntu 24.04 ships for rootlesskit has, for /usr/bin/rootlessnet
#      (abi 4.0, flags=(unconfined), userns), and that policy must differ from one without
#      userns. APPARMOR4_ROOT=DIR: an unpacked apparmor 4 and libc6 instead of fetching them;
#      APPARMOR4=no: skip this part.
set -eu
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
profile=$top/packaging/apparmor/rootlessnet
helper=$top/packaging/apparmor/apparmor-userns
PATH=$PATH:/usr/sbin:/sbin
tmp=$(mktemp -d /tmp/rn-apparmor.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
npass=0
pass() { npass=$((npass + 1)); echo "PASS: $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# ours STATE OUT: the profile, including its AppArmor 4 rules from STATE
ours() { sed "s|\"/var/lib/rootlessnet/apparmor/|\"$1/|g" "$profile" >"$2"; }

command -v apparmor_parser >/dev/null || fail "apparmor_parser missing: apt-get install apparmor (tools/install-deps --packaging)"
aa3=$(apparmor_parser --version | sed -n '1s/.*version //p')

# 1. this system (Debian 12)
[ ! -e /etc/apparmor.d/abi/4.0 ] || echo "# note: this system has abi/4.0 (AppArmor 4): part 1 checks that parser"
RN_APPARMOR_STATE=$tmp/state RN_APPARMOR_ETC=/etc/apparmor.d sh "$helper"
if [ -e /etc/apparmor.d/abi/4.0 ]; then
	[ -f "$tmp/state/userns" ] || fail "the helper wrote no userns rule although abi/4.0 exists"
else
	[ ! -e "$tmp/state/abi" ] && [ ! -e "$tmp/state/userns" ] ||
		fail "the helper wrote AppArmor 4 rules without /etc/apparmor.d/abi/4.0: $(ls "$tmp/state")"
fi
ours "$tmp/state" "$tmp/rootlessnet"
apparmor_parser -Q -K -T --base /etc/apparmor.d "$tmp/rootlessnet" >"$tmp/aa3.log" 2>&1 ||
	{ cat "$tmp/aa3.log" >&2; fail "apparmor_parser $aa3 refuses the profile"; }
# without its rules the profile is unconfined and named, nothing more
grep -q 'flags=(unconfined)' "$profile" || fail "the profile is not flags=(unconfined)"
pass "apparmor_parser $aa3 (this system) accepts packaging/apparmor/rootlessnet as installed here"

# 2. the helper against an AppArmor 4 tree, and back
mkdir -p "$tmp/etc4/abi"
: >"$tmp/etc4/abi/4.0"
RN_APPARMOR_STATE=$tmp/s4 RN_APPARMOR_ETC=$tmp/etc4 sh "$helper"
[ "$(cat "$tmp/s4/abi")" = "abi <abi/4.0>," ] && [ "$(cat "$tmp/s4/userns")" = "userns," ] ||
	fail "with abi/4.0 the helper wrote: $(cat "$tmp/s4/abi" "$tmp/s4/userns" 2>&1)"
rm "$tmp/etc4/abi/4.0"
RN_APPARMOR_STATE=$tmp/s4 RN_APPARMOR_ETC=$tmp/etc4 sh "$helper"
[ ! -e "$tmp/s4/abi" ] && [ ! -e "$tmp/s4/userns" ] || fail "the helper left its rules after abi/4.0 went"
RN_APPARMOR_STATE=$tmp/s4 sh "$helper" --purge
[ ! -e "$tmp/s4" ] || fail "--purge left $tmp/s4"
pass "apparmor-userns writes the AppArmor 4 rules exactly when abi/4.0 exists, and --purge removes them"

# 3. AppArmor 4
if [ "${APPARMOR4:-yes}" = no ]; then
	echo "SKIP: AppArmor 4 (APPARMOR4=no)"
	echo "apparmor: $npass passed"
	exit 0
fi
root=${APPARMOR4_ROOT:-}
if [ -z "$root" ]; then
	. "$top/tools/apt-private.sh"
	apt_private_setup "$tmp/apt" deb trixie
	apt_private "$tmp/apt" apt-get update -qq >"$tmp/apt.log" 2>&1 ||
		{ cat "$tmp/apt.log" >&2; fail "apt-get update (Debian 13 lists, private)"; }
	(cd "$tmp/apt" && apt_private "$tmp/apt" apt-get download -qq apparmor/trixie libc6/trixie) \
		>>"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log" >&2; fail "apt-get download apparmor libc6 (trixie)"; }
	root=$tmp/aa4
	for d in "$tmp"/apt/*.deb; do dpkg-deb -x "$d" "$root"; done
fi
ld=$(ls "$root"/usr/lib64/ld-linux-*.so.* "$root"/lib64/ld-linux-*.so.* 2>/dev/null | head -n 1)
[ -n "$ld" ] || fail "no dynamic loader in $root"
aa4() {
	"$ld" --library-path "$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu" \
		"$root/usr/sbin/apparmor_parser" --config-file=/dev/null --base "$root/etc/apparmor.d" \
		-M "$root/usr/share/apparmor-features/features" "$@"
}
aa4v=$(aa4 --version | sed -n '1s/.*version //p')
case $aa4v in 4.*) ;; *) fail "the AppArmor 4 parser says version '$aa4v'" ;; esac
[ -e "$root/etc/apparmor.d/abi/4.0" ] || fail "$root has no abi/4.0"
RN_APPARMOR_STATE=$tmp/s5 RN_APPARMOR_ETC=$root/etc/apparmor.d sh "$helper"
ours "$tmp/s5" "$tmp/ours4"
# the shape of Ubuntu's (and Debian 13's) rootlesskit profile, for our binary
cat >"$tmp/ref" <<'EOF'
abi <abi/4.0>,
include <tunables/global>
profile rootlessnet /usr/bin/rootlessnet flags=(unconfined) {
  userns,
  include if exists <local/rootlessnet>
}
EOF
grep -v 'userns,' "$tmp/ref" >"$tmp/ref-no-userns"
for p in ours4 ref ref-no-userns; do
	aa4 -Q -K -S "$tmp/$p" >"$tmp/$p.bin" 2>"$tmp/$p.log" ||
		{ cat "$tmp/$p.log" >&2; fail "apparmor_parser $aa4v refuses $p"; }
done
cmp -s "$tmp/ref.bin" "$tmp/ref-no-userns.bin" &&
	fail "the reference policy does not change without userns: the comparison would prove nothing"
cmp -s "$tmp/ours4.bin" "$tmp/ref.bin" ||
	fail "with AppArmor 4 the profile does not compile to the userns profile (apparmor_parser $aa4v)"
pass "apparmor_parser $aa4v (Debian 13) compiles the profile with its AppArmor 4 rules to Ubuntu's userns profile for /usr/bin/rootlessnet"
echo "apparmor: $npass passed"
