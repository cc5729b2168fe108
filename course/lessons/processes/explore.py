"""The oversubscription explorer: sliders for workers and chunksize, a pool run per move.

Each move reruns :func:`~course.lessons.processes.measure.pool_run` and redraws its lanes next
to the speedups measured so far and Amdahl's prediction (the lesson passes its own formula).
"""

from __future__ import annotations

from collections.abc import Callable

from ..._validate import check_callable, check_int
from ...start_methods import check_start_method
from ...timeline import usable_cores
from .charts import plot_pool_run, predicted_speedup
from .measure import pool_run
from .text import pool_text

__all__ = ["explore_pool"]


def explore_pool(predict: Callable[[float, int], float] | None = None,
                 max_workers: int | None = None, tasks: int = 12, task_ms: float = 20.0,
                 method: str | None = None):
    """Sliders for workers and chunksize that rerun a recorded pool run and redraw its chart.

    The same tasks on 1 worker run once first: every speedup is measured against that run,
    and Amdahl's prediction takes its parallel share from it.

    Args:
        predict: Amdahl's law as ``predict(p, n)`` (None: measured points only).
        max_workers: the workers slider's top (default: twice the cores plus 2, at most 8).
        tasks, task_ms: how many CPU-bound tasks, of about how many milliseconds each.
        method: the start method (default: this process's default).

    Returns:
        A course.widgets SliderChart: display it; ``update(workers=4)`` does what moving the
        slider does. The text under the sliders gives the measured and predicted speedups.

    Raises:
        TypeError, ValueError: bad arguments.
    """
    import ipywidgets

    from ...widgets import interactive_chart

    if predict is not None:
        check_callable("predict", predict)
    check_start_method("method", method)
    cores = usable_cores()
    max_workers = max_workers or min(8, 2 * cores + 2)
    check_int("max_workers", max_workers, 1)
    baseline = pool_run(1, tasks, task_ms, 1, method)
    history: dict[int, float] = {}

    def draw(workers: int, chunksize: int):
        run = pool_run(workers, tasks, task_ms, chunksize, method)
        fig = plot_pool_run(run, baseline, history, predict)
        history[workers] = baseline.wall_s / run.wall_s
        predicted = (None if predict is None else
                     predicted_speedup(predict, baseline, workers, run.timeline.cores))
        return fig, pool_text(run, baseline, predicted)

    return interactive_chart(
        draw, workers=ipywidgets.IntSlider(value=min(cores, max_workers), min=1, max=max_workers),
        chunksize=ipywidgets.IntSlider(value=1, min=1, max=max(1, tasks // 2)))
