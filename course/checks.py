"""Helpers for graded test cells: time bounds, race probes, timelines and friendly messages.

Students read these messages, so every failure says what was expected, what came back and
what to try. Every wait is bounded: student code runs in a daemon thread, and a deadlock costs
the seconds of its bound, not the notebook (design.md section 3).

The pieces:

- :func:`finishes_within` runs a call under a time limit and, on expiry, shows where each
  thread the call started is stuck.
- :class:`SlowCounter` and :class:`YieldingAccount` keep a number whose ``read``/``write``
  give other threads a turn, so a missing lock loses updates reliably; :func:`race_probe` and
  :func:`assert_no_lost_updates` count the losses exactly.
- :class:`JobTracker` (threads) and :class:`TimedCall` (processes) record when jobs run, as a
  :class:`~course.timeline.Timeline`; the ``assert_*`` functions prove from it that jobs ran in
  several threads or processes, overlapped, or respected a limit.
- :func:`run_and_capture` records which thread printed each line.
- :func:`fingerprint` / :func:`verify_fingerprint` notice when a submission replaced the
  functions the tests rely on.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import io
import linecache
import math
import multiprocessing
import os
import reprlib
import sys
import threading
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from time import perf_counter_ns as _now_ns
from time import sleep as _sleep  # bound at import: a patched time.sleep cannot hide a race
from time import time_ns as _time_ns
from typing import Any, Callable, NamedTuple

from .timeline import READY, RUNNING, SEGMENT_KINDS, STARTUP, WAIT, WAITING, WORK, Timeline

__all__ = [
    "finishes_within", "time_limit",
    "SlowCounter", "YieldingAccount", "RaceReport", "race_probe", "assert_no_lost_updates",
    "JobTracker", "TimedCall", "TimedResult",
    "assert_distinct_processes", "assert_distinct_threads", "assert_overlap",
    "assert_at_most_at_once", "assert_reached", "assert_equal",
    "ThreadInfo", "PrintedLine", "Capture", "run_and_capture",
    "fingerprint", "verify_fingerprint",
]

ANY = "any"
KINDS = SEGMENT_KINDS + (ANY,)
_KIND_WORDS = {RUNNING: "running", WAITING: "waiting", READY: "ready to run",
               STARTUP: "starting up", ANY: "active"}
_JOB_KINDS = {RUNNING: RUNNING, WAITING: WAITING, WORK: RUNNING, WAIT: WAITING}
_MAX_LISTED = 8
_short = reprlib.Repr()
_short.maxstring, _short.maxother, _short.maxlist = 60, 60, 8
# Frames in these directories are the standard library or this course: a stuck-thread report
# skips them to point at the student's own line.
_INTERNAL_DIRS = (os.path.dirname(threading.__file__) + os.sep,
                  os.path.dirname(os.path.abspath(__file__)) + os.sep)


# --- time bounds ---------------------------------------------------------------------------
def finishes_within(fn: Callable, seconds: float, /, *args, **kwargs) -> Any:
    """Call ``fn(*args, **kwargs)`` in a daemon thread and wait at most *seconds* for it.

    Args:
        fn: the function to call (usually the student's).
        seconds: the time limit, > 0.
        *args, **kwargs: passed on to *fn*.

    Returns:
        Whatever *fn* returned. An exception *fn* raised is re-raised unchanged, so students
        see their own error and traceback.

    Raises:
        AssertionError: *fn* did not finish in time; the message shows where every thread the
            call started (and the calling thread) is stuck. Those threads are daemon threads:
            they stay blocked, but the kernel and the next cells carry on.
        TypeError, ValueError: *fn* is not callable, or *seconds* is not a number > 0.
    """
    _check_callable("fn", fn)
    _check_seconds("seconds", seconds)
    before = set(threading.enumerate())
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def call() -> None:
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as error:  # handed to the caller's thread below
            outcome["error"] = error
        finally:
            done.set()

    worker = threading.Thread(target=call, name=f"checked {_name_of(fn)}", daemon=True)
    worker.start()
    if not done.wait(seconds):
        raise AssertionError(_stuck_message(seconds, worker, before))
    if "error" in outcome:
        raise outcome.pop("error")
    return outcome["value"]


def time_limit(seconds: float) -> Callable[[Callable], Callable]:
    """Decorate a function so every call runs under :func:`finishes_within` with *seconds*.

    Raises:
        TypeError, ValueError: *seconds* is not a number > 0.
    """
    _check_seconds("seconds", seconds)

    def decorate(fn: Callable) -> Callable:
        _check_callable("fn", fn)

        @functools.wraps(fn)
        def bounded(*args, **kwargs):
            return finishes_within(fn, seconds, *args, **kwargs)
        return bounded
    return decorate


def _stuck_message(seconds: float, worker: threading.Thread, before: set) -> str:
    frames = getattr(sys, "_current_frames", dict)()
    stuck = [worker] + [t for t in threading.enumerate()
                        if t not in before and t is not worker and t.is_alive()]
    lines = [f"did not finish within {seconds:g} s: deadlock or endless loop?",
             "Where each thread is stuck:"]
    lines += [f"  - {_where(thread, frames.get(thread.ident))}" for thread in stuck[:_MAX_LISTED]]
    if len(stuck) > _MAX_LISTED:
        lines.append(f"  - ... and {len(stuck) - _MAX_LISTED} more threads")
    lines.append("Hint: a thread waiting in acquire(), join(), wait() or get() is blocked by "
                 "another thread (take locks in one fixed order, join what you start); a thread "
                 "in a loop never reaches its end condition.")
    return "\n".join(lines)


def _where(thread: threading.Thread, frame: types.FrameType | None) -> str:
    if frame is None:
        return f"thread {thread.name!r}: finished while the report was written"
    stack = []
    while frame is not None:
        stack.append(frame)
        frame = frame.f_back
    at = next((i for i, f in enumerate(stack) if not _is_internal(f)), 0)
    text = f"thread {thread.name!r} at {_place(stack[at])}"
    if at > 0:  # name the library call the student's line is blocked in, e.g. Thread.join
        inner = stack[at - 1].f_code
        module = os.path.splitext(os.path.basename(inner.co_filename))[0]
        text += f" (waiting inside {module}.{getattr(inner, 'co_qualname', inner.co_name)})"
    return text


def _place(frame: types.FrameType) -> str:
    code = frame.f_code
    filename, lineno = code.co_filename, frame.f_lineno
    source = linecache.getline(filename, lineno, frame.f_globals).strip()
    # IPython compiles each cell to a file such as /tmp/ipykernel_123/456.py
    where = ("a notebook cell" if "ipykernel_" in filename or filename.startswith("<ipython")
             else os.path.basename(filename))
    name = getattr(code, "co_qualname", code.co_name)
    return f"line {lineno} of {where}, in {name}()" + (f": {source}" if source else "")


def _is_internal(frame: types.FrameType) -> bool:
    filename = frame.f_code.co_filename
    return (filename.startswith(_INTERNAL_DIRS) and "site-packages" not in filename
            and "dist-packages" not in filename)


# --- races ---------------------------------------------------------------------------------
class SlowCounter:
    """A counter kept in "slow storage": reading and writing each give other threads a turn.

    ``increment()`` reads, pauses, then writes, with no lock: run it from several threads and
    updates get lost on every Python build. (Since CPython 3.10 a bare ``counter += 1`` almost
    never loses an update, so a lesson needs this pause to show the race; design.md section 3.)

    Lessons make a thread-safe counter by inheriting from this class and guarding the whole
    read-modify-write with a lock, e.g. ``with self._lock: super().increment()``. Creating the
    lock in ``__init__`` gives every counter (and every trial of :func:`race_probe`) its own.
    """

    def __init__(self, value: int = 0) -> None:
        self._value = value

    def read(self) -> int:
        """Return the stored number, then let other threads run."""
        value = self._value
        _sleep(0)  # sleep(0) releases the GIL: the next thread runs between read and write
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


class YieldingAccount(SlowCounter):
    """A bank account whose balance sits in slow storage; each account carries its own lock.

    ``deposit`` and ``withdraw`` read, pause and write without taking ``lock``: that is the
    student's job (for example, a ``transfer`` that takes both accounts' locks in one order).
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
        return f"YieldingAccount(balance={self._value!r}, name={self.name!r})"


@dataclass(frozen=True)
class RaceReport:
    """What :func:`race_probe` saw: per trial, the total expected and the total observed."""

    threads: int
    iterations: int
    expected: tuple
    observed: tuple

    @property
    def trials(self) -> int:
        return len(self.expected)

    @property
    def lost(self) -> tuple:
        """Updates lost per trial (expected minus observed; negative means extra updates)."""
        return tuple(e - o for e, o in zip(self.expected, self.observed))

    @property
    def raced(self) -> bool:
        """True when any trial ended with a total other than the expected one."""
        return any(self.lost)

    def summary(self) -> str:
        """One line for a person: the setup and the losses per trial."""
        setup = f"{self.threads} threads x {self.iterations} updates, {self.trials} trial(s)"
        if not self.raced:
            return f"{setup}: every update counted ({self.expected[0]!r} each time)"
        totals = ", ".join(f"{o!r}" for o in self.observed)
        return f"{setup}: expected {self.expected[0]!r}, got {totals}"


def _increment(obj, worker: int) -> None:
    obj.increment()


def _value(obj):
    return obj.value


def race_probe(make: Callable[[], Any], step: Callable[[Any, int], None] = _increment,
               observe: Callable[[Any], Any] = _value, *, gain: int = 1, threads: int = 4,
               iterations: int = 20, trials: int = 3, timeout: float = 5.0) -> RaceReport:
    """Hammer fresh objects from several threads at once and count the updates that got lost.

    Each trial calls ``make()`` for a fresh object, starts *threads* threads behind a Barrier,
    and has each call ``step(obj, worker)`` *iterations* times. The total ``observe(obj)`` must
    then have grown by exactly ``threads * iterations * gain``. With :class:`SlowCounter`
    storage, 4 threads x 20 steps without a lock lost updates in 13,000 of 13,000 runs here,
    and the locked version lost none.

    Args:
        make: returns a fresh object (a fresh lock too) for every trial, e.g. a class.
        step: one update, given the object and the worker's number (0..threads-1);
            the default calls ``obj.increment()``.
        observe: reads the total; the default reads ``obj.value``.
        gain: how much one step changes the total (1 for a counter, 0 for a transfer).
        threads: threads per trial (>= 2); iterations: steps per thread (>= 1);
        trials: fresh objects to try (>= 1); timeout: seconds for all trials together.

    Returns:
        A :class:`RaceReport`.

    Raises:
        AssertionError: the trials did not finish within *timeout* (where threads are stuck).
        TypeError, ValueError: a bad argument. An exception from *make*, *step* or *observe*
            is re-raised unchanged.
    """
    for name, fn in (("make", make), ("step", step), ("observe", observe)):
        _check_callable(name, fn)
    for name, value, minimum in (("threads", threads, 2), ("iterations", iterations, 1),
                                 ("trials", trials, 1)):
        _check_count(name, value, minimum)
    _check_number("gain", gain)
    _check_seconds("timeout", timeout)
    return finishes_within(_trials, timeout, make, step, observe, gain, threads, iterations,
                           trials, timeout)


def _trials(make, step, observe, gain, threads, iterations, trials, timeout) -> RaceReport:
    expected, observed = [], []
    for _ in range(trials):
        obj = make()
        expected.append(observe(obj) + threads * iterations * gain)
        _hammer(obj, step, threads, iterations, timeout)
        observed.append(observe(obj))
    return RaceReport(threads, iterations, tuple(expected), tuple(observed))


_trials.__qualname__ = "race_probe"  # names the probe's thread in a stuck-thread report


def _hammer(obj, step, threads: int, iterations: int, timeout: float) -> None:
    """Run the steps in *threads* threads released together; re-raise the first error."""
    barrier = threading.Barrier(threads)  # all threads start stepping at the same moment
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            barrier.wait(timeout)
            for _ in range(iterations):
                step(obj, worker)
        except BaseException as error:
            errors.append(error)

    pool = [threading.Thread(target=work, args=(i,), name=f"probe {i + 1}", daemon=True)
            for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()  # the caller (finishes_within) bounds the whole probe
    if errors:
        raise errors[0]


def assert_no_lost_updates(make: Callable[[], Any], step: Callable[[Any, int], None] = _increment,
                           observe: Callable[[Any], Any] = _value, *, gain: int = 1,
                           threads: int = 4, iterations: int = 20, trials: int = 3,
                           timeout: float = 5.0, what: str = "the counter",
                           hint: str | None = None) -> RaceReport:
    """Check with :func:`race_probe` that no update gets lost; the arguments are the same.

    Args:
        what: how the message names the object, e.g. "the counter" or "the total balance".
        hint: what to try, shown when updates are lost (a default hint names the lock).

    Returns:
        The :class:`RaceReport` of a passing probe.

    Raises:
        AssertionError: a trial ended with the wrong total, or the probe timed out.
    """
    found = race_probe(make, step, observe, gain=gain, threads=threads, iterations=iterations,
                       trials=trials, timeout=timeout)
    for trial, (want, got) in enumerate(zip(found.expected, found.observed), start=1):
        if want != got:
            off = f"{want - got!r} short" if want > got else f"{got - want!r} too many"
            raise AssertionError(
                f"{what} should be {want!r} after {threads} threads made {iterations} updates "
                f"each at the same time, but it is {got!r} (trial {trial} of {trials}: {off})."
                f"\nHint: {hint or _RACE_HINT}")
    return found


_RACE_HINT = ("two threads read the same old value and both wrote back value + 1. Hold one "
              "lock across the whole read-modify-write (with self._lock: ...), and create the "
              "lock once, in __init__, not inside the method.")


# --- recording when jobs run ---------------------------------------------------------------
class TimedResult(NamedTuple):
    """What a :class:`TimedCall` returns: the job's value and the span it ran in."""

    value: Any
    span: dict


class TimedCall:
    """A picklable wrapper that times each call of *fn*, for jobs run in other processes.

    ``pool.map(TimedCall(work), items)`` returns :class:`TimedResult` objects; pass them to
    :meth:`JobTracker.collect` to get the values back and the spans onto the timeline. The
    wrapper pickles under spawn and forkserver when *fn* is importable (defined in a module,
    not in a notebook).

    Args:
        fn: the job.
        kind: what the job mostly does: "waiting" (sleep, I/O) or "running" (computing).
    """

    def __init__(self, fn: Callable, kind: str = WAITING) -> None:
        _check_callable("fn", fn)
        self.fn = fn
        self.kind = _job_kind(kind)

    def __call__(self, *args, **kwargs) -> TimedResult:
        start = _now_ns()
        value = self.fn(*args, **kwargs)
        return TimedResult(value, _span_here(start, _now_ns(), self.kind))

    def __repr__(self) -> str:
        return f"TimedCall({_name_of(self.fn)}, kind={self.kind!r})"


class JobTracker:
    """Record when each job runs and in which thread or process, as a Timeline.

    ``tracker.wrap(job)`` returns a stand-in that records one span per call on the calling
    thread's lane (thread-safe); jobs run in other processes come back through
    :class:`TimedCall` and :meth:`collect`. A span covers the whole call, so *kind* says what
    the job mostly does: sleep- and I/O-bound jobs are "waiting", computing jobs "running".

    Args:
        kind: the default kind of the spans: "waiting" or "running" ("wait"/"work" also work).
    """

    def __init__(self, kind: str = WAITING) -> None:
        self.kind = _job_kind(kind)
        self.start_ns = _now_ns()
        self._lanes: dict[tuple[int, int], dict] = {}
        self._lock = threading.Lock()  # protects self._lanes and the span lists in it

    def wrap(self, fn: Callable, kind: str | None = None) -> Callable:
        """Return a function that calls *fn* and records the span of each call.

        Raises:
            TypeError, ValueError: *fn* is not callable or *kind* is unknown.
        """
        _check_callable("fn", fn)
        kind = self.kind if kind is None else _job_kind(kind)

        @functools.wraps(fn)
        def tracked(*args, **kwargs):
            start = _now_ns()
            try:
                return fn(*args, **kwargs)
            finally:  # a job that fails still ran: its span counts
                self._add(_span_here(start, _now_ns(), kind))
        return tracked

    def collect(self, results) -> list:
        """Record the spans of :class:`TimedResult` objects and return their values in order.

        Raises:
            TypeError: an item is not a TimedResult (was the job wrapped in TimedCall?).
        """
        values = []
        for result in results:
            if not isinstance(result, TimedResult):
                raise TypeError("results must come from a TimedCall-wrapped job "
                                f"(got {type(result).__name__})")
            self._add(result.span)
            values.append(result.value)
        return values

    @property
    def jobs(self) -> int:
        """How many job calls have been recorded."""
        with self._lock:
            return sum(len(lane["spans"]) for lane in self._lanes.values())

    def timeline(self, label: str = "") -> Timeline:
        """Return the recorded jobs as a Timeline from the tracker's creation until now."""
        end = _now_ns()
        with self._lock:
            exports = [dict(lane, spans=list(lane["spans"])) for lane in self._lanes.values()]
        return Timeline.from_lanes(exports, start_ns=self.start_ns, end_ns=end, label=label)

    def _add(self, span: dict) -> None:
        with self._lock:
            lane = self._lanes.get((span["pid"], span["tid"]))
            if lane is None:
                lane = self._lanes[(span["pid"], span["tid"])] = {
                    "name": span["name"], "pid": span["pid"], "tid": span["tid"], "spans": [],
                    "cpu_ns": None, "clock_pair": span["clock_pair"], "launch_ns": None,
                    "classified": True}  # spans carry segment kinds: no chunk classification
            lane["spans"].append((span["start_ns"], span["end_ns"], span["kind"]))


def _span_here(start_ns: int, end_ns: int, kind: str) -> dict:
    """A span of the calling thread, as plain data that pickles back from a child process."""
    thread, process = threading.current_thread(), multiprocessing.current_process()
    if process.name == "MainProcess":
        name = thread.name
    elif thread is threading.main_thread():
        name = process.name
    else:
        name = f"{process.name} {thread.name}"
    return {"name": name, "pid": os.getpid(), "tid": threading.get_native_id(),
            "start_ns": start_ns, "end_ns": end_ns, "kind": kind,
            "clock_pair": (_time_ns(), _now_ns())}


def _job_kind(kind: str) -> str:
    if kind not in _JOB_KINDS:
        raise ValueError(f"kind must be one of {', '.join(_JOB_KINDS)} (got {kind!r})")
    return _JOB_KINDS[kind]


# --- timeline assertions -------------------------------------------------------------------
_PROCESSES_HINT = "threads share one process: use multiprocessing (a Process per job, or a Pool)."
_THREADS_HINT = "start one threading.Thread per job, and start them all before joining any."
_OVERLAP_HINT = "start every job before you wait for any of them (start all, then join all)."
_REACHED_HINT = ("let the jobs run side by side: do not hold one lock, or join a thread, around "
                 "a whole job.")
_LIMIT_HINT = ("guard each job with a Semaphore({k}) (or a pool of {workers}), taken before the "
               "job starts and released when it ends.")

def assert_distinct_processes(timeline: Timeline, at_least: int = 2,
                              hint: str | None = None) -> int:
    """Check that the timeline's work ran in at least *at_least* different processes.

    Lanes without a pid (synthetic timelines) count by name.

    Returns:
        The number of distinct processes.

    Raises:
        AssertionError: fewer processes did the work.
        TypeError, ValueError: bad arguments.
    """
    _check_timeline(timeline)
    _check_count("at_least", at_least, 1)
    groups = _group(timeline.lanes, lambda lane: lane["pid"] or lane["name"])
    if len(groups) < at_least:
        shown = "; ".join(f"pid {key}: {_names(names)}" if isinstance(key, int) else repr(key)
                          for key, names in groups.items())
        raise AssertionError(
            f"expected the work to run in at least {at_least} different processes, but the "
            f"timeline shows {len(groups)} ({shown or 'no work recorded'}).\n"
            f"Hint: {hint or _PROCESSES_HINT}")
    return len(groups)


def assert_distinct_threads(timeline: Timeline, at_least: int = 2, exclude_main: bool = True,
                            hint: str | None = None) -> int:
    """Check that the timeline's work ran in at least *at_least* different threads.

    Args:
        exclude_main: do not count the main thread of this process (the notebook's own).

    Returns:
        The number of distinct threads counted.

    Raises:
        AssertionError: fewer threads did the work.
        TypeError, ValueError: bad arguments.
    """
    _check_timeline(timeline)
    _check_count("at_least", at_least, 1)
    main = (os.getpid(), threading.main_thread().native_id)
    lanes = [lane for lane in timeline.lanes
             if not (exclude_main and (lane["pid"], lane["tid"]) == main)]
    groups = _group(lanes, lambda lane: (lane["pid"], lane["tid"]) if lane["tid"] else lane["name"])
    if len(groups) < at_least:
        other = " other than the main thread" if exclude_main else ""
        raise AssertionError(
            f"expected the work to run in at least {at_least} different threads{other}, but the "
            f"timeline shows {len(groups)} ({_names(timeline.lane_names) or 'no work recorded'})."
            f"\nHint: {hint or _THREADS_HINT}")
    return len(groups)


def assert_overlap(timeline: Timeline, at_least: int = 2, kind: str = ANY, min_s: float = 0.0,
                   hint: str | None = None) -> float:
    """Check that at least *at_least* lanes were in *kind* at the same moment.

    Use ``kind="running"`` on a classified timeline to prove parallel computing: under the GIL,
    threads waiting for their turn ("ready") overlap the running one.

    Args:
        kind: "running", "waiting", "ready", "startup" or "any" (any segment at all).
        min_s: seconds the overlap must last in total (0: any overlap; touching spans
            do not overlap).

    Returns:
        Seconds during which at least *at_least* lanes were in *kind*.

    Raises:
        AssertionError: they never overlapped that much.
        TypeError, ValueError: bad arguments.
    """
    _check_timeline(timeline)
    _check_count("at_least", at_least, 2)
    _check_kind(kind)
    _check_non_negative("min_s", min_s)
    steps = _steps(timeline, kind)
    overlap = sum(t1 - t0 for t0, t1, names in steps if len(names) >= at_least) / 1e9
    if overlap == 0 or overlap < min_s:
        word, peak = _KIND_WORDS[kind], max((len(n) for _, _, n in steps), default=0)
        lasted = f" (together for {overlap:.3f} s, needed {min_s:g} s)" if overlap else ""
        raise AssertionError(
            f"expected at least {_jobs(at_least)} {word} at the same time, but at most {peak} "
            f"{_was(peak)} {word} at once{lasted}.\n{_extents(timeline, steps)}\n"
            f"Hint: {hint or _OVERLAP_HINT}")
    return overlap


def assert_reached(timeline: Timeline, k: int, kind: str = ANY, hint: str | None = None) -> int:
    """Check that *k* lanes were in *kind* at once at some moment: the jobs were not serialized.

    Returns:
        The largest number of lanes in *kind* at once.

    Raises:
        AssertionError: fewer than *k* were ever in *kind* together.
        TypeError, ValueError: bad arguments.
    """
    _check_timeline(timeline)
    _check_count("k", k, 1)
    _check_kind(kind)
    steps = _steps(timeline, kind)
    peak = max((len(names) for _, _, names in steps), default=0)
    if peak < k:
        word = _KIND_WORDS[kind]
        serial = ": the jobs ran one at a time" if peak == 1 else ""
        raise AssertionError(
            f"expected {_jobs(k)} {word} at once at some moment, but at most {peak} {_was(peak)}"
            f"{serial}.\n{_extents(timeline, steps)}\n"
            f"Hint: {hint or _REACHED_HINT}")
    return peak


def assert_at_most_at_once(timeline: Timeline, k: int, kind: str = ANY,
                           hint: str | None = None) -> int:
    """Check that never more than *k* lanes were in *kind* at the same moment.

    Returns:
        The largest number of lanes in *kind* at once.

    Raises:
        AssertionError: more than *k* were in *kind* together (the message says when and which).
        TypeError, ValueError: bad arguments.
    """
    _check_timeline(timeline)
    _check_count("k", k, 1)
    _check_kind(kind)
    steps = _steps(timeline, kind)
    peak = max((len(names) for _, _, names in steps), default=0)
    over = next(((t0, names) for t0, _, names in steps if len(names) > k), None)
    if over is not None:
        t0, names = over
        word = _KIND_WORDS[kind]
        most = f" At the peak, {peak} were {word} together." if peak > len(names) else ""
        raise AssertionError(
            f"expected at most {_jobs(k)} {word} at once, but {len(names)} were {word} together "
            f"at {(t0 - timeline.start_ns) / 1e9:.3f} s ({_names(names)}).{most}\n"
            f"Hint: {hint or _LIMIT_HINT.format(k=k, workers=_plural(k, 'worker'))}")
    return peak


def _steps(timeline: Timeline, kind: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Sweep the segments into ``[(t0, t1, lanes in kind during t0..t1)]``."""
    events = sorted((t, edge, s.lane) for s in timeline.segments()
                    if (kind == ANY or s.kind == kind) and s.end_ns > s.start_ns
                    for t, edge in ((s.start_ns, 1), (s.end_ns, 0)))  # ends sort first
    active: dict[str, int] = {}
    steps: list[tuple[int, int, tuple[str, ...]]] = []
    for i, (t, edge, lane) in enumerate(events):
        active[lane] = active.get(lane, 0) + (1 if edge else -1)
        if i + 1 < len(events) and events[i + 1][0] > t:
            steps.append((t, events[i + 1][0], tuple(n for n, c in active.items() if c > 0)))
    return steps


def _extents(timeline: Timeline, steps) -> str:
    """Each lane's first start and last end in the swept kind: where the jobs sat in time."""
    spans: dict[str, list[int]] = {}
    for t0, t1, names in steps:
        for name in names:
            first_last = spans.setdefault(name, [t0, t1])
            first_last[1] = t1
    parts = [f"{name!r} {(a - timeline.start_ns) / 1e9:.3f}-{(b - timeline.start_ns) / 1e9:.3f} s"
             for name, (a, b) in list(spans.items())[:_MAX_LISTED]]
    more = f", ... and {len(spans) - _MAX_LISTED} more" if len(spans) > _MAX_LISTED else ""
    return "Jobs seen: " + (", ".join(parts) + more if parts else "none")


def _group(lanes, key) -> dict:
    """Names of the lanes with recorded work, grouped by *key*."""
    groups: dict = {}
    for lane in lanes:
        if lane["spans"]:
            groups.setdefault(key(lane), []).append(lane["name"])
    return groups


def _names(names) -> str:
    names = list(names)
    shown = ", ".join(repr(n) for n in names[:_MAX_LISTED])
    more = len(names) - _MAX_LISTED
    return shown + (f", ... and {more} more" if more > 0 else "")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _jobs(count: int) -> str:
    return _plural(count, "job")


def _was(count: int) -> str:
    return "was" if count == 1 else "were"


# --- friendly equality ---------------------------------------------------------------------
def assert_equal(actual: Any, expected: Any, what: str, hint: str | None = None) -> None:
    """Check ``actual == expected``; the message names *what*, both values and a hint.

    Raises:
        AssertionError: "<what>: expected <expected>, got <actual>." plus the hint.
    """
    if not actual == expected:
        message = f"{what}: expected {_short.repr(expected)}, got {_short.repr(actual)}."
        raise AssertionError(message + (f"\nHint: {hint}" if hint else ""))


# --- who printed what ----------------------------------------------------------------------
@dataclass(frozen=True)
class ThreadInfo:
    """A thread seen during :func:`run_and_capture`, numbered in order of first output."""

    number: int
    name: str
    ident: int | None
    native_id: int | None
    caller: bool = False  # the thread that called the function
    new: bool = False  # started while the function ran (not alive before the call)


@dataclass(frozen=True)
class PrintedLine:
    """One line of output (without its newline) and the thread that printed it."""

    text: str
    thread: ThreadInfo


@dataclass
class Capture:
    """What :func:`run_and_capture` saw: the value, every printed line and leftover threads."""

    value: Any
    lines: list[PrintedLine]
    caller: ThreadInfo
    leftover: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All output, one line per printed line, in the order it was written."""
        return "\n".join(line.text for line in self.lines)

    def by_thread(self) -> dict[ThreadInfo, list[str]]:
        """The lines each thread printed, threads in order of their first line."""
        found: dict[ThreadInfo, list[str]] = {}
        for line in self.lines:
            found.setdefault(line.thread, []).append(line.text)
        return found

    def printers(self) -> list[ThreadInfo]:
        """Threads started by the function (not its caller) that printed something."""
        return [t for t in self.by_thread() if t.new and not t.caller]


class _ThreadAwareWriter:
    """Stands in for sys.stdout and files each line under the thread that wrote it."""

    encoding = "utf-8"

    def __init__(self, before: set, echo) -> None:
        self._before = before
        self._echo = echo
        self._lock = threading.Lock()  # protects _partial, _threads and lines
        self._partial: dict[threading.Thread, str] = {}
        self._threads: dict[threading.Thread, ThreadInfo] = {}  # keeps threads alive: no id reuse
        self.caller: threading.Thread | None = None
        self.lines: list[PrintedLine] = []

    def write(self, text: str) -> int:
        thread = threading.current_thread()
        with self._lock:
            pending = self._partial.pop(thread, "") + str(text)
            *complete, rest = pending.split("\n")
            for line in complete:
                self.lines.append(PrintedLine(line, self._info(thread)))
            if rest:
                self._partial[thread] = rest
        if self._echo is not None:
            self._echo.write(text)
        return len(text)

    def flush(self) -> None:
        if self._echo is not None:
            self._echo.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise io.UnsupportedOperation("captured output has no file descriptor")

    def writable(self) -> bool:
        return True

    def info(self, thread: threading.Thread) -> ThreadInfo:
        with self._lock:
            return self._info(thread)

    def close_lines(self) -> None:
        """File output that never got its newline."""
        with self._lock:
            for thread, rest in self._partial.items():
                self.lines.append(PrintedLine(rest, self._info(thread)))
            self._partial.clear()

    def _info(self, thread: threading.Thread) -> ThreadInfo:
        if thread not in self._threads:
            self._threads[thread] = ThreadInfo(
                len(self._threads) + 1, thread.name, thread.ident,
                getattr(thread, "native_id", None), caller=thread is self.caller,
                new=thread not in self._before)
        return self._threads[thread]


def run_and_capture(fn: Callable, /, *args, timeout: float = 5.0, echo: bool = False,
                    **kwargs) -> Capture:
    """Call *fn* under a time limit, recording every line printed and the thread printing it.

    ``sys.stdout`` is swapped for a thread-aware writer during the call (``print`` looks it up
    each time, in any thread and in a Jupyter kernel) and restored afterwards. Right after *fn*
    returns, the threads it started that are still alive are noted in ``capture.leftover``:
    a function that forgets to join returns while its threads still run.

    Args:
        fn: the function to call, with *args* and *kwargs*.
        timeout: seconds *fn* may take (> 0).
        echo: also pass the output on to the real stdout.

    Returns:
        A :class:`Capture`.

    Raises:
        AssertionError: *fn* did not finish within *timeout*. Its own exceptions pass unchanged.
        TypeError, ValueError: bad arguments.
    """
    _check_callable("fn", fn)
    _check_seconds("timeout", timeout)
    before = set(threading.enumerate())
    original = sys.stdout
    writer = _ThreadAwareWriter(before, original if echo else None)

    def call():
        writer.caller = threading.current_thread()
        value = fn(*args, **kwargs)
        alive = [t.name for t in threading.enumerate()
                 if t not in before and t is not writer.caller and t.is_alive()]
        return value, alive

    call.__qualname__ = _name_of(fn)  # names the worker thread "checked <fn>"
    sys.stdout = writer
    try:
        value, leftover = finishes_within(call, timeout)
    finally:
        sys.stdout = original
        writer.close_lines()
    return Capture(value, list(writer.lines), writer.info(writer.caller), leftover)


# --- tamper evidence -----------------------------------------------------------------------
_WATCHED = (
    "builtins:print", "builtins:len", "builtins:isinstance", "sys:_current_frames",
    "threading:Thread", "threading:Thread.start", "threading:Thread.join",
    "threading:Thread.is_alive", "threading:Lock", "threading:RLock", "threading:Event",
    "threading:Barrier", "threading:Semaphore", "threading:enumerate",
    "threading:current_thread", "time:sleep", "time:perf_counter", "time:perf_counter_ns",
    "time:monotonic", "course.timeline:Timeline", "course.timeline:Timeline.segments",
    "course.timeline:Timeline.from_lanes", "course.timeline:Timeline.max_at_once",
) + tuple(f"course.checks:{name}" for name in __all__) + (
    "course.checks:SlowCounter.read", "course.checks:SlowCounter.write",
    "course.checks:JobTracker.wrap", "course.checks:JobTracker.timeline")


def fingerprint() -> Mapping[str, Any]:
    """Take note of the objects graded tests rely on (time.sleep, threading.Lock, these checks).

    Returns:
        A read-only mapping from dotted names to the objects; keep it and pass it to
        :func:`verify_fingerprint` in later test cells.
    """
    return types.MappingProxyType({name: _resolve(name) for name in _WATCHED})


def verify_fingerprint(saved: Mapping[str, Any]) -> None:
    """Check that nothing noted by :func:`fingerprint` has been replaced since.

    Raises:
        AssertionError: "the grading helpers were modified: ..." naming what changed.
        TypeError: *saved* is not what fingerprint() returned.
    """
    if not isinstance(saved, Mapping) or not saved:
        raise TypeError(f"saved must be the mapping fingerprint() returned (got "
                        f"{type(saved).__name__})")
    changed = [name for name, obj in saved.items() if _resolve(name) is not obj]
    if changed:
        shown = ", ".join(name.replace(":", ".") for name in changed)
        raise AssertionError(
            f"the grading helpers were modified: {shown} {_was(len(changed))} replaced after "
            "the setup cell ran.\nHint: restart the kernel and run all cells, and do not "
            "reassign functions of time, threading or course.checks in your code.")


_MISSING = object()


def _resolve(name: str) -> Any:
    """Look up "module:attr.path" statically: getattr would make a fresh bound method each time."""
    module_name, _, path = name.partition(":")
    obj: Any = sys.modules.get(module_name) or importlib.import_module(module_name)
    for part in path.split("."):
        obj = inspect.getattr_static(obj, part, _MISSING)
        if obj is _MISSING:
            return _MISSING
    return obj


# --- argument checks -----------------------------------------------------------------------
def _check_callable(name: str, value) -> None:
    if not callable(value):
        raise TypeError(f"{name} must be callable (got {type(value).__name__})")


def _check_number(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number (got {type(value).__name__})")


def _check_seconds(name: str, value) -> None:
    _check_number(name, value)
    if not value > 0:
        raise ValueError(f"{name} must be > 0 (got {value!r})")
    if math.isinf(value):
        raise ValueError(f"{name} must be finite: every wait is bounded (got {value!r})")


def _check_non_negative(name: str, value) -> None:
    _check_number(name, value)
    if not value >= 0 or math.isinf(value):
        raise ValueError(f"{name} must be >= 0 and finite (got {value!r})")


def _check_count(name: str, value, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int (got {type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum} (got {value})")


def _check_kind(kind) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)} (got {kind!r})")


def _check_timeline(timeline) -> None:
    if not isinstance(timeline, Timeline):
        raise TypeError(f"timeline must be a Timeline (got {type(timeline).__name__})")


def _name_of(fn) -> str:
    return getattr(fn, "__qualname__", None) or type(fn).__name__
