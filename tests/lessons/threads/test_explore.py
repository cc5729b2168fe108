"""Tests for course.lessons.threads.explore: the threads slider over waiting jobs."""

import pytest

from course.lessons.threads import explore


class TestIoExplorer:
    def test_slider_reruns_and_reports_the_speedup(self):
        """Moving the slider reruns the jobs on that many threads and reports the speedup."""
        chart = explore.io_explorer(jobs=4, wait_ms=5, threads=2, max_threads=4, baseline_s=0.05)
        assert "on 2 thread(s)" in chart.text
        text = chart.update(threads=4)
        assert "on 4 thread(s) vs 50 ms on 1" in text and "speedup" in text
        assert chart.figure is not None

    @pytest.mark.parametrize("kwargs, message", [
        ({"threads": 13}, "threads must be between 1 and 12 (got 13)"),
        ({"max_threads": 0}, "max_threads must be between 1 and 64 (got 0)"),
        ({"baseline_s": -1}, "baseline_s must be > 0 (got -1)"),
    ])
    def test_bad_arguments(self, kwargs, message):
        """Slider bounds and the baseline are checked before anything runs."""
        with pytest.raises(ValueError) as excinfo:
            explore.io_explorer(**kwargs)
        assert str(excinfo.value) == message
