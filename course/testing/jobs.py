"""Recording when graded jobs run: a stand-in for the student's job that records each call.

``tracker.wrap(job)`` returns a function that calls *job* and records the call as one span on
the calling thread's lane of a :class:`~course.timeline.Recorder`, so tests prove from the
timeline (never from a stopwatch) that jobs ran in several threads, overlapped or kept a limit.
``tracker.wrap_for_processes(job)`` does the same for jobs sent to other processes: the lanes
recorded there join the same Recorder (see :mod:`course.testing.process_jobs`).
"""

from __future__ import annotations

import functools
from typing import Callable

from .._validate import check_callable
from ..timeline import RUNNING, WAIT, WAITING, WORK, Recorder, Timeline
from .process_jobs import Call, CallFolder, ProcessJob, calls_of

__all__ = ["JobTracker"]

# What a job mostly does -> the raw kind its span is recorded as.
_JOB_KINDS = {RUNNING: WORK, WAITING: WAIT, WORK: WORK, WAIT: WAIT}


class JobTracker:
    """Record when each job runs and in which thread, as a Timeline.

    A span covers the whole call, so *kind* says what the job mostly does: sleep- and
    I/O-bound jobs are "waiting", computing jobs "running". Spans are never split into
    "ready, not running": a job's span is the job.

    Args:
        kind: the default kind of the spans: "waiting" or "running" ("wait"/"work" also work).
    """

    def __init__(self, kind: str = WAITING) -> None:
        self.kind = _job_kind(kind)
        self._recorder = Recorder(classify=False)
        self.start_ns = self._recorder.start_ns
        self._folder: CallFolder | None = None  # made on the first wrap_for_processes()
        self._records: list[tuple[dict, tuple]] = []

    def wrap(self, fn: Callable, kind: str | None = None) -> Callable:
        """Return a function that calls *fn* and records the span of each call.

        Raises:
            TypeError, ValueError: *fn* is not callable or *kind* is unknown.
        """
        check_callable("fn", fn)
        kind = self.kind if kind is None else _job_kind(kind)
        recorder = self._recorder

        @functools.wraps(fn)
        def tracked(*args, **kwargs):
            with recorder.span(kind):  # a job that fails still ran: its span counts
                return fn(*args, **kwargs)
        return tracked

    def wrap_for_processes(self, fn: Callable, kind: str | None = None, *,
                           first_waits_for: int = 0, hold_s: float = 5.0) -> ProcessJob:
        """Return a picklable function that calls *fn* and records each call, in any process.

        Use the tracker in a ``with`` block (or call :meth:`close`): the calls are written to a
        temporary folder that every process can reach.

        Args:
            fn: an importable function (spawn and forkserver workers import it).
            kind: what the job mostly does (default: the tracker's kind).
            first_waits_for: make the first call, across all processes, wait until this many
                calls have finished in other processes: with 1, at least two processes do work
                whenever two can; with 2, the first item's result comes back after another's.
            hold_s: the longest the first call waits (then it runs anyway).

        Raises:
            TypeError, ValueError: bad *fn*, *kind*, *first_waits_for* or *hold_s*.
        """
        kind = self.kind if kind is None else _job_kind(kind)
        if self._folder is None:
            self._folder = CallFolder()
        return self._folder.job(fn, kind, first_waits_for, hold_s)

    def calls(self) -> list[Call]:
        """Every call recorded by :meth:`wrap_for_processes` jobs, in the order they started."""
        self._collect()
        return calls_of(self._records)

    def pids(self) -> list[int]:
        """The processes that ran :meth:`wrap_for_processes` jobs, in order of their first call."""
        return list(dict.fromkeys(call.pid for call in self.calls()))

    def close(self) -> None:
        """Remove the folder that jobs in other processes write to."""
        if self._folder is not None:
            self._folder.close()

    def __enter__(self) -> "JobTracker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _collect(self) -> None:
        if self._folder is not None:
            new = self._folder.new_records()
            self._records += new
            self._recorder.add([export for export, _ in new])

    @property
    def jobs(self) -> int:
        """How many job calls have finished and been recorded."""
        return sum(len(lane["spans"]) for lane in self.timeline().lanes)

    def timeline(self, label: str = "") -> Timeline:
        """Return the recorded jobs as a Timeline from the tracker's creation until now."""
        self._collect()
        return self._recorder.timeline(label)


def _job_kind(kind: str) -> str:
    if kind not in _JOB_KINDS:
        raise ValueError(f"kind must be one of {', '.join(_JOB_KINDS)} (got {kind!r})")
    return _JOB_KINDS[kind]
