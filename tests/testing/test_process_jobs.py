"""Tests for course.testing.process_jobs and JobTracker.wrap_for_processes: jobs recorded in
whatever process runs them, read back into the tracker's one Recorder."""

import multiprocessing
import operator
import os
import pickle

import pytest

from course import testing
from course.start_methods import START_METHODS

FAST = "fork" if "fork" in START_METHODS else "spawn"
BOUND_S = 30


class TestWrapForProcesses:
    def test_records_calls_in_workers(self):
        """Calls made in pool workers are recorded with their pid and arguments."""
        with testing.JobTracker("running") as tracker, \
                multiprocessing.get_context(FAST).Pool(2) as pool:
            add = tracker.wrap_for_processes(operator.add)
            assert pool.starmap(add, [(1, 2), (3, 4)]) == [3, 7]
            calls = tracker.calls()
            timeline = tracker.timeline()
        assert sorted(call.args for call in calls) == [(1, 2), (3, 4)]
        assert os.getpid() not in {call.pid for call in calls}
        assert sum(len(lane["spans"]) for lane in timeline.lanes) == 2
        assert all(lane["name"] == f"process {lane['pid']}" for lane in timeline.lanes)

    def test_first_waits_for_others(self):
        """With first_waits_for=2, the first call to start returns after two calls elsewhere,
        so results leave input order."""
        with testing.JobTracker("running") as tracker, \
                multiprocessing.get_context(FAST).Pool(2) as pool:
            probe = tracker.wrap_for_processes(abs, first_waits_for=2)
            got = list(pool.imap_unordered(probe, [-1, -2, -3, -4]))
            pids = tracker.pids()
        assert not {1, 2} <= set(got[:2]) and sorted(got) == [1, 2, 3, 4]
        assert len(pids) == 2

    def test_hold_is_bounded(self):
        """With no other process, the first call waits hold_s and then runs anyway."""
        with testing.JobTracker() as tracker:
            probe = tracker.wrap_for_processes(abs, first_waits_for=1, hold_s=0.2)
            assert testing.finishes_within(probe, BOUND_S, -5) == 5
            assert tracker.pids() == [os.getpid()] and tracker.jobs == 1

    def test_unpicklable_arguments_are_noted_by_repr(self):
        """A call whose arguments only pickle to a child (a lock) is still recorded."""
        lock = multiprocessing.get_context(FAST).Lock()
        with testing.JobTracker() as tracker:
            tracker.wrap_for_processes(repr)(lock)
            [call] = tracker.calls()
        assert call.args == (repr(lock),)

    def test_a_failing_call_still_counts(self):
        """A call that raises is recorded before the error propagates."""
        with testing.JobTracker() as tracker:
            with pytest.raises(ZeroDivisionError):
                tracker.wrap_for_processes(operator.truediv)(1, 0)
            assert len(tracker.calls()) == 1

    def test_the_job_pickles(self):
        """The stand-in survives pickling, as it must to reach spawn workers."""
        with testing.JobTracker() as tracker:
            again = pickle.loads(pickle.dumps(tracker.wrap_for_processes(abs)))
            assert again(-3) == 3 and len(tracker.calls()) == 1
            assert repr(again) == "ProcessJob('abs')"

    def test_close_removes_the_folder(self):
        """Closing the tracker removes the folder the jobs write to."""
        tracker = testing.JobTracker()
        job = tracker.wrap_for_processes(abs)
        tracker.close()
        assert not os.path.exists(job.directory)

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"fn": 42}, TypeError, "fn must be callable"),
        ({"fn": abs, "first_waits_for": -1}, ValueError,
         r"first_waits_for must be >= 0 \(got -1\)"),
        ({"fn": abs, "hold_s": 0}, ValueError, r"hold_s must be > 0 \(got 0\)"),
        ({"fn": abs, "kind": "sleeping"}, ValueError, "kind must be one of")])
    def test_bad_arguments(self, kwargs, error, message):
        """Non-callables, negative waits and unknown kinds are refused."""
        with testing.JobTracker() as tracker:
            with pytest.raises(error, match=message):
                tracker.wrap_for_processes(**kwargs)
