#!/bin/sh
# net-detach-files.sh - $STATE_DIR/resolv.conf and $STATE_DIR/hosts as rootlesskit writes them:
# with --detach-netns written (before the command starts) and not mounted, without it mounted
. "${top_srcdir:-.}/tests/integration/lib.sh"
rn_setup_user
rn_workdir detachfiles
if ! "$ROOTLESSNET" --help 2>&1 | grep -q -- --detach-netns; then
	rn_is_ours && rn_fail "no --detach-netns in --help"
	echo "net-detach-files: $ROOTLESSNET has no --detach-netns; nothing to test"
	exit 0
fi

# What the command sees, as soon as it starts: the files, their modes against its umask, the
# hostname, whether /etc/resolv.conf and /etc/hosts are mounts, and their contents
PROBE='cd "$ROOTLESSKIT_STATE_DIR" || exit 1
for f in resolv.conf hosts; do
	test -f "$f" || { echo "no $f"; exit 1; }
done
echo "umask $(umask)"
echo "modes $(stat -c %a resolv.conf) $(stat -c %a hosts)"
echo "hostname $(cat /proc/sys/kernel/hostname)"
echo "mounts $(awk '\''$5 == "/etc/resolv.conf" || $5 == "/etc/hosts" {print $5}'\'' /proc/self/mountinfo | sort | tr "\n" " ")"
cp resolv.conf "$OUT/resolv.conf"; cp hosts "$OUT/hosts"
cat /etc/resolv.conf >"$OUT/etc-resolv.conf" 2>/dev/null
cat /etc/hosts >"$OUT/etc-hosts"
if test -L /etc/resolv.conf; then echo "etc-resolv symlink"; else echo "etc-resolv file"; fi'

# mode UMASK: 0644 less the umask, as Go's os.WriteFile(..., 0644)
mode() { printf '%o' $((0644 & ~0$1)); }

# case NAME WANT_RESOLV DETACHED FLAGS...: run PROBE and check what it saw
n=0
case_() {
	_name=$1 _want=$2 _det=$3
	shift 3
	n=$((n + 1))
	OUT=$W/out.$n
	mkdir -p "$OUT"
	chown "$RN_USER:" "$OUT"
	rn_as_user env OUT="$OUT" "$ROOTLESSNET" --state-dir="$W/sd.$n" "$@" sh -c "$PROBE" \
		>"$OUT/log" 2>"$OUT/err" || rn_fail "$_name: the instance failed: $(cat "$OUT/log" "$OUT/err")"
	_log=$OUT/log
	_um=$(sed -n 's/^umask //p' "$_log")
	_m=$(mode "$_um")
	rn_expect_eq "$_name: modes (umask $_um)" "$(sed -n 's/^modes //p' "$_log")" "$_m $_m"
	printf '%b' "$_want" >"$OUT/want-resolv"
	cmp -s "$OUT/want-resolv" "$OUT/resolv.conf" ||
		rn_fail "$_name: resolv.conf: $(od -c "$OUT/resolv.conf" | head -5), want $_want"
	# hosts: /etc/hosts as the command sees it (copy-up or not), then the hostname twice
	_h=$(sed -n 's/^hostname //p' "$_log")
	if [ "$_det" = yes ]; then
		cp "$OUT/etc-hosts" "$OUT/want-hosts"
	else
		# mounted: /etc/hosts is the file itself; the host's is what it was made from
		cp /etc/hosts "$OUT/want-hosts"
	fi
	printf '\n127.0.0.1 %s\n::1 %s\n' "$_h" "$_h" >>"$OUT/want-hosts"
	cmp -s "$OUT/want-hosts" "$OUT/hosts" ||
		rn_fail "$_name: hosts differs: $(diff "$OUT/want-hosts" "$OUT/hosts" | head -5)"
	_mounts=$(sed -n 's/^mounts //p' "$_log")
	if [ "$_det" = yes ]; then
		rn_expect_eq "$_name: mounts on /etc (detached: none)" "$_mounts" ""
		if [ -e /etc/resolv.conf ]; then
			cmp -s /etc/resolv.conf "$OUT/etc-resolv.conf" ||
				rn_fail "$_name: the command's /etc/resolv.conf is not the host's"
		fi
	else
		rn_expect_eq "$_name: mounts on /etc" "$_mounts" "/etc/hosts /etc/resolv.conf "
		cmp -s "$OUT/resolv.conf" "$OUT/etc-resolv.conf" ||
			rn_fail "$_name: /etc/resolv.conf is not \$STATE_DIR/resolv.conf"
		cmp -s "$OUT/hosts" "$OUT/etc-hosts" || rn_fail "$_name: /etc/hosts is not \$STATE_DIR/hosts"
	fi
	# the state directory is removed on exit, the files with it
	[ ! -e "$W/sd.$n/resolv.conf" ] || rn_fail "$_name: resolv.conf left after exit"
}

S='--net=slirp4netns --disable-host-loopback'
case_ "slirp4netns detached" 'nameserver 10.0.2.3\n' yes $S --detach-netns
case_ "slirp4netns detached --ipv6" 'nameserver 10.0.2.3\nnameserver fd00::3\n' yes \
	$S --ipv6 --detach-netns
case_ "slirp4netns detached --cidr" 'nameserver 10.8.0.3\n' yes $S --cidr=10.8.0.0/24 \
	--detach-netns
case_ "slirp4netns detached builtin ports" 'nameserver 10.0.2.3\n' yes $S --detach-netns \
	--port-driver=builtin
case_ "none detached" '' yes --net=none --detach-netns
case_ "none detached --utsns" '' yes --net=none --utsns --detach-netns
case_ "slirp4netns detached --copy-up=/etc" 'nameserver 10.0.2.3\n' yes $S --detach-netns \
	--copy-up=/etc --copy-up=/run
# copy-up with a detached namespace: the copied-up /etc keeps its symlinks (nothing replaced)
if [ -e /etc/resolv.conf ]; then
	grep -q "^etc-resolv symlink" "$W/out.$n/log" ||
		rn_fail "detached --copy-up=/etc: /etc/resolv.conf was replaced: $(cat "$W/out.$n/log")"
fi
case_ "slirp4netns attached" 'nameserver 10.0.2.3\n' no $S --copy-up=/etc
# --net=host: no network driver, rootlesskit writes neither file
rn --net=host --state-dir="$W/sd.host" sh -c 'test ! -e "$ROOTLESSKIT_STATE_DIR/resolv.conf" &&
	test ! -e "$ROOTLESSKIT_STATE_DIR/hosts"' || rn_fail "--net=host wrote resolv.conf or hosts"
echo "net-detach-files: ok ($n cases)"
