"""Who printed what: one per-thread capture of standard output for graded tests.

``sys.stdout`` is swapped for a writer that files every line under the thread that wrote it
(``print`` looks stdout up on each call, in any thread and in a Jupyter kernel), then restored.
With a *hold*, each new thread is held at its first line until the function returns: threads
a function forgot to join are then certainly alive when it returns, and threads started
together are certainly alive together, so tests decide with events, never with a stopwatch.
"""

from __future__ import annotations

import io
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from .._validate import check_callable, check_non_negative, check_seconds, name_of
from .bounds import finishes_within

__all__ = ["ThreadInfo", "PrintedLine", "Capture", "run_and_capture"]


@dataclass(frozen=True)
class ThreadInfo:
    """A thread seen during :func:`run_and_capture`, numbered in order of first output."""

    number: int
    name: str
    ident: int | None
    native_id: int | None
    caller: bool = False  # the thread that called the function
    new: bool = False  # started while the function ran (not alive before the call)


@dataclass(frozen=True)
class PrintedLine:
    """One line of output (without its newline) and the thread that printed it."""

    text: str
    thread: ThreadInfo


@dataclass
class Capture:
    """What :func:`run_and_capture` saw: the value, every printed line and leftover threads."""

    value: Any
    lines: list[PrintedLine]
    caller: ThreadInfo
    leftover: list[str] = field(default_factory=list)
    together: int = 0  # most new printing threads (not the caller) alive at one first line

    @property
    def text(self) -> str:
        """All output, one line per printed line, in the order it was written."""
        return "\n".join(line.text for line in self.lines)

    def by_thread(self) -> dict[ThreadInfo, list[str]]:
        """The lines each thread printed, threads in order of their first line."""
        found: dict[ThreadInfo, list[str]] = {}
        for line in self.lines:
            found.setdefault(line.thread, []).append(line.text)
        return found

    def printers(self) -> list[ThreadInfo]:
        """Threads started by the function (not its caller) that printed something."""
        return [t for t in self.by_thread() if t.new and not t.caller]


class _ThreadAwareWriter:
    """Stands in for sys.stdout and files each line under the thread that wrote it."""

    encoding = "utf-8"

    def __init__(self, before: set, echo, hold: float = 0.0) -> None:
        self._before = before
        self._echo = echo
        self._hold = hold
        self._lock = threading.Lock()  # protects _partial, _threads, lines and together
        self._partial: dict[threading.Thread, str] = {}
        self._threads: dict[threading.Thread, ThreadInfo] = {}  # keeps threads alive: no id reuse
        self.caller: threading.Thread | None = None
        self.returned = threading.Event()  # set when the function returns: held threads go on
        self.lines: list[PrintedLine] = []
        self.together = 0

    def write(self, text: str) -> int:
        thread = threading.current_thread()
        if thread not in self._threads and thread is not self.caller:
            self._arrive(thread)
        with self._lock:
            pending = self._partial.pop(thread, "") + str(text)
            *complete, rest = pending.split("\n")
            for line in complete:
                self.lines.append(PrintedLine(line, self._info(thread)))
            if rest:
                self._partial[thread] = rest
        if self._echo is not None:
            self._echo.write(text)
        return len(text)

    def flush(self) -> None:
        if self._echo is not None:
            self._echo.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise io.UnsupportedOperation("captured output has no file descriptor")

    def writable(self) -> bool:
        return True

    def _arrive(self, thread: threading.Thread) -> None:
        """A thread's first write: count the new printers alive now, then hold it (if holding)."""
        with self._lock:
            if thread in self._threads:
                return
            self._info(thread)
            printers = [t for t, info in self._threads.items() if info.new and not info.caller]
            self.together = max(self.together, sum(t.is_alive() for t in printers))
        if self._hold and thread not in self._before:
            # Held here, a thread the function did not join is still alive when it returns.
            self.returned.wait(self._hold)

    def info(self, thread: threading.Thread) -> ThreadInfo:
        with self._lock:
            return self._info(thread)

    def close_lines(self) -> None:
        """File output that never got its newline."""
        with self._lock:
            for thread, rest in self._partial.items():
                self.lines.append(PrintedLine(rest, self._info(thread)))
            self._partial.clear()

    def _info(self, thread: threading.Thread) -> ThreadInfo:
        if thread not in self._threads:
            self._threads[thread] = ThreadInfo(
                len(self._threads) + 1, thread.name, thread.ident,
                getattr(thread, "native_id", None), caller=thread is self.caller,
                new=thread not in self._before)
        return self._threads[thread]


def run_and_capture(fn: Callable, /, *args, timeout: float = 5.0, echo: bool = False,
                    hold: float = 0.0, **kwargs) -> Capture:
    """Call *fn* under a time limit, recording every line printed and the thread printing it.

    ``sys.stdout`` is swapped for a thread-aware writer during the call (``print`` looks it up
    each time, in any thread and in a Jupyter kernel) and restored afterwards. Right after *fn*
    returns, the threads it started that are still alive are noted in ``capture.leftover``:
    a function that forgets to join returns while its threads still run.

    With *hold* > 0, every thread other than the caller is held at its first write until *fn*
    returns (or *hold* seconds pass), and ``capture.together`` counts the most of them alive
    at one first write: 2 for two threads started before either was joined, 1 for
    start-join-start-join. The threads *fn* left running are then given the rest of *timeout*
    to finish, so their lines are captured too. A correct function that joins its threads
    takes up to *hold* seconds longer.

    Args:
        fn: the function to call, with *args* and *kwargs*.
        timeout: seconds *fn* may take (> 0).
        echo: also pass the output on to the real stdout.
        hold: longest time a new printing thread is held at its first line (0: never).

    Returns:
        A :class:`Capture`.

    Raises:
        AssertionError: *fn* did not finish within *timeout*. Its own exceptions pass unchanged.
        TypeError, ValueError: bad arguments.
    """
    check_callable("fn", fn)
    check_seconds("timeout", timeout)
    check_non_negative("hold", hold)
    before = set(threading.enumerate())
    original = sys.stdout
    writer = _ThreadAwareWriter(before, original if echo else None, hold)

    def call():
        writer.caller = threading.current_thread()
        try:
            value = fn(*args, **kwargs)
            return value, _started_since(before, writer.caller)
        finally:
            writer.returned.set()

    call.__qualname__ = name_of(fn)  # names the worker thread "checked <fn>"
    deadline = time.monotonic() + timeout
    sys.stdout = writer
    try:
        value, leftover = finishes_within(call, timeout)
        if hold:
            for thread in leftover:
                thread.join(max(0.0, deadline - time.monotonic()))
    finally:
        sys.stdout = original
        writer.close_lines()
    return Capture(value, list(writer.lines), writer.info(writer.caller),
                   [t.name for t in leftover], writer.together)


def _started_since(before: set, caller: threading.Thread) -> list[threading.Thread]:
    return [t for t in threading.enumerate()
            if t not in before and t is not caller and t.is_alive()]
