"""The jobs lesson 5 runs in threads, in processes and on the event loop.

Worker processes started with spawn or forkserver import the function they run, by module and
name; a function defined in the notebook lives in ``__main__``, which they do not have. So the
CPU-bound job the lesson sends to a process pool is defined here. Import it with
``import jobs``.

The module is named ``jobs`` rather than ``asyncio`` on purpose: a file called ``asyncio.py``
next to the notebook would hide the standard library module.
"""

from __future__ import annotations

import os
import threading

__all__ = ["who", "crunch"]


def who() -> tuple[int, int]:
    """Return (process id, thread id) of the caller: who did a job."""
    return os.getpid(), threading.get_native_id()


def crunch(steps: int) -> tuple[int, int]:
    """Do *steps* turns of pure-Python arithmetic (CPU-bound: it never waits); return who() did it."""
    total = 0
    for i in range(steps):
        total += i * i % 7
    return who()
