"""Tests for course.lessons.processes.charts: figures titled with their findings."""

import pytest
from matplotlib.figure import Figure

from course.lessons.processes import charts
from course.lessons.processes.measure import PoolRun, Transfer
from course.timeline import Timeline


def amdahl(p, n):
    return 1 / ((1 - p) + p / n)


def run(workers, wall_s, busy_s):
    """A synthetic pool run: *busy_s* of work spread over *workers* lanes, in *wall_s*."""
    rows = [(f"worker {i + 1}", 0.0, busy_s / workers) for i in range(workers)]
    timeline = Timeline.from_segments(rows + [("idle", wall_s, wall_s, "waiting")], cores=2)
    return PoolRun(workers, 1, 4, 10.0, "fork", timeline)


class TestPlotStartup:
    def test_title_states_the_finding(self):
        """The title names the slowest method and compares it with the fastest and a thread."""
        fig = charts.plot_startup({"thread": 0.0001, "fork": 0.01, "spawn": 0.1})
        assert fig.axes[0].get_title(loc="left") == (
            "a spawn process takes 100 ms to start and end, 10x fork's 10.0 ms; a thread: 100 µs")

    def test_empty(self):
        """No costs, no chart."""
        with pytest.raises(ValueError, match="costs must not be empty"):
            charts.plot_startup({})


class TestPlotTransfers:
    def test_title(self):
        """The title gives the largest transfer and its cost per MB."""
        fig = charts.plot_transfers([Transfer(1.0, 0.001, 0.002), Transfer(4.0, 0.004, 0.008)])
        assert fig.axes[0].get_title(loc="left").startswith(
            "sending 4 MB to a worker took 8.00 ms (about 2.0 ms per MB")

    def test_empty(self):
        """No rows, no chart."""
        with pytest.raises(ValueError, match="rows must not be empty"):
            charts.plot_transfers([])


class TestPlotPoolRun:
    def test_with_baseline_and_prediction(self):
        """The title states the measured speedup and the prediction of the formula passed in."""
        base, fast = run(1, 1.0, 0.9), run(2, 0.5, 0.9)
        fig = charts.plot_pool_run(fast, base, {1: 1.0}, amdahl)
        predicted = amdahl(base.parallel_share, 2)
        assert isinstance(fig, Figure)
        assert fig._suptitle.get_text() == (f"2 worker(s) on 2 cores: 2.00x faster than 1 worker "
                                            f"(Amdahl predicts {predicted:.2f}x)")

    def test_without_prediction_or_baseline(self):
        """Without a formula only measured points are drawn; without a baseline, no speedup."""
        base, fast = run(1, 1.0, 0.9), run(2, 0.5, 0.9)
        fig = charts.plot_pool_run(fast, base)
        assert "Amdahl" not in fig._suptitle.get_text()
        fig = charts.plot_pool_run(fast)
        assert fig._suptitle.get_text().startswith("4 tasks of 10 ms: wall 0.50 s")

    def test_predicted_speedup_caps_workers_at_cores(self):
        """More workers than cores predict no more than the cores allow."""
        base = run(1, 1.0, 0.9)
        assert charts.predicted_speedup(amdahl, base, 8, 2) == charts.predicted_speedup(
            amdahl, base, 2, 2)

    def test_bad_predict(self):
        """A prediction that is not a function is refused."""
        with pytest.raises(TypeError, match=r"predict must be callable \(got float\)"):
            charts.plot_pool_run(run(2, 0.5, 0.9), run(1, 1.0, 0.9), None, 0.9)
