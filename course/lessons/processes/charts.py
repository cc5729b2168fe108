"""The lesson's figures, each titled with its finding: start-up costs, transfer costs, pool runs.

Bars go through :func:`course.gantt.plot_bars` and lanes through :func:`course.gantt.plot_gantt`,
the course's one renderer of each. Amdahl's prediction is passed in as a function: the lesson
writes the formula itself, in plain code, before any chart uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..._validate import check_callable
from ...gantt import plot_bars, plot_gantt
from .measure import PoolRun, Transfer
from .text import duration

__all__ = ["plot_startup", "plot_transfers", "plot_pool_run", "predicted_speedup"]

_PREDICTED = "#0072B2"
_MEASURED = "#D55E00"


def plot_startup(costs: dict[str, float], ax=None):
    """Bar chart of ``startup_costs`` in milliseconds; the title states the finding.

    Raises:
        ValueError: *costs* is empty.
    """
    if not costs:
        raise ValueError("costs must not be empty (got {})")
    labels = [name if name == "thread" else f"process ({name})" for name in costs]
    values = [s * 1e3 for s in costs.values()]
    return plot_bars(labels, values, title=_startup_finding(costs), unit=" ms",
                     ylabel="start + join (ms, median)", ax=ax)


def _startup_finding(costs: dict[str, float]) -> str:
    processes = {k: v for k, v in costs.items() if k != "thread"}
    if not processes:
        return f"a thread starts and ends in {duration(costs['thread'])}"
    slow = max(processes, key=processes.get)
    text = f"a {slow} process takes {duration(processes[slow])} to start and end"
    fast = min(processes, key=processes.get)
    if fast != slow:
        text += f", {processes[slow] / processes[fast]:.0f}x {fast}'s {duration(processes[fast])}"
    if costs.get("thread", 0) > 0:
        text += f"; a thread: {duration(costs['thread'])}"
    return text


def plot_transfers(rows: Sequence[Transfer], ax=None):
    """Bar chart of what sending each size to a worker cost; the title gives ms per MB.

    Raises:
        ValueError: *rows* is empty.
    """
    if not rows:
        raise ValueError("rows must not be empty (got none)")
    biggest = max(rows, key=lambda r: r.megabytes)
    title = (f"sending {biggest.megabytes:g} MB to a worker took {duration(biggest.round_trip_s)}"
             f" (about {biggest.ms_per_mb:.1f} ms per MB; pickling alone "
             f"{duration(biggest.pickle_s)})")
    return plot_bars([f"{r.megabytes:g} MB" for r in rows], [r.round_trip_s * 1e3 for r in rows],
                     title=title, unit=" ms", ylabel="pool call with the argument (ms)", ax=ax)


def predicted_speedup(predict: Callable[[float, int], float], baseline: PoolRun, workers: int,
                      cores: int) -> float:
    """``predict(p, n)`` for *workers* on *cores*: p from the 1-worker *baseline*, n capped."""
    return predict(baseline.parallel_share, max(1, min(workers, cores)))


def plot_pool_run(run: PoolRun, baseline: PoolRun | None = None,
                  history: dict[int, float] | None = None,
                  predict: Callable[[float, int], float] | None = None):
    """Draw a pool run's worker lanes and, with a 1-worker *baseline*, its speedup.

    Args:
        run: the run to draw.
        baseline: the same tasks on 1 worker: the speedup is measured against it.
        history: ``{workers: measured speedup}`` of earlier runs to plot as points.
        predict: Amdahl's law as ``predict(p, n)``, drawn as a line (p from the baseline,
            n capped at the cores); None draws the measured points alone.

    Returns:
        The matplotlib Figure; its title states the measured (and predicted) speedup.

    Raises:
        TypeError: *predict* is given but not callable.
    """
    from matplotlib.figure import Figure

    if predict is not None:
        check_callable("predict", predict)
    fig = Figure(figsize=(11, 1.6 + 0.45 * max(run.workers, 2)), layout="constrained")
    lanes_ax, speed_ax = fig.subplots(1, 2, width_ratios=(2.3, 1))
    plot_gantt(run.timeline, ax=lanes_ax)
    lanes_ax.set_title(f"{run.workers} worker(s), chunksize {run.chunksize}: "
                       f"wall {run.wall_s:.2f} s", loc="left", fontsize="medium")
    if baseline is None:
        speed_ax.set_visible(False)
        fig.suptitle(f"{run.tasks} tasks of {run.task_ms:g} ms: wall {run.wall_s:.2f} s",
                     x=0.01, ha="left")
        return fig
    measured = baseline.wall_s / run.wall_s
    cores = run.timeline.cores
    _draw_speedups(speed_ax, baseline, cores, {**(history or {}), run.workers: measured},
                   predict)
    title = f"{run.workers} worker(s) on {cores} cores: {measured:.2f}x faster than 1 worker"
    if predict is not None:
        predicted = predicted_speedup(predict, baseline, run.workers, cores)
        title += f" (Amdahl predicts {predicted:.2f}x)"
    fig.suptitle(title, x=0.01, ha="left")
    return fig


def _draw_speedups(ax, baseline: PoolRun, cores: int, measured: dict[int, float],
                   predict) -> None:
    top = max([cores + 1, *measured])
    ns = list(range(1, top + 1))
    if predict is not None:
        ax.plot(ns, [predicted_speedup(predict, baseline, n, cores) for n in ns], c=_PREDICTED,
                label="Amdahl's prediction")
    ax.plot(list(measured), list(measured.values()), "o", c=_MEASURED, label="measured")
    ax.axvline(cores, c="0.4", ls="--", lw=0.8, label=f"{cores} cores")
    ax.set(xlabel="workers", ylabel="speedup over 1 worker", xticks=ns,
           ylim=(0, max(cores, *measured.values()) + 0.5))
    ax.legend(fontsize="small", loc="lower right")
