"""Tests for grading.run_chart: the chart of a grading run, drawn with course's Gantt renderer."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from course.timeline import READY, RUNNING, STARTUP, WAITING
from grading.run_chart import STARTING, finding, plot_run, save_chart, timeline

SPANS = [("worker 10", 100.0, 104.0, "graded"), ("worker 2", 100.5, 101.5, "note"),
         ("worker 2", 101.6, 103.0, "not graded"), ("worker 1", 99.0, 100.0, STARTING),
         ("worker 1", 100.0, 106.0, "graded")]


class TestTimeline:
    def test_lanes_in_natural_order_from_the_first_start(self):
        """worker 1, 2, 10: one lane each, times from the earliest span."""
        line = timeline(SPANS, cores=2)
        assert line.lane_names == ["worker 1", "worker 2", "worker 10"]
        assert line.start_ns == 0 and line.wall_ns == 7_000_000_000
        assert line.cores == 2

    def test_outcomes_become_the_renderer_kinds(self):
        """graded, worth a look, not graded and starting take four distinct colours."""
        kinds = {(s.lane, s.kind) for s in timeline(SPANS, cores=2).segments()}
        assert kinds == {("worker 1", WAITING), ("worker 1", RUNNING), ("worker 2", READY),
                         ("worker 2", STARTUP), ("worker 10", RUNNING)}

    @pytest.mark.parametrize("spans, message", [
        ([], "the run graded nothing"),
        ([("worker 1", 0.0, 1.0, "lost")], "outcome must be one of graded, note, not graded, "
                                           "starting \\(got lost\\)")])
    def test_rejects(self, spans, message):
        """Nothing to draw, or an unknown outcome, fails with the rule."""
        with pytest.raises(ValueError, match=message):
            timeline(spans)


class TestPlot:
    def test_finding_counts_submissions_not_starts(self):
        """The title counts the 4 submissions and how many were graded at once on average."""
        text = finding(SPANS, timeline(SPANS, cores=2))
        assert text == ("4 submissions in 0:07 on 3 workers and 2 cores: 1.8 graded at once on "
                        "average (2 graded, 1 graded, worth a look, 1 not graded)")

    def test_figure_has_lanes_busy_panel_and_legend(self):
        """Lanes above a count of busy workers with the cores line; the legend names outcomes."""
        fig = plot_run(SPANS, cores=2, title="Grading run")
        assert isinstance(fig, Figure)
        lanes, busy = fig.axes
        assert [t.get_text() for t in lanes.get_yticklabels()] == [
            "worker 1", "worker 2", "worker 10"]
        assert busy.get_ylabel() == "workers busy"
        labels = [t.get_text() for t in fig.legends[0].get_texts()]
        assert labels == ["graded", "graded, worth a look", "not graded", "worker starting",
                          "workers grading", "2 cores"]
        assert fig._suptitle.get_text().startswith("Grading run\n4 submissions in 0:07")

    def test_save_chart_writes_a_png(self, tmp_path):
        """save_chart writes a PNG where asked, making the folder."""
        path = save_chart(SPANS, tmp_path / "out" / "run.png", cores=2)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
