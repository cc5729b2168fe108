"""Tests for course/lessons/event_loop/charts.py: task charts, side-by-side runs, usage bars."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from course import gantt
from course.lessons.event_loop.charts import plot_side_by_side, plot_tasks, plot_usage
from course.lessons.event_loop.measure import Usage
from course.timeline import Timeline

TASKS = Timeline.from_segments([("t1", 0, 0.01, "running"), ("t1", 0.01, 0.05, "waiting"),
                                ("t2", 0.01, 0.02, "running"), ("t2", 0.02, 0.06, "waiting")])


def _profile_labels(fig: Figure) -> list[str]:
    profile = next(ax for ax in fig.axes if ax.get_label() == "profile")
    return [line.get_label() for line in profile.get_lines()]


class TestPlotTasks:
    def test_limit_replaces_the_cores_line(self):
        """With a limit, the profile shows the limit and no cores line; the legend lists it."""
        fig = plot_tasks(TASKS, limit=3, title="two tasks")
        labels = _profile_labels(fig)
        assert "limit 3" in labels and not any(label.endswith(" cores") for label in labels)
        legend = [text.get_text() for text in fig.legends[0].get_texts()]
        assert "limit 3" in legend and "running" in legend
        assert fig._suptitle.get_text().startswith("two tasks\n")

    def test_without_limit(self):
        """Without a limit, there is no dashed line at all under the tasks."""
        labels = _profile_labels(plot_tasks(TASKS))
        assert not any(label.endswith(" cores") or label.startswith("limit") for label in labels)

    def test_bad_limit(self):
        """The limit is an int >= 1."""
        with pytest.raises(ValueError, match="limit must be >= 1"):
            plot_tasks(TASKS, limit=0)


class TestSideBySide:
    def test_is_the_course_chart(self):
        """The lesson's side-by-side figure is course.gantt's one, not a copy."""
        assert plot_side_by_side is gantt.plot_side_by_side

    def test_legend_is_hatched_like_the_lanes(self):
        """plot_tasks' legend shows each kind as its lanes draw it (start-up is hatched)."""
        timeline = Timeline.from_segments([("t1", 0, 0.01, "startup"), ("t1", 0.01, 0.05)])
        (legend,) = plot_tasks(timeline).legends
        patches = {text.get_text(): patch for text, patch in
                   zip(legend.get_texts(), legend.get_patches())}
        assert patches["starting up"].get_hatch() == gantt.HATCHES["startup"]


class TestPlotUsage:
    def _runs(self, kib=(14.0, 1.0)):
        threads = Usage("threads", wall_s=0.2, threads_added=200, kib_per_waiter=kib[0])
        tasks = Usage("asyncio", wall_s=0.1, threads_added=0, kib_per_waiter=kib[1])
        return {"threads": threads, "asyncio": tasks}

    def test_three_panels(self):
        """Wall time, threads added and memory per waiter, one bar per way."""
        fig = plot_usage(self._runs(), title="200 waits")
        assert [ax.get_title(loc="left") for ax in fig.axes] == [
            "wall time", "threads added", "memory per waiter"]

    def test_unmeasured_panels_are_left_out(self):
        """Without memory readings, the memory panel is left out."""
        fig = plot_usage(self._runs(kib=(None, None)))
        assert [ax.get_title(loc="left") for ax in fig.axes] == ["wall time", "threads added"]

    @pytest.mark.parametrize("runs, error, message", [
        ({}, ValueError, "at least one run"),
        ({"x": 1.0}, TypeError, "runs must map names to Usage"),
    ])
    def test_bad_runs(self, runs, error, message):
        """Runs are checked at the door."""
        with pytest.raises(error, match=message):
            plot_usage(runs)
