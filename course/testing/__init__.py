"""What graded test cells use: time bounds, race probes, recording fixtures, output capture,
timeline assertions and the tamper seal. Students read every message these raise, so each says
what was expected, what came back and what to try; every wait is bounded.

    from course import testing
    testing.finishes_within(student_fn, 5, *args)       # "did not finish within 5 s: deadlock?"
    tracker = testing.JobTracker(); job = tracker.wrap(job)
    testing.assert_overlap(tracker.timeline(), at_least=3)
    testing.processes_end_within(student_fn, 10, *args)  # ... and no process left running
"""

from .bounds import finishes_within
from .calls import Meeting, echo_job, failing_job, napping_job
from .capture import Capture, PrintedLine, ThreadInfo, run_and_capture
from .events import CountingEvent, StopAfter
from .jobs import JobTracker
from .locks import ContendedLocks
from .messages import assert_equal
from .processes import WatchedContext, fresh_context, meet_in_lane, processes_end_within
from .races import RaceReport, assert_no_lost_updates, race_probe
from .raising import assert_raises
from .recordings import assert_each_job_recorded
from .seal import fingerprint, verify_fingerprint
from .threads import leftover_threads
from .timelines import (ANY, assert_at_most_at_once, assert_distinct_processes,
                        assert_distinct_threads, assert_overlap, assert_reached)

__all__ = [
    "finishes_within",
    "Meeting", "echo_job", "failing_job", "napping_job",
    "Capture", "PrintedLine", "ThreadInfo", "run_and_capture",
    "CountingEvent", "StopAfter",
    "JobTracker",
    "ContendedLocks",
    "assert_equal",
    "WatchedContext", "fresh_context", "meet_in_lane", "processes_end_within",
    "RaceReport", "assert_no_lost_updates", "race_probe",
    "assert_raises",
    "assert_each_job_recorded",
    "fingerprint", "verify_fingerprint",
    "leftover_threads",
    "ANY", "assert_at_most_at_once", "assert_distinct_processes", "assert_distinct_threads",
    "assert_overlap", "assert_reached",
]
