"""Experiments the lesson repeats after showing them once in plain code.

- :func:`startup_costs`: start and join a do-nothing thread, then a process per start method,
  several times each (the median counts).
- :func:`transfer_costs`: pickle a bytes argument of each size, and send it to a warm pool
  worker whose work is only ``len()``.
- :func:`pool_run`: CPU-bound tasks on a Pool, each recorded in small pieces, so the chart shows
  every worker process running, waiting for a core, or idle.
"""

from __future__ import annotations

import multiprocessing
import pickle
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..._validate import check_int, check_seconds
from ...start_methods import START_METHODS, check_start_method
from ...timeline import READY, RUNNING, Timeline
from ...workloads import plan, run_lane

__all__ = ["startup_costs", "Transfer", "transfer_costs", "PoolRun", "pool_run"]


def startup_costs(methods: Sequence[str] | None = None, repeats: int = 5) -> dict[str, float]:
    """Time starting and joining a do-nothing thread, then a process per start method.

    Args:
        methods: start methods to time (default: every method this platform has).
        repeats: starts per kind; the median is kept.

    Returns:
        ``{"thread": s, "fork": s, "spawn": s, ...}``: median seconds from start() to the
        end of join().

    Raises:
        ValueError: an unknown method or repeats < 1.
    """
    methods = START_METHODS if methods is None else tuple(methods)
    for method in methods:
        check_start_method("method", method)
    check_int("repeats", repeats, 1)
    costs = {"thread": _median_start(threading.Thread, repeats)}
    for method in methods:
        context = multiprocessing.get_context(method)
        _median_start(context.Process, 1)  # starts the forkserver: not a worker's own cost
        costs[method] = _median_start(context.Process, repeats)
    return costs


def _noop() -> None:
    """What the timed threads and processes run."""


def _median_start(make: Callable, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        worker = make(target=_noop, daemon=True)
        start = time.perf_counter()
        worker.start()
        worker.join(30)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@dataclass(frozen=True)
class Transfer:
    """Sending *megabytes* to a worker and getting a small answer back, timed."""

    megabytes: float
    pickle_s: float
    round_trip_s: float

    @property
    def ms_per_mb(self) -> float:
        return self.round_trip_s * 1e3 / self.megabytes


def transfer_costs(sizes_mb: Sequence[float] = (1, 4, 16, 32), method: str | None = None,
                   repeats: int = 3) -> list[Transfer]:
    """Time pickling a bytes argument of each size, and a pool call that only takes its len().

    The pool is started (and warmed up) first, so the times hold only what crossing the
    process boundary costs: pickling, the pipe, unpickling. The fastest of *repeats* counts.

    Raises:
        ValueError: a size not > 0, an unknown method or repeats < 1.
    """
    for size in sizes_mb:
        check_seconds("sizes_mb", size)  # any finite number > 0
    check_start_method("method", method)
    check_int("repeats", repeats, 1)
    rows = []
    with multiprocessing.get_context(method).Pool(1) as pool:
        pool.apply(len, (b"",))
        for size in sizes_mb:
            data = bytes(round(size * (1 << 20)))
            pickled = _best(lambda: pickle.dumps(data, pickle.HIGHEST_PROTOCOL), repeats)
            sent = _best(lambda: pool.apply_async(len, (data,)).get(60), repeats)
            rows.append(Transfer(float(size), pickled, sent))
    return rows


def _best(fn: Callable, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


@dataclass(frozen=True)
class PoolRun:
    """CPU-bound tasks run on a Pool: settings and the timeline of every worker process."""

    workers: int
    chunksize: int
    tasks: int
    task_ms: float
    method: str
    timeline: Timeline

    @property
    def wall_s(self) -> float:
        return self.timeline.wall_ns / 1e9

    @property
    def busy_s(self) -> float:
        """Seconds the workers spent inside tasks, summed over workers.

        Running or ready: a task waiting for a core (on a busy machine) is still inside the
        task, and would shrink with more free cores.
        """
        inside = (RUNNING, READY)
        return sum(s.duration_ns for s in self.timeline.segments() if s.kind in inside) / 1e9

    @property
    def parallel_share(self) -> float:
        """Share of the wall time spent inside tasks: Amdahl's p, for a 1-worker run."""
        return min(1.0, self.busy_s / self.wall_s) if self.wall_s else 1.0


def pool_run(workers: int = 2, tasks: int = 16, task_ms: float = 25.0, chunksize: int = 1,
             method: str | None = None, timeout: float = 60.0) -> PoolRun:
    """Run *tasks* CPU-bound tasks of about *task_ms* each on ``Pool(workers)``, recorded.

    Each task records its pieces of work (see course.workloads); the pieces of tasks that ran
    in the same worker process form that worker's lane, so the chart shows each process
    running, ready (waiting for a core) or idle, from the moment the pool was created.

    Raises:
        ValueError: workers, tasks or chunksize < 1, task_ms not > 0, or an unknown method.
        TimeoutError: the tasks did not finish within *timeout*.
    """
    for name, value in (("workers", workers), ("tasks", tasks), ("chunksize", chunksize)):
        check_int(name, value, 1)
    check_seconds("task_ms", task_ms)
    check_start_method("method", method)
    context = multiprocessing.get_context(method)
    plans = [plan("cpu", task_ms, f"task {i + 1}") for i in range(tasks)]
    start = time.perf_counter_ns()
    with context.Pool(workers) as pool:
        try:
            exports = pool.map_async(run_lane, plans, chunksize).get(timeout)
        except multiprocessing.TimeoutError:
            raise TimeoutError(f"the pool did not finish within {timeout:g} s") from None
        end = time.perf_counter_ns()
    label = f"{tasks} tasks of {task_ms:g} ms on {workers} worker(s), chunksize {chunksize}"
    timeline = Timeline.from_lanes(_lanes_by_process(exports, start), start, end, label=label)
    return PoolRun(workers, chunksize, tasks, float(task_ms), context.get_start_method(),
                   timeline)


def _lanes_by_process(exports: list[dict], launch_ns: int) -> list[dict]:
    """Merge the lanes of tasks that ran in one process into one lane per worker process."""
    lanes: dict[int, dict] = {}
    for export in sorted(exports, key=lambda e: e["spans"][0][0] if e["spans"] else 0):
        lane = lanes.get(export["pid"])
        if lane is None:
            lane = lanes[export["pid"]] = dict(export, name=f"worker {len(lanes) + 1}",
                                               spans=[], cpu_ns=0, launch_ns=launch_ns)
        lane["spans"] = lane["spans"] + export["spans"]
        lane["cpu_ns"] += export["cpu_ns"] or 0
    return list(lanes.values())
