"""Prose computed from lesson 5's measurements: every number in it was measured in the run.

Each function returns Markdown; the notebook shows it from a cell whose source is hidden.
What the text concludes adapts to what was measured: the cores, the load, whether this Python
has a GIL (from ``course.doctor``'s report), and the speedups the runs reached.
"""

from __future__ import annotations

import math
import threading

from ...doctor import Report
from ...timeline import RUNNING, WAITING, Timeline
from .measure import Usage

__all__ = ["overlap_note", "recording_note", "blocking_note", "semaphore_note", "io_note",
           "cpu_note", "choosing_table", "free_threading_note"]

# A way of running a job "helps" when it is at least this much faster than one after another.
HELPS = 1.2
# Ways within this factor of the fastest count as "as fast".
AS_FAST = 1.5
_ORDER = ("one after another", "asyncio", "threads", "thread pool", "processes")


def overlap_note(in_turn_s: float, together_s: float, waits_s: list[float]) -> str:
    """Compare awaiting coroutines one after another with running them as tasks together."""
    return (f"One after another took **{in_turn_s:.3f} s**, the sum of the waits "
            f"({sum(waits_s):.2f} s); as tasks they took **{together_s:.3f} s**, about the "
            f"longest single wait ({max(waits_s):.2f} s). The waits overlapped, and every line "
            f"above ran on one thread, `{threading.main_thread().name}`: the event loop started "
            "the next task whenever the current one reached an `await`.")


def recording_note(timeline: Timeline) -> str:
    """What a chart of tasks on one thread shows: who ran, who waited, on how many threads."""
    threads = {(lane["pid"], lane["tid"]) for lane in timeline.lanes}
    busy = sum(s.duration_ns for s in timeline.segments()) / 1e9
    return (f"{len(timeline.lanes)} lanes, **{len(threads)} thread"
            f"{'s' if len(threads) != 1 else ''}**. At most **{timeline.max_at_once(RUNNING)}** "
            f"task held the loop at any moment (blue), while up to "
            f"**{timeline.max_at_once(WAITING)}** waited at once (grey). The lanes add up to "
            f"{busy:.3f} s of work and waiting, done in {timeline.wall_ns / 1e9:.3f} s of wall "
            "time: the waits overlapped, the work took turns.")


def blocking_note(stalled_gap_ms: float, fixed_gap_ms: float, block_s: float,
                  heartbeat_s: float) -> str:
    """Compare the heartbeat's longest silence with and without the blocking call moved off."""
    return (f"The heartbeat should tick every {heartbeat_s * 1e3:.0f} ms. With `time.sleep` "
            f"inside the coroutine its longest silence was **{stalled_gap_ms:.0f} ms**, as long "
            f"as the blocking call ({block_s * 1e3:.0f} ms): no task ran while the loop's only "
            f"thread slept. With `asyncio.to_thread` it was **{fixed_gap_ms:.0f} ms**: the "
            "sleep ran in a worker thread, and the loop carried on.")


def semaphore_note(timeline: Timeline, limit: int, jobs: int, download_s: float) -> str:
    """What the semaphore did: the most downloads at once, and the time it cost."""
    peak = timeline.max_at_once(WAITING)
    full = timeline.share_at_least(limit, WAITING) if peak >= limit else 0.0
    rounds = math.ceil(jobs / limit)
    return (f"At most **{peak} downloads were in flight at once** (the limit is {limit}), and "
            f"all {limit} slots were busy for {full:.0%} of the run. {jobs} downloads of "
            f"{download_s * 1e3:.0f} ms took {timeline.wall_ns / 1e6:.0f} ms: about {rounds} "
            f"rounds of {download_s * 1e3:.0f} ms, against {jobs * download_s * 1e3:.0f} ms one "
            f"after another and {download_s * 1e3:.0f} ms with no limit at all.")


def io_note(runs: dict[str, Usage], requests: int, reply_s: float) -> str:
    """Compare the I/O-bound job's runs: wall time, threads, memory per waiter."""
    fastest = min(runs.values(), key=lambda u: u.wall_s)
    lines = [f"In turn, {requests} requests of {reply_s * 1e3:.0f} ms would take at least "
             f"{requests * reply_s:.0f} s. Measured here:", ""]
    lines += [f"- **{u.name}**: {_usage_words(u)}" for u in runs.values()]
    lines += ["", f"Fastest: **{fastest.name}**. {_memory_words(runs)}"]
    return "\n".join(lines)


def cpu_note(runs: dict[str, Usage], report: Report) -> str:
    """Compare the CPU-bound job's runs against one after another, for this machine's cores."""
    alone = _sequential(runs)
    lines = ["Measured here (speedup against one after another):", ""]
    for used in runs.values():
        speedup = alone.wall_s / used.wall_s if used is not alone else 1.0
        lines.append(f"- **{used.name}**: wall {used.wall_s:.3f} s, **{speedup:.2f}x**, "
                     f"{_workers_words(used)}")
    others = [u for u in runs.values() if u is not alone] or [alone]
    best = max(others, key=lambda u: alone.wall_s / u.wall_s)
    gain = alone.wall_s / best.wall_s
    cores = f"{report.cores} usable core{'s' if report.cores != 1 else ''}"
    if gain >= HELPS:
        verdict = f"With {cores}, the best was **{best.name}** at {gain:.2f}x."
    else:
        why = ("with one core no way of running Python code can" if report.cores == 1 else
               f"the machine was busy (load {report.load:.1f} on {cores}), so the workers "
               "could not each get a core" if report.busy else
               "the pieces may be too small to repay starting workers")
        verdict = (f"With {cores}, nothing beat one after another by {HELPS:.1f}x (the best "
                   f"was {best.name}, {gain:.2f}x): {why}.")
    return "\n".join(lines + ["", verdict])


def free_threading_note(report: Report, cpu_runs: dict[str, Usage]) -> str:
    """What the free-threaded build changes, said for the build this notebook runs on."""
    threads = cpu_runs.get("threads")
    alone = _sequential(cpu_runs)
    speedup = f"{alone.wall_s / threads.wall_s:.2f}x" if threads else "not measured"
    build = f"Python {report.python_version}"
    if not report.gil_enabled:
        return (f"This kernel is a free-threaded {build} with the GIL **off**: threads ran the "
                f"CPU-bound pieces at {speedup}, so threads are a choice for CPU-bound Python "
                "here, sharing memory and paying no pickling. asyncio does not change: one "
                "thread runs every task, with or without a GIL.")
    if report.free_threaded_build:
        return (f"This kernel is a free-threaded build ({build}) whose GIL is **on** (an "
                f"extension module, or `PYTHON_GIL=1`, turned it back on): threads ran the "
                f"CPU-bound pieces at {speedup}, as with a GIL.")
    return (f"This kernel ({build}, standard build) has a GIL: threads ran the CPU-bound pieces "
            f"at {speedup}, taking turns. On a free-threaded build (3.13t and later, GIL off) "
            "the threads row of the CPU-bound job is the one that changes: threads can then run "
            "Python on every core. Run this notebook on such a kernel to measure it. asyncio "
            "does not change: one thread runs every task, with or without a GIL.")


def choosing_table(io_runs: dict[str, Usage], cpu_runs: dict[str, Usage], report: Report,
                   io_in_turn_s: float | None = None) -> str:
    """The choosing table, built from this run's measurements, with the reason for each pick.

    Args:
        io_runs, cpu_runs: ``{way: Usage}`` of the I/O-bound and the CPU-bound job.
        report: ``course.doctor.report()``: the build and GIL the text speaks of.
        io_in_turn_s: the least the I/O-bound job takes one after another (not run: too long).
    """
    columns = _columns(io_runs, cpu_runs)
    in_turn = {"one after another": f">= {io_in_turn_s:.0f} s (not run)"} if io_in_turn_s else {}
    header = ["| job | " + " | ".join(columns) + " | choose |",
              "|---|" + "---|" * (len(columns) + 1)]
    rows = [_row("many waits (I/O-bound)", io_runs, columns, _pick_io(io_runs), in_turn),
            _row("pure-Python computing (CPU-bound)", cpu_runs, columns,
                 _pick_cpu(cpu_runs, report), {})]
    return "\n".join(header + rows + ["", free_threading_note(report, cpu_runs)])


# --- helpers ----------------------------------------------------------------------------------
def _sequential(runs: dict[str, Usage]) -> Usage:
    return runs.get("one after another") or max(runs.values(), key=lambda u: u.wall_s)


def _usage_words(used: Usage) -> str:
    parts = [f"wall {used.wall_s:.3f} s"]
    if used.threads_added is not None:
        parts.append(f"{used.threads_added} thread{'s' if used.threads_added != 1 else ''} "
                     "added")
    if used.kib_per_waiter is not None:
        parts.append(f"{used.kib_per_waiter:.1f} KiB per waiter")
    return ", ".join(parts)


def _workers_words(used: Usage) -> str:
    if used.workers is None:
        return "workers not noted"
    if used.processes and used.processes > 1:
        return f"{used.processes} processes did the work"
    return f"{used.workers} thread{'s' if used.workers != 1 else ''} did the work"


def _memory_words(runs: dict[str, Usage]) -> str:
    measured = {n: u.kib_per_waiter for n, u in runs.items() if u.kib_per_waiter is not None}
    if len(measured) < 2:
        return "Memory per waiter was not measured on this system."
    light, heavy = min(measured, key=measured.get), max(measured, key=measured.get)
    ratio = measured[heavy] / measured[light] if measured[light] > 0 else math.inf
    times = f"{ratio:.0f}x" if math.isfinite(ratio) else "far"
    return (f"Each waiter cost about {measured[light]:.1f} KiB with {light} and "
            f"{measured[heavy]:.1f} KiB with {heavy} ({times} more): a thread has a stack of "
            "its own, a task is a small object on the loop's one thread.")


def _columns(io_runs, cpu_runs) -> list[str]:
    names = list(dict.fromkeys([*cpu_runs, *io_runs]))
    return sorted(names, key=lambda n: (_ORDER.index(n) if n in _ORDER else len(_ORDER)))


def _row(job: str, runs: dict[str, Usage], columns: list[str], pick: str,
         instead: dict[str, str]) -> str:
    cells = [_cell(runs[name]) if name in runs else instead.get(name, "not run")
             for name in columns]
    return f"| {job} | " + " | ".join(cells) + f" | {pick} |"


def _cell(used: Usage) -> str:
    text = f"{used.wall_s:.2f} s"
    if used.threads_added is not None:
        text += f", +{used.threads_added} threads"
    if used.kib_per_waiter is not None:
        text += f", {used.kib_per_waiter:.1f} KiB/waiter"
    return text


def _pick_io(runs: dict[str, Usage]) -> str:
    fastest = min(u.wall_s for u in runs.values())
    quick = [u for u in runs.values() if u.wall_s <= AS_FAST * fastest]
    lightest = min(quick, key=lambda u: (u.threads_added or 0, u.kib_per_waiter or 0))
    others = [u.name for u in quick if u is not lightest]
    also = f"; {' and '.join(others)} about as fast, with more threads" if others else ""
    return f"**{lightest.name}**: among the fastest, with the fewest threads{also}"


def _pick_cpu(runs: dict[str, Usage], report: Report) -> str:
    alone = _sequential(runs)
    speedups = {n: alone.wall_s / u.wall_s for n, u in runs.items() if u is not alone}
    best = max(speedups, key=speedups.get, default=None)
    if best is None or speedups[best] < HELPS:
        return f"**none**: nothing beat one after another by {HELPS:.1f}x here"
    reason = {"processes": "one interpreter per core",
              "threads": "no GIL: threads use every core" if not report.gil_enabled
              else "faster here"}.get(best, "faster here")
    return f"**{best}** ({speedups[best]:.2f}x: {reason})"
