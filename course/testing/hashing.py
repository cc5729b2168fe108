"""A stand-in digest for graded tests of hashing in a pool: it records every call on a timeline
and holds calls back so that the order of results and the overlap of calls are decided by the
code under test, never by how threads happen to be scheduled."""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Sequence

from ..timeline import RUNNING, Timeline
from .jobs import JobTracker

__all__ = ["HashTracker"]


class HashTracker:
    """Use in place of a digest function: returns the SHA-256 hex digest of each blob.

    Each call is recorded as one span on the calling thread's lane (a
    :class:`~course.testing.JobTracker`), so ``tracker.timeline()`` shows which threads hashed
    and when. With two or more blobs, two holds make the record deterministic:

    - the call for the first blob holds on until every other call has finished, then a little
      longer, so with two or more threads the first blob finishes *last*, every time, and a
      function returning results in completion order gets them out of order;
    - every other call holds on until the first blob's call has begun, so a thread that grabs
      the later blobs cannot finish them all before the first one starts (free-threaded builds
      do this often). With two or more threads, two calls are therefore always seen at once.

    With one thread a hold waits in vain, which is recorded. All holds share one deadline,
    *hold_s* seconds after the first call, so a sequential function loses at most that long.

    Args:
        blobs: the blobs the tests will hash (the first one is held back).
        hold_s: seconds all holds may take together.
        settle_s: how much longer the first blob waits once the others are done.
    """

    def __init__(self, blobs: Sequence[bytes], hold_s: float = 3.0,
                 settle_s: float = 0.3) -> None:
        self._index = {bytes(blob): i for i, blob in enumerate(blobs)}
        self._hold = len(blobs) >= 2
        self.hold_s, self.settle_s = hold_s, settle_s
        self._jobs = JobTracker(kind=RUNNING)
        self._call = self._jobs.wrap(self._held_digest)
        self._cond = threading.Condition()  # protects every attribute below
        self._deadline: float | None = None
        self._started: list[int] = []  # blob indexes, in the order their calls began
        self._finished = 0
        self.held_in_vain = False

    def __call__(self, blob: bytes) -> str:
        return self._call(blob)

    @property
    def calls(self) -> int:
        """How many calls began."""
        with self._cond:
            return len(self._started)

    def timeline(self) -> Timeline:
        """Every call so far as one span on the lane of the thread that made it."""
        return self._jobs.timeline()

    def _held_digest(self, blob: bytes) -> str:
        index = self._index.get(bytes(blob), -1)
        with self._cond:
            if self._deadline is None:
                self._deadline = time.monotonic() + self.hold_s
            self._started.append(index)
            self._cond.notify_all()
            if self._hold and index == 0:
                others = len(self._index) - 1
                self._hold_until(lambda: self._finished >= others)
            elif self._hold:
                self._hold_until(lambda: 0 in self._started)
            settle = index == 0 and self._hold and not self.held_in_vain
        if settle:
            # as_completed yields futures that are already done in no particular order (often
            # input order), so finish clearly after the caller has started waiting.
            time.sleep(self.settle_s)
        try:
            return hashlib.sha256(blob).hexdigest()
        finally:
            with self._cond:
                if index != 0:
                    self._finished += 1
                self._cond.notify_all()

    def _hold_until(self, condition) -> None:
        """Wait (holding ``_cond``) for *condition* until the shared deadline; note a vain wait."""
        if not self._cond.wait_for(condition, timeout=max(0.0, self._deadline - time.monotonic())):
            self.held_in_vain = True
