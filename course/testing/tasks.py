"""Bounds for asyncio code in graded tests: every await has a time limit, nothing is left behind.

A test cell awaits a student's coroutine at the top level (the kernel runs an event loop, and
autograde runs cells the same way), always through :func:`await_within`, so a deadlock costs the
seconds of its bound and the message names the line each task is stuck on. Wrapped in
:func:`nothing_left_running`, the test also fails when the call returned while tasks it started
were still pending, or threads it started were still busy: the leftovers are cancelled, so the
next test starts clean.

    async with testing.nothing_left_running("fetch_all"):
        pages = await testing.await_within(fetch_all(urls, site.fetch), 5)

No await can interrupt code that holds the loop's thread (a coroutine spinning in
``while not done: pass``): the time limit's own callback never gets to run. A watchdog thread
notices, and raises :class:`LoopBlocked` inside that code, so the test fails in seconds and the
kernel lives (an interrupt there, as a cell time-out sends, stops the kernel's loop and kills it).
It only ever does so while the loop's thread is in the notebook's own code. A blocking C call
(``time.sleep`` in a coroutine) sees the exception only when it returns: tests keep the waits
they hand to students short.

The asyncio functions these checks rely on are taken when this module is imported, so a
submission that replaces ``asyncio.all_tasks`` cannot hide its tasks from them.
"""

from __future__ import annotations

import asyncio
import ctypes
import inspect
import os
import sys
import threading
import types
from typing import Any

from .._validate import check_seconds
from .bounds import _is_internal, _place
from .messages import MAX_LISTED, plural, short, was

__all__ = ["await_within", "nothing_left_running", "LoopBlocked"]

# Seconds a cancelled task gets to finish its cleanup before the check moves on.
CLEANUP_S = 1.0
# Seconds a thread that did its work gets to go back to idle (a pool worker) or end.
THREAD_GRACE_S = 3.0
_POLL_S = 0.005
# Seconds past the time limit the watchdog waits for a blocked loop before it steps in; then
# it looks again this often (the next spinning task may take the thread), at most this often.
BLOCKED_GRACE_S = 2.0
REPEAT_S = 0.2
MAX_INTERRUPTS = 50

_all_tasks = asyncio.all_tasks
_current_task = asyncio.current_task
_sleep = asyncio.sleep
_wait = asyncio.wait
_enumerate = threading.enumerate
_frames = getattr(sys, "_current_frames", dict)
_POOL_FILE = os.path.join("concurrent", "futures", "thread.py")
_SITE_DIRS = ("site-packages", "dist-packages")
# The course's own code (simulated pages, files) runs in students' tasks: it counts as theirs.
_COURSE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep

_STUCK_HINT = ("Hint: a task awaiting queue.join() waits for one task_done() per item put; a "
               "task awaiting get(), an Event or a Semaphore waits for another task to put, set "
               "or release it; gather() and a TaskGroup wait for every task they hold; a loop "
               "that never awaits anything holds the event loop forever.")
_BLOCKED_HINT = ("Hint: a coroutine must await to let other tasks run: wait with await "
                 "asyncio.sleep(...), an Event, a Queue or a Semaphore instead of a loop that "
                 "keeps checking, and run blocking calls with await asyncio.to_thread(...).")
_LEFT_HINT = ("Hint: await every task you create before returning; after task.cancel(), await "
              "the task (or asyncio.gather(*tasks, return_exceptions=True)) so it has really "
              "stopped and its cleanup has run; and await asyncio.to_thread(...) calls rather "
              "than leaving them behind.")


class LoopBlocked(BaseException):
    """Raised inside code that held the event loop's thread past a test's time limit.

    A BaseException, so ``except Exception`` in the student's code does not swallow it; asyncio
    stores it on the task it ends, as it does any error but KeyboardInterrupt and SystemExit.
    """


async def await_within(awaitable, seconds: float, what: str | None = None) -> Any:
    """Await *awaitable* (usually a call of the student's coroutine function) for at most *seconds*.

    It runs in the calling task, as a plain ``await`` would: the line after this one runs as
    soon as it returns, before the loop runs any other task, so a check made there sees exactly
    what the call left behind (a task it cancelled but did not await is still pending).

    Args:
        awaitable: a coroutine, task or future.
        seconds: the time limit, > 0.
        what: the name used in messages (default: the coroutine's name).

    Returns:
        What the awaitable returned. An exception it raised is re-raised unchanged, so students
        see their own error and traceback.

    Raises:
        AssertionError: *awaitable* is not awaitable (a function defined without ``async``),
            or it did not finish in time; then the message shows where the call and every task
            it started are stuck, it is cancelled, and so are those tasks. When the call held
            the loop's thread, the message says where.
        TypeError, ValueError: *seconds* is not a number > 0.
    """
    check_seconds("seconds", seconds)
    label = what or _label(awaitable)
    if not inspect.isawaitable(awaitable):
        raise AssertionError(
            f"expected {label} to give a coroutine to await, but it returned "
            f"{type(awaitable).__name__} {short(awaitable)}.\nHint: define the function with "
            "`async def`, so that calling it gives a coroutine the caller awaits.")
    here, before = _current_task(), _all_tasks()
    expired: dict[str, Any] = {}

    def expire() -> None:  # runs on the loop when time is up: note where everything waits
        started = [t for t in _all_tasks() - before if t is not here and not t.done()]
        message = _stuck_message(label, seconds, [here] + started)
        expired.update(started=started, message=expired.get("blocked", message))
        here.cancel()

    timer = asyncio.get_running_loop().call_later(seconds, expire)
    watchdog = _Watchdog(label, seconds, expired)
    try:
        return await awaitable
    except LoopBlocked:
        expired.setdefault("started", [t for t in _all_tasks() - before
                                       if t is not here and not t.done()])
    except asyncio.CancelledError:
        if "message" not in expired:
            raise  # cancelled by someone else: not ours to turn into a failure
        getattr(here, "uncancel", lambda: None)()  # 3.11+: this cancellation is handled
    finally:
        watchdog.stop()
        timer.cancel()
    await _cancel_all(expired["started"])
    raise AssertionError(expired.get("blocked") or expired["message"])


class _Watchdog:
    """A thread that raises LoopBlocked in student code holding the loop past the limit."""

    threads: set = set()  # the watchdogs running now: never a student's leftover thread

    def __init__(self, label: str, seconds: float, expired: dict) -> None:
        self.label, self.seconds, self.expired = label, seconds, expired
        self.loop_thread = threading.get_ident()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="await_within watchdog",
                                       daemon=True)
        self.threads.add(self.thread)
        self.thread.start()

    def stop(self) -> None:
        self.done.set()
        self.thread.join(CLEANUP_S)
        self.threads.discard(self.thread)

    def _watch(self) -> None:
        if self.done.wait(self.seconds + BLOCKED_GRACE_S) or not _CAN_INTERRUPT:
            return
        for _ in range(MAX_INTERRUPTS):
            if "message" in self.expired:
                return  # the loop ran the time limit's callback: it is not blocked
            frame = _frames().get(self.loop_thread)
            if frame is not None and _is_students(frame):
                self.expired.setdefault("blocked", self._message(frame))
                _raise_in(self.loop_thread, LoopBlocked)
            if self.done.wait(REPEAT_S):
                return

    def _message(self, frame: types.FrameType) -> str:
        return (f"{self.label} did not finish within {self.seconds:g} s: it held the event "
                f"loop's thread, so no other task (not even the time limit) could run. It was "
                f"stopped at {_place(frame)}\n{_BLOCKED_HINT}")


def _is_students(frame: types.FrameType) -> bool:
    """True when the innermost frame is the notebook's (or a test's) code, not a library's."""
    filename = frame.f_code.co_filename
    return not _is_internal(frame) and not any(part in filename for part in _SITE_DIRS)


_CAN_INTERRUPT = hasattr(ctypes, "pythonapi") and hasattr(ctypes.pythonapi,
                                                          "PyThreadState_SetAsyncExc")


def _raise_in(thread_id: int, error: type) -> None:
    """Raise *error* in the thread at its next Python instruction."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(error))


class nothing_left_running:
    """``async with``: fail when the body leaves a pending task or a busy thread behind.

    On entry it notes the event loop's tasks and the process's threads. On a clean exit it
    fails when a task started inside is still pending (checked at once: a task merely asked to
    cancel is still pending) or a thread started inside is still busy after a short grace (an
    idle worker of a thread pool, such as the one ``asyncio.to_thread`` uses, is not busy).
    Either way, leftover tasks are cancelled and awaited (for at most ``CLEANUP_S``) so later
    tests start clean; an error raised by the body passes through unchanged.

    Args:
        what: the name used in messages, e.g. the student's function.
        fail: False only cleans up: leftover tasks are cancelled without failing the test
            (for a test that checks something else, while another test checks leftovers).

    Raises:
        AssertionError: something was left running; the message lists it and where it is.
    """

    def __init__(self, what: str = "the call", *, fail: bool = True) -> None:
        self.what = str(what)
        self.fail = bool(fail)
        self._tasks: set = set()
        self._threads: set = set()

    async def __aenter__(self) -> "nothing_left_running":
        self._tasks = _all_tasks()
        self._threads = set(_enumerate())
        return self

    async def __aexit__(self, exc_type, exc, tb) -> bool:
        tasks = self._left_tasks()
        if exc_type is not None or not self.fail:
            await _cancel_all(tasks)
            return False
        lines = [f"  - {_task_line(t)}" for t in tasks[:MAX_LISTED]]
        await _cancel_all(tasks)
        threads = await self._busy_threads()
        frames = _frames()
        lines += [f"  - thread {t.name!r}: {_thread_where(frames.get(t.ident))}"
                  for t in threads[:MAX_LISTED]]
        if tasks or threads:
            left = [plural(len(tasks), "task")] if tasks else []
            left += [plural(len(threads), "thread")] if threads else []
            raise AssertionError(
                f"expected nothing left running after {self.what} returned, but "
                f"{' and '.join(left)} {was(len(tasks) + len(threads))} still running:\n"
                + "\n".join(lines) + f"\n{_LEFT_HINT}")
        return False

    def _left_tasks(self) -> list:
        current = _current_task()
        return [t for t in _all_tasks() - self._tasks
                if t is not current and not t.done() and _is_ours(t)]

    async def _busy_threads(self) -> list:
        """Threads started inside that are still busy after the grace period."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + THREAD_GRACE_S
        while True:
            busy = [t for t in _enumerate() if t not in self._threads and t.is_alive()
                    and t not in _Watchdog.threads and _busy(t)]
            if not busy or loop.time() >= deadline:
                return busy
            await _sleep(_POLL_S)


# --- helpers ------------------------------------------------------------------------------
def _label(awaitable) -> str:
    name = getattr(awaitable, "__name__", None)
    return f"{name}(...)" if name else "the awaited call"


async def _cancel_all(tasks: list) -> None:
    """Cancel the tasks and give them CLEANUP_S to run their finally blocks."""
    for task in tasks:
        task.cancel()
    if tasks:
        await _wait(set(tasks), timeout=CLEANUP_S)
    for task in tasks:  # retrieve their outcome, so asyncio logs nothing about them later
        if task.done() and not task.cancelled():
            task.exception()


def _stuck_message(label: str, seconds: float, tasks: list) -> str:
    lines = [f"{label} did not finish within {seconds:g} s: deadlock, or a wait that never ends?",
             "Where each task is stuck:"]
    lines += [f"  - {_task_line(task)}" for task in tasks[:MAX_LISTED]]
    if len(tasks) > MAX_LISTED:
        lines.append(f"  - ... and {len(tasks) - MAX_LISTED} more tasks")
    lines.append(_STUCK_HINT)
    return "\n".join(lines)


def _task_line(task: asyncio.Task) -> str:
    """'task 'Task-7' at line 4 of a notebook cell, in consumer(): item = await q.get()'."""
    stack = task.get_stack()
    ours = [frame for frame in stack if not _is_internal(frame)]
    where = _place(ours[-1] if ours else stack[-1]) if stack else "not started yet"
    text = f"task {task.get_name()!r} at {where}" if stack else f"task {task.get_name()!r}: {where}"
    cancelling = getattr(task, "cancelling", lambda: 0)()
    if cancelling:
        text += " (cancel() was called, but the task has not finished: await it)"
    return text


def _is_ours(task: asyncio.Task) -> bool:
    """A task of the notebook, the course or the standard library, not of the kernel itself."""
    code = getattr(task.get_coro(), "cr_code", None) or getattr(task.get_coro(), "gi_code", None)
    filename = code.co_filename if code is not None else ""
    return filename.startswith(_COURSE_DIR) or not any(part in filename for part in _SITE_DIRS)


def _busy(thread: threading.Thread) -> bool:
    """False for an idle thread-pool worker (waiting for work), True for any other thread."""
    frame = _frames().get(thread.ident)
    if frame is None:
        return False  # it ended while we looked
    pool_worker = running_item = False
    while frame is not None:
        code = frame.f_code
        if code.co_filename.endswith(_POOL_FILE):
            pool_worker |= code.co_name == "_worker"
            running_item |= code.co_name == "run"
        frame = frame.f_back
    return running_item or not pool_worker


def _thread_where(frame: types.FrameType | None) -> str:
    if frame is None:
        return "finished while the report was written"
    stack = []
    while frame is not None:
        stack.append(frame)
        frame = frame.f_back
    ours = [f for f in stack if not _is_internal(f)]
    return f"at {_place(ours[0] if ours else stack[0])}"
