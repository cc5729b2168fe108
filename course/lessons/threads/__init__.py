"""Lesson 1, threads vs processes: the instruments its notebook imports as ``lesson``.

The notebook shows every experiment first as plain standard-library code; these repeat and
record it ("the same experiment, repeated 20 times") and draw or describe the result:

- ``measure``: start_costs, printed_orders, io_jobs, io_sweep;
- ``charts``: plot_start_costs, plot_orders, plot_io_sweep (lane charts are course.plot_gantt);
- ``text``: the prose computed from the numbers a cell measured (``lesson.text.nap(log)``);
- ``explore``: io_explorer, a slider for the number of threads;
- ``pages``: fetch_page, the pretend download of exercise 4.

matplotlib and ipywidgets load with the first chart or slider, not with this package.
"""

from . import text
from .charts import plot_io_sweep, plot_orders, plot_start_costs
from .explore import io_explorer
from .measure import io_jobs, io_sweep, printed_orders, start_costs
from .pages import FETCH_SECONDS, fetch_page

__all__ = [
    "text",
    "plot_io_sweep", "plot_orders", "plot_start_costs",
    "io_explorer",
    "io_jobs", "io_sweep", "printed_orders", "start_costs",
    "FETCH_SECONDS", "fetch_page",
]
