"""Instruments for lesson 5: what a run cost (wall time, threads, memory per waiter), and the
lesson's experiments repeated for the explorer and the README's pictures.

The notebook writes the concurrency itself (threads, a pool, tasks); :func:`usage` only watches:

    with lesson.usage("asyncio", into=io_runs) as used:
        tasks = [asyncio.create_task(request(i)) for i in range(200)]
        await asyncio.sleep(0)
        used.sample(waiters=200)          # every waiter alive: threads and memory now
        used.ran_on(await asyncio.gather(*tasks))

:func:`run_in_thread` runs a coroutine on a fresh event loop in a worker thread: a widget's
callback (or a script) cannot await, and the kernel's own loop is busy running the notebook.
"""

from __future__ import annotations

import asyncio
import math
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ... import _validate
from ...timeline import Recorder, Timeline

__all__ = ["Usage", "usage", "resident_kib", "run_in_thread", "capped_downloads",
           "blocking_call", "longest_gap_ms", "HEARTBEAT_S", "BLOCK_S"]

# The heartbeat of the blocking-call demo ticks this often; the blocking call lasts BLOCK_S.
HEARTBEAT_S = 0.01
BLOCK_S = 0.2
DOWNLOAD_S = 0.03
PARSE_STEPS = 3_000
BEAT_STEPS = 50_000
RUN_TIMEOUT_S = 60.0


def resident_kib() -> float | None:
    """Memory this process holds in RAM right now (resident set), in KiB; None if unknown.

    Read from /proc/self/statm (Linux). Other systems have no cheap reading without extra
    packages, so the lesson says "not measured" there.
    """
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024


@dataclass
class Usage:
    """What one way of running a job used: wall time, threads, memory per waiter, workers.

    Attributes:
        name: the way, e.g. "threads", "thread pool", "asyncio", "processes".
        wall_s: seconds from entering the ``with`` block to leaving it.
        threads_added: threads alive at :meth:`sample` beyond those alive at the start.
        waiters: how many jobs were waiting at :meth:`sample`.
        kib_per_waiter: resident memory added by then, per waiter (None: not measured).
        workers: distinct (process, thread) pairs the jobs ran on (see :meth:`ran_on`).
        processes: distinct processes the jobs ran in.
    """

    name: str
    wall_s: float = math.nan
    threads_added: int | None = None
    waiters: int | None = None
    kib_per_waiter: float | None = None
    workers: int | None = None
    processes: int | None = None
    _began: float = field(default=0.0, repr=False)
    _threads: int = field(default=0, repr=False)
    _kib: float | None = field(default=None, repr=False)

    def sample(self, waiters: int) -> None:
        """Note the threads and memory now, while *waiters* jobs are alive and waiting."""
        _validate.check_int("waiters", waiters, 1)
        self.waiters = waiters
        self.threads_added = threading.active_count() - self._threads
        now = resident_kib()
        if now is not None and self._kib is not None:
            self.kib_per_waiter = max(0.0, now - self._kib) / waiters

    def ran_on(self, done_by) -> None:
        """Note who did the jobs: *done_by* holds one ``(pid, thread id)`` pair per job."""
        pairs = {tuple(pair) for pair in done_by}
        self.workers = len(pairs)
        self.processes = len({pid for pid, _ in pairs})

    def __str__(self) -> str:
        parts = [f"{self.name}: wall {self.wall_s:.3f} s"]
        if self.threads_added is not None:
            parts.append(f"{self.threads_added} threads added")
        if self.kib_per_waiter is not None:
            parts.append(f"{self.kib_per_waiter:.1f} KiB per waiter")
        if self.workers is not None:
            where = (f"{self.processes} processes" if self.processes > 1
                     else f"{self.workers} thread{'s' if self.workers != 1 else ''}")
            parts.append(f"the jobs ran on {where}")
        return ", ".join(parts)


class usage:
    """``with lesson.usage(name, into=runs) as used:`` time a way of running a job.

    Args:
        name: what the block runs, e.g. "threads".
        into: a dict that gets ``into[name] = used`` when the block ends without an error.
    """

    def __init__(self, name: str, into: dict | None = None) -> None:
        if into is not None and not isinstance(into, dict):
            raise TypeError(f"into must be a dict or None (got {type(into).__name__})")
        self.used = Usage(str(name))
        self.into = into

    def __enter__(self) -> Usage:
        used = self.used
        used._threads, used._kib = threading.active_count(), resident_kib()
        used._began = time.perf_counter()
        return used

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.used.wall_s = time.perf_counter() - self.used._began
        if exc_type is None and self.into is not None:
            self.into[self.used.name] = self.used
        return False


def run_in_thread(coroutine_fn: Callable, timeout: float = RUN_TIMEOUT_S) -> Any:
    """Run ``coroutine_fn()`` on a fresh event loop in a worker thread; wait for its result.

    A widget's callback and a script cannot ``await``, and ``asyncio.run()`` refuses to start
    inside a running loop: this runs the coroutine on a loop of its own, in a thread of its own.

    Raises:
        TimeoutError: it did not finish within *timeout* seconds (the thread is a daemon).
        Whatever the coroutine raised, unchanged.
    """
    _validate.check_callable("coroutine_fn", coroutine_fn)
    _validate.check_seconds("timeout", timeout)
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine_fn())
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    worker = threading.Thread(target=run, name="event loop", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"the coroutine did not finish within {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


async def capped_downloads(tasks: int, limit: int, download_s: float = DOWNLOAD_S) -> Timeline:
    """*tasks* downloads of *download_s* each behind ``asyncio.Semaphore(limit)``, recorded.

    Each task parses a little (running, it holds the loop) and then waits for its download;
    the wait for a free slot is left blank. One lane per task.
    """
    _validate.check_int("tasks", tasks, 1)
    _validate.check_int("limit", limit, 1)
    _validate.check_seconds("download_s", download_s)
    rec = Recorder(lanes="tasks")
    slots = asyncio.Semaphore(limit)

    async def download() -> None:
        async with slots:
            with rec.span("work"):
                sum(i * i for i in range(PARSE_STEPS))
            with rec.span("wait"):
                await asyncio.sleep(download_s)

    await asyncio.gather(*(asyncio.create_task(download(), name=f"task {number + 1}")
                           for number in range(tasks)))
    return rec.timeline()


async def blocking_call(offload: bool, block_s: float = BLOCK_S,
                        heartbeat_s: float = HEARTBEAT_S) -> tuple[Timeline, list[float]]:
    """The lesson's demo: a heartbeat task beside a task making a blocking call, recorded.

    Args:
        offload: False calls ``time.sleep(block_s)`` in the coroutine (the loop stalls);
            True awaits ``asyncio.to_thread(time.sleep, block_s)`` (the loop carries on).

    Returns:
        The timeline (lanes "heartbeat" and "blocking call") and the heartbeat's tick times.
    """
    rec = Recorder(lanes="tasks")
    ticks: list[float] = []

    async def heartbeat() -> None:
        while True:
            with rec.span("work"):
                ticks.append(time.perf_counter())
                sum(range(BEAT_STEPS))  # a little work per beat, to see it on the chart
            with rec.span("wait"):
                await asyncio.sleep(heartbeat_s)

    async def call() -> None:
        if offload:
            with rec.span("wait"):
                await asyncio.to_thread(time.sleep, block_s)
        else:
            with rec.span("work"):
                time.sleep(block_s)

    beat = asyncio.create_task(heartbeat(), name="heartbeat")
    await asyncio.sleep(block_s / 2)
    await asyncio.create_task(call(), name="blocking call")
    await asyncio.sleep(block_s / 2)
    beat.cancel()
    await asyncio.gather(beat, return_exceptions=True)
    return rec.timeline(), ticks


def longest_gap_ms(ticks: list[float]) -> float:
    """The longest silence between two ticks, in milliseconds (0 with fewer than 2 ticks)."""
    return max((b - a for a, b in zip(ticks, ticks[1:])), default=0.0) * 1e3
