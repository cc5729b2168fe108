"""Amdahl's law: the speedup a parallel fraction allows, and the fraction a speedup implies.

If a share *p* of a job's time can run on *n* workers at once and the rest (1 - p) cannot,
the job takes ``(1 - p) + p / n`` of its old time, so the speedup is ``1 / ((1 - p) + p / n)``.
Read backwards, a measured speedup *S* on *n* workers implies ``p = (1 - 1/S) / (1 - 1/n)``.

Computing in parallel takes a core per worker, so a :class:`Model` of CPU work caps *n* at the
cores; waiting takes none, so a model of waiting work is not capped. Under the GIL only one
thread runs Python code at a time, so for threads the parallel fraction is the share of time a
worker spends *waiting* (sleep, I/O): :func:`fraction_from_timeline` reads it off a measured
sequential run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from .timeline import READY, RUNNING, WAITING

__all__ = ["speedup", "parallel_fraction", "predict", "Model", "fraction_from_timeline",
           "SpeedupPoint", "point_from", "measure_speedups", "measure_series", "compare_markdown",
           "plot_speedups", "explorer"]


def _check_p(p: float) -> None:
    if isinstance(p, bool) or not isinstance(p, (int, float)):
        raise TypeError(f"p must be a number (got {type(p).__name__})")
    if not 0 <= p <= 1:
        raise ValueError(f"p must be between 0 and 1 (got {p})")


def _check_n(n: int, least: int = 1, name: str = "n") -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{name} must be an int (got {type(n).__name__})")
    if n < least:
        raise ValueError(f"{name} must be >= {least} (got {n})")


def speedup(p: float, n: int) -> float:
    """Return the speedup Amdahl's law predicts for parallel fraction *p* on *n* workers.

    Args:
        p: share of the work that can run in parallel, 0..1.
        n: number of workers running at once, an int >= 1.

    Returns:
        ``1 / ((1 - p) + p / n)``: 1.0 for p = 0 or n = 1, n for p = 1.

    Raises:
        ValueError: p is outside 0..1 or n < 1.
        TypeError: p is not a number or n is not an int.
    """
    _check_p(p)
    _check_n(n)
    return 1.0 / ((1.0 - p) + p / n)


def parallel_fraction(measured: float, n: int) -> float:
    """Return the parallel fraction p that a speedup *measured* on *n* workers implies.

    Args:
        measured: the measured speedup, between 1 and n.
        n: number of workers, an int >= 2 (one worker tells nothing about p).

    Returns:
        ``(1 - 1/measured) / (1 - 1/n)``, in 0..1.

    Raises:
        ValueError: n < 2, or the speedup is below 1 (a slowdown: overhead, which Amdahl's
            law does not model) or above n (more than n workers can give).
    """
    _check_n(n, least=2)
    if isinstance(measured, bool) or not isinstance(measured, (int, float)):
        raise TypeError(f"speedup must be a number (got {type(measured).__name__})")
    if not 1 <= measured <= n:
        raise ValueError(f"speedup must be between 1 and n={n} (got {measured})")
    return (1.0 - 1.0 / measured) / (1.0 - 1.0 / n)


def predict(p: float, n: int, cores: int | None = None) -> float:
    """Amdahl's speedup for *n* workers when at most *cores* of them can run at once.

    Raises:
        ValueError: as :func:`speedup`, or cores < 1.
    """
    if cores is not None:
        _check_n(cores, name="cores")
    _check_n(n)
    return speedup(p, n if cores is None else min(n, cores))


@dataclass(frozen=True)
class Model:
    """Amdahl's law for one series: parallel fraction *p*, and the cores that cap n (or None).

    CPU work in parallel needs a core per worker, so its n is capped at the cores; waiting
    needs no core, so a series whose parallel part is waiting is not capped.
    """

    p: float
    cores: int | None = None

    def __post_init__(self) -> None:
        _check_p(self.p)
        if self.cores is not None:
            _check_n(self.cores, name="cores")

    def at_once(self, workers: int) -> int:
        """How many of *workers* can do their parallel part at the same time."""
        return workers if self.cores is None else min(workers, self.cores)

    def predict(self, workers: int) -> float:
        """The speedup Amdahl's law predicts for *workers*."""
        return speedup(self.p, self.at_once(workers))

    def label(self) -> str:
        return f"p={self.p:.2f}" + ("" if self.cores is None else f", n capped at {self.cores}")


def fraction_from_timeline(timeline) -> float:
    """The share of its lanes' time a run spent *waiting* (sleep, I/O, locks).

    Under the GIL that is the part threads can overlap. Time spent ready but not running
    (the machine busy) is not waiting, so a loaded machine does not inflate the answer. A pure
    CPU run gives 0, a sleep-bound run close to 1.

    Returns:
        waiting time / (running + ready + waiting time), in 0..1; 0.0 for an empty timeline.
    """
    spent = {RUNNING: 0, READY: 0, WAITING: 0}
    for seg in timeline.segments():
        if seg.kind in spent:
            spent[seg.kind] += seg.duration_ns
    total = sum(spent.values())
    return spent[WAITING] / total if total else 0.0


@dataclass(frozen=True)
class SpeedupPoint:
    """One measured speedup: n workers of *workload* on *backend* against the same work in turn."""

    workload: str
    backend: str
    workers: int
    sequential_s: float
    wall_s: float

    @property
    def speedup(self) -> float:
        return self.sequential_s / self.wall_s if self.wall_s else 0.0


def point_from(sequential, result) -> SpeedupPoint:
    """Make a SpeedupPoint from two course.run Results of the same tasks.

    Raises:
        ValueError: the runs differ in workload or workers, or *sequential* is not sequential.
    """
    if sequential.backend != "sequential":
        raise ValueError(f"the baseline must be a sequential run (got {sequential.backend!r})")
    if (sequential.workload, sequential.workers) != (result.workload, result.workers):
        raise ValueError(f"runs must do the same tasks (got {sequential.workers} x "
                         f"{sequential.workload} and {result.workers} x {result.workload})")
    return SpeedupPoint(result.workload, result.backend, result.workers,
                        sequential.metrics.wall_s, result.metrics.wall_s)


def measure_speedups(workload: str, backend: str, workers: Iterable[int],
                     size_ms: float | None = None) -> list[SpeedupPoint]:
    """Run *workload* on 1..n workers, each against a sequential run of the same tasks.

    Args:
        workload: one of course.WORKLOADS.
        backend: "threads" or "processes".
        workers: the worker counts to measure.
        size_ms: work per worker (default: the workload's default).

    Returns:
        One SpeedupPoint per worker count, in the order given.

    Raises:
        ValueError: backend is not "threads" or "processes", or any course.run error.
    """
    from .experiments import run

    if backend not in ("threads", "processes"):
        raise ValueError(f"backend must be threads or processes (got {backend!r})")
    points = []
    for n in workers:
        base = run(workload, n, "sequential", size_ms=size_ms)
        result = run(workload, n, backend, size_ms=size_ms)
        points.append(SpeedupPoint(workload, backend, n, base.metrics.wall_s,
                                   result.metrics.wall_s))
    return points


def measure_series(series: dict[str, tuple[str, str]], workers: Iterable[int],
                   size_ms: float | None = None) -> dict[str, list[SpeedupPoint]]:
    """Measure several ``label: (workload, backend)`` series over the same worker counts.

    Returns:
        ``{label: [SpeedupPoint, ...]}`` in the order given.
    """
    workers = list(workers)
    return {label: measure_speedups(workload, backend, workers, size_ms)
            for label, (workload, backend) in series.items()}


def compare_markdown(points: dict[str, Sequence[SpeedupPoint]], models: dict[str, Model]) -> str:
    """Tabulate measured against predicted speedups, one row per series and worker count."""
    lines = ["| series | workers | measured | Amdahl predicts | measured / predicted |",
             "|---|---|---|---|---|"]
    for label, series in points.items():
        for pt in series:
            predicted = models[label].predict(pt.workers)
            lines.append(f"| {label} | {pt.workers} | {pt.speedup:.2f}x | {predicted:.2f}x | "
                         f"{pt.speedup / predicted:.0%} |")
    return "\n".join(lines)


def plot_speedups(series: Sequence[tuple[str, Sequence[SpeedupPoint], Model]], cores: int,
                  ax=None, current: int | None = None):
    """Draw measured speedups as points and Amdahl's predictions as lines.

    Args:
        series: ``(label, points, model)`` per curve.
        cores: usable cores, drawn as a dashed line.
        ax: an Axes to draw on (default: a new figure).
        current: a worker count to mark, e.g. the one a slider shows.

    Returns:
        The matplotlib Figure; its title compares measured and predicted at the most workers.

    Raises:
        ValueError: no series, or a series without points.
    """
    from matplotlib.figure import Figure

    if not series or any(not points for _, points, _ in series):
        raise ValueError("series must hold (label, points, model) with at least one point each")
    if ax is None:
        ax = Figure(figsize=(9.0, 4.4), layout="constrained").subplots()
    top = max(pt.workers for _, points, _ in series for pt in points)
    ns = list(range(1, top + 1))
    ax.plot(ns, ns, ls=":", c="0.6", label="ideal: n times faster")
    ax.axhline(cores, c="0.3", lw=0.8, ls="--", label=f"{cores} cores")
    if current is not None:  # the slider's count, so moving back to a measured count shows it
        ax.axvline(current, c="0.75", lw=6, alpha=0.4, zorder=0, label=f"chosen: {current} workers")
    finding = []
    for i, (label, points, model) in enumerate(series):
        ax.plot(ns, [model.predict(n) for n in ns], c=f"C{i}", lw=1.5,
                label=f"{label}: Amdahl, {model.label()}")
        ax.plot([pt.workers for pt in points], [pt.speedup for pt in points], "o", c=f"C{i}",
                ms=7, label=f"{label}: measured")
        last = max(points, key=lambda pt: pt.workers)
        finding.append(f"{label} {last.speedup:.2f}x ({model.predict(last.workers):.2f}x)")
    ax.set(xlabel="workers (n)", ylabel="speedup over the same tasks in turn", xticks=ns,
           ylim=(0, max(top, cores, *(pt.speedup for _, pts, _ in series for pt in pts)) + 0.5))
    ax.set_title(f"At {top} workers, measured (predicted): " + ", ".join(finding),
                 loc="left", fontsize="medium")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return ax.figure


def explorer(series: dict[str, tuple[str, str]], models: dict[str, Model], cores: int,
             points: dict[str, Sequence[SpeedupPoint]] | None = None, max_workers: int = 8,
             size_ms: float = 50):
    """A workers slider: measure each series at the chosen count and redraw the chart.

    Counts measured once (here or in *points*) are reused, so moving back costs nothing.

    Args:
        series: ``label: (workload, backend)`` as for :func:`measure_series`.
        models: the Amdahl model per label, for the predictions.
        cores: usable cores.
        points: measurements already made, shown from the start.
        max_workers: the slider's top.
        size_ms: work per worker for new measurements.

    Returns:
        A course.widgets SliderChart.
    """
    import ipywidgets as widgets

    from .widgets import interactive_chart

    measured = {label: {pt.workers: pt for pt in (points or {}).get(label, [])}
                for label in series}
    start = max((n for found in measured.values() for n in found), default=2)
    slider = widgets.IntSlider(value=min(start, max_workers), min=1, max=max_workers,
                               description="workers")

    def run_fn(workers: int):
        for label, (workload, backend) in series.items():
            if workers not in measured[label]:
                measured[label][workers] = measure_speedups(workload, backend, [workers],
                                                            size_ms)[0]
        rows = [(label, sorted(measured[label].values(), key=lambda pt: pt.workers),
                 models[label]) for label in series]
        text = "; ".join(f"{label} {measured[label][workers].speedup:.2f}x measured, "
                         f"{models[label].predict(workers):.2f}x predicted" for label in series)
        return plot_speedups(rows, cores, current=workers), f"{workers} workers: {text}"

    return interactive_chart(run_fn, workers=slider)
