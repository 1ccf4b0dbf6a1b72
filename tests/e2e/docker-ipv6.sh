#!/bin/sh
# tests/e2e/docker-ipv6.sh - rootless dockerd with DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS=--ipv6, builtin then slirp4netns port driver
#
# --ipv6 gives the namespace IPv6 (fd00::/64 on tap0). With the builtin driver -p PORT:80 must
# be served on 127.0.0.1 and [::1]. With the slirp4netns driver the container must start and
# serve 127.0.0.1; [::1] is not required: dockerd (20.10 through rootlesskit-docker-proxy, and
# 28) gives the IPv4 and the IPv6 binding the same child address (networkDriver.childIP) and
# listens on it twice, so a driver that advertised tcp6 there would break the container start,
# which this test catches.
. "${top_srcdir:-.}/tests/e2e/lib.sh"

# ns_has_v6: the daemon's namespace has its fd00:: address (rootlesskit gets it by SLAAC from
# the user-mode network's router advertisement, which takes a moment)
ns_has_v6() {
	_dpid=$(e2e_pid_of dockerd) && nsenter -t "$_dpid" -n ip -6 addr show 2>/dev/null | grep -q 'inet6 fd00::'
}

e2e_setup
e2e_dockerd_start builtin --ipv6
e2e_image_import
rn_wait_for 15 ns_has_v6 || e2e_fail "--ipv6: no fd00:: address in the namespace"
e2e_docker_ports yes yes
e2e_dockerd_stop

# Debian's docker proxy here (ours, when built, serves the other runs): the proxy that passes
# the advertised protos through unchanged
E2E_DOCKER_PROXY=debian
e2e_dockerd_start slirp4netns --ipv6
rn_wait_for 15 ns_has_v6 || e2e_fail "--ipv6: no fd00:: address in the namespace"
# UDP from a loopback client through libslirp: Debian's libslirp 4.7 drops the replies under
# --disable-host-loopback (rootlesskit and we alike); patches/libslirp/0001 fixes it: set
# E2E_SLIRP_UDP_LOOPBACK=1 to require it of a build with that libslirp
e2e_docker_ports no "$(e2e_slirp_udp_loopback)"
e2e_dockerd_stop
rn_log "PASS"
