#!/bin/sh
# tests/e2e/docker-patched.sh - patches/moby/0002 for real: Debian's dockerd-rootless.sh with the
# patch applied runs the implementation DOCKERD_ROOTLESS_ROOTLESSKIT_BINARY names
#
# No `rootlesskit` link to the binary under test is on PATH here, and Debian's rootlesskit is
# installed: only the patch can make the script run ours. A published port must then work.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

e2e_setup
[ -x /usr/bin/rootlesskit ] || rn_fail "Debian's rootlesskit missing: the test needs it on PATH"
rm -f "$E2E_BIN/rootlesskit"
E2E_DOCKERD_ROOTLESS=$E2E_TMP/dockerd-rootless.sh
"$top_srcdir/tools/patch-dockerd-rootless" "$E2E_DOCKERD_ROOTLESS" ||
	rn_fail "patches/moby/0002 does not apply to Debian's dockerd-rootless.sh"
RN_USER_ENV="DOCKERD_ROOTLESS_ROOTLESSKIT_BINARY=$ROOTLESSNET"
# e2e_dockerd_start fails unless the top process runs $ROOTLESSNET
e2e_dockerd_start builtin
e2e_image_import
_p=$(rn_free_port 1) || exit 1
e2e_docker_run web -p "$_p:80" "$E2E_IMAGE" httpd -f -p 80 -h /www
e2e_http_expect "http://127.0.0.1:$_p/" rn-e2e 10 || e2e_fail "-p $_p:80 not served"
e2e_dockerd_stop
rn_log "PASS"
