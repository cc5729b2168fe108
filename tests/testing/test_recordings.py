"""Tests for course.testing.recordings: checking a timeline a student recorded."""

import threading
import time

import pytest

from course import Recorder, testing
from course.timeline import Timeline

WAIT_S = 5


def recorded_and_calls(record_in_thread=True, kind="wait", spans=True):
    """Run 3 jobs in threads, the student's way; return (their timeline, the calls' timeline)."""
    rec, tracker = Recorder(), testing.JobTracker()
    job = tracker.wrap(lambda: None)

    def run():
        if spans and record_in_thread:
            with rec.span(kind):
                job()
        else:
            job()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        if spans and not record_in_thread:
            with rec.span(kind):
                thread.start()
        else:
            thread.start()
    for thread in threads:
        thread.join(WAIT_S)
    return rec.timeline(), tracker.timeline()


class TestAssertRecordsCalls:
    def test_spans_around_every_call_pass(self):
        """A span of the right kind around each call, on its thread's lane, passes."""
        recorded, calls = recorded_and_calls()
        assert testing.assert_records_calls(recorded, calls, kind="wait") == 3

    def test_spans_recorded_in_the_caller_fail(self):
        """Spans around thread.start() land on the caller's lane: the message says so."""
        recorded, calls = recorded_and_calls(record_in_thread=False)
        with pytest.raises(AssertionError, match="your timeline has no lane for that thread"):
            testing.assert_records_calls(recorded, calls)

    def test_a_timeline_taken_too_early_is_named(self):
        """Lanes without spans yet (taken before the joins) get their own message."""
        rec, tracker = Recorder(), testing.JobTracker()
        job, go = tracker.wrap(lambda: None), threading.Event()

        def run():
            with rec.span("wait"):
                go.wait(WAIT_S)
                job()

        thread = threading.Thread(target=run)
        thread.start()
        while not rec.timeline().lanes:  # the lane appears when the span begins
            time.sleep(0.001)
        early = rec.timeline()
        go.set()
        thread.join(WAIT_S)
        with pytest.raises(AssertionError, match="holds no span yet: was the timeline taken"):
            testing.assert_records_calls(early, tracker.timeline())

    def test_wrong_kind_fails(self):
        """Work spans where wait spans were asked for are named in the message."""
        recorded, calls = recorded_and_calls(kind="work")
        with pytest.raises(AssertionError, match=r"none of them a 'wait' span around the call"):
            testing.assert_records_calls(recorded, calls, kind="waiting")

    def test_not_a_timeline(self):
        """Something other than a Timeline is named, with how to get one."""
        _, calls = recorded_and_calls()
        with pytest.raises(AssertionError, match=r"should return a course Timeline .* got None"):
            testing.assert_records_calls(None, calls)

    def test_bad_kind(self):
        """Unknown kinds are refused."""
        with pytest.raises(ValueError, match="kind must be one of"):
            testing.assert_records_calls(Timeline.from_segments([]), Timeline.from_segments([]),
                                         kind="sleep")


def test_assert_timeline_returns_its_argument():
    """A Timeline passes through unchanged."""
    timeline = Timeline.from_segments([("a", 0, 1)])
    assert testing.assert_timeline(timeline) is timeline


def run_jobs(jobs, record):
    """Run each job in its own thread, recording with *record(job)*; wait for all."""
    threads = [threading.Thread(target=record, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def tracked_jobs(n):
    tracker = testing.JobTracker()
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
        assert testing.assert_each_job_recorded(tracker.timeline(), rec.timeline()) == 4

    def test_nothing_recorded_fails(self):
        """An empty recorder fails, counting the jobs and the spans."""
        tracker, jobs = tracked_jobs(3)
        run_jobs(jobs, lambda job: job())
        with pytest.raises(AssertionError) as excinfo:
            testing.assert_each_job_recorded(tracker.timeline(), Recorder().timeline())
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
            testing.assert_each_job_recorded(tracker.timeline(), rec.timeline())
        assert "your timeline has no lane for that thread" in str(excinfo.value)

    def test_rejects_what_is_not_a_timeline(self):
        """Both arguments must be timelines."""
        with pytest.raises(AssertionError, match="your recording should return a course Timeline"):
            testing.assert_each_job_recorded(testing.JobTracker().timeline(), [])
