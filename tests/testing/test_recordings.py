"""Tests for course.testing.recordings: a student's timeline shows each job, where it ran."""

import threading

import pytest

from course import Recorder
from course.testing import JobTracker, assert_each_job_recorded


def run_jobs(jobs, record):
    """Run each job in its own thread, recording with *record(job)*; wait for all."""
    threads = [threading.Thread(target=record, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def tracked_jobs(n):
    tracker = JobTracker()
    return tracker, [tracker.wrap(lambda: None) for _ in range(n)]


class TestAssertEachJobRecorded:
    def test_one_span_around_each_job_passes(self):
        """A span around each call, in the job's own thread, passes and counts the jobs."""
        tracker, jobs = tracked_jobs(4)
        rec = Recorder(classify=False)

        def record(job):
            with rec.span("wait"):
                job()

        run_jobs(jobs, record)
        assert assert_each_job_recorded(tracker.timeline(), rec.timeline()) == 4

    def test_nothing_recorded_fails(self):
        """An empty recorder fails, counting the jobs and the spans."""
        tracker, jobs = tracked_jobs(3)
        run_jobs(jobs, lambda job: job())
        with pytest.raises(AssertionError) as excinfo:
            assert_each_job_recorded(tracker.timeline(), Recorder().timeline())
        assert str(excinfo.value).startswith("expected one span per job in your recorder "
                                             "(3 jobs ran), but it holds 0 spans.\nHint: ")

    def test_spans_in_the_wrong_thread_fail(self):
        """Spans recorded by the calling thread do not cover jobs run in other threads."""
        tracker, jobs = tracked_jobs(2)
        rec = Recorder(classify=False)
        with rec.span("wait"):
            pass
        run_jobs(jobs, lambda job: job())
        with rec.span("wait"):
            pass
        with pytest.raises(AssertionError) as excinfo:
            assert_each_job_recorded(tracker.timeline(), rec.timeline())
        assert "but no span of yours on that thread covers it" in str(excinfo.value)

    def test_rejects_what_is_not_a_timeline(self):
        """Both arguments must be timelines."""
        with pytest.raises(TypeError, match="yours must be a Timeline"):
            assert_each_job_recorded(JobTracker().timeline(), [])
