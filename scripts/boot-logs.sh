#!/usr/bin/env bash
# Boots Debian's kernel under QEMU/TCG (no root fs: it panics after deferred
# struct page init has printed) and keeps the serial console as a boot log.
# Needs: apt-get install -y qemu-system-x86 linux-image-amd64
# Usage: scripts/boot-logs.sh [OUTDIR]   (default test/fixtures/dmesg)
set -euo pipefail
out=${1:-test/fixtures/dmesg}
kernel=$(ls /boot/vmlinuz-* | sort -V | tail -1)
config=/boot/config-${kernel#/boot/vmlinuz-}
grep -q '^CONFIG_DEFERRED_STRUCT_PAGE_INIT=y' "$config" || { echo "$kernel: no CONFIG_DEFERRED_STRUCT_PAGE_INIT" >&2; exit 1; }
mkdir -p "$out"

# boot NAME APPEND QEMU-ARGS...: one boot, at most 150 s, log cut after the panic line.
boot() {
  local name=$1 append=$2; shift 2
  local raw; raw=$(mktemp)
  timeout 150 qemu-system-x86_64 -accel tcg -machine q35 -cpu qemu64 -nographic -no-reboot \
    -kernel "$kernel" -append "console=ttyS0 panic=-1 loglevel=7 $append" "$@" >"$raw" 2>&1 || true
  # Keep everything up to the panic: the deferred-init lines come before it.
  tr -d '\r' <"$raw" | sed -n '1,/Kernel panic/p' | head -c 1048576 >"$out/$name.log"
  rm -f "$raw"
  grep -q 'deferred pages initialised' "$out/$name.log" || { echo "$name: no deferred-init line" >&2; exit 1; }
  echo "$out/$name.log: $(grep -c '' "$out/$name.log") lines"
}

# Two NUMA nodes of 2 GiB, CPUs alternating between them (0,2 on node 0; 1,3 on node 1),
# so that nr_cpus=2 keeps one CPU on each node.
numa=(-object memory-backend-ram,id=m0,size=2G -object memory-backend-ram,id=m1,size=2G
  -numa node,nodeid=0,memdev=m0,cpus=0,cpus=2 -numa node,nodeid=1,memdev=m1,cpus=1,cpus=3)
boot qemu-2node-smp4 '' -m 4G -smp 4,sockets=4,cores=1 "${numa[@]}"
# The same machine booted with nr_cpus=2: one CPU per node.
boot qemu-2node-nrcpus2 'nr_cpus=2' -m 4G -smp 4,sockets=4,cores=1 "${numa[@]}"
# One node (no NUMA table), 2 CPUs.
boot qemu-1node-smp2 '' -m 3G -smp 2,sockets=1,cores=2
