#!/bin/sh
# tests/e2e/docker-ipv6.sh - rootless dockerd with DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS=--ipv6, slirp4netns port driver
#
# With --ipv6 the namespace has IPv6 (fd00::100): ours must serve -p PORT:80 on [::1] too.
# rootlesskit's slirp4netns port driver cannot forward IPv6: against it only 127.0.0.1 is
# required (and the container must still start).
. "${top_srcdir:-.}/tests/e2e/lib.sh"

e2e_setup
e2e_dockerd_start slirp4netns --ipv6
e2e_image_import
# the namespace really has IPv6: the daemon's namespace holds fd00::/64 on tap0
# (rootlesskit gets it by SLAAC from the user-mode network's router advertisement: wait a bit)
_dpid=$(pgrep -u "$RN_USER" -x dockerd | head -n 1)
ns_has_v6() { nsenter -t "$_dpid" -n ip -6 addr show 2>/dev/null | grep -q 'inet6 fd00::'; }
rn_wait_for 15 ns_has_v6 ||
	e2e_fail "--ipv6: no fd00:: address in the namespace: $(nsenter -t "$_dpid" -n ip -6 addr 2>&1)"
if rn_is_ours; then
	e2e_docker_ports yes yes
else
	e2e_docker_ports no no
fi
e2e_dockerd_stop
rn_log "PASS"
