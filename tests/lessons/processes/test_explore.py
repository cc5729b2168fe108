"""Tests for course.lessons.processes.explore: the pool explorer reruns and redraws."""

import pytest
from matplotlib.figure import Figure

from course.lessons.processes import explore

from .conftest import FAST


def amdahl(p, n):
    return 1 / ((1 - p) + p / n)


def test_update_reruns_and_reports_amdahl():
    """Moving the sliders reruns the pool and reports the speedup against the formula given."""
    widget = explore.explore_pool(amdahl, max_workers=2, tasks=4, task_ms=5, method=FAST)
    text = widget.update(workers=2, chunksize=2)
    assert "2 worker(s), chunksize 2" in text and "(Amdahl: " in text
    assert isinstance(widget.figure, Figure)


def test_without_a_formula():
    """Without a formula the text gives the measured speedup only."""
    widget = explore.explore_pool(None, max_workers=1, tasks=2, task_ms=5, method=FAST)
    assert "speedup" in widget.text and "Amdahl" not in widget.text


@pytest.mark.parametrize("kwargs, error, message", [
    ({"predict": 2}, TypeError, r"predict must be callable \(got int\)"),
    ({"method": "clone"}, ValueError, r"method must be one of .* \(got 'clone'\)"),
    ({"max_workers": -1}, ValueError, r"max_workers must be >= 1 \(got -1\)")])
def test_bad_arguments(kwargs, error, message):
    """Bad arguments are refused before any pool starts."""
    with pytest.raises(error, match=message):
        explore.explore_pool(**kwargs)
