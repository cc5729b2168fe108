"""Tests for course.lessons.threads.measure: start-up costs, printed orders, waiting jobs."""

import threading

import pytest

from course.lessons.threads import measure
from course.start_methods import default_start_method
from course.timeline import RUNNING, WAITING


def _show(items):
    for item in items:
        print(item)


class TestStartCosts:
    def test_times_threads_and_default_processes(self):
        """One list of positive seconds for threads and one for the default start method."""
        costs = measure.start_costs(repeats=2)
        assert list(costs) == ["thread", f"process ({default_start_method()})"]
        assert all(len(v) == 2 and all(s > 0 for s in v) for v in costs.values())

    def test_leaves_no_thread_or_process_behind(self):
        """Every thread and child it started has been joined when it returns."""
        import multiprocessing

        before = set(threading.enumerate())
        measure.start_costs(repeats=1)
        assert set(threading.enumerate()) <= before
        assert multiprocessing.active_children() == []

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"repeats": 0}, ValueError, "repeats must be between 1 and 100000 (got 0)"),
        ({"repeats": 1.5}, TypeError, "repeats must be an int (got float)"),
        ({"timeout": 0}, ValueError, "timeout must be > 0 (got 0)"),
    ])
    def test_bad_arguments(self, kwargs, error, message):
        """Bad repeats or timeouts fail at the door with the rule."""
        with pytest.raises(error) as excinfo:
            measure.start_costs(**kwargs)
        assert str(excinfo.value) == message

    def test_process_label(self):
        """Processes are named after their start method."""
        assert measure.process_label("spawn") == "process (spawn)"


class TestPrintedOrders:
    def test_one_string_per_run_with_every_line(self):
        """Each run gives the printed lines in order, joined by spaces, nothing lost."""
        orders = measure.printed_orders([(_show, ("12",)), (_show, ("ab",))], runs=3)
        assert len(orders) == 3
        assert all(sorted(order.split()) == ["1", "2", "a", "b"] for order in orders)
        for order in orders:  # each thread's own lines keep their order
            items = order.split()
            assert items.index("1") < items.index("2") and items.index("a") < items.index("b")

    @pytest.mark.parametrize("jobs, runs, message", [
        ([], 1, "jobs must hold at least one (function, args) pair (got none)"),
        ([(print, ())], 0, "runs must be between 1 and 10000 (got 0)"),
    ])
    def test_bad_arguments(self, jobs, runs, message):
        """No jobs, or no runs, are refused."""
        with pytest.raises(ValueError) as excinfo:
            measure.printed_orders(jobs, runs=runs)
        assert str(excinfo.value) == message


class TestIoJobs:
    def test_threads_wait_together(self):
        """Several threads sharing waiting jobs overlap their waits, one lane per thread."""
        timeline = measure.io_jobs(jobs=4, threads=4, wait_ms=20, work_ms=0.2)
        assert sorted(timeline.lane_names) == [f"thread {i}" for i in range(1, 5)]
        assert timeline.max_at_once(WAITING) >= 2
        assert {s.kind for s in timeline.segments()} >= {WAITING}

    def test_one_thread_does_every_job_in_turn(self):
        """One thread runs the jobs one after another: never two waits at once."""
        timeline = measure.io_jobs(jobs=3, threads=1, wait_ms=5, work_ms=0.2)
        assert timeline.lane_names == ["thread 1"]
        assert timeline.max_at_once(WAITING) == 1
        waits = [s for s in timeline.segments() if s.kind == WAITING]
        assert len(waits) == 3 and any(s.kind == RUNNING for s in timeline.segments())

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"jobs": 0}, ValueError, "jobs must be between 1 and 64 (got 0)"),
        ({"threads": 65}, ValueError, "threads must be between 1 and 64 (got 65)"),
        ({"threads": "2"}, TypeError, "threads must be an int (got str)"),
        ({"wait_ms": -1}, ValueError, "wait_ms must be >= 0 and finite (got -1)"),
    ])
    def test_bad_arguments(self, kwargs, error, message):
        """Out-of-range counts and negative durations are refused with the rule."""
        with pytest.raises(error) as excinfo:
            measure.io_jobs(**kwargs)
        assert str(excinfo.value) == message

    def test_sweep_times_each_thread_count(self):
        """io_sweep gives one (threads, seconds) pair per thread count, in order."""
        sweep = measure.io_sweep((1, 3), jobs=3, wait_ms=5, work_ms=0)
        assert [n for n, _ in sweep] == [1, 3] and all(s > 0 for _, s in sweep)
