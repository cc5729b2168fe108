"""Worker functions for the multiprocessing lesson, in a module every start method can import.

Under spawn and forkserver a worker process starts from a fresh interpreter and *imports* the
function it must run, by module and name. A function defined in a notebook lives in
``__main__``, which the fresh interpreter does not have, so every function this lesson sends
to another process is defined here instead. Import it with ``import mp_work``.

The module is named ``mp_work`` rather than ``multiprocessing`` on purpose: a file called
``multiprocessing.py`` next to the notebook would hide the standard library module.

Consumers stop when they take ``None`` from their queue (the *poison pill*): ``None`` is the one
object that arrives as itself in every process, because pickling turns any other object into
a copy (see ``MARKER``).
"""

from __future__ import annotations

import os
import time
from multiprocessing import shared_memory

import course

__all__ = [
    "NOTES", "MARKER", "square", "cube", "nap", "fail", "whoami", "append_item", "report",
    "add_note", "is_marker", "slow_square", "is_prime", "count_primes_between",
    "count_in_lane", "spin", "spin_in_lane", "report_lane", "add_to", "fill_slot", "double",
    "consume", "payload", "put_bytes", "echo", "scale_shared",
]

# A list each process has its own copy of: ["imported"] right after `import mp_work`.
NOTES = ["imported"]
# A unique object: after pickling (as an argument, a result or a queue item), a copy arrives.
MARKER = object()
# How long add_to pauses between reading and writing the counter: long enough that another
# process reads the same old value whenever two run at once, on any machine.
PAUSE_S = 0.001
# Loop iterations of one piece of spin_in_lane's work: about 50 µs on a 2020s core, far below
# the operating system's time slice, so a piece that had to wait for a core stands out.
PIECE = 700


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


def add_note(note: str) -> list[str]:
    """Append *note* to this process's NOTES and return a copy of NOTES as this process sees it."""
    NOTES.append(note)
    return list(NOTES)


def is_marker(value) -> bool:
    """True when *value* is this process's MARKER object itself (``is``, not ``==``)."""
    return value is MARKER


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


def count_in_lane(name, lo, hi):
    """Count the primes in [lo, hi) inside a span of a Lane called *name*; return (count, lane)."""
    lane = course.Lane(name)
    with lane.span("work"):
        count = count_primes_between(lo, hi)
    return count, lane.export()


def spin(iterations: int) -> int:
    """Burn CPU in pure Python for *iterations* loop turns; returns a checksum."""
    total = 0
    for i in range(iterations):
        total += i * i % 7
    return total


def spin_in_lane(name: str, pieces: int = 2000) -> dict:
    """Compute in *pieces* small pieces, each recorded as a span of a Lane called *name*.

    Small pieces let the chart tell computing from waiting for a core: a piece that took much
    longer than the others was ready to run but had no core. Returns the lane's export.
    """
    lane = course.Lane(name)
    for _ in range(pieces):
        with lane.span("work"):
            spin(PIECE)
    return lane.export()


def report_lane(lanes, name: str, pieces: int = 2000) -> None:
    """Run ``spin_in_lane(name, pieces)`` and put the lane on the queue *lanes*.

    A Process's target cannot return a value to the parent, so it sends its lane back.
    """
    lanes.put(spin_in_lane(name, pieces))


def add_to(counter, times: int, lock=None) -> None:
    """Add 1 to ``counter.value`` *times* times, each time inside ``with lock:``.

    Each update reads the value, pauses (as slow storage would), then writes value + 1. With
    the counter's own lock (``counter.get_lock()``) the processes take turns and nothing is
    lost; with ``lock=None`` two processes read the same value and one update is lost.
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


def fill_slot(numbers, index: int) -> None:
    """Store index * index at numbers[index] (each process writes its own slot: no lock)."""
    numbers[index] = index * index


def double(x):
    """Return 2 * x: the work a pipeline's consumers do by default."""
    return 2 * x


def consume(tasks, results, work=double):
    """Take items from tasks until None; put work(item) on results for every other item."""
    while True:
        item = tasks.get()
        if item is None:  # the poison pill: no more work for this consumer
            return
        results.put(work(item))


def payload(x: int, size: int = 16 * 1024) -> bytes:
    """Return *size* bytes tagged with *x*: a result big enough to fill a pipe quickly."""
    tag = f"{x:08d}".encode()
    return tag + b"." * (size - len(tag))


def put_bytes(queue, size: int) -> None:
    """Put one item of *size* bytes on *queue*, then end."""
    queue.put(bytes(size))


def echo(conn) -> None:
    """Send back every message received on the Pipe end *conn* until it receives None."""
    try:
        while (message := conn.recv()) is not None:
            conn.send(message)
    finally:
        conn.close()


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
