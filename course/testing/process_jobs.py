"""Recording jobs that run in other processes: a picklable stand-in that writes each call down.

:meth:`JobTracker.wrap_for_processes <course.testing.JobTracker.wrap_for_processes>` returns a
:class:`ProcessJob`. Wherever it runs (this process, a fork, spawn or forkserver worker, a pool,
an executor), each call records one span on a :class:`~course.timeline.Lane` named after its
process and writes the lane's export, with the call's arguments, to a file in the tracker's
folder. The tracker reads the files back into its one :class:`~course.timeline.Recorder`.
Files are used because every process can reach them, whatever the student passes back.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from typing import Callable

from .._validate import check_callable, check_int, check_seconds
from ..timeline import Lane

__all__ = ["Call", "ProcessJob", "CallFolder"]

_POLL_S = 0.005
_PREFIX = "call-"


@dataclass(frozen=True)
class Call:
    """One recorded call: the process that ran it, its arguments, and its span (ns)."""

    pid: int
    args: tuple
    start_ns: int
    end_ns: int


class ProcessJob:
    """A picklable stand-in for *fn* that records each call in a :class:`CallFolder`.

    It pickles by reference to this class plus *fn*, so it reaches spawn and forkserver
    workers whenever *fn* itself is importable.
    """

    def __init__(self, fn: Callable, directory: str, kind: str, first_waits_for: int = 0,
                 hold_s: float = 5.0) -> None:
        self.fn, self.directory, self.kind = fn, directory, kind
        self.first_waits_for, self.hold_s = first_waits_for, hold_s

    def __call__(self, *args, **kwargs):
        if self.first_waits_for and self._claim_first():
            self._wait_for_other_processes()
        lane = Lane(f"process {os.getpid()}", classify=False)
        try:
            with lane.span(self.kind):  # a call that fails still ran: its span counts
                return self.fn(*args, **kwargs)
        finally:
            self._write(lane.export(), args)

    def __repr__(self) -> str:
        return f"ProcessJob({getattr(self.fn, '__qualname__', self.fn)!r})"

    def _claim_first(self) -> bool:
        """True for exactly one call across all processes: the first to create the marker."""
        try:
            os.close(os.open(os.path.join(self.directory, "first"),
                             os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return True
        except FileExistsError:
            return False

    def _wait_for_other_processes(self) -> None:
        """Hold the first call until first_waits_for calls elsewhere have finished (or hold_s)."""
        deadline, mine = time.monotonic() + self.hold_s, f"{_PREFIX}{os.getpid()}-"
        while time.monotonic() < deadline:
            others = sum(1 for name in os.listdir(self.directory)
                         if name.startswith(_PREFIX) and not name.startswith(mine))
            if others >= self.first_waits_for:
                return
            time.sleep(_POLL_S)

    def _write(self, export: dict, args: tuple) -> None:
        name = f"{_PREFIX}{os.getpid()}-{time.perf_counter_ns()}-{uuid.uuid4().hex[:8]}"
        temporary = os.path.join(self.directory, f".{name}")
        with open(temporary, "wb") as handle:
            pickle.dump((export, _plain(args)), handle)
        os.replace(temporary, os.path.join(self.directory, name))  # readers never see half


def _plain(args: tuple) -> tuple:
    """The arguments if they pickle, else their reprs (a Queue or a lock only pickles to a
    child)."""
    try:
        pickle.dumps(args)
        return args
    except Exception:
        return tuple(repr(arg) for arg in args)


class CallFolder:
    """The temporary folder :class:`ProcessJob` calls write to, read back in start order."""

    def __init__(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="course-calls-")
        self._seen: set[str] = set()

    def job(self, fn: Callable, kind: str, first_waits_for: int = 0,
            hold_s: float = 5.0) -> ProcessJob:
        """A recording stand-in for *fn* (see :class:`ProcessJob`).

        Raises:
            TypeError, ValueError: *fn* is not callable, first_waits_for < 0 or hold_s not > 0.
        """
        check_callable("fn", fn)
        check_int("first_waits_for", first_waits_for, 0)
        check_seconds("hold_s", hold_s)
        return ProcessJob(fn, self.directory, kind, first_waits_for, hold_s)

    def new_records(self) -> list[tuple[dict, tuple]]:
        """``(lane export, args)`` of the calls recorded since the last time this was asked."""
        records = []
        names = os.listdir(self.directory) if os.path.isdir(self.directory) else []  # closed
        for name in sorted(names):
            if name.startswith(_PREFIX) and name not in self._seen:
                with open(os.path.join(self.directory, name), "rb") as handle:
                    records.append(pickle.load(handle))
                self._seen.add(name)
        return records

    def close(self) -> None:
        """Remove the folder."""
        shutil.rmtree(self.directory, ignore_errors=True)


def calls_of(records: list[tuple[dict, tuple]]) -> list[Call]:
    """One :class:`Call` per record, in the order the calls started."""
    calls = [Call(export["pid"], tuple(args), span[0], span[1])
             for export, args in records for span in export["spans"][:1]]
    return sorted(calls, key=lambda call: call.start_ns)
