"""Tests for course.lessons.processes as a package: no import-time side effects, lazy charts."""

import subprocess
import sys

TIMEOUT_S = 60

CODE = """
import multiprocessing, sys, warnings
filters = list(warnings.filters)
import course, course.lessons, course.lessons.processes, course.testing
print(filters == warnings.filters, multiprocessing.get_start_method(allow_none=True),
      'matplotlib' in sys.modules, 'ipywidgets' in sys.modules)
from course.lessons import processes
print(callable(processes.plot_startup), 'matplotlib' in sys.modules)
"""


def test_import_has_no_side_effects_and_charts_load_on_use():
    """Importing the lesson changes neither the warning filters nor the start method, and
    loads neither matplotlib nor ipywidgets (spawn workers import it); charts load on use."""
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=False, env={"COURSE_START_METHOD": "spawn",
                                                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "None", "False", "False", "True", "True"]


def test_unknown_name():
    """A name the package does not have raises AttributeError naming it."""
    from course.lessons import processes
    try:
        processes.plot_nothing
    except AttributeError as error:
        assert "plot_nothing" in str(error)
    else:
        raise AssertionError("expected AttributeError")
