"""Tests for course.lessons.gil.explore: the switch-interval slider."""

import sys

import pytest

from course.lessons.gil import explore
from course.widgets import SWITCH_INTERVALS_MS


class TestSwitchExplorer:
    def test_slider_reruns_and_restores(self):
        """Moving the slider reruns under that interval and leaves the old one in place."""
        before = sys.getswitchinterval()
        chart = explore.switch_explorer(turns_wanted=2)
        text = chart.update(interval_ms=1)
        assert text.startswith("switch interval 1 ms: median turn")
        assert text.endswith(f"the interval is back to {before * 1000:g} ms")
        assert sys.getswitchinterval() == before and chart.figure is not None

    def test_starts_at_the_interval_in_force(self):
        """The slider starts at the switch interval the kernel has now."""
        now = sys.getswitchinterval() * 1000
        chart = explore.switch_explorer(turns_wanted=1)
        assert chart.values["interval_ms"] == min(SWITCH_INTERVALS_MS, key=lambda ms: abs(ms - now))

    @pytest.mark.parametrize("kwargs, message", [
        ({"workers": 1}, r"workers must be >= 2 \(got 1\)"),
        ({"turns_wanted": 0}, r"turns_wanted must be >= 1 \(got 0\)"),
    ])
    def test_bad_arguments(self, kwargs, message):
        """At least two threads, and at least one turn."""
        with pytest.raises(ValueError, match=message):
            explore.switch_explorer(**kwargs)
