#!/bin/sh
# tests/e2e/rk-restart.sh - restart on the same --state-dir after kill -9 of the parent, with a network and a port driver
#
# (rootlesskit hack/integration-restart.sh, issue #220, rewritten.) The state directory alone is
# in tests/integration/proc-statedir.sh; here the first instance also had a network, a port
# driver, a published port and a listening api.sock, and the second must serve the API to a
# real client (rootlessctl, from the command inside) and publish the same port again.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

e2e_setup
e2e_need rootlessctl
_st=$E2E_USERDIR/state
_p=$(rn_free_port 1) || exit 1
e2e_user "$ROOTLESSNET" --state-dir="$_st" --net=slirp4netns --port-driver=builtin \
	-p "127.0.0.1:$_p:80/tcp" sleep 60 >"$E2E_TMP/first.log" 2>&1 &
rn_wait_for 20 test -S "$_st/api.sock" || { cat "$E2E_TMP/first.log" >&2; rn_fail "first instance: no api.sock"; }
rn_wait_for 10 e2e_find_top || rn_fail "first instance: no top process"
kill -KILL "$E2E_TOP"
rn_log "killed the first instance's parent ($E2E_TOP) with SIGKILL"
# what rootlesskit leaves behind (its children may linger) must not hold the port or the state
# dir: the second instance publishes the same port on the same state dir
E2E_TOP=
_out=$E2E_USERDIR/second.out
_www=$E2E_TMP/www
mkdir -p "$_www" && echo rn-e2e-restart >"$_www/index.html" && chmod -R a+rX "$_www"
# shellcheck disable=SC2016
e2e_user "$ROOTLESSNET" --state-dir="$_st" --net=slirp4netns --port-driver=builtin \
	-p "127.0.0.1:$_p:80/tcp" sh -c '"$1" httpd -p 80 -h "$2" || exit 3
		{ rootlessctl list-ports && rootlessctl info --json && echo DONE; } >"$3" 2>&1
		sleep 30' sh "$E2E_BUSYBOX" "$_www" "$_out" >"$E2E_TMP/second.log" 2>&1 &
_bg=$!
if ! rn_wait_for 20 grep -q DONE "$_out" 2>/dev/null; then
	cat "$E2E_TMP/second.log" "$_out" >&2
	rn_fail "second instance on the reused state dir: rootlessctl failed"
fi
rn_wait_for 10 e2e_find_top || rn_fail "second instance: no top process"
grep -Eq "^[0-9]+ +tcp +127\.0\.0\.1 +$_p +" "$_out" || { cat "$_out" >&2; rn_fail "rootlessctl list-ports lacks the -p port"; }
grep -q '"apiVersion"' "$_out" || { cat "$_out" >&2; rn_fail "rootlessctl info gave no API info"; }
e2e_http_expect "http://127.0.0.1:$_p/" rn-e2e-restart 10 || rn_fail "second instance: -p $_p not served"
kill -TERM "$E2E_TOP"
wait "$_bg"
rn_log "second instance: exit status $? after SIGTERM"
# ours leaves nothing of either instance (rootlesskit leaves the first one's children running)
if rn_is_ours && ! rn_wait_for 20 e2e_user_idle; then
	e2e_ps
	rn_fail "processes left after kill -9 of the first and SIGTERM to the second instance"
fi
E2E_TOP=
rn_log "the second instance served rootlessctl on the reused state dir"
rn_log "PASS"
