"""Threads a student's function left running after it returned."""

from __future__ import annotations

import threading
import time

from .._validate import check_seconds

__all__ = ["leftover_threads"]


def leftover_threads(before: set, grace: float = 1.0) -> list[str]:
    """Names of threads started since *before* that are still alive after *grace* seconds.

    Args:
        before: ``set(threading.enumerate())`` taken before the student's call.
        grace: seconds, shared by all of them, that the new threads get to end.
    """
    check_seconds("grace", grace)
    deadline = time.monotonic() + grace
    new = [t for t in threading.enumerate() if t not in before]
    for thread in new:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [t.name for t in new if t.is_alive()]
