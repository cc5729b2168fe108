"""An Event that counts how often it is asked, and an action that sets an Event on call n.

A loop that blocks in ``stop.wait(interval)`` asks its event a few times per round; one that
spins on ``stop.is_set()`` asks thousands of times. Counting the questions tells them apart
without a stopwatch.
"""

from __future__ import annotations

import threading

from .._validate import check_int

__all__ = ["CountingEvent", "StopAfter"]


class CountingEvent(threading.Event):
    """A ``threading.Event`` that counts its ``is_set()`` and ``wait()`` calls in ``checks``."""

    def __init__(self) -> None:
        super().__init__()
        self._count_lock = threading.Lock()  # protects checks
        self.checks = 0

    def is_set(self) -> bool:
        self._counted()
        return super().is_set()

    def wait(self, timeout: float | None = None) -> bool:
        self._counted()
        return super().wait(timeout)

    def _counted(self) -> None:
        with self._count_lock:
            self.checks += 1


class StopAfter:
    """An action that counts its calls and sets *stop* on call number *n*.

    Args:
        stop: the Event to set.
        n: the call that sets it (>= 1).
    """

    def __init__(self, stop: threading.Event, n: int) -> None:
        check_int("n", n, 1)
        self.stop, self.n, self.calls = stop, n, 0

    def __call__(self) -> None:
        self.calls += 1
        if self.calls == self.n:
            self.stop.set()

    def __repr__(self) -> str:
        return f"StopAfter(n={self.n}, calls={self.calls})"
