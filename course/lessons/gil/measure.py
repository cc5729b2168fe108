"""Measuring lesson 2: turns under the GIL, the switch-interval sweep, the same experiment
repeated, and timelines turned into plain data.

The notebook shows each experiment once in plain code (threads started and joined, clocks read
by hand); these functions repeat it, many times or under many settings, with ``course.run``.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass
from typing import Iterable

from ..._validate import check_choice, check_int, check_seconds
from ...amdahl import predict
from ...experiments import BACKENDS, WORKLOADS, Result, run
from ...timeline import RUNNING, Timeline

__all__ = ["Turn", "turns", "median_turn_ms", "unfair_handoffs", "SweepRow", "switch_sweep",
           "repeat", "running_intervals", "Speedup"]


@dataclass(frozen=True)
class Turn:
    """A stretch during which one lane ran and no other lane ran in between."""

    lane: str
    start_ns: int
    end_ns: int

    @property
    def duration_ms(self) -> float:
        return (self.end_ns - self.start_ns) / 1e6


def turns(timeline: Timeline) -> list[Turn]:
    """Group a timeline's running segments, in time order, into turns of one lane each.

    A lane briefly preempted by the OS, with no other lane running meanwhile, keeps its
    turn: a turn ends only when another lane starts running (a hand-off).
    """
    running = sorted((s for s in timeline.segments() if s.kind == RUNNING),
                     key=lambda s: s.start_ns)
    found = []
    for lane, group in itertools.groupby(running, key=lambda s: s.lane):
        group = list(group)
        found.append(Turn(lane, group[0].start_ns, max(s.end_ns for s in group)))
    return found


def median_turn_ms(timeline: Timeline, drop_last: bool = True) -> float:
    """Median turn length in milliseconds (0.0 without turns).

    Args:
        drop_last: leave out the last turn, cut short because the work ran out.
    """
    found = turns(timeline)
    if drop_last and len(found) > 1:
        found = found[:-1]
    return statistics.median(t.duration_ms for t in found) if found else 0.0


def unfair_handoffs(timeline: Timeline) -> tuple[int, int]:
    """Count hand-offs that skipped the thread which had waited longest for a turn.

    Round-robin would always hand the GIL to the lane whose last turn ended longest ago (or
    that has not run yet). A lane counts as waiting until its last turn has started.

    Returns:
        ``(skipping hand-offs, all hand-offs)``.
    """
    found = turns(timeline)
    last_turn = {t.lane: i for i, t in enumerate(found)}  # a lane is done after this turn
    ended: dict[str, int] = {t.lane: -1 for t in found}  # -1: not run yet
    skipped = 0
    for i, (current, following) in enumerate(zip(found, found[1:])):
        ended[current.lane] = current.end_ns
        waiting = [lane for lane, last in last_turn.items() if last > i and lane != current.lane]
        if waiting and following.lane != min(waiting, key=lambda lane: ended[lane]):
            skipped += 1
    return skipped, max(0, len(found) - 1)


@dataclass(frozen=True)
class SweepRow:
    """One switch interval and the turns measured with it."""

    interval_ms: float
    median_turn_ms: float
    turns: int
    result: Result


def switch_sweep(intervals_ms: Iterable[float], workers: int = 2,
                 turns_wanted: int = 8) -> list[SweepRow]:
    """Run CPU-bound threads under each switch interval and measure their turns.

    ``course.run`` sets each interval and puts the old one back in a ``finally``.

    Args:
        intervals_ms: switch intervals to try, in milliseconds (each > 0).
        workers: threads competing for the GIL (>= 2).
        turns_wanted: about how many turns each run should hold (sizes the work).

    Returns:
        One SweepRow per interval, in the order given.

    Raises:
        ValueError: an interval is not > 0 or workers < 2.
    """
    check_int("workers", workers, 2)
    check_int("turns_wanted", turns_wanted, 1)
    intervals = list(intervals_ms)
    for interval in intervals:
        check_seconds("switch intervals (ms)", interval)
    rows = []
    for interval in intervals:
        size = max(20.0, interval * turns_wanted / workers)
        result = run("cpu", workers, "threads", size_ms=size, switch_interval=interval / 1000)
        rows.append(SweepRow(interval, median_turn_ms(result.timeline),
                             len(turns(result.timeline)), result))
    return rows


def repeat(workload: str = "cpu", workers: int = 2, backends=("threads", "processes"),
           repeats: int = 5, size_ms: float = 50.0) -> dict[str, list[Result]]:
    """Run the same tasks on each backend *repeats* times: the same experiment, repeated.

    The backends take turns (threads, processes, threads, ...), so a burst of load on the
    machine spoils one run of each rather than every run of one.

    Args:
        workload: one of course.WORKLOADS.
        workers: workers per run (1..64).
        backends: some of "sequential", "threads", "processes".
        repeats: runs per backend (>= 1).
        size_ms: milliseconds of work per worker.

    Returns:
        ``{backend: [Result, ...]}`` in the order run.

    Raises:
        ValueError: an unknown workload or backend, or repeats < 1.
    """
    check_choice("workload", workload, WORKLOADS)
    for backend in backends:
        check_choice("backend", backend, BACKENDS)
    check_int("repeats", repeats, 1)
    runs: dict[str, list[Result]] = {backend: [] for backend in backends}
    for _ in range(repeats):
        for backend in backends:
            runs[backend].append(run(workload, workers, backend, size_ms=size_ms))
    return runs


def running_intervals(timeline) -> dict[str, list[tuple[float, float]]]:
    """Return ``{lane: [(start_s, end_s), ...]}`` of the running segments, in seconds from the
    run's start: a chart as plain data.

    Args:
        timeline: a Timeline, or a Result of ``course.run``.
    """
    timeline = getattr(timeline, "timeline", timeline)
    lanes: dict[str, list[tuple[float, float]]] = {name: [] for name in timeline.lane_names}
    for seg in timeline.segments():
        if seg.kind == RUNNING:
            lanes[seg.lane].append(((seg.start_ns - timeline.start_ns) / 1e9,
                                    (seg.end_ns - timeline.start_ns) / 1e9))
    return lanes


@dataclass(frozen=True)
class Speedup:
    """A speedup measured in the notebook, and the parallel fraction that should explain it.

    Attributes:
        p: the parallel fraction Amdahl's law is given (0..1).
        workers: how many workers ran.
        sequential_s: seconds the same tasks took one after another.
        wall_s: seconds they took on the workers.
        needs_cores: True when the parallel part computes (at most one worker per core runs
            it at once); False when it waits (sleep, I/O), which takes no core.
    """

    p: float
    workers: int
    sequential_s: float
    wall_s: float
    needs_cores: bool = True

    @property
    def measured(self) -> float:
        """How many times faster than one after another."""
        return self.sequential_s / self.wall_s

    def predicted(self, cores: int) -> float:
        """Amdahl's speedup for these workers on *cores* usable cores."""
        return predict(self.p, self.workers, cores if self.needs_cores else None)
