"""Lesson 2's figures. Every lane and every "running at once" strip is drawn by
``course.gantt`` (its one lane renderer); these functions only lay runs out side by side and
title them with what they show. ``plot_side_by_side`` (runs stacked on one time axis) is
``course.gantt``'s, served here under the lesson's name. matplotlib loads with this module, on
the first chart.
"""

from __future__ import annotations

import statistics
from typing import Mapping, Sequence

from matplotlib.figure import Figure

from ...amdahl import Model, SpeedupPoint, plot_speedups
from ...gantt import COLOURS, add_legend, plot_lanes, plot_profile, plot_side_by_side
from ...timeline import usable_cores
from .builds import BuildRuns
from .measure import Speedup, SweepRow

__all__ = ["plot_switch_sweep", "plot_side_by_side", "plot_repeats", "plot_builds",
           "plot_amdahl"]


def plot_switch_sweep(rows: Sequence[SweepRow], ax=None, highlight: float | None = None):
    """Plot the median turn against the switch interval, with the line turn = interval.

    Args:
        rows: from :func:`~course.lessons.gil.measure.switch_sweep`.
        ax: an Axes to draw on (default: a new figure).
        highlight: an interval (ms) to mark, e.g. the one in force.

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: no rows.
    """
    if not rows:
        raise ValueError("rows must not be empty: run switch_sweep first")
    ax = ax or Figure(figsize=(6.5, 3.6), layout="constrained").subplots()
    xs = [r.interval_ms for r in rows]
    ys = [r.median_turn_ms for r in rows]
    ax.plot([min(xs), max(xs)], [min(xs), max(xs)], ls=":", c="0.5", label="turn = interval")
    ax.plot(xs, ys, "o-", c=COLOURS["running"], label="median turn, measured")
    if highlight is not None:
        ax.axvline(highlight, c="0.3", lw=1, ls="--", label=f"interval now: {highlight:g} ms")
    ax.set(xscale="log", yscale="log", xlabel="sys.setswitchinterval (ms)",
           ylabel="median turn (ms)")
    ratio = statistics.median(y / x for x, y in zip(xs, ys))
    ax.set_title(f"Turns follow the switch interval: median turn / interval = {ratio:.2f}",
                 loc="left", fontsize="medium")
    ax.legend(fontsize=8)
    return ax.figure


def plot_repeats(runs: Mapping[str, Sequence], cores: int | None = None, ax=None):
    """Draw CPU/wall of every repeated run, one column of dots per backend.

    Args:
        runs: ``{backend: [Result, ...]}`` from :func:`~course.lessons.gil.measure.repeat`.
        cores: usable cores, drawn as a dashed line (default: this machine's).
        ax: an Axes to draw on (default: a new figure).

    Returns:
        The matplotlib Figure; its title gives each backend's median CPU/wall.

    Raises:
        ValueError: no runs.
    """
    if not runs or not all(runs.values()):
        raise ValueError("runs must map each backend to at least one Result")
    cores = usable_cores() if cores is None else cores
    ax = ax or Figure(figsize=(6.5, 3.4), layout="constrained").subplots()
    medians = []
    for x, (backend, results) in enumerate(runs.items()):
        values = [result.metrics.cpu_over_wall for result in results]
        ax.plot([x] * len(values), values, "o", ms=8, alpha=0.6, c=f"C{x}")
        medians.append(f"{backend} {statistics.median(values):.2f}")
    ax.axhline(cores, c="black", ls="--", lw=1.2, label=f"{cores} cores")
    ax.set_xticks(range(len(runs)), list(runs))
    ax.set(xlim=(-0.6, len(runs) - 0.4), ylim=(0, cores + 0.6), ylabel="CPU/wall of a run")
    count = len(next(iter(runs.values())))
    ax.set_title(f"CPU/wall over {count} runs (median): " + ", ".join(medians), loc="left",
                 fontsize="medium")
    ax.legend(loc="upper left", fontsize="small")
    return ax.figure


def plot_builds(builds: Sequence[BuildRuns], workers: int | None = None):
    """Draw one run per build side by side, the GIL build on the left, on one time scale.

    Each column is the run's lanes above the number of threads running against the cores.

    Args:
        builds: from :func:`~course.lessons.gil.builds.compare_builds`.
        workers: which run to draw (default: the most threads run).

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: no build has a run of that many threads.
    """
    ran = [build for build in builds if build.runs]
    n = workers if workers is not None else max((max(b.runs) for b in ran), default=0)
    shown = [build for build in ran if n in build.runs]
    if not shown:
        raise ValueError(f"no build ran {n} threads: run compare_builds with {n} in workers")
    rows = max(len(build.runs[n].timeline.lanes) for build in shown)
    fig = Figure(figsize=(5.6 * len(shown), 2.8 + 0.3 * rows), layout="constrained")
    axes = fig.subplots(2, len(shown), squeeze=False, height_ratios=[max(2.0, 0.3 * rows), 1.1])
    longest = max(build.runs[n].timeline.wall_ns for build in shown) / 1e9
    for col, build in enumerate(shown):
        result = build.runs[n]
        plot_lanes(result, title=build.label, ax=axes[0, col], wall_s=longest)
        axes[0, col].set_xlabel("")
        plot_profile(result, ax=axes[1, col], wall_s=longest)
    fig.suptitle(_builds_title(shown, n), x=0.01, ha="left", fontsize="large")
    add_legend(fig, ["running", "ready"])
    return fig


def _builds_title(shown: Sequence[BuildRuns], n: int) -> str:
    cpu = {build.gil: build.runs[n].metrics.cpu_over_wall for build in shown}
    if len(cpu) == 2:
        return (f"The same {n} CPU-bound threads: CPU/wall {cpu[True]:.2f} with the GIL vs "
                f"{cpu[False]:.2f} free-threaded")
    return f"{n} CPU-bound threads on {shown[0].label}: CPU/wall {next(iter(cpu.values())):.2f}"


def plot_amdahl(speedups: Mapping[str, Speedup], cores: int | None = None):
    """Draw each measured speedup (dots) against Amdahl's prediction for it (a line).

    Args:
        speedups: ``{label: Speedup}``: the parallel fraction, workers and timings of a run.
        cores: usable cores, which cap the series that need a core per worker (default:
            this machine's).

    Returns:
        The matplotlib Figure.
    """
    cores = usable_cores() if cores is None else cores
    series = []
    for label, s in speedups.items():
        points = [SpeedupPoint(label, 1, 1.0, 1.0),
                  SpeedupPoint(label, s.workers, s.sequential_s, s.wall_s)]
        series.append((label, points, Model(s.p, cores if s.needs_cores else None)))
    return plot_speedups(series, cores)
