"""Tests for course.testing.meetings: stand-ins whose calls meet, so tests see concurrency."""

import threading
import time

import pytest

from course import testing


def _run_in_threads(job, count, *args):
    threads = [threading.Thread(target=job, args=args) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads), "did not finish within 10 s: deadlock?"


class TestMeetingJob:
    def test_calls_at_once_meet(self):
        """Calls in threads started together meet, and their counts are kept."""
        job = testing.MeetingJob(3)
        _run_in_threads(job, 3)
        assert job.met and job.calls == 3 and job.threads == 3

    def test_calls_one_after_another_do_not_meet(self):
        """Sequential calls never meet: the first waits meet_s, then it is noted, not raised."""
        job = testing.MeetingJob(2, meet_s=0.05)
        job()
        job()
        assert not job.met and job.calls == 2 and job.threads == 1

    def test_too_few_calls_do_not_meet(self):
        """Fewer calls than expected are not a meeting."""
        job = testing.MeetingJob(3, meet_s=0.05)
        _run_in_threads(job, 2)
        assert not job.met and job.calls == 2

    def test_lower_bounds_hold(self):
        """Timed from start to join, the calls take at least their sleep plus CPU, and their CPU."""
        job = testing.MeetingJob(2, sleep_s=0.05, cpu_s=0.02)
        wall, cpu = time.perf_counter(), time.process_time()
        _run_in_threads(job, 2)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert job.least_wall_s == pytest.approx(0.07) and wall >= job.least_wall_s
        assert job.least_cpu_s == pytest.approx(0.04) and cpu >= job.least_cpu_s

    @pytest.mark.parametrize("kwargs, error, message", [
        ({"calls": 0}, ValueError, r"calls must be >= 1 \(got 0\)"),
        ({"calls": 2, "sleep_s": -1}, ValueError, r"sleep_s must be >= 0"),
        ({"calls": 2, "meet_s": 0}, ValueError, r"meet_s must be > 0 \(got 0\)"),
        ({"calls": "2"}, TypeError, r"calls must be an int \(got str\)"),
    ])
    def test_bad_arguments(self, kwargs, error, message):
        """Arguments are checked at the door."""
        with pytest.raises(error, match=message):
            testing.MeetingJob(**kwargs)


class TestMeetingFetch:
    def test_pages_fetched_at_once_meet(self):
        """Every page fetched at once: the meeting holds and each body names its page."""
        pages = ["a", "b", "c"]
        fetch = testing.MeetingFetch(pages)
        bodies = {}
        threads = [threading.Thread(target=lambda p=p: bodies.__setitem__(p, fetch(p)))
                   for p in pages]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert fetch.met and bodies == {p: fetch.body(p) for p in pages} == {
            "a": "<a>", "b": "<b>", "c": "<c>"}

    def test_one_after_another(self):
        """Pages fetched in turn return their bodies, and the missed meeting is noted."""
        fetch = testing.MeetingFetch(["a", "b"], meet_s=0.05)
        assert [fetch("a"), fetch("b")] == ["<a>", "<b>"] and not fetch.met
