"""Records shared by lesson 2's tests: machine reports, interpreters and runs, built without
running anything (tests of real runs make their own)."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from course import doctor
from course.interpreters import Interpreter
from course.lessons.gil import BuildRuns
from course.timeline import Timeline


@pytest.fixture
def report():
    """Make a doctor.Report: ``report(load=0.1, cores=2, gil=True, version="3.11.7")``."""
    def make(load=0.1, cores=2, gil=True, version="3.11.7", free_threaded=None, interval=0.005):
        free = (not gil) if free_threaded is None else free_threaded
        return doctor.Report(version, "CPython", free, gil, cores, cores,
                             None if load is None else (load, load, load), "fork", interval)
    return make


def _interpreter(gil_on: bool, **changes) -> Interpreter:
    fields = dict(path=sys.executable, version="3.13.5" if not gil_on else "3.11.7",
                  free_threaded=not gil_on, gil_enabled=gil_on, has_course=True,
                  found_by="a test")
    return Interpreter(**{**fields, **changes})


def _synthetic_run(parallel: bool, wall: float = 0.4, cores: int = 2):
    rows = ([("thread 1", 0, wall), ("thread 2", 0, wall)] if parallel else
            [("thread 1", 0, wall / 2), ("thread 2", 0, wall / 2, "ready"),
             ("thread 2", wall / 2, wall)])
    timeline = Timeline.from_segments(rows, cores=cores)
    return SimpleNamespace(timeline=timeline, metrics=timeline.metrics(), workers=2)


@pytest.fixture
def builds():
    """Make two BuildRuns, with the GIL (taking turns) and without (in parallel)."""
    def make(spin=(0.040, 0.050), here_gil=True):
        with_gil = BuildRuns(_interpreter(True), here_gil, {2: _synthetic_run(False)}, spin[0])
        without = BuildRuns(_interpreter(False), not here_gil,
                            {2: _synthetic_run(True, wall=0.25)}, spin[1])
        return [with_gil, without]
    return make


@pytest.fixture
def interpreter():
    """Make an Interpreter record of a build with or without the GIL (nothing is run)."""
    return _interpreter


@pytest.fixture
def synthetic_run():
    """Make a Result-like record of 2 threads that overlap (parallel) or take turns."""
    return _synthetic_run
