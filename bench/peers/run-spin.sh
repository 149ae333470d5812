#!/usr/bin/env bash
# Runs the Spin peer of memmap-sim's exhaustive explorer: the max-order buddy
# hazard (buddy_maxorder.pml) with an unaligned split (the known-bad
# bug-unaligned-chunks) and with the whole block on one worker (padata).
# Prints one JSON object per variant: states stored, transitions, errors,
# depth, and the wall time of spin -a, gcc and ./pan.
#   bash bench/peers/run-spin.sh            (needs Debian's spin and gcc: apt-get install -y spin)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v spin >/dev/null || { echo "run-spin.sh: spin is not installed (apt-get install -y spin)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/buddy_maxorder.pml" "$work/"
cd "$work"

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
field() { sed -n "s/^ *\([0-9.e+]*\) $1.*/\1/p" pan.out | head -1; }

# name, spin -D flags, gcc flags, pan flags (-c1: stop at the first error; -c0: explore everything)
run() {
  local name="$1" defs="$2" ccflags="$3" panflags="$4"
  local t0; t0=$(date +%s%N)
  spin $defs -a buddy_maxorder.pml >/dev/null
  gcc -O2 -w -DSAFETY $ccflags -o pan pan.c
  local built; built=$(ms "$t0")
  local t1; t1=$(date +%s%N)
  ./pan $panflags >pan.out 2>&1 || true
  local ran; ran=$(ms "$t1")
  local errors; errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' pan.out | head -1)
  local depth; depth=$(sed -n 's/.*depth reached \([0-9]*\).*/\1/p' pan.out | head -1)
  local assertion; assertion=$(sed -n 's/^pan:1: \(assertion violated [^(]*\).*/\1/p' pan.out | head -1 | sed 's/ *$//')
  printf '{"variant":"%s","spinFlags":"%s","gccFlags":"%s","panFlags":"%s","statesStored":%s,"transitions":%s,"depth":%s,"errors":%s,"assertion":"%s","buildMs":%s,"panMs":%s}\n' \
    "$name" "$defs" "-O2 -DSAFETY${ccflags:+ $ccflags}" "$panflags" "$(field 'states, stored')" "$(field 'transitions')" "$depth" "$errors" "$assertion" "$built" "$ran"
}

run unaligned-first-error "-DSPLIT=3" "" "-c1"
run unaligned-all "-DSPLIT=3" "" "-c0"
run unaligned-all-no-por "-DSPLIT=3" "-DNOREDUCE" "-c0"
run aligned "-DSPLIT=8" "" "-c0"
run unaligned-order4 "-DMAXORDER=4 -DNPAGES=16 -DSPLIT=5" "" "-c0"
