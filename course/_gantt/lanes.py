"""The one lane renderer: one row of bars per lane, coloured by kind, and the step plot of
how many lanes ran (and waited) at once against the cores. Every chart draws lanes with it."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection

from ..timeline import RUNNING, SEGMENT_KINDS, WAITING, Timeline
from .style import BAR_HEIGHT, COLOURS, HATCHES, LEGEND


class _Bars:
    """The timeline's segments as arrays, plus its profiles: computed once per chart."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        keys = [(lane["name"], lane.get("pid", 0), lane.get("tid", 0)) for lane in timeline.lanes]
        rows = {key: i for i, key in enumerate(keys)}
        segs = timeline.segments()
        self.rows = len(keys)
        self.start = np.array([s.start_ns for s in segs], dtype=np.int64)
        self.end = np.array([s.end_ns for s in segs], dtype=np.int64)
        self.row = np.array([rows.get((s.lane, s.pid, s.tid), 0) for s in segs], dtype=float)
        self.kind = np.array([s.kind for s in segs])
        self.kinds = [k for k in SEGMENT_KINDS if (self.kind == k).any()]
        self.profiles = {k: timeline.profile(k) for k in (RUNNING, WAITING)}


def _time_unit(wall_ns: int) -> tuple[float, str]:
    """Milliseconds for runs under 2 s, seconds beyond."""
    return (1e6, "ms") if wall_ns < 2e9 else (1e9, "s")


def _draw_lanes(ax: Axes, bars: _Bars, window, unit) -> None:
    """One row per lane; one PolyCollection per kind (fast for tens of thousands of bars)."""
    scale, label = unit
    t0 = bars.timeline.start_ns
    lo, hi = window if window is not None else (t0, bars.timeline.end_ns)
    visible = (bars.end > lo) & (bars.start < hi)
    for kind in bars.kinds:
        pick = visible & (bars.kind == kind)
        x0, x1 = (bars.start[pick] - t0) / scale, (bars.end[pick] - t0) / scale
        y0, y1 = bars.row[pick] - BAR_HEIGHT / 2, bars.row[pick] + BAR_HEIGHT / 2
        verts = np.stack([np.column_stack(p) for p in ((x0, y0), (x0, y1), (x1, y1), (x1, y0))],
                         axis=1)
        ax.add_collection(PolyCollection(
            verts, facecolors=COLOURS[kind], hatch=HATCHES.get(kind), linewidths=0,
            edgecolors="white" if kind in HATCHES else "none", label=LEGEND[kind]),
            autolim=False)
    ax.set_yticks(range(bars.rows), _lane_labels(bars.timeline))
    ax.set_ylim(bars.rows - 0.5, -0.5)  # first lane on top
    ax.set_xlim((lo - t0) / scale, (hi - t0) / scale)
    ax.set_xlabel(f"time since start ({label})")
    ax.grid(axis="x", alpha=0.3)


def _lane_labels(timeline: Timeline) -> list[str]:
    pids = {lane.get("pid", 0) for lane in timeline.lanes}
    if len(pids) > 1:
        return [f"{lane['name']} (pid {lane.get('pid', 0)})" for lane in timeline.lanes]
    return [lane["name"] for lane in timeline.lanes]


def _draw_profile(ax: Axes, bars: _Bars, unit, with_labels: bool) -> None:
    """Step plot of lanes running (and waiting) with a dashed line at the number of cores."""
    scale, label = unit
    cores = bars.timeline.cores
    top = cores
    for kind, steps in bars.profiles.items():
        if not steps:
            continue
        xs, ys = _steps_over_run(steps, bars.timeline, scale)
        top = max(top, int(ys.max()))
        if kind == RUNNING:
            ax.fill_between(xs, ys, step="post", color=COLOURS[kind], alpha=0.85, linewidth=0,
                            label="lanes running")
        else:
            ax.step(xs, ys, where="post", color="#707070", linewidth=1.2, label="lanes waiting")
    ax.axhline(cores, color="black", linestyle="--", linewidth=1.2, label=f"{cores} cores")
    ax.set_ylim(0, top + 0.6)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(f"time since start ({label})")
    ax.grid(axis="x", alpha=0.3)
    if with_labels:
        ax.set_ylabel("lanes at once" if bars.profiles[WAITING] else "lanes running")


def _steps_over_run(steps, timeline: Timeline, scale: float):
    """Extend a profile over the whole run: zero before the first event, held after the last."""
    ts = np.array([timeline.start_ns] + [t for t, _ in steps] + [timeline.end_ns], dtype=float)
    ns = np.array([0] + [n for _, n in steps] + [steps[-1][1]], dtype=float)
    return (ts - timeline.start_ns) / scale, ns
