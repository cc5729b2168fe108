"""Run a workload sequentially, in threads or in processes, and return what happened.

``run("cpu", workers=4, backend="threads")`` gives a :class:`Result` holding the recorded
:class:`~course.timeline.Timeline` and its :class:`~course.timeline.Metrics`. Every wait is
bounded: a run that does not finish in *timeout* seconds raises :class:`TimeoutError` and
leaves no worker process behind.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from .start_methods import START_METHODS, check_start_method, default_start_method
from .timeline import Metrics, Timeline
from .workloads import WORKLOADS, Plan, plan, process_main, run_lane

__all__ = ["WORKLOADS", "BACKENDS", "START_METHODS", "DEFAULT_SIZE_MS", "MAX_WORKERS",
           "Result", "run", "default_start_method"]

BACKENDS = ("sequential", "threads", "processes")
DEFAULT_SIZE_MS = {"cpu": 100, "io": 200, "hash": 100, "hash-small": 100}
MAX_WORKERS = 64
LANE_PREFIX = {"sequential": "task", "threads": "thread", "processes": "process"}


@dataclass(frozen=True)
class Result:
    """One measured run: its settings, timeline and metrics."""

    workload: str
    backend: str
    workers: int
    start_method: str | None
    size_ms: float
    switch_interval: float
    timeline: Timeline
    metrics: Metrics

    def speedup_over(self, baseline: "Result") -> float:
        """How many times shorter this run's wall time was than *baseline*'s."""
        return baseline.metrics.wall_s / self.metrics.wall_s

    def plot(self, **kwargs):
        """Draw this run's Gantt chart; returns the matplotlib Figure."""
        from .gantt import plot_gantt  # matplotlib loads only when a chart is drawn
        return plot_gantt(self, **kwargs)


def run(workload: str = "cpu", workers: int = 4, backend: str = "threads", *,
        start_method: str | None = None, size_ms: float | None = None,
        switch_interval: float | None = None, timeout: float = 60.0) -> Result:
    """Run *workers* copies of *workload* on *backend* and record their timeline.

    Args:
        workload: one of WORKLOADS ("cpu", "io", "hash", "hash-small").
        workers: how many workers (1..64); each does the same amount of work.
        backend: "sequential" (one after another), "threads" or "processes".
        start_method: for processes: "fork", "spawn" or "forkserver" (default: the platform's).
        size_ms: roughly how many milliseconds of work each worker does on its own.
        switch_interval: seconds between GIL hand-off requests during the run (restored after).
        timeout: seconds to wait for the workers before giving up.

    Returns:
        A Result with the timeline and metrics.

    Raises:
        ValueError: an argument is out of range or unknown.
        TimeoutError: the workers did not finish within *timeout* seconds.
    """
    size = _validate(workload, workers, backend, start_method, size_ms, switch_interval, timeout)
    method = (start_method or default_start_method()) if backend == "processes" else None
    plans = [plan(workload, size, f"{LANE_PREFIX[backend]} {i + 1}") for i in range(workers)]
    with _switch_interval(switch_interval) as interval:
        start = time.perf_counter_ns()
        exports = _RUNNERS[backend](plans, method, timeout)
        end = time.perf_counter_ns()
    timeline = Timeline.from_lanes(exports, start_ns=start, end_ns=end,
                                   label=f"{workers} x {workload} ({backend})")
    return Result(workload, backend, workers, method, size, interval, timeline,
                  timeline.metrics())


def _validate(workload, workers, backend, start_method, size_ms, switch_interval, timeout) -> float:
    if workload not in WORKLOADS:
        raise ValueError(f"workload must be one of {', '.join(WORKLOADS)} (got {workload!r})")
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)} (got {backend!r})")
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise TypeError(f"workers must be an int (got {type(workers).__name__})")
    if not 1 <= workers <= MAX_WORKERS:
        raise ValueError(f"workers must be between 1 and {MAX_WORKERS} (got {workers})")
    check_start_method("start_method", start_method)
    if switch_interval is not None and not switch_interval > 0:
        raise ValueError(f"switch_interval must be > 0 seconds (got {switch_interval})")
    if not timeout > 0:
        raise ValueError(f"timeout must be > 0 seconds (got {timeout})")
    size = DEFAULT_SIZE_MS[workload] if size_ms is None else size_ms
    if not size > 0:
        raise ValueError(f"size_ms must be > 0 (got {size_ms})")
    return float(size)


@contextmanager
def _switch_interval(seconds: float | None):
    old = sys.getswitchinterval()
    if seconds is not None:
        sys.setswitchinterval(seconds)
    try:
        yield sys.getswitchinterval()
    finally:
        sys.setswitchinterval(old)


def _run_sequential(plans: list[Plan], method, timeout: float) -> list[dict]:
    return [run_lane(p) for p in plans]


def _run_threads(plans: list[Plan], method, timeout: float) -> list[dict]:
    exports: list[dict | None] = [None] * len(plans)
    # Line the threads up so they all compete from the first chunk on.
    barrier = threading.Barrier(len(plans))

    def work(i: int) -> None:
        barrier.wait(timeout)
        exports[i] = run_lane(plans[i])

    threads = [threading.Thread(target=work, args=(i,), name=p.lane, daemon=True)
               for i, p in enumerate(plans)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads) or None in exports:
        raise TimeoutError(f"threads did not finish within {timeout:g} s")
    return exports


def _run_processes(plans: list[Plan], method: str, timeout: float) -> list[dict]:
    ctx = multiprocessing.get_context(method)
    started = []
    try:
        for p in plans:
            receiver, sender = ctx.Pipe(duplex=False)
            process = ctx.Process(target=process_main, args=(p, sender), name=p.lane, daemon=True)
            launch = time.perf_counter_ns()
            process.start()
            sender.close()  # the child holds its own copy; ours would hide an early exit
            started.append((process, receiver, launch))
        deadline = time.monotonic() + timeout
        return [_collect(process, receiver, launch, deadline, timeout)
                for process, receiver, launch in started]
    finally:
        for process, receiver, _ in started:
            receiver.close()
            if process.is_alive():
                process.kill()
            process.join(5)


def _collect(process, receiver, launch: int, deadline: float, timeout: float) -> dict:
    if not receiver.poll(max(0.0, deadline - time.monotonic())):
        raise TimeoutError(f"{process.name} did not finish within {timeout:g} s")
    try:
        export = receiver.recv()
    except EOFError:
        process.join(1)
        raise RuntimeError(f"{process.name} exited with code {process.exitcode} "
                           "before sending its timeline") from None
    process.join(max(0.0, deadline - time.monotonic()))
    export["launch_ns"] = launch
    return export


_RUNNERS = {"sequential": _run_sequential, "threads": _run_threads, "processes": _run_processes}
