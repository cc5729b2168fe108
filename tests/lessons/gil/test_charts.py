"""Tests for course.lessons.gil.charts: figures laid out side by side, titled with findings."""

import pytest

from course import gantt
from course.lessons.gil import SweepRow, charts, measure


class TestPlotSwitchSweep:
    def test_title_states_the_ratio(self):
        """The sweep chart states the median turn / interval ratio in its title."""
        rows = [SweepRow(x, x * 1.01, 5, None) for x in (1.0, 5.0, 20.0)]
        fig = charts.plot_switch_sweep(rows, highlight=5.0)
        assert "median turn / interval = 1.01" in fig.axes[0].get_title(loc="left")

    def test_no_rows(self):
        """An empty sweep is refused with the rule."""
        with pytest.raises(ValueError, match="rows must not be empty"):
            charts.plot_switch_sweep([])


class TestPlotSideBySide:
    def test_is_the_course_chart(self):
        """The lesson's side-by-side figure is course.gantt's one, not a copy."""
        assert charts.plot_side_by_side is gantt.plot_side_by_side


class TestPlotRepeats:
    def test_medians_in_the_title(self, synthetic_run):
        """One column of dots per backend; the title gives each median CPU/wall."""
        runs = {"threads": [synthetic_run(False)] * 3, "processes": [synthetic_run(True)] * 3}
        fig = charts.plot_repeats(runs, cores=2)
        assert fig.axes[0].get_title(loc="left") == (
            "CPU/wall over 3 runs (median): threads 1.00, processes 2.00")

    def test_no_runs(self):
        """A backend without runs is refused."""
        with pytest.raises(ValueError, match="at least one Result"):
            charts.plot_repeats({"threads": []})


class TestPlotBuilds:
    def test_two_builds_side_by_side(self, builds):
        """Two columns of lanes over a running profile; the title compares CPU/wall."""
        fig = charts.plot_builds(builds())
        assert len(fig.axes) == 4
        assert fig.get_suptitle() == ("The same 2 CPU-bound threads: CPU/wall 1.00 with the "
                                      "GIL vs 2.00 free-threaded")
        lanes = [ax for ax in fig.axes if ax.get_title(loc="left")]
        assert lanes[0].get_title(loc="left").startswith("CPython 3.11.7 with the GIL")
        assert "2 lanes ran in parallel" in lanes[1].get_title(loc="left")
        assert all(ax.get_xlim() == (0.0, 400.0) for ax in fig.axes)  # one time scale

    def test_one_build(self, builds):
        """A single build draws one column, titled with its build."""
        fig = charts.plot_builds(builds()[:1])
        assert len(fig.axes) == 2 and "on CPython 3.11.7 with the GIL" in fig.get_suptitle()

    def test_missing_thread_count(self, builds):
        """Asking for a run that was not made fails with the rule."""
        with pytest.raises(ValueError, match="no build ran 8 threads"):
            charts.plot_builds(builds(), workers=8)


class TestPlotAmdahl:
    def test_predictions_beside_measurements(self):
        """Each measured speedup is a dot next to its own prediction, capped at the cores."""
        speedups = {"CPU processes": measure.Speedup(1.0, 4, 4.0, 2.0),
                    "I/O threads": measure.Speedup(0.9, 4, 4.0, 1.2, needs_cores=False)}
        fig = charts.plot_amdahl(speedups, cores=2)
        title = fig.axes[0].get_title(loc="left")
        assert "CPU processes 2.00x (2.00x)" in title
        assert f"I/O threads 3.33x ({1 / (0.1 + 0.9 / 4):.2f}x)" in title
