"""Lesson 3, synchronization: the instruments the notebook uses after its plain code.

    from course.lessons import sync as lesson
    testing.race_probe(lesson.SlowCounter, trials=20)     # the same race, repeated
    lesson.plot_capped(rec.timeline(), limit=3)           # jobs at once under a semaphore

Domain objects (``bank``), recorded experiments (``measure``), prose from numbers (``text``)
load at once; the chart and the explorer load matplotlib and ipywidgets on first use.
"""

from .bank import Account, Counter, SlowCounter
from .measure import RaceRun, capped_jobs, race_timeline
from .text import (counter_verdict, deadlock_reading, event_reading, lock_cost, lock_reading,
                   race_reading, race_verdict, semaphore_reading, spin_reading)

__all__ = [
    "Account", "Counter", "SlowCounter",
    "RaceRun", "capped_jobs", "race_timeline",
    "counter_verdict", "deadlock_reading", "event_reading", "lock_cost", "lock_reading",
    "race_reading", "race_verdict", "semaphore_reading", "spin_reading",
    "plot_capped", "capped_finding", "semaphore_explorer",
]

_LAZY = {"plot_capped": "charts", "capped_finding": "charts", "semaphore_explorer": "explore"}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module
    return getattr(import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
