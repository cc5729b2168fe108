"""Tests for course.lessons.sync.charts: jobs under a semaphore, drawn with gantt's lanes."""

import pytest
from matplotlib.figure import Figure

from course.lessons.sync import capped_finding, plot_capped
from course.timeline import Timeline

# Three jobs of 10 ms under a cap of 2: two at once, then the third.
JOBS = Timeline.from_segments([("worker 1", 0.00, 0.01, "waiting"),
                               ("worker 2", 0.00, 0.01, "waiting"),
                               ("worker 3", 0.01, 0.02, "waiting")])


class TestCappedFinding:
    def test_states_peak_share_and_wall(self):
        """The finding gives the most jobs at once, the share at the cap and the wall time."""
        assert capped_finding(JOBS, 2) == ("Semaphore(2): at most 2 jobs at once, the cap "
                                           "reached for 50% of the run; 3 jobs in 20 ms")

    def test_counts_spans_of_any_kind(self):
        """Jobs recorded as work count too."""
        mixed = Timeline.from_segments([("a", 0, 0.01, "running"), ("b", 0, 0.01, "waiting")])
        assert capped_finding(mixed, 3).startswith("Semaphore(3): at most 2 jobs at once")


class TestPlotCapped:
    def test_draws_lanes_profile_and_cap(self):
        """A figure with the lanes, the jobs at once and a dashed cap line, titled as found."""
        fig = plot_capped(JOBS, 2, title="three jobs")
        assert isinstance(fig, Figure)
        lanes, count = fig.axes
        assert [t.get_text() for t in lanes.get_yticklabels()] == ["worker 1", "worker 2",
                                                                   "worker 3"]
        assert any(line.get_linestyle() == "--" and line.get_ydata()[0] == 2
                   for line in count.get_lines())
        assert fig.get_suptitle() == "three jobs\n" + capped_finding(JOBS, 2)
        assert lanes.get_title(loc="left") == ""

    @pytest.mark.parametrize("args, error, message", [
        (("nope", 2), TypeError, "timeline must be a Timeline (got str)"),
        ((JOBS, 0), ValueError, "limit must be >= 1 (got 0)"),
        ((Timeline([], 0, 0), 1), ValueError, "timeline is empty: nothing was recorded"),
    ])
    def test_rejects_bad_arguments(self, args, error, message):
        """Bad input fails at the door, not inside matplotlib."""
        with pytest.raises(error) as excinfo:
            plot_capped(*args)
        assert str(excinfo.value) == message
