"""Lesson 1's explorer: a slider for the number of threads sharing waiting jobs.

ipywidgets loads on first use, so importing the lesson package stays quick.
"""

from __future__ import annotations

from ..._validate import check_int, check_seconds
from .measure import MAX_JOBS, io_jobs

__all__ = ["io_explorer"]


def io_explorer(jobs: int = 12, wait_ms: float = 40.0, threads: int = 4, max_threads: int = 12,
                baseline_s: float | None = None):
    """A slider for the number of threads: each move reruns the waiting jobs and redraws.

    The run on 1 thread is measured once, up front, as the baseline of the speedup, unless
    *baseline_s* already gives its wall time (say, from ``measure.io_sweep``).

    Args:
        jobs: how many waiting jobs each run shares out (1..64).
        wait_ms: milliseconds each job waits.
        threads: the slider's first position (1..max_threads).
        max_threads: the slider's right end (1..64).
        baseline_s: wall seconds of the same jobs on 1 thread, if already measured.

    Returns:
        A ``course.widgets.SliderChart``: display it, or call ``update(threads=n)``.

    Raises:
        TypeError, ValueError: bad arguments, as for ``measure.io_jobs``.
    """
    import ipywidgets

    from ...widgets import interactive_chart

    check_int("jobs", jobs, 1, MAX_JOBS)
    check_int("max_threads", max_threads, 1, MAX_JOBS)
    check_int("threads", threads, 1, max_threads)
    if baseline_s is not None:
        check_seconds("baseline_s", baseline_s)
    baseline = baseline_s or io_jobs(jobs, 1, wait_ms).wall_ns / 1e9
    slider = ipywidgets.IntSlider(value=threads, min=1, max=max_threads, description="threads",
                                  continuous_update=False)
    return interactive_chart(lambda threads: _io_chart(jobs, threads, wait_ms, baseline),
                             threads=slider)


def _io_chart(jobs: int, threads: int, wait_ms: float, baseline: float):
    from ...gantt import plot_gantt

    timeline = io_jobs(jobs, threads, wait_ms)
    wall = timeline.wall_ns / 1e9
    speedup = baseline / wall
    title = (f"{jobs} waiting jobs on {threads} thread{'s' * (threads > 1)}: "
             f"{speedup:.1f}x faster than on 1 thread (ideal {min(threads, jobs)}x)")
    text = (f"wall {wall * 1e3:.0f} ms on {threads} thread(s) vs {baseline * 1e3:.0f} ms on 1: "
            f"speedup {speedup:.2f}x")
    return plot_gantt(timeline, title=title), text
