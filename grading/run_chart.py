"""The chart of a grading run: one lane per worker, one span per submission, coloured by outcome.

Drawn with the course's own Gantt renderer (``course.Timeline.from_segments`` and the lanes of
``course.gantt.plot_gantt``), with a panel under the lanes counting the workers busy against
the machine's cores: grading is work that waits (on kernels) done in processes, so more
workers than cores stay busy. Saved next to the export as ``grading-run.png``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from course.gantt import COLOURS, HATCHES, plot_gantt
from course.timeline import READY, RUNNING, STARTUP, WAITING, Timeline, usable_cores

from .progress import duration

__all__ = ["CHART", "STARTING", "OUTCOME_KINDS", "Span", "timeline", "plot_run", "save_chart"]

CHART = "grading-run.png"
# Outcomes drawn as the renderer's segment kinds, for their colours: blue for graded, orange
# (as "ready" is) for graded but worth a look, hatched pink for not graded, grey for a worker
# starting (loading nbgrader). The legend says what each colour means here.
STARTING = "starting"  # as grading.parallel.STARTING (not imported: it loads nbgrader)
OUTCOME_KINDS = {"graded": RUNNING, "note": READY, "not graded": STARTUP, STARTING: WAITING}
OUTCOME_LABELS = {"graded": "graded", "note": "graded, worth a look", "not graded": "not graded",
                  STARTING: "worker starting"}

Span = tuple  # (lane, start, end, outcome): Unix times in seconds, outcome a key of OUTCOME_KINDS


def _lane_order(lane: str):
    """Sort "worker 10" after "worker 9", and "shard 0 worker 2" before "shard 1 worker 1"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", lane)]


def timeline(spans: Iterable[Span], cores: int | None = None) -> Timeline:
    """The run as a Timeline: lanes in natural order, time from the first start.

    Raises:
        ValueError: no spans, or an outcome that is not one of OUTCOME_KINDS.
    """
    spans = sorted(spans, key=lambda s: (_lane_order(s[0]), s[1]))
    if not spans:
        raise ValueError("the run graded nothing: there is no chart to draw")
    unknown = {s[3] for s in spans} - set(OUTCOME_KINDS)
    if unknown:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOME_KINDS)} "
                         f"(got {', '.join(sorted(unknown))})")
    t0 = min(s[1] for s in spans)
    rows = [(lane, start - t0, max(end, start) - t0, OUTCOME_KINDS[outcome])
            for lane, start, end, outcome in spans]
    return Timeline.from_segments(rows, label="grading run",
                                  cores=cores if cores is not None else usable_cores())


def plot_run(spans: Sequence[Span], *, title: str | None = None,
             cores: int | None = None) -> Figure:
    """Draw a grading run: the workers' lanes above the number of workers busy.

    Args:
        spans: (lane, start, end, outcome) per submission graded, and (lane, launched, ready,
            STARTING) per worker start.
        title: a heading above the finding (default: "Grading run").
        cores: the machine's cores, for the dashed line (default: usable cores here).

    Returns:
        The matplotlib Figure.
    """
    line = timeline(spans, cores)
    rows = len(line.lanes)
    fig = Figure(figsize=(11, 2.4 + 0.3 * min(rows, 24) + 1.4), layout="constrained")
    lanes, busy = fig.subplots(2, 1, sharex=True,
                               gridspec_kw={"height_ratios": [max(2.0, 0.3 * rows), 1.3]})
    plot_gantt(line, ax=lanes)
    _draw_busy(busy, line, scale=lanes.get_xlim()[1] / (line.wall_ns / 1e9),
               xlabel=lanes.get_xlabel())
    lanes.set_xlabel("")
    lanes.set_title("", loc="left")  # the renderer's finding is about CPU: the run's is above
    lanes.tick_params(labelbottom=False)
    heading = title or "Grading run"
    fig.suptitle(f"{heading}\n{finding(spans, line)}", x=0.01, ha="left", fontsize="large")
    outcomes = [o for o in OUTCOME_KINDS if any(s[3] == o for s in spans)]
    handles = [Patch(facecolor=COLOURS[OUTCOME_KINDS[o]], hatch=HATCHES.get(OUTCOME_KINDS[o]),
                     edgecolor="white", label=OUTCOME_LABELS[o]) for o in outcomes]
    handles += [Patch(facecolor=COLOURS[RUNNING], alpha=0.85, label="workers grading"),
                *(h for h in busy.get_lines() if not h.get_label().startswith("_"))]
    fig.legend(handles=handles, loc="outside lower left", ncol=len(handles), frameon=False)
    return fig


def finding(spans: Sequence[Span], line: Timeline) -> str:
    """What the chart shows, with its numbers: how many at once, against the cores."""
    wall = line.wall_ns / 1e9
    spans = [s for s in spans if s[3] != STARTING]
    busy = sum(max(0.0, s[2] - s[1]) for s in spans)
    counts = {o: sum(1 for s in spans if s[3] == o) for o in OUTCOME_KINDS}
    outcomes = ", ".join(f"{n} {OUTCOME_LABELS[o]}" for o, n in counts.items() if n)
    at_once = busy / wall if wall > 0 else 0.0
    return (f"{len(spans)} submissions in {duration(wall)} on {len(line.lanes)} workers and "
            f"{line.cores} cores: {at_once:.1f} graded at once on average ({outcomes})")


def _draw_busy(ax, line: Timeline, scale: float, xlabel: str) -> None:
    """Workers grading at each moment, with a dashed line at the number of cores; *scale*
    turns seconds into the lanes' time unit."""
    events = []
    for seg in line.segments():
        if seg.kind != WAITING:  # a worker starting up grades nothing yet
            events += [(seg.start_ns, 1), (seg.end_ns, -1)]
    events.sort()
    xs, ys, now = [0.0], [0], 0
    for t, step in events:
        now += step
        xs.append((t - line.start_ns) / 1e9 * scale)
        ys.append(now)
    ax.fill_between(xs, ys, step="post", color=COLOURS[RUNNING], alpha=0.85, linewidth=0)
    ax.axhline(line.cores, color="black", linestyle="--", linewidth=1.2,
               label=f"{line.cores} cores")
    ax.set_ylim(0, max(max(ys), line.cores) + 0.6)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("workers busy")
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", alpha=0.3)


def save_chart(spans: Sequence[Span], path: Path | str, **options) -> Path:
    """Draw the run and save it as a PNG; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    plot_run(spans, **options).savefig(path, dpi=110)
    return path
