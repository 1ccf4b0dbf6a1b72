#!/bin/sh
# tests/patches/dockerd-rootless.sh - run a patched dockerd-rootless.sh with DOCKERD_ROOTLESS_ROOTLESSKIT_BINARY
#
# Usage: tests/patches/dockerd-rootless.sh PATCH DOCKERD_ROOTLESS_SH
#
# Copies DOCKERD_ROOTLESS_SH (moby's contrib/dockerd-rootless.sh or Debian's
# /usr/share/docker.io/contrib/dockerd-rootless.sh) twice into a temp dir, applies PATCH to one
# copy, and runs both up to the point where they exec RootlessKit. The RootlessKit they exec is a
# recorder script made here that writes its name, arguments and _DOCKERD_ROOTLESS_CHILD to a
# file and exits. Checked: the command DOCKERD_ROOTLESS_ROOTLESSKIT_BINARY names (a path, or a
# name on PATH) is the one executed, with exactly the arguments the unpatched script gives
# rootlesskit; unset, the search of PATH is unchanged; bad values are refused; and the unpatched
# copy ignores the variable (so this test fails without the patch). The script refuses root: as
# root, the runs use setpriv to the user nobody.
set -eu

patch=${1:?usage: $0 PATCH DOCKERD_ROOTLESS_SH}
orig=${2:?usage: $0 PATCH DOCKERD_ROOTLESS_SH}
case $patch in /*) ;; *) patch=$(pwd)/$patch ;; esac
[ -r "$orig" ] || { echo "FAIL: cannot read $orig" >&2; exit 1; }

tmp=$(mktemp -d /tmp/rn-dockerd-rootless.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/run.log" ] && sed 's/^/# script: /' "$tmp/run.log" >&2; exit 1; }
log() { echo "# $*"; }

mkdir -p "$tmp/patched/contrib" "$tmp/unpatched/contrib" "$tmp/bin" "$tmp/alt" "$tmp/home" \
	"$tmp/run" "$tmp/rec"
cp "$orig" "$tmp/patched/contrib/dockerd-rootless.sh"
cp "$orig" "$tmp/unpatched/contrib/dockerd-rootless.sh"
chmod 0755 "$tmp/patched/contrib/dockerd-rootless.sh" "$tmp/unpatched/contrib/dockerd-rootless.sh"
chmod 0755 "$tmp/patched/contrib/dockerd-rootless.sh" "$tmp/unpatched/contrib/dockerd-rootless.sh"
# git apply outside any repository: paths are taken relative to the current directory
(cd "$tmp/patched" && git apply "$patch") || fail "$patch does not apply to $orig"
sh -n "$tmp/patched/contrib/dockerd-rootless.sh" || fail "patched script: sh -n"
if command -v bash >/dev/null; then
	bash -n "$tmp/patched/contrib/dockerd-rootless.sh" || fail "patched script: bash -n"
fi
cmp -s "$tmp/patched/contrib/dockerd-rootless.sh" "$orig" && fail "the patch changed nothing"

# the recorder: one file per executed name, so a run shows which one ran
cat >"$tmp/recorder" <<'EOF'
#!/bin/sh
out=$REC_DIR/$(basename "$0")
printf '%s\n' "$@" >"$out"
printf 'child=%s\n' "${_DOCKERD_ROOTLESS_CHILD:-}" >>"$out"
EOF
chmod 0755 "$tmp/recorder"
cp "$tmp/recorder" "$tmp/bin/rootlesskit"
cp "$tmp/recorder" "$tmp/alt/my-rootlesskit"
cp "$tmp/recorder" "$tmp/alt/not-executable"
chmod 0644 "$tmp/alt/not-executable"
mkdir -p "$tmp/alt/with space"
cp "$tmp/recorder" "$tmp/alt/with space/rk"
chmod -R a+rX "$tmp"

as_user=
if [ "$(id -u)" = 0 ]; then
	as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	chown -R nobody "$tmp/run" "$tmp/rec" "$tmp/home"
fi
chmod 0700 "$tmp/run"

# run WHICH PATH [BINARY]: run the WHICH (patched|unpatched) copy, recordings in $tmp/rec
run() {
	rm -f "$tmp/rec/"*
	_bin=
	[ $# -ge 3 ] && _bin="DOCKERD_ROOTLESS_ROOTLESSKIT_BINARY=$3"
	# shellcheck disable=SC2086
	$as_user env -i HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run" PATH="$2" REC_DIR="$tmp/rec" \
		DOCKERD_ROOTLESS_ROOTLESSKIT_NET=slirp4netns DOCKERD_ROOTLESS_ROOTLESSKIT_MTU=65520 \
		${_bin:+"$_bin"} \
		sh "$tmp/$1/contrib/dockerd-rootless.sh" --experimental --debug >"$tmp/run.log" 2>&1
}
sys=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin

log "reference: the unpatched script execs rootlesskit from PATH"
run unpatched "$tmp/bin:$sys" || fail "unpatched script failed"
[ -f "$tmp/rec/rootlesskit" ] || fail "unpatched script did not exec rootlesskit"
cp "$tmp/rec/rootlesskit" "$tmp/expected"
for a in --net=slirp4netns --mtu=65520 --disable-host-loopback --port-driver=builtin \
	--copy-up=/etc --copy-up=/run --propagation=rslave \
	"$tmp/unpatched/contrib/dockerd-rootless.sh" --experimental --debug child=1; do
	grep -qxF -- "$a" "$tmp/expected" || fail "reference run lacks '$a': $(cat "$tmp/expected")"
done
# the patched copy lives elsewhere: compare with the script path normalised
sed "s|$tmp/unpatched/|$tmp/patched/|" "$tmp/expected" >"$tmp/expected.patched"
sed 's/^/# rootlesskit argument: /' "$tmp/expected"

log "the unpatched script ignores DOCKERD_ROOTLESS_ROOTLESSKIT_BINARY (this test needs the patch)"
run unpatched "$tmp/bin:$sys" "$tmp/alt/my-rootlesskit" || fail "unpatched script failed"
[ -f "$tmp/rec/my-rootlesskit" ] && fail "the unpatched script ran my-rootlesskit"

log "BINARY as a path: that command runs, with the flags rootlesskit gets"
run patched "$tmp/bin:$sys" "$tmp/alt/my-rootlesskit" || fail "patched script failed"
[ -f "$tmp/rec/my-rootlesskit" ] || fail "my-rootlesskit was not executed"
[ -f "$tmp/rec/rootlesskit" ] && fail "rootlesskit from PATH ran although BINARY was set"
cmp -s "$tmp/rec/my-rootlesskit" "$tmp/expected.patched" ||
	fail "arguments differ: $(diff "$tmp/expected.patched" "$tmp/rec/my-rootlesskit" || :)"

log "BINARY as a name on PATH"
run patched "$tmp/bin:$tmp/alt:$sys" my-rootlesskit || fail "patched script failed"
[ -f "$tmp/rec/my-rootlesskit" ] && [ ! -f "$tmp/rec/rootlesskit" ] || fail "my-rootlesskit by name not run"
cmp -s "$tmp/rec/my-rootlesskit" "$tmp/expected.patched" || fail "arguments differ (name on PATH)"

log "BINARY unset or empty: the default search is unchanged"
run patched "$tmp/bin:$sys" || fail "patched script failed"
cmp -s "$tmp/rec/rootlesskit" "$tmp/expected.patched" || fail "default run differs from unpatched"
run patched "$tmp/bin:$sys" "" || fail "patched script failed with an empty BINARY"
cmp -s "$tmp/rec/rootlesskit" "$tmp/expected.patched" || fail "empty BINARY run differs"

log "bad values are refused and nothing is executed"
for bad in "$tmp/alt/missing" "$tmp/alt/not-executable" "$tmp/alt/with space/rk" "$tmp/alt/my-*"; do
	if run patched "$tmp/bin:$sys" "$bad"; then
		fail "BINARY='$bad' was accepted"
	fi
	[ -z "$(ls "$tmp/rec")" ] || fail "BINARY='$bad': something was executed: $(ls "$tmp/rec")"
	grep -q "DOCKERD_ROOTLESS_ROOTLESSKIT_BINARY" "$tmp/run.log" || fail "BINARY='$bad': no message"
done

echo "dockerd-rootless: all passed ($orig)"
