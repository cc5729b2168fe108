"""Synchronization, shown and measured: the demonstrations of lesson 3.

Threads share memory, so two of them can read the same old value and both write back their
update: one update is lost. Since CPython 3.10 a thread switch happens only after calls and on
backward jumps, so a bare ``counter += 1`` almost never loses an update under the GIL; the
accounts here read and write through :class:`course.testing.YieldingAccount`, whose ``read`` and
``write`` give other threads a turn, so a missing lock loses updates every time (design.md
section 3).

Everything here records what each thread does on a :class:`Trace`, drawn by
:func:`plot_threads`: "running" (doing its job), "ready" (holding a value it read and has not
written back yet) and "waiting" (blocked on a lock, semaphore, event, queue or barrier). The
``Recorded*`` primitives behave like their ``threading`` and ``queue`` namesakes and note on the
trace when a thread has to wait for them. A thread records only after :meth:`Trace.attach`
(which :class:`Threads` does for the threads it starts): elsewhere they cost one attribute
look-up.
"""

from __future__ import annotations

import dis
import os
import queue
import re
import threading
import timeit
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from time import perf_counter_ns as _now_ns
from time import sleep as _sleep  # bound at import: a patched time.sleep cannot hide a race
from typing import Any, Callable, Sequence

from .testing import YieldingAccount, race_probe
from .timeline import READY, RUNNING, WAITING, Timeline

__all__ = [
    "Trace", "current_trace", "work", "pause",
    "RecordedLock", "RecordedSemaphore", "RecordedEvent", "RecordedQueue", "RecordedBarrier",
    "Account", "Threads", "RaceResult", "race", "lost_per_run",
    "switch_points", "describe_counter_race", "lock_costs", "capped_jobs", "holders",
    "CountingEvent", "StopAfter", "napping_job", "failing_job", "echo_job", "expect_error",
    "leftover_threads",
    "plot_threads", "plot_race", "plot_jobs", "blocked_at_end", "lock_finding", "plot_locks",
    "jobs_explorer",
]

_local = threading.local()  # .trace: the Trace the current thread records into, if any
# How long demo threads wait for one another at their start line before giving up.
START_TIMEOUT_S = 5.0
# The semaphore explorer's ranges and job length: a rerun stays well under a second.
MAX_EXPLORER_LIMIT = 8
MAX_EXPLORER_WORKERS = 12
EXPLORER_JOB_S = 0.02


# --- recording ------------------------------------------------------------------------------
class Trace:
    """What each thread did and when: one lane per thread, spans already classified.

    Spans are recorded with their final kinds (running, ready, waiting), so the timeline skips
    the chunk classification that CPU-bound workloads need. A span still open when the
    timeline is taken (a thread blocked forever in a deadlock) is drawn up to that moment.
    """

    def __init__(self) -> None:
        self.start_ns = _now_ns()
        self._lock = threading.Lock()  # protects _lanes and _open
        self._lanes: dict[int, dict] = {}  # thread ident -> lane, in order of first span
        self._open: dict[int, tuple[int, str]] = {}  # thread ident -> (start_ns, kind)

    def attach(self) -> "Trace":
        """Make the calling thread record its spans here; returns the trace."""
        _local.trace = self
        return self

    @contextmanager
    def span(self, kind: str):
        """Record the time spent inside the ``with`` block as one span of *kind*."""
        start, key = _now_ns(), threading.get_ident()
        with self._lock:
            self._lane(key)  # a thread blocked forever in its first span still gets a lane
            self._open[key] = (start, kind)
        try:
            yield
        finally:
            end = _now_ns()
            with self._lock:
                self._open.pop(key, None)
                self._lane(key)["spans"].append((start, end, kind))

    def add(self, kind: str, start_ns: int, end_ns: int) -> None:
        """Record one finished span of the calling thread."""
        with self._lock:
            self._lane(threading.get_ident())["spans"].append((start_ns, end_ns, kind))

    def restart(self) -> None:
        """Start the clock again now: the timeline's window begins here."""
        self.start_ns = _now_ns()

    def timeline(self, label: str = "", end_ns: int | None = None) -> Timeline:
        """Return every lane so far as a Timeline ending at *end_ns* (default: now); spans
        still open (a thread blocked forever) end there too."""
        end = _now_ns() if end_ns is None else max(end_ns, self.start_ns)
        with self._lock:
            lanes = {key: dict(lane, spans=list(lane["spans"]))
                     for key, lane in self._lanes.items()}
            for key, (start, kind) in self._open.items():
                lanes[key]["spans"].append((start, end, kind))
        ordered = sorted(lanes.values(), key=lambda lane: _natural(lane["name"]))
        return Timeline.from_lanes(ordered, start_ns=self.start_ns, end_ns=end, label=label)

    def _lane(self, key: int) -> dict:
        """The calling thread's lane (*key* is its ident), created on first use."""
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = {
                "name": threading.current_thread().name, "pid": os.getpid(),
                "tid": threading.get_native_id(), "spans": [], "cpu_ns": None,
                "clock_pair": None, "launch_ns": None,
                "classified": True}  # spans carry segment kinds already
        return lane


def _natural(name: str) -> list:
    """Sort key putting "thread 2" before "thread 10"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def current_trace() -> Trace | None:
    """The Trace the calling thread records into, or None."""
    return getattr(_local, "trace", None)


def _span(kind: str):
    trace = current_trace()
    return nullcontext() if trace is None else trace.span(kind)


def work(seconds: float) -> None:
    """Stand in for a job of *seconds* (it sleeps), drawn as "running" on the chart.

    Raises:
        ValueError: *seconds* is negative.
    """
    _check_seconds("seconds", seconds, allow_zero=True)
    with _span(RUNNING):
        _sleep(seconds)


def pause(seconds: float) -> None:
    """Sleep for *seconds*, drawn as "waiting" on the chart.

    Raises:
        ValueError: *seconds* is negative.
    """
    _check_seconds("seconds", seconds, allow_zero=True)
    with _span(WAITING):
        _sleep(seconds)


# --- primitives that show their waits -------------------------------------------------------
class RecordedLock:
    """A ``threading.Lock`` (or ``RLock``) that notes on the trace when a thread waits for it.

    Args:
        name: shown in reports of who holds what, e.g. "A".
        reentrant: behave like ``threading.RLock`` (the owner may take it again).
        give_turn: after taking the lock, give other threads a turn (``sleep(0)``), as a slow
            lock service would: a lock-order bug then deadlocks every time, not once a month.
    """

    def __init__(self, name: str = "lock", *, reentrant: bool = False,
                 give_turn: bool = False) -> None:
        self.name = str(name)
        self._lock = threading.RLock() if reentrant else threading.Lock()
        self._give_turn = give_turn
        self._guard = threading.Lock()  # protects owner, depth and waiters
        self.owner: str | None = None
        self._depth = 0
        self.waiters: list[str] = []

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """Take the lock, as ``threading.Lock.acquire``; returns True when taken."""
        got = self._lock.acquire(False)
        if not got and blocking:
            me = threading.current_thread().name
            with self._guard:
                self.waiters.append(me)
            try:
                with _span(WAITING):
                    got = self._lock.acquire(True, timeout)
            finally:
                with self._guard:
                    self.waiters.remove(me)
        if got:
            with self._guard:
                self.owner, self._depth = threading.current_thread().name, self._depth + 1
            if self._give_turn:
                _sleep(0)
        return got

    def release(self) -> None:
        """Release the lock, as ``threading.Lock.release``."""
        with self._guard:  # book-keep before releasing: the next owner may take it at once
            owner, depth = self.owner, self._depth
            self._depth = max(0, depth - 1)
            if self._depth == 0:
                self.owner = None
        try:
            self._lock.release()
        except RuntimeError:  # released while not held: nothing changed
            with self._guard:
                self.owner, self._depth = owner, depth
            raise

    def locked(self) -> bool:
        """True while some thread holds the lock."""
        return self.owner is not None

    __enter__ = acquire

    def __exit__(self, *exc) -> None:
        self.release()

    def __repr__(self) -> str:
        state = f"held by {self.owner!r}" if self.owner else "free"
        return f"<RecordedLock {self.name!r} {state}>"


class RecordedSemaphore:
    """A ``threading.BoundedSemaphore`` (or plain ``Semaphore``) that notes waits on the trace.

    Args:
        value: how many threads may hold it at once (>= 1).
        bounded: raise ValueError when released more often than acquired, as
            BoundedSemaphore does (a plain Semaphore silently grows).
    """

    def __init__(self, value: int = 1, *, bounded: bool = True) -> None:
        _check_int("value", value, 1)
        self.value = value
        self._semaphore = (threading.BoundedSemaphore if bounded else threading.Semaphore)(value)

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        """Take a slot, as ``threading.Semaphore.acquire``; returns True when taken."""
        if self._semaphore.acquire(False):
            return True
        if not blocking:
            return False
        with _span(WAITING):
            return self._semaphore.acquire(True, timeout)

    def release(self, n: int = 1) -> None:
        """Give back *n* slots, as ``threading.Semaphore.release``."""
        self._semaphore.release(n)

    __enter__ = acquire

    def __exit__(self, *exc) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<RecordedSemaphore of {self.value}>"


class RecordedEvent(threading.Event):
    """A ``threading.Event`` whose ``wait`` shows on the trace as waiting."""

    def wait(self, timeout: float | None = None) -> bool:
        if self.is_set():
            return True
        with _span(WAITING):
            return super().wait(timeout)


class RecordedQueue(queue.Queue):
    """A ``queue.Queue`` whose blocking ``get`` shows on the trace as waiting."""

    def get(self, block: bool = True, timeout: float | None = None):
        try:
            return super().get(False)
        except queue.Empty:
            if not block:
                raise
        with _span(WAITING):
            return super().get(True, timeout)


class RecordedBarrier(threading.Barrier):
    """A ``threading.Barrier`` whose ``wait`` shows on the trace as waiting."""

    def wait(self, timeout: float | None = None) -> int:
        with _span(WAITING):
            return super().wait(timeout)


class CountingEvent(threading.Event):
    """A ``threading.Event`` that counts how often it is asked: a spinning loop asks thousands
    of times, a loop that blocks in ``wait(interval)`` a few times per round."""

    def __init__(self) -> None:
        super().__init__()
        self.checks = 0  # calls of is_set() and wait(); only ever grows

    def is_set(self) -> bool:
        self.checks += 1
        return super().is_set()

    def wait(self, timeout: float | None = None) -> bool:
        self.checks += 1
        return super().wait(timeout)


# --- an account that shows its race ---------------------------------------------------------
class Account(YieldingAccount):
    """A :class:`course.testing.YieldingAccount` that draws its reads and writes on the trace.

    ``read`` gives other threads a turn after reading, ``write`` before writing, so two
    threads that read-modify-write without a lock lose updates every time. Between a read and
    the next write the thread holds a value that may already be stale: drawn as "ready".
    ``lock`` is a :class:`RecordedLock` that gives other threads a turn once taken, so taking
    two accounts' locks in opposite orders deadlocks every time.
    """

    def __init__(self, balance: int = 0, name: str = "account") -> None:
        super().__init__(balance, name)
        self.lock = RecordedLock(name, give_turn=True)

    def read(self) -> int:
        """Return the balance, then let other threads run."""
        start = _now_ns()
        value = self._value
        trace = current_trace()
        if trace is not None:
            fetched = _now_ns()
            trace.add(RUNNING, start, fetched)
            _local.read_at = fetched
        _sleep(0)  # releases the GIL: the next thread runs between read and write
        return value

    def write(self, value: int) -> None:
        """Let other threads run, then store *value*."""
        _sleep(0)
        start = _now_ns()
        self._value = value
        trace = current_trace()
        if trace is not None:
            read_at = getattr(_local, "read_at", None)
            if read_at is not None:
                trace.add(READY, read_at, start)
                _local.read_at = None
            trace.add(RUNNING, start, _now_ns())

    def __repr__(self) -> str:
        return f"Account(balance={self._value!r}, name={self.name!r})"


# --- running threads ------------------------------------------------------------------------
class Threads:
    """Run functions in daemon threads released together, recording what each one does.

    Args:
        targets: callables, or ``(callable, args)`` pairs, one thread each.
        names: one lane name per thread (default: the function names when they differ,
            else "thread 1", "thread 2", ...).

    The threads are daemon threads: one stuck forever (a deadlock) does not keep Python from
    exiting, and a notebook carries on. Create fresh locks for every run, since a stuck
    thread holds its locks forever.
    """

    def __init__(self, targets: Sequence, names: Sequence[str] | None = None) -> None:
        self._targets = [_target(t) for t in targets]
        if not self._targets:
            raise ValueError("targets must name at least one function (got none)")
        self.names = list(names) if names is not None else _default_names(self._targets)
        if len(self.names) != len(self._targets):
            raise ValueError(f"names must give one name per target (got {len(self.names)} "
                             f"names for {len(self._targets)} targets)")
        self.trace = Trace()
        self.results: list[Any] = [None] * len(self._targets)
        self.errors: list[BaseException] = []
        self.ended_ns: dict[str, int] = {}
        self._threads: list[threading.Thread] = []

    def start(self) -> "Threads":
        """Start every thread; they begin together once all have started. Returns self."""
        if self._threads:
            raise RuntimeError("these threads were already started: make a new Threads")
        # The run's clock starts when the last thread reaches the start line, not while the
        # threads are still being created (tens of microseconds each, more on a busy machine).
        start_line = threading.Barrier(len(self._targets), action=self.trace.restart)
        self._threads = [threading.Thread(target=self._main, args=(i, start_line),
                                          name=name, daemon=True)
                         for i, name in enumerate(self.names)]
        for thread in self._threads:
            thread.start()
        return self

    def join(self, timeout: float = 10.0) -> bool:
        """Wait at most *timeout* seconds in all; True when every thread has finished."""
        _check_seconds("timeout", timeout)
        deadline = _now_ns() + timeout * 1e9
        for thread in self._threads:
            thread.join(max(0.0, (deadline - _now_ns()) / 1e9))
        return not self.alive()

    def run(self, timeout: float = 10.0) -> "Threads":
        """Start the threads and wait for them; returns self.

        Raises:
            TimeoutError: a thread was still running after *timeout* seconds (deadlock?).
            Exception: the first exception a thread raised, re-raised here.
        """
        self.start()
        if not self.join(timeout):
            raise TimeoutError(f"threads {', '.join(self.alive())} did not finish within "
                               f"{timeout:g} s: deadlock?")
        if self.errors:
            raise self.errors[0]
        return self

    def alive(self) -> list[str]:
        """Names of the threads still running."""
        return [t.name for t in self._threads if t.is_alive()]

    def timeline(self, label: str = "") -> Timeline:
        """What the threads did, as a Timeline: up to the last thread's end once all have
        ended, else up to now (see :meth:`Trace.timeline`)."""
        finished = self._threads and not self.alive() and self.ended_ns
        return self.trace.timeline(label, max(self.ended_ns.values()) if finished else None)

    def _main(self, i: int, start_line: threading.Barrier) -> None:
        self.trace.attach()
        try:
            start_line.wait(START_TIMEOUT_S)
            fn, args = self._targets[i]
            self.results[i] = fn(*args)
        except BaseException as error:  # handed to run() in the caller's thread
            self.errors.append(error)
        finally:
            self.ended_ns[self.names[i]] = _now_ns()


def _target(target) -> tuple[Callable, tuple]:
    if callable(target):
        return target, ()
    if (isinstance(target, tuple) and len(target) == 2 and callable(target[0])
            and isinstance(target[1], tuple)):
        return target
    raise TypeError(f"targets must be callables or (callable, args) pairs "
                    f"(got {type(target).__name__})")


def _default_names(targets) -> list[str]:
    names = [getattr(fn, "__name__", "") for fn, _ in targets]
    if len(set(names)) == len(names) and all(n and n != "<lambda>" for n in names):
        return names
    return [f"thread {i + 1}" for i in range(len(targets))]


# --- races ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RaceResult:
    """One run of :func:`race`: the deposits made, the balance left and the timeline."""

    threads: int
    times: int
    expected: int
    balance: int
    timeline: Timeline

    @property
    def lost(self) -> int:
        """Deposits that left no trace in the balance."""
        return self.expected - self.balance

    @property
    def stale_share(self) -> float:
        """Share of the run during which two or more threads held a value they had read."""
        return self.timeline.share_at_least(2, READY)

    @property
    def max_stale(self) -> int:
        """The most threads holding a read, not yet written back, at the same moment."""
        return self.timeline.max_at_once(READY)

    def finding(self) -> str:
        """One line: the deposits counted and lost, and how the threads overlapped."""
        head = (f"{self.threads} threads x {self.times} deposits: {self.balance} of "
                f"{self.expected} counted, {self.lost} lost")
        return (f"{head}; up to {_plural(self.max_stale, 'thread')} held a read at once "
                f"(>=2 for {self.stale_share:.0%} of the run)")


def race(deposit: Callable[[Account, int], Any], threads: int = 4, times: int = 20) -> RaceResult:
    """Run ``deposit(account, 1)`` *times* in each of *threads* threads on one shared Account.

    Args:
        deposit: the function under test, e.g. ``account.write(account.read() + amount)``.
        threads: threads depositing at once (>= 1).
        times: deposits per thread (>= 1).

    Returns:
        A RaceResult with the expected and actual balance and the recorded timeline.

    Raises:
        TypeError, ValueError: bad arguments. TimeoutError: the deposits took over 10 s.
    """
    _check_callable("deposit", deposit)
    _check_int("threads", threads, 1)
    _check_int("times", times, 1)
    account = Account(0, "shared")

    def depositor() -> None:
        for _ in range(times):
            deposit(account, 1)

    run = Threads([depositor] * threads).run()
    return RaceResult(threads, times, threads * times, account.balance,
                      run.timeline(f"{threads} x {times} deposits"))


def lost_per_run(deposit: Callable[[Account, int], Any], runs: int = 100, threads: int = 4,
                 times: int = 20) -> list[int]:
    """Repeat the race on fresh accounts (no recording) and return the deposits lost per run.

    Raises:
        TypeError, ValueError: bad arguments. AssertionError: the runs took over 30 s.
    """
    _check_callable("deposit", deposit)
    _check_int("runs", runs, 1)
    report = race_probe(Account, lambda account, worker: deposit(account, 1),
                        lambda account: account.balance, threads=threads, iterations=times,
                        trials=runs, timeout=30.0)
    return list(report.lost)


# Instructions after which CPython 3.10+ may hand the GIL to another thread (bpo-29988).
_SWITCH_OPS = ("CALL", "JUMP_BACKWARD", "JUMP_ABSOLUTE", "RESUME", "YIELD_VALUE")


def switch_points(fn: Callable) -> list[tuple[str, str, bool]]:
    """List *fn*'s bytecode, marking where the interpreter may switch threads.

    Returns:
        ``[(opname, argument, may_switch), ...]`` in order; on CPython 3.10+ a switch may
        happen only at calls, backward jumps (loops) and function entry.

    Raises:
        TypeError: *fn* is not a Python function.
    """
    if not hasattr(fn, "__code__"):
        raise TypeError(f"fn must be a Python function (got {type(fn).__name__})")
    return [(ins.opname, ins.argrepr, ins.opname.startswith(_SWITCH_OPS))
            for ins in dis.get_instructions(fn) if ins.opname not in ("CACHE", "NOP")]


def describe_counter_race(lost: Sequence[int], build: str | None = None,
                          gil: bool | None = None) -> str:
    """Say what the classic ``counter += 1`` demo did, naming the build it ran on.

    Args:
        lost: updates lost in each trial.
        build: the build in words (default: ``interpreters.describe_build()``, e.g.
            "CPython 3.11.7 with the GIL").
        gil: whether the GIL was on (default: ``doctor.gil_enabled()``).

    Returns:
        A Markdown paragraph: how many trials lost updates, and why on this build.

    Raises:
        ValueError: no trials.
    """
    from .doctor import gil_enabled
    from .interpreters import describe_build

    if not lost:
        raise ValueError("lost must hold at least one trial (got none)")
    build = describe_build() if build is None else build
    gil = gil_enabled() if gil is None else gil
    trials = sum(1 for n in lost if n)
    head = f"On this kernel, **{build}**, "
    if not trials:
        why = ("Since CPython 3.10 the interpreter hands the GIL to another thread only after a "
               "call or on a backward jump (the end of a loop iteration), never between the "
               "read and the write of `counter += 1`." if gil else
               "Without a GIL nothing keeps two threads from reading the same value at the "
               "same moment; this time they did not happen to. Run the cell again.")
        return (f"{head}**no update was lost in any of the {len(lost)} trials.** That does not "
                f"make `counter += 1` safe. {why}")
    text = (f"{head}**updates were lost in {trials} of {len(lost)} trials** (up to "
            f"{max(lost):,} in one)")
    if not gil:
        return (text + ". This Python runs **without a GIL**: two threads really read the same "
                "value at the same moment on different cores, and one increment overwrites the "
                "other.")
    return (text + ": this interpreter can switch threads between the read and the write of "
            "`counter += 1`.")


# --- costs ----------------------------------------------------------------------------------
def lock_costs(n: int = 100_000, repeat: int = 5) -> dict[str, float]:
    """Time an increment alone and inside each kind of lock, in nanoseconds per increment.

    Each figure is the best of *repeat* runs of *n* increments in one thread (no contention),
    plus the same locked increment shared by 4 threads.

    Raises:
        TypeError, ValueError: bad arguments.
    """
    _check_int("n", n, 1)
    _check_int("repeat", repeat, 1)
    lock, rlock, box = threading.Lock(), threading.RLock(), [0]

    def bare(k):
        for _ in range(k):
            box[0] += 1

    def with_lock(k, guard=lock):
        for _ in range(k):
            with guard:
                box[0] += 1

    def with_rlock(k):
        with_lock(k, rlock)

    def four_threads(k):
        Threads([(with_lock, (k // 4,))] * 4).run()

    runs = {"no lock": bare, "Lock": with_lock, "RLock": with_rlock,
            "Lock, 4 threads": four_threads}
    return {name: min(timeit.repeat(lambda: fn(n), number=1, repeat=repeat)) / n * 1e9
            for name, fn in runs.items()}


# --- capping concurrency --------------------------------------------------------------------
def capped_jobs(limit: int = 3, workers: int = 6, jobs_each: int = 2,
                job_s: float = 0.02) -> Timeline:
    """Run *workers* threads that each do *jobs_each* jobs, at most *limit* jobs at once.

    Each job takes a slot of a ``RecordedSemaphore(limit)`` and holds it for *job_s* seconds.

    Returns:
        The Timeline: jobs drawn as running, waits for a slot as waiting.

    Raises:
        TypeError, ValueError: bad arguments.
    """
    _check_int("limit", limit, 1)
    _check_int("workers", workers, 1)
    _check_int("jobs_each", jobs_each, 1)
    _check_seconds("job_s", job_s)
    slots = RecordedSemaphore(limit)

    def worker() -> None:
        for _ in range(jobs_each):
            with slots:
                work(job_s)

    run = Threads([worker] * workers).run()
    return run.timeline(f"semaphore of {limit}, {workers} workers")


# --- deadlocks ------------------------------------------------------------------------------
def holders(locks: Sequence[RecordedLock]) -> str:
    """Say who holds each lock and who waits for it, e.g. after a deadlock.

    Returns:
        Lines such as "lock 'A': held by 'thread 1', wanted by 'thread 2'".
    """
    lines = []
    for lock in locks:
        if not isinstance(lock, RecordedLock):
            raise TypeError(f"locks must be RecordedLock objects (got {type(lock).__name__})")
        held = f"held by {lock.owner!r}" if lock.owner else "free"
        wanted = (", wanted by " + ", ".join(repr(w) for w in lock.waiters)
                  if lock.waiters else "")
        lines.append(f"lock {lock.name!r}: {held}{wanted}")
    return "\n".join(lines)


# --- helpers for graded tests ---------------------------------------------------------------
def napping_job(value: Any = None, seconds: float = 0.02) -> Callable[[], Any]:
    """Return a job that sleeps *seconds* (a stand-in for I/O), then returns *value*."""
    _check_seconds("seconds", seconds, allow_zero=True)

    def job():
        _sleep(seconds)
        return value
    job.__name__ = job.__qualname__ = f"napping_job({value!r})"
    return job


def failing_job(seconds: float = 0.02, message: str = "this job fails on purpose"
                ) -> Callable[[], Any]:
    """Return a job that sleeps *seconds*, then raises ``RuntimeError(message)``."""
    _check_seconds("seconds", seconds, allow_zero=True)

    def job():
        _sleep(seconds)
        raise RuntimeError(message)
    job.__name__ = job.__qualname__ = "failing_job"
    return job


def echo_job(seconds: float = 0.002) -> Callable[[Any], Any]:
    """Return a handler that sleeps *seconds* (a little I/O per item), then returns its item."""
    _check_seconds("seconds", seconds, allow_zero=True)

    def handle(item):
        _sleep(seconds)
        return item
    handle.__name__ = handle.__qualname__ = "echo_job"
    return handle


class StopAfter:
    """An action that counts its calls and sets *stop* on call number *n*.

    Args:
        stop: the Event to set.
        n: the call that sets it (>= 1).
    """

    def __init__(self, stop: threading.Event, n: int) -> None:
        _check_int("n", n, 1)
        self.stop, self.n, self.calls = stop, n, 0

    def __call__(self) -> None:
        self.calls += 1
        if self.calls == self.n:
            self.stop.set()

    def __repr__(self) -> str:
        return f"StopAfter(n={self.n}, calls={self.calls})"


def expect_error(error: type[BaseException], fn: Callable, *args, what: str, hint: str,
                 timeout: float = 5.0) -> BaseException:
    """Check that ``fn(*args)`` raises *error* within *timeout* seconds.

    Args:
        error: the exception class expected, e.g. ValueError.
        what: the call as a student wrote it, e.g. "deposit(0)".
        hint: what to change when it does not raise.

    Returns:
        The exception raised.

    Raises:
        AssertionError: *fn* returned instead, raised something else, or did not finish.
    """
    from .testing import finishes_within

    try:
        value = finishes_within(fn, timeout, *args)
    except error as raised:
        return raised
    except AssertionError as stuck:
        raise AssertionError(f"{what} should raise {error.__name__}, but it did not finish:\n"
                             f"{stuck}") from None
    except Exception as other:
        raise AssertionError(f"{what} should raise {error.__name__}, but it raised "
                             f"{type(other).__name__}: {other}\nHint: {hint}") from None
    raise AssertionError(f"{what} should raise {error.__name__}, but it returned {value!r}."
                         f"\nHint: {hint}")


def leftover_threads(before: set, grace: float = 1.0) -> list[str]:
    """Names of threads started since *before* (a ``set(threading.enumerate())``) that are
    still running after waiting up to *grace* seconds for them to end."""
    _check_seconds("grace", grace)
    deadline = _now_ns() + grace * 1e9
    new = [t for t in threading.enumerate() if t not in before]
    for thread in new:
        thread.join(max(0.0, (deadline - _now_ns()) / 1e9))
    return [t.name for t in new if t.is_alive()]


# --- charts ---------------------------------------------------------------------------------
_LABELS = {RUNNING: "running", READY: "holding a value it read, not yet written",
           WAITING: "waiting (lock, semaphore, event, queue, sleep)"}


def plot_threads(timeline: Timeline, *, title: str, labels: dict[str, str] | None = None,
                 count: str = RUNNING, count_label: str | None = None, cap: int | None = None,
                 cap_label: str | None = None, marks: dict[str, int] | None = None,
                 figsize: tuple[float, float] | None = None):
    """Draw what each thread did, and under it how many threads were in one state at once.

    Args:
        timeline: a Timeline recorded by a :class:`Trace` (or :class:`Threads`).
        title: the finding, with its numbers.
        labels: legend text per kind drawn (running, ready, waiting), overriding the defaults.
        count: the kind whose number of threads at once is plotted under the lanes.
        count_label: the y label of that profile.
        cap: draw a dashed line at this many threads (e.g. a semaphore's size).
        cap_label: the line's legend text.
        marks: ``{label: time_ns}`` moments to draw as vertical lines (e.g. "stop.set()").
        figsize: (width, height) in inches.

    Returns:
        The matplotlib Figure.

    Raises:
        TypeError: *timeline* is not a Timeline. ValueError: nothing was recorded, or *count*
            is not a kind.
    """
    if not isinstance(timeline, Timeline):
        raise TypeError(f"timeline must be a Timeline (got {type(timeline).__name__})")
    if timeline.is_empty or timeline.wall_ns <= 0:
        raise ValueError("timeline is empty: nothing was recorded")
    if count not in _LABELS:
        raise ValueError(f"count must be one of {', '.join(_LABELS)} (got {count!r})")
    from matplotlib.figure import Figure  # matplotlib loads only when a chart is drawn

    labels = {**_LABELS, **(labels or {})}
    rows = len(timeline.lanes)
    fig = Figure(figsize=figsize or (11.0, 2.6 + 0.34 * min(rows, 24)), layout="constrained")
    lanes_ax, count_ax = fig.subplots(2, 1, sharex=True,
                                      height_ratios=[max(1.4, 0.34 * min(rows, 24)), 1.3])
    _draw_lanes(lanes_ax, timeline)
    _draw_count(count_ax, timeline, count, count_label or f"threads {labels[count]} at once", cap,
                cap_label)
    for label, at_ns in (marks or {}).items():
        x = (at_ns - timeline.start_ns) / 1e6
        for ax in (lanes_ax, count_ax):
            ax.axvline(x, color="#D55E00", linewidth=1.5)
        lanes_ax.annotate(label, (x, -0.5), xytext=(3, 0), textcoords="offset points",
                          color="#D55E00", va="bottom", annotation_clip=False)
    fig.suptitle(title, x=0.01, ha="left", fontsize="large")
    _legend(fig, timeline, labels)
    return fig


def _draw_lanes(ax, timeline: Timeline) -> None:
    """One row per thread, one broken_barh call per row and kind."""
    from .gantt import COLOURS

    rows = {lane["name"]: i for i, lane in enumerate(timeline.lanes)}
    bars: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for seg in timeline.segments():
        bars.setdefault((rows[seg.lane], seg.kind), []).append(
            ((seg.start_ns - timeline.start_ns) / 1e6, max(seg.duration_ns / 1e6, 0.02)))
    for (row, kind), xranges in bars.items():
        ax.broken_barh(xranges, (row - 0.4, 0.8), facecolors=COLOURS[kind], linewidth=0)
    ax.set_yticks(range(len(rows)), list(rows))
    ax.set_ylim(len(rows) - 0.5, -0.5)  # first thread on top
    ax.set_xlim(0, timeline.wall_ns / 1e6)
    ax.grid(axis="x", alpha=0.3)


def _draw_count(ax, timeline: Timeline, kind: str, label: str, cap, cap_label) -> None:
    """Step plot of how many threads were in *kind* at once, with an optional cap line."""
    from .gantt import COLOURS

    steps = timeline.profile(kind)
    xs = [0.0] + [(t - timeline.start_ns) / 1e6 for t, _ in steps] + [timeline.wall_ns / 1e6]
    ys = [0] + [n for _, n in steps] + [steps[-1][1] if steps else 0]
    ax.fill_between(xs, ys, step="post", color=COLOURS[kind], alpha=0.85, linewidth=0)
    top = max(ys)
    if cap is not None:
        ax.axhline(cap, color="black", linestyle="--", linewidth=1.2,
                   label=cap_label or f"cap {cap}")
        ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
        top = max(top, cap)
    ax.set_ylim(0, top + 0.6)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(label, loc="left", fontsize="medium")
    ax.set_xlabel("time since start (ms)")
    ax.grid(axis="x", alpha=0.3)


def _legend(fig, timeline: Timeline, labels: dict[str, str]) -> None:
    from matplotlib.patches import Patch

    from .gantt import COLOURS

    present = {seg.kind for seg in timeline.segments()}
    handles = [Patch(facecolor=COLOURS[k], label=labels[k]) for k in labels if k in present]
    fig.legend(handles=handles, loc="outside lower left", ncol=len(handles), frameon=False)


def plot_race(result: RaceResult, *, title: str | None = None):
    """Draw a :func:`race` run: reads and writes, stale values held, waits for the lock.

    Returns:
        The matplotlib Figure; its title gives the deposits lost and the overlap.
    """
    if not isinstance(result, RaceResult):
        raise TypeError(f"result must be a RaceResult from race() (got {type(result).__name__})")
    heading = result.finding() if title is None else f"{title}\n{result.finding()}"
    return plot_threads(result.timeline, title=heading,
                        labels={RUNNING: "reading or writing the balance",
                                READY: "holding a balance it read, not yet written back",
                                WAITING: "blocked on the lock"},
                        count=READY, count_label="threads holding a read at once")


def plot_jobs(timeline: Timeline, limit: int, *, title: str | None = None):
    """Draw jobs capped by a semaphore, with the cap as a dashed line under the lanes.

    Returns:
        The matplotlib Figure; its title gives the most jobs at once and how long the cap
        was reached.
    """
    _check_int("limit", limit, 1)
    peak = timeline.max_at_once(RUNNING)
    full = timeline.share_at_least(limit, RUNNING)
    jobs = sum(1 for s in timeline.segments() if s.kind == RUNNING)
    finding = (f"semaphore of {limit}: at most {_plural(peak, 'job')} at once, cap reached "
               f"for {full:.0%} of the run; {jobs} jobs in {timeline.wall_ns / 1e6:.0f} ms")
    return plot_threads(timeline, title=finding if title is None else f"{title}\n{finding}",
                        labels={RUNNING: "running a job (holding a slot)",
                                WAITING: "waiting for a slot"},
                        count=RUNNING, count_label="jobs at once", cap=limit,
                        cap_label=f"semaphore size {limit}")


def blocked_at_end(timeline: Timeline) -> list[str]:
    """Names of the threads still waiting when the timeline was taken (stuck, maybe forever)."""
    last: dict[str, Any] = {}
    for seg in timeline.segments():
        if seg.lane not in last or seg.end_ns >= last[seg.lane].end_ns:
            last[seg.lane] = seg
    return [name for name, seg in last.items()
            if seg.kind == WAITING and seg.end_ns >= timeline.end_ns]


def lock_finding(timeline: Timeline) -> str:
    """One line about threads and locks: a deadlock, or how long the threads were blocked."""
    lanes = len(timeline.lanes)
    stuck = blocked_at_end(timeline)
    wall = timeline.wall_ns / 1e6
    every = "both" if lanes == 2 else f"all {lanes}"
    if len(stuck) == lanes and lanes > 1:
        return (f"deadlock: {every} threads blocked from "
                f"{_all_blocked_ms(timeline):.0f} ms until the chart was drawn at {wall:.0f} ms")
    together = timeline.time_at_least(lanes, WAITING) / 1e6 if lanes > 1 else 0.0
    blocked = sum(s.duration_ns for s in timeline.segments() if s.kind == WAITING) / 1e6
    tail = f"; {', '.join(stuck)} still blocked" if stuck else ""
    return (f"finished in {wall:.0f} ms: blocked {blocked:.0f} ms in total, {every} "
            f"blocked at once for {together:.0f} ms{tail}")


def _all_blocked_ms(timeline: Timeline) -> float:
    last_start = max((s.start_ns for s in timeline.segments() if s.kind == WAITING),
                     default=timeline.start_ns)
    return (last_start - timeline.start_ns) / 1e6


def plot_locks(timeline: Timeline, *, title: str | None = None):
    """Draw threads taking locks: holding one (running) or blocked on one (waiting).

    Returns:
        The matplotlib Figure, titled with :func:`lock_finding`.
    """
    finding = lock_finding(timeline)
    return plot_threads(timeline, title=finding if title is None else f"{title}\n{finding}",
                        labels={RUNNING: "holding a lock, working",
                                WAITING: "blocked on a lock"},
                        count=WAITING, count_label="threads blocked at once")


def jobs_explorer(limit: int = 3, workers: int = 6, jobs_each: int = 2):
    """A widget: sliders for the semaphore's size and the number of workers redraw the chart.

    Returns:
        The ipywidgets widget to display.
    """
    _check_int("limit", limit, 1)
    _check_int("workers", workers, 1)
    _check_int("jobs_each", jobs_each, 1)
    if limit > MAX_EXPLORER_LIMIT or workers > MAX_EXPLORER_WORKERS:
        raise ValueError(f"limit must be <= {MAX_EXPLORER_LIMIT} and workers <= "
                         f"{MAX_EXPLORER_WORKERS} (got limit={limit}, workers={workers})")
    import ipywidgets  # ipywidgets loads only when a widget is asked for

    from .widgets import interactive_chart

    def rerun(limit: int, workers: int):
        timeline = capped_jobs(limit, workers, jobs_each, EXPLORER_JOB_S)
        jobs, wall = workers * jobs_each, timeline.wall_ns / 1e6
        text = (f"{jobs} jobs of {EXPLORER_JOB_S * 1e3:.0f} ms: at most "
                f"{timeline.max_at_once(RUNNING)} at once (semaphore size {limit}), wall "
                f"{wall:.0f} ms vs {jobs * EXPLORER_JOB_S * 1e3:.0f} ms one at a time")
        return plot_jobs(timeline, limit), text

    return interactive_chart(
        rerun,
        limit=ipywidgets.IntSlider(value=limit, min=1, max=MAX_EXPLORER_LIMIT,
                                   description="semaphore size"),
        workers=ipywidgets.IntSlider(value=workers, min=1, max=MAX_EXPLORER_WORKERS,
                                     description="workers"))


# --- argument checks ------------------------------------------------------------------------
def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _check_int(name: str, value, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int (got {type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum} (got {value})")


def _check_seconds(name: str, value, allow_zero: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds (got {type(value).__name__})")
    if value < 0 or (value == 0 and not allow_zero) or value != value:
        rule = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {rule} seconds (got {value})")


def _check_callable(name: str, value) -> None:
    if not callable(value):
        raise TypeError(f"{name} must be callable (got {type(value).__name__})")

