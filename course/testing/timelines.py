"""Assertions on recorded timelines: the work ran in several threads or processes, overlapped,
reached k at once, or never exceeded a limit. Messages say what was seen and what to try.
"""

from __future__ import annotations

import os
import threading

from .._validate import check_choice, check_int, check_non_negative
from ..timeline import READY, RUNNING, SEGMENT_KINDS, STARTUP, WAITING, Timeline
from .messages import MAX_LISTED, jobs, plural, was
from .messages import names as listed

__all__ = ["ANY", "assert_distinct_processes", "assert_distinct_threads", "assert_overlap",
           "assert_reached", "assert_at_most_at_once"]

ANY = "any"
KINDS = SEGMENT_KINDS + (ANY,)
_KIND_WORDS = {RUNNING: "running", WAITING: "waiting", READY: "ready to run",
               STARTUP: "starting up", ANY: "active"}

_PROCESSES_HINT = "threads share one process: use multiprocessing (a Process per job, or a Pool)."
_THREADS_HINT = "start one threading.Thread per job, and start them all before joining any."
_OVERLAP_HINT = "start every job before you wait for any of them (start all, then join all)."
_REACHED_HINT = ("let the jobs run side by side: do not hold one lock, or join a thread, around "
                 "a whole job.")
_LIMIT_HINT = ("guard each job with a Semaphore({k}) (or a pool of {workers}), taken before the "
               "job starts and released when it ends.")

def assert_distinct_processes(timeline: Timeline, at_least: int = 2,
                              hint: str | None = None) -> int:
    """Check that the timeline's work ran in at least *at_least* different processes.

    Lanes without a pid (synthetic timelines) count by name.

    Returns:
        The number of distinct processes.

    Raises:
        AssertionError: fewer processes did the work.
        TypeError, ValueError: bad arguments.
    """
    _check_timeline(timeline)
    check_int("at_least", at_least, 1)
    groups = _group(timeline.lanes, lambda lane: lane["pid"] or lane["name"])
    if len(groups) < at_least:
        shown = "; ".join(f"pid {key}: {listed(names)}" if isinstance(key, int) else repr(key)
                          for key, names in groups.items())
        raise AssertionError(
            f"expected the work to run in at least {at_least} different processes, but the "
            f"timeline shows {len(groups)} ({shown or 'no work recorded'}).\n"
            f"Hint: {hint or _PROCESSES_HINT}")
    return len(groups)


def assert_distinct_threads(timeline: Timeline, at_least: int = 2, exclude_main: bool = True,
                            hint: str | None = None) -> int:
    """Check that the timeline's work ran in at least *at_least* different threads.

    Args:
        exclude_main: do not count the main thread of this process (the notebook's own).

    Returns:
        The number of distinct threads counted.

    Raises:
        AssertionError: fewer threads did the work.
        TypeError, ValueError: bad arguments.
    """
    _check_timeline(timeline)
    check_int("at_least", at_least, 1)
    main = (os.getpid(), threading.main_thread().native_id)
    lanes = [lane for lane in timeline.lanes
             if not (exclude_main and (lane["pid"], lane["tid"]) == main)]
    groups = _group(lanes, lambda lane: (lane["pid"], lane["tid"]) if lane["tid"] else lane["name"])
    if len(groups) < at_least:
        other = " other than the main thread" if exclude_main else ""
        raise AssertionError(
            f"expected the work to run in at least {at_least} different threads{other}, but the "
            f"timeline shows {len(groups)} ({listed(timeline.lane_names) or 'no work recorded'})."
            f"\nHint: {hint or _THREADS_HINT}")
    return len(groups)


def assert_overlap(timeline: Timeline, at_least: int = 2, kind: str = ANY, min_s: float = 0.0,
                   hint: str | None = None) -> float:
    """Check that at least *at_least* lanes were in *kind* at the same moment.

    Use ``kind="running"`` on a classified timeline to prove parallel computing: under the GIL,
    threads waiting for their turn ("ready") overlap the running one.

    Args:
        kind: "running", "waiting", "ready", "startup" or "any" (any segment at all).
        min_s: seconds the overlap must last in total (0: any overlap; touching spans
            do not overlap).

    Returns:
        Seconds during which at least *at_least* lanes were in *kind*.

    Raises:
        AssertionError: they never overlapped that much.
        TypeError, ValueError: bad arguments.
    """
    _check_timeline(timeline)
    check_int("at_least", at_least, 2)
    check_choice("kind", kind, KINDS)
    check_non_negative("min_s", min_s)
    steps = _steps(timeline, kind)
    overlap = sum(t1 - t0 for t0, t1, names in steps if len(names) >= at_least) / 1e9
    if overlap == 0 or overlap < min_s:
        word, peak = _KIND_WORDS[kind], max((len(n) for _, _, n in steps), default=0)
        lasted = f" (together for {overlap:.3f} s, needed {min_s:g} s)" if overlap else ""
        raise AssertionError(
            f"expected at least {jobs(at_least)} {word} at the same time, but at most {peak} "
            f"{was(peak)} {word} at once{lasted}.\n{_extents(timeline, steps)}\n"
            f"Hint: {hint or _OVERLAP_HINT}")
    return overlap


def assert_reached(timeline: Timeline, k: int, kind: str = ANY, hint: str | None = None) -> int:
    """Check that *k* lanes were in *kind* at once at some moment: the jobs were not serialized.

    Returns:
        The largest number of lanes in *kind* at once.

    Raises:
        AssertionError: fewer than *k* were ever in *kind* together.
        TypeError, ValueError: bad arguments.
    """
    _check_timeline(timeline)
    check_int("k", k, 1)
    check_choice("kind", kind, KINDS)
    steps = _steps(timeline, kind)
    peak = max((len(names) for _, _, names in steps), default=0)
    if peak < k:
        word = _KIND_WORDS[kind]
        serial = ": the jobs ran one at a time" if peak == 1 else ""
        raise AssertionError(
            f"expected {jobs(k)} {word} at once at some moment, but at most {peak} {was(peak)}"
            f"{serial}.\n{_extents(timeline, steps)}\n"
            f"Hint: {hint or _REACHED_HINT}")
    return peak


def assert_at_most_at_once(timeline: Timeline, k: int, kind: str = ANY,
                           hint: str | None = None) -> int:
    """Check that never more than *k* lanes were in *kind* at the same moment.

    Returns:
        The largest number of lanes in *kind* at once.

    Raises:
        AssertionError: more than *k* were in *kind* together (the message says when and which).
        TypeError, ValueError: bad arguments.
    """
    _check_timeline(timeline)
    check_int("k", k, 1)
    check_choice("kind", kind, KINDS)
    steps = _steps(timeline, kind)
    peak = max((len(names) for _, _, names in steps), default=0)
    over = next(((t0, names) for t0, _, names in steps if len(names) > k), None)
    if over is not None:
        t0, names = over
        word = _KIND_WORDS[kind]
        most = f" At the peak, {peak} were {word} together." if peak > len(names) else ""
        raise AssertionError(
            f"expected at most {jobs(k)} {word} at once, but {len(names)} were {word} together "
            f"at {(t0 - timeline.start_ns) / 1e9:.3f} s ({listed(names)}).{most}\n"
            f"Hint: {hint or _LIMIT_HINT.format(k=k, workers=plural(k, 'worker'))}")
    return peak


def _steps(timeline: Timeline, kind: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Sweep the segments into ``[(t0, t1, lanes in kind during t0..t1)]``."""
    events = sorted((t, edge, s.lane) for s in timeline.segments()
                    if (kind == ANY or s.kind == kind) and s.end_ns > s.start_ns
                    for t, edge in ((s.start_ns, 1), (s.end_ns, 0)))  # ends sort first
    active: dict[str, int] = {}
    steps: list[tuple[int, int, tuple[str, ...]]] = []
    for i, (t, edge, lane) in enumerate(events):
        active[lane] = active.get(lane, 0) + (1 if edge else -1)
        if i + 1 < len(events) and events[i + 1][0] > t:
            steps.append((t, events[i + 1][0], tuple(n for n, c in active.items() if c > 0)))
    return steps


def _extents(timeline: Timeline, steps) -> str:
    """Each lane's first start and last end in the swept kind: where the jobs sat in time."""
    spans: dict[str, list[int]] = {}
    for t0, t1, names in steps:
        for name in names:
            first_last = spans.setdefault(name, [t0, t1])
            first_last[1] = t1
    parts = [f"{name!r} {(a - timeline.start_ns) / 1e9:.3f}-{(b - timeline.start_ns) / 1e9:.3f} s"
             for name, (a, b) in list(spans.items())[:MAX_LISTED]]
    more = f", ... and {len(spans) - MAX_LISTED} more" if len(spans) > MAX_LISTED else ""
    return "Jobs seen: " + (", ".join(parts) + more if parts else "none")


def _group(lanes, key) -> dict:
    """Names of the lanes with recorded work, grouped by *key*."""
    groups: dict = {}
    for lane in lanes:
        if lane["spans"]:
            groups.setdefault(key(lane), []).append(lane["name"])
    return groups




def _check_timeline(timeline) -> None:
    if not isinstance(timeline, Timeline):
        raise TypeError(f"timeline must be a Timeline (got {type(timeline).__name__})")
