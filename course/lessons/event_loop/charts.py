"""Figures for lesson 5, drawn with the course's one lane renderer (``course.gantt``).

- :func:`plot_tasks`: a Gantt chart of tasks, with a semaphore's limit instead of the cores line
  (tasks of one event loop share one thread: the number of cores says nothing about them).
- :func:`plot_side_by_side`: runs stacked on one time axis, e.g. a blocking call and its fix
  (``course.gantt``'s, served here under the lesson's name).
- :func:`plot_usage`: wall time, threads added and memory per waiter of each way to run a job.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from ... import _validate
from ...gantt import add_legend, plot_bars, plot_gantt, plot_side_by_side
from ...timeline import Timeline
from .measure import Usage

__all__ = ["plot_tasks", "plot_side_by_side", "plot_usage"]

LIMIT_COLOUR = "#D55E00"


def plot_tasks(timeline: Timeline, *, limit: int | None = None, title: str | None = None) -> Figure:
    """Draw a timeline of tasks; with *limit*, a dashed line at the limit under the lanes.

    Raises:
        TypeError, ValueError: as ``course.plot_gantt``, or *limit* is not an int >= 1.
    """
    if limit is not None:
        _validate.check_int("limit", limit, 1)
    fig = plot_gantt(timeline, title=title, zoom=None)
    profile = next((ax for ax in fig.axes if ax.get_label() == "profile"), None)
    if profile is None:
        return fig
    for line in list(profile.get_lines()):
        if line.get_label().endswith(" cores"):
            line.remove()  # one thread runs every task: cores are beside the point
    if limit is not None:
        profile.axhline(limit, color=LIMIT_COLOUR, linestyle="--", linewidth=1.4,
                        label=f"limit {limit}")
        profile.set_ylim(0, max(profile.get_ylim()[1], limit + 0.6))
    for legend in list(fig.legends):
        legend.remove()
    add_legend(fig, (seg.kind for seg in timeline.segments()),
               [line for line in profile.get_lines() if not line.get_label().startswith("_")])
    return fig


def plot_usage(runs: dict[str, Usage], *, title: str | None = None) -> Figure:
    """Three bar panels per way of running a job: wall time, threads added, KiB per waiter.

    Panels whose numbers were not measured (no sample taken, no memory reading) are left out.

    Raises:
        ValueError: *runs* is empty.
        TypeError: a value is not a Usage.
    """
    if not runs:
        raise ValueError("plot_usage needs at least one run (got none)")
    for name, used in runs.items():
        if not isinstance(used, Usage):
            raise TypeError(f"runs must map names to Usage (got {type(used).__name__} for "
                            f"{name!r})")
    names = list(runs)
    panels = [("wall time", " s", [runs[n].wall_s for n in names])]
    for label, unit, attr in (("threads added", "", "threads_added"),
                              ("memory per waiter", " KiB", "kib_per_waiter")):
        values = [getattr(runs[n], attr) for n in names]
        if all(v is not None for v in values):
            panels.append((label, unit, values))
    fig = Figure(figsize=(3.8 * len(panels), 3.6), layout="constrained")
    for ax, (label, unit, values) in zip(fig.subplots(1, len(panels), squeeze=False)[0], panels):
        plot_bars(names, [float(v) for v in values], unit=unit, ax=ax, title=label)
        ax.tick_params(axis="x", labelrotation=20)
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize="large")
    return fig

