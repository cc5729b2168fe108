"""Locks that make contention certain, so a test of locking code decides the same way every run.

A check made before taking a lock (``if balance >= amount:`` outside ``with lock:``) or two locks
taken in opposite orders fail only when threads interleave at the wrong moment, which a fast
machine may never do. :class:`ContendedLocks` forces that moment: a thread that takes one of its
locks for the first time keeps it until every one of the expected threads holds one of them or
is blocked waiting for one. So every thread has made its unlocked check before any thread
changes the balance, and two threads taking two locks in opposite orders each hold their first
one when they ask for the second: a deadlock, every time. Correct code is only held up until
the other threads have arrived, never longer than a shared time limit.
"""

from __future__ import annotations

import threading
import time

from .._validate import check_int, check_seconds

__all__ = ["ContendedLocks"]

_RLOCK_TYPE = type(threading.RLock())


class ContendedLocks:
    """A family of locks whose first holders wait until *threads* threads have arrived.

    Args:
        threads: how many threads will take these locks (>= 1).
        timeout: seconds the first holders wait in all, shared by every wait: if fewer threads
            arrive (some never take a lock), everyone goes on once it has passed.

    Example::

        locks = testing.ContendedLocks(8)
        locks.install(account_a, account_b)      # replaces each account's .lock

    Raises:
        TypeError, ValueError: bad arguments.
    """

    def __init__(self, threads: int, timeout: float = 2.0) -> None:
        check_int("threads", threads, 1)
        check_seconds("timeout", timeout)
        self.threads = threads
        self.timeout = timeout
        self._state = threading.Condition()  # protects _holders, _blocked and _deadline
        self._holders: set[int] = set()  # threads that have held one of these locks
        self._blocked: dict[int, int] = {}  # thread -> acquires it is blocked in right now
        self._deadline: float | None = None

    def lock(self, reentrant: bool = False) -> "ContendedLock":
        """Return a new lock of this family (an RLock-like one with *reentrant*)."""
        return ContendedLock(self, threading.RLock() if reentrant else threading.Lock())

    def install(self, *objects, attribute: str = "lock") -> None:
        """Replace ``obj.lock`` of each object by a new lock of this family.

        The new lock is re-entrant when the one it replaces was an ``RLock``.

        Raises:
            AttributeError: an object has no such attribute.
        """
        for obj in objects:
            old = getattr(obj, attribute)
            setattr(obj, attribute, self.lock(reentrant=isinstance(old, _RLOCK_TYPE)))

    @property
    def arrived(self) -> int:
        """Threads that hold or have held one of these locks, or are blocked on one now."""
        with self._state:
            return self._arrived()

    def _arrived(self) -> int:
        return len(self._holders | self._blocked.keys())

    def _acquire(self, real, blocking: bool, timeout: float) -> bool:
        me = threading.get_ident()
        got = real.acquire(False)
        if not got and blocking:
            self._mark_blocked(me, +1)
            try:
                got = real.acquire(True, timeout)
            finally:
                self._mark_blocked(me, -1)
        if got:
            self._first_hold(me)
        return got

    def _mark_blocked(self, me: int, delta: int) -> None:
        with self._state:
            count = self._blocked.get(me, 0) + delta
            if count:
                self._blocked[me] = count
            else:
                self._blocked.pop(me, None)
            self._state.notify_all()

    def _first_hold(self, me: int) -> None:
        """Keep a thread's first lock until every expected thread has arrived (bounded)."""
        with self._state:
            if me in self._holders:
                return
            self._holders.add(me)
            self._state.notify_all()
            if self._deadline is None:
                self._deadline = time.monotonic() + self.timeout
            while self._arrived() < self.threads:
                left = self._deadline - time.monotonic()
                if left <= 0:
                    return
                self._state.wait(left)


class ContendedLock:
    """One lock of a :class:`ContendedLocks` family; used like ``threading.Lock``."""

    def __init__(self, family: ContendedLocks, real) -> None:
        self._family = family
        self._real = real

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """Take the lock, as ``threading.Lock.acquire``; returns True when taken."""
        return self._family._acquire(self._real, blocking, timeout)

    def release(self) -> None:
        """Release the lock, as ``threading.Lock.release``."""
        self._real.release()

    def locked(self) -> bool:
        """True while some thread holds the lock."""
        if hasattr(self._real, "locked"):
            return self._real.locked()
        return not repr(self._real).startswith("<unlocked")  # an RLock before 3.14

    __enter__ = acquire

    def __exit__(self, *exc) -> None:
        self._real.release()

    def __repr__(self) -> str:
        kind = "RLock" if isinstance(self._real, _RLOCK_TYPE) else "Lock"
        return f"<ContendedLock ({kind}) {'locked' if self.locked() else 'unlocked'}>"
