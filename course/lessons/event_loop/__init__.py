"""Lesson 5, asyncio: instruments for the notebook, imported as ``lesson``.

    from course.lessons import event_loop as lesson

- :mod:`.sim`: simulated pages (:class:`Site`) and blocking files (:class:`Disk`) the
  exercises fetch and load, and their tests prove things with;
- :mod:`.measure`: what a run cost (:func:`usage`, :func:`resident_kib`), a coroutine run on a
  loop of its own (:func:`run_in_thread`), the lesson's experiments repeated;
- :mod:`.charts`: Gantt charts of tasks with a limit line, runs side by side, usage bars;
- :mod:`.text`: prose from the measured numbers;
- :mod:`.explore`: the tasks-and-limit explorer (loads ipywidgets, on first use).

The concurrency the lesson teaches (coroutines, tasks, gather, semaphores, queues, threads,
pools) is written out in the notebook; nothing here answers an exercise.
"""

from . import charts, measure, sim, text
from .charts import plot_side_by_side, plot_tasks, plot_usage
from .measure import Usage, longest_gap_ms, resident_kib, run_in_thread, usage
from .sim import Disk, Site, page_of, text_of

__all__ = [
    "charts", "measure", "sim", "text",
    "plot_side_by_side", "plot_tasks", "plot_usage",
    "Usage", "longest_gap_ms", "resident_kib", "run_in_thread", "usage",
    "Disk", "Site", "page_of", "text_of",
    "tasks_explorer",
]


def __getattr__(name: str):
    if name == "tasks_explorer":  # ipywidgets loads with the explorer, not with the lesson
        from .explore import tasks_explorer
        return tasks_explorer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

