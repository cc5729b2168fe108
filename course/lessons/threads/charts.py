"""Lesson 1's figures, each titled with its finding and the numbers behind it.

Lane charts (who ran when) are ``course.plot_gantt``'s; the figures here are the lesson's
other kinds: start-up costs on a log scale, speedup against the number of threads, and the
printed orders of repeated runs as rows of coloured cells. matplotlib loads on first use.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Sequence

from .measure import THREAD

__all__ = ["plot_start_costs", "plot_io_sweep", "plot_orders"]

THREAD_COLOUR, PROCESS_COLOUR = "#0072B2", "#CC79A7"
FIRST_COLOUR, SECOND_COLOUR = "#0072B2", "#E69F00"
IDEAL_COLOUR = "#707070"


def _new_figure(figsize):
    from matplotlib.figure import Figure

    from ... import gantt  # noqa: F401 -- importing it lets a bare Figure show in Jupyter

    return Figure(figsize=figsize, layout="constrained")


def _axes(ax, figsize):
    return ax if ax is not None else _new_figure(figsize).subplots()


def plot_start_costs(costs: dict[str, Sequence[float]], ax=None):
    """Draw the median start-and-join time of each kind as bars on a log scale.

    Args:
        costs: kind -> seconds per start, as ``measure.start_costs`` returns.
        ax: a matplotlib Axes to draw into (default: a new figure).

    Returns:
        The matplotlib Figure, titled with how many thread starts one process start costs.

    Raises:
        ValueError: no kinds, or a kind with no timings.
    """
    if not costs or any(len(v) == 0 for v in costs.values()):
        raise ValueError("costs must map each kind to at least one timing (got an empty one)")
    medians = {kind: statistics.median(v) * 1e3 for kind, v in costs.items()}
    ax = _axes(ax, (9, 1.3 + 0.55 * len(medians)))
    bars = ax.barh(list(medians), list(medians.values()),
                   color=[THREAD_COLOUR if k == THREAD else PROCESS_COLOUR for k in medians])
    base = medians.get(THREAD)
    ax.bar_label(bars, labels=[_cost_label(ms, base) for ms in medians.values()], padding=3)
    ax.set_xscale("log")
    ax.set_xlim(min(medians.values()) / 3, max(medians.values()) * 20)
    ax.invert_yaxis()
    ax.set_xlabel("median time to start and join one that does nothing (ms, log scale)")
    ax.set_title(_start_finding(medians, costs), loc="left", fontsize="medium")
    return ax.figure


def _cost_label(ms: float, base: float | None) -> str:
    text = f"{ms:.3f} ms" if ms < 1 else f"{ms:.1f} ms"
    return text if base is None or ms == base else f"{text} ({ms / base:,.0f}x)"


def _start_finding(medians: dict[str, float], costs: dict) -> str:
    runs = " and ".join(f"{len(v)} {kind} starts" for kind, v in costs.items())
    if THREAD not in medians or len(medians) < 2:
        return ", ".join(f"{k} {_cost_label(ms, None)}" for k, ms in medians.items())
    base = medians[THREAD]
    slowest = max(medians, key=medians.get)
    return (f"A thread started in {_cost_label(base, None)}; a {slowest} took "
            f"{medians[slowest] / base:,.0f}x longer\nmedians of {runs}")


def plot_io_sweep(sweep: Sequence[tuple[int, float]], jobs: int, ax=None):
    """Draw the measured speedup over one thread against the number of threads.

    Args:
        sweep: ``[(threads, wall seconds), ...]`` with a run on 1 thread (``measure.io_sweep``).
        jobs: how many jobs the runs shared (bounds the ideal speedup).
        ax: a matplotlib Axes to draw into (default: a new figure).

    Returns:
        The matplotlib Figure, titled with the best speedup measured.

    Raises:
        ValueError: the sweep has no run on 1 thread.
    """
    walls = dict(sweep)
    if 1 not in walls:
        raise ValueError(f"sweep must include a run on 1 thread "
                         f"(got thread counts {sorted(walls)})")
    counts = sorted(walls)
    speedups = [walls[1] / walls[n] for n in counts]
    ax = _axes(ax, (7, 4))
    ax.plot(counts, [min(n, jobs) for n in counts], "--", color=IDEAL_COLOUR,
            label="ideal: every wait overlaps")
    ax.plot(counts, speedups, "o-", color=THREAD_COLOUR, label="measured")
    for n, s in zip(counts, speedups):
        ax.annotate(f"{s:.1f}x", (n, s), textcoords="offset points", xytext=(0, 7),
                    ha="center", fontsize="small")
    ax.set_xlabel("threads")
    ax.set_ylabel("speedup over 1 thread")
    ax.set_xticks(counts)
    ax.legend(loc="upper left")
    best = max(counts, key=lambda n: walls[1] / walls[n])
    ax.set_title(f"{jobs} waiting jobs: {best} threads finished {walls[1] / walls[best]:.1f}x "
                 f"sooner than 1\n({walls[1] * 1e3:.0f} ms -> {walls[best] * 1e3:.0f} ms, "
                 f"ideal {min(best, jobs)}x)", loc="left", fontsize="medium")
    return ax.figure


def plot_orders(orders: dict[str, Sequence[str]], first: str = "0123456789"):
    """Draw each run's printed order as a row of coloured cells, one panel per setting.

    Args:
        orders: setting name -> the runs' orders, as ``measure.printed_orders`` returns them.
        first: characters that mark an item as the first job's (drawn blue; others orange).

    Returns:
        The matplotlib Figure, titled with the number of distinct orders per setting.

    Raises:
        ValueError: no settings, or a setting with no runs.
    """
    from matplotlib.colors import ListedColormap

    if not orders or any(len(runs) == 0 for runs in orders.values()):
        raise ValueError("orders must map each setting to at least one run (got an empty one)")
    most = max(len(r) for r in orders.values())
    fig = _new_figure((11, 1.6 + 0.17 * most))
    cmap = ListedColormap([FIRST_COLOUR, SECOND_COLOUR])
    for panel, (name, runs) in zip(fig.subplots(1, len(orders), squeeze=False)[0],
                                   orders.items()):
        grid = [[0 if item[0] in first else 1 for item in run.split()] for run in runs]
        width = max(1, max(len(row) for row in grid))
        panel.imshow([row + [1] * (width - len(row)) for row in grid], cmap=cmap, vmin=0,
                     vmax=1, aspect="auto", interpolation="nearest",
                     extent=(0.5, width + 0.5, len(runs) + 0.5, 0.5))
        panel.set_title(name, loc="left", fontsize="medium")
        panel.set_xlabel("position in the output (blue: first job, orange: second)")
        panel.set_ylabel("run")
        panel.yaxis.get_major_locator().set_params(integer=True)
        panel.xaxis.get_major_locator().set_params(integer=True)
    fig.suptitle("Printed orders: " + "; ".join(
        f"{name}: {_distinct(runs)} in {len(runs)} runs" for name, runs in orders.items()),
        x=0.01, ha="left")
    return fig


def _distinct(runs: Sequence[str]) -> str:
    count = len(Counter(runs))
    return "always the same order" if count == 1 else f"{count} different orders"
