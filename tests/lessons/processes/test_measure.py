"""Tests for course.lessons.processes.measure: start-up and transfer costs, recorded pool runs."""

import os

import pytest

from course.lessons.processes import measure

from .conftest import FAST


class TestStartupCosts:
    def test_thread_and_methods(self):
        """A thread and each requested method get a positive median time, in that order."""
        costs = measure.startup_costs(methods=[FAST], repeats=1)
        assert list(costs) == ["thread", FAST] and all(v > 0 for v in costs.values())

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"methods": ["clone"]}, ValueError, r"method must be one of .* \(got 'clone'\)"),
        ({"repeats": 0}, ValueError, r"repeats must be >= 1 \(got 0\)"),
        ({"repeats": 1.5}, TypeError, r"repeats must be an int \(got float\)"),
    ])
    def test_bad_arguments(self, kwargs, error, message):
        """Bad methods and repeats are refused before anything starts."""
        with pytest.raises(error, match=message):
            measure.startup_costs(**kwargs)


class TestTransferCosts:
    def test_rows(self):
        """Each size gets a row with positive pickling and round-trip times."""
        rows = measure.transfer_costs(sizes_mb=(0.25, 1), method=FAST, repeats=1)
        assert [r.megabytes for r in rows] == [0.25, 1.0]
        assert all(r.pickle_s > 0 and r.round_trip_s > 0 for r in rows)
        assert rows[1].ms_per_mb == pytest.approx(rows[1].round_trip_s * 1e3)

    @pytest.mark.parametrize("sizes", [(0,), (-1,)])
    def test_bad_size(self, sizes):
        """Sizes must be > 0."""
        with pytest.raises(ValueError, match="sizes_mb must be > 0"):
            measure.transfer_costs(sizes_mb=sizes)


class TestPoolRun:
    def test_lanes_per_worker_process(self):
        """Tasks that ran in one worker process share that worker's lane."""
        run = measure.pool_run(workers=2, tasks=4, task_ms=5, method=FAST)
        lanes = run.timeline.lanes
        assert 1 <= len(lanes) <= 2
        assert all(lane["name"].startswith("worker ") for lane in lanes)
        assert os.getpid() not in {lane["pid"] for lane in lanes}
        assert run.busy_s > 0 and run.wall_s > 0 and run.method == FAST

    def test_parallel_share(self):
        """The share of a run's wall time spent inside tasks lies in 0..1."""
        run = measure.pool_run(workers=1, tasks=2, task_ms=5, method=FAST)
        assert 0 < run.parallel_share <= 1

    @pytest.mark.parametrize("kwargs, message", [
        ({"workers": 0}, r"workers must be >= 1 \(got 0\)"),
        ({"chunksize": 0}, r"chunksize must be >= 1 \(got 0\)"),
        ({"task_ms": 0}, r"task_ms must be > 0 \(got 0\)"),
        ({"method": "clone"}, r"method must be one of .* \(got 'clone'\)"),
    ])
    def test_bad_arguments(self, kwargs, message):
        """Bad sizes and methods are refused before a pool starts."""
        with pytest.raises(ValueError, match=message):
            measure.pool_run(**kwargs)

    def test_lanes_by_process_merges(self):
        """Exports of one pid become one lane named worker N, spans joined, launch set."""
        exports = [{"name": "task 2", "pid": 7, "tid": 1, "spans": [(30, 40, "work")],
                    "cpu_ns": 5, "clock_pair": None, "launch_ns": None, "classified": False},
                   {"name": "task 1", "pid": 7, "tid": 1, "spans": [(10, 20, "work")],
                    "cpu_ns": 5, "clock_pair": None, "launch_ns": None, "classified": False}]
        [lane] = measure._lanes_by_process(exports, launch_ns=0)
        assert (lane["name"], lane["spans"], lane["cpu_ns"], lane["launch_ns"]) == (
            "worker 1", [(10, 20, "work"), (30, 40, "work")], 10, 0)
