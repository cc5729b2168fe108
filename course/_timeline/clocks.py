"""Clocks: read wall and perf_counter together, and align a child process's spans with them."""

from __future__ import annotations

import time

# Clocks of parent and child agree to microseconds on Linux; shift only real disagreements.
CLOCK_SHIFT_THRESHOLD_NS = 1_000_000


def clock_pair(tries: int = 3) -> tuple[int, int]:
    """(time_ns, perf_counter_ns) read together: the tightest of a few tries skips a preemption."""
    reads = [(time.perf_counter_ns(), time.time_ns(), time.perf_counter_ns()) for _ in range(tries)]
    before, wall, after = min(reads, key=lambda r: r[2] - r[0])
    return wall, (before + after) // 2


def _aligned(lane: dict) -> dict:
    """Shift a child process's spans onto the parent's perf_counter clock when they differ."""
    if lane.get("clock_pair") is None:
        return lane
    (child_wall, child_perf), (wall, perf) = lane["clock_pair"], clock_pair()
    offset = perf - (wall - child_wall) - child_perf  # the parent's clock minus the child's
    if abs(offset) <= CLOCK_SHIFT_THRESHOLD_NS:
        return lane
    shifted = dict(lane)
    shifted["spans"] = [(s + offset, e + offset, k) for s, e, k in lane["spans"]]
    return shifted
