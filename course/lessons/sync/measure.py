"""Lesson 3's experiments, recorded: the notebook's own plain code, run again for a chart.

Each function here repeats an experiment the notebook first shows as plain ``threading`` code,
recording it with the one :class:`course.Recorder`, so the explorer and the README pictures
draw exactly what the lesson teaches. None of them runs a student's code.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from ..._validate import check_int, check_seconds
from ...timeline import Recorder, Timeline

__all__ = ["RaceRun", "race_timeline", "capped_jobs", "MAX_LIMIT", "MAX_WORKERS"]

# Threads wait for one another at their start line at most this long.
START_TIMEOUT_S = 5.0
# Every run here ends within this bound; a thread still running after it is reported.
RUN_TIMEOUT_S = 10.0
# The semaphore experiment's ranges: a run stays well under a second.
MAX_LIMIT = 8
MAX_WORKERS = 12


@dataclass(frozen=True)
class RaceRun:
    """One recorded run of the unlocked deposit: the timeline and the deposits that arrived."""

    timeline: Timeline
    balance: int
    expected: int

    @property
    def lost(self) -> int:
        """Deposits that left no trace in the balance."""
        return self.expected - self.balance


def race_timeline(threads: int = 4, times: int = 20) -> RaceRun:
    """Run the notebook's unlocked deposit (read, ``sleep(0)``, write) and record it.

    Each thread records, as a "wait" span, the stretch between its read and its write: it
    sleeps there, holding a balance that another thread may change meanwhile.

    Args:
        threads: depositing threads (>= 1), released together by a barrier.
        times: deposits of 1 per thread (>= 1).

    Returns:
        A :class:`RaceRun`.

    Raises:
        TypeError, ValueError: bad arguments. TimeoutError: the run took over 10 s.
    """
    check_int("threads", threads, 1)
    check_int("times", times, 1)
    rec = Recorder(classify=False)
    box = {"balance": 0}
    start_line = threading.Barrier(threads, action=lambda: _restart(rec),
                                   timeout=START_TIMEOUT_S)

    def deposit() -> None:
        start_line.wait()
        for _ in range(times):
            seen = box["balance"]
            with rec.span("wait"):  # holding `seen` while others run
                time.sleep(0)
            box["balance"] = seen + 1

    _run_threads([deposit] * threads, "depositor")
    return RaceRun(_sorted(rec.timeline(f"{threads} x {times} deposits")), box["balance"],
                   threads * times)


def capped_jobs(limit: int = 3, workers: int = 6, jobs_each: int = 2,
                job_s: float = 0.02) -> Timeline:
    """Run *workers* threads doing *jobs_each* jobs each, at most *limit* at once.

    Each job takes a slot of a ``threading.Semaphore(limit)`` and sleeps *job_s* seconds (a
    stand-in for a download), recorded as a "wait" span: that is what it is. A worker blocked
    in ``acquire()`` records nothing, so its lane is blank while it waits for a slot.

    Returns:
        The Timeline, lanes in worker order.

    Raises:
        TypeError, ValueError: bad arguments. TimeoutError: the run took over 10 s.
    """
    check_int("limit", limit, 1, MAX_LIMIT)
    check_int("workers", workers, 1, MAX_WORKERS)
    check_int("jobs_each", jobs_each, 1)
    check_seconds("job_s", job_s)
    rec = Recorder(classify=False)
    slots = threading.Semaphore(limit)
    start_line = threading.Barrier(workers, action=lambda: _restart(rec),
                                   timeout=START_TIMEOUT_S)

    def worker() -> None:
        start_line.wait()
        for _ in range(jobs_each):
            with slots:  # at most `limit` workers past this line at once
                with rec.span("wait"):
                    time.sleep(job_s)

    _run_threads([worker] * workers, "worker")
    return _sorted(rec.timeline(f"Semaphore({limit}), {workers} workers"))


def _restart(rec: Recorder) -> None:
    """Start the recorder's clock when the last thread reaches the start line."""
    rec.start_ns = time.perf_counter_ns()


def _run_threads(targets, name: str) -> None:
    """Start one daemon thread per target, wait for all; raise if one is still running."""
    threads = [threading.Thread(target=fn, name=f"{name} {i}", daemon=True)
               for i, fn in enumerate(targets, start=1)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + RUN_TIMEOUT_S
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    if stuck:
        raise TimeoutError(f"threads {', '.join(stuck)} did not finish within "
                           f"{RUN_TIMEOUT_S:g} s")


def _sorted(timeline: Timeline) -> Timeline:
    """The timeline with its lanes in natural name order ("worker 2" before "worker 10")."""
    def key(lane):
        return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", lane["name"])]

    timeline.lanes.sort(key=key)
    return timeline
