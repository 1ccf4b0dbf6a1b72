#!/bin/sh
# tests/fuzz/run.sh - make fuzz: run each libFuzzer harness for a bounded time over a copy of its seeds
# Usage: run.sh NAME...  (from make fuzz; env: FUZZ_SRCDIR, FUZZ_BUILDDIR, FUZZ_SECONDS, FUZZ_JOBS)
#
# Each harness tests/fuzz/fuzz_NAME runs for FUZZ_SECONDS (60) on a fresh copy of
# tests/fuzz/corpus/NAME, with tests/fuzz/regress/NAME as a second, read-only corpus (every
# regression input is run first), its dictionary and input size limit below, and the
# library's own log output discarded. FUZZ_JOBS harnesses (1) run at a time, one process each.
# Work files: $FUZZ_BUILDDIR/tests/fuzz/work/NAME/ (corpus, log, and any crash-*, leak-*,
# timeout-* or oom-* input). The status is 1 if any harness found something.
set -u
src=${FUZZ_SRCDIR:?}
build=${FUZZ_BUILDDIR:?}
secs=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}

# max_len and dictionary of a harness: long enough for what it parses, short enough to stay fast
fuzz_opts() {
	case $1 in
	portspec) echo "256 portspec.dict" ;;
	apijson) echo "2048 json.dict" ;;
	ctl) echo "4096 http-response.dict" ;;
	http) echo "4096 http.dict" ;;
	cli) echo "1024 cli.dict" ;;
	subid) echo "1024 -" ;;
	ctlmsg) echo "1024 -" ;;
	netlink) echo "1024 -" ;;
	dproxy) echo "512 dproxy.dict" ;;
	*) return 1 ;;
	esac
}

# fuzz_one NAME: fuzz one harness; prints a summary line, and the findings
fuzz_one() {
	name=$1
	prog=$build/tests/fuzz/fuzz_$name
	work=$build/tests/fuzz/work/$name
	opts=$(fuzz_opts "$name") || { echo "FAIL $name: no options in run.sh"; return 1; }
	max=${opts% *}
	dict=${opts#* }
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/findings"
	cp "$src/tests/fuzz/corpus/$name/"* "$work/corpus/"
	set -- -max_total_time="$secs" -max_len="$max" -rss_limit_mb=1024 -timeout=10 \
		-close_fd_mask=2 -print_final_stats=1 -artifact_prefix="$work/findings/"
	[ "$dict" = - ] || set -- "$@" -dict="$src/tests/fuzz/$dict"
	set -- "$@" "$work/corpus"
	[ -d "$src/tests/fuzz/regress/$name" ] && set -- "$@" "$src/tests/fuzz/regress/$name"
	"$prog" "$@" >"$work/log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
	cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -n 1)
	found=$(ls "$work/findings")
	if [ "$rc" = 0 ] && [ -z "$found" ]; then
		echo "ok   $name: ${secs}s, ${runs:-?} runs, ${rate:-?} exec/s, ${cov:-cov: ?}"
		return 0
	fi
	echo "FAIL $name: exit status $rc after ${runs:-?} runs; the end of $work/log:"
	tail -n 60 "$work/log" | sed 's/^/    /'
	for f in $found; do
		echo "  input $work/findings/$f (reproduce: $prog $work/findings/$f):"
		od -A d -c "$work/findings/$f" | head -n 16 | sed 's/^/    /'
	done
	return 1
}

if [ "${1:-}" = --one ]; then
	fuzz_one "$2"
	exit
fi
[ $# -gt 0 ] || { echo "usage: $0 NAME..." >&2; exit 2; }
echo "fuzzing $*: ${secs}s each, $jobs at a time"
# xargs -P runs the harnesses in parallel and exits non-zero if any of them failed
if ! printf '%s\n' "$@" | xargs -P "$jobs" -I{} sh "$0" --one {}; then
	echo "make fuzz: FAILED: a harness found a crash, leak or timeout (above)"
	exit 1
fi
echo "make fuzz: every harness ran clean"
