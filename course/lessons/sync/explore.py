"""Lesson 3's explorer: sliders for a semaphore's size and the number of workers."""

from __future__ import annotations

from ..._validate import check_int
from ...timeline import WAITING
from .charts import plot_capped
from .measure import MAX_LIMIT, MAX_WORKERS, capped_jobs

__all__ = ["semaphore_explorer"]

JOB_S = 0.02  # each job sleeps this long: a rerun stays well under a second
JOBS_EACH = 2


def semaphore_explorer(limit: int = 3, workers: int = 6):
    """A widget: moving the semaphore's size or the number of workers reruns and redraws.

    Returns:
        The ipywidgets widget to display.

    Raises:
        TypeError, ValueError: *limit* or *workers* is not an int in the sliders' range.
    """
    check_int("limit", limit, 1, MAX_LIMIT)
    check_int("workers", workers, 1, MAX_WORKERS)
    import ipywidgets  # loads only when a widget is asked for

    from ...widgets import interactive_chart

    def rerun(limit: int, workers: int):
        timeline = capped_jobs(limit, workers, JOBS_EACH, JOB_S)
        jobs = workers * JOBS_EACH
        text = (f"{jobs} jobs of {JOB_S * 1e3:.0f} ms, at most {timeline.max_at_once(WAITING)} "
                f"at once (semaphore size {limit}): wall {timeline.wall_ns / 1e6:.0f} ms, "
                f"against {jobs * JOB_S * 1e3:.0f} ms one at a time")
        return plot_capped(timeline, limit), text

    return interactive_chart(
        rerun,
        limit=ipywidgets.IntSlider(value=limit, min=1, max=MAX_LIMIT, description="semaphore size"),
        workers=ipywidgets.IntSlider(value=workers, min=1, max=MAX_WORKERS,
                                     description="workers"))
