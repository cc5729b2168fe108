"""Time bounds for graded tests: student code runs in a daemon thread, every wait is bounded.

A deadlock costs the seconds of its bound, not the notebook: on expiry the report names where
each thread the call started is stuck, and the kernel carries on (stuck daemon threads stay
blocked; nothing else waits for them).
"""

from __future__ import annotations

import os
import sys
import threading
import types
import linecache
from typing import Any, Callable

from .._validate import check_callable, check_seconds, name_of

__all__ = ["finishes_within"]

MAX_LISTED = 8
# Frames in these directories are the standard library or this course: a stuck-thread report
# skips them to point at the student's own line.
_INTERNAL_DIRS = (os.path.dirname(threading.__file__) + os.sep,
                  os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep)


def finishes_within(fn: Callable, seconds: float, /, *args, **kwargs) -> Any:
    """Call ``fn(*args, **kwargs)`` in a daemon thread and wait at most *seconds* for it.

    Args:
        fn: the function to call (usually the student's).
        seconds: the time limit, > 0.
        *args, **kwargs: passed on to *fn*.

    Returns:
        Whatever *fn* returned. An exception *fn* raised is re-raised unchanged, so students
        see their own error and traceback.

    Raises:
        AssertionError: *fn* did not finish in time; the message shows where every thread the
            call started (and the calling thread) is stuck. Those threads are daemon threads:
            they stay blocked, but the kernel and the next cells carry on.
        TypeError, ValueError: *fn* is not callable, or *seconds* is not a number > 0.
    """
    check_callable("fn", fn)
    check_seconds("seconds", seconds)
    before = set(threading.enumerate())
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def call() -> None:
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error
        finally:
            done.set()

    worker = threading.Thread(target=call, name=f"checked {name_of(fn)}", daemon=True)
    worker.start()
    if not done.wait(seconds):
        raise AssertionError(_stuck_message(seconds, worker, before))
    if "error" in outcome:
        raise outcome.pop("error")
    return outcome["value"]


def _stuck_message(seconds: float, worker: threading.Thread, before: set) -> str:
    frames = getattr(sys, "_current_frames", dict)()
    stuck = [worker] + [t for t in threading.enumerate()
                        if t not in before and t is not worker and t.is_alive()]
    lines = [f"did not finish within {seconds:g} s: deadlock or endless loop?",
             "Where each thread is stuck:"]
    lines += [f"  - {_where(thread, frames.get(thread.ident))}" for thread in stuck[:MAX_LISTED]]
    if len(stuck) > MAX_LISTED:
        lines.append(f"  - ... and {len(stuck) - MAX_LISTED} more threads")
    lines.append("Hint: a thread waiting in acquire(), join(), wait() or get() is blocked by "
                 "another thread (take locks in one fixed order, join what you start); a thread "
                 "in a loop never reaches its end condition.")
    return "\n".join(lines)


def _where(thread: threading.Thread, frame: types.FrameType | None) -> str:
    if frame is None:
        return f"thread {thread.name!r}: finished while the report was written"
    stack = []
    while frame is not None:
        stack.append(frame)
        frame = frame.f_back
    at = next((i for i, f in enumerate(stack) if not _is_internal(f)), 0)
    text = f"thread {thread.name!r} at {_place(stack[at])}"
    if at > 0:  # name the library call the student's line is blocked in, e.g. Thread.join
        inner = stack[at - 1].f_code
        module = os.path.splitext(os.path.basename(inner.co_filename))[0]
        text += f" (waiting inside {module}.{getattr(inner, 'co_qualname', inner.co_name)})"
    return text


def _place(frame: types.FrameType) -> str:
    code = frame.f_code
    filename, lineno = code.co_filename, frame.f_lineno
    source = linecache.getline(filename, lineno, frame.f_globals).strip()
    # IPython compiles each cell to a file such as /tmp/ipykernel_123/456.py
    where = ("a notebook cell" if "ipykernel_" in filename or filename.startswith("<ipython")
             else os.path.basename(filename))
    name = getattr(code, "co_qualname", code.co_name)
    return f"line {lineno} of {where}, in {name}()" + (f": {source}" if source else "")


def _is_internal(frame: types.FrameType) -> bool:
    filename = frame.f_code.co_filename
    return (filename.startswith(_INTERNAL_DIRS) and "site-packages" not in filename
            and "dist-packages" not in filename)
