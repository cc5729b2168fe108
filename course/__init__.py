"""Python Concurrency Lab: the library every lesson notebook imports.

``import course`` stays fast: the timeline and experiment code loads at once, while matplotlib
(charts) and ipywidgets (explorers) load the first time a chart or widget is asked for.
"""

from . import doctor, interpreters, testing
from .experiments import BACKENDS, START_METHODS, WORKLOADS, Result, run
from .timeline import Lane, Metrics, Recorder, Segment, Timeline, usable_cores

__all__ = [
    "doctor", "interpreters", "testing",
    "BACKENDS", "START_METHODS", "WORKLOADS", "Result", "run",
    "Lane", "Metrics", "Recorder", "Segment", "Timeline", "usable_cores",
    "plot_gantt", "plot_bars", "describe", "explorer", "interactive_chart", "SliderChart",
]

# Names served on first use from modules that import matplotlib or ipywidgets.
_LAZY = {
    "plot_gantt": "gantt",
    "plot_bars": "gantt",
    "describe": "gantt",
    "explorer": "widgets",
    "interactive_chart": "widgets",
    "SliderChart": "widgets",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'course' has no attribute {name!r}")
    from importlib import import_module
    return getattr(import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
