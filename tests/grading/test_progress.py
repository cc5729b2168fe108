"""Tests for grading.progress: the line a grading run shows, and its estimate of time left."""

from __future__ import annotations

import io

import pytest

from grading.progress import Progress, duration


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("seconds, text", [(0, "0:00"), (42.4, "0:42"), (185, "3:05"),
                                           (3723, "1:02:03"), (-3, "0:00")])
def test_duration(seconds, text):
    """Minutes and seconds, with hours when needed."""
    assert duration(seconds) == text


class TestProgress:
    def test_live_line_counts_and_estimates(self):
        """The bar shows done, not graded, running and the time left at the rate so far."""
        clock, out = _Clock(), io.StringIO()
        progress = Progress(4, stream=out, live=True, clock=clock)
        assert progress.line().endswith("0/4 done, 0 running, estimating time left")
        progress.start()
        progress.start()
        clock.now += 30
        progress.finish("a/ann", graded=True, seconds=30)
        progress.finish("a/bob", graded=False, seconds=30)
        assert progress.line() == ("grading [############............] 2/4 done, 1 not graded, "
                                   "0 running, about 0:30 left")
        progress.close()
        assert out.getvalue().startswith("\r") and out.getvalue().endswith("\n")

    def test_log_mode_prints_a_line_per_submission(self):
        """Without a terminal each finished submission is a line of its own, with the verdict."""
        clock, out = _Clock(), io.StringIO()
        progress = Progress(2, stream=out, live=False, clock=clock)
        progress.start()
        clock.now += 10
        progress.finish("a/ann", graded=False, seconds=9.96)
        progress.finish("a/bob", graded=True, seconds=1)
        assert out.getvalue().splitlines() == [
            "[1/2] a/ann: NOT GRADED in 10.0 s; about 0:10 left",
            "[2/2] a/bob: graded in 1.0 s; finished in 0:10"]
        assert "\r" not in out.getvalue()

    def test_live_defaults_to_whether_the_stream_is_a_terminal(self):
        """A StringIO is no terminal: log mode."""
        assert Progress(1, stream=io.StringIO()).live is False
