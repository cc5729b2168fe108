"""Recording: the lanes threads, tasks and processes write spans to, and the Recorder that
gathers them into one timeline."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

from .clocks import clock_pair
from .kinds import LANE_MODES, RAW_KINDS, WORK
from .model import Timeline


class Lane:
    """The spans one thread (or one process's worker thread) records about itself.

    Append raw chunks with ``lane.spans.append((start_ns, end_ns, kind))`` in hot loops, or
    with :meth:`record` elsewhere. Call :meth:`close` when the lane's work is done.
    """

    __slots__ = ("name", "pid", "tid", "spans", "cpu_start_ns", "cpu_ns", "clock_pair",
                 "launch_ns", "classify")

    def __init__(self, name: str, launch_ns: int | None = None, classify: bool = True) -> None:
        self.name = str(name)
        # False: each span is taken as it is (a whole job, say), never split into "ready".
        self.classify = classify
        self.pid = os.getpid()
        self.tid = threading.get_native_id()
        self.spans: list[tuple[int, int, str]] = []
        # Recorded in the worker so the parent can align a child's clock with its own.
        self.clock_pair = clock_pair()
        self.launch_ns = launch_ns
        self.cpu_ns: int | None = None
        self.cpu_start_ns = time.thread_time_ns()

    def record(self, start_ns: int, end_ns: int, kind: str = WORK) -> None:
        """Append one raw span; *kind* is ``"work"`` or ``"wait"``."""
        self.spans.append((start_ns, end_ns, kind))

    def span(self, kind: str = WORK) -> "_Span":
        """Record the time a ``with`` block takes as one span of *kind* ("work" or "wait").

        Raises:
            ValueError: *kind* is not "work" or "wait".
        """
        return _Span(self.spans, _raw_kind(kind))

    def close(self) -> "Lane":
        """Stop the lane's CPU clock; returns the lane."""
        self.cpu_ns = time.thread_time_ns() - self.cpu_start_ns
        return self

    def export(self) -> dict:
        """Return the lane as plain data, cheap to pickle across a process boundary."""
        # A copy: a timeline taken now must not grow while the lane goes on recording.
        return {"name": self.name, "pid": self.pid, "tid": self.tid, "spans": list(self.spans),
                "cpu_ns": self.cpu_ns, "clock_pair": self.clock_pair,
                "launch_ns": self.launch_ns, "classified": not self.classify}


class Recorder:
    """Record what threads (or asyncio tasks) do, and when, into one :class:`Timeline`.

    In plain code, wrap each stretch of work in ``with rec.span("work"):`` and each wait in
    ``with rec.span("wait"):``; every thread (or task, with ``lanes="tasks"``) gets a lane of
    its own, named after it, the first time it records. Lanes recorded in other processes
    (``Lane.export()``, sent back through a pool or a queue) join with :meth:`add`.
    Hot loops can take a lane once with :meth:`lane` and append to ``lane.spans``.

    Args:
        lanes: "threads" (one lane per thread, the default) or "tasks" (one lane per asyncio
            task; code outside any task records on its thread's lane).
        classify: split stretched "work" spans into "ready, not running" (for work in small
            chunks); False takes spans as they are. Default: True for threads, False for tasks
            (a task's "work" is time it held the loop: running, however long).

    Raises:
        ValueError: *lanes* is neither "threads" nor "tasks".
    """

    def __init__(self, lanes: str = "threads", classify: bool | None = None) -> None:
        if lanes not in LANE_MODES:
            raise ValueError(f"lanes must be one of {', '.join(LANE_MODES)} (got {lanes!r})")
        self.lanes_by = lanes
        self.classify = lanes == "threads" if classify is None else bool(classify)
        self._lanes: list[Lane] = []
        self._exports: list[dict] = []
        self._by_owner: dict = {}
        self._lock = threading.Lock()  # protects self._lanes, self._exports, self._by_owner
        self.start_ns = time.perf_counter_ns()

    def lane(self, name: str | None = None) -> Lane:
        """Create and register a new lane (named after the calling thread by default)."""
        lane = Lane(name if name is not None else threading.current_thread().name,
                    classify=self.classify)
        with self._lock:
            self._lanes.append(lane)
        return lane

    def span(self, kind: str = WORK) -> "_Span":
        """Record the ``with`` block as one span of *kind* ("work" or "wait") on the caller's lane.

        Raises:
            ValueError: *kind* is not "work" or "wait".
        """
        return _Span(self._own_lane().spans, _raw_kind(kind))

    def add(self, exports) -> None:
        """Add lanes recorded elsewhere: ``Lane.export()`` dicts, e.g. returned by a pool.

        Raises:
            TypeError: an item is not a lane export.
        """
        items = [exports] if isinstance(exports, dict) else list(exports)
        for item in items:
            if not (isinstance(item, dict) and {"name", "pid", "spans"} <= item.keys()):
                raise TypeError("add() takes Lane.export() dicts (or a list of them) "
                                f"(got {type(item).__name__})")
        with self._lock:
            self._exports.extend(items)

    def timeline(self, label: str = "", end_ns: int | None = None) -> "Timeline":
        """Return the timeline of every lane so far, over the window start..end_ns (or now)."""
        end = time.perf_counter_ns() if end_ns is None else end_ns
        with self._lock:
            exports = [lane.export() for lane in self._lanes] + list(self._exports)
        return Timeline.from_lanes(exports, start_ns=self.start_ns, end_ns=end, label=label)

    def _own_lane(self) -> Lane:
        """The calling thread's (or task's) lane, created on first use."""
        owner, name = _owner(self.lanes_by)
        lane = self._by_owner.get(owner)  # a dict lookup is atomic; creation takes the lock
        if lane is None:
            with self._lock:
                lane = self._by_owner.get(owner)
                if lane is None:
                    lane = self._by_owner[owner] = Lane(name, classify=self.classify)
                    self._lanes.append(lane)
        return lane


class _Span:
    """The context manager behind ``span()``: appends (start_ns, end_ns, kind) on exit."""

    __slots__ = ("_spans", "_kind", "_start")

    def __init__(self, spans: list, kind: str) -> None:
        self._spans, self._kind = spans, kind

    def __enter__(self) -> "_Span":
        self._start = time.perf_counter_ns()
        return self

    def __exit__(self, *exc) -> None:
        self._spans.append((self._start, time.perf_counter_ns(), self._kind))


def _raw_kind(kind: str) -> str:
    if kind not in RAW_KINDS:
        raise ValueError(f"kind must be one of {', '.join(RAW_KINDS)} (got {kind!r})")
    return kind


def _owner(lanes_by: str) -> tuple[object, str]:
    """(key, lane name) of what is recording now: the current task, else the thread."""
    if lanes_by == "tasks":
        try:
            import asyncio
            task = asyncio.current_task()
        except RuntimeError:  # no running event loop in this thread
            task = None
        if task is not None:
            return task, task.get_name()  # the key keeps the task alive: ids are reused
    thread = threading.current_thread()
    process = multiprocessing.current_process()
    if process.name == "MainProcess":
        name = thread.name
    elif thread is threading.main_thread():
        name = process.name
    else:
        name = f"{process.name} {thread.name}"
    return thread, name  # a Thread object runs once: one object, one OS thread
