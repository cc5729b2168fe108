"""The work the experiments measure: pure-Python CPU work, sleeping, and hashing.

Every workload runs in small chunks and records one span per chunk on its :class:`Lane`, so a
chart can show when the worker really ran. Chunks are 20-100 us: far below the 5 ms switch
interval, so a chunk rarely loses the GIL part-way (docs/measurements.md, section 1).

This module must stay importable by a fresh interpreter (spawn and forkserver start workers by
importing the function they run), so the worker entry points live here, not in a notebook.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass

from .timeline import WAIT, WORK, Lane

__all__ = ["WORKLOADS", "Plan", "plan", "calibrate", "run_lane", "process_main", "spin"]

WORKLOADS = ("cpu", "io", "hash", "hash-small")
CHUNK_US = 50
# hashlib releases the GIL only while hashing 2048 bytes or more in one call, and on every later
# update of an object once fed that much: "hash-small" feeds fresh objects 1 KiB at a time only
# (docs/measurements.md, section 1).
BIG_BLOCK = b"\x5a" * (64 * 1024)
SMALL_BLOCK = b"\x5a" * 1024
IO_CYCLE_MS = 50
IO_COMPUTE_MS = 2


def spin(iterations: int) -> int:
    """Burn CPU in pure Python (holds the GIL throughout); returns a checksum."""
    total = 0
    for i in range(iterations):
        total += i * i % 7
    return total


def _best_ns(fn, repeats: int = 5) -> int:
    best = None
    for _ in range(repeats):
        start = time.perf_counter_ns()
        fn()
        elapsed = time.perf_counter_ns() - start
        best = elapsed if best is None else min(best, elapsed)
    return max(best, 1)


@functools.lru_cache(maxsize=None)
def calibrate(chunk_us: int = CHUNK_US) -> dict[str, int]:
    """Measure, once per process, how much of each kind of work fits in one chunk.

    Returns:
        ``{"cpu": loop iterations, "hash": 64 KiB updates, "hash-small": 1 KiB updates}``
        per chunk of about *chunk_us* microseconds.
    """
    per_iteration = _best_ns(lambda: spin(20_000)) / 20_000
    big = _best_ns(lambda: hashlib.sha256(BIG_BLOCK * 4).digest()) / 4
    small = _best_ns(lambda: _small_updates(64)) / 64
    return {
        "cpu": max(1, round(chunk_us * 1000 / per_iteration)),
        "hash": 1,  # one 64 KiB update per chunk: 40-200 us (docs/measurements.md, section 1)
        "hash-small": max(1, round(chunk_us * 1000 / small)),
        "hash_ns": round(big),
        "cpu_iteration_ns": round(per_iteration),
    }


def _small_updates(count: int) -> bytes:
    digest = hashlib.sha256()
    for _ in range(count):
        digest.update(SMALL_BLOCK)
    return digest.digest()


@dataclass(frozen=True)
class Plan:
    """What one worker does: plain data, so it pickles to any start method."""

    workload: str
    lane: str
    chunks: int
    per_chunk: int
    sleep_s: float = 0.0
    cycles: int = 0


def plan(workload: str, size_ms: float, lane: str) -> Plan:
    """Turn "about *size_ms* of work" into a concrete, repeatable plan for one worker.

    Raises:
        ValueError: unknown workload or size_ms not > 0.
    """
    if workload not in WORKLOADS:
        raise ValueError(f"workload must be one of {', '.join(WORKLOADS)} (got {workload!r})")
    if not size_ms > 0:
        raise ValueError(f"size_ms must be > 0 (got {size_ms})")
    cal = calibrate()
    if workload == "io":
        cycles = max(1, round(size_ms / IO_CYCLE_MS))
        chunks = max(1, IO_COMPUTE_MS * 1000 // CHUNK_US)
        idle_s = (IO_CYCLE_MS - IO_COMPUTE_MS) / 1000
        return Plan(workload, lane, chunks, cal["cpu"], idle_s, cycles)
    if workload == "hash":
        chunks = max(1, round(size_ms * 1e6 / cal["hash_ns"]))
    else:
        chunks = max(1, round(size_ms * 1000 / CHUNK_US))
    return Plan(workload, lane, chunks, cal[workload])


def run_lane(plan: Plan, launch_ns: int | None = None) -> dict:
    """Carry out *plan* on the calling thread, recording a lane; returns the exported lane."""
    lane = Lane(plan.lane, launch_ns=launch_ns)
    _RUNNERS[plan.workload](lane, plan)
    return lane.close().export()


def process_main(plan: Plan, conn) -> None:
    """Entry point of a worker process: run the plan and send the lane back to the parent."""
    try:
        conn.send(run_lane(plan))
    finally:
        conn.close()


def _cpu(lane: Lane, plan: Plan) -> None:
    append, clock, iterations = lane.spans.append, time.perf_counter_ns, plan.per_chunk
    for _ in range(plan.chunks):
        start = clock()
        spin(iterations)
        append((start, clock(), WORK))


def _io(lane: Lane, plan: Plan) -> None:
    append, clock = lane.spans.append, time.perf_counter_ns
    for _ in range(plan.cycles):
        _cpu(lane, plan)
        start = clock()
        time.sleep(plan.sleep_s)  # stands in for a network or disk wait: the GIL is released
        append((start, clock(), WAIT))


def _hash(lane: Lane, plan: Plan) -> None:
    block = BIG_BLOCK if plan.workload == "hash" else SMALL_BLOCK
    append, clock, digest = lane.spans.append, time.perf_counter_ns, hashlib.sha256()
    for _ in range(plan.chunks):
        start = clock()
        for _ in range(plan.per_chunk):
            digest.update(block)
        append((start, clock(), WORK))


_RUNNERS = {"cpu": _cpu, "io": _io, "hash": _hash, "hash-small": _hash}
