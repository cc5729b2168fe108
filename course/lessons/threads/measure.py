"""Lesson 1's experiments, repeated and recorded: the instruments behind its charts.

Each function repeats an experiment the notebook first shows as plain code: starting a thread
and a process (:func:`start_costs`), two threads printing (:func:`printed_orders`), and
waiting jobs shared by a pool of threads (:func:`io_jobs`, :func:`io_sweep`).
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from typing import Callable, Iterable, Sequence

from ..._validate import check_int, check_non_negative, check_seconds
from ...start_methods import default_start_method
from ...testing.capture import run_and_capture
from ...timeline import WAIT, WORK, Recorder, Timeline
from ...workloads import calibrate, spin

__all__ = ["THREAD", "process_label", "start_costs", "printed_orders", "io_jobs", "io_sweep",
           "MAX_JOBS"]

THREAD = "thread"
# Enough repeats for a stable median, few enough to keep the cell near one second.
THREAD_REPEATS = 200
PROCESS_REPEATS = {"fork": 10, "forkserver": 5, "spawn": 3}
MAX_JOBS = 64
CHUNK_NS = 50_000  # computing in 50 us chunks: short enough to show who really ran


# --- what starting a thread or a process costs ------------------------------------------------
def _nothing() -> None:
    """What the timed threads and processes run: nothing, so only start and join are timed."""


def process_label(method: str | None = None) -> str:
    """How charts and prose name a process started with *method* (default: the platform's)."""
    return f"process ({method or default_start_method()})"


def start_costs(repeats: int | None = None, timeout: float = 30.0) -> dict[str, list[float]]:
    """Time starting and joining threads, then processes, that do nothing.

    Processes start with the platform's default start method (lesson 4 compares the others).
    One untimed start of each comes first: it pays one-off costs (importing, a server process).

    Args:
        repeats: how many of each to time (default: 200 threads, and 10 processes under fork,
            5 under forkserver, 3 under spawn).
        timeout: seconds any one may take.

    Returns:
        ``{"thread": [seconds, ...], "process (<method>)": [seconds, ...]}``.

    Raises:
        TypeError, ValueError: bad arguments.
        TimeoutError: one did not finish within *timeout* seconds (a process is killed).
    """
    if repeats is not None:
        check_int("repeats", repeats, 1, 100_000)
    check_seconds("timeout", timeout)
    method = default_start_method()
    context = multiprocessing.get_context(method)
    makers = {THREAD: (lambda: threading.Thread(target=_nothing, daemon=True), THREAD_REPEATS),
              process_label(method): (lambda: context.Process(target=_nothing, daemon=True),
                                      PROCESS_REPEATS.get(method, 3))}
    costs = {}
    for label, (make, default) in makers.items():
        _start_and_join(make(), timeout)
        costs[label] = [_start_and_join(make(), timeout) for _ in range(repeats or default)]
    return costs


def _start_and_join(worker, timeout: float) -> float:
    began = time.perf_counter()
    worker.start()
    worker.join(timeout)
    elapsed = time.perf_counter() - began
    if worker.is_alive():
        if hasattr(worker, "kill"):
            worker.kill()
            worker.join(5)
        raise TimeoutError(f"{worker.name} did not finish within {timeout:g} s")
    return elapsed


# --- who printed what, in which order -----------------------------------------------------------
def printed_orders(jobs: Sequence[tuple[Callable, tuple]], runs: int = 20,
                   timeout: float = 10.0) -> list[str]:
    """Run the jobs in threads of their own, *runs* times; return the printed lines' order.

    Args:
        jobs: ``(function, args)`` pairs; each run starts one thread per pair, then joins all.
        runs: how many times to run them (1..10,000).
        timeout: seconds each run may take.

    Returns:
        One string per run: the printed lines in the order they were completed, joined by
        spaces (``"1 2 a 3 b ..."``).

    Raises:
        TypeError, ValueError: no jobs, or bad *runs* or *timeout*.
        AssertionError: a run did not finish within *timeout* seconds.
    """
    if not jobs:
        raise ValueError("jobs must hold at least one (function, args) pair (got none)")
    check_int("runs", runs, 1, 10_000)
    check_seconds("timeout", timeout)
    return [" ".join(line.text for line in run_and_capture(_run_together, jobs,
                                                           timeout=timeout).lines)
            for _ in range(runs)]


def _run_together(jobs) -> None:
    threads = [threading.Thread(target=fn, args=tuple(args), daemon=True) for fn, args in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- waiting jobs on a pool of threads -----------------------------------------------------------
def io_jobs(jobs: int = 12, threads: int = 1, wait_ms: float = 40.0, work_ms: float = 1.0,
            timeout: float = 30.0) -> Timeline:
    """Run *jobs* waiting jobs on *threads* threads and record who ran and waited when.

    Each job computes for *work_ms* (pure Python, in 50 us chunks) and then sleeps for
    *wait_ms*, standing in for a download or a disk read. The threads take jobs from a shared
    ``queue.Queue`` until it is empty.

    Returns:
        The recorded Timeline: one lane per thread, "work" and "wait" spans.

    Raises:
        TypeError, ValueError: jobs or threads not an int in 1..64, or a negative duration.
        TimeoutError: the jobs did not finish within *timeout* seconds.
    """
    check_int("jobs", jobs, 1, MAX_JOBS)
    check_int("threads", threads, 1, MAX_JOBS)
    check_non_negative("wait_ms", wait_ms)
    check_non_negative("work_ms", work_ms)
    check_seconds("timeout", timeout)
    todo: queue.Queue = queue.Queue()
    for job in range(jobs):
        todo.put(job)
    recorder = Recorder()
    workers = [threading.Thread(target=_io_worker, args=(recorder, todo, wait_ms, work_ms),
                                name=f"thread {i + 1}", daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + timeout
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    if any(worker.is_alive() for worker in workers):
        raise TimeoutError(f"the jobs did not finish within {timeout:g} s")
    return recorder.timeline(label=f"{jobs} waiting jobs on {threads} thread(s)")


def _io_worker(recorder: Recorder, todo: queue.Queue, wait_ms: float, work_ms: float) -> None:
    lane = recorder.lane()
    clock, per_chunk = time.perf_counter_ns, calibrate()["cpu"]
    chunks = round(work_ms * 1e6 / CHUNK_NS)
    while True:
        try:
            todo.get_nowait()
        except queue.Empty:
            break
        for _ in range(chunks):
            start = clock()
            spin(per_chunk)
            lane.record(start, clock(), WORK)
        start = clock()
        time.sleep(wait_ms / 1000)  # the thread blocks here and lets the others run
        lane.record(start, clock(), WAIT)
    lane.close()


def io_sweep(thread_counts: Iterable[int] = (1, 2, 4, 12), jobs: int = 12,
             wait_ms: float = 40.0, work_ms: float = 1.0) -> list[tuple[int, float]]:
    """Time :func:`io_jobs` on each number of threads; returns ``[(threads, wall seconds)]``."""
    return [(n, io_jobs(jobs, n, wait_ms, work_ms).wall_ns / 1e9) for n in thread_counts]
