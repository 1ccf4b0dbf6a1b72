# tools/apt-private.sh - apt-get with an apt configuration of our own, for one run (sourced, POSIX sh)
#
# The patch checks need Debian source packages (deb-src) and the AppArmor check a package of
# another release. Instead of adding entries to /etc/apt (to undo on every exit path, racing
# any other apt-get on the machine), the entries go into a directory of the caller's (its
# temporary directory, removed by its EXIT trap), with package lists of their own there:
# nothing under /etc/apt or /var/lib/apt changes.
#
#   apt_private_setup DIR TYPE [SUITE]   DIR/sources.list.d/rn.sources: the system's Debian
#       entries (deb822 *.sources, one-line sources.list and *.list: both read; RN_APT_ETC
#       replaces /etc/apt) as TYPE
#       (deb-src or deb) entries; with SUITE, one entry for that suite (component main) on
#       the mirror of the system's release instead. Entries are "Debian" when their URI ends
#       in /debian or /debian-security; RN_APT_URI=URI names the mirror instead.
#   apt_private DIR apt-get|apt-cache ARGS...   run it with DIR's sources and lists
#
# Needs the caller's set -eu; prints what it did on stderr when it fails.

# apt_private_opts DIR: the options that give apt DIR's sources, lists and caches
apt_private_opts() {
	echo "-o Dir::Etc::SourceList=$1/sources.list -o Dir::Etc::SourceParts=$1/sources.list.d" \
		"-o Dir::State::Lists=$1/lists -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=" \
		"-o Dir::Cache::Archives=$1/archives -o APT::Sandbox::User=root"
}

apt_private() {
	_ap_dir=$1
	_ap_cmd=$2
	shift 2
	# shellcheck disable=SC2046
	"$_ap_cmd" $(apt_private_opts "$_ap_dir") "$@"
}

# apt_system_entries: the system's deb entries as deb822 stanzas (one-line ones converted),
# Enabled: no ones left out
apt_system_entries() {
	_ase_etc=${RN_APT_ETC:-/etc/apt}
	for _ase_f in "$_ase_etc/sources.list" "$_ase_etc"/sources.list.d/*.list; do
		[ -f "$_ase_f" ] || continue
		# deb [opts] URI SUITE COMPONENT... -> a stanza (opts: signed-by= is kept)
		awk '
		/^[[:space:]]*deb[[:space:]]/ {
			signed = ""
			i = 2
			if ($2 ~ /^\[/) {
				opts = ""
				while (i <= NF) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } i++ }
				if (match(opts, /signed-by=[^] ]+/))
					signed = substr(opts, RSTART + 10, RLENGTH - 10)
			}
			printf "Types: deb\nURIs: %s\nSuites: %s\nComponents:", $i, $(i + 1)
			for (j = i + 2; j <= NF && $j !~ /^#/; j++) printf " %s", $j
			printf "\n"
			if (signed != "") printf "Signed-By: %s\n", signed
			printf "\n"
		}' "$_ase_f"
	done
	for _ase_f in "$_ase_etc"/sources.list.d/*.sources; do
		[ -f "$_ase_f" ] || continue
		# whole stanzas (a Signed-By may hold a key over several lines), comments dropped
		awk '
		function flush() {
			if (st != "" && types ~ /(^|[[:space:]])deb([[:space:]]|$)/ && enabled !~ /^[[:space:]]*no/)
				printf "%s\n", st
			st = ""; types = ""; enabled = ""
		}
		/^#/ { next }
		/^[[:space:]]*$/ { flush(); next }
		/^Types:/ { types = substr($0, 7) }
		/^Enabled:/ { enabled = substr($0, 9) }
		{ st = st $0 "\n" }
		END { flush() }' "$_ase_f"
	done
}

apt_private_setup() {
	_aps_dir=$1
	_aps_type=$2
	_aps_suite=${3:-}
	mkdir -p "$_aps_dir/sources.list.d" "$_aps_dir/lists/partial" "$_aps_dir/archives/partial"
	: >"$_aps_dir/sources.list"
	_aps_out=$_aps_dir/sources.list.d/rn.sources
	# keep the Debian entries (or the one of RN_APT_URI), as TYPE
	apt_system_entries | awk -v type="$_aps_type" -v want="${RN_APT_URI:-}" '
	function flush() {
		keep = 0
		n = split(uris, u, /[[:space:]]+/)
		for (k = 1; k <= n; k++) {
			x = u[k]; sub(/\/+$/, "", x)
			if (want != "" ? (x == want || x "/" == want) : (x ~ /\/debian(-security)?$/)) keep = 1
		}
		if (st != "" && keep) printf "Types: %s\n%s\n", type, st
		st = ""; uris = ""
	}
	/^[[:space:]]*$/ { flush(); next }
	/^Types:/ { next }
	/^URIs:/ { uris = substr($0, 6) }
	{ st = st $0 "\n" }
	END { flush() }' >"$_aps_out.all"
	if [ ! -s "$_aps_out.all" ]; then
		echo "apt-private: no Debian entry in /etc/apt/sources.list or /etc/apt/sources.list.d (set RN_APT_URI)" >&2
		return 1
	fi
	if [ -z "$_aps_suite" ]; then
		mv "$_aps_out.all" "$_aps_out"
		return 0
	fi
	# SUITE on the mirror of the system's release: the first entry whose suites hold the
	# release's codename (not the security archive)
	_aps_code=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	awk -v code="$_aps_code" -v suite="$_aps_suite" '
	function flush() {
		if (!done && st != "" && suites ~ ("(^|[[:space:]])" code "([[:space:]]|$)")) {
			printf "%s", st
			printf "Suites: %s\nComponents: main\n", suite
			if (signed != "") printf "%s", signed
			done = 1
		}
		st = ""; suites = ""; signed = ""; insig = 0
	}
	/^[[:space:]]*$/ { flush(); next }
	/^Types:/ { st = st $0 "\n"; next }
	/^URIs:/ { st = st $0 "\n"; insig = 0; next }
	/^Suites:/ { suites = substr($0, 8); insig = 0; next }
	/^Signed-By:/ { signed = $0 "\n"; insig = 1; next }
	/^[[:space:]]/ { if (insig) signed = signed $0 "\n"; next }
	{ insig = 0 }
	END { flush() }' "$_aps_out.all" >"$_aps_out"
	rm -f "$_aps_out.all"
	if [ ! -s "$_aps_out" ]; then
		echo "apt-private: no Debian entry for release '$_aps_code' to take the mirror of (set RN_APT_URI)" >&2
		return 1
	fi
}
