#!/bin/sh
# proc-mounts.sh - --propagation, --copy-up, /etc/resolv.conf and /etc/hosts, /sys, /proc
. "${top_srcdir:-.}/tests/integration/lib.sh"
rn_setup_user

has_net_none() { "$ROOTLESSNET" --help | grep -- '--net value' | grep -q none; }
cd "$RN_RUNTIME" || rn_fail "cd"

# --copy-up=/etc: writable inside, the host untouched, entries link to the original
marker=/etc/rn-proc-copyup-$$
out=$(rn --copy-up=/etc sh -c "touch $marker && echo made; readlink /etc/passwd; grep -c '^root:' /etc/passwd") ||
	rn_fail "--copy-up=/etc run failed"
rn_expect_eq "touch in copied-up /etc" "$(echo "$out" | sed -n 1p)" made
case $(echo "$out" | sed -n 2p) in .ro*/passwd) ;; *) rn_fail "/etc/passwd is not a link to the original: $out" ;; esac
rn_expect_eq "/etc/passwd readable through the link" "$(echo "$out" | sed -n 3p)" 1
[ ! -e "$marker" ] || { rm -f "$marker"; rn_fail "--copy-up=/etc wrote to the host's /etc"; }
if rn --copy-up=/etc sh -c 'touch /usr/rn-not-writable' 2>/dev/null; then
	rm -f /usr/rn-not-writable
	rn_fail "/usr writable without copy-up"
fi
if rn --copy-up=/tmp true 2>/dev/null; then rn_fail "--copy-up=/tmp accepted"; fi
if rn_is_ours; then
	# as real root too: the copy-up is private to the namespace
	(cd / && "$ROOTLESSNET" --copy-up=/etc sh -c "touch $marker" 2>/dev/null) ||
		rn_fail "--copy-up=/etc as root failed"
	[ ! -e "$marker" ] || { rm -f "$marker"; rn_fail "--copy-up=/etc as root wrote to the host"; }
fi

# --propagation: with rslave, a mount made on the host later appears inside; with rprivate not
shared=$RN_RUNTIME/shared
mkdir -p "$shared"
mount -t tmpfs rn-shared "$shared" && mount --make-shared "$shared" || rn_fail "shared tmpfs"
RN_CLEANUP_HOOK="umount -R '$shared' 2>/dev/null"
chmod 0777 "$shared"
for prop in rslave rprivate; do
	sd=$RN_RUNTIME/sd-$prop
	res=$RN_RUNTIME/res-$prop
	# shellcheck disable=SC2016
	rn_as_user "$ROOTLESSNET" --state-dir="$sd" --propagation=$prop sh -c '
		i=0; while [ $i -lt 50 ] && [ ! -e "$1/sub/marker" ]; do sleep 0.1; i=$((i + 1)); done
		[ -e "$1/sub/marker" ] && echo seen >"$2" || echo unseen >"$2"' sh "$shared" "$res" &
	bg=$!
	rn_wait_for 20 test -s "$sd/child_pid" || rn_fail "child_pid ($prop)"
	mkdir -p "$shared/sub" && mount -t tmpfs rn-sub "$shared/sub" && touch "$shared/sub/marker" ||
		rn_fail "host mount"
	wait "$bg"
	umount "$shared/sub"
	case $prop in
	rslave) rn_expect_eq "host mount seen with rslave" "$(cat "$res")" seen ;;
	rprivate) rn_expect_eq "host mount seen with rprivate" "$(cat "$res")" unseen ;;
	esac
done

# a new PID namespace gets its own /proc
out=$(rn --pidns sh -c 'ls /proc | grep -c "^[0-9][0-9]*$"') || rn_fail "--pidns run"
[ "$out" -le 4 ] || rn_fail "/proc in --pidns shows $out processes"

if has_net_none; then
	# a new network namespace gets its own /sys; /etc/hosts and resolv.conf from the state dir
	host=$(hostname)
	sum=$(cat /etc/hosts /etc/resolv.conf 2>/dev/null | md5sum)
	for cu in "" --copy-up=/etc; do
		out=$(rn --net=none $cu sh -c 'ls /sys/class/net; echo ---; tail -n 2 /etc/hosts; echo ---; wc -c </etc/resolv.conf; [ -L /etc/hosts ] && echo link; echo end') ||
			rn_fail "--net=none $cu run failed"
		rn_expect_eq "/sys/class/net with --net=none $cu" "$(echo "$out" | sed -n '1,/---/p' | grep -v -- ---)" lo
		echo "$out" | grep -qx "127.0.0.1 $host" || rn_fail "/etc/hosts lacks 127.0.0.1 $host ($cu): $out"
		echo "$out" | grep -qx "::1 $host" || rn_fail "/etc/hosts lacks ::1 $host ($cu)"
		echo "$out" | grep -qx link && rn_fail "/etc/hosts is still a link to the host's ($cu)"
		rn_is_ours && { echo "$out" | grep -qx 0 || rn_fail "resolv.conf not empty for --net=none"; }
	done
	rn_expect_eq "host's /etc/hosts and resolv.conf" "$(cat /etc/hosts /etc/resolv.conf 2>/dev/null | md5sum)" "$sum"
fi
echo "proc-mounts: ok"
