"""Whole figures: the Gantt chart (lanes, zoom, profile, legend, finding), its parts alone, and
several runs stacked on one time axis."""

from __future__ import annotations

import sys
from typing import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..timeline import Timeline
from .checks import _check_options, _checked_timeline, _is_number
from .finding import _busy, _duration, _finding
from .lanes import _Bars, _draw_lanes, _draw_profile, _time_unit
from .style import MAX_LANE_ROWS, add_legend
from .zoom import ZOOM_INTERVALS, zoom_window


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
    profile = [ax for ax in fig.axes if ax.get_label() == "profile"]
    lines = profile[0].get_lines() if profile else []
    add_legend(fig, bars.kinds, [line for line in lines if not line.get_label().startswith("_")])
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


def plot_side_by_side(runs: Iterable[tuple[str, object]], *, title: str | None = None,
                      figsize: tuple[float, float] | None = None, sep: str = "\n") -> Figure:
    """Stack several runs' lanes on one time axis, each titled with its finding, one legend.

    Args:
        runs: ``(heading, Timeline or Result)`` pairs, drawn top to bottom; a None run is
            skipped. Each panel spans the longest run, so lengths compare at a glance.
        title: the figure's title, above the panels (default: none).
        figsize: (width, height) in inches (default: sized to the panels and their lanes).
        sep: what goes between a panel's heading and its finding (default: a new line).

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: no run to draw, an empty timeline, or a bad *figsize*.
        TypeError: a run is not a Timeline or Result, or a heading, *title* or *sep* is not a
            str.
    """
    panels = [(heading, _checked_timeline(run)) for heading, run in runs if run is not None]
    if not panels:
        raise ValueError("runs must hold at least one (heading, timeline) pair (got none)")
    for name, text in [("sep", sep)] + [("each heading", heading) for heading, _ in panels]:
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a str (got {type(text).__name__})")
    _check_options(title, None, True, None, figsize, None)
    rows = [max(1, min(len(timeline.lanes), MAX_LANE_ROWS)) for _, timeline in panels]
    fig = Figure(figsize=figsize or (11.0, 1.3 + 0.9 * len(panels) + 0.32 * sum(rows)),
                 layout="constrained")
    axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False, height_ratios=rows)[:, 0]
    span = max(timeline.wall_ns for _, timeline in panels)
    for ax, (heading, timeline) in zip(axes, panels):
        finding = _finding(timeline, timeline.metrics())
        _lanes_only(ax, _Bars(timeline), f"{heading}{sep}{finding}", span)
    for ax in axes[:-1]:
        ax.set_xlabel("")
    add_legend(fig, {seg.kind for _, timeline in panels for seg in timeline.segments()})
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize="large")
    return fig


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


def _mark_zoom(fig: Figure, timeline: Timeline, window, unit) -> None:
    """Outline the zoomed stretch on the whole-run panels."""
    a, b = ((t - timeline.start_ns) / unit[0] for t in window)
    for ax in fig.axes:
        if ax.get_label() in ("lanes", "profile"):
            # An outline only: a fill would change the colours the reader compares.
            ax.axvspan(a, b, facecolor="none", edgecolor="black", linewidth=1.5, zorder=3,
                       gid="zoom-region")
