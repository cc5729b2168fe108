"""The lesson's explorer: how many tasks, how many at once; each move reruns and redraws.

It repeats the notebook's semaphore experiment (:func:`measure.capped_downloads`) on a fresh
event loop in a worker thread: a widget's callback cannot await, and the kernel's own loop is
the one running the notebook.
"""

from __future__ import annotations

import ipywidgets as widgets

from ... import _validate
from ...widgets import SliderChart, interactive_chart
from .charts import plot_tasks
from .measure import DOWNLOAD_S, capped_downloads, run_in_thread

__all__ = ["tasks_explorer", "MAX_TASKS", "MAX_LIMIT"]

MAX_TASKS = 40
MAX_LIMIT = 20


def tasks_explorer(tasks: int = 12, limit: int = 3, *, run_now: bool = True) -> SliderChart:
    """Sliders for the number of tasks and the semaphore's limit above the tasks' Gantt chart.

    Args:
        tasks: 1..MAX_TASKS downloads of DOWNLOAD_S each.
        limit: 1..MAX_LIMIT, the ``asyncio.Semaphore`` they share.
        run_now: run once straight away.

    Returns:
        A SliderChart (an ipywidgets VBox): display it, or call ``update(tasks=..., limit=...)``.

    Raises:
        TypeError, ValueError: *tasks* or *limit* is not an int in range.
    """
    _validate.check_int("tasks", tasks, 1, MAX_TASKS)
    _validate.check_int("limit", limit, 1, MAX_LIMIT)
    slider = {"continuous_update": False, "style": {"description_width": "initial"}}
    return interactive_chart(
        _run, run_now=run_now,
        tasks=widgets.IntSlider(value=tasks, min=1, max=MAX_TASKS, description="tasks", **slider),
        limit=widgets.IntSlider(value=limit, min=1, max=MAX_LIMIT,
                                description="Semaphore limit", **slider))


def _run(tasks: int, limit: int):
    timeline = run_in_thread(lambda: capped_downloads(tasks, limit))
    peak = timeline.max_at_once("waiting")
    title = f"{tasks} downloads of {DOWNLOAD_S * 1e3:.0f} ms behind asyncio.Semaphore({limit})"
    return plot_tasks(timeline, limit=limit, title=title), _numbers(timeline, tasks, limit, peak)


def _numbers(timeline, tasks: int, limit: int, peak: int) -> str:
    wall_ms = timeline.wall_ns / 1e6
    rounds = -(-tasks // limit)
    return (f"at most {peak} download{'s' if peak != 1 else ''} in flight at once (limit "
            f"{limit}) · wall {wall_ms:.0f} ms · {rounds} round{'s' if rounds != 1 else ''} of "
            f"{DOWNLOAD_S * 1e3:.0f} ms would take {rounds * DOWNLOAD_S * 1e3:.0f} ms · one "
            f"after another: {tasks * DOWNLOAD_S * 1e3:.0f} ms")
