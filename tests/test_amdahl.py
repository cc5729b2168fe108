"""Tests for course.amdahl: Amdahl's law forwards and backwards, sweeps and their chart."""

import pytest

from course import amdahl
from course.timeline import Timeline


class TestSpeedup:
    @pytest.mark.parametrize("p, n, expected", [
        (0.0, 8, 1.0),
        (1.0, 8, 8.0),
        (0.5, 2, 4 / 3),
        (0.9, 4, 1 / (0.1 + 0.9 / 4)),
        (0.75, 1, 1.0),
    ])
    def test_values(self, p, n, expected):
        """The speedup is 1 / ((1 - p) + p / n)."""
        assert amdahl.speedup(p, n) == pytest.approx(expected)

    @pytest.mark.parametrize("p, n, message", [
        (-0.1, 2, "p must be between 0 and 1 (got -0.1)"),
        (1.5, 2, "p must be between 0 and 1 (got 1.5)"),
        (0.5, 0, "n must be >= 1 (got 0)"),
    ])
    def test_bad_values(self, p, n, message):
        """Impossible p or n raise ValueError stating the rule and the value."""
        with pytest.raises(ValueError) as caught:
            amdahl.speedup(p, n)
        assert str(caught.value) == message

    @pytest.mark.parametrize("p, n", [("0.5", 2), (0.5, 2.0), (True, 2)])
    def test_bad_types(self, p, n):
        """A non-number p or a non-int n raise TypeError."""
        with pytest.raises(TypeError):
            amdahl.speedup(p, n)


class TestParallelFraction:
    @pytest.mark.parametrize("p, n", [(0.0, 2), (0.5, 3), (0.9, 4), (1.0, 16)])
    def test_inverts_speedup(self, p, n):
        """The fraction implied by Amdahl's own speedup is the p that produced it."""
        assert amdahl.parallel_fraction(amdahl.speedup(p, n), n) == pytest.approx(p)

    @pytest.mark.parametrize("measured, n, message", [
        (1.5, 1, "n must be >= 2 (got 1)"),
        (0.9, 4, "speedup must be between 1 and n=4 (got 0.9)"),
        (5.0, 4, "speedup must be between 1 and n=4 (got 5.0)"),
    ])
    def test_impossible_speedups(self, measured, n, message):
        """Slowdowns, superlinear speedups and a single worker are refused with a message."""
        with pytest.raises(ValueError) as caught:
            amdahl.parallel_fraction(measured, n)
        assert str(caught.value) == message


class TestPredict:
    def test_caps_workers_at_cores(self):
        """More workers than cores add nothing: the prediction uses min(n, cores)."""
        assert amdahl.predict(1.0, 8, cores=2) == pytest.approx(2.0)
        assert amdahl.predict(1.0, 8) == pytest.approx(8.0)

    def test_bad_cores(self):
        """cores < 1 is refused, naming cores."""
        with pytest.raises(ValueError, match=r"cores must be >= 1 \(got 0\)"):
            amdahl.predict(0.5, 2, cores=0)


class TestModel:
    def test_capped_and_uncapped(self):
        """CPU work is capped at the cores; waiting work is not."""
        assert amdahl.Model(1.0, cores=2).predict(8) == pytest.approx(2.0)
        assert amdahl.Model(1.0).predict(8) == pytest.approx(8.0)
        assert amdahl.Model(0.5, cores=2).at_once(8) == 2 and amdahl.Model(0.5).at_once(8) == 8

    def test_bad_model(self):
        """An impossible p or cores is refused when the model is made."""
        with pytest.raises(ValueError, match=r"p must be between 0 and 1 \(got 2\)"):
            amdahl.Model(2)
        with pytest.raises(ValueError, match=r"cores must be >= 1 \(got 0\)"):
            amdahl.Model(0.5, cores=0)


class TestFractionFromTimeline:
    def test_waiting_share(self):
        """A lane running 1 s of every 4 leaves p = 0.75 for threads to overlap."""
        timeline = Timeline.from_segments([("a", 0, 1), ("a", 1, 4, "waiting")])
        assert amdahl.fraction_from_timeline(timeline) == pytest.approx(0.75)

    def test_all_running(self):
        """Pure computation leaves nothing to overlap under the GIL."""
        timeline = Timeline.from_segments([("a", 0, 1), ("b", 1, 2)])
        assert amdahl.fraction_from_timeline(timeline) == pytest.approx(0.0)

    def test_ready_is_not_waiting(self):
        """Time lost to a busy machine (ready, not running) does not count as waiting."""
        timeline = Timeline.from_segments([("a", 0, 1), ("a", 1, 3, "ready"),
                                           ("a", 3, 4, "waiting")])
        assert amdahl.fraction_from_timeline(timeline) == pytest.approx(0.25)


class TestMeasureSpeedups:
    def test_points_per_worker_count(self):
        """One point per worker count, timed against the same tasks run in turn."""
        points = amdahl.measure_speedups("io", "threads", [1, 2], size_ms=50)
        assert [p.workers for p in points] == [1, 2]
        assert all(p.sequential_s > 0 and p.wall_s > 0 for p in points)

    def test_series(self):
        """measure_series keeps the labels and worker counts given."""
        found = amdahl.measure_series({"io": ("io", "threads")}, [2], size_ms=50)
        assert list(found) == ["io"] and [p.workers for p in found["io"]] == [2]

    def test_rejects_sequential_backend(self):
        """Comparing sequential with itself is refused."""
        with pytest.raises(ValueError, match="backend must be threads or processes"):
            amdahl.measure_speedups("cpu", "sequential", [1])


def _points(speedups):
    return [amdahl.SpeedupPoint("io", "threads", n, 0.05 * s, 0.05)
            for n, s in enumerate(speedups, start=1)]


class TestCompareMarkdown:
    def test_rows(self):
        """One row per point, with the measured and predicted speedups."""
        text = amdahl.compare_markdown({"io": _points([1.0, 1.9])}, {"io": amdahl.Model(1.0)})
        assert "| io | 2 | 1.90x | 2.00x | 95% |" in text


class TestPlotSpeedups:
    def test_draws_points_and_predictions(self):
        """The chart holds the ideal line, a prediction line and measured points per series."""
        fig = amdahl.plot_speedups([("io threads", _points([1, 2, 3]), amdahl.Model(0.96))],
                                   cores=2)
        ax = fig.axes[0]
        labels = [line.get_label() for line in ax.get_lines()]
        assert "io threads: measured" in labels and "io threads: Amdahl, p=0.96" in labels
        measured = ax.get_lines()[labels.index("io threads: measured")]
        assert list(measured.get_ydata()) == pytest.approx([1.0, 2.0, 3.0])
        title = ax.get_title(loc="left")
        assert title.startswith("At 3 workers, measured (predicted): io threads 3.00x")

    def test_empty(self):
        """Nothing to draw is refused with a message."""
        with pytest.raises(ValueError, match="at least one point"):
            amdahl.plot_speedups([("x", [], amdahl.Model(0.5))], cores=2)


class TestExplorer:
    def test_slider_measures_new_counts_only(self):
        """Moving the slider measures the new count once and keeps earlier points."""
        series = {"io": ("io", "threads")}
        chart = amdahl.explorer(series, {"io": amdahl.Model(0.9)}, cores=2,
                                points={"io": _points([1.0, 1.8])}, size_ms=50)
        assert chart.controls["workers"].value == 2 and "1.80x measured" in chart.text
        text = chart.update(workers=3)
        assert text.startswith("3 workers: io ") and "predicted" in text
        xs = chart.figure.axes[0].get_lines()[-1].get_xdata()
        assert list(xs) == [1, 2, 3]


class TestPointFrom:
    def test_from_runs(self):
        """A point made from two runs of the same tasks carries both wall times."""
        from course import run
        base = run("io", 2, "sequential", size_ms=50)
        threads = run("io", 2, "threads", size_ms=50)
        point = amdahl.point_from(base, threads)
        assert point.workers == 2 and point.backend == "threads"
        assert point.speedup == pytest.approx(base.metrics.wall_s / threads.metrics.wall_s)

    def test_mismatched_runs(self):
        """Runs of different tasks, or a baseline that is not sequential, are refused."""
        from course import run
        one = run("io", 1, "sequential", size_ms=50)
        two = run("io", 2, "threads", size_ms=50)
        with pytest.raises(ValueError, match="runs must do the same tasks"):
            amdahl.point_from(one, two)
        with pytest.raises(ValueError, match="the baseline must be a sequential run"):
            amdahl.point_from(two, two)
