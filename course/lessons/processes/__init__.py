"""Lesson 4, multiprocessing: the instruments its notebook imports as ``lesson``.

The processes themselves are started in the notebook, in plain ``multiprocessing`` code; this
package only repeats and charts what the notebook first showed once:

- :mod:`.methods`: which start method the lesson uses (``COURSE_START_METHOD`` lets a grader
  choose), applied by an explicit call in the setup cell, never on import;
- :mod:`.measure`: start-up and transfer costs repeated, pool runs recorded piece by piece;
- :mod:`.charts`: their figures, titled with the finding;
- :mod:`.text`: the prose computed from each run's numbers;
- :mod:`.explore`: the oversubscription explorer (workers and chunksize sliders).

Importing the package stays light (spawn workers import it): charts and the explorer, which
need matplotlib and ipywidgets, load on first use.
"""

from .measure import PoolRun, Transfer, pool_run, startup_costs, transfer_costs
from .methods import START_METHOD_ENV, start_method_from_env, use_start_method
from .text import (costs_summary, duration, fork_warning_text, oversubscribed_text,
                   parallel_text, pool_text, queue_flush_text, reports_text, setup_note,
                   shared_memory_text, startup_text, transfer_text, value_race_text)

__all__ = [
    "START_METHOD_ENV", "start_method_from_env", "use_start_method",
    "PoolRun", "Transfer", "pool_run", "startup_costs", "transfer_costs",
    "plot_pool_run", "plot_startup", "plot_transfers", "predicted_speedup", "explore_pool",
    "costs_summary", "duration", "fork_warning_text", "oversubscribed_text", "parallel_text",
    "pool_text", "queue_flush_text", "reports_text", "setup_note", "shared_memory_text",
    "startup_text", "transfer_text", "value_race_text",
]

# Names served on first use from the modules that import matplotlib or ipywidgets.
_LAZY = {"plot_pool_run": "charts", "plot_startup": "charts", "plot_transfers": "charts",
         "predicted_speedup": "charts", "explore_pool": "explore"}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module
    return getattr(import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
