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
# UDP from a loopback client through libslirp: Debian's libslirp 4.7 drops the replies under
# --disable-host-loopback (rootlesskit and we alike); patches/libslirp/0001 fixes it: set
# E2E_SLIRP_UDP_LOOPBACK=1 to require it of a build with that libslirp
e2e_docker_ports no "$(e2e_slirp_udp_loopback)"
e2e_dockerd_stop
rn_log "PASS"
