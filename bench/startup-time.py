#!/usr/bin/env python3
# bench/startup-time.py - paired start-to-exit times of two binaries with the same flags
"""startup-time.py RUNS NAME OURS REF -- FLAGS...

Runs OURS FLAGS and REF FLAGS alternately (A, B, A, B ...), RUNS times each, every run
bounded by 30 s, stdout discarded (stderr kept for a failure's last line); times each from the spawn to the exit with a
monotonic clock and prints one line: the median of each in milliseconds and the ratio
REF/OURS. A run that fails is reported on stderr and left out of the median; a failure of
OURS makes the exit status 1. (rootlesskit 1.1 with the builtin driver fails now and then
when the command exits at once: "write .bp.sock: broken pipe".)
"""
import statistics
import subprocess
import sys
import time


def once(argv):
    t0 = time.monotonic()
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=30, check=False)
    ms = (time.monotonic() - t0) * 1000.0
    last = r.stderr.decode(errors="replace").strip().splitlines()[-1:] if r.returncode else []
    return ms, r.returncode, last[0] if last else ""


def main():
    if len(sys.argv) < 6 or sys.argv[5] != "--":
        sys.exit(__doc__)
    runs, name, ours, ref = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    flags = sys.argv[6:]
    times = {ours: [], ref: []}
    failed = {ours: 0, ref: 0}
    for _ in range(runs):
        for b in (ours, ref):
            ms, rc, why = once([b] + flags)
            if rc != 0:
                print("startup-time: %s %s: exit status %d: %s" % (b, " ".join(flags), rc, why),
                      file=sys.stderr)
                failed[b] += 1
                continue
            times[b].append(ms)
    if not times[ours] or not times[ref]:
        sys.exit("startup-time: %s: no successful run of %s" % (name, ours if not times[ours] else ref))
    mo, mr = statistics.median(times[ours]), statistics.median(times[ref])
    note = ""
    if failed[ref]:
        note = ", %d of rootlesskit's runs failed and are left out" % failed[ref]
    print("startup %-12s rootlessnet %6.1f ms  rootlesskit %6.1f ms  ratio rootlesskit/ours "
          "%.2fx  (median of %d, paired%s)" % (name, mo, mr, mr / mo if mo > 0 else 0, runs, note),
          flush=True)
    sys.exit(1 if failed[ours] else 0)

if __name__ == "__main__":
    main()
