"""Tests for course.lessons.sync.explore: the semaphore explorer reruns and redraws."""

import pytest

from course.lessons.sync import semaphore_explorer


class TestSemaphoreExplorer:
    def test_reruns_when_a_slider_moves(self):
        """Moving the size reruns the jobs; the text gives the most at once and the size."""
        widget = semaphore_explorer(limit=2, workers=3)
        assert "(semaphore size 2)" in widget.text
        first = widget.figure
        text = widget.update(limit=1, workers=2)
        assert text.startswith("4 jobs of 20 ms, at most 1 at once (semaphore size 1)")
        assert widget.figure is not first

    @pytest.mark.parametrize("kwargs, message", [
        ({"limit": 9}, "limit must be between 1 and 8 (got 9)"),
        ({"workers": 0}, "workers must be between 1 and 12 (got 0)"),
    ])
    def test_rejects_out_of_range(self, kwargs, message):
        """Sizes beyond the sliders' ranges are refused."""
        with pytest.raises(ValueError) as excinfo:
            semaphore_explorer(**kwargs)
        assert str(excinfo.value) == message
