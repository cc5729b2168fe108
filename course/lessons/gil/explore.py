"""Lesson 2's explorer: a switch-interval slider that reruns CPU-bound threads and redraws them.
ipywidgets loads with this module, on the first explorer."""

from __future__ import annotations

import sys

from ..._validate import check_int
from ...experiments import run
from ...widgets import SWITCH_INTERVALS_MS, interactive_chart
from .measure import median_turn_ms, turns

__all__ = ["switch_explorer"]


def switch_explorer(workers: int = 2, turns_wanted: int = 10):
    """A switch-interval slider: rerun CPU-bound threads and redraw their Gantt chart.

    Each run sets the interval and restores the old one afterwards (``course.run`` does it in
    a ``finally``), so moving the slider never leaves the kernel with another interval.

    Args:
        workers: threads competing for the GIL (>= 2).
        turns_wanted: about how many turns each run should hold (sizes the work).

    Returns:
        A course.widgets SliderChart.

    Raises:
        TypeError, ValueError: workers < 2 or turns_wanted < 1.
    """
    import ipywidgets as widgets

    check_int("workers", workers, 2)
    check_int("turns_wanted", turns_wanted, 1)
    now = sys.getswitchinterval() * 1000
    slider = widgets.SelectionSlider(
        options=SWITCH_INTERVALS_MS, description="switch interval (ms)",
        value=min(SWITCH_INTERVALS_MS, key=lambda ms: abs(ms - now)))

    def run_fn(interval_ms: float):
        size = max(20.0, interval_ms * turns_wanted / workers)
        result = run("cpu", workers, "threads", size_ms=size, switch_interval=interval_ms / 1000)
        text = (f"switch interval {interval_ms:g} ms: median turn "
                f"{median_turn_ms(result.timeline):.2f} ms over {len(turns(result.timeline))} "
                f"turns; the interval is back to {sys.getswitchinterval() * 1000:g} ms")
        return result.plot(), text

    return interactive_chart(run_fn, interval_ms=slider)
