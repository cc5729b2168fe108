"""The finding a chart's title states, with its numbers, and the note on a busy machine."""

from __future__ import annotations

import os

from ..timeline import STARTUP, WAITING, Metrics, Timeline
from .checks import _checked_timeline

# A share of the run with >=2 lanes running (or waiting) that counts as "at the same time".
PARALLEL_SHARE = 0.10
# Processes below this share of >=2 running on a loaded machine get the "busy" note.
BUSY_SHARE = 0.5
# CPU-bound lanes of one process get about one core on a quiet machine; well under means load.
BUSY_CPU = 0.8


def describe(timeline) -> str:
    """State what a timeline shows, with its numbers: the finding a chart title carries.

    Args:
        timeline: a Timeline (or a Result of ``course.run``).

    Returns:
        One line such as "4 threads took turns: at most 1 running at a time, CPU/wall 0.99",
        "4 processes ran in parallel: >=2 running 91% of the time, CPU/wall 1.95",
        "4 threads overlapped their waits: >=2 waiting 98% of the time, wall 0.21 s, CPU/wall
        0.16" or "4 tasks ran one after another: wall 0.40 s, CPU/wall 0.99".

    Raises:
        TypeError: *timeline* is not a Timeline.
        ValueError: the timeline is empty.
    """
    timeline = _checked_timeline(timeline)
    return _finding(timeline, timeline.metrics())


def _finding(timeline: Timeline, m: Metrics) -> str:
    who = _who(timeline, m.lanes)
    cpu = f"CPU/wall {m.cpu_over_wall:.2f}"
    if m.lanes == 1:
        return f"{who} ran alone: wall {_duration(m.wall_s)}, {cpu}"
    if _one_after_another(timeline):
        return f"{who} ran one after another: wall {_duration(m.wall_s)}, {cpu}"
    if m.share_2_running >= PARALLEL_SHARE:
        share = _percent(m.share_2_running)
        return f"{who} ran in parallel: >=2 running {share} of the time, {cpu}"
    waits = timeline.share_at_least(2, WAITING)
    if waits >= PARALLEL_SHARE:
        return (f"{who} overlapped their waits: >=2 waiting {_percent(waits)} of the time, "
                f"wall {_duration(m.wall_s)}, {cpu}")
    if m.max_running <= 1:
        return f"{who} took turns: at most 1 running at a time, {cpu}"
    return f"{who} took turns: >=2 running only {_percent(m.share_2_running)} of the time, {cpu}"


def busy_note(timeline, load: float | None = None) -> str:
    """Say so when a busy machine, not the code, held the lanes back.

    Args:
        timeline: a Timeline (or a Result) recorded on this machine.
        load: the 1-minute load average (default: ``os.getloadavg()[0]`` where available).

    Returns:
        "" on a machine with a core per runnable task; else a note such as "note: the machine
        was busy (load 3.1 on 2 cores), so the processes could not each get a core" when
        processes barely overlapped, or "... so the work also waited for a core (CPU/wall
        0.48)" when CPU-bound lanes of one process got well under one core.
    """
    timeline = _checked_timeline(timeline)
    return _busy(timeline, timeline.metrics(), load)


def _busy(timeline: Timeline, m: Metrics, load: float | None) -> str:
    if load is None:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    busy = f"note: the machine was busy (load {load:.1f} on {m.cores} cores)"
    if load < m.cores:
        return ""
    if m.processes >= 2 and m.share_2_running < BUSY_SHARE:
        return f"{busy}, so the processes could not each get a core"
    if m.processes == 1 and not timeline.profile(WAITING) and m.cpu_over_wall < BUSY_CPU:
        return f"{busy}, so the work also waited for a core (CPU/wall {m.cpu_over_wall:.2f})"
    return ""


def _who(timeline: Timeline, lanes: int) -> str:
    """Name the lanes by what they were: processes, threads, tasks of one thread, or lanes."""
    pids = {lane.get("pid", 0) for lane in timeline.lanes}
    threads = {(lane.get("pid", 0), lane.get("tid", 0)) for lane in timeline.lanes}
    if threads == {(0, 0)}:
        noun = "lane"  # built from segments: nothing is known about who ran them
    elif len(pids) > 1:
        noun = "process"
    elif len(threads) > 1:
        noun = "thread"  # of this Python or of another one (run by course.interpreters)
    elif lanes == 1:
        noun = "thread" if pids == {os.getpid()} else "process"
    else:
        noun = "task"  # several lanes recorded by one thread, one after another
    plural = {"process": "processes", "thread": "threads", "task": "tasks", "lane": "lanes"}
    return f"{lanes} {noun if lanes == 1 else plural[noun]}"


def _one_after_another(timeline: Timeline) -> bool:
    """True when no two lanes were ever active (running, ready or waiting) at the same time."""
    spans: dict[tuple, list[int]] = {}
    for seg in timeline.segments():
        if seg.kind != STARTUP:
            span = spans.setdefault((seg.lane, seg.pid, seg.tid), [seg.start_ns, seg.end_ns])
            span[0], span[1] = min(span[0], seg.start_ns), max(span[1], seg.end_ns)
    ordered = sorted(spans.values())
    return all(later[0] >= earlier[1] for earlier, later in zip(ordered, ordered[1:]))


def _percent(share: float) -> str:
    return "<1%" if 0 < share < 0.005 else f"{share:.0%}"


def _duration(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 0.1 else f"{seconds:.2f} s"
