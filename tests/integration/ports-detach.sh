#!/bin/sh
# ports-detach.sh - --detach-netns with the builtin port driver: published ports reach the
# detached namespace ($STATE_DIR/netns), not the network the command runs in (the host's)
. "$top_srcdir/tests/integration/lib.sh"
rn_setup_user
if ! "$ROOTLESSNET" --help 2>&1 | grep -q -- --detach-netns; then
	echo "ports-detach: $ROOTLESSNET has no --detach-netns; nothing to test"
	exit 0
fi
port=$(rn_free_port 1) || exit 1
st=$RN_RUNTIME/state
rn_as_user "$ROOTLESSNET" --state-dir="$st" --net=slirp4netns --detach-netns \
	--port-driver=builtin -p "127.0.0.1:$port:80/tcp" sh -c '
	w=$(mktemp -d)
	echo detached-ns >"$w/index.html"
	nsenter --net="$ROOTLESSKIT_STATE_DIR/netns" busybox httpd -f -p 127.0.0.1:80 -h "$w" &
	sleep 60' >"$RN_RUNTIME/log" 2>&1 &
served() { [ "$(curl -s -m 2 "http://127.0.0.1:$port/")" = detached-ns ]; }
rn_wait_for 20 served || { cat "$RN_RUNTIME/log"; rn_fail "port $port does not reach the detached namespace"; }
echo "ports-detach: ok"
