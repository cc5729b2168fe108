"""Labelled bar charts: the small comparisons lessons make (start-up costs, speedups)."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .style import BAR_COLOURS


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
