#!/bin/sh
# tests/e2e/docker-slirp4netns.sh - rootless dockerd (unmodified dockerd-rootless.sh), slirp4netns port driver
#
# Without --ipv6 the namespace has no IPv6 route out: IPv6 clients of -p PORT:80 cannot be
# served, and the container must still start and serve 127.0.0.1 (the Docker 28.0.0 bug, where
# the unsupported family rolled back the whole mapping, must never come back).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

e2e_setup
e2e_dockerd_start slirp4netns
e2e_image_import
e2e_docker_info_rootless
# UDP from a loopback client: rootlesskit drops the replies (see e2e_docker_ports); we must not
if rn_is_ours; then
	e2e_docker_ports no yes
else
	e2e_docker_ports no no
fi
e2e_dockerd_stop
rn_log "PASS"
