"""Lesson 1's prose computed from what this run measured.

Each function takes the numbers a cell measured and returns the paragraph that reads them,
as an IPython ``Markdown`` object: the notebook cell that shows it hides its source, so the
page reads as a lesson. No sentence states a number it did not measure.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from typing import Sequence

from ... import doctor
from ...start_methods import default_start_method
from ...timeline import Timeline
from .measure import THREAD

__all__ = ["machine", "child", "os_threads", "nap", "counting", "recorded", "orders",
           "start_costs", "io_sweep", "preview"]


def _md(text: str):
    from IPython.display import Markdown
    return Markdown(text)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 0.1 else f"{seconds * 1e3:.0f} ms"


def _report(report: doctor.Report | None) -> doctor.Report:
    return doctor.report() if report is None else report


def machine(report: doctor.Report | None = None):
    """What this machine offers, in a sentence, and whether timings will be steady."""
    r = _report(report)
    gil = "with" if r.gil_enabled else "without"
    steady = ("The machine is busy right now, so timings will be noisier than usual."
              if r.busy else "The machine is quiet, so timings should be steady.")
    return _md(f"You have **{r.cores} usable core(s)**, Python {r.python_version} {gil} a GIL "
               f"(a lock explained below), and new processes start with **{r.start_method}** "
               f"here. {steady}")


def child(parent_items: Sequence, child_items: Sequence, start_method: str | None = None):
    """The child's append landed in its own copy; how it got the copy depends on the method."""
    start_method = start_method or default_start_method()
    how = ("began as a copy of this process's whole memory, list included"
           if start_method == "fork" else
           "received a copy of the arguments, the list among them, sent to it through a pipe")
    return _md(
        f"The child's append landed in the child's own copy of the list ({len(child_items)} "
        f"items there); this process's list still has {len(parent_items)}. Processes share "
        "nothing unless you pass data on purpose, as the queue did. Here the child was started "
        f"with **{start_method}**, this platform's default *start method*, so it {how}. "
        "Lesson 4 compares the start methods.")


def os_threads(os_count: int | None, python_count: int):
    """How many threads the OS lists against how many Python knows."""
    if os_count is None:
        return _md("This system has no `/proc`, so the OS's own list is not available here.")
    others = os_count - python_count
    if others <= 0:
        return _md(f"The OS lists **{os_count}** thread(s), and Python knows every one of them.")
    return _md(
        f"The OS lists **{os_count} threads** in this process; Python knows {python_count} of "
        f"them. The other {others} were started by C libraries (in a notebook, among others "
        "the ones carrying its messages): the OS runs them, but `threading` never hears of them.")


def nap(log: Sequence[tuple[float, str]]):
    """When the main thread said hello against when the sleeper woke up."""
    said = dict((message, ms) for ms, message in reversed(log))
    hello, awake = said.get("Hello, world!"), said.get("awake")
    if hello is None or awake is None:
        return _md("Run the cell above first: it records when each line was said.")
    return _md(
        f"The main thread said hello at {hello:.1f} ms, **{awake - hello:.1f} ms before** the "
        "sleeper woke up: `start()` returns at once and the main thread carries on, while the "
        "new thread runs on its own. `join()` is where the main thread waited for it.")


def counting(one_after_other_s: float, together_s: float):
    """Two counts one after the other against two counts in two threads."""
    return _md(
        f"One count after the other took **{_ms(one_after_other_s)}**; two counts in two "
        f"threads took **{_ms(together_s)}**, {together_s / one_after_other_s:.0%} of that. "
        "While a thread sleeps it needs no CPU, so the other thread's sleeps happen at the "
        "same time.")


def recorded(timeline: Timeline):
    """Each lane's first start to last end, and how the last two lanes overlapped."""
    extents = _extents(timeline)
    if len(extents) < 4:
        return _md("Run the recording cell above first.")
    alone = " and ".join(f"{_ms(end - start)}" for start, end in list(extents.values())[:2])
    pair = list(extents.values())[2:]
    both = (max(e for _, e in pair) - min(s for s, _ in pair))
    overlap = max(0.0, min(e for _, e in pair) - max(s for s, _ in pair))
    return _md(
        f"Alone, the counts took {alone}. Together, the two took {_ms(both)} from the first "
        f"start to the last end, and were both waiting for {_ms(overlap)} of it. The chart "
        "shows it without a stopwatch: the same bars, stacked instead of side by side.")


def _extents(timeline: Timeline) -> dict[str, tuple[float, float]]:
    found: dict[str, tuple[float, float]] = {}
    for seg in timeline.segments():
        start, end = found.get(seg.lane, (seg.start_ns, seg.end_ns))
        found[seg.lane] = (min(start, seg.start_ns), max(end, seg.end_ns))
    return {lane: (s / 1e9, e / 1e9) for lane, (s, e) in found.items()}


def orders(plain: Sequence[str], paused: Sequence[str], print_s: float,
           report: doctor.Report | None = None):
    """How many printed orders each setting gave, and why printing alone may look fixed."""
    r = _report(report)
    first, second = Counter(plain), Counter(paused)
    interval = sys.getswitchinterval()
    why = (f"Five prints took {print_s * 1e6:.0f} µs here, "
           + ("far less than" if print_s < interval / 10 else "not far from")
           + f" the switch interval of {interval * 1e3:g} ms")
    gil = (", so without a blocking call the first thread often finishes before the second "
           "even starts: the output *looks* fixed, but nothing promises it. A busier machine, "
           "a longer loop or a Python without a GIL changes it."
           if r.gil_enabled else
           ". This Python has no GIL, so both threads can print at the same instant: even "
           "without a blocking call, the order changes from run to run.")
    return _md(
        f"Printing alone gave **{len(first)} distinct order{'s' * (len(first) != 1)}** in "
        f"{len(plain)} runs, most often `{first.most_common(1)[0][0]}`. With a `sleep(0)` after "
        f"each print, **{len(second)} distinct order{'s' * (len(second) != 1)}** appeared in "
        f"{len(paused)} runs. {why}{gil}")


def start_costs(costs: dict[str, Sequence[float]]):
    """What a thread and a process cost to start here, and the factor between them."""
    medians = {kind: statistics.median(v) for kind, v in costs.items()}
    thread = medians.get(THREAD)
    processes = {k: s for k, s in medians.items() if k != THREAD}
    if thread is None or not processes:
        return _md("Run the measurement above first.")
    kind, process = max(processes.items(), key=lambda item: item[1])
    return _md(
        f"On this machine a thread started and finished in **{thread * 1e3:.3f} ms**, and a "
        f"{kind} in **{process * 1e3:.1f} ms**: the price of {process / thread:,.0f} thread "
        "starts. A new process needs its own memory and its own interpreter state, and the "
        "operating system must set up both. For short jobs, start-up can cost more than the job "
        "itself. (Lesson 4 measures the other start methods.)")


def io_sweep(sweep: Sequence[tuple[int, float]], report: doctor.Report | None = None):
    """The speedup the most threads gave, and what kept it from the ideal."""
    r = _report(report)
    walls = dict(sweep)
    most = max(walls)
    gap = ("under the GIL those parts take turns, they cannot overlap" if r.gil_enabled
           else "without a GIL they may overlap, but only on as many cores as you have")
    return _md(
        f"{most} threads were {walls[1] / walls[most]:.1f}x faster than 1 "
        f"({walls[1] * 1e3:.0f} ms down to {walls[most] * 1e3:.0f} ms). The gap to the dashed "
        f"line is the computing part of each job and the work of starting each thread: {gap}. "
        "Lesson 2 measures that turn-taking.")


def preview(threads_s: float, processes_s: float, alone_s: float, cpu_threads, cpu_processes,
            report: doctor.Report | None = None):
    """Threads against processes for computing: the timings, the charts' numbers, the load."""
    r = _report(report)
    t, p = cpu_threads.metrics, cpu_processes.metrics
    parallel = p.share_2_running >= 0.5
    threads = ("With the GIL, the threads took turns running Python code" if r.gil_enabled
               else "This Python has no GIL, so threads can compute in parallel too")
    processes = ("Each process has its own interpreter, and here each got a core of its own"
                 if parallel else
                 f"This time the processes took turns as well: with {p.cores} core(s) and a load "
                 f"of {r.load or 0.0:.1f}, the OS often had no free core for the second one. "
                 "Rerun these cells on a quiet machine to see them side by side")
    return _md(
        f"One countdown took {_ms(alone_s)}. Two took {threads_s / alone_s:.1f} times as long "
        f"in two threads ({_ms(threads_s)}) and {processes_s / alone_s:.1f} times as long in two "
        f"processes ({_ms(processes_s)}), starting them included. In the charts, both threads "
        f"ran at once **{t.share_2_running:.0%}** of the time (CPU/wall {t.cpu_over_wall:.2f}); "
        f"both processes **{p.share_2_running:.0%}** of the time (CPU/wall "
        f"{p.cpu_over_wall:.2f}). {threads}. {processes}. Threads for waiting, processes for "
        "computing: lessons 2 and 4 measure why.")
