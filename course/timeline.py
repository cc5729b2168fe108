"""Timelines: what each thread or process did, when, measured.

Workers do their work in small chunks and append ``(start_ns, end_ns, kind)`` to a per-lane
list (a bound ``list.append`` costs about 300 ns, a shared list behind a lock twice that).
The raw chunks are then *classified*: under the GIL a chunk that lost the interpreter halfway
keeps its clock running while the thread waits, so a chunk much longer than its lane's median
is "ready, not running" rather than running. Consecutive running chunks are merged into
segments, and the metrics (CPU/wall, lanes running at once) are computed from the segments.

Raw kinds a worker records: ``"work"`` (computing) and ``"wait"`` (blocked: sleep, I/O, a
lock). Segment kinds after classification: ``running``, ``ready``, ``waiting``, ``startup``.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .cores import usable_cores

__all__ = [
    "WORK", "WAIT", "RUNNING", "READY", "WAITING", "STARTUP", "SEGMENT_KINDS", "RAW_KINDS",
    "Lane", "Recorder", "Segment", "Metrics", "Timeline", "usable_cores",
]

WORK = "work"
WAIT = "wait"
RUNNING = "running"
READY = "ready"
WAITING = "waiting"
STARTUP = "startup"
SEGMENT_KINDS = (RUNNING, READY, WAITING, STARTUP)
RAW_KINDS = (WORK, WAIT)
LANE_MODES = ("threads", "tasks")
_RAW_TO_SEGMENT = {WORK: RUNNING, WAIT: WAITING, STARTUP: STARTUP}

# A chunk is "stretched" (it lost the CPU or the GIL part-way) when it is both this many
# times its lane's median chunk and this much longer than it (docs/measurements.md, section 1).
STRETCH_FACTOR = 3.0
STRETCH_MIN_NS = 200_000
MERGE_MIN_GAP_NS = 2_000
# Clocks of parent and child agree to microseconds on Linux; shift only real disagreements.
CLOCK_SHIFT_THRESHOLD_NS = 1_000_000
# Slack allowed when checking that a worker's spans lie inside the parent's window.
WINDOW_SLACK_NS = 2_000_000


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
        return {"name": self.name, "pid": self.pid, "tid": self.tid, "spans": self.spans,
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
        classify: split stretched "work" spans into "ready, not running" (the default, for
            work recorded in small chunks); False takes every span as it is, e.g. a whole job.

    Raises:
        ValueError: *lanes* is neither "threads" nor "tasks".
    """

    def __init__(self, lanes: str = "threads", classify: bool = True) -> None:
        if lanes not in LANE_MODES:
            raise ValueError(f"lanes must be one of {', '.join(LANE_MODES)} (got {lanes!r})")
        self.lanes_by = lanes
        self.classify = bool(classify)
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


@dataclass(frozen=True)
class Metrics:
    """What a timeline measured; times in seconds, shares in 0..1."""

    wall_s: float
    cpu_s: float
    cpu_over_wall: float
    parallelism: float
    share_2_running: float
    max_running: int
    lanes: int
    processes: int
    threads: int
    cores: int

    def summary(self) -> str:
        """One line a person reads: the numbers a chart title shows."""
        return (f"wall {self.wall_s:.3f} s, CPU/wall {self.cpu_over_wall:.2f}, "
                f">=2 running {self.share_2_running:.0%} of the time, "
                f"{self.lanes} lanes in {self.processes} process(es), {self.cores} cores")


@dataclass
class Timeline:
    """Raw lanes plus the window they ran in; classification and metrics are computed lazily."""

    lanes: list[dict]
    start_ns: int
    end_ns: int
    label: str = ""
    cores: int = field(default_factory=usable_cores)
    _segments: list[Segment] | None = field(default=None, repr=False, compare=False)
    _profiles: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.end_ns < self.start_ns:
            raise ValueError(f"timeline must end after it starts (start_ns={self.start_ns}, "
                             f"end_ns={self.end_ns})")

    # --- construction -------------------------------------------------------------------
    @classmethod
    def from_lanes(cls, exports: Iterable[dict], start_ns: int, end_ns: int,
                   label: str = "", check_window: bool = True) -> "Timeline":
        """Build a timeline from exported lanes, aligning clocks of other processes.

        Raises:
            ValueError: a span lies outside start_ns..end_ns (with *check_window*).
        """
        here = os.getpid()
        lanes = [_aligned(lane) if lane["pid"] != here else lane for lane in exports]
        timeline = cls(lanes=lanes, start_ns=start_ns, end_ns=end_ns, label=label)
        if check_window:
            timeline._check_window()
        return timeline

    @classmethod
    def from_segments(cls, segments: Iterable[Sequence], label: str = "",
                      cores: int | None = None) -> "Timeline":
        """Build a timeline from ``(lane, start_s, end_s[, kind])`` rows, in seconds.

        Kinds are segment kinds (running, ready, waiting, startup), taken as they are:
        handy for synthetic timelines in tests and exercises.

        Raises:
            ValueError: a row ends before it starts or names an unknown kind.
        """
        lanes: dict[str, dict] = {}
        for row in segments:
            lane, start_ns, end_ns, kind = _parse_row(row)
            entry = lanes.setdefault(lane, {"name": lane, "pid": 0, "tid": 0, "spans": [],
                                            "cpu_ns": None, "clock_pair": None,
                                            "launch_ns": None, "classified": True})
            entry["spans"].append((start_ns, end_ns, kind))
        spans = [s for lane in lanes.values() for s in lane["spans"]]
        start = min((s[0] for s in spans), default=0)
        end = max((s[1] for s in spans), default=0)
        timeline = cls(lanes=list(lanes.values()), start_ns=start, end_ns=end, label=label)
        if cores is not None:
            timeline.cores = int(cores)
        return timeline

    def _check_window(self) -> None:
        for lane in self.lanes:
            for start, end, _ in lane["spans"]:
                if start < self.start_ns - WINDOW_SLACK_NS or end > self.end_ns + WINDOW_SLACK_NS:
                    raise ValueError(
                        f"lane {lane['name']!r} has a span outside the run's window "
                        f"({(start - self.start_ns) / 1e6:.3f}..{(end - self.start_ns) / 1e6:.3f}"
                        f" ms, window 0..{(self.end_ns - self.start_ns) / 1e6:.3f} ms): "
                        "clocks disagree?")

    # --- classification ------------------------------------------------------------------
    def segments(self) -> list[Segment]:
        """Return classified, merged segments of every lane, ordered by lane then time."""
        if self._segments is None:
            self._segments = [seg for lane in self.lanes for seg in _classify_lane(lane)]
        return self._segments

    @property
    def lane_names(self) -> list[str]:
        return [lane["name"] for lane in self.lanes]

    @property
    def is_empty(self) -> bool:
        return not any(lane["spans"] for lane in self.lanes)

    # --- metrics -------------------------------------------------------------------------
    @property
    def wall_ns(self) -> int:
        return self.end_ns - self.start_ns

    def cpu_ns(self) -> int:
        """CPU time the lanes used: measured per lane where recorded, else time running."""
        total = 0
        for lane in self.lanes:
            if lane.get("cpu_ns") is not None:
                total += lane["cpu_ns"]
            else:
                total += sum(s.duration_ns for s in self.segments()
                             if s.lane == lane["name"] and s.kind == RUNNING)
        return total

    def profile(self, kind: str = RUNNING) -> list[tuple[int, int]]:
        """Return the step function ``[(t_ns, lanes in *kind* from t on), ...]``.

        Touching segments (one ends where the next starts) never count as overlapping.
        """
        if kind not in SEGMENT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(SEGMENT_KINDS)} (got {kind!r})")
        if kind not in self._profiles:
            self._profiles[kind] = _step_profile(
                [(s.start_ns, s.end_ns) for s in self.segments() if s.kind == kind])
        return list(self._profiles[kind])

    def time_at_least(self, k: int, kind: str = RUNNING) -> int:
        """Nanoseconds during which at least *k* lanes were in *kind* at once."""
        if k < 1:
            raise ValueError(f"k must be >= 1 (got {k})")
        steps = self.profile(kind)
        return sum(t1 - t0 for (t0, n), (t1, _) in zip(steps, steps[1:]) if n >= k)

    def share_at_least(self, k: int, kind: str = RUNNING) -> float:
        """Share of the wall time (0..1) during which at least *k* lanes were in *kind*."""
        return self.time_at_least(k, kind) / self.wall_ns if self.wall_ns else 0.0

    def max_at_once(self, kind: str = RUNNING) -> int:
        """The largest number of lanes in *kind* at the same moment."""
        return max((n for _, n in self.profile(kind)), default=0)

    def parallelism(self) -> float:
        """Time-weighted average number of lanes running over the wall time."""
        steps = self.profile(RUNNING)
        busy = sum((t1 - t0) * n for (t0, n), (t1, _) in zip(steps, steps[1:]))
        return busy / self.wall_ns if self.wall_ns else 0.0

    def plot(self, **options):
        """Draw this timeline as a Gantt chart (see ``course.plot_gantt`` for the options)."""
        from .gantt import plot_gantt  # matplotlib loads only when a chart is drawn
        return plot_gantt(self, **options)

    def metrics(self) -> Metrics:
        """Compute the timeline's :class:`Metrics`."""
        wall = self.wall_ns
        cpu = self.cpu_ns()
        return Metrics(
            wall_s=wall / 1e9, cpu_s=cpu / 1e9, cpu_over_wall=cpu / wall if wall else 0.0,
            parallelism=self.parallelism(), share_2_running=self.share_at_least(2),
            max_running=self.max_at_once(), lanes=len(self.lanes),
            processes=len({lane["pid"] for lane in self.lanes}),
            threads=len({(lane["pid"], lane["tid"]) for lane in self.lanes}),
            cores=self.cores)


# --- helpers ---------------------------------------------------------------------------
def _parse_row(row: Sequence) -> tuple[str, int, int, str]:
    if len(row) not in (3, 4):
        raise ValueError(f"a segment row is (lane, start_s, end_s[, kind]) (got {row!r})")
    lane, start, end = row[0], row[1], row[2]
    kind = row[3] if len(row) == 4 else RUNNING
    if kind not in SEGMENT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(SEGMENT_KINDS)} (got {kind!r})")
    if not end >= start:
        raise ValueError(f"a segment must end after it starts (got {start}..{end} "
                         f"on lane {lane!r})")
    return str(lane), round(start * 1e9), round(end * 1e9), kind


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
