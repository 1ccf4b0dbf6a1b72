#!/bin/sh
# tests/e2e/docker-builtin.sh - rootless dockerd (unmodified dockerd-rootless.sh), builtin port driver
#
# Ports on 127.0.0.1 and [::1], a loopback-only and a UDP mapping, stop/start, removal releases
# the port, docker info; then SIGTERM to the top process ends everything, and a second start
# with the same XDG_RUNTIME_DIR works.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

e2e_setup
e2e_dockerd_start builtin
e2e_image_import
e2e_docker_info_rootless
e2e_docker_ports yes yes
# a running container while the daemon is told to stop
_p=$(rn_free_port 1) || exit 1
e2e_docker_run web -p "$_p:80" "$E2E_IMAGE" httpd -f -p 80 -h /www
e2e_http_expect "http://127.0.0.1:$_p/" rn-e2e 10 || e2e_fail "-p $_p:80 not served"
e2e_dockerd_stop
rn_wait_for 10 e2e_port_bindable "$_p" || rn_fail "port $_p still bound after the daemon stopped"

# same XDG_RUNTIME_DIR (stale sockets and pid files of the first run are in it) and data root;
# with Debian's docker proxy this time (the first run used ours, when built)
E2E_DOCKER_PROXY=debian
e2e_dockerd_start builtin
e2e_docker rm -f web >/dev/null 2>&1
e2e_docker_run web2 -p "$_p:80" "$E2E_IMAGE" httpd -f -p 80 -h /www
e2e_dproxy_used || e2e_fail "second start: no process of $E2E_DPROXY runs"
e2e_http_expect "http://127.0.0.1:$_p/" rn-e2e 10 || e2e_fail "second start: -p $_p:80 not served"
e2e_http_expect "http://[::1]:$_p/" rn-e2e 10 || e2e_fail "second start: -p $_p:80 not served on [::1]"
e2e_dockerd_stop
rn_log "PASS"
