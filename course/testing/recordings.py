"""Check a student's own recording against what really ran: one span per job, in its thread.

An exercise may ask students to record their code with ``course.Recorder`` and read the chart.
The test then wraps each job with a :class:`~course.testing.JobTracker` of its own and checks
that the student's timeline holds exactly one span per job, on the thread that ran it, and
covering it: a timeline that shows what happened, not what was meant to.
"""

from __future__ import annotations

from ..timeline import Segment, Timeline
from .messages import plural

__all__ = ["assert_each_job_recorded"]

_HINT = ("wrap each call of a job, and nothing else, in `with rec.span(...)`, inside the thread "
         "that runs the job.")


def assert_each_job_recorded(tracked: Timeline, yours: Timeline, hint: str | None = None) -> int:
    """Check that *yours* holds one span per job of *tracked*, covering it, on the same thread.

    Args:
        tracked: the jobs as they ran (a JobTracker's timeline: one span per call).
        yours: the student's Recorder timeline.

    Returns:
        The number of jobs.

    Raises:
        AssertionError: a different number of spans, or a job no span of yours covers.
        TypeError: an argument is not a Timeline.
    """
    for name, value in (("tracked", tracked), ("yours", yours)):
        if not isinstance(value, Timeline):
            raise TypeError(f"{name} must be a Timeline (got {type(value).__name__})")
    jobs, spans = tracked.segments(), yours.segments()
    hint = hint or _HINT
    if len(spans) != len(jobs):
        raise AssertionError(
            f"expected one span per job in your recorder ({plural(len(jobs), 'job')} ran), but "
            f"it holds {plural(len(spans), 'span')}.\nHint: {hint}")
    for number, job in enumerate(sorted(jobs, key=lambda s: s.start_ns), start=1):
        if not any(_covers(span, job) for span in spans):
            raise AssertionError(
                f"job {number} ran in thread {job.lane!r} from {_at(tracked, job.start_ns)} to "
                f"{_at(tracked, job.end_ns)}, but no span of yours on that thread covers it.\n"
                f"Hint: {hint}")
    return len(jobs)


def _covers(span: Segment, job: Segment) -> bool:
    return ((span.pid, span.tid) == (job.pid, job.tid)
            and span.start_ns <= job.start_ns and job.end_ns <= span.end_ns)


def _at(timeline: Timeline, t_ns: int) -> str:
    return f"{(t_ns - timeline.start_ns) / 1e9:.3f} s"
