"""Who printed what: one per-thread capture of standard output for graded tests.

``sys.stdout`` is swapped for a writer that files every line under the thread that wrote it
(``print`` looks stdout up on each call, in any thread and in a Jupyter kernel), then restored.
"""

from __future__ import annotations

import io
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from .._validate import check_callable, check_seconds, name_of
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

    def __init__(self, before: set, echo) -> None:
        self._before = before
        self._echo = echo
        self._lock = threading.Lock()  # protects _partial, _threads and lines
        self._partial: dict[threading.Thread, str] = {}
        self._threads: dict[threading.Thread, ThreadInfo] = {}  # keeps threads alive: no id reuse
        self.caller: threading.Thread | None = None
        self.lines: list[PrintedLine] = []

    def write(self, text: str) -> int:
        thread = threading.current_thread()
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
                    **kwargs) -> Capture:
    """Call *fn* under a time limit, recording every line printed and the thread printing it.

    ``sys.stdout`` is swapped for a thread-aware writer during the call (``print`` looks it up
    each time, in any thread and in a Jupyter kernel) and restored afterwards. Right after *fn*
    returns, the threads it started that are still alive are noted in ``capture.leftover``:
    a function that forgets to join returns while its threads still run.

    Args:
        fn: the function to call, with *args* and *kwargs*.
        timeout: seconds *fn* may take (> 0).
        echo: also pass the output on to the real stdout.

    Returns:
        A :class:`Capture`.

    Raises:
        AssertionError: *fn* did not finish within *timeout*. Its own exceptions pass unchanged.
        TypeError, ValueError: bad arguments.
    """
    check_callable("fn", fn)
    check_seconds("timeout", timeout)
    before = set(threading.enumerate())
    original = sys.stdout
    writer = _ThreadAwareWriter(before, original if echo else None)

    def call():
        writer.caller = threading.current_thread()
        value = fn(*args, **kwargs)
        alive = [t.name for t in threading.enumerate()
                 if t not in before and t is not writer.caller and t.is_alive()]
        return value, alive

    call.__qualname__ = name_of(fn)  # names the worker thread "checked <fn>"
    sys.stdout = writer
    try:
        value, leftover = finishes_within(call, timeout)
    finally:
        sys.stdout = original
        writer.close_lines()
    return Capture(value, list(writer.lines), writer.info(writer.caller), leftover)
