"""Worker functions for the multiprocessing lesson, in a module every start method can import.

Under spawn and forkserver a worker process starts a fresh interpreter and *imports* the
function it must run, by module and name. A function defined in a notebook lives in
``__main__``, which the fresh interpreter does not have, so every function this lesson sends
to another process is defined here instead. Import it with ``import mp_work``.

The module is named ``mp_work`` rather than ``multiprocessing`` on purpose: a file called
``multiprocessing.py`` next to the notebook would hide the standard library module.
"""

from __future__ import annotations

import os
import time
from multiprocessing import shared_memory

__all__ = [
    "STOP", "square", "cube", "nap", "fail", "whoami", "append_item", "report",
    "slow_square", "is_prime", "count_primes_between", "add_to", "add_unlocked",
    "add_locked", "fill_slot", "remember", "double", "consume", "payload", "echo", "nbytes",
    "scale_shared",
]

# The poison pill: a consumer that takes STOP from its queue stops. None pickles to itself,
# so ``item is STOP`` holds in every process.
STOP = None
# How long add_to pauses between reading and writing the counter: long enough that another
# process reads the same old value whenever two run at once, on any machine.
PAUSE_S = 0.001


def square(x):
    """Return x * x."""
    return x * x


def cube(x):
    """Return x * x * x."""
    return x * x * x


def nap(seconds: float) -> float:
    """Sleep for *seconds*; returns them (a stand-in for a job that takes a while)."""
    time.sleep(seconds)
    return seconds


def fail(message: str) -> None:
    """Raise ValueError(message): a worker that crashes."""
    raise ValueError(message)


def whoami(label: str = "") -> tuple[str, int, int]:
    """Return ``(label, pid, parent pid)`` of the process running this call."""
    return label, os.getpid(), os.getppid()


def append_item(items: list, item) -> None:
    """Append *item* to *items*: in a child process, that is the child's own copy."""
    items.append(item)


def report(queue, label: str = "") -> None:
    """Put ``(label, pid, parent pid)`` on *queue*: how a child sends a result back."""
    queue.put(whoami(label))


def slow_square(x: int, step_s: float = 0.01):
    """Return x * x after sleeping (x % 5) * step_s seconds: jobs that finish out of order."""
    time.sleep((x % 5) * step_s)
    return x * x


def is_prime(n: int) -> bool:
    """True when *n* is a prime number (trial division: plain CPU-bound Python)."""
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    factor = 3
    while factor * factor <= n:
        if n % factor == 0:
            return False
        factor += 2
    return True


def count_primes_between(lo: int, hi: int) -> int:
    """Count the primes p with lo <= p < hi (hi itself is not counted)."""
    return sum(1 for n in range(lo, hi) if is_prime(n))


def add_to(counter, times: int, lock=None) -> None:
    """Add 1 to ``counter.value`` *times* times, each time inside ``with lock:``.

    Each update reads the value, pauses (as slow storage would), then writes value + 1. With
    the counter's own lock (``counter.get_lock()``) the processes take turns and nothing is
    lost; with ``lock=None`` two processes read the same value and one update is lost.

    Args:
        counter: a ``multiprocessing.Value``, shared with the other processes.
        times: how many updates this process makes.
        lock: the lock every process must hold while updating, or None for no lock.
    """
    for _ in range(times):
        if lock is None:
            _read_pause_write(counter)
        else:
            with lock:
                _read_pause_write(counter)


def _read_pause_write(counter) -> None:
    value = counter.value
    time.sleep(PAUSE_S)  # another process may read the same old value meanwhile
    counter.value = value + 1


def add_unlocked(counter, times: int) -> None:
    """Add 1 to a shared Value *times* times without its lock (updates get lost)."""
    add_to(counter, times, None)


def add_locked(counter, times: int) -> None:
    """Add 1 to a shared Value *times* times, holding its own lock for each update."""
    add_to(counter, times, counter.get_lock())


def fill_slot(numbers, index: int) -> None:
    """Store index * index at numbers[index] (each process writes its own slot: no lock)."""
    numbers[index] = index * index


def remember(mapping, key) -> None:
    """Store this process's pid under *key* in *mapping* (a Manager dict proxy)."""
    mapping[key] = os.getpid()


def double(x):
    """Return 2 * x: the work a pipeline's consumers do by default."""
    return 2 * x


def consume(tasks, results, work=double) -> None:
    """Take items from *tasks* until STOP; put ``work(item)`` on *results* for each one.

    Args:
        tasks: a multiprocessing Queue the producer fills, ending with one STOP per consumer.
        results: a multiprocessing Queue to put the results on.
        work: an importable function applied to each item.
    """
    while True:
        item = tasks.get()
        if item is STOP:
            return
        results.put(work(item))


def payload(x: int, size: int = 16 * 1024) -> bytes:
    """Return *size* bytes tagged with *x*: a result big enough to fill a pipe quickly."""
    tag = f"{x:08d}".encode()
    return tag + b"." * (size - len(tag))


def echo(conn) -> None:
    """Send back every message received on the Pipe end *conn* until it receives STOP."""
    try:
        while True:
            message = conn.recv()
            if message is STOP:
                return
            conn.send(message)
    finally:
        conn.close()


def nbytes(data) -> int:
    """Return len(data): a job whose cost is all in receiving its argument."""
    return len(data)


def scale_shared(name: str, length: int, factor: float) -> None:
    """Multiply, in place, the *length* float64 numbers in the shared memory block *name*.

    Only the block's name crosses the process boundary; the numbers stay where they are.
    """
    import numpy as np  # numpy comes with matplotlib; imported here to keep the module light

    block = shared_memory.SharedMemory(name=name)
    try:
        numbers = np.ndarray((length,), dtype=np.float64, buffer=block.buf)
        numbers *= factor
        del numbers  # release the view before closing the block
    finally:
        block.close()  # detach; the creator unlinks
