#!/bin/sh
# tests/packaging/filelists.sh - the RPMs install the same files as the debs, package by package
#
# Usage: tests/packaging/filelists.sh DEBDIR RPMDIR
#   Compares, for each package (rootlessnet, rootlessnet-rootlesskit), the files and links of
#   DEBDIR/PKG_*.deb with those of RPMDIR/**/PKG-[0-9]*.rpm: path, kind (file, executable or
#   link) and a link's target. Left out as conventions of one distribution, not of our
#   packaging: directories; Debian's changelog.Debian.gz, copyright and lintian overrides, and
#   the doc directory of rootlessnet-rootlesskit that Debian requires; .build-id links and the
#   debug packages; a ".gz" suffix under /usr/share/man and /usr/share/doc (Debian's rpm
#   compresses nothing); /usr/share/doc/rootlessnet-VERSION (Debian's rpm) for
#   /usr/share/doc/rootlessnet. Then that rootlessnet-rootlesskit provides the same rootlesskit
#   version in both.
set -eu
debdir=${1:?usage: $0 DEBDIR RPMDIR}
rpmdir=${2:?usage: $0 DEBDIR RPMDIR}
tmp=$(mktemp -d /tmp/rn-filelists.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
command -v rpm >/dev/null || { echo "FAIL: rpm missing (tools/install-deps --packaging)" >&2; exit 1; }

# norm: "PERMS PATH [TARGET]" lines -> "KIND PATH [-> TARGET]", sorted, conventions removed
norm() {
	awk '
	function strip(p) {
		if (p ~ /^\/usr\/share\/(man|doc)\//) sub(/\.gz$/, "", p)
		sub(/^\/usr\/share\/doc\/rootlessnet-[0-9][^\/]*\//, "/usr/share/doc/rootlessnet/", p)
		return p
	}
	{
		perms = $1; path = $2; target = $3
		sub(/^\.\//, "/", path)
		if (perms ~ /^d/) next
		if (path ~ /^\/usr\/lib\/(\.build-id|debug)\//) next
		if (path ~ /^\/usr\/share\/doc\/[^\/]+\/(changelog\.Debian\.gz|copyright)$/) next
		if (path ~ /^\/usr\/share\/lintian\//) next
		if (path ~ /^\/usr\/share\/doc\/rootlessnet-rootlesskit\//) next
		if (perms ~ /^l/) {
			kind = "link"
			if (path ~ /^\/usr\/share\/(man|doc)\//) sub(/\.gz$/, "", target)
			target = " -> " target
		}
		else { kind = (perms ~ /x/) ? "exec" : "file"; target = "" }
		print kind " " strip(path) target
	}' | sort
}

status=0
for pkg in rootlessnet rootlessnet-rootlesskit; do
	deb=$(ls "$debdir/${pkg}_"*.deb 2>/dev/null | head -n 1)
	rpmf=$(find "$rpmdir" -name "$pkg-[0-9]*.rpm" ! -name '*.src.rpm' | head -n 1)
	[ -n "$deb" ] || { echo "FAIL: no ${pkg}_*.deb in $debdir" >&2; exit 1; }
	[ -n "$rpmf" ] || { echo "FAIL: no $pkg-*.rpm under $rpmdir" >&2; exit 1; }
	dpkg-deb -c "$deb" | awk '{ t = ($7 == "->") ? $8 : ""; print $1, $6, t }' | norm >"$tmp/$pkg.deb"
	rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES} %{FILELINKTOS}\n]' "$rpmf" 2>/dev/null |
		norm >"$tmp/$pkg.rpm"
	[ -s "$tmp/$pkg.deb" ] || { echo "FAIL: $deb lists no file" >&2; exit 1; }
	if cmp -s "$tmp/$pkg.deb" "$tmp/$pkg.rpm"; then
		echo "PASS: $pkg: $(basename "$rpmf") installs what $(basename "$deb") does ($(wc -l <"$tmp/$pkg.deb") files and links)"
		sed 's/^/#   /' "$tmp/$pkg.deb"
	else
		echo "FAIL: $pkg: the file lists differ (-deb +rpm):"
		diff -u "$tmp/$pkg.deb" "$tmp/$pkg.rpm" | tail -n +3 | sed 's/^/#   /'
		status=1
	fi
done
# and the drop-in provides the same rootlesskit version in both
deb=$(ls "$debdir"/rootlessnet-rootlesskit_*.deb | head -n 1)
rpmf=$(find "$rpmdir" -name 'rootlessnet-rootlesskit-[0-9]*.rpm' | head -n 1)
dv=$(dpkg-deb -f "$deb" Provides | sed -n 's/.*rootlesskit (= \([^)]*\)).*/\1/p')
rv=$(rpm -qp --provides "$rpmf" 2>/dev/null | sed -n 's/^rootlesskit = //p')
if [ -n "$dv" ] && [ "$dv" = "$rv" ]; then
	echo "PASS: rootlessnet-rootlesskit provides rootlesskit $dv in both"
else
	echo "FAIL: rootlessnet-rootlesskit provides rootlesskit '$dv' (deb) and '$rv' (rpm)"
	status=1
fi
exit $status
