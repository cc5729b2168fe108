"""Lesson 3's figure: jobs under a semaphore, drawn with the course's one lane renderer.

The lanes come from :func:`course.gantt.plot_gantt` (drawn into an Axes given to it); under
them, the number of jobs in progress at once against the semaphore's size. matplotlib loads
with this module only.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..._validate import check_int
from ...gantt import COLOURS, MAX_LANE_ROWS, plot_gantt
from ...timeline import WAITING, Timeline, _step_profile

__all__ = ["plot_capped", "capped_finding"]

CAP_COLOUR = "black"


def capped_finding(timeline: Timeline, limit: int) -> str:
    """One line: the most jobs at once against the cap, how long it was reached, the wall time.

    Jobs are the timeline's spans, whatever their kind.

    Raises:
        TypeError, ValueError: *timeline* is not a Timeline, or *limit* is not an int >= 1.
    """
    _check(timeline, limit)
    steps = _jobs_profile(timeline)
    peak = max((n for _, n in steps), default=0)
    full = sum(t1 - t0 for (t0, n), (t1, _) in zip(steps, steps[1:]) if n >= limit)
    share = full / timeline.wall_ns if timeline.wall_ns else 0.0
    jobs = len(timeline.segments())
    return (f"Semaphore({limit}): at most {peak} job{'s' if peak != 1 else ''} at once, "
            f"the cap reached for {share:.0%} of the run; {jobs} jobs in "
            f"{timeline.wall_ns / 1e6:.0f} ms")


def plot_capped(timeline: Timeline, limit: int, *, title: str | None = None) -> Figure:
    """Draw jobs capped by a semaphore: the lanes, then jobs at once under a dashed cap line.

    Args:
        timeline: jobs recorded one span each (e.g. ``with rec.span("wait"):`` around a job
            that sleeps); a blank stretch is a thread recording nothing, e.g. blocked in
            ``acquire()``.
        limit: the semaphore's size, drawn as the cap.
        title: a heading above the finding (default: the finding alone).

    Returns:
        The matplotlib Figure.

    Raises:
        TypeError, ValueError: bad arguments, or an empty timeline.
    """
    _check(timeline, limit)
    rows = min(len(timeline.lanes), MAX_LANE_ROWS)
    fig = Figure(figsize=(11.0, 2.4 + 0.32 * rows), layout="constrained")
    lanes_ax, count_ax = fig.subplots(2, 1, sharex=True,
                                      height_ratios=[max(1.4, 0.32 * rows), 1.3])
    plot_gantt(timeline, ax=lanes_ax)  # the one lane renderer: a row per thread
    lanes_ax.set_title("", loc="left")
    lanes_ax.set_xlabel("")
    _draw_jobs_at_once(count_ax, timeline, limit)
    finding = capped_finding(timeline, limit)
    fig.suptitle(finding if title is None else f"{title}\n{finding}", x=0.01, ha="left",
                 fontsize="large")
    kinds = sorted({seg.kind for seg in timeline.segments()})
    handles = [Patch(facecolor=COLOURS[k], label="a job (holding a slot)") for k in kinds]
    handles += [Patch(facecolor="white", edgecolor="#999999",
                      label="blank: no job (e.g. blocked in acquire(), waiting for a slot)"),
                Line2D([], [], color=CAP_COLOUR, linestyle="--", label=f"semaphore size {limit}")]
    fig.legend(handles=handles, loc="outside lower left", ncol=len(handles), frameon=False)
    return fig


def _draw_jobs_at_once(ax, timeline: Timeline, limit: int) -> None:
    steps = _jobs_profile(timeline)
    xs = [0.0] + [(t - timeline.start_ns) / 1e6 for t, _ in steps] + [timeline.wall_ns / 1e6]
    ys = [0] + [n for _, n in steps] + [steps[-1][1] if steps else 0]
    ax.fill_between(xs, ys, step="post", color=COLOURS[WAITING], linewidth=0)
    ax.step(xs, ys, where="post", color="#707070", linewidth=1.0)
    ax.axhline(limit, color=CAP_COLOUR, linestyle="--", linewidth=1.2)
    ax.set_ylim(0, max(max(ys), limit) + 0.6)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("jobs at once")
    ax.set_xlabel("time since start (ms)")
    ax.grid(axis="x", alpha=0.3)


def _jobs_profile(timeline: Timeline) -> list[tuple[int, int]]:
    """[(t_ns, jobs in progress from t on)]: every span counts, whatever its kind."""
    return _step_profile([(s.start_ns, s.end_ns) for s in timeline.segments()])


def _check(timeline, limit) -> None:
    if not isinstance(timeline, Timeline):
        raise TypeError(f"timeline must be a Timeline (got {type(timeline).__name__})")
    check_int("limit", limit, 1)
    if timeline.is_empty or timeline.wall_ns <= 0:
        raise ValueError("timeline is empty: nothing was recorded")
