"""Lesson 3's domain objects: a counter, and a counter and accounts whose storage is slow.

Since CPython 3.10 the interpreter switches threads only after a call or on a backward jump,
so a bare ``self.value += 1`` (:class:`Counter`) almost never loses an update under the GIL.
Real code calls something between reading a value and writing it back: a log line, a
database. The slow storage here calls ``time.sleep(0)`` there, which lets another thread run:
a call makes a switch *possible*, and ``sleep(0)`` makes it very likely. Without a lock, 4
threads x 20 updates released together lost updates in every one of thousands of runs.
"""

from __future__ import annotations

import threading
from time import sleep as _sleep  # bound at import: a patched time.sleep cannot hide the race

__all__ = ["Counter", "SlowCounter", "Account"]


class Counter:
    """The classic demo: ``increment()`` is ``self.value += 1``, with no lock and no call."""

    def __init__(self, value: int = 0) -> None:
        self.value = value

    def increment(self) -> None:
        """Add one: read, add and write with no call in between. Not thread-safe."""
        self.value += 1


class SlowCounter:
    """A counter kept in slow storage: reading and writing each let other threads run.

    ``increment()`` reads, lets others run, then writes, with no lock: run it from several
    threads and updates get lost on every Python build. A thread-safe version holds one lock
    across the whole read-modify-write, e.g. ``with self.lock: super().increment()``.
    """

    def __init__(self, value: int = 0) -> None:
        self._value = value

    def read(self) -> int:
        """Return the stored number, then let other threads run."""
        value = self._value
        _sleep(0)  # releases the GIL: another thread may run before this one goes on
        return value

    def write(self, value: int) -> None:
        """Let other threads run, then store *value*."""
        _sleep(0)
        self._value = value

    def increment(self) -> None:
        """Add one: read, then write. Not thread-safe on purpose."""
        self.write(self.read() + 1)

    @property
    def value(self) -> int:
        """The stored number, read without pausing (for checking results)."""
        return self._value


class Account(SlowCounter):
    """A bank account whose balance sits in slow storage; each account carries its own lock.

    ``deposit`` and ``withdraw`` read, let others run and write, without taking ``lock``:
    guarding them is the job of the code that uses the account (for example a ``transfer``
    that takes both accounts' locks in one fixed order).
    """

    def __init__(self, balance: int = 0, name: str = "account") -> None:
        super().__init__(balance)
        self.name = name
        self.lock = threading.Lock()  # free for code that updates this account to take

    def deposit(self, amount: int) -> None:
        """Add *amount* to the balance (not thread-safe on its own)."""
        self.write(self.read() + amount)

    def withdraw(self, amount: int) -> None:
        """Take *amount* from the balance (not thread-safe on its own; may go below zero)."""
        self.write(self.read() - amount)

    @property
    def balance(self) -> int:
        """The balance, read without pausing (for checking results)."""
        return self._value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(balance={self._value!r}, name={self.name!r})"
