"""Tests for course/lessons/event_loop/explore.py: the tasks-and-limit explorer."""

from __future__ import annotations

import asyncio

import pytest

from course.lessons.event_loop import explore


class TestTasksExplorer:
    def test_draws_at_once_and_redraws_on_update(self):
        """The explorer draws a chart straight away, and a new one when a control moves."""
        chart = explore.tasks_explorer(tasks=4, limit=2)
        first = chart.figure
        assert chart.output.outputs and "at most 2 downloads in flight at once" in chart.text
        text = chart.update(limit=1)
        assert chart.figure is not first
        assert text.startswith("at most 1 download in flight at once (limit 1)")
        assert "4 rounds of 30 ms would take 120 ms" in text

    def test_controls(self):
        """Two sliders: tasks and the semaphore limit, with their ranges."""
        chart = explore.tasks_explorer(run_now=False)
        assert chart.values == {"tasks": 12, "limit": 3}
        assert chart.controls["tasks"].max == explore.MAX_TASKS
        assert chart.controls["limit"].description == "Semaphore limit"

    def test_runs_inside_a_running_loop(self):
        """A widget's callback runs inside the kernel's loop: the explorer still reruns."""
        async def from_a_callback():
            return explore.tasks_explorer(tasks=2, limit=2).text

        assert "at most 2 downloads" in asyncio.run(from_a_callback())

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"tasks": 0}, ValueError, "tasks must be between 1 and 40"),
        ({"limit": 21}, ValueError, "limit must be between 1 and 20"),
        ({"tasks": 2.5}, TypeError, "tasks must be an int"),
    ])
    def test_bad_values(self, kwargs, error, message):
        """Out-of-range values fail at the door with the rule."""
        with pytest.raises(error, match=message):
            explore.tasks_explorer(run_now=False, **kwargs)
