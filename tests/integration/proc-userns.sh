#!/bin/sh
# proc-userns.sh - uid/gid maps: subordinate ranges, no ranges, real root, missing newuidmap
. "${top_srcdir:-.}/tests/integration/lib.sh"
rn_setup_user

maps() { awk '{ $1 = $1; print }' "$@"; }

# expected_map FILE ID: "0 ID 1", then each range of the user from 1 upward (rootlesskit's layout)
expected_map() {
	awk -F: -v u="$RN_USER" -v id="$2" -v uid="$RN_UID" '
		BEGIN { print 0, id, 1; next_id = 1 }
		$1 == u || $1 == uid { print next_id, $2, $3; next_id += $3 }' "$1"
}
want_uid=$(expected_map /etc/subuid "$RN_UID")
want_gid=$(expected_map /etc/subgid "$RN_GID")
[ "$(echo "$want_uid" | wc -l)" -ge 2 ] || rn_fail "$RN_USER has no range in /etc/subuid"

for src in auto static dynamic; do
	out=$(rn --subid-source=$src sh -c 'id -u; id -g') || rn_fail "--subid-source=$src: run failed"
	rn_expect_eq "uid and gid inside (--subid-source=$src)" "$(echo $out)" "0 0"
	got=$(rn --subid-source=$src cat /proc/self/uid_map | maps) || rn_fail "uid_map"
	rn_expect_eq "uid_map (--subid-source=$src)" "$got" "$want_uid"
	got=$(rn --subid-source=$src cat /proc/self/gid_map | maps) || rn_fail "gid_map"
	rn_expect_eq "gid_map (--subid-source=$src)" "$got" "$want_gid"
done

# a subordinate id is usable inside: a file chowned to uid 1 is owned by the first subuid outside
dir=$RN_RUNTIME/chown
rn sh -c "mkdir $dir && touch $dir/f && chown 1:1 $dir/f" || rn_fail "chown to a subordinate id"
first=$(echo "$want_uid" | sed -n 2p | cut -d' ' -f2)
rn_expect_eq "owner outside of a file chowned to 1 inside" "$(stat -c %u "$dir/f")" "$first"
rn sh -c "rm -rf $dir"

# newuidmap missing: the message says what to install
if out=$(runuser -u "$RN_USER" -- env -i HOME="$RN_HOME" PATH=/nonexistent "$ROOTLESSNET" /bin/true 2>&1); then
	rn_fail "ran without newuidmap on PATH"
fi
if rn_is_ours; then
	echo "$out" | grep -q "apt-get install uidmap" || rn_fail "no install hint: $out"
fi

# newuidmap refusing (a stand-in that fails as a misconfigured one does)
mkdir -p "$RN_RUNTIME/fakebin"
printf '#!/bin/sh\necho "newuidmap: write to uid_map failed: Operation not permitted" >&2\nexit 1\n' \
	>"$RN_RUNTIME/fakebin/newuidmap"
chmod 0755 "$RN_RUNTIME/fakebin" "$RN_RUNTIME/fakebin/newuidmap"
if out=$(runuser -u "$RN_USER" -- env -i HOME="$RN_HOME" PATH="$RN_RUNTIME/fakebin:/usr/bin:/bin" \
	"$ROOTLESSNET" /bin/true 2>&1); then
	rn_fail "ran although newuidmap failed"
fi
if rn_is_ours; then
	echo "$out" | grep -q "setuid root" || rn_fail "no hint when newuidmap fails: $out"
	echo "$out" | grep -q "/etc/subuid" || rn_fail "no hint when newuidmap fails: $out"
fi

# user namespaces disabled (the limit is per user namespace: set to 0 in one made for this)
# shellcheck disable=SC2016
if out=$(rn_as_user unshare -r sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$1" true' sh "$ROOTLESSNET" 2>&1); then
	rn_fail "ran with user.max_user_namespaces=0"
fi
if rn_is_ours; then
	echo "$out" | grep -q "sysctl -w user.max_user_namespaces" || rn_fail "no sysctl hint: $out"
fi

if rn_is_ours; then
	# no subordinate ranges: the own ids only, with a warning that says what to configure
	nosub=rltnosub
	if ! id "$nosub" >/dev/null 2>&1; then
		useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$nosub" ||
			rn_fail "useradd $nosub"
	fi
	sed -i "/^$nosub:/d" /etc/subuid /etc/subgid
	nuid=$(id -u "$nosub")
	ngid=$(id -g "$nosub")
	out=$(cd / && runuser -u "$nosub" -- env -i PATH=/usr/bin:/bin "$ROOTLESSNET" \
		sh -c 'id -u; cat /proc/self/uid_map /proc/self/gid_map' 2>"$RN_RUNTIME/err") ||
		rn_fail "no subordinate ids: run failed: $(cat "$RN_RUNTIME/err")"
	rn_expect_eq "maps without subordinate ids" "$(echo "$out" | maps)" "0
0 $nuid 1
0 $ngid 1"
	grep -q "usermod --add-subuids" "$RN_RUNTIME/err" ||
		rn_fail "no warning naming usermod: $(cat "$RN_RUNTIME/err")"

	# real root: works, with a warning, and ids map to themselves
	out=$(cd / && "$ROOTLESSNET" sh -c 'id -u; cat /proc/self/uid_map' 2>"$RN_RUNTIME/err") ||
		rn_fail "as root: $(cat "$RN_RUNTIME/err")"
	rn_expect_eq "maps as root" "$(echo "$out" | maps)" "0
0 0 4294967295"
	grep -q "running as root" "$RN_RUNTIME/err" || rn_fail "as root: no warning"
fi
echo "proc-userns: ok"
