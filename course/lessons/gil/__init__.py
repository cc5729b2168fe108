"""Lesson 2, the GIL: the instruments its notebook calls, one module per concern.

The concurrency code the lesson teaches (threads started and joined, clocks read, pools) is in
the notebook itself; these repeat it, chart it and put its numbers into words:

- ``measure``: turns under the GIL, the switch-interval sweep, the same experiment repeated;
- ``builds``: the same threads on this Python and on the other kind of build;
- ``charts``: figures, every lane drawn by ``course.gantt`` (loads matplotlib when first used);
- ``text``: Markdown computed from the measured numbers;
- ``explore``: the switch-interval slider (loads ipywidgets when first used).

    from course.lessons import gil as lesson
    sweep = lesson.switch_sweep([1, 5, 20])
    lesson.plot_switch_sweep(sweep)
"""

from .builds import SPIN_ITERATIONS, SPIN_REPEATS, BuildRuns, compare_builds, time_builds
from .measure import (SweepRow, Speedup, Turn, median_turn_ms, repeat, running_intervals,
                      switch_sweep, turns, unfair_handoffs)
from .text import (amdahl_text, build_text, builds_table, builds_text, busy_caveat, choice_text,
                   counterpart_text, explain_processes, hashing_text, io_text, processes_text,
                   repeats_text, sweep_text, threads_text, turns_text)

__all__ = [
    "BuildRuns", "SPIN_ITERATIONS", "SPIN_REPEATS", "compare_builds", "time_builds",
    "SweepRow", "Speedup", "Turn", "median_turn_ms", "repeat", "running_intervals",
    "switch_sweep", "turns", "unfair_handoffs",
    "amdahl_text", "build_text", "builds_table", "builds_text", "busy_caveat", "choice_text",
    "counterpart_text", "explain_processes", "hashing_text", "io_text", "processes_text",
    "repeats_text",
    "sweep_text", "threads_text", "turns_text",
    "plot_amdahl", "plot_builds", "plot_repeats", "plot_side_by_side", "plot_switch_sweep",
    "switch_explorer",
]

# Served on first use: these load matplotlib or ipywidgets.
_LAZY = {"plot_amdahl": "charts", "plot_builds": "charts", "plot_repeats": "charts",
         "plot_side_by_side": "charts", "plot_switch_sweep": "charts",
         "switch_explorer": "explore"}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module
    return getattr(import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
