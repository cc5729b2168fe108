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

__all__ = ["assert_timeline", "assert_records_calls"]

# Raw kinds a recorder stores, by the words a test may use for them.
_RAW = {WAIT: WAIT, WAITING: WAIT, WORK: WORK, RUNNING: WORK}
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


def assert_records_calls(recorded, calls: Timeline, kind: str = WAIT,
                         hint: str | None = None) -> int:
    """Check that *recorded* has a span of *kind* around every call that *calls* shows.

    A call made in thread T from ``a`` to ``b`` is covered by a span of *kind* on T's lane of
    *recorded* that starts at or before ``a`` and ends at or after ``b``.

    Args:
        recorded: the timeline the student's code returned.
        calls: the calls as they happened (a JobTracker's timeline).
        kind: the span kind expected around each call: "wait" or "work".

    Returns:
        The number of calls covered (all of them).

    Raises:
        AssertionError: *recorded* is not a Timeline, or a call has no such span around it.
        ValueError: unknown *kind*.
    """
    check_choice("kind", kind, tuple(_RAW))
    raw = _RAW[kind]
    recorded = assert_timeline(recorded)
    spans = _spans_by_thread(recorded)
    made = [(lane, start, end) for lane in calls.lanes for start, end, _ in lane["spans"]]
    for lane, start, end in sorted(made, key=lambda call: call[1]):
        mine = spans.get((lane["pid"], lane["tid"]), [])
        if not any(s <= start and end <= e and k == raw for s, e, k in mine):
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
        found = f"that thread's lane holds {plural(len(mine), 'span')} ({shown}), none of them a "\
                f"{raw!r} span around the call."
    return (f"the job called in thread {lane['name']!r} ran at {where} (from the timeline's "
            f"start), but {found}\nHint: {hint or _RECORD_HINT.format(kind=raw)}")
