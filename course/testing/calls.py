"""Stand-ins for the jobs and handlers graded tests pass to a student's function.

``napping_job(value)`` sleeps a little and returns *value*; ``failing_job()`` sleeps and raises;
``echo_job()`` is a handler that returns its item. :class:`Meeting` makes the first *k* calls
wait for one another, so a test knows *k* calls really were in progress at once (a correct
answer reaches that on any machine; one that runs the calls one at a time never does).
"""

from __future__ import annotations

import functools
import threading
from time import sleep as _sleep  # bound at import: a patched time.sleep changes nothing here
from typing import Any, Callable

from .._validate import check_callable, check_int, check_seconds

__all__ = ["napping_job", "failing_job", "echo_job", "Meeting"]


def napping_job(value: Any = None, seconds: float = 0.02) -> Callable[[], Any]:
    """Return a job that sleeps *seconds* (a stand-in for I/O), then returns *value*."""
    check_seconds("seconds", seconds, allow_zero=True)

    def job():
        _sleep(seconds)
        return value
    job.__name__ = job.__qualname__ = f"napping_job({value!r})"
    return job


def failing_job(seconds: float = 0.02, message: str = "this job fails on purpose"
                ) -> Callable[[], Any]:
    """Return a job that sleeps *seconds*, then raises ``RuntimeError(message)``."""
    check_seconds("seconds", seconds, allow_zero=True)

    def job():
        _sleep(seconds)
        raise RuntimeError(message)
    job.__name__ = job.__qualname__ = "failing_job"
    return job


def echo_job(seconds: float = 0.002) -> Callable[[Any], Any]:
    """Return a handler that sleeps *seconds* (a little I/O per item), then returns its item."""
    check_seconds("seconds", seconds, allow_zero=True)

    def handle(item):
        _sleep(seconds)
        return item
    handle.__name__ = handle.__qualname__ = "echo_job"
    return handle


class Meeting:
    """The first *k* calls of wrapped functions wait until *k* calls are in progress at once.

    Later calls run straight away. If *k* calls never meet (the caller runs them one at a
    time), the first waits until *timeout* and every call after it goes on at once: the test
    then sees the calls never overlapped, and says so.

    Args:
        k: calls that must meet (>= 1).
        timeout: seconds the meeting waits, once, in all.
    """

    def __init__(self, k: int, timeout: float = 2.0) -> None:
        check_int("k", k, 1)
        check_seconds("timeout", timeout)
        self.k = k
        self._barrier = threading.Barrier(k, timeout=timeout)
        self._lock = threading.Lock()  # protects _seats
        self._seats = k  # calls that still wait at the barrier

    def wrap(self, fn: Callable) -> Callable:
        """Return *fn* wrapped so that its call takes part in the meeting.

        Raises:
            TypeError: *fn* is not callable.
        """
        check_callable("fn", fn)

        @functools.wraps(fn)
        def meeting(*args, **kwargs):
            self._meet()
            return fn(*args, **kwargs)
        return meeting

    def _meet(self) -> None:
        with self._lock:
            if self._seats == 0:
                return
            self._seats -= 1
        try:
            self._barrier.wait()
        except threading.BrokenBarrierError:
            pass  # they did not meet in time: go on, the test reports what it saw
