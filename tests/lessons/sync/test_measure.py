"""Tests for course.lessons.sync.measure: the recorded race and the semaphore experiment."""

import threading

import pytest

from course.lessons.sync import capped_jobs, race_timeline
from course.timeline import WAITING


class TestRaceTimeline:
    def test_unlocked_deposits_are_lost_and_recorded(self):
        """Deposits go missing, and each thread has a lane of waits between read and write."""
        run = race_timeline(threads=4, times=20)
        assert run.expected == 80 and 0 < run.lost < 80 and run.balance == 80 - run.lost
        assert run.timeline.lane_names == [f"depositor {i}" for i in range(1, 5)]
        assert {seg.kind for seg in run.timeline.segments()} == {WAITING}
        assert run.timeline.max_at_once(WAITING) >= 2

    def test_leaves_no_thread_running(self):
        """Every thread it starts has ended when it returns."""
        before = set(threading.enumerate())
        race_timeline(threads=2, times=3)
        assert set(threading.enumerate()) <= before

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"threads": 0}, ValueError, "threads must be >= 1 (got 0)"),
        ({"times": 1.5}, TypeError, "times must be an int (got float)"),
    ])
    def test_rejects_bad_arguments(self, kwargs, error, message):
        """Bad arguments fail at the door."""
        with pytest.raises(error) as excinfo:
            race_timeline(**kwargs)
        assert str(excinfo.value) == message


class TestCappedJobs:
    def test_never_more_than_the_limit(self):
        """Jobs recorded as waits, at most limit at once and exactly limit at some moment."""
        timeline = capped_jobs(limit=2, workers=5, jobs_each=2, job_s=0.01)
        assert len(timeline.segments()) == 10
        assert timeline.max_at_once(WAITING) == 2
        assert timeline.lane_names == [f"worker {i}" for i in range(1, 6)]

    def test_a_limit_of_one_serializes(self):
        """A semaphore of 1 is a lock: one job at a time."""
        timeline = capped_jobs(limit=1, workers=3, jobs_each=1, job_s=0.005)
        assert timeline.max_at_once(WAITING) == 1

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"limit": 0}, ValueError, "limit must be between 1 and 8 (got 0)"),
        ({"workers": 13}, ValueError, "workers must be between 1 and 12 (got 13)"),
        ({"jobs_each": 0}, ValueError, "jobs_each must be >= 1 (got 0)"),
        ({"job_s": 0}, ValueError, "job_s must be > 0 (got 0)"),
        ({"limit": "3"}, TypeError, "limit must be an int (got str)"),
    ])
    def test_rejects_bad_arguments(self, kwargs, error, message):
        """Bad arguments fail at the door with the rule and the value."""
        with pytest.raises(error) as excinfo:
            capped_jobs(**kwargs)
        assert str(excinfo.value) == message
