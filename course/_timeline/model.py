"""The Timeline: raw lanes plus the window they ran in, and the Metrics computed from them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..cores import usable_cores
from .clocks import _aligned
from .kinds import RUNNING, SEGMENT_KINDS
from .segments import Segment, _classify_lane, _step_profile

# Slack allowed when checking that a worker's spans lie inside the parent's window.
WINDOW_SLACK_NS = 2_000_000


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
        from ..gantt import plot_gantt  # matplotlib loads only when a chart is drawn
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
