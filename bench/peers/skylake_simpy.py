#!/usr/bin/python3
"""The Skylake deferred struct page init model as a SimPy user would quickly write it.

The peer of memmap-sim in bench/boot.ts (docs/peers.md). Seed 003: Xeon Platinum
8167M, 2 nodes x 26 cores x 2 threads, 384 GiB per node; boot-time deferred
struct page init with padata (Daniel Jordan, "[PATCH v2 5/7] mm: parallelize
deferred_init_memmap()", 20 May 2020; kernel-facts.md section 3.1).

The model, deliberately the quick one:
- one SimPy process per padata worker, one timeout event per chunk;
- padata chunking (kernel/padata.c): nworks = min(max(size / section, 1), threads),
  chunk = roundup(max(size / (nworks * 4), section), section); chunks are cut
  from the start of the node's deferred range (one range per node), and workers
  take them from a shared list until none remain;
- each node's DRAM bandwidth B is shared equally among the workers that are in
  a chunk, each capped by its CPU rate 1 / cpu_ns_per_page: a chunk of p pages
  takes p / min(cpu_rate, B / active), with `active` evaluated when the chunk
  starts and never re-evaluated while it runs;
- no SMT, no helper start latency, no L2 or buddy effects; nodes in parallel,
  deferred init = the slowest node, boot = deferred init + a constant.

Calibrated like memmap-sim on the 1- and 52-thread rows only: the per-page CPU
cost and the bandwidth are fitted by bisection (alternating, each on its own
row) inside this script; then 6, 13, 19, 26 and 39 threads are predicted.

Run with Debian's python3-simpy3 (SimPy 3.0.x):

    /usr/bin/python3 bench/peers/skylake_simpy.py [--pages 98500608,99024896] [--repeat 5]

Prints one JSON document: {threads, predictedMs, predictedBootMs, wallMsPerRun,
fitted, ...}. Without simpy it prints {"skipped": reason} and exits 0.
"""

import argparse
import json
import statistics
import sys
import time

try:
    import simpy
except ImportError as exc:  # the benchmark is optional: say why and succeed
    reason = (
        "simpy is not importable by %s (%s); install Debian's python3-simpy3 "
        "and run this script with /usr/bin/python3" % (sys.executable, exc)
    )
    print("skylake_simpy.py: skipped: " + reason, file=sys.stderr)
    print(json.dumps({"skipped": reason}))
    sys.exit(0)

PAGES_PER_SECTION = 32768  # 128 MiB sections of 4 KiB pages
STRUCT_PAGE_BYTES = 64
LOAD_BALANCE_FACTOR = 4  # padata's chunks per worker

# Deferred pages per node of seed003-skylake-768g, as memmap-sim lays them out
# (`memmap-sim run seed003-skylake-768g --json`, nodes[].pages): 384 GiB minus
# the early-initialized lower zones / first sections and the memmap reservation.
# bench/boot.ts passes memmap-sim's own counts with --pages.
DEFAULT_NODE_PAGES = [98500608, 99024896]

# The published table (slowest node's deferred init, kernel boot), ms.
PUBLISHED = {1: (1717.7, 4021.3), 6: (341.0, 2644.7), 13: (193.3, 2498.0), 19: (175.3, 2482.0),
             26: (193.7, 2495.0), 39: (172.7, 2478.0), 52: (143.3, 2448.0)}
FIT_ROWS = (1, 52)
PREDICT_ROWS = (6, 13, 19, 26, 39)


def roundup(x, a):
    return -(-x // a) * a


def padata_chunks(size, threads):
    """Chunk sizes of one padata_do_multithreaded job, in pages, and nworks."""
    nworks = min(max(size // PAGES_PER_SECTION, 1), threads)
    if nworks == 1:
        return [size], 1
    chunk = roundup(max(size // (nworks * LOAD_BALANCE_FACTOR), PAGES_PER_SECTION), PAGES_PER_SECTION)
    full, rest = divmod(size, chunk)
    return [chunk] * full + ([rest] if rest else []), nworks


class Node:
    def __init__(self, pages, threads):
        self.chunks, self.nworks = padata_chunks(pages, threads)
        self.next = 0
        self.active = 0
        self.done_at = 0.0


def worker(env, node, cpu_rate, bw_rate):
    while node.next < len(node.chunks):
        pages = node.chunks[node.next]
        node.next += 1
        node.active += 1
        # Let the workers that start a chunk at this same instant count themselves.
        yield env.timeout(0)
        rate = min(cpu_rate, bw_rate / node.active)  # pages per ns
        yield env.timeout(pages / rate)
        node.active -= 1
    node.done_at = max(node.done_at, env.now)


def simulate(node_pages, threads, cpu_ns_per_page, dram_gbs):
    """Deferred init time of each node, in ms."""
    env = simpy.Environment()
    cpu_rate = 1.0 / cpu_ns_per_page
    bw_rate = dram_gbs / STRUCT_PAGE_BYTES  # GB/s = bytes per ns -> pages per ns
    nodes = [Node(p, threads) for p in node_pages]
    for node in nodes:
        for _ in range(node.nworks):
            env.process(worker(env, node, cpu_rate, bw_rate))
    env.run()
    return [n.done_at / 1e6 for n in nodes]


def slowest(node_pages, threads, cpu_ns, gbs):
    return max(simulate(node_pages, threads, cpu_ns, gbs))


def bisect(f, target, lo, hi, increasing, tol=1e-9, max_iter=200):
    """x in [lo, hi] with f(x) = target, f monotone; geometric bisection."""
    for _ in range(max_iter):
        mid = (lo * hi) ** 0.5
        above = f(mid) > target
        if above == increasing:
            hi = mid
        else:
            lo = mid
        if hi / lo - 1 < tol:
            break
    return (lo * hi) ** 0.5


def fit(node_pages):
    """Per-page CPU cost from the 1-thread row, bandwidth from the 52-thread row, alternating."""
    t1, t52 = PUBLISHED[1][0], PUBLISHED[52][0]
    cpu_ns, gbs = 10.0, 1000.0
    sims = [0]

    def run(threads, c, b):
        sims[0] += 1
        return slowest(node_pages, threads, c, b)

    for rounds in range(1, 50):
        old = (cpu_ns, gbs)
        cpu_ns = bisect(lambda c: run(1, c, gbs), t1, 0.01, 1000.0, increasing=True)
        gbs = bisect(lambda b: run(52, cpu_ns, b), t52, 0.1, 10000.0, increasing=False)
        if abs(cpu_ns / old[0] - 1) < 1e-7 and abs(gbs / old[1] - 1) < 1e-7:
            break
    return {
        "cpuNsPerPage": cpu_ns,
        "dramWriteGBs": gbs,
        "restOfBootMs": statistics.mean(PUBLISHED[t][1] - PUBLISHED[t][0] for t in FIT_ROWS),
        "fitRows": list(FIT_ROWS),
        "fitSimulations": sims[0],
        "fitRounds": rounds,
        "check": {str(t): round(slowest(node_pages, t, cpu_ns, gbs), 3) for t in FIT_ROWS},
    }


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", default=",".join(map(str, DEFAULT_NODE_PAGES)),
                    help="deferred pages of each node, comma separated (default: seed003's)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of the 52-thread simulation")
    args = ap.parse_args(argv)
    node_pages = [int(x) for x in args.pages.split(",") if x]

    t0 = time.perf_counter()
    fitted = fit(node_pages)
    fit_ms = (time.perf_counter() - t0) * 1e3
    c, b, rest = fitted["cpuNsPerPage"], fitted["dramWriteGBs"], fitted["restOfBootMs"]

    threads = sorted(PUBLISHED)
    predicted = [round(slowest(node_pages, t, c, b), 3) for t in threads]

    walls = []
    for _ in range(max(args.repeat, 1)):
        s = time.perf_counter()
        simulate(node_pages, 52, c, b)
        walls.append((time.perf_counter() - s) * 1e3)

    doc = {
        "peer": "SimPy %s, Python %s (%s)" % (simpy.__version__, sys.version.split()[0], sys.executable),
        "model": "one process per worker, one event per chunk, DRAM shared equally among active workers "
                 "(rate = min(cpu, B/active) fixed at chunk start), no SMT, no start latency",
        "nodePages": node_pages,
        "threads": threads,
        "predictedMs": predicted,
        "predictedBootMs": [round(p + rest, 3) for p in predicted],
        "heldOut": list(PREDICT_ROWS),
        "wallMsPerRun": round(statistics.median(walls), 3),
        "wallMsRuns": [round(w, 3) for w in walls],
        "fitWallMs": round(fit_ms, 1),
        "fitted": {k: (round(v, 6) if isinstance(v, float) else v) for k, v in fitted.items()},
    }
    print(json.dumps(doc))


if __name__ == "__main__":
    main(sys.argv[1:])
