#!/bin/sh
# tests/integration/patches.sh - make check's run of tools/check-patches (patches/ series, DEP-3, parse, docker.io copy)
#
# Without upstream trees this checks the series and headers, parses every patch and, where
# Debian's docker.io is installed, applies the dockerd-rootless.sh patch to a copy of its script
# and runs it (tests/patches/dockerd-rootless.sh). MOBY_SRC, SLIRP4NETNS_SRC and
# DOCKER_IO_CONTRIB in the environment are passed on (see tools/check-patches).
set -eu
. "${top_srcdir:?}/tests/integration/lib.sh"
command -v git >/dev/null || rn_fail "git missing (tools/install-deps installs it)"
if [ "${ROOTLESSNET_MUST_WORK:-0}" = 1 ] && [ ! -f "${DOCKER_IO_CONTRIB:-/usr/share/docker.io/contrib}/dockerd-rootless.sh" ]; then
	rn_fail "docker.io is not installed: the dockerd-rootless.sh patch cannot be run (tools/install-deps)"
fi
exec sh "$top_srcdir/tools/check-patches"
