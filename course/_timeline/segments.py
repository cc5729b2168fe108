"""Classification: raw chunks become merged segments (running, ready, waiting, startup).

Under the GIL a chunk that lost the interpreter halfway keeps its clock running while the
thread waits, so a chunk much longer than its lane's median is "ready, not running" rather
than running. Consecutive chunks of one kind are merged into segments, and segments are swept
into step functions ("how many lanes were running from t on").
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .kinds import _RAW_TO_SEGMENT, READY, STARTUP, WORK

# A chunk is "stretched" (it lost the CPU or the GIL part-way) when it is both this many
# times its lane's median chunk and this much longer than it (docs/measurements.md, section 1).
STRETCH_FACTOR = 3.0
STRETCH_MIN_NS = 200_000
MERGE_MIN_GAP_NS = 2_000


@dataclass(frozen=True)
class Segment:
    """A stretch of time one lane spent in one state, in nanoseconds on the parent's clock."""

    lane: str
    start_ns: int
    end_ns: int
    kind: str
    pid: int = 0
    tid: int = 0

    @property
    def duration_ns(self) -> int:
        return self.end_ns - self.start_ns


def _median_work_ns(spans: list[tuple[int, int, str]]) -> float:
    work = [end - start for start, end, kind in spans if kind == WORK]
    return statistics.median(work) if work else 0.0


def _classify_lane(lane: dict) -> list[Segment]:
    """Classify one lane's raw chunks and merge neighbours of the same kind."""
    spans = sorted(lane["spans"])
    if lane.get("classified"):
        kinds = [(s, e, _RAW_TO_SEGMENT.get(k, k)) for s, e, k in spans]
        gap = 0
    else:
        median = _median_work_ns(spans)
        stretched = max(STRETCH_FACTOR * median, median + STRETCH_MIN_NS)
        kinds = [(s, e, READY if k == WORK and e - s > stretched else _RAW_TO_SEGMENT[k])
                 for s, e, k in spans]
        kinds += _descheduled_gaps(spans, stretched)
        kinds.sort()
        gap = max(MERGE_MIN_GAP_NS, median / 2)
        if lane.get("launch_ns") is not None and spans:
            kinds.insert(0, (lane["launch_ns"], spans[0][0], STARTUP))
    return _merge(kinds, gap, lane)


def _descheduled_gaps(spans: list[tuple[int, int, str]], longest: float) -> list[tuple]:
    """Long pauses between two work chunks: the worker was ready but had no CPU or GIL."""
    return [(end, start, READY) for (_, end, k1), (start, _, k2) in zip(spans, spans[1:])
            if k1 == WORK and k2 == WORK and start - end > longest]


def _merge(spans: list[tuple[int, int, str]], gap: float, lane: dict) -> list[Segment]:
    merged: list[list] = []
    for start, end, kind in spans:
        if merged and merged[-1][2] == kind and start - merged[-1][1] <= gap:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, kind])
    return [Segment(lane["name"], s, e, k, lane.get("pid", 0), lane.get("tid", 0))
            for s, e, k in merged if e > s]


def _step_profile(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sweep the intervals into ``[(t, count from t on)]``; ends sort before starts."""
    events = sorted([(s, 1) for s, e in intervals if e > s] +
                    [(e, -1) for s, e in intervals if e > s])
    steps: list[tuple[int, int]] = []
    count = 0
    for t, delta in events:  # (t, -1) sorts before (t, +1): touching is not overlapping
        count += delta
        if steps and steps[-1][0] == t:
            steps[-1] = (t, count)
        else:
            steps.append((t, count))
    return steps
