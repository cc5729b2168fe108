"""What graded test cells use: time bounds, race probes, recording fixtures, stand-ins whose
calls meet (so a test sees whether calls ran at once), output capture, timeline assertions and
the tamper seal. Students read every message these raise, so each says
what was expected, what came back and what to try; every wait is bounded.

    from course import testing
    testing.finishes_within(student_fn, 5, *args)       # "did not finish within 5 s: deadlock?"
    tracker = testing.JobTracker(); job = tracker.wrap(job)
    testing.assert_overlap(tracker.timeline(), at_least=3)
    testing.processes_end_within(student_fn, 10, *args)  # ... and no process left running
    async with testing.nothing_left_running("fetch_all"):   # asyncio: no task left pending
        pages = await testing.await_within(fetch_all(urls), 5)
    job = testing.MeetingJob(calls=3, sleep_s=0.2); assert job.met   # after running 3 at once
"""

from .bounds import finishes_within
from .calls import Meeting, echo_job, failing_job, napping_job
from .capture import Capture, PrintedLine, ThreadInfo, run_and_capture
from .events import CountingEvent, StopAfter
from .hashing import HashTracker
from .jobs import CountingJob, JobTracker
from .locks import ContendedLocks
from .meetings import MeetingFetch, MeetingJob
from .messages import assert_equal
from .ordering import failing_in_order, finishing_in_reverse, meeting
from .processes import WatchedContext, fresh_context, meet_in_lane, processes_end_within
from .races import RaceReport, assert_no_lost_updates, race_probe
from .raising import assert_raises
from .recordings import assert_each_job_recorded, assert_records_calls, assert_timeline
from .seal import fingerprint, verify_fingerprint
from .tasks import await_within, nothing_left_running
from .threads import leftover_threads
from .timelines import (ANY, assert_at_most_at_once, assert_distinct_processes,
                        assert_distinct_threads, assert_overlap, assert_reached)

__all__ = [
    "finishes_within",
    "Meeting", "echo_job", "failing_job", "napping_job",
    "Capture", "PrintedLine", "ThreadInfo", "run_and_capture",
    "CountingEvent", "StopAfter",
    "CountingJob", "HashTracker", "JobTracker", "MeetingFetch", "MeetingJob",
    "ContendedLocks",
    "assert_equal",
    "failing_in_order", "finishing_in_reverse", "meeting",
    "WatchedContext", "fresh_context", "meet_in_lane", "processes_end_within",
    "RaceReport", "assert_no_lost_updates", "race_probe",
    "assert_raises",
    "assert_each_job_recorded", "assert_records_calls", "assert_timeline",
    "fingerprint", "verify_fingerprint",
    "await_within", "nothing_left_running",
    "leftover_threads",
    "ANY", "assert_at_most_at_once", "assert_distinct_processes", "assert_distinct_threads",
    "assert_overlap", "assert_reached",
]
