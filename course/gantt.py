"""Gantt charts of timelines: who ran when, with the finding and its numbers in the title.

``plot_gantt(timeline)`` draws one lane per thread or process, coloured by what it was doing
(running, ready but not running, waiting, starting up), a zoom of a few switch intervals next
to the whole run, and under the lanes how many lanes ran at once against the number of cores.
``describe(timeline)`` gives the title's finding as text, e.g. "4 threads took turns: at most 1
running at a time, CPU/wall 0.99". ``plot_bars`` draws the small comparisons lessons make
(start-up costs, speedups).

Figures are built with the object-oriented API (``matplotlib.figure.Figure``), never through
pyplot: nothing stays alive after the caller drops a figure, and no display is needed.
``import course`` does not load this module, so matplotlib loads with the first chart.
"""

from __future__ import annotations

import math
import os
import sys
from typing import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .timeline import READY, RUNNING, SEGMENT_KINDS, STARTUP, WAITING, Metrics, Timeline

__all__ = ["COLOURS", "LEGEND", "plot_gantt", "plot_lanes", "plot_profile", "plot_bars",
           "describe", "busy_note", "zoom_window"]

# Okabe-Ito colours: told apart with every common colour-vision deficiency.
COLOURS = {RUNNING: "#0072B2", READY: "#E69F00", WAITING: "#C8C8C8", STARTUP: "#CC79A7"}
HATCHES = {STARTUP: "///"}
LEGEND = {RUNNING: "running", READY: "ready, not running (GIL or CPU)",
          WAITING: "waiting (sleep, I/O, lock)", STARTUP: "starting up"}
BAR_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
# A zoom spans this many switch intervals: enough to see several GIL hand-offs.
ZOOM_INTERVALS = 11
# Zoom only when the run is at least this many zoom windows long (else it adds no detail).
ZOOM_MIN_RATIO = 3
# A share of the run with >=2 lanes running (or waiting) that counts as "at the same time".
PARALLEL_SHARE = 0.10
# Processes below this share of >=2 running on a loaded machine get the "busy" note.
BUSY_SHARE = 0.5
# CPU-bound lanes of one process get about one core on a quiet machine; well under means load.
BUSY_CPU = 0.8
BAR_HEIGHT = 0.8
MAX_LANE_ROWS = 24  # figure height stops growing here; more lanes get thinner rows


def _enable_notebook_display() -> None:
    """Let a bare Figure show as an image in Jupyter although pyplot was never imported.

    matplotlib's inline backend registers its image formatter only when pyplot loads, and
    these charts never load pyplot; without this a notebook would print "<Figure size ...>".
    """
    if "IPython" not in sys.modules:
        return
    from IPython import get_ipython
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    png = shell.display_formatter.formatters["image/png"]
    try:
        png.lookup_by_type(Figure)  # already set up (inline backend or an earlier import)
    except KeyError:
        from IPython.core.pylabtools import print_figure
        png.for_type(Figure, lambda fig: print_figure(fig, "png", bbox_inches="tight"))


_enable_notebook_display()


# --- the finding ---------------------------------------------------------------------------
def describe(timeline) -> str:
    """State what a timeline shows, with its numbers: the finding a chart title carries.

    Args:
        timeline: a Timeline (or a Result of ``course.run``).

    Returns:
        One line such as "4 threads took turns: at most 1 running at a time, CPU/wall 0.99",
        "4 processes ran in parallel: >=2 running 91% of the time, CPU/wall 1.95",
        "4 threads overlapped their waits: >=2 waiting 98% of the time, wall 0.21 s, CPU/wall
        0.16" or "4 tasks ran one after another: wall 0.40 s, CPU/wall 0.99".

    Raises:
        TypeError: *timeline* is not a Timeline.
        ValueError: the timeline is empty.
    """
    timeline = _checked_timeline(timeline)
    return _finding(timeline, timeline.metrics())


def _finding(timeline: Timeline, m: Metrics) -> str:
    who = _who(timeline, m.lanes)
    cpu = f"CPU/wall {m.cpu_over_wall:.2f}"
    if m.lanes == 1:
        return f"{who} ran alone: wall {_duration(m.wall_s)}, {cpu}"
    if _one_after_another(timeline):
        return f"{who} ran one after another: wall {_duration(m.wall_s)}, {cpu}"
    if m.share_2_running >= PARALLEL_SHARE:
        share = _percent(m.share_2_running)
        return f"{who} ran in parallel: >=2 running {share} of the time, {cpu}"
    waits = timeline.share_at_least(2, WAITING)
    if waits >= PARALLEL_SHARE:
        return (f"{who} overlapped their waits: >=2 waiting {_percent(waits)} of the time, "
                f"wall {_duration(m.wall_s)}, {cpu}")
    if m.max_running <= 1:
        return f"{who} took turns: at most 1 running at a time, {cpu}"
    return f"{who} took turns: >=2 running only {_percent(m.share_2_running)} of the time, {cpu}"


def busy_note(timeline, load: float | None = None) -> str:
    """Say so when a busy machine, not the code, held the lanes back.

    Args:
        timeline: a Timeline (or a Result) recorded on this machine.
        load: the 1-minute load average (default: ``os.getloadavg()[0]`` where available).

    Returns:
        "" on a machine with a core per runnable task; else a note such as "note: the machine
        was busy (load 3.1 on 2 cores), so the processes could not each get a core" when
        processes barely overlapped, or "... so the work also waited for a core (CPU/wall
        0.48)" when CPU-bound lanes of one process got well under one core.
    """
    timeline = _checked_timeline(timeline)
    return _busy(timeline, timeline.metrics(), load)


def _busy(timeline: Timeline, m: Metrics, load: float | None) -> str:
    if load is None:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    busy = f"note: the machine was busy (load {load:.1f} on {m.cores} cores)"
    if load < m.cores:
        return ""
    if m.processes >= 2 and m.share_2_running < BUSY_SHARE:
        return f"{busy}, so the processes could not each get a core"
    if m.processes == 1 and not timeline.profile(WAITING) and m.cpu_over_wall < BUSY_CPU:
        return f"{busy}, so the work also waited for a core (CPU/wall {m.cpu_over_wall:.2f})"
    return ""


def _who(timeline: Timeline, lanes: int) -> str:
    """Name the lanes by what they were: processes, threads, tasks of one thread, or lanes."""
    pids = {lane.get("pid", 0) for lane in timeline.lanes}
    threads = {(lane.get("pid", 0), lane.get("tid", 0)) for lane in timeline.lanes}
    if threads == {(0, 0)}:
        noun = "lane"  # built from segments: nothing is known about who ran them
    elif len(pids) > 1:
        noun = "process"
    elif len(threads) > 1:
        noun = "thread"  # of this Python or of another one (run by course.interpreters)
    elif lanes == 1:
        noun = "thread" if pids == {os.getpid()} else "process"
    else:
        noun = "task"  # several lanes recorded by one thread, one after another
    plural = {"process": "processes", "thread": "threads", "task": "tasks", "lane": "lanes"}
    return f"{lanes} {noun if lanes == 1 else plural[noun]}"


def _one_after_another(timeline: Timeline) -> bool:
    """True when no two lanes were ever active (running, ready or waiting) at the same time."""
    spans: dict[tuple, list[int]] = {}
    for seg in timeline.segments():
        if seg.kind != STARTUP:
            span = spans.setdefault((seg.lane, seg.pid, seg.tid), [seg.start_ns, seg.end_ns])
            span[0], span[1] = min(span[0], seg.start_ns), max(span[1], seg.end_ns)
    ordered = sorted(spans.values())
    return all(later[0] >= earlier[1] for earlier, later in zip(ordered, ordered[1:]))


def _percent(share: float) -> str:
    return "<1%" if 0 < share < 0.005 else f"{share:.0%}"


def _duration(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 0.1 else f"{seconds:.2f} s"


# --- the chart -----------------------------------------------------------------------------
def plot_gantt(timeline, *, title: str | None = None, zoom="auto", profile: bool = True,
               ax: Axes | None = None, figsize: tuple[float, float] | None = None,
               switch_interval: float | None = None) -> Figure:
    """Draw a timeline as a Gantt chart whose title states the finding with its numbers.

    Args:
        timeline: a Timeline, or a Result of ``course.run`` (its switch interval sizes the zoom).
        title: a heading put above the finding (default: the finding alone).
        zoom: "auto" (a window of 11 switch intervals where most hand-offs happen, shown only
            when the run is at least 3 such windows long), None or False (no zoom), a window
            width in seconds, or a ``(start_s, end_s)`` pair measured from the run's start.
        profile: draw the number of lanes running (and waiting) under the lanes.
        ax: draw only the lanes, into this Axes (no zoom, no profile).
        figsize: (width, height) in inches (default: sized to the number of lanes).
        switch_interval: seconds per GIL switch interval for "auto" zoom (default: the
            Result's, else ``sys.getswitchinterval()``).

    Returns:
        The matplotlib Figure (display it, or save it with ``fig.savefig``).

    Raises:
        TypeError: *timeline* is not a Timeline or Result, or an option has the wrong type.
        ValueError: the timeline is empty, or *zoom*, *figsize* or *switch_interval* is
            out of range.
    """
    interval = switch_interval or getattr(timeline, "switch_interval", None)
    timeline = _checked_timeline(timeline)
    _check_options(title, zoom, profile, ax, figsize, interval)
    metrics = timeline.metrics()
    finding = _finding(timeline, metrics)
    heading = finding if title is None else f"{title}\n{finding}"
    bars = _Bars(timeline)
    if ax is not None:
        return _lanes_only(ax, bars, heading, timeline.wall_ns)
    interval = interval or sys.getswitchinterval()
    window = zoom_window(timeline, zoom, interval)
    fig = _new_figure(timeline, profile, figsize)
    _draw_panels(fig, bars, window, profile)
    if window is not None:
        _zoom_title(fig, timeline, window, interval if zoom == "auto" else None)
    note = _busy(timeline, metrics, None)
    fig.suptitle(heading + (f"\n{note}" if note else ""), fontsize="large", x=0.01, ha="left")
    _legend(fig, bars)
    return fig


def plot_lanes(timeline, *, title: str | None = None, ax: Axes | None = None,
               wall_s: float | None = None) -> Figure:
    """Draw only the lanes of a run under its finding: one panel of a side-by-side figure.

    Args and errors as :func:`plot_gantt`; *wall_s* is the seconds the time axis spans
    (default: the run's own), so panels of runs of different lengths share one scale.
    """
    timeline = _checked_timeline(timeline)
    _check_options(title, None, True, ax, None, None)
    finding = _finding(timeline, timeline.metrics())
    if ax is None:
        rows = min(len(timeline.lanes), MAX_LANE_ROWS)
        ax = Figure(figsize=(11.0, 1.2 + 0.32 * rows), layout="constrained").subplots()
    heading = finding if title is None else f"{title}\n{finding}"
    return _lanes_only(ax, _Bars(timeline), heading, _span_ns(timeline, wall_s))


def plot_profile(timeline, *, ax: Axes | None = None, wall_s: float | None = None) -> Figure:
    """Draw the lanes running (and waiting) at once against the cores: a Gantt chart's bottom
    strip on its own. Args and errors as :func:`plot_lanes`."""
    timeline = _checked_timeline(timeline)
    _check_options(None, None, True, ax, None, None)
    span = _span_ns(timeline, wall_s)
    ax = ax or Figure(figsize=(11.0, 1.8), layout="constrained").subplots()
    unit = _time_unit(span)
    _draw_profile(ax, _Bars(timeline), unit, with_labels=True)
    ax.set_xlim(0, span / unit[0])
    ax.legend(loc="upper right", fontsize="small")
    return ax.figure


def _span_ns(timeline: Timeline, wall_s) -> int:
    if wall_s is None:
        return timeline.wall_ns
    if not (_is_number(wall_s) and wall_s > 0):
        raise ValueError(f"wall_s must be a number of seconds > 0 (got {wall_s!r})")
    return round(wall_s * 1e9)


def _lanes_only(ax: Axes, bars: "_Bars", heading: str, span_ns: int) -> Figure:
    _draw_lanes(ax, bars, (bars.timeline.start_ns, bars.timeline.start_ns + span_ns),
                _time_unit(span_ns))
    ax.set_title(heading, loc="left", fontsize="medium")
    return ax.figure

def zoom_window(timeline, zoom="auto", switch_interval: float | None = None):
    """Choose the zoomed part of a run: where the most hand-offs happen, else the middle.

    Args:
        timeline: a Timeline (or a Result).
        zoom: as for :func:`plot_gantt`.
        switch_interval: seconds per switch interval (default: ``sys.getswitchinterval()``).

    Returns:
        ``(start_ns, end_ns)`` on the timeline's clock, or None when there is no zoom.
    """
    timeline = _checked_timeline(timeline)
    _check_zoom(zoom)
    start, end = timeline.start_ns, timeline.end_ns
    if zoom is None or zoom is False:
        return None
    if isinstance(zoom, (tuple, list)):
        return start + round(zoom[0] * 1e9), min(end, start + round(zoom[1] * 1e9))
    width = round((switch_interval or sys.getswitchinterval()) * ZOOM_INTERVALS * 1e9)
    if zoom == "auto":
        if timeline.wall_ns < ZOOM_MIN_RATIO * width:
            return None
    else:
        width = round(zoom * 1e9)
    if width >= timeline.wall_ns:
        return start, end
    left = _busiest(timeline, width)
    return left, left + width


def _busiest(timeline: Timeline, width: int) -> int:
    """Left edge of a *width* window holding nearly the most segment starts, nearest the middle."""
    start, end = timeline.start_ns, timeline.end_ns
    starts = np.sort(np.array([s.start_ns for s in timeline.segments()], dtype=np.int64))
    lefts = np.clip(starts - width // 10, start, end - width)
    counts = np.searchsorted(starts, lefts + width) - np.searchsorted(starts, lefts)
    good = lefts[counts >= 0.9 * counts.max()]
    middle = start + (timeline.wall_ns - width) / 2
    return int(good[np.argmin(np.abs(good - middle))])


# --- checks at the door ----------------------------------------------------------------------
def _checked_timeline(timeline) -> Timeline:
    inner = getattr(timeline, "timeline", None)
    if not isinstance(timeline, Timeline) and isinstance(inner, Timeline):
        timeline = inner  # a Result of course.run
    if not isinstance(timeline, Timeline):
        raise TypeError(f"timeline must be a Timeline or a Result of course.run "
                        f"(got {type(timeline).__name__})")
    if timeline.is_empty or timeline.wall_ns <= 0 or not timeline.segments():
        raise ValueError("timeline is empty: nothing was recorded")
    return timeline


def _check_options(title, zoom, profile, ax, figsize, interval) -> None:
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None (got {type(title).__name__})")
    _check_zoom(zoom)
    if not isinstance(profile, bool):
        raise TypeError(f"profile must be True or False (got {profile!r})")
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None (got {type(ax).__name__})")
    if figsize is not None and not (
            isinstance(figsize, (tuple, list)) and len(figsize) == 2
            and all(_is_number(v) and v > 0 for v in figsize)):
        raise ValueError(f"figsize must be a (width, height) pair of inches > 0 (got {figsize!r})")
    if interval is not None and not (_is_number(interval) and interval > 0):
        raise ValueError(f"switch_interval must be > 0 seconds (got {interval!r})")


def _check_zoom(zoom) -> None:
    ok = (zoom is None or zoom is False or (isinstance(zoom, str) and zoom == "auto")
          or (_is_number(zoom) and zoom > 0)
          or (isinstance(zoom, (tuple, list)) and len(zoom) == 2
              and all(_is_number(v) for v in zoom) and 0 <= zoom[0] < zoom[1]))
    if not ok:
        raise ValueError("zoom must be 'auto', None, a width in seconds > 0 or a "
                         f"(start_s, end_s) pair with 0 <= start_s < end_s (got {zoom!r})")


def _is_number(value) -> bool:
    return (isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
            and math.isfinite(value))


# --- drawing -------------------------------------------------------------------------------
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


def _new_figure(timeline: Timeline, profile: bool, figsize) -> Figure:
    if figsize is None:
        rows = min(len(timeline.lanes), MAX_LANE_ROWS)
        figsize = (11.0, 1.6 + 0.32 * rows + (1.5 if profile else 0.0))
    return Figure(figsize=figsize, layout="constrained")


def _draw_panels(fig: Figure, bars: _Bars, window, profile: bool) -> None:
    """Lay out the whole run (left) and the zoom (right), lanes above the profile."""
    timeline = bars.timeline
    cols = 2 if window is not None else 1
    lane_height = max(2.0, 0.32 * min(bars.rows, MAX_LANE_ROWS))
    grid = fig.add_gridspec(2 if profile else 1, cols, width_ratios=[3, 2][:cols],
                            height_ratios=[lane_height, 1.3][:2 if profile else 1])
    unit = _time_unit(timeline.wall_ns)
    whole = fig.add_subplot(grid[0, 0], label="lanes")
    _draw_lanes(whole, bars, None, unit)
    whole.set_title(f"whole run ({_duration(timeline.wall_ns / 1e9)})", loc="left",
                    fontsize="medium")
    panels = [(whole, None, unit)]
    if window is not None:
        zoomed = fig.add_subplot(grid[0, 1], sharey=whole, label="lanes (zoom)")
        _draw_lanes(zoomed, bars, window, (1e6, "ms"))
        zoomed.tick_params(labelleft=False)
        panels.append((zoomed, window, (1e6, "ms")))
    if profile:
        for col, (lane_ax, win, panel_unit) in enumerate(panels):
            label = "profile" if col == 0 else "profile (zoom)"
            prof = fig.add_subplot(grid[1, col], sharex=lane_ax, label=label)
            _draw_profile(prof, bars, panel_unit, with_labels=col == 0)
            lane_ax.tick_params(labelbottom=False)
            lane_ax.set_xlabel("")
    if window is not None:
        _mark_zoom(fig, timeline, window, unit)


def _zoom_title(fig: Figure, timeline: Timeline, window, interval: float | None) -> None:
    a, b = ((t - timeline.start_ns) / 1e6 for t in window)
    title = f"zoom: {a:.0f}-{b:.0f} ms"
    if interval is not None:
        title += f" ({ZOOM_INTERVALS} switch intervals of {interval * 1e3:g} ms)"
    _axes(fig, "lanes (zoom)").set_title(title, loc="left", fontsize="medium")


def _axes(fig: Figure, label: str) -> Axes:
    return next(ax for ax in fig.axes if ax.get_label() == label)


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


def _mark_zoom(fig: Figure, timeline: Timeline, window, unit) -> None:
    """Outline the zoomed stretch on the whole-run panels."""
    a, b = ((t - timeline.start_ns) / unit[0] for t in window)
    for ax in fig.axes:
        if ax.get_label() in ("lanes", "profile"):
            # An outline only: a fill would change the colours the reader compares.
            ax.axvspan(a, b, facecolor="none", edgecolor="black", linewidth=1.5, zorder=3,
                       gid="zoom-region")


def _legend(fig: Figure, bars: _Bars) -> None:
    """One legend under the chart: the kinds present, then the profile's lines."""
    handles = [Patch(facecolor=COLOURS[k], hatch=HATCHES.get(k), edgecolor="white",
                     label=LEGEND[k]) for k in bars.kinds]
    profile = [ax for ax in fig.axes if ax.get_label() == "profile"]
    if profile:
        handles += [line for line in profile[0].get_lines() if not line.get_label().startswith("_")]
    fig.legend(handles=handles, loc="outside lower left", ncol=len(handles), frameon=False)


# --- simple bar charts -----------------------------------------------------------------------
def plot_bars(labels: Sequence[str], values: Sequence[float], *, title: str | None = None,
              unit: str = "", ylabel: str | None = None, reference: float | None = None,
              reference_label: str | None = None, ax: Axes | None = None,
              figsize: tuple[float, float] | None = None) -> Figure:
    """Draw a labelled bar chart whose default title compares the largest and smallest bars.

    Args:
        labels: one name per bar, e.g. ("thread", "process (fork)", "process (spawn)").
        values: one number per bar, e.g. start-up times or speedups.
        title: the finding to show (default: "<largest> vs <smallest>: N.Nx").
        unit: appended to the numbers written on the bars, e.g. " ms" or "x".
        ylabel: the y axis label (default: none).
        reference: draw a dashed line at this value (e.g. the number of cores for speedups).
        reference_label: the dashed line's label (default: the value).
        ax: draw into this Axes instead of a new figure.
        figsize: (width, height) in inches for a new figure.

    Returns:
        The matplotlib Figure.

    Raises:
        TypeError: a value is not a number, or *ax* is not an Axes.
        ValueError: no bars, labels and values differ in length, or a value is not finite.
    """
    labels, values = _checked_bars(labels, values, reference)
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None (got {type(ax).__name__})")
    if ax is None:
        size = figsize or (1.6 + 1.3 * len(values), 3.6)
        ax = Figure(figsize=size, layout="constrained").subplots()
    colours = [BAR_COLOURS[i % len(BAR_COLOURS)] for i in range(len(values))]
    bars = ax.bar(labels, values, color=colours)
    ax.bar_label(bars, labels=[f"{_number(v)}{unit}" for v in values], padding=2)
    if reference is not None:
        ax.axhline(reference, color="black", linestyle="--", linewidth=1.2,
                   label=reference_label or f"{_number(reference)}{unit}")
        ax.legend(loc="upper left", fontsize="small")
    ax.set_ylim(min(0, *values) * 1.15, max(0, reference or 0, *values) * 1.18 or 1)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.set_title(title if title is not None else _bars_finding(labels, values, unit),
                 loc="left", fontsize="medium")
    return ax.figure


def _checked_bars(labels, values, reference) -> tuple[list[str], list[float]]:
    labels, values = [str(label) for label in labels], list(values)
    if not values:
        raise ValueError("plot_bars needs at least one bar (got no values)")
    if len(labels) != len(values):
        raise ValueError(f"labels and values must have the same length "
                         f"(got {len(labels)} labels, {len(values)} values)")
    for label, value in [*zip(labels, values), ("reference", reference)]:
        if value is None and label == "reference":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise TypeError(f"values must be numbers (got {type(value).__name__} for {label!r})")
        if not math.isfinite(value):
            raise ValueError(f"values must be finite (got {value} for {label!r})")
    return labels, [float(v) for v in values]


def _bars_finding(labels: list[str], values: list[float], unit: str) -> str:
    if len(values) == 1:
        return f"{labels[0]}: {_number(values[0])}{unit}"
    hi, lo = values.index(max(values)), values.index(min(values))
    text = f"{labels[hi]} {_number(values[hi])}{unit} vs {labels[lo]} {_number(values[lo])}{unit}"
    return f"{text}: {_ratio(values[hi] / values[lo])}" if values[lo] > 0 else text


def _ratio(ratio: float) -> str:
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:,.0f}x"


def _number(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
