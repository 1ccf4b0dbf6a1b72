# bench/lib.sh - what the benchmarks share (sourced, POSIX sh): where the tree and the
# binaries are, and the test library
#
# top_srcdir (default: the tree this file is in), top_builddir (default: $top_srcdir/_build),
# ROOTLESSNET (ours, default: the build's) and RN_REF (the reference, default
# /usr/bin/rootlesskit), then tests/integration/lib.sh: the test user (rn_setup_user,
# rn_as_user), rn_free_port, rn_workdir, rn_need. make bench and make soak set the first three.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir/_build}"
: "${ROOTLESSNET:=$top_builddir/rootlessnet/rootlessnet}"
RN_REF=${RN_REF:-/usr/bin/rootlesskit}
# shellcheck source=../tests/integration/lib.sh
. "$top_srcdir/tests/integration/lib.sh"
