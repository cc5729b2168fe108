"""Tests for course.lessons.gil.measure: turns, hand-offs, the sweep, repeats, plain data."""

import sys

import pytest

from course.lessons.gil import measure
from course.timeline import Timeline


def _turn_timeline():
    return Timeline.from_segments([
        ("a", 0.000, 0.005), ("a", 0.0052, 0.010), ("b", 0.010, 0.015),
        ("a", 0.015, 0.020), ("b", 0.020, 0.022),
    ])


class TestTurns:
    def test_groups_consecutive_segments_of_a_lane(self):
        """A lane keeps its turn across a gap when no other lane ran in between."""
        found = measure.turns(_turn_timeline())
        assert [t.lane for t in found] == ["a", "b", "a", "b"]
        assert found[0].duration_ms == pytest.approx(10.0)

    def test_median_drops_the_cut_short_last_turn(self):
        """The last turn, cut short by the end of the work, is left out of the median."""
        assert measure.median_turn_ms(_turn_timeline()) == pytest.approx(5.0)
        alone = Timeline.from_segments([("a", 0, 0.003)])
        assert measure.median_turn_ms(alone) == pytest.approx(3.0)

    def test_no_turns(self):
        """A timeline with nothing running has a median turn of 0."""
        waiting = Timeline.from_segments([("a", 0, 1, "waiting")])
        assert measure.turns(waiting) == [] and measure.median_turn_ms(waiting) == 0.0


class TestUnfairHandoffs:
    def test_round_robin(self):
        """a, b, c, a, b, c: every hand-off goes to the lane that waited longest."""
        rows = [(lane, i, i + 1) for i, lane in enumerate("abcabc")]
        assert measure.unfair_handoffs(Timeline.from_segments(rows)) == (0, 5)

    def test_skipping(self):
        """a, b, a, c: the GIL goes back to a while c, never run, waits."""
        rows = [(lane, i, i + 1) for i, lane in enumerate("abac")]
        assert measure.unfair_handoffs(Timeline.from_segments(rows)) == (1, 3)

    def test_one_turn(self):
        """One turn means no hand-off at all."""
        assert measure.unfair_handoffs(Timeline.from_segments([("a", 0, 1)])) == (0, 0)


class TestSwitchSweep:
    def test_measures_each_interval_and_restores(self):
        """A sweep measures turns per interval and leaves the switch interval as it was."""
        before = sys.getswitchinterval()
        rows = measure.switch_sweep([1.0, 2.0], workers=2, turns_wanted=4)
        assert sys.getswitchinterval() == before
        assert [r.interval_ms for r in rows] == [1.0, 2.0]
        assert all(r.turns >= 1 and r.median_turn_ms > 0 for r in rows)
        assert all(r.result.switch_interval == r.interval_ms / 1000 for r in rows)

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"intervals_ms": [0]}, ValueError, r"switch intervals \(ms\) must be > 0 \(got 0\)"),
        ({"intervals_ms": [1.0], "workers": 1}, ValueError, r"workers must be >= 2 \(got 1\)"),
        ({"intervals_ms": [1.0], "workers": 2.0}, TypeError, r"workers must be an int"),
    ])
    def test_bad_input(self, kwargs, error, message):
        """Intervals must be positive and at least two threads must compete."""
        with pytest.raises(error, match=message):
            measure.switch_sweep(**kwargs)


class TestRepeat:
    def test_backends_take_turns(self):
        """Every backend runs the same tasks the asked number of times."""
        runs = measure.repeat("io", 2, backends=("sequential", "threads"), repeats=2,
                              size_ms=50)
        assert list(runs) == ["sequential", "threads"]
        assert all(len(results) == 2 for results in runs.values())
        assert all(r.workers == 2 and r.workload == "io" for rs in runs.values() for r in rs)

    @pytest.mark.parametrize("kwargs, message", [
        ({"workload": "disk"}, r"workload must be one of cpu, io, hash, hash-small \(got 'disk'\)"),
        ({"backends": ("threads", "fibers")}, r"backend must be one of .* \(got 'fibers'\)"),
        ({"repeats": 0}, r"repeats must be >= 1 \(got 0\)"),
    ])
    def test_bad_input(self, kwargs, message):
        """Unknown workloads and backends, and no repeats, are refused at the door."""
        with pytest.raises(ValueError, match=message):
            measure.repeat(**kwargs)


class TestRunningIntervals:
    def test_plain_data_from_timeline(self):
        """Running segments become (start_s, end_s) pairs per lane, from the run's start."""
        timeline = Timeline.from_segments([("a", 1.0, 2.0), ("a", 2.0, 3.0, "waiting"),
                                           ("b", 1.5, 2.5)])
        assert measure.running_intervals(timeline) == {"a": [(0.0, 1.0)], "b": [(0.5, 1.5)]}

    def test_accepts_a_result(self, synthetic_run):
        """A Result of course.run is read through its timeline."""
        run = synthetic_run(True, wall=0.5)
        assert measure.running_intervals(run) == {"thread 1": [(0.0, 0.5)],
                                                  "thread 2": [(0.0, 0.5)]}


class TestSpeedup:
    def test_measured_and_predicted(self):
        """The measured speedup divides the times; the prediction caps workers at the cores."""
        cpu = measure.Speedup(1.0, 4, 2.0, 1.0)
        assert cpu.measured == pytest.approx(2.0) and cpu.predicted(2) == pytest.approx(2.0)
        waiting = measure.Speedup(0.9, 4, 2.0, 0.5, needs_cores=False)
        assert waiting.predicted(2) == pytest.approx(1 / (0.1 + 0.9 / 4))
