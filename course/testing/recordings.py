"""Checks on a timeline a student recorded with ``course.Recorder`` around their own code.

The test records the same calls a second way (a :class:`~course.testing.JobTracker` wrapped
around the job), then checks that the student's timeline has, on the lane of the thread that
made each call, a span of the right kind around it. Both recorders read the same clock
(``time.perf_counter_ns``), so "around" is exact, not a tolerance.
"""

from __future__ import annotations

from .._validate import check_choice
from ..timeline import RUNNING, WAIT, WAITING, WORK, Timeline
from .messages import plural, short

__all__ = ["assert_timeline", "assert_records_calls", "assert_each_job_recorded"]

# Raw kinds a recorder stores, by the words a test may use for them.
_RAW = {WAIT: WAIT, WAITING: WAIT, WORK: WORK, RUNNING: WORK}
_ANY_KIND_HINT = ("wrap each call of a job, and nothing else, in `with rec.span(...)`, inside the "
                  "thread that runs the job.")
_RECORD_HINT = ("inside the function each thread runs, put the call in a "
                '`with rec.span("{kind}"):` block of one Recorder created before the threads '
                "start, and return rec.timeline() after joining them.")


def assert_timeline(value, what: str = "the function") -> Timeline:
    """Check that *value* is a Timeline (what ``Recorder.timeline()`` returns); return it.

    Raises:
        AssertionError: it is something else (the message shows what came back).
    """
    if not isinstance(value, Timeline):
        raise AssertionError(
            f"{what} should return a course Timeline (what rec.timeline() returns), "
            f"got {short(value)}.\nHint: create rec = course.Recorder() first, and end with "
            "return rec.timeline().")
    return value


def assert_records_calls(recorded, calls: Timeline, kind: str | None = WAIT,
                         hint: str | None = None) -> int:
    """Check that *recorded* has a span of *kind* around every call that *calls* shows.

    A call made in thread T from ``a`` to ``b`` is covered by a span of *kind* on T's lane of
    *recorded* that starts at or before ``a`` and ends at or after ``b``.

    Args:
        recorded: the timeline the student's code returned.
        calls: the calls as they happened (a JobTracker's timeline).
        kind: the span kind expected around each call: "wait" or "work" (None: any kind).

    Returns:
        The number of calls covered (all of them).

    Raises:
        AssertionError: *recorded* is not a Timeline, or a call has no such span around it.
        ValueError: unknown *kind*.
    """
    if kind is not None:
        check_choice("kind", kind, tuple(_RAW))
    raw = _RAW.get(kind)
    recorded = assert_timeline(recorded)
    spans = _spans_by_thread(recorded)
    made = [(lane, start, end) for lane in calls.lanes for start, end, _ in lane["spans"]]
    for lane, start, end in sorted(made, key=lambda call: call[1]):
        mine = spans.get((lane["pid"], lane["tid"]), [])
        if not any(s <= start and end <= e and raw in (None, k) for s, e, k in mine):
            raise AssertionError(_uncovered(recorded, lane, start, end, mine, raw, hint))
    return len(made)


def _spans_by_thread(timeline: Timeline) -> dict[tuple[int, int], list[tuple[int, int, str]]]:
    found: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for lane in timeline.lanes:
        found.setdefault((lane["pid"], lane["tid"]), []).extend(
            (s, e, _RAW.get(k, k)) for s, e, k in lane["spans"])
    return found


def _uncovered(recorded: Timeline, lane: dict, start: int, end: int, mine: list, raw: str,
               hint: str | None) -> str:
    t0 = recorded.start_ns
    where = f"{(start - t0) / 1e9:.3f}-{(end - t0) / 1e9:.3f} s"
    threads = {(other["pid"], other["tid"]) for other in recorded.lanes}
    if not mine and (lane["pid"], lane["tid"]) in threads:
        found = ("that thread's lane holds no span yet: was the timeline taken before the "
                 "threads were joined?")
    elif not mine:
        seen = ", ".join(repr(name) for name in recorded.lane_names) or "none"
        found = (f"your timeline has no lane for that thread (its lanes: {seen}): the span was "
                 "recorded in another thread, or not at all.")
    else:
        shown = "; ".join(f"{k} {(s - t0) / 1e9:.3f}-{(e - t0) / 1e9:.3f} s"
                          for s, e, k in mine[:4])
        around = "a span" if raw is None else f"a {raw!r} span"
        found = f"that thread's lane holds {plural(len(mine), 'span')} ({shown}), none of them "\
                f"{around} around the call."
    hint = hint or (_ANY_KIND_HINT if raw is None else _RECORD_HINT.format(kind=raw))
    return (f"the job called in thread {lane['name']!r} ran at {where} (from the timeline's "
            f"start), but {found}\nHint: {hint}")


def assert_each_job_recorded(tracked: Timeline, yours, hint: str | None = None) -> int:
    """Check that *yours* holds exactly one span per job of *tracked*, around it, on its thread.

    Exactly one: a chart with a span per job is what lets a test count jobs in progress from it.

    Returns:
        The number of jobs.

    Raises:
        AssertionError: *yours* is not a Timeline, holds another number of spans, or a job has
            no span of yours around it on its thread.
    """
    yours = assert_timeline(yours, "your recording")
    jobs, spans = len(tracked.segments()), len(yours.segments())
    if spans != jobs:
        raise AssertionError(
            f"expected one span per job in your recorder ({plural(jobs, 'job')} ran), but it "
            f"holds {plural(spans, 'span')}.\nHint: {hint or _ANY_KIND_HINT}")
    return assert_records_calls(yours, tracked, kind=None, hint=hint)
