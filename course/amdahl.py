"""Amdahl's law: the speedup a parallel fraction allows, and charts that set it beside measurements.

If a share *p* of a job's time can run on *n* workers at once and the rest (1 - p) cannot,
the job takes ``(1 - p) + p / n`` of its old time, so the speedup is ``1 / ((1 - p) + p / n)``.

Computing in parallel takes a core per worker, so a :class:`Model` of CPU work caps *n* at the
cores; waiting takes none, so a model of waiting work is not capped. Under the GIL only one
thread runs Python code at a time, so for threads the parallel fraction is the share of time a
worker spends *waiting* (sleep, I/O).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ._validate import check_int, check_number

__all__ = ["predict", "Model", "SpeedupPoint", "plot_speedups"]


def _check_p(p: float) -> None:
    check_number("p", p)
    if not 0 <= p <= 1:
        raise ValueError(f"p must be between 0 and 1 (got {p})")


def _speedup(p: float, n: int) -> float:
    return 1.0 / ((1.0 - p) + p / n)


def predict(p: float, n: int, cores: int | None = None) -> float:
    """Amdahl's speedup for *n* workers when at most *cores* of them can run at once.

    Args:
        p: share of the work that can run in parallel, 0..1.
        n: number of workers, an int >= 1.
        cores: how many workers can run at once (None: all of them).

    Returns:
        ``1 / ((1 - p) + p / min(n, cores))``.

    Raises:
        TypeError: p is not a number, or n or cores is not an int.
        ValueError: p is outside 0..1, or n or cores is below 1.
    """
    _check_p(p)
    check_int("n", n, 1)
    if cores is not None:
        check_int("cores", cores, 1)
    return _speedup(p, n if cores is None else min(n, cores))


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
            check_int("cores", self.cores, 1)

    def at_once(self, workers: int) -> int:
        """How many of *workers* can do their parallel part at the same time."""
        return workers if self.cores is None else min(workers, self.cores)

    def predict(self, workers: int) -> float:
        """The speedup Amdahl's law predicts for *workers*."""
        return predict(self.p, workers, self.cores)

    def label(self) -> str:
        return f"p={self.p:.2f}" + ("" if self.cores is None else f", n capped at {self.cores}")


@dataclass(frozen=True)
class SpeedupPoint:
    """One measured speedup: *workers* doing tasks that took *sequential_s* one after another."""

    label: str
    workers: int
    sequential_s: float
    wall_s: float

    @property
    def speedup(self) -> float:
        return self.sequential_s / self.wall_s if self.wall_s else 0.0


def plot_speedups(series: Sequence[tuple[str, Sequence[SpeedupPoint], Model]], cores: int,
                  ax=None):
    """Draw measured speedups as points and Amdahl's predictions as lines.

    Args:
        series: ``(label, points, model)`` per curve.
        cores: usable cores, drawn as a dashed line.
        ax: an Axes to draw on (default: a new figure).

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
