"""Tests for course.amdahl: Amdahl's predictions, per-series models, and their chart."""

import pytest

from course import amdahl


class TestPredict:
    @pytest.mark.parametrize("p, n, expected", [
        (0.0, 8, 1.0),
        (1.0, 8, 8.0),
        (0.5, 2, 4 / 3),
        (0.9, 4, 1 / (0.1 + 0.9 / 4)),
        (0.75, 1, 1.0),
    ])
    def test_values(self, p, n, expected):
        """The speedup is 1 / ((1 - p) + p / n)."""
        assert amdahl.predict(p, n) == pytest.approx(expected)

    def test_caps_workers_at_cores(self):
        """More workers than cores add nothing: the prediction uses min(n, cores)."""
        assert amdahl.predict(1.0, 8, cores=2) == pytest.approx(2.0)
        assert amdahl.predict(1.0, 8) == pytest.approx(8.0)

    @pytest.mark.parametrize("p, n, cores, message", [
        (-0.1, 2, None, "p must be between 0 and 1 (got -0.1)"),
        (1.5, 2, None, "p must be between 0 and 1 (got 1.5)"),
        (0.5, 0, None, "n must be >= 1 (got 0)"),
        (0.5, 2, 0, "cores must be >= 1 (got 0)"),
    ])
    def test_bad_values(self, p, n, cores, message):
        """Impossible p, n or cores raise ValueError stating the rule and the value."""
        with pytest.raises(ValueError) as caught:
            amdahl.predict(p, n, cores)
        assert str(caught.value) == message

    @pytest.mark.parametrize("p, n", [("0.5", 2), (0.5, 2.0), (True, 2)])
    def test_bad_types(self, p, n):
        """A non-number p or a non-int n raise TypeError."""
        with pytest.raises(TypeError):
            amdahl.predict(p, n)


class TestModel:
    def test_capped_and_uncapped(self):
        """CPU work is capped at the cores; waiting work is not."""
        assert amdahl.Model(1.0, cores=2).predict(8) == pytest.approx(2.0)
        assert amdahl.Model(1.0).predict(8) == pytest.approx(8.0)
        assert amdahl.Model(0.5, cores=2).at_once(8) == 2 and amdahl.Model(0.5).at_once(8) == 8
        assert amdahl.Model(0.5, cores=2).label() == "p=0.50, n capped at 2"

    def test_bad_model(self):
        """An impossible p or cores is refused when the model is made."""
        with pytest.raises(ValueError, match=r"p must be between 0 and 1 \(got 2\)"):
            amdahl.Model(2)
        with pytest.raises(ValueError, match=r"cores must be >= 1 \(got 0\)"):
            amdahl.Model(0.5, cores=0)


def _points(speedups):
    return [amdahl.SpeedupPoint("io", n, 0.05 * s, 0.05) for n, s in enumerate(speedups, start=1)]


class TestSpeedupPoint:
    def test_speedup(self):
        """The speedup is the sequential time over the wall time (0 for no wall time)."""
        assert amdahl.SpeedupPoint("x", 2, 3.0, 1.5).speedup == pytest.approx(2.0)
        assert amdahl.SpeedupPoint("x", 2, 3.0, 0.0).speedup == 0.0


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
